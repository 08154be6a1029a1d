//! `/support/new`: the support request form, reachable signed out (the owner may be the one
//! locked out), prefilled from **Can't log in?** (`?reset=1`) and from the Users page
//! (`?for=EMAIL`, the requester then being the signed-in owner or co-owner). It posts to
//! `POST /support/requests`; with JavaScript by `XMLHttpRequest` with progress, keeping
//! everything on the page when something is refused; without, as a plain form whose answer
//! comes back as `?sent=REFERENCE` (`&confirm=1` when filed signed out) or `?problem=CODE`.
//! Filed signed out, the request reaches support only once its requester confirms it from
//! their mailbox (`/support/confirm`, in `confirm.rs`).

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::zones::{DropZone, Files};
use super::{area_words, too_many_files, Zone};
use crate::account::session::{current_user, SignedInUser};
use crate::i18n::{t, t_with};

/// What the form starts with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Prefill {
    requester_email: String,
    /// Signed in: the server takes the requester from the session, whatever is typed.
    requester_fixed: bool,
    /// The signed-in requester's role (`owner`, `co-owner`), when they manage an account.
    role: Option<&'static str>,
    account_name: String,
    subject: String,
    target_email: String,
    owner_self: bool,
}

impl Prefill {
    fn new(me: Option<SignedInUser>, reset: bool, target: Option<String>) -> Self {
        let target_email = target.unwrap_or_default();
        let subject = if reset || !target_email.is_empty() { t("support-subject-reset") } else { String::new() };
        let Some(me) = me else { return Prefill { subject, target_email, ..Prefill::default() } };
        let role = match me.role.as_str() {
            "owner" => Some("owner"),
            "co-owner" => Some("co-owner"),
            _ => None,
        };
        Prefill {
            owner_self: me.role == "owner" && target_email.eq_ignore_ascii_case(&me.email),
            requester_email: me.email,
            requester_fixed: true,
            role,
            account_name: me.account.unwrap_or_default(),
            subject,
            target_email,
        }
    }
}

/// The seed's sentence, filled in with what is known so far (`role`: `owner`, `co-owner`).
fn description(role: Option<&str>, owner_self: bool, requester: &str, target: &str) -> String {
    let role = if owner_self { "owner" } else { role.unwrap_or("unknown") };
    let whom = if owner_self { requester } else { target };
    let whom = if whom.trim().is_empty() { t("support-description-seed-whom") } else { whom.trim().to_owned() };
    t_with("support-description-seed", [("role", FluentValue::from(role)), ("whom", FluentValue::from(whom))])
}

/// What a plain form post came back with (`server/src/http/support.rs`, `Problem`).
fn problem_words(code: &str) -> Option<String> {
    let id = match code {
        "invalid" => "support-problem-invalid",
        "file" => "support-problem-file",
        "too-many" => return Some(too_many_files()),
        "too-large" => "support-problem-too-large",
        "owner-documents" => "support-problem-owner-documents",
        "not-yours" => "support-problem-not-yours",
        "busy" => "support-problem-busy",
        "later" => "support-problem-later",
        "slow" => "support-problem-slow",
        "broken" => "support-problem-broken",
        _ => return None,
    };
    Some(t(id))
}

/// `GH-` and six characters of the reference alphabet: anything else in `?sent=` is ignored.
fn is_reference(s: &str) -> bool {
    s.strip_prefix("GH-").is_some_and(|c| {
        c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
    })
}

#[component]
pub fn SupportRequestPage() -> impl IntoView {
    let query = use_query_map();
    let me = Resource::new_blocking(|| (), |_| current_user());
    let sent = RwSignal::new(
        query.with_untracked(|q| q.get("sent").filter(|r| is_reference(r)).map(|r| (r, q.get("confirm").is_some()))),
    );
    view! {
        <Title text=t("support-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let me = me.await.ok().flatten();
                let (reset, target, problem) = query.with_untracked(|q| {
                    (q.get("reset").is_some(), q.get("for"), q.get("problem").and_then(|p| problem_words(&p)))
                });
                let prefill = Prefill::new(me, reset, target);
                view! {
                    <Show when=move || sent.get().is_some()
                        fallback=move || view! { <RequestForm prefill=prefill.clone() problem=problem.clone() sent/> }>
                        {move || sent.get().map(|(reference, confirm)| view! { <Received reference confirm/> })}
                    </Show>
                }
            })}
        </Suspense>
    }
}

