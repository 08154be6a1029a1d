//! The OpenID Provider's side of the load: an application's round trips through Gatehouse.
//!
//! - `--token-sessions`: browsers already signed in to Gatehouse (single sign-on), each sent by
//!   the application to the authorization endpoint, which answers at once with a code; the
//!   application then redeems it at the token endpoint. The token endpoint's own rate: codes
//!   are gathered for the first 40 % of the time, then all redeemed as fast as the server
//!   answers (codes last 60 s). With `--pause-ms`, each connection instead gets a code and
//!   redeems it at once, then pauses: exchanges timed while another load saturates the cores.
//! - `--oidc` with `--password-people`: whole sign-ins starting at the application (see
//!   [`Application::authorize`] and `crate::password`).

use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use serde::Deserialize;
use tokio::runtime::Runtime;

use crate::{address, connect, send, summary, Args, Outcome};

/// The registered application the load acts for (`--client id:secret`, `--redirect-uri`).
#[derive(Clone)]
pub struct Application {
    authority: String,
    client_id: String,
    basic: String,
    redirect_uri: String,
    verifier: String,
    challenge: String,
}

impl Application {
    pub fn from_args(args: &Args) -> Result<Self, String> {
        let client = args.client.as_deref().ok_or("--client id:secret is required")?;
        let (id, secret) = client.split_once(':').ok_or("--client is id:secret")?;
        let redirect_uri = args.redirect_uri.clone().ok_or("--redirect-uri is required")?;
        let uri: http::Uri = args.origin.parse().map_err(|e| format!("--origin: {e}"))?;
        let authority = uri.authority().ok_or("--origin has no host")?.to_string();
        // One PKCE pair for the run: each code is still bound to it and used once.
        let verifier = URL_SAFE_NO_PAD.encode(openssl::sha::sha256(args.origin.as_bytes())) + "-bench-verifier";
        let challenge = URL_SAFE_NO_PAD.encode(openssl::sha::sha256(verifier.as_bytes()));
        Ok(Application {
            authority,
            client_id: id.to_owned(),
            basic: format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
            redirect_uri,
            verifier,
            challenge,
        })
    }

    pub async fn connect(&self) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, String> {
        connect(&self.authority).await
    }

    /// The application sending the browser (its cookies, name=value joined by `; `) to the
    /// authorization endpoint.
    pub fn authorize(&self, address: &str, cookies: &str) -> http::Request<Full<Bytes>> {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", "openid email profile")
            .append_pair("state", "bench")
            .append_pair("code_challenge", &self.challenge)
            .append_pair("code_challenge_method", "S256")
            .finish();
        self.get(&format!("/oidc/authorize?{query}"), address, cookies)
    }

    /// The browser coming back to the authorization endpoint after signing in.
    pub fn resume(&self, address: &str, cookies: &str) -> http::Request<Full<Bytes>> {
        self.get("/oidc/authorize/continue", address, cookies)
    }

    fn get(&self, path: &str, address: &str, cookies: &str) -> http::Request<Full<Bytes>> {
        let mut req =
            http::Request::get(path).header(http::header::HOST, &self.authority).header("x-forwarded-for", address);
        if !cookies.is_empty() {
            req = req.header(http::header::COOKIE, cookies);
        }
        req.body(Full::new(Bytes::new())).expect("a request from fixed parts")
    }

    /// The code in a redirect to the application, if that is what `headers` say.
    pub fn code_in(&self, status: u16, headers: &http::HeaderMap) -> Option<String> {
        let location = headers.get(http::header::LOCATION)?.to_str().ok()?;
        let query = location.strip_prefix(&self.redirect_uri)?.strip_prefix('?')?;
        let code = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "code").map(|(_, v)| v.into_owned());
        code.filter(|_| (300..400).contains(&status))
    }

    /// The application's server redeeming `code` (`client_secret_basic`).
    pub fn token(&self, code: &str) -> http::Request<Full<Bytes>> {
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", code)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("code_verifier", &self.verifier)
            .finish();
        http::Request::post("/oidc/token")
            .header(http::header::HOST, &self.authority)
            .header(http::header::AUTHORIZATION, &self.basic)
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(form)))
            .expect("a request from fixed parts")
    }

    /// Whether a token answer carries an ID token.
    pub fn has_id_token(status: u16, body: &[u8]) -> bool {
        status == 200 && serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v["id_token"].is_string())
    }
}

/// A browser signed in to Gatehouse, as `bench/oidc_load.py` left it.
#[derive(Deserialize)]
pub struct SignedIn {
    /// Every cookie it holds, name=value joined by `; `.
    cookies: String,
}

