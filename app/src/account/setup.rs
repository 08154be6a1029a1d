//! `/Account/SetupTwoFactor`: scan the QR code (or type the key), **Next**, enter the
//! **Authentication code**, **Next**. Reached right after the password when the user has no
//! authenticator yet and their mailbox is proved too: by the invitation they just accepted, or
//! by the setup link mailed to them (after a 2FA reset, or when their password was right but
//! they had no authenticator). It cannot be skipped.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::components::CodeField;
use crate::error::{AppError, AppResult};
use crate::i18n::t;

/// What the setup page shows. The secret travels to the page once, to be scanned or typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupDetails {
    pub qr_svg: String,
    pub key_grouped: String,
    pub account_label: String,
}

#[cfg(feature = "ssr")]
fn qr_svg(uri: &str) -> Result<String, crate::error::AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(crate::ssr::internal)?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(232, 232)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inlined into the page: drop the XML prolog, label the image for screen readers.
    let svg = svg.trim_start_matches(|c| c != '<').splitn(2, "?>").last().unwrap_or_default().trim_start().to_owned();
    let label = t("setup-qr-label").replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Ok(svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" "), 1))
}

/// The secret to scan: only for a sign-in whose first step asked for setup (a person
/// without an authenticator), never for one that asked for the code.
#[server(endpoint = "setup_info")]
pub async fn setup_info() -> AppResult<SetupDetails> {
    use gatehouse_core::{signin, Timestamp};

    use crate::auth::sign_in_error;

    let pending = crate::auth::pending().await?;
    let state = crate::ssr::state()?;
    let (user, secret) =
        signin::setup_secret(&state.db, &state.secret_key, &pending, Timestamp::now()).await.map_err(sign_in_error)?;
    details(&user, &secret)
}

/// The QR code and key of a new secret, for setup and for replacing an authenticator.
#[cfg(feature = "ssr")]
pub fn details(
    user: &gatehouse_core::model::User,
    secret: &gatehouse_core::totp::TotpSecret,
) -> AppResult<SetupDetails> {
    let product = &crate::ssr::state()?.settings.product_name;
    let uri = gatehouse_core::totp::otpauth_uri(product, user.email.as_str(), secret);
    Ok(SetupDetails {
        qr_svg: qr_svg(&uri)?,
        key_grouped: secret.base32_grouped(),
        account_label: format!("{product}: {}", user.email),
    })
}

#[server(endpoint = "confirm_setup")]
pub async fn confirm_setup(code: String) -> AppResult<()> {
    use gatehouse_core::{signin, Timestamp};

    use crate::auth::{client, complete_sign_in, sign_in_error};

    let pending = crate::auth::pending().await?;
    let amr = gatehouse_core::oidc::amr(Some(&pending.first), gatehouse_core::oidc::Proof::Code);
    let state = crate::ssr::state()?;
    let (db, key, client, now) = (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now());
    let user =
        crate::ssr::to_completion(async move { signin::confirm_setup(&db, &key, &pending, &code, &client, now).await })
            .await?
            .map_err(sign_in_error)?;
    complete_sign_in(&user, &amr).await?;
    crate::account::recovery::ssr::issue_and_stash(&user).await?;
    crate::ssr::notify(&user, |(t, product, links)| {
        gatehouse_core::mail::authenticator_set_up(t, product, &user.email, links)
    })
    .await;
    leptos_axum::redirect("/Account/RecoveryCodes");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use gatehouse_core::model::User;
    use gatehouse_core::signin::{setup_link, Mailbox};
    use gatehouse_core::token::{Token, TokenHash};
    use gatehouse_core::Timestamp;

    use crate::ssr::AppState;

    /// The hash of a setup link's token, as a sign-in carried it (malformed: none).
    pub fn link_hash(token: Option<&str>) -> Option<TokenHash> {
        token.and_then(|t| Token::from_link(t.trim())).map(|t| t.hash())
    }

    /// What proves the mailbox of a sign-in that carried `link`.
    pub fn mailbox(link: Option<&TokenHash>) -> Mailbox<'_> {
        link.map_or(Mailbox::Unproved, Mailbox::SetupLink)
    }

    /// Mails the person a new setup link (none when one went less than a minute ago: that one
    /// is on its way). Failures are logged: the person can log in again for another.
    pub async fn mail_setup_link(state: &AppState, user: &User, client: &gatehouse_core::signin::Client) {
        match setup_link::issue(&state.db, user, setup_link::Because::SignIn, client, Timestamp::now()).await {
            Ok(Some(token)) => {
                let link = setup_link::url(&state.settings.public_url, &token);
                let language = crate::ssr::recipient_language(state, user).await;
                let mail =
                    gatehouse_core::mail::setup_link_mail(&language, &state.settings.product_name, &user.email, &link);
                if let Err(e) = state.mailer.send(mail).await {
                    tracing::error!(error = %e, "setup link mail not queued");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "setup link not stored"),
        }
    }
}

