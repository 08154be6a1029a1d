//! The sign-in state machine's rules: the password step, the code step, 2FA setup and
//! accepting an invitation. The web layer keeps the state between steps in the session and
//! calls these; they decide, count failures and write the audit log.

use async_trait::async_trait;

use crate::crypto::SecretKey;
use crate::model::{AuditEvent, AuditKind, User};
use crate::password::Verdict;
use crate::password_policy::{self, PasswordRejected};
use crate::store::{AuditLog, Authenticators, Directory, InvitationState, Invitations, StoreError, Throttles};
use crate::throttle::{self, Blocked, Scope, ThrottleError};
use crate::token::Token;
use crate::totp::{CodeCheck, TotpSecret};
use crate::{Email, Id, Timestamp};

/// How long a shown setup secret stays valid: time to install an app and scan.
pub const ENROLMENT_TTL_SECS: i64 = 30 * 60;

/// Password hashing, which the caller runs off the async runtime.
#[async_trait]
pub trait PasswordWork: Send + Sync {
    /// Verifies against `phc`, or against a dummy hash when there is none (same cost).
    async fn verify(&self, password: String, phc: Option<String>) -> Verdict;
    async fn hash(&self, password: String) -> String;
}

/// Where an attempt comes from, for throttling and the audit log.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The same answer for an unknown user and a wrong password.
    #[error("The user name or password is incorrect.")]
    BadCredentials,
    #[error("That code is not correct. Enter the current code from your authenticator app.")]
    WrongCode,
    #[error("Enter the 6-digit code from your authenticator app.")]
    MalformedCode,
    #[error(
        "That code is not valid now. Your device's clock seems to be off by about {} minute{}: set it to update automatically, then try a new code.",
        .0.abs(), if .0.abs() == 1 { "" } else { "s" }
    )]
    ClockOff(i64),
    #[error("That code was already used. Wait for the next code in your authenticator app.")]
    Replayed,
    #[error("Your setup session expired. Scan the new QR code and try again.")]
    EnrolmentExpired,
    #[error("You have no authenticator app set up. Sign out and sign in with your password to set one up, or use a passkey.")]
    NoAuthenticator,
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error("a stored secret could not be used: {0}")]
    Secret(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ThrottleError> for SignInError {
    fn from(e: ThrottleError) -> Self {
        match e {
            ThrottleError::Blocked(b) => SignInError::Blocked(b),
            ThrottleError::Store(s) => SignInError::Store(s),
        }
    }
}

pub(crate) fn keys(user_name: &str, client: &Client) -> Vec<(Scope, String)> {
    let mut keys = vec![(Scope::Account, throttle::key(Scope::Account, user_name))];
    if let Some(ip) = &client.ip {
        keys.push((Scope::Address, throttle::key(Scope::Address, ip)));
    }
    keys
}

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
    event.client_ip = client.ip.clone();
    event.detail = detail;
    store.record(now, &event).await
}

/// Refuses when throttled, auditing that it did.
pub(crate) async fn check_throttle<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    keys: &[(Scope, String)],
    user: Option<&User>,
    client: &Client,
    step: &str,
    now: Timestamp,
) -> Result<(), SignInError> {
    let names: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
    match throttle::check(store, &names, now).await {
        Err(ThrottleError::Blocked(b)) => {
            audit(store, now, AuditKind::Throttled, user, client, format!("{step} step refused for {} s", b.wait_secs))
                .await?;
            Err(b.into())
        }
        other => Ok(other?),
    }
}

/// Step one: user name and password. On success the caller asks for the code next (or
/// starts 2FA setup when the user has no authenticator yet).
pub async fn password_step<S, H>(
    store: &S,
    hasher: &H,
    user_name: &str,
    password: &str,
    client: &Client,
    now: Timestamp,
) -> Result<User, SignInError>
where
    S: Directory + Throttles + AuditLog + ?Sized,
    H: PasswordWork + ?Sized,
{
    let keys = keys(user_name, client);
    let user = match Email::parse(user_name) {
        Ok(email) => store.user_by_email(&email).await?,
        Err(_) => None,
    };
    check_throttle(store, &keys, user.as_ref(), client, "password", now).await?;
    let phc = match &user {
        Some(u) => store.password_hash(&u.id).await?,
        None => None,
    };
    let normalized = password_policy::normalize(password);
    match hasher.verify(normalized.clone(), phc).await {
        Verdict::Correct { rehash } => {
            let user = user.expect("a correct password implies a stored hash, hence a user");
            if rehash {
                store.set_password_hash(&user.id, &hasher.hash(normalized).await).await?;
            }
            Ok(user)
        }
        Verdict::Wrong => {
            throttle::fail(store, &keys, now).await?;
            audit(
                store,
                now,
                AuditKind::SignInFailed,
                user.as_ref(),
                client,
                format!("password step for “{}”", user_name.trim()),
            )
            .await?;
            Err(SignInError::BadCredentials)
        }
    }
}

fn open_secret(key: &SecretKey, user: &User, sealed: &[u8]) -> Result<TotpSecret, SignInError> {
    key.open(sealed, user.id.as_str().as_bytes())
        .map(TotpSecret::from_bytes)
        .map_err(|e| SignInError::Secret(e.to_string()))
}

