//! Which new passwords are accepted (NIST SP 800-63B, OWASP ASVS 5.0 §6.2).
//!
//! Length rules and a check against common and easily guessed passwords; no composition rules
//! ("one digit, one symbol"), which only push people to predictable patterns.

use unicode_normalization::UnicodeNormalization;

/// With a second factor always required, 12 characters is ASVS's minimum.
pub const MIN_CHARS: usize = 12;
/// Long passphrases are welcome; beyond this it is abuse (argon2 cost grows with input).
pub const MAX_CHARS: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejected {
    #[error("Use at least {MIN_CHARS} characters; you have {0}. A few unrelated words make a good password.")]
    TooShort(usize),
    #[error("Use at most {MAX_CHARS} characters.")]
    TooLong,
    #[error("The passwords do not match.")]
    Mismatch,
    #[error("This password is too common or easy to guess: {0}")]
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
        let reason = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .unwrap_or_else(|| "it follows a pattern that password-guessing tools try early.".into());
        return Err(PasswordRejected::Guessable(reason));
    }
    Ok(())
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
                Err(PasswordRejected::Guessable(reason)) => assert!(!reason.is_empty(), "{p}"),
                other => panic!("{p} should be refused as guessable, got {other:?}"),
            }
        }
    }

    #[test]
    fn the_persons_own_details_count_as_guessable() {
        assert!(matches!(check("acmegatehouse"), Err(PasswordRejected::Guessable(_))));
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
