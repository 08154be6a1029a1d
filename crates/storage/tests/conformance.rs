//! One suite, two databases: every test below runs against SQLite and against PostgreSQL.
//!
//! PostgreSQL comes from `GATEHOUSE_TEST_POSTGRES_URL` (`make test` starts a throwaway
//! cluster and sets it); each test gets a database of its own. Without the variable the
//! PostgreSQL half is skipped with a note, unless `GATEHOUSE_REQUIRE_POSTGRES` is set, as
//! `make test` does, in which case a missing server fails the run.

use gatehouse_core::admin::{self, AdminError, INVITATION_TTL_SECS};
use gatehouse_core::model::{
    AuditEvent, AuditKind, Ceremony, CeremonyKind, NewInvitation, SessionRecord, StoredPasskey, User,
};
use gatehouse_core::store::{
    AuditLog, Authenticators, Conflict, Directory, InvitationState, Invitations, Passkeys, SessionRecords, Sso,
    StoreError, Throttles,
};
use gatehouse_core::token::Token;
use gatehouse_core::{Email, Id, Role, Timestamp};
use gatehouse_storage::Db;

const NOW: Timestamp = Timestamp(1_800_000_000);

async fn sqlite_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/nested/gatehouse.db", dir.path().display());
    (Db::open(&url).await.expect("open sqlite"), dir)
}

async fn postgres_db() -> Option<Db> {
    let Ok(base) = std::env::var("GATEHOUSE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("GATEHOUSE_REQUIRE_POSTGRES").is_none(),
            "GATEHOUSE_REQUIRE_POSTGRES is set but GATEHOUSE_TEST_POSTGRES_URL is not"
        );
        eprintln!("note: GATEHOUSE_TEST_POSTGRES_URL not set; PostgreSQL half skipped");
        return None;
    };
    let name = format!("gh_{}", Id::random().as_str());
    let admin = Db::connect(&base).await.expect("connect to the test cluster");
    admin.execute_raw(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("postgres URL with a database path");
    let query = base.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Some(Db::open(&format!("{prefix}/{name}{query}")).await.expect("open postgres"))
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { let (db, _dir) = super::sqlite_db().await; super::$name(&db).await; })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { if let Some(db) = super::postgres_db().await { super::$name(&db).await; } })*
        }
    };
}

conformance!(
    creating_an_account_creates_its_owner_and_a_pending_invitation,
    account_names_and_emails_are_unique_and_failures_leave_nothing_behind,
    co_owners_and_users_are_invited_into_existing_accounts_only,
    support_agents_belong_to_no_account,
    an_account_has_exactly_one_owner,
    expired_or_unknown_invitations_are_not_pending,
    sessions_are_created_once_saved_loaded_and_expire,
    all_sessions_of_a_user_can_be_ended_at_once,
    the_audit_log_lists_newest_first_per_user,
    password_hashes_are_stored_per_user,
    an_invitation_is_accepted_once_and_reports_what_became_of_it,
    an_enrolment_becomes_the_authenticator_once,
    a_totp_step_is_accepted_once_and_only_forwards,
    concurrent_uses_of_one_code_let_exactly_one_through,
    failures_are_counted_atomically_and_forgotten_after_a_while,
    two_sign_ins_racing_with_one_code_let_exactly_one_in,
    passkeys_are_listed_renamed_and_removed_by_their_owner_only,
    a_credential_is_registered_once_and_its_counter_moves_by_compare_and_set,
    a_ceremony_is_taken_once_even_under_concurrency,
    an_sso_flow_is_taken_once_for_its_provider_before_it_expires,
    a_verified_email_links_an_identity_which_then_outlives_email_changes,
    unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked,
    an_invited_user_without_a_password_accepts_the_invitation_through_sso,
);

async fn creating_an_account_creates_its_owner_and_a_pending_invitation(db: &Db) {
    let issued = admin::create_account(db, "  Acme Ltd ", "Owner@Acme.example.com", NOW).await.unwrap();
    assert_eq!(issued.expires_at, NOW.plus_secs(INVITATION_TTL_SECS));

    let account = db.account_by_name("ACME ltd").await.unwrap().expect("found case-insensitively");
    assert_eq!(account.name, "Acme Ltd");
    let owner = db.user_by_email(&Email::parse("owner@acme.example.com").unwrap()).await.unwrap().unwrap();
    assert_eq!((owner.role, owner.account_id.as_ref(), owner.has_password), (Role::Owner, Some(&account.id), false));
    assert_eq!(db.user_by_id(&owner.id).await.unwrap().unwrap(), owner);

    let pending = db.pending_invitation(&issued.token.hash(), NOW).await.unwrap().expect("pending");
    assert_eq!(pending.user, owner);
    assert_eq!(pending.account, Some(account));

    let log = db.recent(Some(&owner.id), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, "account.created");
}

