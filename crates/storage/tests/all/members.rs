//! The Users page's changes on SQLite and PostgreSQL: who may act on whom, invitations sent
//! again or revoked, roles, the ownership handover (one owner at every moment, also when two
//! handovers race), and removal taking the person's sessions with them.

use crate::support::signin::{audits, owner};
use crate::support::NOW;
use gatehouse_core::admin;
use gatehouse_core::members::{self, MemberError};
use gatehouse_core::model::{SessionRecord, SsoIdentity, User};
use gatehouse_core::store::{Directory, Invitations, SessionRecords, Sso};
use gatehouse_core::Role;
use gatehouse_storage::Db;

conformance!(
    co_owners_manage_users_only_and_nobody_reaches_another_account,
    an_invitation_sent_again_kills_the_first_and_a_revoked_one_works_no_more,
    roles_change_and_ownership_moves_with_one_owner_at_every_moment,
    removal_ends_the_sessions_at_once,
    invitations_are_limited_per_inviter_and_a_taken_address_counts,
    an_actor_whose_role_changed_meanwhile_changes_nothing,
);

/// Someone invited into `owner`'s account as `role`, with the invitation accepted.
async fn member(db: &Db, owner: &User, email: &str, role: Role) -> User {
    let issued = members::invite(db, owner, email, role, NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$stored", NOW).await.unwrap().unwrap();
    User { has_password: true, ..issued.user }
}

fn refused<T: std::fmt::Debug>(r: Result<T, MemberError>, what: fn(&MemberError) -> bool) {
    match r {
        Err(e) if what(&e) => {}
        other => panic!("expected the refusal, got {other:?}"),
    }
}

async fn role_of(db: &Db, user: &User) -> Option<Role> {
    db.user_by_id(&user.id).await.unwrap().map(|u| u.role)
}

async fn co_owners_manage_users_only_and_nobody_reaches_another_account(db: &Db) {
    let boss = owner(db, "boss@acme.example.com").await;
    let co = member(db, &boss, "co@acme.example.com", Role::CoOwner).await;
    let co2 = member(db, &boss, "co2@acme.example.com", Role::CoOwner).await;
    let user = member(db, &boss, "user@acme.example.com", Role::User).await;

    refused(members::invite(db, &co, "x@acme.example.com", Role::CoOwner, NOW).await, |e| {
        matches!(e, MemberError::OwnerOnly)
    });
    refused(members::invite(db, &co, "x@acme.example.com", Role::Owner, NOW).await, |e| {
        matches!(e, MemberError::BadRole)
    });
    refused(members::invite(db, &user, "x@acme.example.com", Role::User, NOW).await, |e| {
        matches!(e, MemberError::OwnerOnly)
    });
    refused(members::remove(db, &co, "boss@acme.example.com", NOW).await, |e| matches!(e, MemberError::NotYours));
    refused(members::remove(db, &co, "co2@acme.example.com", NOW).await, |e| matches!(e, MemberError::NotYours));
    refused(members::change_role(db, &co, "user@acme.example.com", Role::CoOwner, NOW).await, |e| {
        matches!(e, MemberError::OwnerOnly)
    });
    refused(members::ownership_candidate(db, &co, "user@acme.example.com").await, |e| {
        matches!(e, MemberError::OwnerOnly)
    });
    refused(members::remove(db, &boss, "boss@acme.example.com", NOW).await, |e| matches!(e, MemberError::Yourself));
    assert_eq!(role_of(db, &boss).await, Some(Role::Owner));
    assert_eq!(role_of(db, &co2).await, Some(Role::CoOwner));

    // A co-owner invites users.
    let invited = members::invite(db, &co, "new@acme.example.com", Role::User, NOW).await.unwrap();
    assert_eq!(invited.user.account_id, boss.account_id);
    assert_eq!(audits(db, Some(&invited.user), "user.invited", "as user").await, 1);

    // Another account's owner gets the answer an unknown address gets.
    let stranger = owner(db, "other@globex.example.com").await;
    for email in ["user@acme.example.com", "nobody@acme.example.com"] {
        refused(members::remove(db, &stranger, email, NOW).await, |e| matches!(e, MemberError::NotFound));
        refused(members::resend(db, &stranger, email, NOW).await, |e| matches!(e, MemberError::NotFound));
        refused(members::change_role(db, &stranger, email, Role::CoOwner, NOW).await, |e| {
            matches!(e, MemberError::NotFound)
        });
    }
    assert_eq!(role_of(db, &user).await, Some(Role::User));
    members::remove(db, &co, "user@acme.example.com", NOW).await.unwrap();
    assert_eq!(role_of(db, &user).await, None);
}

async fn an_invitation_sent_again_kills_the_first_and_a_revoked_one_works_no_more(db: &Db) {
    let boss = owner(db, "boss@acme.example.com").await;
    let first = members::invite(db, &boss, "new@acme.example.com", Role::User, NOW).await.unwrap();
    let again = members::resend(db, &boss, "new@acme.example.com", NOW.plus_secs(60)).await.unwrap();
    assert!(db.pending_invitation(&first.token.hash(), NOW.plus_secs(61)).await.unwrap().is_none());
    assert!(db.pending_invitation(&again.token.hash(), NOW.plus_secs(61)).await.unwrap().is_some());
    assert_eq!(again.expires_at, NOW.plus_secs(60 + admin::INVITATION_TTL_SECS));
    assert_eq!(audits(db, Some(&first.user), "user.invitation_resent", "").await, 1);

    members::revoke(db, &boss, "new@acme.example.com", NOW).await.unwrap();
    assert!(db.pending_invitation(&again.token.hash(), NOW.plus_secs(61)).await.unwrap().is_none());
    assert!(db.user_by_id(&first.user.id).await.unwrap().is_none());
    assert_eq!(audits(db, Some(&first.user), "user.invitation_revoked", "").await, 1);

    // Someone who accepted is past invitations, also when they came in through single sign-on
    // (which sets no password): they are removed, not revoked, and can become the owner.
    member(db, &boss, "in@acme.example.com", Role::User).await;
    let issued = members::invite(db, &boss, "sso@acme.example.com", Role::User, NOW).await.unwrap();
    let sso = issued.user;
    let identity = SsoIdentity {
        issuer: "https://id.acme.example.com".into(),
        subject: "sub-sso".into(),
        user_id: sso.id.clone(),
        provider_id: "acme".into(),
        email_at_link: "sso@acme.example.com".into(),
        linked_at: NOW,
    };
    assert!(db.link_sso_identity(&identity, Some(&issued.token.hash()), NOW).await.unwrap());
    for email in ["in@acme.example.com", "sso@acme.example.com"] {
        refused(members::resend(db, &boss, email, NOW).await, |e| matches!(e, MemberError::NotPending(_)));
        refused(members::revoke(db, &boss, email, NOW).await, |e| matches!(e, MemberError::NotPending(_)));
    }
    let listed = db.account_members(boss.account_id.as_ref().unwrap()).await.unwrap();
    assert!(listed.iter().filter(|m| m.user.email.as_str() != "boss@acme.example.com").all(|m| m.joined));
    assert!(db.user_by_id(&sso.id).await.unwrap().is_some());
    members::ownership_candidate(db, &boss, "sso@acme.example.com").await.unwrap();
}

async fn roles_change_and_ownership_moves_with_one_owner_at_every_moment(db: &Db) {
    let boss = owner(db, "boss@acme.example.com").await;
    let kim = member(db, &boss, "kim@acme.example.com", Role::User).await;
    let sam = member(db, &boss, "sam@acme.example.com", Role::User).await;
    let (changed, before) =
        members::change_role(db, &boss, "kim@acme.example.com", Role::CoOwner, NOW).await.unwrap().unwrap();
    assert_eq!((changed.role, before), (Role::CoOwner, Role::User));
    assert!(members::change_role(db, &boss, "kim@acme.example.com", Role::CoOwner, NOW).await.unwrap().is_none());
    assert_eq!(audits(db, Some(&kim), "user.role_changed", "from user to co-owner").await, 1);

    let pending = members::invite(db, &boss, "new@acme.example.com", Role::User, NOW).await.unwrap();
    refused(members::ownership_candidate(db, &boss, &pending.user.email.to_string()).await, |e| {
        matches!(e, MemberError::StillInvited(_))
    });

    // Two handovers decided at once (to Kim, to Sam): one goes through, the account keeps
    // one owner.
    let to_kim = members::ownership_candidate(db, &boss, "kim@acme.example.com").await.unwrap();
    let to_sam = members::ownership_candidate(db, &boss, "sam@acme.example.com").await.unwrap();
    let (a, b) = tokio::join!(
        members::transfer_ownership(db, &boss, to_kim, NOW),
        members::transfer_ownership(db, &boss, to_sam, NOW)
    );
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let owners = db.account_members(boss.account_id.as_ref().unwrap()).await.unwrap();
    let owners: Vec<_> = owners.iter().filter(|m| m.user.role == Role::Owner).collect();
    assert_eq!(owners.len(), 1);
    assert_eq!(role_of(db, &boss).await, Some(Role::CoOwner));
    let new_owner = if a.is_ok() { &kim } else { &sam };
    assert_eq!(owners[0].user.id, new_owner.id);
    assert_eq!(audits(db, Some(&boss), "account.ownership_transferred", "to ").await, 1);
    assert_eq!(audits(db, Some(new_owner), "account.ownership_transferred", "from boss@").await, 1);

    // The former owner is a co-owner now: the new owner is out of reach.
    let boss = User { role: Role::CoOwner, ..boss };
    refused(members::remove(db, &boss, &new_owner.email.to_string(), NOW).await, |e| {
        matches!(e, MemberError::NotYours)
    });
}

/// Each request reads the actor once, at its start. A change decided on that role must not
/// land after the role is gone: here the requests of a co-owner the owner demoted meanwhile,
/// and of an owner who handed the account over in another tab.
async fn an_actor_whose_role_changed_meanwhile_changes_nothing(db: &Db) {
    let boss = owner(db, "boss@acme.example.com").await;
    let co = member(db, &boss, "co@acme.example.com", Role::CoOwner).await;
    let user = member(db, &boss, "user@acme.example.com", Role::User).await;
    let invited = members::invite(db, &boss, "new@acme.example.com", Role::User, NOW).await.unwrap().user;
    let role_changed = |e: &MemberError| matches!(e, MemberError::RoleChanged);

    members::change_role(db, &boss, "co@acme.example.com", Role::User, NOW).await.unwrap().unwrap();
    // `co` still says co-owner, as the demoted person's request read it.
    refused(members::remove(db, &co, "user@acme.example.com", NOW).await, role_changed);
    refused(members::revoke(db, &co, "new@acme.example.com", NOW).await, role_changed);
    refused(members::resend(db, &co, "new@acme.example.com", NOW).await, role_changed);
    refused(members::invite(db, &co, "late@acme.example.com", Role::User, NOW).await, role_changed);
    assert!(db.user_by_email(&gatehouse_core::Email::parse("late@acme.example.com").unwrap()).await.unwrap().is_none());
    assert_eq!(audits(db, None, "user.invited", "late@acme.example.com").await, 0);
    assert_eq!(role_of(db, &user).await, Some(Role::User));
    assert_eq!(role_of(db, &invited).await, Some(Role::User));
    assert!(db.user_by_id(&invited.id).await.unwrap().is_some_and(|u| !u.has_password));

    let to = members::ownership_candidate(db, &boss, "user@acme.example.com").await.unwrap();
    members::transfer_ownership(db, &boss, to.clone(), NOW).await.unwrap();
    // `boss` still says owner, as the other tab's request read it.
    refused(members::change_role(db, &boss, "co@acme.example.com", Role::CoOwner, NOW).await, role_changed);
    refused(members::remove(db, &boss, "co@acme.example.com", NOW).await, role_changed);
    refused(members::transfer_ownership(db, &boss, to, NOW).await, role_changed);
    // A co-owner now, who may invite users but not co-owners.
    refused(members::invite(db, &boss, "late@acme.example.com", Role::CoOwner, NOW).await, role_changed);
    assert_eq!(role_of(db, &co).await, Some(Role::User));
    assert_eq!(role_of(db, &boss).await, Some(Role::CoOwner));
    assert_eq!(role_of(db, &user).await, Some(Role::Owner));
    assert_eq!(audits(db, None, "user.removed", "").await, 0);
    assert_eq!(audits(db, None, "user.invitation_revoked", "").await, 0);
    assert_eq!(audits(db, None, "user.invitation_resent", "").await, 0);
}

async fn removal_ends_the_sessions_at_once(db: &Db) {
    let boss = owner(db, "boss@acme.example.com").await;
    let kim = member(db, &boss, "kim@acme.example.com", Role::CoOwner).await;
    let session = SessionRecord {
        id: "kim-session".into(),
        user_id: Some(kim.id.clone()),
        data: b"{}".to_vec(),
        expires_at: NOW.plus_secs(3600),
        last_seen_at: NOW,
        facts: None,
        generation: None,
    };
    assert!(db.create_session(&session).await.unwrap());
    members::remove(db, &boss, "kim@acme.example.com", NOW).await.unwrap();
    assert!(db.load_session("kim-session", NOW).await.unwrap().is_none());
    assert!(db.user_by_id(&kim.id).await.unwrap().is_none());
    assert_eq!(audits(db, Some(&kim), "user.removed", "kim@acme.example.com (co-owner) removed").await, 1);
    refused(members::remove(db, &boss, "kim@acme.example.com", NOW).await, |e| matches!(e, MemberError::NotFound));
}

/// 30 invitations in a row are free, a taken address among them; then each waits longer. The
/// count is the inviter's: another owner invites meanwhile.
async fn invitations_are_limited_per_inviter_and_a_taken_address_counts(db: &Db) {
    let acme = owner(db, "owner@acme.example.com").await;
    let other = owner(db, "owner@other.example.com").await;
    refused(members::invite(db, &acme, "owner@other.example.com", Role::User, NOW).await, |e| {
        matches!(e, MemberError::EmailTaken(_))
    });
    // A mistyped address is not counted: nothing was asked of the directory.
    for _ in 0..5 {
        refused(members::invite(db, &acme, "not an address", Role::User, NOW).await, |e| {
            matches!(e, MemberError::InvalidEmail)
        });
    }
    for n in 1..29 {
        members::invite(db, &acme, &format!("p{n}@acme.example.com"), Role::User, NOW).await.unwrap();
    }
    let last = members::invite(db, &acme, "p29@acme.example.com", Role::User, NOW).await.unwrap();
    // The 30th started a wait of a second, which lasts through the next whole second.
    let blocked = members::invite(db, &acme, "p30@acme.example.com", Role::User, NOW).await;
    refused(blocked, |e| matches!(e, MemberError::Blocked(b) if b.wait_secs == 2));
    assert!(db.user_by_email(&gatehouse_core::Email::parse("p30@acme.example.com").unwrap()).await.unwrap().is_none());
    // Sending one again counts too.
    refused(members::resend(db, &acme, last.user.email.as_str(), NOW).await, |e| matches!(e, MemberError::Blocked(_)));
    members::invite(db, &other, "q1@other.example.com", Role::User, NOW).await.unwrap();

    // The 31st waits two seconds.
    members::resend(db, &acme, last.user.email.as_str(), NOW.plus_secs(2)).await.unwrap();
    let message = members::invite(db, &acme, "p30@acme.example.com", Role::User, NOW.plus_secs(2)).await.unwrap_err();
    assert_eq!(message.to_string(), "You have sent many invitations in a short time. Try again in 3 seconds.");
    members::invite(db, &acme, "p30@acme.example.com", Role::User, NOW.plus_secs(5)).await.unwrap();
}
