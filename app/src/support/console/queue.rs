//! The queue: requests newest first, filtered by status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{support_queue, QueueItem};
use crate::error::AppError;

const FILTERS: [(&str, Option<&str>); 4] =
    [("All", None), ("New", Some("new")), ("Approved", Some("approved")), ("Rejected", Some("rejected"))];

/// The queue page, a lazy route (`crate::lazy`): none of it is in the login page's WASM.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let query = use_query_map();
    let status = Signal::derive(move || {
        query.read().get("status").filter(|s| FILTERS.iter().any(|(_, f)| *f == Some(s.as_str())))
    });
    let list = Resource::new_blocking(move || status.get(), support_queue);
    view! {
        <Title text="Support console"/>
        <section class="card wide" aria-labelledby="console-title">
            <h1 id="console-title">"Support console"</h1>
            <nav aria-label="Filter by status" class="filters">
                {FILTERS.into_iter().map(|(label, value)| {
                    let href = value.map_or("/support/console".to_owned(), |v| format!("/support/console?status={v}"));
                    let current = move || (status.get().as_deref() == value).then_some("page");
                    view! { <a href=href aria-current=current>{label}</a> }
                }).collect_view()}
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p data-testid="empty-queue">"No requests here."</p> }.into_any(),
                        Ok(items) => view! { <Queue items/> }.into_any(),
                        Err(AppError::NotSignedIn) => view! { <leptos_router::components::Redirect path="/Account/Login"/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <crate::account::idle::IdleWarning/>
    }
    .into_any()
}

#[component]
fn Queue(items: Vec<QueueItem>) -> impl IntoView {
    view! {
        <table class="records queue" aria-labelledby="console-title">
            <thead><tr>
                <th scope="col">"Reference"</th><th scope="col">"Received"</th><th scope="col">"Status"</th>
                <th scope="col">"Requester"</th><th scope="col">"Person to reset"</th><th scope="col">"Account"</th>
                <th scope="col">"Documents"</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|r| view! {
                    <tr data-status=r.status.clone()>
                        <td class="passkey-name"><a href=format!("/support/console/{}", r.id)>{r.reference}</a></td>
                        <td data-label="Received">{r.created_at}</td>
                        <td data-label="Status"><span class=format!("status {}", r.status)>{status_words(&r.status)}</span></td>
                        <td data-label="Requester">{r.requester_email}</td>
                        <td data-label="Person to reset">
                            {r.target_email}{r.owner_self.then_some(" (the owner, own reset)")}
                        </td>
                        <td data-label="Account">{r.account_name}</td>
                        <td data-label="Documents">{r.documents}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

pub fn status_words(status: &str) -> &'static str {
    match status {
        "new" => "New",
        "approved" => "Approved",
        "rejected" => "Rejected",
        _ => "Unknown",
    }
}
