//! Changing and resetting passwords on SQLite and PostgreSQL: a change needs the current
//! password and then a code; a reset link works once (also under concurrency, and using one
//! ends the others), expires after an hour, goes only to someone who has a password, and no
//! stranger asking can keep a person from holding a working one.

use crate::support::signin::{at_step, audits, owner, with_authenticator, CountingHasher, STEP};
use crate::support::NOW;
use gatehouse_core::admin;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::signin::password_change::{change_password, PasswordChange};
use gatehouse_core::signin::reset::{
    self, ResetError, QUICK_RESETS_PER_DAY, RESET_GAP_SECS, RESET_TTL_SECS, SLOW_RESET_GAP_SECS,
};
use gatehouse_core::signin::{step_up, Client, NewPassword, SignInError};
use gatehouse_core::store::{Authenticators, Directory, Maintenance};
use gatehouse_core::Id;
use gatehouse_storage::Db;

conformance!(
    a_change_needs_the_current_password_then_a_code,
    a_reset_link_works_once_ends_the_others_when_used_and_expires,
    concurrent_uses_of_a_reset_link_let_one_through,
    links_go_only_to_people_with_a_password,
    no_stranger_keeps_a_person_from_holding_a_working_link,
);

const NEW: &str = "copper violin estuary thimble";

fn new_password() -> NewPassword<'static> {
    NewPassword { password: NEW, confirmation: NEW }
}

async fn a_change_needs_the_current_password_then_a_code(db: &Db) {
    let key = SecretKey::generate();
    let user = owner(db, "owner@acme.example.com").await;
    let secret = with_authenticator(db, &key, &user).await;
    let (hasher, c, now) = (CountingHasher::default(), Client::default(), at_step(STEP));
    let change = |current, code| PasswordChange { current, new: new_password(), code, context: &["Gatehouse"] };
    let code = secret.code_at_step(STEP);

    let wrong = change_password(db, &hasher, &key, &user, change("wrong", &code), &c, now).await;
    assert!(matches!(wrong, Err(SignInError::WrongCurrentPassword)), "{wrong:?}");
    let weak =
        PasswordChange { new: NewPassword { password: "short", confirmation: "short" }, ..change("right", &code) };
    let weak = change_password(db, &hasher, &key, &user, weak, &c, now).await;
    assert!(matches!(weak, Err(SignInError::Rejected(_))), "{weak:?}");
    let no_code = change_password(db, &hasher, &key, &user, change("right", "000000x"), &c, now).await;
    assert!(matches!(no_code, Err(SignInError::MalformedCode)), "{no_code:?}");
    assert_eq!(audits(db, Some(&user), "password.changed", "").await, 0);
    // A reset link mailed before the change (to someone who may have read the mail)...
    let (_, link) = reset::request(db, user.email.as_str(), &c, now).await.unwrap().unwrap();

    change_password(db, &hasher, &key, &user, change("right", &code), &c, now).await.unwrap();
    assert_eq!(audits(db, Some(&user), "password.changed", "").await, 1);
    // ...sets no other password afterwards.
    let moot = reset::link_user(db, link.reveal(), now).await;
    assert!(matches!(moot, Err(ResetError::Invalid)), "a change ends older reset links: {moot:?}");
    // The code went with the change: it cannot step up afterwards.
    let replayed = step_up(db, &key, &user, &code, &c, now).await;
    assert!(matches!(replayed, Err(SignInError::Replayed)), "{replayed:?}");
}

async fn a_reset_link_works_once_ends_the_others_when_used_and_expires(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    with_authenticator(db, &SecretKey::generate(), &user).await;
    let c = Client::default();
    let (_, first) = reset::request(db, " OWNER@acme.example.com ", &c, NOW).await.unwrap().unwrap();
    assert_eq!(reset::link_user(db, first.reveal(), NOW).await.unwrap().id, user.id);
    assert!(reset::request(db, user.email.as_str(), &c, NOW.plus_secs(RESET_GAP_SECS - 1)).await.unwrap().is_none());

    let later = NOW.plus_secs(RESET_GAP_SECS + 1);
    let (_, second) = reset::request(db, user.email.as_str(), &c, later).await.unwrap().unwrap();
    let older = reset::link_user(db, first.reveal(), later).await;
    assert!(older.is_ok(), "a newer link leaves the older working (a stranger may have asked): {older:?}");
    let expired = reset::link_user(db, second.reveal(), later.plus_secs(RESET_TTL_SECS)).await;
    assert!(matches!(expired, Err(ResetError::Invalid)), "{expired:?}");

    let hasher = CountingHasher::default();
    let weak = NewPassword { password: "password1234", confirmation: "password1234" };
    let sign_in = Id::random();
    let refused = reset::claim(db, &hasher, second.reveal(), weak, &[], &sign_in, later).await;
    assert!(matches!(refused, Err(ResetError::Rejected(_))), "{refused:?}");
    db.set_password_hash(&user.id, "$argon2id$before").await.unwrap();
    let before = db.password_hash(&user.id).await.unwrap();
    let who = reset::claim(db, &hasher, second.reveal(), new_password(), &[], &sign_in, later).await.unwrap();
    assert_eq!(who.id, user.id);
    // Kept, not set: the mailbox alone sets no password.
    assert_eq!(db.password_hash(&user.id).await.unwrap(), before, "nothing set before the second factor");
    assert!(!reset::apply(db, &user, &Id::random(), &c, later).await.unwrap(), "only for the sign-in that chose it");
    assert!(reset::apply(db, &user, &sign_in, &c, later).await.unwrap());
    assert_ne!(db.password_hash(&user.id).await.unwrap(), before, "set after it");
    assert_eq!(audits(db, Some(&user), "password.reset", "").await, 1);
    assert!(!reset::apply(db, &user, &sign_in, &c, later).await.unwrap(), "once");
    let again = reset::claim(db, &hasher, second.reveal(), new_password(), &[], &sign_in, later).await;
    assert!(matches!(again, Err(ResetError::Invalid)), "a link works once: {again:?}");
    let other = reset::link_user(db, first.reveal(), later).await;
    assert!(matches!(other, Err(ResetError::Invalid)), "using one ends the others: {other:?}");

    // Expired links are purged by the housekeeping task.
    let (_, third) =
        reset::request(db, user.email.as_str(), &c, later.plus_secs(RESET_GAP_SECS)).await.unwrap().unwrap();
    let gone = later.plus_secs(RESET_GAP_SECS + RESET_TTL_SECS);
    assert_eq!(db.purge_expired(gone, gone, 0).await.unwrap().password_resets, 1);
    assert!(matches!(reset::link_user(db, third.reveal(), later).await, Err(ResetError::Invalid)));
}

