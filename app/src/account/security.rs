//! `/Account/Security`: the signed-in person's authenticator app (replaced on its own page),
//! passkeys (list, add, rename, remove), recovery codes, sessions and recent security events.
//! Adding and removing passkeys and new recovery codes need a recent full sign-in; otherwise
//! the page asks for the authentication code first (step-up) and then carries on.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::account::authenticator::{authenticator, AuthenticatorSection, AuthenticatorView};
use crate::account::events::{security_events, EventView, EventsSection};
use crate::account::kept_notice;
use crate::account::passkeys::{passkeys, PasskeyView};
use crate::account::recovery::recovery_codes_left;
use crate::account::session::current_user;
use crate::account::sessions::{sessions, SessionView, SessionsSection};
use crate::components::CodeField;
use crate::error::AppError;
use crate::i18n::{t, t_with};

/// A change waiting for step-up.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    Add(String),
    Remove(PasskeyView),
    /// A new set of recovery codes; the browser then goes to the page that shows it.
    RegenerateRecoveryCodes,
}

/// Messages shown above the list: what just happened, or what went wrong.
#[derive(Clone, Copy)]
struct Feedback {
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    /// The change that needs a fresh code before it can go ahead.
    step_up: RwSignal<Option<Change>>,
    busy: RwSignal<bool>,
    /// Bumped after every change so the list reloads.
    version: RwSignal<u32>,
}

impl Feedback {
    fn new() -> Self {
        Feedback {
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            step_up: RwSignal::new(None),
            busy: RwSignal::new(false),
            version: RwSignal::new(0),
        }
    }

    /// Runs a change in the browser and reports how it went.
    fn run(self, change: Change) {
        self.busy.set(true);
        self.error.set(None);
        self.notice.set(None);
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            let outcome = perform(&change).await;
            self.busy.set(false);
            match outcome {
                Ok(done) => {
                    self.step_up.set(None);
                    self.notice.set(Some(done));
                    self.version.update(|v| *v += 1);
                }
                Err(Failed::App(AppError::StepUpRequired)) => self.step_up.set(Some(change)),
                Err(Failed::App(e)) => self.error.set(Some(e.to_string())),
                Err(Failed::Browser(m)) => self.error.set(Some(m).filter(|m| !m.is_empty())),
            }
        });
        #[cfg(not(feature = "browser"))]
        let _ = change;
    }
}

#[cfg_attr(not(feature = "browser"), allow(dead_code))]
enum Failed {
    App(AppError),
    Browser(String),
}

impl From<AppError> for Failed {
    fn from(e: AppError) -> Self {
        Failed::App(e)
    }
}

#[cfg(feature = "browser")]
async fn perform(change: &Change) -> Result<String, Failed> {
    use crate::account::passkeys::{passkey_add_finish, passkey_add_start, passkey_remove};
    match change {
        Change::Add(name) => {
            // The server checks the name too, but only after the device has made the
            // passkey: a name it would refuse must stop before the dialog, or the device
            // keeps a passkey that was never registered.
            if let Some(problem) = name_problem(name) {
                return Err(Failed::App(AppError::Invalid(problem)));
            }
            let challenge = passkey_add_start().await?;
            let credential = gatehouse_browser::webauthn::create(&challenge.options)
                .await
                .map_err(|f| Failed::Browser(f.message()))?;
            let added = passkey_add_finish(challenge.ceremony, credential, name.clone()).await?;
            Ok(t_with("security-passkey-added", [("name", FluentValue::from(added.name))]))
        }
        Change::Remove(p) => {
            passkey_remove(p.id.clone()).await?;
            Ok(t_with("security-passkey-removed", [("name", FluentValue::from(p.name.as_str()))]))
        }
        // Never without its own proof, however recent the sign-in: the step-up form asks for
        // it and sends it along (see `StepUp`).
        Change::RegenerateRecoveryCodes => Err(Failed::App(AppError::StepUpRequired)),
    }
}

/// The longest passkey name the server accepts.
const NAME_MAX: usize = 64;
#[cfg(feature = "ssr")]
const _: () = assert!(NAME_MAX == gatehouse_core::passkey::NAME_MAX_CHARS);

