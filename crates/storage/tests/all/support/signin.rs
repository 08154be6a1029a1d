//! What the sign-in and throttle suites share: people with and without authenticators, and
//! a password checker that counts its calls.

use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::model::User;
use gatehouse_core::password::Verdict;
use gatehouse_core::signin::{Client, FirstStep, PasswordWork, PendingSignIn, SecondStep};
use gatehouse_core::store::{AuditLog, Authenticators, Enrolment, Invitations};
use gatehouse_core::totp::{TotpSecret, STEP_SECS};
use gatehouse_core::{admin, Timestamp};
use gatehouse_storage::Db;

use super::{sid, NOW};

pub const STEP: u64 = NOW.0 as u64 / STEP_SECS;

pub fn at_step(step: u64) -> Timestamp {
    Timestamp((step * STEP_SECS) as i64 + 5)
}

pub fn client(ip: &str) -> Client {
    Client::new(ip.parse().unwrap())
}

pub async fn owner(db: &Db, email: &str) -> User {
    let issued = admin::create_account(db, &format!("Acme {email}"), email, NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$stored", NOW).await.unwrap().unwrap();
    User { has_password: true, ..issued.user }
}

/// Gives the user an authenticator confirmed long ago (step 1), so every current code is free.
pub async fn with_authenticator(db: &Db, key: &SecretKey, user: &User) -> TotpSecret {
    let secret = TotpSecret::generate();
    let sealed = key.seal(secret.as_bytes(), user.id.as_str().as_bytes());
    assert!(db.put_enrolment(&user.id, &sid(), &sealed, NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 1, NOW).await.unwrap(), Enrolment::Confirmed);
    secret
}

pub fn pending(user: &User, second: SecondStep) -> PendingSignIn {
    PendingSignIn { id: sid(), user_id: user.id.clone(), first: FirstStep::Password, second, since: NOW }
}

pub async fn audits(db: &Db, user: Option<&User>, kind: &str, detail: &str) -> usize {
    db.recent(user.map(|u| &u.id), 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == kind && e.detail.contains(detail))
        .count()
}

/// Counts how many passwords were actually checked; only "right" is right.
#[derive(Default)]
pub struct CountingHasher(pub AtomicUsize);

#[async_trait]
impl PasswordWork for CountingHasher {
    async fn verify(&self, password: String, phc: Option<String>) -> Verdict {
        self.0.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        if phc.is_some() && password == "right" {
            Verdict::Correct { rehash: false }
        } else {
            Verdict::Wrong
        }
    }
    async fn hash(&self, _: String) -> String {
        "$argon2id$stored".into()
    }
}
