//! The sign-in rules over HTTP, without a browser: cookie flags, session renewal at each
//! step, and no way past the password step without the second factor.

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};

use crate::support::{app, header, owner_with_2fa, text, PUBLIC_URL};
use gatehouse_core::totp::{TotpSecret, STEP_SECS};
use gatehouse_core::Timestamp;

fn post(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path)
        .header("origin", PUBLIC_URL)
        .header("accept", "text/html")
        .header("referer", format!("{PUBLIC_URL}/Account/Login"))
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    // As the server's socket would say: the client's address, which the throttle counts by.
    let peer: std::net::SocketAddr = "192.0.2.10:40000".parse().unwrap();
    req.extension(axum::extract::ConnectInfo(peer)).body(Body::from(body.to_owned())).unwrap()
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path).header("accept", "text/html").header("cookie", cookie).body(Body::empty()).unwrap()
}

/// The `name=value` part of the session cookie, after checking its flags.
fn session_cookie(res: &Response<Body>) -> String {
    let set = crate::support::set_cookie(res, "gatehouse");
    assert!(set.starts_with("gatehouse="), "{set}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(flag), "{flag} missing: {set}");
    }
    assert!(!set.contains("Secure"), "no Secure flag over plain http: {set}");
    set.split(';').next().unwrap().to_owned()
}

fn current_code(secret: &TotpSecret) -> String {
    secret.code_at_step(Timestamp::now().0 as u64 / STEP_SECS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_password_alone_never_signs_in_and_each_step_renews_the_session() {
    let app = app().await;
    let secret = owner_with_2fa(&app).await;

    let res = app
        .send(post("/api/log_in", "user_name=Owner%40acme.example.com&password=lantern+orbit+velvet+cascade", None))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", text(res).await);
    assert_eq!(header(&res, "location"), "/Account/Login?step=code");
    let half = session_cookie(&res);
    let half_response = res;

    // Past the password, 2FA still stands between the session and the application.
    let home = app.send(get("/", &half)).await;
    assert_eq!(home.status(), StatusCode::FOUND);
    assert_eq!(header(&home, "location"), "/Account/Login");
    let me = app.send(post("/api/current_user", "", Some(&half))).await;
    assert_eq!(text(me).await, "null");

    let res = app.send(post("/api/verify_code", &format!("code={}", current_code(&secret)), Some(&half))).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(header(&res, "location"), "/");
    let full = session_cookie(&res);
    assert_ne!(full, half, "the session id changes when the user is signed in");

    let known = crate::support::set_cookie(&res, "gatehouse-browser");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=7776000"] {
        assert!(known.contains(flag), "{flag} missing: {known}");
    }
    assert!(crate::support::set_cookie(&half_response, "gatehouse-browser").is_empty(), "known only after both steps");

    let home = app.send(get("/", &full)).await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(text(home).await.contains("owner@acme.example.com"));
    let stale = app.send(get("/", &half)).await;
    assert_eq!(stale.status(), StatusCode::FOUND, "the pre-sign-in session id is dead");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_code_without_a_password_step_is_refused() {
    let app = app().await;
    let secret = owner_with_2fa(&app).await;
    let res = app.send(post("/api/verify_code", &format!("code={}", current_code(&secret)), None)).await;
    assert_eq!(form_error(&res), "\"SignInExpired\"");
    assert!(header(&res, "set-cookie").is_empty(), "nothing to remember");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn log_out_ends_the_session_on_the_server() {
    let app = app().await;
    let secret = owner_with_2fa(&app).await;
    let res = app
        .send(post("/api/log_in", "user_name=owner%40acme.example.com&password=lantern+orbit+velvet+cascade", None))
        .await;
    let half = session_cookie(&res);
    let res = app.send(post("/api/verify_code", &format!("code={}", current_code(&secret)), Some(&half))).await;
    let full = session_cookie(&res);
    let res = app.send(post("/api/log_out", "", Some(&full))).await;
    assert_eq!(header(&res, "location"), "/Account/Login");
    // Replaying the old cookie after log-out finds nothing on the server.
    assert_eq!(app.send(get("/", &full)).await.status(), StatusCode::FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn repeated_failures_are_throttled_with_a_plain_wait() {
    let app = app().await;
    owner_with_2fa(&app).await;
    let mut last = String::new();
    for _ in 0..6 {
        let res = app
            .send(post("/api/log_in", "user_name=owner%40acme.example.com&password=wrong+password+here", None))
            .await;
        last = form_error(&res);
    }
    assert!(last.contains("Too many failed attempts. Try again in"), "{last}");
    // Even the right password waits out the delay: guessing gets no faster by being right.
    let res = app
        .send(post("/api/log_in", "user_name=owner%40acme.example.com&password=lantern+orbit+velvet+cascade", None))
        .await;
    assert!(form_error(&res).contains("Too many failed attempts"), "{}", form_error(&res));
}

/// The error a plain form post is sent back with (`?__err=...` on the redirect).
fn form_error(res: &Response<Body>) -> String {
    let location = url::Url::parse(PUBLIC_URL).unwrap().join(header(res, "location")).unwrap();
    let encoded = location.query_pairs().find(|(k, _)| k == "__err").map(|(_, v)| v.into_owned()).unwrap_or_default();
    // The error travels base64-encoded, as the JSON the server function would have answered.
    let json = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded).unwrap_or_default();
    String::from_utf8_lossy(&json).into_owned()
}
