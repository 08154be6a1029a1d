//! Which new passwords are accepted (NIST SP 800-63B, OWASP ASVS 5.0 §6.2).
//!
//! Length rules and a check against common and easily guessed passwords; no composition rules
//! ("one digit, one symbol"), which only push people to predictable patterns.

use gatehouse_l10n::say;
use unicode_normalization::UnicodeNormalization;

/// With a second factor always required, 12 characters is ASVS's minimum.
pub const MIN_CHARS: usize = 12;
/// Long passphrases are welcome; beyond this it is abuse (argon2 cost grows with input).
pub const MAX_CHARS: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejected {
    #[error("{}", say("error-password-too-short", &[("min", MIN_CHARS.into()), ("count", .0.into())]))]
    TooShort(usize),
    #[error("{}", say("error-password-too-long", &[("max", MAX_CHARS.into())]))]
    TooLong,
    #[error("{}", say("error-password-mismatch", &[]))]
    Mismatch,
    /// The message id of what makes it guessable (zxcvbn's warning, one message each).
    #[error("{}", say("error-password-guessable", &[("advice", say(.0, &[]).into())]))]
    Guessable(String),
}

/// The form a password is hashed and compared in: Unicode NFKC, so that the same password
/// typed on two keyboards (composed "é" or "e" + accent) is the same password.
pub fn normalize(password: &str) -> String {
    password.nfkc().collect()
}

/// Checks a new password (already normalised) and its confirmation. `context` lists words
/// an attacker would try first: the person's email, the account and product names.
pub fn check_new(password: &str, confirmation: &str, context: &[&str]) -> Result<(), PasswordRejected> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordRejected::TooShort(chars));
    }
    if chars > MAX_CHARS {
        return Err(PasswordRejected::TooLong);
    }
    if password != confirmation {
        return Err(PasswordRejected::Mismatch);
    }
    // zxcvbn knows the 30,000 most common passwords (with l33t and reversed variants),
    // keyboard walks, repeats, sequences, dates and the context words. Score 3 means
    // "safely unguessable: moderate protection from an offline attack"; below it, refuse.
    let estimate = zxcvbn::zxcvbn(password, context);
    if u8::from(estimate.score()) < 3 {
        let warning = estimate.feedback().and_then(|f| f.warning()).map(|w| format!("{w:?}"));
        return Err(PasswordRejected::Guessable(weakness_id(warning.as_deref().unwrap_or("Pattern"))));
    }
    Ok(())
}

/// `password-weak-` and zxcvbn's warning (`ThisIsATop10Password`) in kebab case.
fn weakness_id(warning: &str) -> String {
    let mut id = String::from("password-weak");
    for c in warning.chars() {
        if c.is_ascii_uppercase() || c.is_ascii_digit() && !id.ends_with(|p: char| p.is_ascii_digit()) {
            id.push('-');
        }
        id.push(c.to_ascii_lowercase());
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), PasswordRejected> {
        check_new(p, p, &["ada@acme.example.com", "Acme", "Gatehouse"])
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check("short pw"), Err(PasswordRejected::TooShort(8)));
        assert_eq!(check("ééééééééééé"), Err(PasswordRejected::TooShort(11)));
        assert!(check(&"correct horse battery staple ".repeat(9)).is_err_and(|e| e == PasswordRejected::TooLong));
    }

    #[test]
    fn no_composition_rules_long_passphrases_pass() {
        assert_eq!(check("correct horse battery staple"), Ok(()));
        assert_eq!(check("zebra piano lantern velvet"), Ok(()));
        assert_eq!(check("Grüße aus dem Schwarzwald 2031!"), Ok(()));
    }

    #[test]
    fn common_and_patterned_passwords_are_refused_with_a_reason() {
        for p in
            ["password1234", "passwordpassword", "123456789012", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa", "iloveyou12345"]
        {
            match check(p) {
                // Each of zxcvbn's warnings has its message: the text is words, not the id.
                Err(e @ PasswordRejected::Guessable(_)) => {
                    let said = e.to_string();
                    assert!(
                        said.starts_with("This password is too common") && !said.contains("password-weak"),
                        "{p}: {said}"
                    )
                }
                other => panic!("{p} should be refused as guessable, got {other:?}"),
            }
        }
    }

    #[test]
    fn the_persons_own_details_count_as_guessable() {
        assert!(matches!(check("acmegatehouse"), Err(PasswordRejected::Guessable(_))));
    }

    #[test]
    fn every_zxcvbn_warning_has_a_message() {
        for warning in [
            "StraightRowsOfKeysAreEasyToGuess",
            "ShortKeyboardPatternsAreEasyToGuess",
            "RepeatsLikeAaaAreEasyToGuess",
            "RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess",
            "ThisIsATop10Password",
            "ThisIsATop100Password",
            "ThisIsACommonPassword",
            "ThisIsSimilarToACommonlyUsedPassword",
            "SequencesLikeAbcAreEasyToGuess",
            "RecentYearsAreEasyToGuess",
            "AWordByItselfIsEasyToGuess",
            "DatesAreOftenEasyToGuess",
            "NamesAndSurnamesByThemselvesAreEasyToGuess",
            "CommonNamesAndSurnamesAreEasyToGuess",
            "Pattern",
        ] {
            let id = weakness_id(warning);
            assert_ne!(say(&id, &[]), id, "{warning}: no message {id}");
        }
    }

    #[test]
    fn a_differing_confirmation_is_refused() {
        assert_eq!(
            check_new("correct horse battery staple", "correct horse battery stapel", &[]),
            Err(PasswordRejected::Mismatch)
        );
    }

    #[test]
    fn normalisation_makes_composed_and_decomposed_input_equal() {
        assert_eq!(normalize("e\u{301}te\u{301}"), normalize("\u{e9}t\u{e9}"));
        assert_eq!(normalize("ﬁ"), "fi");
    }
}
