//! Encryption at rest: TOTP secrets with the configured secret key, uploaded documents with a
//! key derived from it.
//!
//! Secrets: XChaCha20-Poly1305 with a random 192-bit nonce per message: nonces never need a
//! counter, so any server process can encrypt without coordination. Documents: AES-256-GCM
//! (random 96-bit nonce; a few documents per request are far from its nonce limits), with a
//! key of its own derived by HKDF-SHA256, so one configured key serves both and neither
//! cipher ever sees the other's key. The associated data binds a ciphertext to where it
//! belongs (a user id, a document id), so a row copied elsewhere does not decrypt.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

const NONCE_LEN: usize = 24;

/// The 256-bit key for secrets at rest. Redacted `Debug`, no `Serialize`.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("the secret key must be 32 bytes in base64 (44 characters); generate one with `openssl rand -base64 32`")]
    Malformed,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a stored secret could not be decrypted (wrong key, or the data was altered)")]
pub struct DecryptError;

impl SecretKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        SecretKey(key)
    }

    pub fn from_base64(s: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| KeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(SecretKey(key))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// Encrypts `plaintext`; the result is nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut rand::rngs::OsRng);
        let sealed = self
            .cipher()
            .encrypt(&nonce, Payload { msg: plaintext, aad: context })
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// A keyed digest (HMAC-SHA256 under a key derived for `purpose`), for short secrets that
    /// are stored only to be recognised (recovery codes): a copy of the database alone does
    /// not let anyone try them offline.
    pub fn digest(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        use hmac::Mac;
        let mut key = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &self.0)
            .expand(format!("gatehouse digest v1: {purpose}").as_bytes(), &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length");
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, DecryptError> {
        if sealed.len() < NONCE_LEN {
            return Err(DecryptError);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher().decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: context }).map_err(|_| DecryptError)
    }
}

/// The key for uploaded documents (AES-256-GCM). Redacted `Debug`, no `Serialize`.
#[derive(Clone)]
pub struct DocumentKey(aes_gcm::Aes256Gcm);

const GCM_NONCE_LEN: usize = 12;

impl DocumentKey {
    /// Derived from the configured secret key (HKDF-SHA256, its own label).
    pub fn derive(secret: &SecretKey) -> Self {
        let mut key = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &secret.0)
            .expand(b"gatehouse documents v1 (AES-256-GCM)", &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        DocumentKey(<aes_gcm::Aes256Gcm as aes_gcm::KeyInit>::new(&key.into()))
    }

    /// nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        use aes_gcm::aead::Aead;
        let nonce = <aes_gcm::Aes256Gcm as AeadCore>::generate_nonce(&mut rand::rngs::OsRng);
        let sealed = self
            .0
            .encrypt(&nonce, Payload { msg: plaintext, aad: context })
            .expect("AES-256-GCM encryption cannot fail for in-memory buffers under 64 GiB");
        let mut out = Vec::with_capacity(GCM_NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, DecryptError> {
        use aes_gcm::aead::Aead;
        if sealed.len() < GCM_NONCE_LEN {
            return Err(DecryptError);
        }
        let (nonce, body) = sealed.split_at(GCM_NONCE_LEN);
        self.0.decrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: body, aad: context }).map_err(|_| DecryptError)
    }
}

impl fmt::Debug for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DocumentKey(<redacted>)")
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_the_same_key_and_context() {
        let key = SecretKey::generate();
        let sealed = key.seal(b"JBSWY3DPEHPK3PXP", b"user-1");
        assert_ne!(&sealed[NONCE_LEN..], b"JBSWY3DPEHPK3PXP");
        assert_eq!(key.open(&sealed, b"user-1").unwrap(), b"JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn another_key_another_context_or_a_flipped_bit_fail() {
        let key = SecretKey::generate();
        let sealed = key.seal(b"secret", b"user-1");
        assert_eq!(SecretKey::generate().open(&sealed, b"user-1"), Err(DecryptError));
        assert_eq!(key.open(&sealed, b"user-2"), Err(DecryptError));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(&tampered, b"user-1"), Err(DecryptError));
        assert_eq!(key.open(&sealed[..10], b"user-1"), Err(DecryptError));
    }

    #[test]
    fn documents_seal_with_aes_gcm_under_a_key_of_their_own() {
        let secret = SecretKey::generate();
        let documents = DocumentKey::derive(&secret);
        let sealed = documents.seal(b"%PDF-1.4 passport", b"doc-1");
        assert_eq!(sealed.len(), GCM_NONCE_LEN + 17 + 16);
        assert_eq!(DocumentKey::derive(&secret).open(&sealed, b"doc-1").unwrap(), b"%PDF-1.4 passport");
        assert_eq!(documents.open(&sealed, b"doc-2"), Err(DecryptError));
        assert_eq!(DocumentKey::derive(&SecretKey::generate()).open(&sealed, b"doc-1"), Err(DecryptError));
        assert_eq!(secret.open(&sealed, b"doc-1"), Err(DecryptError), "not the secrets' key");
        assert_eq!(format!("{documents:?}"), "DocumentKey(<redacted>)");
    }

    #[test]
    fn keys_round_trip_through_base64_and_reject_bad_lengths() {
        let key = SecretKey::generate();
        let back = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(back.open(&key.seal(b"x", b""), b"").unwrap(), b"x");
        assert_eq!(SecretKey::from_base64("c2hvcnQ=").unwrap_err(), KeyError::Malformed);
        assert_eq!(SecretKey::from_base64("not base64!").unwrap_err(), KeyError::Malformed);
        assert_eq!(format!("{key:?}"), "SecretKey(<redacted>)");
    }
}
