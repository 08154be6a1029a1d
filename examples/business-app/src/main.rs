//! An example business application behind Gatehouse: people sign in through Gatehouse
//! (OpenID Connect, code flow with PKCE, through the `openidconnect` crate), the start page
//! shows who signed in with their account and role, **Log out** ends the Gatehouse session too
//! (RP-initiated logout), and a Gatehouse session that ends elsewhere ends this application's
//! session as well (back-channel logout). Sessions are kept in memory: it is an example.
//!
//!     GATEHOUSE_URL=http://localhost:3000 APP_URL=http://127.0.0.1:3114 \
//!     CLIENT_ID=business-app CLIENT_SECRET=... business-app
//!
//! with a `[[client]]` table in Gatehouse's configuration: `redirect_uris = ["APP_URL/callback"]`,
//! `post_logout_redirect_uris = ["APP_URL/"]`, `backchannel_logout_uri = "APP_URL/backchannel-logout"`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openidconnect::core::{CoreClient, CoreGenderClaim, CoreJsonWebKeySet, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    reqwest, AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IdTokenClaims,
    IssuerUrl, JsonWebKey, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};

/// Gatehouse's own claims, besides the standard ones.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Gatehouse {
    sid: String,
    account: Option<String>,
    role: String,
}
impl AdditionalClaims for Gatehouse {}

type Claims = IdTokenClaims<Gatehouse, CoreGenderClaim>;
type IdToken = openidconnect::IdToken<
    Gatehouse,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJwsSigningAlgorithm,
>;
type TokenFields = openidconnect::IdTokenFields<
    Gatehouse,
    openidconnect::EmptyExtraTokenFields,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJwsSigningAlgorithm,
>;

/// `CoreClient` with Gatehouse's claims read.
type GatehouseClient = openidconnect::Client<
    Gatehouse,
    openidconnect::core::CoreAuthDisplay,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::StandardTokenResponse<TokenFields, openidconnect::core::CoreTokenType>,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

struct Person {
    email: String,
    account: String,
    role: String,
    sid: String,
    id_token: String,
}

struct App {
    issuer: String,
    app_url: String,
    client_id: String,
    client_secret: String,
    http: reqwest::Client,
    /// Discovered on first use, so the application may start before Gatehouse.
    metadata: tokio::sync::OnceCell<CoreProviderMetadata>,
    /// state → (PKCE verifier, nonce), between the redirect to Gatehouse and the callback.
    pending: Mutex<HashMap<String, (String, String)>>,
    /// This application's session cookie → who is signed in.
    sessions: Mutex<HashMap<String, Person>>,
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set"))
}

#[tokio::main]
async fn main() {
    let app = Arc::new(App {
        issuer: env("GATEHOUSE_URL"),
        app_url: env("APP_URL").trim_end_matches('/').to_owned(),
        client_id: env("CLIENT_ID"),
        client_secret: env("CLIENT_SECRET"),
        http: reqwest::ClientBuilder::new().redirect(reqwest::redirect::Policy::none()).build().expect("http client"),
        metadata: tokio::sync::OnceCell::new(),
        pending: Mutex::default(),
        sessions: Mutex::default(),
    });
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3114".into());
    let router = Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/logout", get(logout))
        .route("/backchannel-logout", post(backchannel_logout))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind(&bind).await.expect("bind");
    println!("business-app listening on {bind}");
    axum::serve(listener, router).await.expect("serve");
}

impl App {
    async fn metadata(&self) -> Result<&CoreProviderMetadata, String> {
        self.metadata
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.issuer.clone()).map_err(|e| e.to_string())?;
                CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| e.to_string())
            })
            .await
    }

    fn cookie(headers: &HeaderMap) -> Option<String> {
        let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
        cookies.split(';').find_map(|c| c.trim().strip_prefix("app-session=").map(str::to_owned))
    }
}

fn random() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn failed(e: impl std::fmt::Display) -> Response {
    (StatusCode::BAD_GATEWAY, format!("Signing in through Gatehouse failed: {e}\n")).into_response()
}

async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Html<String> {
    let sessions = app.sessions.lock().expect("never poisoned");
    let page = match App::cookie(&headers).and_then(|c| sessions.get(&c)) {
        Some(p) => format!(
            "<h1>Business App</h1><p data-testid=\"who\">Signed in as {} in account {} ({})</p>\
             <p><a href=\"/logout\">Log out</a></p>",
            p.email, p.account, p.role
        ),
        None => "<h1>Business App</h1><p data-testid=\"who\">Not signed in</p><p><a href=\"/login\">Sign in</a></p>"
            .to_owned(),
    };
    Html(format!("<!doctype html><html lang=\"en\"><title>Business App</title><main>{page}</main></html>"))
}

