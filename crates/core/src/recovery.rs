//! Recovery codes: ten single-use codes a person keeps on paper or in a password manager,
//! each of which stands in for the authenticator's code once (lost phone, dead battery).
//!
//! A code is 10 characters of Crockford's base32 (50 random bits), shown as `xxxxx-xxxxx`.
//! Stored is only a keyed digest of the code and its person (see `SecretKey::digest`): a
//! copy of the database alone lets no one try codes offline, and a code of one person is
//! nothing for another. Typing is forgiving: case, spaces and hyphens do not matter, and the
//! letters people confuse with digits (o, i, l) read as those digits.

use rand::Rng;

use crate::crypto::SecretKey;
use crate::Id;

/// Codes in a set.
pub const COUNT: usize = 10;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const LEN: usize = 10;

/// A fresh set: the codes to show once, and the digests to store.
pub struct Issued {
    pub codes: Vec<String>,
    pub digests: Vec<String>,
}

pub fn generate(key: &SecretKey, user: &Id) -> Issued {
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..COUNT)
        .map(|_| {
            let raw: String = (0..LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            format!("{}-{}", &raw[..LEN / 2], &raw[LEN / 2..])
        })
        .collect();
    let digests =
        codes.iter().map(|c| digest(key, user, &normalise(c).expect("generated codes are well formed"))).collect();
    Issued { codes, digests }
}

/// The code as typed, in its canonical form; `None` when it cannot be a recovery code.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_lowercase() {
            ' ' | '-' | '\t' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
        if out.len() > LEN {
            return None;
        }
    }
    (out.len() == LEN).then_some(out)
}

/// What is stored for `user`'s canonical `code`.
pub fn digest(key: &SecretKey, user: &Id, code: &str) -> String {
    let mac = key.digest("recovery codes", format!("{user}\0{code}").as_bytes());
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_ten_distinct_readable_codes_stored_only_as_digests() {
        let key = SecretKey::generate();
        let user = Id::random();
        let issued = generate(&key, &user);
        assert_eq!(issued.codes.len(), COUNT);
        let mut unique = issued.codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        for (code, stored) in issued.codes.iter().zip(&issued.digests) {
            assert_eq!(code.len(), 11, "{code}");
            assert_eq!(&code[5..6], "-");
            assert!(!stored.contains(&code.replace('-', "")), "no code in the clear");
            assert_eq!(stored.len(), 64);
            assert_eq!(&digest(&key, &user, &normalise(code).unwrap()), stored);
        }
    }

    #[test]
    fn digests_depend_on_the_key_and_the_person() {
        let key = SecretKey::generate();
        let (a, b) = (Id::random(), Id::random());
        let code = "abcde12345";
        assert_ne!(digest(&key, &a, code), digest(&key, &b, code));
        assert_ne!(digest(&key, &a, code), digest(&SecretKey::generate(), &a, code));
    }

    #[test]
    fn typing_is_forgiving_but_only_codes_pass() {
        assert_eq!(normalise("ABCDE-12345").as_deref(), Some("abcde12345"));
        assert_eq!(normalise(" abcde 12345 ").as_deref(), Some("abcde12345"));
        assert_eq!(normalise("OIL00-xyz99").as_deref(), Some("01100xyz99"));
        for bad in ["", "123456", "abcde-1234", "abcde-123456", "abcde-1234u", "abcdé-12345", "abcde_12345"] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
