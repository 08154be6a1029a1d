//! `/Account/Login`: user name and password (**Log In**), then the authentication code
//! (**Log in**) or **Use a recovery code**. Both steps work as plain form posts before hydration.
//! Opened from a mailed setup link (`?setup=TOKEN`), the password form carries the link: for
//! someone without an authenticator, password and link together grant setup.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{CodeField, PasswordField};
use crate::error::AppResult;
use crate::i18n::t;

/// The first step. Open to anyone, in any state: a new sign-in replaces whatever the
/// session held. `setup`: the token of the setup link the page was opened from.
#[server(endpoint = "log_in")]
pub async fn log_in(user_name: String, password: String, setup: Option<String>) -> AppResult<()> {
    use gatehouse_core::signin::{self, FirstStep};
    use gatehouse_core::Timestamp;

    use crate::auth::{begin_second_step, client, second_step_path, sign_in_error};
    use crate::error::AppError;

    crate::auth::anyone();
    let state = crate::ssr::state()?;
    if user_name.trim().is_empty() || password.is_empty() {
        return Err(crate::ssr::with_status(AppError::Invalid(t("login-enter-user-name-and-password"))));
    }
    let now = Timestamp::now();
    let (db, pool, client) = (state.db.clone(), state.hashing.clone(), client());
    let user = crate::ssr::to_completion(async move {
        signin::password_step(&db, &crate::ssr::Hashing(&pool), &user_name, &password, &client, now).await
    })
    .await?
    .map_err(sign_in_error)?;
    let link = crate::account::setup::ssr::link_hash(setup.as_deref());
    let mailbox = crate::account::setup::ssr::mailbox(link.as_ref());
    let pending = match signin::after_first_step(&state.db, &user, FirstStep::Password, mailbox, now).await {
        Err(e) if e.wants_setup_link() => {
            crate::account::setup::ssr::mail_setup_link(&state, &user, &crate::auth::client()).await;
            return Err(sign_in_error(e));
        }
        other => other.map_err(sign_in_error)?,
    };
    begin_second_step(&user, &pending).await?;
    leptos_axum::redirect(second_step_path(&pending));
    Ok(())
}

/// The code step: only for a sign-in whose first step asked for the code.
#[server(endpoint = "verify_code")]
pub async fn verify_code(code: String) -> AppResult<()> {
    use gatehouse_core::{signin, Timestamp};

    use crate::auth::{client, complete_sign_in, sign_in_error};

    let pending = crate::auth::pending().await?;
    let state = crate::ssr::state()?;
    let (db, key, client, now) = (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now());
    let step = pending.clone();
    let user =
        crate::ssr::to_completion(async move { signin::verify_code(&db, &key, &step, &code, &client, now).await })
            .await?
            .map_err(sign_in_error)?;
    crate::account::reset::ssr::finish_reset(&pending, &user).await?;
    complete_sign_in(&user, &gatehouse_core::oidc::amr(Some(&pending.first), gatehouse_core::oidc::Proof::Code))
        .await?;
    leptos_axum::redirect(crate::auth::landing());
    Ok(())
}