/// Counts a failed code and returns why, in words a person understands.
async fn code_failed<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    client: &Client,
    now: Timestamp,
    why: SignInError,
) -> SignInError {
    let kind =
        if matches!(why, SignInError::Replayed) { AuditKind::CodeReplayRefused } else { AuditKind::SignInFailed };
    let recorded = async {
        throttle::fail(store, &keys(user.email.as_str(), client), now).await?;
        audit(store, now, kind, Some(user), client, format!("code step: {why}")).await
    };
    match recorded.await {
        Ok(()) => why,
        Err(e) => e.into(),
    }
}

/// The time step a code matches; wrong codes are counted and explained.
async fn matching_step<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    secret: &TotpSecret,
    code: &str,
    client: &Client,
    now: Timestamp,
) -> Result<i64, SignInError> {
    match secret.check(code, unix(now)) {
        CodeCheck::Matches { step } => Ok(step as i64),
        CodeCheck::ClockOff { minutes } => {
            Err(code_failed(store, user, client, now, SignInError::ClockOff(minutes)).await)
        }
        CodeCheck::Wrong => Err(code_failed(store, user, client, now, SignInError::WrongCode).await),
        CodeCheck::Malformed => Err(SignInError::MalformedCode),
    }
}

fn unix(now: Timestamp) -> u64 {
    now.0.max(0) as u64
}

/// What a code proves, and so what the audit log says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePurpose<'a> {
    /// The second step of signing in, `after` the first ("password", or the SSO provider).
    SignIn { after: &'a str },
    /// A signed-in person proving again that it is still them before a sensitive change
    /// (adding or removing a passkey).
    StepUp,
}

/// A code from the user's authenticator app, accepted once: throttled, checked against the
/// secret, and refused when its time step (or a later one) was already used.
pub async fn code_step<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    code: &str,
    purpose: CodePurpose<'_>,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Authenticators + Throttles + AuditLog + ?Sized,
{
    let keys = keys(user.email.as_str(), client);
    let what = if purpose == CodePurpose::StepUp { "step-up" } else { "code" };
    check_throttle(store, &keys, Some(user), client, what, now).await?;
    let sealed = store.totp_secret(&user.id).await?.ok_or(SignInError::NoAuthenticator)?;
    let secret = open_secret(key, user, &sealed)?;
    let step = matching_step(store, user, &secret, code, client, now).await?;
    if !store.accept_totp_step(&user.id, step).await? {
        return Err(code_failed(store, user, client, now, SignInError::Replayed).await);
    }
    match purpose {
        CodePurpose::SignIn { after } => signed_in(store, user, client, now, &format!("{after} and code")).await,
        CodePurpose::StepUp => {
            Ok(audit(store, now, AuditKind::StepUp, Some(user), client, "with a code".into()).await?)
        }
    }
}

/// Records a completed sign-in and forgives the account's earlier failures.
pub async fn signed_in<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    client: &Client,
    now: Timestamp,
    how: &str,
) -> Result<(), SignInError> {
    store.clear_throttle(&throttle::key(Scope::Account, user.email.as_str())).await?;
    audit(store, now, AuditKind::SignInSucceeded, Some(user), client, format!("with {how}")).await?;
    Ok(())
}

/// The secret to show on the setup page: the pending one if still valid (so a reload shows
/// the same QR code the person may already have scanned), else a new one.
pub async fn setup_secret<S: Authenticators + ?Sized>(
    store: &S,
    key: &SecretKey,
    user: &User,
    now: Timestamp,
) -> Result<TotpSecret, SignInError> {
    if let Some(sealed) = store.enrolment(&user.id, now).await? {
        if let Ok(secret) = open_secret(key, user, &sealed) {
            return Ok(secret);
        }
    }
    let secret = TotpSecret::generate();
    let sealed = key.seal(secret.as_bytes(), user.id.as_str().as_bytes());
    store.put_enrolment(&user.id, &sealed, now.plus_secs(ENROLMENT_TTL_SECS)).await?;
    Ok(secret)
}

/// Confirms setup with a code from the new authenticator; on success the user is signed in
/// (`after` names the first step, as for [`code_step`]).
#[allow(clippy::too_many_arguments)]
pub async fn confirm_setup<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    code: &str,
    after: &str,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Authenticators + Throttles + AuditLog + ?Sized,
{
    let keys = keys(user.email.as_str(), client);
    check_throttle(store, &keys, Some(user), client, "setup", now).await?;
    let sealed = store.enrolment(&user.id, now).await?.ok_or(SignInError::EnrolmentExpired)?;
    let secret = open_secret(key, user, &sealed)?;
    let step = matching_step(store, user, &secret, code, client, now).await?;
    if !store.confirm_enrolment(&user.id, step, now).await? {
        return Err(SignInError::EnrolmentExpired);
    }
    audit(store, now, AuditKind::AuthenticatorConfirmed, Some(user), client, String::new()).await?;
    signed_in(store, user, client, now, &format!("{after} and a new authenticator")).await
}

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    #[error("This invitation link is not valid. Check that you copied the whole link from the mail.")]
    Unknown,
    #[error("This invitation was already accepted. Sign in with your user name and password instead.")]
    Used,
    #[error("This invitation has expired. Ask whoever invited you to send a new one.")]
    Expired,
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
    let id: Id = store.accept_invitation(&token.hash(), &phc, now).await?.ok_or(InvitationError::Used)?;
    let user = User { has_password: true, ..pending.user };
    debug_assert_eq!(user.id, id);
    audit(store, now, AuditKind::InvitationAccepted, Some(&user), client, String::new()).await?;
    audit(store, now, AuditKind::PasswordSet, Some(&user), client, String::new()).await?;
    Ok(user)
}
