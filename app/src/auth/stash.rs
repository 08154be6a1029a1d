//! What a page leaves in the session for the next one to show or finish once: a new set of
//! recovery codes (sealed), an authenticator replacement under way, a plain form's notice.

use gatehouse_core::model::User;
use gatehouse_core::Id;

use super::{session, FRESH_RECOVERY_CODES, NOTICE, REPLACEMENT};
use crate::error::AppResult;
use crate::ssr::{internal, state};

/// Remembers the authenticator replacement this session started.
pub async fn keep_replacement(replacement: &Id) -> AppResult<()> {
    session().await?.insert(REPLACEMENT, replacement).await.map_err(internal)
}

/// The replacement this session started, if any (`take`: and forget it).
pub async fn replacement(take: bool) -> AppResult<Option<Id>> {
    let session = session().await?;
    let found = if take { session.remove(REPLACEMENT).await } else { session.get(REPLACEMENT).await };
    found.map_err(internal)
}

fn recovery_context(user: &User) -> Vec<u8> {
    format!("fresh recovery codes of {}", user.id).into_bytes()
}

/// Keeps a new set of recovery codes in the session for `/Account/RecoveryCodes` to show
/// once, sealed (the session store is a database table like any other).
pub async fn stash_recovery_codes(user: &User, codes: &[String]) -> AppResult<()> {
    let state = state()?;
    let sealed = state.secret_key.seal(codes.join("\n").as_bytes(), &recovery_context(user));
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sealed);
    session().await?.insert(FRESH_RECOVERY_CODES, encoded).await.map_err(internal)
}

/// The recovery codes waiting to be shown, taken out of the session: shown once.
pub async fn take_recovery_codes(user: &User) -> AppResult<Option<Vec<String>>> {
    let state = state()?;
    let Some(encoded) = session().await?.remove::<String>(FRESH_RECOVERY_CODES).await.map_err(internal)? else {
        return Ok(None);
    };
    let sealed = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded).map_err(internal)?;
    // Someone else's (a sign-in in this browser since) opens as nothing.
    Ok(state
        .secret_key
        .open(&sealed, &recovery_context(user))
        .ok()
        .and_then(|plain| String::from_utf8(plain).ok())
        .map(|codes| codes.lines().map(str::to_owned).collect()))
}

/// Keeps what a plain form's change said for `page` to show when the redirect lands there.
pub async fn keep_notice(page: &str, notice: &str) -> AppResult<()> {
    session().await?.insert(NOTICE, (page, notice)).await.map_err(internal)
}

/// The notice kept for `page`, taken out of the session: shown once. One kept for another
/// page is left for it.
pub async fn take_notice(page: &str) -> AppResult<Option<String>> {
    let session = session().await?;
    match session.get::<(String, String)>(NOTICE).await.map_err(internal)? {
        Some((for_page, notice)) if for_page == page => {
            session.remove::<(String, String)>(NOTICE).await.map_err(internal)?;
            Ok(Some(notice))
        }
        _ => Ok(None),
    }
}
