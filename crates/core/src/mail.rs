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

/// Tells the person a passkey was added or removed, so a change they did not make is
/// noticed: where to look and what to do.
pub fn passkey_notice(product: &str, to: &Email, change: PasskeyChange, name: &str, links: &NoticeLinks) -> Mail {
    let (verb, subject) = match change {
        PasskeyChange::Added => ("added to", format!("A passkey was added to your {product} sign-in")),
        PasskeyChange::Removed => ("removed from", format!("A passkey was removed from your {product} sign-in")),
    };
    security_notice(
        product,
        to,
        subject,
        &format!("The passkey “{name}” was {verb} your {product} sign-in ({to})."),
        links,
    )
}

/// Where a security notice points the person: their Security page, and **Can't log in?**
/// for when they no longer can.
pub struct NoticeLinks {
    pub security_page: String,
    pub cant_log_in: String,
}

impl NoticeLinks {
    pub fn of(public_url: &str) -> Self {
        NoticeLinks {
            security_page: format!("{public_url}/Account/Security"),
            cant_log_in: format!("{public_url}/support/new?reset=1"),
        }
    }
}

/// A security notice: what happened to the person's sign-in (`happened`, one sentence), and
/// what to do if it was not them.
pub fn security_notice(product: &str, to: &Email, subject: String, happened: &str, links: &NoticeLinks) -> Mail {
    let text = format!(
        "Hello,\n\n{happened}\n\n\
         If this was you, there is nothing to do.\n\n\
         If this wasn't you, sign in and review your Security page: change your password, sign out the sessions \
         you do not recognise, and remove passkeys you did not add:\n\n{security}\n\n\
         If you cannot sign in any more, choose \"Can't log in?\" on the login page, or go to:\n\n{cant}\n",
        security = links.security_page,
        cant = links.cant_log_in,
    );
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif\">\
         <p>Hello,</p><p>{h}</p><p>If this was you, there is nothing to do.</p>\
         <p><strong>If this wasn't you</strong>, sign in and review your <a href=\"{s}\">Security page</a>: change your \
         password, sign out the sessions you do not recognise, and remove passkeys you did not add.</p>\
         <p>If you cannot sign in any more, choose <a href=\"{c}\">Can't log in?</a> on the login page.</p>\
         <p style=\"color:#555\">{p}</p></body></html>",
        h = html_escape(happened),
        s = html_escape(&links.security_page),
        c = html_escape(&links.cant_log_in),
        p = html_escape(product),
    );
    Mail { to: to.clone(), subject, text, html }
}

/// A recovery code was used to sign in (or to confirm it was the person).
pub fn recovery_code_used(product: &str, to: &Email, left: u64, links: &NoticeLinks) -> Mail {
    let left = match left {
        0 => "You have no recovery codes left: generate new ones on your Security page.".to_owned(),
        1 => "You have 1 recovery code left.".to_owned(),
        n => format!("You have {n} recovery codes left."),
    };
    security_notice(
        product,
        to,
        format!("A recovery code was used for your {product} sign-in"),
        &format!("A recovery code was just used for your {product} sign-in ({to}). {left}"),
        links,
    )
}

/// A new set of recovery codes replaced the old one.
pub fn recovery_codes_regenerated(product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    security_notice(
        product,
        to,
        format!("New recovery codes for your {product} sign-in"),
        &format!(
            "New recovery codes were made for your {product} sign-in ({to}). Your previous recovery codes no longer work."
        ),
        links,
    )
}

/// A sign-in completed in a browser that had not signed in as the person before (or not in the
/// last 90 days).
pub fn new_browser(
    product: &str,
    to: &Email,
    browser: Option<&str>,
    address: Option<&str>,
    links: &NoticeLinks,
) -> Mail {
    let from = match (browser, address) {
        (Some(b), Some(a)) => format!(" from {b} at {a}"),
        (Some(b), None) => format!(" from {b}"),
        (None, Some(a)) => format!(" from {a}"),
        (None, None) => String::new(),
    };
    security_notice(
        product,
        to,
        format!("New sign-in to your {product} account"),
        &format!("Someone signed in to your {product} sign-in ({to}) in a new browser or device{from}."),
        links,
    )
}

/// The authenticator app was set up (after an invitation, or after a 2FA reset).
pub fn authenticator_set_up(product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    security_notice(
        product,
        to,
        format!("Two-factor authentication is set up for your {product} sign-in"),
        &format!(
            "An authenticator app was set up for your {product} sign-in ({to}). Its codes are now your second step."
        ),
        links,
    )
}

/// The authenticator app was replaced: the old one's codes stopped working.
pub fn authenticator_replaced(product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    security_notice(
        product,
        to,
        format!("Your {product} authenticator app was replaced"),
        &format!(
            "The authenticator app for your {product} sign-in ({to}) was replaced with a new one. Codes from the previous app no longer work."
        ),
        links,
    )
}

/// The password was changed on the Security page; the person's other sessions ended.
pub fn password_changed(product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    security_notice(
        product,
        to,
        format!("Your {product} password was changed"),
        &format!("The password of your {product} sign-in ({to}) was changed, and every other session was signed out."),
        links,
    )
}

