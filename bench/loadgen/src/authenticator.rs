//! The part of a platform authenticator a passkey sign-in needs: one resident ES256 key that
//! answers request options with an assertion, as `tests/api/softauthn.py` does, so the server
//! sees what a browser would send.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sha::sha256;
use openssl::sign::Signer;
use serde::Deserialize;
use serde_json::json;

/// One passkey, as `bench/passkey_load.py` registered it and wrote it down.
#[derive(Deserialize)]
pub struct Registered {
    credential_id: String,
    user_handle: String,
    /// PKCS#8 DER, standard base64.
    key: String,
    sign_count: u32,
}

pub struct Passkey {
    credential_id: String,
    user_handle: String,
    key: PKey<Private>,
    sign_count: u32,
}

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;

impl Passkey {
    pub fn load(r: Registered) -> Result<Self, String> {
        let der = STANDARD.decode(&r.key).map_err(|e| format!("key: {e}"))?;
        let key = PKey::private_key_from_pkcs8(&der).map_err(|e| format!("key: {e}"))?;
        Ok(Self { credential_id: r.credential_id, user_handle: r.user_handle, key, sign_count: r.sign_count })
    }

    /// AuthenticationResponseJSON for request options (their `publicKey` member or the whole).
    pub fn assert(&mut self, options: &serde_json::Value, origin: &str) -> Result<String, String> {
        let pk = options.get("publicKey").unwrap_or(options);
        let challenge = pk["challenge"].as_str().ok_or("options without a challenge")?;
        let rp_id = pk["rpId"].as_str().ok_or("options without an rpId")?;
        // The server checks that the count grows, as it would for a real authenticator.
        self.sign_count += 1;

        let mut auth_data = sha256(rp_id.as_bytes()).to_vec();
        auth_data.push(USER_PRESENT | USER_VERIFIED);
        auth_data.extend_from_slice(&self.sign_count.to_be_bytes());
        // A browser decodes the challenge and encodes it again, unpadded.
        let challenge =
            URL_SAFE_NO_PAD.encode(URL_SAFE_NO_PAD.decode(challenge).map_err(|e| format!("challenge: {e}"))?);
        let client_data = serde_json::to_vec(&json!({
            "type": "webauthn.get", "challenge": challenge, "origin": origin, "crossOrigin": false,
        }))
        .map_err(|e| e.to_string())?;

        let mut signed = auth_data.clone();
        signed.extend_from_slice(&sha256(&client_data));
        let signature = Signer::new(MessageDigest::sha256(), &self.key)
            .and_then(|mut s| s.sign_oneshot_to_vec(&signed))
            .map_err(|e| format!("signing: {e}"))?;

        Ok(json!({
            "id": self.credential_id,
            "rawId": self.credential_id,
            "type": "public-key",
            "response": {
                "authenticatorData": URL_SAFE_NO_PAD.encode(auth_data),
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
                "signature": URL_SAFE_NO_PAD.encode(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
        })
        .to_string())
    }
}
