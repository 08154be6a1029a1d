//! The session's layout, and the guards every server function and plain route calls first.
//!
//! A session holds one of three things: nothing; a sign-in past its first step (a
//! [`PendingSignIn`], which the identity core grants and checks); or a signed-in person with
//! the time of their last full authentication. Only this module reads or writes those keys.
//!
//! Each endpoint opens with exactly one guard, which is its row in the authorisation matrix
//! (`tests/api/authorization_matrix.toml`, tested over HTTP in every session state):
//! - [`anyone`]: public (the login form, passkey sign-in, invitations, SSO);
//! - [`pending`]: the second step of a sign-in, whose kind the core then checks;
//! - [`signed_in`]: the person's own data;
//! - [`recently_authenticated`]: sensitive changes, after a full sign-in or step-up in the
//!   last ten minutes;
//! - [`signed_in_as`]: pages for some roles only.

use gatehouse_core::model::{SessionFacts, User};
use gatehouse_core::signin::{PendingSignIn, SecondStep, SignInError};
use gatehouse_core::store::Directory;
use gatehouse_core::{Id, Timestamp};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::{AppError, AppResult};
use crate::ssr::{internal, state, with_status};

mod cookies;
mod stash;
mod stored;

pub use cookies::{
    authorize_cookie_name, client, client_of, cookie, cookie_header, keep_language, landing, session_cookie,
    session_cookie_name, ClientAddress, LANGUAGE_KEPT_SECS,
};
pub use stash::{keep_notice, keep_replacement, replacement, stash_recovery_codes, take_notice, take_recovery_codes};
pub use stored::{align_generation, facts_of, generation_of, user_of};

// Named apart from the layout before (`gh.user`, `gh.pending`), which reads as nobody.
const SIGNED_IN: &str = "gh.signed_in";
const PENDING: &str = "gh.pending_sign_in";
/// A new set of recovery codes until its page has shown them once, sealed to its person.
const FRESH_RECOVERY_CODES: &str = "gh.fresh_recovery_codes";
/// The key of an authenticator replacement under way (its secret waits in the database).
const REPLACEMENT: &str = "gh.authenticator_replacement";
/// What a plain form's change said, until the page it goes back to shows it once.
const NOTICE: &str = "gh.notice";
/// The person's session generation this session's sign-in began under, kept through its
/// second step and every step-up (see `gatehouse_core::store::SessionRecords`): once all of
/// the person's sessions were ended, no request that held this one brings it back, not even
/// under a new id.
const GENERATION: &str = "gh.generation";

#[derive(Serialize, Deserialize)]
struct Generation {
    user: Id,
    generation: i64,
}

/// Sensitive changes need a full sign-in (or step-up) this recent.
pub const STEP_UP_WINDOW_SECS: i64 = 10 * 60;

#[derive(Serialize, Deserialize)]
struct SignedIn {
    user: Id,
    authenticated_at: Timestamp,
    /// The same in milliseconds, to order it against an application's request for a fresher
    /// sign-in made in the same second. Absent in sessions from before it was kept.
    #[serde(default)]
    authenticated_at_ms: Option<i64>,
    /// The sign-in this session started with; kept through step-ups (whose new session id
    /// must not restart the absolute lifetime). Absent in sessions from before it was kept.
    #[serde(default)]
    facts: Option<SessionFacts>,
    /// How the person signed in (RFC 8176 `amr` values), kept through step-ups.
    #[serde(default)]
    amr: Vec<String>,
}

impl SignedIn {
    /// `user` authenticated just now.
    fn now(user: &User, facts: SessionFacts, amr: Vec<String>) -> Self {
        let ms = Timestamp::now_millis();
        SignedIn {
            user: user.id.clone(),
            authenticated_at: Timestamp(ms / 1000),
            authenticated_at_ms: Some(ms),
            facts: Some(facts),
            amr,
        }
    }
}

/// What an application may learn of this session's sign-in (`server`'s OpenID Provider).
#[derive(Clone, Debug)]
pub struct SignInRecord {
    pub user: Id,
    pub authenticated_at: Timestamp,
    pub authenticated_at_ms: i64,
    pub sid: String,
    pub amr: Vec<String>,
}

pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::Internal
    })
}

/// This session's id as stored (also the cookie's value); None before it was first saved.
pub async fn session_id() -> AppResult<Option<String>> {
    Ok(session().await?.id().map(|id| id.to_string()))
}

/// The facts of a sign-in made by the current request: now, its browser and its address.
fn new_facts() -> SessionFacts {
    let client = client();
    SessionFacts {
        signed_in_at: Timestamp::now(),
        client_address: client.audit_address().unwrap_or_default(),
        user_agent: client.user_agent.unwrap_or_default(),
        sid: gatehouse_core::oidc::new_sid(),
    }
}