/// The account owner changed the person's role.
pub fn role_changed(product: &str, to: &Email, account: &str, role: Role, links: &NoticeLinks) -> Mail {
    let now = match role {
        Role::CoOwner => "a co-owner: you can now invite users and ask support to reset their 2FA",
        _ => "a user",
    };
    security_notice(
        product,
        to,
        format!("Your role in “{account}” changed"),
        &format!("The account owner made you {now} in “{account}” on {product} ({to})."),
        links,
    )
}

/// Ownership of the account changed hands: `to` is one of the two people, `other` the other.
pub fn ownership_transferred(
    product: &str,
    to: &Email,
    became_owner: bool,
    other: &Email,
    account: &str,
    links: &NoticeLinks,
) -> Mail {
    let happened = if became_owner {
        format!("{other} handed “{account}” on {product} over to you: you are its account owner now ({to}).")
    } else {
        format!("You handed “{account}” on {product} over to {other}: you are a co-owner now ({to}).")
    };
    security_notice(product, to, format!("“{account}” has a new account owner"), &happened, links)
}

#[cfg(test)]
mod notice_tests {
    use super::*;

    #[test]
    fn notices_say_what_happened_and_what_to_do_if_it_was_not_you() {
        let to = Email::parse("sam@acme.example.com").unwrap();
        let links = NoticeLinks::of("https://id.example.com");
        let mail = recovery_code_used("Gatehouse", &to, 9, &links);
        assert_eq!(mail.subject, "A recovery code was used for your Gatehouse sign-in");
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("You have 9 recovery codes left."), "{part}");
            assert!(part.contains("If this wasn't you") || part.contains("If this wasn&#39;t you"), "{part}");
            assert!(part.contains("https://id.example.com/Account/Security"), "{part}");
            assert!(part.contains("https://id.example.com/support/new?reset=1"), "{part}");
            assert!(part.contains("Can't log in?") || part.contains("Can&#39;t log in?"), "{part}");
        }
        assert!(recovery_code_used("G", &to, 0, &links).text.contains("no recovery codes left"));
        assert!(recovery_codes_regenerated("G", &to, &links).text.contains("previous recovery codes no longer work"));
        assert_eq!(password_changed("G", &to, &links).subject, "Your G password was changed");
        let new = new_browser("G", &to, Some("Firefox on Linux"), Some("192.0.2.1"), &links);
        assert!(new.text.contains("in a new browser or device from Firefox on Linux at 192.0.2.1."), "{}", new.text);
        assert!(authenticator_set_up("G", &to, &links).text.contains("An authenticator app was set up"));
        let reset = password_reset_mail("G", &to, "https://id.example.com/Account/ResetPassword?token=a&b");
        assert_eq!(reset.subject, "Choose a new password for G");
        assert!(reset.text.contains("https://id.example.com/Account/ResetPassword?token=a&b"));
        assert!(reset.html.contains("href=\"https://id.example.com/Account/ResetPassword?token=a&amp;b\""));
        assert!(reset.text.contains("expires in 1 hour") && reset.text.contains("ignore this mail"));
        let replaced = authenticator_replaced("G", &to, &links);
        assert_eq!(replaced.subject, "Your G authenticator app was replaced");
        assert!(
            replaced.text.contains("Codes from the previous app no longer work.")
                && replaced.text.contains("If this wasn't you")
        );
        let added = passkey_notice("Gatehouse", &to, PasskeyChange::Added, "<Laptop>", &links);
        assert!(added
            .text
            .contains("The passkey “<Laptop>” was added to your Gatehouse sign-in (sam@acme.example.com)."));
        assert!(added.html.contains("“&lt;Laptop&gt;”") && !added.html.contains("<Laptop>"));
        assert!(added.text.contains("If this wasn't you"));
    }

    #[test]
    fn role_and_ownership_notices_name_the_account_and_the_new_role() {
        let (to, other) =
            (Email::parse("sam@acme.example.com").unwrap(), Email::parse("kim@acme.example.com").unwrap());
        let links = NoticeLinks::of("https://id.example.com");
        let co = role_changed("G", &to, "Acme", Role::CoOwner, &links);
        assert_eq!(co.subject, "Your role in “Acme” changed");
        assert!(co.text.contains("made you a co-owner") && co.text.contains("If this wasn't you"), "{}", co.text);
        assert!(role_changed("G", &to, "Acme", Role::User, &links).text.contains("made you a user in “Acme”"));
        let new = ownership_transferred("G", &to, true, &other, "<Acme>", &links);
        assert!(new.text.contains("kim@acme.example.com handed “<Acme>” on G over to you"), "{}", new.text);
        assert!(new.html.contains("&lt;Acme&gt;") && !new.html.contains("<Acme>"));
        let old = ownership_transferred("G", &other, false, &to, "Acme", &links);
        assert!(old.text.contains("over to sam@acme.example.com: you are a co-owner now"), "{}", old.text);
    }
}
