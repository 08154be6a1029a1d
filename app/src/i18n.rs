//! The page's language and the words of every view (see `gatehouse_l10n`). On the server the
//! request's language was chosen before the page renders (the person's choice in a cookie, the
//! browser's `Accept-Language`, the operator's default); the page carries that language's
//! messages to the browser, which parses them once, so that hydration renders the same words.

use std::sync::Arc;

use gatehouse_l10n::{FluentArgs, FluentValue, Messages};
use leptos::prelude::*;

/// The element carrying the page's messages (FTL text) to the browser, with the language's
/// tag in `lang` and the languages offered in `data-languages` (`tag=name` joined by `|`).
pub const MESSAGES_ID: &str = "gatehouse-messages";

/// The language of the request (server) or of the page (browser).
pub fn language() -> Arc<Messages> {
    #[cfg(feature = "ssr")]
    {
        ssr::language()
    }
    #[cfg(not(feature = "ssr"))]
    {
        PAGE.with(|page| page.messages.clone())
    }
}

/// The message `id` in the page's language.
pub fn t(id: &str) -> String {
    language().text(id, None)
}

/// The message `id` with its variables.
pub fn t_with<'a>(id: &str, args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(name, value);
    }
    language().text(id, Some(&fluent))
}

/// Has errors (the core's, [`crate::error::AppError`]) say their words in [`language`]: the
/// request's on the server, the page's in the browser. Once per process, before any request.
pub fn install() {
    gatehouse_l10n::words::install(say);
}

fn say(id: &str, args: &[(&str, gatehouse_l10n::Arg)]) -> String {
    language().text(id, Some(&gatehouse_l10n::words::fluent_args(args)))
}

/// The languages a person can choose, each by its tag and its own name (`language-name`).
pub fn languages() -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        ssr::languages()
    }
    #[cfg(not(feature = "ssr"))]
    {
        PAGE.with(|page| page.languages.clone())
    }
}

/// `tag=name|tag=name`, as [`MESSAGES_ID`] carries [`languages`].
pub fn encode_languages(languages: &[(String, String)]) -> String {
    languages.iter().map(|(tag, name)| format!("{tag}={name}")).collect::<Vec<_>>().join("|")
}

#[cfg(not(feature = "ssr"))]
fn decode_languages(text: &str) -> Vec<(String, String)> {
    text.split('|').filter_map(|pair| pair.split_once('=')).map(|(t, n)| (t.to_owned(), n.to_owned())).collect()
}

