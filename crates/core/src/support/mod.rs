//! 2FA reset through a support request: what a request holds, how its requester was proved to
//! be who the form says, the documents an owner's own reset needs, and the rules a support
//! agent's approval must pass.
//!
//! A typed email proves nothing. A request filed signed in is the signed-in person's; one
//! filed signed out waits, out of the queue, until its requester confirms it through the
//! single-use link mailed to the address they typed, and is deleted if they never do. A
//! request is New until an agent approves or rejects it; then it is closed, and its documents
//! are purged after the retention period (the request keeps that they existed and when they
//! went).

pub mod mail;
pub mod service;
pub mod upload;

use gatehouse_l10n::say;
use rand::Rng;

use crate::members::may_manage;
use crate::role::Role;
use crate::token::TokenHash;
use crate::{Email, Id, Timestamp};

/// What the seed's form calls the area of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Account,
    Billing,
    Subscription,
}

impl Area {
    pub const ALL: [Area; 3] = [Area::Account, Area::Billing, Area::Subscription];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Account => "Account",
            Area::Billing => "Billing",
            Area::Subscription => "Subscription",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Which drop zone a document came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A passport or driver's licence.
    LegalId,
    BusinessRegistration,
    Letterhead,
    Attachment,
}

impl DocumentKind {
    /// The three an account owner's own reset needs, one of each.
    pub const OWNER_PROOF: [DocumentKind; 3] =
        [DocumentKind::LegalId, DocumentKind::BusinessRegistration, DocumentKind::Letterhead];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::LegalId => "legal_id",
            DocumentKind::BusinessRegistration => "business_registration",
            DocumentKind::Letterhead => "letterhead",
            DocumentKind::Attachment => "attachment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::LegalId, Self::BusinessRegistration, Self::Letterhead, Self::Attachment]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The message that names it: the label of its drop zone.
    pub fn message_id(self) -> &'static str {
        match self {
            DocumentKind::LegalId => "document-kind-legal-id",
            DocumentKind::BusinessRegistration => "document-kind-business-registration",
            DocumentKind::Letterhead => "document-kind-letterhead",
            DocumentKind::Attachment => "document-kind-attachments",
        }
    }

    /// The label of its drop zone, in the language of whoever shows it.
    pub fn label(self) -> String {
        say(self.message_id(), &[])
    }

    /// `kinds`' labels as a list (`the A, B`).
    pub fn labels(kinds: &[DocumentKind]) -> String {
        kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Approved,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Status::New, Status::Approved, Status::Rejected].into_iter().find(|x| x.as_str() == s)
    }
}

/// How the requester of a request was proved to be who it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Filed signed out; the link mailed to the typed address was not opened yet. Such a
    /// request is in no queue and is deleted when the link expires.
    Awaiting,
    /// Filed by the signed-in person (`requester_id`).
    SignedIn,
    /// Confirmed through the single-use link mailed to the requester's address.
    Mailbox,
    /// Filed before requesters were verified: nothing about it can be approved.
    Unverified,
}

impl Verification {
    /// As storage keeps it (`None`: awaiting).
    pub fn as_stored(self) -> Option<&'static str> {
        match self {
            Verification::Awaiting => None,
            Verification::SignedIn => Some("signed_in"),
            Verification::Mailbox => Some("mailbox"),
            Verification::Unverified => Some("unverified"),
        }
    }

    pub fn from_stored(s: Option<&str>) -> Option<Self> {
        match s {
            None => Some(Verification::Awaiting),
            Some("signed_in") => Some(Verification::SignedIn),
            Some("mailbox") => Some(Verification::Mailbox),
            Some("unverified") => Some(Verification::Unverified),
            Some(_) => None,
        }
    }

    /// Whether the requester is proved (signed in, or their mailbox confirmed).
    pub fn proved(self) -> bool {
        matches!(self, Verification::SignedIn | Verification::Mailbox)
    }
}

/// How long the link that confirms a request filed signed out works.
pub const CONFIRM_TTL_SECS: i64 = 24 * 60 * 60;

/// The mailed link that confirms a request filed signed out: its token's hash, and its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub hash: TokenHash,
    pub expires_at: Timestamp,
}

/// What people quote to support: `GH-` and six characters that cannot be misread (Crockford's
/// base 32: no I, L, O or U).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference(pub String);

impl Reference {
    pub fn generate() -> Self {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut rng = rand::rngs::OsRng;
        let code: String = (0..6).map(|_| ALPHABET[rng.gen_range(0..32)] as char).collect();
        Reference(format!("GH-{code}"))
    }
}

/// A document as it arrives in storage: checked, named for display, sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    pub id: Id,
    pub kind: DocumentKind,
    pub display_name: String,
    pub file_type: upload::FileType,
    pub size: i64,
    /// AES-256-GCM under the document key, bound to the document id.
    pub sealed: Vec<u8>,
}

