use async_trait::async_trait;
use gatehouse_core::store::{KnownBrowsers, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl KnownBrowsers for Db {
    async fn insert_known_browser(
        &self,
        hash: &TokenHash,
        user: &Id,
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<()> {
        query("INSERT INTO known_browsers (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash.0.as_str())
            .bind(user.as_str())
            .bind(now.0)
            .bind(expires.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn renew_known_browser(
        &self,
        hash: &TokenHash,
        user: &Id,
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<bool> {
        let done = query(
            "UPDATE known_browsers SET expires_at = $1 WHERE token_hash = $2 AND user_id = $3 AND expires_at > $4",
        )
        .bind(expires.0)
        .bind(hash.0.as_str())
        .bind(user.as_str())
        .bind(now.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn known_browser_user(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Id>> {
        let row = query("SELECT user_id FROM known_browsers WHERE token_hash = $1 AND expires_at > $2")
            .bind(hash.0.as_str())
            .bind(now.0)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.map(|r| r.try_get::<String, _>("user_id").map(Id::from_stored)).transpose().map_err(store_error)
    }
}
