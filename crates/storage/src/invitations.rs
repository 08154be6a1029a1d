use async_trait::async_trait;
use gatehouse_core::model::PendingInvitation;
use gatehouse_core::store::{Directory, InvitationState, Invitations, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl Invitations for Db {
    async fn pending_invitation(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<PendingInvitation>> {
        let row = query(
            "SELECT user_id, expires_at FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash.0.as_str())
        .bind(now.0)
        .fetch_optional(self)
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
        Ok(Some(PendingInvitation { user, account, expires_at }))
    }

    async fn invitation_state(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<InvitationState> {
        if let Some(pending) = self.pending_invitation(hash, now).await? {
            return Ok(InvitationState::Pending(pending));
        }
        let row = query("SELECT used_at FROM invitations WHERE token_hash = $1")
            .bind(hash.0.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        Ok(match row {
            None => InvitationState::Unknown,
            Some(row) => match row.try_get::<Option<i64>, _>("used_at").map_err(store_error)? {
                Some(_) => InvitationState::Used,
                None => InvitationState::Expired,
            },
        })
    }

    async fn accept_invitation(
        &self,
        hash: &TokenHash,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<Id>> {
        // The conditional update is the single-use guarantee: of two concurrent accepts,
        // only one sees the row still unused.
        let take = "UPDATE invitations SET used_at = $2 \
                    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";
        self.take_token_set_password(take, hash, now, password_hash).await
    }
}
