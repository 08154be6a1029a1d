//! Gatehouse as an OpenID Provider (OpenID Connect Core 1.0, authorization code flow with
//! PKCE): the rules that do not depend on the protocol library or on HTTP. The server checks
//! clients and addresses against its configuration, signs tokens and speaks the protocol; here
//! a signed-in person's session becomes a single-use code, and a code an access token.
//!
//! Everything kept between requests is in the database under the hash of a random token:
//! the request waiting for its person to sign in (named by a cookie of the browser that made
//! it), codes (60 s, used once; a second use revokes what the first issued) and access tokens.

use sha2::{Digest, Sha256};

use crate::model::User;
use crate::signin::FirstStep;
use crate::store::{OpenIdProvider, StoreError};
use crate::token::Token;
use crate::{Id, Timestamp};

/// How long a browser may take to sign in before the application's request is forgotten.
pub const REQUEST_TTL_SECS: i64 = 30 * 60;
pub const CODE_TTL_SECS: i64 = 60;
pub const ACCESS_TOKEN_TTL_SECS: i64 = 10 * 60;
pub const ID_TOKEN_TTL_SECS: i64 = 10 * 60;
/// Which applications a session signed in to is kept as long as any session can last (the
/// longest lifetime the configuration allows, 30 days).
pub const GRANT_KEPT_SECS: i64 = 30 * 24 * 60 * 60;

/// A back-channel logout claimed for sending: one ended session's sign-in to one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedLogout {
    pub sid: String,
    pub client_id: String,
    /// The person (`sub`), who may be gone since.
    pub user_id: Id,
    pub claim: String,
    /// Including this one.
    pub attempts: i64,
}

/// A logout is tried this many times, then given up (and kept for the operator to see).
pub const LOGOUT_ATTEMPTS: i64 = 8;
/// How long one process holds a claimed logout before another may try it.
pub const LOGOUT_LEASE_SECS: i64 = 30;

/// When to try a logout again after `attempts` failed tries: 10 s, then three times longer
/// each time (about 18 hours in all); `None` once it is given up.
pub fn logout_retry_at(attempts: i64, now: Timestamp) -> Option<Timestamp> {
    (attempts < LOGOUT_ATTEMPTS).then(|| now.plus_secs(10 * 3_i64.pow(attempts.clamp(1, 20) as u32 - 1)))
}

/// An application's authorization request, checked, waiting for its person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    /// Space-separated, `openid` first, only scopes this provider knows.
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// PKCE S256: base64url of the SHA-256 of the verifier.
    pub code_challenge: String,
    /// The person must have signed in (or confirmed it is them) at or after this, in
    /// milliseconds since the epoch (`prompt=login`, `max_age`): in whole seconds, a sign-in
    /// made just before the request, in the same second, would count as after it.
    pub fresh_after_ms: Option<i64>,
}

/// What a code stands for, from the session it was issued in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: Id,
    /// The Gatehouse session's id as applications see it (`sid`), never its cookie.
    pub sid: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub auth_time: Timestamp,
    /// RFC 8176 values, space-separated.
    pub amr: String,
    pub expires_at: Timestamp,
}

/// A stored code: its grant, and whether it was redeemed already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCode {
    pub grant: CodeGrant,
    pub used: bool,
}

/// What an access token lets its bearer read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessGrant {
    pub client_id: String,
    pub user_id: Id,
    pub sid: String,
    pub scope: String,
    pub expires_at: Timestamp,
}

/// A signing key as stored: the private half sealed with the secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSigningKey {
    pub kid: String,
    /// `RS256` or `EdDSA`.
    pub alg: String,
    pub sealed_private: Vec<u8>,
    pub public_jwk: String,
    pub created_at: Timestamp,
    pub signs_from: Timestamp,
}

/// A rotated key signs this long after it is published: every process re-reads the keys each
/// minute and applications may cache the JWKS for five, so all of them know it first.
pub const ROTATION_DELAY_SECS: i64 = 10 * 60;
/// A key is kept (published) this long after its successor began signing: longer than any
/// token it signed lives (ID tokens 10 minutes, logout tokens 2), with room for clocks.
pub const KEEP_SUPERSEDED_SECS: i64 = 60 * 60;

/// The keys no token in circulation can have been signed with: of each algorithm, those older
/// than a key that has been signing for [`KEEP_SUPERSEDED_SECS`].
pub fn retired_keys(keys: &[StoredSigningKey], now: Timestamp) -> Vec<String> {
    let mut retired = Vec::new();
    for key in keys {
        let superseded_long_ago = keys.iter().any(|newer| {
            newer.alg == key.alg
                && newer.signs_from.0 > key.signs_from.0
                && newer.signs_from.0 <= now.0 - KEEP_SUPERSEDED_SECS
        });
        if superseded_long_ago {
            retired.push(key.kid.clone());
        }
    }
    retired
}

