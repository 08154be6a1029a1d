//! Passkey server functions: usernameless sign-in (from the login page), and adding,
//! renaming and removing passkeys (from the Security page), plus step-up with a code.
//! The browser half of each ceremony is in `crate::webauthn`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A ceremony the browser runs: finish it with this id; `options` is WebAuthn JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyChallenge {
    pub ceremony: String,
    pub options: String,
}

/// A passkey as the Security page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use gatehouse_core::mail::{passkey_notice, PasskeyChange};
    use gatehouse_core::model::{StoredPasskey, User};
    use gatehouse_core::passkey::{Challenge, PasskeyError};

    use super::{PasskeyChallenge, PasskeyView};
    use crate::error::AppError;
    use crate::ssr::{internal, when, with_status};

    /// Step-up with one of `me`'s own passkeys (another person's is refused), then a new
    /// session id.
    pub async fn step_up_with_passkey(me: &User, ceremony: String, credential: String) -> crate::error::AppResult<()> {
        use gatehouse_core::passkey::{finish_sign_in, Answer, Expect};
        let state = crate::ssr::state()?;
        let (db, rp, client, now) =
            (state.db.clone(), state.passkeys.clone(), crate::auth::client(), gatehouse_core::Timestamp::now());
        let who = me.clone();
        crate::ssr::to_completion(async move {
            let answer = Answer { ceremony: &ceremony, credential: &credential };
            finish_sign_in(&db, &rp, answer, Expect::Only(&who), &client, now).await
        })
        .await?
        .map_err(passkey_error)?;
        crate::auth::renew_authentication(me).await
    }

    pub fn passkey_error(e: PasskeyError) -> AppError {
        match e {
            PasskeyError::Store(e) => internal(e),
            PasskeyError::Internal(e) => internal(e),
            rule => with_status(AppError::Invalid(rule.to_string())),
        }
    }

    pub fn challenge(c: Challenge) -> PasskeyChallenge {
        PasskeyChallenge { ceremony: c.ceremony.to_string(), options: c.options }
    }

    pub fn view_of(p: &StoredPasskey) -> PasskeyView {
        PasskeyView {
            id: p.id.to_string(),
            name: p.name.clone(),
            created_at: when(p.created_at),
            last_used_at: p.last_used_at.map(when),
        }
    }

    /// The security notice mail about a passkey change.
    pub async fn notify(user: &User, change: PasskeyChange, name: &str) {
        crate::ssr::notify(user, |(t, product, links)| passkey_notice(t, product, &user.email, change, name, links))
            .await;
    }
}

/// Public: anyone may start a passkey sign-in.
#[server(endpoint = "passkey_sign_in_start")]
pub async fn passkey_sign_in_start() -> AppResult<PasskeyChallenge> {
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let c = gatehouse_core::passkey::start_sign_in(&state.db, &state.passkeys, gatehouse_core::Timestamp::now())
        .await
        .map_err(ssr::passkey_error)?;
    Ok(ssr::challenge(c))
}

/// Public: a valid assertion signs its passkey's owner in, no password and no code, in
/// place of whatever the session held.
#[server(endpoint = "passkey_sign_in_finish")]
pub async fn passkey_sign_in_finish(ceremony: String, credential: String) -> AppResult<()> {
    use gatehouse_core::passkey::{finish_sign_in, Answer, Expect};
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let (db, rp, client, now) =
        (state.db.clone(), state.passkeys.clone(), crate::auth::client(), gatehouse_core::Timestamp::now());
    let user = crate::ssr::to_completion(async move {
        let answer = Answer { ceremony: &ceremony, credential: &credential };
        finish_sign_in(&db, &rp, answer, Expect::Anyone, &client, now).await
    })
    .await?
    .map_err(ssr::passkey_error)?;
    crate::auth::complete_sign_in(&user, &gatehouse_core::oidc::amr(None, gatehouse_core::oidc::Proof::Passkey))
        .await?;
    leptos_axum::redirect(crate::auth::landing());
    Ok(())
}

