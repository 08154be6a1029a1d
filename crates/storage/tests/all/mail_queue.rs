//! The outgoing mail queue on SQLite and PostgreSQL: claims and leases, retries, giving up,
//! and each mail sent exactly once when two server processes (two connection pools on one
//! database, as two processes have) send from the same queue at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::support::NOW;
use async_trait::async_trait;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::mail::{Mail, MailError, Mailer};
use gatehouse_core::mail_queue::{deliver_next, enqueue, Delivery, Retry, KEEP_GIVEN_UP_SECS, LEASE_SECS};
use gatehouse_core::store::{MailQueue, Maintenance};
use gatehouse_core::{Email, Timestamp};
use gatehouse_storage::Db;

conformance!(
    a_mail_is_claimed_by_one_sender_until_its_lease_runs_out,
    failures_are_retried_later_then_given_up_and_purged
);

fn mail(n: usize) -> Mail {
    Mail {
        to: Email::parse(&format!("person{n}@example.com")).unwrap(),
        subject: format!("mail {n}"),
        text: format!("text {n}: https://gatehouse.example/reset?token=secret{n}"),
        html: format!("<p>html {n}</p>"),
    }
}

/// A transport that records what it sent and fails each mail's first `fail_first` attempts.
#[derive(Default)]
struct Recorder {
    fail_first: usize,
    attempts: Mutex<HashMap<String, usize>>,
    sent: Mutex<Vec<Mail>>,
    /// The queue's id of each attempt, by subject.
    ids: Mutex<HashMap<String, Vec<String>>>,
}

#[async_trait]
impl Mailer for Recorder {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let attempt = {
            let mut attempts = self.attempts.lock().unwrap();
            let n = attempts.entry(mail.subject.clone()).or_default();
            *n += 1;
            *n
        };
        // Give the other senders a chance to run while this one "talks to the server".
        tokio::task::yield_now().await;
        if attempt <= self.fail_first {
            return Err(MailError { to: mail.to.to_string(), reason: "421 try again later".into() });
        }
        self.sent.lock().unwrap().push(mail);
        Ok(())
    }

    async fn send_queued(&self, id: &str, mail: Mail) -> Result<(), MailError> {
        self.ids.lock().unwrap().entry(mail.subject.clone()).or_default().push(id.to_owned());
        self.send(mail).await
    }
}

async fn a_mail_is_claimed_by_one_sender_until_its_lease_runs_out(db: &Db) {
    let key = SecretKey::generate();
    let first = enqueue(db, &key, mail(1), NOW).await.unwrap();
    let second = enqueue(db, &key, mail(2), NOW.plus_secs(1)).await.unwrap();
    assert_eq!(db.mail_queue_counts().await.unwrap(), (2, 0));
    assert!(db.claim_mail("early", NOW.plus_secs(-1), NOW.plus_secs(60)).await.unwrap().is_none(), "not due yet");

    let a = db.claim_mail("a", NOW.plus_secs(2), NOW.plus_secs(2 + LEASE_SECS)).await.unwrap().unwrap();
    assert_eq!((a.id.clone(), a.attempts), (first.clone(), 1), "the oldest first");
    assert_ne!(a.sealed, mail(1).text.into_bytes(), "stored sealed");
    let b = db.claim_mail("b", NOW.plus_secs(2), NOW.plus_secs(2 + LEASE_SECS)).await.unwrap().unwrap();
    assert_eq!(b.id, second);
    assert!(db.claim_mail("c", NOW.plus_secs(3), NOW.plus_secs(3 + LEASE_SECS)).await.unwrap().is_none());

    // Sender a dies; once its lease has run out, c takes the mail over, and a's late answer
    // changes nothing.
    let later = NOW.plus_secs(2 + LEASE_SECS);
    let c = db.claim_mail("c", later, later.plus_secs(LEASE_SECS)).await.unwrap().unwrap();
    assert_eq!((c.id.clone(), c.attempts), (first.clone(), 2));
    assert!(!db.mail_sent(&first, "a").await.unwrap());
    assert!(!db.mail_failed(&first, "a", "late", None, later).await.unwrap());
    assert!(db.mail_sent(&first, "c").await.unwrap());
    assert!(db.mail_sent(&second, "b").await.unwrap());
    assert!(!db.mail_sent(&second, "b").await.unwrap(), "deleted once sent");
    assert_eq!(db.mail_queue_counts().await.unwrap(), (0, 0));
}

