use async_trait::async_trait;
use gatehouse_core::model::PendingInvitation;
use gatehouse_core::store::{Directory, Invitations, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};
use sqlx::Row;

use crate::error::store_error;
use crate::Db;

#[async_trait]
impl Invitations for Db {
    async fn pending_invitation(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<PendingInvitation>> {
        let row = sqlx::query(
            "SELECT user_id, expires_at FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash.0.as_str())
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let user_id = Id::from_stored(row.try_get("user_id").map_err(store_error)?);
        let expires_at = Timestamp(row.try_get("expires_at").map_err(store_error)?);
        let Some(user) = self.user_by_id(&user_id).await? else {
            return Ok(None);
        };
        let account = match &user.account_id {
            Some(id) => self.account_by_id(id).await?,
            None => None,
        };
        Ok(Some(PendingInvitation {
            user,
            account,
            expires_at,
        }))
    }
}
