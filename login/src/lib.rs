//! The login page's client (see `gatehouse_browser::login`). Nothing else belongs here.

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    gatehouse_browser::words::install();
    gatehouse_browser::login::enhance();
}
