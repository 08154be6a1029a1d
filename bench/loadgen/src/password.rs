//! P1's load: whole sign-ins as a browser makes them, `log_in` (argon2 on the server) and then
//! `verify_code` with the session `log_in` started. A code works once, so each person signs in
//! twice, with the two codes `bench/signin_load.py` worked out for the step the run is in
//! (the previous one's and the current one's); it stops when the time is up or everyone has
//! used both.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::runtime::Runtime;

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
    let began = Instant::now();
    let until = began + Duration::from_secs_f64(args.seconds);
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        let tasks: Vec<_> =
            (0..connections).map(|_| tokio::spawn(sign_in_until(args.origin.clone(), queue.clone(), until))).collect();
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
            let post = |session: Option<&str>, function: &str, body: String| {
                request_with(&origin, &authority, &browser, session, function, body)
            };
            let form = form_urlencoded::Serializer::new(String::new())
                .append_pair("user_name", &person.email)
                .append_pair("password", &person.password)
                .finish();
            let session = match send(&mut conn, post(None, "log_in", form)).await {
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
            let verified = send(&mut conn, post(Some(&session), "verify_code", form)).await;
            let done = Instant::now();
            match &verified {
                Ok((200, headers, _)) => browser.remember(headers),
                Ok(_) => {}
                Err(_) => conn = connect(&authority).await?,
            }
            if Instant::now() < until {
                outcomes.push((matches!(verified, Ok((200, _, _))), done - code_began, done - began));
            }
        }
    }
    Ok(outcomes)
}

/// The session cookie (name=value) a response sets: any cookie but the browser's.
fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|c| !c.contains("gatehouse-browser=") && c.split_once('=').is_some_and(|(_, v)| !v.is_empty()))
        .map(str::to_owned)
}
