//! The authenticator app: what the Security page says of it, and **Replace authenticator**
//! (`/Account/ReplaceAuthenticator`): the current code (or a recovery code, for someone whose
//! phone is gone), then the QR code of a new secret, then a code from the new app. The old
//! app's codes work until that last step and never after.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::account::setup::{ScanStep, SetupDetails};
use crate::components::{CodeField, RecoveryCodeField};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_with};

const PAGE: &str = "/Account/ReplaceAuthenticator";

/// The Security page's line about the authenticator app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorView {
    pub set_up_at: String,
    pub last_used_at: Option<String>,
}

/// The signed-in person's authenticator app, if they have one.
#[server(endpoint = "authenticator")]
pub async fn authenticator() -> AppResult<Option<AuthenticatorView>> {
    use gatehouse_core::store::Authenticators;
    use gatehouse_core::Timestamp;

    use crate::ssr::{internal, when};
    let user = crate::auth::signed_in().await?;
    let facts = crate::ssr::state()?.db.authenticator_facts(&user.id).await.map_err(internal)?;
    Ok(facts.map(|f| AuthenticatorView {
        set_up_at: when(f.set_up_at),
        last_used_at: f.last_step.map(|step| when(Timestamp(step * gatehouse_core::totp::STEP_SECS as i64))),
    }))
}

/// Starts a replacement after the proof of the current `code`. The browser then goes to the
/// QR code of the new secret.
#[server(endpoint = "replace_authenticator_start")]
pub async fn replace_authenticator_start(code: String) -> AppResult<()> {
    let user = crate::auth::signed_in().await?;
    start_replacement(user, Given::Code(code)).await
}

/// Starts a replacement after the proof of a `recovery_code`, which is used up, for someone
/// whose phone is gone. Its own endpoint so that a refusal of a plain form post shows under
/// the form that was sent, not under both.
#[server(endpoint = "replace_authenticator_with_recovery_code")]
pub async fn replace_authenticator_with_recovery_code(recovery_code: String) -> AppResult<()> {
    let user = crate::auth::signed_in().await?;
    start_replacement(user, Given::RecoveryCode(recovery_code)).await
}

#[cfg(feature = "ssr")]
enum Given {
    Code(String),
    RecoveryCode(String),
}

#[cfg(feature = "ssr")]
async fn start_replacement(user: gatehouse_core::model::User, given: Given) -> AppResult<()> {
    use gatehouse_core::mail::recovery_code_used;
    use gatehouse_core::signin::replace::{self, Proof};
    use gatehouse_core::Timestamp;

    use crate::auth::{client, sign_in_error};

    let state = crate::ssr::state()?;
    let (db, key, client, now, who) =
        (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now(), user.clone());
    let started = crate::ssr::to_completion(async move {
        let proof = match &given {
            Given::Code(code) => Proof::Code(code),
            Given::RecoveryCode(recovery) => Proof::RecoveryCode(recovery),
        };
        replace::start(&db, &key, &who, proof, &client, now).await
    })
    .await?
    .map_err(sign_in_error)?;
    crate::auth::keep_replacement(&started.replacement).await?;
    if let Some(left) = started.recovery_codes_left {
        crate::ssr::notify(&user, |(t, product, links)| recovery_code_used(t, product, &user.email, left, links)).await;
    }
    leptos_axum::redirect(&format!("{PAGE}?step=scan"));
    Ok(())
}

/// The QR code of the replacement this session started, while it lasts.
#[server(endpoint = "replacement_details")]
pub async fn replacement_details() -> AppResult<Option<SetupDetails>> {
    use gatehouse_core::signin::replace;
    use gatehouse_core::Timestamp;

    let user = crate::auth::signed_in().await?;
    let Some(replacement) = crate::auth::replacement(false).await? else { return Ok(None) };
    let state = crate::ssr::state()?;
    let secret = replace::secret(&state.db, &state.secret_key, &user, &replacement, Timestamp::now())
        .await
        .map_err(crate::auth::sign_in_error)?;
    secret.map(|s| crate::account::setup::details(&user, &s)).transpose()
}

