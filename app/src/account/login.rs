//! `/Account/Login`: user name and password, then the authentication code.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::PasswordField;
use crate::error::AppResult;

/// The message for every failed password step, whether the user exists or not, so the
/// page cannot be used to find out who has an account.
pub const BAD_CREDENTIALS: &str = "The user name or password is incorrect.";

#[server(endpoint = "log_in")]
pub async fn log_in(user_name: String, password: String) -> AppResult<()> {
    use gatehouse_core::password::{self, Verdict};
    use gatehouse_core::store::Directory;
    use gatehouse_core::Email;

    use crate::account::session::ssr::internal;
    use crate::error::AppError;
    use crate::ssr::state;

    let state = state()?;
    if user_name.trim().is_empty() || password.is_empty() {
        return Err(AppError::Invalid("Enter your user name and password.".into()));
    }
    let user = match Email::parse(&user_name) {
        Ok(email) => state.db.user_by_email(&email).await.map_err(internal)?,
        Err(_) => None,
    };
    let stored = match &user {
        Some(u) => state.db.password_hash(&u.id).await.map_err(internal)?,
        None => None,
    };
    let verdict = state
        .hashing
        .run(move || match stored {
            Some(phc) => password::verify(&password, &phc),
            None => password::verify_dummy(&password),
        })
        .await
        .map_err(internal)?;
    match verdict {
        Verdict::Correct { .. } => Err(AppError::Invalid(
            "Your password is correct, but this server cannot complete two-factor sign-in yet.".into(),
        )),
        Verdict::Wrong => Err(AppError::Invalid(BAD_CREDENTIALS.into())),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let error = move || log_in.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <Title text="Log in"/>
        <section class="card narrow" aria-labelledby="login-title">
            <h1 id="login-title">"Log in"</h1>
            <ActionForm action=log_in>
                <div class="field">
                    <label for="user_name">"User name"</label>
                    <input id="user_name" name="user_name" type="text" inputmode="email"
                        autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254"/>
                </div>
                <PasswordField label="Password" name="password" autocomplete="current-password"/>
                <p class="error" role="alert" aria-live="assertive">{error}</p>
                <button type="submit" class="primary">"Log In"</button>
            </ActionForm>
        </section>
    }
}
