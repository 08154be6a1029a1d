//! Who is signed in, and the sign-in state kept in the server-side session between steps.

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
    use async_trait::async_trait;
    use gatehouse_core::model::User;
    use gatehouse_core::password::{self, Verdict};
    use gatehouse_core::signin::{Client, PasswordWork, SignInError};
    use gatehouse_core::store::Directory;
    use gatehouse_core::{Id, Timestamp};
    use serde::{Deserialize, Serialize};
    use tower_sessions::Session;

    use crate::error::{AppError, AppResult};
    use crate::ssr::{state, BlockingPool};

    /// Session key of the fully signed-in user's id (password and second factor done).
    pub const SIGNED_IN: &str = "gh.user";
    /// When the last full sign-in happened (for step-up before sensitive changes).
    pub const AUTHENTICATED_AT: &str = "gh.auth_at";
    /// A user past the first step (password or SSO) who still owes the second factor.
    pub const PENDING: &str = "gh.pending";
    /// The second step must follow the first within ten minutes.
    pub const PENDING_TTL_SECS: i64 = 10 * 60;

    #[derive(Serialize, Deserialize)]
    struct Pending {
        user: String,
        since: i64,
        /// The first step, as the audit log names it: "password", or the SSO provider.
        #[serde(default = "by_password")]
        after: String,
    }

    fn by_password() -> String {
        PASSWORD_STEP.to_owned()
    }

    /// The first step's name when it was the password.
    pub const PASSWORD_STEP: &str = "password";

    /// The user a stored session belongs to, signed in or half-way, for storage's index.
    pub fn user_of(data: &std::collections::HashMap<String, serde_json::Value>) -> Option<String> {
        data.get(SIGNED_IN)
            .and_then(|v| v.as_str().map(str::to_owned))
            .or_else(|| data.get(PENDING).and_then(|p| p.get("user")).and_then(|u| u.as_str()).map(str::to_owned))
    }

    pub async fn session() -> AppResult<Session> {
        leptos_axum::extract::<Session>().await.map_err(|e| {
            tracing::error!(error = %e, "no session layer");
            AppError::Internal
        })
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "server function failed");
        crate::ssr::with_status(AppError::Internal)
    }

    /// Maps the core's sign-in errors: rules become messages, failures are logged.
    pub fn sign_in_error(e: SignInError) -> AppError {
        match e {
            SignInError::Store(e) => internal(e),
            SignInError::Secret(e) => internal(e),
            rule => crate::ssr::with_status(AppError::Invalid(rule.to_string())),
        }
    }

    /// The client's address as the socket saw it.
    pub fn client() -> Client {
        let ip = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()))
            .map(|ip| ip.to_string());
        Client { ip }
    }

    async fn user(id: String) -> AppResult<Option<User>> {
        state()?.db.user_by_id(&Id::from_stored(id)).await.map_err(internal)
    }

    /// The fully signed-in user, if any. A session pointing at a deleted user counts as none.
    pub async fn signed_in_user() -> AppResult<Option<User>> {
        let session = session().await?;
        let Some(id) = session.get::<String>(SIGNED_IN).await.map_err(internal)? else { return Ok(None) };
        user(id).await
    }

    /// The user between the first and second step, if that was recent enough, and how they
    /// passed the first step.
    pub async fn pending() -> AppResult<Option<(User, String)>> {
        let session = session().await?;
        let Some(p) = session.get::<Pending>(PENDING).await.map_err(internal)? else { return Ok(None) };
        if Timestamp::now().0 - p.since > PENDING_TTL_SECS {
            session.remove::<Pending>(PENDING).await.map_err(internal)?;
            return Ok(None);
        }
        Ok(user(p.user).await?.map(|u| (u, p.after)))
    }

    pub async fn pending_user() -> AppResult<Option<User>> {
        Ok(pending().await?.map(|(user, _)| user))
    }

    /// The user owing the second factor (and their first step), or the error the code forms
    /// show when there is none.
    pub async fn pending_or_expired() -> AppResult<(User, String)> {
        pending().await?.ok_or_else(|| {
            crate::ssr::with_status(AppError::Invalid(
                "Your sign-in has expired. Enter your user name and password again.".into(),
            ))
        })
    }

    /// After the first step: a new session id (the privilege changed) that remembers who
    /// still owes the second factor.
    pub async fn begin_second_factor(user: &User, after: &str) -> AppResult<()> {
        begin_second_factor_in(&session().await?, user, after).await
    }

    /// [`begin_second_factor`] for plain axum routes (the SSO callback), which hold the
    /// session themselves.
    pub async fn begin_second_factor_in(session: &Session, user: &User, after: &str) -> AppResult<()> {
        session.cycle_id().await.map_err(internal)?;
        session.remove_value(SIGNED_IN).await.map_err(internal)?;
        let pending = Pending { user: user.id.to_string(), since: Timestamp::now().0, after: after.to_owned() };
        session.insert(PENDING, pending).await.map_err(internal)
    }

    /// Where the second step happens: the code, or setting up an authenticator first when
    /// there is none yet (2FA is mandatory).
    pub async fn second_step_path(db: &gatehouse_storage::Db, user: &User) -> AppResult<&'static str> {
        use gatehouse_core::store::Authenticators;
        let has_authenticator = db.totp_secret(&user.id).await.map_err(internal)?.is_some();
        Ok(if has_authenticator { "/Account/Login?step=code" } else { "/Account/SetupTwoFactor" })
    }

    /// After the second step: signed in, again under a new session id.
    pub async fn complete_sign_in(user: &User) -> AppResult<()> {
        let session = session().await?;
        session.cycle_id().await.map_err(internal)?;
        session.remove_value(PENDING).await.map_err(internal)?;
        session.insert(SIGNED_IN, user.id.to_string()).await.map_err(internal)?;
        session.insert(AUTHENTICATED_AT, Timestamp::now().0).await.map_err(internal)
    }

    /// argon2 on the bounded blocking pool.
    pub struct Hashing<'a>(pub &'a BlockingPool);

    #[async_trait]
    impl PasswordWork for Hashing<'_> {
        async fn verify(&self, pw: String, phc: Option<String>) -> Verdict {
            let job = move || match phc {
                Some(phc) => password::verify(&pw, &phc),
                None => password::verify_dummy(&pw),
            };
            self.0.run(job).await.unwrap_or(Verdict::Wrong)
        }

        async fn hash(&self, pw: String) -> String {
            self.0.run(move || password::hash(&pw)).await.expect("password hashing does not panic")
        }
    }
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> AppResult<Option<SignedInUser>> {
    use gatehouse_core::store::Directory;
    let Some(user) = ssr::signed_in_user().await? else { return Ok(None) };
    let account = match &user.account_id {
        Some(id) => crate::ssr::state()?.db.account_by_id(id).await.map_err(ssr::internal)?.map(|a| a.name),
        None => None,
    };
    Ok(Some(SignedInUser { email: user.email.to_string(), role: user.role.label().to_owned(), account }))
}

/// Ends the session on the server (not just the cookie) and returns to the sign-in page.
#[server(endpoint = "log_out")]
pub async fn log_out() -> AppResult<()> {
    use gatehouse_core::model::{AuditEvent, AuditKind};
    use gatehouse_core::store::AuditLog;
    let user = ssr::signed_in_user().await?;
    ssr::session().await?.flush().await.map_err(ssr::internal)?;
    if let Some(user) = user {
        let mut event = AuditEvent::new(AuditKind::SignedOut);
        event.user_id = Some(user.id.clone());
        event.account_id = user.account_id.clone();
        event.client_ip = ssr::client().ip;
        let state = crate::ssr::state()?;
        state.db.record(gatehouse_core::Timestamp::now(), &event).await.map_err(ssr::internal)?;
    }
    leptos_axum::redirect("/Account/Login");
    Ok(())
}
