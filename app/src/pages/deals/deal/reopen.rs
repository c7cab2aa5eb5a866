//! Asking a manager to reopen a closed deal, and how that request went.

use guanxi_core::model::{Id, ReopenRequest, ReopenStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::approvals::request_reopen;
use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn ReopenPanel(
    deal: Id,
    latest: Option<ReopenRequest>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = latest
        .as_ref()
        .is_some_and(|r| r.status == ReopenStatus::Pending);
    let outcome = latest.map(|r| {
        let who = r.decider_name.clone().unwrap_or_default();
        let text = match r.status {
            ReopenStatus::Pending => Msg::ReopenPending.text(locale).to_string(),
            ReopenStatus::Approved => fill(Msg::ReopenApproved.text(locale), &[("name", &who)]),
            ReopenStatus::Rejected => fill(Msg::ReopenRejected.text(locale), &[("name", &who)]),
        };
        let note = r.decision_note.filter(|n| !n.is_empty());
        view! {
            <p id="reopen-status">
                {text}
                {note.map(|n| view! { <span class="muted">" — " {n}</span> })}
            </p>
        }
    });
    let ask = move |_| {
        let text = note.get_untracked();
        spawn_local(async move {
            match request_reopen(deal, text).await {
                Ok(_) => {
                    error.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <section class="card reopen-panel">
            <h2>{i18n.t(Msg::ReopenTitle)}</h2>
            {outcome}
            {(!pending).then(|| view! {
                <div class="inline-form">
                    <input type="text" id="reopen-note" placeholder=i18n.t(Msg::ReopenWhy) aria-label=i18n.t(Msg::ReopenWhy)
                        on:input=move |ev| note.set(event_target_value(&ev)) />
                    <button type="button" class="btn" id="request-reopen" on:click=ask>{i18n.t(Msg::RequestReopen)}</button>
                </div>
            })}
            {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </section>
    }
}
