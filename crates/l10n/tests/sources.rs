//! The sources speak through messages: every message they name exists in English (and so, by
//! `locales.rs`, in every language) and is given the variables it uses; and no words for
//! people are left in the code as English text.

use std::path::{Path, PathBuf};

use gatehouse_l10n::check::{self, Shape};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn english() -> Shape {
    let folder = root().join("locales/en");
    let files: Vec<(String, String)> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    check::shape(&borrowed).unwrap_or_else(|problems| panic!("{problems:#?}"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if entry.is_dir() {
            rust_files(&entry, out);
        } else if entry.extension().is_some_and(|x| x == "rs") {
            out.push(entry);
        }
    }
}

/// The Rust sources of `dirs` (relative to the workspace), parsed.
fn sources(dirs: &[&str]) -> Vec<(String, syn::File)> {
    let mut paths = Vec::new();
    for dir in dirs {
        rust_files(&root().join(dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.strip_prefix(root()).unwrap_or(&p).display().to_string(), file)
        })
        .collect()
}

fn literal(token: &TokenTree) -> Option<String> {
    match token {
        TokenTree::Literal(l) => syn::parse_str::<syn::LitStr>(&l.to_string()).ok().map(|s| s.value()),
        _ => None,
    }
}

/// Calls that name a message: `t("id")`, `t_with("id", [("name", …)])`, `say("id", &[…])`,
/// `language.text("id", …)`.
const SAYING: &[&str] = &["t", "t_with", "say", "text"];

/// A message named in the code, with the variables the call gives.
#[derive(Debug)]
struct Named {
    file: String,
    id: String,
    given: Vec<String>,
    /// Whether the call's arguments could be read (a slice built elsewhere cannot).
    literal_args: bool,
}

/// Every `(&str, …)` pair's name in `stream`: the variables a call gives.
fn variable_names(stream: &TokenStream, out: &mut Vec<String>) {
    for token in stream.clone() {
        if let TokenTree::Group(g) = &token {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let pair = g.delimiter() == Delimiter::Parenthesis
                && inner.len() >= 2
                && matches!(&inner[1], TokenTree::Punct(p) if p.as_char() == ',');
            match (pair, inner.first().and_then(literal)) {
                (true, Some(name)) => out.push(name),
                _ => variable_names(&g.stream(), out),
            }
        }
    }
}

fn named_in(file: &str, stream: TokenStream, out: &mut Vec<Named>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        let TokenTree::Group(group) = token else { continue };
        let caller = match i.checked_sub(1).map(|j| &tokens[j]) {
            Some(TokenTree::Ident(name)) => name.to_string(),
            _ => String::new(),
        };
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        match inner.first().and_then(literal) {
            Some(id) if group.delimiter() == Delimiter::Parenthesis && SAYING.contains(&caller.as_str()) => {
                let rest: TokenStream = inner.iter().skip(1).cloned().collect();
                let mut given = Vec::new();
                variable_names(&rest, &mut given);
                // Checked where the variables are written in the call: none, or an array.
                let literal_args = inner.len() == 1
                    || inner
                        .iter()
                        .skip(2)
                        .find(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == '&'))
                        .is_some_and(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket));
                out.push(Named { file: file.to_owned(), id, given, literal_args });
            }
            _ => {}
        }
        named_in(file, group.stream(), out);
    }
}

