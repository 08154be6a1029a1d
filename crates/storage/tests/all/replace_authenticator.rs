//! Replacing an authenticator on SQLite and PostgreSQL: proof first (the current code or a
//! recovery code), the new secret takes over at confirmation and the old one's codes die then,
//! a replacement is confirmed once, and none survives a 2FA reset.

use crate::support::signin::{at_step, audits, owner, with_authenticator, STEP};
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::signin::recovery::issue;
use gatehouse_core::signin::replace::{confirm, secret, start, Proof};
use gatehouse_core::signin::{step_up, Client, SignInError};
use gatehouse_core::store::{Authenticators, RecoveryCodes};
use gatehouse_core::Id;
use gatehouse_storage::Db;

conformance!(
    the_old_code_works_until_confirmation_and_never_after,
    a_recovery_code_proves_it_for_someone_without_their_phone,
    no_proof_no_replacement,
    concurrent_confirmations_replace_once,
    a_replacement_is_only_its_own_and_dies_with_a_reset,
);

async fn the_old_code_works_until_confirmation_and_never_after(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let old = with_authenticator(db, &key, &user).await;
    let c = Client::default();

    let started = start(db, &key, &user, Proof::Code(&old.code_at_step(STEP)), &c, at_step(STEP)).await.unwrap();
    assert_eq!(started.recovery_codes_left, None);
    let shown = secret(db, &key, &user, &started.replacement, at_step(STEP)).await.unwrap().unwrap();
    assert_eq!(shown.as_bytes(), started.secret.as_bytes(), "a reload shows the same QR code");
    // Until confirmation the old app keeps working.
    step_up(db, &key, &user, &old.code_at_step(STEP + 1), &c, at_step(STEP + 1)).await.unwrap();

    let wrong =
        confirm(db, &key, &user, &started.replacement, &old.code_at_step(STEP + 2), &c, at_step(STEP + 2)).await;
    assert!(matches!(wrong, Err(SignInError::WrongCode)), "the old app's code does not confirm: {wrong:?}");
    let new = started.secret;
    confirm(db, &key, &user, &started.replacement, &new.code_at_step(STEP + 2), &c, at_step(STEP + 2)).await.unwrap();
    assert_eq!(audits(db, Some(&user), "totp.replaced", "").await, 1);

    let refused = step_up(db, &key, &user, &old.code_at_step(STEP + 3), &c, at_step(STEP + 3)).await;
    assert!(matches!(refused, Err(SignInError::WrongCode)), "{refused:?}");
    // The code that confirmed is used; the next one of the new app works.
    let replayed = step_up(db, &key, &user, &new.code_at_step(STEP + 2), &c, at_step(STEP + 2)).await;
    assert!(matches!(replayed, Err(SignInError::Replayed)), "{replayed:?}");
    step_up(db, &key, &user, &new.code_at_step(STEP + 4), &c, at_step(STEP + 4)).await.unwrap();
    let again =
        confirm(db, &key, &user, &started.replacement, &new.code_at_step(STEP + 5), &c, at_step(STEP + 5)).await;
    assert!(matches!(again, Err(SignInError::ReplacementExpired)), "{again:?}");
}

async fn a_recovery_code_proves_it_for_someone_without_their_phone(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    with_authenticator(db, &key, &user).await;
    let codes = issue(db, &key, &user, &Client::default(), at_step(STEP)).await.unwrap();
    let c = Client::default();
    let started = start(db, &key, &user, Proof::RecoveryCode(&codes[0]), &c, at_step(STEP)).await.unwrap();
    assert_eq!(started.recovery_codes_left, Some(9));
    let used = start(db, &key, &user, Proof::RecoveryCode(&codes[0]), &c, at_step(STEP)).await;
    assert!(
        matches!(used, Err(SignInError::WrongRecoveryCode)),
        "a recovery code proves it once: {:?}",
        used.map(|s| s.replacement)
    );
    let new = started.secret;
    confirm(db, &key, &user, &started.replacement, &new.code_at_step(STEP + 1), &c, at_step(STEP + 1)).await.unwrap();
    assert_eq!(db.recovery_codes_left(&user.id).await.unwrap(), 9);
}

