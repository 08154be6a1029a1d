//! Support requests for 2FA resets on both databases: a request is stored whole with its
//! documents or not at all; one filed signed out waits for its requester's mailbox, and only a
//! proved requester who may manage the person gets an approval; closing it happens once, with
//! its effects in the same transaction; documents of closed requests are purged after
//! retention, their record kept.

use crate::support::signin::{audits, owner, with_authenticator};
use crate::support::NOW;
use gatehouse_core::crypto::{DocumentKey, SecretKey};
use gatehouse_core::model::User;
use gatehouse_core::model::{AuditEvent, AuditKind, SessionRecord};
use gatehouse_core::signin::{self, setup_link, Client, FirstStep, Mailbox, SecondStep, SignInError};
use gatehouse_core::store::{
    Authenticators, Maintenance, RecoveryCodes, SessionRecords, StoreError, SupportRequests, Throttles,
};
use gatehouse_core::support::service::{self, ConfirmError, DecideError, Filed, Form, SubmitError, Upload, Verdict};
use gatehouse_core::support::upload::FileType;
use gatehouse_core::support::{ApprovalProblem, Verification, CONFIRM_TTL_SECS};
use gatehouse_core::support::{Area, Decision, DocumentKind, NewDocument, NewRequest, Reference, Status};
use gatehouse_core::{admin, Role};
use gatehouse_core::{Email, Id, Timestamp};
use gatehouse_storage::Db;