/// How a session's person proved who they are: the second factor, after the first step
/// (or alone, for a passkey).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// The authenticator's code (also the first code of a newly set-up authenticator).
    Code,
    RecoveryCode,
    /// A passkey, with the device's own check (PIN, fingerprint, face).
    Passkey,
}

/// The `amr` values (RFC 8176) of a sign-in. A password is `pwd`; a code or a recovery code
/// (a one-time password printed in advance) `otp`; a passkey proves possession of a key
/// checked by the device (`pop`, and `mfa`: the device's check is the second factor);
/// single sign-on's first step has no registered value and adds none. Every sign-in here
/// takes two factors, so `mfa` always.
pub fn amr(first: Option<&FirstStep>, proof: Proof) -> Vec<&'static str> {
    let mut values = Vec::new();
    if matches!(first, Some(FirstStep::Password | FirstStep::PasswordReset)) {
        values.push("pwd");
    }
    values.push(match proof {
        Proof::Code | Proof::RecoveryCode => "otp",
        Proof::Passkey => "pop",
    });
    values.push("mfa");
    values
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The code is unknown, expired, used, or bound to another client, address or verifier:
    /// `invalid_grant`, whichever it is.
    #[error("{0}")]
    InvalidGrant(&'static str),
    /// Redeemed before: what that redemption issued is revoked (`invalid_grant` all the same).
    #[error("The code was used already; the tokens it gave are revoked.")]
    Replayed { revoked: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// PKCE S256 (RFC 7636): whether `verifier` is the one `challenge` was made from. A verifier
/// is 43 to 128 unreserved characters.
pub fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    use base64::Engine;
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !well_formed {
        return false;
    }
    let made = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    constant_time_eq(made.as_bytes(), challenge.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A code for `grant`: stored (hashed), returned once.
pub async fn issue_code<S: OpenIdProvider + ?Sized>(db: &S, grant: &CodeGrant) -> Result<Token, OidcError> {
    let code = Token::generate();
    db.insert_code(&code.hash(), grant).await?;
    Ok(code)
}

/// What redeeming a code gave: the grant it stood for and the new access token.
pub struct Redeemed {
    pub grant: CodeGrant,
    pub access_token: Token,
    pub access_expires_at: Timestamp,
}

/// Redeems a code at the token endpoint for the authenticated `client_id`: bound to that
/// client, the same redirect address and the PKCE verifier; once. A code redeemed a second
/// time revokes the access tokens the first redemption issued (RFC 6749 4.1.2), since one of
/// the two redeemers holds a stolen code.
pub async fn redeem<S: OpenIdProvider + ?Sized>(
    db: &S,
    code: &str,
    client_id: &str,
    redirect_uri: &str,
    verifier: &str,
    now: Timestamp,
) -> Result<Redeemed, OidcError> {
    const INVALID: &str = "The code is unknown, expired, used, or was issued for another request.";
    let Some(code) = Token::from_link(code) else { return Err(OidcError::InvalidGrant(INVALID)) };
    let hash = code.hash();
    let Some(stored) = db.code(&hash).await? else { return Err(OidcError::InvalidGrant(INVALID)) };
    if stored.used {
        let revoked = db.revoke_code_tokens(&hash).await?;
        return Err(OidcError::Replayed { revoked });
    }
    let grant = stored.grant;
    if grant.expires_at.0 <= now.0
        || grant.client_id != client_id
        || grant.redirect_uri != redirect_uri
        || !pkce_matches(&grant.code_challenge, verifier)
    {
        return Err(OidcError::InvalidGrant(INVALID));
    }
    let access_token = Token::generate();
    let access = AccessGrant {
        client_id: grant.client_id.clone(),
        user_id: grant.user_id.clone(),
        sid: grant.sid.clone(),
        scope: grant.scope.clone(),
        expires_at: now.plus_secs(ACCESS_TOKEN_TTL_SECS),
    };
    if !db.redeem_code(&hash, &access_token.hash(), &access, now).await? {
        // Redeemed meanwhile by another request: a replay all the same.
        let revoked = db.revoke_code_tokens(&hash).await?;
        return Err(OidcError::Replayed { revoked });
    }
    Ok(Redeemed { grant, access_token, access_expires_at: access.expires_at })
}

/// The grant behind a bearer access token, if it is current.
pub async fn access<S: OpenIdProvider + ?Sized>(
    db: &S,
    token: &str,
    now: Timestamp,
) -> Result<Option<AccessGrant>, StoreError> {
    let Some(token) = Token::from_link(token) else { return Ok(None) };
    Ok(db.access_grant(&token.hash(), now).await?.filter(|g| g.expires_at.0 > now.0))
}

/// Whether `user` may sign in to a client open to `accounts` (empty: every account). Support
/// agents belong to no account and sign in only to clients open to all.
pub fn account_allowed(accounts: &[String], account_name: Option<&str>) -> bool {
    accounts.is_empty() || account_name.is_some_and(|name| accounts.iter().any(|a| a == name))
}

/// The request a browser's cookie names, if it is still waiting.
pub async fn waiting_request<S: OpenIdProvider + ?Sized>(
    db: &S,
    cookie: &str,
    now: Timestamp,
) -> Result<Option<AuthRequest>, StoreError> {
    let Some(token) = Token::from_link(cookie) else { return Ok(None) };
    db.oidc_request(&token.hash(), now).await
}

/// Keeps `request` until the browser's person has signed in: the token for the browser's cookie.
pub async fn keep_request<S: OpenIdProvider + ?Sized>(
    db: &S,
    request: &AuthRequest,
    now: Timestamp,
) -> Result<Token, StoreError> {
    let token = Token::generate();
    db.put_oidc_request(&token.hash(), request, now.plus_secs(REQUEST_TTL_SECS), now).await?;
    Ok(token)
}

/// Forgets the request a cookie names (its code was issued, or it was refused).
pub async fn drop_request<S: OpenIdProvider + ?Sized>(db: &S, cookie: &str) -> Result<(), StoreError> {
    match Token::from_link(cookie) {
        Some(token) => db.delete_oidc_request(&token.hash()).await,
        None => Ok(()),
    }
}

/// The claims an application may read about `user` with `scope`, besides the protocol's own:
/// `email` (verified: joining took the mailbox), `preferred_username` with `profile` (the
/// address people sign in with; Gatehouse keeps no names), and with `openid` always the
/// account (`account`, `account_id`, absent for support agents) and `role`.
pub fn person_claims(
    user: &User,
    account_name: Option<&str>,
    scope: &str,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut claims = serde_json::Map::new();
    let scopes: Vec<&str> = scope.split(' ').collect();
    if scopes.contains(&"email") {
        claims.insert("email".into(), Value::String(user.email.as_str().to_owned()));
        claims.insert("email_verified".into(), Value::Bool(user.joined));
    }
    if scopes.contains(&"profile") {
        claims.insert("preferred_username".into(), Value::String(user.email.as_str().to_owned()));
    }
    if let (Some(id), Some(name)) = (&user.account_id, account_name) {
        claims.insert("account".into(), Value::String(name.to_owned()));
        claims.insert("account_id".into(), Value::String(id.as_str().to_owned()));
    }
    claims.insert("role".into(), Value::String(user.role.as_str().to_owned()));
    claims
}

/// A new `sid` for a signed-in session: random, opaque, not the session's cookie.
pub fn new_sid() -> String {
    Id::random().as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_example_only() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(challenge, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK"));
        assert!(!pkce_matches(challenge, "short"));
        assert!(!pkce_matches(challenge, challenge));
    }

    #[test]
    fn amr_names_each_way_of_signing_in() {
        assert_eq!(amr(Some(&FirstStep::Password), Proof::Code), ["pwd", "otp", "mfa"]);
        assert_eq!(amr(Some(&FirstStep::Password), Proof::RecoveryCode), ["pwd", "otp", "mfa"]);
        assert_eq!(amr(Some(&FirstStep::Sso { provider: "Acme".into() }), Proof::Code), ["otp", "mfa"]);
        assert_eq!(amr(None, Proof::Passkey), ["pop", "mfa"]);
    }

    #[test]
    fn keys_are_retired_an_hour_after_their_successor_signs() {
        let key = |kid: &str, alg: &str, from: i64| StoredSigningKey {
            kid: kid.into(),
            alg: alg.into(),
            sealed_private: Vec::new(),
            public_jwk: String::new(),
            created_at: Timestamp(from - ROTATION_DELAY_SECS),
            signs_from: Timestamp(from),
        };
        let keys = [key("new", "RS256", 10_000), key("old", "RS256", 1_000), key("ed", "EdDSA", 1_000)];
        assert!(retired_keys(&keys, Timestamp(10_000)).is_empty(), "the old one may have signed a live token");
        assert!(retired_keys(&keys, Timestamp(10_000 + KEEP_SUPERSEDED_SECS - 1)).is_empty());
        assert_eq!(retired_keys(&keys, Timestamp(10_000 + KEEP_SUPERSEDED_SECS)), vec!["old".to_owned()]);
    }

    #[test]
    fn accounts_restrict_only_when_listed() {
        assert!(account_allowed(&[], None));
        assert!(account_allowed(&[], Some("acme")));
        let only = ["acme".to_owned()];
        assert!(account_allowed(&only, Some("acme")));
        assert!(!account_allowed(&only, Some("other")));
        assert!(!account_allowed(&only, None), "agents belong to no account");
    }
}