/// After sending: signed in, the request is with support; signed out, it waits for the
/// requester to open the link mailed to them.
#[component]
fn Received(reference: String, confirm: bool) -> impl IntoView {
    if confirm {
        return view! {
            <section class="card" aria-labelledby="received-title">
                <h1 id="received-title" tabindex="-1">{t("support-confirm-title")}</h1>
                <p role="status">{t("support-confirm-status-before")}" "<strong data-testid="reference">{reference}</strong>
                    " "{t("support-confirm-status-after")}</p>
                <p>{t("support-confirm-lead")}</p>
                <p class="aside"><a href="/Account/Login">{t("support-back-to-login")}</a></p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="received-title">
            <h1 id="received-title" tabindex="-1">{t("support-received-title")}</h1>
            <p role="status">{t("support-received-reference-before")}" "<strong data-testid="reference">{reference}</strong>
                {t("support-received-reference-after")}</p>
            <p>{t("support-received-lead")}</p>
            <p class="aside"><a href="/Account/Login">{t("support-back-to-login")}</a></p>
        </section>
    }
    .into_any()
}

#[component]
fn RequestForm(prefill: Prefill, problem: Option<String>, sent: RwSignal<Option<(String, bool)>>) -> impl IntoView {
    let files = Files::new();
    let enhanced = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(problem);
    let requester = RwSignal::new(prefill.requester_email.clone());
    let target = RwSignal::new(prefill.target_email.clone());
    let owner_self = RwSignal::new(prefill.owner_self);
    let role = prefill.role;
    let initial = description(role, prefill.owner_self, &prefill.requester_email, &prefill.target_email);
    let text = RwSignal::new(initial.clone());
    // Until the person writes their own, the description follows what they fill in.
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        let next = description(role, owner_self.get(), &requester.get(), &target.get());
        if !edited.get_untracked() {
            text.set(next);
        }
    });
    Effect::new(move |_| enhanced.set(true));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if owner_self.get_untracked() {
            if let Some(missing) = files.missing_owner_proof() {
                error.set(Some(missing));
                return;
            }
        }
        #[cfg(feature = "browser")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
            busy.set(true);
            error.set(None);
            let entries = files.entries();
            leptos::task::spawn_local(async move {
                let outcome = super::send::send(&form, &entries, move |n| files.show_progress(n)).await;
                busy.set(false);
                files.hide_progress();
                match outcome {
                    Ok(answer) => {
                        files.clear();
                        sent.set(Some(answer));
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                        if let Some(h) = document().get_element_by_id("received-title") {
                            let _ = h.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    }
                    Err(message) => error.set(Some(message)),
                }
            });
        }
        #[cfg(not(feature = "browser"))]
        let _ = sent;
    };
    let alert = move || error.get().or_else(|| files.error.get());
    // Built apart and type-erased: one view this deep overflows the compiler's query depth.
    let fields = view! {
        <div class="field">
            <label for="area">{t("support-area")}</label>
            <select id="area" name="area">
                <option value="Account" selected>{area_words("Account")}</option>
                <option value="Billing">{area_words("Billing")}</option>
                <option value="Subscription">{area_words("Subscription")}</option>
            </select>
        </div>
        <div class="field">
            <label for="requester_email">{t("support-requester-email")}</label>
            <input id="requester_email" name="requester_email" type="email" required maxlength="254"
                autocomplete="email" readonly=prefill.requester_fixed aria-describedby="requester-hint"
                value=prefill.requester_email.clone() on:input=move |ev| requester.set(event_target_value(&ev))/>
            {if prefill.requester_fixed {
                view! { <p class="hint" id="requester-hint">{t("support-requester-signed-in")}</p> }.into_any()
            } else {
                view! { <p class="hint" id="requester-hint">{t("support-requester-confirm")}</p> }.into_any()
            }}
        </div>
        <div class="field">
            <label for="account_name">{t("support-account-name")}</label>
            <input id="account_name" name="account_name" type="text" required maxlength="200"
                autocomplete="organization" value=prefill.account_name.clone()/>
        </div>
        <div class="field">
            <label for="subject">{t("support-subject")}</label>
            <input id="subject" name="subject" type="text" required maxlength="200" value=prefill.subject.clone()/>
        </div>
        <div class="field check">
            <input id="owner_self" name="owner_self" type="checkbox" value="on" checked=prefill.owner_self
                on:change=move |ev| owner_self.set(event_target_checked(&ev))/>
            <label for="owner_self">{t("support-owner-self")}</label>
        </div>
        <div class="field target-field">
            <label for="target_email">{t("support-target-email")}</label>
            <input id="target_email" name="target_email" type="email" maxlength="254" aria-describedby="target-hint"
                value=prefill.target_email.clone() on:input=move |ev| target.set(event_target_value(&ev))/>
            <p class="hint" id="target-hint">{t("support-target-hint")}</p>
        </div>
        <div class="field">
            <label for="description">{t("support-description")}</label>
            <textarea id="description" name="description" required maxlength="5000" rows="4"
                prop:value=move || text.get()
                on:input=move |ev| { edited.set(true); text.set(event_target_value(&ev)); }>{initial}</textarea>
        </div>
    }
    .into_any();
    let zones = view! {
        <fieldset class="owner-proof">
            <legend>{t("support-documents-legend")}</legend>
            <p class="hint">{t("support-documents-hint")}</p>
            {Zone::ALL.into_iter().filter(|z| z.owner_proof())
                .map(|zone| view! { <DropZone zone files enhanced/> }).collect_view()}
        </fieldset>
        <DropZone zone=Zone::Attachments files enhanced/>
    }
    .into_any();

    view! {
        <section class="card" aria-labelledby="support-title">
            <h1 id="support-title">{t("support-title")}</h1>
            <p class="lead">{t("support-lead")}</p>
            <form class="support-form" method="post" action="/support/requests" enctype="multipart/form-data" on:submit=submit>
                {fields}
                {zones}
                <p class="error" role="alert">{alert}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { t("support-sending") } else { t("support-send") }}
                </button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_follows_the_form_until_written_by_hand() {
        assert_eq!(
            description(None, false, "", ""),
            "I, the [account owner / co-owner], ask for 2FA to be reset for [user's email]."
        );
        assert_eq!(
            description(Some("co-owner"), false, "co@acme.test", "bob@acme.test"),
            "I, the co-owner, ask for 2FA to be reset for bob@acme.test."
        );
        assert_eq!(
            description(None, true, "ann@acme.test", "bob@acme.test"),
            "I, the account owner, ask for 2FA to be reset for ann@acme.test."
        );
    }

    #[test]
    fn only_references_come_back_on_the_page() {
        assert!(is_reference("GH-7K2M9Q"));
        for bad in ["GH-7K2M9", "GH-7K2M9QX", "GH-7K2MOQ", "gh-7K2M9Q", "GH-<b>xy", ""] {
            assert!(!is_reference(bad), "{bad}");
        }
    }
}
