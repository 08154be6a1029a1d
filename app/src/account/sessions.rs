//! The Security page's **Sessions**: where the person is signed in (browser, address, when
//! signed in, last active), with **Sign out** for one and **Sign out all other sessions**.
//! Sessions are named by a handle (a digest of the id): the ids are bearer secrets and never
//! leave the server. Works as plain form posts before hydration.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::i18n::{t, t_with};

/// One signed-in session, as its person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub handle: String,
    /// "Firefox on Linux".
    pub browser: String,
    pub address: String,
    pub signed_in: String,
    pub last_active: String,
    /// The session of the browser asking.
    pub current: bool,
    /// The applications it signed in to (their names), which are logged out with it.
    pub applications: Vec<String>,
}

/// The signed-in person's own sessions, this browser's first.
#[server(endpoint = "sessions")]
pub async fn sessions() -> AppResult<Vec<SessionView>> {
    let user = crate::auth::signed_in().await?;
    sessions_of(&user).await
}

#[cfg(feature = "ssr")]
async fn sessions_of(user: &gatehouse_core::model::User) -> AppResult<Vec<SessionView>> {
    use gatehouse_core::sessions::{describe_browser, handle};
    use gatehouse_core::store::{OpenIdProvider, SessionRecords};
    use gatehouse_core::Timestamp;

    use crate::ssr::when;
    let current = crate::auth::session_id().await?;
    let now = Timestamp::now();
    let state = crate::ssr::state()?;
    let rows = state.db.sessions_of(&user.id, now).await.map_err(crate::ssr::internal)?;
    let signed_in_to = state.db.applications_of(&user.id).await.map_err(crate::ssr::internal)?;
    let applications = |sid: &str| -> Vec<String> {
        signed_in_to
            .iter()
            .filter(|(s, _)| !sid.is_empty() && s == sid)
            .map(|(_, client)| state.applications.get(client).cloned().unwrap_or_else(|| client.clone()))
            .collect()
    };
    let mut views: Vec<SessionView> = rows
        .into_iter()
        .filter_map(|row| {
            let facts = row.facts?;
            Some(SessionView {
                handle: handle(&row.id),
                browser: describe_browser(&facts.user_agent),
                address: if facts.client_address.is_empty() {
                    t("sessions-unknown-address")
                } else {
                    facts.client_address
                },
                signed_in: when(facts.signed_in_at),
                last_active: ago(now.0 - row.last_seen_at.0, || when(row.last_seen_at)),
                current: current.as_deref() == Some(row.id.as_str()),
                applications: applications(&facts.sid),
            })
        })
        .collect();
    views.sort_by_key(|v| !v.current);
    Ok(views)
}

/// Ends one of the person's other sessions: that browser is signed out on its next request.
/// The sessions left, for the page.
#[server(endpoint = "session_sign_out")]
pub async fn session_sign_out(handle: String) -> AppResult<Vec<SessionView>> {
    use gatehouse_core::model::AuditKind;
    use gatehouse_core::store::SessionRecords;

    use crate::error::AppError;
    use crate::ssr::{internal, with_status};
    let user = crate::auth::signed_in().await?;
    let current = crate::auth::session_id().await?;
    if current.as_deref().map(gatehouse_core::sessions::handle).as_deref() == Some(handle.as_str()) {
        return Err(with_status(AppError::Invalid(t("sessions-is-current"))));
    }
    if !crate::ssr::state()?.db.delete_session_by_handle(&user.id, &handle).await.map_err(internal)? {
        return Err(with_status(AppError::Invalid(t("sessions-already-ended"))));
    }
    audit(&user, AuditKind::SessionEnded, "one session").await?;
    crate::account::keep_notice_for_plain_form(NOTICE, &t("sessions-one-signed-out")).await?;
    sessions_of(&user).await
}

/// Where a change posted without the page's script leaves its notice (see `kept_notice`).
pub(crate) const NOTICE: &str = "/Account/Security#sessions";

fn others_signed_out(ended: u64) -> String {
    t_with("sessions-others-signed-out", [("count", FluentValue::from(ended))])
}

/// What **Sign out all other sessions** did: how many ended, and the sessions left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OthersSignedOut {
    pub ended: u64,
    pub sessions: Vec<SessionView>,
}

/// Ends every session of the person's but this one (half-finished sign-ins too).
#[server(endpoint = "sign_out_other_sessions")]
pub async fn sign_out_other_sessions() -> AppResult<OthersSignedOut> {
    use gatehouse_core::model::AuditKind;
    use gatehouse_core::store::SessionRecords;

    use crate::ssr::internal;
    let user = crate::auth::signed_in().await?;
    // A signed-in session has been saved, so it has an id.
    let current = crate::auth::session_id().await?.ok_or_else(|| internal("a signed-in session without an id"))?;
    let (ended, generation) =
        crate::ssr::state()?.db.delete_other_sessions(&user.id, &current).await.map_err(internal)?;
    crate::auth::keep_generation(&user, generation).await?;
    audit(&user, AuditKind::SessionEnded, &format!("{ended} other sessions")).await?;
    crate::account::keep_notice_for_plain_form(NOTICE, &others_signed_out(ended)).await?;
    Ok(OthersSignedOut { ended, sessions: sessions_of(&user).await? })
}

