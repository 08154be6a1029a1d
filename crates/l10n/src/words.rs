//! Words said where the language is not known: an error's `Display`. The core and the web
//! layer's error name a message and its variables; whoever shows it (a page, the login page's
//! client, the command line) installs the function that says it in the right language. Until
//! one does, the built-in English says it (where built in), else the message's id.

use std::sync::OnceLock;

/// A message's variable.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    /// Selects plurals, and is formatted for the language.
    Number(f64),
}

macro_rules! text_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Text(value.to_string())
            }
        }
    )*};
}
text_from!(&str, String, &String);

macro_rules! number_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(value as f64)
            }
        }
        impl From<&$t> for Arg {
            fn from(value: &$t) -> Self {
                Arg::Number(*value as f64)
            }
        }
    )*};
}
number_from!(u8, u16, u32, u64, usize, i32, i64);

/// Says message `id` with `args`.
pub type Say = fn(&str, &[(&str, Arg)]) -> String;

static SAY: OnceLock<Say> = OnceLock::new();

/// Installs how messages are said from now on (the first call wins: one per process).
pub fn install(say: Say) {
    let _ = SAY.set(say);
}

/// Message `id` with `args`, in the language of whoever installed [`install`]'s function.
pub fn say(id: &str, args: &[(&str, Arg)]) -> String {
    match SAY.get() {
        Some(say) => say(id, args),
        None => fallback(id, args),
    }
}

/// `args` as Fluent takes them.
pub fn fluent_args<'a>(args: &'a [(&str, Arg)]) -> crate::FluentArgs<'a> {
    let mut fluent = crate::FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent.set(*name, text.as_str()),
            Arg::Number(number) => fluent.set(*name, *number),
        }
    }
    fluent
}

#[cfg(feature = "built-in")]
fn fallback(id: &str, args: &[(&str, Arg)]) -> String {
    static ENGLISH: OnceLock<crate::Messages> = OnceLock::new();
    let english = ENGLISH.get_or_init(|| {
        let built_in = crate::built_in().expect("the built-in languages parse");
        built_in.into_iter().find(|m| m.tag() == crate::REFERENCE).expect("English is built in")
    });
    english.text(id, Some(&fluent_args(args)))
}

#[cfg(not(feature = "built-in"))]
fn fallback(id: &str, _: &[(&str, Arg)]) -> String {
    id.to_owned()
}
