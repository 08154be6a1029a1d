//! P1's load: whole sign-ins as a browser makes them, `log_in` (argon2 on the server) and then
//! `verify_code` with the session `log_in` started. A code works once, so each person signs in
//! twice, with the two codes `bench/signin_load.py` worked out for the step the run is in
//! (the previous one's and the current one's); it stops when the time is up or everyone has
//! used both. With `--oidc`, each sign-in starts at an application's authorization request
//! and ends with the application redeeming its code, and the whole round is what counts.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::runtime::Runtime;

use crate::oidc::Application;
use crate::{address, connect, request_with, send, summary, Args, Browser, Outcome};

/// One person, as `bench/signin_load.py` signed them up.
#[derive(Deserialize)]
pub struct Person {
    email: String,
    password: String,
    codes: [String; 2],
    /// The browser cookie (name=value) their sign-up left, if any: a returning browser.
    browser: Option<String>,
}

pub fn run(runtime: &Runtime, args: &Args, people: Vec<Person>) -> Result<(), String> {
    let connections = args.connections.max(1);
    let count = people.len();
    // Handed out in turn (popped from the end): whichever connection is free takes the next.
    let queue = Arc::new(Mutex::new(people.into_iter().enumerate().rev().collect::<Vec<_>>()));
    let app = if args.oidc { Some(Application::from_args(args)?) } else { None };
    let began = Instant::now();
    let until = began + Duration::from_secs_f64(args.seconds);
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        let tasks: Vec<_> = (0..connections)
            .map(|_| tokio::spawn(sign_in_until(args.origin.clone(), queue.clone(), until, app.clone())))
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.map_err(|e| e.to_string())??);
        }
        Ok::<_, String>(all)
    })?;
    let elapsed = began.elapsed().as_secs_f64().min(args.seconds);
    println!("BENCH {} seconds={elapsed:.1} connections={connections} people={count}", summary(outcomes, "code"));
    Ok(())
}

async fn sign_in_until(
    origin: String,
    queue: Arc<Mutex<Vec<(usize, Person)>>>,
    until: Instant,
    app: Option<Application>,
) -> Result<Vec<Outcome>, String> {
    let uri: http::Uri = origin.parse().map_err(|e| format!("--origin {origin}: {e}"))?;
    let authority = uri.authority().ok_or_else(|| format!("--origin {origin}: no host"))?.to_string();
    let mut conn = connect(&authority).await?;
    let mut outcomes = Vec::new();
    loop {
        let Some((n, person)) = queue.lock().map_err(|e| e.to_string())?.pop() else { break };
        let mut browser = Browser { address: address(n), cookie: person.browser, keeps_cookie: true };
        for code in &person.codes {
            if Instant::now() >= until {
                return Ok(outcomes);
            }
            let began = Instant::now();
            // The application's request, waiting for this sign-in under a cookie of its own.
            let waiting = match &app {
                Some(app) => {
                    match send(&mut conn, app.authorize(&browser.address, browser.cookie.as_deref().unwrap_or("")))
                        .await
                    {
                        Ok((_, headers, _)) => cookie_named(&headers, AUTHORIZE),
                        Err(_) => {
                            conn = connect(&authority).await?;
                            None
                        }
                    }
                }
                None => None,
            };
            let post = |session: Option<&str>, function: &str, body: String| {
                request_with(&origin, &authority, &browser, session, function, body)
            };
            let with_waiting = |session: Option<&str>| match (&waiting, session) {
                (Some(w), Some(s)) => Some(format!("{w}; {s}")),
                (Some(w), None) => Some(w.clone()),
                (None, s) => s.map(str::to_owned),
            };
            let form = form_urlencoded::Serializer::new(String::new())
                .append_pair("user_name", &person.email)
                .append_pair("password", &person.password)
                .finish();
            let session = match send(&mut conn, post(with_waiting(None).as_deref(), "log_in", form)).await {
                Ok((200, headers, _)) => session_cookie(&headers),
                Ok(_) => None,
                Err(_) => {
                    conn = connect(&authority).await?;
                    None
                }
            };
            let Some(session) = session else {
                if Instant::now() < until {
                    outcomes.push((false, Duration::ZERO, began.elapsed()));
                }
                continue;
            };
            let form = form_urlencoded::Serializer::new(String::new()).append_pair("code", code).finish();
            let code_began = Instant::now();
            let verified = send(&mut conn, post(with_waiting(Some(&session)).as_deref(), "verify_code", form)).await;
            let code_done = Instant::now();
            let mut ok = matches!(verified, Ok((200, _, _)));
            let mut signed_in = session;
            match &verified {
                Ok((200, headers, _)) => {
                    browser.remember(headers);
                    // Signing in gives the session a new id.
                    signed_in = session_cookie(headers).unwrap_or(signed_in);
                }
                Ok(_) => {}
                Err(_) => conn = connect(&authority).await?,
            }
            if let (Some(app), true) = (&app, ok) {
                ok = back_to_application(&mut conn, app, &browser, waiting.as_deref(), &signed_in).await;
            }
            let done = Instant::now();
            if done < until {
                outcomes.push((ok, code_done - code_began, done - began));
            }
        }
    }
    Ok(outcomes)
}

/// The cookie naming an application's waiting request (without `__Host-`: the bench is http).
const AUTHORIZE: &str = "gatehouse-authorize";

/// The browser back at the authorization endpoint, signed in, and the application redeeming
/// the code it gets: whether an ID token came of it.
async fn back_to_application(
    conn: &mut hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
    app: &Application,
    browser: &Browser,
    waiting: Option<&str>,
    session: &str,
) -> bool {
    let cookies: Vec<&str> = browser.cookie.as_deref().into_iter().chain(waiting).chain([session]).collect();
    let code = match send(conn, app.resume(&browser.address, &cookies.join("; "))).await {
        Ok((status, headers, _)) => app.code_in(status, &headers),
        Err(_) => None,
    };
    let Some(code) = code else { return false };
    matches!(send(conn, app.token(&code)).await, Ok((status, _, body)) if Application::has_id_token(status, &body))
}

/// The cookie (name=value) `name` a response sets, if not to empty.
fn cookie_named(headers: &http::HeaderMap, name: &str) -> Option<String> {
    set_cookies(headers).find(|c| c.split_once('=').is_some_and(|(n, v)| n == name && !v.is_empty())).map(str::to_owned)
}

/// The session cookie (name=value) a response sets: any cookie but the browser's and the
/// waiting request's.
fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    set_cookies(headers)
        .find(|c| c.split_once('=').is_some_and(|(n, v)| n != "gatehouse-browser" && n != AUTHORIZE && !v.is_empty()))
        .map(str::to_owned)
}

fn set_cookies(headers: &http::HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(http::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).filter_map(|c| c.split(';').next())
}
