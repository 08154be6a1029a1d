//! `/Account/Users`, in its first form: the account's users with role, 2FA state and last
//! sign-in, each with **Request 2FA reset**, for the account owner and co-owners only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::account::session::current_user;
use crate::error::{AppError, AppResult};

/// A user as the page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub email: String,
    /// How the role reads ("account owner", "co-owner", "user").
    pub role: String,
    /// False also for someone who has not accepted their invitation yet.
    pub has_2fa: bool,
    pub invited: bool,
    pub passkeys: i64,
    pub last_sign_in: Option<String>,
}

/// The account's users. Only its owner and co-owners may see them.
#[server(endpoint = "account_users")]
pub async fn account_users() -> AppResult<Vec<MemberView>> {
    use gatehouse_core::store::Directory;
    use gatehouse_core::Role;

    let me = crate::auth::signed_in_as(&[Role::Owner, Role::CoOwner]).await?;
    let state = crate::ssr::state()?;
    let Some(account) = me.account_id else { return Err(crate::ssr::with_status(AppError::Forbidden)) };
    let members = state.db.account_members(&account).await.map_err(crate::ssr::internal)?;
    Ok(members
        .into_iter()
        .map(|m| MemberView {
            email: m.user.email.to_string(),
            role: m.user.role.label().to_owned(),
            has_2fa: m.has_authenticator,
            invited: !m.user.has_password,
            passkeys: m.passkeys,
            last_sign_in: m.last_sign_in.map(crate::ssr::when),
        })
        .collect())
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let list = Resource::new_blocking(
        || (),
        |_| async move {
            match current_user().await? {
                Some(_) => account_users().await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Users"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(Some(members)) => view! { <Users members/> }.into_any(),
                    Ok(None) | Err(AppError::NotSignedIn) => view! { <Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! {
                        <section class="card">
                            <h1>"Users"</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p class="aside"><a href="/">"Back to the start page"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Users(members: Vec<MemberView>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="users-title">
            <h1 id="users-title">"Users"</h1>
            <p class="aside"><a href="/">"Back to the start page"</a></p>
            <p>"When someone has lost their authenticator app, ask support to reset their 2FA. They keep their password and passkeys, and set up the app again at their next login."</p>
            <table class="records users" aria-labelledby="users-title">
                <thead><tr>
                    <th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"2FA"</th>
                    <th scope="col">"Last sign-in"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {members.into_iter().enumerate().map(|(i, m)| {
                        let reset = format!("/support/new?for={}", utf8_percent_encode(&m.email, NON_ALPHANUMERIC));
                        let two_fa = match (m.invited, m.has_2fa) {
                            (true, _) => "Invitation pending".to_owned(),
                            (false, true) => "Authenticator app".to_owned(),
                            (false, false) => "Not set up".to_owned(),
                        };
                        let two_fa = match m.passkeys {
                            0 => two_fa,
                            1 => format!("{two_fa}, 1 passkey"),
                            n => format!("{two_fa}, {n} passkeys"),
                        };
                        let who = format!("user-{i}");
                        view! {
                            <tr>
                                <td class="passkey-name" id=who.clone()>{m.email.clone()}</td>
                                <td data-label="Role">{m.role}</td>
                                <td data-label="2FA">{two_fa}</td>
                                <td data-label="Last sign-in">{m.last_sign_in.unwrap_or_else(|| "Never".into())}</td>
                                <td class="actions">
                                    // The name is the product's label; the description says whose.
                                    <a class="button small" href=reset aria-describedby=who>"Request 2FA reset"</a>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <crate::account::idle::IdleWarning/>
    }
}