async fn account_names_and_emails_are_unique_and_failures_leave_nothing_behind(db: &Db) {
    admin::create_account(db, "Acme", "a@acme.example.com", NOW).await.unwrap();
    let err = admin::create_account(db, "acme ", "b@acme.example.com", NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::AccountNameTaken(ref n) if n == "acme"), "{err:?}");
    assert!(db.user_by_email(&Email::parse("b@acme.example.com").unwrap()).await.unwrap().is_none());

    let err = admin::create_account(db, "Other", "A@acme.example.com", NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::EmailTaken(_)), "{err:?}");
    assert!(db.account_by_name("Other").await.unwrap().is_none(), "the account must not outlive its failed owner");
}

async fn co_owners_and_users_are_invited_into_existing_accounts_only(db: &Db) {
    admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap();
    let co = admin::invite(db, "acme", "co@acme.example.com", Role::CoOwner, None, NOW).await.unwrap();
    assert_eq!(co.user.role, Role::CoOwner);
    assert_eq!(co.account.as_ref().unwrap().name, "Acme");
    assert!(db.pending_invitation(&co.token.hash(), NOW).await.unwrap().is_some());

    let err = admin::invite(db, "Nope", "x@acme.example.com", Role::User, None, NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::UnknownAccount(ref n) if n == "Nope"));
    let err = admin::invite(db, "Acme", "x@acme.example.com", Role::Owner, None, NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::RoleNotInvitable(Role::Owner)));
    let err = admin::invite(db, "Acme", "co@acme.example.com", Role::User, None, NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::EmailTaken(_)));
    let err = admin::invite(db, "Acme", "not an email", Role::User, None, NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::InvalidEmail(_)));
}

async fn support_agents_belong_to_no_account(db: &Db) {
    let agent = admin::create_support_agent(db, "agent@support.example.com", NOW).await.unwrap();
    let stored = db.user_by_id(&agent.user.id).await.unwrap().unwrap();
    assert_eq!((stored.role, stored.account_id), (Role::Agent, None));
    let pending = db.pending_invitation(&agent.token.hash(), NOW).await.unwrap().unwrap();
    assert_eq!(pending.account, None);
}

async fn an_account_has_exactly_one_owner(db: &Db) {
    let first = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap();
    let account_id = first.account.unwrap().id;
    let second = User {
        id: Id::random(),
        account_id: Some(account_id),
        email: Email::parse("second@acme.example.com").unwrap(),
        role: Role::Owner,
        has_password: false,
        created_at: NOW,
    };
    let token = Token::generate();
    let inv = NewInvitation {
        token_hash: token.hash(),
        user_id: second.id.clone(),
        created_at: NOW,
        expires_at: NOW.plus_secs(60),
    };
    let err = db.insert_user(&second, &inv).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(Conflict::Other)), "{err:?}");
    assert!(db.pending_invitation(&token.hash(), NOW).await.unwrap().is_none());
}

async fn expired_or_unknown_invitations_are_not_pending(db: &Db) {
    let issued = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap();
    let hash = issued.token.hash();
    assert!(db.pending_invitation(&hash, issued.expires_at.plus_secs(-1)).await.unwrap().is_some());
    assert!(db.pending_invitation(&hash, issued.expires_at).await.unwrap().is_none());
    assert!(db.pending_invitation(&Token::generate().hash(), NOW).await.unwrap().is_none());
}

fn session(user: Option<&Id>, data: &[u8], expires_at: Timestamp) -> SessionRecord {
    SessionRecord { id: Id::random().to_string(), user_id: user.cloned(), data: data.to_vec(), expires_at }
}

