//! The sign-in rules against both databases: authenticators and replay, the sign-in
//! progression (a password alone never enrols an authenticator), reserved attempts under
//! concurrency, and the housekeeping several processes share.

#[macro_use]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::model::{Ceremony, CeremonyKind, SessionRecord, SsoFlow, User};
use gatehouse_core::password::Verdict;
use gatehouse_core::signin::{self, Client, FirstStep, PasswordWork, PendingSignIn, SecondStep, SignInError};
use gatehouse_core::store::{
    AuditLog, Authenticators, Enrolment, Maintenance, Passkeys, Reservation, SessionRecords, Sso, Throttles,
};
use gatehouse_core::totp::{TotpSecret, STEP_SECS};
use gatehouse_core::{admin, Id, Timestamp};
use gatehouse_storage::Db;
use support::{sid, NOW};

conformance!(
    an_enrolment_becomes_the_authenticator_once_and_never_over_another,
    a_totp_step_is_accepted_once_and_only_forwards,
    concurrent_uses_of_one_code_let_exactly_one_through,
    attempts_are_reserved_atomically_and_failures_start_waits,
    concurrent_right_attempts_start_no_wait,
    three_hundred_concurrent_wrong_passwords_evaluate_five,
    three_hundred_concurrent_wrong_codes_check_five,
    two_sign_ins_racing_with_one_code_let_exactly_one_in,
    a_password_alone_never_sets_up_an_authenticator_for_someone_who_has_one,
    the_pending_step_is_the_only_step_and_it_expires,
    a_code_of_a_step_to_come_is_refused_plainly_and_never_works_later,
    a_code_from_a_clock_behind_gets_the_hint,
    a_completed_sign_in_forgives_this_address_but_not_the_attackers,
    password_failures_never_touch_passkey_counters,
    a_hundred_guesses_cool_down_strangers_but_not_the_persons_own_browser,
    over_long_user_names_are_refused_before_any_work,
    a_periodic_task_is_claimed_by_one_process_per_period,
    expired_state_is_purged_and_live_state_kept,
);

const STEP: u64 = NOW.0 as u64 / STEP_SECS;

fn at_step(step: u64) -> Timestamp {
    Timestamp((step * STEP_SECS) as i64 + 5)
}

fn client(ip: &str) -> Client {
    Client::new(ip.parse().unwrap())
}

async fn owner(db: &Db, email: &str) -> User {
    let issued = admin::create_account(db, &format!("Acme {email}"), email, NOW).await.unwrap();
    use gatehouse_core::store::Invitations;
    db.accept_invitation(&issued.token.hash(), "$argon2id$stored", NOW).await.unwrap().unwrap();
    User { has_password: true, ..issued.user }
}

/// Gives the user an authenticator confirmed long ago (step 1), so every current code is free.
async fn with_authenticator(db: &Db, key: &SecretKey, user: &User) -> TotpSecret {
    let secret = TotpSecret::generate();
    let sealed = key.seal(secret.as_bytes(), user.id.as_str().as_bytes());
    assert!(db.put_enrolment(&user.id, &sid(), &sealed, NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 1, NOW).await.unwrap(), Enrolment::Confirmed);
    secret
}

fn pending(user: &User, second: SecondStep) -> PendingSignIn {
    PendingSignIn { id: sid(), user_id: user.id.clone(), first: FirstStep::Password, second, since: NOW }
}

async fn audits(db: &Db, user: Option<&User>, kind: &str, detail: &str) -> usize {
    db.recent(user.map(|u| &u.id), 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == kind && e.detail.contains(detail))
        .count()
}

/// Counts how many passwords were actually checked; only "right" is right.
#[derive(Default)]
struct CountingHasher(AtomicUsize);

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

