//! Operator actions: creating accounts with their owner, inviting people, creating agents.
//!
//! Each one creates the person without a password plus a single-use invitation; the caller
//! mails the link (and the command line prints it).

use crate::email::InvalidEmail;
use crate::model::{Account, AuditEvent, AuditKind, NewInvitation, User};
use crate::store::{AuditLog, Conflict, Directory, StoreError};
use crate::token::Token;
use crate::{Email, Id, Role, Timestamp};

/// Invitations expire after a week: long enough for someone on holiday, short enough that a
/// forgotten mail is not a standing key to the account.
pub const INVITATION_TTL_SECS: i64 = 7 * 24 * 60 * 60;
pub const ACCOUNT_NAME_MAX_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    InvalidEmail(#[from] InvalidEmail),
    #[error("the account name must be 1 to {ACCOUNT_NAME_MAX_CHARS} characters, without control characters")]
    InvalidAccountName,
    #[error("an account named “{0}” already exists")]
    AccountNameTaken(String),
    #[error("no account is named “{0}”")]
    UnknownAccount(String),
    #[error("{0} already has a Gatehouse user")]
    EmailTaken(Email),
    #[error("invitations are for users and co-owners; the {} is set when the account is created", .0.label())]
    RoleNotInvitable(Role),
    /// The owner or co-owner who asked no longer holds the role they asked with.
    #[error("the inviter's role changed meanwhile")]
    InviterChanged,
    #[error(transparent)]
    Store(StoreError),
}

/// An invitation just issued. The token is in clear only here, to be mailed and printed.
#[derive(Debug)]
pub struct IssuedInvitation {
    pub token: Token,
    pub user: User,
    pub account: Option<Account>,
    pub expires_at: Timestamp,
}

impl IssuedInvitation {
    /// The link the invitation mail carries (and the command line prints).
    pub fn link(&self, public_url: &str) -> String {
        format!("{public_url}/Account/AcceptInvitation?token={}", self.token.reveal())
    }
}

fn validate_account_name(name: &str) -> Result<String, AdminError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > ACCOUNT_NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(AdminError::InvalidAccountName);
    }
    Ok(name.to_owned())
}

fn new_user(account_id: Option<Id>, email: Email, role: Role, now: Timestamp) -> User {
    User {
        id: Id::random(),
        account_id,
        email,
        role,
        has_password: false,
        joined: false,
        created_at: now,
        session_generation: 0,
        language: None,
    }
}

pub(crate) fn invitation_for(user: &User, now: Timestamp) -> (Token, NewInvitation) {
    let token = Token::generate();
    let row = NewInvitation {
        token_hash: token.hash(),
        user_id: user.id.clone(),
        created_at: now,
        expires_at: now.plus_secs(INVITATION_TTL_SECS),
    };
    (token, row)
}

/// Refuses an address someone joined with, in any account: a person belongs to one account.
/// Only an invitation accepted reserves an address, so another account's pending invitation
/// never keeps this one from inviting it (the first accepted wins).
async fn not_joined<S: Directory + ?Sized>(store: &S, email: &Email) -> Result<(), AdminError> {
    match store.user_by_email(email).await.map_err(AdminError::Store)? {
        Some(user) if user.joined => Err(AdminError::EmailTaken(email.clone())),
        _ => Ok(()),
    }
}

fn conflict_error(err: StoreError, name: &str, email: &Email) -> AdminError {
    match err {
        StoreError::Conflict(Conflict::AccountName) => AdminError::AccountNameTaken(name.to_owned()),
        StoreError::Conflict(Conflict::Email) => AdminError::EmailTaken(email.clone()),
        other => AdminError::Store(other),
    }
}

pub async fn create_account<S: Directory + AuditLog>(
    store: &S,
    name: &str,
    owner_email: &str,
    now: Timestamp,
) -> Result<IssuedInvitation, AdminError> {
    let name = validate_account_name(name)?;
    let email = Email::parse(owner_email)?;
    not_joined(store, &email).await?;
    let account = Account { id: Id::random(), name: name.clone(), created_at: now };
    let owner = new_user(Some(account.id.clone()), email.clone(), Role::Owner, now);
    let (token, row) = invitation_for(&owner, now);
    store.insert_account(&account, &owner, &row).await.map_err(|e| conflict_error(e, &name, &email))?;

    let mut event = AuditEvent::new(AuditKind::AccountCreated);
    event.account_id = Some(account.id.clone());
    event.user_id = Some(owner.id.clone());
    event.detail = format!("account “{name}” with owner {email}");
    store.record(now, &event).await.map_err(AdminError::Store)?;
    Ok(IssuedInvitation { token, user: owner, account: Some(account), expires_at: row.expires_at })
}

