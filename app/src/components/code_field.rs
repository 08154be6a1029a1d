use leptos::prelude::*;

use crate::i18n::t;

/// The **Authentication code** input: digits only, filled in by one-time-code autofill on
/// phones, spaces tolerated (the server removes them). `id` tells it apart from another code
/// field on the same page (the Security page's step-up and password forms).
#[component]
pub fn CodeField(#[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    let id = id.unwrap_or("code");
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{t("components-code-label")}</label>
            <input id=id name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                pattern="[0-9 ]*" maxlength="7" required class="code" aria-describedby=hint.clone()/>
            <p id=hint class="hint">{t("components-code-hint")}</p>
        </div>
    }
}
