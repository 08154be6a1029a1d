//! One request: every field, what the system knows, the documents inline, the owner
//! documents' checklist, and the decision (**Approve** with the agent's code, **Reject** with
//! a reason). Both forms work as plain posts before hydration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::queue::status_words;
use super::{support_request, DocumentView, RequestView, SupportApprove, SupportReject};
use crate::components::CodeField;
use crate::error::AppError;

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
        <Title text="Support request"/>
        <crate::account::idle::IdleWarning/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(r) => view! { <Request r approve reject/> }.into_any(),
                    Err(AppError::NotSignedIn) => view! { <leptos_router::components::Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! {
                        <section class="card">
                            <h1>"Support request"</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p class="aside"><a href="/support/console">"Back to the queue"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn yes_no(v: bool) -> &'static str {
    if v {
        "Yes"
    } else {
        "No"
    }
}

#[component]
fn Request(
    r: RequestView,
    approve: ServerAction<SupportApprove>,
    reject: ServerAction<SupportReject>,
) -> impl IntoView {
    let facts = r.facts.clone();
    let requester = match (&facts.requester_role, facts.verified) {
        (_, false) => "Unknown: not verified".to_owned(),
        (Some(role), true) => format!("The {role} of this account"),
        (None, true) => "Not a member of this account".to_owned(),
    };
    let target = match &facts.target_role {
        Some(role) if facts.requester_is_target => format!("The requester ({role})"),
        Some(role) => format!("A {role} of this account"),
        None => "No such user in this account".to_owned(),
    };
    let title = format!("Request {}", r.reference);
    view! {
        <section class="card wide" aria-labelledby="request-title">
            <p class="aside"><a href="/support/console">"Back to the queue"</a></p>
            <h1 id="request-title">{title}</h1>
            <p><span class=format!("status {}", r.status) data-testid="status">{status_words(&r.status)}</span></p>
            <dl class="facts">
                <dt>"Received"</dt><dd>{r.created_at.clone()}</dd>
                <dt>"Area"</dt><dd>{r.area.clone()}</dd>
                <dt>"Subject"</dt><dd>{r.subject.clone()}</dd>
                <dt>"Requester"</dt><dd data-testid="requester">{r.requester_email.clone()}</dd>
                <dt>"Account name"</dt><dd>{r.account_name.clone()}</dd>
                <dt>"Person to reset"</dt><dd data-testid="target">{r.target_email.clone()}</dd>
                <dt>"Owner's own reset"</dt><dd>{yes_no(r.owner_self)}</dd>
            </dl>
            <h2>"Description"</h2>
            <p class="description">{r.description.clone()}</p>

            <h2 id="known-title">"What the system knows"</h2>
            <dl class="facts" aria-labelledby="known-title" data-testid="facts">
                <dt>"Account"</dt><dd>{if facts.account_found { "Found" } else { "No account by this name" }}</dd>
                <dt>"Verified by"</dt><dd data-testid="verified" class:warning=!facts.verified>{facts.verified_by.clone()}</dd>
                <dt>"Requester"</dt><dd>{requester}</dd>
                <dt>"Person to reset"</dt><dd>{target}</dd>
                <dt>"Their 2FA"</dt><dd>{if facts.target_has_2fa { "Authenticator app set up" } else { "No authenticator" }}</dd>
            </dl>

            {(!r.checklist.is_empty()).then(|| view! {
                <h2 id="checklist-title">"Owner documents"</h2>
                <ul class="checklist" aria-labelledby="checklist-title">
                    {r.checklist.iter().map(|(label, there)| view! {
                        <li class:missing=!there>{format!("{label}: {}", if *there { "received" } else { "missing" })}</li>
                    }).collect_view()}
                </ul>
            })}

            <h2>"Documents"</h2>
            {if r.documents.is_empty() {
                view! { <p>"No documents were attached."</p> }.into_any()
            } else {
                view! { <div class="documents">{r.documents.iter().cloned().map(|d| view! { <Document d/> }).collect_view()}</div> }.into_any()
            }}

            <h2>"Decision"</h2>
            {if r.status == "new" {
                view! { <Decide r=r.clone() approve reject/> }.into_any()
            } else {
                let when = r.closed_at.clone().unwrap_or_default();
                let words = match &r.reason {
                    Some(reason) => format!("Rejected on {when}: {reason}"),
                    None => format!("Approved on {when}. The authenticator was removed and every session ended."),
                };
                view! { <p data-testid="decision">{words}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Document(d: DocumentView) -> impl IntoView {
    let caption = format!("{}: {} ({})", d.kind, d.name, d.size);
    view! {
        <figure class="document" data-testid="document">
            {match (&d.purged_at, d.image) {
                (Some(at), _) => view! { <p class="hint">{format!("Deleted on {at} after the retention period.")}</p> }.into_any(),
                (None, true) => view! { <img src=d.url.clone() alt=format!("{}, {}", d.kind, d.name)/> }.into_any(),
                (None, false) => view! {
                    <iframe src=d.url.clone() title=format!("{}, {}", d.kind, d.name)></iframe>
                }.into_any(),
            }}
            <figcaption>
                {caption}
                {d.purged_at.is_none().then(|| view! {
                    " " <a href=d.url.clone() target="_blank" rel="noopener">"Open"</a>
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
            <p class="warning" data-testid="approval-problem">{format!("Approving is not possible: {p}")}</p>
        })}
        <div class="decisions">
            <ActionForm action=approve attr:class="decision">
                <h3>"Approve"</h3>
                <p class="hint">{format!("Removes the authenticator of {} and ends their sessions. Confirm with your own code.", r.target_email)}</p>
                <input type="hidden" name="id" value=approve_id/>
                <CodeField/>
                <p class="error" role="alert">{approve_error}</p>
                <button type="submit" class="primary">"Approve"</button>
            </ActionForm>
            <ActionForm action=reject attr:class="decision">
                <h3>"Reject"</h3>
                <input type="hidden" name="id" value=reject_id/>
                <div class="field">
                    <label for="reason">"Reason"</label>
                    <textarea id="reason" name="reason" required maxlength="1000" rows="3" aria-describedby="reason-hint"></textarea>
                    <p class="hint" id="reason-hint">"Mailed to the requester."</p>
                </div>
                <p class="error" role="alert">{reject_error}</p>
                <button type="submit" class="danger">"Reject"</button>
            </ActionForm>
        </div>
    }
}
