//! The operator's command line on SQLite and PostgreSQL (`gatehouse_core::operator`): the
//! listings, the break-glass reset's effects in one transaction, ending a person's sessions,
//! and the audit log read in pages with its filters.

use gatehouse_core::crypto::SecretKey;
use gatehouse_core::model::SessionRecord;
use gatehouse_core::operator::{self, AuditFilter, OperatorError};
use gatehouse_core::store::{Authenticators, Directory, Operations, RecoveryCodes, SessionRecords};
use gatehouse_core::{admin, Role};
use gatehouse_storage::Db;

use crate::support::signin::{audits, owner, with_authenticator};
use crate::support::NOW;

conformance!(
    accounts_and_agents_are_listed_with_their_people,
    a_break_glass_reset_removes_every_factor_and_session_and_refuses_agents_without_the_flag,
    ending_sessions_ends_only_that_persons,
    the_audit_log_reads_in_pages_oldest_first_with_filters,
    only_a_support_agent_is_removed_and_their_sessions_go_with_them,
);

fn session(id: &str, user: &gatehouse_core::model::User) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        user_id: Some(user.id.clone()),
        data: b"{}".to_vec(),
        expires_at: NOW.plus_secs(3600),
        last_seen_at: NOW,
        facts: None,
        generation: Some(0),
    }
}

async fn accounts_and_agents_are_listed_with_their_people(db: &Db) {
    let zed = owner(db, "zed@zeta.example.com").await;
    let ann = owner(db, "ann@alpha.example.com").await;
    admin::invite(db, "Acme ann@alpha.example.com", "new@alpha.example.com", Role::User, None, NOW).await.unwrap();
    admin::create_support_agent(db, "agent@support.example.com", NOW).await.unwrap();

    let listed = db.accounts().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|a| a.account.name.as_str()).collect();
    assert_eq!(names, ["Acme ann@alpha.example.com", "Acme zed@zeta.example.com"], "by name");
    assert_eq!((listed[0].joined, listed[0].invited), (1, 1));
    assert_eq!(listed[0].owner.as_ref(), Some(&ann.email));
    assert_eq!((listed[1].joined, listed[1].invited, listed[1].owner.as_ref()), (1, 0, Some(&zed.email)));

    let agents = db.agents().await.unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0].user.email.as_str(), "agent@support.example.com");
    assert!(!agents[0].joined && !agents[0].has_authenticator);
    let found = operator::account(db, "  acme ANN@alpha.example.com ").await.unwrap();
    assert_eq!(found.id, listed[0].account.id);
    assert!(matches!(operator::account(db, "Nobody").await, Err(OperatorError::UnknownAccount(n)) if n == "Nobody"));
}

async fn a_break_glass_reset_removes_every_factor_and_session_and_refuses_agents_without_the_flag(db: &Db) {
    let key = SecretKey::generate();
    let ann = owner(db, "ann@acme.example.com").await;
    let bob = owner(db, "bob@acme.example.com").await;
    for user in [&ann, &bob] {
        with_authenticator(db, &key, user).await;
        db.replace_recovery_codes(&user.id, &["a".repeat(64), "b".repeat(64)], NOW).await.unwrap();
    }
    db.create_session(&session("ann-1", &ann)).await.unwrap();
    db.create_session(&session("bob-1", &bob)).await.unwrap();

    let refused = operator::reset_2fa(db, "ann@acme.example.com", "  ", false, NOW).await;
    assert!(matches!(refused, Err(OperatorError::NoReason)), "{refused:?}");
    let refused = operator::reset_2fa(db, "nobody@acme.example.com", "lost", false, NOW).await;
    assert!(matches!(refused, Err(OperatorError::UnknownEmail(_))), "{refused:?}");
    assert!(db.authenticator_facts(&ann.id).await.unwrap().is_some(), "a refusal changes nothing");

    let reset = operator::reset_2fa(db, "ANN@acme.example.com", "called from the number on file", false, NOW).await;
    assert_eq!(reset.unwrap().id, ann.id);
    assert!(db.authenticator_facts(&ann.id).await.unwrap().is_none());
    assert_eq!(db.recovery_codes_left(&ann.id).await.unwrap(), 0);
    assert!(db.load_session("ann-1", NOW).await.unwrap().is_none());
    let reset_audits = audits(db, Some(&ann), "totp.reset", "by the operator: called from the number on file").await;
    assert_eq!(reset_audits, 1);
    // Nobody else's.
    assert!(db.authenticator_facts(&bob.id).await.unwrap().is_some());
    assert_eq!(db.recovery_codes_left(&bob.id).await.unwrap(), 2);
    assert!(db.load_session("bob-1", NOW).await.unwrap().is_some());

    let agent = admin::create_support_agent(db, "agent@support.example.com", NOW).await.unwrap().user;
    let refused = operator::reset_2fa(db, "agent@support.example.com", "lost phone", false, NOW).await;
    assert!(matches!(refused, Err(OperatorError::AgentNeedsFlag(_))), "{refused:?}");
    assert_eq!(
        operator::reset_2fa(db, "agent@support.example.com", "lost phone", true, NOW).await.unwrap().id,
        agent.id
    );

    // A person gone meanwhile: nothing written.
    let gone = gatehouse_core::Id::random();
    assert!(!db.reset_second_factor(&gone, NOW, &[]).await.unwrap());
}

