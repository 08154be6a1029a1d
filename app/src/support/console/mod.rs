//! `/support/console`: support agents work the queue of 2FA reset requests. Every function
//! here answers agents only; approving asks for the agent's own authentication code again.

pub mod queue;
pub mod request;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A request in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: String,
    pub reference: String,
    /// `new`, `approved` or `rejected`.
    pub status: String,
    pub created_at: String,
    pub requester_email: String,
    pub target_email: String,
    pub account_name: String,
    pub owner_self: bool,
    pub documents: usize,
}

/// What the system knows about the people a request names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsView {
    pub account_found: bool,
    /// How the requester was proved to be who the request names, in words.
    pub verified_by: String,
    /// Whether that proof counts (signed in, or their mailbox confirmed).
    pub verified: bool,
    /// The proved requester's role in that account, in words, if they belong to it.
    pub requester_role: Option<String>,
    /// Whether the proved requester is the person to reset.
    pub requester_is_target: bool,
    pub target_role: Option<String>,
    pub target_has_2fa: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub image: bool,
    pub size: String,
    /// When the file was deleted after retention; the record stays.
    pub purged_at: Option<String>,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub area: String,
    pub requester_email: String,
    pub account_name: String,
    pub subject: String,
    pub description: String,
    pub target_email: String,
    pub owner_self: bool,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub reason: Option<String>,
    pub facts: FactsView,
    pub documents: Vec<DocumentView>,
    /// The three owner documents and whether each is there (owner's own reset only).
    pub checklist: Vec<(String, bool)>,
    /// Why approving would be refused now, if it would.
    pub approval_problem: Option<String>,
}

#[server(endpoint = "support_queue")]
pub async fn support_queue(status: Option<String>) -> AppResult<Vec<QueueItem>> {
    use gatehouse_core::store::SupportRequests;
    use gatehouse_core::support::Status;

    crate::auth::signed_in_as(&[gatehouse_core::Role::Agent]).await?;
    let state = crate::ssr::state()?;
    let status = status.as_deref().and_then(Status::parse);
    let list = state.db.support_requests(status, 500).await.map_err(crate::ssr::internal)?;
    Ok(list.iter().map(ssr::queue_item).collect())
}

#[server(endpoint = "support_request")]
pub async fn support_request(id: String) -> AppResult<RequestView> {
    use gatehouse_core::store::SupportRequests;

    crate::auth::signed_in_as(&[gatehouse_core::Role::Agent]).await?;
    let state = crate::ssr::state()?;
    let request = state.db.support_request(&ssr::id(&id)?).await.map_err(crate::ssr::internal)?;
    let request = request.ok_or_else(ssr::not_found)?;
    ssr::view_of(&state, request).await
}

/// Approves with the agent's own current code, checked (and used up) first.
#[server(endpoint = "support_approve")]
pub async fn support_approve(id: String, code: String) -> AppResult<()> {
    use gatehouse_core::support::service::Verdict;

    let agent = crate::auth::signed_in_as(&[gatehouse_core::Role::Agent]).await?;
    let state = crate::ssr::state()?;
    let id = ssr::id(&id)?;
    crate::auth::step_up_with_code(&agent, code).await?;
    ssr::decide(&state, &agent, &id, Verdict::Approve).await
}