#[cfg(feature = "ssr")]
async fn audit(
    user: &gatehouse_core::model::User,
    kind: gatehouse_core::model::AuditKind,
    detail: &str,
) -> AppResult<()> {
    use gatehouse_core::model::AuditEvent;
    use gatehouse_core::store::AuditLog;
    let mut event = AuditEvent::new(kind);
    event.user_id = Some(user.id.clone());
    event.account_id = user.account_id.clone();
    event.client_ip = crate::auth::client().audit_address();
    event.detail = detail.to_owned();
    let state = crate::ssr::state()?;
    state.db.record(gatehouse_core::Timestamp::now(), &event).await.map_err(crate::ssr::internal)
}

/// "Active now", "5 minutes ago", "3 hours ago", or the date.
#[cfg(feature = "ssr")]
fn ago(secs: i64, date: impl FnOnce() -> String) -> String {
    match secs {
        s if s < 120 => t("sessions-active-now"),
        s if s < 3600 => t_with("sessions-minutes-ago", [("minutes", FluentValue::from(s / 60))]),
        s if s < 24 * 3600 => t_with("sessions-hours-ago", [("hours", FluentValue::from(s / 3600))]),
        _ => date(),
    }
}

/// The list comes with the page (no resource of its own: one per page keeps hydration
/// simple); each action answers with the sessions left.
/// `kept`: what a change posted without the script said.
#[component]
pub fn SessionsSection(sessions: Vec<SessionView>, kept: Option<String>) -> impl IntoView {
    let sign_out = ServerAction::<SessionSignOut>::new();
    let others = ServerAction::<SignOutOtherSessions>::new();
    let items = RwSignal::new(sessions);
    let notice = RwSignal::new(kept);
    let error = RwSignal::new(None::<String>);
    let show = move |answer: Option<AppResult<(Vec<SessionView>, String)>>| match answer {
        Some(Ok((left, said))) => {
            items.set(left);
            notice.set(Some(said));
            error.set(None);
        }
        Some(Err(e)) => {
            error.set(Some(e.to_string()));
            notice.set(None);
        }
        None => {}
    };
    let one = move || sign_out.value().get().map(|r| r.map(|left| (left, t("sessions-one-signed-out"))));
    let all = move || others.value().get().map(|r| r.map(|done| (done.sessions, others_signed_out(done.ended))));
    // A refusal of a plain form's post comes back in the page's address: shown at once, in
    // the server's page too (effects run only in the browser).
    show(untrack(one));
    show(untrack(all));
    Effect::new(move |_| show(one()));
    Effect::new(move |_| show(all()));
    view! {
        <h2 id="sessions-title">{t("sessions-title")}</h2>
        <p>{t("sessions-lead")}</p>
        <p class="notice" role="status" data-testid="sessions-notice">{move || notice.get()}</p>
        <p class="error" role="alert" data-testid="sessions-error">{move || error.get()}</p>
        <table class="records" aria-labelledby="sessions-title">
            <thead><tr>
                <th scope="col">{t("sessions-column-browser")}</th><th scope="col">{t("sessions-column-signed-in")}</th>
                <th scope="col">{t("sessions-column-last-active")}</th><th scope="col">{t("sessions-column-from")}</th>
                <th scope="col"><span class="visually-hidden">{t("sessions-column-actions")}</span></th>
            </tr></thead>
            <tbody>
                <For each=move || items.get() key=|s| s.handle.clone() let:session>
                    <SessionRow session action=sign_out/>
                </For>
            </tbody>
        </table>
        <Show when=move || items.read().iter().any(|s| !s.current)>
            <ActionForm action=others>
                <button type="submit" class="secondary">{t("sessions-sign-out-others")}</button>
            </ActionForm>
        </Show>
    }
    // Erased: the Security page's view type is deep enough already.
    .into_any()
}

#[component]
fn SessionRow(session: SessionView, action: ServerAction<SessionSignOut>) -> impl IntoView {
    let current = session.current;
    view! {
        <tr data-testid="session" data-current=current.to_string()>
            <td>
                <span>{session.browser}</span>
                {current.then(|| view! { <span class="badge">{t("sessions-this-browser")}</span> })}
                {(!session.applications.is_empty()).then(|| view! {
                    <span class="applications" data-testid="session-applications">
                        {t_with("sessions-signed-in-to", [("applications", FluentValue::from(session.applications.join(", ")))])}
                    </span>
                })}
            </td>
            <td data-label=t("sessions-column-signed-in")>{session.signed_in}</td>
            <td data-label=t("sessions-column-last-active")>{session.last_active}</td>
            <td data-label=t("sessions-column-from")>{session.address}</td>
            <td class="actions">
                {(!current).then(|| view! {
                    <ActionForm action>
                        <input type="hidden" name="handle" value=session.handle/>
                        <button type="submit" class="toggle">{t("sessions-sign-out")}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
