//! Support requests for 2FA resets on both databases: a request is stored whole with its
//! documents or not at all; closing it happens once, with its effects in the same transaction;
//! documents of closed requests are purged after retention, their record kept.

#[macro_use]
mod support;

use gatehouse_core::model::{AuditEvent, AuditKind, SessionRecord};
use gatehouse_core::store::{Authenticators, SessionRecords, StoreError, SupportRequests};
use gatehouse_core::support::upload::FileType;
use gatehouse_core::support::{Area, Decision, DocumentKind, NewDocument, NewRequest, Reference, Status};
use gatehouse_core::{Email, Id};
use gatehouse_storage::Db;
use support::signin::{owner, with_authenticator};
use support::NOW;

conformance!(
    a_request_is_stored_with_its_documents_and_listed_newest_first,
    a_request_that_fails_half_way_leaves_nothing,
    approval_removes_the_authenticator_and_ends_every_session_once,
    rejection_keeps_the_reason_and_the_authenticator,
    documents_of_closed_requests_are_purged_after_retention_and_their_record_kept,
);

fn document(kind: DocumentKind, name: &str, bytes: &[u8]) -> NewDocument {
    NewDocument {
        id: Id::random(),
        kind,
        display_name: name.into(),
        file_type: FileType::Pdf,
        size: bytes.len() as i64,
        sealed: bytes.to_vec(),
    }
}

fn request(target: &str, created_at: i64, documents: Vec<NewDocument>) -> NewRequest {
    NewRequest {
        id: Id::random(),
        reference: Reference::generate(),
        area: Area::Account,
        requester_email: Email::parse("owner@acme.example.com").unwrap(),
        requester_id: None,
        account_name: "Acme".into(),
        subject: "Reset 2FA".into(),
        description: format!("I, the account owner, ask for 2FA to be reset for {target}."),
        target_email: Email::parse(target).unwrap(),
        owner_self: false,
        created_at: NOW.plus_secs(created_at),
        client_ip: Some("192.0.2.7".into()),
        documents,
    }
}

async fn a_request_is_stored_with_its_documents_and_listed_newest_first(db: &Db) {
    let first = request("a@acme.example.com", 0, vec![document(DocumentKind::LegalId, "passport.pdf", b"sealed-1")]);
    let second = request(
        "b@acme.example.com",
        60,
        vec![
            document(DocumentKind::Attachment, "one.pdf", b"sealed-2"),
            document(DocumentKind::Attachment, "two.pdf", b"sealed-3"),
        ],
    );
    db.insert_request(&first).await.unwrap();
    db.insert_request(&second).await.unwrap();
    let listed = db.support_requests(None, 10).await.unwrap();
    assert_eq!(listed.iter().map(|r| &r.reference).collect::<Vec<_>>(), [&second.reference, &first.reference]);
    assert_eq!(listed[0].documents.len(), 2);
    assert_eq!(listed[1].documents[0].display_name, "passport.pdf");
    let stored = db.support_request(&first.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.status, stored.closed_at, stored.target_email.as_str()),
        (Status::New, None, "a@acme.example.com")
    );
    let doc = &first.documents[0];
    let (info, content) = db.document(&first.id, &doc.id).await.unwrap().unwrap();
    assert_eq!((info.kind, info.size, content.as_deref()), (DocumentKind::LegalId, 8, Some(&b"sealed-1"[..])));
    assert!(db.document(&second.id, &doc.id).await.unwrap().is_none(), "only through its own request");
    assert!(db.support_requests(Some(Status::Approved), 10).await.unwrap().is_empty());

    let taken = NewRequest { id: Id::random(), ..request("c@acme.example.com", 90, vec![]) };
    let again = NewRequest { reference: taken.reference.clone(), ..request("d@acme.example.com", 91, vec![]) };
    db.insert_request(&taken).await.unwrap();
    assert!(matches!(db.insert_request(&again).await, Err(StoreError::Conflict(_))), "references are unique");
}

async fn a_request_that_fails_half_way_leaves_nothing(db: &Db) {
    // The second document cannot be stored (its id is taken): the whole request goes.
    let mut broken = request("a@acme.example.com", 0, vec![document(DocumentKind::LegalId, "id.pdf", b"x")]);
    let mut twin = document(DocumentKind::Letterhead, "letter.pdf", b"y");
    twin.id = broken.documents[0].id.clone();
    broken.documents.push(twin);
    assert!(db.insert_request(&broken).await.is_err());
    assert!(db.support_request(&broken.id).await.unwrap().is_none());
    assert!(db.support_requests(None, 10).await.unwrap().is_empty());
    assert!(db.document(&broken.id, &broken.documents[0].id).await.unwrap().is_none());
}

