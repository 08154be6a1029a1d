//! Renders the whole app in the browser, without server rendering: `make preview` serves it
//! through Trunk, which passes `/api` (the server functions) on to a running `gatehouse serve`.

fn main() {
    console_error_panic_hook::set_once();
    app::i18n::install();
    leptos::mount::mount_to_body(app::App);
}
