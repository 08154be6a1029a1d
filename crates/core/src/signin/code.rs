//! The second step: a code from the person's authenticator app, accepted once; or, for
//! someone without one, setting an authenticator up. Also step-up, the same code proving
//! again that a signed-in person is still there.

use super::progress::{user_for, PendingSignIn, SecondStep};
use super::{audit, count_failure, signed_in, Client, SignInError};
use crate::crypto::SecretKey;
use crate::model::{AuditKind, User};
use crate::store::{AuditLog, Authenticators, Directory, Enrolment, StoreError, Throttles};
use crate::throttle::{self, Key};
use crate::totp::{self, CodeCheck, TotpSecret};
use crate::Timestamp;

/// How long a shown setup secret stays valid: time to install an app and scan.
pub const ENROLMENT_TTL_SECS: i64 = 30 * 60;

pub(super) fn open_secret(key: &SecretKey, user: &User, sealed: &[u8]) -> Result<TotpSecret, SignInError> {
    key.open(sealed, user.id.as_str().as_bytes())
        .map(TotpSecret::from_bytes)
        .map_err(|e| SignInError::Secret(e.to_string()))
}

pub(super) fn unix(now: Timestamp) -> u64 {
    now.0.max(0) as u64
}

pub(super) fn keys(user: &User, client: &Client) -> Vec<Key> {
    throttle::code_keys(user.email.as_str(), client.throttle_address().as_deref())
}

/// A code that was not accepted: counted, and audited.
pub(super) async fn failed<S: Throttles + AuditLog + ?Sized>(
    store: &S,
    keys: &[Key],
    user: &User,
    client: &Client,
    now: Timestamp,
    what: &str,
    why: SignInError,
) -> SignInError {
    let kind =
        if matches!(why, SignInError::Replayed) { AuditKind::CodeReplayRefused } else { AuditKind::SignInFailed };
    let recorded = async {
        count_failure(store, keys, Some(user), client, what, now).await?;
        audit(store, now, kind, Some(user), client, format!("{what}: {why}")).await
    };
    match recorded.await {
        Ok(()) => why,
        Err(e) => e.into(),
    }
}

/// Checks a code against the user's authenticator: reserved before it is checked, then
/// accepted once (the step, or a later one, can never be used again). A code of a step to
/// come is refused like any wrong code, and its step is refused in advance: otherwise
/// whoever sent it would get in once its time came.
pub(super) async fn check_authenticator_code<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    code: &str,
    what: &str,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Authenticators + Throttles + AuditLog + ?Sized,
{
    if totp::well_formed(code).is_none() {
        return Err(SignInError::MalformedCode);
    }
    let sealed = store.totp_secret(&user.id).await?.ok_or(SignInError::NoAuthenticator)?;
    let secret = open_secret(key, user, &sealed)?;
    let keys = keys(user, client);
    throttle::reserve(store, &keys, now).await?;
    let why = match secret.check(code, unix(now)) {
        CodeCheck::Matches { step } => match store.accept_totp_step(&user.id, step as i64).await {
            Ok(true) => return Ok(throttle::forgive(store, &keys).await?),
            Ok(false) => SignInError::Replayed,
            Err(e) => {
                throttle::release(store, &keys).await?;
                return Err(e.into());
            }
        },
        CodeCheck::ClockOff { minutes } => SignInError::ClockOff(minutes),
        CodeCheck::Ahead { step } => {
            store.burn_totp_step(&user.id, step as i64).await?;
            SignInError::WrongCode
        }
        CodeCheck::Wrong => SignInError::WrongCode,
        CodeCheck::Malformed => SignInError::MalformedCode,
    };
    Err(failed(store, &keys, user, client, now, what, why).await)
}

/// Checks a code from a new secret (setup, or a replacement) on the person's code throttle:
/// the step it matched, to confirm the secret with. The attempt stays reserved until
/// [`settle`] hears what the store made of the confirmation.
#[allow(clippy::too_many_arguments)]
pub(super) async fn new_secret_step<S>(
    store: &S,
    keys: &[Key],
    user: &User,
    secret: &TotpSecret,
    code: &str,
    what: &str,
    client: &Client,
    now: Timestamp,
) -> Result<i64, SignInError>
where
    S: Throttles + AuditLog + ?Sized,
{
    throttle::reserve(store, keys, now).await?;
    let why = match secret.check(code, unix(now)) {
        CodeCheck::Matches { step } => return Ok(step as i64),
        CodeCheck::ClockOff { minutes } => SignInError::ClockOff(minutes),
        _ => SignInError::WrongCode,
    };
    Err(failed(store, keys, user, client, now, what, why).await)
}

