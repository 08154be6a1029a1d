//! A recovery code in place of the authenticator's code: at the code step of a sign-in, and
//! for step-up. Attempts count on the same throttle as codes, so trying recovery codes is no
//! way around it. New sets are made after setup and on request (with step-up).

use super::code::{failed, keys};
use super::progress::{user_for, PendingSignIn, SecondStep};
use super::{audit, signed_in, Client, SignInError};
use crate::crypto::SecretKey;
use crate::model::{AuditKind, User};
use crate::recovery;
use crate::store::{AuditLog, Directory, RecoveryCodes, StoreError, Throttles};
use crate::throttle;
use crate::Timestamp;

/// Checks and uses up one of the person's codes; the codes left after it.
pub(super) async fn use_code<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    typed: &str,
    what: &str,
    client: &Client,
    now: Timestamp,
) -> Result<u64, SignInError>
where
    S: RecoveryCodes + Throttles + AuditLog + ?Sized,
{
    let code = recovery::normalise(typed).ok_or(SignInError::MalformedRecoveryCode)?;
    let keys = keys(user, client);
    throttle::reserve(store, &keys, now).await?;
    match store.use_recovery_code(&user.id, &recovery::digest(key, &user.id, &code), now).await {
        Ok(true) => throttle::forgive(store, &keys).await?,
        Ok(false) => return Err(failed(store, &keys, user, client, now, what, SignInError::WrongRecoveryCode).await),
        Err(e) => {
            throttle::release(store, &keys).await?;
            return Err(e.into());
        }
    }
    let left = store.recovery_codes_left(&user.id).await?;
    audit(store, now, AuditKind::RecoveryCodeUsed, Some(user), client, left_words(left)).await?;
    Ok(left)
}

/// "9 left", "1 left", "none left".
pub fn left_words(left: u64) -> String {
    match left {
        0 => "none left".into(),
        n => format!("{n} left"),
    }
}

/// The code step with a recovery code: the pending sign-in must have asked for the code. On
/// success the person is signed in; with the codes they have left.
pub async fn verify_recovery_code<S>(
    store: &S,
    key: &SecretKey,
    pending: &PendingSignIn,
    typed: &str,
    client: &Client,
    now: Timestamp,
) -> Result<(User, u64), SignInError>
where
    S: Directory + RecoveryCodes + Throttles + AuditLog + ?Sized,
{
    let user = user_for(store, pending, SecondStep::Code, now).await?;
    let left = use_code(store, key, &user, typed, "recovery code", client, now).await?;
    signed_in(store, &user, client, now, &format!("{} and recovery code", pending.first.words())).await?;
    Ok((user, left))
}

/// Step-up with a recovery code, for someone whose authenticator is gone; the codes left.
pub async fn step_up_with_recovery_code<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    typed: &str,
    client: &Client,
    now: Timestamp,
) -> Result<u64, SignInError>
where
    S: RecoveryCodes + Throttles + AuditLog + ?Sized,
{
    let left = use_code(store, key, user, typed, "step-up", client, now).await?;
    audit(store, now, AuditKind::StepUp, Some(user), client, "with a recovery code".into()).await?;
    Ok(left)
}

/// A new set for the person, replacing the old: the codes, to be shown once.
pub async fn issue<S>(
    store: &S,
    key: &SecretKey,
    user: &User,
    client: &Client,
    now: Timestamp,
) -> Result<Vec<String>, StoreError>
where
    S: RecoveryCodes + AuditLog + ?Sized,
{
    let issued = recovery::generate(key, &user.id);
    store.replace_recovery_codes(&user.id, &issued.digests, now).await?;
    audit(store, now, AuditKind::RecoveryCodesIssued, Some(user), client, String::new()).await?;
    Ok(issued.codes)
}
