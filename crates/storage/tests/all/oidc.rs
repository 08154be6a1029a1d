//! Gatehouse as an OpenID Provider: waiting requests, codes and access tokens, on SQLite and
//! PostgreSQL (see support).

use gatehouse_core::model::{SessionFacts, SessionRecord, User};
use gatehouse_core::oidc::{self, AuthRequest, CodeGrant, OidcError, StoredSigningKey};
use gatehouse_core::store::{Maintenance, OpenIdProvider, SessionRecords};
use gatehouse_core::Timestamp;
use gatehouse_storage::Db;

use crate::support::signin::owner;
use crate::support::NOW;

conformance!(
    a_waiting_request_is_read_until_it_expires_or_is_dropped,
    a_code_is_redeemed_once_with_its_client_address_and_verifier,
    a_code_redeemed_twice_at_once_gives_one_token_and_revokes_it,
    signing_keys_are_kept_newest_first,
    expired_state_is_purged,
    ending_a_session_queues_one_logout_per_application_it_signed_in_to,
    a_logout_is_claimed_by_one_sender_retried_and_given_up,
);

// RFC 7636, appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn request() -> AuthRequest {
    AuthRequest {
        client_id: "crm".into(),
        redirect_uri: "https://crm.example.com/cb".into(),
        scope: "openid email".into(),
        state: Some("s".into()),
        nonce: None,
        code_challenge: CHALLENGE.into(),
        fresh_after_ms: Some(NOW.0 * 1000 + 999),
    }
}

async fn grant(db: &Db) -> CodeGrant {
    let user = owner(db, &format!("rp.{}@example.com", gatehouse_core::Id::random().as_str())).await;
    CodeGrant {
        client_id: "crm".into(),
        redirect_uri: "https://crm.example.com/cb".into(),
        user_id: user.id,
        sid: oidc::new_sid(),
        scope: "openid email".into(),
        nonce: Some("n".into()),
        code_challenge: CHALLENGE.into(),
        auth_time: NOW,
        amr: "pwd otp mfa".into(),
        expires_at: NOW.plus_secs(oidc::CODE_TTL_SECS),
    }
}

async fn a_waiting_request_is_read_until_it_expires_or_is_dropped(db: &Db) {
    let token = oidc::keep_request(db, &request(), NOW).await.unwrap();
    assert_eq!(oidc::waiting_request(db, token.reveal(), NOW).await.unwrap(), Some(request()));
    assert_eq!(oidc::waiting_request(db, "not a token", NOW).await.unwrap(), None);
    let late = NOW.plus_secs(oidc::REQUEST_TTL_SECS);
    assert_eq!(oidc::waiting_request(db, token.reveal(), late).await.unwrap(), None, "expired");
    oidc::drop_request(db, token.reveal()).await.unwrap();
    assert_eq!(oidc::waiting_request(db, token.reveal(), NOW).await.unwrap(), None, "dropped");
}

async fn a_code_is_redeemed_once_with_its_client_address_and_verifier(db: &Db) {
    let g = grant(db).await;
    let code = oidc::issue_code(db, &g).await.unwrap();
    let code = code.reveal();
    let refused = |r: Result<oidc::Redeemed, OidcError>| matches!(r, Err(OidcError::InvalidGrant(_)));
    assert!(refused(oidc::redeem(db, code, "other", &g.redirect_uri, VERIFIER, NOW).await), "another client");
    assert!(refused(oidc::redeem(db, code, "crm", "https://crm.example.com/cb2", VERIFIER, NOW).await), "address");
    let wrong = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK";
    assert!(refused(oidc::redeem(db, code, "crm", &g.redirect_uri, wrong, NOW).await), "verifier");
    assert!(refused(oidc::redeem(db, code, "crm", &g.redirect_uri, VERIFIER, g.expires_at).await), "expired");
    assert!(refused(oidc::redeem(db, "made-up", "crm", &g.redirect_uri, VERIFIER, NOW).await), "unknown");

    let redeemed = oidc::redeem(db, code, "crm", &g.redirect_uri, VERIFIER, NOW).await.unwrap();
    assert_eq!(redeemed.grant, g, "the refusals did not use it up");
    let access = oidc::access(db, redeemed.access_token.reveal(), NOW).await.unwrap().expect("a current token");
    assert_eq!((access.user_id.clone(), access.sid.clone()), (g.user_id.clone(), g.sid.clone()));
    assert_eq!(oidc::access(db, redeemed.access_token.reveal(), redeemed.access_expires_at).await.unwrap(), None);

    let again = oidc::redeem(db, code, "crm", &g.redirect_uri, VERIFIER, NOW).await;
    assert!(matches!(again, Err(OidcError::Replayed { revoked: 1 })), "{:?}", again.err());
    assert_eq!(oidc::access(db, redeemed.access_token.reveal(), NOW).await.unwrap(), None, "revoked");
}

