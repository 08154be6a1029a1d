//! **Forgot password?**: `/Account/ForgotPassword` asks for the email address and always
//! answers the same; the mailed link opens `/Account/ResetPassword?token=...`, where the new
//! password is chosen. Then the code step follows, as after any password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::PasswordField;
use crate::error::AppResult;

const SENT: &str = "If an account uses that address, we have sent it a link to choose a new password. The link works once, for 1 hour. Check your spam folder if nothing arrives in a few minutes.";

#[cfg(feature = "ssr")]
fn reset_error(e: gatehouse_core::signin::reset::ResetError) -> crate::error::AppError {
    use gatehouse_core::signin::reset::ResetError;
    match e {
        ResetError::Store(e) => crate::ssr::internal(e),
        rule => crate::ssr::with_status(crate::error::AppError::Invalid(rule.to_string())),
    }
}

/// Public. Mails a link when the address is someone's; the answer never tells whether it is.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> AppResult<()> {
    use gatehouse_core::mail::password_reset_mail;
    use gatehouse_core::signin::reset;
    use gatehouse_core::Timestamp;

    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let client = crate::auth::client();
    // Done after answering: a link stored and a mail queued take time that the answer would
    // otherwise show to whoever is testing addresses.
    tokio::spawn(async move {
        let issued = match reset::request(&state.db, &email, &client, Timestamp::now()).await {
            Ok(issued) => issued,
            Err(e) => return tracing::error!(error = %e, "password reset link not stored"),
        };
        if let Some((user, token)) = issued {
            let link = format!("{}/Account/ResetPassword?token={}", state.settings.public_url, token.reveal());
            let mail = password_reset_mail(&state.settings.product_name, &user.email, &link);
            if let Err(e) = state.mailer.send(mail).await {
                tracing::error!(error = %e, "password reset mail not queued");
            }
        }
    });
    leptos_axum::redirect("/Account/ForgotPassword?sent=1");
    Ok(())
}

/// Public: the token is the credential. The address the link is for.
#[server(endpoint = "password_reset_info")]
pub async fn password_reset_info(token: String) -> AppResult<String> {
    use gatehouse_core::signin::reset;
    use gatehouse_core::Timestamp;
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let user = reset::link_user(&state.db, &token, Timestamp::now()).await.map_err(reset_error)?;
    Ok(user.email.to_string())
}

/// Public: the token is the credential. Sets the new password, signs the person out
/// everywhere, and starts the code step: a reset never skips the second factor.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, confirmation: String) -> AppResult<()> {
    use gatehouse_core::mail::password_changed;
    use gatehouse_core::signin::{self, reset, FirstStep, Mailbox, NewPassword, SecondStep};
    use gatehouse_core::store::{Directory, SessionRecords};
    use gatehouse_core::Timestamp;

    use crate::auth::{begin_second_step, client, sign_in_error};
    use crate::ssr::internal;

    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let now = Timestamp::now();
    let user = reset::link_user(&state.db, &token, now).await.map_err(reset_error)?;
    let account = match &user.account_id {
        Some(id) => state.db.account_by_id(id).await.map_err(internal)?.map(|a| a.name),
        None => None,
    };
    let (product, client, spawned) = (state.settings.product_name.clone(), client(), state.clone());
    // The new password, everyone signed out and the mail go together, even if the browser
    // stops waiting half-way.
    let user = crate::ssr::to_completion(async move {
        let state = spawned;
        let context: Vec<&str> = [Some(product.as_str()), account.as_deref()].into_iter().flatten().collect();
        let new = NewPassword { password: &password, confirmation: &confirmation };
        let hashing = crate::ssr::Hashing(&state.hashing);
        let user = reset::reset(&state.db, &hashing, &token, new, &context, &client, now).await?;
        // Whoever knew the old password is out, wherever they were signed in; this sign-in
        // begins under the generation that leaves them out.
        let (_, session_generation) = state.db.delete_user_sessions(&user.id).await?;
        crate::ssr::notify_from(&state, |product, links| password_changed(product, &user.email, links)).await;
        Ok::<_, reset::ResetError>(gatehouse_core::model::User { session_generation, ..user })
    })
    .await?
    // Mapped here, in the request: the answer's status is set through its context.
    .map_err(reset_error)?;
    let pending = signin::after_first_step(&state.db, &user, FirstStep::PasswordReset, Mailbox::Unproved, now)
        .await
        .map_err(sign_in_error)?;
    begin_second_step(&user, &pending).await?;
    debug_assert_eq!(pending.second, SecondStep::Code, "no link for someone without an authenticator");
    leptos_axum::redirect("/Account/Login?step=code&password=reset");
    Ok(())
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = move || request.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <Title text="Forgot password"/>
        <section class="card narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"Forgot password?"</h1>
            <Show when=sent fallback=move || view! {
                <p>"Enter the email address you sign in with. We will mail you a link to choose a new password. You will still need your authenticator app afterwards."</p>
                <ActionForm action=request>
                    <div class="field">
                        <label for="email">"Email address"</label>
                        <input id="email" name="email" type="email" inputmode="email" autocomplete="username"
                            autocapitalize="none" spellcheck="false" required maxlength="254"/>
                    </div>
                    <p class="error" role="alert">{error}</p>
                    <button type="submit" class="primary">"Send link"</button>
                </ActionForm>
            }>
                <p class="notice" role="status" data-testid="reset-sent">{SENT}</p>
            </Show>
            <p class="aside"><a href="/Account/Login">"Back to the sign-in page"</a></p>
            <p class="aside"><a href="/support/new?reset=1">"Can't log in?"</a>" Lost your authenticator app too? Ask support instead."</p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let info = Resource::new_blocking(token, password_reset_info);
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow" aria-labelledby="reset-title">
            <h1 id="reset-title">"Choose a new password"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(email) => view! { <NewPasswordForm email token=token()/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/Account/ForgotPassword">"Ask for a new link"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewPasswordForm(email: String, token: String) -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let error = move || reset.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <dl class="facts"><dt>"User name"</dt><dd data-testid="reset-email">{email}</dd></dl>
        <ActionForm action=reset>
            <input type="hidden" name="token" value=token/>
            <PasswordField label="New password" name="password" autocomplete="new-password" described_by="reset-hint"/>
            <crate::components::NewPasswordHint id="reset-hint"/>
            <PasswordField label="Confirm password" name="confirmation" autocomplete="new-password"/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">"Set new password"</button>
        </ActionForm>
        <p class="aside">"Every session signed in with your old password will be signed out. Then you log in with the code from your authenticator app."</p>
    }
}
