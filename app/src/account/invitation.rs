//! `/Account/AcceptInvitation?token=...`: the invited person chooses a password, or signs in
//! with a configured provider from here (the only way a provider accepts an invitation); 2FA
//! setup follows at once.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::PasswordField;
use crate::error::AppResult;
use crate::i18n::{t, t_with};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationDetails {
    pub email: String,
    pub role: String,
    pub account: Option<String>,
}

#[cfg(feature = "ssr")]
fn invitation_error(e: gatehouse_core::signin::InvitationError) -> crate::error::AppError {
    use gatehouse_core::signin::InvitationError;
    match e {
        InvitationError::Store(e) => crate::ssr::internal(e),
        rule => crate::ssr::with_status(crate::error::AppError::Invalid(rule.to_string())),
    }
}

/// Public: the token is the credential.
#[server(endpoint = "invitation_info")]
pub async fn invitation_info(token: String) -> AppResult<InvitationDetails> {
    use gatehouse_core::{signin, Timestamp};
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let pending = signin::invitation(&state.db, &token, Timestamp::now()).await.map_err(invitation_error)?;
    Ok(InvitationDetails {
        email: pending.user.email.to_string(),
        role: pending.user.role.label().to_owned(),
        account: pending.account.map(|a| a.name),
    })
}

/// Public: the token is the credential. The new password is a first step like any other;
/// the core then grants setup (or the code, for someone who somehow has an authenticator).
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String, confirmation: String) -> AppResult<()> {
    use gatehouse_core::signin::{self, FirstStep, Mailbox};
    use gatehouse_core::Timestamp;

    use crate::auth::{begin_second_step, client, second_step_path, sign_in_error};

    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let hashing = crate::ssr::Hashing(&state.hashing);
    let product = state.settings.product_name.clone();
    let new = signin::NewPassword { password: &password, confirmation: &confirmation };
    let now = Timestamp::now();
    let user = signin::accept_invitation(&state.db, &hashing, &token, new, &product, &client(), now)
        .await
        .map_err(invitation_error)?;
    // The invitation came by mail: with the new password, it proves what setup needs.
    let pending = signin::after_first_step(&state.db, &user, FirstStep::Password, Mailbox::Invitation, now)
        .await
        .map_err(sign_in_error)?;
    begin_second_step(&user, &pending).await?;
    leptos_axum::redirect(second_step_path(&pending));
    Ok(())
}

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let info = Resource::new_blocking(token, invitation_info);
    view! {
        <Title text=t("invitation-title")/>
        <section class="card narrow" aria-labelledby="invite-title">
            <h1 id="invite-title">{t("invitation-title")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <ChoosePassword info token=token()/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/Account/Login">{t("invitation-go-to-sign-in")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ChoosePassword(info: InvitationDetails, token: String) -> impl IntoView {
    let sso = crate::account::sso::load_buttons();
    let carry = Some(format!("invitation={token}"));
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = move || accept.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let place = match &info.account {
        // The role's label ("account owner") as a message selector ("account-owner").
        Some(account) => t_with(
            "invitation-joining",
            [
                ("account", FluentValue::from(account.as_str())),
                ("role", FluentValue::from(info.role.replace(' ', "-"))),
            ],
        ),
        None => t("invitation-joining-support"),
    };
    view! {
        <p>{place}</p>
        <dl class="facts"><dt>{t("invitation-user-name")}</dt><dd data-testid="invited-email">{info.email.clone()}</dd></dl>
        <ActionForm action=accept>
            <input type="hidden" name="token" value=token/>
            // Lets password managers store the new password under the right user name.
            <input type="text" name="username" autocomplete="username" value=info.email hidden readonly/>
            <PasswordField label=t("invitation-new-password") name="password" autocomplete="new-password" described_by="password-rules"/>
            <crate::components::NewPasswordHint id="password-rules"/>
            <PasswordField label=t("invitation-confirm-password") name="confirmation" id="confirmation" autocomplete="new-password"/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("invitation-create-password")}</button>
        </ActionForm>
        <crate::account::sso::SsoSignIn buttons=sso carry/>
    }
}
