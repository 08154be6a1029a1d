use async_trait::async_trait;
use gatehouse_core::oidc::{AccessGrant, AuthRequest, ClaimedLogout, CodeGrant, StoredCode, StoredSigningKey};
use gatehouse_core::store::{OpenIdProvider, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::{Backend, Db};

fn signing_key(row: &Row) -> Result<StoredSigningKey, crate::sql::Error> {
    Ok(StoredSigningKey {
        kid: row.try_get("kid")?,
        alg: row.try_get("alg")?,
        sealed_private: row.try_get("sealed_private")?,
        public_jwk: row.try_get("public_jwk")?,
        created_at: Timestamp(row.try_get("created_at")?),
        signs_from: Timestamp(row.try_get("signs_from")?),
    })
}

fn code_grant(row: &Row) -> Result<CodeGrant, crate::sql::Error> {
    Ok(CodeGrant {
        client_id: row.try_get("client_id")?,
        redirect_uri: row.try_get("redirect_uri")?,
        user_id: Id::from_stored(row.try_get("user_id")?),
        sid: row.try_get("sid")?,
        scope: row.try_get("scope")?,
        nonce: row.try_get("nonce")?,
        code_challenge: row.try_get("code_challenge")?,
        auth_time: Timestamp(row.try_get("auth_time")?),
        amr: row.try_get("amr")?,
        expires_at: Timestamp(row.try_get("expires_at")?),
    })
}

#[async_trait]
impl OpenIdProvider for Db {
    async fn signing_keys(&self) -> StoreResult<Vec<StoredSigningKey>> {
        let rows = query(
            "SELECT kid, alg, sealed_private, public_jwk, created_at, signs_from FROM oidc_signing_keys \
             ORDER BY signs_from DESC, kid",
        )
        .fetch_all(self)
        .await
        .map_err(store_error)?;
        rows.iter().map(signing_key).collect::<Result<_, _>>().map_err(store_error)
    }

    async fn insert_signing_key(&self, key: &StoredSigningKey) -> StoreResult<()> {
        query(
            "INSERT INTO oidc_signing_keys (kid, alg, sealed_private, public_jwk, created_at, signs_from) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key.kid)
        .bind(&key.alg)
        .bind(&key.sealed_private)
        .bind(&key.public_jwk)
        .bind(key.created_at.0)
        .bind(key.signs_from.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn delete_signing_key(&self, kid: &str) -> StoreResult<()> {
        query("DELETE FROM oidc_signing_keys WHERE kid = $1").bind(kid).execute(self).await.map_err(store_error)?;
        Ok(())
    }

    async fn put_oidc_request(
        &self,
        hash: &TokenHash,
        r: &AuthRequest,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        // Requests whose person never signed in would otherwise pile up.
        query("DELETE FROM oidc_requests WHERE expires_at < $1")
            .bind(now.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        query(
            "INSERT INTO oidc_requests \
             (token_hash, client_id, redirect_uri, scope, state, nonce, code_challenge, fresh_after_ms, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(hash.0.as_str())
        .bind(&r.client_id)
        .bind(&r.redirect_uri)
        .bind(&r.scope)
        .bind(r.state.clone())
        .bind(r.nonce.clone())
        .bind(&r.code_challenge)
        .bind(r.fresh_after_ms)
        .bind(expires_at.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn oidc_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<AuthRequest>> {
        let row = query(
            "SELECT client_id, redirect_uri, scope, state, nonce, code_challenge, fresh_after_ms FROM oidc_requests \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(hash.0.as_str())
        .bind(now.0)
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> Result<AuthRequest, crate::sql::Error> {
            Ok(AuthRequest {
                client_id: row.try_get("client_id")?,
                redirect_uri: row.try_get("redirect_uri")?,
                scope: row.try_get("scope")?,
                state: row.try_get("state")?,
                nonce: row.try_get("nonce")?,
                code_challenge: row.try_get("code_challenge")?,
                fresh_after_ms: row.try_get("fresh_after_ms")?,
            })
        };
        read().map(Some).map_err(store_error)
    }

    async fn delete_oidc_request(&self, hash: &TokenHash) -> StoreResult<()> {
        query("DELETE FROM oidc_requests WHERE token_hash = $1")
            .bind(hash.0.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn insert_code(&self, hash: &TokenHash, g: &CodeGrant) -> StoreResult<()> {
        query(
            "INSERT INTO oidc_codes (code_hash, client_id, redirect_uri, user_id, sid, scope, nonce, code_challenge, \
             auth_time, amr, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(hash.0.as_str())
        .bind(&g.client_id)
        .bind(&g.redirect_uri)
        .bind(g.user_id.as_str())
        .bind(&g.sid)
        .bind(&g.scope)
        .bind(g.nonce.clone())
        .bind(&g.code_challenge)
        .bind(g.auth_time.0)
        .bind(&g.amr)
        .bind(g.expires_at.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn code(&self, hash: &TokenHash) -> StoreResult<Option<StoredCode>> {
        let row = query(
            "SELECT client_id, redirect_uri, user_id, sid, scope, nonce, code_challenge, auth_time, amr, expires_at, \
             used_at FROM oidc_codes WHERE code_hash = $1",
        )
        .bind(hash.0.as_str())
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> Result<StoredCode, crate::sql::Error> {
            Ok(StoredCode { grant: code_grant(&row)?, used: row.try_get::<Option<i64>, _>("used_at")?.is_some() })
        };
        read().map(Some).map_err(store_error)
    }

    async fn redeem_code(
        &self,
        hash: &TokenHash,
        access_token: &TokenHash,
        a: &AccessGrant,
        now: Timestamp,
    ) -> StoreResult<bool> {
        // The token is stored in the same transaction that uses the code: a second redemption,
        // which waits for this one, then finds the token to revoke.
        let mut tx = self.begin().await.map_err(store_error)?;
        let used = query("UPDATE oidc_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL")
            .bind(now.0)
            .bind(hash.0.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if used.rows_affected() != 1 {
            return Ok(false);
        }
        query(
            "INSERT INTO oidc_access_tokens (token_hash, client_id, user_id, sid, scope, code_hash, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(access_token.0.as_str())
        .bind(&a.client_id)
        .bind(a.user_id.as_str())
        .bind(&a.sid)
        .bind(&a.scope)
        .bind(hash.0.as_str())
        .bind(a.expires_at.0)
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        query(
            "INSERT INTO oidc_grants (sid, client_id, user_id, first_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sid, client_id) DO NOTHING",
        )
        .bind(&a.sid)
        .bind(&a.client_id)
        .bind(a.user_id.as_str())
        .bind(now.0)
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn revoke_code_tokens(&self, hash: &TokenHash) -> StoreResult<u64> {
        let done = query("DELETE FROM oidc_access_tokens WHERE code_hash = $1")
            .bind(hash.0.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }

    async fn access_grant(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<AccessGrant>> {
        let row = query(
            "SELECT client_id, user_id, sid, scope, expires_at FROM oidc_access_tokens \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(hash.0.as_str())
        .bind(now.0)
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> Result<AccessGrant, crate::sql::Error> {
            Ok(AccessGrant {
                client_id: row.try_get("client_id")?,
                user_id: Id::from_stored(row.try_get("user_id")?),
                sid: row.try_get("sid")?,
                scope: row.try_get("scope")?,
                expires_at: Timestamp(row.try_get("expires_at")?),
            })
        };
        read().map(Some).map_err(store_error)
    }

    async fn claim_logout(
        &self,
        claim: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<Option<ClaimedLogout>> {
        // As the mail queue claims (see there): the condition is checked again on the row as it
        // is when written, and PostgreSQL's SKIP LOCKED spreads concurrent senders.
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE oidc_logouts SET claim = $1, attempts = attempts + 1, next_attempt_at = $2 \
             WHERE (sid, client_id) = (SELECT sid, client_id FROM oidc_logouts \
                                       WHERE gave_up_at IS NULL AND next_attempt_at <= $3 \
                                       ORDER BY next_attempt_at LIMIT 1{lock}) \
               AND gave_up_at IS NULL AND next_attempt_at <= $3 \
             RETURNING sid, client_id, user_id, attempts"
        );
        let row =
            query(&sql).bind(claim).bind(lease_until.0).bind(now.0).fetch_optional(self).await.map_err(store_error)?;
        row.map(|row| {
            Ok(ClaimedLogout {
                sid: row.try_get("sid")?,
                client_id: row.try_get("client_id")?,
                user_id: Id::from_stored(row.try_get("user_id")?),
                claim: claim.to_owned(),
                attempts: row.try_get("attempts")?,
            })
        })
        .transpose()
        .map_err(store_error)
    }

    async fn logout_sent(&self, l: &ClaimedLogout) -> StoreResult<bool> {
        let done = query("DELETE FROM oidc_logouts WHERE sid = $1 AND client_id = $2 AND claim = $3")
            .bind(&l.sid)
            .bind(&l.client_id)
            .bind(&l.claim)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn logout_failed(
        &self,
        l: &ClaimedLogout,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = query(
            "UPDATE oidc_logouts SET claim = NULL, last_error = $4, next_attempt_at = $5, gave_up_at = $6 \
             WHERE sid = $1 AND client_id = $2 AND claim = $3",
        )
        .bind(&l.sid)
        .bind(&l.client_id)
        .bind(&l.claim)
        .bind(error)
        .bind(retry_at.unwrap_or(now).0)
        .bind(retry_at.is_none().then_some(now.0))
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn applications_of(&self, user_id: &Id) -> StoreResult<Vec<(String, String)>> {
        let rows = query("SELECT sid, client_id FROM oidc_grants WHERE user_id = $1 ORDER BY first_at, client_id")
            .bind(user_id.as_str())
            .fetch_all(self)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|r| Ok((r.try_get("sid")?, r.try_get("client_id")?)))
            .collect::<Result<_, crate::sql::Error>>()
            .map_err(store_error)
    }
}
