//! The authorization endpoint. An unknown client, or a `redirect_uri` that is not one of its
//! registered addresses exactly, gets Gatehouse's own error page and is never redirected to;
//! every other problem goes back to the application as `error=` (RFC 6749 4.1.2.1). A person
//! signed in recently enough goes straight back with a code; anyone else signs in (or confirms
//! it is them) first, the request waiting in the database under a cookie of this browser.

use std::sync::Arc;

use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use gatehouse_core::oidc::{self, AuthRequest, CodeGrant};
use gatehouse_core::store::Directory;
use gatehouse_core::Timestamp;
use tower_sessions::Session;

use super::Provider;

/// Gatehouse's own page for a request that cannot be answered to the application.
fn error_page(problem: &str) -> Response {
    Redirect::to(&format!("/Account/ApplicationError?problem={problem}")).into_response()
}

/// The answer to the application, at its registered address: `code` or `error` with the
/// request's `state`, and `iss` (RFC 9207) so the application knows who answered.
fn back_to_application(issuer: &str, redirect_uri: &str, state: Option<&str>, answer: &[(&str, &str)]) -> Response {
    let mut url = url::Url::parse(redirect_uri).expect("registered addresses were checked at start-up");
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in answer {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        query.append_pair("iss", issuer);
    }
    Redirect::to(url.as_str()).into_response()
}

fn error(issuer: &str, request: &AuthRequest, code: &'static str, description: &str) -> Response {
    Refusal::to(request, code, description).response(issuer)
}

fn authorize_cookie(https: bool, value: String, max_age: i64) -> axum::http::HeaderValue {
    app::auth::cookie_header(app::auth::authorize_cookie_name(https), value, https, max_age)
}

/// A parameter given once (RFC 6749 3.1: parameters must not be repeated).
fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut found = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(());
    }
    Ok(first.filter(|v| !v.is_empty()))
}

/// How the request wants the person: `prompt=none` (never a page), or signed in after a time.
struct Wants {
    none: bool,
}

