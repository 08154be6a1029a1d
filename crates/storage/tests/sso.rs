//! Single sign-on flows and linked identities, on SQLite and PostgreSQL (see support).

#[macro_use]
mod support;

use gatehouse_core::admin;
use gatehouse_core::store::{AuditLog, Directory, InvitationState, Invitations, Sso};
use gatehouse_core::Email;
use gatehouse_storage::Db;

use support::NOW;

conformance!(
    an_sso_flow_is_taken_once_for_its_provider_before_it_expires,
    a_verified_email_links_an_identity_which_then_outlives_email_changes,
    unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked,
    an_invited_user_without_a_password_accepts_the_invitation_through_sso,
);

const ACME_IDP: gatehouse_core::sso::Provider = gatehouse_core::sso::Provider { id: "acme", name: "Acme ID" };

fn claims(subject: &str, email: &str, verified: bool) -> gatehouse_core::sso::Claims {
    gatehouse_core::sso::Claims {
        issuer: "https://id.acme.example.com".into(),
        subject: subject.into(),
        email: Some(email.into()),
        email_verified: verified,
    }
}

fn client() -> gatehouse_core::signin::Client {
    gatehouse_core::signin::Client { ip: Some("192.0.2.7".into()) }
}

async fn an_sso_flow_is_taken_once_for_its_provider_before_it_expires(db: &Db) {
    use gatehouse_core::sso::{start_flow, take_flow, Provider, SsoError, FLOW_TTL_SECS};
    let flow = start_flow(db, ACME_IDP, "nonce-1".into(), "verifier-1".into(), NOW).await.unwrap();
    assert_eq!(flow.expires_at, NOW.plus_secs(FLOW_TTL_SECS));
    let (a, b) =
        tokio::join!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW), take_flow(db, flow.id.as_str(), ACME_IDP, NOW));
    let taken: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert_eq!(taken, vec![flow.clone()], "a callback works once, even twice at the same moment");
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)), "replay");

    let other = Provider { id: "other", name: "Other" };
    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), NOW).await.unwrap();
    assert!(matches!(take_flow(db, flow.id.as_str(), other, NOW).await, Err(SsoError::FlowGone)), "another provider");
    assert!(
        matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)),
        "deleted on failure"
    );

    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), NOW).await.unwrap();
    let late = NOW.plus_secs(FLOW_TTL_SECS);
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, late).await, Err(SsoError::FlowGone)), "expired");
    assert!(matches!(take_flow(db, "tampered", ACME_IDP, NOW).await, Err(SsoError::FlowGone)));
}

async fn a_verified_email_links_an_identity_which_then_outlives_email_changes(db: &Db) {
    use gatehouse_core::sso::identify;
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let user = identify(db, ACME_IDP, &claims("sub-1", "Ada@Acme.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), Some(user.id.clone()));
    // Later the email changes at the provider (even to someone else's): the subject decides.
    admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap();
    let again = identify(db, ACME_IDP, &claims("sub-1", "bob@bobco.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(again.id, issued.user.id);
    let log = db.recent(Some(&user.id), 10).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == "sso.linked").count(), 1, "linked once");
}

async fn unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let unverified = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", false), &client(), NOW).await;
    assert!(matches!(unverified, Err(SsoError::UnverifiedEmail { .. })), "{unverified:?}");
    let no_email = gatehouse_core::sso::Claims { email: None, ..claims("sub-1", "", true) };
    assert!(matches!(identify(db, ACME_IDP, &no_email, &client(), NOW).await, Err(SsoError::UnverifiedEmail { .. })));
    let unknown = identify(db, ACME_IDP, &claims("sub-2", "eve@elsewhere.example.com", true), &client(), NOW).await;
    assert!(matches!(&unknown, Err(SsoError::UnknownUser { email }) if email == "eve@elsewhere.example.com"));
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-2").await.unwrap(), None);
    assert_eq!(db.user_by_email(&Email::parse("eve@elsewhere.example.com").unwrap()).await.unwrap(), None);
    let refusals = db.recent(None, 20).await.unwrap().into_iter().filter(|e| e.kind == "sso.refused").count();
    assert_eq!(refusals, 3);
}

async fn an_invited_user_without_a_password_accepts_the_invitation_through_sso(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    let expired = issued.expires_at;
    let late = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), &client(), expired).await;
    assert!(matches!(late, Err(SsoError::InvitationExpired)), "{late:?}");
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);

    let user = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), &client(), NOW).await.unwrap();
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.invitation_state(&issued.token.hash(), NOW).await.unwrap(), InvitationState::Used);
    assert_eq!(db.password_hash(&user.id).await.unwrap(), None, "no password was set");
}
