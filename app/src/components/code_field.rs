use leptos::prelude::*;

/// The **Authentication code** input: digits only, filled in by one-time-code autofill on
/// phones, spaces tolerated (the server removes them).
#[component]
pub fn CodeField() -> impl IntoView {
    view! {
        <div class="field">
            <label for="code">"Authentication code"</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                pattern="[0-9 ]*" maxlength="7" required class="code" aria-describedby="code-hint"/>
            <p id="code-hint" class="hint">"6 digits; a new code appears every 30 seconds."</p>
        </div>
    }
}
