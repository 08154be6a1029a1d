//! The server's side of the mail queue (`gatehouse_core::mail_queue`): the [`Mailer`] that
//! requests use, which only queues, and the sender each process runs. A process's own mail
//! wakes its sender at once; mail queued by other processes, and retries, are found by
//! looking every few seconds.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::mail::{Mail, MailError, Mailer};
use gatehouse_core::mail_queue::{deliver_next, enqueue, Delivery, Retry};
use gatehouse_core::Timestamp;
use gatehouse_storage::Db;
use tokio::sync::Notify;

const LOOK_EVERY: Duration = Duration::from_secs(5);

/// Queues mail for this process's sender.
pub struct Outgoing {
    db: Db,
    key: Arc<SecretKey>,
    wake: Arc<Notify>,
}

/// Sends what is queued, through the configured transport, until the process ends.
pub struct Sender {
    db: Db,
    key: Arc<SecretKey>,
    wake: Arc<Notify>,
    transport: Arc<dyn Mailer>,
    retry: Retry,
}

pub fn queue(db: Db, key: Arc<SecretKey>, transport: Arc<dyn Mailer>) -> (Outgoing, Sender) {
    let wake = Arc::new(Notify::new());
    let outgoing = Outgoing { db: db.clone(), key: key.clone(), wake: wake.clone() };
    (outgoing, Sender { db, key, wake, transport, retry: Retry::DEFAULT })
}

#[async_trait]
impl Mailer for Outgoing {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let to = mail.to.to_string();
        enqueue(&self.db, &self.key, mail, Timestamp::now())
            .await
            .map_err(|e| MailError { to, reason: format!("could not be queued: {e}") })?;
        self.wake.notify_one();
        Ok(())
    }
}

impl Sender {
    pub async fn run(self) {
        loop {
            match deliver_next(&self.db, &self.key, self.transport.as_ref(), &self.retry, Timestamp::now()).await {
                Ok(Delivery::Idle) => {
                    let _ = tokio::time::timeout(LOOK_EVERY, self.wake.notified()).await;
                }
                Ok(Delivery::Sent { .. }) => metrics::counter!("gatehouse_mail_sent_total").increment(1),
                Ok(Delivery::Retrying { at, error }) => {
                    metrics::counter!("gatehouse_mail_failures_total").increment(1);
                    tracing::warn!(%error, retry_at = at.0, "a mail could not be sent; it will be tried again");
                }
                Ok(Delivery::GaveUp { error }) => {
                    metrics::counter!("gatehouse_mail_given_up_total").increment(1);
                    tracing::error!(%error, "a mail could not be sent and was given up");
                }
                Ok(Delivery::LeaseLost) => tracing::warn!("a mail took longer to send than its lease"),
                Err(e) => {
                    tracing::warn!(error = %e, "the mail queue could not be read");
                    tokio::time::sleep(LOOK_EVERY).await;
                }
            }
        }
    }
}
