//! `/Account/Users`, for the account owner and co-owners: the account's users with role, 2FA
//! state, passkeys and last sign-in; inviting people, pending invitations, roles, ownership
//! and removal ([`manage`], [`forms`]); **Request 2FA reset** for each.

mod forms;
mod manage;

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::account::session::current_user;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_with};

/// A user as the page shows them to the person looking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub email: String,
    /// How the role reads ("account owner", "co-owner", "user").
    pub role: String,
    /// The role as forms name it ("owner", "co-owner", "user").
    pub role_code: String,
    /// False also for someone who has not accepted their invitation yet.
    pub has_2fa: bool,
    pub invited: bool,
    pub passkeys: i64,
    pub last_sign_in: Option<String>,
    /// The person looking.
    pub you: bool,
    /// Whether the person looking may change or remove them.
    pub manageable: bool,
}

/// The account's users, as `viewer` may see and manage them.
#[cfg(feature = "ssr")]
async fn members_for(viewer: &gatehouse_core::model::User) -> AppResult<Vec<MemberView>> {
    use gatehouse_core::members::may_manage;
    use gatehouse_core::store::Directory;

    let state = crate::ssr::state()?;
    let Some(account) = &viewer.account_id else { return Err(crate::ssr::with_status(AppError::Forbidden)) };
    let members = state.db.account_members(account).await.map_err(crate::ssr::internal)?;
    Ok(members
        .into_iter()
        .map(|m| {
            let you = m.user.id == viewer.id;
            MemberView {
                email: m.user.email.to_string(),
                role: t_with("users-role", [("role", FluentValue::from(m.user.role.as_str()))]),
                role_code: m.user.role.as_str().to_owned(),
                has_2fa: m.has_authenticator,
                invited: !m.joined,
                passkeys: m.passkeys,
                last_sign_in: m.last_sign_in.map(crate::ssr::when),
                you,
                manageable: !you && may_manage(viewer.role, m.user.role),
            }
        })
        .collect())
}

pub(crate) const PAGE: &str = "/Account/Users";

/// The account's users. Only its owner and co-owners may see them.
#[server(endpoint = "account_users")]
pub async fn account_users() -> AppResult<Vec<MemberView>> {
    use gatehouse_core::Role;
    let me = crate::auth::signed_in_as(&[Role::Owner, Role::CoOwner]).await?;
    members_for(&me).await
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let list = Resource::new_blocking(
        || (),
        |_| async move {
            match current_user().await? {
                Some(_) => Ok(Some((account_users().await?, super::kept_notice(PAGE).await?))),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=t("users-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(Some((members, notice))) => view! { <Users members notice/> }.into_any(),
                    Ok(None) | Err(AppError::NotSignedIn) => view! { <Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! {
                        <section class="card">
                            <h1>{t("users-title")}</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p class="aside"><a href="/">{t("users-back")}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

// Erased views here and in the rows: the hydrate build's type depth.
#[component]
fn Users(members: Vec<MemberView>, notice: Option<String>) -> AnyView {
    let admin = forms::Admin::new(members, notice);
    let items = admin.members;
    let owner = move || items.read().iter().any(|m| m.you && m.role_code == "owner");
    view! {
        <section class="card" aria-labelledby="users-title">
            <h1 id="users-title">{t("users-title")}</h1>
            <p class="aside"><a href="/">{t("users-back")}</a></p>
            <p>{t("users-lead")}</p>
            <p class="notice" role="status" data-testid="users-notice">{move || admin.notice.get()}</p>
            <p class="error" role="alert" data-testid="users-error">{move || admin.error.get()}</p>
            <table class="records users" aria-labelledby="users-title">
                <thead><tr>
                    <th scope="col">{t("users-column-email")}</th><th scope="col">{t("users-column-role")}</th><th scope="col">{t("users-column-2fa")}</th>
                    <th scope="col">{t("users-column-last-sign-in")}</th><th scope="col"><span class="visually-hidden">{t("users-column-actions")}</span></th>
                </tr></thead>
                <tbody>
                    // Keyed on what the row shows its controls by, so a change redraws it.
                    <For each=move || items.get()
                        key=|m| (m.email.clone(), m.role_code.clone(), m.invited, m.manageable, m.you)
                        let:member>
                        <MemberRow member admin owner=Signal::derive(owner)/>
                    </For>
                </tbody>
            </table>
            {forms::invite_section(admin, Signal::derive(owner))}
            {forms::transfer_section(admin, Signal::derive(owner))}
        </section>
        <crate::account::idle::IdleWarning/>
    }
    .into_any()
}

fn two_fa(m: &MemberView) -> String {
    let app = t(match (m.invited, m.has_2fa) {
        (true, _) => "users-2fa-invited",
        (false, true) => "users-2fa-app",
        (false, false) => "users-2fa-none",
    });
    match m.passkeys {
        0 => app,
        n => t_with("users-2fa-with-passkeys", [("state", FluentValue::from(app)), ("count", FluentValue::from(n))]),
    }
}

#[component]
fn MemberRow(member: MemberView, admin: forms::Admin, owner: Signal<bool>) -> AnyView {
    let reset = format!("/support/new?for={}", utf8_percent_encode(&member.email, NON_ALPHANUMERIC));
    // The row's controls are described by whose row it is (their names are the product's).
    let who = format!("user-{}", utf8_percent_encode(&member.email, NON_ALPHANUMERIC)).replace('%', "_");
    let state = two_fa(&member);
    let you = member.you.then(|| view! { <span class="badge">{t("users-you")}</span> });
    view! {
        <tr data-testid="member" data-email=member.email.clone()>
            <td class="passkey-name"><span id=who.clone()>{member.email.clone()}</span>{you}</td>
            <td data-label=t("users-column-role")>{member.role.clone()}</td>
            <td data-label=t("users-column-2fa")>{state}</td>
            <td data-label=t("users-column-last-sign-in")>{member.last_sign_in.clone().unwrap_or_else(|| t("users-never"))}</td>
            <td class="actions">
                {forms::row_actions(admin, &member, owner, &who)}
                // Only for whom the support console would approve it: the people one manages,
                // and the owner's own (which needs their documents).
                {(!member.invited && (member.manageable || (member.you && member.role_code == "owner"))).then(|| view! {
                    <a class="button small" href=reset aria-describedby=who.clone()>{t("users-request-reset")}</a>
                })}
            </td>
        </tr>
    }
    .into_any()
}