/// The seed's guide: which authenticator fits which constraints (the apps' names are not
/// translated).
const AUTHENTICATORS: [(&str, [bool; 5]); 6] = [
    ("Authy", [true, false, false, false, true]),
    ("Google Authenticator", [true, false, false, false, true]),
    ("Microsoft Authenticator", [true, false, false, false, true]),
    ("LastPass", [true, false, true, true, true]),
    ("1Password", [true, true, true, true, false]),
    ("Authenticator", [false, false, false, true, true]),
];

#[component]
fn GuideTable() -> impl IntoView {
    let (yes, no) = (t("setup-guide-yes"), t("setup-guide-no"));
    view! {
        <table class="guide">
            <caption>{t("setup-guide-caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("setup-guide-authenticator")}</th>
                    <th scope="col">{t("setup-guide-mobile-app")}</th>
                    <th scope="col">{t("setup-guide-desktop-app")}</th>
                    <th scope="col">{t("setup-guide-web-app")}</th>
                    <th scope="col">{t("setup-guide-browser-extension")}</th>
                    <th scope="col">{t("setup-guide-free-plan")}</th>
                </tr>
            </thead>
            <tbody>
                {AUTHENTICATORS
                    .iter()
                    .map(|(name, cells)| view! {
                        <tr>
                            <th scope="row">{*name}</th>
                            {cells.iter().map(|cell| view! { <td>{if *cell { yes.clone() } else { no.clone() }}</td> }).collect_view()}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn SetupTwoFactorPage() -> impl IntoView {
    let info = Resource::new_blocking(|| (), |_| setup_info());
    let query = use_query_map();
    let code_step = move || query.read().get("step").as_deref() == Some("code");
    view! {
        <Title text=t("setup-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! {
                        <section class="card" aria-labelledby="setup-title">
                            <h1 id="setup-title">{t("setup-title")}</h1>
                            <Show when=code_step fallback=move || view! { <ScanStep info=info.clone() intro=t("setup-intro") next="/Account/SetupTwoFactor"/> }>
                                <ConfirmStep/>
                            </Show>
                        </section>
                    }.into_any(),
                    Err(AppError::SignInExpired) => view! { <Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! {
                        <section class="card narrow" aria-labelledby="setup-title">
                            <h1 id="setup-title">{t("setup-title")}</h1>
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/Account/Login">{t("setup-go-to-sign-in")}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The QR code and the key to type, then **Next** (a GET to `next` with `step=code`).
/// `intro`: what the page asks for, in the page's language.
#[component]
pub fn ScanStep(info: SetupDetails, #[prop(into)] intro: String, next: &'static str) -> impl IntoView {
    let show_key = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let key = info.key_grouped.clone();
    let copy = move |_| {
        #[cfg(feature = "browser")]
        {
            let text = key.replace(' ', "");
            let clipboard = window().navigator().clipboard();
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
                    copied.set(true);
                }
            });
        }
        #[cfg(not(feature = "browser"))]
        let _ = &key;
    };
    view! {
        <p>{intro}</p>
        <GuideTable/>
        <h2>{t("setup-scan-title")}</h2>
        <p>
            {t("setup-scan-entry-before")}" "<strong>{info.account_label}</strong>{t("setup-scan-entry-after")}
        </p>
        <div class="qr" data-testid="qr" inner_html=info.qr_svg></div>
        <button type="button" class="secondary" aria-expanded=move || show_key.get().to_string() aria-controls="manual-key"
            on:click=move |_| show_key.update(|v| *v = !*v)>
            {t("setup-manual-key")}
        </button>
        <div id="manual-key" class="manual-key" hidden=move || !show_key.get()>
            <p>{t("setup-manual-key-lead")}</p>
            <code data-testid="manual-key">{info.key_grouped.clone()}</code>
            <button type="button" class="toggle" on:click=copy>{move || if copied.get() { t("setup-copied") } else { t("setup-copy-key") }}</button>
        </div>
        // A plain GET form: leptos_router's <Form> lower-cases the action path, which breaks
        // the case-sensitive /Account/... routes.
        <form method="get" action=next>
            <input type="hidden" name="step" value="code"/>
            <button type="submit" class="primary">{t("setup-next")}</button>
        </form>
    }
}

#[component]
fn ConfirmStep() -> impl IntoView {
    let confirm = ServerAction::<ConfirmSetup>::new();
    let error = move || confirm.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <p class="lead">{t("setup-confirm-lead")}</p>
        <ActionForm action=confirm>
            <CodeField/>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary">{t("setup-next")}</button>
        </ActionForm>
        <p class="aside"><a href="/Account/SetupTwoFactor">{t("setup-back-to-qr")}</a></p>
    }
}
