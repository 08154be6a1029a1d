//! The browser half of WebAuthn ceremonies: turns the server's JSON options into the binary
//! form `navigator.credentials` wants, runs the dialog, and turns the answer back into JSON.
//! Browser-only; explicit conversion works in every browser, unlike the newer
//! `parseCreationOptionsFromJSON`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_l10n::say;
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why the browser's passkey dialog gave no answer, in words for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Closed, timed out, or no matching passkey: the browser does not say which.
    Cancelled,
    /// We aborted it ourselves (the autofill request, when the button is used).
    Aborted,
    /// This authenticator already holds a passkey for this account.
    AlreadyRegistered,
    /// The page's address does not match the relying party.
    WrongAddress,
    Unsupported,
    Other(String),
}

impl Failure {
    pub fn message(&self) -> String {
        match self {
            Failure::Cancelled => say("passkey-dialog-cancelled", &[]),
            Failure::Aborted => String::new(),
            Failure::AlreadyRegistered => say("passkey-dialog-already-registered", &[]),
            Failure::WrongAddress => say("passkey-dialog-wrong-address", &[]),
            Failure::Unsupported => say("passkey-dialog-unsupported", &[]),
            Failure::Other(m) => say("passkey-dialog-failed", &[("reason", m.into())]),
        }
    }
}

fn failure(e: JsValue) -> Failure {
    let name = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "TimeoutError" => Failure::Cancelled,
        "AbortError" => Failure::Aborted,
        "InvalidStateError" => Failure::AlreadyRegistered,
        "SecurityError" => Failure::WrongAddress,
        "NotSupportedError" => Failure::Unsupported,
        _ => Failure::Other(Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or(name)),
    }
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &JsValue, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &key.into(), v);
}

/// Parses the options, dropping `null` members: WebIDL dictionaries refuse null where
/// serde writes it for an absent optional.
fn parse(json: &str) -> Result<JsValue, Failure> {
    let value = JSON::parse(json).map_err(|_| Failure::Other(say("passkey-options-unreadable", &[])))?;
    strip_nulls(&value);
    Ok(value)
}

fn strip_nulls(v: &JsValue) {
    if let Some(list) = v.dyn_ref::<Array>() {
        list.iter().for_each(|item| strip_nulls(&item));
    } else if let Some(object) = v.dyn_ref::<Object>() {
        for key in Object::keys(object).iter() {
            let member = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
            if member.is_null() {
                let _ = Reflect::delete_property(object, &key);
            } else if member.is_object() {
                strip_nulls(&member);
            }
        }
    }
}

/// Replaces the base64url string at `o[key]` with its bytes.
fn to_bytes(o: &JsValue, key: &str) {
    if let Some(s) = get(o, key).as_string() {
        if let Ok(bytes) = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')) {
            set(o, key, &Uint8Array::from(bytes.as_slice()).into());
        }
    }
}

fn ids_to_bytes(list: &JsValue) {
    if let Some(list) = list.dyn_ref::<Array>() {
        for d in list.iter() {
            to_bytes(&d, "id");
        }
    }
}

fn b64(buf: &JsValue) -> JsValue {
    match buf.dyn_ref::<ArrayBuffer>() {
        Some(b) => URL_SAFE_NO_PAD.encode(Uint8Array::new(b).to_vec()).into(),
        None => JsValue::NULL,
    }
}

fn credentials() -> Result<web_sys::CredentialsContainer, Failure> {
    let window = web_sys::window().ok_or(Failure::Unsupported)?;
    if get(&window, "PublicKeyCredential").is_undefined() {
        return Err(Failure::Unsupported);
    }
    Ok(window.navigator().credentials())
}

/// The credential as WebAuthn JSON, with the response fields listed.
fn answer(cred: &JsValue, fields: &[&str]) -> String {
    let response = get(cred, "response");
    let out = Object::new();
    let json = Object::new();
    for f in fields {
        set(&json, f, &b64(&get(&response, f)));
    }
    if let Ok(t) = Reflect::get(&response, &"getTransports".into())
        .and_then(|f| f.dyn_ref::<js_sys::Function>().ok_or(JsValue::NULL).and_then(|f| f.call0(&response)))
    {
        set(&json, "transports", &t);
    }
    set(&out, "id", &get(cred, "id"));
    set(&out, "rawId", &b64(&get(cred, "rawId")));
    set(&out, "type", &get(cred, "type"));
    set(&out, "response", &json);
    let extensions = Reflect::get(cred, &"getClientExtensionResults".into())
        .ok()
        .and_then(|f| f.dyn_ref::<js_sys::Function>().and_then(|f| f.call0(cred).ok()))
        .unwrap_or_else(|| Object::new().into());
    set(&out, "clientExtensionResults", &extensions);
    JSON::stringify(&out).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// Registers a new passkey. `options` is webauthn-rs's `CreationChallengeResponse`.
pub async fn create(options: &str) -> Result<String, Failure> {
    let container = credentials()?;
    let wrapper = parse(options)?;
    let public_key = get(&wrapper, "publicKey");
    to_bytes(&public_key, "challenge");
    to_bytes(&get(&public_key, "user"), "id");
    ids_to_bytes(&get(&public_key, "excludeCredentials"));
    let request = Object::new();
    set(&request, "publicKey", &public_key);
    let promise = container.create_with_options(request.unchecked_ref()).map_err(failure)?;
    let cred = JsFuture::from(promise).await.map_err(failure)?;
    Ok(answer(&cred, &["attestationObject", "clientDataJSON"]))
}

/// Asks for a passkey. With `signal` and `conditional`, the request waits quietly for the
/// person to pick a passkey from the User name field's autofill.
pub async fn sign_in(
    options: &str,
    conditional: bool,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<String, Failure> {
    let container = credentials()?;
    let wrapper = parse(options)?;
    let public_key = get(&wrapper, "publicKey");
    to_bytes(&public_key, "challenge");
    ids_to_bytes(&get(&public_key, "allowCredentials"));
    let request = Object::new();
    set(&request, "publicKey", &public_key);
    if conditional {
        set(&request, "mediation", &"conditional".into());
    }
    if let Some(signal) = signal {
        set(&request, "signal", signal);
    }
    let promise = container.get_with_options(request.unchecked_ref()).map_err(failure)?;
    let cred = JsFuture::from(promise).await.map_err(failure)?;
    if cred.is_null() {
        return Err(Failure::Cancelled);
    }
    Ok(answer(&cred, &["authenticatorData", "clientDataJSON", "signature", "userHandle"]))
}

/// Whether the browser can offer passkeys in autofill.
pub async fn conditional_available() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let pkc = get(&window, "PublicKeyCredential");
    let Some(f) = get(&pkc, "isConditionalMediationAvailable").dyn_into::<js_sys::Function>().ok() else {
        return false;
    };
    match f.call0(&pkc).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        None => false,
    }
}

/// A default name for a new passkey: the browser and system, as people recognise them.
pub fn default_name() -> String {
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|b| ua.contains(*b))
        .map(|b| match *b {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        })
        .map(str::to_owned)
        .unwrap_or_else(|| say("passkey-default-browser", &[]));
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Mac OS", "macOS"),
        ("Windows", "Windows"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, v)| *v);
    match system {
        Some(system) => say("passkey-default-name", &[("browser", browser.into()), ("system", system.into())]),
        None => browser.to_owned(),
    }
}