async fn user(id: &Id) -> AppResult<Option<User>> {
    state()?.db.user_by_id(id).await.map_err(internal)
}

async fn signed_in_record(session: &Session) -> AppResult<Option<SignedIn>> {
    session.get::<SignedIn>(SIGNED_IN).await.map_err(internal)
}

/// Public endpoints: nothing to check. Named so that every endpoint visibly opens with a guard.
pub fn anyone() {}

/// The signed-in person, if any (a session pointing at a deleted user counts as none).
pub async fn signed_in_user() -> AppResult<Option<User>> {
    match signed_in_record(&session().await?).await? {
        Some(record) => user(&record.user).await,
        None => Ok(None),
    }
}

/// The signed-in session's sign-in, for plain routes (the OpenID Provider). A session from
/// before sids were kept gets one now.
pub async fn sign_in_record_in(session: &Session) -> AppResult<Option<SignInRecord>> {
    let Some(mut record) = signed_in_record(session).await? else { return Ok(None) };
    let facts = record.facts.get_or_insert_with(|| SessionFacts {
        signed_in_at: record.authenticated_at,
        user_agent: String::new(),
        client_address: String::new(),
        sid: String::new(),
    });
    let sid = if facts.sid.is_empty() {
        facts.sid = gatehouse_core::oidc::new_sid();
        let sid = facts.sid.clone();
        session.insert(SIGNED_IN, &record).await.map_err(internal)?;
        sid
    } else {
        facts.sid.clone()
    };
    let authenticated_at_ms = record.authenticated_at_ms.unwrap_or(record.authenticated_at.0 * 1000);
    Ok(Some(SignInRecord {
        user: record.user,
        authenticated_at: record.authenticated_at,
        authenticated_at_ms,
        sid,
        amr: record.amr,
    }))
}

/// [`signed_in_user`] for plain routes, which hold the session and the state themselves.
pub async fn signed_in_user_in(session: &Session, state: &crate::ssr::AppState) -> AppResult<Option<User>> {
    match signed_in_record(session).await? {
        Some(record) => state.db.user_by_id(&record.user).await.map_err(internal),
        None => Ok(None),
    }
}

/// The signed-in person, or 401.
pub async fn signed_in() -> AppResult<User> {
    signed_in_user().await?.ok_or_else(|| with_status(AppError::NotSignedIn))
}

/// The signed-in person, if their last full sign-in or step-up is recent enough for a
/// sensitive change; otherwise 403 and the page asks for the code first.
pub async fn recently_authenticated() -> AppResult<User> {
    let session = session().await?;
    let record = signed_in_record(&session).await?.ok_or_else(|| with_status(AppError::NotSignedIn))?;
    let user = user(&record.user).await?.ok_or_else(|| with_status(AppError::NotSignedIn))?;
    if Timestamp::now().0 - record.authenticated_at.0 > STEP_UP_WINDOW_SECS {
        return Err(with_status(AppError::StepUpRequired));
    }
    Ok(user)
}

/// The signed-in person, if their role is one of `roles` (the support console: agents; the
/// Users page: owners and co-owners); 403 otherwise.
pub async fn signed_in_as(roles: &[gatehouse_core::Role]) -> AppResult<User> {
    let user = signed_in().await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(with_status(AppError::Forbidden))
    }
}

/// The sign-in waiting for its second step; the core checks which step it granted and when.
pub async fn pending() -> AppResult<PendingSignIn> {
    let session = session().await?;
    if let Some(p) = session.get::<PendingSignIn>(PENDING).await.map_err(internal)? {
        return Ok(p);
    }
    if signed_in_record(&session).await?.is_some() {
        return Err(with_status(AppError::WrongStep(crate::i18n::t("error-already-signed-in"))));
    }
    Err(with_status(AppError::SignInExpired))
}

/// Maps the core's sign-in errors: where the sign-in stands becomes 401 or 403, what was
/// typed 400, and failures are logged.
pub fn sign_in_error(e: SignInError) -> AppError {
    match e {
        SignInError::Store(e) => internal(e),
        SignInError::Secret(e) => internal(e),
        SignInError::Expired => with_status(AppError::SignInExpired),
        wrong if wrong.is_wrong_step() => with_status(AppError::WrongStep(wrong.to_string())),
        rule => with_status(AppError::Invalid(rule.to_string())),
    }
}

