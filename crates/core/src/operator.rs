//! What the operator does from the command line (`gatehouse admin ...`) beyond creating
//! people (`crate::admin`): looking at accounts, a person's 2FA reset when no support request
//! can be made (break-glass), ending a person's sessions, and reading the audit log for a
//! SIEM. Every change is audited with no actor and the detail "by the operator": the command
//! line is nobody's session.

use crate::email::InvalidEmail;
use crate::model::{Account, AuditEvent, AuditKind, User};
use crate::store::{AuditLog, Directory, Operations, SessionRecords, StoreError};
use crate::{Email, Id, Role, Timestamp};

/// As long as an agent's reason for rejecting a request may be.
pub const REASON_MAX_CHARS: usize = crate::support::service::REASON_MAX_CHARS;

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error(transparent)]
    InvalidEmail(#[from] InvalidEmail),
    #[error("nobody signs in with {0}")]
    UnknownEmail(Email),
    #[error("no account is named “{0}”")]
    UnknownAccount(String),
    #[error("{0} is a support agent: add --agent to reset a support agent's 2FA")]
    AgentNeedsFlag(Email),
    #[error("give a --reason (1 to {REASON_MAX_CHARS} characters): it is kept in the audit log")]
    NoReason,
    #[error("{0} is not a support agent")]
    NotAgent(Email),
    #[error("{0} changed meanwhile; nothing was done, run the command again")]
    Changed(Email),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An account as the listing shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSummary {
    pub account: Account,
    /// People who joined, and people invited who have not yet.
    pub joined: i64,
    pub invited: i64,
    pub owner: Option<Email>,
}

/// Which audit entries to export; each `None` is no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub since: Option<Timestamp>,
    pub account_id: Option<Id>,
    pub user_id: Option<Id>,
}

fn operator_event(kind: AuditKind, person: &User, detail: String) -> AuditEvent {
    let mut e = AuditEvent::new(kind);
    e.user_id = Some(person.id.clone());
    e.account_id = person.account_id.clone();
    e.detail = detail;
    e
}

/// The person who signs in with `email` (the one who joined, else the one invited first).
pub async fn person<S: Directory + ?Sized>(store: &S, email: &str) -> Result<User, OperatorError> {
    let email = Email::parse(email)?;
    store.user_by_email(&email).await?.ok_or(OperatorError::UnknownEmail(email))
}

pub async fn account<S: Directory + ?Sized>(store: &S, name: &str) -> Result<Account, OperatorError> {
    store
        .account_by_name(&Account::name_key(name))
        .await?
        .ok_or_else(|| OperatorError::UnknownAccount(name.trim().to_owned()))
}

/// Break-glass: what an approved support request does to its target (authenticator, setup in
/// progress and recovery codes gone, every session ended and its applications logged out), in
/// one transaction with its audit entry. A support agent's 2FA only with `agent_ok`: the agents
/// are who decide resets, so resetting one is never a slip of the keyboard. The caller mails
/// the person a setup link, as after an approval.
pub async fn reset_2fa<S>(
    store: &S,
    email: &str,
    reason: &str,
    agent_ok: bool,
    now: Timestamp,
) -> Result<User, OperatorError>
where
    S: Directory + Operations + ?Sized,
{
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX_CHARS || reason.chars().any(char::is_control) {
        return Err(OperatorError::NoReason);
    }
    let person = person(store, email).await?;
    if person.role == Role::Agent && !agent_ok {
        return Err(OperatorError::AgentNeedsFlag(person.email));
    }
    let audit = [operator_event(
        AuditKind::AuthenticatorReset,
        &person,
        format!("by the operator: {reason}; all sessions ended"),
    )];
    if !store.reset_second_factor(&person.id, now, &audit).await? {
        return Err(OperatorError::Changed(person.email));
    }
    Ok(person)
}

/// Ends every session of the person's (their applications are logged out): how many ended.
pub async fn end_sessions<S>(store: &S, email: &str, now: Timestamp) -> Result<(User, u64), OperatorError>
where
    S: Directory + SessionRecords + AuditLog + ?Sized,
{
    let person = person(store, email).await?;
    let (ended, _) = store.delete_user_sessions(&person.id).await?;
    let detail = format!("all {ended} sessions ended by the operator");
    store.record(now, &operator_event(AuditKind::SessionEnded, &person, detail)).await?;
    Ok((person, ended))
}

/// Removes a support agent: they can no longer sign in, their sessions end at once. The
/// requests they decided keep saying so (by id) in the console and the audit log.
pub async fn remove_agent<S>(store: &S, email: &str, now: Timestamp) -> Result<User, OperatorError>
where
    S: Directory + Operations + ?Sized,
{
    let person = person(store, email).await?;
    if person.role != Role::Agent {
        return Err(OperatorError::NotAgent(person.email));
    }
    let event = operator_event(
        AuditKind::UserRemoved,
        &person,
        format!("support agent {} removed by the operator", person.email),
    );
    if !store.remove_agent(&person.id, now, &[event]).await? {
        return Err(OperatorError::Changed(person.email));
    }
    Ok(person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_events_name_the_person_and_no_actor() {
        let person = User {
            id: Id::random(),
            account_id: Some(Id::random()),
            email: Email::parse("a@example.com").unwrap(),
            role: Role::User,
            has_password: true,
            joined: true,
            created_at: Timestamp(1),
            session_generation: 0,
            language: None,
        };
        let e = operator_event(AuditKind::SessionEnded, &person, "x".into());
        assert_eq!(e.user_id.as_ref(), Some(&person.id));
        assert_eq!(e.account_id, person.account_id);
        assert_eq!(e.actor_id, None);
    }
}
