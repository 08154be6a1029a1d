//! The mails of a support request: the receipt to a signed-in requester, the confirmation link
//! to one who filed signed out, the decision to the requester, and to the person whose 2FA was
//! reset, what to do next with the link that lets them set it up again.

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

/// To the address typed as the requester's on a request filed signed out: the link that
/// confirms it. Anyone can type any address, so it says what was asked and that ignoring it
/// changes nothing.
pub fn confirm_request(product: &str, to: &Email, reference: &str, target: &Email, account: &str, link: &str) -> Mail {
    let subject = format!("Confirm your {product} support request {reference}");
    let text = format!(
        "Hello,\n\nSomeone asked {product} support to reset two-factor authentication for {target} in the account \
         \u{201c}{account}\u{201d}, and gave {to} as their email address. Support looks at the request only once you \
         confirm that you sent it:\n\n{link}\n\nThe link works once, for 24 hours; then the request is deleted.\n\n\
         If you did not send this request, ignore this mail: nothing will happen.\n"
    );
    let html = html_page(&[
        "Hello,".into(),
        format!(
            "Someone asked {} support to reset two-factor authentication for {} in the account \u{201c}{}\u{201d}, and \
             gave {} as their email address. Support looks at the request only once you confirm that you sent it.",
            html_escape(product),
            html_escape(target.as_str()),
            html_escape(account),
            html_escape(to.as_str())
        ),
        format!("<a href=\"{l}\">Confirm request {}</a>", html_escape(reference), l = html_escape(link)),
        "The link works once, for 24 hours; then the request is deleted.".into(),
        "If you did not send this request, ignore this mail: nothing will happen.".into(),
        format!(
            "<span style=\"color:#555\">If the link does not work, copy this address into your browser:<br>{}</span>",
            html_escape(link)
        ),
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
                 They have been signed out everywhere. We mailed them a link that, with their password, lets them \
                 set up their authenticator app again.\n"
            );
            let html = html_page(&[
                "Hello,".into(),
                format!(
                    "Your request <strong>{}</strong> was approved: two-factor authentication was reset for {}. \
                     They have been signed out everywhere. We mailed them a link that, with their password, lets \
                     them set up their authenticator app again.",
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
/// from their app, and the single-use link that, with their password, sets up a new one.
pub fn reset_done(product: &str, to: &Email, setup_link: &str) -> Mail {
    let subject = format!("Two-factor authentication for {product} was reset");
    let steps: String = REMOVE_OLD_ENTRY.iter().map(|(app, how)| format!("- {app}: {how}\n")).collect();
    let text = format!(
        "Hello,\n\nAt a request from your account owner or a co-owner, reviewed by our support team, two-factor \
         authentication for {to} on {product} was reset. You have been signed out everywhere.\n\n\
         1. Delete the old {product} entry from your authenticator app: its codes no longer work.\n{steps}\n\
         2. Open this link and log in with your user name and password:\n   {setup_link}\n   You will set up \
         two-factor authentication again with a new QR code. The link works once, for 7 days; your password alone \
         is not enough, so keep this mail to yourself. If the link has expired, log in with your password and we \
         will mail you a new one.\n\nYour passkeys, if you have any, still work.\n\n\
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
            "2. <a href=\"{l}\">Set up two-factor authentication again</a>: the link opens the login page, where \
             you log in with your user name and password and scan a new QR code. The link works once, for 7 days; \
             your password alone is not enough, so keep this mail to yourself. If the link has expired, log in with \
             your password and we will mail you a new one.",
            l = html_escape(setup_link)
        ),
        "Your passkeys, if you have any, still work.".into(),
        "If you did not expect this, tell your account owner at once.".into(),
        format!(
            "<span style=\"color:#555\">If the link does not work, copy this address into your browser:<br>{}</span>",
            html_escape(setup_link)
        ),
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
    fn the_reset_mail_says_how_to_remove_the_old_entry_in_every_app_and_carries_the_setup_link() {
        let link = "http://localhost:3000/Account/Login?setup=abc";
        let mail = reset_done("Gatehouse", &email("user@acme.example"), link);
        for app in
            ["Authy", "Google Authenticator", "Microsoft Authenticator", "LastPass", "1Password", "Authenticator"]
        {
            assert!(mail.text.contains(app) && mail.html.contains(app), "{app}");
        }
        assert!(mail.text.contains(link) && mail.text.contains("password alone is not enough"));
        assert!(mail.html.contains("href=\"http://localhost:3000/Account/Login?setup=abc\""));
        assert!(mail.text.contains("passkeys, if you have any, still work"));
    }

    #[test]
    fn the_confirmation_says_what_was_asked_and_that_ignoring_it_is_safe() {
        let mail = confirm_request(
            "Gatehouse",
            &email("owner@acme.example"),
            "GH-7K2M9Q",
            &email("u@acme.example"),
            "<Acme>",
            "http://localhost:3000/support/confirm?token=abc",
        );
        assert!(mail.subject.contains("GH-7K2M9Q"));
        assert!(mail.text.contains("u@acme.example") && mail.text.contains("ignore this mail: nothing will happen"));
        assert!(
            mail.html.contains("&lt;Acme&gt;")
                && mail.html.contains("href=\"http://localhost:3000/support/confirm?token=abc\"")
        );
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
