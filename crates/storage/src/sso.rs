use async_trait::async_trait;
use gatehouse_core::model::{SsoFlow, SsoIdentity};
use gatehouse_core::store::{Sso, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl Sso for Db {
    async fn put_sso_flow(&self, flow: &SsoFlow, now: Timestamp) -> StoreResult<()> {
        // Flows abandoned at the provider would otherwise pile up.
        query("DELETE FROM sso_flows WHERE expires_at < $1").bind(now.0).execute(self).await.map_err(store_error)?;
        query(
            "INSERT INTO sso_flows (id, provider_id, nonce, pkce_verifier, expires_at, setup_link, invitation) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(flow.id.as_str())
        .bind(&flow.provider_id)
        .bind(&flow.nonce)
        .bind(&flow.pkce_verifier)
        .bind(flow.expires_at.0)
        .bind(flow.setup_link.as_ref().map(|h| h.0.clone()))
        .bind(flow.invitation.as_ref().map(|h| h.0.clone()))
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn take_sso_flow(&self, id: &str) -> StoreResult<Option<SsoFlow>> {
        let row = query(
            "DELETE FROM sso_flows WHERE id = $1 \
             RETURNING provider_id, nonce, pkce_verifier, expires_at, setup_link, invitation",
        )
        .bind(id)
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> Result<SsoFlow, crate::sql::Error> {
            Ok(SsoFlow {
                id: Id::from_stored(id.to_owned()),
                provider_id: row.try_get("provider_id")?,
                nonce: row.try_get("nonce")?,
                pkce_verifier: row.try_get("pkce_verifier")?,
                expires_at: Timestamp(row.try_get("expires_at")?),
                setup_link: row.try_get::<Option<String>, _>("setup_link")?.map(TokenHash),
                invitation: row.try_get::<Option<String>, _>("invitation")?.map(TokenHash),
            })
        };
        read().map(Some).map_err(store_error)
    }

    async fn sso_user(&self, issuer: &str, subject: &str) -> StoreResult<Option<Id>> {
        let row = query("SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2")
            .bind(issuer)
            .bind(subject)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.map(|r| r.try_get::<String, _>("user_id").map(Id::from_stored)).transpose().map_err(store_error)
    }

    async fn link_sso_identity(
        &self,
        identity: &SsoIdentity,
        accepting: Option<&TokenHash>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        if let Some(hash) = accepting {
            let used = query(
                "UPDATE invitations SET used_at = $1 \
                 WHERE token_hash = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > $1",
            )
            .bind(now.0)
            .bind(hash.0.as_str())
            .bind(identity.user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
            if used.rows_affected() != 1 {
                tx.rollback().await.map_err(store_error)?;
                return Ok(false);
            }
            // Unique among those who joined: another account's acceptance first is a conflict.
            query("UPDATE users SET joined_at = $1 WHERE id = $2")
                .bind(now.0)
                .bind(identity.user_id.as_str())
                .execute(&mut tx)
                .await
                .map_err(store_error)?;
        }
        query(
            "INSERT INTO sso_identities (issuer, subject, user_id, provider_id, email_at_link, linked_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&identity.issuer)
        .bind(&identity.subject)
        .bind(identity.user_id.as_str())
        .bind(&identity.provider_id)
        .bind(&identity.email_at_link)
        .bind(identity.linked_at.0)
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
