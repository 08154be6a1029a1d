use async_trait::async_trait;
use gatehouse_core::store::{Reservation, StoreResult, ThrottleRow, Throttles};
use gatehouse_core::Timestamp;
use sqlx::Row;

use crate::error::store_error;
use crate::Db;

/// The count an attempt gets: one more, or one again after a quiet day.
const NEXT_COUNT: &str = "(CASE WHEN throttle.last_failure_at < $3 THEN 1 ELSE throttle.failures + 1 END)";

/// The wait a count starts, as SQL over `count` (an expression). The ladder's numbers come
/// from the core's schedules, never from a request, so they are written into the text.
fn wait_sql(ladder: &[(i64, i64)], count: &str) -> String {
    let mut sql = String::from("(CASE");
    for (from, secs) in ladder {
        sql.push_str(&format!(" WHEN {count} >= {from} THEN {secs}"));
    }
    sql.push_str(" ELSE 0 END)");
    sql
}

#[async_trait]
impl Throttles for Db {
    async fn throttle(&self, key: &str) -> StoreResult<Option<ThrottleRow>> {
        let row = sqlx::query("SELECT failures, last_failure_at, blocked_until FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let get = |c: &str| row.try_get::<i64, _>(c).map_err(store_error);
        Ok(Some(ThrottleRow {
            failures: get("failures")?,
            last_failure_at: Timestamp(get("last_failure_at")?),
            blocked_until: Timestamp(get("blocked_until")?),
        }))
    }

    async fn reserve_attempt(
        &self,
        key: &str,
        ladder: &[(i64, i64)],
        now: Timestamp,
        forget_before: Timestamp,
    ) -> StoreResult<Reservation> {
        // One statement: the row is locked (PostgreSQL) or the database is (SQLite) while
        // the count moves and its wait starts, so concurrent attempts on any number of server
        // processes queue here, and each sees the wait the one before it started.
        let sql = format!(
            "INSERT INTO throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, 1, $2, $2 + {first}) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = {NEXT_COUNT}, last_failure_at = $2, blocked_until = $2 + {next} \
             WHERE throttle.blocked_until <= $2 \
             RETURNING failures, blocked_until",
            first = wait_sql(ladder, "1"),
            next = wait_sql(ladder, NEXT_COUNT),
        );
        let row = sqlx::query(&sql)
            .bind(key)
            .bind(now.0)
            .bind(forget_before.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        if let Some(row) = row {
            let count: i64 = row.try_get("failures").map_err(store_error)?;
            let until: i64 = row.try_get("blocked_until").map_err(store_error)?;
            return Ok(Reservation::Granted { count, wait_secs: until - now.0 });
        }
        let waiting = self.throttle(key).await?.map(|r| r.blocked_until.0 - now.0).unwrap_or(1);
        Ok(Reservation::Refused { wait_secs: waiting.max(1) })
    }

    async fn release_attempt(&self, key: &str) -> StoreResult<()> {
        sqlx::query("UPDATE throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn clear_throttle(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(&self.pool).await.map_err(store_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_a_case_over_the_ladder() {
        assert_eq!(
            wait_sql(&[(100, 3600), (6, 2), (5, 1)], "n"),
            "(CASE WHEN n >= 100 THEN 3600 WHEN n >= 6 THEN 2 WHEN n >= 5 THEN 1 ELSE 0 END)"
        );
    }
}
