use async_trait::async_trait;
use gatehouse_core::store::{PasswordResets, StoreResult};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

#[async_trait]
impl PasswordResets for Db {
    async fn insert_password_reset(
        &self,
        user_id: &Id,
        hash: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
        gap_secs: i64,
    ) -> StoreResult<bool> {
        self.insert_mailed_link("password_resets", user_id, hash, now, expires_at, gap_secs, false).await
    }

    async fn password_reset_user(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Id>> {
        let row = query("SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > $2")
            .bind(hash.0.as_str())
            .bind(now.0)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.map(|r| r.try_get::<String, _>("user_id").map(Id::from_stored)).transpose().map_err(store_error)
    }

    async fn claim_password_reset(
        &self,
        hash: &TokenHash,
        password_hash: &str,
        sign_in: &Id,
        now: Timestamp,
    ) -> StoreResult<Option<Id>> {
        let row = query(
            "UPDATE password_resets SET new_hash = $1, claimed_by = $2 \
             WHERE token_hash = $3 AND expires_at > $4 \
               AND EXISTS (SELECT 1 FROM users u WHERE u.id = password_resets.user_id AND u.totp_secret IS NOT NULL) \
             RETURNING user_id",
        )
        .bind(password_hash)
        .bind(sign_in.as_str())
        .bind(hash.0.as_str())
        .bind(now.0)
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        row.map(|r| r.try_get::<String, _>("user_id").map(Id::from_stored)).transpose().map_err(store_error)
    }

    async fn use_password_reset(&self, user_id: &Id, sign_in: &Id, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        // Deleting is the single-use guarantee: of two uses at once, one sees the row.
        let row = query(
            "DELETE FROM password_resets WHERE user_id = $1 AND claimed_by = $2 AND expires_at > $3 \
             AND new_hash IS NOT NULL RETURNING new_hash",
        )
        .bind(user_id.as_str())
        .bind(sign_in.as_str())
        .bind(now.0)
        .fetch_optional(&mut tx)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(false) };
        let new_hash: String = row.try_get("new_hash").map_err(store_error)?;
        query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(new_hash)
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        // The person's other links would set yet another password: they end with this one.
        query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn cancel_password_resets(&self, user_id: &Id) -> StoreResult<u64> {
        let done = query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }
}

impl Db {
    /// Stores a new single-use link in `table` (`password_resets` or `setup_links`: token_hash,
    /// user_id, created_at, expires_at), with `replace_older` deleting the person's older ones;
    /// `false`, and nothing changed, when one was made for them less than `gap_secs` ago.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_mailed_link(
        &self,
        table: &'static str,
        user_id: &Id,
        hash: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
        gap_secs: i64,
        replace_older: bool,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        // Locks the person's row first, so that two requests at once are taken one after the
        // other (PostgreSQL) and the write lock is held before anything is read (SQLite).
        query("UPDATE users SET password_hash = password_hash WHERE id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        let done = query(&format!(
            "INSERT INTO {table} (token_hash, user_id, created_at, expires_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS \
               (SELECT 1 FROM {table} WHERE user_id = $2 AND created_at > $5)"
        ))
        .bind(hash.0.as_str())
        .bind(user_id.as_str())
        .bind(now.0)
        .bind(expires_at.0)
        .bind(now.0 - gap_secs)
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        if done.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        if replace_older {
            query(&format!("DELETE FROM {table} WHERE user_id = $1 AND token_hash <> $2"))
                .bind(user_id.as_str())
                .bind(hash.0.as_str())
                .execute(&mut tx)
                .await
                .map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    /// Runs `take`, a statement that uses up a single-use token (`$1` its hash, `$2` now) and
    /// returns whose it was, then sets that person's password hash, in one transaction.
    /// `None`, and nothing changed, when `take` finds no usable token.
    pub(crate) async fn take_token_set_password(
        &self,
        take: &str,
        hash: &TokenHash,
        now: Timestamp,
        password_hash: &str,
    ) -> StoreResult<Option<Id>> {
        let mut tx = self.begin().await.map_err(store_error)?;
        let row = query(take).bind(hash.0.as_str()).bind(now.0).fetch_optional(&mut tx).await.map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let user_id: String = row.try_get("user_id").map_err(store_error)?;
        // Joined from now on (a no-op for someone who had), unique among those who did.
        query("UPDATE users SET password_hash = $1, joined_at = COALESCE(joined_at, $3) WHERE id = $2")
            .bind(password_hash)
            .bind(user_id.as_str())
            .bind(now.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(Some(Id::from_stored(user_id)))
    }
}
