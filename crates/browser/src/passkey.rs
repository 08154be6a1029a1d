//! Passkey sign-in: challenge, the browser's dialog (or the User name field's autofill),
//! answer, then `/`, signed in. Used by the login page's own client and by the Leptos login
//! page (reached by navigating inside the app).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Reflect, JSON};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{arguments, post, Answer};

/// One passkey sign-in. The error is for the person, empty when there is nothing to say (the
/// request was aborted on purpose).
pub async fn sign_in(conditional: bool, signal: Option<web_sys::AbortSignal>) -> Result<(), String> {
    let Answer::Body(challenge) =
        post("/api/passkey_sign_in_start", &arguments(&[])).await.map_err(|e| e.to_string())?
    else {
        return Err(gatehouse_web_error::AppError::Internal.to_string());
    };
    let challenge = JSON::parse(&challenge).unwrap_or(JsValue::UNDEFINED);
    let field =
        |name: &str| Reflect::get(&challenge, &name.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let (ceremony, options) = (field("ceremony"), field("options"));
    let credential = crate::webauthn::sign_in(&options, conditional, signal.as_ref()).await.map_err(|f| f.message())?;
    let answer =
        post("/api/passkey_sign_in_finish", &arguments(&[("ceremony", &ceremony), ("credential", &credential)]))
            .await
            .map_err(|e| e.to_string())?;
    // A full load, so the page renders with the new session: the start page, or the
    // application whose request waits for this sign-in.
    let to = match answer {
        Answer::Redirect(to) if to.starts_with('/') && !to.starts_with("//") => to,
        _ => "/".to_owned(),
    };
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&to);
    }
    Ok(())
}

/// The passkeys offered in the User name field's autofill (conditional mediation), and the
/// pending request, cancelled when the button is used instead.
#[derive(Clone)]
pub struct Autofill {
    controller: Rc<RefCell<Option<web_sys::AbortController>>>,
    on_error: Rc<dyn Fn(String)>,
}

impl Autofill {
    /// `on_error` shows what went wrong (never called with an empty message).
    pub fn new(on_error: impl Fn(String) + 'static) -> Self {
        Autofill { controller: Rc::default(), on_error: Rc::new(on_error) }
    }

    pub fn cancel(&self) {
        if let Some(c) = self.controller.borrow_mut().take() {
            c.abort();
        }
    }

    /// The button's sign-in: the autofill request gives way to it.
    pub async fn sign_in_now(&self) -> Result<(), String> {
        self.cancel();
        sign_in(false, None).await
    }

    /// Starts the autofill request when the User name field is first focused, where the
    /// browser shows the person's passkeys among its suggestions.
    pub fn listen_on_user_name(&self) {
        let Some(field) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("user_name"))
        else {
            return;
        };
        let this = self.clone();
        let start = Closure::<dyn Fn()>::new(move || this.start());
        let _ = field.add_event_listener_with_callback("focus", start.as_ref().unchecked_ref());
        start.forget();
    }

    fn start(&self) {
        if self.controller.borrow().is_some() {
            return;
        }
        let Ok(controller) = web_sys::AbortController::new() else { return };
        let signal = controller.signal();
        *self.controller.borrow_mut() = Some(controller);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if !crate::webauthn::conditional_available().await {
                return;
            }
            if let Err(m) = sign_in(true, Some(signal.clone())).await {
                // This request is over (refused, or failed): the next focus offers the
                // passkeys again, unless a newer request has taken its place.
                let mut current = this.controller.borrow_mut();
                if current.as_ref().is_some_and(|c| JsValue::from(c.signal()) == JsValue::from(signal.clone())) {
                    *current = None;
                }
                drop(current);
                if !m.is_empty() {
                    (this.on_error)(m);
                }
            }
        });
    }
}
