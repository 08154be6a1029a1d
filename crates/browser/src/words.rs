//! The login page's words for its own client: the page carries, as JSON in
//! `<script type="application/json" id="gatehouse-words">`, the few messages this client may
//! show (errors the server cannot phrase for it: a cut connection, a closed passkey dialog),
//! already in the page's language, each variable left as `{$name}` for [`say`] to fill in.
//! The Leptos app has the whole language instead and installs its own `say`.

use std::cell::OnceCell;
use std::collections::HashMap;

use gatehouse_l10n::Arg;

pub const ELEMENT_ID: &str = "gatehouse-words";

thread_local! {
    static WORDS: OnceCell<HashMap<String, String>> = const { OnceCell::new() };
}

/// Has errors say their words from the page's `gatehouse-words`.
pub fn install() {
    gatehouse_l10n::words::install(say);
}

fn say(id: &str, args: &[(&str, Arg)]) -> String {
    let text = WORDS.with(|words| words.get_or_init(read).get(id).cloned()).unwrap_or_else(|| id.to_owned());
    args.iter().fold(text, |text, (name, value)| {
        let value = match value {
            Arg::Text(t) => t.clone(),
            Arg::Number(n) => n.to_string(),
        };
        text.replace(&format!("{{${name}}}"), &value)
    })
}

fn read() -> HashMap<String, String> {
    let json = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ELEMENT_ID))
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}
