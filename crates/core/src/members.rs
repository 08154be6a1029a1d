//! What an account's owner and co-owners do on the Users page: invite people, send an
//! invitation again or revoke it, change roles, hand over ownership, remove someone.
//!
//! Who may act on whom is decided here ([`may_manage`]); the store then makes each change
//! conditional on both roles as they were decided on: a person promoted or removed meanwhile
//! is not changed, and an actor demoted meanwhile (or who handed the account over in another
//! tab) changes nothing, new invitations included.

use crate::admin::{self, AdminError, IssuedInvitation};
use crate::model::{AuditEvent, AuditKind, User};
use crate::store::{AuditLog, Directory, Members, StoreError, Throttles};
use crate::throttle::{self, Key, ThrottleError};
use crate::{Email, Id, Role, Timestamp};
use gatehouse_l10n::say;

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Also for someone in another account: an owner learns nothing about other accounts.
    #[error("{}", say("error-members-not-found", &[]))]
    NotFound,
    #[error("{}", say("error-members-owner-only", &[]))]
    OwnerOnly,
    #[error("{}", say("error-members-not-yours", &[]))]
    NotYours,
    #[error("{}", say("error-members-yourself", &[]))]
    Yourself,
    #[error("{}", say("error-members-not-pending", &[("email", .0.as_str().into())]))]
    NotPending(Email),
    #[error("{}", say("error-members-still-invited", &[("email", .0.as_str().into())]))]
    StillInvited(Email),
    #[error("{}", say("error-members-bad-role", &[]))]
    BadRole,
    #[error("{}", say("error-members-invalid-email", &[]))]
    InvalidEmail,
    #[error("{}", say("error-members-email-taken", &[("email", .0.as_str().into())]))]
    EmailTaken(Email),
    #[error("{}", say("error-members-role-changed", &[]))]
    RoleChanged,
    #[error("{}", say("error-members-blocked", &crate::throttle::wait_args(.0.wait_secs)))]
    Blocked(crate::throttle::Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AdminError> for MemberError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::InvalidEmail(_) => MemberError::InvalidEmail,
            AdminError::EmailTaken(email) => MemberError::EmailTaken(email),
            AdminError::RoleNotInvitable(_) => MemberError::BadRole,
            AdminError::InviterChanged => MemberError::RoleChanged,
            AdminError::Store(e) => MemberError::Store(e),
            // The account was found by id: its name is not in question.
            other => MemberError::Store(StoreError::Backend(other.to_string().into())),
        }
    }
}

/// Whether someone with role `actor` may change, resend to or remove someone with role
/// `target` of the same account: the owner everyone else, a co-owner users only.
pub fn may_manage(actor: Role, target: Role) -> bool {
    match actor {
        Role::Owner => matches!(target, Role::CoOwner | Role::User),
        Role::CoOwner => target == Role::User,
        Role::User | Role::Agent => false,
    }
}

/// Whom `actor` may invite as: the owner users and co-owners, a co-owner users.
pub fn may_invite(actor: Role, role: Role) -> bool {
    match role {
        Role::User => actor.manages_account(),
        Role::CoOwner => actor == Role::Owner,
        Role::Owner | Role::Agent => false,
    }
}

/// The member of the actor's account with this email address (other accounts may have
/// invited the same address: theirs are never reached from here).
async fn member<S: Directory>(store: &S, actor: &User, email: &str) -> Result<User, MemberError> {
    let email = Email::parse(email).map_err(|_| MemberError::NotFound)?;
    let account = actor.account_id.as_ref().ok_or(MemberError::NotFound)?;
    store.member_by_email(account, &email).await?.ok_or(MemberError::NotFound)
}

/// Why a conditional change did nothing: the actor's role changed since the request began,
/// or else the person's (`person_changed`).
async fn unchanged<S: Directory>(store: &S, actor: &User, person_changed: MemberError) -> MemberError {
    match store.user_by_id(&actor.id).await {
        Ok(Some(now)) if now.role == actor.role => person_changed,
        Ok(_) => MemberError::RoleChanged,
        Err(e) => e.into(),
    }
}

