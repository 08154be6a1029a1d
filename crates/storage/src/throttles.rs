use async_trait::async_trait;
use gatehouse_core::store::{Reservation, StoreResult, ThrottleRow, Throttles};
use gatehouse_core::Timestamp;

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

/// Failures still remembered at reservation time ($3: forget those before).
const FRESH_FAILURES: &str = "(CASE WHEN throttle.last_failure_at < $3 THEN 0 ELSE throttle.failures END)";
/// Attempts being checked, without those never settled ($4: stale before).
const LIVE_PENDING: &str = "(CASE WHEN throttle.last_attempt_at < $4 THEN 0 ELSE throttle.pending END)";

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

fn row_of(row: &Row) -> StoreResult<ThrottleRow> {
    let get = |c: &str| row.try_get::<i64, _>(c).map_err(store_error);
    Ok(ThrottleRow {
        failures: get("failures")?,
        pending: get("pending")?,
        last_failure_at: Timestamp(get("last_failure_at")?),
        blocked_until: Timestamp(get("blocked_until")?),
    })
}

#[async_trait]
impl Throttles for Db {
    async fn throttle(&self, key: &str) -> StoreResult<Option<ThrottleRow>> {
        let row = query("SELECT failures, pending, last_failure_at, blocked_until FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(row_of).transpose()
    }

    async fn reserve_attempt(
        &self,
        key: &str,
        free: i64,
        now: Timestamp,
        forget_before: Timestamp,
        stale_before: Timestamp,
    ) -> StoreResult<Reservation> {
        // One statement: the row is locked (PostgreSQL) or the database is (SQLite) while it
        // is checked and taken, so concurrent attempts on any number of server processes
        // queue here. As many may be checked at once as free attempts are left, at least one.
        let sql = format!(
            "INSERT INTO throttle (key, failures, pending, last_failure_at, last_attempt_at, blocked_until) \
             VALUES ($1, 0, 1, 0, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = {FRESH_FAILURES}, pending = {LIVE_PENDING} + 1, last_attempt_at = $2 \
             WHERE throttle.blocked_until < $2 \
               AND {LIVE_PENDING} < (CASE WHEN {FRESH_FAILURES} >= $5 - 1 THEN 1 ELSE $5 - {FRESH_FAILURES} END) \
             RETURNING pending"
        );
        let taken = query(&sql)
            .bind(key)
            .bind(now.0)
            .bind(forget_before.0)
            .bind(stale_before.0)
            .bind(free)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        if taken.is_some() {
            return Ok(Reservation::Granted);
        }
        // Times are whole seconds: a wait lasts through its last second, so it is never shorter
        // than it says.
        let waiting = self.throttle(key).await?.map(|r| r.blocked_until.0 - now.0 + 1).unwrap_or(1);
        Ok(Reservation::Refused { wait_secs: waiting.max(1) })
    }

    async fn record_failure(&self, key: &str, ladder: &[(i64, i64)], now: Timestamp) -> StoreResult<ThrottleRow> {
        // An upsert: the row may have been cleared (a completed sign-in) while this attempt
        // was checked; the failure still counts.
        let wait = wait_sql(ladder, "(throttle.failures + 1)");
        let sql = format!(
            "INSERT INTO throttle (key, failures, pending, last_failure_at, last_attempt_at, blocked_until) \
             VALUES ($1, 1, 0, $2, $2, CASE WHEN {first} = 0 THEN 0 ELSE $2 + {first} END) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = throttle.failures + 1, \
               pending = CASE WHEN throttle.pending > 0 THEN throttle.pending - 1 ELSE 0 END, \
               last_failure_at = $2, \
               blocked_until = CASE WHEN {wait} = 0 OR throttle.blocked_until > $2 + {wait} \
                                    THEN throttle.blocked_until ELSE $2 + {wait} END \
             RETURNING failures, pending, last_failure_at, blocked_until",
            first = wait_sql(ladder, "1"),
        );
        let row = query(&sql).bind(key).bind(now.0).fetch_one(self).await.map_err(store_error)?;
        row_of(&row)
    }

    async fn release_attempt(&self, key: &str) -> StoreResult<()> {
        query("UPDATE throttle SET pending = pending - 1 WHERE key = $1 AND pending > 0")
            .bind(key)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn clear_throttles(&self, keys: &[&str]) -> StoreResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let places: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
        let sql = format!("DELETE FROM throttle WHERE key IN ({})", places.join(", "));
        keys.iter().fold(query(&sql), |q, k| q.bind(*k)).execute(self).await.map_err(store_error)?;
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
