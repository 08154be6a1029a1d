//! Benchmark load from one compiled process: passkey sign-ins (P3) or password + code sign-ins
//! (P1, `--password-people`), as fast as the server takes them.
//!
//! The load shares the server's two cores, so it has to be cheap: a Python client topped out
//! at 290/s, this one takes about 7 % of the machine at 450/s. Each registered passkey gets one
//! keep-alive connection and signs in again and again (sign counts must grow, so one person's
//! sign-ins are sequential): `passkey_sign_in_start`, an ES256 assertion,
//! `passkey_sign_in_finish`. Prints one `BENCH` line, as `bench/passkey_load.py` reads it.
//!
//! Each person's browser keeps the cookie the server sets to recognise it, as a returning
//! browser does (`--new-browsers` drops it: every sign-in then comes from a browser the server
//! has not seen, and mails its owner about it).

mod authenticator;
mod oidc;
mod password;

use std::time::{Duration, Instant};

use authenticator::{Passkey, Registered};
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;

#[derive(Parser)]
struct Args {
    /// Gatehouse's public URL, which is also the origin the assertions name.
    #[arg(long)]
    origin: String,
    /// JSON list of passkeys written by bench/passkey_load.py.
    #[arg(long, required_unless_present_any = ["password_people", "token_sessions"], conflicts_with_all = ["password_people", "token_sessions"])]
    people: Option<std::path::PathBuf>,
    /// JSON list of people with a password and two codes, written by bench/signin_load.py:
    /// password + code sign-ins instead of passkeys.
    #[arg(long, conflicts_with = "token_sessions")]
    password_people: Option<std::path::PathBuf>,
    /// With --password-people: each sign-in starts at an application (`--client`) and ends with
    /// its code redeemed, as a whole OpenID Connect sign-in.
    #[arg(long, requires = "password_people")]
    oidc: bool,
    /// JSON list of browsers signed in to Gatehouse, written by bench/oidc_load.py: authorize
    /// (single sign-on) and token exchanges for `--client`.
    #[arg(long)]
    token_sessions: Option<std::path::PathBuf>,
    /// The application, `id:secret`, for --oidc and --token-sessions.
    #[arg(long)]
    client: Option<String>,
    /// The application's registered redirect address.
    #[arg(long)]
    redirect_uri: Option<String>,
    /// A pause before each round on each connection (--token-sessions), to time exchanges at a
    /// low rate while another load saturates the cores.
    #[arg(long, default_value_t = 0)]
    pause_ms: u64,
    /// Connections for password + code sign-ins (passkeys: one per person).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Runtime threads of this generator (its CPU competes with the server's).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Forget the server's browser cookie after each sign-in.
    #[arg(long)]
    new_browsers: bool,
}

/// One sign-in: whether it succeeded, its last step's time (the one P2 and P3 report) and the
/// whole round's.
pub(crate) type Outcome = (bool, Duration, Duration);

fn main() -> Result<(), String> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    if let Some(path) = &args.password_people {
        return password::run(&runtime, &args, read(path)?);
    }
    if let Some(path) = &args.token_sessions {
        return oidc::run_tokens(&runtime, &args, read(path)?);
    }
    let path = args.people.as_ref().expect("clap requires --people or --password-people");
    let people: Vec<Registered> = read(path)?;
    let people = people.into_iter().map(Passkey::load).collect::<Result<Vec<_>, _>>()?;
    let clients = people.len();

    let began = Instant::now();
    let until = began + Duration::from_secs_f64(args.seconds);
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        let tasks: Vec<_> = people
            .into_iter()
            .enumerate()
            .map(|(n, passkey)| {
                let browser = Browser { address: address(n), cookie: None, keeps_cookie: !args.new_browsers };
                tokio::spawn(sign_in_until(args.origin.clone(), passkey, browser, until))
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.map_err(|e| e.to_string())??);
        }
        Ok::<_, String>(all)
    })?;
    let elapsed = began.elapsed().as_secs_f64();

    println!(
        "BENCH {} seconds={elapsed:.1} clients={clients} threads={} browsers={}",
        summary(outcomes, "finish"),
        args.threads,
        if args.new_browsers { "new" } else { "returning" },
    );
    Ok(())
}

