use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// A modal panel over the page; Escape or the close button dismisses it.
#[component]
pub fn Dialog(title: Signal<String>, open: RwSignal<bool>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let children = StoredValue::new(children);
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:click=move |_| open.set(false)></div>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div class="dialog-head">
                    <h2>{move || title.get()}</h2>
                    <button type="button" class="btn btn-icon" aria-label=i18n.t(Msg::Close) on:click=move |_| open.set(false)>
                        "×"
                    </button>
                </div>
                {children.read_value()()}
            </div>
        </Show>
    }
}
