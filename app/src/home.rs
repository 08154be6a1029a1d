//! `/`: who is signed in and into which account; the sign-in page for everyone else.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use gatehouse_l10n::FluentValue;

use crate::account::session::{current_user, LogOut};
use crate::i18n::{t, t_with};

#[component]
pub fn HomePage() -> impl IntoView {
    // Blocking, on an async route: the redirect for signed-out visitors must be decided
    // before the first byte is sent, so it is a real 302 and not a client-side jump.
    let user = Resource::new_blocking(|| (), |_| current_user());
    let log_out = ServerAction::<LogOut>::new();
    // Rare (the database failed), but then the person must not take it that they signed out.
    let log_out_error = move || log_out.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <Title text=""/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(me)) => {
                        let manages = matches!(me.role.as_str(), "owner" | "co-owner");
                        let agent = me.role == "agent";
                        let role = t_with("home-role-name", [("role", FluentValue::from(me.role.clone()))]);
                        view! {
                        <section class="card" aria-labelledby="welcome">
                            <h1 id="welcome">{t("home-title")}</h1>
                            <dl class="facts">
                                <dt>{t("home-signed-in-as")}</dt><dd data-testid="email">{me.email}</dd>
                                <dt>{t("home-role")}</dt><dd data-testid="role">{role}</dd>
                                <dt>{t("home-account")}</dt>
                                <dd data-testid="account">{me.account.unwrap_or_else(|| t("home-no-account"))}</dd>
                            </dl>
                            <ul class="links">
                                <li><a href="/Account/Security">{t("home-security")}</a></li>
                                {manages.then(|| view! { <li><a href="/Account/Users">{t("home-users")}</a></li> })}
                                {agent.then(|| view! { <li><a href="/support/console">{t("home-support-console")}</a></li> })}
                            </ul>
                            <ActionForm action=log_out>
                                <p class="error" role="alert" data-testid="log-out-error">{log_out_error}</p>
                                <button type="submit" class="secondary">{t("home-log-out")}</button>
                            </ActionForm>
                        </section>
                        <crate::account::idle::IdleWarning/>
                    }.into_any()
                    }
                    _ => view! { <Redirect path="/Account/Login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
