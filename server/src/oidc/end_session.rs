//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an application sends the
//! browser to `/oidc/logout` with the ID token it holds (`id_token_hint`); if that token is
//! Gatehouse's, for the person signed in here, their Gatehouse session ends (and every other
//! application it signed in to hears of it by back-channel logout), and the browser goes to the
//! application's registered `post_logout_redirect_uri` with its `state`. Without a hint for
//! this person nothing is ended: a link from anywhere must not sign people out (logout CSRF);
//! the browser goes to the start page, where **Log out** is.

use std::collections::HashMap;
use std::sync::Arc;

use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_core::store::SessionRecords;
use openidconnect::core::CoreJwsSigningAlgorithm;
use openidconnect::JsonWebKey;
use tower_sessions::Session;

use super::Provider;

/// What a verified hint says: for which application, about whom.
struct Hint {
    client_id: String,
    sub: String,
}

/// The hint's claims if Gatehouse signed it (with any key it publishes) as this issuer. Its
/// expiry does not matter: applications send the ID token they were given, often long ago.
async fn verified_hint(provider: &Provider, token: &str) -> Option<Hint> {
    let mut parts = token.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s).ok();
    let header: serde_json::Value = serde_json::from_slice(&decode(header)?).ok()?;
    let alg: CoreJwsSigningAlgorithm = serde_json::from_value(header.get("alg")?.clone()).ok()?;
    if !matches!(alg, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256 | CoreJwsSigningAlgorithm::EdDsa) {
        return None;
    }
    let kid = header.get("kid")?.as_str()?;
    let keys = provider.keys.public().await;
    let key = keys.iter().find(|k| k.key_id().is_some_and(|id| id.as_str() == kid))?;
    let message = format!("{}.{}", token.split('.').next()?, token.split('.').nth(1)?);
    key.verify_signature(&alg, message.as_bytes(), &decode(signature)?).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&decode(payload)?).ok()?;
    if claims.get("iss")?.as_str()? != provider.issuer {
        return None;
    }
    let client_id = match claims.get("aud")? {
        serde_json::Value::String(aud) => aud.clone(),
        serde_json::Value::Array(auds) if auds.len() == 1 => auds[0].as_str()?.to_owned(),
        _ => return None,
    };
    Some(Hint { client_id, sub: claims.get("sub")?.as_str()?.to_owned() })
}

fn error_page() -> Response {
    Redirect::to("/Account/ApplicationError?problem=logout").into_response()
}

pub async fn end_session(
    State(state): State<AppState>,
    Extension(provider): Extension<Arc<Provider>>,
    Query(params): Query<HashMap<String, String>>,
    session: Session,
) -> Response {
    // Public: the hint, checked below, is what lets it end a session.
    app::auth::anyone();
    let hint = match params.get("id_token_hint").filter(|h| !h.is_empty()) {
        Some(token) => match verified_hint(&provider, token).await {
            Some(hint) => Some(hint),
            None => return error_page(),
        },
        None => None,
    };
    let client_id = match (hint.as_ref().map(|h| h.client_id.as_str()), params.get("client_id")) {
        (Some(a), Some(b)) if a != b => return error_page(),
        (Some(a), _) => Some(a.to_owned()),
        (None, b) => b.cloned(),
    };
    let client = client_id.as_deref().and_then(|id| provider.client(id));
    if client_id.is_some() && client.is_none() {
        return error_page();
    }
    // Registered exactly, or not followed at all.
    let after = match params.get("post_logout_redirect_uri") {
        Some(uri) => match client {
            Some(c) if c.post_logout_redirect_uris.iter().any(|r| r == uri) => Some(uri.clone()),
            _ => return error_page(),
        },
        None => None,
    };
    let record = match app::auth::sign_in_record_in(&session).await {
        Ok(record) => record,
        Err(_) => return error_page(),
    };
    let Some(hint) = hint else { return Redirect::to("/").into_response() };
    match (record, session.id()) {
        (Some(record), Some(id)) if record.user.as_str() == hint.sub => {
            // As Log out does: the session and its generation end together, so no request
            // holding it brings it back; its applications are told by back-channel logout.
            if let Err(e) = state.db.end_session(&record.user, &id.to_string()).await {
                tracing::error!(error = %e, "rp-initiated logout could not end the session");
                return error_page();
            }
            if session.flush().await.is_err() {
                return error_page();
            }
        }
        // Signed out already, or someone else is signed in here: nothing to end.
        _ => {}
    }
    match after {
        Some(uri) => {
            let mut url = url::Url::parse(&uri).expect("registered addresses were checked at start-up");
            if let Some(state) = params.get("state") {
                url.query_pairs_mut().append_pair("state", state);
            }
            Redirect::to(url.as_str()).into_response()
        }
        None => Redirect::to("/Account/Login?signed_out=application").into_response(),
    }
}