async fn sessions_are_created_once_saved_loaded_and_expire(db: &Db) {
    let mut s = session(None, b"{}", NOW.plus_secs(60));
    assert!(db.create_session(&s).await.unwrap());
    assert!(!db.create_session(&s).await.unwrap(), "a taken id is reported, not overwritten");
    assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), Some(s.clone()));

    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    s.user_id = Some(owner.id.clone());
    s.data = vec![0, 159, 146, 150, 255];
    db.save_session(&s).await.unwrap();
    assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), Some(s.clone()));

    assert_eq!(db.load_session(&s.id, NOW.plus_secs(60)).await.unwrap(), None, "expired sessions do not load");
    assert_eq!(db.delete_expired_sessions(NOW.plus_secs(59)).await.unwrap(), 0);
    assert_eq!(db.delete_expired_sessions(NOW.plus_secs(60)).await.unwrap(), 1);

    let other = session(None, b"x", NOW.plus_secs(60));
    db.save_session(&other).await.unwrap();
    db.delete_session(&other.id).await.unwrap();
    assert_eq!(db.load_session(&other.id, NOW).await.unwrap(), None);
}

async fn all_sessions_of_a_user_can_be_ended_at_once(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let co = admin::invite(db, "Acme", "co@acme.example.com", Role::CoOwner, Some(&owner.id), NOW).await.unwrap().user;
    let mine = [session(Some(&owner.id), b"1", NOW.plus_secs(60)), session(Some(&owner.id), b"2", NOW.plus_secs(60))];
    let theirs = session(Some(&co.id), b"3", NOW.plus_secs(60));
    for s in mine.iter().chain([&theirs]) {
        db.save_session(s).await.unwrap();
    }
    assert_eq!(db.delete_user_sessions(&owner.id).await.unwrap(), 2);
    for s in &mine {
        assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), None);
    }
    assert_eq!(db.load_session(&theirs.id, NOW).await.unwrap(), Some(theirs));
}

async fn the_audit_log_lists_newest_first_per_user(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let co = admin::invite(db, "Acme", "co@acme.example.com", Role::CoOwner, Some(&owner.id), NOW.plus_secs(5))
        .await
        .unwrap()
        .user;
    let mut event = AuditEvent::new(AuditKind::UserInvited);
    event.user_id = Some(owner.id.clone());
    event.client_ip = Some("192.0.2.7".into());
    event.detail = "second entry about the owner".into();
    db.record(NOW.plus_secs(10), &event).await.unwrap();

    let about_owner = db.recent(Some(&owner.id), 10).await.unwrap();
    assert_eq!(about_owner.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>()[0], "second entry about the owner");
    assert_eq!(about_owner.len(), 2);
    assert_eq!(about_owner[0].client_ip.as_deref(), Some("192.0.2.7"));

    let invited = db.recent(Some(&co.id), 10).await.unwrap();
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].actor_id.as_ref(), Some(&owner.id));
    assert_eq!(db.recent(None, 2).await.unwrap().len(), 2);
}