/// Confirms the replacement with a code from the new app; the old app's codes die here.
#[server(endpoint = "replace_authenticator_confirm")]
pub async fn replace_authenticator_confirm(code: String) -> AppResult<()> {
    use gatehouse_core::mail::authenticator_replaced;
    use gatehouse_core::signin::{replace, SignInError};
    use gatehouse_core::Timestamp;

    use crate::auth::{client, sign_in_error};

    let user = crate::auth::signed_in().await?;
    let replacement = crate::auth::replacement(false).await?;
    let replacement = replacement.ok_or_else(|| sign_in_error(SignInError::ReplacementExpired))?;
    let state = crate::ssr::state()?;
    let (db, key, client, now, who, id) =
        (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now(), user.clone(), replacement.clone());
    crate::ssr::to_completion(async move { replace::confirm(&db, &key, &who, &id, &code, &client, now).await })
        .await?
        .map_err(sign_in_error)?;
    crate::auth::replacement(true).await?;
    crate::ssr::notify(&user, |(t, product, links)| authenticator_replaced(t, product, &user.email, links)).await;
    leptos_axum::redirect("/Account/Security?authenticator=replaced");
    Ok(())
}

/// The Security page's section: when the app was set up and last used, and the way to
/// replace it.
#[component]
pub fn AuthenticatorSection(app: Option<AuthenticatorView>) -> AnyView {
    let query = use_query_map();
    let replaced =
        move || (query.read().get("authenticator").as_deref() == Some("replaced")).then(|| t("authenticator-replaced"));
    view! {
        <h2 id="authenticator-title">{t("authenticator-title")}</h2>
        <p class="notice" role="status" data-testid="authenticator-notice">{replaced}</p>
        {match app {
            Some(app) => view! {
                <p data-testid="authenticator-facts">
                    {match app.last_used_at {
                        Some(at) => t_with("authenticator-facts-used", [
                            ("set_up", FluentValue::from(app.set_up_at)),
                            ("last_used", FluentValue::from(at)),
                        ]),
                        None => t_with("authenticator-facts-unused", [("set_up", FluentValue::from(app.set_up_at))]),
                    }}
                </p>
                <p>{t("authenticator-replace-lead")}</p>
                <p><a class="button secondary" href=PAGE>{t("authenticator-replace")}</a></p>
            }.into_any(),
            None => view! {
                <p data-testid="authenticator-facts">{t("authenticator-none")}</p>
            }.into_any(),
        }}
    }
    .into_any()
}

#[component]
pub fn ReplaceAuthenticatorPage() -> impl IntoView {
    let query = use_query_map();
    let step = move || query.read().get("step");
    // Reloaded with the step, so the client's navigation to the QR code fetches it.
    let details = Resource::new_blocking(step, |_| replacement_details());
    view! {
        <Title text=t("authenticator-replace")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body = match (details.await, step().as_deref()) {
                    (Err(AppError::NotSignedIn), _) => return view! { <Redirect path="/Account/Login"/> }.into_any(),
                    (Err(e), _) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    (Ok(Some(info)), Some("scan")) => view! { <ScanStep info intro=t("authenticator-replace-intro") next=PAGE/> }.into_any(),
                    (Ok(Some(_)), Some("code")) => view! { <ConfirmStep/> }.into_any(),
                    (Ok(None), Some(_)) => view! {
                        <p class="error" role="alert">{t("authenticator-expired")}</p>
                        <ProofStep/>
                    }.into_any(),
                    (Ok(_), _) => view! { <ProofStep/> }.into_any(),
                };
                view! {
                    <section class="card" aria-labelledby="replace-title">
                        <h1 id="replace-title">{t("authenticator-replace")}</h1>
                        {body}
                        <p class="aside"><a href="/Account/Security">{t("authenticator-cancel")}</a></p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn ProofStep() -> impl IntoView {
    let with_code = ServerAction::<ReplaceAuthenticatorStart>::new();
    let with_recovery = ServerAction::<ReplaceAuthenticatorWithRecoveryCode>::new();
    let code_error = move || with_code.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let recovery_error = move || with_recovery.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">{t("authenticator-proof-lead")}</p>
        <ActionForm action=with_code>
            <CodeField/>
            <p class="error" role="alert" data-testid="proof-error">{code_error}</p>
            <button type="submit" class="primary">{t("authenticator-continue")}</button>
        </ActionForm>
        <h2>{t("authenticator-lost-title")}</h2>
        <p>{t("authenticator-lost-lead")}</p>
        <ActionForm action=with_recovery>
            <RecoveryCodeField/>
            <p class="error" role="alert" data-testid="recovery-proof-error">{recovery_error}</p>
            <button type="submit" class="secondary">{t("authenticator-continue-recovery")}</button>
        </ActionForm>
    }
}

#[component]
fn ConfirmStep() -> impl IntoView {
    let confirm = ServerAction::<ReplaceAuthenticatorConfirm>::new();
    let error = move || confirm.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">{t("authenticator-confirm-lead")}</p>
        <ActionForm action=confirm>
            <CodeField/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("authenticator-replace")}</button>
        </ActionForm>
        <p class="aside"><a href=format!("{PAGE}?step=scan")>{t("authenticator-back-to-qr")}</a></p>
    }
}
