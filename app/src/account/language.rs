//! The **Language** setting on the Security page: the person's choice of language for pages
//! and mails, kept with them (so a new browser and every mail follow it) and in this browser's
//! language cookie. A plain form: the page comes back whole, in the new language.

use leptos::prelude::*;

use crate::error::AppResult;
use crate::i18n::{languages, t};

/// Where the plain form's redirect brings the page back, and the notice it shows there.
pub(crate) const NOTICE: &str = "/Account/Security#language";

/// The signed-in person's choice of language, if they made one.
#[server(endpoint = "my_language")]
pub async fn my_language() -> AppResult<Option<String>> {
    Ok(crate::auth::signed_in().await?.language)
}

/// Keeps `language` (a tag the server has, or empty: the browser's) as the signed-in person's.
#[server(endpoint = "set_language")]
pub async fn set_language(language: String) -> AppResult<()> {
    use gatehouse_core::store::Directory;

    use crate::error::AppError;

    let user = crate::auth::signed_in().await?;
    let state = crate::ssr::state()?;
    let chosen = match language.trim() {
        "" => None,
        tag => match state.languages.language(tag) {
            Some(found) => Some(found.clone()),
            None => return Err(crate::ssr::with_status(AppError::Invalid(t("language-unknown")))),
        },
    };
    state.db.set_language(&user.id, chosen.as_ref().map(|m| m.tag())).await.map_err(crate::ssr::internal)?;
    crate::auth::keep_language(chosen.as_ref().map(|m| m.tag()));
    // In the language just chosen, as the page that shows it will be.
    let saved = match &chosen {
        Some(messages) => state.languages.text(messages, "language-saved", None),
        None => t("language-saved"),
    };
    crate::account::keep_notice_for_plain_form(NOTICE, &saved).await?;
    leptos_axum::redirect(NOTICE);
    Ok(())
}

/// The setting, as a plain form (so the whole page comes back in the language chosen).
#[component]
pub fn LanguageSection(chosen: Option<String>, kept: Option<String>) -> impl IntoView {
    let options = languages()
        .into_iter()
        .map(|(tag, name)| {
            let selected = chosen.as_deref() == Some(tag.as_str());
            view! { <option value=tag.clone() lang=tag selected=selected>{name}</option> }
        })
        .collect_view();
    let browsers = chosen.is_none();
    view! {
        <h2 id="language">{t("language-title")}</h2>
        <p class="notice" role="status" data-testid="language-notice">{kept}</p>
        <form method="post" action="/api/set_language" class="language-setting">
            <div class="field">
                <label for="language-choice">{t("language-label")}</label>
                <select id="language-choice" name="language" aria-describedby="language-hint">
                    <option value="" selected=browsers>{t("language-browser")}</option>
                    {options}
                </select>
                <p id="language-hint" class="hint">{t("language-hint")}</p>
            </div>
            <button type="submit" class="secondary">{t("language-save")}</button>
        </form>
    }
}
