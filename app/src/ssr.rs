//! Server-side plumbing the pages and server functions share: the application state and
//! the per-response Content-Security-Policy.

use std::sync::Arc;

use axum::extract::FromRef;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::mail::Mailer;
use gatehouse_storage::Db;
use leptos::prelude::*;

/// What the web layer needs from the configuration, already validated by the server.
#[derive(Debug)]
pub struct Settings {
    /// Public base URL without a trailing slash, e.g. `http://localhost:3000`.
    pub public_url: String,
    /// Shown in the page title and in authenticator apps.
    pub product_name: String,
    /// Whether cookies get `Secure` and responses HSTS.
    pub https: bool,
    /// The idle timeout and absolute lifetime of sessions.
    pub sessions: gatehouse_core::sessions::Lifetime,
}

/// The state every request can reach: handed to `leptos_routes_with_context` by the server
/// and read back in server functions with [`state`].
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub secret_key: Arc<SecretKey>,
    /// Derived from the secret key: support documents at rest.
    pub document_key: Arc<gatehouse_core::crypto::DocumentKey>,
    pub mailer: Arc<dyn Mailer>,
    pub hashing: BlockingPool,
    /// The support form's uploads: how many are read at once, and the thread that checks them.
    pub uploads: Uploads,
    /// This site as a WebAuthn relying party (id and origin from the public URL).
    pub passkeys: Arc<gatehouse_core::passkey::RelyingParty>,
    /// The OpenID Connect providers whose discovery succeeded, for the login page's buttons.
    pub sso: Arc<Vec<crate::account::sso::SsoButton>>,
    /// The applications that sign people in through Gatehouse (`[[client]]`): id to name.
    pub applications: Arc<std::collections::HashMap<String, String>>,
    /// Every language's messages, and the operator's default.
    pub languages: Arc<gatehouse_l10n::Catalog>,
}

/// Runs slow, blocking work (password hashing) on threads of its own, one per core, at a
/// lower scheduling priority. A burst of sign-ins queues here instead of starving the
/// runtime or the machine's memory (19 MiB per argon2 job); and while hashes keep every core
/// busy, whatever needs no hash (a code, a passkey, a page) still gets a core at once, since
/// the scheduler prefers the runtime's threads. Hashing still takes all the CPU left over.
#[derive(Clone, Debug)]
pub struct BlockingPool {
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// The pool's threads are gone (they never stop while the process runs), or the job panicked.
#[derive(Debug, thiserror::Error)]
#[error("the blocking pool did not finish the job")]
pub struct JobLost;

/// How much less the hashing threads weigh than the rest (Linux `nice`, 0 to 19): at 10 the
/// runtime's threads get about nine times their share when both want a core.
const HASHING_NICENESS: i32 = 10;
/// The upload checker weighs least of all (about a seventh of a hashing thread): a flood of
/// documents to decode waits behind sign-ins, never the other way round.
const DECODING_NICENESS: i32 = 19;

/// The support form's uploads (`POST /support/requests`): at most `permits` are read and
/// checked at once, each up to 25 MiB, and their images are decoded on one thread of their own
/// at the lowest priority, never on the hashing threads. What waits beyond that is the
/// client's upload, not the server's memory or CPU.
#[derive(Clone, Debug)]
pub struct Uploads {
    pub permits: Arc<tokio::sync::Semaphore>,
    pub checker: BlockingPool,
}

impl Uploads {
    /// Uploads read at once: 4 × 25 MiB at most in memory, besides one image being decoded.
    pub const AT_ONCE: usize = 4;

    pub fn new() -> Self {
        Uploads {
            permits: Arc::new(tokio::sync::Semaphore::new(Self::AT_ONCE)),
            checker: BlockingPool::with(1, "gatehouse-upload", DECODING_NICENESS),
        }
    }
}

impl Default for Uploads {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockingPool {
    pub fn new(size: usize) -> Self {
        Self::with(size, "gatehouse-hash", HASHING_NICENESS)
    }

    /// `size` threads named `name-N`, each at `niceness`.
    pub fn with(size: usize, name: &str, niceness: i32) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for n in 0..size.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    lower_this_threads_priority(niceness);
                    loop {
                        let next = queue.lock().map_err(|_| ()).and_then(|q| q.recv().map_err(|_| ()));
                        let Ok(job) = next else { return };
                        // A panicking job drops its answer's sender (the caller gets JobLost);
                        // the thread stays for the next one.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                })
                .expect("a thread can be started at start-up");
        }
        BlockingPool { jobs }
    }