async fn ending_sessions_ends_only_that_persons(db: &Db) {
    let ann = owner(db, "ann@acme.example.com").await;
    let bob = owner(db, "bob@acme.example.com").await;
    for (id, who) in [("ann-1", &ann), ("ann-2", &ann), ("bob-1", &bob)] {
        db.create_session(&session(id, who)).await.unwrap();
    }
    let (person, ended) = operator::end_sessions(db, "ann@acme.example.com", NOW).await.unwrap();
    assert_eq!((person.id, ended), (ann.id.clone(), 2));
    assert!(db.load_session("ann-1", NOW).await.unwrap().is_none());
    assert!(db.load_session("ann-2", NOW).await.unwrap().is_none());
    assert!(db.load_session("bob-1", NOW).await.unwrap().is_some());
    assert_eq!(audits(db, Some(&ann), "session.ended", "all 2 sessions ended by the operator").await, 1);
}

async fn the_audit_log_reads_in_pages_oldest_first_with_filters(db: &Db) {
    let ann = owner(db, "ann@acme.example.com").await;
    let bob = owner(db, "bob@acme.example.com").await;
    let all = AuditFilter::default();
    gatehouse_core::operator::end_sessions(db, "ann@acme.example.com", NOW).await.unwrap();
    let everything = db.audit_entries(&all, 0, 1000).await.unwrap();
    assert_eq!(everything.len(), 3, "{everything:?}");
    assert!(everything.windows(2).all(|w| w[0].0 < w[1].0), "oldest first");

    // Page by page, each entry once.
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = db.audit_entries(&all, after, 1).await.unwrap();
        let Some((id, _)) = page.last() else { break };
        after = *id;
        paged.extend(page);
    }
    assert_eq!(paged, everything);

    let anns = db.audit_entries(&AuditFilter { user_id: Some(ann.id.clone()), ..all.clone() }, 0, 1000).await.unwrap();
    assert!(!anns.is_empty() && anns.iter().all(|(_, e)| e.user_id.as_ref() == Some(&ann.id)));
    let bobs_account = AuditFilter { account_id: bob.account_id.clone(), ..all.clone() };
    let of_account = db.audit_entries(&bobs_account, 0, 1000).await.unwrap();
    assert!(!of_account.is_empty() && of_account.iter().all(|(_, e)| e.account_id == bob.account_id));
    let both = AuditFilter { user_id: Some(ann.id.clone()), account_id: bob.account_id.clone(), ..all.clone() };
    assert!(db.audit_entries(&both, 0, 1000).await.unwrap().is_empty());
    let later = AuditFilter { since: Some(NOW.plus_secs(1)), ..all.clone() };
    assert!(db.audit_entries(&later, 0, 1000).await.unwrap().is_empty());
    let from_now = AuditFilter { since: Some(NOW), user_id: Some(bob.id.clone()), ..all };
    assert_eq!(db.audit_entries(&from_now, 0, 1000).await.unwrap().len(), of_account.len());
}

async fn only_a_support_agent_is_removed_and_their_sessions_go_with_them(db: &Db) {
    let ann = owner(db, "ann@acme.example.com").await;
    let agent = admin::create_support_agent(db, "agent@support.example.com", NOW).await.unwrap().user;
    db.create_session(&session("agent-1", &agent)).await.unwrap();
    db.create_session(&session("ann-1", &ann)).await.unwrap();

    let refused = operator::remove_agent(db, "ann@acme.example.com", NOW).await;
    assert!(matches!(refused, Err(OperatorError::NotAgent(_))), "{refused:?}");
    assert!(!db.remove_agent(&ann.id, NOW, &[]).await.unwrap(), "the store checks the role too");
    assert!(db.user_by_id(&ann.id).await.unwrap().is_some());

    operator::remove_agent(db, "agent@support.example.com", NOW).await.unwrap();
    assert!(db.user_by_id(&agent.id).await.unwrap().is_none());
    assert!(db.load_session("agent-1", NOW).await.unwrap().is_none());
    assert!(db.load_session("ann-1", NOW).await.unwrap().is_some());
    assert_eq!(audits(db, Some(&agent), "user.removed", "support agent agent@support.example.com removed").await, 1);
    assert!(db.agents().await.unwrap().is_empty());
}