async fn password_hashes_are_stored_per_user(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    assert_eq!(db.password_hash(&owner.id).await.unwrap(), None);
    db.set_password_hash(&owner.id, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap();
    assert_eq!(
        db.password_hash(&owner.id).await.unwrap().as_deref(),
        Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
    );
    assert!(db.user_by_id(&owner.id).await.unwrap().unwrap().has_password);
    assert_eq!(db.password_hash(&Id::random()).await.unwrap(), None);
}

async fn an_invitation_is_accepted_once_and_reports_what_became_of_it(db: &Db) {
    let issued = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap();
    let hash = issued.token.hash();
    assert!(matches!(db.invitation_state(&hash, NOW).await.unwrap(), InvitationState::Pending(_)));
    assert_eq!(db.invitation_state(&Token::generate().hash(), NOW).await.unwrap(), InvitationState::Unknown);
    assert_eq!(db.invitation_state(&hash, issued.expires_at).await.unwrap(), InvitationState::Expired);
    assert_eq!(db.accept_invitation(&hash, "$argon2id$x", issued.expires_at).await.unwrap(), None, "expired");

    let (a, b) =
        tokio::join!(db.accept_invitation(&hash, "$argon2id$a", NOW), db.accept_invitation(&hash, "$argon2id$b", NOW));
    let winners: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(winners, vec![issued.user.id.clone()], "exactly one accept wins");
    assert_eq!(db.invitation_state(&hash, NOW).await.unwrap(), InvitationState::Used);
    let stored = db.password_hash(&issued.user.id).await.unwrap().unwrap();
    assert!(stored == "$argon2id$a" || stored == "$argon2id$b");
}

async fn an_enrolment_becomes_the_authenticator_once(db: &Db) {
    let user = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    assert_eq!(db.enrolment(&user.id, NOW).await.unwrap(), None);
    db.put_enrolment(&user.id, b"first", NOW.plus_secs(600)).await.unwrap();
    db.put_enrolment(&user.id, b"second", NOW.plus_secs(600)).await.unwrap();
    assert_eq!(db.enrolment(&user.id, NOW).await.unwrap().as_deref(), Some(&b"second"[..]));
    assert_eq!(db.enrolment(&user.id, NOW.plus_secs(600)).await.unwrap(), None, "expired");
    assert!(!db.confirm_enrolment(&user.id, 7, NOW.plus_secs(600)).await.unwrap(), "expired enrolments do not confirm");

    assert!(db.confirm_enrolment(&user.id, 7, NOW).await.unwrap());
    assert!(!db.confirm_enrolment(&user.id, 8, NOW).await.unwrap(), "single use");
    assert_eq!(db.totp_secret(&user.id).await.unwrap().as_deref(), Some(&b"second"[..]));
    assert!(!db.accept_totp_step(&user.id, 7).await.unwrap(), "the confirming step counts as used");

    db.remove_totp(&user.id).await.unwrap();
    assert_eq!(db.totp_secret(&user.id).await.unwrap(), None);
    assert!(!db.accept_totp_step(&user.id, 100).await.unwrap(), "no authenticator, no code accepted");
}

async fn a_totp_step_is_accepted_once_and_only_forwards(db: &Db) {
    let user = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    db.put_enrolment(&user.id, b"secret", NOW.plus_secs(600)).await.unwrap();
    assert!(db.confirm_enrolment(&user.id, 10, NOW).await.unwrap());
    assert!(db.accept_totp_step(&user.id, 12).await.unwrap());
    assert!(!db.accept_totp_step(&user.id, 12).await.unwrap(), "replay");
    assert!(!db.accept_totp_step(&user.id, 11).await.unwrap(), "an older step after a newer one");
    assert!(db.accept_totp_step(&user.id, 13).await.unwrap());
}

async fn concurrent_uses_of_one_code_let_exactly_one_through(db: &Db) {
    let user = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    db.put_enrolment(&user.id, b"secret", NOW.plus_secs(600)).await.unwrap();
    assert!(db.confirm_enrolment(&user.id, 10, NOW).await.unwrap());
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

async fn failures_are_counted_atomically_and_forgotten_after_a_while(db: &Db) {
    let key = "account:ada@example.com";
    assert_eq!(db.throttle(key).await.unwrap(), None);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.record_failure(key, NOW, NOW.plus_secs(-100)).await.unwrap() })
        })
        .collect();
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.unwrap());
    }
    counts.sort();
    assert_eq!(counts, (1..=10).collect::<Vec<_>>(), "every concurrent failure counted once");

    db.block_until(key, NOW.plus_secs(30)).await.unwrap();
    db.block_until(key, NOW.plus_secs(10)).await.unwrap();
    let row = db.throttle(key).await.unwrap().unwrap();
    assert_eq!((row.failures, row.blocked_until), (10, NOW.plus_secs(30)), "a wait is never shortened");

    let later = NOW.plus_secs(1000);
    assert_eq!(db.record_failure(key, later, later.plus_secs(-100)).await.unwrap(), 1, "old failures are forgotten");
    db.clear_throttle(key).await.unwrap();
    assert_eq!(db.throttle(key).await.unwrap(), None);
}

async fn two_sign_ins_racing_with_one_code_let_exactly_one_in(db: &Db) {
    use gatehouse_core::crypto::SecretKey;
    use gatehouse_core::signin::{self, Client, SignInError};
    use gatehouse_core::totp::{TotpSecret, STEP_SECS};

    let key = SecretKey::generate();
    let user = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let secret = TotpSecret::generate();
    db.put_enrolment(&user.id, &key.seal(secret.as_bytes(), user.id.as_str().as_bytes()), NOW.plus_secs(60))
        .await
        .unwrap();
    assert!(db.confirm_enrolment(&user.id, 1, NOW).await.unwrap());
    let code = secret.code_at_step(NOW.0 as u64 / STEP_SECS);
    let attempt = |db: Db, key: SecretKey, user: User, code: String| {
        tokio::spawn(async move {
            signin::code_step(&db, &key, &user, &code, signin::CodePurpose::SignIn, &Client::default(), NOW).await
        })
    };
    let a = attempt(db.clone(), key.clone(), user.clone(), code.clone());
    let b = attempt(db.clone(), key.clone(), user.clone(), code.clone());
    let results = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(SignInError::Replayed))), "{results:?}");
    let kinds: Vec<_> = db.recent(Some(&user.id), 10).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&"totp.replay_refused".to_owned()) && kinds.contains(&"signin.succeeded".to_owned()),
        "{kinds:?}"
    );
}

