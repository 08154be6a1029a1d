//! Storage for the protocols Gatehouse speaks with other servers: single sign-on through an
//! OpenID provider (`Sso`), and Gatehouse as an OpenID Provider for applications.

use async_trait::async_trait;

use super::StoreResult;
use crate::model::{SsoFlow, SsoIdentity};
use crate::token::TokenHash;
use crate::{Id, Timestamp};

#[async_trait]
pub trait Sso: Send + Sync {
    /// Stores a new flow (and sweeps expired ones).
    async fn put_sso_flow(&self, flow: &SsoFlow, now: Timestamp) -> StoreResult<()>;
    /// Deletes and returns the flow, expired or not: whoever gets it is the only one.
    async fn take_sso_flow(&self, id: &str) -> StoreResult<Option<SsoFlow>>;
    /// The user linked to this provider identity, if any.
    async fn sso_user(&self, issuer: &str, subject: &str) -> StoreResult<Option<Id>>;
    /// Links the identity; with `accepting` (the hash of the invitation the person opened),
    /// that invitation of theirs is used up and they join, in the same transaction, or
    /// nothing happens (`false`: it was used, expired or is not theirs). `Conflict::Other`
    /// when the identity is already linked, `Conflict::Email` when their address joined in
    /// another account first.
    async fn link_sso_identity(
        &self,
        identity: &SsoIdentity,
        accepting: Option<&TokenHash>,
        now: Timestamp,
    ) -> StoreResult<bool>;
}

/// Gatehouse as an OpenID Provider (`crate::oidc`): its signing keys, the requests waiting for
/// a sign-in, codes and access tokens, each by the hash of its token.
#[async_trait]
pub trait OpenIdProvider: Send + Sync {
    /// Every signing key, newest first.
    async fn signing_keys(&self) -> StoreResult<Vec<crate::oidc::StoredSigningKey>>;
    async fn insert_signing_key(&self, key: &crate::oidc::StoredSigningKey) -> StoreResult<()>;
    /// Stops publishing the key (see `crate::oidc::retired_keys`).
    async fn delete_signing_key(&self, kid: &str) -> StoreResult<()>;
    /// Stores a request waiting for its person (and sweeps expired ones).
    async fn put_oidc_request(
        &self,
        hash: &TokenHash,
        request: &crate::oidc::AuthRequest,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// The request, unless it expired at `now` or was deleted.
    async fn oidc_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<crate::oidc::AuthRequest>>;
    async fn delete_oidc_request(&self, hash: &TokenHash) -> StoreResult<()>;
    async fn insert_code(&self, hash: &TokenHash, grant: &crate::oidc::CodeGrant) -> StoreResult<()>;
    /// The code, used or not, expired or not (until it is purged).
    async fn code(&self, hash: &TokenHash) -> StoreResult<Option<crate::oidc::StoredCode>>;
    /// Marks the code used and stores the access token it gives, together, and notes that the
    /// code's session signed in to its client; `false`, and nothing changed, when it was used
    /// (or purged) meanwhile: of two redemptions at once, one gets `true`.
    async fn redeem_code(
        &self,
        hash: &TokenHash,
        access_token: &TokenHash,
        access: &crate::oidc::AccessGrant,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Deletes the access tokens a code gave: how many.
    async fn revoke_code_tokens(&self, hash: &TokenHash) -> StoreResult<u64>;
    async fn access_grant(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<crate::oidc::AccessGrant>>;
    /// Claims the logout due longest ago and not given up: counts an attempt and holds it for
    /// `claim` until `lease_until`. Of several processes asking at once, each logout goes to one.
    async fn claim_logout(
        &self,
        claim: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<Option<crate::oidc::ClaimedLogout>>;
    /// Deletes the logout, if `claim` still holds it.
    async fn logout_sent(&self, logout: &crate::oidc::ClaimedLogout) -> StoreResult<bool>;
    /// Releases the claim with the error: tried again at `retry_at`, or given up at `now`.
    async fn logout_failed(
        &self,
        logout: &crate::oidc::ClaimedLogout,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// The applications each of the person's signed-in sessions (by sid) signed in to.
    async fn applications_of(&self, user_id: &Id) -> StoreResult<Vec<(String, String)>>;
}
