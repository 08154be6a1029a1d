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
    /// Accepted their invitation (with a password, or through single sign-on). Only people
    /// who joined are unique by address: several accounts may invite one address.
    pub joined: bool,
    pub created_at: Timestamp,
    /// Moves on whenever all of the person's sessions are ended: a session begun under an
    /// earlier one never loads again (see `crate::store::SessionRecords`).
    pub session_generation: i64,
    /// The language the person chose (a tag such as `de`), if any.
    pub language: Option<String>,
}

/// A user as the account's Users page lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user: User,
    /// Accepted their invitation (with a password, or through single sign-on).
    pub joined: bool,
    pub has_authenticator: bool,
    pub passkeys: i64,
    pub last_sign_in: Option<Timestamp>,
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
    /// A single-use link to set up an authenticator was mailed.
    SetupLinkSent,
    AuthenticatorConfirmed,
    SignInSucceeded,
    SignInFailed,
    CodeReplayRefused,
    Throttled,
    SignedOut,
    /// Sessions ended from the Security page (one, or all others).
    SessionEnded,
    StepUp,
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    PasskeyRefused,
    PasskeyCloneSuspected,
    SsoLinked,
    SsoRefused,
    SupportRequested,
    /// A request filed signed out, confirmed from its requester's mailbox.
    SupportConfirmed,
    SupportApproved,
    SupportRejected,
    AuthenticatorReset,
    DocumentsPurged,
    RecoveryCodesIssued,
    RecoveryCodeUsed,
    AuthenticatorReplaced,
    PasswordChanged,
    PasswordResetRequested,
    PasswordReset,
    InvitationResent,
    InvitationRevoked,
    RoleChanged,
    OwnershipTransferred,
    UserRemoved,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::AccountCreated => "account.created",
            AuditKind::UserInvited => "user.invited",
            AuditKind::SupportAgentCreated => "agent.created",
            AuditKind::InvitationAccepted => "invitation.accepted",
            AuditKind::PasswordSet => "password.set",
            AuditKind::SetupLinkSent => "totp.setup_link_sent",
            AuditKind::AuthenticatorConfirmed => "totp.confirmed",
            AuditKind::SignInSucceeded => "signin.succeeded",
            AuditKind::SignInFailed => "signin.failed",
            AuditKind::CodeReplayRefused => "totp.replay_refused",
            AuditKind::Throttled => "signin.throttled",
            AuditKind::SignedOut => "signout",
            AuditKind::SessionEnded => "session.ended",
            AuditKind::StepUp => "stepup.succeeded",
            AuditKind::PasskeyAdded => "passkey.added",
            AuditKind::PasskeyRenamed => "passkey.renamed",
            AuditKind::PasskeyRemoved => "passkey.removed",
            AuditKind::PasskeyRefused => "passkey.refused",
            AuditKind::PasskeyCloneSuspected => "passkey.clone_suspected",
            AuditKind::SsoLinked => "sso.linked",
            AuditKind::SsoRefused => "sso.refused",
            AuditKind::SupportRequested => "support.requested",
            AuditKind::SupportConfirmed => "support.confirmed",
            AuditKind::SupportApproved => "support.approved",
            AuditKind::SupportRejected => "support.rejected",
            AuditKind::AuthenticatorReset => "totp.reset",
            AuditKind::DocumentsPurged => "support.documents_purged",
            AuditKind::RecoveryCodesIssued => "recovery.issued",
            AuditKind::RecoveryCodeUsed => "recovery.used",
            AuditKind::AuthenticatorReplaced => "totp.replaced",
            AuditKind::PasswordChanged => "password.changed",
            AuditKind::PasswordResetRequested => "password.reset_requested",
            AuditKind::PasswordReset => "password.reset",
            AuditKind::InvitationResent => "user.invitation_resent",
            AuditKind::InvitationRevoked => "user.invitation_revoked",
            AuditKind::RoleChanged => "user.role_changed",
            AuditKind::OwnershipTransferred => "account.ownership_transferred",
            AuditKind::UserRemoved => "user.removed",
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
/// that all of a person's sessions can be listed and ended at once, and `facts` so that the
/// person can recognise each of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub user_id: Option<Id>,
    pub data: Vec<u8>,
    /// When it ends (see `crate::sessions::Lifetime`), unless used again before.
    pub expires_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// Set once someone is fully signed in (not half-way through a sign-in).
    pub facts: Option<SessionFacts>,
    /// The person's session generation this session began under (with `user_id`).
    pub generation: Option<i64>,
}

/// What a signed-in session was started with, as its person sees it on the Security page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionFacts {
    pub signed_in_at: Timestamp,
    pub user_agent: String,
    pub client_address: String,
    /// The session as applications signed in through it know it (the ID tokens' `sid`);
    /// empty in sessions from before it was kept.
    #[serde(default)]
    pub sid: String,
}

/// A registered passkey as stored. `passkey` is the WebAuthn library's serialised credential;
/// the rest is what people see and what the clone check compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPasskey {
    pub id: Id,
    pub user_id: Id,
    /// base64url of the credential id, as the browser reports it.
    pub credential_id: String,
    pub name: String,
    pub passkey: String,
    pub sign_count: i64,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    Register,
    SignIn,
}

impl CeremonyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CeremonyKind::Register => "register",
            CeremonyKind::SignIn => "sign_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "register" => Some(CeremonyKind::Register),
            "sign_in" => Some(CeremonyKind::SignIn),
            _ => None,
        }
    }
}

/// A WebAuthn ceremony between start and finish: the library's serialised state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ceremony {
    pub id: Id,
    pub kind: CeremonyKind,
    /// Who is registering; `None` for a sign-in, where the passkey says who it is.
    pub user_id: Option<Id>,
    pub state: String,
    pub expires_at: Timestamp,
}

/// An authorization-code flow waiting for the provider's callback. `id` is the OAuth `state`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoFlow {
    pub id: Id,
    pub provider_id: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub expires_at: Timestamp,
    /// The hash of the setup link the flow was started from (the login page it opened), to
    /// prove the person's mailbox if setup follows.
    pub setup_link: Option<crate::token::TokenHash>,
    /// The hash of the invitation the flow was started from (its page): the only way a
    /// provider's sign-in accepts an invitation.
    pub invitation: Option<crate::token::TokenHash>,
}

/// A provider account linked to a user: the issuer and subject identify the person from then on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoIdentity {
    pub issuer: String,
    pub subject: String,
    pub user_id: Id,
    pub provider_id: String,
    pub email_at_link: String,
    pub linked_at: Timestamp,
}
