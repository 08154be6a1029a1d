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
                created_at: Timestamp(0),
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

/// What changed about a person's passkeys, for the security notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasskeyChange {
    Added,
    Removed,
}

/// Tells the person a passkey was added or removed, so a change they did not make is
/// noticed: where to look and what to do.
pub fn passkey_notice(product: &str, to: &Email, change: PasskeyChange, name: &str, security_page: &str) -> Mail {
    let (verb, subject) = match change {
        PasskeyChange::Added => ("added to", format!("A passkey was added to your {product} sign-in")),
        PasskeyChange::Removed => ("removed from", format!("A passkey was removed from your {product} sign-in")),
    };
    let text = format!(
        "Hello,\n\nThe passkey “{name}” was {verb} your {product} sign-in ({to}).\n\n\
         If this was you, there is nothing to do. If it was not, sign in, review your passkeys on your \
         Security page and remove any you do not recognise, then contact your account owner:\n\n{security_page}\n"
    );
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif\">\
         <p>Hello,</p><p>The passkey “{n}” was {verb} your {p} sign-in ({t}).</p>\
         <p>If this was you, there is nothing to do. If it was not, sign in, review your passkeys on your \
         <a href=\"{l}\">Security page</a> and remove any you do not recognise, then contact your account owner.</p>\
         </body></html>",
        n = html_escape(name),
        p = html_escape(product),
        t = html_escape(to.as_str()),
        l = html_escape(security_page),
    );
    Mail { to: to.clone(), subject, text, html }
}
