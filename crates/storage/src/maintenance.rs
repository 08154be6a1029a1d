use async_trait::async_trait;
use gatehouse_core::store::{Maintenance, Purged, StoreResult};
use gatehouse_core::Timestamp;

use crate::error::store_error;
use crate::sql::query;
use crate::Db;

impl Db {
    async fn delete_where(&self, sql: &str, a: i64, b: Option<i64>) -> StoreResult<u64> {
        let mut query = query(sql).bind(a);
        if let Some(b) = b {
            query = query.bind(b);
        }
        Ok(query.execute(self).await.map_err(store_error)?.rows_affected())
    }
}

#[async_trait]
impl Maintenance for Db {
    async fn claim_task(&self, name: &str, now: Timestamp, every_secs: i64) -> StoreResult<bool> {
        // The first claim creates the row; later ones move it only when due. Either way the
        // winner is whoever's statement changed the row, which the database serialises.
        let done = query(
            "INSERT INTO task_leases (name, next_run_at) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at \
             WHERE task_leases.next_run_at <= $3",
        )
        .bind(name)
        .bind(now.plus_secs(every_secs).0)
        .bind(now.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn purge_expired(&self, now: Timestamp, forget_before: Timestamp, step: i64) -> StoreResult<Purged> {
        let n = now.0;
        Ok(Purged {
            throttles: self
                .delete_where(
                    "DELETE FROM throttle WHERE last_failure_at < $1 AND last_attempt_at < $1 AND blocked_until <= $2",
                    forget_before.0,
                    Some(n),
                )
                .await?,
            ceremonies: self.delete_where("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1", n, None).await?,
            sso_flows: self.delete_where("DELETE FROM sso_flows WHERE expires_at <= $1", n, None).await?,
            enrolments: self.delete_where("DELETE FROM totp_enrolments WHERE expires_at <= $1", n, None).await?,
            sessions: self.purge_sessions(now).await?,
            burnt_steps: self.delete_where("DELETE FROM totp_burnt_steps WHERE step < $1", step, None).await?,
            known_browsers: self.delete_where("DELETE FROM known_browsers WHERE expires_at <= $1", n, None).await?,
            given_up_mails: self
                .delete_where(
                    "DELETE FROM mail_queue WHERE gave_up_at <= $1",
                    now.plus_secs(-gatehouse_core::mail_queue::KEEP_GIVEN_UP_SECS).0,
                    None,
                )
                .await?,
            password_resets: self.delete_where("DELETE FROM password_resets WHERE expires_at <= $1", n, None).await?,
            unconfirmed_requests: self.purge_unconfirmed_requests(now).await?,
            setup_links: self.delete_where("DELETE FROM setup_links WHERE expires_at <= $1", n, None).await?,
            oidc: self.delete_where("DELETE FROM oidc_requests WHERE expires_at <= $1", n, None).await?
                + self.delete_where("DELETE FROM oidc_codes WHERE expires_at <= $1", n, None).await?
                + self.delete_where("DELETE FROM oidc_access_tokens WHERE expires_at <= $1", n, None).await?
                + self
                    .delete_where(
                        "DELETE FROM oidc_logouts WHERE gave_up_at <= $1",
                        now.plus_secs(-gatehouse_core::mail_queue::KEEP_GIVEN_UP_SECS).0,
                        None,
                    )
                    .await?
                + self
                    .delete_where(
                        "DELETE FROM oidc_grants WHERE first_at <= $1",
                        now.plus_secs(-gatehouse_core::oidc::GRANT_KEPT_SECS).0,
                        None,
                    )
                    .await?,
        })
    }
}