async fn an_enrolment_becomes_the_authenticator_once_and_never_over_another(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    assert_eq!(db.enrolment(&user.id, &sid(), NOW).await.unwrap(), None);
    assert!(db.put_enrolment(&user.id, &sid(), b"first", NOW.plus_secs(600)).await.unwrap());
    assert!(db.put_enrolment(&user.id, &sid(), b"second", NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.enrolment(&user.id, &sid(), NOW).await.unwrap().as_deref(), Some(&b"second"[..]));
    assert_eq!(db.enrolment(&user.id, &sid(), NOW.plus_secs(600)).await.unwrap(), None, "expired");
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 7, NOW.plus_secs(600)).await.unwrap(), Enrolment::Missing);

    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 7, NOW).await.unwrap(), Enrolment::Confirmed);
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 8, NOW).await.unwrap(), Enrolment::Missing, "single use");
    assert_eq!(db.totp_secret(&user.id).await.unwrap().as_deref(), Some(&b"second"[..]));
    assert!(!db.accept_totp_step(&user.id, 7).await.unwrap(), "the confirming step counts as used");

    // With an authenticator, no new setup starts, and one slipped in beside it never wins.
    assert!(!db.put_enrolment(&user.id, &sid(), b"attacker", NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.enrolment(&user.id, &sid(), NOW).await.unwrap(), None);
    db.execute_raw(&format!(
        "INSERT INTO totp_enrolments (user_id, sign_in_id, secret, expires_at) VALUES ('{}', '{}', {}, {})",
        user.id,
        sid(),
        if db.backend() == gatehouse_storage::Backend::Sqlite { "X'00'" } else { "'\\x00'::bytea" },
        NOW.0 + 600
    ))
    .await
    .unwrap();
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 9, NOW).await.unwrap(), Enrolment::AuthenticatorExists);
    assert_eq!(db.totp_secret(&user.id).await.unwrap().as_deref(), Some(&b"second"[..]), "unchanged");

    db.remove_totp(&user.id).await.unwrap();
    assert_eq!(db.totp_secret(&user.id).await.unwrap(), None);
    assert!(!db.accept_totp_step(&user.id, 100).await.unwrap(), "no authenticator, no code accepted");
}

async fn a_totp_step_is_accepted_once_and_only_forwards(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    assert!(db.put_enrolment(&user.id, &sid(), b"secret", NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 10, NOW).await.unwrap(), Enrolment::Confirmed);
    assert!(db.accept_totp_step(&user.id, 12).await.unwrap());
    assert!(!db.accept_totp_step(&user.id, 12).await.unwrap(), "replay");
    assert!(!db.accept_totp_step(&user.id, 11).await.unwrap(), "an older step after a newer one");
    db.burn_totp_step(&user.id, 14).await.unwrap();
    db.burn_totp_step(&user.id, 14).await.unwrap();
    assert!(!db.accept_totp_step(&user.id, 14).await.unwrap(), "a burnt step");
    assert!(db.accept_totp_step(&user.id, 13).await.unwrap(), "only that step");
    assert!(db.accept_totp_step(&user.id, 15).await.unwrap());
}

async fn concurrent_uses_of_one_code_let_exactly_one_through(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    assert!(db.put_enrolment(&user.id, &sid(), b"secret", NOW.plus_secs(600)).await.unwrap());
    assert_eq!(db.confirm_enrolment(&user.id, &sid(), 10, NOW).await.unwrap(), Enrolment::Confirmed);
    for step in 11..16 {
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (db, id) = (db.clone(), user.id.clone());
                tokio::spawn(async move { db.accept_totp_step(&id, step).await.unwrap() })
            })
            .collect();
        let mut accepted = 0;
        for t in tasks {
            accepted += t.await.unwrap() as usize;
        }
        assert_eq!(accepted, 1, "step {step}");
    }
}

async fn reserve_at(db: &Db, key: &'static str, at: Timestamp) -> Reservation {
    db.reserve_attempt(key, 5, at, at.plus_secs(-86_400), at.plus_secs(-60)).await.unwrap()
}

