//! The login page without Leptos: what its components do once hydrated, done here on the
//! server-rendered page by the login page's own client (`login/`), so that signing in does
//! not download the whole app. The markup is the Leptos page's (`app/src/account/login.rs`);
//! whatever this finds missing stays the plain page, which works without script.
//!
//! - Each form posts to its server function and, if refused, stays with what was typed and
//!   the message under it; a redirect is followed.
//! - **Show password**.
//! - **Sign in with a passkey**, and the passkeys in the User name field's autofill.
//! - Links in a button's role answer Space, as buttons do.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlButtonElement, HtmlFormElement, HtmlInputElement, KeyboardEvent};

use crate::api::{post, Answer};
use crate::passkey::Autofill;

pub fn enhance() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for form in all(&document, "form[method=post][action^='/api/']") {
        if let Ok(form) = form.dyn_into::<HtmlFormElement>() {
            // Says the form is sent from here on, not as a plain post (the tests wait for it).
            let _ = form.set_attribute("data-enhanced", "");
            on(&form.clone(), "submit", move |ev| submit(&form, ev));
        }
    }
    for button in all(&document, "button.toggle[aria-controls]") {
        on(&button.clone(), "click", move |_| toggle_password(&button));
    }
    for link in all(&document, "a[role=button]") {
        on(&link.clone(), "keydown", move |ev| {
            if ev.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == " ") {
                ev.prevent_default();
                if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
                    link.click();
                }
            }
        });
    }
    if let Ok(Some(section)) = document.query_selector(".passkey-sign-in") {
        passkey_button(&document, section);
    }
}

fn all(document: &Document, selector: &str) -> Vec<Element> {
    let Ok(list) = document.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn on(target: &web_sys::EventTarget, event: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    handler.forget();
}

fn submit(form: &HtmlFormElement, ev: Event) {
    let (Some(action), Ok(data)) = (form.get_attribute("action"), web_sys::FormData::new_with_form(form)) else {
        return;
    };
    let Ok(arguments) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
    ev.prevent_default();
    let button =
        form.query_selector("button[type=submit]").ok().flatten().and_then(|b| b.dyn_into::<HtmlButtonElement>().ok());
    // One answer at a time: a second press would spend the same code twice.
    if button.as_ref().is_some_and(HtmlButtonElement::disabled) {
        return;
    }
    let busy = move |yes: bool| {
        if let Some(b) = &button {
            b.set_disabled(yes);
        }
    };
    busy(true);
    let alert = form.query_selector("[role=alert]").ok().flatten();
    wasm_bindgen_futures::spawn_local(async move {
        match post(&action, &arguments).await {
            Ok(Answer::Redirect(to)) => go(&to),
            Ok(Answer::Body(_)) => reload(),
            Err(e) => {
                if let Some(alert) = &alert {
                    // Emptied first, so the same message said twice is announced twice.
                    alert.set_text_content(None);
                    alert.set_text_content(Some(&e.to_string()));
                }
                busy(false);
            }
        }
    });
}

fn go(to: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(to);
    }
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

fn toggle_password(button: &Element) {
    let Some(document) = button.owner_document() else { return };
    let Some(input) = button.get_attribute("aria-controls").and_then(|id| document.get_element_by_id(&id)) else {
        return;
    };
    let Ok(input) = input.dyn_into::<HtmlInputElement>() else { return };
    let show = input.type_() == "password";
    input.set_type(if show { "text" } else { "password" });
    let _ = button.set_attribute("aria-pressed", if show { "true" } else { "false" });
    // The page's language: the server rendered both words on the button.
    let word = button.get_attribute(if show { "data-hide" } else { "data-show" });
    button.set_text_content(word.as_deref());
}

/// The button is rendered disabled (it has no form to post); it works from here on. An error
/// appears under it only while there is something to say, as on the Leptos page.
fn passkey_button(document: &Document, section: Element) {
    let Some(button) =
        section.query_selector("button").ok().flatten().and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
    else {
        return;
    };
    let Ok(error) = document.create_element("p") else { return };
    error.set_class_name("error");
    let _ = error.set_attribute("role", "alert");
    let _ = error.set_attribute("data-testid", "passkey-error");
    let show = {
        let (section, error) = (section.clone(), error.clone());
        move |message: Option<String>| match message.filter(|m| !m.is_empty()) {
            Some(m) => {
                error.set_text_content(Some(&m));
                let _ = section.append_child(&error);
            }
            None => error.remove(),
        }
    };
    let autofill = Autofill::new({
        let show = show.clone();
        move |m| show(Some(m))
    });
    autofill.listen_on_user_name();
    button.set_disabled(false);
    let pressed = button.clone();
    on(&button, "click", move |_| {
        pressed.set_disabled(true);
        show(None);
        let (pressed, show, autofill) = (pressed.clone(), show.clone(), autofill.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(m) = autofill.sign_in_now().await {
                show(Some(m));
            }
            pressed.set_disabled(false);
        });
    });
}
