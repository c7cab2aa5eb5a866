//! Compiled to WASM only; hydrates the HTML the server already sent.
// Leptos view types nest deeply; the release build needs the higher limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic also leaves its message on <body data-panic>, where a browser
    // test that waits in vain can report it.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-panic", &info.to_string());
        }
    }));
    // Lazy routes hydrate once their code has arrived.
    leptos::mount::hydrate_lazy(app::App);
}