async fn attempts_are_reserved_atomically_and_failures_start_waits(db: &Db) {
    let key = "pair:ada@example.com|192.0.2.1";
    let ladder = [(100, 3600), (6, 2), (5, 1)];
    let tasks: Vec<_> = (0..300)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { reserve_at(&db, key, NOW).await })
        })
        .collect();
    let mut granted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Reservation::Granted => granted += 1,
            Reservation::Refused { wait_secs } => assert_eq!(wait_secs, 1),
        }
    }
    assert_eq!(granted, 5, "as many checked at once as attempts are free");

    // Three of them fail, two were right: no wait yet, and two attempts left.
    for _ in 0..3 {
        db.record_failure(key, &ladder, NOW).await.unwrap();
    }
    db.release_attempt(key).await.unwrap();
    db.release_attempt(key).await.unwrap();
    let row = db.throttle(key).await.unwrap().unwrap();
    assert_eq!((row.failures, row.pending, row.blocked_until.0 <= NOW.0), (3, 0, true));
    assert_eq!(reserve_at(db, key, NOW).await, Reservation::Granted);
    assert_eq!(reserve_at(db, key, NOW).await, Reservation::Granted);
    assert_eq!(reserve_at(db, key, NOW).await, Reservation::Refused { wait_secs: 1 });
    db.record_failure(key, &ladder, NOW).await.unwrap();
    let fifth = db.record_failure(key, &ladder, NOW).await.unwrap();
    assert_eq!((fifth.failures, fifth.blocked_until), (5, NOW.plus_secs(1)), "the fifth failure starts the first wait");
    // Whole seconds: a wait lasts through its last second.
    assert_eq!(reserve_at(db, key, NOW).await, Reservation::Refused { wait_secs: 2 });
    assert_eq!(reserve_at(db, key, NOW.plus_secs(1)).await, Reservation::Refused { wait_secs: 1 });

    // After each wait, one attempt at a time.
    let later = NOW.plus_secs(2);
    assert_eq!(reserve_at(db, key, later).await, Reservation::Granted);
    assert_eq!(reserve_at(db, key, later).await, Reservation::Refused { wait_secs: 1 });
    let sixth = db.record_failure(key, &ladder, later).await.unwrap();
    assert_eq!((sixth.failures, sixth.blocked_until), (6, later.plus_secs(2)));

    // An attempt never settled (its process died) stops counting after a minute.
    let much_later = later.plus_secs(3);
    assert_eq!(reserve_at(db, key, much_later).await, Reservation::Granted);
    assert_eq!(reserve_at(db, key, much_later).await, Reservation::Refused { wait_secs: 1 });
    assert_eq!(reserve_at(db, key, much_later.plus_secs(61)).await, Reservation::Granted);

    let next_day = NOW.plus_secs(2 * 86_400);
    assert_eq!(reserve_at(db, key, next_day).await, Reservation::Granted, "old failures are forgotten");
    assert_eq!(db.throttle(key).await.unwrap().unwrap().failures, 0);
    db.clear_throttle(key).await.unwrap();
    assert_eq!(db.throttle(key).await.unwrap(), None);
}

async fn concurrent_right_attempts_start_no_wait(db: &Db) {
    let user = owner(db, "busy@acme.example.com").await;
    let hasher = Arc::new(CountingHasher::default());
    for _round in 0..3 {
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let (db, hasher) = (db.clone(), hasher.clone());
                tokio::spawn(async move {
                    signin::password_step(&db, &*hasher, "busy@acme.example.com", "right", &client("198.51.100.1"), NOW)
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().id, user.id);
        }
    }
    let row = db.throttle("pair:busy@acme.example.com|198.51.100.1").await.unwrap().unwrap();
    assert_eq!((row.failures, row.pending, row.blocked_until.0 <= NOW.0), (0, 0, true));
}

async fn three_hundred_concurrent_wrong_passwords_evaluate_five(db: &Db) {
    let user = owner(db, "victim@acme.example.com").await;
    let hasher = Arc::new(CountingHasher::default());
    let tasks: Vec<_> = (0..300)
        .map(|i| {
            let (db, hasher) = (db.clone(), hasher.clone());
            tokio::spawn(async move {
                signin::password_step(
                    &db,
                    &*hasher,
                    "victim@acme.example.com",
                    &format!("guess {i}"),
                    &client("198.51.100.1"),
                    NOW,
                )
                .await
            })
        })
        .collect();
    let (mut wrong, mut blocked) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Err(SignInError::BadCredentials) => wrong += 1,
            Err(SignInError::Blocked(_)) => blocked += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(hasher.0.load(Ordering::SeqCst), 5, "passwords checked");
    assert_eq!((wrong, blocked), (5, 295));
    assert_eq!(audits(db, Some(&user), "signin.failed", "password step").await, 5);
    assert_eq!(audits(db, Some(&user), "signin.throttled", "").await, 1, "one entry for the wait, not 295");
}

