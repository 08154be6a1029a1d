//! Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a Gatehouse session
//! ends, however it ends, storage queues one logout per application the session signed in to
//! (in the transaction that ends it); each process's sender claims them one at a time, signs
//! a logout token and posts it to the application's `backchannel_logout_uri`, retrying with
//! growing waits. A claim is a lease, so a logout is sent by one process at a time, and deleted
//! once an application has taken it.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_core::oidc::{logout_retry_at, ClaimedLogout, LOGOUT_LEASE_SECS};
use gatehouse_core::store::{OpenIdProvider, SessionRecords};
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;
use openidconnect::{reqwest, JsonWebKey};

use super::keys::Signer;
use super::Provider;

/// How often a process looks for logouts to send (sessions end in every process).
const LOOK_EVERY: Duration = Duration::from_secs(2);
/// How often a process ends the sessions that expired (idle, or at the end of their lifetime),
/// so that their applications hear of it within seconds, not at the next purge.
const END_EXPIRED_EVERY: Duration = Duration::from_secs(10);
/// A logout token is good for this long after it is made.
const TOKEN_TTL_SECS: i64 = 120;
const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

pub struct LogoutSender {
    db: Db,
    provider: Arc<Provider>,
    http: reqwest::Client,
    claim: String,
}

impl LogoutSender {
    pub fn new(db: Db, provider: Arc<Provider>) -> Self {
        // Redirects are not followed: the registered address is the only one that gets a token.
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a reqwest client with fixed settings builds");
        LogoutSender { db, provider, http, claim: Id::random().as_str().to_owned() }
    }

    pub async fn run(self) {
        let mut ended_expired = tokio::time::Instant::now();
        loop {
            if ended_expired.elapsed() >= END_EXPIRED_EVERY {
                ended_expired = tokio::time::Instant::now();
                if let Err(e) = self.db.delete_expired_sessions(Timestamp::now()).await {
                    tracing::warn!(error = %e, "expired sessions could not be ended");
                }
            }
            let now = Timestamp::now();
            match self.db.claim_logout(&self.claim, now, now.plus_secs(LOGOUT_LEASE_SECS)).await {
                Ok(Some(logout)) => self.send(logout).await,
                Ok(None) => tokio::time::sleep(LOOK_EVERY).await,
                Err(e) => {
                    tracing::warn!(error = %e, "the logout queue could not be read");
                    tokio::time::sleep(LOOK_EVERY).await;
                }
            }
        }
    }

    async fn send(&self, logout: ClaimedLogout) {
        let outcome = match self.provider.client(&logout.client_id) {
            // An application removed from the configuration, or one without the address, has
            // nothing to be told.
            Some(client) => match &client.backchannel_logout_uri {
                Some(uri) => self.post(uri, &logout, client.eddsa).await,
                None => Ok(()),
            },
            None => Ok(()),
        };
        let done = match outcome {
            Ok(()) => {
                metrics::counter!("gatehouse_backchannel_logouts_sent_total").increment(1);
                self.db.logout_sent(&logout).await
            }
            Err(error) => {
                let now = Timestamp::now();
                let retry = logout_retry_at(logout.attempts, now);
                match retry {
                    Some(at) => {
                        tracing::warn!(client = %logout.client_id, %error, retry_at = at.0, "back-channel logout failed; it will be tried again")
                    }
                    None => {
                        tracing::error!(client = %logout.client_id, %error, "back-channel logout failed and was given up")
                    }
                }
                metrics::counter!("gatehouse_backchannel_logout_failures_total").increment(1);
                self.db.logout_failed(&logout, &error, retry, now).await
            }
        };
        if let Err(e) = done {
            tracing::warn!(error = %e, "a back-channel logout's outcome could not be written");
        }
    }

    async fn post(&self, uri: &str, logout: &ClaimedLogout, eddsa: bool) -> Result<(), String> {
        let signer = self.provider.keys.signer(eddsa).await;
        let token = logout_token(&self.provider.issuer, logout, &signer, Timestamp::now())?;
        let response =
            self.http.post(uri).form(&[("logout_token", token)]).send().await.map_err(|e| crate::sso::chain(&e))?;
        // The spec: 200 (or 204) when the application logged the session out.
        match response.status().as_u16() {
            200 | 204 => Ok(()),
            status => Err(format!("{uri} answered {status}")),
        }
    }
}

/// A logout token (Back-Channel Logout 1.0, 2.4): a JWT of type `logout+jwt` naming the
/// session (`sid`) and the person (`sub`), with the logout event and no nonce.
pub fn logout_token(issuer: &str, logout: &ClaimedLogout, signer: &Signer, now: Timestamp) -> Result<String, String> {
    let key = signer.public();
    let alg = signer.alg();
    let header = serde_json::json!({
        "alg": serde_json::to_value(&alg).map_err(|e| e.to_string())?,
        "typ": "logout+jwt",
        "kid": key.key_id().map(|k| k.as_str().to_owned()),
    });
    let claims = serde_json::json!({
        "iss": issuer,
        "aud": logout.client_id,
        "iat": now.0,
        "exp": now.0 + TOKEN_TTL_SECS,
        "jti": Id::random().as_str(),
        "sub": logout.user_id.as_str(),
        "sid": logout.sid,
        "events": { BACKCHANNEL_LOGOUT_EVENT: {} },
    });
    let encode = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let input = format!("{}.{}", encode(&header), encode(&claims));
    let signature = signer.sign(input.as_bytes()).map_err(|e| e.to_string())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}