/// Why a request is not taken: Gatehouse's own page, or an `error=` to the application.
enum Refusal {
    Page(&'static str),
    ToApplication { redirect_uri: String, state: Option<String>, error: &'static str, description: String },
}

impl Refusal {
    fn to(request: &AuthRequest, error: &'static str, description: &str) -> Self {
        Refusal::ToApplication {
            redirect_uri: request.redirect_uri.clone(),
            state: request.state.clone(),
            error,
            description: description.to_owned(),
        }
    }

    fn response(self, issuer: &str) -> Response {
        match self {
            Refusal::Page(problem) => error_page(problem),
            Refusal::ToApplication { redirect_uri, state, error, description } => back_to_application(
                issuer,
                &redirect_uri,
                state.as_deref(),
                &[("error", error), ("error_description", &description)],
            ),
        }
    }
}

/// Checks the request.
fn check(
    provider: &Provider,
    params: &[(String, String)],
    now_ms: i64,
) -> Result<(AuthRequest, Wants, Option<String>), Refusal> {
    let get = |name: &str| single(params, name);
    let Ok(client_id) = get("client_id") else { return Err(Refusal::Page("request")) };
    let Some(client) = client_id.and_then(|id| provider.client(id)) else { return Err(Refusal::Page("client")) };
    let Ok(Some(redirect_uri)) = get("redirect_uri") else { return Err(Refusal::Page("redirect")) };
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(Refusal::Page("redirect"));
    }
    let state = get("state").ok().flatten().map(str::to_owned);
    let mut request = AuthRequest {
        client_id: client.id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scope: String::new(),
        state,
        nonce: None,
        code_challenge: String::new(),
        fresh_after_ms: None,
    };
    let invalid = |r: &AuthRequest, what: &str| Err(Refusal::to(r, "invalid_request", what));
    for name in ["response_type", "scope", "nonce", "code_challenge", "code_challenge_method", "prompt", "max_age"] {
        if get(name).is_err() {
            return invalid(&request, &format!("{name} is given more than once"));
        }
    }
    if params.iter().any(|(k, _)| k == "request") {
        return Err(Refusal::to(&request, "request_not_supported", "request objects are not supported"));
    }
    if params.iter().any(|(k, _)| k == "request_uri") {
        return Err(Refusal::to(&request, "request_uri_not_supported", "request_uri is not supported"));
    }
    if get("response_type").ok().flatten() != Some("code") {
        return Err(Refusal::to(&request, "unsupported_response_type", "only response_type=code is supported"));
    }
    let asked = get("scope").ok().flatten().unwrap_or("");
    if !asked.split(' ').any(|s| s == "openid") {
        return Err(Refusal::to(&request, "invalid_scope", "scope must include openid"));
    }
    request.scope =
        super::SCOPES.iter().filter(|s| asked.split(' ').any(|a| a == **s)).copied().collect::<Vec<_>>().join(" ");
    request.nonce = get("nonce").ok().flatten().map(str::to_owned);
    if request.nonce.as_ref().is_some_and(|n| n.len() > 512) || request.state.as_ref().is_some_and(|s| s.len() > 2048) {
        return invalid(&request, "state or nonce is too long");
    }
    let challenge = get("code_challenge").ok().flatten().unwrap_or("");
    let well_formed =
        challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed || get("code_challenge_method").ok().flatten() != Some("S256") {
        return invalid(&request, "PKCE is required: code_challenge with code_challenge_method=S256");
    }
    request.code_challenge = challenge.to_owned();
    let prompts: Vec<&str> = get("prompt").ok().flatten().unwrap_or("").split(' ').filter(|p| !p.is_empty()).collect();
    let none = prompts.contains(&"none");
    if none && prompts.len() > 1 {
        return invalid(&request, "prompt=none cannot be combined with other values");
    }
    if prompts.contains(&"login") {
        request.fresh_after_ms = Some(now_ms);
    }
    if let Some(max_age) = get("max_age").ok().flatten() {
        let Ok(secs) = max_age.parse::<u32>() else { return invalid(&request, "max_age is a number of seconds") };
        let after = now_ms - i64::from(secs) * 1000;
        request.fresh_after_ms = Some(request.fresh_after_ms.map_or(after, |t| t.max(after)));
    }
    let login_hint = get("login_hint").ok().flatten().filter(|h| h.len() <= 254).map(str::to_owned);
    Ok((request, Wants { none }, login_hint))
}

pub async fn authorize(
    State(state): State<AppState>,
    Extension(provider): Extension<Arc<Provider>>,
    Query(params): Query<Vec<(String, String)>>,
    session: Session,
) -> Response {
    app::auth::anyone();
    let (request, wants, login_hint) = match check(&provider, &params, Timestamp::now_millis()) {
        Ok(checked) => checked,
        Err(refusal) => return refusal.response(&provider.issuer),
    };
    answer(&state, &provider, &session, request, wants.none, login_hint, None).await.response
}

/// After signing in (or confirming it is them): the request this browser's cookie names.
pub async fn resume(
    State(state): State<AppState>,
    Extension(provider): Extension<Arc<Provider>>,
    headers: HeaderMap,
    session: Session,
) -> Response {
    app::auth::anyone();
    let https = state.settings.https;
    let Some(cookie) = app::auth::cookie(&headers, app::auth::authorize_cookie_name(https)) else {
        return Redirect::to("/").into_response();
    };
    let waiting = oidc::waiting_request(&state.db, &cookie, Timestamp::now()).await;
    let forget = [(SET_COOKIE, authorize_cookie(https, String::new(), 0))];
    match waiting {
        Ok(Some(request)) => {
            let answered = answer(&state, &provider, &session, request, false, None, Some(&cookie)).await;
            // The cookie stays while the person still has to sign in or confirm.
            if !answered.to_application {
                return answered.response;
            }
            if let Err(e) = oidc::drop_request(&state.db, &cookie).await {
                tracing::warn!(error = %e, "an answered authorization request was not deleted (it expires)");
            }
            (forget, answered.response).into_response()
        }
        Ok(None) => (forget, Redirect::to("/")).into_response(),
        Err(e) => internal(e),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "openid provider failed");
    error_page("failed")
}

struct Answer {
    response: Response,
    /// Answered to the application (a code or an error), not sent to sign in.
    to_application: bool,
}

impl From<Response> for Answer {
    fn from(response: Response) -> Self {
        Answer { response, to_application: true }
    }
}

/// A code for the signed-in person if their sign-in is fresh enough and the application is
/// open to their account; else the sign-in (or confirmation) page, the request kept.
async fn answer(
    state: &AppState,
    provider: &Provider,
    session: &Session,
    request: AuthRequest,
    prompt_none: bool,
    login_hint: Option<String>,
    waiting: Option<&str>,
) -> Answer {
    let issuer = provider.issuer.as_str();
    let Some(client) = provider.client(&request.client_id) else { return error_page("client").into() };
    let record = match app::auth::sign_in_record_in(session).await {
        Ok(record) => record,
        Err(e) => return internal(e).into(),
    };
    let user = match &record {
        Some(r) => match state.db.user_by_id(&r.user).await {
            Ok(user) => user,
            Err(e) => return internal(e).into(),
        },
        None => None,
    };
    let (Some(record), Some(user)) = (record, user) else {
        if prompt_none {
            return error(issuer, &request, "login_required", "nobody is signed in").into();
        }
        let hint = login_hint
            .map(|h| format!("?login_hint={}", url::form_urlencoded::byte_serialize(h.as_bytes()).collect::<String>()));
        return wait(state, request, waiting, &format!("/Account/Login{}", hint.unwrap_or_default())).await;
    };
    let fresh = request.fresh_after_ms.is_none_or(|t| record.authenticated_at_ms >= t);
    if !fresh {
        if prompt_none {
            return error(issuer, &request, "login_required", "a fresher sign-in is required").into();
        }
        return wait(state, request, waiting, "/Account/Confirm").await;
    }
    let account = match super::account_name(state, &user).await {
        Ok(account) => account,
        Err(e) => return internal(e).into(),
    };
    if !oidc::account_allowed(&client.accounts, account.as_deref()) {
        return error(issuer, &request, "access_denied", "this application is not open to your account").into();
    }
    let grant = CodeGrant {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        user_id: user.id.clone(),
        sid: record.sid,
        scope: request.scope.clone(),
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone(),
        auth_time: record.authenticated_at,
        amr: record.amr.join(" "),
        expires_at: Timestamp::now().plus_secs(oidc::CODE_TTL_SECS),
    };
    match oidc::issue_code(&state.db, &grant).await {
        Ok(code) => {
            back_to_application(issuer, &request.redirect_uri, request.state.as_deref(), &[("code", code.reveal())])
                .into()
        }
        Err(e) => internal(e).into(),
    }
}

/// Keeps the request (unless it is kept already) under a new cookie, and sends the browser to
/// the page that signs the person in.
async fn wait(state: &AppState, request: AuthRequest, waiting: Option<&str>, page: &str) -> Answer {
    let response = if waiting.is_some() {
        Redirect::to(page).into_response()
    } else {
        match oidc::keep_request(&state.db, &request, Timestamp::now()).await {
            Ok(token) => {
                let cookie = authorize_cookie(state.settings.https, token.reveal().to_owned(), oidc::REQUEST_TTL_SECS);
                ([(SET_COOKIE, cookie)], Redirect::to(page)).into_response()
            }
            Err(e) => return internal(e).into(),
        }
    };
    Answer { response, to_application: false }
}