async fn three_hundred_concurrent_wrong_codes_check_five(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "victim@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let right = secret.code_at_step(STEP);
    let wrong = if right == "000000" { "000001" } else { "000000" };
    let tasks: Vec<_> = (0..300)
        .map(|_| {
            let (db, key, p) = (db.clone(), key.clone(), pending(&user, SecondStep::Code));
            tokio::spawn(async move { signin::verify_code(&db, &key, &p, wrong, &client("198.51.100.1"), NOW).await })
        })
        .collect();
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Err(SignInError::WrongCode) => {}
            Err(SignInError::Blocked(_)) => refused += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(refused, 295);
    assert_eq!(audits(db, Some(&user), "signin.failed", "code step").await, 5, "codes checked");
}

async fn two_sign_ins_racing_with_one_code_let_exactly_one_in(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let code = secret.code_at_step(STEP);
    let attempt = |db: Db, key: SecretKey, p: PendingSignIn, code: String| {
        tokio::spawn(async move { signin::verify_code(&db, &key, &p, &code, &Client::default(), NOW).await })
    };
    let a = attempt(db.clone(), key.clone(), pending(&user, SecondStep::Code), code.clone());
    let b = attempt(db.clone(), key.clone(), pending(&user, SecondStep::Code), code.clone());
    let results = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(SignInError::Replayed))), "{results:?}");
    assert_eq!(audits(db, Some(&user), "totp.replay_refused", "").await, 1);
    assert_eq!(audits(db, Some(&user), "signin.succeeded", "with password and code").await, 1);
}

async fn a_password_alone_never_sets_up_an_authenticator_for_someone_who_has_one(db: &Db) {
    let key = SecretKey::generate();
    let victim = owner(db, "victim@acme.example.com").await;
    let secret = with_authenticator(db, &key, &victim).await;
    let stored = db.totp_secret(&victim.id).await.unwrap();

    // The attack: the password step, then setup. The core grants the code step only.
    let granted = signin::after_first_step(db, &victim, FirstStep::Password, NOW).await.unwrap();
    assert_eq!(granted.second, SecondStep::Code);
    assert!(matches!(signin::setup_secret(db, &key, &granted, NOW).await, Err(SignInError::HasAuthenticator)));
    let attacker = TotpSecret::generate();
    let attempt =
        signin::confirm_setup(db, &key, &granted, &attacker.code_at_step(STEP), &Client::default(), NOW).await;
    assert!(matches!(attempt, Err(SignInError::HasAuthenticator)), "{attempt:?}");
    // Even a forged "setup" grant finds the authenticator and changes nothing.
    let forged = pending(&victim, SecondStep::Setup);
    assert!(matches!(signin::setup_secret(db, &key, &forged, NOW).await, Err(SignInError::HasAuthenticator)));
    assert_eq!(db.enrolment(&victim.id, &sid(), NOW).await.unwrap(), None);
    assert_eq!(db.totp_secret(&victim.id).await.unwrap(), stored, "the authenticator is unchanged");
    signin::verify_code(db, &key, &granted, &secret.code_at_step(STEP), &Client::default(), NOW)
        .await
        .expect("the victim's own code still works");

    // A provider alone never enrols an authenticator for someone with a password.
    let new = owner(db, "new@acme.example.com").await;
    let after_sso = signin::after_first_step(db, &new, FirstStep::Sso { provider: "Acme ID".into() }, NOW).await;
    assert!(matches!(after_sso, Err(SignInError::SetUpAfterPassword)), "{after_sso:?}");
    let after_password = signin::after_first_step(db, &new, FirstStep::Password, NOW).await.unwrap();
    assert_eq!(after_password.second, SecondStep::Setup);
    let invited = User { has_password: false, ..new.clone() };
    let sso_invited = signin::after_first_step(db, &invited, FirstStep::Sso { provider: "Acme ID".into() }, NOW);
    assert_eq!(sso_invited.await.unwrap().second, SecondStep::Setup, "SSO is an invited person's only first step");
}

