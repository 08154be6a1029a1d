//! Storage of what people sign in with: authenticator apps, recovery codes, passkeys, the
//! browsers they signed in from, and the counters that slow down guessing.

use async_trait::async_trait;

use super::StoreResult;
use crate::model::{Ceremony, StoredPasskey};
use crate::token::TokenHash;
use crate::{Id, Timestamp};

/// The user's TOTP authenticator. Secrets pass through here sealed (see `crypto`).
#[async_trait]
pub trait Authenticators: Send + Sync {
    /// Starts (or restarts) setup with a new sealed secret for one sign-in (`sign_in`, the
    /// pending sign-in's id), replacing any other sign-in's; `false`, and nothing stored, when
    /// the user has an authenticator already (replacing one is not setup).
    async fn put_enrolment(
        &self,
        user_id: &Id,
        sign_in: &Id,
        sealed_secret: &[u8],
        expires_at: Timestamp,
    ) -> StoreResult<bool>;
    /// The sealed secret this sign-in is setting up, unless expired or replaced.
    async fn enrolment(&self, user_id: &Id, sign_in: &Id, now: Timestamp) -> StoreResult<Option<Vec<u8>>>;
    /// Makes this sign-in's enrolment the user's authenticator, with `step` as the last
    /// accepted step, unless there is no such unexpired enrolment or the user has an
    /// authenticator already (an authenticator is never overwritten here); nothing changes then.
    async fn confirm_enrolment(&self, user_id: &Id, sign_in: &Id, step: i64, now: Timestamp) -> StoreResult<Enrolment>;
    /// Starts (or restarts) replacing the user's authenticator with a new sealed secret,
    /// keyed by `replacement` (random, kept in the person's session), over any enrolment
    /// waiting before; `false`, and nothing stored, when the user has no authenticator.
    async fn put_replacement(
        &self,
        user_id: &Id,
        replacement: &Id,
        sealed_secret: &[u8],
        expires_at: Timestamp,
    ) -> StoreResult<bool>;
    /// Puts this replacement's secret in place of the user's authenticator, with `step` as
    /// the last accepted step, in one statement after taking the enrolment (single use): the
    /// old secret stops working at that moment. Steps refused in advance for the old secret
    /// go with it. Nothing changes when the replacement is gone or the user has no
    /// authenticator any more (a 2FA reset came first).
    async fn confirm_replacement(
        &self,
        user_id: &Id,
        replacement: &Id,
        step: i64,
        now: Timestamp,
    ) -> StoreResult<Enrolment>;
    /// When the authenticator was set up, and the last step it was used at.
    async fn authenticator_facts(&self, user_id: &Id) -> StoreResult<Option<AuthenticatorFacts>>;
    /// The confirmed sealed secret, if the user has an authenticator.
    async fn totp_secret(&self, user_id: &Id) -> StoreResult<Option<Vec<u8>>>;
    /// Compare-and-set: records `step` as used if it is later than every step accepted
    /// before. `false` means the code (or an earlier one) was already used: a replay.
    /// A burnt step (see [`Authenticators::burn_totp_step`]) is refused too.
    async fn accept_totp_step(&self, user_id: &Id, step: i64) -> StoreResult<bool>;
    /// Refuses a future step in advance: its code was presented before its time.
    async fn burn_totp_step(&self, user_id: &Id, step: i64) -> StoreResult<()>;
    /// Removes the authenticator (a 2FA reset); setup starts again at the next sign-in.
    async fn remove_totp(&self, user_id: &Id) -> StoreResult<()>;
}

/// What became of an enrolment being confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enrolment {
    Confirmed,
    /// Expired, never started, or confirmed already by a concurrent request.
    Missing,
    AuthenticatorExists,
    /// A replacement for someone whose authenticator was removed meanwhile.
    NoAuthenticator,
}

/// The Security page's facts about the authenticator app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthenticatorFacts {
    pub set_up_at: Timestamp,
    /// The 30-second step of the last code accepted, if any was since setup.
    pub last_step: Option<i64>,
}

/// A counter of attempts (see `throttle`): failures in a row, attempts being checked right
/// now, and until when the next one waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleRow {
    pub failures: i64,
    pub pending: i64,
    pub last_failure_at: Timestamp,
    pub blocked_until: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    Granted,
    /// A wait is running, or as many attempts as may be checked are being checked.
    Refused {
        wait_secs: i64,
    },
}

