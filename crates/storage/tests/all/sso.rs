//! Single sign-on flows and linked identities, on SQLite and PostgreSQL (see support).

use gatehouse_core::admin;
use gatehouse_core::store::{AuditLog, Directory, InvitationState, Invitations, Sso};
use gatehouse_core::{Email, Role};
use gatehouse_storage::Db;

use crate::support::NOW;

conformance!(
    an_sso_flow_is_taken_once_for_its_provider_before_it_expires,
    a_verified_email_links_an_identity_which_then_outlives_email_changes,
    unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked,
    an_invitation_is_accepted_through_sso_only_from_its_own_page,
    several_accounts_may_invite_one_address_and_the_first_accepted_wins,
    agents_other_domains_and_passwords_without_an_authenticator_are_refused,
    refused_callbacks_from_one_address_are_audited_thirty_times_then_with_waits,
);

/// Gives a user who has a password an authenticator too (the usual state before SSO).
async fn with_authenticator(db: &Db, user: &gatehouse_core::Id) {
    use gatehouse_core::store::Authenticators;
    db.put_enrolment(user, &crate::support::sid(), b"sealed", NOW.plus_secs(600)).await.unwrap();
    assert_eq!(
        db.confirm_enrolment(user, &crate::support::sid(), 1, NOW).await.unwrap(),
        gatehouse_core::store::Enrolment::Confirmed
    );
}

const ACME_IDP: gatehouse_core::sso::Provider =
    gatehouse_core::sso::Provider { id: "acme", name: "Acme ID", domains: &[] };

fn claims(subject: &str, email: &str, verified: bool) -> gatehouse_core::sso::Claims {
    gatehouse_core::sso::Claims {
        issuer: "https://id.acme.example.com".into(),
        subject: subject.into(),
        email: Some(email.into()),
        email_verified: verified,
    }
}

fn carried(setup_link: Option<&str>) -> gatehouse_core::sso::Carried<'_> {
    gatehouse_core::sso::Carried { setup_link, invitation: None }
}

fn client() -> gatehouse_core::signin::Client {
    gatehouse_core::signin::Client::new("192.0.2.7".parse().unwrap())
}

async fn an_sso_flow_is_taken_once_for_its_provider_before_it_expires(db: &Db) {
    use gatehouse_core::sso::{start_flow, take_flow, Provider, SsoError, FLOW_TTL_SECS};
    let link = gatehouse_core::token::Token::generate();
    let flow = start_flow(db, ACME_IDP, "nonce-1".into(), "verifier-1".into(), carried(Some(link.reveal())), NOW)
        .await
        .unwrap();
    assert_eq!(flow.expires_at, NOW.plus_secs(FLOW_TTL_SECS));
    assert_eq!(flow.setup_link, Some(link.hash()), "the setup link it started from, as a hash");
    let (a, b) =
        tokio::join!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW), take_flow(db, flow.id.as_str(), ACME_IDP, NOW));
    let taken: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert_eq!(taken, vec![flow.clone()], "a callback works once, even twice at the same moment");
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)), "replay");

    let other = Provider { id: "other", name: "Other", domains: &[] };
    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), carried(Some("not a token")), NOW).await.unwrap();
    assert_eq!(flow.setup_link, None, "a malformed link is no link");
    assert!(matches!(take_flow(db, flow.id.as_str(), other, NOW).await, Err(SsoError::FlowGone)), "another provider");
    assert!(
        matches!(take_flow(db, flow.id.as_str(), ACME_IDP, NOW).await, Err(SsoError::FlowGone)),
        "deleted on failure"
    );

    let flow = start_flow(db, ACME_IDP, "n".into(), "v".into(), carried(Some("not a token")), NOW).await.unwrap();
    let late = NOW.plus_secs(FLOW_TTL_SECS);
    assert!(matches!(take_flow(db, flow.id.as_str(), ACME_IDP, late).await, Err(SsoError::FlowGone)), "expired");
    assert!(matches!(take_flow(db, "tampered", ACME_IDP, NOW).await, Err(SsoError::FlowGone)));
}

async fn a_verified_email_links_an_identity_which_then_outlives_email_changes(db: &Db) {
    use gatehouse_core::sso::identify;
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    with_authenticator(db, &issued.user.id).await;
    let user = identify(db, ACME_IDP, &claims("sub-1", "Ada@Acme.example.com", true), None, &client(), NOW)
        .await
        .unwrap()
        .user;
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), Some(user.id.clone()));
    // Later the email changes at the provider (even to someone else's): the subject decides.
    admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap();
    let again =
        identify(db, ACME_IDP, &claims("sub-1", "bob@bobco.example.com", true), None, &client(), NOW).await.unwrap();
    assert_eq!((again.user.id, again.accepted_invitation), (issued.user.id, false));
    let log = db.recent(Some(&user.id), 10).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == "sso.linked").count(), 1, "linked once");
}

