//! Headers every response carries, and the same-origin rule for state-changing requests.

use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages set their own Content-Security-Policy with a nonce (see `app::ssr`); everything
/// else gets this one, which allows nothing to run.
const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(https: bool, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(h, header::CONTENT_SECURITY_POLICY, FALLBACK_CSP);
    }
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    // Invitation and reset links carry tokens in the URL: never pass them to other sites.
    // Same-origin referrers stay, because plain form posts (no JavaScript) are sent back to
    // the page they came from, with their error, by way of the Referer.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(h, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(h, HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), payment=()");
    let dynamic = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
        ct.starts_with("text/html") || ct.starts_with("application/json") || ct.starts_with("text/plain")
    });
    if dynamic && !h.contains_key(header::CACHE_CONTROL) {
        // Pages and answers about a signed-in person must not linger in shared or browser caches.
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if https {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
    res
}

/// Refuses state-changing requests that do not come from our own pages.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`; older ones only in `Origin`.
/// Either must say "same origin". A request with neither (no browser sends a POST like that
/// today) is refused as well: scripts and tests must send `Origin` like a browser does.
pub async fn same_origin(public_url: String, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // Applications' servers call these with their own credentials, never a browser's cookie:
    // there is no session to ride on.
    if crate::oidc::FOR_APPLICATIONS.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some(site), _) => site == "same-origin",
        (None, Some(origin)) => origin == public_url,
        (None, None) => false,
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(?fetch_site, ?origin, path = %req.uri().path(), "cross-origin state change refused");
        (StatusCode::FORBIDDEN, format!("{}\n", gatehouse_l10n::say("error-cross-site", &[]))).into_response()
    }
}
