//! Signing in: the password step, accepting an invitation, and (in [`progress`] and [`code`])
//! the state between the first and second step and the second step itself. The web layer
//! keeps a [`progress::PendingSignIn`] in the session and calls these; they decide what may
//! happen next, count attempts and write the audit log.

pub mod client;
pub mod code;
pub mod password_change;
pub mod progress;
pub mod recovery;
pub mod replace;
pub mod reset;
pub mod setup_link;

use async_trait::async_trait;
use gatehouse_l10n::say;

pub use client::Client;
pub use code::{confirm_setup, setup_secret, step_up, verify_code, ENROLMENT_TTL_SECS};
pub use progress::{after_first_step, FirstStep, Mailbox, PendingSignIn, SecondStep};

use crate::known_browsers;
use crate::model::{AuditEvent, AuditKind, User};
use crate::password::Verdict;
use crate::password_policy::{self, PasswordRejected};
use crate::store::{AuditLog, Directory, InvitationState, Invitations, KnownBrowsers, StoreError, Throttles};
use crate::throttle::{self, Blocked, Key, ThrottleError, USER_NAME_MAX_BYTES};
use crate::token::Token;
use crate::{Email, Id, Timestamp};

/// Password hashing, which the caller runs off the async runtime.
#[async_trait]
pub trait PasswordWork: Send + Sync {
    /// Verifies against `phc`, or against a dummy hash when there is none (same cost).
    async fn verify(&self, password: String, phc: Option<String>) -> Verdict;
    async fn hash(&self, password: String) -> String;
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The same answer for an unknown user and a wrong password.
    #[error("{}", say("error-sign-in-bad-credentials", &[]))]
    BadCredentials,
    #[error("{}", say("error-sign-in-user-name-too-long", &[]))]
    UserNameTooLong,
    #[error("{}", say("error-sign-in-wrong-code", &[]))]
    WrongCode,
    #[error("{}", say("error-sign-in-malformed-code", &[]))]
    MalformedCode,
    #[error("{}", say("error-sign-in-malformed-recovery-code", &[]))]
    MalformedRecoveryCode,
    #[error("{}", say("error-sign-in-wrong-recovery-code", &[]))]
    WrongRecoveryCode,
    #[error("{}", say("error-sign-in-clock-off", &[("minutes", .0.abs().into())]))]
    ClockOff(i64),
    #[error("{}", say("error-sign-in-replayed", &[]))]
    Replayed,
    #[error("{}", say("error-sign-in-enrolment-expired", &[]))]
    EnrolmentExpired,
    #[error("{}", say("error-sign-in-wrong-current-password", &[]))]
    WrongCurrentPassword,
    #[error("{}", say("error-sign-in-same-password", &[]))]
    SamePassword,
    #[error(transparent)]
    Rejected(#[from] PasswordRejected),
    /// The replacement was confirmed already, ran out of time, or a newer one replaced it.
    #[error("{}", say("error-sign-in-replacement-expired", &[]))]
    ReplacementExpired,
    #[error("{}", say("error-sign-in-no-authenticator", &[]))]
    NoAuthenticator,
    /// The first step was passed too long ago, or never (the session holds no sign-in).
    #[error("{}", say("error-sign-in-expired", &[]))]
    Expired,
    /// A code was sent where the sign-in asked for an authenticator to be set up.
    #[error("{}", say("error-sign-in-set-up-first", &[]))]
    SetUpFirst,
    /// Setup was asked for by someone whose sign-in asked for a code: they have an
    /// authenticator, and only its code lets them in.
    #[error("{}", say("error-sign-in-has-authenticator", &[]))]
    HasAuthenticator,
    /// Setting up an authenticator after a provider, for someone with a password: whoever
    /// controls the provider must not get to enrol their own authenticator.
    #[error("{}", say("error-sign-in-set-up-after-password", &[]))]
    SetUpAfterPassword,
    /// Someone without an authenticator passed the first step without the mailed setup link:
    /// the caller mails them one.
    #[error("{}", say("error-sign-in-setup-needs-mailbox", &[]))]
    SetupNeedsMailbox,
    /// The setup link the sign-in carried was used already, expired or replaced: the caller
    /// mails a new one.
    #[error("{}", say("error-sign-in-setup-link-invalid", &[]))]
    SetupLinkInvalid,
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error("a stored secret could not be used: {0}")]
    Secret(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SignInError {
    /// A refusal because of where the sign-in stands, not because of what was typed.
    pub fn is_wrong_step(&self) -> bool {
        matches!(self, SignInError::SetUpFirst | SignInError::HasAuthenticator | SignInError::SetUpAfterPassword)
    }

    /// A first step that was right, for someone who must get a setup link by mail now.
    pub fn wants_setup_link(&self) -> bool {
        matches!(self, SignInError::SetupNeedsMailbox | SignInError::SetupLinkInvalid)
    }
}

impl From<ThrottleError> for SignInError {
    fn from(e: ThrottleError) -> Self {
        match e {
            ThrottleError::Blocked(b) => SignInError::Blocked(b),
            ThrottleError::Store(s) => SignInError::Store(s),
        }
    }
}

/// The longest audit detail kept: anyone can put words in some of it (a user name as typed).
pub const AUDIT_DETAIL_MAX_CHARS: usize = 500;

pub(crate) async fn audit<S: AuditLog + ?Sized>(
    store: &S,
    now: Timestamp,
    kind: AuditKind,
    user: Option<&User>,
    client: &Client,
    detail: String,
) -> Result<(), StoreError> {
    let mut event = AuditEvent::new(kind);
    event.user_id = user.map(|u| u.id.clone());
    event.account_id = user.and_then(|u| u.account_id.clone());
    event.client_ip = client.audit_address();
    event.detail = detail.chars().take(AUDIT_DETAIL_MAX_CHARS).collect();
    store.record(now, &event).await
}

/// Settles a reserved attempt as a failure: counted on every key, and each wait it starts
/// audited once (not once per refused attempt, so a flood cannot flood the log).
pub(crate) async fn count_failure<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    keys: &[Key],
    user: Option<&User>,
    client: &Client,
    step: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    for wait in throttle::fail(store, keys, now).await? {
        let detail = format!(
            "{step} attempts wait {} s after {} failures in a row ({})",
            wait.wait_secs, wait.failures, wait.key
        );
        audit(store, now, AuditKind::Throttled, user, client, detail).await?;
    }
    Ok(())
}

/// Records a completed sign-in and forgives the person's counters (for this address).
pub async fn signed_in<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    client: &Client,
    now: Timestamp,
    how: &str,
) -> Result<(), SignInError> {
    let browser = client.browser.as_deref().and_then(Token::from_link).map(|t| t.hash());
    let keys = throttle::person_keys(user.email.as_str(), client.throttle_address().as_deref(), browser.as_ref());
    throttle::forgive(store, &keys).await?;
    let detail = match client.browser_name() {
        Some(browser) => format!("with {how}{IN_BROWSER}{browser}"),
        None => format!("with {how}"),
    };
    audit(store, now, AuditKind::SignInSucceeded, Some(user), client, detail).await?;
    Ok(())
}

