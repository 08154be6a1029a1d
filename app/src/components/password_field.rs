use leptos::prelude::*;

use crate::i18n::t;

/// A password input with a **Show password** toggle. The toggle needs the hydrated client;
/// before that the field works as a plain password input.
#[component]
pub fn PasswordField(
    /// The accessible name, e.g. "Password", in the page's language.
    #[prop(into)]
    label: String,
    /// The form field name the server function expects.
    name: &'static str,
    /// `current-password` or `new-password`.
    autocomplete: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    let visible = RwSignal::new(false);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="password-row">
                <input
                    id=id
                    name=name
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    aria-describedby=described_by
                    required
                    maxlength="1024"
                />
                <button
                    type="button"
                    class="toggle"
                    // For the login page's own client, which has no messages of its own.
                    data-show=t("login-show-password")
                    data-hide=t("login-hide-password")
                    aria-controls=id
                    aria-pressed=move || visible.get().to_string()
                    on:click=move |_| visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { t("login-hide-password") } else { t("login-show-password") }}
                </button>
            </div>
        </div>
    }
}

/// The rule for a new password, under its field (`id` for the field's `aria-describedby`).
#[component]
pub fn NewPasswordHint(id: &'static str) -> impl IntoView {
    view! {
        <p id=id class="hint">{t("components-new-password-hint")}</p>
    }
}