/// Where the browser goes for the second step the core granted.
pub fn second_step_path(pending: &PendingSignIn) -> &'static str {
    match pending.second {
        SecondStep::Code => "/Account/Login?step=code",
        SecondStep::Setup => "/Account/SetupTwoFactor",
    }
}

/// After a first step: a new session id (the privilege changed) holding only the pending
/// sign-in, under the person's session generation as `user` was read; whoever was signed in
/// here before is not any more.
pub async fn begin_second_step(user: &User, pending: &PendingSignIn) -> AppResult<()> {
    begin_second_step_in(&session().await?, user, pending).await
}

/// [`begin_second_step`] for plain routes (the SSO callback), which hold the session.
pub async fn begin_second_step_in(session: &Session, user: &User, pending: &PendingSignIn) -> AppResult<()> {
    session.cycle_id().await.map_err(internal)?;
    session.remove_value(SIGNED_IN).await.map_err(internal)?;
    session.remove_value(FRESH_RECOVERY_CODES).await.map_err(internal)?;
    session.remove_value(REPLACEMENT).await.map_err(internal)?;
    let generation = Generation { user: user.id.clone(), generation: user.session_generation };
    session.insert(GENERATION, generation).await.map_err(internal)?;
    session.insert(PENDING, pending).await.map_err(internal)
}

/// The session now carries `generation` of the person's (after ending their other sessions
/// moved it on, this one with it).
pub async fn keep_generation(user: &User, generation: i64) -> AppResult<()> {
    let generation = Generation { user: user.id.clone(), generation };
    session().await?.insert(GENERATION, generation).await.map_err(internal)
}

/// After a full sign-in (both steps, or a passkey), proved as `amr` says: signed in, under a
/// new session id. A second step keeps the generation its first step began under; a sign-in
/// in one step (a passkey) takes the person's as `user` was read.
pub async fn complete_sign_in(user: &User, amr: &[&str]) -> AppResult<()> {
    let session = session().await?;
    session.cycle_id().await.map_err(internal)?;
    session.remove_value(PENDING).await.map_err(internal)?;
    let begun = session.get::<Generation>(GENERATION).await.map_err(internal)?.filter(|g| g.user == user.id);
    if begun.is_none() {
        let generation = Generation { user: user.id.clone(), generation: user.session_generation };
        session.insert(GENERATION, generation).await.map_err(internal)?;
    }
    let record = SignedIn::now(user, new_facts(), amr.iter().map(|m| (*m).to_owned()).collect());
    session.insert(SIGNED_IN, record).await.map_err(internal)?;
    // A person who chose a language has it in every browser they sign in with.
    if user.language.is_some() {
        keep_language(user.language.as_deref());
    }
    cookies::remember_browser(user).await
}

/// After step-up: the same person, authenticated now, under a new session id.
pub async fn renew_authentication(user: &User) -> AppResult<()> {
    let session = session().await?;
    let before = signed_in_record(&session).await?;
    let (facts, amr) = match before {
        Some(r) => (r.facts.unwrap_or_else(new_facts), r.amr),
        None => (new_facts(), Vec::new()),
    };
    session.cycle_id().await.map_err(internal)?;
    let record = SignedIn::now(user, facts, amr);
    session.insert(SIGNED_IN, record).await.map_err(internal)
}

/// Step-up with the person's current code (throttled, used up), then
/// [`renew_authentication`]: for the Security page and for an agent's approval alike.
pub async fn step_up_with_code(user: &User, code: String) -> AppResult<()> {
    let state = crate::ssr::state()?;
    let (db, key, client, now) = (state.db.clone(), state.secret_key.clone(), client(), Timestamp::now());
    let who = user.clone();
    crate::ssr::to_completion(
        async move { gatehouse_core::signin::step_up(&db, &key, &who, &code, &client, now).await },
    )
    .await?
    .map_err(sign_in_error)?;
    renew_authentication(user).await
}

/// Ends the session on the server, whatever it held. One of someone's (signed in or half-way)
/// ends as every ended session does, moving their generation on, so that no other request
/// holding it revives it under a new id.
pub async fn end_session() -> AppResult<()> {
    use gatehouse_core::store::SessionRecords;
    let session = session().await?;
    let person = session.get::<SignedIn>(SIGNED_IN).await.map_err(internal)?.map(|s| s.user);
    let person = match person {
        Some(user) => Some(user),
        None => session.get::<PendingSignIn>(PENDING).await.map_err(internal)?.map(|p| p.user_id),
    };
    if let (Some(user), Some(id)) = (person, session.id()) {
        state()?.db.end_session(&user, &id.to_string()).await.map_err(internal)?;
    }
    session.flush().await.map_err(internal)
}
