//! Browsers a person has signed in with (OWASP's "device cookies"): a random token in a
//! cookie, its hash stored with the person it belongs to. A known browser's password attempts
//! for that person count on a counter of their own, so guesses from anywhere else (which
//! anyone who knows the email address can make) never lock the person out of the browsers
//! they use, not even once the account-wide counter has reached its cool-down.

use crate::model::User;
use crate::store::{KnownBrowsers, StoreError};
use crate::token::Token;
use crate::{Id, Timestamp};

/// A browser stays known this long after its last completed sign-in.
pub const KNOWN_FOR_SECS: i64 = 90 * 24 * 60 * 60;

/// What [`remember`] made of the browser.
#[derive(Debug)]
pub struct Remembered {
    /// For the browser's cookie.
    pub token: Token,
    /// Whether the browser was known for this person already ([`is_known`] before the sign-in).
    pub was_known: bool,
}

/// After a completed sign-in: the token for the browser's cookie. The browser's token is kept
/// (and its time renewed) when it already belongs to this person; otherwise a new one. The
/// renewal is also the check, so a returning browser costs one statement.
pub async fn remember<S: KnownBrowsers + ?Sized>(
    store: &S,
    current: Option<&str>,
    user: &User,
    now: Timestamp,
) -> Result<Remembered, StoreError> {
    let expires = now.plus_secs(KNOWN_FOR_SECS);
    if let Some(token) = current.and_then(Token::from_link) {
        if store.renew_known_browser(&token.hash(), &user.id, now, expires).await? {
            return Ok(Remembered { token, was_known: true });
        }
    }
    let token = Token::generate();
    store.insert_known_browser(&token.hash(), &user.id, now, expires).await?;
    Ok(Remembered { token, was_known: false })
}

/// Whether the browser presenting `token` completed a sign-in as `user` recently.
pub async fn is_known<S: KnownBrowsers + ?Sized>(
    store: &S,
    token: Option<&str>,
    user: &Id,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let Some(token) = token.and_then(Token::from_link) else { return Ok(false) };
    Ok(store.known_browser_user(&token.hash(), now).await?.as_ref() == Some(user))
}