#[server(endpoint = "support_reject")]
pub async fn support_reject(id: String, reason: String) -> AppResult<()> {
    use gatehouse_core::support::service::Verdict;

    let agent = crate::auth::signed_in_as(&[gatehouse_core::Role::Agent]).await?;
    let state = crate::ssr::state()?;
    ssr::decide(&state, &agent, &ssr::id(&id)?, Verdict::Reject { reason }).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use gatehouse_core::model::User;
    use gatehouse_core::support::service::{self, DecideError, Verdict};
    use gatehouse_core::support::{
        approval_problem, mail, DocumentKind, Status, Subject, SupportRequest, Verification,
    };
    use gatehouse_core::{Id, Role, Timestamp};
    use gatehouse_l10n::FluentValue;

    use super::{DocumentView, FactsView, QueueItem, RequestView};
    use crate::error::{AppError, AppResult};
    use crate::i18n::{t, t_with};
    use crate::ssr::when;
    use crate::ssr::{internal, with_status, AppState};

    pub fn not_found() -> AppError {
        with_status(AppError::Invalid(t("console-no-such-request")))
    }

    pub fn id(raw: &str) -> AppResult<Id> {
        Id::parse(raw).ok_or_else(not_found)
    }

    /// A role in words, in the request's language.
    fn role_words(role: Role) -> String {
        t_with("console-role", [("role", FluentValue::from(role.as_str()))])
    }

    /// A document's kind in words, as the form's drop zones name it.
    fn kind_words(kind: DocumentKind) -> String {
        t(match kind {
            DocumentKind::LegalId => "support-zone-legal-id",
            DocumentKind::BusinessRegistration => "support-zone-business-registration",
            DocumentKind::Letterhead => "support-zone-letterhead",
            DocumentKind::Attachment => "support-zone-attachments",
        })
    }

    pub fn queue_item(r: &SupportRequest) -> QueueItem {
        QueueItem {
            id: r.id.to_string(),
            reference: r.reference.0.clone(),
            status: r.status.as_str().to_owned(),
            created_at: when(r.created_at),
            requester_email: r.requester_email.to_string(),
            target_email: r.target_email.to_string(),
            account_name: r.account_name.clone(),
            owner_self: r.owner_self,
            documents: r.documents.len(),
        }
    }

    pub async fn view_of(state: &AppState, r: SupportRequest) -> AppResult<RequestView> {
        let facts = service::facts(&state.db, &r).await.map_err(internal)?;
        let kinds: Vec<DocumentKind> = r.documents.iter().filter(|d| d.purged_at.is_none()).map(|d| d.kind).collect();
        let subject = Subject { status: r.status, documents: &kinds };
        let problem = (r.status == Status::New).then(|| approval_problem(&subject, &facts)).flatten();
        let checklist = if r.owner_self {
            DocumentKind::OWNER_PROOF.iter().map(|k| (kind_words(*k), kinds.contains(k))).collect()
        } else {
            Vec::new()
        };
        Ok(RequestView {
            id: r.id.to_string(),
            reference: r.reference.0.clone(),
            status: r.status.as_str().to_owned(),
            area: r.area.as_str().to_owned(),
            requester_email: r.requester_email.to_string(),
            account_name: r.account_name.clone(),
            subject: r.subject.clone(),
            description: r.description.clone(),
            target_email: r.target_email.to_string(),
            owner_self: r.owner_self,
            created_at: when(r.created_at),
            closed_at: r.closed_at.map(when),
            reason: r.reason.clone(),
            facts: FactsView {
                account_found: facts.account.is_some(),
                verified_by: verified_by(&r),
                verified: facts.verification.proved(),
                requester_role: facts.requester_role.map(role_words),
                requester_is_target: facts.requester_is_target,
                target_role: facts.target_role.map(role_words),
                target_has_2fa: facts.target_has_authenticator,
            },
            documents: r
                .documents
                .iter()
                .map(|d| DocumentView {
                    id: d.id.to_string(),
                    kind: kind_words(d.kind),
                    name: d.display_name.clone(),
                    image: d.file_type != gatehouse_core::support::upload::FileType::Pdf,
                    size: crate::support::size_words(d.size as f64),
                    purged_at: d.purged_at.map(when),
                    url: format!("/support/documents/{}/{}", r.id, d.id),
                })
                .collect(),
            checklist,
            approval_problem: problem.map(|p| p.to_string()),
        })
    }

    /// How the requester was proved, as the console says it: never a role on a typed address.
    fn verified_by(r: &SupportRequest) -> String {
        let at = r.verified_at.map(when).unwrap_or_default();
        let said = |id: &str| {
            t_with(
                id,
                [("email", FluentValue::from(r.requester_email.to_string())), ("when", FluentValue::from(at.clone()))],
            )
        };
        match r.verification {
            Verification::SignedIn => said("console-verified-signed-in"),
            Verification::Mailbox => said("console-verified-mailbox"),
            Verification::Unverified => t("console-verified-unverified"),
            Verification::Awaiting => t("console-verified-awaiting"),
        }
    }

    /// Decides, then mails: the person reset (how to start again, with the link that lets
    /// them set up an authenticator with their password) and the requester (the decision).
    /// A mail that fails is logged; the decision stands (a person without a link gets one
    /// mailed when they log in with their password).
    pub async fn decide(state: &AppState, agent: &User, id: &Id, verdict: Verdict) -> AppResult<()> {
        let client = crate::auth::client();
        let decided =
            service::decide(&state.db, agent, id, verdict, &client, Timestamp::now()).await.map_err(|e| match e {
                DecideError::Store(s) => internal(s),
                DecideError::NotAgent => with_status(AppError::Forbidden),
                other => with_status(AppError::Invalid(other.to_string())),
            })?;
        let product = &state.settings.product_name;
        let r = &decided.request;
        let to_requester = crate::ssr::address_language(state, &r.requester_email).await;
        let decision = mail::decided(
            &to_requester,
            product,
            &r.requester_email,
            &r.reference.0,
            &r.target_email,
            r.reason.as_deref(),
        );
        let mut mails = vec![decision];
        if let Some(target) = &decided.reset {
            use gatehouse_core::signin::setup_link;
            let because = setup_link::Because::Reset;
            match setup_link::issue(&state.db, target, because, &client, Timestamp::now()).await {
                Ok(Some(token)) => {
                    let link = setup_link::url(&state.settings.public_url, &token);
                    let language = crate::ssr::recipient_language(state, target).await;
                    mails.push(mail::reset_done(&language, product, &target.email, &link));
                }
                Ok(None) => tracing::error!("setup link not made after a reset"),
                // The person still gets one mailed when they log in with their password.
                Err(e) => tracing::error!(error = %e, "setup link not stored"),
            }
        }
        for m in mails {
            if let Err(e) = state.mailer.send(m).await {
                tracing::warn!(error = %e, "support decision mail not sent");
            }
        }
        Ok(())
    }
}