/// Invites a user or co-owner into an existing account, named as the operator types it.
/// `actor` is the owner or co-owner who asked, when it was not the operator's command line:
/// the invitation is made only while they still hold the role they asked with.
pub async fn invite<S: Directory + AuditLog>(
    store: &S,
    account_name: &str,
    email: &str,
    role: Role,
    actor: Option<&User>,
    now: Timestamp,
) -> Result<IssuedInvitation, AdminError> {
    let account = store
        .account_by_name(&Account::name_key(account_name))
        .await
        .map_err(AdminError::Store)?
        .ok_or_else(|| AdminError::UnknownAccount(account_name.trim().to_owned()))?;
    invite_into(store, account, email, role, actor, now).await
}

/// [`invite`] into an account already found (the Users page knows its account).
pub async fn invite_into<S: Directory + AuditLog>(
    store: &S,
    account: Account,
    email: &str,
    role: Role,
    actor: Option<&User>,
    now: Timestamp,
) -> Result<IssuedInvitation, AdminError> {
    if !matches!(role, Role::User | Role::CoOwner) {
        return Err(AdminError::RoleNotInvitable(role));
    }
    let email = Email::parse(email)?;
    not_joined(store, &email).await?;
    let user = new_user(Some(account.id.clone()), email.clone(), role, now);
    let (token, row) = invitation_for(&user, now);
    if !store.insert_user(&user, &row, actor).await.map_err(|e| conflict_error(e, &account.name, &email))? {
        return Err(AdminError::InviterChanged);
    }

    let mut event = AuditEvent::new(AuditKind::UserInvited);
    event.account_id = Some(account.id.clone());
    event.user_id = Some(user.id.clone());
    event.actor_id = actor.map(|a| a.id.clone());
    event.detail = format!("{email} invited as {}", role.label());
    store.record(now, &event).await.map_err(AdminError::Store)?;
    Ok(IssuedInvitation { token, user, account: Some(account), expires_at: row.expires_at })
}

pub async fn create_support_agent<S: Directory + AuditLog>(
    store: &S,
    email: &str,
    now: Timestamp,
) -> Result<IssuedInvitation, AdminError> {
    let email = Email::parse(email)?;
    not_joined(store, &email).await?;
    let agent = new_user(None, email.clone(), Role::Agent, now);
    let (token, row) = invitation_for(&agent, now);
    store.insert_user(&agent, &row, None).await.map_err(|e| conflict_error(e, "", &email))?;

    let mut event = AuditEvent::new(AuditKind::SupportAgentCreated);
    event.user_id = Some(agent.id.clone());
    event.detail = format!("support agent {email}");
    store.record(now, &event).await.map_err(AdminError::Store)?;
    Ok(IssuedInvitation { token, user: agent, account: None, expires_at: row.expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_trimmed_and_bounded() {
        assert_eq!(validate_account_name("  Acme Ltd ").unwrap(), "Acme Ltd");
        assert!(validate_account_name("   ").is_err());
        assert!(validate_account_name("a\u{7}b").is_err());
        assert!(validate_account_name(&"é".repeat(ACCOUNT_NAME_MAX_CHARS)).is_ok());
        assert!(validate_account_name(&"é".repeat(ACCOUNT_NAME_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn invitations_last_a_week_and_store_only_the_hash() {
        let user = new_user(None, Email::parse("a@example.com").unwrap(), Role::Agent, Timestamp(1000));
        let (token, row) = invitation_for(&user, Timestamp(1000));
        assert_eq!(row.expires_at, Timestamp(1000 + 7 * 86400));
        assert_eq!(row.token_hash, token.hash());
        assert_ne!(row.token_hash.0, token.reveal());
    }
}
