//! The flow of a support request: filing it (fields checked and the filing counted per
//! client address before any file is read; files checked; sealed; stored whole), its
//! confirmation from the requester's mailbox when filed signed out, what the system knows
//! about it, an agent's decision with its effects, the documents for agents, and retention.

use super::upload::{self, FileProblem, FileType, MAX_FILES, MAX_REQUEST_BYTES};
use super::{
    approval_problem, ApprovalProblem, Area, Confirmation, Decision, DocumentInfo, DocumentKind, Facts, NewDocument,
    NewRequest, Reference, Subject, SupportRequest, Verification, CONFIRM_TTL_SECS,
};
use crate::crypto::DocumentKey;
use crate::members::may_manage;
use crate::model::{AuditEvent, AuditKind, User};
use crate::role::Role;
use crate::signin::{audit, Client};
use crate::store::{AuditLog, Authenticators, Conflict, Directory, StoreError, SupportRequests, Throttles};
use crate::throttle::{self, Blocked, Key, ThrottleError};
use crate::token::Token;
use crate::{Email, Id, Timestamp};
use gatehouse_l10n::say;

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub area: String,
    pub requester_email: String,
    pub account_name: String,
    pub subject: String,
    pub description: String,
    pub target_email: String,
    /// The account owner asking for their own reset.
    pub owner_self: bool,
}

/// A file as it came through a drop zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub kind: DocumentKind,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file that passed [`check_uploads`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    kind: DocumentKind,
    display_name: String,
    file_type: FileType,
    bytes: Vec<u8>,
}

pub const TEXT_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const REASON_MAX_CHARS: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// A field, in words for the person filling the form.
    #[error("{0}")]
    Invalid(String),
    #[error("{}", say("error-support-file-refused", &[("name", name.into()), ("problem", problem.to_string().into())]))]
    File { name: String, problem: FileProblem },
    #[error("{}", say("error-support-too-many-files", &[("max", MAX_FILES.into())]))]
    TooManyFiles,
    #[error("{}", say("error-support-files-too-large", &[]))]
    TooLarge,
    #[error("{}", say("error-support-owner-documents-missing", &[("documents", DocumentKind::labels(.0).into()), ("count", .0.len().into())]))]
    MissingOwnerDocuments(Vec<DocumentKind>),
    /// A signed-in requester asking for a reset the Users page would not let them ask for: the
    /// id of the message that says why.
    #[error("{}", say(.0, &[]))]
    NotYours(&'static str),
    #[error("{}", say("error-support-blocked", &throttle::wait_args(.0.wait_secs)))]
    Blocked(Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ThrottleError> for SubmitError {
    fn from(e: ThrottleError) -> Self {
        match e {
            ThrottleError::Blocked(b) => SubmitError::Blocked(b),
            ThrottleError::Store(s) => SubmitError::Store(s),
        }
    }
}

/// `value` trimmed, or the field's message (`missing`, an id) when it is empty or too long.
fn text(value: &str, max: usize, missing: &str) -> Result<String, SubmitError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SubmitError::Invalid(say(missing, &[])));
    }
    if value.chars().count() > max {
        let args = [("field", say(missing, &[]).into()), ("max", max.into())];
        return Err(SubmitError::Invalid(say("error-support-field-too-long", &args)));
    }
    Ok(value.to_owned())
}

