//! Mail the core asks to be sent, and the port it goes through. The server provides the
//! transport (an outbox folder or SMTP); the wording lives here, next to the rules.

use async_trait::async_trait;

use crate::admin::IssuedInvitation;
use crate::{Email, Role};

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
pub fn invitation_mail(product: &str, invitation: &IssuedInvitation, link: &str) -> Mail {
    let role = invitation.user.role;
    let place = match (&invitation.account, role) {
        (Some(account), Role::Owner) => format!("as the account owner of “{}”", account.name),
        (Some(account), _) => format!("as a {} of “{}”", role.label(), account.name),
        (None, _) => "as a support agent".to_owned(),
    };
    let subject = format!("Your invitation to {product}");
    let text = format!(
        "Hello,\n\nYou have been invited to {product} {place}.\n\n\
         Open this link to choose your password and set up two-factor authentication:\n\n{link}\n\n\
         The link works once and expires in 7 days. If you did not expect this invitation, ignore this mail.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif\">\
         <p>Hello,</p><p>You have been invited to {p} {pl}.</p>\
         <p><a href=\"{l}\">Accept the invitation</a> to choose your password and set up two-factor authentication.</p>\
         <p>The link works once and expires in 7 days. If you did not expect this invitation, ignore this mail.</p>\
         <p style=\"color:#555\">If the button does not work, copy this address into your browser:<br>{l}</p>\
         </body></html>",
        p = html_escape(product),
        pl = html_escape(&place),
        l = html_escape(link),
    );
    Mail { to: invitation.user.email.clone(), subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, User};
    use crate::token::Token;
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

    #[test]
    fn invitation_mail_names_the_role_account_and_link() {
        let mail =
            invitation_mail("Gatehouse", &issued(Role::CoOwner, Some("Acme")), "http://localhost:3000/x?token=abc");
        assert_eq!(mail.to.as_str(), "new@example.com");
        assert!(mail.text.contains("as a co-owner of “Acme”"));
        assert!(mail.text.contains("http://localhost:3000/x?token=abc"));
        assert!(mail.html.contains("href=\"http://localhost:3000/x?token=abc\""));
    }

    #[test]
    fn account_names_cannot_inject_html() {
        let mail = invitation_mail("Gatehouse", &issued(Role::Owner, Some("<b>Evil</b> & Co")), "http://x/?a=1&b=2");
        assert!(mail.html.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"));
        assert!(!mail.html.contains("<b>Evil"));
        assert!(mail.html.contains("href=\"http://x/?a=1&amp;b=2\""));
    }
}

/// A mail whose point is one single-use link: plain sentences before it (`before`), the link
/// (a button reading `button` in HTML, the address itself in text), sentences after it. The
/// sentences are plain text, escaped for HTML here.
fn link_mail(to: &Email, subject: String, before: &[String], button: &str, link: &str, after: &[String]) -> Mail {
    let text = format!("Hello,\n\n{}\n\n{link}\n\n{}\n", before.join("\n\n"), after.join("\n\n"));
    let paragraphs = |ps: &[String]| ps.iter().map(|p| format!("<p>{}</p>", html_escape(p))).collect::<String>();
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif\"><p>Hello,</p>{}\
         <p><a href=\"{l}\">{}</a></p>{}\
         <p style=\"color:#555\">If the button does not work, copy this address into your browser:<br>{l}</p>\
         </body></html>",
        paragraphs(before),
        html_escape(button),
        paragraphs(after),
        l = html_escape(link),
    );
    Mail { to: to.clone(), subject, text, html }
}

/// The **Forgot password?** link: works once, for an hour; the code step still follows.
pub fn password_reset_mail(product: &str, to: &Email, link: &str) -> Mail {
    link_mail(
        to,
        format!("Choose a new password for {product}"),
        &[
            format!("Someone, hopefully you, asked to choose a new password for your {product} sign-in ({to})."),
            "Open this link to choose it:".into(),
        ],
        "Choose a new password",
        link,
        &[
            "The link works once and expires in 1 hour. After the new password you still enter the code from your \
             authenticator app."
                .into(),
            "If you did not ask for this, ignore this mail: your password stays as it is.".into(),
        ],
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
pub fn setup_link_mail(product: &str, to: &Email, link: &str) -> Mail {
    link_mail(
        to,
        format!("Set up two-factor authentication for {product}"),
        &[format!(
            "Someone, hopefully you, logged in to {product} as {to} with the right password. Your account has no \
             authenticator app set up, and setting one up takes your password and this link together:"
        )],
        "Set up two-factor authentication",
        link,
        &[
            "Open it, log in again and scan the QR code with your authenticator app. The link works once, for 7 days."
                .into(),
            "If this was not you, someone knows your password: tell your account owner at once, and do not open the \
             link."
                .into(),
        ],
    )
}

mod notices;
pub use notices::*;
