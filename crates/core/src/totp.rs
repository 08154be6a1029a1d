//! Time-based one-time passwords (RFC 6238) as authenticator apps honour them: SHA-1,
//! 6 digits, 30-second steps, one step of tolerance either side.
//!
//! Replay protection is not here but in storage: a step is accepted only if it is later than
//! the last step accepted for the user (an atomic compare-and-set), see
//! [`crate::store::Authenticators::accept_totp_step`].

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::RngCore;
use totp_rs::{Algorithm, Builder, Totp};

pub const STEP_SECS: u64 = 30;
pub const DIGITS: usize = 6;
/// Steps accepted either side of now: RFC 6238's recommended network-delay allowance.
pub const SKEW_STEPS: u64 = 1;
/// How far a wrong code is compared against earlier times to tell a person their device
/// clock is behind (up to 10 minutes), and against later times to refuse those steps in
/// advance. Never signs anyone in.
pub const CLOCK_HINT_STEPS: u64 = 20;
/// 160 bits, RFC 4226's recommended length for SHA-1.
pub const SECRET_BYTES: usize = 20;

/// A TOTP shared secret. Redacted `Debug`, no `Serialize`; stored only encrypted.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code matches this step (within the skew window).
    Matches {
        step: u64,
    },
    /// The code matches a step this many minutes ago: the device clock is behind.
    ClockOff {
        minutes: i64,
    },
    /// The code matches a step to come, beyond the skew window. Said to nobody: telling a
    /// guesser that a guess will be right in a few minutes multiplies their chances.
    Ahead {
        step: u64,
    },
    Wrong,
    /// Not six digits (after removing spaces).
    Malformed,
}

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        TotpSecret(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        TotpSecret(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding: what authenticator apps accept typed in.
    pub fn base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// The base32 key in groups of four, for reading aloud or typing.
    pub fn base32_grouped(&self) -> String {
        let b32 = self.base32();
        b32.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect::<Vec<_>>().join(" ")
    }

    fn totp(&self, digits: usize) -> Totp {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(digits as u8)
            .with_skew(0)
            .with_step_duration(STEP_SECS)
            .with_secret(self.0.clone())
            .build()
            .expect("a 160-bit secret with standard parameters is valid")
    }

    /// The code for one step.
    pub fn code_at_step(&self, step: u64) -> String {
        self.totp(DIGITS).generate(step * STEP_SECS).to_string()
    }

    /// Checks a code typed at `unix_secs`.
    pub fn check(&self, code: &str, unix_secs: u64) -> CodeCheck {
        let Some(code) = well_formed(code) else { return CodeCheck::Malformed };
        let now = unix_secs / STEP_SECS;
        let matches = |step: u64| constant_time_eq(self.code_at_step(step).as_bytes(), code.as_bytes());
        // Now first, then the neighbours: the common case costs one HMAC.
        for step in [now, now.saturating_sub(SKEW_STEPS), now + SKEW_STEPS] {
            if matches(step) {
                return CodeCheck::Matches { step };
            }
        }
        for distance in SKEW_STEPS + 1..=CLOCK_HINT_STEPS {
            if distance <= now && matches(now - distance) {
                let secs = -((distance * STEP_SECS) as i64);
                return CodeCheck::ClockOff { minutes: ((secs as f64) / 60.0).round() as i64 };
            }
            if matches(now + distance) {
                return CodeCheck::Ahead { step: now + distance };
            }
        }
        CodeCheck::Wrong
    }
}

/// The code as six digits, spaces removed; `None` when it is not a code at all.
pub fn well_formed(code: &str) -> Option<String> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Everything but RFC 3986's unreserved characters is escaped, in the label and the query.
const ESCAPE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`
/// (Google's Key Uri Format). The issuer must not contain ':' (checked in configuration);
/// a ':' in the account name would be misread as the separator, so it is replaced.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &TotpSecret) -> String {
    let issuer_enc = utf8_percent_encode(issuer, ESCAPE).to_string();
    let account_enc = utf8_percent_encode(&account.replace(':', "_"), ESCAPE).to_string();
    format!(
        "otpauth://totp/{issuer_enc}:{account_enc}?secret={}&issuer={issuer_enc}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        secret.base32()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        let secret = TotpSecret::from_bytes(RFC_SECRET.to_vec());
        let eight = secret.totp(8);
        for (time, code) in [
            (59u64, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(eight.generate(time).to_string(), code, "T = {time}");
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        // HOTP is TOTP with the counter as the step.
        let secret = TotpSecret::from_bytes(RFC_SECRET.to_vec());
        let expected =
            ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(secret.code_at_step(counter as u64), *code, "counter {counter}");
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_two_are_not() {
        let s = TotpSecret::generate();
        let now = 1_800_000_015u64;
        let step = now / STEP_SECS;
        assert_eq!(s.check(&s.code_at_step(step), now), CodeCheck::Matches { step });
        assert_eq!(s.check(&s.code_at_step(step - 1), now), CodeCheck::Matches { step: step - 1 });
        assert_eq!(s.check(&s.code_at_step(step + 1), now), CodeCheck::Matches { step: step + 1 });
        assert_eq!(s.check(&s.code_at_step(step - 2), now), CodeCheck::ClockOff { minutes: -1 });
        assert_eq!(s.check(&s.code_at_step(step + 2), now), CodeCheck::Ahead { step: step + 2 });
    }

    #[test]
    fn codes_from_a_clock_minutes_behind_give_a_hint_not_a_sign_in() {
        let s = TotpSecret::generate();
        let now = 1_800_000_015u64;
        let step = now / STEP_SECS;
        assert_eq!(s.check(&s.code_at_step(step - 10), now), CodeCheck::ClockOff { minutes: -5 });
        assert_eq!(s.check(&s.code_at_step(step - 20), now), CodeCheck::ClockOff { minutes: -10 });
        assert_eq!(s.check(&s.code_at_step(step - 40), now), CodeCheck::Wrong);
    }

    #[test]
    fn codes_of_steps_to_come_are_never_a_hint() {
        let s = TotpSecret::generate();
        let now = 1_800_000_015u64;
        let step = now / STEP_SECS;
        assert_eq!(s.check(&s.code_at_step(step + 10), now), CodeCheck::Ahead { step: step + 10 });
        assert_eq!(s.check(&s.code_at_step(step + 20), now), CodeCheck::Ahead { step: step + 20 });
        assert_eq!(s.check(&s.code_at_step(step + 40), now), CodeCheck::Wrong);
    }

    #[test]
    fn spaces_are_ignored_and_non_digits_are_malformed() {
        let s = TotpSecret::generate();
        let now = 1_800_000_015u64;
        let code = s.code_at_step(now / STEP_SECS);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(matches!(s.check(&spaced, now), CodeCheck::Matches { .. }));
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(s.check(bad, now), CodeCheck::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn base32_matches_rfc_4648_and_groups_by_four() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        let s = TotpSecret::from_bytes(RFC_SECRET.to_vec());
        assert_eq!(s.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(s.base32_grouped(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(TotpSecret::generate().base32().len(), 32);
    }

    #[test]
    fn otpauth_uris_round_trip_through_a_uri_parser() {
        let s = TotpSecret::generate();
        for (issuer, account) in [
            ("Gatehouse", "ada@example.com"),
            ("Acme Login & Co", "ops+gate@example.com"),
            ("Zürich Büro", "jürgen@example.de"),
            ("A+B", "x:y@example.com"),
        ] {
            let uri = otpauth_uri(issuer, account, &s);
            let parsed = url::Url::parse(&uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
            assert_eq!(parsed.scheme(), "otpauth");
            assert_eq!(parsed.host_str(), Some("totp"));
            let label = percent_encoding::percent_decode_str(&parsed.path()[1..]).decode_utf8().unwrap().into_owned();
            assert_eq!(label, format!("{issuer}:{}", account.replace(':', "_")), "{uri}");
            assert_eq!(label.matches(':').count(), 1, "exactly one separator: {uri}");
            let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
            assert_eq!(query["issuer"], issuer);
            assert_eq!(query["secret"], s.base32());
            assert_eq!(
                (query["digits"].as_str(), query["period"].as_str(), query["algorithm"].as_str()),
                ("6", "30", "SHA1")
            );
            assert!(!uri.contains(' ') && !uri[10..].contains('+') && !uri.contains('@'), "{uri}");
        }
    }
}
