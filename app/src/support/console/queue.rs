//! The queue: requests newest first, filtered by status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{support_queue, QueueItem};
use crate::error::AppError;
use crate::i18n::t;

/// Each filter's label (a message) and the status it shows.
const FILTERS: [(&str, Option<&str>); 4] = [
    ("console-filter-all", None),
    ("console-status-new", Some("new")),
    ("console-status-approved", Some("approved")),
    ("console-status-rejected", Some("rejected")),
];

/// The queue page, a lazy route (`crate::lazy`): none of it is in the login page's WASM.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let query = use_query_map();
    let status = Signal::derive(move || {
        query.read().get("status").filter(|s| FILTERS.iter().any(|(_, f)| *f == Some(s.as_str())))
    });
    let list = Resource::new_blocking(move || status.get(), support_queue);
    view! {
        <Title text=t("console-title")/>
        <section class="card wide" aria-labelledby="console-title">
            <h1 id="console-title">{t("console-title")}</h1>
            <nav aria-label=t("console-filter-label") class="filters">
                {FILTERS.into_iter().map(|(label, value)| {
                    let href = value.map_or("/support/console".to_owned(), |v| format!("/support/console?status={v}"));
                    let current = move || (status.get().as_deref() == value).then_some("page");
                    view! { <a href=href aria-current=current>{t(label)}</a> }
                }).collect_view()}
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p data-testid="empty-queue">{t("console-empty")}</p> }.into_any(),
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
    let (reference, received, status, requester, target, account, documents) = (
        t("console-reference"),
        t("console-received"),
        t("console-status"),
        t("console-requester"),
        t("console-target"),
        t("console-account"),
        t("console-documents"),
    );
    view! {
        <table class="records queue" aria-labelledby="console-title">
            <thead><tr>
                <th scope="col">{reference}</th><th scope="col">{received.clone()}</th><th scope="col">{status.clone()}</th>
                <th scope="col">{requester.clone()}</th><th scope="col">{target.clone()}</th><th scope="col">{account.clone()}</th>
                <th scope="col">{documents.clone()}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|r| view! {
                    <tr data-status=r.status.clone()>
                        <td class="passkey-name"><a href=format!("/support/console/{}", r.id)>{r.reference}</a></td>
                        <td data-label=received.clone()>{r.created_at}</td>
                        <td data-label=status.clone()><span class=format!("status {}", r.status)>{status_words(&r.status)}</span></td>
                        <td data-label=requester.clone()>{r.requester_email}</td>
                        <td data-label=target.clone()>
                            {r.target_email}{r.owner_self.then(|| format!(" {}", t("console-own-reset")))}
                        </td>
                        <td data-label=account.clone()>{r.account_name}</td>
                        <td data-label=documents.clone()>{r.documents}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A request's status (`new`, `approved`, `rejected`) in words.
pub fn status_words(status: &str) -> String {
    t(match status {
        "new" => "console-status-new",
        "approved" => "console-status-approved",
        "rejected" => "console-status-rejected",
        _ => "console-status-unknown",
    })
}