#[server(endpoint = "passkeys")]
pub async fn passkeys() -> AppResult<Vec<PasskeyView>> {
    use gatehouse_core::store::Passkeys;
    let user = crate::auth::signed_in().await?;
    let list = crate::ssr::state()?.db.passkeys_of(&user.id).await.map_err(crate::ssr::internal)?;
    Ok(list.iter().map(ssr::view_of).collect())
}

#[server(endpoint = "passkey_add_start")]
pub async fn passkey_add_start() -> AppResult<PasskeyChallenge> {
    let user = crate::auth::recently_authenticated().await?;
    let state = crate::ssr::state()?;
    let now = gatehouse_core::Timestamp::now();
    let c = gatehouse_core::passkey::start_registration(&state.db, &state.passkeys, &user, now)
        .await
        .map_err(ssr::passkey_error)?;
    Ok(ssr::challenge(c))
}

/// Recent authentication again: the ceremony binds the user, and the rule is the same at
/// both ends of it.
#[server(endpoint = "passkey_add_finish")]
pub async fn passkey_add_finish(ceremony: String, credential: String, name: String) -> AppResult<PasskeyView> {
    let user = crate::auth::recently_authenticated().await?;
    let state = crate::ssr::state()?;
    let added = gatehouse_core::passkey::finish_registration(
        &state.db,
        &state.passkeys,
        &user,
        gatehouse_core::passkey::Answer { ceremony: &ceremony, credential: &credential },
        &name,
        &crate::auth::client(),
        gatehouse_core::Timestamp::now(),
    )
    .await
    .map_err(ssr::passkey_error)?;
    ssr::notify(&user, gatehouse_core::mail::PasskeyChange::Added, &added.name).await;
    Ok(ssr::view_of(&added))
}

#[server(endpoint = "passkey_rename")]
pub async fn passkey_rename(id: String, name: String) -> AppResult<String> {
    let user = crate::auth::signed_in().await?;
    let state = crate::ssr::state()?;
    let now = gatehouse_core::Timestamp::now();
    gatehouse_core::passkey::rename(&state.db, &user, &id, &name, &crate::auth::client(), now)
        .await
        .map_err(ssr::passkey_error)
}

#[server(endpoint = "passkey_remove")]
pub async fn passkey_remove(id: String) -> AppResult<()> {
    let user = crate::auth::recently_authenticated().await?;
    let state = crate::ssr::state()?;
    let now = gatehouse_core::Timestamp::now();
    let removed = gatehouse_core::passkey::remove(&state.db, &user, &id, &crate::auth::client(), now)
        .await
        .map_err(ssr::passkey_error)?;
    ssr::notify(&user, gatehouse_core::mail::PasskeyChange::Removed, &removed.name).await;
    Ok(())
}

/// Proves again, with one of the person's own passkeys, that it is still them; renews the
/// session id. Someone else's passkey (say, on a shared computer) is refused: it must never
/// switch this session to its owner, nor let the waiting change run for them.
/// The browser's passkey dialog, then [`passkey_step_up`]: the person's message when it fails
/// (empty when they cancelled).
#[cfg(feature = "browser")]
pub async fn step_up_in_browser() -> Result<(), String> {
    let c = passkey_sign_in_start().await.map_err(|e| e.to_string())?;
    let cred = gatehouse_browser::webauthn::sign_in(&c.options, false, None).await.map_err(|f| f.message())?;
    // Not a sign-in: only the signed-in person's own passkey confirms it is them.
    passkey_step_up(c.ceremony, cred).await.map_err(|e| e.to_string())
}

#[server(endpoint = "passkey_step_up")]
pub async fn passkey_step_up(ceremony: String, credential: String) -> AppResult<()> {
    let me = crate::auth::signed_in().await?;
    ssr::step_up_with_passkey(&me, ceremony, credential).await
}

/// Proves again, with a fresh code, that it is still this person; renews the session id.
#[server(endpoint = "step_up")]
pub async fn step_up(code: String) -> AppResult<()> {
    let user = crate::auth::signed_in().await?;
    crate::auth::step_up_with_code(&user, code).await
}