    /// Sized to the machine's cores: argon2 is CPU-bound, more threads only add waiting.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
    }

    pub async fn run<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> Result<R, JobLost> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job = move || {
            // Nobody waits any more (the request was dropped while queued): skip the work.
            if !answer.is_closed() {
                let _ = answer.send(job());
            }
        };
        self.jobs.send(Box::new(job)).map_err(|_| JobLost)?;
        answered.await.map_err(|_| JobLost)
    }
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority(niceness: i32) {
    // SAFETY: setpriority takes plain integers; on Linux, PRIO_PROCESS with id 0 is the calling
    // thread. Failing (a sandbox forbidding it) leaves the thread at normal priority.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, niceness) };
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority(_niceness: i32) {}

/// The application state from inside a server function or a server-rendered component.
pub fn state() -> Result<AppState, crate::error::AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        crate::error::AppError::Internal
    })
}

/// The policy for HTML pages. Scripts run only with this response's nonce (the hydration
/// loader) or when loaded by it (`strict-dynamic`); WebAssembly needs `wasm-unsafe-eval`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Whether this render is the login page, which loads its own small client instead of the
/// whole app (see `gatehouse_browser::login`).
pub fn is_login_page() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| p.uri.path() == "/Account/Login")
}

/// Sets the page's Content-Security-Policy with the nonce leptos_axum drew for this render,
/// which the hydration script already carries.
pub fn set_content_security_policy() {
    use http::header::CONTENT_SECURITY_POLICY;
    use http::HeaderValue;
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        res.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Whether the current server function was posted by a plain HTML form, before the page's
/// script ran (server_fn's own test): its answer is then a redirect back to the page, with a
/// refusal in the address, not something a script shows.
pub fn posted_by_plain_form() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT)?.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

/// Gives a failing server function the HTTP status its error deserves (a person's mistake
/// is not a server error, and should not be logged or alerted on as one). Not to a plain
/// form's post: its answer must stay the redirect back, or the browser shows the raw error.
pub fn with_status(e: crate::error::AppError) -> crate::error::AppError {
    use crate::error::AppError;
    use http::StatusCode;
    let status = match &e {
        AppError::Invalid(_) | AppError::Transport(_) => StatusCode::BAD_REQUEST,
        AppError::NotSignedIn | AppError::SignInExpired => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::WrongStep(_) | AppError::StepUpRequired => StatusCode::FORBIDDEN,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>().filter(|_| !posted_by_plain_form()) {
        res.set_status(status);
    }
    e
}

/// Runs an attempt that the throttle reserved on its own task, so that it is settled (counted
/// as a failure, or given back) even when the client hangs up half-way: axum drops a request's
/// future when its connection closes, and a reservation left unsettled would hold its place
/// (and hold back the person it is about) until it goes stale. The task has no request
/// context: return the core's error and map it to an `AppError` after, so its status is set.
pub async fn to_completion<T: Send + 'static>(
    attempt: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, crate::error::AppError> {
    // The request's language goes along: what the attempt says is said in it.
    let language = crate::i18n::language();
    tokio::spawn(crate::i18n::ssr::REQUEST.scope(language, attempt)).await.map_err(internal)
}

/// The words a notice to `to` is built from (see [`recipient_language`]), the product name,
/// and the links it points at.
pub type Notice<'a> = (&'a gatehouse_l10n::Messages, &'a str, &'a gatehouse_core::mail::NoticeLinks);

/// Queues a security notice to `to` (`gatehouse_core::mail::security_notice` and the notices
/// built on it), in their language. A failure to queue is logged, never undoes what the
/// notice is about.
pub async fn notify(to: &gatehouse_core::model::User, mail: impl FnOnce(Notice) -> gatehouse_core::mail::Mail) {
    let Ok(state) = state() else { return };
    notify_from(&state, to, mail).await
}

/// [`notify`] where the request's context is gone (inside [`to_completion`]).
pub async fn notify_from(
    state: &AppState,
    to: &gatehouse_core::model::User,
    mail: impl FnOnce(Notice) -> gatehouse_core::mail::Mail,
) {
    let links = gatehouse_core::mail::NoticeLinks::of(&state.settings.public_url);
    let language = recipient_language(state, to).await;
    if let Err(e) = state.mailer.send(mail((&language, &state.settings.product_name, &links))).await {
        tracing::warn!(error = %e, "security notice not sent");
    }
}

