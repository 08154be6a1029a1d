//! Random identifiers and timestamps.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::RngCore;

/// A random 128-bit identifier, written as 32 lowercase hex digits.
///
/// Random rather than sequential so that ids reveal nothing about how many accounts or
/// users exist, and can be created on any server process without coordination.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Id(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// An id as a client sends it back (in a URL, a form): 32 lowercase hex digits, or nothing.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then(|| Id(s.to_owned()))
    }

    /// Wraps an id read back from storage.
    pub fn from_stored(s: String) -> Self {
        Id(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0)
    }
}

/// Seconds since the Unix epoch. Stored as a plain integer so SQLite and PostgreSQL agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Timestamp(secs as i64)
    }

    /// Milliseconds since the epoch, where whole seconds are too coarse to order two events
    /// (a sign-in and an application's request for a fresher one).
    pub fn now_millis() -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }

    pub fn plus_secs(self, secs: i64) -> Self {
        Timestamp(self.0.saturating_add(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_32_hex_digits_and_differ() {
        let a = Id::random();
        let b = Id::random();
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(Id::parse(a.as_str()), Some(a.clone()));
        for bad in ["", "../../etc", &a.as_str().to_uppercase(), &a.as_str()[1..], &format!("{a}0")] {
            assert_eq!(Id::parse(bad), None, "{bad}");
        }
        assert_ne!(a, b);
    }
}
