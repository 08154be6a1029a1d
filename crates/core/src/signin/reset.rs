//! **Forgot password?**: a single-use link by mail, valid for an hour, then a new password,
//! which is a first step like any other: the code step still follows (OWASP ASVS 5.0 6.4.3,
//! a reset never bypasses the second factor), and the new password takes effect only once it
//! succeeds ([`claim`], then [`apply`]): whoever holds only the mailbox never learns or sets
//! the password, which with the mailbox is what setting up an authenticator after a 2FA reset
//! takes. Asking answers the same whether or not the address belongs to anyone; the caller
//! never tells.
//!
//! Anyone can ask for anyone's link, so no stranger may be able to keep a person from getting
//! one: asking is limited per client address (the stranger's), and per person only by a gap
//! between links that is always shorter than a link lives. A new link never ends the ones sent
//! before, so whenever no new one is sent, one sent moments ago still works.

use super::{audit, Client, NewPassword, PasswordWork};
use crate::model::{AuditKind, User};
use crate::password_policy::{self, PasswordRejected};
use crate::store::{AuditLog, Authenticators, Directory, PasswordResets, StoreError, Throttles};
use crate::throttle::{self, ThrottleError};
use crate::token::Token;
use crate::{Email, Id, Timestamp};

/// How long a link works.
pub const RESET_TTL_SECS: i64 = 60 * 60;
/// At most one link per person per minute for their first five in a day: asking again sooner
/// sends nothing.
pub const RESET_GAP_SECS: i64 = 60;
/// Links a day that come a minute apart; after them, a quarter of an hour apart, so that a
/// mailbox gets about a hundred a day at most, however many addresses ask.
pub const QUICK_RESETS_PER_DAY: u64 = 5;
pub const SLOW_RESET_GAP_SECS: i64 = 15 * 60;
const _: () = assert!(SLOW_RESET_GAP_SECS < RESET_TTL_SECS, "a person must always hold a working link");

/// The gap before the next link to someone who was sent `sent_today` in the last day.
pub fn gap_secs(sent_today: u64) -> i64 {
    if sent_today < QUICK_RESETS_PER_DAY {
        RESET_GAP_SECS
    } else {
        SLOW_RESET_GAP_SECS
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// Unknown, used, expired or replaced: one answer, since the token is the credential.
    #[error(
        "This link to choose a new password does not work any more: it was used already, it expired (links work for 1 hour), or a newer one was sent. Ask for a new link."
    )]
    Invalid,
    /// Someone without an authenticator app (after a 2FA reset, or before finishing setup):
    /// their password is all that protects them, so a mailbox alone must not replace it.
    #[error(
        "A new password by mail needs two-factor authentication set up on your account. Log in with your password, or choose Can't log in? to ask for help."
    )]
    NoSecondFactor,
    #[error(transparent)]
    Rejected(#[from] PasswordRejected),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A link for whoever `typed` names, if that is someone with a password and an authenticator
/// app: the person and the token to mail. `None` for anyone else (an invitation not yet
/// accepted; someone whose password is their only protection, since a mailbox alone must
/// never be enough), when a link went to them less than [`gap_secs`] ago (that one still
/// works), and when the asking address has asked too often ([`throttle::reset_keys`]).
pub async fn request<S>(
    store: &S,
    typed: &str,
    client: &Client,
    now: Timestamp,
) -> Result<Option<(User, Token)>, StoreError>
where
    S: Directory + Authenticators + PasswordResets + AuditLog + Throttles + ?Sized,
{
    // Every ask counts against the asking address, whoever it names, existing or not.
    let keys = throttle::reset_keys(client.throttle_address().as_deref());
    match throttle::reserve(store, &keys, now).await {
        Ok(()) => {
            throttle::fail(store, &keys, now).await?;
        }
        Err(ThrottleError::Blocked(_)) => return Ok(None),
        Err(ThrottleError::Store(e)) => return Err(e),
    }
    let Ok(email) = Email::parse(typed) else { return Ok(None) };
    let Some(user) = store.user_by_email(&email).await?.filter(|u| u.has_password) else { return Ok(None) };
    if store.totp_secret(&user.id).await?.is_none() {
        return Ok(None);
    }
    let day = now.plus_secs(-24 * 60 * 60);
    let quick = QUICK_RESETS_PER_DAY as i64;
    let today = store.count_events(&user.id, AuditKind::PasswordResetRequested, day, quick).await?;
    let token = Token::generate();
    let expires = now.plus_secs(RESET_TTL_SECS);
    if !store.insert_password_reset(&user.id, &token.hash(), now, expires, gap_secs(today)).await? {
        return Ok(None);
    }
    audit(store, now, AuditKind::PasswordResetRequested, Some(&user), client, String::new()).await?;
    Ok(Some((user, token)))
}

/// Whose link this is, for the page that asks for the new password.
pub async fn link_user<S>(store: &S, token: &str, now: Timestamp) -> Result<User, ResetError>
where
    S: Directory + PasswordResets + ?Sized,
{
    let token = Token::from_link(token.trim()).ok_or(ResetError::Invalid)?;
    let id = store.password_reset_user(&token.hash(), now).await?.ok_or(ResetError::Invalid)?;
    store.user_by_id(&id).await?.ok_or(ResetError::Invalid)
}

/// Keeps the new password beside the link for the sign-in `pending` (a second step the caller
/// begins), without setting it: [`apply`] does, after that sign-in's second factor. `context`:
/// words besides the email a password must not be built on.
#[allow(clippy::too_many_arguments)]
pub async fn claim<S, H>(
    store: &S,
    hasher: &H,
    token: &str,
    new: NewPassword<'_>,
    context: &[&str],
    pending: &Id,
    now: Timestamp,
) -> Result<User, ResetError>
where
    S: Directory + Authenticators + PasswordResets + ?Sized,
    H: PasswordWork + ?Sized,
{
    let user = link_user(store, token, now).await?;
    // A 2FA reset may have come since the link was sent (the store checks again as it keeps it).
    if store.totp_secret(&user.id).await?.is_none() {
        return Err(ResetError::NoSecondFactor);
    }
    let (password, confirmation) =
        (password_policy::normalize(new.password), password_policy::normalize(new.confirmation));
    let mut words = vec![user.email.as_str()];
    words.extend_from_slice(context);
    password_policy::check_new(&password, &confirmation, &words)?;
    let phc = hasher.hash(password).await;
    let token = Token::from_link(token.trim()).ok_or(ResetError::Invalid)?;
    // Between the check above and here the link may have gone, or the authenticator: the
    // store decides.
    let id = store.claim_password_reset(&token.hash(), &phc, pending, now).await?.ok_or(ResetError::Invalid)?;
    debug_assert_eq!(id, user.id);
    Ok(user)
}

/// After the second factor of the sign-in that [`claim`]ed a link: the new password takes
/// effect and the person's links end. `false` when that link went meanwhile (expired, or
/// claimed again by another sign-in); the caller then signs no one in.
pub async fn apply<S>(store: &S, user: &User, pending: &Id, client: &Client, now: Timestamp) -> Result<bool, StoreError>
where
    S: PasswordResets + AuditLog + ?Sized,
{
    if !store.use_password_reset(&user.id, pending, now).await? {
        return Ok(false);
    }
    audit(store, now, AuditKind::PasswordReset, Some(user), client, String::new()).await?;
    Ok(true)
}
