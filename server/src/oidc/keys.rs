//! The provider's signing keys: in the database, the private half sealed with the secret key,
//! shared by every process. Each process keeps them in memory and reads them again every few
//! seconds, so a key added by one is published by all well before it signs.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use gatehouse_core::crypto::SecretKey;
use gatehouse_core::oidc::StoredSigningKey;
use gatehouse_core::store::OpenIdProvider;
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;
use openidconnect::core::{CoreEdDsaPrivateSigningKey, CoreJsonWebKey, CoreJwsSigningAlgorithm};
use openidconnect::{JsonWebKeyId, PrivateSigningKey, SigningError};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;

pub const RS256: &str = "RS256";
pub const EDDSA: &str = "EdDSA";

/// How often a process reads the keys again (one small read; a rotated key waits ten minutes
/// before it signs, and relying parties fetch the published set when they see a new `kid`).
const RELOAD_EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("storage: {0}")]
    Store(#[from] gatehouse_core::store::StoreError),
    #[error("key {0}: {1}")]
    Key(String, String),
}

pub enum Signer {
    Rsa(OpensslRsa),
    EdDsa(CoreEdDsaPrivateSigningKey),
}

impl Signer {
    pub fn alg(&self) -> CoreJwsSigningAlgorithm {
        match self {
            Signer::Rsa(_) => CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            Signer::EdDsa(_) => CoreJwsSigningAlgorithm::EdDsa,
        }
    }

    /// The public half, as published (with its `kid`).
    pub fn public(&self) -> CoreJsonWebKey {
        match self {
            Signer::Rsa(k) => k.as_verification_key(),
            Signer::EdDsa(k) => k.as_verification_key(),
        }
    }

    /// A JWS signature of `message` with this key's algorithm.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        match self {
            Signer::Rsa(k) => k.sign(&self.alg(), message),
            Signer::EdDsa(k) => k.sign(&self.alg(), message),
        }
    }
}

/// RS256 through OpenSSL. The signing library's own RSA (pure Rust) took three quarters of the
/// token endpoint's time, capping it near 520 exchanges a second on two cores; OpenSSL signs
/// about 3,600 a second on one core here (`openssl speed rsa2048`).
pub struct OpensslRsa {
    key: PKey<Private>,
    public: CoreJsonWebKey,
}

impl OpensslRsa {
    /// From a PKCS#1 PEM, as `generate` writes them.
    fn from_pem(pem: &str, kid: Option<JsonWebKeyId>) -> Result<Self, String> {
        let rsa = Rsa::private_key_from_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        let public = CoreJsonWebKey::new_rsa(rsa.n().to_vec(), rsa.e().to_vec(), kid);
        Ok(OpensslRsa { key: PKey::from_rsa(rsa).map_err(|e| e.to_string())?, public })
    }
}

impl PrivateSigningKey for OpensslRsa {
    type VerificationKey = CoreJsonWebKey;

    fn sign(&self, alg: &CoreJwsSigningAlgorithm, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        if !matches!(alg, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256) {
            return Err(SigningError::UnsupportedAlg(format!("{alg:?}")));
        }
        let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &self.key)
            .map_err(|e| SigningError::Other(e.to_string()))?;
        signer.sign_oneshot_to_vec(message).map_err(|e| SigningError::Other(e.to_string()))
    }

    fn as_verification_key(&self) -> CoreJsonWebKey {
        self.public.clone()
    }
}

struct Loaded {
    at: Instant,
    /// The key each algorithm signs with now (the newest whose time has come).
    rsa: Arc<Signer>,
    eddsa: Option<Arc<Signer>>,
    /// Every stored key's public half, as the JWKS endpoint serves them.
    jwks: Arc<String>,
    /// The same, for checking tokens Gatehouse signed (an `id_token_hint`).
    public: Arc<Vec<CoreJsonWebKey>>,
}

pub struct SigningKeys {
    db: Db,
    secret_key: Arc<SecretKey>,
    loaded: RwLock<Arc<Loaded>>,
}

fn context(kid: &str) -> Vec<u8> {
    format!("oidc signing key {kid}").into_bytes()
}

fn open(secret_key: &SecretKey, key: &StoredSigningKey) -> Result<Signer, KeyError> {
    let problem = |p: String| KeyError::Key(key.kid.clone(), p);
    let pem = secret_key
        .open(&key.sealed_private, &context(&key.kid))
        .map_err(|_| problem("cannot be opened with this secret key".into()))?;
    let pem = String::from_utf8(pem).map_err(|_| problem("not PEM".into()))?;
    let kid = Some(JsonWebKeyId::new(key.kid.clone()));
    match key.alg.as_str() {
        RS256 => OpensslRsa::from_pem(&pem, kid).map(Signer::Rsa).map_err(problem),
        EDDSA => CoreEdDsaPrivateSigningKey::from_ed25519_pem(&pem, kid).map(Signer::EdDsa).map_err(problem),
        other => Err(problem(format!("unknown algorithm {other}"))),
    }
}

