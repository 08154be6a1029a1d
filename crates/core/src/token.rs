//! Bearer tokens sent to people by mail (invitation links, later reset links).
//!
//! Only a hash is stored: someone who reads the database cannot use a pending link.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A 256-bit random token in its URL form. Deliberately neither `Serialize` nor `Display`:
/// the only way out is [`Token::reveal`], which makes every place it leaves visible.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// The SHA-256 of a token, hex encoded; what storage keeps and looks up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

impl Token {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token as it arrived in a link. Length and alphabet are checked so that garbage is
    /// rejected before it costs a database lookup.
    pub fn from_link(s: &str) -> Option<Self> {
        let ok = s.len() == 43 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Token(s.to_owned()))
    }

    pub fn hash(&self) -> TokenHash {
        let digest = Sha256::digest(self.0.as_bytes());
        TokenHash(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_back_and_hash_stably() {
        let t = Token::generate();
        let back = Token::from_link(t.reveal()).expect("a generated token is a valid link token");
        assert_eq!(t.hash(), back.hash());
        assert_eq!(t.hash().0.len(), 64);
        assert_ne!(t.hash(), Token::generate().hash());
    }

    #[test]
    fn malformed_link_tokens_are_refused() {
        assert!(Token::from_link("short").is_none());
        assert!(Token::from_link(&"a".repeat(42)).is_none());
        assert!(Token::from_link(&format!("{}%", "a".repeat(42))).is_none());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = Token::generate();
        assert!(!format!("{t:?}").contains(t.reveal()));
    }
}
