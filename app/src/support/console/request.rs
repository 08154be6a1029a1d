//! One request: every field, what the system knows, the documents inline, the owner
//! documents' checklist, and the decision (**Approve** with the agent's code, **Reject** with
//! a reason). Both forms work as plain posts before hydration.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::queue::status_words;
use super::{support_request, DocumentView, RequestView, SupportApprove, SupportReject};
use crate::components::CodeField;
use crate::error::AppError;
use crate::i18n::{t, t_with};
use crate::support::area_words;

/// One request's page, a lazy route (`crate::lazy`): none of it is in the login page's WASM.
#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let approve = ServerAction::<SupportApprove>::new();
    let reject = ServerAction::<SupportReject>::new();
    let id = move || params.read().get("id").unwrap_or_default();
    let request = Resource::new_blocking(
        move || (id(), approve.version().get(), reject.version().get()),
        |(id, _, _)| support_request(id),
    );
    view! {
        <Title text=t("console-request-title")/>
        <crate::account::idle::IdleWarning/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(r) => view! { <Request r approve reject/> }.into_any(),
                    Err(AppError::NotSignedIn) => view! { <leptos_router::components::Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! {
                        <section class="card">
                            <h1>{t("console-request-title")}</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p class="aside"><a href="/support/console">{t("console-back")}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn yes_no(v: bool) -> String {
    t(if v { "console-yes" } else { "console-no" })
}

#[component]
fn Request(
    r: RequestView,
    approve: ServerAction<SupportApprove>,
    reject: ServerAction<SupportReject>,
) -> impl IntoView {
    let facts = r.facts.clone();
    let role = |id: &str, role: &String| t_with(id, [("role", FluentValue::from(role.as_str()))]);
    let requester = match (&facts.requester_role, facts.verified) {
        (_, false) => t("console-requester-not-verified"),
        (Some(r), true) => role("console-requester-role", r),
        (None, true) => t("console-requester-not-member"),
    };
    let target = match &facts.target_role {
        Some(r) if facts.requester_is_target => role("console-target-is-requester", r),
        Some(r) => role("console-target-role", r),
        None => t("console-target-not-found"),
    };
    let title = t_with("console-request-heading", [("reference", FluentValue::from(r.reference.as_str()))]);
    view! {
        <section class="card wide" aria-labelledby="request-title">
            <p class="aside"><a href="/support/console">{t("console-back")}</a></p>
            <h1 id="request-title">{title}</h1>
            <p><span class=format!("status {}", r.status) data-testid="status">{status_words(&r.status)}</span></p>
            <dl class="facts">
                <dt>{t("console-received")}</dt><dd>{r.created_at.clone()}</dd>
                <dt>{t("console-area")}</dt><dd>{area_words(&r.area)}</dd>
                <dt>{t("console-subject")}</dt><dd>{r.subject.clone()}</dd>
                <dt>{t("console-requester")}</dt><dd data-testid="requester">{r.requester_email.clone()}</dd>
                <dt>{t("console-account-name")}</dt><dd>{r.account_name.clone()}</dd>
                <dt>{t("console-target")}</dt><dd data-testid="target">{r.target_email.clone()}</dd>
                <dt>{t("console-owner-own-reset")}</dt><dd>{yes_no(r.owner_self)}</dd>
            </dl>
            <h2>{t("console-description")}</h2>
            <p class="description">{r.description.clone()}</p>

            <h2 id="known-title">{t("console-known-title")}</h2>
            <dl class="facts" aria-labelledby="known-title" data-testid="facts">
                <dt>{t("console-account")}</dt>
                <dd>{t(if facts.account_found { "console-account-found" } else { "console-account-not-found" })}</dd>
                <dt>{t("console-verified-by")}</dt><dd data-testid="verified" class:warning=!facts.verified>{facts.verified_by.clone()}</dd>
                <dt>{t("console-requester")}</dt><dd>{requester}</dd>
                <dt>{t("console-target")}</dt><dd>{target}</dd>
                <dt>{t("console-their-2fa")}</dt>
                <dd>{t(if facts.target_has_2fa { "console-has-authenticator" } else { "console-no-authenticator" })}</dd>
            </dl>

            {(!r.checklist.is_empty()).then(|| view! {
                <h2 id="checklist-title">{t("console-owner-documents")}</h2>
                <ul class="checklist" aria-labelledby="checklist-title">
                    {r.checklist.iter().map(|(label, there)| {
                        let id = if *there { "console-checklist-received" } else { "console-checklist-missing" };
                        let words = t_with(id, [("document", FluentValue::from(label.as_str()))]);
                        view! { <li class:missing=!there>{words}</li> }
                    }).collect_view()}
                </ul>
            })}

            <h2>{t("console-documents")}</h2>
            {if r.documents.is_empty() {
                view! { <p>{t("console-no-documents")}</p> }.into_any()
            } else {
                view! { <div class="documents">{r.documents.iter().cloned().map(|d| view! { <Document d/> }).collect_view()}</div> }.into_any()
            }}

            <h2>{t("console-decision")}</h2>
            {if r.status == "new" {
                view! { <Decide r=r.clone() approve reject/> }.into_any()
            } else {
                let when = r.closed_at.clone().unwrap_or_default();
                let words = match &r.reason {
                    Some(reason) => t_with(
                        "console-rejected-on",
                        [("when", FluentValue::from(when)), ("reason", FluentValue::from(reason.as_str()))],
                    ),
                    None => t_with("console-approved-on", [("when", FluentValue::from(when))]),
                };
                view! { <p data-testid="decision">{words}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Document(d: DocumentView) -> impl IntoView {
    let caption = t_with(
        "console-document-caption",
        [
            ("kind", FluentValue::from(d.kind.as_str())),
            ("name", FluentValue::from(d.name.as_str())),
            ("size", FluentValue::from(d.size.as_str())),
        ],
    );
    let label = t_with(
        "console-document-label",
        [("kind", FluentValue::from(d.kind.as_str())), ("name", FluentValue::from(d.name.as_str()))],
    );
    view! {
        <figure class="document" data-testid="document">
            {match (&d.purged_at, d.image) {
                (Some(at), _) => view! {
                    <p class="hint">{t_with("console-document-deleted", [("when", FluentValue::from(at.as_str()))])}</p>
                }.into_any(),
                (None, true) => view! { <img src=d.url.clone() alt=label/> }.into_any(),
                (None, false) => view! { <iframe src=d.url.clone() title=label></iframe> }.into_any(),
            }}
            <figcaption>
                {caption}
                {d.purged_at.is_none().then(|| view! {
                    " " <a href=d.url.clone() target="_blank" rel="noopener">{t("console-document-open")}</a>
                })}
            </figcaption>
        </figure>
    }
}

#[component]
fn Decide(r: RequestView, approve: ServerAction<SupportApprove>, reject: ServerAction<SupportReject>) -> impl IntoView {
    let approve_error = move || approve.value().get().and_then(|v| v.err()).map(|e| e.to_string());
    let reject_error = move || reject.value().get().and_then(|v| v.err()).map(|e| e.to_string());
    let (approve_id, reject_id) = (r.id.clone(), r.id.clone());
    view! {
        {r.approval_problem.clone().map(|p| view! {
            <p class="warning" data-testid="approval-problem">
                {t_with("console-approval-problem", [("problem", FluentValue::from(p))])}
            </p>
        })}
        <div class="decisions">
            <ActionForm action=approve attr:class="decision">
                <h3>{t("console-approve")}</h3>
                <p class="hint">{t_with("console-approve-hint", [("target", FluentValue::from(r.target_email.as_str()))])}</p>
                <input type="hidden" name="id" value=approve_id/>
                <CodeField/>
                <p class="error" role="alert">{approve_error}</p>
                <button type="submit" class="primary">{t("console-approve")}</button>
            </ActionForm>
            <ActionForm action=reject attr:class="decision">
                <h3>{t("console-reject")}</h3>
                <input type="hidden" name="id" value=reject_id/>
                <div class="field">
                    <label for="reason">{t("console-reason")}</label>
                    <textarea id="reason" name="reason" required maxlength="1000" rows="3" aria-describedby="reason-hint"></textarea>
                    <p class="hint" id="reason-hint">{t("console-reason-hint")}</p>
                </div>
                <p class="error" role="alert">{reject_error}</p>
                <button type="submit" class="danger">{t("console-reject")}</button>
            </ActionForm>
        </div>
    }
}
