//! `/support/confirm?token=...`: the requester of a request filed signed out confirms it from
//! the link mailed to the address they typed. Opening the link only shows the request (mail
//! scanners open links too); **Confirm request** posts, and only then does the request reach
//! support's queue, with "confirmed from the mailbox" as its requester's proof.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::i18n::{t, t_with};

/// A request waiting for its requester, as the confirmation page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Awaiting {
    pub reference: String,
    pub requester_email: String,
    pub account_name: String,
    pub target_email: String,
    pub subject: String,
    pub documents: usize,
}

#[cfg(feature = "ssr")]
fn confirm_error(e: gatehouse_core::support::service::ConfirmError) -> crate::error::AppError {
    use gatehouse_core::support::service::ConfirmError;
    match e {
        ConfirmError::Store(e) => crate::ssr::internal(e),
        rule => crate::ssr::with_status(crate::error::AppError::Invalid(rule.to_string())),
    }
}

/// Public: the token is the credential. What the link would confirm; nothing changes.
#[server(endpoint = "support_confirmation")]
pub async fn support_confirmation(token: String) -> AppResult<Awaiting> {
    use gatehouse_core::support::service;
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let r = service::awaiting(&state.db, &token, gatehouse_core::Timestamp::now()).await.map_err(confirm_error)?;
    Ok(Awaiting {
        reference: r.reference.0,
        requester_email: r.requester_email.to_string(),
        account_name: r.account_name,
        target_email: r.target_email.to_string(),
        subject: r.subject,
        documents: r.documents.len(),
    })
}

/// Public: the token is the credential. The request enters support's queue, once; its
/// reference.
#[server(endpoint = "confirm_support_request")]
pub async fn confirm_support_request(token: String) -> AppResult<String> {
    use gatehouse_core::support::service;
    crate::auth::anyone();
    let state = crate::ssr::state()?;
    let (db, client) = (state.db.clone(), crate::auth::client());
    let confirmed = crate::ssr::to_completion(async move {
        service::confirm(&db, &token, &client, gatehouse_core::Timestamp::now()).await
    })
    .await?
    .map_err(confirm_error)?;
    let r = &confirmed;
    let language = crate::ssr::address_language(&state, &r.requester_email).await;
    let mail = gatehouse_core::support::mail::received(
        &language,
        &state.settings.product_name,
        &r.requester_email,
        &r.reference.0,
    );
    if let Err(e) = state.mailer.send(mail).await {
        tracing::warn!(error = %e, "support receipt not sent");
    }
    let reference = confirmed.reference.0;
    leptos_axum::redirect(&format!("/support/new?sent={reference}"));
    Ok(reference)
}

#[component]
pub fn ConfirmRequestPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let info = Resource::new_blocking(token, support_confirmation);
    view! {
        <Title text=t("support-confirm-page-title")/>
        <section class="card narrow" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{t("support-confirm-page-title")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(request) => view! { <ConfirmForm request token=token()/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/support/new?reset=1">{t("support-confirm-new-request")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ConfirmForm(request: Awaiting, token: String) -> impl IntoView {
    let confirm = ServerAction::<ConfirmSupportRequest>::new();
    let error = move || confirm.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let documents = t_with("support-confirm-document-count", [("count", FluentValue::from(request.documents))]);
    view! {
        <p>{t("support-confirm-intro")}</p>
        <dl class="facts" data-testid="awaiting">
            <dt>{t("support-confirm-reference")}</dt><dd>{request.reference}</dd>
            <dt>{t("support-requester-email")}</dt><dd>{request.requester_email}</dd>
            <dt>{t("support-account-name")}</dt><dd>{request.account_name}</dd>
            <dt>{t("support-confirm-target")}</dt><dd>{request.target_email}</dd>
            <dt>{t("support-subject")}</dt><dd>{request.subject}</dd>
            <dt>{t("support-confirm-documents")}</dt><dd>{documents}</dd>
        </dl>
        <ActionForm action=confirm>
            <input type="hidden" name="token" value=token/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("support-confirm-submit")}</button>
        </ActionForm>
        <p class="aside">{t("support-confirm-not-you")}</p>
    }
}
