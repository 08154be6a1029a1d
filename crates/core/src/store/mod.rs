//! The narrow storage traits the core needs. `gatehouse-storage` implements them for
//! SQLite and PostgreSQL; one conformance suite checks both.

use async_trait::async_trait;

use crate::model::{
    Account, AuditEntry, AuditEvent, AuditKind, Member, NewInvitation, PendingInvitation, SessionRecord, User,
};
use crate::support::{Decision, DocumentInfo, NewRequest, Status, SupportRequest};
use crate::token::TokenHash;
use crate::{Email, Id, Role, Timestamp};

mod factors;
mod protocols;

pub use factors::{
    AuthenticatorFacts, Authenticators, Enrolment, KnownBrowsers, Passkeys, RecoveryCodes, Reservation, ThrottleRow,
    Throttles,
};
pub use protocols::{OpenIdProvider, Sso};

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
    /// Keeps the person's choice of language (`None`: their browser's).
    async fn set_language(&self, user_id: &Id, language: Option<&str>) -> StoreResult<()>;
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

/// The operator's command line (`crate::operator`).
#[async_trait]
pub trait Operations: Send + Sync {
    /// Every account by name, with its owner and how many people joined or are invited.
    async fn accounts(&self) -> StoreResult<Vec<crate::operator::AccountSummary>>;
    /// The support agents, by email, with their 2FA state and last sign-in.
    async fn agents(&self) -> StoreResult<Vec<Member>>;
    /// What an approved support request does to its target (authenticator, setup in progress
    /// and recovery codes removed, every session ended, applications logged out), with `audit`,
    /// in one transaction; `false`, and nothing changed, when the person is gone.
    async fn reset_second_factor(&self, user_id: &Id, now: Timestamp, audit: &[AuditEvent]) -> StoreResult<bool>;
    /// Deletes the support agent with everything of theirs (sessions end, applications are
    /// logged out), with `audit`, in one transaction; `false`, and nothing changed, when they
    /// are not an agent (any more).
    async fn remove_agent(&self, user_id: &Id, now: Timestamp, audit: &[AuditEvent]) -> StoreResult<bool>;
    /// Audit entries in the order they were written, from after the entry `after` (a
    /// position this returns with each entry), at most `limit` of them.
    async fn audit_entries(
        &self,
        filter: &crate::operator::AuditFilter,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<(i64, AuditEntry)>>;
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
