//! The audit log as its person reads it on the Security page (**Recent security events**):
//! what happened to their sign-in, in their words, without the operator's detail.

use crate::model::AuditEntry;
use crate::signin::IN_BROWSER;

/// How many events the Security page shows.
pub const SHOWN: i64 = 20;

/// The event in the person's words, or None for events that are not theirs to read (the
/// operator's, or another person's view of a support request).
pub fn in_words(entry: &AuditEntry) -> Option<String> {
    let detail = entry.detail.as_str();
    let text = match entry.kind.as_str() {
        "signin.succeeded" => signed_in(detail),
        "signin.failed" if detail.starts_with("password step") => "A sign-in failed: wrong password".into(),
        "signin.failed" if detail.starts_with("passkey") => "A sign-in with a passkey failed".into(),
        "signin.failed" => "A sign-in failed: wrong authentication code".into(),
        "totp.replay_refused" => "An authentication code that was already used was refused".into(),
        "signin.throttled" => "Sign-in attempts were paused after repeated failures".into(),
        "signout" => "Logged out".into(),
        "session.ended" if detail == "one session" => "Signed out another session".into(),
        "session.ended" => format!("Signed out all other sessions ({detail})"),
        "stepup.succeeded" => format!("Confirmed it was you {}", passkey_words(detail)),
        "password.set" => "Password set".into(),
        "invitation.accepted" => "Invitation accepted".into(),
        "totp.confirmed" => "Authenticator app set up".into(),
        "password.reset_requested" => "A link to choose a new password was mailed".into(),
        "password.reset" => "Password reset with a mailed link (your sessions were signed out)".into(),
        "password.changed" => "Password changed (your other sessions were signed out)".into(),
        "totp.replaced" => "Authenticator app replaced (codes from the old one no longer work)".into(),
        "totp.reset" => "Two-factor authentication reset by support".into(),
        "passkey.added" => format!("Passkey {detail} added"),
        "passkey.renamed" => format!("A passkey was renamed {detail}"),
        "passkey.removed" => format!("Passkey {detail} removed"),
        "passkey.refused" | "passkey.clone_suspected" => "A passkey was refused".into(),
        "recovery.issued" => "New recovery codes were made (the old ones no longer work)".into(),
        "recovery.used" => format!("A recovery code was used ({detail})"),
        "sso.linked" => "Single sign-on linked to your account".into(),
        "user.role_changed" => format!("Your role was changed {detail}"),
        "account.ownership_transferred" => match detail.strip_prefix("to ") {
            Some(to) => format!("You handed the account over to {to} (you are a co-owner now)"),
            None => format!("You became the account owner (handed over {detail})"),
        },
        _ => return None,
    };
    Some(text)
}

/// "with password and code in Firefox on Linux" → "Signed in with password and code from
/// Firefox on Linux".
fn signed_in(detail: &str) -> String {
    match detail.split_once(IN_BROWSER) {
        Some((how, browser)) => format!("Signed in {} from {browser}", passkey_words(how)),
        None => format!("Signed in {}", passkey_words(detail)),
    }
}

fn passkey_words(how: &str) -> String {
    how.replacen("with passkey", "with the passkey", 1)
}

#[cfg(test)]
mod tests {
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
    fn the_operators_events_are_not_shown() {
        assert_eq!(in_words(&entry("account.created", "account “Acme”")), None);
        assert_eq!(in_words(&entry("support.requested", "")), None);
    }
}