async fn the_pending_step_is_the_only_step_and_it_expires(db: &Db) {
    let key = SecretKey::generate();
    let new = owner(db, "new@acme.example.com").await;
    let setup = pending(&new, SecondStep::Setup);
    let any_code = TotpSecret::generate().code_at_step(STEP);
    let code_instead = signin::verify_code(db, &key, &setup, &any_code, &Client::default(), NOW).await;
    assert!(matches!(code_instead, Err(SignInError::SetUpFirst)), "{code_instead:?}");

    let (_, shown) = signin::setup_secret(db, &key, &setup, NOW).await.unwrap();
    let (_, again) = signin::setup_secret(db, &key, &setup, NOW.plus_secs(60)).await.unwrap();
    assert_eq!(shown, again, "a reload shows the same QR code");
    // Someone else with the password, in a sign-in of their own, never sees that secret; theirs
    // replaces it, and the person's confirmation fails visibly instead of sharing a secret.
    let elsewhere = PendingSignIn { id: Id::random(), ..setup.clone() };
    let (_, theirs) = signin::setup_secret(db, &key, &elsewhere, NOW).await.unwrap();
    assert_ne!(theirs, shown);
    let late = signin::confirm_setup(db, &key, &setup, &shown.code_at_step(STEP), &Client::default(), NOW).await;
    assert!(matches!(late, Err(SignInError::EnrolmentExpired)), "{late:?}");
    let (_, shown) = signin::setup_secret(db, &key, &setup, NOW).await.unwrap();
    assert_ne!(shown, theirs, "scanning again gives this sign-in a secret of its own");
    let late = NOW.plus_secs(30 * 60);
    let expired = signin::confirm_setup(db, &key, &setup, &shown.code_at_step(STEP), &Client::default(), late).await;
    assert!(matches!(expired, Err(SignInError::Expired)), "{expired:?}");
    signin::confirm_setup(db, &key, &setup, &shown.code_at_step(STEP), &Client::default(), NOW).await.unwrap();
    assert!(db.totp_secret(&new.id).await.unwrap().is_some());

    let code = PendingSignIn { since: NOW.plus_secs(-600), ..pending(&new, SecondStep::Code) };
    let stale = signin::verify_code(db, &key, &code, &shown.code_at_step(STEP + 1), &Client::default(), NOW).await;
    assert!(matches!(stale, Err(SignInError::Expired)), "ten minutes after the password: {stale:?}");
}

async fn a_code_of_a_step_to_come_is_refused_plainly_and_never_works_later(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let c = client("198.51.100.1");
    let early = secret.code_at_step(STEP + 3);
    let p = |at| PendingSignIn { since: at, ..pending(&user, SecondStep::Code) };
    let now = at_step(STEP);
    let told = signin::verify_code(db, &key, &p(now), &early, &c, now).await;
    assert!(matches!(told, Err(SignInError::WrongCode)), "no hint that it will be right later: {told:?}");
    let then = at_step(STEP + 3);
    let later = signin::verify_code(db, &key, &p(then), &early, &c, then).await;
    assert!(later.is_err(), "its time came, and it is still refused: {later:?}");
    let next = at_step(STEP + 4);
    signin::verify_code(db, &key, &p(next), &secret.code_at_step(STEP + 4), &c, next)
        .await
        .expect("only that step was refused in advance");
}

async fn a_code_from_a_clock_behind_gets_the_hint(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let now = at_step(STEP);
    let behind = secret.code_at_step(STEP - 6);
    let told = signin::verify_code(db, &key, &pending(&user, SecondStep::Code), &behind, &Client::default(), now).await;
    assert!(matches!(told, Err(SignInError::ClockOff(-3))), "{told:?}");
    assert!(told.unwrap_err().to_string().contains("off by about 3 minutes"));
}