async fn failures_are_retried_later_then_given_up_and_purged(db: &Db) {
    let key = SecretKey::generate();
    let transport = Recorder { fail_first: usize::MAX, ..Default::default() };
    let retry = Retry { first_delay_secs: 10, longest_delay_secs: 15, attempts: 3 };
    let id = enqueue(db, &key, mail(1), NOW).await.unwrap();

    let now = NOW;
    let Delivery::Retrying { at, error } = deliver_next(db, &key, &transport, &retry, now).await.unwrap() else {
        panic!("retried")
    };
    assert_eq!(at, now.plus_secs(10));
    assert!(error.contains("421 try again later"), "{error}");
    assert_eq!(deliver_next(db, &key, &transport, &retry, now.plus_secs(9)).await.unwrap(), Delivery::Idle);
    let Delivery::Retrying { at, .. } = deliver_next(db, &key, &transport, &retry, at).await.unwrap() else {
        panic!("retried again")
    };
    assert_eq!(at, now.plus_secs(25), "the second wait is longer, up to the longest");
    assert!(matches!(deliver_next(db, &key, &transport, &retry, at).await.unwrap(), Delivery::GaveUp { .. }));
    assert_eq!(deliver_next(db, &key, &transport, &retry, at.plus_secs(3600)).await.unwrap(), Delivery::Idle);
    assert_eq!(db.mail_queue_counts().await.unwrap(), (0, 1));
    assert_eq!(transport.attempts.lock().unwrap()["mail 1"], 3);
    // Each attempt names the mail alike (its Message-ID), so a repeat can be recognised.
    assert_eq!(transport.ids.lock().unwrap()["mail 1"], vec![id.as_str().to_owned(); 3]);

    // A mail sealed with another key (the operator changed it) cannot be read: given up.
    enqueue(db, &SecretKey::generate(), mail(2), at).await.unwrap();
    assert!(matches!(deliver_next(db, &key, &transport, &retry, at).await.unwrap(), Delivery::GaveUp { .. }));
    assert_eq!(transport.attempts.lock().unwrap().get("mail 2"), None, "never sent garbled");

    let purged = db.purge_expired(at.plus_secs(KEEP_GIVEN_UP_SECS - 1), NOW, 0).await.unwrap();
    assert_eq!(purged.given_up_mails, 0);
    let purged = db.purge_expired(at.plus_secs(KEEP_GIVEN_UP_SECS), NOW, 0).await.unwrap();
    assert_eq!(purged.given_up_mails, 2);
    assert_eq!(db.mail_queue_counts().await.unwrap(), (0, 0));
}

/// Two "processes", two senders each, 60 mails whose first attempt fails: every mail is
/// sent exactly once.
async fn two_processes_send_each_mail_exactly_once(one: Db, two: Db) {
    const MAILS: usize = 60;
    let key = Arc::new(SecretKey::generate());
    for n in 0..MAILS {
        let db = if n % 2 == 0 { &one } else { &two };
        enqueue(db, &key, mail(n), Timestamp::now()).await.unwrap();
    }
    let transport = Arc::new(Recorder { fail_first: 1, ..Default::default() });
    let retry = Retry { first_delay_secs: 0, longest_delay_secs: 0, attempts: 3 };
    let mut senders = Vec::new();
    for db in [one.clone(), two.clone(), one.clone(), two.clone()] {
        let (key, transport) = (key.clone(), transport.clone());
        senders.push(tokio::spawn(async move {
            let mut idle_rounds = 0;
            while idle_rounds < 3 {
                match deliver_next(&db, &key, transport.as_ref(), &retry, Timestamp::now()).await.unwrap() {
                    Delivery::Idle => {
                        idle_rounds += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Delivery::Sent { .. } | Delivery::Retrying { .. } => idle_rounds = 0,
                    other => panic!("{other:?}"),
                }
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    assert_eq!(one.mail_queue_counts().await.unwrap(), (0, 0));
    let sent = transport.sent.lock().unwrap();
    let mut subjects: Vec<_> = sent.iter().map(|m| m.subject.clone()).collect();
    subjects.sort();
    let mut expected: Vec<_> = (0..MAILS).map(|n| format!("mail {n}")).collect();
    expected.sort();
    assert_eq!(subjects, expected, "each mail sent exactly once");
    assert!(sent.iter().all(|m| m.text.contains(&m.subject.replace("mail ", "token=secret"))), "contents intact");
    let attempts = transport.attempts.lock().unwrap();
    assert!(attempts.values().all(|&n| n == 2), "one failure, one retry each: {attempts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_send_each_mail_exactly_once_on_sqlite() {
    let (one, dir) = crate::support::sqlite_db().await;
    let two = Db::open(&format!("sqlite://{}/nested/gatehouse.db", dir.path().display())).await.unwrap();
    two_processes_send_each_mail_exactly_once(one, two).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_send_each_mail_exactly_once_on_postgres() {
    let Some(url) = crate::support::postgres_url().await else { return };
    let one = Db::open(&url).await.unwrap();
    let two = Db::open(&url).await.unwrap();
    two_processes_send_each_mail_exactly_once(one, two).await;
}
