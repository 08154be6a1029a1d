use super::*;
use crate::mail::password_reset_mail;

fn language(tag: &str) -> Messages {
    gatehouse_l10n::built_in().unwrap().into_iter().find(|m| m.tag() == tag).unwrap()
}

#[test]
fn notices_say_what_happened_and_what_to_do_if_it_was_not_you() {
    let to = Email::parse("sam@acme.example.com").unwrap();
    let links = NoticeLinks::of("https://id.example.com");
    let en = language("en");
    let mail = recovery_code_used(&en, "Gatehouse", &to, 9, &links);
    assert_eq!(mail.subject, "A recovery code was used for your Gatehouse sign-in");
    for part in [&mail.text, &mail.html] {
        assert!(part.contains("You have 9 recovery codes left."), "{part}");
        assert!(part.contains("If this wasn't you"), "{part}");
        assert!(part.contains("https://id.example.com/Account/Security"), "{part}");
        assert!(part.contains("https://id.example.com/support/new?reset=1"), "{part}");
        assert!(part.contains("Can't log in?"), "{part}");
    }
    assert!(recovery_code_used(&en, "G", &to, 0, &links).text.contains("no recovery codes left"));
    assert!(recovery_codes_regenerated(&en, "G", &to, &links).text.contains("previous recovery codes no longer work"));
    assert_eq!(password_changed(&en, "G", &to, &links).subject, "Your G password was changed");
    let new = new_browser(&en, "G", &to, Some("Firefox on Linux"), Some("192.0.2.1"), &links);
    assert!(new.text.contains("in a new browser or device from Firefox on Linux at 192.0.2.1."), "{}", new.text);
    assert!(authenticator_set_up(&en, "G", &to, &links).text.contains("An authenticator app was set up"));
    let reset = password_reset_mail(&en, "G", &to, "https://id.example.com/Account/ResetPassword?token=a&b");
    assert_eq!(reset.subject, "Choose a new password for G");
    assert!(reset.text.contains("https://id.example.com/Account/ResetPassword?token=a&b"));
    assert!(reset.html.contains("href=\"https://id.example.com/Account/ResetPassword?token=a&amp;b\""));
    assert!(reset.text.contains("expires in 1 hour") && reset.text.contains("ignore this mail"));
    let replaced = authenticator_replaced(&en, "G", &to, &links);
    assert_eq!(replaced.subject, "Your G authenticator app was replaced");
    assert!(
        replaced.text.contains("Codes from the previous app no longer work.")
            && replaced.text.contains("If this wasn't you")
    );
    let added = passkey_notice(&en, "Gatehouse", &to, PasskeyChange::Added, "<Laptop>", &links);
    assert!(added.text.contains("The passkey “<Laptop>” was added to your Gatehouse sign-in (sam@acme.example.com)."));
    assert!(added.html.contains("“&lt;Laptop&gt;”") && !added.html.contains("<Laptop>"));
    assert!(added.text.contains("If this wasn't you"));
}

#[test]
fn role_and_ownership_notices_name_the_account_and_the_new_role() {
    let (to, other) = (Email::parse("sam@acme.example.com").unwrap(), Email::parse("kim@acme.example.com").unwrap());
    let links = NoticeLinks::of("https://id.example.com");
    let en = language("en");
    let co = role_changed(&en, "G", &to, "Acme", Role::CoOwner, &links);
    assert_eq!(co.subject, "Your role in “Acme” changed");
    assert!(co.text.contains("made you a co-owner") && co.text.contains("If this wasn't you"), "{}", co.text);
    assert!(role_changed(&en, "G", &to, "Acme", Role::User, &links).text.contains("made you a user in “Acme”"));
    let new = ownership_transferred(&en, "G", &to, true, &other, "<Acme>", &links);
    assert!(new.text.contains("kim@acme.example.com handed “<Acme>” on G over to you"), "{}", new.text);
    assert!(new.html.contains("&lt;Acme&gt;") && !new.html.contains("<Acme>"));
    let old = ownership_transferred(&en, "G", &other, false, &to, "Acme", &links);
    assert!(old.text.contains("over to sam@acme.example.com: you are a co-owner now"), "{}", old.text);
}

#[test]
fn a_notice_is_in_the_recipients_language() {
    let to = Email::parse("sam@acme.example.com").unwrap();
    let links = NoticeLinks::of("https://id.example.com");
    let de = language("de");
    let one = recovery_code_used(&de, "G", &to, 1, &links);
    assert_eq!(one.subject, "Ein Wiederherstellungscode wurde für Ihre Anmeldung bei G verwendet");
    assert!(one.text.starts_with("Guten Tag,") && one.text.contains("Sie haben noch 1 Wiederherstellungscode."));
    assert!(one.html.contains("<html lang=\"de\">") && one.html.contains("Anmeldung nicht möglich?"));
    assert!(recovery_code_used(&de, "G", &to, 4, &links).text.contains("Sie haben noch 4 Wiederherstellungscodes."));
    // The browser comes as kept (English), and is said in German.
    let new = new_browser(&de, "G", &to, Some("Firefox on Linux"), Some("192.0.2.1"), &links);
    assert!(new.text.contains("von Firefox auf Linux unter 192.0.2.1."), "{}", new.text);
    assert!(role_changed(&de, "G", &to, "Acme", Role::CoOwner, &links).text.contains("zum Mitinhaber gemacht"));
}
