//! Hydrates the server-rendered page into the reactive client. Nothing else belongs here.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::i18n::install();
    leptos::mount::hydrate_lazy(app::App);
}