/// The server's rule for passkey names (`gatehouse_core::passkey::clean_name`): 1 to 64
/// characters once trimmed, no control characters.
#[cfg_attr(not(feature = "browser"), allow(dead_code))]
fn name_problem(name: &str) -> Option<String> {
    const MAX: usize = NAME_MAX;
    let name = name.trim();
    let count = name.chars().count();
    (count == 0 || count > MAX || name.chars().any(char::is_control))
        .then(|| t_with("security-passkey-name-problem", [("max", FluentValue::from(MAX))]))
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let feedback = Feedback::new();
    // Signed out is a redirect, not an error: the 401 of `passkeys` would stick to the page.
    let list = Resource::new_blocking(
        move || feedback.version.get(),
        |_| async move {
            match current_user().await? {
                Some(_) => Ok(Some(Lists {
                    passkeys: passkeys().await?,
                    sessions: sessions().await?,
                    events: security_events().await?,
                    recovery_left: recovery_codes_left().await?,
                    authenticator: authenticator().await?,
                    password_notice: kept_notice(crate::account::password::NOTICE).await?,
                    sessions_notice: kept_notice(crate::account::sessions::NOTICE).await?,
                    language: crate::account::language::my_language().await?,
                    language_notice: kept_notice(crate::account::language::NOTICE).await?,
                })),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=t("security-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(Some(lists)) => view! { <Security lists feedback/> }.into_any(),
                    Ok(None) | Err(AppError::NotSignedIn) => view! { <Redirect path="/Account/Login"/> }.into_any(),
                    Err(e) => view! { <section class="card"><p class="error" role="alert">{e.to_string()}</p></section> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Everything the page lists, loaded at once.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Lists {
    passkeys: Vec<PasskeyView>,
    sessions: Vec<SessionView>,
    events: Vec<EventView>,
    recovery_left: u64,
    authenticator: Option<AuthenticatorView>,
    /// What a change posted without the page's script said (password, sessions).
    password_notice: Option<String>,
    sessions_notice: Option<String>,
    /// The person's choice of language (none: their browser's).
    language: Option<String>,
    language_notice: Option<String>,
}

#[component]
fn Security(lists: Lists, feedback: Feedback) -> impl IntoView {
    let Lists {
        passkeys: items,
        sessions,
        events,
        recovery_left,
        authenticator,
        password_notice,
        sessions_notice,
        language,
        language_notice,
    } = lists;
    let empty = items.is_empty();
    // Its own messages and step-up, next to its button rather than above the passkeys.
    let recovery = Feedback::new();
    let query = leptos_router::hooks::use_query_map();
    let used_recovery_code = move || query.read().get("recovery_codes_left").map(|_| t("security-used-recovery-code"));
    view! {
        <section class="card" aria-labelledby="security-title">
            <h1 id="security-title">{t("security-title")}</h1>
            <p class="aside"><a href="/">{t("security-back")}</a></p>
            <AuthenticatorSection app=authenticator/>
            <h2 id="passkeys-title">{t("security-passkeys-title")}</h2>
            <p>{t("security-passkeys-lead")}</p>
            <p class="notice" role="status" data-testid="passkeys-notice">{move || feedback.notice.get()}</p>
            <p class="error" role="alert">{move || feedback.error.get()}</p>
            <StepUp feedback/>
            {if empty {
                view! { <p data-testid="no-passkeys">{t("security-no-passkeys")}</p> }.into_any()
            } else {
                view! {
                    <table class="records" aria-labelledby="passkeys-title">
                        <thead><tr>
                            <th scope="col">{t("security-column-name")}</th><th scope="col">{t("security-column-created")}</th>
                            <th scope="col">{t("security-column-last-used")}</th><th scope="col"><span class="visually-hidden">{t("security-column-actions")}</span></th>
                        </tr></thead>
                        <tbody>{items.into_iter().map(|p| view! { <PasskeyRow passkey=p feedback/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            <AddPasskey feedback/>
            <crate::account::recovery::RecoverySection left=recovery_left
                regenerate=move |_| recovery.run(Change::RegenerateRecoveryCodes)/>
            <p class="notice" role="status" data-testid="recovery-notice">{used_recovery_code}</p>
            <p class="error" role="alert" data-testid="recovery-error">{move || recovery.error.get()}</p>
            <StepUp feedback=recovery/>
            <crate::account::password::PasswordSection kept=password_notice/>
            <SessionsSection sessions kept=sessions_notice/>
            <crate::account::language::LanguageSection chosen=language kept=language_notice/>
            <EventsSection events/>
        </section>
        <crate::account::idle::IdleWarning/>
    }
}

#[component]
fn AddPasskey(feedback: Feedback) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let hydrated = crate::components::hydrated();
    #[cfg(feature = "browser")]
    Effect::new(move |_| {
        if name.get_untracked().is_empty() {
            name.set(gatehouse_browser::webauthn::default_name());
        }
    });
    view! {
        <form class="add-passkey" on:submit=move |ev| {
            ev.prevent_default();
            feedback.run(Change::Add(name.get_untracked()));
        }>
            <div class="field">
                <label for="passkey-name">{t("security-passkey-name")}</label>
                <input id="passkey-name" type="text" maxlength="64" required aria-describedby="passkey-name-hint"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <p id="passkey-name-hint" class="hint">{t("security-passkey-name-hint")}</p>
            </div>
            <button type="submit" class="primary" disabled=move || !hydrated.get() || feedback.busy.get()>{t("security-add-passkey")}</button>
        </form>
    }
}

#[component]
fn PasskeyRow(passkey: PasskeyView, feedback: Feedback) -> impl IntoView {
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let name = RwSignal::new(passkey.name.clone());
    let draft = RwSignal::new(passkey.name.clone());
    let rename_error = RwSignal::new(None::<String>);
    let id = passkey.id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, new_name) = (id.clone(), draft.get_untracked());
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            match crate::account::passkeys::passkey_rename(id, new_name).await {
                Ok(saved) => {
                    name.set(saved);
                    editing.set(false);
                    rename_error.set(None);
                }
                Err(e) => rename_error.set(Some(e.to_string())),
            }
        });
        #[cfg(not(feature = "browser"))]
        let _ = (id, new_name);
    };
    let remove = passkey.clone();
    let hydrated = crate::components::hydrated();
    view! {
        <tr data-testid="passkey">
            <td>
                <Show when=move || editing.get() fallback=move || view! { <span class="passkey-name">{move || name.get()}</span> }>
                    <form class="inline" on:submit=save.clone()>
                        <label class="visually-hidden" for=format!("rename-{}", passkey.id)>{t("security-new-name")}</label>
                        <input id=format!("rename-{}", passkey.id) type="text" maxlength="64" required
                            prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                        <button type="submit" class="secondary">{t("security-save")}</button>
                        <button type="button" class="toggle" on:click=move |_| editing.set(false)>{t("security-cancel")}</button>
                        <p class="error" role="alert">{move || rename_error.get()}</p>
                    </form>
                </Show>
            </td>
            <td data-label=t("security-column-created")>{passkey.created_at.clone()}</td>
            <td data-label=t("security-column-last-used")>{passkey.last_used_at.clone().unwrap_or_else(|| t("security-never-used"))}</td>
            <td class="actions">
                <Show when=move || confirming.get() fallback=move || view! {
                    // While renaming, the form's own Save and Cancel are the only actions.
                    <Show when=move || !editing.get()>
                        <button type="button" class="toggle" disabled=move || !hydrated.get()
                            on:click=move |_| { draft.set(name.get_untracked()); editing.set(true) }>{t("security-rename")}</button>
                        <button type="button" class="toggle" disabled=move || !hydrated.get()
                            on:click=move |_| confirming.set(true)>{t("security-remove")}</button>
                    </Show>
                }>
                    {
                        let remove = remove.clone();
                        view! {
                            <span>{t("security-remove-question")}" "</span>
                            <button type="button" class="danger"
                                on:click=move |_| feedback.run(Change::Remove(PasskeyView { name: name.get_untracked(), ..remove.clone() }))>
                                {t("security-remove-yes")}
                            </button>
                            <button type="button" class="toggle" on:click=move |_| confirming.set(false)>{t("security-cancel")}</button>
                        }
                    }
                </Show>
            </td>
        </tr>
    }
}

/// Asks for a fresh code (or a passkey) before the waiting change goes ahead. New recovery
/// codes take the code along with them: it is given to the request that makes them, never
/// only a recent sign-in, and never a passkey (a borrowed browser could add its own).
#[component]
fn StepUp(feedback: Feedback) -> AnyView {
    let error = RwSignal::new(None::<String>);
    #[cfg(feature = "browser")]
    let proved = move |outcome: Result<(), String>| match outcome {
        Ok(()) => {
            error.set(None);
            match feedback.step_up.get_untracked() {
                Some(Change::RegenerateRecoveryCodes) => {
                    let _ = window().location().assign("/Account/RecoveryCodes");
                }
                Some(change) => feedback.run(change),
                None => {}
            }
        }
        Err(m) => error.set(Some(m).filter(|m| !m.is_empty())),
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "browser")]
        {
            use wasm_bindgen::JsCast;
            let form = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
            let code = form
                .and_then(|f| f.elements().named_item("code"))
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            leptos::task::spawn_local(async move {
                let outcome = match feedback.step_up.get_untracked() {
                    Some(Change::RegenerateRecoveryCodes) => {
                        crate::account::recovery::regenerate_recovery_codes(code).await
                    }
                    _ => crate::account::passkeys::step_up(code).await,
                };
                proved(outcome.map_err(|e| e.to_string()));
            });
        }
    };
    let with_passkey = move |_| {
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            proved(crate::account::passkeys::step_up_in_browser().await);
        });
    };
    let why = move || match feedback.step_up.get() {
        Some(Change::RegenerateRecoveryCodes) => t("security-step-up-recovery-codes"),
        _ => t("security-step-up-not-recent"),
    };
    view! {
        <Show when=move || feedback.step_up.get().is_some()>
            <div class="step-up" role="group" aria-labelledby="step-up-title">
                <h3 id="step-up-title">{t("security-step-up-title")}</h3>
                <p>{why}</p>
                <form on:submit=confirm>
                    <CodeField/>
                    <p class="error" role="alert">{move || error.get()}</p>
                    <button type="submit" class="primary">{t("security-step-up-confirm")}</button>
                    <Show when=move || feedback.step_up.get() != Some(Change::RegenerateRecoveryCodes)>
                        <button type="button" class="secondary" on:click=with_passkey>{t("security-step-up-passkey")}</button>
                    </Show>
                    <button type="button" class="toggle" on:click=move |_| feedback.step_up.set(None)>{t("security-cancel")}</button>
                </form>
            </div>
        </Show>
    }
    .into_any()
}
