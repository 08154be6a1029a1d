//! The pages of a sign-in an application asked for (Gatehouse as an OpenID Provider, in the
//! `server` crate): `/Account/Confirm`, where a signed-in person proves it is still them when
//! the application wants a fresh sign-in (`prompt=login`, `max_age`), and
//! `/Account/ApplicationError`, for a request that cannot be answered to the application.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::CodeField;
use crate::error::AppResult;
use crate::i18n::t;

/// Step-up for a waiting application: the current code, then back to the application (a
/// plain form post without JavaScript, like the login page's).
#[server(endpoint = "confirm_for_application")]
pub async fn confirm_for_application(code: String) -> AppResult<()> {
    let user = crate::auth::signed_in().await?;
    crate::auth::step_up_with_code(&user, code).await?;
    leptos_axum::redirect(crate::auth::landing());
    Ok(())
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmForApplication>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Err(e)) = confirm.value().get() {
            error.set(Some(e.to_string()));
        }
    });
    let with_passkey = move |_| {
        error.set(None);
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            match crate::account::passkeys::step_up_in_browser().await {
                Ok(()) => {
                    let _ = window().location().assign("/oidc/authorize/continue");
                }
                Err(m) => error.set(Some(m).filter(|m| !m.is_empty())),
            }
        });
    };
    view! {
        <Title text=t("application-confirm-title")/>
        <section class="card narrow" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{t("application-confirm-title")}</h1>
            <p class="lead">
                {t("application-confirm-lead")}
            </p>
            <ActionForm action=confirm>
                <CodeField/>
                <p class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary">{t("application-continue")}</button>
            </ActionForm>
            <div class="passkey-sign-in">
                <p class="divider"><span>{t("application-or")}</span></p>
                <button type="button" class="secondary" on:click=with_passkey>{t("application-use-passkey")}</button>
            </div>
            <p class="aside"><a href="/Account/Login" rel="external">{t("application-someone-else")}</a></p>
        </section>
    }
}

/// Where the browser goes after signing in while an application's request waits
/// (`crate::auth::landing`). The server answers that address itself (`server`'s OpenID
/// Provider), never this page: it is a route here only so that the app, when a server
/// function's redirect or a link takes it there, loads the address from the server instead of
/// showing "not found".
pub const CONTINUE: &str = "/oidc/authorize/continue";

#[component]
pub fn ContinueToApplication() -> impl IntoView {
    #[cfg(feature = "browser")]
    Effect::new(move |_| {
        let _ = window().location().replace(CONTINUE);
    });
    view! {
        <section class="card narrow">
            <p class="lead">{t("application-taking-you-back")}</p>
            <p><a href=CONTINUE rel="external">{t("application-continue")}</a></p>
        </section>
    }
}

/// Why an application's request was not answered. Nothing is sent back to an address that is
/// not registered for the application, so the person reads it here.
#[component]
pub fn ApplicationErrorPage() -> impl IntoView {
    let query = use_query_map();
    let why = move || match query.read().get("problem").as_deref() {
        Some("client") => t("application-error-client"),
        Some("redirect") => t("application-error-redirect"),
        Some("failed") => t("application-error-failed"),
        Some("logout") => t("application-error-logout"),
        _ => t("application-error-invalid"),
    };
    view! {
        <Title text=t("application-error-page-title")/>
        <section class="card narrow" aria-labelledby="app-error-title">
            <h1 id="app-error-title">{t("application-error-title")}</h1>
            <p class="notice" role="alert" data-testid="application-error">{why}</p>
            <p><a href="/">{t("application-error-start-page")}</a></p>
        </section>
    }
}
