use leptos::prelude::*;

use crate::i18n::t;

/// The **Recovery code** input: forgiving about case, spaces and hyphens (the server
/// normalises), never autofilled.
#[component]
pub fn RecoveryCodeField() -> impl IntoView {
    view! {
        <div class="field">
            <label for="recovery_code">{t("components-recovery-code-label")}</label>
            <input id="recovery_code" name="recovery_code" type="text" autocomplete="off" autocapitalize="none"
                spellcheck="false" required maxlength="32" class="code" aria-describedby="recovery-hint"/>
            <p id="recovery-hint" class="hint">{t("components-recovery-code-hint")}</p>
        </div>
    }
}