async fn unverified_emails_and_unknown_people_are_refused_and_nothing_is_linked(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&issued.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let unverified =
        identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", false), None, &client(), NOW).await;
    assert!(matches!(unverified, Err(SsoError::UnverifiedEmail { .. })), "{unverified:?}");
    let no_email = gatehouse_core::sso::Claims { email: None, ..claims("sub-1", "", true) };
    assert!(matches!(
        identify(db, ACME_IDP, &no_email, None, &client(), NOW).await,
        Err(SsoError::UnverifiedEmail { .. })
    ));
    let unknown =
        identify(db, ACME_IDP, &claims("sub-2", "eve@elsewhere.example.com", true), None, &client(), NOW).await;
    assert!(matches!(&unknown, Err(SsoError::UnknownUser { email }) if email == "eve@elsewhere.example.com"));
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-2").await.unwrap(), None);
    assert_eq!(db.user_by_email(&Email::parse("eve@elsewhere.example.com").unwrap()).await.unwrap(), None);
    let refusals = db.recent(None, 20).await.unwrap().into_iter().filter(|e| e.kind == "sso.refused").count();
    assert_eq!(refusals, 3);
}

async fn an_invitation_is_accepted_through_sso_only_from_its_own_page(db: &Db) {
    use gatehouse_core::sso::{identify, SsoError};
    let issued = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    let hash = issued.token.hash();
    // A sign-in that merely finds an invitation waiting accepts nothing.
    let found = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), None, &client(), NOW).await;
    assert!(matches!(found, Err(SsoError::InvitationPending)), "{found:?}");
    assert_eq!(db.sso_user("https://id.acme.example.com", "sub-1").await.unwrap(), None);
    // From its page, for another address than the one invited: refused.
    let other = claims("sub-9", "eve@acme.example.com", true);
    let elsewhere = identify(db, ACME_IDP, &other, Some(&hash), &client(), NOW).await;
    assert!(matches!(elsewhere, Err(SsoError::OtherAddress { .. })), "{elsewhere:?}");
    let expired = issued.expires_at;
    let ada = claims("sub-1", "ada@acme.example.com", true);
    let late = identify(db, ACME_IDP, &ada, Some(&hash), &client(), expired).await;
    assert!(matches!(late, Err(SsoError::InvitationExpired)), "{late:?}");

    let identified =
        identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), Some(&hash), &client(), NOW)
            .await
            .unwrap();
    assert!(identified.accepted_invitation && identified.user.joined);
    let user = identified.user;
    assert_eq!(user.id, issued.user.id);
    assert_eq!(db.invitation_state(&hash, NOW).await.unwrap(), InvitationState::Used);
    assert_eq!(db.password_hash(&user.id).await.unwrap(), None, "no password was set");
    assert!(db.user_by_id(&user.id).await.unwrap().unwrap().joined);
}

