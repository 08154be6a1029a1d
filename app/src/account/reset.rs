//! **Forgot password?**: `/Account/ForgotPassword` asks for the email address and always
//! answers the same; the mailed link opens `/Account/ResetPassword?token=...`, where the new
//! password is chosen. Then the code step follows, as after any password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::PasswordField;
use crate::error::AppResult;
use crate::i18n::t;

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
            let language = crate::ssr::recipient_language(&state, &user).await;
            let mail = password_reset_mail(&language, &state.settings.product_name, &user.email, &link);
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

/// Public: the token is the credential. Keeps the new password for this sign-in and starts
/// its code step: the password takes effect (and every other session ends) only once the code
/// is right, so a mailbox alone never sets it ([`ssr::finish_reset`]).
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, confirmation: String) -> AppResult<()> {
    use gatehouse_core::signin::{self, reset, FirstStep, Mailbox, NewPassword, SignInError};
    use gatehouse_core::store::Directory;
    use gatehouse_core::Timestamp;

    use crate::auth::{begin_second_step, sign_in_error};
    use crate::ssr::internal;

    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let now = Timestamp::now();
    let user = reset::link_user(&state.db, &token, now).await.map_err(reset_error)?;
    let pending =
        match signin::after_first_step(&state.db, &user, FirstStep::PasswordReset, Mailbox::Unproved, now).await {
            Err(SignInError::SetUpAfterPassword) => return Err(reset_error(reset::ResetError::NoSecondFactor)),
            other => other.map_err(sign_in_error)?,
        };
    let account = match &user.account_id {
        Some(id) => state.db.account_by_id(id).await.map_err(internal)?.map(|a| a.name),
        None => None,
    };
    let (product, spawned, sign_in) = (state.settings.product_name.clone(), state.clone(), pending.id.clone());
    crate::ssr::to_completion(async move {
        let state = spawned;
        let context: Vec<&str> = [Some(product.as_str()), account.as_deref()].into_iter().flatten().collect();
        let new = NewPassword { password: &password, confirmation: &confirmation };
        let hashing = crate::ssr::Hashing(&state.hashing);
        reset::claim(&state.db, &hashing, &token, new, &context, &sign_in, now).await
    })
    .await?
    // Mapped here, in the request: the answer's status is set through its context.
    .map_err(reset_error)?;
    begin_second_step(&user, &pending).await?;
    leptos_axum::redirect("/Account/Login?step=code&password=reset");
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use gatehouse_core::model::User;
    use gatehouse_core::signin::{reset, FirstStep, PendingSignIn};
    use gatehouse_core::store::SessionRecords;
    use gatehouse_core::Timestamp;

    use crate::error::{AppError, AppResult};
    use crate::ssr::{internal, with_status};

    /// After the second factor of a sign-in whose first step was a new password by mail: the
    /// password takes effect, every other session of the person ends, and they are mailed.
    /// Nothing for any other sign-in. Refused (nobody signed in) when the link went meanwhile.
    pub async fn finish_reset(pending: &PendingSignIn, user: &User) -> AppResult<()> {
        if pending.first != FirstStep::PasswordReset {
            return Ok(());
        }
        let state = crate::ssr::state()?;
        let (client, spawned, who, sign_in) = (crate::auth::client(), state.clone(), user.clone(), pending.id.clone());
        // The password, the other sessions ending and the mail go together, even if the
        // browser stops waiting half-way.
        let done = crate::ssr::to_completion(async move {
            let state = spawned;
            if !reset::apply(&state.db, &who, &sign_in, &client, Timestamp::now()).await? {
                return Ok(None);
            }
            let (_, generation) = state.db.delete_user_sessions(&who.id).await?;
            crate::ssr::notify_from(&state, &who, |(t, product, links)| {
                gatehouse_core::mail::password_changed(t, product, &who.email, links)
            })
            .await;
            Ok::<_, gatehouse_core::store::StoreError>(Some(generation))
        })
        .await?
        .map_err(internal)?;
        let Some(generation) = done else {
            return Err(with_status(AppError::Invalid(crate::i18n::t("reset-link-gone"))));
        };
        // This sign-in goes on under the generation that ended the others.
        crate::auth::keep_generation(user, generation).await
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = move || request.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <Title text=t("reset-forgot-page-title")/>
        <section class="card narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{t("reset-forgot-title")}</h1>
            <Show when=sent fallback=move || view! {
                <p>{t("reset-forgot-lead")}</p>
                <ActionForm action=request>
                    <div class="field">
                        <label for="email">{t("reset-email")}</label>
                        <input id="email" name="email" type="email" inputmode="email" autocomplete="username"
                            autocapitalize="none" spellcheck="false" required maxlength="254"/>
                    </div>
                    <p class="error" role="alert">{error}</p>
                    <button type="submit" class="primary">{t("reset-send-link")}</button>
                </ActionForm>
            }>
                <p class="notice" role="status" data-testid="reset-sent">{t("reset-sent")}</p>
            </Show>
            <p class="aside"><a href="/Account/Login">{t("reset-back-to-sign-in")}</a></p>
            <p class="aside">
                <a href="/support/new?reset=1">{t("login-cant-log-in")}</a>" "{t("reset-cant-log-in-help")}
            </p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let info = Resource::new_blocking(token, password_reset_info);
    view! {
        <Title text=t("reset-title")/>
        <section class="card narrow" aria-labelledby="reset-title">
            <h1 id="reset-title">{t("reset-title")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(email) => view! { <NewPasswordForm email token=token()/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/Account/ForgotPassword">{t("reset-ask-new-link")}</a></p>
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
        <dl class="facts"><dt>{t("reset-user-name")}</dt><dd data-testid="reset-email">{email}</dd></dl>
        <ActionForm action=reset>
            <input type="hidden" name="token" value=token/>
            <PasswordField label=t("reset-new-password") name="password" autocomplete="new-password" described_by="reset-hint"/>
            <crate::components::NewPasswordHint id="reset-hint"/>
            <PasswordField label=t("reset-confirm-password") name="confirmation" autocomplete="new-password"/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("reset-set-password")}</button>
        </ActionForm>
        <p class="aside">{t("reset-next")}</p>
    }
}
