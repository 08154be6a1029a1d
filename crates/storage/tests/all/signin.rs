//! The sign-in rules against both databases: authenticators and replay, and the sign-in
//! progression (a password alone never enrols an authenticator). Throttling and housekeeping
//! are in `throttle.rs`.

use crate::support::signin::{at_step, audits, client, owner, pending, with_authenticator, STEP};
use crate::support::{sid, NOW};
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::model::User;
use gatehouse_core::signin::{self, setup_link, Client, FirstStep, Mailbox, PendingSignIn, SecondStep, SignInError};
use gatehouse_core::store::{Authenticators, Enrolment, SetupLinks};
use gatehouse_core::token::Token;
use gatehouse_core::totp::TotpSecret;
use gatehouse_core::Id;
use gatehouse_storage::Db;

conformance!(
    an_enrolment_becomes_the_authenticator_once_and_never_over_another,
    a_totp_step_is_accepted_once_and_only_forwards,
    concurrent_uses_of_one_code_let_exactly_one_through,
    two_sign_ins_racing_with_one_code_let_exactly_one_in,
    a_password_alone_never_sets_up_an_authenticator_for_someone_who_has_one,
    setup_takes_the_password_and_the_mailbox_and_a_link_works_once,
    the_pending_step_is_the_only_step_and_it_expires,
    a_code_of_a_step_to_come_is_refused_plainly_and_never_works_later,
    a_code_from_a_clock_behind_gets_the_hint,
);

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
    let granted = signin::after_first_step(db, &victim, FirstStep::Password, Mailbox::Unproved, NOW).await.unwrap();
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

    // A provider alone never enrols an authenticator for someone with a password, even with
    // the mailbox proved.
    let new = owner(db, "new@acme.example.com").await;
    let sso = || FirstStep::Sso { provider: "Acme ID".into() };
    let after_sso = signin::after_first_step(db, &new, sso(), Mailbox::Invitation, NOW).await;
    assert!(matches!(after_sso, Err(SignInError::SetUpAfterPassword)), "{after_sso:?}");
    let after_password =
        signin::after_first_step(db, &new, FirstStep::Password, Mailbox::Invitation, NOW).await.unwrap();
    assert_eq!(after_password.second, SecondStep::Setup);
    let invited = User { has_password: false, ..new.clone() };
    let sso_invited = signin::after_first_step(db, &invited, sso(), Mailbox::Invitation, NOW);
    assert_eq!(sso_invited.await.unwrap().second, SecondStep::Setup, "SSO is an invited person's only first step");
}

const SIGN_IN: setup_link::Because = setup_link::Because::SignIn;

async fn setup_takes_the_password_and_the_mailbox_and_a_link_works_once(db: &Db) {
    let person = owner(db, "reset@acme.example.com").await;
    let other = owner(db, "other@acme.example.com").await;
    let c = client("198.51.100.9");
    // The password alone: no setup, whoever knows it.
    let alone = signin::after_first_step(db, &person, FirstStep::Password, Mailbox::Unproved, NOW).await;
    assert!(matches!(alone, Err(SignInError::SetupNeedsMailbox)), "{alone:?}");
    assert!(alone.unwrap_err().wants_setup_link());

    let link = setup_link::issue(db, &person, SIGN_IN, &c, NOW).await.unwrap().expect("a first link");
    assert!(setup_link::issue(db, &person, SIGN_IN, &c, NOW.plus_secs(30)).await.unwrap().is_none(), "one a minute");
    // Someone else's password with this person's link: nothing, and the link stays.
    let hash = link.hash();
    let theirs = signin::after_first_step(db, &other, FirstStep::Password, Mailbox::SetupLink(&hash), NOW).await;
    assert!(matches!(theirs, Err(SignInError::SetupLinkInvalid)));
    let made_up = Token::generate().hash();
    let forged = signin::after_first_step(db, &person, FirstStep::Password, Mailbox::SetupLink(&made_up), NOW);
    assert!(matches!(forged.await, Err(SignInError::SetupLinkInvalid)));

    let granted = signin::after_first_step(db, &person, FirstStep::Password, Mailbox::SetupLink(&hash), NOW).await;
    assert_eq!(granted.unwrap().second, SecondStep::Setup);
    let again = signin::after_first_step(db, &person, FirstStep::Password, Mailbox::SetupLink(&hash), NOW).await;
    assert!(matches!(again, Err(SignInError::SetupLinkInvalid)), "single use");

    // A newer link leaves the older working (whoever has the password may have new ones mailed,
    // and must not end the person's); using one ends the others; an expired one works no more.
    let later = NOW.plus_secs(120);
    let first = setup_link::issue(db, &person, SIGN_IN, &c, later).await.unwrap().unwrap();
    let second = setup_link::issue(db, &person, SIGN_IN, &c, later.plus_secs(61)).await.unwrap().unwrap();
    let reset = setup_link::issue(db, &person, setup_link::Because::Reset, &c, later.plus_secs(62)).await.unwrap();
    assert!(reset.is_some(), "an approved reset always mails one, whatever the gap");
    assert!(db.use_setup_link(&person.id, &first.hash(), later.plus_secs(62)).await.unwrap(), "still works");
    assert!(!db.use_setup_link(&person.id, &second.hash(), later.plus_secs(62)).await.unwrap(), "used up with it");
    let second = setup_link::issue(db, &person, SIGN_IN, &c, later.plus_secs(200)).await.unwrap().unwrap();
    let expired = later.plus_secs(200 + setup_link::SETUP_LINK_TTL_SECS);
    assert!(!db.use_setup_link(&person.id, &second.hash(), expired).await.unwrap(), "expired");
    // Someone with an authenticator is asked for its code whatever the link: it is not spent.
    let third = setup_link::issue(db, &person, SIGN_IN, &c, expired).await.unwrap().unwrap();
    let key = SecretKey::generate();
    with_authenticator(db, &key, &person).await;
    let hash = third.hash();
    let code = signin::after_first_step(db, &person, FirstStep::Password, Mailbox::SetupLink(&hash), expired).await;
    assert_eq!(code.unwrap().second, SecondStep::Code);
    assert!(db.use_setup_link(&person.id, &third.hash(), expired).await.unwrap());
    assert_eq!(audits(db, Some(&person), "totp.setup_link_sent", "").await, 6);
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