#[test]
fn every_message_named_in_the_code_exists_in_english_with_the_variables_it_uses() {
    let english = english();
    let mut problems = Vec::new();
    let mut count = 0;
    for (file, ast) in
        sources(&["app/src", "crates/core/src", "crates/browser/src", "crates/web-error/src", "server/src"])
    {
        let mut found = Vec::new();
        named_in(&file, ast.to_token_stream(), &mut found);
        for named in found {
            // Only ids: `text("…")` is also any other method's name.
            if !named.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
                || !named.id.contains('-')
            {
                continue;
            }
            count += 1;
            match english.get(&named.id) {
                None => problems.push(format!("{}: no English message {}", named.file, named.id)),
                Some(used) if named.literal_args => {
                    for variable in used.iter().filter(|v| !named.given.contains(v)) {
                        problems.push(format!("{}: {} uses ${variable}, not given", named.file, named.id));
                    }
                }
                Some(_) => {}
            }
        }
    }
    assert!(count > 100, "the scan finds the code's messages ({count})");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Attributes whose values people never read (`class`, `href`, …): anything else with words
/// in it (`aria-label`, `title`, `placeholder`, `alt`, text) is said through a message.
const UNREAD_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "href",
    "type",
    "name",
    "for",
    "autocomplete",
    "inputmode",
    "role",
    "method",
    "action",
    "rel",
    "src",
    "accept",
    "pattern",
    "autocapitalize",
    "spellcheck",
    "enctype",
    "target",
    "style",
    "lang",
    "hreflang",
    "content",
    "path",
    "endpoint",
    "aria-controls",
    "aria-describedby",
    "aria-labelledby",
    "aria-live",
    "aria-current",
    "aria-hidden",
    "aria-invalid",
    "data-testid",
    "viewBox",
    "d",
    "fill",
    "stroke",
    "loading",
    "decoding",
    "sizes",
    "media",
    "http-equiv",
    "charset",
    "crossorigin",
    "integrity",
    "as",
    "nonce",
    "form",
    // An <option>'s value is what the form sends; its text is what people read.
    "value",
];

/// Names and codes, the same in every language.
const NAMES: &[&str] = &[
    // The product's name when none is configured.
    "Gatehouse",
    // Authenticator apps in the setup guide (the apps' own names).
    "Authy",
    "Google Authenticator",
    "Microsoft Authenticator",
    "LastPass",
    "Authenticator",
    // Browsers and systems, as a new passkey's default name says them.
    "Edge",
    "Firefox",
    "Chrome",
    "Safari",
    "Android",
    "Mac OS",
    "Windows",
    "Linux",
    // WebAuthn's DOMException names, matched, never shown.
    "NotAllowedError",
    "TimeoutError",
    "AbortError",
    "InvalidStateError",
    "SecurityError",
    "NotSupportedError",
    // An HTTP header's name.
    "Accept",
    // A support request's areas as stored and sent (`support-area-*` says them).
    "Account",
    "Billing",
    "Subscription",
];

/// Calls whose text people never read: panics, logs, tests' assertions, and the message ids.
const UNREAD_CALLS: &[&str] = &[
    "expect",
    "panic",
    "unreachable",
    "todo",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "t",
    "t_with",
    "say",
    "text",
    "get_element_by_id",
    "query_selector",
    "query_selector_all",
    "closest",
    "get_attribute",
    "set_attribute",
    "remove_attribute",
    "has_attribute",
    "get",
    "contains",
    "starts_with",
    "ends_with",
    // The audit log's details are facts kept for support and the operator, not page text.
    "audit",
];

/// Words for people: two words of letters, or a capitalised word ("Passkey").
fn prose(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let wordy = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !"/_={}<>#:;$@|".contains(c))
    };
    let capitalised = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.clone().next().is_some_and(char::is_lowercase)
    };
    words.len() >= 2 && words.iter().all(|w| wordy(w)) || words.len() == 1 && wordy(words[0]) && capitalised(words[0])
}

/// The name of the attribute whose `=` is at `equals`: `class`, `aria-label`, `on:click`.
fn attribute_name(tokens: &[TokenTree], equals: usize) -> String {
    let mut name = String::new();
    let mut i = equals;
    while let Some(TokenTree::Ident(part)) = i.checked_sub(1).map(|j| &tokens[j]) {
        name.insert_str(0, &part.to_string());
        i -= 1;
        match i.checked_sub(1).map(|j| &tokens[j]) {
            Some(TokenTree::Punct(p)) if p.as_char() == '-' || p.as_char() == ':' => {
                name.insert(0, p.as_char());
                i -= 1;
            }
            _ => break,
        }
    }
    name
}