/// A new key of `alg`, sealed, signing from `signs_from`.
pub fn generate(
    secret_key: &SecretKey,
    alg: &str,
    now: Timestamp,
    signs_from: Timestamp,
) -> Result<StoredSigningKey, KeyError> {
    let kid = Id::random().as_str()[..16].to_owned();
    let failed = |e: openssl::error::ErrorStack| KeyError::Key(kid.clone(), e.to_string());
    let pem = match alg {
        // PKCS#1, which is what the signing library reads for RSA.
        RS256 => openssl::rsa::Rsa::generate(2048).and_then(|k| k.private_key_to_pem()).map_err(failed)?,
        EDDSA => openssl::pkey::PKey::generate_ed25519().and_then(|k| k.private_key_to_pem_pkcs8()).map_err(failed)?,
        other => return Err(KeyError::Key(kid, format!("unknown algorithm {other}"))),
    };
    let mut key = StoredSigningKey {
        kid: kid.clone(),
        alg: alg.to_owned(),
        sealed_private: secret_key.seal(&pem, &context(&kid)),
        public_jwk: String::new(),
        created_at: now,
        signs_from,
    };
    let public = open(secret_key, &key)?.public();
    key.public_jwk = serde_json::to_string(&public).map_err(|e| KeyError::Key(kid, e.to_string()))?;
    Ok(key)
}

impl SigningKeys {
    /// Reads the keys, creating one of each algorithm on the first start, or when none that
    /// signs can be opened with this secret key (it was replaced without the old one): the
    /// tokens signed before can still be checked with the published public halves.
    pub async fn load(db: Db, secret_key: Arc<SecretKey>) -> Result<Arc<Self>, KeyError> {
        let now = Timestamp::now();
        prune(&db, now).await?;
        let stored = db.signing_keys().await?;
        for alg in [RS256, EDDSA] {
            if signing(&stored, &secret_key, alg, now).is_none() {
                // Nothing this process can sign with, so nobody waits for it: it signs at once.
                db.insert_signing_key(&generate(&secret_key, alg, now, now)?).await?;
            }
        }
        let loaded = read(&db, &secret_key).await?;
        Ok(Arc::new(SigningKeys { db, secret_key, loaded: RwLock::new(Arc::new(loaded)) }))
    }

    async fn current(&self) -> Arc<Loaded> {
        let loaded = self.loaded.read().expect("never poisoned").clone();
        if loaded.at.elapsed() < RELOAD_EVERY {
            return loaded;
        }
        match read(&self.db, &self.secret_key).await {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                *self.loaded.write().expect("never poisoned") = fresh.clone();
                fresh
            }
            Err(e) => {
                // The keys in memory still sign; the next request tries again.
                tracing::error!(error = %e, "signing keys could not be read again");
                loaded
            }
        }
    }

    /// The key ID tokens are signed with: RS256 unless the application asked for EdDSA.
    pub async fn signer(&self, eddsa: bool) -> Arc<Signer> {
        let loaded = self.current().await;
        match (&loaded.eddsa, eddsa) {
            (Some(key), true) => key.clone(),
            _ => loaded.rsa.clone(),
        }
    }

    pub async fn jwks(&self) -> Arc<String> {
        self.current().await.jwks.clone()
    }

    /// The public keys, to check a token Gatehouse signed itself.
    pub async fn public(&self) -> Arc<Vec<CoreJsonWebKey>> {
        self.current().await.public.clone()
    }
}

/// Stops publishing the keys no live token can have been signed with.
pub async fn prune(db: &Db, now: Timestamp) -> Result<Vec<String>, KeyError> {
    let retired = gatehouse_core::oidc::retired_keys(&db.signing_keys().await?, now);
    for kid in &retired {
        db.delete_signing_key(kid).await?;
    }
    Ok(retired)
}

/// `gatehouse admin rotate-signing-key`: a new key of each algorithm, published now, signing
/// after `ROTATION_DELAY_SECS`; keys long superseded are pruned. Lines for the operator.
pub async fn rotate(db: &Db, secret_key: &SecretKey, now: Timestamp) -> Result<Vec<String>, KeyError> {
    let signs_from = now.plus_secs(gatehouse_core::oidc::ROTATION_DELAY_SECS);
    let mut said = Vec::new();
    for alg in [RS256, EDDSA] {
        let key = generate(secret_key, alg, now, signs_from)?;
        db.insert_signing_key(&key).await?;
        said.push(format!(
            "New {alg} signing key {} published; it signs from {} minutes from now.",
            key.kid,
            gatehouse_core::oidc::ROTATION_DELAY_SECS / 60
        ));
    }
    for kid in prune(db, now).await? {
        said.push(format!("Key {kid} is no longer published (superseded over an hour ago)."));
    }
    Ok(said)
}

/// The key of `alg` that signs now: the newest whose time has come and that this secret key
/// opens (one it cannot is logged and passed over).
fn signing(stored: &[StoredSigningKey], secret_key: &SecretKey, alg: &str, now: Timestamp) -> Option<Signer> {
    stored.iter().filter(|k| k.alg == alg && k.signs_from.0 <= now.0).find_map(|k| match open(secret_key, k) {
        Ok(signer) => Some(signer),
        Err(e) => {
            tracing::error!(error = %e, "a signing key is passed over");
            None
        }
    })
}

async fn read(db: &Db, secret_key: &SecretKey) -> Result<Loaded, KeyError> {
    let now = Timestamp::now();
    let stored = db.signing_keys().await?;
    let rsa = signing(&stored, secret_key, RS256, now)
        .ok_or_else(|| KeyError::Key("-".into(), "no RS256 key signs yet".into()))?;
    let rsa = Arc::new(rsa);
    let eddsa = signing(&stored, secret_key, EDDSA, now).map(Arc::new);
    let keys: Vec<serde_json::Value> = stored.iter().filter_map(|k| serde_json::from_str(&k.public_jwk).ok()).collect();
    let jwks = serde_json::json!({ "keys": keys }).to_string();
    let public = stored.iter().filter_map(|k| serde_json::from_str(&k.public_jwk).ok()).collect();
    Ok(Loaded { at: Instant::now(), rsa, eddsa, jwks: Arc::new(jwks), public: Arc::new(public) })
}
