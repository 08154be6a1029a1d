//! Accounts, invitations, sessions and audit, on SQLite and PostgreSQL (see support for
//! where the databases come from). TOTP, throttling and the sign-in steps are in `signin.rs`.

use crate::support::NOW;
use gatehouse_core::admin::{self, AdminError, INVITATION_TTL_SECS};
use gatehouse_core::model::{Account, AuditEvent, AuditKind, NewInvitation, SessionRecord, User};
use gatehouse_core::store::{AuditLog, Conflict, Directory, InvitationState, Invitations, SessionRecords, StoreError};
use gatehouse_core::token::Token;
use gatehouse_core::{Email, Id, Role, Timestamp};
use gatehouse_storage::Db;

conformance!(
    creating_an_account_creates_its_owner_and_a_pending_invitation,
    account_names_and_emails_are_unique_and_failures_leave_nothing_behind,
    co_owners_and_users_are_invited_into_existing_accounts_only,
    support_agents_belong_to_no_account,
    an_account_has_exactly_one_owner,
    expired_or_unknown_invitations_are_not_pending,
    sessions_are_created_once_saved_loaded_and_expire,
    all_sessions_of_a_user_can_be_ended_at_once,
    a_session_ended_while_a_request_held_it_never_comes_back,
    one_session_ended_alone_never_comes_back_and_the_others_go_on,
    signed_in_sessions_are_listed_touched_and_ended_by_handle,
    the_audit_log_lists_newest_first_per_user,
    password_hashes_are_stored_per_user,
    an_invitation_is_accepted_once_and_reports_what_became_of_it,
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
    let acme = admin::create_account(db, "Acme", "a@acme.example.com", NOW).await.unwrap();
    let err = admin::create_account(db, "acme ", "b@acme.example.com", NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::AccountNameTaken(ref n) if n == "acme"), "{err:?}");
    assert!(db.user_by_email(&Email::parse("b@acme.example.com").unwrap()).await.unwrap().is_none());

    // Invited only, the address is free for another account; once joined, it is taken.
    let other = admin::create_account(db, "Other", "A@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&acme.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let err = admin::create_account(db, "Third", "a@acme.example.com", NOW).await.unwrap_err();
    assert!(matches!(err, AdminError::EmailTaken(_)), "{err:?}");
    assert!(db.account_by_name("Third").await.unwrap().is_none());
    let late = db.accept_invitation(&other.token.hash(), "$argon2id$x", NOW).await;
    assert!(matches!(late, Err(StoreError::Conflict(Conflict::Email))), "the first accepted wins: {late:?}");

    // A failed owner takes their account with them.
    let fourth = Account { id: Id::random(), name: "Fourth".into(), created_at: NOW };
    let twin = User { account_id: Some(fourth.id.clone()), ..acme.user.clone() };
    let row = NewInvitation {
        token_hash: Token::generate().hash(),
        user_id: twin.id.clone(),
        created_at: NOW,
        expires_at: NOW.plus_secs(60),
    };
    assert!(db.insert_account(&fourth, &twin, &row).await.is_err(), "the owner's id is taken");
    assert!(db.account_by_name("Fourth").await.unwrap().is_none(), "the account must not outlive its failed owner");
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
        joined: false,
        created_at: NOW,
        session_generation: 0,
        language: None,
    };
    let token = Token::generate();
    let inv = NewInvitation {
        token_hash: token.hash(),
        user_id: second.id.clone(),
        created_at: NOW,
        expires_at: NOW.plus_secs(60),
    };
    let err = db.insert_user(&second, &inv, None).await.unwrap_err();
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
    SessionRecord {
        id: Id::random().to_string(),
        user_id: user.cloned(),
        data: data.to_vec(),
        expires_at,
        last_seen_at: NOW,
        facts: None,
        generation: user.map(|_| 0),
    }
}

async fn sessions_are_created_once_saved_loaded_and_expire(db: &Db) {
    let mut s = session(None, b"{}", NOW.plus_secs(60));
    assert!(db.create_session(&s).await.unwrap());
    assert!(!db.create_session(&s).await.unwrap(), "a taken id is reported, not overwritten");
    assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), Some(s.clone()));

    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    s.user_id = Some(owner.id.clone());
    s.data = vec![0, 159, 146, 150, 255];
    s.generation = Some(0);
    db.save_session(&s).await.unwrap();
    // A person enters a session only with a new id (tower-sessions' `cycle_id`, then a create):
    // saving never sets the generation, so a person saved into a session does not load.
    assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), None);
    db.delete_session(&s.id).await.unwrap();
    s.id = Id::random().to_string();
    db.create_session(&s).await.unwrap();
    assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), Some(s.clone()));

    assert_eq!(db.load_session(&s.id, NOW.plus_secs(60)).await.unwrap(), None, "expired sessions do not load");
    assert_eq!(db.delete_expired_sessions(NOW.plus_secs(59)).await.unwrap(), 0);
    assert_eq!(db.delete_expired_sessions(NOW.plus_secs(60)).await.unwrap(), 1);

    let other = session(None, b"x", NOW.plus_secs(60));
    db.save_session(&other).await.unwrap();
    assert_eq!(db.load_session(&other.id, NOW).await.unwrap(), None, "saving never creates");
    db.create_session(&other).await.unwrap();
    db.delete_session(&other.id).await.unwrap();
    db.save_session(&other).await.unwrap();
    assert_eq!(db.load_session(&other.id, NOW).await.unwrap(), None, "a deleted session stays deleted");
}