#[async_trait]
pub trait Throttles: Send + Sync {
    async fn throttle(&self, key: &str) -> StoreResult<Option<ThrottleRow>>;
    /// In one atomic step: unless `key` is waiting at `now` (through the second its wait ends
    /// in), or already has as many attempts
    /// being checked as it may (`free` minus its failures, at least one), takes one more.
    /// Failures older than `forget_before` are forgotten; attempts taken before
    /// `stale_before` and never settled (a process that died) no longer count.
    async fn reserve_attempt(
        &self,
        key: &str,
        free: i64,
        now: Timestamp,
        forget_before: Timestamp,
        stale_before: Timestamp,
    ) -> StoreResult<Reservation>;
    /// Settles a taken attempt as a failure, atomically: one more failure, and the wait that
    /// `ladder` gives for the new count (`(count, secs)`, largest count first: from that
    /// count on, that wait) starts unless a longer one runs.
    async fn record_failure(&self, key: &str, ladder: &[(i64, i64)], now: Timestamp) -> StoreResult<ThrottleRow>;
    /// Settles a taken attempt as no failure.
    async fn release_attempt(&self, key: &str) -> StoreResult<()>;
    /// Forgets these counters, in one statement (a sign-in clears several).
    async fn clear_throttles(&self, keys: &[&str]) -> StoreResult<()>;
}

/// Browsers that completed a sign-in, by the hash of their cookie's token (see
/// `known_browsers`).
#[async_trait]
pub trait KnownBrowsers: Send + Sync {
    async fn insert_known_browser(
        &self,
        hash: &TokenHash,
        user: &Id,
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<()>;
    /// Moves the expiry of this browser's token if it is this user's and unexpired.
    async fn renew_known_browser(
        &self,
        hash: &TokenHash,
        user: &Id,
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<bool>;
    /// Whose browser this is, unless expired.
    async fn known_browser_user(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Id>>;
}

/// Recovery codes (`crate::recovery`), by their digests.
#[async_trait]
pub trait RecoveryCodes: Send + Sync {
    /// The person's set becomes `digests`, all unused; the old set is gone.
    async fn replace_recovery_codes(&self, user_id: &Id, digests: &[String], now: Timestamp) -> StoreResult<()>;
    /// Marks the code used; `false` when the person has no such unused code. Of several
    /// uses of one code at once, exactly one gets `true`.
    async fn use_recovery_code(&self, user_id: &Id, digest: &str, now: Timestamp) -> StoreResult<bool>;
    /// Unused codes left.
    async fn recovery_codes_left(&self, user_id: &Id) -> StoreResult<u64>;
}

#[async_trait]
pub trait Passkeys: Send + Sync {
    /// `Conflict` when the credential is already registered (to anyone).
    async fn insert_passkey(&self, passkey: &StoredPasskey) -> StoreResult<()>;
    /// Oldest first.
    async fn passkeys_of(&self, user_id: &Id) -> StoreResult<Vec<StoredPasskey>>;
    async fn passkey_by_credential(&self, credential_id: &str) -> StoreResult<Option<StoredPasskey>>;
    /// Compare-and-set on the sign count: records a use only if the count is still
    /// `seen_count`, so two racing assertions cannot both move it. `false` otherwise.
    async fn record_passkey_use(
        &self,
        id: &Id,
        passkey: &str,
        seen_count: i64,
        new_count: i64,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Only the owner's own passkey; `false` when there is none with that id.
    async fn rename_passkey(&self, user_id: &Id, id: &Id, name: &str) -> StoreResult<bool>;
    /// The removed passkey, if the user had one with that id.
    async fn delete_passkey(&self, user_id: &Id, id: &Id) -> StoreResult<Option<StoredPasskey>>;
    /// Stores a new ceremony (and sweeps expired ones).
    async fn put_ceremony(&self, ceremony: &Ceremony, now: Timestamp) -> StoreResult<()>;
    /// Deletes and returns the ceremony, expired or not: whoever gets it is the only one.
    async fn take_ceremony(&self, id: &str) -> StoreResult<Option<Ceremony>>;
}
