//! The audit log as its person reads it on the Security page (**Recent security events**):
//! what happened to their sign-in, in their words, without the operator's detail.

use gatehouse_l10n::say;

use crate::model::AuditEntry;
use crate::sessions::{browser_in_words, Say};
use crate::signin::IN_BROWSER;

/// How many events the Security page shows.
pub const SHOWN: i64 = 20;

/// The event in the person's words, or None for events that are not theirs to read (the
/// operator's, or another person's view of a support request).
pub fn in_words(entry: &AuditEntry) -> Option<String> {
    said(entry, &say)
}

/// [`in_words`] through `say`. The details are English facts kept as written when the event
/// happened: the parts that vary are read out of them and said as the message's variables.
fn said(entry: &AuditEntry, say: Say) -> Option<String> {
    let detail = entry.detail.as_str();
    let plain = |id: &str| say(id, &[]);
    let text = match entry.kind.as_str() {
        "signin.succeeded" => signed_in(detail, say),
        "signin.failed" if detail.starts_with("password step") => plain("activity-sign-in-failed-password"),
        "signin.failed" if detail.starts_with("passkey") => plain("activity-sign-in-failed-passkey"),
        "signin.failed" => plain("activity-sign-in-failed-code"),
        "totp.replay_refused" => plain("activity-code-replay-refused"),
        "signin.throttled" => plain("activity-sign-in-throttled"),
        "signout" => plain("activity-signed-out"),
        "session.ended" if detail == "one session" => plain("activity-session-ended"),
        "session.ended" => match detail.strip_suffix(" other sessions").and_then(|n| n.parse::<u64>().ok()) {
            Some(count) => say("activity-other-sessions-ended", &[("count", count.into())]),
            None => plain("activity-other-sessions-ended-plain"),
        },
        "stepup.succeeded" => {
            let how = match detail {
                "with a code" => plain("activity-with-code"),
                "with a recovery code" => plain("activity-with-recovery-code"),
                _ => with_passkey(detail, say).unwrap_or_else(|| detail.to_owned()),
            };
            say("activity-confirmed", &[("how", how.into())])
        }
        "password.set" => plain("activity-password-set"),
        "invitation.accepted" => plain("activity-invitation-accepted"),
        "totp.confirmed" => plain("activity-authenticator-set-up"),
        "password.reset_requested" => plain("activity-password-reset-requested"),
        "password.reset" => plain("activity-password-reset"),
        "password.changed" => plain("activity-password-changed"),
        "totp.replaced" => plain("activity-authenticator-replaced"),
        "totp.reset" => plain("activity-two-factor-reset"),
        "passkey.added" => say("activity-passkey-added", &[("name", passkey_name(detail).into())]),
        "passkey.renamed" => {
            let name = passkey_name(detail.strip_prefix("to ").unwrap_or(detail));
            say("activity-passkey-renamed", &[("name", name.into())])
        }
        "passkey.removed" => say("activity-passkey-removed", &[("name", passkey_name(detail).into())]),
        "passkey.refused" | "passkey.clone_suspected" => plain("activity-passkey-refused"),
        "recovery.issued" => plain("activity-recovery-codes-issued"),
        "recovery.used" => match codes_left(detail) {
            Some(left) => say("activity-recovery-code-used", &[("left", left.into())]),
            None => plain("activity-recovery-code-used-plain"),
        },
        "sso.linked" => plain("activity-sso-linked"),
        "user.role_changed" => match role_change(detail) {
            Some((from, to)) => say("activity-role-changed", &[("from", from.into()), ("to", to.into())]),
            None => plain("activity-role-changed-plain"),
        },
        "account.ownership_transferred" => match detail.strip_prefix("to ") {
            Some(to) => say("activity-handed-over", &[("email", to.into())]),
            None => {
                let from = detail.strip_prefix("from ").unwrap_or(detail);
                say("activity-became-owner", &[("email", from.into())])
            }
        },
        _ => return None,
    };
    Some(text)
}

/// A sign-in's detail, "with password and code in Firefox on Linux", as "Signed in with
/// password and code from Firefox on Linux". The browser follows the last " in " (a passkey's
/// name may hold one too).
fn signed_in(detail: &str, say: Say) -> String {
    if let Some((how, browser)) = detail.rsplit_once(IN_BROWSER) {
        if let Some(how) = how_signed_in(how, say) {
            return say(
                "activity-signed-in-from",
                &[("how", how.into()), ("browser", browser_in_words(browser, say).into())],
            );
        }
    }
    // A detail in no form known here is shown as it was written.
    let how = how_signed_in(detail, say).unwrap_or_else(|| detail.to_owned());
    say("activity-signed-in", &[("how", how.into())])
}

/// The second steps as a sign-in's detail names them (`crate::signin`: "password and code"),
/// with their codes in `activity-with-steps`.
const SECOND_STEPS: [(&str, &str); 3] =
    [(" and code", "code"), (" and recovery code", "recovery-code"), (" and a new authenticator", "new-authenticator")];

/// "with password and code", "with passkey “Laptop”" in words; None in any other form.
fn how_signed_in(how: &str, say: Say) -> Option<String> {
    if let Some(words) = with_passkey(how, say) {
        return Some(words);
    }
    let steps = how.strip_prefix("with ")?;
    let (first, second) = SECOND_STEPS.iter().find_map(|(words, code)| Some((steps.strip_suffix(words)?, *code)))?;
    // The first step as `FirstStep::words` says it.
    let (first, provider) = match first {
        "password" => ("password", ""),
        "a new password" => ("new-password", ""),
        sso => ("sso", sso.strip_suffix(" (single sign-on)")?),
    };
    Some(say(
        "activity-with-steps",
        &[("first", first.into()), ("provider", provider.into()), ("second", second.into())],
    ))
}

