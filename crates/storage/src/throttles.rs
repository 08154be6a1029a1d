use async_trait::async_trait;
use gatehouse_core::store::{StoreResult, ThrottleRow, Throttles};
use gatehouse_core::Timestamp;
use sqlx::Row;

use crate::error::store_error;
use crate::Db;

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

    async fn record_failure(&self, key: &str, now: Timestamp, forget_before: Timestamp) -> StoreResult<i64> {
        // One statement, so concurrent failures on several server processes all count.
        let row = sqlx::query(
            "INSERT INTO throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, 1, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN throttle.last_failure_at < $3 THEN 1 ELSE throttle.failures + 1 END, \
               last_failure_at = $2 \
             RETURNING failures",
        )
        .bind(key)
        .bind(now.0)
        .bind(forget_before.0)
        .fetch_one(&self.pool)
        .await
        .map_err(store_error)?;
        row.try_get::<i64, _>("failures").map_err(store_error)
    }

    async fn block_until(&self, key: &str, until: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE throttle SET blocked_until = $1 WHERE key = $2 AND blocked_until < $1")
            .bind(until.0)
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
