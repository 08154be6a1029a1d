//! `/support/confirm?token=...`: the requester of a request filed signed out confirms it from
//! the link mailed to the address they typed. Opening the link only shows the request (mail
//! scanners open links too); **Confirm request** posts, and only then does the request reach
//! support's queue, with "confirmed from the mailbox" as its requester's proof.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

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
    let mail =
        gatehouse_core::support::mail::received(&state.settings.product_name, &r.requester_email, &r.reference.0);
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
        <Title text="Confirm your support request"/>
        <section class="card narrow" aria-labelledby="confirm-title">
            <h1 id="confirm-title">"Confirm your support request"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(request) => view! { <ConfirmForm request token=token()/> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/support/new?reset=1">"Send a new request"</a></p>
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
    let documents = match request.documents {
        0 => "None".to_owned(),
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    };
    view! {
        <p>"Someone, hopefully you, asked support to reset two-factor authentication, giving your email address. Support looks at the request only once you confirm that you sent it."</p>
        <dl class="facts" data-testid="awaiting">
            <dt>"Reference"</dt><dd>{request.reference}</dd>
            <dt>"Your email address"</dt><dd>{request.requester_email}</dd>
            <dt>"Account name"</dt><dd>{request.account_name}</dd>
            <dt>"Person to reset"</dt><dd>{request.target_email}</dd>
            <dt>"Subject"</dt><dd>{request.subject}</dd>
            <dt>"Documents"</dt><dd>{documents}</dd>
        </dl>
        <ActionForm action=confirm>
            <input type="hidden" name="token" value=token/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">"Confirm request"</button>
        </ActionForm>
        <p class="aside">"Not you? Close this page: an unconfirmed request is deleted after 24 hours, with its documents."</p>
    }
}
