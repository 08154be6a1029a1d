//! The HTTP surface: Leptos pages and server functions, operations endpoints, and the
//! layers every request passes through.

pub mod client_address;
mod language;
mod ops;
mod security;
mod sessions;
mod sso;
mod support;

use app::ssr::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Forms and JSON are small; the support form's documents get their own, larger limit on
/// their own route.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The client's files (`/pkg`: WASM parts, their glue, the stylesheet) are served as they were
/// compressed once at build time (`cargo leptos build --precompress`: brotli at its top level
/// and gzip), so no request spends CPU on compression. Nothing else is compressed: pages and
/// server-function answers can carry secrets next to reflected input, which compression
/// would leak to an eavesdropper who can make requests (BREACH).
fn client_files(options: &leptos::config::LeptosOptions) -> tower_http::services::ServeDir {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// The routes outside Leptos (whose pages and server functions it lists itself), each added
/// with its method: the authorisation matrix (`tests/api/authorization_matrix.toml`) must
/// have a row for every one, and a test checks that it does. Add plain routes only here.
pub struct PlainRoutes {
    router: Router<AppState>,
    pub list: Vec<(&'static str, &'static str)>,
}

impl PlainRoutes {
    pub fn new() -> Self {
        PlainRoutes { router: Router::new(), list: Vec::new() }
    }

    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.list.push(("GET", path));
        self
    }

    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::post(handler));
        self.list.push(("POST", path));
        self
    }

    pub fn merge(mut self, other: PlainRoutes) -> Self {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// A layer for these routes only.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response: axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }
}

impl Default for PlainRoutes {
    fn default() -> Self {
        Self::new()
    }
}

pub fn plain_routes(
    sso: std::sync::Arc<crate::sso::Providers>,
    oidc: Option<std::sync::Arc<crate::oidc::Provider>>,
) -> PlainRoutes {
    let small = PlainRoutes::new()
        .get("/healthz", ops::healthz)
        .get("/metrics", ops::metrics)
        .get("/language/{tag}", language::switch)
        .get("/support/documents/{request}/{document}", support::document)
        .merge(sso::routes(sso))
        .merge(crate::oidc::routes(oidc))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES));
    // The support form's documents: a limit of their own, counted while the body streams.
    let uploads = PlainRoutes::new()
        .post("/support/requests", support::submit)
        .layer(RequestBodyLimitLayer::new(support::BODY_LIMIT_BYTES))
        // axum's own 2 MB default for extractors would cut a scanned passport short.
        .layer(axum::extract::DefaultBodyLimit::disable());
    small.merge(uploads)
}

pub fn router(
    state: AppState,
    sso: std::sync::Arc<crate::sso::Providers>,
    oidc: std::sync::Arc<crate::oidc::Provider>,
    proxies: std::sync::Arc<client_address::TrustedProxies>,
) -> Router {
    // Answered by the OpenID Provider's own route; the app knows it only to load it from here.
    let continue_path = app::account::application::CONTINUE;
    let routes: Vec<_> = generate_route_list(App).into_iter().filter(|r| r.path() != continue_path).collect();
    let https = state.settings.https;
    let public_url = state.settings.public_url.clone();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };

    // The server ends sessions (idle timeout, absolute lifetime: `DbSessionStore`); the cookie
    // only has to outlive the longest a session can last.
    let lifetime = state.settings.sessions;
    let sessions = SessionManagerLayer::new(sessions::DbSessionStore::new(state.db.clone(), lifetime))
        .with_name(app::auth::session_cookie_name(https))
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::seconds(lifetime.absolute_secs)));

    let pages = Router::new()
        .nest_service(&format!("/{}", state.leptos_options.site_pkg_dir), client_files(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES));
    plain_routes(sso, Some(oidc))
        .router
        .merge(pages)
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(state.clone(), language::choose))
        .layer(axum::middleware::from_fn(move |req, next| security::same_origin(public_url.clone(), req, next)))
        .layer(axum::middleware::from_fn(move |req, next| client_address::resolve(proxies.clone(), req, next)))
        .layer(axum::middleware::from_fn(move |req, next| security::headers(https, req, next)))
        .layer(axum::middleware::from_fn(ops::count))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(ops::request_span))
        .layer(SetRequestIdLayer::x_request_id(ops::RandomRequestId))
        .with_state(state)
}
