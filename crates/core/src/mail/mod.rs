//! Mail the core asks to be sent, and the port it goes through. The server provides the
//! transport (an outbox folder or SMTP); the mails are built here, next to the rules, in the
//! recipient's language (the words in `locales/*/mail.ftl`).

use async_trait::async_trait;
use gatehouse_l10n::{FluentArgs, Messages};

use crate::admin::IssuedInvitation;
use crate::Email;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the mail to {to} could not be sent: {reason}")]
pub struct MailError {
    pub to: String,
    pub reason: String,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: Mail) -> Result<(), MailError>;

    /// Sends a mail from the queue. Its `id` is the same at every attempt: a sender that dies
    /// after the hand-over sends the mail again (delivery is at least once), and a transport
    /// that names the mail by `id` lets the receiving side recognise the repeat.
    async fn send_queued(&self, id: &str, mail: Mail) -> Result<(), MailError> {
        let _ = id;
        self.send(mail).await
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The invitation mail: who invites whom into what, the link, and how long it is valid.
pub fn invitation_mail(t: &Messages, product: &str, invitation: &IssuedInvitation, link: &str) -> Mail {
    let role = invitation.user.role;
    let mut args = FluentArgs::new();
    args.set("product", product);
    args.set("role", role.as_str());
    args.set("account", invitation.account.as_ref().map_or("", |a| a.name.as_str()));
    let subject = t.text("mail-invitation-subject", Some(&args));
    let invited = t.text("mail-invitation", Some(&args));
    link_mail(
        t,
        &invitation.user.email,
        subject,
        &[invited, t.text("mail-invitation-open", None)],
        &t.text("mail-invitation-button", None),
        link,
        &[t.text("mail-invitation-expiry", None)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, User};
    use crate::token::Token;
    use crate::Role;
    use crate::{Id, Timestamp};

    fn issued(role: Role, account: Option<&str>) -> IssuedInvitation {
        IssuedInvitation {
            token: Token::generate(),
            user: User {
                id: Id::random(),
                account_id: account.map(|_| Id::random()),
                email: Email::parse("new@example.com").unwrap(),
                role,
                has_password: false,
                joined: false,
                created_at: Timestamp(0),
                session_generation: 0,
                language: None,
            },
            account: account.map(|name| Account { id: Id::random(), name: name.into(), created_at: Timestamp(0) }),
            expires_at: Timestamp(0),
        }
    }

    fn english() -> Messages {
        gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == "en").unwrap()
    }

    #[test]
    fn invitation_mail_names_the_role_account_and_link() {
        let mail = invitation_mail(
            &english(),
            "Gatehouse",
            &issued(Role::CoOwner, Some("Acme")),
            "http://localhost:3000/x?token=abc",
        );
        assert_eq!(mail.to.as_str(), "new@example.com");
        assert!(mail.text.contains("as a co-owner of “Acme”"));
        assert!(mail.text.contains("http://localhost:3000/x?token=abc"));
        assert!(mail.html.contains("href=\"http://localhost:3000/x?token=abc\""));
    }

    #[test]
    fn link_mails_speak_the_recipients_language() {
        let german = gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == "de").unwrap();
        let invitation = invitation_mail(&german, "G", &issued(Role::User, Some("Acme")), "http://x/?t=1");
        assert_eq!(invitation.subject, "Ihre Einladung zu G");
        assert!(invitation.text.starts_with("Guten Tag,") && invitation.text.contains("als Benutzer von „Acme“"));
        assert!(invitation.html.contains("lang=\"de\"") && invitation.html.contains(">Einladung annehmen</a>"));
        let to = Email::parse("sam@acme.example.com").unwrap();
        let reset = password_reset_mail(&german, "G", &to, "http://x/?t=2");
        assert_eq!(reset.subject, "Neues Passwort für G wählen");
        assert!(reset.text.contains("http://x/?t=2") && reset.text.contains("(sam@acme.example.com)"));
        let setup = setup_link_mail(&german, "G", &to, "http://x/?t=3");
        assert!(setup.subject.starts_with("Zwei-Faktor-Authentifizierung") && setup.text.contains("http://x/?t=3"));
        let agent = invitation_mail(&english(), "G", &issued(Role::Agent, None), "http://x/?t=4");
        assert!(agent.text.contains("You have been invited to G as a support agent."), "{}", agent.text);
    }

    #[test]
    fn account_names_cannot_inject_html() {
        let mail = invitation_mail(
            &english(),
            "Gatehouse",
            &issued(Role::Owner, Some("<b>Evil</b> & Co")),
            "http://x/?a=1&b=2",
        );
        assert!(mail.html.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"));
        assert!(!mail.html.contains("<b>Evil"));
        assert!(mail.html.contains("href=\"http://x/?a=1&amp;b=2\""));
    }
}

/// A mail whose point is one single-use link: plain sentences before it (`before`), the link
/// (a button reading `button` in HTML, the address itself in text), sentences after it. The
/// sentences are plain text, escaped for HTML here.
fn link_mail(
    t: &Messages,
    to: &Email,
    subject: String,
    before: &[String],
    button: &str,
    link: &str,
    after: &[String],
) -> Mail {
    let hello = t.text("mail-hello", None);
    let text = format!("{hello}\n\n{}\n\n{link}\n\n{}\n", before.join("\n\n"), after.join("\n\n"));
    let paragraphs = |ps: &[String]| ps.iter().map(|p| format!("<p>{}</p>", html_escape(p))).collect::<String>();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family: sans-serif\"><p>{}</p>{}\
         <p><a href=\"{l}\">{}</a></p>{}\
         <p style=\"color:#555\">{}<br>{l}</p>\
         </body></html>",
        html_escape(&hello),
        paragraphs(before),
        html_escape(button),
        paragraphs(after),
        html_escape(&t.text("mail-link-fallback", None)),
        l = html_escape(link),
        lang = html_escape(t.tag()),
    );
    Mail { to: to.clone(), subject, text, html }
}

/// The product and the recipient, which every link mail names.
fn product_and_recipient<'a>(product: &'a str, to: &'a Email) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    args.set("product", product);
    args.set("to", to.as_str());
    args
}

/// The **Forgot password?** link: works once, for an hour; the code step still follows.
pub fn password_reset_mail(t: &Messages, product: &str, to: &Email, link: &str) -> Mail {
    let args = product_and_recipient(product, to);
    link_mail(
        t,
        to,
        t.text("mail-password-reset-subject", Some(&args)),
        &[t.text("mail-password-reset", Some(&args)), t.text("mail-password-reset-open", None)],
        &t.text("mail-password-reset-button", None),
        link,
        &[t.text("mail-password-reset-expiry", None), t.text("mail-password-reset-not-you", None)],
    )
}

/// What changed about a person's passkeys, for the security notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasskeyChange {
    Added,
    Removed,
}

/// The link that, with the password, lets someone without an authenticator set one up: sent
/// when their password was right but their sign-in carried no (working) link.
pub fn setup_link_mail(t: &Messages, product: &str, to: &Email, link: &str) -> Mail {
    let args = product_and_recipient(product, to);
    link_mail(
        t,
        to,
        t.text("mail-setup-link-subject", Some(&args)),
        &[t.text("mail-setup-link", Some(&args))],
        &t.text("mail-setup-link-button", None),
        link,
        &[t.text("mail-setup-link-next", None), t.text("mail-setup-link-not-you", None)],
    )
}

mod notices;
pub use notices::*;
