use async_trait::async_trait;
use gatehouse_core::store::{AuthenticatorFacts, Authenticators, Enrolment, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

/// Setup and replacement share the enrolment table and its rules; they differ in whether the
/// person must have an authenticator (replacement) or must not (setup).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Setup,
    Replacement,
}

impl Kind {
    fn has_secret(self) -> &'static str {
        match self {
            Kind::Setup => "totp_secret IS NULL",
            Kind::Replacement => "totp_secret IS NOT NULL",
        }
    }
}

impl Db {
    async fn put_secret(
        &self,
        kind: Kind,
        user_id: &Id,
        key: &Id,
        sealed_secret: &[u8],
        expires_at: Timestamp,
    ) -> StoreResult<bool> {
        // One enrolment waits per person, whichever kind; the condition is checked in the
        // same statement.
        let sql = format!(
            "INSERT INTO totp_enrolments (user_id, sign_in_id, secret, expires_at) \
             SELECT id, $4, $2, $3 FROM users WHERE id = $1 AND {} \
             ON CONFLICT (user_id) DO UPDATE \
               SET sign_in_id = excluded.sign_in_id, secret = excluded.secret, expires_at = excluded.expires_at",
            kind.has_secret()
        );
        let done = query(&sql)
            .bind(user_id.as_str())
            .bind(sealed_secret.to_vec())
            .bind(expires_at.0)
            .bind(key.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn take_secret(
        &self,
        kind: Kind,
        user_id: &Id,
        key: &Id,
        step: i64,
        now: Timestamp,
    ) -> StoreResult<Enrolment> {
        let mut tx = self.begin().await.map_err(store_error)?;
        // Deleting first makes the enrolment single-use even under concurrent confirmations.
        let row = query(
            "DELETE FROM totp_enrolments WHERE user_id = $1 AND sign_in_id = $3 AND expires_at > $2 RETURNING secret",
        )
        .bind(user_id.as_str())
        .bind(now.0)
        .bind(key.as_str())
        .fetch_optional(&mut tx)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(Enrolment::Missing) };
        let secret: Vec<u8> = row.try_get("secret").map_err(store_error)?;
        // Setup never writes over an authenticator; a replacement never brings one back
        // after a 2FA reset.
        let sql = format!(
            "UPDATE users SET totp_secret = $1, totp_last_step = $2, totp_confirmed_at = $3 WHERE id = $4 AND {}",
            kind.has_secret()
        );
        let done = query(&sql)
            .bind(secret)
            .bind(step)
            .bind(now.0)
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if done.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(match kind {
                Kind::Setup => Enrolment::AuthenticatorExists,
                Kind::Replacement => Enrolment::NoAuthenticator,
            });
        }
        // Steps refused in advance belonged to the old secret.
        query("DELETE FROM totp_burnt_steps WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(Enrolment::Confirmed)
    }
}

#[async_trait]
impl Authenticators for Db {
    async fn put_enrolment(
        &self,
        user_id: &Id,
        sign_in: &Id,
        sealed_secret: &[u8],
        expires_at: Timestamp,
    ) -> StoreResult<bool> {
        self.put_secret(Kind::Setup, user_id, sign_in, sealed_secret, expires_at).await
    }

    async fn enrolment(&self, user_id: &Id, sign_in: &Id, now: Timestamp) -> StoreResult<Option<Vec<u8>>> {
        let row =
            query("SELECT secret FROM totp_enrolments WHERE user_id = $1 AND sign_in_id = $3 AND expires_at > $2")
                .bind(user_id.as_str())
                .bind(now.0)
                .bind(sign_in.as_str())
                .fetch_optional(self)
                .await
                .map_err(store_error)?;
        row.map(|r| r.try_get::<Vec<u8>, _>("secret")).transpose().map_err(store_error)
    }

    async fn confirm_enrolment(&self, user_id: &Id, sign_in: &Id, step: i64, now: Timestamp) -> StoreResult<Enrolment> {
        self.take_secret(Kind::Setup, user_id, sign_in, step, now).await
    }

    async fn put_replacement(
        &self,
        user_id: &Id,
        replacement: &Id,
        sealed_secret: &[u8],
        expires_at: Timestamp,
    ) -> StoreResult<bool> {
        self.put_secret(Kind::Replacement, user_id, replacement, sealed_secret, expires_at).await
    }

    async fn confirm_replacement(
        &self,
        user_id: &Id,
        replacement: &Id,
        step: i64,
        now: Timestamp,
    ) -> StoreResult<Enrolment> {
        self.take_secret(Kind::Replacement, user_id, replacement, step, now).await
    }

    async fn authenticator_facts(&self, user_id: &Id) -> StoreResult<Option<AuthenticatorFacts>> {
        let row = query(
            "SELECT totp_confirmed_at, totp_last_step FROM users \
             WHERE id = $1 AND totp_secret IS NOT NULL AND totp_confirmed_at IS NOT NULL",
        )
        .bind(user_id.as_str())
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let last_step: Option<i64> = row.try_get("totp_last_step").map_err(store_error)?;
        Ok(Some(AuthenticatorFacts {
            set_up_at: Timestamp(row.try_get("totp_confirmed_at").map_err(store_error)?),
            last_step: last_step.filter(|s| *s > 0),
        }))
    }

    async fn totp_secret(&self, user_id: &Id) -> StoreResult<Option<Vec<u8>>> {
        let row = query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(user_id.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        match row {
            Some(r) => r.try_get::<Option<Vec<u8>>, _>("totp_secret").map_err(store_error),
            None => Ok(None),
        }
    }

    async fn accept_totp_step(&self, user_id: &Id, step: i64) -> StoreResult<bool> {
        let done = query(
            "UPDATE users SET totp_last_step = $1 \
             WHERE id = $2 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1) \
               AND NOT EXISTS (SELECT 1 FROM totp_burnt_steps b WHERE b.user_id = $2 AND b.step = $1)",
        )
        .bind(step)
        .bind(user_id.as_str())
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn burn_totp_step(&self, user_id: &Id, step: i64) -> StoreResult<()> {
        query("INSERT INTO totp_burnt_steps (user_id, step) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user_id.as_str())
            .bind(step)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn remove_totp(&self, user_id: &Id) -> StoreResult<()> {
        query("UPDATE users SET totp_secret = NULL, totp_last_step = NULL, totp_confirmed_at = NULL WHERE id = $1")
            .bind(user_id.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }
}