/// The language of mails to `person`, whoever's request sends them: their own choice, else
/// their account owner's, else the operator's default.
pub async fn recipient_language(
    state: &AppState,
    person: &gatehouse_core::model::User,
) -> std::sync::Arc<gatehouse_l10n::Messages> {
    language_of(&state.db, &state.languages, person).await
}

/// [`recipient_language`] from the database and the languages alone (the command line has no
/// `AppState`).
pub async fn language_of(
    db: &Db,
    catalog: &gatehouse_l10n::Catalog,
    person: &gatehouse_core::model::User,
) -> std::sync::Arc<gatehouse_l10n::Messages> {
    use gatehouse_core::store::Directory;
    let mut chosen = person.language.clone();
    if chosen.is_none() && person.role != gatehouse_core::Role::Owner {
        if let Some(account) = &person.account_id {
            match db.account_members(account).await {
                Ok(members) => {
                    let owner = members.into_iter().find(|m| m.user.role == gatehouse_core::Role::Owner);
                    chosen = owner.and_then(|m| m.user.language);
                }
                Err(e) => tracing::warn!(error = %e, "the account's language could not be read"),
            }
        }
    }
    chosen.and_then(|tag| catalog.language(&tag).cloned()).unwrap_or_else(|| catalog.default_language().clone())
}

/// The language of mails to an address known only as typed (a support requester): that of
/// the person who signs in with it (see [`recipient_language`]), else the operator's default.
pub async fn address_language(
    state: &AppState,
    email: &gatehouse_core::Email,
) -> std::sync::Arc<gatehouse_l10n::Messages> {
    use gatehouse_core::store::Directory;
    match state.db.user_by_email(email).await {
        Ok(Some(person)) => recipient_language(state, &person).await,
        Ok(None) => state.languages.default_language().clone(),
        Err(e) => {
            tracing::warn!(error = %e, "the recipient's language could not be read");
            state.languages.default_language().clone()
        }
    }
}

/// A failure people cannot act on: logged here with its cause, answered with a plain 500.
pub fn internal(e: impl std::fmt::Display) -> crate::error::AppError {
    tracing::error!(error = %e, "server function failed");
    with_status(crate::error::AppError::Internal)
}

/// A moment as pages show it: UTC, to the minute (enough to recognise a passkey or a
/// session; identical on server and client, which get the text), in the order and with the
/// separators of the request's language (`date-time`).
pub fn when(t: gatehouse_core::Timestamp) -> String {
    let Ok(d) = time::OffsetDateTime::from_unix_timestamp(t.0) else { return String::new() };
    let two = |n: u8| gatehouse_l10n::FluentValue::from(format!("{n:02}"));
    crate::i18n::t_with(
        "date-time",
        [
            ("year", gatehouse_l10n::FluentValue::from(d.year().to_string())),
            ("month", two(u8::from(d.month()))),
            ("day", two(d.day())),
            ("hour", two(d.hour())),
            ("minute", two(d.minute())),
        ],
    )
}

/// argon2 on the bounded blocking pool, as the core's sign-in steps need it.
pub struct Hashing<'a>(pub &'a BlockingPool);

#[async_trait::async_trait]
impl gatehouse_core::signin::PasswordWork for Hashing<'_> {
    async fn verify(&self, pw: String, phc: Option<String>) -> gatehouse_core::password::Verdict {
        use gatehouse_core::password::{self, Verdict};
        let job = move || match phc {
            Some(phc) => password::verify(&pw, &phc),
            None => password::verify_dummy(&pw),
        };
        self.0.run(job).await.unwrap_or(Verdict::Wrong)
    }

    async fn hash(&self, pw: String) -> String {
        self.0.run(move || gatehouse_core::password::hash(&pw)).await.expect("password hashing does not panic")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_hashing_pool_answers_survives_a_panic_and_runs_below_normal_priority() {
        let pool = BlockingPool::new(1);
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
        assert!(pool.run(|| -> i32 { panic!("a bug in a job") }).await.is_err());
        assert_eq!(pool.run(|| "still here").await.unwrap(), "still here");
        #[cfg(target_os = "linux")]
        {
            // SAFETY: reads the calling (pool) thread's nice value; no pointers involved.
            let nice = pool.run(|| unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }).await.unwrap();
            assert_eq!(nice, HASHING_NICENESS);
        }
    }
}
