//! The Security page's **Recent security events**: the person's own audit log, newest first,
//! in their words (`gatehouse_core::events`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::i18n::t;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub when: String,
    pub what: String,
    pub from: String,
}

/// The signed-in person's own events only.
#[server(endpoint = "security_events")]
pub async fn security_events() -> AppResult<Vec<EventView>> {
    use gatehouse_core::events::{in_words, SHOWN};
    use gatehouse_core::store::AuditLog;
    let user = crate::auth::signed_in().await?;
    let entries = crate::ssr::state()?.db.recent(Some(&user.id), SHOWN * 3).await.map_err(crate::ssr::internal)?;
    Ok(entries
        .iter()
        .filter_map(|e| {
            Some(EventView {
                what: in_words(e)?,
                when: crate::ssr::when(e.at),
                from: e.client_ip.clone().unwrap_or_else(|| t("events-unknown-address")),
            })
        })
        .take(SHOWN as usize)
        .collect())
}

/// The events come with the page (see `SessionsSection`).
#[component]
pub fn EventsSection(events: Vec<EventView>) -> impl IntoView {
    let empty = events.is_empty();
    view! {
        <h2 id="events-title">{t("events-title")}</h2>
        {if empty {
            view! { <p>{t("events-none")}</p> }.into_any()
        } else {
            view! {
                <table class="records" aria-labelledby="events-title">
                    <thead><tr>
                        <th scope="col">{t("events-column-when")}</th><th scope="col">{t("events-column-what")}</th><th scope="col">{t("events-column-from")}</th>
                    </tr></thead>
                    <tbody>{events.into_iter().map(|e| view! {
                        <tr data-testid="event">
                            <td data-label=t("events-column-when")>{e.when}</td>
                            <td>{e.what}</td>
                            <td data-label=t("events-column-from")>{e.from}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
    }
    .into_any()
}
