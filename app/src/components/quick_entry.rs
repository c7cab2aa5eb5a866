//! Quick entry: log an activity or add a task from any page, with the header
//! button or the `N` key, pre-filled with the customer in view.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::activity_fields::ActivityFields;
use super::dialog::Dialog;
use super::header_search::{hit_text, use_search};
use crate::api::customers::{
    ActivityFormChoices, AddTask, LogActivity, activity_choices, get_customer,
};
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::i18n::{Msg, use_i18n};

/// Bumped after a quick entry is saved, so the page in view can reload.
#[derive(Clone, Copy)]
pub struct QuickEntrySaved(pub RwSignal<usize>);

/// The customer whose page is open, if any.
fn customer_in_view(path: &str) -> Option<Id> {
    let rest = path.strip_prefix("/customers/")?;
    rest.split('/').next()?.parse().ok()
}

#[component]
pub fn QuickEntry(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let saved = expect_context::<QuickEntrySaved>().0;
    let location = use_location();
    let customer = RwSignal::new(None::<(Id, String)>);
    // A deal picked in the search box is chosen in the deal field.
    let deal = RwSignal::new(None::<Id>);
    let choices = RwSignal::new(ActivityFormChoices::default());
    let as_task = RwSignal::new(false);
    // Opening on a customer's page picks that customer.
    Effect::new(move || {
        if !open.get() {
            return;
        }
        if let Some(id) = customer_in_view(&location.pathname.get_untracked()) {
            leptos::task::spawn_local(async move {
                if let Ok(view) = get_customer(id).await {
                    customer.set(Some((id, view.customer.name)));
                }
            });
        }
    });
    // The chosen customer's open deals, and now for the time field, each
    // time the dialog opens or the customer changes.
    Effect::new(move || {
        if !open.get() {
            return;
        }
        let id = customer.get().map(|(id, _)| id);
        leptos::task::spawn_local(async move {
            if let Ok(found) = activity_choices(id).await {
                choices.set(found);
            }
        });
    });
    let log = ServerAction::<LogActivity>::new();
    let task = ServerAction::<AddTask>::new();
    Effect::new(move || {
        let done =
            matches!(log.value().get(), Some(Ok(_))) || matches!(task.value().get(), Some(Ok(_)));
        if done {
            open.set(false);
            log.value().set(None);
            task.value().set(None);
            saved.update(|n| *n += 1);
        }
    });
    let log_error = last_error(log.value());
    let task_error = last_error(task.value());
    let customer_id = move || {
        customer
            .get()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default()
    };
    view! {
        <Dialog title=Signal::derive(move || i18n.t(Msg::QuickEntry)().to_string()) open=open>
            <div class="quick-entry" id="quick-entry">
                <CustomerPicker customer=customer deal=deal />
                <div class="scope-tabs" role="tablist">
                    <button type="button" role="tab" class="scope-tab" class:active=move || !as_task.get() id="quick-activity-tab" on:click=move |_| as_task.set(false)>
                        {i18n.t(Msg::LogActivity)}
                    </button>
                    <button type="button" role="tab" class="scope-tab" class:active=move || as_task.get() id="quick-task-tab" on:click=move |_| as_task.set(true)>
                        {i18n.t(Msg::AddTask)}
                    </button>
                </div>
                <Show when=move || !as_task.get()>
                    <ActionForm action=log attr:class="form" attr:id="quick-activity-form">
                        <input type="hidden" name="customer_id" prop:value=customer_id />
                        <ActivityFields
                            prefix="quick"
                            error=log_error
                            now_local=Signal::derive(move || choices.with(|c| c.now_local.clone()))
                            deals=Signal::derive(move || choices.with(|c| c.deals.clone()))
                            deal=deal
                        />
                        <FormAlert error=log_error fields=&[Field::Duration, Field::At, Field::Deal] />
                        <SubmitButton label=Msg::LogActivity pending=log.pending().into() />
                    </ActionForm>
                </Show>
                <Show when=move || as_task.get()>
                    <ActionForm action=task attr:class="form" attr:id="quick-task-form">
                        <input type="hidden" name="customer_id" prop:value=customer_id />
                        <div class="field-row">
                            <TextField label=Msg::TaskTitle name="title" field=Field::Text error=task_error required=true />
                            <TextField label=Msg::Due name="due" field=Field::Due error=task_error kind="datetime-local" required=true />
                        </div>
                        <FormAlert error=task_error fields=&[Field::Text, Field::Due] />
                        <SubmitButton label=Msg::AddTask pending=task.pending().into() />
                    </ActionForm>
                </Show>
            </div>
        </Dialog>
    }
}

/// Shows the chosen customer, or a search box to choose one.
#[component]
fn CustomerPicker(
    customer: RwSignal<Option<(Id, String)>>,
    deal: RwSignal<Option<Id>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let hits = use_search(text);
    view! {
        <div class="field customer-picker">
            <label for="quick-customer">{i18n.t(Msg::Customer)}</label>
            {move || match customer.get() {
                Some((_, name)) => view! {
                    <div class="picked">
                        <span class="strong" id="quick-customer-name">{name}</span>
                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| {
                            customer.set(None);
                            deal.set(None);
                        }>{i18n.t(Msg::Edit)}</button>
                    </div>
                }
                .into_any(),
                None => view! {
                    <input type="search" id="quick-customer" autocomplete="off" placeholder=i18n.t(Msg::HeaderSearch)
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev)) />
                    <ul class="search-results inline">
                        {move || hits.get().unwrap_or_default().into_iter().filter(|hit| hit.document.is_none()).map(|hit| {
                            let label = hit_text(&hit, i18n.now());
                            let pick = (hit.customer, hit.customer_name.clone());
                            let picked_deal = hit.deal_id;
                            view! {
                                <li class="search-hit" on:click=move |_| {
                                    deal.set(picked_deal);
                                    customer.set(Some(pick.clone()));
                                }>{label}</li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}