async fn a_code_redeemed_twice_at_once_gives_one_token_and_revokes_it(db: &Db) {
    let g = grant(db).await;
    let code = oidc::issue_code(db, &g).await.unwrap();
    let redeem = || oidc::redeem(db, code.reveal(), "crm", &g.redirect_uri, VERIFIER, NOW);
    let (a, b) = tokio::join!(redeem(), redeem());
    let won: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert!(won.len() <= 1, "one redemption at most");
    for r in won {
        // The loser revoked what the winner was given, or saw the code used and revoked it.
        assert_eq!(oidc::access(db, r.access_token.reveal(), NOW).await.unwrap(), None);
    }
}

async fn signing_keys_are_kept_newest_first(db: &Db) {
    let key = |kid: &str, from: i64| StoredSigningKey {
        kid: kid.into(),
        alg: "RS256".into(),
        sealed_private: vec![1, 2, 3],
        public_jwk: "{}".into(),
        created_at: NOW,
        signs_from: Timestamp(from),
    };
    db.insert_signing_key(&key("old", NOW.0)).await.unwrap();
    db.insert_signing_key(&key("new", NOW.0 + 60)).await.unwrap();
    let kids: Vec<_> = db.signing_keys().await.unwrap().into_iter().map(|k| (k.kid, k.sealed_private)).collect();
    assert_eq!(kids, vec![("new".into(), vec![1, 2, 3]), ("old".into(), vec![1, 2, 3])]);
}

async fn expired_state_is_purged(db: &Db) {
    let g = grant(db).await;
    let code = oidc::issue_code(db, &g).await.unwrap();
    let redeemed = oidc::redeem(db, code.reveal(), "crm", &g.redirect_uri, VERIFIER, NOW).await.unwrap();
    oidc::keep_request(db, &request(), NOW).await.unwrap();
    let later = NOW.plus_secs(oidc::REQUEST_TTL_SECS);
    let purged = db.purge_expired(later, later, 0).await.unwrap();
    assert_eq!(purged.oidc, 3, "the request, the code and the access token");
    assert_eq!(oidc::access(db, redeemed.access_token.reveal(), NOW).await.unwrap(), None);
    let much_later = NOW.plus_secs(oidc::GRANT_KEPT_SECS);
    assert_eq!(db.purge_expired(much_later, much_later, 0).await.unwrap().oidc, 1, "the session's grant");
}

/// A signed-in session of `user` whose sid is `sid`, that has signed in to `clients`.
async fn signed_in_to(db: &Db, user: &User, sid: &str, clients: &[&str], expires_at: Timestamp) -> String {
    let id = gatehouse_core::Id::random().to_string();
    let record = SessionRecord {
        id: id.clone(),
        user_id: Some(user.id.clone()),
        data: b"{}".to_vec(),
        expires_at,
        last_seen_at: NOW,
        facts: Some(SessionFacts {
            signed_in_at: NOW,
            user_agent: "test".into(),
            client_address: "192.0.2.7".into(),
            sid: sid.into(),
        }),
        generation: Some(user.session_generation),
    };
    assert!(db.create_session(&record).await.unwrap());
    for client in clients {
        let g = CodeGrant { client_id: (*client).into(), sid: sid.into(), user_id: user.id.clone(), ..grant(db).await };
        let code = oidc::issue_code(db, &g).await.unwrap();
        oidc::redeem(db, code.reveal(), client, &g.redirect_uri, VERIFIER, NOW).await.unwrap();
    }
    id
}