conformance!(
    a_request_is_stored_with_its_documents_and_listed_newest_first,
    a_request_that_fails_half_way_leaves_nothing,
    approval_removes_the_authenticator_and_recovery_codes_and_ends_every_session_once,
    rejection_keeps_the_reason_and_the_authenticator,
    documents_of_closed_requests_are_purged_after_retention_and_their_record_kept,
    filing_seals_the_documents_answers_alike_and_counts_per_address_never_per_email_typed,
    a_request_filed_signed_out_waits_for_its_requesters_mailbox_and_goes_if_never_confirmed,
    a_signed_in_requester_asks_only_for_resets_the_users_page_allows,
    only_a_proved_owner_or_co_owner_who_may_manage_the_person_gets_an_approval_and_it_resets_once,
    after_a_reset_setup_needs_the_password_and_the_mailed_link_and_old_codes_are_gone,
    the_users_page_lists_the_account_with_2fa_state_and_last_sign_in,
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
        confirmation: None,
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

async fn approval_removes_the_authenticator_and_recovery_codes_and_ends_every_session_once(db: &Db) {
    let key = gatehouse_core::crypto::SecretKey::generate();
    let target = owner(db, "user@acme.example.com").await;
    with_authenticator(db, &key, &target).await;
    signin::recovery::issue(db, &key, &target, &Client::default(), NOW).await.unwrap();
    for id in ["s1", "s2"] {
        let s = SessionRecord {
            id: id.into(),
            user_id: Some(target.id.clone()),
            data: b"{}".to_vec(),
            expires_at: NOW.plus_secs(3600),
            last_seen_at: NOW,
            facts: None,
            generation: None,
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
    assert_eq!(db.recovery_codes_left(&target.id).await.unwrap(), 0, "a reset is a fresh start: the codes go too");
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

fn form(requester: &str, account: &str, target: &str) -> Form {
    Form {
        area: "Account".into(),
        requester_email: requester.into(),
        account_name: account.into(),
        subject: "Reset 2FA".into(),
        description: format!("Please reset 2FA for {target}."),
        target_email: target.into(),
        owner_self: requester == target,
    }
}

fn client() -> Client {
    Client::new("198.51.100.4".parse().unwrap())
}

fn from(address: &str) -> Client {
    Client::new(address.parse().unwrap())
}

/// An account with an owner, a co-owner and a user, each with an authenticator.
async fn account(db: &Db, key: &SecretKey) -> [User; 3] {
    use gatehouse_core::store::Invitations;
    let owner = owner(db, "owner@acme.example.com").await;
    let account = "Acme owner@acme.example.com";
    let mut people = vec![owner];
    for (email, role) in [("co@acme.example.com", Role::CoOwner), ("user@acme.example.com", Role::User)] {
        let issued = admin::invite(db, account, email, role, None, NOW).await.unwrap();
        db.accept_invitation(&issued.token.hash(), "$argon2id$stored", NOW).await.unwrap().unwrap();
        people.push(User { has_password: true, ..issued.user });
    }
    for p in &people {
        with_authenticator(db, key, p).await;
    }
    people.try_into().unwrap()
}

async fn agent(db: &Db) -> User {
    admin::create_support_agent(db, "sam@support.example.com", NOW).await.unwrap().user
}

/// Files as the form does: fields and counting first, then the files, then storing.
async fn file_as(
    db: &Db,
    key: &DocumentKey,
    form: Form,
    uploads: Vec<Upload>,
    requester: Option<&User>,
    client: &Client,
) -> Result<Filed, SubmitError> {
    let admitted = service::admit(db, form, requester, client, NOW).await?;
    let checked = match service::check_uploads(uploads, admitted.owner_self()) {
        Ok(checked) => checked,
        Err(e) => {
            admitted.refused(db, NOW).await.unwrap();
            return Err(e);
        }
    };
    service::submit(db, key, admitted, checked, client, NOW).await
}

/// Signed out, from the test's client address.
async fn file(db: &Db, key: &DocumentKey, form: Form, uploads: Vec<Upload>) -> Result<Filed, SubmitError> {
    file_as(db, key, form, uploads, None, &client()).await
}

/// Filed signed out and confirmed from the requester's mailbox: in the queue, proved.
async fn confirmed(db: &Db, key: &DocumentKey, form: Form) -> NewRequest {
    let filed = file(db, key, form, vec![]).await.unwrap();
    db.clear_throttles(&["support-address:198.51.100.4"]).await.unwrap();
    service::confirm(db, filed.confirm.unwrap().reveal(), &client(), NOW).await.unwrap();
    filed.request
}

fn pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let object = pdf.len();
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 2\n0000000000 65535 f \n{object:010} 00000 n \n").as_bytes());
    pdf.extend_from_slice(format!("trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    pdf
}

fn document_key() -> DocumentKey {
    DocumentKey::derive(&SecretKey::generate())
}

async fn filing_seals_the_documents_answers_alike_and_counts_per_address_never_per_email_typed(db: &Db) {
    let key = document_key();
    let upload = Upload { kind: DocumentKind::Attachment, name: "note.pdf".into(), bytes: pdf() };
    let filed =
        file(db, &key, form("co@acme.example.com", "Acme", "user@acme.example.com"), vec![upload]).await.unwrap();
    let doc = &filed.request.documents[0];
    let (_, sealed) = db.document(&filed.request.id, &doc.id).await.unwrap().unwrap();
    assert!(!sealed.unwrap().windows(8).any(|w| w == b"%PDF-1.4"), "stored sealed");
    let (info, bytes) = service::open_document(db, &key, &filed.request.id, &doc.id).await.unwrap();
    assert_eq!((info.display_name.as_str(), bytes), ("note.pdf", pdf()));

    // Nobody of that name, no such account: the same answer, a reference and a link to mail.
    let made_up = file(db, &key, form("nobody@nowhere.example", "No such Ltd", "ghost@nowhere.example"), vec![]).await;
    let made_up = made_up.unwrap();
    assert!(made_up.request.reference.0.starts_with("GH-") && made_up.confirm.is_some());

    // An owner's own reset: the person to reset is the requester, typed once.
    let mut own = form("solo@own.example", "Solo", "");
    own.owner_self = true;
    let proof = DocumentKind::OWNER_PROOF.map(|kind| Upload { kind, name: "proof.pdf".into(), bytes: pdf() });
    let own = file(db, &key, own, proof.to_vec()).await.unwrap();
    assert_eq!((own.request.target_email.as_str(), own.request.documents.len()), ("solo@own.example", 3));

    // Refused files count too: they cost the checks.
    let refused = file(db, &key, form("owner@acme.example.com", "Acme", "owner@acme.example.com"), vec![]).await;
    assert!(matches!(refused, Err(SubmitError::MissingOwnerDocuments(_))), "{refused:?}");
    // Ten filings from one address, then a wait, whatever address is typed.
    for i in 0..6 {
        file(db, &key, form(&format!("p{i}@x.example"), "Acme", "user@acme.example.com"), vec![]).await.unwrap();
    }
    let eleventh = file(db, &key, form("someone@x.example", "Acme", "user@acme.example.com"), vec![]).await;
    assert!(matches!(eleventh, Err(SubmitError::Blocked(_))), "{eleventh:?}");
    // The victim's own address, typed from elsewhere, is not held back by the strangers.
    let real = file_as(
        db,
        &key,
        form("co@acme.example.com", "Acme", "user@acme.example.com"),
        vec![],
        None,
        &from("203.0.113.8"),
    )
    .await;
    assert!(real.is_ok(), "{real:?}");
    let awaiting = db.support_requests(None, 100).await.unwrap();
    assert!(awaiting.is_empty(), "nothing filed signed out is listed before it is confirmed: {awaiting:?}");
}

async fn a_request_filed_signed_out_waits_for_its_requesters_mailbox_and_goes_if_never_confirmed(db: &Db) {
    let key = document_key();
    let upload = Upload { kind: DocumentKind::Attachment, name: "note.pdf".into(), bytes: pdf() };
    let filed = file(db, &key, form("co@acme.example.com", "Acme", "user@acme.example.com"), vec![upload.clone()])
        .await
        .unwrap();
    let token = filed.confirm.expect("a link to mail");
    assert!(db.support_request(&filed.request.id).await.unwrap().is_none(), "not for agents yet");
    let shown = service::awaiting(db, token.reveal(), NOW).await.unwrap();
    assert_eq!((shown.reference, shown.verification), (filed.request.reference.clone(), Verification::Awaiting));
    let wrong = service::confirm(db, "x".repeat(43).as_str(), &client(), NOW).await;
    assert!(matches!(wrong, Err(ConfirmError::Invalid)), "{wrong:?}");

    let confirmed = service::confirm(db, token.reveal(), &client(), NOW.plus_secs(60)).await.unwrap();
    assert_eq!(confirmed.verification, Verification::Mailbox);
    let listed = db.support_request(&filed.request.id).await.unwrap().unwrap();
    assert_eq!((listed.verification, listed.verified_at), (Verification::Mailbox, Some(NOW.plus_secs(60))));
    assert_eq!(db.support_requests(Some(Status::New), 10).await.unwrap().len(), 1);
    let twice = service::confirm(db, token.reveal(), &client(), NOW.plus_secs(61)).await;
    assert!(matches!(twice, Err(ConfirmError::Invalid)), "single use: {twice:?}");
    assert_eq!(audits(db, None, "support.confirmed", &filed.request.reference.0).await, 1);

    // Never confirmed: the link expires, and the request goes with its documents.
    let ignored =
        file(db, &key, form("ann@acme.example.com", "Acme", "user@acme.example.com"), vec![upload]).await.unwrap();
    let late = NOW.plus_secs(CONFIRM_TTL_SECS);
    let expired = service::confirm(db, ignored.confirm.unwrap().reveal(), &client(), late).await;
    assert!(matches!(expired, Err(ConfirmError::Invalid)), "{expired:?}");
    let purged = db.purge_expired(late, Timestamp(0), 0).await.unwrap();
    assert_eq!(purged.unconfirmed_requests, 1);
    let doc = &ignored.request.documents[0];
    assert!(db.document(&ignored.request.id, &doc.id).await.unwrap().is_none(), "its documents went too");
    assert!(db.support_request(&filed.request.id).await.unwrap().is_some(), "the confirmed one stays");

    // Five confirmations per mailbox, then a wait: counted only when its owner confirms.
    for _ in 0..4 {
        db.clear_throttles(&["support-address:198.51.100.4"]).await.unwrap();
        let f = file(db, &key, form("co@acme.example.com", "Acme", "user@acme.example.com"), vec![]).await.unwrap();
        service::confirm(db, f.confirm.unwrap().reveal(), &client(), NOW).await.unwrap();
    }
    db.clear_throttles(&["support-address:198.51.100.4"]).await.unwrap();
    let f = file(db, &key, form("co@acme.example.com", "Acme", "user@acme.example.com"), vec![]).await.unwrap();
    let sixth = service::confirm(db, f.confirm.unwrap().reveal(), &client(), NOW).await;
    assert!(matches!(sixth, Err(ConfirmError::Blocked(_))), "{sixth:?}");
}

async fn a_signed_in_requester_asks_only_for_resets_the_users_page_allows(db: &Db) {
    let secret = SecretKey::generate();
    let key = DocumentKey::derive(&secret);
    let [owner, co, user] = account(db, &secret).await;
    let stranger = crate::support::signin::owner(db, "else@other.example.com").await;
    let key = &key;
    let ask = |who: &User, target: &str, owner_self: bool| {
        let mut f = form("typed@anything.example", "Some other name", target);
        f.owner_self = owner_self;
        let who = who.clone();
        async move { file_as(db, key, f, vec![], Some(&who), &from("192.0.2.50")).await }
    };
    let filed = ask(&co, user.email.as_str(), false).await.unwrap();
    assert!(filed.confirm.is_none(), "signed in: proved already");
    let stored = db.support_request(&filed.request.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.verification, stored.requester_email.as_str(), stored.requester_id.as_ref()),
        (Verification::SignedIn, "co@acme.example.com", Some(&co.id)),
        "the signed-in person is the requester, whatever was typed"
    );
    assert_eq!(stored.account_name, "Acme owner@acme.example.com", "and their account is the account");
    for (who, target) in [(&co, owner.email.as_str()), (&user, co.email.as_str()), (&co, co.email.as_str())] {
        let refused = ask(who, target, false).await;
        assert!(matches!(refused, Err(SubmitError::NotYours(_))), "{} for {target}: {refused:?}", who.email);
    }
    let elsewhere = ask(&owner, stranger.email.as_str(), false).await;
    assert!(matches!(elsewhere, Err(SubmitError::NotYours("error-support-not-in-your-account"))));
    let own_without_tick = ask(&owner, owner.email.as_str(), false).await;
    assert!(matches!(own_without_tick, Err(SubmitError::NotYours(_))), "{own_without_tick:?}");
    let sam = agent(db).await;
    assert!(matches!(ask(&sam, user.email.as_str(), false).await, Err(SubmitError::NotYours(_))));
}

async fn only_a_proved_owner_or_co_owner_who_may_manage_the_person_gets_an_approval_and_it_resets_once(db: &Db) {
    let secret = SecretKey::generate();
    let key = DocumentKey::derive(&secret);
    let [owner, co, user] = account(db, &secret).await;
    let sam = agent(db).await;
    let account = "acme OWNER@acme.example.com ";
    let agent = &sam;
    let approve = |id: Id| async move { service::decide(db, agent, &id, Verdict::Approve, &client(), NOW).await };

    // A typed address that nobody confirmed never reaches an agent.
    let typed = file(db, &key, form(owner.email.as_str(), account, user.email.as_str()), vec![]).await.unwrap();
    assert!(matches!(approve(typed.request.id.clone()).await, Err(DecideError::NotFound)));
    // Filed before requesters were verified: refused, whatever it names.
    let mut legacy = request(user.email.as_str(), 0, vec![]);
    legacy.requester_email = owner.email.clone();
    legacy.account_name = account.into();
    db.insert_request(&legacy).await.unwrap();
    db.execute_raw(&format!("UPDATE support_requests SET verified = 'unverified' WHERE id = '{}'", legacy.id))
        .await
        .unwrap();
    let refused = approve(legacy.id.clone()).await;
    assert!(matches!(refused, Err(DecideError::Refused(ApprovalProblem::NotVerified))), "{refused:?}");

    // A plain user, proved: not an owner or co-owner.
    let by_user = confirmed(db, &key, form(user.email.as_str(), account, co.email.as_str())).await;
    let refused = approve(by_user.id.clone()).await;
    assert!(matches!(refused, Err(DecideError::Refused(ApprovalProblem::NotOwnerOrCoOwner))), "{refused:?}");
    // A co-owner, proved, for the owner or for themselves: the Users page forbids it.
    for target in [&co, &owner] {
        let asked = Form { owner_self: false, ..form(co.email.as_str(), account, target.email.as_str()) };
        let by_co = confirmed(db, &key, asked).await;
        let refused = approve(by_co.id.clone()).await;
        assert!(matches!(refused, Err(DecideError::Refused(ApprovalProblem::MayNotManage))), "{refused:?}");
    }
    assert!(db.totp_secret(&co.id).await.unwrap().is_some() && db.totp_secret(&owner.id).await.unwrap().is_some());

    // The owner's own reset without the documents (filed around the form's check).
    let mut bare = request(owner.email.as_str(), 0, vec![]);
    bare.requester_email = owner.email.clone();
    bare.requester_id = Some(owner.id.clone());
    bare.account_name = account.into();
    bare.owner_self = true;
    db.insert_request(&bare).await.unwrap();
    let missing = approve(bare.id.clone()).await;
    assert!(
        matches!(missing, Err(DecideError::Refused(ApprovalProblem::MissingDocuments(ref k))) if k.len() == 3),
        "{missing:?}"
    );

    // Signed in as co-owner when filing, demoted since: checked again at approval.
    let filed = file_as(db, &key, form("", account, user.email.as_str()), vec![], Some(&co), &client()).await.unwrap();
    gatehouse_core::members::change_role(db, &owner, co.email.as_str(), Role::User, NOW).await.unwrap();
    let demoted = approve(filed.request.id.clone()).await;
    assert!(matches!(demoted, Err(DecideError::Refused(ApprovalProblem::NotOwnerOrCoOwner))), "{demoted:?}");
    gatehouse_core::members::change_role(db, &owner, co.email.as_str(), Role::CoOwner, NOW).await.unwrap();

    // Someone who is not an agent never decides.
    let by_co = confirmed(db, &key, form(co.email.as_str(), account, user.email.as_str())).await;
    let not_agent = service::decide(db, &owner, &by_co.id, Verdict::Approve, &client(), NOW).await;
    assert!(matches!(not_agent, Err(DecideError::NotAgent)), "{not_agent:?}");

    let decided = approve(by_co.id.clone()).await.unwrap();
    assert_eq!(decided.request.status, Status::Approved);
    assert_eq!(decided.reset.map(|u| u.id), Some(user.id.clone()));
    assert!(db.totp_secret(&user.id).await.unwrap().is_none(), "the authenticator is gone");
    let again = service::decide(db, &sam, &by_co.id, Verdict::Reject { reason: "twice".into() }, &client(), NOW).await;
    assert!(matches!(again, Err(DecideError::Closed("approved"))), "{again:?}");
    let no_reason =
        service::decide(db, &sam, &by_user.id, Verdict::Reject { reason: "  ".into() }, &client(), NOW).await;
    assert!(matches!(no_reason, Err(DecideError::NoReason)));
}

async fn after_a_reset_setup_needs_the_password_and_the_mailed_link_and_old_codes_are_gone(db: &Db) {
    let secret = SecretKey::generate();
    let key = DocumentKey::derive(&secret);
    let [_, co, user] = account(db, &secret).await;
    let old = gatehouse_core::totp::TotpSecret::from_bytes(
        secret.open(&db.totp_secret(&user.id).await.unwrap().unwrap(), user.id.as_str().as_bytes()).unwrap(),
    );
    let filed = confirmed(db, &key, form(co.email.as_str(), "Acme owner@acme.example.com", user.email.as_str())).await;
    service::decide(db, &agent(db).await, &filed.id, Verdict::Approve, &client(), NOW).await.unwrap();

    // Whoever knows only the password gets no setup.
    let alone = signin::after_first_step(db, &user, FirstStep::Password, Mailbox::Unproved, NOW).await;
    assert!(matches!(alone, Err(SignInError::SetupNeedsMailbox)), "{alone:?}");
    let link = setup_link::issue(db, &user, setup_link::Because::Reset, &client(), NOW).await.unwrap().unwrap();
    let next =
        signin::after_first_step(db, &user, FirstStep::Password, Mailbox::SetupLink(&link.hash()), NOW).await.unwrap();
    assert_eq!(next.second, SecondStep::Setup, "the password and the mailed link together");
    let step = NOW.0 as u64 / 30;
    let stale =
        signin::verify_code(db, &secret, &PendingSignInFor::code(&user), &old.code_at_step(step), &client(), NOW).await;
    assert!(matches!(stale, Err(SignInError::NoAuthenticator)), "{stale:?}");
    let (_, new) = signin::setup_secret(db, &secret, &next, NOW).await.unwrap();
    assert_ne!(new, old, "a new secret");
    signin::confirm_setup(db, &secret, &next, &new.code_at_step(step), &client(), NOW).await.unwrap();
    let later =
        signin::verify_code(db, &secret, &PendingSignInFor::code(&user), &old.code_at_step(step + 1), &client(), NOW)
            .await;
    assert!(matches!(later, Err(SignInError::WrongCode)), "the old secret's codes never work again: {later:?}");
}

/// A pending code step for a user, as after their password.
struct PendingSignInFor;

impl PendingSignInFor {
    fn code(user: &gatehouse_core::model::User) -> gatehouse_core::signin::PendingSignIn {
        gatehouse_core::signin::PendingSignIn {
            id: Id::random(),
            user_id: user.id.clone(),
            first: gatehouse_core::signin::FirstStep::Password,
            second: gatehouse_core::signin::SecondStep::Code,
            since: NOW,
        }
    }
}

async fn the_users_page_lists_the_account_with_2fa_state_and_last_sign_in(db: &Db) {
    use gatehouse_core::store::{AuditLog, Directory};
    let secret = SecretKey::generate();
    let [owner, co, user] = account(db, &secret).await;
    let other = crate::support::signin::owner(db, "else@other.example.com").await;
    db.remove_totp(&user.id).await.unwrap();
    let signed_in = |u: &gatehouse_core::model::User| AuditEvent {
        kind: AuditKind::SignInSucceeded,
        account_id: u.account_id.clone(),
        user_id: Some(u.id.clone()),
        actor_id: Some(u.id.clone()),
        client_ip: None,
        detail: String::new(),
    };
    db.record(NOW, &signed_in(&co)).await.unwrap();
    db.record(NOW.plus_secs(60), &signed_in(&co)).await.unwrap();
    db.record(NOW.plus_secs(90), &signed_in(&other)).await.unwrap();

    let members = db.account_members(owner.account_id.as_ref().unwrap()).await.unwrap();
    let rows: Vec<_> =
        members.iter().map(|m| (m.user.email.as_str(), m.user.role, m.has_authenticator, m.last_sign_in)).collect();
    assert_eq!(
        rows,
        [
            ("owner@acme.example.com", Role::Owner, true, None),
            ("co@acme.example.com", Role::CoOwner, true, Some(NOW.plus_secs(60))),
            ("user@acme.example.com", Role::User, false, None),
        ],
        "owner first, only this account, the latest sign-in"
    );
    assert!(members.iter().all(|m| m.passkeys == 0));
}
