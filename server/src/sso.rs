//! The configured OpenID Connect providers, discovered at start-up. A provider whose
//! discovery fails is logged and left out (the others and password sign-in keep working);
//! its button does not appear until the next start.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    reqwest, ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, RedirectUrl,
};

use crate::config::SsoConfig;

/// A discovered client: authorization and token endpoints known, userinfo when offered.
pub type OidcClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet, EndpointMaybeSet>;

pub struct Provider {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    config: SsoConfig,
    public_url: String,
    client: RwLock<Arc<OidcClient>>,
    refreshed_at: Mutex<Instant>,
}

/// Keys are fetched again at most this often, however many tokens name an unknown key.
const REFRESH_EVERY: Duration = Duration::from_secs(60);

impl Provider {
    /// As configured, which discovery checked is what the provider calls itself.
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    pub fn domains(&self) -> &[String] {
        &self.config.domains
    }

    pub fn client(&self) -> Arc<OidcClient> {
        self.client.read().expect("never poisoned: no panics while held").clone()
    }

    /// Fetches discovery and keys again, after an ID token signed with a key id we do not
    /// know: providers rotate their signing keys (Google weekly). Rate-limited, so forged
    /// key ids cannot make Gatehouse hammer the provider. True when the keys were replaced.
    pub async fn refresh(&self, http: &reqwest::Client) -> bool {
        {
            let mut at = self.refreshed_at.lock().expect("never poisoned");
            if at.elapsed() < REFRESH_EVERY {
                return false;
            }
            *at = Instant::now();
        }
        match discover_one(&self.config, &self.public_url, http).await {
            Ok(client) => {
                *self.client.write().expect("never poisoned") = Arc::new(client);
                tracing::info!(provider = %self.id, "sso provider keys fetched again");
                true
            }
            Err(problem) => {
                tracing::warn!(provider = %self.id, "sso provider keys could not be fetched again: {problem}");
                false
            }
        }
    }
}

/// The enabled providers and the HTTP client that talks to them.
pub struct Providers {
    pub list: Vec<Provider>,
    pub http: reqwest::Client,
}

impl Providers {
    pub fn none() -> Arc<Self> {
        Arc::new(Providers { list: Vec::new(), http: http_client() })
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.id == id)
    }

    /// What the login page needs for its buttons.
    pub fn buttons(&self) -> Vec<app::account::sso::SsoButton> {
        self.list.iter().map(|p| app::account::sso::SsoButton { id: p.id.clone(), name: p.name.clone() }).collect()
    }
}

/// Redirects are never followed: a provider endpoint that redirects is misconfigured, and
/// following one could send the client secret or a code somewhere else (SSRF).
fn http_client() -> reqwest::Client {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client with rustls and fixed settings builds")
}

/// Fetches each provider's discovery document and keys, all at once (an unreachable one
/// delays start-up by its timeout, not by the sum). Failures become one log line each.
pub async fn discover(configs: &[SsoConfig], public_url: &str) -> Arc<Providers> {
    let http = http_client();
    let lookups: Vec<_> = configs
        .iter()
        .map(|config| {
            let (config, public_url, http) = (config.clone(), public_url.to_owned(), http.clone());
            tokio::spawn(async move { discover_one(&config, &public_url, &http).await })
        })
        .collect();
    let mut list = Vec::new();
    for (config, lookup) in configs.iter().zip(lookups) {
        let found = lookup.await.unwrap_or_else(|e| Err(format!("discovery stopped: {e}")));
        match found {
            Ok(client) => {
                tracing::info!(provider = %config.id, issuer = %config.issuer, "sso provider enabled");
                list.push(Provider {
                    id: config.id.clone(),
                    name: config.name.clone(),
                    scopes: config.scopes.clone(),
                    config: config.clone(),
                    public_url: public_url.to_owned(),
                    client: RwLock::new(Arc::new(client)),
                    // A key rotated just after start-up may be fetched at once.
                    refreshed_at: Mutex::new(Instant::now().checked_sub(REFRESH_EVERY).unwrap_or_else(Instant::now)),
                });
            }
            Err(problem) => tracing::error!(
                provider = %config.id,
                issuer = %config.issuer,
                "sso provider {} disabled: {problem}",
                config.id
            ),
        }
    }
    Arc::new(Providers { list, http })
}

async fn discover_one(config: &SsoConfig, public_url: &str, http: &reqwest::Client) -> Result<OidcClient, String> {
    let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("issuer is not a URL ({e})"))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("discovery at {} failed: {}", config.issuer, chain(&e)))?;
    let token_url =
        metadata.token_endpoint().cloned().ok_or("the discovery document names no token endpoint".to_owned())?;
    let redirect = RedirectUrl::new(format!("{public_url}/auth/sso/{}/callback", config.id))
        .map_err(|e| format!("callback URL: {e}"))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.clone()),
        Some(ClientSecret::new(config.client_secret.clone())),
    )
    .set_token_uri(token_url)
    .set_redirect_uri(redirect))
}

/// An error and its causes on one line: the library's top-level messages alone ("Request
/// failed") do not tell an operator what to fix.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !line.contains(&next) {
            line.push_str(": ");
            line.push_str(&next);
        }
        source = s.source();
    }
    line
}
