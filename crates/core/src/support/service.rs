//! The flow of a support request: filing it (checked, sealed, stored whole, counted per client
//! address and per email), what the system knows about it, an agent's decision with its
//! effects, the documents for agents, and retention.

use super::upload::{self, FileProblem, FileType, MAX_FILES, MAX_REQUEST_BYTES};
use super::{
    approval_problem, ApprovalProblem, Area, Decision, DocumentInfo, DocumentKind, Facts, NewDocument, NewRequest,
    Reference, Subject, SupportRequest,
};
use crate::crypto::DocumentKey;
use crate::model::{AuditEvent, AuditKind, User};
use crate::role::Role;
use crate::signin::{audit, Client};
use crate::store::{AuditLog, Authenticators, Conflict, Directory, StoreError, SupportRequests, Throttles};
use crate::throttle::{self, Blocked, ThrottleError};
use crate::{Email, Id, Timestamp};

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
    #[error("“{name}” was not accepted: {problem}.")]
    File { name: String, problem: FileProblem },
    #[error("Send at most {MAX_FILES} files with one request.")]
    TooManyFiles,
    #[error("The files add up to more than 25 MB: send the largest ones at a lower resolution.")]
    TooLarge,
    #[error("An account owner's own reset needs the {}: add {}.", .0.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "), if .0.len() == 1 { "it" } else { "them" })]
    MissingOwnerDocuments(Vec<DocumentKind>),
    #[error("Too many requests were sent from here. Try again in {}.", throttle::wait_words(.0.wait_secs))]
    Blocked(Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn text(value: &str, max: usize, missing: &str) -> Result<String, SubmitError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SubmitError::Invalid(missing.into()));
    }
    if value.chars().count() > max {
        return Err(SubmitError::Invalid(format!("{missing} (at most {max} characters)")));
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

/// Files a request. Every accepted submission answers the same way, a reference, whether or
/// not the emails and the account exist: the form must not tell anyone who has an account.
#[allow(clippy::too_many_arguments)]
pub async fn submit<S>(
    store: &S,
    key: &DocumentKey,
    form: Form,
    files: Vec<Checked>,
    requester_id: Option<Id>,
    client: &Client,
    now: Timestamp,
) -> Result<NewRequest, SubmitError>
where
    S: SupportRequests + Throttles + AuditLog + ?Sized,
{
    let area = Area::parse(form.area.trim())
        .ok_or_else(|| SubmitError::Invalid("Choose the area: Account, Billing or Subscription.".into()))?;
    let requester_email = Email::parse(form.requester_email.trim())
        .map_err(|_| SubmitError::Invalid("Enter your email address, for example name@company.com.".into()))?;
    let account_name = text(&form.account_name, TEXT_MAX_CHARS, "Enter the name of your account.")?;
    let subject = text(&form.subject, TEXT_MAX_CHARS, "Enter a subject.")?;
    let description = text(&form.description, DESCRIPTION_MAX_CHARS, "Describe what you ask for.")?;
    // An owner asking for their own reset need not type their address twice.
    let target_email = if form.owner_self && form.target_email.trim().is_empty() {
        requester_email.clone()
    } else {
        Email::parse(form.target_email.trim()).map_err(|_| {
            SubmitError::Invalid("Enter the email address of the person whose 2FA should be reset.".into())
        })?
    };
    if form.owner_self && target_email != requester_email {
        return Err(SubmitError::Invalid(
            "For your own reset as account owner, the person to reset is you: give your own email address in both fields."
                .into(),
        ));
    }
    let keys = throttle::support_keys(requester_email.as_str(), client.throttle_address().as_deref());
    throttle::reserve(store, &keys, now).await.map_err(|e| match e {
        ThrottleError::Blocked(b) => SubmitError::Blocked(b),
        ThrottleError::Store(s) => SubmitError::Store(s),
    })?;
    let mut request = NewRequest {
        id: Id::random(),
        reference: Reference::generate(),
        area,
        requester_email,
        requester_id,
        account_name,
        subject,
        description,
        target_email,
        owner_self: form.owner_self,
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
        throttle::release(store, &keys).await?;
        return Err(e.into());
    }
    // An accepted request counts against the address and the email: the form is public.
    throttle::fail(store, &keys, now).await?;
    let detail = format!(
        "{} ({}): reset for {} asked by {}, {} document{}",
        request.reference.0,
        area.as_str(),
        request.target_email,
        request.requester_email,
        request.documents.len(),
        if request.documents.len() == 1 { "" } else { "s" }
    );
    audit(store, now, AuditKind::SupportRequested, None, client, detail).await?;
    Ok(request)
}

/// What the system knows: the account named on the form, the requester's and the target's
/// roles in it (people of other accounts do not count), and whether the target has an
/// authenticator.
pub async fn facts<S: Directory + Authenticators + ?Sized>(
    store: &S,
    request: &SupportRequest,
) -> Result<Facts, StoreError> {
    let account = store.account_by_name(&request.account_name).await?.map(|a| a.id);
    let in_account = |user: Option<User>| user.filter(|u| account.is_some() && u.account_id == account);
    let requester = in_account(store.user_by_email(&request.requester_email).await?);
    let target = in_account(store.user_by_email(&request.target_email).await?);
    let target_has_authenticator = match &target {
        Some(t) => store.totp_secret(&t.id).await?.is_some(),
        None => false,
    };
    Ok(Facts {
        account,
        requester_role: requester.map(|u| u.role),
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
    #[error("Only support agents decide support requests.")]
    NotAgent,
    #[error("There is no such request.")]
    NotFound,
    #[error(transparent)]
    Refused(#[from] ApprovalProblem),
    #[error(
        "Give the reason for the rejection (at most {REASON_MAX_CHARS} characters): it is mailed to the requester."
    )]
    NoReason,
    #[error("This request was already {0}.")]
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
            let subject = Subject {
                status: request.status,
                requester: &request.requester_email,
                target: &request.target_email,
                documents: &kinds,
            };
            if let Some(problem) = approval_problem(&subject, &facts) {
                return Err(problem.into());
            }
            let target = store.user_by_email(&request.target_email).await?.ok_or(DecideError::NotFound)?;
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
    #[error("There is no such document.")]
    NotFound,
    #[error("This document was deleted when the request's retention period ended.")]
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
        assert!(matches!(check_uploads(many, false), Err(SubmitError::TooManyFiles)));
    }

    #[test]
    fn an_owners_own_reset_needs_the_three_documents_when_filed() {
        let only_id = vec![upload(DocumentKind::LegalId, "passport.pdf", tiny_pdf())];
        let err = check_uploads(only_id, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "An account owner's own reset needs the Proof of business registration, Letter on company letterhead: add them."
        );
        let all = DocumentKind::OWNER_PROOF.iter().map(|k| upload(*k, "x.pdf", tiny_pdf())).collect();
        assert_eq!(check_uploads(all, true).unwrap().len(), 3);
    }
}