pub fn run_tokens(runtime: &Runtime, args: &Args, browsers: Vec<SignedIn>) -> Result<(), String> {
    let app = Application::from_args(args)?;
    let connections = args.connections.max(1);
    if browsers.is_empty() {
        return Err("--token-sessions lists nobody".into());
    }
    let began = Instant::now();
    let until = began + Duration::from_secs_f64(args.seconds);
    if args.pause_ms > 0 {
        let pause = Duration::from_millis(args.pause_ms);
        let outcomes = runtime.block_on(each_connection(connections, |n| {
            exchange_until(app.clone(), address(n), browsers[n % browsers.len()].cookies.clone(), until, pause)
        }))?;
        let elapsed = began.elapsed().as_secs_f64().min(args.seconds);
        println!("BENCH {} seconds={elapsed:.1} connections={connections}", summary(outcomes, "token"));
        return Ok(());
    }
    let gather_until = began + Duration::from_secs_f64(args.seconds * 0.4);
    let codes = runtime.block_on(each_connection(connections, |n| {
        gather_codes(app.clone(), address(n), browsers[n % browsers.len()].cookies.clone(), gather_until)
    }))?;
    let gathered = codes.len();
    let gathering = began.elapsed().as_secs_f64();
    let per_connection = codes.len().div_ceil(connections);
    let mut batches: Vec<Vec<String>> = codes.chunks(per_connection.max(1)).map(<[String]>::to_vec).collect();
    let redeeming = Instant::now();
    let outcomes = runtime
        .block_on(each_connection(batches.len(), |n| redeem_all(app.clone(), std::mem::take(&mut batches[n]))))?;
    let elapsed = redeeming.elapsed().as_secs_f64();
    println!(
        "BENCH {} seconds={elapsed:.2} connections={connections} codes={gathered} authorize_per_sec={:.0}",
        summary(outcomes, "token"),
        gathered as f64 / gathering
    );
    Ok(())
}

/// Runs `task(n)` for each of `count` connections at once; all their results.
async fn each_connection<T, F, Fut>(count: usize, mut task: F) -> Result<Vec<T>, String>
where
    T: Send + 'static,
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, String>> + Send + 'static,
{
    let tasks: Vec<_> = (0..count).map(|n| tokio::spawn(task(n))).collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

async fn gather_codes(
    app: Application,
    address: String,
    cookies: String,
    until: Instant,
) -> Result<Vec<String>, String> {
    let mut browser = app.connect().await?;
    let mut codes = Vec::new();
    while Instant::now() < until {
        match send(&mut browser, app.authorize(&address, &cookies)).await {
            Ok((status, headers, _)) => codes.extend(app.code_in(status, &headers)),
            Err(_) => browser = app.connect().await?,
        }
    }
    Ok(codes)
}

async fn redeem_all(app: Application, codes: Vec<String>) -> Result<Vec<Outcome>, String> {
    let mut server = app.connect().await?;
    let mut outcomes = Vec::new();
    for code in codes {
        let began = Instant::now();
        let ok = match send(&mut server, app.token(&code)).await {
            Ok((status, _, body)) => Application::has_id_token(status, &body),
            Err(_) => {
                server = app.connect().await?;
                false
            }
        };
        outcomes.push((ok, began.elapsed(), began.elapsed()));
    }
    Ok(outcomes)
}

async fn exchange_until(
    app: Application,
    address: String,
    cookies: String,
    until: Instant,
    pause: Duration,
) -> Result<Vec<Outcome>, String> {
    let mut browser = app.connect().await?;
    // The application's server has a connection of its own to the token endpoint.
    let mut server = app.connect().await?;
    let mut outcomes = Vec::new();
    while Instant::now() < until {
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        let began = Instant::now();
        let code = match send(&mut browser, app.authorize(&address, &cookies)).await {
            Ok((status, headers, _)) => app.code_in(status, &headers),
            Err(_) => {
                browser = app.connect().await?;
                None
            }
        };
        let Some(code) = code else {
            outcomes.push((false, Duration::ZERO, began.elapsed()));
            continue;
        };
        let token_began = Instant::now();
        let answer = send(&mut server, app.token(&code)).await;
        let done = Instant::now();
        let ok = match &answer {
            Ok((status, _, body)) => Application::has_id_token(*status, body),
            Err(_) => {
                server = app.connect().await?;
                false
            }
        };
        if done < until {
            outcomes.push((ok, done - token_began, done - began));
        }
    }
    Ok(outcomes)
}
