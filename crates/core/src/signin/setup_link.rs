//! Setting up an authenticator needs the password and the mailbox, never the password alone:
//! after a support agent reset someone's 2FA, whoever learnt their password must not get to
//! enrol their own authenticator app. The invitation link is the mailbox's proof when someone
//! joins; afterwards it is a single-use link mailed to the person (in the mail that tells them
//! their 2FA was reset, and again whenever their password is right but they have no
//! authenticator), which they open before logging in.

use super::{audit, Client};
use crate::model::{AuditKind, User};
use crate::store::{AuditLog, SetupLinks, StoreError};
use crate::token::Token;
use crate::Timestamp;

/// How long a setup link works: a reset person may read their mail days later.
pub const SETUP_LINK_TTL_SECS: i64 = 7 * 24 * 60 * 60;
/// At most one new link per person per minute after a sign-in without one; the ones sent
/// before still work meanwhile (whoever has the password can ask, and must not end the
/// person's).
pub const SETUP_LINK_GAP_SECS: i64 = 60;

/// Why a link is made, which sets the gap since the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Because {
    /// A support agent approved a 2FA reset: the mail that says so always carries a link.
    Reset,
    /// The password was right but the sign-in carried no working link.
    SignIn,
}

/// A new link for the person (their older ones still work), or `None` after a sign-in when
/// one was made less than a minute ago (that one is on its way).
pub async fn issue<S: SetupLinks + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    because: Because,
    client: &Client,
    now: Timestamp,
) -> Result<Option<Token>, StoreError> {
    let token = Token::generate();
    let expires = now.plus_secs(SETUP_LINK_TTL_SECS);
    let gap = if because == Because::Reset { 0 } else { SETUP_LINK_GAP_SECS };
    if !store.insert_setup_link(&user.id, &token.hash(), now, expires, gap).await? {
        return Ok(None);
    }
    audit(store, now, AuditKind::SetupLinkSent, Some(user), client, String::new()).await?;
    Ok(Some(token))
}

/// The address a setup link opens: the login page, which carries the token into the sign-in.
pub fn url(public_url: &str, token: &Token) -> String {
    format!("{public_url}/Account/Login?setup={}", token.reveal())
}