fn read<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, String> {
    serde_json::from_slice(&std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// How many sign-ins succeeded and failed, and the successful ones' times: the `step`'s p50
/// and p99, and the whole round's p50 (`BENCH` fields).
pub(crate) fn summary(outcomes: Vec<Outcome>, step: &str) -> String {
    let (ok, failed): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(|o| o.0);
    let steps: Vec<_> = ok.iter().map(|o| o.1).collect();
    let rounds: Vec<_> = ok.iter().map(|o| o.2).collect();
    format!(
        "ok={} failed={} {step}_p50_ms={:.1} {step}_p99_ms={:.1} round_p50_ms={:.1}",
        ok.len(),
        failed.len(),
        ms(steps.clone(), 0.5),
        ms(steps, 0.99),
        ms(rounds, 0.5)
    )
}

/// The `p` quantile of `v`, in milliseconds.
fn ms(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1))).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Each person signs in from an address of their own (the bench trusts loopback as a proxy),
/// as people at different places would; one address's attempts are throttled together.
pub(crate) fn address(n: usize) -> String {
    format!("198.18.{}.{}", n / 250, n % 250 + 1)
}

/// Where a person's requests come from, and the browser cookie it carries.
pub(crate) struct Browser {
    pub address: String,
    pub cookie: Option<String>,
    pub keeps_cookie: bool,
}

impl Browser {
    /// Keeps the browser cookie a successful sign-in sets (name=value, attributes dropped).
    pub(crate) fn remember(&mut self, headers: &http::HeaderMap) {
        if !self.keeps_cookie {
            return;
        }
        let mut set = headers.get_all(http::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok());
        if let Some(c) = set.rfind(|c| c.starts_with("gatehouse-browser=")) {
            self.cookie = c.split(';').next().map(str::to_owned);
        }
    }
}

async fn sign_in_until(
    origin: String,
    mut passkey: Passkey,
    mut browser: Browser,
    until: Instant,
) -> Result<Vec<Outcome>, String> {
    let uri: http::Uri = origin.parse().map_err(|e| format!("--origin {origin}: {e}"))?;
    let authority = uri.authority().ok_or_else(|| format!("--origin {origin}: no host"))?.to_string();
    let mut outcomes = Vec::new();
    let mut conn = connect(&authority).await?;
    while Instant::now() < until {
        let began = Instant::now();
        let post = |function: &str, body: String| request(&origin, &authority, &browser, function, body);
        let (status, _, body) = match send(&mut conn, post("passkey_sign_in_start", String::new())).await {
            Ok(answer) => answer,
            Err(_) => {
                // A dropped connection counts as a failure; the next round gets a fresh one.
                outcomes.push((false, Duration::ZERO, began.elapsed()));
                conn = connect(&authority).await?;
                continue;
            }
        };
        if status != 200 {
            outcomes.push((false, Duration::ZERO, began.elapsed()));
            continue;
        }
        let challenge: serde_json::Value = serde_json::from_slice(&body).map_err(|e| format!("start: {e}"))?;
        let options: serde_json::Value =
            serde_json::from_str(challenge["options"].as_str().ok_or("start without options")?)
                .map_err(|e| format!("options: {e}"))?;
        let credential = passkey.assert(&options, &origin)?;
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("ceremony", challenge["ceremony"].as_str().ok_or("start without a ceremony")?)
            .append_pair("credential", &credential)
            .finish();
        let finish_began = Instant::now();
        let finished = send(&mut conn, post("passkey_sign_in_finish", form)).await;
        let done = Instant::now();
        match &finished {
            Ok((200, headers, _)) => browser.remember(headers),
            Ok(_) => {}
            Err(_) => conn = connect(&authority).await?,
        }
        outcomes.push((matches!(finished, Ok((200, _, _))), done - finish_began, done - began));
    }
    Ok(outcomes)
}

pub(crate) async fn connect(authority: &str) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(authority).await.map_err(|e| format!("{authority}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    Ok(sender)
}

fn request(
    origin: &str,
    authority: &str,
    browser: &Browser,
    function: &str,
    body: String,
) -> http::Request<Full<Bytes>> {
    request_with(origin, authority, browser, None, function, body)
}

/// A server function's request, with a session's cookie (name=value) besides the browser's.
pub(crate) fn request_with(
    origin: &str,
    authority: &str,
    browser: &Browser,
    session: Option<&str>,
    function: &str,
    body: String,
) -> http::Request<Full<Bytes>> {
    let mut req = http::Request::post(format!("/api/{function}"))
        .header(http::header::HOST, authority)
        .header(http::header::ORIGIN, origin)
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", &browser.address);
    let cookies: Vec<&str> = browser.cookie.as_deref().into_iter().chain(session).collect();
    if !cookies.is_empty() {
        req = req.header(http::header::COOKIE, cookies.join("; "));
    }
    req.body(Full::new(Bytes::from(body))).expect("a request from fixed parts")
}

pub(crate) async fn send(
    conn: &mut SendRequest<Full<Bytes>>,
    req: http::Request<Full<Bytes>>,
) -> Result<(u16, http::HeaderMap, Bytes), hyper::Error> {
    conn.ready().await?;
    let (parts, body) = conn.send_request(req).await?.into_parts();
    Ok((parts.status.as_u16(), parts.headers, body.collect().await?.to_bytes()))
}
