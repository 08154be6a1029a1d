//! Recovery codes: **Use a recovery code** at the code step (`/Account/Login?step=recovery`),
//! the page that shows a new set once (`/Account/RecoveryCodes`, after 2FA setup and after
//! **Generate new recovery codes** on the Security page), and how many are left.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_with};

#[cfg(feature = "ssr")]
pub mod ssr {
    use gatehouse_core::model::User;
    use gatehouse_core::Timestamp;

    use crate::error::AppResult;
    use crate::ssr::{internal, state};

    /// A new set for the person, kept in the session for its page to show once.
    pub async fn issue_and_stash(user: &User) -> AppResult<()> {
        let state = state()?;
        let codes = gatehouse_core::signin::recovery::issue(
            &state.db,
            &state.secret_key,
            user,
            &crate::auth::client(),
            Timestamp::now(),
        )
        .await
        .map_err(internal)?;
        crate::auth::stash_recovery_codes(user, &codes).await
    }

    /// A new set asked for on the Security page (after its proof), and the mail that says so.
    pub async fn regenerate(user: &User) -> AppResult<()> {
        issue_and_stash(user).await?;
        crate::ssr::notify(user, |(t, product, links)| {
            gatehouse_core::mail::recovery_codes_regenerated(t, product, &user.email, links)
        })
        .await;
        Ok(())
    }
}

/// The code step with a recovery code instead of the authenticator's code: only for a
/// sign-in whose first step asked for the code.
#[server(endpoint = "use_recovery_code")]
pub async fn use_recovery_code(recovery_code: String) -> AppResult<()> {
    use gatehouse_core::mail::recovery_code_used;
    use gatehouse_core::signin::recovery::verify_recovery_code;
    use gatehouse_core::Timestamp;

    use crate::auth::{client, complete_sign_in, sign_in_error};

    let pending = crate::auth::pending().await?;
    let state = crate::ssr::state()?;
    let (db, key, client, now) = (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now());
    let step = pending.clone();
    let (user, left) =
        crate::ssr::to_completion(
            async move { verify_recovery_code(&db, &key, &step, &recovery_code, &client, now).await },
        )
        .await?
        .map_err(sign_in_error)?;
    crate::account::reset::ssr::finish_reset(&pending, &user).await?;
    let amr = gatehouse_core::oidc::amr(Some(&pending.first), gatehouse_core::oidc::Proof::RecoveryCode);
    complete_sign_in(&user, &amr).await?;
    crate::ssr::notify(&user, |(t, product, links)| recovery_code_used(t, product, &user.email, left, links)).await;
    // Back to the application that asked, if one did (the mail tells them how many are left);
    // otherwise the Security page, to make new ones.
    match crate::auth::landing() {
        "/" => leptos_axum::redirect(&format!("/Account/Security?recovery_codes_left={left}")),
        application => leptos_axum::redirect(application),
    }
    Ok(())
}

/// How many of the signed-in person's recovery codes are unused.
#[server(endpoint = "recovery_codes_left")]
pub async fn recovery_codes_left() -> AppResult<u64> {
    use gatehouse_core::store::RecoveryCodes;
    let user = crate::auth::signed_in().await?;
    crate::ssr::state()?.db.recovery_codes_left(&user.id).await.map_err(crate::ssr::internal)
}

/// A new set replacing the old, after the current `code` from the person's authenticator
/// (used up), however recent the sign-in: a recovery code replaces the authenticator, so a
/// borrowed signed-in browser must not be able to mint one. Not a passkey instead: a
/// borrowed browser can add a passkey of its own, and the codes stand in for the app, whose
/// code is what proves it. The browser then goes to `/Account/RecoveryCodes`, which shows the
/// set once.
#[server(endpoint = "regenerate_recovery_codes")]
pub async fn regenerate_recovery_codes(code: String) -> AppResult<()> {
    let user = crate::auth::signed_in().await?;
    crate::auth::step_up_with_code(&user, code).await?;
    ssr::regenerate(&user).await
}

/// The new set waiting in this session, taken out of it: `None` once shown.
#[server(endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> AppResult<Option<Vec<String>>> {
    let user = crate::auth::signed_in().await?;
    crate::auth::take_recovery_codes(&user).await
}

/// The code step's other form: a recovery code. A plain form post before hydration.
#[component]
pub fn RecoveryStep() -> impl IntoView {
    let verify = ServerAction::<UseRecoveryCode>::new();
    let error = move || verify.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">{t("recovery-step-lead")}</p>
        <ActionForm action=verify>
            <crate::components::RecoveryCodeField/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("recovery-log-in")}</button>
        </ActionForm>
        <p class="aside"><a href="/Account/Login?step=code">{t("recovery-use-authenticator")}</a></p>
    }
}

#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new_blocking(|| (), |_| fresh_recovery_codes());
    view! {
        <Title text=t("recovery-page-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match codes.await {
                    Ok(Some(codes)) => view! { <FreshCodes codes/> }.into_any(),
                    Ok(None) => view! {
                        <section class="card narrow" aria-labelledby="codes-title">
                            <h1 id="codes-title">{t("recovery-title")}</h1>
                            <p>{t("recovery-shown-once")}</p>
                            <p><a href="/Account/Security">{t("recovery-go-to-security")}</a></p>
                            <p><a href="/">{t("recovery-go-to-start")}</a></p>
                        </section>
                    }.into_any(),
                    Err(AppError::NotSignedIn) => view! { <Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! { <section class="card"><p class="error" role="alert">{e.to_string()}</p></section> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FreshCodes(codes: Vec<String>) -> impl IntoView {
    let text = format!("{}\n\n{}\n", t("recovery-file-heading"), codes.join("\n"));
    let download = format!(
        "data:text/plain;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
    );
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "browser")]
        {
            let clipboard = window().navigator().clipboard();
            let text = text.clone();
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
                    copied.set(true);
                }
            });
        }
        #[cfg(not(feature = "browser"))]
        let _ = &text;
    };
    let print = move |_| {
        #[cfg(feature = "browser")]
        let _ = window().print();
    };
    view! {
        <section class="card narrow" aria-labelledby="codes-title">
            <h1 id="codes-title">{t("recovery-save-title")}</h1>
            <p>{t("recovery-save-lead")}</p>
            <ol class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <div class="code-actions no-print">
                <a class="button secondary" href=download download=t("recovery-file-name")>{t("recovery-download")}</a>
                <button type="button" class="secondary" on:click=copy>
                    {move || if copied.get() { t("recovery-copied") } else { t("recovery-copy") }}
                </button>
                <button type="button" class="secondary" on:click=print>{t("recovery-print")}</button>
            </div>
            <p class="no-print"><a class="button primary" href=crate::account::application::CONTINUE rel="external">{t("recovery-saved-continue")}</a></p>
        </section>
    }
}

/// The Security page's section: how many codes are left, and a new set on request.
#[component]
pub fn RecoverySection(left: u64, #[prop(into)] regenerate: Callback<()>) -> impl IntoView {
    let status = t_with("recovery-left", [("count", FluentValue::from(left))]);
    let hydrated = crate::components::hydrated();
    view! {
        <h2 id="recovery-title">{t("recovery-title")}</h2>
        <p>{t("recovery-section-lead")}</p>
        <p data-testid="recovery-left" class=if left < 3 { "warning" } else { "" }>{status}</p>
        <button type="button" class="secondary" disabled=move || !hydrated.get() on:click=move |_| regenerate.run(())>
            {t("recovery-generate")}
        </button>
    }
}