fn passkey(user: &Id, credential: &str, name: &str, at: i64) -> StoredPasskey {
    StoredPasskey {
        id: Id::random(),
        user_id: user.clone(),
        credential_id: credential.into(),
        name: name.into(),
        passkey: format!("{{\"cred\":\"{credential}\"}}"),
        sign_count: 0,
        created_at: Timestamp(NOW.0 + at),
        last_used_at: None,
    }
}

async fn passkeys_are_listed_renamed_and_removed_by_their_owner_only(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let bob = admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap().user;
    let (first, second) = (passkey(&ada.id, "cred-1", "Laptop", 0), passkey(&ada.id, "cred-2", "Phone", 5));
    db.insert_passkey(&second).await.unwrap();
    db.insert_passkey(&first).await.unwrap();
    let names: Vec<_> = db.passkeys_of(&ada.id).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Laptop", "Phone"], "oldest first");
    assert!(db.passkeys_of(&bob.id).await.unwrap().is_empty());
    assert_eq!(db.passkey_by_credential("cred-2").await.unwrap(), Some(second.clone()));

    assert!(!db.rename_passkey(&bob.id, &first.id, "Mine now").await.unwrap(), "someone else's passkey");
    assert!(db.rename_passkey(&ada.id, &first.id, "Work laptop").await.unwrap());
    assert_eq!(db.passkey_by_credential("cred-1").await.unwrap().unwrap().name, "Work laptop");

    assert_eq!(db.delete_passkey(&bob.id, &first.id).await.unwrap(), None, "someone else's passkey");
    let removed = db.delete_passkey(&ada.id, &first.id).await.unwrap().expect("removed");
    assert_eq!(removed.name, "Work laptop");
    assert_eq!(db.delete_passkey(&ada.id, &first.id).await.unwrap(), None, "already gone");
    assert_eq!(db.passkey_by_credential("cred-1").await.unwrap(), None);
    assert_eq!(db.passkeys_of(&ada.id).await.unwrap().len(), 1);
}

async fn a_credential_is_registered_once_and_its_counter_moves_by_compare_and_set(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let bob = admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap().user;
    let key = passkey(&ada.id, "cred-1", "Laptop", 0);
    db.insert_passkey(&key).await.unwrap();
    let again = db.insert_passkey(&passkey(&bob.id, "cred-1", "Stolen", 1)).await;
    assert!(matches!(again, Err(StoreError::Conflict(Conflict::Other))), "{again:?}");

    let later = NOW.plus_secs(60);
    let (a, b) = tokio::join!(
        db.record_passkey_use(&key.id, "{}", 0, 5, later),
        db.record_passkey_use(&key.id, "{}", 0, 6, later)
    );
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|w| **w).count(), 1, "one of two racing uses wins");
    let stored = db.passkey_by_credential("cred-1").await.unwrap().unwrap();
    assert!(stored.sign_count == 5 || stored.sign_count == 6);
    assert_eq!(stored.last_used_at, Some(later));
    assert!(!db.record_passkey_use(&key.id, "{}", 0, 9, later).await.unwrap(), "stale count");
}

async fn a_ceremony_is_taken_once_even_under_concurrency(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let ceremony = Ceremony {
        id: Id::random(),
        kind: CeremonyKind::Register,
        user_id: Some(ada.id.clone()),
        state: "{\"challenge\":1}".into(),
        expires_at: NOW.plus_secs(300),
    };
    let stale = Ceremony { id: Id::random(), kind: CeremonyKind::SignIn, user_id: None, ..ceremony.clone() };
    db.put_ceremony(&stale, NOW).await.unwrap();
    // Storing a new one sweeps those already expired.
    db.put_ceremony(&ceremony, NOW.plus_secs(301)).await.unwrap();
    assert_eq!(db.take_ceremony(stale.id.as_str()).await.unwrap(), None, "swept");

    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (db, id) = (db.clone(), ceremony.id.clone());
            tokio::spawn(async move { db.take_ceremony(id.as_str()).await.unwrap() })
        })
        .collect();
    let mut taken = Vec::new();
    for t in tasks {
        taken.extend(t.await.unwrap());
    }
    assert_eq!(taken, vec![ceremony], "exactly one taker gets it, unchanged");
    assert_eq!(db.take_ceremony("no-such-id").await.unwrap(), None);
}

