//! Replacing the authenticator app from the Security page: proof first (the current code, or
//! a recovery code for someone whose phone is gone), then a new secret to scan, confirmed with
//! a code from the new app. The old secret works until that confirmation and never after.

use super::code::{check_authenticator_code, keys, new_secret_step, open_secret, settle, ENROLMENT_TTL_SECS};
use super::recovery::use_code;
use super::{audit, Client, SignInError};
use crate::crypto::SecretKey;
use crate::model::{AuditKind, User};
use crate::store::{AuditLog, Authenticators, Enrolment, RecoveryCodes, Throttles};
use crate::totp::{self, TotpSecret};
use crate::{Id, Timestamp};

/// What the person gives to show the authenticator is still theirs to replace.
#[derive(Clone, Copy, Debug)]
pub enum Proof<'a> {
    /// The current code of the authenticator being replaced.
    Code(&'a str),
    /// For someone whose authenticator is gone: one of their recovery codes, used up.
    RecoveryCode(&'a str),
}

/// A replacement under way: its key (for the person's session) and the secret to scan.
pub struct Started {
    pub replacement: Id,
    pub secret: TotpSecret,
    /// After a recovery code, how many the person has left.
    pub recovery_codes_left: Option<u64>,
}

/// Checks the proof, then stores a new sealed secret for this replacement. Asked every time,
/// however recent the sign-in: whoever holds a signed-in browser for a moment must not be
/// able to move the second factor to their own phone.
pub async fn start<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    proof: Proof<'_>,
    client: &Client,
    now: Timestamp,
) -> Result<Started, SignInError>
where
    S: Authenticators + RecoveryCodes + Throttles + AuditLog + ?Sized,
{
    if store.totp_secret(&user.id).await?.is_none() {
        return Err(SignInError::NoAuthenticator);
    }
    let recovery_codes_left = match proof {
        Proof::Code(code) => {
            check_authenticator_code(store, key, user, code, "replace authenticator", client, now).await?;
            None
        }
        Proof::RecoveryCode(code) => {
            Some(use_code(store, key, user, code, "replace authenticator", client, now).await?)
        }
    };
    let secret = TotpSecret::generate();
    let replacement = Id::random();
    let sealed = key.seal(secret.as_bytes(), user.id.as_str().as_bytes());
    if !store.put_replacement(&user.id, &replacement, &sealed, now.plus_secs(ENROLMENT_TTL_SECS)).await? {
        return Err(SignInError::NoAuthenticator);
    }
    Ok(Started { replacement, secret, recovery_codes_left })
}

/// The secret of a replacement under way (to show the QR code again), unless it expired,
/// was confirmed, or another replacement or setup took its place.
pub async fn secret<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    replacement: &Id,
    now: Timestamp,
) -> Result<Option<TotpSecret>, SignInError>
where
    S: Authenticators + ?Sized,
{
    match store.enrolment(&user.id, replacement, now).await? {
        Some(sealed) => Ok(Some(open_secret(key, user, &sealed)?)),
        None => Ok(None),
    }
}

/// Confirms with a code from the new app; from then on only the new app's codes work.
pub async fn confirm<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    replacement: &Id,
    code: &str,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Authenticators + Throttles + AuditLog + ?Sized,
{
    if totp::well_formed(code).is_none() {
        return Err(SignInError::MalformedCode);
    }
    let secret = secret(store, key, user, replacement, now).await?.ok_or(SignInError::ReplacementExpired)?;
    let keys = keys(user, client);
    let step = new_secret_step(store, &keys, user, &secret, code, "new authenticator", client, now).await?;
    let confirmed = store.confirm_replacement(&user.id, replacement, step, now).await;
    match settle(store, &keys, confirmed).await? {
        Enrolment::Confirmed => {}
        Enrolment::NoAuthenticator => return Err(SignInError::NoAuthenticator),
        Enrolment::Missing | Enrolment::AuthenticatorExists => return Err(SignInError::ReplacementExpired),
    }
    Ok(audit(store, now, AuditKind::AuthenticatorReplaced, Some(user), client, String::new()).await?)
}
