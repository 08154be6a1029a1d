//! The mails of a support request: the receipt to whoever filed it, the decision to the
//! requester, and to the person whose 2FA was reset, what to do next.

use crate::mail::{html_escape, Mail};
use crate::Email;

fn html_page(paragraphs: &[String]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!("<!DOCTYPE html><html><body style=\"font-family: sans-serif\">{body}</body></html>")
}

/// The receipt: the same for every accepted submission, whoever and whatever it names.
pub fn received(product: &str, to: &Email, reference: &str) -> Mail {
    let subject = format!("{product} support request {reference} received");
    let text = format!(
        "Hello,\n\nWe received your support request {reference}. A support agent will review it and \
         email you at this address. Quote {reference} if you write to us about it.\n\n\
         If you did not send this request, you can ignore this mail.\n"
    );
    let html = html_page(&[
        "Hello,".into(),
        format!(
            "We received your support request <strong>{r}</strong>. A support agent will review it and email \
             you at this address. Quote {r} if you write to us about it.",
            r = html_escape(reference)
        ),
        "If you did not send this request, you can ignore this mail.".into(),
    ]);
    Mail { to: to.clone(), subject, text, html }
}

/// The decision, to the requester.
pub fn decided(product: &str, to: &Email, reference: &str, target: &Email, rejected_because: Option<&str>) -> Mail {
    match rejected_because {
        None => {
            let subject = format!("{product} support request {reference} approved");
            let text = format!(
                "Hello,\n\nYour request {reference} was approved: two-factor authentication was reset for {target}. \
                 They have been signed out everywhere and will set up their authenticator app again at their next \
                 sign-in; we mailed them how.\n"
            );
            let html = html_page(&[
                "Hello,".into(),
                format!(
                    "Your request <strong>{}</strong> was approved: two-factor authentication was reset for {}. \
                     They have been signed out everywhere and will set up their authenticator app again at their \
                     next sign-in; we mailed them how.",
                    html_escape(reference),
                    html_escape(target.as_str())
                ),
            ]);
            Mail { to: to.clone(), subject, text, html }
        }
        Some(reason) => {
            let subject = format!("{product} support request {reference} rejected");
            let text = format!(
                "Hello,\n\nYour request {reference} to reset two-factor authentication for {target} was rejected.\n\n\
                 The reason given: {reason}\n\nYou can file a new request with what was missing.\n"
            );
            let html = html_page(&[
                "Hello,".into(),
                format!(
                    "Your request <strong>{}</strong> to reset two-factor authentication for {} was rejected.",
                    html_escape(reference),
                    html_escape(target.as_str())
                ),
                format!("The reason given: {}", html_escape(reason)),
                "You can file a new request with what was missing.".into(),
            ]);
            Mail { to: to.clone(), subject, text, html }
        }
    }
}

/// Where the old entry is removed in each authenticator the setup page recommends.
const REMOVE_OLD_ENTRY: [(&str, &str); 6] = [
    ("Authy", "open the entry, tap the gear (or ⋮), then Delete account."),
    ("Google Authenticator", "tap ⋮ (or hold the entry), choose Edit, select the entry and tap the bin."),
    ("Microsoft Authenticator", "open the entry, tap the gear, then Remove account."),
    ("LastPass Authenticator", "swipe the entry left (or hold it) and tap Delete."),
    ("1Password", "open the item, choose Edit, remove the one-time password field and save."),
    ("Authenticator (browser extension)", "click the pencil, then the ✕ next to the entry."),
];

/// To the person whose authenticator was removed: what happened, how to delete the old entry
/// from their app, and that the next sign-in sets up a new one.
pub fn reset_done(product: &str, to: &Email, login_url: &str) -> Mail {
    let subject = format!("Two-factor authentication for {product} was reset");
    let steps: String = REMOVE_OLD_ENTRY.iter().map(|(app, how)| format!("- {app}: {how}\n")).collect();
    let text = format!(
        "Hello,\n\nAt a request from your account owner or a co-owner, reviewed by our support team, two-factor \
         authentication for {to} on {product} was reset. You have been signed out everywhere.\n\n\
         1. Delete the old {product} entry from your authenticator app: its codes no longer work.\n{steps}\n\
         2. Log in with your user name and password: {login_url}\n   You will set up two-factor authentication \
         again with a new QR code.\n\nYour passkeys, if you have any, still work.\n\n\
         If you did not expect this, tell your account owner at once.\n"
    );
    let items: String = REMOVE_OLD_ENTRY
        .iter()
        .map(|(app, how)| format!("<li><strong>{}</strong>: {}</li>", html_escape(app), html_escape(how)))
        .collect();
    let html = html_page(&[
        "Hello,".into(),
        format!(
            "At a request from your account owner or a co-owner, reviewed by our support team, two-factor \
             authentication for {} on {} was reset. You have been signed out everywhere.",
            html_escape(to.as_str()),
            html_escape(product)
        ),
        format!(
            "1. Delete the old {} entry from your authenticator app: its codes no longer work.<ul>{items}</ul>",
            html_escape(product)
        ),
        format!(
            "2. <a href=\"{l}\">Log in</a> with your user name and password. You will set up two-factor \
             authentication again with a new QR code.",
            l = html_escape(login_url)
        ),
        "Your passkeys, if you have any, still work.".into(),
        "If you did not expect this, tell your account owner at once.".into(),
    ]);
    Mail { to: to.clone(), subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    #[test]
    fn the_reset_mail_says_how_to_remove_the_old_entry_in_every_app_and_where_to_log_in() {
        let mail = reset_done("Gatehouse", &email("user@acme.example"), "http://localhost:3000/Account/Login");
        for app in
            ["Authy", "Google Authenticator", "Microsoft Authenticator", "LastPass", "1Password", "Authenticator"]
        {
            assert!(mail.text.contains(app) && mail.html.contains(app), "{app}");
        }
        assert!(mail.text.contains("http://localhost:3000/Account/Login"));
        assert!(mail.html.contains("href=\"http://localhost:3000/Account/Login\""));
        assert!(mail.text.contains("passkeys, if you have any, still work"));
    }

    #[test]
    fn a_rejection_carries_the_reason_safely() {
        let mail = decided(
            "Gatehouse",
            &email("co@acme.example"),
            "GH-7K2M9Q",
            &email("u@acme.example"),
            Some("<b>no ID</b>"),
        );
        assert!(mail.subject.ends_with("GH-7K2M9Q rejected"));
        assert!(mail.text.contains("The reason given: <b>no ID</b>"));
        assert!(mail.html.contains("&lt;b&gt;no ID&lt;/b&gt;") && !mail.html.contains("<b>no ID"));
        let approved = decided("Gatehouse", &email("co@acme.example"), "GH-7K2M9Q", &email("u@acme.example"), None);
        assert!(approved.subject.ends_with("approved") && approved.text.contains("u@acme.example"));
    }

    #[test]
    fn the_receipt_names_the_reference() {
        let mail = received("Gatehouse", &email("owner@acme.example"), "GH-7K2M9Q");
        assert!(mail.subject.contains("GH-7K2M9Q") && mail.text.contains("GH-7K2M9Q"));
    }
}
