//! The records the core reasons about, as plain data.

use crate::{Email, Id, Role, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: Id,
    pub name: String,
    pub created_at: Timestamp,
}

impl Account {
    /// The form of a name that uniqueness and look-ups use: people type account names on
    /// the support form from memory, so case and surrounding spaces must not matter.
    pub fn name_key(name: &str) -> String {
        name.trim().to_lowercase()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: Id,
    /// `None` exactly for support agents.
    pub account_id: Option<Id>,
    pub email: Email,
    pub role: Role,
    /// False until the invitation is accepted.
    pub has_password: bool,
    pub created_at: Timestamp,
}

/// An invitation as stored: only the token's hash, with its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInvitation {
    pub token_hash: crate::token::TokenHash,
    pub user_id: Id,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An invitation that can still be accepted, with whom and where it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvitation {
    pub user: User,
    pub account: Option<Account>,
    pub expires_at: Timestamp,
}

/// What happened, for the audit log. The names are stable: they are what operators grep for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditKind {
    AccountCreated,
    UserInvited,
    SupportAgentCreated,
    InvitationAccepted,
    PasswordSet,
    AuthenticatorConfirmed,
    SignInSucceeded,
    SignInFailed,
    CodeReplayRefused,
    Throttled,
    SignedOut,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::AccountCreated => "account.created",
            AuditKind::UserInvited => "user.invited",
            AuditKind::SupportAgentCreated => "agent.created",
            AuditKind::InvitationAccepted => "invitation.accepted",
            AuditKind::PasswordSet => "password.set",
            AuditKind::AuthenticatorConfirmed => "totp.confirmed",
            AuditKind::SignInSucceeded => "signin.succeeded",
            AuditKind::SignInFailed => "signin.failed",
            AuditKind::CodeReplayRefused => "totp.replay_refused",
            AuditKind::Throttled => "signin.throttled",
            AuditKind::SignedOut => "signout",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub kind: AuditKind,
    pub account_id: Option<Id>,
    /// The person the event is about.
    pub user_id: Option<Id>,
    /// Who caused it, when that is someone else (an owner inviting, an agent approving).
    pub actor_id: Option<Id>,
    pub client_ip: Option<String>,
    pub detail: String,
}

impl AuditEvent {
    pub fn new(kind: AuditKind) -> Self {
        AuditEvent { kind, account_id: None, user_id: None, actor_id: None, client_ip: None, detail: String::new() }
    }
}

/// An audit entry read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub kind: String,
    pub account_id: Option<Id>,
    pub user_id: Option<Id>,
    pub actor_id: Option<Id>,
    pub client_ip: Option<String>,
    pub detail: String,
}

/// A server-side web session. `data` is opaque to storage; `user_id` is kept beside it so
/// that all of a person's sessions can be listed and ended at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub user_id: Option<Id>,
    pub data: Vec<u8>,
    pub expires_at: Timestamp,
}
