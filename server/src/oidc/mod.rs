//! Gatehouse as an OpenID Provider for the applications configured as `[[client]]` tables:
//! discovery, keys, the authorization endpoint (which sends people through Gatehouse's own
//! sign-in), the token and userinfo endpoints. The rules (codes, PKCE, replays) are in
//! `gatehouse_core::oidc`; this is the protocol around them.

mod authorize;
mod end_session;
pub mod keys;
pub mod logout;
mod token;

use std::sync::Arc;

use app::ssr::AppState;
use axum::extract::State;
use axum::http;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::config::ClientConfig;
use keys::SigningKeys;

/// The scopes this provider knows; others are ignored, as the spec allows.
pub const SCOPES: [&str; 3] = ["openid", "email", "profile"];

pub struct Provider {
    /// `GATEHOUSE_PUBLIC_URL`: the issuer, and the base of every endpoint.
    pub issuer: String,
    pub clients: Vec<ClientConfig>,
    pub keys: Arc<SigningKeys>,
}

impl Provider {
    pub fn client(&self, id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.id == id)
    }
}

/// The name of the person's account (none for support agents), for the claims.
async fn account_name(
    state: &AppState,
    user: &gatehouse_core::model::User,
) -> Result<Option<String>, gatehouse_core::store::StoreError> {
    use gatehouse_core::store::Directory;
    match &user.account_id {
        Some(id) => Ok(state.db.account_by_id(id).await?.map(|a| a.name)),
        None => Ok(None),
    }
}

/// The provider's routes; without a provider (listing routes for the authorisation matrix's
/// check) they are there but answer nothing useful.
pub fn routes(provider: Option<Arc<Provider>>) -> crate::http::PlainRoutes {
    // Read by applications' servers and by single-page applications on other origins; none
    // of them carries a cookie, so any origin may read them (CORS), and nothing here is a
    // browser's state change to guard against (see `crate::http::security::same_origin`).
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([http::Method::GET, http::Method::POST])
        .allow_headers([http::header::AUTHORIZATION, http::header::CONTENT_TYPE]);
    let for_applications = crate::http::PlainRoutes::new()
        .get("/.well-known/openid-configuration", discovery)
        .get("/oidc/jwks", jwks)
        .post("/oidc/token", token::token)
        .get("/oidc/userinfo", token::userinfo)
        .post("/oidc/userinfo", token::userinfo)
        .layer(cors);
    let routes = crate::http::PlainRoutes::new()
        .get("/oidc/authorize", authorize::authorize)
        .get("/oidc/authorize/continue", authorize::resume)
        .get("/oidc/logout", end_session::end_session)
        .merge(for_applications);
    match provider {
        Some(provider) => routes.layer(Extension(provider)),
        None => routes,
    }
}

impl Provider {
    /// The provider for `clients`, its signing keys read (made on the first start).
    pub async fn start(state: &AppState, clients: Vec<ClientConfig>) -> Result<Arc<Self>, keys::KeyError> {
        let keys = SigningKeys::load(state.db.clone(), state.secret_key.clone()).await?;
        Ok(Arc::new(Provider { issuer: state.settings.public_url.clone(), clients, keys }))
    }
}

/// Paths whose POSTs come from applications, not from browsers holding a session: the
/// same-origin rule for state changes does not apply to them.
pub const FOR_APPLICATIONS: [&str; 2] = ["/oidc/token", "/oidc/userinfo"];

async fn discovery(Extension(provider): Extension<Arc<Provider>>) -> Response {
    app::auth::anyone();
    let issuer = &provider.issuer;
    let document = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oidc/authorize"),
        "token_endpoint": format!("{issuer}/oidc/token"),
        "userinfo_endpoint": format!("{issuer}/oidc/userinfo"),
        "jwks_uri": format!("{issuer}/oidc/jwks"),
        "end_session_endpoint": format!("{issuer}/oidc/logout"),
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [keys::RS256, keys::EDDSA],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid", "email",
            "email_verified", "preferred_username", "account", "account_id", "role"],
        "prompt_values_supported": ["none", "login"],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
    });
    ([(http::header::CACHE_CONTROL, "public, max-age=300")], Json(document)).into_response()
}

async fn jwks(State(_): State<AppState>, Extension(provider): Extension<Arc<Provider>>) -> Response {
    app::auth::anyone();
    let keys = provider.keys.jwks().await;
    // Short: a key published by a rotation reaches applications' caches before it signs.
    (
        [
            (http::header::CONTENT_TYPE, "application/jwk-set+json"),
            (http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        keys.as_str().to_owned(),
    )
        .into_response()
}