/// Settles the attempt [`new_secret_step`] reserved: forgiven when the secret was confirmed,
/// released (not counted) when the store refused for another reason.
pub(super) async fn settle<S: Throttles + ?Sized>(
    store: &S,
    keys: &[Key],
    confirmed: Result<Enrolment, StoreError>,
) -> Result<Enrolment, SignInError> {
    match confirmed {
        Ok(Enrolment::Confirmed) => throttle::forgive(store, keys).await?,
        _ => throttle::release(store, keys).await?,
    }
    Ok(confirmed?)
}

/// The code step of a sign-in: the pending sign-in must have asked for the code. On success
/// the person is signed in (the caller renews the session).
pub async fn verify_code<S>(
    store: &S,
    key: &SecretKey,
    pending: &PendingSignIn,
    code: &str,
    client: &Client,
    now: Timestamp,
) -> Result<User, SignInError>
where
    S: Directory + Authenticators + Throttles + AuditLog + ?Sized,
{
    let user = user_for(store, pending, SecondStep::Code, now).await?;
    check_authenticator_code(store, key, &user, code, "code step", client, now).await?;
    signed_in(store, &user, client, now, &format!("{} and code", pending.first.words())).await?;
    Ok(user)
}

/// A signed-in person proving with a fresh code that it is still them, before a sensitive
/// change.
pub async fn step_up<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    code: &str,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Authenticators + Throttles + AuditLog + ?Sized,
{
    check_authenticator_code(store, key, user, code, "step-up", client, now).await?;
    Ok(audit(store, now, AuditKind::StepUp, Some(user), client, "with a code".into()).await?)
}

/// The secret to show on the setup page: this sign-in's if still valid (so a reload shows the
/// same QR code the person may already have scanned), else a new one. Only for a sign-in that
/// asked for setup, for a person who still has no authenticator. Another sign-in of the same
/// person (someone else with the password) never sees this secret: it gets its own, which
/// replaces this one, so the person's confirmation then fails visibly instead of two
/// authenticators silently sharing a secret.
pub async fn setup_secret<S>(
    store: &S,
    key: &SecretKey,
    pending: &PendingSignIn,
    now: Timestamp,
) -> Result<(User, TotpSecret), SignInError>
where
    S: Directory + Authenticators + ?Sized,
{
    let user = user_for(store, pending, SecondStep::Setup, now).await?;
    if store.totp_secret(&user.id).await?.is_some() {
        return Err(SignInError::HasAuthenticator);
    }
    if let Some(sealed) = store.enrolment(&user.id, &pending.id, now).await? {
        if let Ok(secret) = open_secret(key, &user, &sealed) {
            return Ok((user, secret));
        }
    }
    let secret = TotpSecret::generate();
    let sealed = key.seal(secret.as_bytes(), user.id.as_str().as_bytes());
    if !store.put_enrolment(&user.id, &pending.id, &sealed, now.plus_secs(ENROLMENT_TTL_SECS)).await? {
        return Err(SignInError::HasAuthenticator);
    }
    Ok((user, secret))
}

/// Confirms setup with a code from the new authenticator; on success the person is signed in.
pub async fn confirm_setup<S>(
    store: &S,
    key: &SecretKey,
    pending: &PendingSignIn,
    code: &str,
    client: &Client,
    now: Timestamp,
) -> Result<User, SignInError>
where
    S: Directory + Authenticators + Throttles + AuditLog + ?Sized,
{
    let user = user_for(store, pending, SecondStep::Setup, now).await?;
    if totp::well_formed(code).is_none() {
        return Err(SignInError::MalformedCode);
    }
    let sealed = store.enrolment(&user.id, &pending.id, now).await?.ok_or(SignInError::EnrolmentExpired)?;
    let secret = open_secret(key, &user, &sealed)?;
    let keys = keys(&user, client);
    let step = new_secret_step(store, &keys, &user, &secret, code, "setup", client, now).await?;
    let confirmed = store.confirm_enrolment(&user.id, &pending.id, step, now).await;
    match settle(store, &keys, confirmed).await? {
        Enrolment::Confirmed => {}
        Enrolment::Missing => return Err(SignInError::EnrolmentExpired),
        Enrolment::AuthenticatorExists => return Err(SignInError::HasAuthenticator),
        Enrolment::NoAuthenticator => unreachable!("setup never reports a missing authenticator"),
    }
    audit(store, now, AuditKind::AuthenticatorConfirmed, Some(&user), client, String::new()).await?;
    signed_in(store, &user, client, now, &format!("{} and a new authenticator", pending.first.words())).await?;
    Ok(user)
}