/// A request as it is filed, with its documents: stored whole or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    pub id: Id,
    pub reference: Reference,
    pub area: Area,
    pub requester_email: Email,
    /// The signed-in requester (then `requester_email` is theirs).
    pub requester_id: Option<Id>,
    pub account_name: String,
    pub subject: String,
    pub description: String,
    pub target_email: Email,
    /// The account owner asking for their own reset (the three documents are required).
    pub owner_self: bool,
    pub created_at: Timestamp,
    pub client_ip: Option<String>,
    pub documents: Vec<NewDocument>,
    /// Signed out: the link that must confirm it before it reaches the queue. Signed in: none.
    pub confirmation: Option<Confirmation>,
}

/// A document as the console lists it; its content is fetched apart, and only until purged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: Id,
    pub kind: DocumentKind,
    pub display_name: String,
    pub file_type: upload::FileType,
    pub size: i64,
    pub purged_at: Option<Timestamp>,
}

/// A stored request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportRequest {
    pub id: Id,
    pub reference: Reference,
    pub area: Area,
    pub requester_email: Email,
    pub requester_id: Option<Id>,
    pub verification: Verification,
    /// When the requester confirmed it from their mailbox (for those filed signed in: filed).
    pub verified_at: Option<Timestamp>,
    pub account_name: String,
    pub subject: String,
    pub description: String,
    pub target_email: Email,
    pub owner_self: bool,
    pub status: Status,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub decided_by: Option<Id>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub documents: Vec<DocumentInfo>,
}

/// An agent's decision on a New request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Removes `target`'s authenticator (and any setup in progress) and ends their sessions.
    Approve {
        target: &'a Id,
    },
    Reject {
        reason: &'a str,
    },
}

/// What the system knows about a request, for the agent and for the approval rules. The
/// requester counts only as proved: the signed-in person as they are now, or the person whose
/// mailbox confirmed it; a typed address alone counts as nobody.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The account named on the form, if there is one by that name.
    pub account: Option<Id>,
    pub verification: Verification,
    /// The proved requester's role in that account, if they belong to it.
    pub requester_role: Option<Role>,
    /// Whether the proved requester is the person to reset.
    pub requester_is_target: bool,
    /// The person to reset in that account (several accounts may have invited one address:
    /// only this account's counts), and their role there.
    pub target_id: Option<Id>,
    pub target_role: Option<Role>,
    pub target_has_authenticator: bool,
}

/// Why an approval is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalProblem {
    /// The request's status (`approved`, `rejected`), as [`Status::as_str`] says it.
    #[error("{}", say("error-support-already-closed", &[("state", (*.0).into())]))]
    Closed(&'static str),
    #[error("{}", say("error-support-approval-not-verified", &[]))]
    NotVerified,
    #[error("{}", say("error-support-approval-not-owner", &[]))]
    NotOwnerOrCoOwner,
    #[error("{}", say("error-support-approval-unknown-target", &[]))]
    UnknownTarget,
    #[error("{}", say("error-support-approval-may-not-manage", &[]))]
    MayNotManage,
    #[error("{}", say("error-support-approval-nothing-to-reset", &[]))]
    NothingToReset,
    #[error("{}", say("error-support-approval-missing-documents", &[("documents", DocumentKind::labels(.0).into())]))]
    MissingDocuments(Vec<DocumentKind>),
}

/// The request as the approval rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject<'a> {
    pub status: Status,
    /// The documents that came with it, by kind (purged ones included: they were seen).
    pub documents: &'a [DocumentKind],
}

/// The rules an approval must pass: the requester was proved, and is the owner or a co-owner
/// of the account the person to reset belongs to who may manage them (the Users page's rule:
/// the owner everyone else, a co-owner users), or the owner asking for their own reset; that
/// person exists there and has an authenticator; and when the owner is the one to reset, all
/// three of the owner documents came with the request.
pub fn approval_problem(subject: &Subject<'_>, facts: &Facts) -> Option<ApprovalProblem> {
    if subject.status != Status::New {
        return Some(ApprovalProblem::Closed(subject.status.as_str()));
    }
    if !facts.verification.proved() {
        return Some(ApprovalProblem::NotVerified);
    }
    let Some(requester_role @ (Role::Owner | Role::CoOwner)) = facts.requester_role else {
        return Some(ApprovalProblem::NotOwnerOrCoOwner);
    };
    let Some(target_role) = facts.target_role else { return Some(ApprovalProblem::UnknownTarget) };
    let own_reset = facts.requester_is_target && target_role == Role::Owner;
    if !own_reset && (facts.requester_is_target || !may_manage(requester_role, target_role)) {
        return Some(ApprovalProblem::MayNotManage);
    }
    if !facts.target_has_authenticator {
        return Some(ApprovalProblem::NothingToReset);
    }
    if target_role == Role::Owner {
        let missing: Vec<_> =
            DocumentKind::OWNER_PROOF.into_iter().filter(|k| !subject.documents.contains(k)).collect();
        if !missing.is_empty() {
            return Some(ApprovalProblem::MissingDocuments(missing));
        }
    }
    None
}

