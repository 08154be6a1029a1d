//! `POST /support/requests`: the public support form with its documents, as multipart. A plain
//! route rather than a server function so that the body is counted while it streams (the
//! Leptos multipart codec sets no limit of its own): a file stops at 10 MiB, a request at
//! 25 MiB in all, before more is read. Open to anyone (the owner may be the one locked out);
//! the answer is the same for every accepted request, whatever it names.
//!
//! The form's fields come first (as browsers send them): they are checked, and the filing is
//! counted on the client address's limit, before a byte of any file is read, so a refused or
//! too frequent form costs nothing but its fields. Signed in, the requester is the signed-in
//! person; signed out, the request waits for its requester to confirm it from the mailbox of
//! the address they typed.
//!
//! Browsers with JavaScript send `Accept: application/json` and get `{"reference",
//! "confirm"}` or `{"error"}`; a plain form post is sent back to `/support/new` with
//! `?sent=REFERENCE` (and `&confirm=1`) or `?problem=CODE` (a fixed code, never text, so a
//! crafted link cannot put words on the page).

use app::ssr::AppState;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gatehouse_core::model::User;
use gatehouse_core::signin::Client;
use gatehouse_l10n::say;
use std::time::{Duration, Instant};

use gatehouse_core::support::service::{self, Admitted, Form, SubmitError, Upload};
use gatehouse_core::support::upload::{FileProblem, MAX_FILES, MAX_FILE_BYTES, MAX_REQUEST_BYTES};
use gatehouse_core::support::{mail, DocumentKind};
use gatehouse_core::Timestamp;

/// The body limit of this route: the documents, the fields and the multipart framing.
pub const BODY_LIMIT_BYTES: usize = MAX_REQUEST_BYTES + 256 * 1024;
/// A text field's most bytes.
const FIELD_LIMIT_BYTES: usize = 64 * 1024;

/// Why a submission was refused, as the page says it without JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Invalid,
    File,
    TooMany,
    TooLarge,
    OwnerDocuments,
    NotYours,
    Busy,
    /// Every upload slot stayed taken while the form waited.
    Later,
    /// The files came too slowly for the slot they held.
    Slow,
    Broken,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Problem::Invalid => "invalid",
            Problem::File => "file",
            Problem::TooMany => "too-many",
            Problem::TooLarge => "too-large",
            Problem::OwnerDocuments => "owner-documents",
            Problem::NotYours => "not-yours",
            Problem::Busy => "busy",
            Problem::Later => "later",
            Problem::Slow => "slow",
            Problem::Broken => "broken",
        }
    }
}

struct Refusal {
    status: StatusCode,
    problem: Problem,
    message: String,
}

fn refusal(e: SubmitError) -> Refusal {
    let (status, problem) = match &e {
        SubmitError::Invalid(_) => (StatusCode::BAD_REQUEST, Problem::Invalid),
        SubmitError::File { problem: FileProblem::TooLarge, .. } | SubmitError::TooLarge => {
            (StatusCode::PAYLOAD_TOO_LARGE, Problem::TooLarge)
        }
        SubmitError::File { .. } => (StatusCode::UNPROCESSABLE_ENTITY, Problem::File),
        SubmitError::TooManyFiles => (StatusCode::BAD_REQUEST, Problem::TooMany),
        SubmitError::MissingOwnerDocuments(_) => (StatusCode::BAD_REQUEST, Problem::OwnerDocuments),
        SubmitError::NotYours(_) => (StatusCode::BAD_REQUEST, Problem::NotYours),
        SubmitError::Blocked(_) => (StatusCode::TOO_MANY_REQUESTS, Problem::Busy),
        SubmitError::Store(s) => {
            tracing::error!(error = %s, "support request not stored");
            return broken_on_our_side();
        }
    };
    Refusal { status, problem, message: e.to_string() }
}

fn broken_on_our_side() -> Refusal {
    let message = say("error-internal", &[]);
    Refusal { status: StatusCode::INTERNAL_SERVER_ERROR, problem: Problem::Broken, message }
}

/// A form that could not be used as sent: message `id` says what to do.
fn broken(id: &str) -> Refusal {
    Refusal { status: StatusCode::BAD_REQUEST, problem: Problem::Broken, message: say(id, &[]) }
}

/// How long a form waits for its turn to send its files before it is told to try again.
const UPLOAD_WAIT: Duration = Duration::from_secs(20);

