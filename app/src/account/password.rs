//! **Password** on the Security page: change it with the current password and a code from
//! the authenticator app; every other session of the person ends.

use gatehouse_l10n::FluentValue;
use leptos::html;
use leptos::prelude::*;

use crate::components::{CodeField, PasswordField};
use crate::error::AppResult;
use crate::i18n::{t, t_with};

/// Changes the signed-in person's password; how many other sessions were signed out.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    confirmation: String,
    code: String,
) -> AppResult<u64> {
    use gatehouse_core::mail::password_changed;
    use gatehouse_core::signin::password_change::{change_password, PasswordChange};
    use gatehouse_core::signin::NewPassword;
    use gatehouse_core::store::{Directory, SessionRecords};
    use gatehouse_core::Timestamp;

    use crate::auth::{client, sign_in_error};
    use crate::ssr::internal;

    let user = crate::auth::signed_in().await?;
    let state = crate::ssr::state()?;
    let account = match &user.account_id {
        Some(id) => state.db.account_by_id(id).await.map_err(internal)?.map(|a| a.name),
        None => None,
    };
    // A signed-in session has been saved, so it has an id.
    let current = crate::auth::session_id().await?.ok_or_else(|| internal("a signed-in session without an id"))?;
    let (key, client, now, who) = (state.secret_key.clone(), client(), Timestamp::now(), user.clone());
    let product = state.settings.product_name.clone();
    // The new password, the other sessions ending and the mail go together, even if the
    // browser stops waiting half-way.
    let ended = crate::ssr::to_completion(async move {
        let context: Vec<&str> = [Some(product.as_str()), account.as_deref()].into_iter().flatten().collect();
        let change = PasswordChange {
            current: &current_password,
            new: NewPassword { password: &password, confirmation: &confirmation },
            code: &code,
            context: &context,
        };
        let db = &state.db;
        change_password(db, &crate::ssr::Hashing(&state.hashing), &key, &who, change, &client, now).await?;
        let ended = db.delete_other_sessions(&who.id, &current).await?;
        crate::ssr::notify_from(&state, &who, |(t, product, links)| password_changed(t, product, &who.email, links))
            .await;
        Ok::<_, gatehouse_core::signin::SignInError>(ended)
    })
    .await?
    // Mapped here, in the request: the answer's status is set through its context.
    .map_err(sign_in_error)?;
    let (ended, generation) = ended;
    crate::auth::keep_generation(&user, generation).await?;
    // The code just given counts as a fresh sign-in; the session gets a new id with it.
    crate::auth::renew_authentication(&user).await?;
    crate::account::keep_notice_for_plain_form(NOTICE, &changed(ended)).await?;
    Ok(ended)
}

/// Where a change posted without the page's script leaves its notice (see `kept_notice`).
pub(crate) const NOTICE: &str = "/Account/Security#password";

fn changed(ended: u64) -> String {
    t_with("password-changed", [("ended", FluentValue::from(ended))])
}

/// `kept`: what a change posted without the script said, shown until the next answer.
#[component]
pub fn PasswordSection(kept: Option<String>) -> AnyView {
    let change = ServerAction::<ChangePassword>::new();
    let form = NodeRef::<html::Form>::new();
    let error = move || change.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let done = move || match change.value().get() {
        Some(answer) => answer.ok().map(changed),
        None => kept.clone(),
    };
    // Emptied after a change, so the passwords do not stay on screen.
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(_))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <h2 id="password-title">{t("password-title")}</h2>
        <p>{t("password-lead")}</p>
        <p class="notice" role="status" data-testid="password-notice">{done}</p>
        <ActionForm action=change node_ref=form attr:aria-labelledby="password-title">
            <PasswordField label=t("password-current") name="current_password" autocomplete="current-password"/>
            <PasswordField label=t("password-new") name="password" autocomplete="new-password" described_by="new-password-hint"/>
            <crate::components::NewPasswordHint id="new-password-hint"/>
            <PasswordField label=t("password-confirm") name="confirmation" autocomplete="new-password"/>
            <CodeField id="password-code"/>
            <p class="error" role="alert" data-testid="password-error">{error}</p>
            <button type="submit" class="primary" disabled=move || change.pending().get()>
                {t("password-change")}
            </button>
        </ActionForm>
    }
    .into_any()
}
