//! `gatehouse serve`: builds the state from the configuration, binds, serves until told to
//! stop, and in the background sends queued mail and purges expired state.

use std::sync::Arc;

use app::ssr::{AppState, BlockingPool, Settings};
use gatehouse_storage::Db;
use leptos::config::LeptosOptions;

use crate::config::Config;
use crate::error::StartError;
use crate::mail::LettreMailer;

pub async fn run(config: Config) -> Result<(), StartError> {
    let (mut state, sender) = build(&config).await?;
    tokio::spawn(sender.run());
    let sso = crate::sso::discover(&config.sso, &config.public_url).await;
    state.sso = Arc::new(sso.buttons());
    let listener = tokio::net::TcpListener::bind(config.bind).await.map_err(|e| StartError::Listen(config.bind, e))?;
    tokio::spawn(crate::housekeeping::run(state.db.clone(), config.support_retention_days));
    let oidc = crate::oidc::Provider::start(&state, config.clients.clone()).await.map_err(StartError::SigningKeys)?;
    tokio::spawn(crate::oidc::logout::LogoutSender::new(state.db.clone(), oidc.clone()).run());
    let router = crate::http::router(state, sso, oidc, Arc::new(config.proxies.clone()));
    tracing::info!(address = %config.bind, public_url = %config.public_url, "Gatehouse is listening");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Serve)
}

/// The state without a mail sender: queued mail stays queued (tests read the queue).
pub async fn build_state(config: &Config) -> Result<AppState, StartError> {
    Ok(build(config).await?.0)
}

async fn build(config: &Config) -> Result<(AppState, crate::mail::queue::Sender), StartError> {
    let secret_key = Arc::new(config.load_secret_key()?);
    let transport = Arc::new(LettreMailer::new(&config.mail)?);
    let db = Db::open(&config.database_url).await?;
    let (outgoing, sender) = crate::mail::queue::queue(db.clone(), secret_key.clone(), transport);
    let state = AppState {
        leptos_options: leptos_options(config),
        db,
        settings: Arc::new(Settings {
            public_url: config.public_url.clone(),
            product_name: config.issuer.clone(),
            https: config.https,
            sessions: config.sessions,
        }),
        document_key: Arc::new(gatehouse_core::crypto::DocumentKey::derive(&secret_key)),
        secret_key,
        mailer: Arc::new(outgoing),
        hashing: BlockingPool::per_core(),
        uploads: app::ssr::Uploads::new(),
        passkeys: Arc::new(
            gatehouse_core::passkey::RelyingParty::new(&config.public_url, &config.issuer)
                .map_err(StartError::Passkeys)?,
        ),
        sso: Arc::new(Vec::new()),
        applications: Arc::new(config.clients.iter().map(|c| (c.id.clone(), c.name.clone())).collect()),
        languages: config.languages.0.clone(),
    };
    Ok((state, sender))
}

/// cargo-leptos compiles the output name in; `LEPTOS_*` variables still override at run
/// time. The site root is relative to the working directory: run from the repository root.
fn leptos_options(config: &Config) -> LeptosOptions {
    let output_name = std::env::var("LEPTOS_OUTPUT_NAME")
        .ok()
        .or(option_env!("LEPTOS_OUTPUT_NAME").map(str::to_owned))
        .unwrap_or_else(|| "gatehouse".into());
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(config.bind)
        .build()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