async fn a_completed_sign_in_forgives_this_address_but_not_the_attackers(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "victim@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let hasher = CountingHasher::default();
    for i in 0..3 {
        let guess = format!("guess {i}");
        let _ =
            signin::password_step(db, &hasher, "victim@acme.example.com", &guess, &client("203.0.113.66"), NOW).await;
    }
    let _ = signin::password_step(db, &hasher, "victim@acme.example.com", "typo", &client("198.51.100.1"), NOW).await;
    let signed = signin::verify_code(
        db,
        &key,
        &pending(&user, SecondStep::Code),
        &secret.code_at_step(STEP),
        &client("198.51.100.1"),
        NOW,
    )
    .await;
    signed.unwrap();
    let count = |k: &'static str| async move { db.throttle(k).await.unwrap().map(|r| r.failures) };
    assert_eq!(count("pair:victim@acme.example.com|203.0.113.66").await, Some(3), "the attacker's stays");
    assert_eq!(count("pair:victim@acme.example.com|198.51.100.1").await, None);
    assert_eq!(count("account:victim@acme.example.com").await, None);
    assert_eq!(count("code:victim@acme.example.com").await, None);
    assert_eq!(count("address:203.0.113.66").await, Some(3), "an address's count is not a person's");
}

async fn password_failures_never_touch_passkey_counters(db: &Db) {
    owner(db, "victim@acme.example.com").await;
    let hasher = CountingHasher::default();
    for i in 0..40 {
        let at = NOW.plus_secs(i * 1000);
        let _ =
            signin::password_step(db, &hasher, "victim@acme.example.com", "guess", &client("203.0.113.66"), at).await;
    }
    let keys = gatehouse_core::throttle::passkey_keys(Some("203.0.113.66"));
    assert_eq!(keys.len(), 1);
    assert_eq!(db.throttle(&keys[0].name).await.unwrap(), None);
    assert_eq!(db.throttle("account:victim@acme.example.com").await.unwrap().unwrap().failures, 40);
}

async fn over_long_user_names_are_refused_before_any_work(db: &Db) {
    let hasher = CountingHasher::default();
    let name = format!("{}@example.com", "a".repeat(250));
    let result = signin::password_step(db, &hasher, &name, "guess", &client("203.0.113.66"), NOW).await;
    assert!(matches!(result, Err(SignInError::UserNameTooLong)), "{result:?}");
    assert_eq!(hasher.0.load(Ordering::SeqCst), 0);
    assert_eq!(db.throttle("address:203.0.113.66").await.unwrap(), None);
    assert!(db.recent(None, 10).await.unwrap().is_empty());
}

async fn a_periodic_task_is_claimed_by_one_process_per_period(db: &Db) {
    let claims = |at: Timestamp| {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { db.claim_task("purge", at, 600).await.unwrap() })
            })
            .collect();
        async move {
            let mut won = 0;
            for t in tasks {
                won += t.await.unwrap() as usize;
            }
            won
        }
    };
    assert_eq!(claims(NOW).await, 1);
    assert_eq!(claims(NOW.plus_secs(599)).await, 0);
    assert_eq!(claims(NOW.plus_secs(600)).await, 1);
    assert!(db.claim_task("other", NOW, 600).await.unwrap(), "tasks are claimed apart");
}