/// Between how someone signed in and the browser they used, in a sign-in's audit detail
/// (read back by `crate::events`).
pub const IN_BROWSER: &str = " in ";

/// Step one: user name and password. On success the caller asks [`after_first_step`] what
/// comes next (the code, or setting up an authenticator).
pub async fn password_step<S, H>(
    store: &S,
    hasher: &H,
    user_name: &str,
    password: &str,
    client: &Client,
    now: Timestamp,
) -> Result<User, SignInError>
where
    S: Directory + Throttles + AuditLog + KnownBrowsers + ?Sized,
    H: PasswordWork + ?Sized,
{
    // No email is longer; refusing first keeps counters and the audit log bounded.
    if user_name.trim().len() > USER_NAME_MAX_BYTES {
        return Err(SignInError::UserNameTooLong);
    }
    let (user, phc) = match Email::parse(user_name) {
        Ok(email) => store.user_for_sign_in(&email).await?.map_or((None, None), |(u, phc)| (Some(u), phc)),
        Err(_) => (None, None),
    };
    let known = match &user {
        Some(u) => known_browsers::is_known(store, client.browser.as_deref(), &u.id, now).await?,
        None => false,
    };
    let browser = known.then(|| client.browser.as_deref().and_then(Token::from_link)).flatten().map(|t| t.hash());
    let keys = throttle::password_keys(user_name, client.throttle_address().as_deref(), browser.as_ref());
    throttle::reserve(store, &keys, now).await?;
    let normalized = password_policy::normalize(password);
    match hasher.verify(normalized.clone(), phc).await {
        Verdict::Correct { rehash } => {
            let user = user.expect("a correct password implies a stored hash, hence a user");
            throttle::release(store, &keys).await?;
            if rehash {
                store.set_password_hash(&user.id, &hasher.hash(normalized).await).await?;
            }
            Ok(user)
        }
        Verdict::Wrong => {
            count_failure(store, &keys, user.as_ref(), client, "password", now).await?;
            let detail = format!("password step for “{}”", user_name.trim());
            audit(store, now, AuditKind::SignInFailed, user.as_ref(), client, detail).await?;
            Err(SignInError::BadCredentials)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    #[error("{}", say("error-invitation-unknown", &[]))]
    Unknown,
    #[error("{}", say("error-invitation-used", &[]))]
    Used,
    #[error("{}", say("error-invitation-expired", &[]))]
    Expired,
    /// The address joined in another account first (several may invite one address).
    #[error("{}", say("error-invitation-joined-elsewhere", &[("email", .0.as_str().into())]))]
    JoinedElsewhere(Email),
    #[error(transparent)]
    Rejected(#[from] PasswordRejected),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who an invitation is for, or why it cannot be used.
pub async fn invitation<S: Invitations + ?Sized>(
    store: &S,
    token: &str,
    now: Timestamp,
) -> Result<crate::model::PendingInvitation, InvitationError> {
    let token = Token::from_link(token.trim()).ok_or(InvitationError::Unknown)?;
    match store.invitation_state(&token.hash(), now).await? {
        InvitationState::Pending(p) => Ok(p),
        InvitationState::Used => Err(InvitationError::Used),
        InvitationState::Expired => Err(InvitationError::Expired),
        InvitationState::Unknown => Err(InvitationError::Unknown),
    }
}

/// A password being chosen, as typed twice.
#[derive(Clone, Copy)]
pub struct NewPassword<'a> {
    pub password: &'a str,
    pub confirmation: &'a str,
}

/// Sets the first password from an invitation. The caller then starts 2FA setup. `product`
/// is the product name, one of the words a new password must not be built on.
pub async fn accept_invitation<S, H>(
    store: &S,
    hasher: &H,
    token: &str,
    new: NewPassword<'_>,
    product: &str,
    client: &Client,
    now: Timestamp,
) -> Result<User, InvitationError>
where
    S: Invitations + AuditLog + ?Sized,
    H: PasswordWork + ?Sized,
{
    let pending = invitation(store, token, now).await?;
    let (password, confirmation) =
        (password_policy::normalize(new.password), password_policy::normalize(new.confirmation));
    let account = pending.account.as_ref().map(|a| a.name.as_str()).unwrap_or("");
    password_policy::check_new(&password, &confirmation, &[pending.user.email.as_str(), account, product])?;
    let phc = hasher.hash(password).await;
    let token = Token::from_link(token.trim()).ok_or(InvitationError::Unknown)?;
    // Between the check above and here someone may have used the link: the store decides.
    let id: Id = match store.accept_invitation(&token.hash(), &phc, now).await {
        Err(StoreError::Conflict(crate::store::Conflict::Email)) => {
            return Err(InvitationError::JoinedElsewhere(pending.user.email))
        }
        other => other?.ok_or(InvitationError::Used)?,
    };
    let user = User { has_password: true, joined: true, ..pending.user };
    debug_assert_eq!(user.id, id);
    audit(store, now, AuditKind::InvitationAccepted, Some(&user), client, String::new()).await?;
    audit(store, now, AuditKind::PasswordSet, Some(&user), client, String::new()).await?;
    Ok(user)
}
