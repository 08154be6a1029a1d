//! The pages of a sign-in an application asked for (Gatehouse as an OpenID Provider, in the
//! `server` crate): `/Account/Confirm`, where a signed-in person proves it is still them when
//! the application wants a fresh sign-in (`prompt=login`, `max_age`), and
//! `/Account/ApplicationError`, for a request that cannot be answered to the application.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::CodeField;
use crate::error::AppResult;

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
        <Title text="Confirm it's you"/>
        <section class="card narrow" aria-labelledby="confirm-title">
            <h1 id="confirm-title">"Confirm it's you"</h1>
            <p class="lead">
                "The application you are signing in to asks for a recent sign-in. Enter the current code from your authenticator app to continue."
            </p>
            <ActionForm action=confirm>
                <CodeField/>
                <p class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary">"Continue"</button>
            </ActionForm>
            <div class="passkey-sign-in">
                <p class="divider"><span>"or"</span></p>
                <button type="button" class="secondary" on:click=with_passkey>"Use a passkey"</button>
            </div>
            <p class="aside"><a href="/Account/Login" rel="external">"Log in as someone else"</a></p>
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
            <p class="lead">"Taking you back to the application…"</p>
            <p><a href=CONTINUE rel="external">"Continue"</a></p>
        </section>
    }
}

/// Why an application's request was not answered. Nothing is sent back to an address that is
/// not registered for the application, so the person reads it here.
#[component]
pub fn ApplicationErrorPage() -> impl IntoView {
    let query = use_query_map();
    let why = move || {
        match query.read().get("problem").as_deref() {
        Some("client") => "The application that sent you here is not known to this sign-in service.",
        Some("redirect") => {
            "The application that sent you here asked to return to an address that is not registered for it, so you were not sent back. Its administrator should check its settings."
        }
        Some("failed") => "Something went wrong on our side. Go back to the application and try again.",
        Some("logout") => {
            "The application's logout request was not valid, so you were not sent back to it. You are still signed in here: use Log out on the start page."
        }
        _ => "The application's sign-in request was not valid. Go back to the application and try again.",
    }
    };
    view! {
        <Title text="Sign-in request refused"/>
        <section class="card narrow" aria-labelledby="app-error-title">
            <h1 id="app-error-title">"This sign-in request cannot be completed"</h1>
            <p class="notice" role="alert" data-testid="application-error">{why}</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}
