//! The search box in the header: customers, contacts, deals, contracts and
//! quotes as you type, by name, phone, email, deal title or number, picked
//! with the mouse or the arrow keys. A deal, contract or quote opens its
//! page, anything else its customer's.

use guanxi_core::model::{DocumentKind, Hit, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::customers::search;
use crate::i18n::{Msg, fill, use_i18n};

/// Waits this long after the last keystroke before asking the server.
const DEBOUNCE_MS: u64 = 150;

/// Searches as `text` changes, keeping only the answer to the latest text.
pub fn use_search(text: RwSignal<String>) -> RwSignal<Option<Vec<Hit>>> {
    let hits = RwSignal::new(None::<Vec<Hit>>);
    let generation = StoredValue::new(0u64);
    Effect::new(move || {
        let q = text.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if q.trim().is_empty() {
            hits.set(None);
            return;
        }
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = search(q).await.unwrap_or_default();
                    if generation.get_value() == mine {
                        hits.set(Some(found));
                    }
                });
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    });
    hits
}

/// How a hit reads in a list: the deal or the contact with its company, or
/// the company.
pub fn hit_text(hit: &Hit, locale: Locale) -> String {
    if let Some(document) = &hit.document {
        let msg = match document.kind {
            DocumentKind::Quote => Msg::QuoteHit,
            DocumentKind::Contract => Msg::ContractHit,
        };
        return fill(
            msg.text(locale),
            &[
                ("number", &document.number),
                ("customer", &hit.customer_name),
            ],
        );
    }
    if let Some(deal) = &hit.deal_title {
        return fill(
            Msg::DealHit.text(locale),
            &[("deal", deal), ("customer", &hit.customer_name)],
        );
    }
    match &hit.contact_name {
        Some(contact) => fill(
            Msg::ContactOf.text(locale),
            &[("contact", contact), ("customer", &hit.customer_name)],
        ),
        None => hit.customer_name.clone(),
    }
}

/// Where a hit leads: the contract's, quote's or deal's page, or the
/// customer's.
pub fn hit_href(hit: &Hit) -> String {
    if let Some(document) = &hit.document {
        return match document.kind {
            DocumentKind::Quote => format!("/quotes/{}", document.id),
            DocumentKind::Contract => format!("/contracts/{}", document.id),
        };
    }
    match hit.deal_id {
        Some(deal) => format!("/deals/{deal}"),
        None => format!("/customers/{}", hit.customer),
    }
}

#[component]
pub fn HeaderSearch() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let hits = use_search(text);
    let active = RwSignal::new(0usize);
    let open = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let navigate = use_navigate();
    let go = Callback::new(move |hit: Hit| {
        open.set(false);
        text.set(String::new());
        navigate(&hit_href(&hit), Default::default());
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = hits.with_untracked(|h| h.as_ref().map_or(0, Vec::len));
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                let picked = hits.with_untracked(|h| {
                    h.as_ref()
                        .and_then(|h| h.get(active.get_untracked()).cloned())
                });
                if let Some(hit) = picked {
                    go.run(hit);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    view! {
        <div class="header-search" role="search">
            <input
                type="search"
                id="header-search"
                autocomplete="off"
                aria-label=i18n.t(Msg::HeaderSearch)
                placeholder=i18n.t(Msg::HeaderSearch)
                prop:value=text
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    active.set(0);
                    open.set(true);
                }
                on:focus=move |_| {
                    focused.set(true);
                    open.set(true);
                }
                on:blur=move |_| {
                    focused.set(false);
                    // Later, so a click on a result is handled first; and not
                    // at all if the box has the focus again by then.
                    set_timeout(
                        move || {
                            if !focused.get_untracked() {
                                open.set(false);
                            }
                        },
                        std::time::Duration::from_millis(200),
                    );
                }
                on:keydown=on_key
            />
            <Show when=move || open.get() && hits.with(Option::is_some)>
                <ul class="search-results" id="search-results" role="listbox">
                    {move || {
                        let found = hits.get().unwrap_or_default();
                        if found.is_empty() {
                            return view! { <li class="muted no-results">{i18n.t(Msg::NoMatches)}</li> }.into_any();
                        }
                        found
                            .into_iter()
                            .enumerate()
                            .map(|(n, hit)| {
                                let label = hit_text(&hit, i18n.now());
                                let (kind, icon) = if let Some(document) = &hit.document {
                                    match document.kind {
                                        DocumentKind::Contract => ("contract", "▣"),
                                        DocumentKind::Quote => ("quote", "▢"),
                                    }
                                } else if hit.deal_id.is_some() {
                                    ("deal", "▤")
                                } else if hit.contact_name.is_some() {
                                    ("contact", "☺")
                                } else {
                                    ("customer", "◆")
                                };
                                view! {
                                    <li
                                        role="option"
                                        class="search-hit"
                                        data-kind=kind
                                        class:active=move || active.get() == n
                                        aria-selected=move || (active.get() == n).to_string()
                                        on:mousedown=move |ev| {
                                            ev.prevent_default();
                                            go.run(hit.clone());
                                        }
                                    >
                                        <span class="hit-icon" aria-hidden="true">{icon}</span>
                                        {label}
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ul>
            </Show>
        </div>
    }
}
