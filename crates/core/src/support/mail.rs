//! The mails of a support request: the receipt to a signed-in requester, the confirmation link
//! to one who filed signed out, the decision to the requester, and to the person whose 2FA was
//! reset, what to do next with the link that lets them set it up again. In the recipient's
//! language (`t`; the words in `locales/*/support-mail.ftl`).

use gatehouse_l10n::{FluentArgs, Messages};

use crate::mail::{html_escape, Mail};
use crate::Email;

/// A message with its variables given as pairs of name and text.
trait Say {
    /// The message `id` with the variables `args`, as plain text.
    fn say(&self, id: &str, args: &[(&str, &str)]) -> String;
    /// The message `id` as HTML: escaped, values and all, except that where a variable named
    /// in `markup` stands, its HTML goes in as given (built by the caller from escaped parts).
    fn say_html(&self, id: &str, args: &[(&str, &str)], markup: &[(&str, String)]) -> String;
}

impl Say for Messages {
    fn say(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, *value);
        }
        self.text(id, Some(&fluent))
    }

    /// Formatted with a stand-in for each `markup` variable, which escaping leaves alone and
    /// no message contains, then replaced.
    fn say_html(&self, id: &str, args: &[(&str, &str)], markup: &[(&str, String)]) -> String {
        let stand_ins: Vec<String> = (0..markup.len()).map(|i| format!("\u{E000}{i}\u{E001}")).collect();
        let mut all = args.to_vec();
        all.extend(markup.iter().zip(&stand_ins).map(|((name, _), stand_in)| (*name, stand_in.as_str())));
        let mut html = html_escape(&self.say(id, &all));
        for ((_, value), stand_in) in markup.iter().zip(&stand_ins) {
            html = html.replace(stand_in, value);
        }
        html
    }
}

/// `value`, escaped, in bold.
fn strong(value: &str) -> String {
    format!("<strong>{}</strong>", html_escape(value))
}

/// The HTML part: the greeting, then `paragraphs` (HTML already), in the language of `t`.
fn html_page(t: &Messages, paragraphs: &[String]) -> String {
    let hello = html_escape(&t.text("mail-hello", None));
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family: sans-serif\"><p>{hello}</p>{body}</body></html>",
        html_escape(t.tag())
    )
}

/// The plain text part: the greeting, then `paragraphs` separated by blank lines.
fn text_page(t: &Messages, paragraphs: &[String]) -> String {
    format!("{}\n\n{}\n", t.text("mail-hello", None), paragraphs.join("\n\n"))
}

/// The address of a link where it does not open as one, greyed.
fn fallback(t: &Messages, link: &str) -> String {
    format!(
        "<span style=\"color:#555\">{}<br>{}</span>",
        html_escape(&t.text("support-mail-link-fallback", None)),
        html_escape(link)
    )
}

/// The receipt: the same for every accepted submission, whoever and whatever it names.
pub fn received(t: &Messages, product: &str, to: &Email, reference: &str) -> Mail {
    let args = [("product", product), ("reference", reference)];
    let subject = t.say("support-mail-received-subject", &args);
    let (next, not_you) = (t.say("support-mail-received-next", &args), t.text("support-mail-not-sent-by-you", None));
    let text = text_page(t, &[format!("{} {next}", t.say("support-mail-received", &args)), not_you.clone()]);
    let html = html_page(
        t,
        &[
            format!(
                "{} {}",
                t.say_html("support-mail-received", &args, &[("reference", strong(reference))]),
                html_escape(&next)
            ),
            html_escape(&not_you),
        ],
    );
    Mail { to: to.clone(), subject, text, html }
}

/// To the address typed as the requester's on a request filed signed out: the link that
/// confirms it. Anyone can type any address, so it says what was asked and that ignoring it
/// changes nothing.
pub fn confirm_request(
    t: &Messages,
    product: &str,
    to: &Email,
    reference: &str,
    target: &Email,
    account: &str,
    link: &str,
) -> Mail {
    let args = [
        ("product", product),
        ("reference", reference),
        ("target", target.as_str()),
        ("account", account),
        ("to", to.as_str()),
    ];
    let subject = t.say("support-mail-confirm-subject", &args);
    let asked = format!("{} {}", t.say("support-mail-confirm-asked", &args), t.text("support-mail-confirm-once", None));
    let (expiry, not_you) = (t.text("support-mail-confirm-expiry", None), t.text("support-mail-confirm-not-you", None));
    let text = text_page(t, &[asked.clone(), link.to_owned(), expiry.clone(), not_you.clone()]);
    let html = html_page(
        t,
        &[
            html_escape(&asked),
            format!(
                "<a href=\"{}\">{}</a>",
                html_escape(link),
                html_escape(&t.say("support-mail-confirm-button", &args))
            ),
            html_escape(&expiry),
            html_escape(&not_you),
            fallback(t, link),
        ],
    );
    Mail { to: to.clone(), subject, text, html }
}

