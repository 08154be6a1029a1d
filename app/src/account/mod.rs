//! Signing in and out, invitations, 2FA setup, and who is signed in.

pub mod application;
pub mod authenticator;
pub mod events;
pub mod idle;
pub mod invitation;
pub mod language;
pub mod login;
pub mod passkeys;
pub mod password;
pub mod recovery;
pub mod reset;
pub mod security;
pub mod session;
pub mod sessions;
pub mod setup;
pub mod sso;
pub mod users;

/// What a change posted without the page's script said, kept for `page` (the post's redirect
/// brings the page back, rendered by the server, which shows it once).
#[cfg(feature = "ssr")]
pub(crate) async fn kept_notice(page: &str) -> crate::error::AppResult<Option<String>> {
    crate::auth::take_notice(page).await
}

/// Only ever taken on the server: a plain form's redirect loads the page from there.
#[cfg(not(feature = "ssr"))]
pub(crate) async fn kept_notice(_page: &str) -> crate::error::AppResult<Option<String>> {
    Ok(None)
}

/// Keeps `notice` for `page` when the change came from a plain form (before the page's
/// script ran, or without it); a script shows the answer itself.
#[cfg(feature = "ssr")]
pub(crate) async fn keep_notice_for_plain_form(page: &str, notice: &str) -> crate::error::AppResult<()> {
    if crate::ssr::posted_by_plain_form() {
        crate::auth::keep_notice(page, notice).await?;
    }
    Ok(())
}