async fn all_sessions_of_a_user_can_be_ended_at_once(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let co = admin::invite(db, "Acme", "co@acme.example.com", Role::CoOwner, Some(&owner), NOW).await.unwrap().user;
    let mine = [session(Some(&owner.id), b"1", NOW.plus_secs(60)), session(Some(&owner.id), b"2", NOW.plus_secs(60))];
    let theirs = session(Some(&co.id), b"3", NOW.plus_secs(60));
    for s in mine.iter().chain([&theirs]) {
        db.create_session(s).await.unwrap();
    }
    assert_eq!(db.delete_user_sessions(&owner.id).await.unwrap(), (2, 1));
    for s in &mine {
        assert_eq!(db.load_session(&s.id, NOW).await.unwrap(), None);
    }
    assert_eq!(db.load_session(&theirs.id, NOW).await.unwrap(), Some(theirs));
}

/// The race of issue 27, forced rather than hoped for: a request loads a session, the session is
/// ended (sign out everywhere, a password change, a 2FA reset), then the request writes it back,
/// the way tower-sessions would (`save` for the same id, `create` for a new id after a step-up).
async fn a_session_ended_while_a_request_held_it_never_comes_back(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let held = session(Some(&owner.id), b"signed in", NOW.plus_secs(600));
    assert!(db.create_session(&held).await.unwrap());
    let loaded = db.load_session(&held.id, NOW).await.unwrap().expect("the request loaded it");

    assert_eq!(db.delete_user_sessions(&owner.id).await.unwrap(), (1, 1));
    // The request, still holding it, saves it...
    db.save_session(&SessionRecord { data: b"changed".to_vec(), ..loaded.clone() }).await.unwrap();
    assert_eq!(db.load_session(&held.id, NOW).await.unwrap(), None, "saving did not bring it back");
    // ...or gives it a new id (a step-up: tower-sessions deletes the old id, creates the new).
    db.delete_session(&held.id).await.unwrap();
    let cycled = SessionRecord { id: Id::random().to_string(), ..loaded.clone() };
    assert!(db.create_session(&cycled).await.unwrap());
    assert_eq!(db.load_session(&cycled.id, NOW).await.unwrap(), None, "nor did a new id with its old generation");

    // A sign-in after the end is of the new generation, and loads.
    let fresh = SessionRecord { generation: Some(1), ..session(Some(&owner.id), b"again", NOW.plus_secs(600)) };
    assert!(db.create_session(&fresh).await.unwrap());
    assert!(db.load_session(&fresh.id, NOW).await.unwrap().is_some());
    // Ending the others keeps the caller's own; one held elsewhere meanwhile stays ended.
    let other = SessionRecord { generation: Some(1), ..session(Some(&owner.id), b"other", NOW.plus_secs(600)) };
    assert!(db.create_session(&other).await.unwrap());
    let held_other = db.load_session(&other.id, NOW).await.unwrap().unwrap();
    let ended = db.delete_other_sessions(&owner.id, &fresh.id).await.unwrap();
    assert_eq!(ended, (2, 2), "the other one, and the row of the revival refused above");
    let revived = SessionRecord { id: Id::random().to_string(), ..held_other };
    assert!(db.create_session(&revived).await.unwrap());
    assert_eq!(db.load_session(&revived.id, NOW).await.unwrap(), None);
    assert_eq!(db.load_session(&fresh.id, NOW).await.unwrap().and_then(|s| s.generation), Some(2));
    let people = db.user_by_id(&owner.id).await.unwrap().unwrap();
    assert_eq!(people.session_generation, 2, "read with the person");
}

/// The same race when one session is ended alone (Log out, or Sign out from the Security
/// page): the person's other sessions go on, carried to the new generation.
async fn one_session_ended_alone_never_comes_back_and_the_others_go_on(db: &Db) {
    use gatehouse_core::sessions::handle;
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let [ended, other, logged_out] = [b"a", b"b", b"c"].map(|d| session(Some(&owner.id), d, NOW.plus_secs(600)));
    for s in [&ended, &other, &logged_out] {
        assert!(db.create_session(s).await.unwrap());
    }
    let held = db.load_session(&ended.id, NOW).await.unwrap().unwrap();
    assert!(db.delete_session_by_handle(&owner.id, &handle(&ended.id)).await.unwrap());
    // Held meanwhile, it comes back under a new id with the generation it had: refused.
    let revived = SessionRecord { id: Id::random().to_string(), ..held };
    assert!(db.create_session(&revived).await.unwrap());
    assert_eq!(db.load_session(&revived.id, NOW).await.unwrap(), None);
    // The others moved on with the generation and still load.
    assert_eq!(db.load_session(&other.id, NOW).await.unwrap().and_then(|s| s.generation), Some(1));
    let held = db.load_session(&logged_out.id, NOW).await.unwrap().unwrap();
    assert!(db.end_session(&owner.id, &logged_out.id).await.unwrap(), "logged out");
    assert!(!db.end_session(&owner.id, &logged_out.id).await.unwrap(), "once");
    let revived = SessionRecord { id: Id::random().to_string(), ..held };
    assert!(db.create_session(&revived).await.unwrap());
    assert_eq!(db.load_session(&revived.id, NOW).await.unwrap(), None);
    assert_eq!(db.load_session(&other.id, NOW).await.unwrap().and_then(|s| s.generation), Some(2));
}