const ACME_IDP: gatehouse_core::sso::Provider = gatehouse_core::sso::Provider { id: "acme", name: "Acme ID" };

fn claims(subject: &str, email: &str, verified: bool) -> gatehouse_core::sso::Claims {
    gatehouse_core::sso::Claims {
        issuer: "https://id.acme.example.com".into(),
        subject: subject.into(),
        email: Some(email.into()),
        email_verified: verified,
    }
}

fn client() -> gatehouse_core::signin::Client {
    gatehouse_core::signin::Client { ip: Some("192.0.2.7".into()) }
}

async fn an_sso_flow_is_taken_once_for_its_provider_before_it_expires(db: &Db) {
    use gatehouse_core::sso::{start_flow, take_flow, Provider, SsoError, FLOW_TTL_SECS};
    let flow = start_flow(db, ACME_IDP, "nonce-1".into(), "verifier-1".into(), NOW).await.unwrap();
    assert_eq!(flow.expires_at, NOW.plus_secs(FLOW_TTL_SECS));
    let (a, b) =
        tokio::join!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW), take_flow(db, flow.id.as_str(), ACME_IDP, NOW));
    let taken: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert_eq!(taken, vec![flow.clone()], "a callback works once, even twice at the same moment");
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)), "replay");

    let other = Provider { id: "other", name: "Other" };
    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), NOW).await.unwrap();
    assert!(matches!(take_flow(db, flow.id.as_str(), other, NOW).await, Err(SsoError::FlowGone)), "another provider");
    assert!(
        matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)),
        "deleted on failure"
    );

    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), NOW).await.unwrap();
    let late = NOW.plus_secs(FLOW_TTL_SECS);
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, late).await, Err(SsoError::FlowGone)), "expired");
    assert!(matches!(take_flow(db, "tampered", ACME_IDP, NOW).await, Err(SsoError::FlowGone)));
}

async fn a_verified_email_links_an_identity_which_then_outlives_email_changes(db: &Db) {
    use gatehouse_core::sso::identify;
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let user = identify(db, ACME_IDP, &claims("sub-1", "Ada@Acme.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), Some(user.id.clone()));
    // Later the email changes at the provider (even to someone else's): the subject decides.
    admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap();
    let again = identify(db, ACME_IDP, &claims("sub-1", "bob@bobco.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(again.id, issued.user.id);
    let log = db.recent(Some(&user.id), 10).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == "sso.linked").count(), 1, "linked once");
}

async fn unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let unverified = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", false), &client(), NOW).await;
    assert!(matches!(unverified, Err(SsoError::UnverifiedEmail { .. })), "{unverified:?}");
    let no_email = gatehouse_core::sso::Claims { email: None, ..claims("sub-1", "", true) };
    assert!(matches!(identify(db, ACME_IDP, &no_email, &client(), NOW).await, Err(SsoError::UnverifiedEmail { .. })));
    let unknown = identify(db, ACME_IDP, &claims("sub-2", "eve@elsewhere.example.com", true), &client(), NOW).await;
    assert!(matches!(&unknown, Err(SsoError::UnknownUser { email }) if email == "eve@elsewhere.example.com"));
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-2").await.unwrap(), None);
    assert_eq!(db.user_by_email(&Email::parse("eve@elsewhere.example.com").unwrap()).await.unwrap(), None);
    let refusals = db.recent(None, 20).await.unwrap().into_iter().filter(|e| e.kind == "sso.refused").count();
    assert_eq!(refusals, 3);
}

async fn an_invited_user_without_a_password_accepts_the_invitation_through_sso(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    let expired = issued.expires_at;
    let late = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), &client(), expired).await;
    assert!(matches!(late, Err(SsoError::InvitationExpired)), "{late:?}");
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);

    let user = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.invitation_state(&issued.token.hash(), NOW).await.unwrap(), InvitationState::Used);
    assert_eq!(db.password_hash(&user.id).await.unwrap(), None, "no password was set");
}