/// The member, if the actor may manage them (and they are not the actor).
async fn managed<S: Directory>(store: &S, actor: &User, email: &str) -> Result<User, MemberError> {
    let user = member(store, actor, email).await?;
    if user.id == actor.id {
        return Err(MemberError::Yourself);
    }
    if !may_manage(actor.role, user.role) {
        return Err(if actor.role == Role::CoOwner { MemberError::NotYours } else { MemberError::OwnerOnly });
    }
    Ok(user)
}

fn event(kind: AuditKind, actor: &User, about: &Id, detail: String) -> AuditEvent {
    let mut event = AuditEvent::new(kind);
    event.account_id = actor.account_id.clone();
    event.user_id = Some(about.clone());
    event.actor_id = Some(actor.id.clone());
    event.detail = detail;
    event
}

pub async fn invite<S: Directory + AuditLog + Throttles>(
    store: &S,
    actor: &User,
    email: &str,
    role: Role,
    now: Timestamp,
) -> Result<IssuedInvitation, MemberError> {
    if !matches!(role, Role::User | Role::CoOwner) {
        return Err(MemberError::BadRole);
    }
    if !may_invite(actor.role, role) {
        return Err(MemberError::OwnerOnly);
    }
    let account_id = actor.account_id.as_ref().ok_or(MemberError::NotFound)?;
    let account = store.account_by_id(account_id).await?.ok_or(MemberError::NotFound)?;
    let keys = counted(store, actor, now).await?;
    let made = admin::invite_into(store, account, email, role, Some(actor), now).await;
    // A taken address counts like an invitation: asking is what is being limited.
    settle(store, &keys, matches!(made, Ok(_) | Err(AdminError::EmailTaken(_))), now).await?;
    Ok(made?)
}

/// Reserves one invitation on the inviter's counter ([`throttle::invite_keys`]).
async fn counted<S: Throttles + ?Sized>(store: &S, actor: &User, now: Timestamp) -> Result<Vec<Key>, MemberError> {
    let keys = throttle::invite_keys(actor.id.as_str());
    throttle::reserve(store, &keys, now).await.map_err(|e| match e {
        ThrottleError::Blocked(b) => MemberError::Blocked(b),
        ThrottleError::Store(s) => MemberError::Store(s),
    })?;
    Ok(keys)
}

async fn settle<S: Throttles + ?Sized>(
    store: &S,
    keys: &[Key],
    counts: bool,
    now: Timestamp,
) -> Result<(), MemberError> {
    if counts {
        throttle::fail(store, keys, now).await?;
    } else {
        throttle::release(store, keys).await?;
    }
    Ok(())
}

/// A new invitation link for someone who has not accepted yet; their earlier links die.
pub async fn resend<S: Directory + Members + AuditLog + Throttles>(
    store: &S,
    actor: &User,
    email: &str,
    now: Timestamp,
) -> Result<IssuedInvitation, MemberError> {
    let user = managed(store, actor, email).await?;
    let (token, row) = admin::invitation_for(&user, now);
    let keys = counted(store, actor, now).await?;
    let renewed = store.renew_invitation(actor, &row).await;
    settle(store, &keys, matches!(renewed, Ok(true)), now).await?;
    if !renewed? {
        return Err(unchanged(store, actor, MemberError::NotPending(user.email)).await);
    }
    let detail = format!("{} invited again as {}", user.email, user.role.label());
    store.record(now, &event(AuditKind::InvitationResent, actor, &user.id, detail)).await?;
    let account = match &user.account_id {
        Some(id) => store.account_by_id(id).await?,
        None => None,
    };
    Ok(IssuedInvitation { token, user, account, expires_at: row.expires_at })
}

/// Withdraws an invitation that was not accepted: the person is gone, their link with them.
pub async fn revoke<S: Directory + Members + AuditLog>(
    store: &S,
    actor: &User,
    email: &str,
    now: Timestamp,
) -> Result<User, MemberError> {
    let user = managed(store, actor, email).await?;
    if !store.delete_invited(actor, &user.id, user.role).await? {
        return Err(unchanged(store, actor, MemberError::NotPending(user.email)).await);
    }
    let detail = format!("invitation of {} revoked", user.email);
    store.record(now, &event(AuditKind::InvitationRevoked, actor, &user.id, detail)).await?;
    Ok(user)
}