async fn signed_in_sessions_are_listed_touched_and_ended_by_handle(db: &Db) {
    use gatehouse_core::model::SessionFacts;
    use gatehouse_core::sessions::handle;
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let co = admin::invite(db, "Acme", "co@acme.example.com", Role::CoOwner, Some(&owner), NOW).await.unwrap().user;
    let signed_in = |user: &Id, ua: &str, seen: i64| SessionRecord {
        last_seen_at: NOW.plus_secs(seen),
        facts: Some(SessionFacts {
            signed_in_at: NOW,
            user_agent: ua.into(),
            client_address: "192.0.2.7".into(),
            sid: String::new(),
        }),
        ..session(Some(user), b"{}", NOW.plus_secs(600))
    };
    let (laptop, phone) = (signed_in(&owner.id, "laptop", 10), signed_in(&owner.id, "phone", 20));
    let half_way = session(Some(&owner.id), b"{}", NOW.plus_secs(600));
    let theirs = signed_in(&co.id, "theirs", 30);
    for s in [&laptop, &phone, &half_way, &theirs] {
        assert!(db.create_session(s).await.unwrap());
    }

    let listed = db.sessions_of(&owner.id, NOW).await.unwrap();
    assert_eq!(listed, vec![phone.clone(), laptop.clone()], "signed in only, most recently used first");
    db.touch_session(&laptop.id, NOW.plus_secs(40), NOW.plus_secs(900)).await.unwrap();
    let listed = db.sessions_of(&owner.id, NOW).await.unwrap();
    assert_eq!(listed[0].id, laptop.id);
    assert_eq!((listed[0].last_seen_at, listed[0].expires_at), (NOW.plus_secs(40), NOW.plus_secs(900)));
    db.touch_session(&phone.id, NOW.plus_secs(700), NOW.plus_secs(2000)).await.unwrap();
    assert_eq!(db.load_session(&phone.id, NOW.plus_secs(700)).await.unwrap(), None, "an ended session is not revived");
    assert_eq!(db.sessions_of(&owner.id, NOW.plus_secs(800)).await.unwrap().len(), 1, "ended sessions are not listed");

    assert!(!db.delete_session_by_handle(&co.id, &handle(&laptop.id)).await.unwrap(), "not someone else's");
    assert!(db.load_session(&laptop.id, NOW).await.unwrap().is_some());
    assert!(!db.delete_session_by_handle(&owner.id, &laptop.id).await.unwrap(), "the id is not a handle");
    assert!(db.delete_session_by_handle(&owner.id, &handle(&laptop.id)).await.unwrap());
    assert_eq!(db.load_session(&laptop.id, NOW).await.unwrap(), None);

    // A sign-in since (ending the laptop moved the generation on to 1).
    let again = SessionRecord { generation: Some(1), ..signed_in(&owner.id, "again", 50) };
    db.create_session(&again).await.unwrap();
    let ended = db.delete_other_sessions(&owner.id, &again.id).await.unwrap();
    assert_eq!(ended, (2, 2), "the phone and the half-way one; the generation moved on");
    let kept = SessionRecord { generation: Some(2), ..again };
    assert_eq!(db.load_session(&kept.id, NOW).await.unwrap(), Some(kept), "the kept one moved with it");
    assert_eq!(db.load_session(&theirs.id, NOW).await.unwrap(), Some(theirs), "nobody else's");
}

async fn the_audit_log_lists_newest_first_per_user(db: &Db) {
    let owner = admin::create_account(db, "Acme", "owner@acme.example.com", NOW).await.unwrap().user;
    let co = admin::invite(db, "Acme", "co@acme.example.com", Role::CoOwner, Some(&owner), NOW.plus_secs(5))
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
    let email = Email::parse("owner@acme.example.com").unwrap();
    assert_eq!(db.user_for_sign_in(&email).await.unwrap(), Some((owner.clone(), None)));
    db.set_password_hash(&owner.id, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap();
    assert_eq!(
        db.password_hash(&owner.id).await.unwrap().as_deref(),
        Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
    );
    let (user, phc) = db.user_for_sign_in(&email).await.unwrap().unwrap();
    assert!(user.has_password && user.id == owner.id);
    assert_eq!(phc.as_deref(), Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
    assert_eq!(db.user_for_sign_in(&Email::parse("nobody@acme.example.com").unwrap()).await.unwrap(), None);
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
