//! The token endpoint (a code for an ID token and an access token) and the userinfo endpoint
//! (the access token for the person's claims). Applications call these, never browsers with a
//! session: clients authenticate with `client_secret_basic`, `client_secret_post`, or as public
//! clients with PKCE alone.

use std::sync::Arc;

use app::ssr::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use base64::Engine;
use gatehouse_core::oidc::{self, OidcError};
use gatehouse_core::store::Directory;
use gatehouse_core::Timestamp;
use openidconnect::core::{CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm};
use openidconnect::{
    AccessToken, AdditionalClaims, Audience, AuthenticationMethodReference, EndUserEmail, EndUserUsername, IdToken,
    IdTokenClaims, IssuerUrl, Nonce, StandardClaims, SubjectIdentifier,
};
use serde::{Deserialize, Serialize};

use super::keys::Signer;
use super::Provider;
use crate::config::{ClientConfig, ClientSecret};

/// Gatehouse's own claims in ID tokens, documented in the README.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Claims {
    sid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    role: String,
}
impl AdditionalClaims for Claims {}

type GatehouseIdToken = IdToken<Claims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// An OAuth error answer (RFC 6749 5.2), never cached.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description });
    let mut response = (status, no_store(), Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, "Basic realm=\"gatehouse\"".parse().expect("ascii"));
    }
    response
}

fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")]
}

#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `client_id:client_secret` from HTTP Basic, each form-urlencoded (RFC 6749 2.3.1).
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    let unescape =
        |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client the request authenticates as, or the answer refusing it.
async fn authenticate<'p>(
    state: &AppState,
    provider: &'p Provider,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<&'p ClientConfig, Response> {
    let invalid_client = || oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    let from_basic = basic(headers);
    if from_basic.is_some() && form.client_secret.is_some() {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "use one client authentication method"));
    }
    let (id, secret) = match from_basic {
        Some((id, secret)) => {
            if form.client_id.as_ref().is_some_and(|f| *f != id) {
                return Err(invalid_client());
            }
            (id, Some(secret))
        }
        None => match &form.client_id {
            Some(id) => (id.clone(), form.client_secret.clone()),
            None => return Err(invalid_client()),
        },
    };
    let client = provider.client(&id).ok_or_else(invalid_client)?;
    let proved = match (&client.secret, secret) {
        (ClientSecret::None, None) => true,
        (ClientSecret::None, Some(_)) => false,
        (_, None) => false,
        (ClientSecret::Plain(expected), Some(given)) => constant_time_eq(expected.as_bytes(), given.as_bytes()),
        (ClientSecret::Hash(phc), Some(given)) => {
            let phc = phc.clone();
            // argon2 on the hashing threads, like a password.
            let verdict = state.hashing.run(move || gatehouse_core::password::verify(&given, &phc)).await;
            matches!(verdict, Ok(gatehouse_core::password::Verdict::Correct { .. }))
        }
    };
    if proved {
        Ok(client)
    } else {
        Err(invalid_client())
    }
}

pub async fn token(
    State(state): State<AppState>,
    Extension(provider): Extension<Arc<Provider>>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    // Public: the client's credentials (or PKCE, for a public client) are what is checked.
    app::auth::anyone();
    let client = match authenticate(&state, &provider, &headers, &form).await {
        Ok(client) => client,
        Err(refused) => return refused,
    };
    if form.grant_type.as_deref() != Some("authorization_code") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only authorization_code is supported");
    }
    let (Some(code), Some(redirect_uri), Some(verifier)) = (&form.code, &form.redirect_uri, &form.code_verifier) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "code, redirect_uri and code_verifier are required",
        );
    };
    let now = Timestamp::now();
    let redeemed = match oidc::redeem(&state.db, code, &client.id, redirect_uri, verifier, now).await {
        Ok(redeemed) => redeemed,
        Err(OidcError::Store(e)) => return failed(e),
        Err(e @ OidcError::Replayed { revoked }) => {
            tracing::warn!(client = %client.id, revoked, "authorization code redeemed twice: its tokens revoked");
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", &e.to_string());
        }
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", &e.to_string()),
    };
    let grant = &redeemed.grant;
    let user = match state.db.user_by_id(&grant.user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "the person no longer exists"),
        Err(e) => return failed(e),
    };
    let account = match super::account_name(&state, &user).await {
        Ok(account) => account,
        Err(e) => return failed(e),
    };
    let signer = provider.keys.signer(client.eddsa).await;
    let access = AccessToken::new(redeemed.access_token.reveal().to_owned());
    let id_token = match id_token(&provider, client, &user, account.as_deref(), grant, &signer, &access, now) {
        Ok(token) => token,
        Err(e) => return failed(e),
    };
    let body = serde_json::json!({
        "access_token": access.secret(),
        "token_type": "Bearer",
        "expires_in": redeemed.access_expires_at.0 - now.0,
        "id_token": id_token.to_string(),
        "scope": grant.scope,
    });
    (no_store(), Json(body)).into_response()
}