async fn no_proof_no_replacement(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let old = with_authenticator(db, &key, &user).await;
    let c = Client::default();
    let wrong = if old.code_at_step(STEP) == "000000" { "111111" } else { "000000" };
    for (proof, refusal) in [
        (Proof::Code(wrong), "wrong code"),
        (Proof::Code("12345"), "malformed code"),
        (Proof::RecoveryCode("abcde-12345"), "wrong recovery code"),
    ] {
        let refused = start(db, &key, &user, proof, &c, at_step(STEP)).await;
        assert!(refused.is_err(), "{refusal}: {:?}", refused.map(|s| s.replacement));
    }
    step_up(db, &key, &user, &old.code_at_step(STEP + 1), &c, at_step(STEP + 1)).await.unwrap();
    // Someone with no authenticator (before setup, or after a reset) has nothing to replace.
    let newcomer = owner(db, "new@acme.example.com").await;
    let none = start(db, &key, &newcomer, Proof::Code(wrong), &c, at_step(STEP)).await;
    assert!(matches!(none, Err(SignInError::NoAuthenticator)), "{:?}", none.map(|s| s.replacement));
}

async fn concurrent_confirmations_replace_once(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let old = with_authenticator(db, &key, &user).await;
    let started =
        start(db, &key, &user, Proof::Code(&old.code_at_step(STEP)), &Client::default(), at_step(STEP)).await.unwrap();
    let code = started.secret.code_at_step(STEP + 1);
    let mut tries = Vec::new();
    for _ in 0..8 {
        let (db, key, user, id, code) =
            (db.clone(), key.clone(), user.clone(), started.replacement.clone(), code.clone());
        tries.push(tokio::spawn(async move {
            confirm(&db, &key, &user, &id, &code, &Client::default(), at_step(STEP + 1)).await
        }));
    }
    let mut results = Vec::new();
    for t in tries {
        results.push(t.await.unwrap());
    }
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{:?}", results.iter().map(|r| r.as_ref().err().map(ToString::to_string)).collect::<Vec<_>>());
    assert_eq!(audits(db, Some(&user), "totp.replaced", "").await, 1);
}

async fn a_replacement_is_only_its_own_and_dies_with_a_reset(db: &Db) {
    let key = SecretKey::generate();
    let alice = owner(db, "alice@acme.example.com").await;
    let bob = owner(db, "bob@acme.example.com").await;
    let alice_old = with_authenticator(db, &key, &alice).await;
    with_authenticator(db, &key, &bob).await;
    let c = Client::default();
    let started = start(db, &key, &alice, Proof::Code(&alice_old.code_at_step(STEP)), &c, at_step(STEP)).await.unwrap();
    let code = started.secret.code_at_step(STEP + 1);

    // Bob cannot confirm Alice's replacement, nor see it; a made-up key finds nothing.
    let bobs = confirm(db, &key, &bob, &started.replacement, &code, &c, at_step(STEP + 1)).await;
    assert!(matches!(bobs, Err(SignInError::ReplacementExpired)), "{bobs:?}");
    assert!(secret(db, &key, &bob, &started.replacement, at_step(STEP + 1)).await.unwrap().is_none());
    let made_up = confirm(db, &key, &alice, &Id::random(), &code, &c, at_step(STEP + 1)).await;
    assert!(matches!(made_up, Err(SignInError::ReplacementExpired)), "{made_up:?}");

    // Support resets Alice's 2FA meanwhile: the replacement must not bring an authenticator back.
    db.remove_totp(&alice.id).await.unwrap();
    let after_reset = confirm(db, &key, &alice, &started.replacement, &code, &c, at_step(STEP + 1)).await;
    assert!(matches!(after_reset, Err(SignInError::NoAuthenticator)), "{after_reset:?}");
    assert!(db.totp_secret(&alice.id).await.unwrap().is_none());
}
