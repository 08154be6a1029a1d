//! Gatehouse's cookies besides the session's own (the known browser, an application's waiting
//! request), the session cookie read without loading the session, and where a request comes
//! from.

use gatehouse_core::model::User;
use gatehouse_core::signin::Client;
use gatehouse_core::Timestamp;

use crate::error::AppResult;
use crate::ssr::{internal, state};

/// The cookie naming an application's authorization request that waits for this browser's
/// sign-in (`__Host-` on https).
pub fn authorize_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-gatehouse-authorize"
    } else {
        "gatehouse-authorize"
    }
}

/// Where a browser goes once signed in: back to the application whose request is waiting
/// for it, else the start page.
pub fn landing() -> &'static str {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else { return "/" };
    let https = state().map(|s| s.settings.https).unwrap_or(false);
    match cookie(&parts.headers, authorize_cookie_name(https)) {
        Some(_) => crate::account::application::CONTINUE,
        None => "/",
    }
}

/// The client's address as the server determined it (the TCP peer, or behind a trusted
/// reverse proxy the address it reports), put into each request's extensions.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The cookie of a browser that completed a sign-in (see `gatehouse_core::known_browsers`);
/// `__Host-` on https, so no subdomain can set it.
fn browser_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-gatehouse-browser"
    } else {
        "gatehouse-browser"
    }
}

/// A cookie's value as the request carries it.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    use tower_sessions::cookie::Cookie;
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// Where a request comes from: its address, from its extensions (plain routes).
pub fn client_of(extensions: &http::Extensions) -> Client {
    extensions.get::<ClientAddress>().map(|a| Client::new(a.0)).unwrap_or_default()
}

/// Where the current server function's request comes from: its address and, if it sent one,
/// its known-browser token.
pub fn client() -> Client {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else { return Client::default() };
    let https = state().map(|s| s.settings.https).unwrap_or(false);
    let user_agent = parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    client_of(&parts.extensions)
        .with_browser(cookie(&parts.headers, browser_cookie_name(https)))
        .with_user_agent(user_agent)
}

/// Remembers this browser as one the person signs in with, in a cookie that lasts as long
/// as the server remembers it.
pub(super) async fn remember_browser(user: &User) -> AppResult<()> {
    use gatehouse_core::known_browsers::{self, KNOWN_FOR_SECS};
    let state = state()?;
    let https = state.settings.https;
    let (client, now) = (client(), Timestamp::now());
    let remembered =
        known_browsers::remember(&state.db, client.browser.as_deref(), user, now).await.map_err(internal)?;
    if !remembered.was_known && signed_in_before(user).await? {
        let (browser, address) = (client.browser_name(), client.audit_address());
        crate::ssr::notify(user, |(t, product, links)| {
            gatehouse_core::mail::new_browser(t, product, &user.email, browser.as_deref(), address.as_deref(), links)
        })
        .await;
    }
    let value = cookie_header(browser_cookie_name(https), remembered.token.reveal().to_owned(), https, KNOWN_FOR_SECS);
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(http::header::SET_COOKIE, value);
    }
    Ok(())
}

/// Whether this sign-in is not the person's first (their very first, right after setting up,
/// needs no mail about a new browser).
async fn signed_in_before(user: &User) -> AppResult<bool> {
    use gatehouse_core::model::AuditKind;
    use gatehouse_core::store::AuditLog;
    // This sign-in is recorded already: an earlier one makes two.
    let db = &state()?.db;
    Ok(db.count_events(&user.id, AuditKind::SignInSucceeded, Timestamp(0), 2).await.map_err(internal)? > 1)
}

/// A `Set-Cookie` value for one of Gatehouse's own cookies besides the session: `HttpOnly`,
/// `SameSite=Lax`, the whole site, `Secure` behind https. `value` is base64url.
pub fn cookie_header(name: &str, value: String, https: bool, max_age_secs: i64) -> http::HeaderValue {
    use tower_sessions::cookie::{Cookie, SameSite};
    let cookie = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Lax)
        .max_age(tower_sessions::cookie::time::Duration::seconds(max_age_secs))
        .build();
    http::HeaderValue::from_str(&cookie.to_string()).expect("a cookie of base64url characters is a valid header")
}

/// The session cookie's value as this request carries it, without loading the session (so
/// without counting the request as activity).
pub fn session_cookie() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let https = state().map(|s| s.settings.https).unwrap_or(false);
    cookie(&parts.headers, session_cookie_name(https))
}

/// The session cookie's name: `__Host-` on https, so no subdomain can set it.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-gatehouse"
    } else {
        "gatehouse"
    }
}

/// Keeps a choice of language in this browser (`None`: forgets it, the browser's own applies).
pub fn keep_language(tag: Option<&str>) {
    let https = state().map(|s| s.settings.https).unwrap_or(false);
    let name = crate::i18n::ssr::cookie_name(https);
    let value = match tag {
        Some(tag) => cookie_header(name, tag.to_owned(), https, LANGUAGE_KEPT_SECS),
        None => cookie_header(name, String::new(), https, 0),
    };
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// A choice of language lasts a year in a browser, until changed.
pub const LANGUAGE_KEPT_SECS: i64 = 365 * 24 * 3600;
