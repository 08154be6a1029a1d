//! Changing the password on the Security page: the current password and a fresh code from
//! the authenticator (whoever holds a signed-in browser for a moment must not be able to lock
//! the person out), then the new password typed twice. Reset links mailed before stop working;
//! the caller ends every other session.

use super::code::check_authenticator_code;
use super::{audit, count_failure, Client, NewPassword, PasswordWork, SignInError};
use crate::crypto::SecretKey;
use crate::known_browsers;
use crate::model::{AuditKind, User};
use crate::password::Verdict;
use crate::password_policy;
use crate::store::{AuditLog, Authenticators, Directory, KnownBrowsers, PasswordResets, StoreError, Throttles};
use crate::throttle;
use crate::token::Token;
use crate::Timestamp;

/// What the form asks for.
#[derive(Clone, Copy)]
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: NewPassword<'a>,
    pub code: &'a str,
    /// Words a new password must not be built on besides the email (account and product
    /// names).
    pub context: &'a [&'a str],
}

/// Checks the new password first (no cost, nothing used up), then the current password (on
/// the same throttle as sign-ins), then the code (used up), and only then stores the new hash.
pub async fn change_password<S, H>(
    store: &S,
    hasher: &H,
    key: &SecretKey,
    user: &User,
    change: PasswordChange<'_>,
    client: &Client,
    now: Timestamp,
) -> Result<(), SignInError>
where
    S: Directory + Authenticators + Throttles + AuditLog + KnownBrowsers + PasswordResets + ?Sized,
    H: PasswordWork + ?Sized,
{
    let (new, confirmation) =
        (password_policy::normalize(change.new.password), password_policy::normalize(change.new.confirmation));
    let mut words = vec![user.email.as_str()];
    words.extend_from_slice(change.context);
    password_policy::check_new(&new, &confirmation, &words)?;

    let current = password_policy::normalize(change.current);
    // As at sign-in: in a browser the person signed in with before, others' guessing of the
    // password does not block them.
    let known = known_browsers::is_known(store, client.browser.as_deref(), &user.id, now).await?;
    let browser = known.then(|| client.browser.as_deref().and_then(Token::from_link)).flatten().map(|t| t.hash());
    let keys = throttle::password_keys(user.email.as_str(), client.throttle_address().as_deref(), browser.as_ref());
    throttle::reserve(store, &keys, now).await?;
    let checked = async {
        let phc = store.password_hash(&user.id).await?;
        Ok::<_, StoreError>(hasher.verify(current.clone(), phc).await)
    };
    match checked.await {
        Ok(Verdict::Correct { .. }) => throttle::release(store, &keys).await?,
        Ok(Verdict::Wrong) => {
            count_failure(store, &keys, Some(user), client, "password change", now).await?;
            audit(store, now, AuditKind::SignInFailed, Some(user), client, "password change: wrong password".into())
                .await?;
            return Err(SignInError::WrongCurrentPassword);
        }
        Err(e) => {
            throttle::release(store, &keys).await?;
            return Err(e.into());
        }
    }
    if current == new {
        return Err(SignInError::SamePassword);
    }
    check_authenticator_code(store, key, user, change.code, "password change", client, now).await?;
    store.set_password_hash(&user.id, &hasher.hash(new).await).await?;
    store.cancel_password_resets(&user.id).await?;
    Ok(audit(store, now, AuditKind::PasswordChanged, Some(user), client, String::new()).await?)
}