async fn several_accounts_may_invite_one_address_and_the_first_accepted_wins(db: &Db) {
    use gatehouse_core::signin::{self, InvitationError, NewPassword};
    use gatehouse_core::sso::{identify, SsoError};
    let stranger = admin::create_account(db, "Stranger Ltd", "boss@stranger.example.com", NOW).await.unwrap();
    let real = admin::create_account(db, "Othercorp", "boss@othercorp.example.com", NOW).await.unwrap();
    for a in [&stranger, &real] {
        db.accept_invitation(&a.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    }
    // The stranger invites the address first; it does not keep Othercorp from inviting it.
    let theirs = admin::invite(db, "Stranger Ltd", "kim@othercorp.example.com", Role::User, None, NOW).await.unwrap();
    let ours = admin::invite(db, "Othercorp", "kim@othercorp.example.com", Role::User, None, NOW).await.unwrap();
    let again = admin::invite(db, "Othercorp", "kim@othercorp.example.com", Role::User, None, NOW).await;
    assert!(matches!(again, Err(admin::AdminError::EmailTaken(_))), "once per account");
    let kim = Email::parse("kim@othercorp.example.com").unwrap();
    let othercorp = real.account.as_ref().unwrap().id.clone();
    assert_eq!(db.member_by_email(&othercorp, &kim).await.unwrap().unwrap().id, ours.user.id);
    // Kim's first sign-in through her company's provider accepts neither.
    let first = identify(db, ACME_IDP, &claims("sub-kim", kim.as_str(), true), None, &client(), NOW).await;
    assert!(matches!(first, Err(SsoError::InvitationPending)), "{first:?}");
    // She accepts her company's, with a password; the stranger's can never be accepted then.
    let new = NewPassword { password: "copper violin estuary thimble", confirmation: "copper violin estuary thimble" };
    let hasher = crate::support::signin::CountingHasher::default();
    let anyone = gatehouse_core::signin::Client::default();
    let joined =
        signin::accept_invitation(db, &hasher, ours.token.reveal(), new, "Gatehouse", &anyone, NOW).await.unwrap();
    assert_eq!((joined.id.clone(), joined.account_id.clone()), (ours.user.id.clone(), Some(othercorp)));
    assert_eq!(db.user_by_email(&kim).await.unwrap().unwrap().id, ours.user.id, "the one who joined");
    let late = signin::accept_invitation(db, &hasher, theirs.token.reveal(), new, "Gatehouse", &anyone, NOW).await;
    assert!(matches!(late, Err(InvitationError::JoinedElsewhere(_))), "{late:?}");
    let (kim_claims, stranger_link) = (claims("sub-kim", kim.as_str(), true), theirs.token.hash());
    let by_sso = identify(db, ACME_IDP, &kim_claims, Some(&stranger_link), &client(), NOW).await;
    assert!(matches!(by_sso, Err(SsoError::JoinedElsewhere { .. })), "{by_sso:?}");
    assert!(db.password_hash(&theirs.user.id).await.unwrap().is_none(), "nothing of the stranger's moved");
    let invited_again = admin::invite(db, "Stranger Ltd", "kim@othercorp.example.com", Role::User, None, NOW).await;
    assert!(matches!(invited_again, Err(admin::AdminError::EmailTaken(_))), "joined: a person belongs to one account");
}

async fn agents_other_domains_and_passwords_without_an_authenticator_are_refused(db: &Db) {
    use gatehouse_core::sso::{identify, Provider, SsoError};
    let issuer_has = |sub: &'static str| async move { db.sso_user("https://id.acme.example.com", sub).await.unwrap() };
    // A password but no authenticator yet (new, or just reset): the provider must not lead
    // to authenticator setup, whoever controls it.
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap();
    db.accept_invitation(&ada.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    let early = identify(db, ACME_IDP, &claims("sub-1", "ada@acme.example.com", true), None, &client(), NOW).await;
    assert!(matches!(early, Err(SsoError::SetUpFirst { .. })), "{early:?}");
    assert_eq!(issuer_has("sub-1").await, None, "nothing linked");
    with_authenticator(db, &ada.user.id).await;

    // A provider limited to the company's domain links its own people only.
    let domains = ["acme.example.com".to_owned()];
    let company = Provider { id: "acme", name: "Acme ID", domains: &domains };
    let bob = admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap();
    db.accept_invitation(&bob.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    with_authenticator(db, &bob.user.id).await;
    let outside = identify(db, company, &claims("sub-2", "bob@bobco.example.com", true), None, &client(), NOW).await;
    assert!(matches!(outside, Err(SsoError::NotAllowed { .. })), "{outside:?}");
    assert_eq!(issuer_has("sub-2").await, None);
    let inside =
        identify(db, company, &claims("sub-1", "ada@acme.example.com", true), None, &client(), NOW).await.unwrap();
    assert_eq!(inside.user.id, ada.user.id);

    // Support agents sign in with password and code only.
    let agent = admin::create_support_agent(db, "sam@support.example.com", NOW).await.unwrap();
    db.accept_invitation(&agent.token.hash(), "$argon2id$x", NOW).await.unwrap().unwrap();
    with_authenticator(db, &agent.user.id).await;
    let refused = identify(db, ACME_IDP, &claims("sub-3", "sam@support.example.com", true), None, &client(), NOW).await;
    assert!(matches!(refused, Err(SsoError::NotAllowed { .. })), "{refused:?}");
    assert_eq!(issuer_has("sub-3").await, None);
    // Nor through an identity linked before they became an agent.
    let linked = gatehouse_core::model::SsoIdentity {
        issuer: "https://id.acme.example.com".into(),
        subject: "sub-4".into(),
        user_id: agent.user.id.clone(),
        provider_id: "acme".into(),
        email_at_link: "sam@support.example.com".into(),
        linked_at: NOW,
    };
    assert!(db.link_sso_identity(&linked, None, NOW).await.unwrap());
    let refused = identify(db, ACME_IDP, &claims("sub-4", "sam@support.example.com", true), None, &client(), NOW).await;
    assert!(matches!(refused, Err(SsoError::NotAllowed { .. })), "{refused:?}");
}

async fn refused_callbacks_from_one_address_are_audited_thirty_times_then_with_waits(db: &Db) {
    use gatehouse_core::sso::record_refusal;
    let audited = || async { db.recent(None, 100).await.unwrap().iter().filter(|e| e.kind == "sso.refused").count() };
    for _ in 0..40 {
        record_refusal(db, ACME_IDP, &client(), NOW, "state names no open flow").await.unwrap();
    }
    assert_eq!(audited().await, 30);
    // Once the wait is over, the next refusal is audited again; another address is not held up.
    record_refusal(db, ACME_IDP, &client(), NOW.plus_secs(2), "state names no open flow").await.unwrap();
    let elsewhere = gatehouse_core::signin::Client::new("198.51.100.9".parse().unwrap());
    record_refusal(db, ACME_IDP, &elsewhere, NOW, "state names no open flow").await.unwrap();
    assert_eq!(audited().await, 32);
}
