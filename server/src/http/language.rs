//! Which language a request is answered in, chosen before anything renders: the person's
//! choice kept in this browser's language cookie (the login page's switch, the Security page's
//! setting, their stored choice at sign-in), else the browser's `Accept-Language` negotiated
//! against the languages present, else the operator's default.

use app::i18n::ssr::{cookie_name, RequestLanguage};
use app::ssr::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub async fn choose(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let chosen = app::auth::cookie(req.headers(), cookie_name(state.settings.https));
    let asked = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = state.languages.negotiate(chosen.as_deref(), asked).clone();
    req.extensions_mut().insert(RequestLanguage(language.clone()));
    app::i18n::ssr::REQUEST.scope(language, next.run(req)).await
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /language/{tag}?back=PATH`: the login page's language switch, a plain link that works
/// without JavaScript. Keeps the choice in this browser and goes back to the page (a path on
/// this site only); an unknown language changes nothing.
pub async fn switch(State(state): State<AppState>, Path(tag): Path<String>, Query(back): Query<Back>) -> Response {
    app::auth::anyone();
    let back = back.back.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'));
    let back = Redirect::to(back.as_deref().unwrap_or("/Account/Login"));
    let Some(language) = state.languages.language(&tag) else { return back.into_response() };
    let https = state.settings.https;
    let cookie =
        app::auth::cookie_header(cookie_name(https), language.tag().to_owned(), https, app::auth::LANGUAGE_KEPT_SECS);
    ([(SET_COOKIE, cookie)], back).into_response()
}
