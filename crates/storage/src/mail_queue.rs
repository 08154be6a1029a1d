use async_trait::async_trait;
use gatehouse_core::mail_queue::ClaimedMail;
use gatehouse_core::store::{MailQueue, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::query;
use crate::{Backend, Db};

#[async_trait]
impl MailQueue for Db {
    async fn enqueue_mail(&self, id: &Id, sealed: &[u8], now: Timestamp) -> StoreResult<()> {
        query("INSERT INTO mail_queue (id, sealed, enqueued_at, next_attempt_at) VALUES ($1, $2, $3, $3)")
            .bind(id.as_str())
            .bind(sealed.to_vec())
            .bind(now.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn claim_mail(
        &self,
        claim: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<Option<ClaimedMail>> {
        // One statement, so the database serialises claimers: the outer condition is checked
        // again on the row as it is when written (PostgreSQL re-reads a row another
        // transaction changed meanwhile; SQLite has one writer at a time), so a mail that
        // another process claimed first is not taken. On PostgreSQL, SKIP LOCKED lets
        // concurrent senders pick different mails instead of queueing on the same one.
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE mail_queue SET claim = $1, attempts = attempts + 1, next_attempt_at = $2 \
             WHERE id = (SELECT id FROM mail_queue WHERE gave_up_at IS NULL AND next_attempt_at <= $3 \
                         ORDER BY next_attempt_at, enqueued_at LIMIT 1{lock}) \
               AND gave_up_at IS NULL AND next_attempt_at <= $3 \
             RETURNING id, sealed, attempts"
        );
        let row =
            query(&sql).bind(claim).bind(lease_until.0).bind(now.0).fetch_optional(self).await.map_err(store_error)?;
        row.map(|row| {
            Ok(ClaimedMail {
                id: Id::from_stored(row.try_get("id")?),
                claim: claim.to_owned(),
                sealed: row.try_get("sealed")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .transpose()
        .map_err(store_error)
    }

    async fn mail_sent(&self, id: &Id, claim: &str) -> StoreResult<bool> {
        let done = query("DELETE FROM mail_queue WHERE id = $1 AND claim = $2")
            .bind(id.as_str())
            .bind(claim)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn mail_failed(
        &self,
        id: &Id,
        claim: &str,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = query(
            "UPDATE mail_queue SET claim = NULL, last_error = $3, next_attempt_at = $4, gave_up_at = $5 \
             WHERE id = $1 AND claim = $2",
        )
        .bind(id.as_str())
        .bind(claim)
        .bind(error)
        .bind(retry_at.unwrap_or(now).0)
        .bind(if retry_at.is_some() { None } else { Some(now.0) })
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn mail_queue_counts(&self) -> StoreResult<(u64, u64)> {
        let count = |sql: &'static str| async move {
            let row = query(sql).fetch_one(self).await.map_err(store_error)?;
            let n: i64 = row.try_get("n").map_err(store_error)?;
            StoreResult::Ok(n as u64)
        };
        Ok((
            count("SELECT COUNT(*) AS n FROM mail_queue WHERE gave_up_at IS NULL").await?,
            count("SELECT COUNT(*) AS n FROM mail_queue WHERE gave_up_at IS NOT NULL").await?,
        ))
    }
}
