use async_trait::async_trait;
use gatehouse_core::store::{RecoveryCodes, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl RecoveryCodes for Db {
    async fn replace_recovery_codes(&self, user_id: &Id, digests: &[String], now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(store_error)?;
        query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        for digest in digests {
            query("INSERT INTO recovery_codes (user_id, digest, created_at) VALUES ($1, $2, $3)")
                .bind(user_id.as_str())
                .bind(digest)
                .bind(now.0)
                .execute(&mut tx)
                .await
                .map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)
    }

    async fn use_recovery_code(&self, user_id: &Id, digest: &str, now: Timestamp) -> StoreResult<bool> {
        // One conditional statement: of two uses at once, the database lets one change the row.
        let done =
            query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND digest = $2 AND used_at IS NULL")
                .bind(user_id.as_str())
                .bind(digest)
                .bind(now.0)
                .execute(self)
                .await
                .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn recovery_codes_left(&self, user_id: &Id) -> StoreResult<u64> {
        let row = query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id.as_str())
            .fetch_one(self)
            .await
            .map_err(store_error)?;
        let n: i64 = row.try_get("n").map_err(store_error)?;
        Ok(n as u64)
    }
}
