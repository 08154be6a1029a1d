//! Mail leaves through a queue in the database, so that a request never waits for the mail
//! server nor fails with it, and so that several server processes share the sending safely.
//!
//! Each mail is claimed by one process at a time with a lease (a process that dies mid-send
//! lets the lease run out and another sends it), deleted once sent, retried with growing
//! delays when the transport fails, and given up after about a day. Queued mail is sealed
//! with the secret key: it may carry a single-use link, and the database holds no such link
//! in the clear anywhere else.

use serde::{Deserialize, Serialize};

use crate::crypto::SecretKey;
use crate::mail::{Mail, Mailer};
use crate::store::{MailQueue, StoreResult};
use crate::{Email, Id, Timestamp};

/// How long a process may take to send a claimed mail before another may try it: well past
/// the SMTP transport's own timeouts (a minute), so a slow send is not sent twice.
pub const LEASE_SECS: i64 = 5 * 60;

/// Given-up mail is kept this long for the operator to look into, then purged.
pub const KEEP_GIVEN_UP_SECS: i64 = 30 * 24 * 60 * 60;

/// When a failed mail is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// The wait after the first failure; each further failure waits four times longer.
    pub first_delay_secs: i64,
    pub longest_delay_secs: i64,
    /// Attempts in all, the first included.
    pub attempts: i64,
}

impl Retry {
    /// 30 s, 2 min, 8 min, 32 min, about 2 h, then 6 h: the last of 8 attempts is about
    /// 21 hours after the first, time enough for a mail server to come back.
    pub const DEFAULT: Retry = Retry { first_delay_secs: 30, longest_delay_secs: 6 * 60 * 60, attempts: 8 };

    /// The wait after `attempts` failed attempts, or `None` when that was the last one.
    pub fn delay_after(&self, attempts: i64) -> Option<i64> {
        if attempts >= self.attempts {
            return None;
        }
        let growth = 4i64.saturating_pow(attempts.saturating_sub(1).clamp(0, 30) as u32);
        Some(self.first_delay_secs.saturating_mul(growth).min(self.longest_delay_secs))
    }
}

/// A mail a process has claimed: its lease is `claim`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: Id,
    pub claim: String,
    pub sealed: Vec<u8>,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// What one round of [`deliver_next`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Nothing was due.
    Idle,
    Sent {
        to: Email,
    },
    /// The transport failed; the mail waits until then.
    Retrying {
        at: Timestamp,
        error: String,
    },
    /// The transport failed for the last time, or the mail cannot be read (the secret key
    /// changed): it stays in the queue, given up, for the operator to see.
    GaveUp {
        error: String,
    },
    /// The lease ran out while sending and another process took the mail over.
    LeaseLost,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    to: Email,
    subject: String,
    text: String,
    html: String,
}

fn context(id: &Id) -> Vec<u8> {
    format!("mail:{id}").into_bytes()
}

/// Puts a mail in the queue; a process's sender picks it up.
pub async fn enqueue<S: MailQueue + ?Sized>(store: &S, key: &SecretKey, mail: Mail, now: Timestamp) -> StoreResult<Id> {
    let id = Id::random();
    let Mail { to, subject, text, html } = mail;
    let json = serde_json::to_vec(&Sealed { to, subject, text, html }).expect("a mail serialises");
    store.enqueue_mail(&id, &key.seal(&json, &context(&id)), now).await?;
    Ok(id)
}

/// Claims the mail due longest ago, sends it through `transport`, and records the outcome.
pub async fn deliver_next<S, M>(
    store: &S,
    key: &SecretKey,
    transport: &M,
    retry: &Retry,
    now: Timestamp,
) -> StoreResult<Delivery>
where
    S: MailQueue + ?Sized,
    M: Mailer + ?Sized,
{
    let claim = Id::random().as_str().to_owned();
    let Some(claimed) = store.claim_mail(&claim, now, now.plus_secs(LEASE_SECS)).await? else {
        return Ok(Delivery::Idle);
    };
    let opened = key
        .open(&claimed.sealed, &context(&claimed.id))
        .ok()
        .and_then(|json| serde_json::from_slice::<Sealed>(&json).ok());
    let Some(Sealed { to, subject, text, html }) = opened else {
        let error = "the queued mail cannot be read with this secret key".to_owned();
        store.mail_failed(&claimed.id, &claim, &error, None, now).await?;
        return Ok(Delivery::GaveUp { error });
    };
    let outcome = transport.send_queued(claimed.id.as_str(), Mail { to: to.clone(), subject, text, html }).await;
    let (kept, delivery) = match outcome {
        Ok(()) => (store.mail_sent(&claimed.id, &claim).await?, Delivery::Sent { to }),
        Err(e) => {
            let error = e.to_string();
            match retry.delay_after(claimed.attempts) {
                Some(delay) => {
                    let at = now.plus_secs(delay);
                    (
                        store.mail_failed(&claimed.id, &claim, &error, Some(at), now).await?,
                        Delivery::Retrying { at, error },
                    )
                }
                None => (store.mail_failed(&claimed.id, &claim, &error, None, now).await?, Delivery::GaveUp { error }),
            }
        }
    };
    Ok(if kept { delivery } else { Delivery::LeaseLost })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_a_limit_and_then_stop() {
        let r = Retry::DEFAULT;
        let waits: Vec<_> = (1..=8).map(|n| r.delay_after(n)).collect();
        assert_eq!(waits, vec![Some(30), Some(120), Some(480), Some(1920), Some(7680), Some(21600), Some(21600), None]);
        assert!(waits.iter().flatten().sum::<i64>() > 12 * 3600, "a mail server down overnight still gets the mail");
        assert_eq!(Retry { attempts: 1, ..r }.delay_after(1), None);
        assert_eq!(r.delay_after(i64::MAX - 1), None);
        assert_eq!(Retry { attempts: i64::MAX, ..r }.delay_after(1_000), Some(21600));
    }
}