/// Links to this page in each language the server has, each named in its own language: a
/// plain link (the choice is kept in a cookie), so it works before and without JavaScript.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = language().tag().to_owned();
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let here = back_to(&location.pathname.get(), &location.search.get());
        percent_encoding::utf8_percent_encode(&here, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let links = languages()
        .into_iter()
        .map(|(tag, name)| {
            let href = {
                let tag = tag.clone();
                move || format!("/language/{tag}?back={}", back())
            };
            let here = (tag == current).then_some("true");
            view! { <li><a href=href lang=tag.clone() hreflang=tag aria-current=here>{name}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="languages" aria-label=t("login-language")>
            <ul>{links}</ul>
        </nav>
    }
}

/// This page's address to come back to after switching: its query without the error a plain
/// form post left there (`__err`, `__path`: words of the other language). `search` comes with
/// or without its `?`.
fn back_to(path: &str, search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__err=") && !pair.starts_with("__path="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_switch_comes_back_to_the_page_without_a_plain_posts_error() {
        assert_eq!(super::back_to("/Account/Login", ""), "/Account/Login");
        assert_eq!(super::back_to("/Account/Login", "step=code"), "/Account/Login?step=code");
        assert_eq!(super::back_to("/Account/Login", "?step=code"), "/Account/Login?step=code");
        let posted = "__path=%2Fapi%2Flog_in&__err=eyJ9&login_hint=a%40b.example";
        assert_eq!(super::back_to("/Account/Login", posted), "/Account/Login?login_hint=a%40b.example");
    }
}

/// The page's messages element: the language's FTL text, raw (a `<script>` is not parsed as
/// HTML, so nothing in it is escaped; the check of `locales/` keeps `</` out of it).
#[component]
pub fn PageMessages() -> impl IntoView {
    let language = language();
    view! {
        <script type="text/x-fluent" id=MESSAGES_ID lang=language.tag().to_owned()
            data-languages=encode_languages(&languages()) inner_html=language.source().to_owned()>
        </script>
    }
}

/// The messages the login page's own client may show, with their variables: it has no
/// Fluent, so the page carries these already said (see `gatehouse_browser::words`).
const LOGIN_CLIENT_WORDS: &[(&str, &[&str])] = &[
    ("error-not-signed-in", &[]),
    ("error-sign-in-expired", &[]),
    ("error-forbidden", &[]),
    ("error-step-up-required", &[]),
    ("error-internal", &[]),
    ("error-transport", &[]),
    ("passkey-dialog-cancelled", &[]),
    ("passkey-dialog-already-registered", &[]),
    ("passkey-dialog-wrong-address", &[]),
    ("passkey-dialog-unsupported", &[]),
    ("passkey-dialog-failed", &["reason"]),
    ("passkey-options-unreadable", &[]),
];

/// [`LOGIN_CLIENT_WORDS`] in the page's language as JSON, each variable left as `{$name}`.
/// JSON in a `<script>` escapes `<` (as `\u003c`), so no text can end the element.
#[component]
pub fn LoginClientWords() -> impl IntoView {
    let language = language();
    let words: std::collections::BTreeMap<&str, String> = LOGIN_CLIENT_WORDS
        .iter()
        .map(|(id, variables)| {
            let mut args = FluentArgs::new();
            for name in *variables {
                args.set(*name, format!("{{${name}}}"));
            }
            (*id, language.text(id, Some(&args)))
        })
        .collect();
    let json = serde_json::to_string(&words).unwrap_or_default().replace('<', "\\u003c");
    view! { <script type="application/json" id="gatehouse-words" inner_html=json></script> }
}

#[cfg(not(feature = "ssr"))]
struct Page {
    messages: Arc<Messages>,
    languages: Vec<(String, String)>,
}

#[cfg(not(feature = "ssr"))]
thread_local! {
    static PAGE: Page = read_page();
}

/// The messages the server put in the page; none (every message then shows its id) if the
/// page has none, which only a page Gatehouse did not render would lack.
#[cfg(not(feature = "ssr"))]
fn read_page() -> Page {
    let element = document().get_element_by_id(MESSAGES_ID);
    #[cfg(feature = "csr")]
    if element.is_none() {
        return preview_page();
    }
    let tag = element.as_ref().and_then(|e| e.get_attribute("lang")).unwrap_or_else(|| "en".into());
    let text = element.as_ref().and_then(|e| e.text_content()).unwrap_or_default();
    let languages = element.as_ref().and_then(|e| e.get_attribute("data-languages")).unwrap_or_default();
    let messages =
        Messages::parse(&tag, &[("page", &text)]).or_else(|_| Messages::parse("en", &[])).expect("no messages parse");
    Page { messages: Arc::new(messages), languages: decode_languages(&languages) }
}

/// The client-side preview (Trunk) has no server-rendered page: it carries every language
/// and picks one from the browser's preferences, as the server would.
#[cfg(feature = "csr")]
fn preview_page() -> Page {
    let all = gatehouse_l10n::built_in().expect("locales/ parse");
    let catalog = gatehouse_l10n::Catalog::new(all, "en").expect("English is present");
    let asked = window().navigator().languages().iter().filter_map(|l| l.as_string()).collect::<Vec<_>>().join(",");
    let messages = catalog.negotiate(None, Some(&asked)).clone();
    Page { messages, languages: catalog.offered() }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use std::sync::{Arc, OnceLock};

    use gatehouse_l10n::{Catalog, Messages};
    use leptos::prelude::use_context;

    /// The language chosen for a request, in its extensions (see `server`'s language layer).
    #[derive(Clone)]
    pub struct RequestLanguage(pub Arc<Messages>);

    /// The cookie keeping a person's choice of language in this browser.
    pub fn cookie_name(https: bool) -> &'static str {
        if https {
            "__Host-gatehouse-language"
        } else {
            "gatehouse-language"
        }
    }

    tokio::task_local! {
        /// The request's language for everything its task runs, plain routes included (which
        /// have no Leptos context): set by the server's language layer.
        pub static REQUEST: Arc<Messages>;
    }

    pub(super) fn language() -> Arc<Messages> {
        let parts = use_context::<http::request::Parts>();
        if let Some(language) = parts.as_ref().and_then(|p| p.extensions.get::<RequestLanguage>()) {
            return language.0.clone();
        }
        REQUEST.try_with(Arc::clone).unwrap_or_else(|_| catalog().default_language().clone())
    }

    pub(super) fn languages() -> Vec<(String, String)> {
        catalog().offered()
    }

    /// The server's languages; outside a request (tests), the built-in ones.
    pub fn catalog() -> Arc<Catalog> {
        if let Some(state) = use_context::<crate::ssr::AppState>() {
            return state.languages.clone();
        }
        static BUILT_IN: OnceLock<Arc<Catalog>> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| {
                let all = gatehouse_l10n::built_in().expect("the built-in languages parse");
                Arc::new(Catalog::new(all, gatehouse_l10n::REFERENCE).expect("English is built in"))
            })
            .clone()
    }
}