async fn login(State(app): State<Arc<App>>) -> Response {
    let metadata = match app.metadata().await {
        Ok(m) => m.clone(),
        Err(e) => return failed(e),
    };
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(app.client_id.clone()),
        Some(ClientSecret::new(app.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(format!("{}/callback", app.app_url)).expect("a URL"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    app.pending
        .lock()
        .expect("never poisoned")
        .insert(state.secret().clone(), (verifier.secret().clone(), nonce.secret().clone()));
    Redirect::to(url.as_str()).into_response()
}

async fn callback(State(app): State<Arc<App>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let (Some(code), Some(state)) = (params.get("code"), params.get("state")) else {
        return failed(params.get("error").cloned().unwrap_or_else(|| "no code".into()));
    };
    let Some((verifier, nonce)) = app.pending.lock().expect("never poisoned").remove(state) else {
        return failed("unknown state");
    };
    let metadata = match app.metadata().await {
        Ok(m) => m.clone(),
        Err(e) => return failed(e),
    };
    let client = GatehouseClient::from_provider_metadata(
        metadata,
        ClientId::new(app.client_id.clone()),
        Some(ClientSecret::new(app.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(format!("{}/callback", app.app_url)).expect("a URL"));
    let exchange = match client.exchange_code(AuthorizationCode::new(code.clone())) {
        Ok(request) => request,
        Err(e) => return failed(e),
    };
    let tokens: openidconnect::StandardTokenResponse<TokenFields, openidconnect::core::CoreTokenType> =
        match exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier)).request_async(&app.http).await {
            Ok(tokens) => tokens,
            Err(e) => return failed(e),
        };
    let Some(id_token): Option<&IdToken> = tokens.id_token() else { return failed("no ID token") };
    let claims: &Claims = match id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce)) {
        Ok(claims) => claims,
        Err(e) => return failed(e),
    };
    let extra = claims.additional_claims();
    let person = Person {
        email: claims.email().map(|e| e.as_str().to_owned()).unwrap_or_default(),
        account: extra.account.clone().unwrap_or_else(|| "(none)".into()),
        role: extra.role.clone(),
        sid: extra.sid.clone(),
        id_token: id_token.to_string(),
    };
    let cookie = random();
    app.sessions.lock().expect("never poisoned").insert(cookie.clone(), person);
    let set = format!("app-session={cookie}; Path=/; HttpOnly; SameSite=Lax");
    ([(header::SET_COOKIE, set)], Redirect::to("/")).into_response()
}

/// Ends this application's session and Gatehouse's (RP-initiated logout, with the ID token).
async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let person = App::cookie(&headers).and_then(|c| app.sessions.lock().expect("never poisoned").remove(&c));
    let Some(person) = person else { return Redirect::to("/").into_response() };
    // The end_session_endpoint of Gatehouse's discovery document.
    let mut url = format!("{}/oidc/logout", app.issuer.trim_end_matches('/'));
    let query =
        [("id_token_hint", person.id_token.as_str()), ("post_logout_redirect_uri", &format!("{}/", app.app_url))];
    url.push('?');
    url.push_str(&query.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&"));
    Redirect::to(&url).into_response()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
struct LogoutForm {
    logout_token: String,
}

/// Back-channel logout: Gatehouse says a session ended; every session here that came from it
/// ends too. The token must be Gatehouse's, for this application, with the logout event.
async fn backchannel_logout(State(app): State<Arc<App>>, Form(form): Form<LogoutForm>) -> StatusCode {
    let metadata = match app.metadata().await {
        Ok(m) => m.clone(),
        Err(_) => return StatusCode::BAD_GATEWAY,
    };
    let keys: CoreJsonWebKeySet = match CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), &app.http).await {
        Ok(keys) => keys,
        Err(_) => return StatusCode::BAD_GATEWAY,
    };
    let Some(sid) = verified_logout_sid(&app, &keys, &form.logout_token) else { return StatusCode::BAD_REQUEST };
    app.sessions.lock().expect("never poisoned").retain(|_, p| p.sid != sid);
    StatusCode::OK
}

fn verified_logout_sid(app: &App, keys: &CoreJsonWebKeySet, token: &str) -> Option<String> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else { return None };
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s).ok();
    let header: serde_json::Value = serde_json::from_slice(&decode(header)?).ok()?;
    let alg = serde_json::from_value(header.get("alg")?.clone()).ok()?;
    let kid = header.get("kid")?.as_str()?;
    let key = keys.keys().iter().find(|k| k.key_id().is_some_and(|id| id.as_str() == kid))?;
    key.verify_signature(&alg, format!("{}.{}", parts[0], parts[1]).as_bytes(), &decode(signature)?).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&decode(payload)?).ok()?;
    let aud_ok = match claims.get("aud")? {
        serde_json::Value::String(a) => *a == app.client_id,
        serde_json::Value::Array(a) => a.iter().any(|v| v.as_str() == Some(app.client_id.as_str())),
        _ => false,
    };
    let event = claims.get("events")?.get("http://schemas.openid.net/event/backchannel-logout").is_some();
    let issuer_ok = claims.get("iss")?.as_str()? == app.issuer.trim_end_matches('/');
    (aud_ok && event && issuer_ok && claims.get("nonce").is_none())
        .then(|| claims.get("sid")?.as_str().map(str::to_owned))?
}
