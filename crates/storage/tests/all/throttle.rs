//! Throttling against both databases: reserved attempts under concurrency, what a completed
//! sign-in forgives, lockout abuse and known browsers; and the housekeeping that several
//! processes share.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::support::signin::{audits, client, owner, pending, with_authenticator, CountingHasher, STEP};
use crate::support::{sid, NOW};
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::model::{Ceremony, CeremonyKind, SessionRecord, SsoFlow};
use gatehouse_core::signin::{self, SecondStep, SignInError};
use gatehouse_core::store::{
    AuditLog, Authenticators, Maintenance, Passkeys, Reservation, SessionRecords, Sso, Throttles,
};
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;

conformance!(
    attempts_are_reserved_atomically_and_failures_start_waits,
    concurrent_right_attempts_start_no_wait,
    three_hundred_concurrent_wrong_passwords_evaluate_five,
    three_hundred_concurrent_wrong_codes_check_five,
    a_completed_sign_in_forgives_this_address_but_not_the_attackers,
    password_failures_never_touch_passkey_counters,
    a_hundred_guesses_cool_down_strangers_but_not_the_persons_own_browser,
    over_long_user_names_are_refused_before_any_work,
    a_periodic_task_is_claimed_by_one_process_per_period,
    expired_state_is_purged_and_live_state_kept,
);

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
    reserve_at(db, "another", next_day).await;
    reserve_at(db, "a third", next_day).await;
    db.clear_throttles(&[key, "another"]).await.unwrap();
    assert_eq!(db.throttle(key).await.unwrap(), None);
    assert_eq!(db.throttle("another").await.unwrap(), None);
    assert!(db.throttle("a third").await.unwrap().is_some(), "only the keys named");
    db.clear_throttles(&[]).await.unwrap();
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
    let kept = gatehouse_core::known_browsers::remember(db, None, &user, NOW).await.unwrap().token;
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
            setup_link: None,
            invitation: None,
        };
        db.put_sso_flow(&f, NOW.plus_secs(-3600)).await.unwrap();
        let s = SessionRecord {
            id: format!("s-{id}"),
            user_id: None,
            data: b"{}".to_vec(),
            expires_at: expires,
            last_seen_at: NOW,
            facts: None,
            generation: None,
        };
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
    let own = known_browsers::remember(db, None, &user, NOW).await.unwrap().token;
    let theirs = known_browsers::remember(db, None, &someone, NOW).await.unwrap().token;
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
    let again = known_browsers::remember(db, Some(own.reveal()), &user, after).await.unwrap();
    assert!(again.was_known && again.token == own, "kept and renewed: {again:?}");
    let other = known_browsers::remember(db, Some(theirs.reveal()), &user, after).await.unwrap();
    assert!(!other.was_known && other.token != theirs, "someone else's browser gets a token of its own");
    let gone = after.plus_secs(known_browsers::KNOWN_FOR_SECS + 1);
    assert!(!known_browsers::is_known(db, Some(own.reveal()), &user.id, gone).await.unwrap(), "forgotten in time");
}