/// Checks the files: each by [`upload::check`] (naming the file when refused), their count and
/// total size, and for an owner's own reset the three documents. Decodes images: run it off
/// the async runtime.
pub fn check_uploads(uploads: Vec<Upload>, owner_self: bool) -> Result<Vec<Checked>, SubmitError> {
    if uploads.len() > MAX_FILES {
        return Err(SubmitError::TooManyFiles);
    }
    if uploads.iter().map(|u| u.bytes.len()).sum::<usize>() > MAX_REQUEST_BYTES {
        return Err(SubmitError::TooLarge);
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for u in uploads {
        let file_type = upload::check(&u.name, &u.bytes)
            .map_err(|problem| SubmitError::File { name: upload::display_name(&u.name, None), problem })?;
        checked.push(Checked {
            kind: u.kind,
            display_name: upload::display_name(&u.name, Some(file_type)),
            file_type,
            bytes: u.bytes,
        });
    }
    if owner_self {
        let missing: Vec<_> =
            DocumentKind::OWNER_PROOF.into_iter().filter(|k| !checked.iter().any(|c| c.kind == *k)).collect();
        if !missing.is_empty() {
            return Err(SubmitError::MissingOwnerDocuments(missing));
        }
    }
    Ok(checked)
}

/// A form whose fields passed, with its requester: let in to send its files, and counted.
#[derive(Debug)]
pub struct Admitted {
    area: Area,
    requester_email: Email,
    requester_id: Option<Id>,
    account_name: String,
    subject: String,
    description: String,
    target_email: Email,
    owner_self: bool,
    keys: Vec<Key>,
}

impl Admitted {
    pub fn owner_self(&self) -> bool {
        self.owner_self
    }

    /// Its files were refused (or never came): the filing still counts, it cost the checks.
    pub async fn refused<S: Throttles + ?Sized>(self, store: &S, now: Timestamp) -> Result<(), StoreError> {
        throttle::fail(store, &self.keys, now).await.map(drop)
    }

    /// Nothing of it was read (the server was too busy to take its files): not counted.
    pub async fn given_back<S: Throttles + ?Sized>(self, store: &S) -> Result<(), StoreError> {
        throttle::release(store, &self.keys).await
    }
}

/// Checks the form's fields, and for a signed-in `requester` (who is then the requester,
/// whatever was typed) that they may ask for this reset; then reserves one filing on the
/// client address's counter (and the person's). Called before any file is read, so a form
/// that is refused, or sent too often, costs no decoding.
pub async fn admit<S>(
    store: &S,
    form: Form,
    requester: Option<&User>,
    client: &Client,
    now: Timestamp,
) -> Result<Admitted, SubmitError>
where
    S: Directory + Throttles + ?Sized,
{
    let area =
        Area::parse(form.area.trim()).ok_or_else(|| SubmitError::Invalid(say("error-support-choose-area", &[])))?;
    let requester_email = match requester {
        Some(user) => user.email.clone(),
        None => Email::parse(form.requester_email.trim())
            .map_err(|_| SubmitError::Invalid(say("error-support-requester-email", &[])))?,
    };
    let mut account_name = text(&form.account_name, TEXT_MAX_CHARS, "error-support-account-name")?;
    let subject = text(&form.subject, TEXT_MAX_CHARS, "error-support-subject")?;
    let description = text(&form.description, DESCRIPTION_MAX_CHARS, "error-support-description")?;
    // An owner asking for their own reset need not type their address twice.
    let target_email = if form.owner_self && form.target_email.trim().is_empty() {
        requester_email.clone()
    } else {
        Email::parse(form.target_email.trim())
            .map_err(|_| SubmitError::Invalid(say("error-support-target-email", &[])))?
    };
    if form.owner_self && target_email != requester_email {
        return Err(SubmitError::Invalid(say("error-support-own-reset-own-address", &[])));
    }
    if let Some(user) = requester {
        account_name = may_ask(store, user, &target_email, form.owner_self).await?;
    }
    let requester_id = requester.map(|u| u.id.clone());
    let keys = throttle::support_keys(client.throttle_address().as_deref(), requester_id.as_ref().map(Id::as_str));
    throttle::reserve(store, &keys, now).await?;
    Ok(Admitted {
        area,
        requester_email,
        requester_id,
        account_name,
        subject,
        description,
        target_email,
        owner_self: form.owner_self,
        keys,
    })
}

/// Whether a signed-in person may ask for this reset: the Users page's rule, on people of their
/// own account (so nothing is learnt about anyone else). The name of their account, which the
/// request then carries, whatever was typed.
async fn may_ask<S: Directory + ?Sized>(
    store: &S,
    user: &User,
    target: &Email,
    owner_self: bool,
) -> Result<String, SubmitError> {
    const ASK_AN_OWNER: &str = "error-support-ask-an-owner";
    let account = match &user.account_id {
        Some(id) if user.role.manages_account() => store.account_by_id(id).await?,
        _ => None,
    };
    let account = account.ok_or(SubmitError::NotYours(ASK_AN_OWNER))?;
    let person = store.member_by_email(&account.id, target).await?;
    let person = person.ok_or(SubmitError::NotYours("error-support-not-in-your-account"))?;
    if person.id == user.id {
        return match (user.role, owner_self) {
            (Role::Owner, true) => Ok(account.name),
            (Role::Owner, false) => Err(SubmitError::NotYours("error-support-own-reset-tick")),
            _ => Err(SubmitError::NotYours("error-support-owner-asks-for-you")),
        };
    }
    if owner_self {
        return Err(SubmitError::NotYours("error-support-own-reset-owner-only"));
    }
    if !may_manage(user.role, person.role) {
        return Err(SubmitError::NotYours("error-support-co-owners-ask-for-users"));
    }
    Ok(account.name)
}

/// A request as filed, and for one filed signed out the token of the link that confirms it
/// (to mail to the requester's address).
#[derive(Debug)]
pub struct Filed {
    pub request: NewRequest,
    pub confirm: Option<Token>,
}

/// Files an admitted request with its checked files. Every accepted submission answers the
/// same way whether or not the emails and the account exist: the form must not tell anyone
/// who has an account. Signed out, the request waits for its requester's confirmation.
pub async fn submit<S>(
    store: &S,
    key: &DocumentKey,
    admitted: Admitted,
    files: Vec<Checked>,
    client: &Client,
    now: Timestamp,
) -> Result<Filed, SubmitError>
where
    S: SupportRequests + Throttles + AuditLog + ?Sized,
{
    let confirm = admitted.requester_id.is_none().then(Token::generate);
    let confirmation =
        confirm.as_ref().map(|t| Confirmation { hash: t.hash(), expires_at: now.plus_secs(CONFIRM_TTL_SECS) });
    let Admitted { area, requester_email, requester_id, account_name, subject, description, target_email, .. } =
        &admitted;
    let mut request = NewRequest {
        id: Id::random(),
        reference: Reference::generate(),
        area: *area,
        requester_email: requester_email.clone(),
        requester_id: requester_id.clone(),
        account_name: account_name.clone(),
        subject: subject.clone(),
        description: description.clone(),
        target_email: target_email.clone(),
        owner_self: admitted.owner_self,
        created_at: now,
        client_ip: client.audit_address(),
        documents: files
            .into_iter()
            .map(|f| {
                let id = Id::random();
                NewDocument {
                    sealed: key.seal(&f.bytes, id.as_str().as_bytes()),
                    id,
                    kind: f.kind,
                    display_name: f.display_name,
                    file_type: f.file_type,
                    size: f.bytes.len() as i64,
                }
            })
            .collect(),
        confirmation,
    };
    let mut stored = store.insert_request(&request).await;
    for _ in 0..3 {
        if !matches!(stored, Err(StoreError::Conflict(Conflict::Other))) {
            break;
        }
        request.reference = Reference::generate();
        stored = store.insert_request(&request).await;
    }
    if let Err(e) = stored {
        throttle::release(store, &admitted.keys).await?;
        return Err(e.into());
    }
    // An accepted request counts against the address (and the person): the form is public.
    throttle::fail(store, &admitted.keys, now).await?;
    let how = if request.requester_id.is_some() { "signed in" } else { "awaiting confirmation from that mailbox" };
    let detail = format!(
        "{} ({}): reset for {} asked by {} ({how}), {} document{}",
        request.reference.0,
        area.as_str(),
        request.target_email,
        request.requester_email,
        request.documents.len(),
        if request.documents.len() == 1 { "" } else { "s" }
    );
    audit(store, now, AuditKind::SupportRequested, None, client, detail).await?;
    Ok(Filed { request, confirm })
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// Unknown, used, or expired: one answer, since the token is the credential.
    #[error("{}", say("error-support-confirm-link-invalid", &[]))]
    Invalid,
    #[error("{}", say("error-support-confirm-blocked", &throttle::wait_args(.0.wait_secs)))]
    Blocked(Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ThrottleError> for ConfirmError {
    fn from(e: ThrottleError) -> Self {
        match e {
            ThrottleError::Blocked(b) => ConfirmError::Blocked(b),
            ThrottleError::Store(s) => ConfirmError::Store(s),
        }
    }
}

/// The request a confirmation link is for, while it waits.
pub async fn awaiting<S: SupportRequests + ?Sized>(
    store: &S,
    token: &str,
    now: Timestamp,
) -> Result<SupportRequest, ConfirmError> {
    let token = Token::from_link(token.trim()).ok_or(ConfirmError::Invalid)?;
    store.awaiting_request(&token.hash(), now).await?.ok_or(ConfirmError::Invalid)
}

/// The requester confirms from their mailbox: the request enters the queue, verified, once.
/// Counted against that mailbox, which only its owner can use up.
pub async fn confirm<S>(store: &S, token: &str, client: &Client, now: Timestamp) -> Result<SupportRequest, ConfirmError>
where
    S: SupportRequests + Throttles + AuditLog + ?Sized,
{
    let request = awaiting(store, token, now).await?;
    let hash = Token::from_link(token.trim()).ok_or(ConfirmError::Invalid)?.hash();
    let keys = throttle::support_mailbox_keys(request.requester_email.as_str());
    throttle::reserve(store, &keys, now).await?;
    if !store.confirm_request(&hash, now).await? {
        // Confirmed (or expired) in between: the other confirmation stands.
        throttle::release(store, &keys).await?;
        return Err(ConfirmError::Invalid);
    }
    throttle::fail(store, &keys, now).await?;
    let detail = format!("{} confirmed from {}", request.reference.0, request.requester_email);
    audit(store, now, AuditKind::SupportConfirmed, None, client, detail).await?;
    Ok(SupportRequest { verification: Verification::Mailbox, verified_at: Some(now), ..request })
}

/// What the system knows: the account named on the form, the proved requester's and the
/// target's roles in it (people of other accounts do not count, nor does a typed address),
/// and whether the target has an authenticator.
pub async fn facts<S: Directory + Authenticators + ?Sized>(
    store: &S,
    request: &SupportRequest,
) -> Result<Facts, StoreError> {
    let account = store.account_by_name(&request.account_name).await?.map(|a| a.id);
    let in_account = |user: Option<User>| user.filter(|u| account.is_some() && u.account_id == account);
    let member = |email: &Email| {
        let account = account.clone();
        let email = email.clone();
        async move {
            match account {
                Some(account) => store.member_by_email(&account, &email).await,
                None => Ok(None),
            }
        }
    };
    let requester = match (request.verification, &request.requester_id) {
        // As they are now: a demotion since filing counts.
        (Verification::SignedIn, Some(id)) => in_account(store.user_by_id(id).await?),
        // Only someone who joined has a mailbox that was proved to be theirs.
        (Verification::Mailbox, _) => member(&request.requester_email).await?.filter(|u| u.joined),
        _ => None,
    };
    let target = member(&request.target_email).await?;
    let target_has_authenticator = match &target {
        Some(t) => store.totp_secret(&t.id).await?.is_some(),
        None => false,
    };
    Ok(Facts {
        account,
        verification: request.verification,
        requester_is_target: matches!((&requester, &target), (Some(r), Some(t)) if r.id == t.id),
        requester_role: requester.map(|u| u.role),
        target_id: target.as_ref().map(|u| u.id.clone()),
        target_role: target.map(|u| u.role),
        target_has_authenticator,
    })
}

/// What an agent decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject { reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("{}", say("error-support-not-agent", &[]))]
    NotAgent,
    #[error("{}", say("error-support-no-such-request", &[]))]
    NotFound,
    #[error(transparent)]
    Refused(#[from] ApprovalProblem),
    #[error("{}", say("error-support-no-reason", &[("max", REASON_MAX_CHARS.into())]))]
    NoReason,
    /// The request's status (`approved`, `rejected`), as [`super::Status::as_str`] says it.
    #[error("{}", say("error-support-already-closed", &[("state", (*.0).into())]))]
    Closed(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The decided request, and on approval the person whose 2FA was reset (to mail them).
#[derive(Clone, Debug)]
pub struct Decided {
    pub request: SupportRequest,
    pub reset: Option<User>,
}

fn event(kind: AuditKind, user: Option<&User>, agent: &User, client: &Client, detail: String) -> AuditEvent {
    let mut e = AuditEvent::new(kind);
    e.user_id = user.map(|u| u.id.clone());
    e.account_id = user.and_then(|u| u.account_id.clone());
    e.actor_id = Some(agent.id.clone());
    e.client_ip = client.audit_address();
    e.detail = detail;
    e
}

/// An agent's decision. An approval must pass [`approval_problem`] on what the system knows
/// now; its effects (the target's authenticator removed, their sessions ended) and the audit
/// entries are written in one transaction with the closing, which happens once.
pub async fn decide<S>(
    store: &S,
    agent: &User,
    request_id: &Id,
    verdict: Verdict,
    client: &Client,
    now: Timestamp,
) -> Result<Decided, DecideError>
where
    S: SupportRequests + Directory + Authenticators + ?Sized,
{
    if agent.role != Role::Agent {
        return Err(DecideError::NotAgent);
    }
    let request = store.support_request(request_id).await?.ok_or(DecideError::NotFound)?;
    if request.status != super::Status::New {
        return Err(DecideError::Closed(request.status.as_str()));
    }
    let reference = request.reference.0.clone();
    let (closed, reset) = match verdict {
        Verdict::Reject { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > REASON_MAX_CHARS {
                return Err(DecideError::NoReason);
            }
            let audit = [event(AuditKind::SupportRejected, None, agent, client, format!("{reference}: {reason}"))];
            (store.close_request(request_id, Decision::Reject { reason }, &agent.id, now, &audit).await?, None)
        }
        Verdict::Approve => {
            let facts = facts(store, &request).await?;
            let kinds: Vec<DocumentKind> = request.documents.iter().map(|d| d.kind).collect();
            let subject = Subject { status: request.status, documents: &kinds };
            if let Some(problem) = approval_problem(&subject, &facts) {
                return Err(problem.into());
            }
            // The very person the rules were checked on, never another account's by address.
            let target_id = facts.target_id.as_ref().ok_or(DecideError::NotFound)?;
            let target = store.user_by_id(target_id).await?.ok_or(DecideError::NotFound)?;
            let audit = [
                event(AuditKind::SupportApproved, Some(&target), agent, client, reference.clone()),
                event(
                    AuditKind::AuthenticatorReset,
                    Some(&target),
                    agent,
                    client,
                    format!("by support request {reference}; all sessions ended"),
                ),
            ];
            let approve = Decision::Approve { target: &target.id };
            (store.close_request(request_id, approve, &agent.id, now, &audit).await?, Some(target))
        }
    };
    let request = store.support_request(request_id).await?.ok_or(DecideError::NotFound)?;
    if !closed {
        // Another agent decided it in the meantime: theirs stands.
        return Err(DecideError::Closed(request.status.as_str()));
    }
    Ok(Decided { request, reset })
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{}", say("error-support-no-such-document", &[]))]
    NotFound,
    #[error("{}", say("error-support-document-purged", &[]))]
    Purged,
    #[error("the document could not be decrypted (wrong key, or the data was altered)")]
    Undecryptable,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A document's content, for an agent (the caller checks who asks).
pub async fn open_document<S: SupportRequests + ?Sized>(
    store: &S,
    key: &DocumentKey,
    request: &Id,
    document: &Id,
) -> Result<(DocumentInfo, Vec<u8>), DocumentError> {
    let (info, sealed) = store.document(request, document).await?.ok_or(DocumentError::NotFound)?;
    let sealed = sealed.ok_or(DocumentError::Purged)?;
    let bytes = key.open(&sealed, info.id.as_str().as_bytes()).map_err(|_| DocumentError::Undecryptable)?;
    Ok((info, bytes))
}

/// Retention: the documents of requests closed more than `retention_days` ago are deleted.
pub async fn purge_documents<S: SupportRequests + ?Sized>(
    store: &S,
    retention_days: i64,
    now: Timestamp,
) -> Result<u64, StoreError> {
    store.purge_documents(now.plus_secs(-retention_days * 24 * 60 * 60), now).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::upload::tests::{png, tiny_pdf};

    #[test]
    fn fields_say_what_is_missing_or_too_long() {
        assert_eq!(text("  ", TEXT_MAX_CHARS, "error-support-subject").unwrap_err().to_string(), "Enter a subject.");
        let long = "x".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            text(&long, TEXT_MAX_CHARS, "error-support-subject").unwrap_err().to_string(),
            "Enter a subject. (at most 200 characters)"
        );
        assert_eq!(text(" ok ", TEXT_MAX_CHARS, "error-support-subject").unwrap(), "ok");
    }

    fn upload(kind: DocumentKind, name: &str, bytes: Vec<u8>) -> Upload {
        Upload { kind, name: name.into(), bytes }
    }

    #[test]
    fn files_are_checked_one_by_one_and_named_when_refused() {
        let ok = check_uploads(vec![upload(DocumentKind::Attachment, ".scan.png", png(8, 8))], false).unwrap();
        assert_eq!((ok[0].display_name.as_str(), ok[0].file_type), ("scan.png", FileType::Png));
        let err = check_uploads(vec![upload(DocumentKind::Attachment, "virus.pdf", b"MZ\x90".to_vec())], false);
        let message = err.unwrap_err().to_string();
        assert_eq!(message, "“virus.pdf” was not accepted: only PDF, JPEG and PNG files can be sent.");
        let many = (0..11).map(|i| upload(DocumentKind::Attachment, &format!("{i}.pdf"), tiny_pdf())).collect();
        let too_many = check_uploads(many, false).unwrap_err();
        assert!(matches!(too_many, SubmitError::TooManyFiles));
        assert_eq!(too_many.to_string(), "Send at most 10 files with one request.");
    }

    #[test]
    fn an_owners_own_reset_needs_the_three_documents_when_filed() {
        let only_id = vec![upload(DocumentKind::LegalId, "passport.pdf", tiny_pdf())];
        let err = check_uploads(only_id, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "An account owner's own reset needs the Proof of business registration, Letter on company letterhead: add them."
        );
        let one = vec![DocumentKind::Letterhead];
        assert_eq!(
            SubmitError::MissingOwnerDocuments(one).to_string(),
            "An account owner's own reset needs the Letter on company letterhead: add it."
        );
        let all = DocumentKind::OWNER_PROOF.iter().map(|k| upload(*k, "x.pdf", tiny_pdf())).collect();
        assert_eq!(check_uploads(all, true).unwrap().len(), 3);
    }
}
