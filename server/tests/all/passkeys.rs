//! Passkey management over HTTP: who may start a ceremony, and step-up before sensitive
//! changes. (Whole ceremonies against real authenticators are in tests/api and end2end.)

use crate::support::{app, header, owner_with_2fa, text, TestApp, PUBLIC_URL};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use gatehouse_core::store::SessionRecords;
use gatehouse_core::totp::{TotpSecret, STEP_SECS};
use gatehouse_core::Timestamp;

async fn signed_in_owner(app: &TestApp) -> (TotpSecret, String) {
    let secret = owner_with_2fa(app).await;
    let res = app
        .send(call("/api/log_in", "user_name=owner%40acme.example.com&password=lantern+orbit+velvet+cascade", None))
        .await;
    let half = cookie(&res);
    let step = Timestamp::now().0 as u64 / STEP_SECS;
    let res = app.send(call("/api/verify_code", &format!("code={}", secret.code_at_step(step)), Some(&half))).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", text(res).await);
    (secret, cookie(&res))
}

fn call(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req =
        Request::post(path).header("origin", PUBLIC_URL).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.body(Body::from(body.to_owned())).unwrap()
}

fn cookie(res: &axum::http::Response<Body>) -> String {
    crate::support::set_cookie(res, "gatehouse").split(';').next().unwrap().to_owned()
}

/// Makes the session's last full sign-in look an hour old.
async fn age_sign_in(app: &TestApp, cookie: &str) {
    let id = cookie.split_once('=').unwrap().1;
    let mut record = app.state.db.load_session(id, Timestamp::now()).await.unwrap().expect("session stored");
    let mut data: serde_json::Value = serde_json::from_slice(&record.data).unwrap();
    data["gh.signed_in"]["authenticated_at"] = serde_json::json!(Timestamp::now().0 - 3600);
    record.data = serde_json::to_vec(&data).unwrap();
    app.state.db.save_session(&record).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signed_out_visitors_cannot_list_or_add_passkeys() {
    let app = app().await;
    for path in ["/api/passkeys", "/api/passkey_add_start", "/api/passkey_remove", "/api/step_up"] {
        let res = app.send(call(path, "id=x&code=123456", None)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(text(res).await, "\"NotSignedIn\"", "{path}");
    }
    let page =
        app.send(Request::get("/Account/Security").header("accept", "text/html").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status(), StatusCode::FOUND, "{}", text(page).await);
    assert_eq!(header(&page, "location"), "/Account/Login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_old_sign_in_must_step_up_with_a_fresh_code_before_adding_or_removing() {
    let app = app().await;
    let (secret, session) = signed_in_owner(&app).await;
    let fresh = app.send(call("/api/passkey_add_start", "", Some(&session))).await;
    assert_eq!(fresh.status(), StatusCode::OK, "a recent sign-in may add at once");
    let options: serde_json::Value = serde_json::from_str(&text(fresh).await).unwrap();
    assert!(options["options"].as_str().unwrap().contains("\"residentKey\":\"required\""));

    age_sign_in(&app, &session).await;
    for (path, body) in [("/api/passkey_add_start", ""), ("/api/passkey_remove", "id=00")] {
        let res = app.send(call(path, body, Some(&session))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(text(res).await, "\"StepUpRequired\"", "{path}");
    }
    // Listing and renaming are not sensitive.
    let list = app.send(call("/api/passkeys", "", Some(&session))).await;
    assert_eq!(text(list).await, "[]");

    let wrong = app.send(call("/api/step_up", "code=000000", Some(&session))).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    // The code used to sign in cannot be used again for step-up; the next one can.
    let step = Timestamp::now().0 as u64 / STEP_SECS;
    let replay = app.send(call("/api/step_up", &format!("code={}", secret.code_at_step(step)), Some(&session))).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST, "{}", text(replay).await);
    // The next step's code is within the ±1 window and has not been used.
    let res = app.send(call("/api/step_up", &format!("code={}", secret.code_at_step(step + 1)), Some(&session))).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", text(res).await);
    let renewed = cookie(&res);
    assert_ne!(renewed, session, "step-up renews the session id");
    let res = app.send(call("/api/passkey_add_start", "", Some(&renewed))).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", text(res).await);
    let stale = app.send(call("/api/passkeys", "", Some(&session))).await;
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED, "the old session id is dead");
}