/// Every queued logout, claimed and sent (so the next look starts empty): (sid, client) pairs.
async fn queued(db: &Db) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Some(l) = db.claim_logout("test", NOW, NOW.plus_secs(30)).await.unwrap() {
        assert!(db.logout_sent(&l).await.unwrap());
        out.push((l.sid, l.client_id));
    }
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
}

async fn ending_a_session_queues_one_logout_per_application_it_signed_in_to(db: &Db) {
    let user = owner(db, "ends@example.com").await;
    let later = NOW.plus_secs(600);
    let laptop = signed_in_to(db, &user, "sid-laptop", &["crm", "wiki"], later).await;
    signed_in_to(db, &user, "sid-phone", &["crm"], later).await;
    let mut apps = db.applications_of(&user.id).await.unwrap();
    apps.sort();
    assert_eq!(apps, pairs(&[("sid-laptop", "crm"), ("sid-laptop", "wiki"), ("sid-phone", "crm")]));
    assert_eq!(queued(db).await, vec![], "nothing before a session ends");

    // Log out of one: its applications only, once.
    assert!(db.end_session(&user.id, &laptop).await.unwrap());
    assert_eq!(queued(db).await, pairs(&[("sid-laptop", "crm"), ("sid-laptop", "wiki")]));
    assert_eq!(db.applications_of(&user.id).await.unwrap(), pairs(&[("sid-phone", "crm")]));

    // Sign out of all other sessions: the kept one's applications stay signed in.
    let kept = signed_in_to(db, &user, "sid-kept", &["wiki"], later).await;
    db.delete_other_sessions(&user.id, &kept).await.unwrap();
    assert_eq!(queued(db).await, pairs(&[("sid-phone", "crm")]));
    // Every session (a password change, a 2FA reset).
    db.delete_user_sessions(&user.id).await.unwrap();
    assert_eq!(queued(db).await, pairs(&[("sid-kept", "wiki")]));

    // Idle or at the end of its lifetime: when expired sessions are purged.
    signed_in_to(db, &user, "sid-idle", &["crm"], NOW.plus_secs(60)).await;
    db.purge_expired(NOW.plus_secs(60), NOW, 0).await.unwrap();
    assert_eq!(queued(db).await, pairs(&[("sid-idle", "crm")]));
    // A session that never signed in to an application queues nothing.
    let plain = signed_in_to(db, &user, "sid-plain", &[], later).await;
    db.end_session(&user.id, &plain).await.unwrap();
    assert_eq!(queued(db).await, vec![]);
}

async fn a_logout_is_claimed_by_one_sender_retried_and_given_up(db: &Db) {
    let user = owner(db, "retries@example.com").await;
    let id = signed_in_to(db, &user, "sid-r", &["crm"], NOW.plus_secs(600)).await;
    db.end_session(&user.id, &id).await.unwrap();
    let (a, b) =
        tokio::join!(db.claim_logout("a", NOW, NOW.plus_secs(30)), db.claim_logout("b", NOW, NOW.plus_secs(30)));
    let claimed: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(claimed.len(), 1, "one sender at a time");
    let first = &claimed[0];
    assert_eq!((first.sid.as_str(), first.client_id.as_str(), first.attempts), ("sid-r", "crm", 1));
    assert_eq!(first.user_id, user.id);
    assert!(db.claim_logout("c", NOW.plus_secs(29), NOW.plus_secs(60)).await.unwrap().is_none(), "leased");
    let retry = oidc::logout_retry_at(first.attempts, NOW).unwrap();
    assert!(db.logout_failed(first, "503", Some(retry), NOW).await.unwrap());
    assert!(db.claim_logout("c", retry.plus_secs(-1), retry.plus_secs(29)).await.unwrap().is_none(), "not yet");
    let second = db.claim_logout("c", retry, retry.plus_secs(30)).await.unwrap().expect("due again");
    assert_eq!(second.attempts, 2);
    assert!(!db.logout_sent(first).await.unwrap(), "an expired claim sends nothing");
    assert!(db.logout_failed(&second, "503", None, retry).await.unwrap());
    assert!(db.claim_logout("d", retry.plus_secs(86_400 * 30), NOW).await.unwrap().is_none(), "given up");
    assert_eq!(oidc::logout_retry_at(oidc::LOGOUT_ATTEMPTS, NOW), None);
}