async fn expired_state_is_purged_and_live_state_kept(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    let forget = NOW.plus_secs(-86_400);
    let ladder = [(1, 10)];
    db.record_failure("old", &ladder, forget.plus_secs(-5)).await.unwrap();
    db.record_failure("recent", &ladder, NOW.plus_secs(-5)).await.unwrap();
    // Failures long ago, but an hour's cool-down still running: kept.
    db.record_failure("cooling", &[(1, 90_000)], forget.plus_secs(-5)).await.unwrap();
    let browser = gatehouse_core::known_browsers::remember(db, None, &user, forget.plus_secs(-90 * 86_400)).await;
    let kept = gatehouse_core::known_browsers::remember(db, None, &user, NOW).await.unwrap();
    browser.unwrap();
    for (id, expires) in [("c-old", NOW), ("c-live", NOW.plus_secs(60))] {
        let c = Ceremony {
            id: Id::from_stored(id.into()),
            kind: CeremonyKind::SignIn,
            user_id: None,
            state: "{}".into(),
            expires_at: expires,
        };
        db.put_ceremony(&c, NOW.plus_secs(-3600)).await.unwrap();
        let f = SsoFlow {
            id: Id::from_stored(format!("f-{id}")),
            provider_id: "acme".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            expires_at: expires,
        };
        db.put_sso_flow(&f, NOW.plus_secs(-3600)).await.unwrap();
        let s = SessionRecord { id: format!("s-{id}"), user_id: None, data: b"{}".to_vec(), expires_at: expires };
        db.create_session(&s).await.unwrap();
    }
    assert!(db.put_enrolment(&user.id, &sid(), b"secret", NOW).await.unwrap());
    db.burn_totp_step(&user.id, 10).await.unwrap();
    db.burn_totp_step(&user.id, 20).await.unwrap();

    let purged = db.purge_expired(NOW, forget, 15).await.unwrap();
    assert_eq!(
        (
            purged.throttles,
            purged.ceremonies,
            purged.sso_flows,
            purged.enrolments,
            purged.sessions,
            purged.burnt_steps,
            purged.known_browsers
        ),
        (1, 1, 1, 1, 1, 1, 1)
    );
    assert!(db.throttle("recent").await.unwrap().is_some() && db.throttle("old").await.unwrap().is_none());
    assert!(db.throttle("cooling").await.unwrap().is_some(), "a running wait outlives the day");
    assert!(gatehouse_core::known_browsers::is_known(db, Some(kept.reveal()), &user.id, NOW).await.unwrap());
    assert!(db.take_ceremony("c-live").await.unwrap().is_some());
    assert!(db.take_sso_flow("f-c-live").await.unwrap().is_some());
    assert!(db.load_session("s-c-live", NOW).await.unwrap().is_some());
    assert_eq!(db.purge_expired(NOW, forget, 15).await.unwrap().total(), 0, "a second purge finds nothing");
}

async fn a_hundred_guesses_cool_down_strangers_but_not_the_persons_own_browser(db: &Db) {
    use gatehouse_core::known_browsers;
    let user = owner(db, "victim@acme.example.com").await;
    let someone = owner(db, "someone@acme.example.com").await;
    let own = known_browsers::remember(db, None, &user, NOW).await.unwrap();
    let theirs = known_browsers::remember(db, None, &someone, NOW).await.unwrap();
    let hasher = CountingHasher::default();
    // A slow attack from many addresses: no per-address wait holds it up, and the account's
    // own waits (a minute at most) are waited out.
    for i in 0..100 {
        let from = client(&format!("203.0.113.{}", i % 250 + 1));
        let result =
            signin::password_step(db, &hasher, "victim@acme.example.com", "guess", &from, NOW.plus_secs(i * 62)).await;
        assert!(matches!(result, Err(SignInError::BadCredentials)), "guess {i}: {result:?}");
    }
    let after = NOW.plus_secs(100 * 62);
    let stranger = client("198.51.100.1");
    let refused = signin::password_step(db, &hasher, "victim@acme.example.com", "right", &stranger, after).await;
    assert!(matches!(refused, Err(SignInError::Blocked(b)) if b.wait_secs > 3000), "{refused:?}");
    let elsewhere = stranger.clone().with_browser(Some(theirs.reveal().to_owned()));
    let refused = signin::password_step(db, &hasher, "victim@acme.example.com", "right", &elsewhere, after).await;
    assert!(matches!(refused, Err(SignInError::Blocked(_))), "someone else's browser is a stranger here: {refused:?}");

    let mine = stranger.with_browser(Some(own.reveal().to_owned()));
    let me = signin::password_step(db, &hasher, "victim@acme.example.com", "right", &mine, after).await.unwrap();
    assert_eq!(me.id, user.id, "the person's own browser gets in");
    assert_eq!(known_browsers::remember(db, Some(own.reveal()), &user, after).await.unwrap(), own, "kept and renewed");
    let gone = after.plus_secs(known_browsers::KNOWN_FOR_SECS + 1);
    assert!(!known_browsers::is_known(db, Some(own.reveal()), &user.id, gone).await.unwrap(), "forgotten in time");
}
