//! Who is signed in, and signing out. The session itself is `crate::auth`'s.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// The signed-in person as shown on pages. Only what the interface needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub email: String,
    /// The role's code (`owner`, `co-owner`, `user`, `agent`): pages say it through messages.
    pub role: String,
    pub account: Option<String>,
}

/// Anyone may ask; only a signed-in person gets an answer other than `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> AppResult<Option<SignedInUser>> {
    use gatehouse_core::store::Directory;
    crate::auth::anyone();
    let Some(user) = crate::auth::signed_in_user().await? else { return Ok(None) };
    let account = match &user.account_id {
        Some(id) => crate::ssr::state()?.db.account_by_id(id).await.map_err(crate::ssr::internal)?.map(|a| a.name),
        None => None,
    };
    Ok(Some(SignedInUser { email: user.email.to_string(), role: user.role.as_str().to_owned(), account }))
}

/// Ends the session on the server (not just the cookie), whatever it held, and returns to
/// the sign-in page.
#[server(endpoint = "log_out")]
pub async fn log_out() -> AppResult<()> {
    use gatehouse_core::model::{AuditEvent, AuditKind};
    use gatehouse_core::store::AuditLog;
    crate::auth::anyone();
    let user = crate::auth::signed_in_user().await?;
    crate::auth::end_session().await?;
    if let Some(user) = user {
        let mut event = AuditEvent::new(AuditKind::SignedOut);
        event.user_id = Some(user.id.clone());
        event.account_id = user.account_id.clone();
        event.client_ip = crate::auth::client().audit_address();
        let state = crate::ssr::state()?;
        state.db.record(gatehouse_core::Timestamp::now(), &event).await.map_err(crate::ssr::internal)?;
    }
    leptos_axum::redirect("/Account/Login");
    Ok(())
}