async fn approval_removes_the_authenticator_and_ends_every_session_once(db: &Db) {
    let key = gatehouse_core::crypto::SecretKey::generate();
    let target = owner(db, "user@acme.example.com").await;
    with_authenticator(db, &key, &target).await;
    for id in ["s1", "s2"] {
        let s = SessionRecord {
            id: id.into(),
            user_id: Some(target.id.clone()),
            data: b"{}".to_vec(),
            expires_at: NOW.plus_secs(3600),
        };
        db.create_session(&s).await.unwrap();
    }
    let filed = request("user@acme.example.com", 0, vec![]);
    db.insert_request(&filed).await.unwrap();
    let agent = Id::random();
    let mut event = AuditEvent::new(AuditKind::AuthenticatorReset);
    event.user_id = Some(target.id.clone());
    event.actor_id = Some(agent.clone());
    let approve = Decision::Approve { target: &target.id };
    assert!(db.close_request(&filed.id, approve, &agent, NOW, std::slice::from_ref(&event)).await.unwrap());
    assert_eq!(db.totp_secret(&target.id).await.unwrap(), None);
    assert!(db.load_session("s1", NOW).await.unwrap().is_none() && db.load_session("s2", NOW).await.unwrap().is_none());
    let closed = db.support_request(&filed.id).await.unwrap().unwrap();
    assert_eq!(
        (closed.status, closed.closed_at, closed.decided_by),
        (Status::Approved, Some(NOW), Some(agent.clone()))
    );
    use gatehouse_core::store::AuditLog;
    let audit = db.recent(Some(&target.id), 10).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.kind == "totp.reset").count(), 1);

    // Closed once: a second decision (another agent, a double click) changes nothing.
    let reject = Decision::Reject { reason: "late" };
    assert!(!db.close_request(&filed.id, reject, &Id::random(), NOW, &[event]).await.unwrap());
    assert_eq!(db.support_request(&filed.id).await.unwrap().unwrap().status, Status::Approved);
    assert_eq!(db.recent(Some(&target.id), 10).await.unwrap().iter().filter(|e| e.kind == "totp.reset").count(), 1);
}

async fn rejection_keeps_the_reason_and_the_authenticator(db: &Db) {
    let key = gatehouse_core::crypto::SecretKey::generate();
    let target = owner(db, "user@acme.example.com").await;
    with_authenticator(db, &key, &target).await;
    let filed = request("user@acme.example.com", 0, vec![]);
    db.insert_request(&filed).await.unwrap();
    let reject = Decision::Reject { reason: "The documents do not show the account's company." };
    assert!(db.close_request(&filed.id, reject, &Id::random(), NOW, &[]).await.unwrap());
    let closed = db.support_request(&filed.id).await.unwrap().unwrap();
    assert_eq!(closed.status, Status::Rejected);
    assert_eq!(closed.reason.as_deref(), Some("The documents do not show the account's company."));
    assert!(db.totp_secret(&target.id).await.unwrap().is_some());
    assert_eq!(db.support_requests(Some(Status::Rejected), 10).await.unwrap().len(), 1);
}

async fn documents_of_closed_requests_are_purged_after_retention_and_their_record_kept(db: &Db) {
    let old = request("a@acme.example.com", 0, vec![document(DocumentKind::LegalId, "id.pdf", b"old")]);
    let recent = request("b@acme.example.com", 0, vec![document(DocumentKind::LegalId, "id.pdf", b"recent")]);
    let open = request("c@acme.example.com", 0, vec![document(DocumentKind::LegalId, "id.pdf", b"open")]);
    for r in [&old, &recent, &open] {
        db.insert_request(r).await.unwrap();
    }
    let agent = Id::random();
    db.close_request(&old.id, Decision::Reject { reason: "no" }, &agent, NOW, &[]).await.unwrap();
    db.close_request(&recent.id, Decision::Reject { reason: "no" }, &agent, NOW.plus_secs(100), &[]).await.unwrap();
    let later = NOW.plus_secs(1000);
    assert_eq!(db.purge_documents(NOW.plus_secs(50), later).await.unwrap(), 1);
    let (info, content) = db.document(&old.id, &old.documents[0].id).await.unwrap().unwrap();
    assert_eq!((info.purged_at, content), (Some(later), None), "the record stays, the content goes");
    assert!(db.document(&recent.id, &recent.documents[0].id).await.unwrap().unwrap().1.is_some());
    assert!(
        db.document(&open.id, &open.documents[0].id).await.unwrap().unwrap().1.is_some(),
        "open requests keep theirs"
    );
    assert_eq!(db.purge_documents(NOW.plus_secs(50), later).await.unwrap(), 0, "once");
}
