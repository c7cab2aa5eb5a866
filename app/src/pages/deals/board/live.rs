//! Other people's moves, over server-sent events.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;

use super::BoardState;

/// Listens for deal changes while the board is open and reloads it, at most
/// a few times a second; a reconnect (the server restarted) reloads too, as
/// events may have been missed. The returned flag is on while connected.
pub fn use_live_updates(board: BoardState) -> RwSignal<bool> {
    let live = RwSignal::new(false);
    Effect::new(move || {
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let reload_soon = StoredValue::new_local(false);
        let schedule = move || {
            if reload_soon.get_value() {
                return;
            }
            reload_soon.set_value(true);
            set_timeout(
                move || {
                    reload_soon.set_value(false);
                    board.reload();
                },
                std::time::Duration::from_millis(150),
            );
        };
        let connected_before = StoredValue::new_local(false);
        let on_hello = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            live.set(true);
            if connected_before.get_value() {
                schedule();
            }
            connected_before.set_value(true);
        });
        let on_deal = leptos::wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
            move |ev: web_sys::MessageEvent| {
                let pipeline = ev
                    .data()
                    .as_string()
                    .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
                    .and_then(|event| event["pipeline_id"].as_str().map(str::to_string));
                let shown = board
                    .shown
                    .with_untracked(|b| b.as_ref().map(|b| b.pipeline.id.to_string()));
                if pipeline.is_none() || pipeline == shown {
                    schedule();
                }
            },
        );
        let on_error =
            leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || live.set(false));
        let _ = source.add_event_listener_with_callback("hello", on_hello.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("deal", on_deal.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("resync", on_hello.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let closures = StoredValue::new_local((on_hello, on_deal, on_error));
        let source = StoredValue::new_local(source);
        on_cleanup(move || {
            source.with_value(|s| s.close());
            closures.dispose();
        });
    });
    live
}
