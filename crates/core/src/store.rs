//! The narrow storage traits the core needs. `gatehouse-storage` implements them for
//! SQLite and PostgreSQL; one conformance suite checks both.

use async_trait::async_trait;

use crate::model::{
    Account, AuditEntry, AuditEvent, AuditKind, Ceremony, Member, NewInvitation, PendingInvitation, SessionRecord,
    SsoFlow, SsoIdentity, StoredPasskey, User,
};
use crate::support::{Decision, DocumentInfo, NewRequest, Status, SupportRequest};
use crate::token::TokenHash;
use crate::{Email, Id, Role, Timestamp};

/// Which uniqueness rule a write broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    Email,
    AccountName,
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("already exists ({0:?})")]
    Conflict(Conflict),
    #[error("storage failure: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Directory: Send + Sync {
    /// Creates the account, its owner and the owner's invitation together, or none of them.
    async fn insert_account(&self, account: &Account, owner: &User, invitation: &NewInvitation) -> StoreResult<()>;
    /// Creates a user (or agent) and their invitation together, or neither. With an
    /// `inviter`, only while they still hold the role the invitation was decided on (false
    /// when they do not, and nothing is created).
    async fn insert_user(&self, user: &User, invitation: &NewInvitation, inviter: Option<&User>) -> StoreResult<bool>;
    async fn account_by_name(&self, name: &str) -> StoreResult<Option<Account>>;
    async fn account_by_id(&self, id: &Id) -> StoreResult<Option<Account>>;
    /// The person who signs in with this address: the one who joined, else (several accounts
    /// may invite one address) the one invited first.
    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>>;
    /// The person of this account with this address, joined or invited.
    async fn member_by_email(&self, account_id: &Id, email: &Email) -> StoreResult<Option<User>>;
    /// The user and their argon2 PHC string in one read: the password step reads exactly as
    /// much for a name nobody has, so how long it takes says nothing about who exists.
    async fn user_for_sign_in(&self, email: &Email) -> StoreResult<Option<(User, Option<String>)>>;
    async fn user_by_id(&self, id: &Id) -> StoreResult<Option<User>>;
    /// The user's argon2 PHC string, if a password was set.
    async fn password_hash(&self, user_id: &Id) -> StoreResult<Option<String>>;
    async fn set_password_hash(&self, user_id: &Id, phc: &str) -> StoreResult<()>;
    /// The account's users, owner first, then by email, with their 2FA state and last sign-in.
    async fn account_members(&self, account_id: &Id) -> StoreResult<Vec<Member>>;
}

/// What became of an invitation link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationState {
    Pending(PendingInvitation),
    Used,
    Expired,
    Unknown,
}

#[async_trait]
pub trait Invitations: Send + Sync {
    /// The invitation behind a token hash, if it is unused and unexpired at `now`.
    async fn pending_invitation(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<PendingInvitation>>;
    async fn invitation_state(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<InvitationState>;
    /// Marks the invitation used, sets the user's password and makes them joined, atomically
    /// and only once: the user's id when this call consumed it, `None` when it was not
    /// pending; `Conflict::Email` when their address joined in another account first.
    async fn accept_invitation(&self, hash: &TokenHash, password_hash: &str, now: Timestamp)
        -> StoreResult<Option<Id>>;
}

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

/// Support requests for 2FA resets, with their documents (see `support`).
#[async_trait]
pub trait SupportRequests: Send + Sync {
    /// Saves the request and all its documents in one transaction, or nothing. `Conflict` when
    /// the reference is taken (the caller draws another). One with a `confirmation` waits for
    /// it, out of every list.
    async fn insert_request(&self, request: &NewRequest) -> StoreResult<()>;
    /// Newest first, with their documents listed; only requests whose requester was proved
    /// (or filed before that was asked), never those awaiting confirmation.
    async fn support_requests(&self, status: Option<Status>, limit: i64) -> StoreResult<Vec<SupportRequest>>;
    /// A request of those [`SupportRequests::support_requests`] lists.
    async fn support_request(&self, id: &Id) -> StoreResult<Option<SupportRequest>>;
    /// The request awaiting confirmation through this link, unless the link expired.
    async fn awaiting_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<SupportRequest>>;
    /// Marks the request confirmed from its requester's mailbox and forgets the link, if the
    /// link still waits unexpired: of two confirmations at once, one gets `true`.
    async fn confirm_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<bool>;
    /// A document of that request, and its sealed content unless purged.
    async fn document(&self, request: &Id, document: &Id) -> StoreResult<Option<(DocumentInfo, Option<Vec<u8>>)>>;
    /// Closes a New request in one transaction with its effects and `audit`: on approval the
    /// target's authenticator and any setup in progress are removed and all their sessions
    /// end. `false`, and nothing changed, when the request was not New.
    async fn close_request(
        &self,
        id: &Id,
        decision: Decision<'_>,
        agent: &Id,
        now: Timestamp,
        audit: &[AuditEvent],
    ) -> StoreResult<bool>;
    /// Deletes the contents of documents of requests closed before `closed_before`, keeping
    /// that they existed and when they went; how many were purged.
    async fn purge_documents(&self, closed_before: Timestamp, now: Timestamp) -> StoreResult<u64>;
}

/// How many expired rows a purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub throttles: u64,
    pub ceremonies: u64,
    pub sso_flows: u64,
    pub enrolments: u64,
    pub sessions: u64,
    pub burnt_steps: u64,
    pub known_browsers: u64,
    pub given_up_mails: u64,
    pub password_resets: u64,
    /// Support requests never confirmed from their requester's mailbox, with their documents.
    pub unconfirmed_requests: u64,
    pub setup_links: u64,
    /// The OpenID Provider's waiting requests, codes and access tokens, and the record of
    /// which applications a session signed in to, once no session can last that long.
    pub oidc: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.throttles
            + self.ceremonies
            + self.sso_flows
            + self.enrolments
            + self.sessions
            + self.burnt_steps
            + self.known_browsers
            + self.given_up_mails
            + self.password_resets
            + self.unconfirmed_requests
            + self.setup_links
            + self.oidc
    }
}

