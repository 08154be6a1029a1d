//! Sends the form with its files to `POST /support/requests` and reports upload progress
//! (`fetch` cannot report it; `XMLHttpRequest` can).

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, HtmlFormElement, ProgressEvent, XmlHttpRequest};

use super::{files_too_large_total, Zone};
use crate::i18n::t;

fn offline() -> String {
    t("support-send-offline")
}

fn broken() -> String {
    t("support-send-broken")
}

/// The reference of the filed request and whether it waits for the requester's confirmation
/// by mail, or what to tell the person. `progress` hears how many bytes of the files have gone.
pub async fn send(
    form: &HtmlFormElement,
    files: &[(Zone, web_sys::File)],
    progress: impl Fn(f64) + 'static,
) -> Result<(String, bool), String> {
    let data = FormData::new_with_form(form).map_err(|_| broken())?;
    for zone in Zone::ALL {
        data.delete(zone.field());
    }
    for (zone, file) in files {
        data.append_with_blob_and_filename(zone.field(), file, &file.name()).map_err(|_| broken())?;
    }
    let file_bytes: f64 = files.iter().map(|(_, f)| f.size()).sum();

    let xhr = XmlHttpRequest::new().map_err(|_| broken())?;
    xhr.open_with_async("POST", "/support/requests", true).map_err(|_| broken())?;
    xhr.set_request_header("Accept", "application/json").map_err(|_| broken())?;
    // The fields and the multipart framing go first and are small: what is sent beyond
    // them is the files'.
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            progress((e.loaded() - (e.total() - file_bytes)).clamp(0.0, file_bytes));
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let finished = Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_form_data(Some(&data)).map_err(|_| offline())?;
    let _ = JsFuture::from(finished).await;
    drop(on_progress);

    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    let value = |name: &str| JSON::parse(&body).ok().and_then(|v| Reflect::get(&v, &JsValue::from_str(name)).ok());
    let field = |name: &str| value(name).and_then(|v| v.as_string());
    match status {
        0 => Err(offline()),
        200 => {
            let confirm = value("confirm").and_then(|v| v.as_bool()).unwrap_or(false);
            field("reference").map(|r| (r, confirm)).ok_or_else(broken)
        }
        // The body limit answers before the route can say which file.
        413 => Err(field("error").unwrap_or_else(files_too_large_total)),
        _ => Err(field("error").unwrap_or_else(broken)),
    }
}
