//! Compiled to WASM only; hydrates the HTML the server already sent.
// Leptos view types nest deeply; the release build needs the higher limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