/// A setup link's token as the page's address carries it (anything else is ignored).
fn setup_token(query: &leptos_router::params::ParamsMap) -> Option<String> {
    query
        .get("setup")
        .filter(|t| t.len() == 43 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let step = move || query.read().get("step");
    let sso = crate::account::sso::load_buttons();
    let setup = move || query.with(setup_token);
    view! {
        <Title text=t("login-title")/>
        <section class="card narrow" aria-labelledby="login-title">
            <h1 id="login-title">{t("login-title")}</h1>
            {move || match query.read().get("signed_out").as_deref() {
                Some("idle") => Some(t("login-signed-out-idle")),
                Some("lifetime") => Some(t("login-signed-out-lifetime")),
                Some("application") => Some(t("login-signed-out-application")),
                _ => (query.read().get("password").as_deref() == Some("reset"))
                    .then(|| t("login-password-reset")),
            }.map(|why| view! { <p class="notice" role="status">{why}</p> })}
            <crate::account::sso::SsoNotice buttons=sso/>
            {move || setup().map(|_| view! {
                <p class="notice" role="status" data-testid="setup-link">
                    {t("login-setup-link")}
                </p>
            })}
            {move || match step().as_deref() {
                Some("code") => view! { <CodeStep/> }.into_any(),
                Some("recovery") => view! { <crate::account::recovery::RecoveryStep/> }.into_any(),
                _ => view! { <PasswordStep sso setup=setup() hint=query.read().get("login_hint")/> }.into_any(),
            }}
        </section>
        <crate::i18n::LanguageSwitch/>
        <crate::i18n::LoginClientWords/>
    }
}

#[component]
fn PasswordStep(sso: crate::account::sso::Buttons, setup: Option<String>, hint: Option<String>) -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let error = move || log_in.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let hidden = setup.clone().map(|token| view! { <input type="hidden" name="setup" value=token/> });
    view! {
        <ActionForm action=log_in>
            {hidden}
            <div class="field">
                <label for="user_name">{t("login-user-name")}</label>
                <input id="user_name" name="user_name" type="text" inputmode="email" value=hint
                    autocomplete="username webauthn" autocapitalize="none" spellcheck="false" required maxlength="254"/>
            </div>
            <PasswordField label=t("login-password") name="password" autocomplete="current-password"/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("login-submit-password")}</button>
        </ActionForm>
        <p class="aside forgot"><a href="/Account/ForgotPassword">{t("login-forgot-password")}</a></p>
        <PasskeySignIn/>
        <crate::account::sso::SsoSignIn buttons=sso carry=setup.map(|t| format!("setup={t}"))/>
        <CantLogIn/>
    }
}

/// **Can't log in?**: lost authenticators are reset through a support request.
#[component]
fn CantLogIn() -> impl IntoView {
    view! {
        <p class="aside cant-log-in">
            <a href="/support/new?reset=1">{t("login-cant-log-in")}</a>
            " "{t("login-cant-log-in-help")}
        </p>
    }
}

/// **Sign in with a passkey**, and the same offered in the User name field's autofill
/// (conditional mediation) once that field is focused. Either ends on `/`, signed in. This is
/// the page when reached inside the app; loaded on its own, `gatehouse_browser::login` does the
/// same with the markup rendered here.
#[component]
fn PasskeySignIn() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let hydrated = crate::components::hydrated();
    #[cfg(feature = "browser")]
    let autofill = StoredValue::new_local(gatehouse_browser::passkey::Autofill::new(move |m| error.set(Some(m))));
    #[cfg(feature = "browser")]
    Effect::new(move |_| autofill.with_value(|a| a.listen_on_user_name()));
    let click = move |_| {
        busy.set(true);
        error.set(None);
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            if let Err(m) = autofill.get_value().sign_in_now().await {
                error.set(Some(m).filter(|m| !m.is_empty()));
            }
            busy.set(false);
        });
    };
    view! {
        <div class="passkey-sign-in">
            <p class="divider"><span>{t("login-or")}</span></p>
            <button type="button" class="secondary" on:click=click disabled=move || !hydrated.get() || busy.get()>
                {t("login-passkey")}
            </button>
            // Only while there is something to say: an alert is announced when it appears,
            // and the password form's alert stays the page's only one otherwise.
            <Show when=move || error.with(Option::is_some)>
                <p class="error" role="alert" data-testid="passkey-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}

#[component]
fn CodeStep() -> impl IntoView {
    let verify = ServerAction::<VerifyCode>::new();
    let error = move || verify.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">{t("login-code-lead")}</p>
        <ActionForm action=verify>
            <CodeField/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("login-submit-code")}</button>
        </ActionForm>
        <p class="aside"><a href="/Account/Login?step=recovery">{t("login-use-recovery-code")}</a></p>
        <p class="aside"><a href="/Account/Login">{t("login-use-another-account")}</a></p>
        <CantLogIn/>
    }
}
