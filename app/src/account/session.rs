//! Who is signed in: the person behind the current session, as the pages see them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// The signed-in person as shown on pages. Only what the interface needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub email: String,
    /// How the role reads in a sentence ("account owner", "co-owner", ...).
    pub role: String,
    pub account: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use gatehouse_core::model::User;
    use gatehouse_core::store::Directory;
    use gatehouse_core::Id;
    use tower_sessions::Session;

    use crate::error::{AppError, AppResult};
    use crate::ssr::state;

    /// Session key of the fully signed-in user's id (password and second factor done).
    pub const SIGNED_IN: &str = "gh.user";

    /// The user a stored session belongs to, for storage's per-user index.
    pub fn user_of(data: &std::collections::HashMap<String, serde_json::Value>) -> Option<String> {
        data.get(SIGNED_IN).and_then(|v| v.as_str()).map(str::to_owned)
    }

    pub async fn session() -> AppResult<Session> {
        leptos_axum::extract::<Session>().await.map_err(|e| {
            tracing::error!(error = %e, "no session layer");
            AppError::Internal
        })
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "server function failed");
        AppError::Internal
    }

    /// The fully signed-in user, if any. A session pointing at a deleted user counts as none.
    pub async fn signed_in_user() -> AppResult<Option<User>> {
        let session = session().await?;
        let Some(id) = session.get::<String>(SIGNED_IN).await.map_err(internal)? else {
            return Ok(None);
        };
        state()?.db.user_by_id(&Id::from_stored(id)).await.map_err(internal)
    }
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> AppResult<Option<SignedInUser>> {
    use gatehouse_core::store::Directory;
    let Some(user) = ssr::signed_in_user().await? else {
        return Ok(None);
    };
    let account = match &user.account_id {
        Some(id) => crate::ssr::state()?.db.account_by_id(id).await.map_err(ssr::internal)?.map(|a| a.name),
        None => None,
    };
    Ok(Some(SignedInUser { email: user.email.to_string(), role: user.role.label().to_owned(), account }))
}

/// Ends the session on the server (not just the cookie) and returns to the sign-in page.
#[server(endpoint = "log_out")]
pub async fn log_out() -> AppResult<()> {
    let session = ssr::session().await?;
    session.flush().await.map_err(ssr::internal)?;
    leptos_axum::redirect("/Account/Login");
    Ok(())
}
