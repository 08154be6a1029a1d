//! Recovery codes on SQLite and PostgreSQL: a code signs in once, a new set replaces the old,
//! concurrent uses of one code let exactly one through, and the throttle counts wrong ones.

use crate::support::signin::{audits, owner, pending};
use crate::support::NOW;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::signin::recovery::{issue, step_up_with_recovery_code, verify_recovery_code};
use gatehouse_core::signin::{Client, SecondStep, SignInError};
use gatehouse_core::store::RecoveryCodes;
use gatehouse_storage::Db;

conformance!(
    a_recovery_code_signs_in_once_and_the_count_goes_down,
    a_new_set_replaces_the_old_one,
    concurrent_uses_of_one_recovery_code_let_exactly_one_through,
    codes_are_nobody_elses_and_only_for_the_code_step,
    a_recovery_code_confirms_a_step_up_once,
    wrong_recovery_codes_count_on_the_sign_in_throttle,
);

async fn a_recovery_code_signs_in_once_and_the_count_goes_down(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let codes = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(db.recovery_codes_left(&user.id).await.unwrap(), 10);
    assert_eq!(audits(db, Some(&user), "recovery.issued", "").await, 1);

    let p = pending(&user, SecondStep::Code);
    let typed = format!(" {} ", codes[3].to_uppercase());
    let (who, left) = verify_recovery_code(db, &key, &p, &typed, &Client::default(), NOW).await.unwrap();
    assert_eq!((who.id, left), (user.id.clone(), 9));
    assert_eq!(audits(db, Some(&user), "recovery.used", "9 left").await, 1);
    assert_eq!(audits(db, Some(&user), "signin.succeeded", "with password and recovery code").await, 1);

    let again = verify_recovery_code(db, &key, &p, &codes[3], &Client::default(), NOW).await;
    assert!(matches!(again, Err(SignInError::WrongRecoveryCode)), "{again:?}");
    let typo = verify_recovery_code(db, &key, &p, "abcde-1234", &Client::default(), NOW).await;
    assert!(matches!(typo, Err(SignInError::MalformedRecoveryCode)), "{typo:?}");
    let (_, left) = verify_recovery_code(db, &key, &p, &codes[9], &Client::default(), NOW).await.unwrap();
    assert_eq!(left, 8);
}

async fn a_new_set_replaces_the_old_one(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let old = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    let p = pending(&user, SecondStep::Code);
    verify_recovery_code(db, &key, &p, &old[0], &Client::default(), NOW).await.unwrap();
    let new = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    assert!(old.iter().all(|c| !new.contains(c)));
    assert_eq!(db.recovery_codes_left(&user.id).await.unwrap(), 10);
    let refused = verify_recovery_code(db, &key, &p, &old[1], &Client::default(), NOW).await;
    assert!(matches!(refused, Err(SignInError::WrongRecoveryCode)), "{refused:?}");
    verify_recovery_code(db, &key, &p, &new[1], &Client::default(), NOW).await.unwrap();
}

async fn concurrent_uses_of_one_recovery_code_let_exactly_one_through(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let codes = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    let mut tries = Vec::new();
    for _ in 0..8 {
        let (db, key, p, code) = (db.clone(), key.clone(), pending(&user, SecondStep::Code), codes[0].clone());
        tries.push(tokio::spawn(
            async move { verify_recovery_code(&db, &key, &p, &code, &Client::default(), NOW).await },
        ));
    }
    let mut results = Vec::new();
    for t in tries {
        results.push(t.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    // The others are refused as used, or held back by the throttle's reservation.
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(SignInError::WrongRecoveryCode | SignInError::Blocked(_)))),
        "{results:?}"
    );
    assert_eq!(db.recovery_codes_left(&user.id).await.unwrap(), 9);
    assert_eq!(audits(db, Some(&user), "signin.succeeded", "recovery code").await, 1);
}

async fn codes_are_nobody_elses_and_only_for_the_code_step(db: &Db) {
    let key = SecretKey::generate();
    let alice = owner(db, "alice@acme.example.com").await;
    let bob = owner(db, "bob@acme.example.com").await;
    let alices = issue(db, &key, &alice, &Client::default(), NOW).await.unwrap();
    let as_bob =
        verify_recovery_code(db, &key, &pending(&bob, SecondStep::Code), &alices[0], &Client::default(), NOW).await;
    assert!(matches!(as_bob, Err(SignInError::WrongRecoveryCode)), "{as_bob:?}");
    // A sign-in that asked for setup (no authenticator yet) cannot skip it with a code.
    let at_setup =
        verify_recovery_code(db, &key, &pending(&alice, SecondStep::Setup), &alices[0], &Client::default(), NOW).await;
    assert!(matches!(at_setup, Err(SignInError::SetUpFirst)), "{at_setup:?}");
    assert_eq!(db.recovery_codes_left(&alice.id).await.unwrap(), 10);
}

async fn a_recovery_code_confirms_a_step_up_once(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let codes = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    assert_eq!(step_up_with_recovery_code(db, &key, &user, &codes[2], &Client::default(), NOW).await.unwrap(), 9);
    assert_eq!(audits(db, Some(&user), "stepup.succeeded", "with a recovery code").await, 1);
    let again = step_up_with_recovery_code(db, &key, &user, &codes[2], &Client::default(), NOW).await;
    assert!(matches!(again, Err(SignInError::WrongRecoveryCode)), "{again:?}");
}

async fn wrong_recovery_codes_count_on_the_sign_in_throttle(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let codes = issue(db, &key, &user, &Client::default(), NOW).await.unwrap();
    let p = pending(&user, SecondStep::Code);
    let mut blocked = false;
    for n in 0..30 {
        match verify_recovery_code(db, &key, &p, &format!("zzzzz-{n:05}"), &Client::default(), NOW).await {
            Err(SignInError::WrongRecoveryCode) => {}
            Err(SignInError::Blocked(_)) => {
                blocked = true;
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(blocked, "guessing recovery codes is throttled");
    // While the wait lasts even a right code is refused, and stays unused.
    let right = verify_recovery_code(db, &key, &p, &codes[0], &Client::default(), NOW).await;
    assert!(matches!(right, Err(SignInError::Blocked(_))), "{right:?}");
    assert_eq!(db.recovery_codes_left(&user.id).await.unwrap(), 10);
    assert!(audits(db, Some(&user), "signin.failed", "recovery code").await >= 1);
}