/// The decision, to the requester.
pub fn decided(
    t: &Messages,
    product: &str,
    to: &Email,
    reference: &str,
    target: &Email,
    rejected_because: Option<&str>,
) -> Mail {
    let args = [("product", product), ("reference", reference), ("target", target.as_str())];
    let bold = [("reference", strong(reference))];
    let (subject, text, html) = match rejected_because {
        None => (
            t.say("support-mail-approved-subject", &args),
            text_page(t, &[t.say("support-mail-approved", &args)]),
            html_page(t, &[t.say_html("support-mail-approved", &args, &bold)]),
        ),
        Some(reason) => {
            let because = t.say("support-mail-rejected-reason", &[("reason", reason)]);
            let again = t.text("support-mail-rejected-again", None);
            (
                t.say("support-mail-rejected-subject", &args),
                text_page(t, &[t.say("support-mail-rejected", &args), because.clone(), again.clone()]),
                html_page(
                    t,
                    &[t.say_html("support-mail-rejected", &args, &bold), html_escape(&because), html_escape(&again)],
                ),
            )
        }
    };
    Mail { to: to.clone(), subject, text, html }
}

/// An authenticator's name: a brand, the same in every language, or a message.
enum AppName {
    Brand(&'static str),
    Message(&'static str),
}

/// Where the old entry is removed in each authenticator the setup page recommends: the app,
/// and the message that says how.
const REMOVE_OLD_ENTRY: [(AppName, &str); 6] = [
    (AppName::Brand("Authy"), "support-mail-remove-authy"),
    (AppName::Brand("Google Authenticator"), "support-mail-remove-google"),
    (AppName::Brand("Microsoft Authenticator"), "support-mail-remove-microsoft"),
    (AppName::Brand("LastPass Authenticator"), "support-mail-remove-lastpass"),
    (AppName::Brand("1Password"), "support-mail-remove-1password"),
    (AppName::Message("support-mail-browser-extension"), "support-mail-remove-browser-extension"),
];

/// To the person whose authenticator was removed: what happened, how to delete the old entry
/// from their app, and the single-use link that, with their password, sets up a new one.
pub fn reset_done(t: &Messages, product: &str, to: &Email, setup_link: &str) -> Mail {
    let args = [("product", product), ("to", to.as_str())];
    let subject = t.say("support-mail-reset-subject", &args);
    let apps: Vec<(String, String)> = REMOVE_OLD_ENTRY
        .iter()
        .map(|(name, how)| {
            let name = match name {
                AppName::Brand(brand) => (*brand).to_owned(),
                AppName::Message(id) => t.text(id, None),
            };
            (name, t.text(how, None))
        })
        .collect();
    let (happened, delete) = (t.say("support-mail-reset", &args), t.say("support-mail-reset-delete", &args));
    let expiry = t.text("support-mail-reset-expiry", None);
    let (passkeys, not_expected) =
        (t.text("support-mail-reset-passkeys", None), t.text("support-mail-reset-not-expected", None));
    let steps: String = apps.iter().map(|(app, how)| format!("\n- {app}: {how}")).collect();
    let text = text_page(
        t,
        &[
            happened.clone(),
            format!("{delete}{steps}"),
            format!(
                "{}\n   {setup_link}\n   {} {expiry}",
                t.text("support-mail-reset-open", None),
                t.text("support-mail-reset-new-code", None)
            ),
            passkeys.clone(),
            not_expected.clone(),
        ],
    );
    let items: String = apps
        .iter()
        .map(|(app, how)| format!("<li><strong>{}</strong>: {}</li>", html_escape(app), html_escape(how)))
        .collect();
    let button = format!(
        "<a href=\"{}\">{}</a>",
        html_escape(setup_link),
        html_escape(&t.text("support-mail-reset-button", None))
    );
    let html = html_page(
        t,
        &[
            html_escape(&happened),
            format!("{}<ul>{items}</ul>", html_escape(&delete)),
            format!(
                "{} {}",
                t.say_html("support-mail-reset-open-link", &[], &[("link", button)]),
                html_escape(&expiry)
            ),
            html_escape(&passkeys),
            html_escape(&not_expected),
            fallback(t, setup_link),
        ],
    );
    Mail { to: to.clone(), subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    fn language(tag: &str) -> Messages {
        gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == tag).unwrap()
    }

    fn english() -> Messages {
        language("en")
    }

    #[test]
    fn the_reset_mail_says_how_to_remove_the_old_entry_in_every_app_and_carries_the_setup_link() {
        let link = "http://localhost:3000/Account/Login?setup=abc";
        let mail = reset_done(&english(), "Gatehouse", &email("user@acme.example"), link);
        assert_eq!(mail.subject, "Two-factor authentication for Gatehouse was reset");
        for app in
            ["Authy", "Google Authenticator", "Microsoft Authenticator", "LastPass", "1Password", "Authenticator"]
        {
            assert!(mail.text.contains(app) && mail.html.contains(app), "{app}");
        }
        assert!(mail
            .text
            .contains("- Authenticator (browser extension): click the pencil, then the ✕ next to the entry.\n"));
        assert!(mail.text.contains(link) && mail.text.contains("password alone is not enough"));
        assert!(mail.text.contains(&format!("with your user name and password:\n   {link}\n   You will set up")));
        assert!(mail.html.contains(
            "<p>2. <a href=\"http://localhost:3000/Account/Login?setup=abc\">Set up two-factor authentication again</a>: \
             the link opens the login page"
        ));
        assert!(mail.text.contains("passkeys, if you have any, still work"));
        assert!(mail.text.starts_with("Hello,\n\nAt a request") && mail.html.contains("<html lang=\"en\">"));
    }

    #[test]
    fn the_confirmation_says_what_was_asked_and_that_ignoring_it_is_safe() {
        let mail = confirm_request(
            &english(),
            "Gatehouse",
            &email("owner@acme.example"),
            "GH-7K2M9Q",
            &email("u@acme.example"),
            "<Acme>",
            "http://localhost:3000/support/confirm?token=abc&x=1",
        );
        assert_eq!(mail.subject, "Confirm your Gatehouse support request GH-7K2M9Q");
        assert!(mail.text.contains("u@acme.example") && mail.text.contains("ignore this mail: nothing will happen"));
        assert!(mail.text.contains("in the account “<Acme>”, and gave owner@acme.example as their email address."));
        assert!(
            mail.html.contains("&lt;Acme&gt;")
                && !mail.html.contains("<Acme>")
                && mail.html.contains(
                    "href=\"http://localhost:3000/support/confirm?token=abc&amp;x=1\">Confirm request GH-7K2M9Q</a>"
                )
        );
    }

    #[test]
    fn a_rejection_carries_the_reason_safely() {
        let mail = decided(
            &english(),
            "Gatehouse",
            &email("co@acme.example"),
            "GH-7K2M9Q",
            &email("u@acme.example"),
            Some("<b>no ID</b> {$x}"),
        );
        assert_eq!(mail.subject, "Gatehouse support request GH-7K2M9Q rejected");
        assert!(mail.text.contains("The reason given: <b>no ID</b> {$x}\n"));
        assert!(mail.html.contains("&lt;b&gt;no ID&lt;/b&gt;") && !mail.html.contains("<b>no ID"));
        assert!(mail.html.contains("Your request <strong>GH-7K2M9Q</strong> to reset"));
        let approved =
            decided(&english(), "Gatehouse", &email("co@acme.example"), "GH-7K2M9Q", &email("u@acme.example"), None);
        assert!(approved.subject.ends_with("approved") && approved.text.contains("u@acme.example"));
    }

    #[test]
    fn the_receipt_names_the_reference() {
        let mail = received(&english(), "Gatehouse", &email("owner@acme.example"), "GH-7K2M9Q");
        assert_eq!(mail.subject, "Gatehouse support request GH-7K2M9Q received");
        assert_eq!(
            mail.text,
            "Hello,\n\nWe received your support request GH-7K2M9Q. A support agent will review it and email you at \
             this address. Quote GH-7K2M9Q if you write to us about it.\n\n\
             If you did not send this request, you can ignore this mail.\n"
        );
        assert!(mail.html.contains("<p>We received your support request <strong>GH-7K2M9Q</strong>. A support agent"));
    }

    #[test]
    fn support_mails_speak_the_recipients_language() {
        let german = language("de");
        let to = email("sam@acme.example");
        let receipt = received(&german, "G", &to, "GH-1");
        assert_eq!(receipt.subject, "Ihre Supportanfrage GH-1 bei G ist eingegangen");
        assert!(receipt.text.starts_with("Guten Tag,\n\nWir haben Ihre Supportanfrage GH-1 erhalten."));
        assert!(receipt.html.contains("lang=\"de\"") && receipt.html.contains("<strong>GH-1</strong>"));
        let confirm = confirm_request(&german, "G", &to, "GH-1", &email("u@acme.example"), "Acme", "http://x/?t=1");
        assert_eq!(confirm.subject, "Bestätigen Sie Ihre Supportanfrage GH-1 bei G");
        assert!(confirm.text.contains("im Konto „Acme“") && confirm.html.contains(">Anfrage GH-1 bestätigen</a>"));
        let rejected = decided(&german, "G", &to, "GH-1", &email("u@acme.example"), Some("kein Ausweis"));
        assert_eq!(rejected.subject, "Supportanfrage GH-1 bei G abgelehnt");
        assert!(rejected.text.contains("Angegebener Grund: kein Ausweis"));
        let reset = reset_done(&german, "G", &to, "http://x/?setup=2");
        assert_eq!(reset.subject, "Die Zwei-Faktor-Authentifizierung für G wurde zurückgesetzt");
        assert!(reset.text.contains("- Microsoft Authenticator: Öffnen Sie den Eintrag"));
        assert!(reset.text.contains("- Authenticator (Browsererweiterung): Klicken Sie"));
        assert!(reset.html.contains(">Zwei-Faktor-Authentifizierung erneut einrichten</a>: Der Link öffnet"));
        assert!(!reset.text.contains("support-mail-") && !reset.html.contains("support-mail-"));
    }
}
