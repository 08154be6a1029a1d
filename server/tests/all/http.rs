//! The HTTP surface without a browser: redirects, headers, the same-origin rule, limits.

use crate::support::{app, header, text, PUBLIC_URL};
use axum::body::Body;
use axum::http::{Request, StatusCode};

fn get(path: &str) -> Request<Body> {
    Request::get(path).header("accept", "text/html").body(Body::empty()).unwrap()
}

fn form_post(path: &str, origin: Option<&str>, fetch_site: Option<&str>, body: String) -> Request<Body> {
    let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    if let Some(s) = fetch_site {
        req = req.header("sec-fetch-site", s);
    }
    req.body(Body::from(body)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn health_answers_ok_when_the_database_does() {
    let app = app().await;
    let res = app.send(get("/healthz")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(text(res).await, "ok\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signed_out_visitors_of_the_start_page_are_redirected_to_login() {
    let app = app().await;
    let res = app.send(get("/")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(header(&res, "location"), "/Account/Login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_login_page_has_a_csp_whose_nonce_is_on_its_scripts() {
    let app = app().await;
    let res = app.send(get("/Account/Login")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = header(&res, "content-security-policy").to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the CSP").to_owned();
    assert!(nonce.len() >= 16, "{nonce}");
    let script_src = csp.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(header(&res, name), value, "{name}");
    }
    assert_eq!(header(&res, "strict-transport-security"), "", "no HSTS over plain http");
    let body = text(res).await;
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script must carry the CSP nonce");
    for label in ["User name", "Password", "Log In", "Show password"] {
        assert!(body.contains(label), "{label} missing from the page");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_render_draws_a_new_nonce() {
    let app = app().await;
    let a = header(&app.send(get("/Account/Login")).await, "content-security-policy").to_owned();
    let b = header(&app.send(get("/Account/Login")).await, "content-security-policy").to_owned();
    assert_ne!(a, b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_pages_are_404_with_headers() {
    let app = app().await;
    let res = app.send(get("/no/such/page")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert!(text(res).await.contains("Page not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn state_changing_requests_must_come_from_our_origin() {
    let app = app().await;
    let body = || "user_name=a%40example.com&password=x".to_owned();
    for (origin, site) in
        [(Some("http://evil.example"), None), (None, Some("cross-site")), (None, Some("same-site")), (None, None)]
    {
        let res = app.send(form_post("/api/log_in", origin, site, body())).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin:?} {site:?}");
    }
    let ok_origin = app.send(form_post("/api/log_in", Some(PUBLIC_URL), None, body())).await;
    assert_ne!(ok_origin.status(), StatusCode::FORBIDDEN);
    let ok_site = app.send(form_post("/api/log_in", None, Some("same-origin"), body())).await;
    assert_ne!(ok_site.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn request_bodies_are_bounded() {
    let app = app().await;
    let big = format!("user_name=a&password={}", "x".repeat(70 * 1024));
    let mut req = form_post("/api/log_in", Some(PUBLIC_URL), None, big.clone());
    req.headers_mut().insert("content-length", big.len().into());
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_get_ids_and_are_counted_by_route() {
    let app = app().await;
    let res = app.send(get("/healthz")).await;
    let id = header(&res, "x-request-id");
    assert_eq!(id.len(), 32, "{id}");
    let metrics = text(app.send(get("/metrics")).await).await;
    assert!(
        metrics.contains("gatehouse_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = app().await;
    let res = app
        .send(form_post(
            "/api/log_in",
            Some(PUBLIC_URL),
            None,
            "user_name=nobody%40example.com&password=whatever".into(),
        ))
        .await;
    let unknown = text(res).await;
    assert!(unknown.contains("The user name or password is incorrect."), "{unknown}");
    let res = app
        .send(form_post("/api/log_in", Some(PUBLIC_URL), None, "user_name=not-an-email&password=whatever".into()))
        .await;
    assert_eq!(text(res).await, unknown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_and_server_function_answers_are_never_compressed() {
    // They can hold secrets (a setup key) next to reflected input: compression would leak
    // them to someone who can make requests and watch sizes (BREACH). Static assets are
    // compressed; the browser suite checks that on the real bundle.
    let app = app().await;
    let page = Request::get("/Account/Login").header("accept", "text/html").header("accept-encoding", "br, gzip");
    let res = app.send(page.body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), "");
    let call = Request::post("/api/current_user")
        .header("origin", PUBLIC_URL)
        .header("accept-encoding", "br, gzip")
        .header("content-type", "application/x-www-form-urlencoded");
    let res = app.send(call.body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn expired_state_is_purged_by_one_process_per_period() {
    use gatehouse_core::model::SessionRecord;
    use gatehouse_core::store::SessionRecords;
    use gatehouse_core::Timestamp;
    use server::housekeeping::{purge_if_due, PURGE_EVERY_SECS};
    let app = app().await;
    // A second process: its own connections to the same database.
    let url = format!("sqlite://{}/gatehouse.db", app._dir.path().display());
    let other = gatehouse_storage::Db::connect(&url).await.unwrap();
    let now = Timestamp::now();
    let expired = SessionRecord {
        id: "old".into(),
        user_id: None,
        data: b"{}".to_vec(),
        expires_at: now,
        last_seen_at: now,
        facts: None,
        generation: None,
    };
    app.state.db.create_session(&expired).await.unwrap();

    assert_eq!(purge_if_due(&app.state.db, now, 30).await.unwrap(), Some(1), "the first process to ask purges");
    assert_eq!(purge_if_due(&other, now, 30).await.unwrap(), None, "the other waits for the next period");
    assert_eq!(purge_if_due(&app.state.db, now.plus_secs(60), 30).await.unwrap(), None);
    assert_eq!(purge_if_due(&other, now.plus_secs(PURGE_EVERY_SECS), 30).await.unwrap(), Some(0));
    assert!(app.state.db.load_session("old", now.plus_secs(-1)).await.unwrap().is_none(), "gone for good");
}