/// Housekeeping that several server processes share.
#[async_trait]
pub trait Maintenance: Send + Sync {
    /// Claims the periodic task `name` for this process when its next run is due, and moves
    /// that run `every_secs` later: of several processes asking at once, exactly one gets it.
    async fn claim_task(&self, name: &str, now: Timestamp, every_secs: i64) -> StoreResult<bool>;
    /// Deletes what has expired at `now`: throttle counters idle since `forget_before` and not
    /// waiting, ceremonies, SSO flows, setup secrets, sessions, burnt TOTP steps before `step`,
    /// known browsers, mail given up before `crate::mail_queue::KEEP_GIVEN_UP_SECS` ago,
    /// support requests whose confirmation link expired unused, setup links, and the OpenID
    /// Provider's requests, codes, access tokens and (after `crate::oidc::GRANT_KEPT_SECS`) grants.
    async fn purge_expired(&self, now: Timestamp, forget_before: Timestamp, step: i64) -> StoreResult<Purged>;
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

/// The Users page's changes (`crate::members`), each conditional on the roles it was decided
/// on: `false`, and nothing changed, when the person changed or went meanwhile, or when the
/// `actor` no longer has the role they had (their row stays locked until the change is
/// done, so a demotion of the actor lands before it or after it, never across it).
#[async_trait]
pub trait Members: Send + Sync {
    /// Whether the person accepted their invitation (with a password, or through single
    /// sign-on, which sets none).
    async fn has_joined(&self, user_id: &Id) -> StoreResult<bool>;
    /// Replaces the person's unused invitations with `invitation`, while they have not
    /// joined.
    async fn renew_invitation(&self, actor: &User, invitation: &NewInvitation) -> StoreResult<bool>;
    /// Deletes someone invited who has not joined (with their invitations).
    async fn delete_invited(&self, actor: &User, user_id: &Id, role: Role) -> StoreResult<bool>;
    async fn set_role(&self, actor: &User, user_id: &Id, from: Role, to: Role) -> StoreResult<bool>;
    /// The owner becomes a co-owner and the other person (of the same account, joined, still
    /// `role`) the owner, together or not at all.
    async fn transfer_ownership(&self, owner: &Id, new_owner: &Id, role: Role) -> StoreResult<bool>;
    /// Deletes a user or co-owner (still `role`) with everything of theirs, sessions included.
    async fn delete_member(&self, actor: &User, user_id: &Id, role: Role) -> StoreResult<bool>;
}

/// Forgotten-password links (`crate::signin::reset`), by the hash of their token.
#[async_trait]
pub trait PasswordResets: Send + Sync {
    /// Stores a new link for the person, beside their older ones (which still work: a
    /// stranger asking must not end the link the person holds); `false`, and nothing changed,
    /// when they were sent one less than `gap_secs` ago (no mail flood).
    async fn insert_password_reset(
        &self,
        user_id: &Id,
        hash: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
        gap_secs: i64,
    ) -> StoreResult<bool>;
    /// Whose link this is, while it is unused and unexpired.
    async fn password_reset_user(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Id>>;
    /// Keeps `password_hash` beside the link for the sign-in `sign_in`, replacing any kept
    /// before, while the link is unexpired and its person has an authenticator: whose link it
    /// is, or `None` and nothing changed.
    async fn claim_password_reset(
        &self,
        hash: &TokenHash,
        password_hash: &str,
        sign_in: &Id,
        now: Timestamp,
    ) -> StoreResult<Option<Id>>;
    /// After that sign-in's second factor: sets the password kept for it and ends all the
    /// person's links, in one transaction; `false`, and nothing changed, when no unexpired link
    /// of theirs holds a password for that sign-in (used, expired, or claimed again since).
    async fn use_password_reset(&self, user_id: &Id, sign_in: &Id, now: Timestamp) -> StoreResult<bool>;
    /// Ends the person's unused links: once they set a new password themselves, a link mailed
    /// before must not set another.
    async fn cancel_password_resets(&self, user_id: &Id) -> StoreResult<u64>;
}

/// Links that let a person set up an authenticator (`crate::signin::setup_link`), by the hash
/// of their token.
#[async_trait]
pub trait SetupLinks: Send + Sync {
    /// Stores a new link for the person, beside their older ones (which still work: whoever
    /// knows the password can have new ones mailed, and must not end the person's); `false`,
    /// and nothing changed, when one was made for them less than `gap_secs` ago.
    async fn insert_setup_link(
        &self,
        user_id: &Id,
        hash: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
        gap_secs: i64,
    ) -> StoreResult<bool>;
    /// Uses up the person's link, if this unexpired link is theirs, and ends their others; of
    /// two uses at once, one gets `true`.
    async fn use_setup_link(&self, user_id: &Id, hash: &TokenHash, now: Timestamp) -> StoreResult<bool>;
}

/// The outgoing mail queue (`crate::mail_queue`): each row sealed, claimed by one process at
/// a time with a lease.
#[async_trait]
pub trait MailQueue: Send + Sync {
    async fn enqueue_mail(&self, id: &Id, sealed: &[u8], now: Timestamp) -> StoreResult<()>;
    /// Claims the mail due longest ago and not given up: counts an attempt and holds it for
    /// `claim` until `lease_until`. Of several processes asking at once, each mail goes to one.
    async fn claim_mail(
        &self,
        claim: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<Option<crate::mail_queue::ClaimedMail>>;
    /// Deletes the mail, if `claim` still holds it.
    async fn mail_sent(&self, id: &Id, claim: &str) -> StoreResult<bool>;
    /// Releases the claim with the error: next tried at `retry_at`, or given up at `now`
    /// when `None`. `false` when `claim` no longer held the mail.
    async fn mail_failed(
        &self,
        id: &Id,
        claim: &str,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Mails waiting (to be sent or retried) and given up.
    async fn mail_queue_counts(&self) -> StoreResult<(u64, u64)>;
}

#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn record(&self, at: Timestamp, event: &AuditEvent) -> StoreResult<()>;
    /// Newest first; about one user when `user_id` is given, else everything.
    async fn recent(&self, user_id: Option<&Id>, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// How many of the person's events of `kind` happened at or after `since`, counting no
    /// further than `up_to`.
    async fn count_events(&self, user_id: &Id, kind: AuditKind, since: Timestamp, up_to: i64) -> StoreResult<u64>;
}

/// Web sessions. A session that was ended never comes back: saving only updates a session that
/// is still there, and a session of a person loads only while the generation it began under
/// (`SessionRecord::generation`) is still the person's, which ending all their sessions moves
/// on in the same transaction. So a request that loaded a session before it was ended, and
/// saves it or starts it again under a new id afterwards, revives nothing.
#[async_trait]
pub trait SessionRecords: Send + Sync {
    /// Inserts a new session; `false` when the id is already taken (the caller draws again).
    async fn create_session(&self, record: &SessionRecord) -> StoreResult<bool>;
    /// Updates the session if it is still there (its generation stays as it was created);
    /// a session that was ended stays ended.
    async fn save_session(&self, record: &SessionRecord) -> StoreResult<()>;
    /// The session, unless it has expired at `now` or began under an earlier generation of
    /// its person's (or its person is gone).
    async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>>;
    /// Writes down that the session was used at `now`, with its new end; nothing when it
    /// has already ended.
    async fn touch_session(&self, id: &str, now: Timestamp, expires_at: Timestamp) -> StoreResult<()>;
    /// The person's signed-in sessions that have not ended at `now`, most recently used first.
    async fn sessions_of(&self, user_id: &Id, now: Timestamp) -> StoreResult<Vec<SessionRecord>>;
    async fn delete_session(&self, id: &str) -> StoreResult<()>;
    /// Ends the person's session known by this handle (`crate::sessions::handle`), moving
    /// their generation on with their other sessions, so that no request holding the ended one
    /// revives it under a new id; `false` when they have none by that name.
    async fn delete_session_by_handle(&self, user_id: &Id, handle: &str) -> StoreResult<bool>;
    /// The same for the person's session by its id (they log out).
    async fn end_session(&self, user_id: &Id, id: &str) -> StoreResult<bool>;
    /// Ends every session of the person's (signed in or half-way) and moves their generation
    /// on, together: how many ended, and the new generation (for a sign-in begun right after).
    async fn delete_user_sessions(&self, user_id: &Id) -> StoreResult<(u64, i64)>;
    /// Ends every session of the person's but `keep` and moves their generation on, `keep`
    /// with it, together: how many ended, and the generation the caller's own session (`keep`)
    /// now carries.
    async fn delete_other_sessions(&self, user_id: &Id, keep: &str) -> StoreResult<(u64, i64)>;
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;
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