fn english_in(file: &str, stream: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| &tokens[j]);
        match token {
            TokenTree::Group(group) => {
                let caller = match before {
                    Some(TokenTree::Ident(name)) => name.to_string(),
                    Some(TokenTree::Punct(p)) if p.as_char() == '!' => match i.checked_sub(2).map(|j| &tokens[j]) {
                        Some(TokenTree::Ident(name)) => name.to_string(),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                let punct = |k: usize, c: char| matches!(i.checked_sub(k).map(|j| &tokens[j]), Some(TokenTree::Punct(p)) if p.as_char() == c);
                // `#[…]`, and `#![…]` (inner doc comments).
                let attribute = punct(1, '#') || punct(1, '!') && punct(2, '#');
                // `#[cfg(test)] mod tests { … }` and attributes (`#[doc]`, `#[error(…)]`).
                let tests = caller.is_empty()
                    && i >= 2
                    && matches!(&tokens[i - 1], TokenTree::Ident(n) if n == "tests" || n == "test");
                if attribute || tests || UNREAD_CALLS.contains(&caller.as_str()) {
                    continue;
                }
                english_in(file, group.stream(), out);
            }
            TokenTree::Literal(_) => {
                let Some(text) = literal(token) else { continue };
                let assigned = matches!(before, Some(TokenTree::Punct(p)) if p.as_char() == '=');
                if assigned && UNREAD_ATTRIBUTES.contains(&attribute_name(&tokens, i - 1).as_str()) {
                    continue;
                }
                if prose(&text) && !NAMES.contains(&text.as_str()) {
                    out.push(format!("{file}: {text:?}"));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_words_for_people_are_left_in_english_in_the_pages_and_the_browser_code() {
    let mut found = Vec::new();
    for (file, ast) in sources(&["app/src", "crates/browser/src", "login/src", "frontend/src"]) {
        english_in(&file, ast.to_token_stream(), &mut found);
    }
    assert!(found.is_empty(), "say these through messages (locales/*/*.ftl):\n{}", found.join("\n"));
}

#[test]
fn the_scan_finds_english_where_people_read_it() {
    let code = r#"
        fn page() -> impl IntoView {
            let status = if saved { "Saved just now" } else { t("page-unsaved") };
            view! {
                <p class="notice wide" aria-label="Close the dialog">"Your code"</p>
                <a href="/Account/Login" title=t("page-title")>{status}</a>
            }
        }
        #[cfg(test)]
        mod tests { fn x() { let _ = "Words in a test"; } }
    "#;
    let mut found = Vec::new();
    english_in("x.rs", syn::parse_file(code).unwrap().to_token_stream(), &mut found);
    assert_eq!(found, ["x.rs: \"Saved just now\"", "x.rs: \"Close the dialog\"", "x.rs: \"Your code\""]);
}

#[test]
fn the_login_page_carries_every_message_its_own_client_may_say() {
    let said = |dirs: &[&str]| {
        let mut found = Vec::new();
        for (file, ast) in sources(dirs) {
            named_in(&file, ast.to_token_stream(), &mut found);
        }
        found.into_iter().map(|n| n.id).collect::<std::collections::BTreeSet<_>>()
    };
    // What the login client runs: the web layer's errors and the browser code it shares.
    let mut needed = said(&["crates/web-error/src", "crates/browser/src"]);
    // Only the Security page names a new passkey; the login page never does.
    needed.retain(|id| !id.starts_with("passkey-default-"));
    let i18n = syn::parse_file(&std::fs::read_to_string(root().join("app/src/i18n.rs")).unwrap()).unwrap();
    let carried: std::collections::BTreeSet<String> = i18n
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Const(c) if c.ident == "LOGIN_CLIENT_WORDS" => Some(c.expr.to_token_stream()),
            _ => None,
        })
        .expect("app/src/i18n.rs has LOGIN_CLIENT_WORDS")
        .into_iter()
        .flat_map(|t| match t {
            TokenTree::Group(g) => g.stream().into_iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .flat_map(|t| match t {
            TokenTree::Group(g) => g.stream().into_iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .filter_map(|t| literal(&t))
        .collect();
    let missing: Vec<_> = needed.difference(&carried).collect();
    assert!(needed.len() > 5 && missing.is_empty(), "LOGIN_CLIENT_WORDS lacks {missing:?}");
}
