//! `/Account/Login`: user name and password (**Log In**), then the authentication code
//! (**Log in**). Both steps work as plain form posts before hydration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{CodeField, PasswordField};
use crate::error::AppResult;

#[server(endpoint = "log_in")]
pub async fn log_in(user_name: String, password: String) -> AppResult<()> {
    use gatehouse_core::signin;
    use gatehouse_core::Timestamp;

    use crate::account::session::ssr::{begin_second_factor, client, sign_in_error, Hashing};
    use crate::error::AppError;

    let state = crate::ssr::state()?;
    if user_name.trim().is_empty() || password.is_empty() {
        return Err(crate::ssr::with_status(AppError::Invalid("Enter your user name and password.".into())));
    }
    let hashing = Hashing(&state.hashing);
    let user = signin::password_step(&state.db, &hashing, &user_name, &password, &client(), Timestamp::now())
        .await
        .map_err(sign_in_error)?;
    begin_second_factor(&user).await?;
    let has_authenticator = {
        use gatehouse_core::store::Authenticators;
        state.db.totp_secret(&user.id).await.map_err(crate::account::session::ssr::internal)?.is_some()
    };
    // 2FA is mandatory: without an authenticator yet, setting one up is the second step.
    leptos_axum::redirect(if has_authenticator { "/Account/Login?step=code" } else { "/Account/SetupTwoFactor" });
    Ok(())
}

#[server(endpoint = "verify_code")]
pub async fn verify_code(code: String) -> AppResult<()> {
    use gatehouse_core::signin;
    use gatehouse_core::Timestamp;

    use crate::account::session::ssr::{client, complete_sign_in, pending_user_or_expired, sign_in_error};

    let state = crate::ssr::state()?;
    let user = pending_user_or_expired().await?;
    signin::code_step(&state.db, &state.secret_key, &user, &code, &client(), Timestamp::now())
        .await
        .map_err(sign_in_error)?;
    complete_sign_in(&user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let code_step = move || query.read().get("step").as_deref() == Some("code");
    view! {
        <Title text="Log in"/>
        <section class="card narrow" aria-labelledby="login-title">
            <h1 id="login-title">"Log in"</h1>
            <Show when=code_step fallback=PasswordStep>
                <CodeStep/>
            </Show>
        </section>
    }
}

#[component]
fn PasswordStep() -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let error = move || log_in.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <ActionForm action=log_in>
            <div class="field">
                <label for="user_name">"User name"</label>
                <input id="user_name" name="user_name" type="text" inputmode="email"
                    autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254"/>
            </div>
            <PasswordField label="Password" name="password" autocomplete="current-password"/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">"Log In"</button>
        </ActionForm>
    }
}

#[component]
fn CodeStep() -> impl IntoView {
    let verify = ServerAction::<VerifyCode>::new();
    let error = move || verify.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">"Open your authenticator app and enter the 6-digit code it shows for this account."</p>
        <ActionForm action=verify>
            <CodeField/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">"Log in"</button>
        </ActionForm>
        <p class="aside"><a href="/Account/Login">"Use another account"</a></p>
    }
}
