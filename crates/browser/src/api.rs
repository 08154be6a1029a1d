//! Calling a server function as Leptos's client does: a form-encoded POST that asks for JSON.
//! A function that redirects answers with `Location` and `serverfnredirect` (leptos_axum
//! answers 302 only to plain form posts); a refusal is the error as JSON, with a 4xx or 5xx.

use gatehouse_web_error::{decode, AppError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response, UrlSearchParams};

/// What a server function answered, when it did not refuse.
pub enum Answer {
    /// Where it sends the browser next.
    Redirect(String),
    /// Its result, as JSON.
    Body(String),
}

fn transport(_: JsValue) -> AppError {
    AppError::Transport(String::new())
}

/// Calls the server function at `path` (e.g. `/api/log_in`) with `body` as its arguments.
pub async fn post(path: &str, body: &UrlSearchParams) -> Result<Answer, AppError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let request = Request::new_with_str_and_init(path, &init).map_err(transport)?;
    request.headers().set("Accept", "application/json").map_err(transport)?;
    let window = web_sys::window().ok_or(AppError::Transport(String::new()))?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(transport)?.unchecked_into();
    let text =
        JsFuture::from(response.text().map_err(transport)?).await.map_err(transport)?.as_string().unwrap_or_default();
    if !response.ok() {
        return Err(decode(&text));
    }
    let headers = response.headers();
    match headers.get("location").ok().flatten() {
        Some(to) if headers.has("serverfnredirect").unwrap_or(false) => Ok(Answer::Redirect(to)),
        _ => Ok(Answer::Body(text)),
    }
}

/// Arguments for [`post`], from name and value pairs.
pub fn arguments(pairs: &[(&str, &str)]) -> UrlSearchParams {
    let params = UrlSearchParams::new().expect("URLSearchParams exists in every browser WebAssembly runs in");
    for (name, value) in pairs {
        params.append(name, value);
    }
    params
}
