//! How long a web session lives: an idle timeout and an absolute lifetime (NIST SP 800-63B,
//! AAL2: 30 minutes without activity, 12 hours in all), and the opaque handle by which its
//! person can end it without the session's id (its bearer secret) ever leaving the server.

use gatehouse_l10n::words::fluent_args;
use gatehouse_l10n::{say, Arg, Messages};
use sha2::{Digest, Sha256};

use crate::Timestamp;

/// A session's activity is written down at most this often, so that a busy page does not
/// write to the database on every request. The idle timeout is therefore exact to this.
pub const TOUCH_EVERY_SECS: i64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    /// A session unused this long ends.
    pub idle_secs: i64,
    /// A signed-in session ends this long after the sign-in, however busy.
    pub absolute_secs: i64,
}

impl Default for Lifetime {
    fn default() -> Self {
        Lifetime { idle_secs: 30 * 60, absolute_secs: 12 * 60 * 60 }
    }
}

impl Lifetime {
    /// When a session last used at `last_seen` ends; `signed_in_at` when someone is signed in.
    pub fn expires_at(&self, last_seen: Timestamp, signed_in_at: Option<Timestamp>) -> Timestamp {
        let idle = last_seen.plus_secs(self.idle_secs);
        match signed_in_at {
            Some(at) => idle.min(at.plus_secs(self.absolute_secs)),
            None => idle,
        }
    }

    /// How long before the idle timeout the page warns and offers to stay signed in: two
    /// minutes, or a third of a short timeout.
    pub fn warn_before_secs(&self) -> i64 {
        (self.idle_secs / 3).min(120)
    }

    /// Whether a session last written down at `last_seen` should be written down again.
    pub fn due_for_touch(last_seen: Timestamp, now: Timestamp) -> bool {
        now.0 - last_seen.0 >= TOUCH_EVERY_SECS
    }
}

/// The name a session goes by on its person's pages: a digest of its id, from which the id
/// cannot be found.
pub fn handle(session_id: &str) -> String {
    use base64::Engine;
    let digest = Sha256::digest(session_id.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// A browser as its person would name it, "Firefox on Linux", from its `User-Agent`; None
/// when it is not one people would recognise. Always in English: this is the fact the audit
/// log keeps (a sign-in's detail), which `crate::events` and [`browser_in`] say in the reader's
/// language.
pub fn browser_name(user_agent: &str) -> Option<String> {
    let known = |s: &str| !s.is_empty() && s != woothee::woothee::VALUE_UNKNOWN;
    // Crawlers and HTTP libraries ("HTTP Library") are not a browser anyone would recognise.
    let browser = |category: &str| matches!(category, "pc" | "smartphone" | "mobilephone" | "appliance");
    match woothee::parser::Parser::new().parse(user_agent) {
        Some(r) if browser(r.category) && known(r.name) && known(r.os) => {
            Some(format!("{}{ON_SYSTEM}{}", r.name, r.os))
        }
        Some(r) if browser(r.category) && known(r.name) => Some(r.name.to_owned()),
        _ => None,
    }
}

/// Between a browser's name and its system in [`browser_name`]'s fact (no name woothee gives
/// holds it).
const ON_SYSTEM: &str = " on ";

/// The browser of `user_agent` in the words of whoever shows it ("Firefox on Linux"), or "An
/// unknown browser".
pub fn describe_browser(user_agent: &str) -> String {
    match browser_name(user_agent) {
        Some(kept) => browser_in_words(&kept, &say),
        None => say("activity-unknown-browser", &[]),
    }
}

/// A [`browser_name`] as kept in the language of `messages` (a mail's recipient's).
pub fn browser_in(messages: &Messages, kept: &str) -> String {
    browser_in_words(kept, &|id, args| messages.text(id, Some(&fluent_args(args))))
}

/// Says a message with its variables: `gatehouse_l10n::say`, or one language's.
pub(crate) type Say<'a> = &'a dyn Fn(&str, &[(&str, Arg)]) -> String;

/// A [`browser_name`] as kept, through `say`.
pub(crate) fn browser_in_words(kept: &str, say: Say) -> String {
    match kept.split_once(ON_SYSTEM) {
        Some((browser, system)) => {
            say("activity-browser-on-system", &[("browser", browser.into()), ("system", system.into())])
        }
        None => kept.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_as_people_know_them() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(describe_browser(firefox), "Firefox on Linux");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_browser(safari), "Safari on iPhone");
        assert_eq!(describe_browser(""), "An unknown browser");
        assert_eq!(describe_browser("curl/8.5.0"), "An unknown browser");
        assert_eq!(browser_name("python-requests/2.32.3"), None, "said nowhere, not even in the audit log");
        assert_eq!(browser_name(firefox).as_deref(), Some("Firefox on Linux"), "the audit log's fact");
    }

    #[test]
    fn browsers_are_said_in_the_readers_language() {
        let german = gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == "de").unwrap();
        assert_eq!(browser_in(&german, "Firefox on Linux"), "Firefox auf Linux");
        assert_eq!(browser_in(&german, "Safari"), "Safari", "a name alone is a name");
        assert_eq!(german.text("activity-unknown-browser", None), "Ein unbekannter Browser");
    }

    #[test]
    fn idle_and_absolute_limits_both_hold() {
        let life = Lifetime { idle_secs: 100, absolute_secs: 1000 };
        assert_eq!(life.expires_at(Timestamp(50), None), Timestamp(150), "half-way sign-ins: idle only");
        assert_eq!(life.expires_at(Timestamp(50), Some(Timestamp(0))), Timestamp(150));
        assert_eq!(life.expires_at(Timestamp(950), Some(Timestamp(0))), Timestamp(1000), "never past the absolute");
    }

    #[test]
    fn the_warning_comes_two_minutes_ahead_or_sooner_for_short_timeouts() {
        assert_eq!(Lifetime::default().warn_before_secs(), 120);
        assert_eq!(Lifetime { idle_secs: 30, absolute_secs: 60 }.warn_before_secs(), 10);
    }

    #[test]
    fn activity_is_written_down_at_most_every_few_seconds() {
        assert!(!Lifetime::due_for_touch(Timestamp(100), Timestamp(100 + TOUCH_EVERY_SECS - 1)));
        assert!(Lifetime::due_for_touch(Timestamp(100), Timestamp(100 + TOUCH_EVERY_SECS)));
    }

    #[test]
    fn handles_are_stable_distinct_and_not_the_id() {
        assert_eq!(handle("a"), handle("a"));
        assert_ne!(handle("a"), handle("b"));
        assert_eq!(handle("a").len(), 22);
        assert!(!handle("session-id").contains("session-id"));
    }
}
