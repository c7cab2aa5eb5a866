//! Picking a customer by typing part of its name, as the deal and quote
//! forms do.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;

use crate::api::customers::search;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};

/// Choosing a customer by typing part of its name; `chosen` holds the
/// pick. `prefix` names the element ids (`f-<prefix>-customer`,
/// `<prefix>-customer-name`), so a form's own ids stay stable.
#[component]
pub fn CustomerPicker(
    chosen: RwSignal<Option<(Id, String)>>,
    prefix: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let hits = Resource::new(
        move || typed.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search(q).await
            }
        },
    );
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::Customer))
            .map(|e| e.text(i18n.locale.get()))
    };
    view! {
        <div class="field customer-picker">
            <label for=format!("f-{prefix}-customer")>{i18n.t(Msg::Customer)}</label>
            {move || match chosen.get() {
                Some((_, name)) => view! {
                    <div class="chosen">
                        <strong id=format!("{prefix}-customer-name")>{name}</strong>
                        " "
                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| chosen.set(None)>{i18n.t(Msg::Change)}</button>
                    </div>
                }
                .into_any(),
                None => view! {
                    <input id=format!("f-{prefix}-customer") type="search" autocomplete="off"
                        placeholder=i18n.t(Msg::SearchPlaceholder)
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let hits = hits.await.unwrap_or_default();
                            view! {
                                <ul class="picker-hits">
                                    {hits.into_iter().filter(|hit| hit.deal_id.is_none()).map(|hit| {
                                        let label = match &hit.contact_name {
                                            Some(contact) => fill("{customer} · {contact}", &[("customer", &hit.customer_name), ("contact", contact)]),
                                            None => hit.customer_name.clone(),
                                        };
                                        let choice = (hit.customer, hit.customer_name.clone());
                                        view! {
                                            <li><button type="button" class="btn btn-quiet picker-hit" on:click=move |_| chosen.set(Some(choice.clone()))>{label}</button></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                    </Transition>
                }
                .into_any(),
            }}
            {move || message().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </div>
    }
}