/// "with passkey “Laptop”" in words.
fn with_passkey(how: &str, say: Say) -> Option<String> {
    let name = quoted(how.strip_prefix("with passkey ")?)?;
    Some(say("activity-with-passkey", &[("name", name.into())]))
}

fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('“')?.strip_suffix('”')
}

/// A passkey's name from a detail that quotes it ("“Laptop”").
fn passkey_name(detail: &str) -> &str {
    quoted(detail).unwrap_or(detail)
}

/// How many recovery codes are left, from `signin::recovery::left_words` ("9 left", "none left").
fn codes_left(detail: &str) -> Option<u64> {
    match detail {
        "none left" => Some(0),
        _ => detail.strip_suffix(" left")?.parse().ok(),
    }
}

/// "from user to co-owner" as the roles' codes (`Role::as_str`), as `activity-role-changed`
/// selects them. The labels are those the detail was written with (`Role::label`, in English).
fn role_change(detail: &str) -> Option<(&'static str, &'static str)> {
    let code = |label: &str| match label {
        "account owner" => Some("owner"),
        "co-owner" => Some("co-owner"),
        "user" => Some("user"),
        "support agent" => Some("agent"),
        _ => None,
    };
    let (from, to) = detail.strip_prefix("from ")?.split_once(" to ")?;
    Some((code(from)?, code(to)?))
}

#[cfg(test)]
mod tests {
    use gatehouse_l10n::Arg;

    use super::*;
    use crate::Timestamp;

    fn entry(kind: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at: Timestamp(0),
            kind: kind.into(),
            account_id: None,
            user_id: None,
            actor_id: None,
            client_ip: None,
            detail: detail.into(),
        }
    }

    #[test]
    fn sign_ins_read_as_people_say_them() {
        let words = |kind, detail| in_words(&entry(kind, detail)).unwrap();
        assert_eq!(
            words("signin.succeeded", "with passkey “Laptop” in Firefox on Linux"),
            "Signed in with the passkey “Laptop” from Firefox on Linux"
        );
        assert_eq!(words("signin.succeeded", "with password and code"), "Signed in with password and code");
        assert_eq!(words("signin.failed", "password step for “a@b.c”"), "A sign-in failed: wrong password");
        assert_eq!(words("signin.failed", "code step: wrong"), "A sign-in failed: wrong authentication code");
        assert_eq!(words("session.ended", "2 other sessions"), "Signed out all other sessions (2 other sessions)");
    }

    #[test]
    fn role_and_ownership_changes_read_from_the_persons_side() {
        let words = |kind, detail| in_words(&entry(kind, detail)).unwrap();
        assert_eq!(words("user.role_changed", "from user to co-owner"), "Your role was changed from user to co-owner");
        assert_eq!(
            words("account.ownership_transferred", "to kim@acme.test"),
            "You handed the account over to kim@acme.test (you are a co-owner now)"
        );
        assert_eq!(
            words("account.ownership_transferred", "from sam@acme.test"),
            "You became the account owner (handed over from sam@acme.test)"
        );
    }

    #[test]
    fn every_way_of_signing_in_reads_as_before() {
        let words = |kind, detail| in_words(&entry(kind, detail)).unwrap();
        assert_eq!(
            words("signin.succeeded", "with Google (single sign-on) and a new authenticator in Chrome"),
            "Signed in with Google (single sign-on) and a new authenticator from Chrome"
        );
        assert_eq!(
            words("signin.succeeded", "with a new password and recovery code in Safari on iPhone"),
            "Signed in with a new password and recovery code from Safari on iPhone"
        );
        assert_eq!(
            words("signin.succeeded", "with passkey “Kitchen in Leeds”"),
            "Signed in with the passkey “Kitchen in Leeds”",
            "a passkey's name is not a browser"
        );
        assert_eq!(
            words("stepup.succeeded", "with passkey “Laptop”"),
            "Confirmed it was you with the passkey “Laptop”"
        );
        assert_eq!(words("stepup.succeeded", "with a recovery code"), "Confirmed it was you with a recovery code");
        assert_eq!(words("session.ended", "1 other sessions"), "Signed out all other sessions (1 other session)");
        assert_eq!(words("recovery.used", "9 left"), "A recovery code was used (9 left)");
        assert_eq!(words("recovery.used", "none left"), "A recovery code was used (none left)");
        assert_eq!(words("passkey.renamed", "to “Desk”"), "A passkey was renamed to “Desk”");
        assert_eq!(words("passkey.removed", "“Old phone”"), "Passkey “Old phone” removed");
    }

    #[test]
    fn events_are_said_in_the_readers_language() {
        let german = gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == "de").unwrap();
        let say = |id: &str, args: &[(&str, Arg)]| german.text(id, Some(&gatehouse_l10n::words::fluent_args(args)));
        let words = |kind, detail| said(&entry(kind, detail), &say).unwrap();
        assert_eq!(
            words("signin.succeeded", "with password and code in Firefox on Linux"),
            "Angemeldet mit Passwort und Code in Firefox auf Linux"
        );
        assert_eq!(
            words("session.ended", "3 other sessions"),
            "Alle anderen Sitzungen abgemeldet (3 andere Sitzungen)"
        );
        assert_eq!(
            words("user.role_changed", "from user to co-owner"),
            "Ihre Rolle wurde von Benutzer zu Mitinhaber geändert"
        );
        assert_eq!(words("passkey.added", "“Laptop”"), "Passkey „Laptop“ hinzugefügt");
    }

    #[test]
    fn the_operators_events_are_not_shown() {
        assert_eq!(in_words(&entry("account.created", "account “Acme”")), None);
        assert_eq!(in_words(&entry("support.requested", "")), None);
    }
}