/// When a closed request's documents are due to be purged.
pub fn purge_due(closed_at: Timestamp, retention_days: i64) -> Timestamp {
    closed_at.plus_secs(retention_days * 24 * 60 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(requester: Option<Role>, target: Option<Role>) -> Facts {
        Facts {
            account: Some(Id::random()),
            verification: Verification::Mailbox,
            requester_role: requester,
            requester_is_target: false,
            target_id: target.map(|_| Id::random()),
            target_role: target,
            target_has_authenticator: true,
        }
    }

    const NEW: Subject<'static> = Subject { status: Status::New, documents: &[] };

    #[test]
    fn references_are_unambiguous_and_differ() {
        let a = Reference::generate();
        assert!(a.0.starts_with("GH-") && a.0.len() == 9, "{a:?}");
        assert!(!a.0[3..].contains(['I', 'L', 'O', 'U']));
        assert_ne!(a, Reference::generate());
    }

    #[test]
    fn only_a_proved_requester_counts() {
        for verification in [Verification::Awaiting, Verification::Unverified] {
            let typed = Facts { verification, ..facts(Some(Role::Owner), Some(Role::User)) };
            assert_eq!(approval_problem(&NEW, &typed), Some(ApprovalProblem::NotVerified), "{verification:?}");
        }
        for verification in [Verification::SignedIn, Verification::Mailbox] {
            let proved = Facts { verification, ..facts(Some(Role::Owner), Some(Role::User)) };
            assert_eq!(approval_problem(&NEW, &proved), None, "{verification:?}");
        }
    }

    #[test]
    fn the_requester_must_be_allowed_to_manage_the_person_as_on_the_users_page() {
        assert_eq!(approval_problem(&NEW, &facts(Some(Role::CoOwner), Some(Role::User))), None);
        assert_eq!(approval_problem(&NEW, &facts(Some(Role::Owner), Some(Role::CoOwner))), None);
        for role in [None, Some(Role::User), Some(Role::Agent)] {
            assert_eq!(
                approval_problem(&NEW, &facts(role, Some(Role::User))),
                Some(ApprovalProblem::NotOwnerOrCoOwner),
                "{role:?}"
            );
        }
        for (requester, target) in [(Role::CoOwner, Role::CoOwner), (Role::CoOwner, Role::Owner)] {
            assert_eq!(
                approval_problem(&NEW, &facts(Some(requester), Some(target))),
                Some(ApprovalProblem::MayNotManage),
                "a co-owner asking for a {target:?}"
            );
        }
        let co_for_self = Facts { requester_is_target: true, ..facts(Some(Role::CoOwner), Some(Role::CoOwner)) };
        assert_eq!(approval_problem(&NEW, &co_for_self), Some(ApprovalProblem::MayNotManage), "only the owner's own");
        assert_eq!(approval_problem(&NEW, &facts(Some(Role::Owner), None)), Some(ApprovalProblem::UnknownTarget));
        let nothing = Facts { target_has_authenticator: false, ..facts(Some(Role::Owner), Some(Role::User)) };
        assert_eq!(approval_problem(&NEW, &nothing), Some(ApprovalProblem::NothingToReset));
    }

    #[test]
    fn an_owners_own_reset_needs_all_three_documents() {
        let own = Facts { requester_is_target: true, ..facts(Some(Role::Owner), Some(Role::Owner)) };
        let some = [DocumentKind::LegalId, DocumentKind::Attachment];
        let request = Subject { status: Status::New, documents: &some };
        let problem = approval_problem(&request, &own).unwrap();
        assert_eq!(
            problem,
            ApprovalProblem::MissingDocuments(vec![DocumentKind::BusinessRegistration, DocumentKind::Letterhead])
        );
        assert_eq!(
            problem.to_string(),
            "The account owner's own reset needs the Proof of business registration, Letter on company letterhead."
        );
        let all = DocumentKind::OWNER_PROOF;
        assert_eq!(approval_problem(&Subject { documents: &all, ..request }, &own), None);
    }

    #[test]
    fn a_closed_request_is_not_approved_again() {
        let request = Subject { status: Status::Rejected, documents: &[] };
        let problem = approval_problem(&request, &facts(Some(Role::Owner), Some(Role::User)));
        assert_eq!(problem, Some(ApprovalProblem::Closed("rejected")));
        assert_eq!(problem.unwrap().to_string(), "This request was already rejected.");
    }

    #[test]
    fn names_round_trip() {
        for a in Area::ALL {
            assert_eq!(Area::parse(a.as_str()), Some(a));
        }
        for k in DocumentKind::OWNER_PROOF.into_iter().chain([DocumentKind::Attachment]) {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        for s in [Status::New, Status::Approved, Status::Rejected] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for v in [Verification::Awaiting, Verification::SignedIn, Verification::Mailbox, Verification::Unverified] {
            assert_eq!(Verification::from_stored(v.as_stored()), Some(v));
        }
    }
}