#[allow(clippy::too_many_arguments)]
fn id_token(
    provider: &Provider,
    client: &ClientConfig,
    user: &gatehouse_core::model::User,
    account: Option<&str>,
    grant: &oidc::CodeGrant,
    signer: &Signer,
    access: &AccessToken,
    now: Timestamp,
) -> Result<GatehouseIdToken, String> {
    let time = |t: Timestamp| chrono::DateTime::from_timestamp(t.0, 0).ok_or("time out of range");
    let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(|e| e.to_string())?;
    let scopes: Vec<&str> = grant.scope.split(' ').collect();
    let mut standard = StandardClaims::new(SubjectIdentifier::new(user.id.as_str().to_owned()));
    if scopes.contains(&"email") {
        standard = standard
            .set_email(Some(EndUserEmail::new(user.email.as_str().to_owned())))
            .set_email_verified(Some(user.joined));
    }
    if scopes.contains(&"profile") {
        standard = standard.set_preferred_username(Some(EndUserUsername::new(user.email.as_str().to_owned())));
    }
    let ours = Claims {
        sid: grant.sid.clone(),
        account: account.map(str::to_owned),
        account_id: user.account_id.as_ref().map(|id| id.as_str().to_owned()),
        role: user.role.as_str().to_owned(),
    };
    let claims = IdTokenClaims::new(
        issuer,
        vec![Audience::new(client.id.clone())],
        time(now.plus_secs(oidc::ID_TOKEN_TTL_SECS))?,
        time(now)?,
        standard,
        ours,
    )
    .set_auth_time(Some(time(grant.auth_time)?))
    .set_nonce(grant.nonce.clone().map(Nonce::new))
    .set_auth_method_refs(Some(
        grant
            .amr
            .split(' ')
            .filter(|m| !m.is_empty())
            .map(|m| AuthenticationMethodReference::new(m.to_owned()))
            .collect(),
    ));
    let signed = match signer {
        Signer::Rsa(key) => GatehouseIdToken::new(claims, key, signer.alg(), Some(access), None),
        Signer::EdDsa(key) => GatehouseIdToken::new(claims, key, signer.alg(), Some(access), None),
    };
    signed.map_err(|e| e.to_string())
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "token endpoint failed");
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "the request could not be completed")
}

/// A bearer token error (RFC 6750 3).
fn bearer_refused(error: &str) -> Response {
    let challenge = format!("Bearer realm=\"gatehouse\", error=\"{error}\"");
    let mut response =
        (StatusCode::UNAUTHORIZED, no_store(), Json(serde_json::json!({ "error": error }))).into_response();
    response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge.parse().expect("ascii"));
    response
}

pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    // Public: the bearer token is what is checked.
    app::auth::anyone();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(token) = token else { return bearer_refused("invalid_request") };
    let grant = match oidc::access(&state.db, token, Timestamp::now()).await {
        Ok(Some(grant)) => grant,
        Ok(None) => return bearer_refused("invalid_token"),
        Err(e) => return failed(e),
    };
    let user = match state.db.user_by_id(&grant.user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return bearer_refused("invalid_token"),
        Err(e) => return failed(e),
    };
    let account = match super::account_name(&state, &user).await {
        Ok(account) => account,
        Err(e) => return failed(e),
    };
    let mut claims = oidc::person_claims(&user, account.as_deref(), &grant.scope);
    claims.insert("sub".into(), serde_json::Value::String(user.id.as_str().to_owned()));
    (no_store(), Json(serde_json::Value::Object(claims))).into_response()
}
