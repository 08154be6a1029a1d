//! **Sign in with NAME** on the login page, and what it says when a single sign-on came back
//! refused. The flow itself runs in plain server routes (`/auth/sso/{id}/start` and
//! `/callback`), which send people back here with `?sso=PROBLEM&provider=ID`. Only a fixed
//! code travels in the URL, never text, so a crafted link cannot put words on this page.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::i18n::{t, t_with};

/// An enabled provider, as its button needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoButton {
    pub id: String,
    pub name: String,
}

/// Why a single sign-on did not sign anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoProblem {
    /// The `state` names no flow: expired, already used (a replayed callback) or tampered.
    Expired,
    /// The flow was started in another browser (login CSRF).
    OtherBrowser,
    /// The provider answered `access_denied`: the person cancelled or was refused there.
    Denied,
    /// The provider answered another error, or could not be reached for the code exchange.
    ProviderFailed,
    /// The ID token did not verify (signature, audience, issuer, nonce, expiry).
    BadAnswer,
    Unverified,
    Unknown,
    InvitationExpired,
    /// Invited, not joined, and the sign-in did not start from the invitation's page.
    InvitationPending,
    /// The provider's address is not the one the invitation went to.
    OtherAddress,
    /// The address joined in another account first.
    JoinedElsewhere,
    /// Not a domain this provider may vouch for, or a support agent.
    NotAllowed,
    /// A password but no authenticator yet: set it up after the password first.
    SetUpFirst,
    /// No authenticator and no (working) setup link: one was mailed.
    SetupLinkSent,
    /// No enabled provider by that id.
    Unavailable,
}

impl SsoProblem {
    const ALL: [SsoProblem; 15] = [
        SsoProblem::Expired,
        SsoProblem::OtherBrowser,
        SsoProblem::Denied,
        SsoProblem::ProviderFailed,
        SsoProblem::BadAnswer,
        SsoProblem::Unverified,
        SsoProblem::Unknown,
        SsoProblem::InvitationExpired,
        SsoProblem::InvitationPending,
        SsoProblem::OtherAddress,
        SsoProblem::JoinedElsewhere,
        SsoProblem::NotAllowed,
        SsoProblem::SetUpFirst,
        SsoProblem::SetupLinkSent,
        SsoProblem::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SsoProblem::Expired => "expired",
            SsoProblem::OtherBrowser => "other-browser",
            SsoProblem::Denied => "denied",
            SsoProblem::ProviderFailed => "provider-failed",
            SsoProblem::BadAnswer => "bad-answer",
            SsoProblem::Unverified => "unverified",
            SsoProblem::Unknown => "unknown",
            SsoProblem::InvitationExpired => "invitation-expired",
            SsoProblem::InvitationPending => "invitation-pending",
            SsoProblem::OtherAddress => "other-address",
            SsoProblem::JoinedElsewhere => "joined-elsewhere",
            SsoProblem::NotAllowed => "not-allowed",
            SsoProblem::SetUpFirst => "set-up-first",
            SsoProblem::SetupLinkSent => "setup-link-sent",
            SsoProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The sentence shown on the login page, in the page's language; `provider` is the
    /// button's name.
    pub fn message(self, provider: &str) -> String {
        let id = match self {
            SsoProblem::Expired => "sso-expired",
            SsoProblem::OtherBrowser => "sso-other-browser",
            SsoProblem::Denied => "sso-denied",
            SsoProblem::ProviderFailed => "sso-provider-failed",
            SsoProblem::BadAnswer => "sso-bad-answer",
            SsoProblem::Unverified => "sso-unverified",
            SsoProblem::Unknown => "sso-unknown",
            SsoProblem::InvitationExpired => "sso-invitation-expired",
            SsoProblem::InvitationPending => "sso-invitation-pending",
            SsoProblem::OtherAddress => "sso-other-address",
            SsoProblem::JoinedElsewhere => "sso-joined-elsewhere",
            SsoProblem::NotAllowed => "sso-not-allowed",
            SsoProblem::SetUpFirst => "sso-set-up-first",
            SsoProblem::SetupLinkSent => "sso-setup-link-sent",
            SsoProblem::Unavailable => "sso-unavailable",
        };
        t_with(id, [("provider", FluentValue::from(provider))])
    }

    /// Where the callback sends someone it refused.
    pub fn login_url(self, provider_id: &str) -> String {
        let id: String = provider_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(32).collect();
        format!("/Account/Login?sso={}&provider={id}", self.code())
    }
}

/// The enabled providers (public: the login page shows them to anyone).
#[server(endpoint = "sso_buttons")]
pub async fn sso_buttons() -> AppResult<Vec<SsoButton>> {
    crate::auth::anyone();
    Ok(crate::ssr::state()?.sso.as_ref().clone())
}

pub type Buttons = Resource<AppResult<Vec<SsoButton>>>;

/// Buttons answer Space as well as Enter; a link in a button's role must too.
fn press_on_space(ev: leptos::ev::KeyboardEvent) {
    if ev.key() == " " {
        ev.prevent_default();
        #[cfg(feature = "browser")]
        {
            use wasm_bindgen::JsCast;
            if let Some(link) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                link.click();
            }
        }
    }
}

/// Loaded once per login page, shared by [`SsoNotice`] and [`SsoSignIn`].
pub fn load_buttons() -> Buttons {
    Resource::new(|| (), |_| sso_buttons())
}

/// What the last single sign-on came back with, at the top of the login page.
#[component]
pub fn SsoNotice(buttons: Buttons) -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        let problem = query.with(|q| q.get("sso")).and_then(|c| SsoProblem::from_code(&c))?;
        let provider = query.with(|q| q.get("provider")).unwrap_or_default();
        let list = buttons.get().and_then(Result::ok).unwrap_or_default();
        let name = list.into_iter().find(|b| b.id == provider).map(|b| b.name);
        let message = problem.message(&name.unwrap_or_else(|| t("sso-your-provider")));
        Some(view! { <p class="error notice" role="alert" data-testid="sso-error">{message}</p> })
    };
    view! { <Suspense fallback=|| ()>{notice}</Suspense> }
}

/// One **Sign in with NAME** button per enabled provider: a link in a button's role, not a
/// form, since the start route redirects to the provider, which the page's
/// `form-action 'self'` would block after a form submission; works before hydration too.
/// `carry`: what the page carries through the provider, as `name=TOKEN` (the setup link the
/// login page was opened from, or the invitation whose page this is).
#[component]
pub fn SsoSignIn(buttons: Buttons, carry: Option<String>) -> impl IntoView {
    let carried = carry.map(|c| format!("?{c}")).unwrap_or_default();
    let links = move || {
        let list = buttons.get()?.unwrap_or_default();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|b| {
                    view! {
                        // `rel="external"`: a full page load, not the client-side router.
                        <li><a class="button secondary" role="button" rel="external"
                            href=format!("/auth/sso/{}/start{carried}", b.id) on:keydown=press_on_space>
                            {t_with("sso-sign-in-with", [("provider", FluentValue::from(b.name))])}
                        </a></li>
                    }
                })
                .collect_view();
            view! { <ul class="sso-sign-in">{items}</ul> }
        })
    };
    view! { <Suspense fallback=|| ()>{links}</Suspense> }
}
