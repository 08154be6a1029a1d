//! Gatehouse's web interface: pages, components and server functions, rendered on the server
//! and hydrated in the browser. Server-only code sits behind the `ssr` feature and never
//! reaches the WASM build.

pub mod account;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod error;
pub mod home;
pub mod i18n;
mod lazy;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod support;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app. Runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::set_content_security_policy();
    #[cfg(feature = "ssr")]
    let login = ssr::is_login_page();
    #[cfg(not(feature = "ssr"))]
    let login = false;
    let lang = i18n::language().tag().to_owned();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                // Read back by the browser (see `product_name`), so page titles agree after hydration.
                <meta name="application-name" content=product_name()/>
                <link rel="icon" href="/favicon.ico"/>
                // Before the client's files, so the first paint never waits behind the WASM.
                <link id="leptos" rel="stylesheet" href="/pkg/gatehouse.css"/>
                <AutoReload options=options.clone()/>
                // Hydration waits for the browser to be idle and its files load at low priority:
                // the page is drawn first (every form also works as a plain post meanwhile).
                // The login page loads its own small client instead of the whole app.
                // The app's words in the page's language; the login page's own client needs none.
                {if login {
                    view! { <LoginScripts/> }.into_any()
                } else {
                    view! { <i18n::PageMessages/> <HydrationScripts options defer=true/> }.into_any()
                }}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The login page's own client (`login/`, see `gatehouse_browser::login`): a person signing
/// in downloads what signing in needs, not the whole app.
#[component]
fn LoginScripts() -> impl IntoView {
    view! {
        <link rel="modulepreload" href="/pkg/login.js" crossorigin=""/>
        <link rel="preload" href="/pkg/login_bg.wasm" r#as="fetch" r#type="application/wasm" crossorigin=""/>
        <script type="module" nonce=use_nonce()>
            "import init from '/pkg/login.js'; init({ module_or_path: '/pkg/login_bg.wasm' });"
        </script>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let product = product_name();
    view! {
        <Title formatter=move |page: String| if page.is_empty() { product.clone() } else { format!("{page} · {product}") }/>
        <Router>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={Lazy::<lazy::Home>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/Login") view=account::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/Account/AcceptInvitation") view={Lazy::<lazy::AcceptInvitation>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/Security") view={Lazy::<lazy::Security>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/ReplaceAuthenticator") view={Lazy::<lazy::ReplaceAuthenticator>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/ForgotPassword") view={Lazy::<lazy::ForgotPassword>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/ResetPassword") view={Lazy::<lazy::ResetPassword>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/RecoveryCodes") view={Lazy::<lazy::RecoveryCodes>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/SetupTwoFactor") view={Lazy::<lazy::SetupTwoFactor>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/Users") view={Lazy::<lazy::Users>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/Confirm") view={Lazy::<lazy::ConfirmForApplication>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/Account/ApplicationError") view={Lazy::<lazy::ApplicationError>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/oidc/authorize/continue") view=account::application::ContinueToApplication/>
                    <Route path=path!("/support/new") view={Lazy::<lazy::SupportRequest>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/support/confirm") view={Lazy::<lazy::ConfirmSupportRequest>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/support/console") view={Lazy::<lazy::SupportQueue>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/support/console/:id") view={Lazy::<lazy::SupportRequestReview>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// The product name shown to people (configurable: `GATEHOUSE_ISSUER`). On the server it
/// comes from the configuration; the browser reads it back from the rendered page.
pub fn product_name() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<ssr::AppState>().map(|s| s.settings.product_name.clone()).unwrap_or_else(|| "Gatehouse".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .query_selector("meta[name=application-name]")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_else(|| "Gatehouse".into())
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=i18n::t("not-found-title")/>
        <section class="card">
            <h1>{i18n::t("not-found-title")}</h1>
            <p>{i18n::t("not-found-lead")} " " <a href="/">{i18n::t("not-found-start-page")}</a></p>
        </section>
    }
}