/// Every upload slot stayed taken while this form waited: nothing was read.
fn busy() -> Refusal {
    Refusal { status: StatusCode::SERVICE_UNAVAILABLE, problem: Problem::Later, message: say("error-upload-busy", &[]) }
}

fn too_slow() -> Refusal {
    Refusal { status: StatusCode::REQUEST_TIMEOUT, problem: Problem::Slow, message: say("error-upload-slow", &[]) }
}

fn unreadable() -> Refusal {
    broken("error-upload-incomplete")
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// What was filed: its reference, and whether it waits for the requester's mailbox.
struct Sent {
    reference: String,
    confirm: bool,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    session: tower_sessions::Session,
    multipart: Multipart,
) -> Response {
    app::auth::anyone();
    let json = wants_json(&headers);
    match file(&state, &extensions, &session, multipart).await {
        Ok(sent) if json => {
            axum::Json(serde_json::json!({ "reference": sent.reference, "confirm": sent.confirm })).into_response()
        }
        Ok(Sent { reference, confirm }) => {
            let confirm = if confirm { "&confirm=1" } else { "" };
            Redirect::to(&format!("/support/new?sent={reference}{confirm}")).into_response()
        }
        Err(r) if json => (r.status, axum::Json(serde_json::json!({ "error": r.message }))).into_response(),
        Err(r) => Redirect::to(&format!("/support/new?problem={}", r.problem.code())).into_response(),
    }
}

/// Which drop zone a multipart field is, if it is a file.
fn zone(name: &str) -> Option<DocumentKind> {
    match name {
        "legal_id" => Some(DocumentKind::LegalId),
        "business_registration" => Some(DocumentKind::BusinessRegistration),
        "letterhead" => Some(DocumentKind::Letterhead),
        "attachments" => Some(DocumentKind::Attachment),
        _ => None,
    }
}

/// How an upload holding one of the few upload slots must go on: each piece within
/// `CHUNK_WAIT`, and after the first `GRACE`, at `MIN_RATE` bytes a second on average. A slot
/// is not something a trickle may hold for good.
const CHUNK_WAIT: Duration = Duration::from_secs(10);
const GRACE: Duration = Duration::from_secs(10);
const MIN_RATE: f64 = 32.0 * 1024.0;

/// The pace of the files read under one upload slot.
struct Pace {
    since: Instant,
    bytes: usize,
}

impl Pace {
    fn too_slow(&self) -> bool {
        let secs = self.since.elapsed();
        secs > GRACE && (self.bytes as f64) < MIN_RATE * secs.as_secs_f64()
    }
}

/// Reads a field's bytes, stopping at `limit` (its own), at the request's `total`, and for a
/// file under an upload slot (`pace`), when it comes too slowly.
async fn bytes_of(
    field: &mut Field<'_>,
    limit: usize,
    total: &mut usize,
    mut pace: Option<&mut Pace>,
) -> Result<Vec<u8>, Limit> {
    let mut bytes = Vec::new();
    loop {
        let next = match &pace {
            Some(_) => tokio::time::timeout(CHUNK_WAIT, field.chunk()).await.map_err(|_| Limit::Slow)?,
            None => field.chunk().await,
        };
        let Some(chunk) = next.map_err(|_| Limit::Unreadable)? else { return Ok(bytes) };
        *total += chunk.len();
        if *total > MAX_REQUEST_BYTES {
            return Err(Limit::Request);
        }
        if bytes.len() + chunk.len() > limit {
            return Err(Limit::Field);
        }
        bytes.extend_from_slice(&chunk);
        if let Some(pace) = pace.as_deref_mut() {
            pace.bytes += chunk.len();
            if pace.too_slow() {
                return Err(Limit::Slow);
            }
        }
    }
}

enum Limit {
    Field,
    Request,
    Unreadable,
    Slow,
}

/// An admitted filing until it is stored: counted against its address however the request
/// ends before that, refused or dropped because the browser went away (then from a task of
/// its own), since it took checks and maybe an upload slot.
struct Filing {
    admitted: Option<Admitted>,
    db: gatehouse_storage::Db,
}

impl Filing {
    fn owner_self(&self) -> bool {
        self.admitted.as_ref().is_some_and(Admitted::owner_self)
    }

    /// Settled by storing the request.
    fn into_admitted(mut self) -> Admitted {
        self.admitted.take().expect("a filing holds its admission until settled")
    }

    /// Nothing was read (every upload slot stayed taken): given back, not counted.
    async fn give_back(mut self) {
        if let Some(admitted) = self.admitted.take() {
            if let Err(e) = admitted.given_back(&self.db).await {
                tracing::error!(error = %e, "support filing not given back");
            }
        }
    }
}

impl Drop for Filing {
    fn drop(&mut self) {
        let Some(admitted) = self.admitted.take() else { return };
        let db = self.db.clone();
        tokio::spawn(async move {
            if let Err(e) = admitted.refused(&db, Timestamp::now()).await {
                tracing::error!(error = %e, "support filing not counted");
            }
        });
    }
}

/// Admits the form on its fields (see [`service::admit`]): the filing is counted from here.
async fn admit(state: &AppState, form: Form, requester: Option<User>, client: &Client) -> Result<Filing, Refusal> {
    let (db, client) = (state.db.clone(), client.clone());
    // Counted (or given back) even if the browser stops waiting.
    let admitted = app::ssr::to_completion(async move {
        service::admit(&db, form, requester.as_ref(), &client, Timestamp::now()).await
    })
    .await
    .map_err(|_| broken_on_our_side())?
    .map_err(refusal)?;
    Ok(Filing { admitted: Some(admitted), db: state.db.clone() })
}

/// What the form brought: its admitted filing, its files, and the upload slot they were read
/// under (held until they are checked and stored).
struct Read {
    filing: Filing,
    uploads: Vec<Upload>,
    _slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

/// Reads the form: its fields first, then, once they are admitted and an upload slot is free,
/// its files. A refusal after admission is counted (by the filing's drop).
async fn read(
    state: &AppState,
    requester: Option<User>,
    client: &Client,
    mut multipart: Multipart,
) -> Result<Read, Refusal> {
    let mut form = Form::default();
    let mut filing: Option<Filing> = None;
    let mut slot = None;
    let mut pace = Pace { since: Instant::now(), bytes: 0 };
    let mut uploads = Vec::new();
    let mut total = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_owned();
        let Some(kind) = zone(&name) else {
            if filing.is_some() {
                return Err(broken("error-upload-fields-first"));
            }
            let Ok(Ok(text)) = bytes_of(&mut field, FIELD_LIMIT_BYTES, &mut total, None).await.map(String::from_utf8)
            else {
                return Err(broken("error-upload-unreadable"));
            };
            set_field(&mut form, &name, text);
            continue;
        };
        let file_name = field.file_name().unwrap_or("").to_owned();
        // An empty file input still sends an empty part without a name: nothing was chosen.
        if file_name.is_empty() {
            bytes_of(&mut field, 0, &mut total, None).await.map_err(|_| unreadable())?;
            continue;
        }
        if filing.is_none() {
            let admitted = admit(state, std::mem::take(&mut form), requester.clone(), client).await?;
            match tokio::time::timeout(UPLOAD_WAIT, state.uploads.permits.clone().acquire_owned()).await {
                Ok(Ok(permit)) => slot = Some(permit),
                _ => {
                    admitted.give_back().await;
                    return Err(busy());
                }
            }
            pace = Pace { since: Instant::now(), bytes: 0 };
            filing = Some(admitted);
        }
        if uploads.len() == MAX_FILES {
            return Err(refusal(SubmitError::TooManyFiles));
        }
        match bytes_of(&mut field, MAX_FILE_BYTES, &mut total, Some(&mut pace)).await {
            Ok(bytes) => uploads.push(Upload { kind, name: file_name, bytes }),
            Err(Limit::Field) => {
                let name = gatehouse_core::support::upload::display_name(&file_name, None);
                return Err(refusal(SubmitError::File { name, problem: FileProblem::TooLarge }));
            }
            Err(Limit::Request) => return Err(refusal(SubmitError::TooLarge)),
            Err(Limit::Unreadable) => return Err(unreadable()),
            Err(Limit::Slow) => return Err(too_slow()),
        }
    }
    let filing = match filing {
        Some(filing) => filing,
        None => admit(state, form, requester, client).await?,
    };
    Ok(Read { filing, uploads, _slot: slot })
}

fn set_field(form: &mut Form, name: &str, text: String) {
    match name {
        "area" => form.area = text,
        "requester_email" => form.requester_email = text,
        "account_name" => form.account_name = text,
        "subject" => form.subject = text,
        "description" => form.description = text,
        "target_email" => form.target_email = text,
        "owner_self" => form.owner_self = matches!(text.as_str(), "on" | "true" | "yes"),
        _ => {}
    }
}

async fn file(
    state: &AppState,
    extensions: &Extensions,
    session: &tower_sessions::Session,
    multipart: Multipart,
) -> Result<Sent, Refusal> {
    let client = app::auth::client_of(extensions);
    // Signed in, the requester is the signed-in person, whatever the field says.
    let requester = app::auth::signed_in_user_in(session, state).await.map_err(|_| broken("error-upload-try-again"))?;
    let Read { filing, uploads, _slot } = read(state, requester, &client, multipart).await?;
    let owner_self = filing.owner_self();
    // Nothing to decode: no turn on the checker's one thread.
    let checked = if uploads.is_empty() {
        service::check_uploads(uploads, owner_self)
    } else {
        state.uploads.checker.run(move || service::check_uploads(uploads, owner_self)).await.unwrap_or_else(|e| {
            Err(SubmitError::Invalid(say("error-upload-not-checked", &[("reason", e.to_string().into())])))
        })
    }
    .map_err(refusal)?;
    let (key, db, admitted) = (state.document_key.clone(), state.db.clone(), filing.into_admitted());
    let filed = app::ssr::to_completion(async move {
        service::submit(&db, &key, admitted, checked, &client, Timestamp::now()).await
    })
    .await
    .map_err(|_| broken("error-upload-try-again"))?
    .map_err(refusal)?;
    drop(_slot);
    mail_filed(state, &filed).await;
    Ok(Sent { reference: filed.request.reference.0.clone(), confirm: filed.confirm.is_some() })
}

/// Signed out: the link that confirms the request, to the address typed, in the language the
/// form was filled in (the address proves nothing yet, and looking its person up would show in
/// how long the answer takes whether it is someone's). Signed in: the receipt, in the person's
/// language.
async fn mail_filed(state: &AppState, filed: &service::Filed) {
    let (request, product) = (&filed.request, &state.settings.product_name);
    let t = match &filed.confirm {
        Some(_) => app::i18n::language(),
        None => app::ssr::address_language(state, &request.requester_email).await,
    };
    let mail = match &filed.confirm {
        Some(token) => {
            let link = format!("{}/support/confirm?token={}", state.settings.public_url, token.reveal());
            let (to, target) = (&request.requester_email, &request.target_email);
            mail::confirm_request(&t, product, to, &request.reference.0, target, &request.account_name, &link)
        }
        None => mail::received(&t, product, &request.requester_email, &request.reference.0),
    };
    if let Err(e) = state.mailer.send(mail).await {
        tracing::warn!(error = %e, "support request mail not sent");
    }
}

/// `GET /support/documents/{request}/{document}`: a document, decrypted, for support agents
/// only. Served so that it can never run as a page of this site: its own media type with
/// `nosniff`, a sandboxing CSP, inline under its display name, never cached.
pub async fn document(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path((request, document)): axum::extract::Path<(String, String)>,
) -> Response {
    use gatehouse_core::support::service::DocumentError;
    use gatehouse_core::{Id, Role};

    let agent = match app::auth::signed_in_user_in(&session, &state).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if agent.role != Role::Agent {
        return StatusCode::FORBIDDEN.into_response();
    }
    let (Some(request), Some(document)) = (Id::parse(&request), Id::parse(&document)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match service::open_document(&state.db, &state.document_key, &request, &document).await {
        Ok((info, bytes)) => {
            let headers = [
                (header::CONTENT_TYPE, info.file_type.media_type().to_owned()),
                (header::CONTENT_DISPOSITION, disposition(&info.display_name)),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox".to_owned(),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
                (header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin".to_owned()),
            ];
            (headers, bytes).into_response()
        }
        Err(DocumentError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(DocumentError::Purged) => (StatusCode::GONE, say("error-document-purged", &[])).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "support document not served");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `inline` with the display name: ASCII as a quoted fallback, the real name in RFC 8187 form.
fn disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    // RFC 8187's attr-char, less the rarer marks: everything else percent-encoded.
    const ATTR: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');
    let encoded = percent_encoding::utf8_percent_encode(name, ATTR);
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_display_name_cannot_break_out_of_the_header() {
        assert_eq!(
            super::disposition("passport.jpg"),
            "inline; filename=\"passport.jpg\"; filename*=UTF-8''passport.jpg"
        );
        assert_eq!(
            super::disposition("Zoë \"x\".pdf"),
            "inline; filename=\"Zo_ _x_.pdf\"; filename*=UTF-8''Zo%C3%AB%20%22x%22.pdf"
        );
    }
}