/// The owner makes a user a co-owner or back. The person's role before, when it changed.
pub async fn change_role<S: Directory + Members + AuditLog>(
    store: &S,
    actor: &User,
    email: &str,
    role: Role,
    now: Timestamp,
) -> Result<Option<(User, Role)>, MemberError> {
    if !matches!(role, Role::User | Role::CoOwner) {
        return Err(MemberError::BadRole);
    }
    if actor.role != Role::Owner {
        return Err(MemberError::OwnerOnly);
    }
    let user = managed(store, actor, email).await?;
    if user.role == role {
        return Ok(None);
    }
    if !store.set_role(actor, &user.id, user.role, role).await? {
        // Changed or removed by someone else since it was read.
        return Err(unchanged(store, actor, MemberError::NotFound).await);
    }
    let detail = format!("from {} to {}", user.role.label(), role.label());
    store.record(now, &event(AuditKind::RoleChanged, actor, &user.id, detail)).await?;
    let before = user.role;
    Ok(Some((User { role, ..user }, before)))
}

/// Whom the owner may hand the account to: asked before the owner's code, so that a
/// refusal uses no code up.
pub async fn ownership_candidate<S: Directory + Members>(
    store: &S,
    actor: &User,
    email: &str,
) -> Result<User, MemberError> {
    if actor.role != Role::Owner {
        return Err(MemberError::OwnerOnly);
    }
    let user = managed(store, actor, email).await?;
    if !store.has_joined(&user.id).await? {
        return Err(MemberError::StillInvited(user.email));
    }
    Ok(user)
}

/// The owner hands the account to `to` (an [`ownership_candidate`], after a fresh second
/// factor): `to` becomes its owner, the owner a co-owner. The new owner.
pub async fn transfer_ownership<S: Directory + Members + AuditLog>(
    store: &S,
    actor: &User,
    to: User,
    now: Timestamp,
) -> Result<User, MemberError> {
    if !store.transfer_ownership(&actor.id, &to.id, to.role).await? {
        // Changed or removed by someone else since it was read, or handed over already.
        return Err(unchanged(store, actor, MemberError::NotFound).await);
    }
    let detail = format!("to {}", to.email);
    store.record(now, &event(AuditKind::OwnershipTransferred, actor, &actor.id, detail)).await?;
    let detail = format!("from {}", actor.email);
    store.record(now, &event(AuditKind::OwnershipTransferred, actor, &to.id, detail)).await?;
    Ok(User { role: Role::Owner, ..to })
}

/// Removes someone from the account: their sign-in, sessions, passkeys and authenticator go
/// with them at once (the audit log keeps what they did).
pub async fn remove<S: Directory + Members + AuditLog>(
    store: &S,
    actor: &User,
    email: &str,
    now: Timestamp,
) -> Result<User, MemberError> {
    let user = managed(store, actor, email).await?;
    if !store.delete_member(actor, &user.id, user.role).await? {
        return Err(unchanged(store, actor, MemberError::NotFound).await);
    }
    let detail = format!("{} ({}) removed", user.email, user.role.label());
    store.record(now, &event(AuditKind::UserRemoved, actor, &user.id, detail)).await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_manages_everyone_else_and_co_owners_manage_users() {
        use Role::*;
        assert!(may_manage(Owner, CoOwner) && may_manage(Owner, User));
        assert!(!may_manage(Owner, Owner) && !may_manage(Owner, Agent));
        assert!(may_manage(CoOwner, User));
        assert!(!may_manage(CoOwner, Owner) && !may_manage(CoOwner, CoOwner));
        for target in [Owner, CoOwner, User, Agent] {
            assert!(!may_manage(User, target) && !may_manage(Agent, target));
        }
    }

    #[test]
    fn only_the_owner_invites_co_owners_and_nobody_invites_an_owner() {
        use Role::*;
        assert!(may_invite(Owner, User) && may_invite(Owner, CoOwner) && may_invite(CoOwner, User));
        assert!(!may_invite(CoOwner, CoOwner) && !may_invite(User, User) && !may_invite(Agent, User));
        assert!(!may_invite(Owner, Owner) && !may_invite(Owner, Agent));
    }
}
