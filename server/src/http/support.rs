//! `POST /support/requests`: the public support form with its documents, as multipart. A plain
//! route rather than a server function so that the body is counted while it streams (the
//! Leptos multipart codec sets no limit of its own): a file stops at 10 MiB, a request at
//! 25 MiB in all, before more is read. Open to anyone (the owner may be the one locked out);
//! the answer is the same for every accepted request, whatever it names.
//!
//! Browsers with JavaScript send `Accept: application/json` and get `{"reference"}` or
//! `{"error"}`; a plain form post is sent back to `/support/new` with `?sent=REFERENCE` or
//! `?problem=CODE` (a fixed code, never text, so a crafted link cannot put words on the page).

use app::ssr::AppState;
use axum::extract::{Multipart, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gatehouse_core::support::service::{self, Form, SubmitError, Upload};
use gatehouse_core::support::upload::{FileProblem, MAX_FILES, MAX_FILE_BYTES, MAX_REQUEST_BYTES};
use gatehouse_core::support::{mail, DocumentKind};
use gatehouse_core::Timestamp;

/// The body limit of this route: the documents, the fields and the multipart framing.
pub const BODY_LIMIT_BYTES: usize = MAX_REQUEST_BYTES + 256 * 1024;

/// Why a submission was refused, as the page says it without JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Invalid,
    File,
    TooMany,
    TooLarge,
    OwnerDocuments,
    Busy,
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
            Problem::Busy => "busy",
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
        SubmitError::Blocked(_) => (StatusCode::TOO_MANY_REQUESTS, Problem::Busy),
        SubmitError::Store(s) => {
            tracing::error!(error = %s, "support request not stored");
            let message = "Something went wrong on our side. Please try again in a moment.".into();
            return Refusal { status: StatusCode::INTERNAL_SERVER_ERROR, problem: Problem::Broken, message };
        }
    };
    Refusal { status, problem, message: e.to_string() }
}

fn broken(message: &str) -> Refusal {
    Refusal { status: StatusCode::BAD_REQUEST, problem: Problem::Broken, message: message.into() }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// Reads the form while counting: fields are small text, files are bounded one by one and in
/// all, and nothing past a limit is read.
async fn read(mut multipart: Multipart) -> Result<(Form, Vec<Upload>), Refusal> {
    let mut form = Form::default();
    let mut uploads = Vec::new();
    let mut total = 0usize;
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|_| broken("The form could not be read completely. Please send it again."))?;
        let Some(mut field) = field else { break };
        let name = field.name().unwrap_or("").to_owned();
        let kind = match name.as_str() {
            "legal_id" => Some(DocumentKind::LegalId),
            "business_registration" => Some(DocumentKind::BusinessRegistration),
            "letterhead" => Some(DocumentKind::Letterhead),
            "attachments" => Some(DocumentKind::Attachment),
            _ => None,
        };
        let file_name = field.file_name().map(str::to_owned);
        if let (Some(_), Some(file)) = (kind, &file_name) {
            // An empty file input still sends a part without a name: nothing was chosen.
            if file.is_empty() {
                while field.chunk().await.map_err(|_| broken("The form could not be read."))?.is_some() {}
                continue;
            }
        }
        let limit = if kind.is_some() { MAX_FILE_BYTES } else { 64 * 1024 };
        let mut bytes = Vec::new();
        while let Some(chunk) =
            field.chunk().await.map_err(|_| broken("The form could not be read completely. Please send it again."))?
        {
            total += chunk.len();
            if total > MAX_REQUEST_BYTES {
                return Err(refusal(SubmitError::TooLarge));
            }
            if bytes.len() + chunk.len() > limit {
                let name = file_name.clone().unwrap_or(name);
                return Err(refusal(SubmitError::File {
                    name: gatehouse_core::support::upload::display_name(&name, None),
                    problem: FileProblem::TooLarge,
                }));
            }
            bytes.extend_from_slice(&chunk);
        }
        match kind {
            Some(kind) => {
                if uploads.len() == MAX_FILES {
                    return Err(refusal(SubmitError::TooManyFiles));
                }
                uploads.push(Upload { kind, name: file_name.unwrap_or_default(), bytes });
            }
            None => {
                let text = String::from_utf8(bytes).map_err(|_| broken("The form could not be read."))?;
                match name.as_str() {
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
        }
    }
    Ok((form, uploads))
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
        Ok(reference) if json => axum::Json(serde_json::json!({ "reference": reference })).into_response(),
        Ok(reference) => Redirect::to(&format!("/support/new?sent={reference}")).into_response(),
        Err(r) if json => (r.status, axum::Json(serde_json::json!({ "error": r.message }))).into_response(),
        Err(r) => Redirect::to(&format!("/support/new?problem={}", r.problem.code())).into_response(),
    }
}

async fn file(
    state: &AppState,
    extensions: &Extensions,
    session: &tower_sessions::Session,
    multipart: Multipart,
) -> Result<String, Refusal> {
    let (mut form, uploads) = read(multipart).await?;
    // From the Users page the requester is the signed-in person, whatever the field says.
    let requester = app::auth::signed_in_user_in(session, state).await.map_err(|_| broken("Please try again."))?;
    if let Some(user) = &requester {
        form.requester_email = user.email.to_string();
    }
    let owner_self = form.owner_self;
    let checked = state
        .hashing
        .run(move || service::check_uploads(uploads, owner_self))
        .await
        .map_err(|e| refusal(SubmitError::Invalid(format!("The files could not be checked ({e}). Please try again."))))?
        .map_err(refusal)?;
    let client = app::auth::client_of(extensions);
    let key = state.document_key.clone();
    let (db, requester_id) = (state.db.clone(), requester.map(|u| u.id));
    let filed = app::ssr::to_completion(async move {
        service::submit(&db, &key, form, checked, requester_id, &client, Timestamp::now()).await
    })
    .await
    .map_err(|_| broken("Please try again."))?
    .map_err(refusal)?;
    let receipt = mail::received(&state.settings.product_name, &filed.requester_email, &filed.reference.0);
    if let Err(e) = state.mailer.send(receipt).await {
        tracing::warn!(error = %e, "support receipt not sent");
    }
    Ok(filed.reference.0)
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
        Err(DocumentError::Purged) => {
            (StatusCode::GONE, "This document was deleted after the retention period.").into_response()
        }
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
