//! Security notices: what happened to a person's sign-in, in their language (`t`), and what to
//! do if it was not them. The words are in `locales/*/mail.ftl`.

use gatehouse_l10n::{FluentArgs, FluentValue, Messages};

use super::{html_escape, Mail, PasskeyChange};
use crate::{Email, Role};

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

/// The product and the recipient, which every notice names, and `more`.
fn args<'a>(product: &'a str, to: &'a Email, more: &[(&'a str, FluentValue<'a>)]) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    args.set("product", product);
    args.set("to", to.as_str());
    for (name, value) in more {
        args.set(*name, value.clone());
    }
    args
}

/// A notice whose subject is message `id-subject` and whose one sentence is `id`, both with
/// the product, the recipient and `more`.
fn notice(
    t: &Messages,
    id: &str,
    product: &str,
    to: &Email,
    more: &[(&str, FluentValue)],
    links: &NoticeLinks,
) -> Mail {
    let args = args(product, to, more);
    let subject = t.text(&format!("{id}-subject"), Some(&args));
    security_notice(t, product, to, subject, &t.text(id, Some(&args)), links)
}

/// Escapes text for HTML element content (quotes stay as they are: "Can't log in?" reads the
/// same in the mail's source as on the page).
fn content(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A security notice: what happened to the person's sign-in (`happened`, one sentence), and
/// what to do if it was not them.
pub fn security_notice(
    t: &Messages,
    product: &str,
    to: &Email,
    subject: String,
    happened: &str,
    links: &NoticeLinks,
) -> Mail {
    let (hello, was_you, was_not_you, cannot) = (
        t.text("mail-hello", None),
        t.text("mail-notice-was-you", None),
        t.text("mail-notice-was-not-you", None),
        t.text("mail-notice-cannot-sign-in", None),
    );
    let text = format!(
        "{hello}\n\n{happened}\n\n{was_you}\n\n{was_not_you}\n\n{security}\n\n{cannot}\n\n{cant}\n",
        security = links.security_page,
        cant = links.cant_log_in,
    );
    let p = |s: &str| format!("<p>{}</p>", content(s));
    let link = |href: &str, label: &str| format!("<p><a href=\"{}\">{}</a></p>", html_escape(href), content(label));
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family: sans-serif\">{}{}{}{}{}{}{}\
         <p style=\"color:#555\">{}</p></body></html>",
        p(&hello),
        p(happened),
        p(&was_you),
        p(&was_not_you),
        link(&links.security_page, &t.text("mail-notice-security-page", None)),
        p(&cannot),
        link(&links.cant_log_in, &t.text("mail-notice-cant-log-in", None)),
        content(product),
        lang = html_escape(t.tag()),
    );
    Mail { to: to.clone(), subject, text, html }
}

/// Tells the person a passkey was added or removed, so a change they did not make is
/// noticed: where to look and what to do.
pub fn passkey_notice(
    t: &Messages,
    product: &str,
    to: &Email,
    change: PasskeyChange,
    name: &str,
    links: &NoticeLinks,
) -> Mail {
    let id = match change {
        PasskeyChange::Added => "mail-passkey-added",
        PasskeyChange::Removed => "mail-passkey-removed",
    };
    notice(t, id, product, to, &[("name", name.into())], links)
}

/// A recovery code was used to sign in (or to confirm it was the person).
pub fn recovery_code_used(t: &Messages, product: &str, to: &Email, left: u64, links: &NoticeLinks) -> Mail {
    notice(t, "mail-recovery-used", product, to, &[("left", left.into())], links)
}

/// A new set of recovery codes replaced the old one.
pub fn recovery_codes_regenerated(t: &Messages, product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    notice(t, "mail-recovery-regenerated", product, to, &[], links)
}

/// A sign-in completed in a browser that had not signed in as the person before (or not in the
/// last 90 days).
pub fn new_browser(
    t: &Messages,
    product: &str,
    to: &Email,
    browser: Option<&str>,
    address: Option<&str>,
    links: &NoticeLinks,
) -> Mail {
    // The browser as kept ("Chrome on Linux"), said in the recipient's language.
    let browser = browser.map(|b| crate::sessions::browser_in(t, b));
    let from = match (browser, address) {
        (Some(b), Some(a)) => {
            let mut both = FluentArgs::new();
            both.set("browser", b);
            both.set("address", a);
            Some(t.text("mail-browser-at-address", Some(&both)))
        }
        (Some(browser), None) => Some(browser),
        (None, Some(address)) => Some(address.to_owned()),
        (None, None) => None,
    };
    let subject = t.text("mail-new-browser-subject", Some(&args(product, to, &[])));
    let happened = match from {
        Some(from) => t.text("mail-new-browser-from", Some(&args(product, to, &[("from", from.into())]))),
        None => t.text("mail-new-browser", Some(&args(product, to, &[]))),
    };
    security_notice(t, product, to, subject, &happened, links)
}

/// The authenticator app was set up (after an invitation, or after a 2FA reset).
pub fn authenticator_set_up(t: &Messages, product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    notice(t, "mail-authenticator-set-up", product, to, &[], links)
}

/// The authenticator app was replaced: the old one's codes stopped working.
pub fn authenticator_replaced(t: &Messages, product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    notice(t, "mail-authenticator-replaced", product, to, &[], links)
}

/// The password was changed on the Security page; the person's other sessions ended.
pub fn password_changed(t: &Messages, product: &str, to: &Email, links: &NoticeLinks) -> Mail {
    notice(t, "mail-password-changed", product, to, &[], links)
}

/// The account owner changed the person's role.
pub fn role_changed(t: &Messages, product: &str, to: &Email, account: &str, role: Role, links: &NoticeLinks) -> Mail {
    let role = match role {
        Role::CoOwner => "co-owner",
        _ => "user",
    };
    notice(t, "mail-role-changed", product, to, &[("account", account.into()), ("role", role.into())], links)
}

/// Ownership of the account changed hands: `to` is one of the two people, `other` the other.
pub fn ownership_transferred(
    t: &Messages,
    product: &str,
    to: &Email,
    became_owner: bool,
    other: &Email,
    account: &str,
    links: &NoticeLinks,
) -> Mail {
    let args = args(product, to, &[("account", account.into()), ("other", other.as_str().into())]);
    let subject = t.text("mail-ownership-subject", Some(&args));
    let id = if became_owner { "mail-ownership-received" } else { "mail-ownership-handed" };
    security_notice(t, product, to, subject, &t.text(id, Some(&args)), links)
}

#[cfg(test)]
mod tests;