async fn concurrent_uses_of_a_reset_link_let_one_through(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    with_authenticator(db, &SecretKey::generate(), &user).await;
    let (_, token) = reset::request(db, "owner@acme.example.com", &Client::default(), NOW).await.unwrap().unwrap();
    // Eight sign-ins claim the link; the last claim holds it; their second factors then race.
    let mut sign_ins = Vec::new();
    for _ in 0..8 {
        let sign_in = Id::random();
        reset::claim(db, &CountingHasher::default(), token.reveal(), new_password(), &[], &sign_in, NOW).await.unwrap();
        sign_ins.push(sign_in);
    }
    let mut tries = Vec::new();
    for sign_in in sign_ins {
        let (db, user) = (db.clone(), user.clone());
        tries.push(tokio::spawn(async move { reset::apply(&db, &user, &sign_in, &Client::default(), NOW).await }));
    }
    let mut ok = 0;
    for t in tries {
        ok += t.await.unwrap().unwrap() as usize;
    }
    assert_eq!(ok, 1);
}

async fn links_go_only_to_people_with_a_password(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    let c = Client::default();
    for typed in ["nobody@acme.example.com", "not an address", ""] {
        assert!(reset::request(db, typed, &c, NOW).await.unwrap().is_none(), "{typed}");
    }
    // Invited, no password chosen yet: the invitation is the way in.
    let account = db.account_by_id(user.account_id.as_ref().unwrap()).await.unwrap().unwrap();
    admin::invite(db, &account.name, "invited@acme.example.com", gatehouse_core::Role::User, None, NOW).await.unwrap();
    assert!(reset::request(db, "invited@acme.example.com", &c, NOW).await.unwrap().is_none());
    // A password but no authenticator app (setup never finished, or a 2FA reset): the
    // password is all that protects them, and a mailbox alone must not replace it.
    assert!(reset::request(db, user.email.as_str(), &c, NOW).await.unwrap().is_none());
    assert_eq!(audits(db, None, "password.reset_requested", "").await, 0);

    // With an app: a link; but none once support has reset the 2FA since.
    with_authenticator(db, &SecretKey::generate(), &user).await;
    let (_, token) = reset::request(db, user.email.as_str(), &c, NOW).await.unwrap().unwrap();
    db.remove_totp(&user.id).await.unwrap();
    let sign_in = Id::random();
    let refused =
        reset::claim(db, &CountingHasher::default(), token.reveal(), new_password(), &[], &sign_in, NOW).await;
    assert!(matches!(refused, Err(ResetError::NoSecondFactor)), "{refused:?}");
}

async fn no_stranger_keeps_a_person_from_holding_a_working_link(db: &Db) {
    let user = owner(db, "owner@acme.example.com").await;
    with_authenticator(db, &SecretKey::generate(), &user).await;
    // Strangers from many addresses ask all day long: links go out a minute apart five times,
    // then a quarter of an hour apart; at every moment the person holds one that works.
    let mut sent = Vec::new();
    for minute in 0..(24 * 60) {
        let at = NOW.plus_secs(minute * 60);
        let stranger = Client::new(format!("198.51.100.{}", minute % 200 + 1).parse().unwrap());
        if let Some((_, token)) = reset::request(db, user.email.as_str(), &stranger, at).await.unwrap() {
            sent.push((at, token));
        }
        let (last_at, last) = sent.last().expect("the first ask sends one");
        assert!(at.0 - last_at.0 < RESET_TTL_SECS);
        assert!(reset::link_user(db, last.reveal(), at).await.is_ok(), "minute {minute}: no working link");
    }
    let quick = sent.windows(2).take_while(|w| w[1].0 .0 - w[0].0 .0 == RESET_GAP_SECS).count() as u64;
    assert_eq!(quick + 1, QUICK_RESETS_PER_DAY, "five a minute apart");
    assert!(sent.windows(2).skip(quick as usize).all(|w| w[1].0 .0 - w[0].0 .0 >= SLOW_RESET_GAP_SECS));
    assert!(sent.len() <= 100, "a mailbox gets about a hundred a day at most: {}", sent.len());

    // One address asking for anyone is held back after ten, the person's links unaffected.
    let one = Client::new("203.0.113.9".parse().unwrap());
    let next_day = NOW.plus_secs(2 * 24 * 60 * 60);
    for i in 0..10 {
        reset::request(db, &format!("x{i}@nowhere.example"), &one, next_day).await.unwrap();
    }
    let held = reset::request(db, user.email.as_str(), &one, next_day).await.unwrap();
    assert!(held.is_none(), "the eleventh ask from one address sends nothing");
    let elsewhere = Client::new("203.0.113.10".parse().unwrap());
    assert!(reset::request(db, user.email.as_str(), &elsewhere, next_day).await.unwrap().is_some());
}
