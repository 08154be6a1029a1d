use async_trait::async_trait;
use gatehouse_core::store::{SetupLinks, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl SetupLinks for Db {
    async fn insert_setup_link(
        &self,
        user_id: &Id,
        hash: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
        gap_secs: i64,
    ) -> StoreResult<bool> {
        // Older links keep working: whoever knows the password can have new ones mailed, and
        // must not thereby end the one the person holds. Using one ends them all.
        self.insert_mailed_link("setup_links", user_id, hash, now, expires_at, gap_secs, false).await
    }

    async fn use_setup_link(&self, user_id: &Id, hash: &TokenHash, now: Timestamp) -> StoreResult<bool> {
        // Deleting is the single-use guarantee: of two uses at once, one sees the row.
        let mut tx = self.begin().await.map_err(store_error)?;
        let done = query("DELETE FROM setup_links WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3")
            .bind(hash.0.as_str())
            .bind(user_id.as_str())
            .bind(now.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        query("DELETE FROM setup_links WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
