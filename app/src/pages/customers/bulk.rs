//! The bar over the customer list that acts on the ticked rows.

use std::collections::BTreeSet;

use guanxi_core::model::Id;
use leptos::prelude::*;

use crate::api::customers::{BulkCustomers, FilterMenus};
use crate::components::forms::{FormAlert, last_error};
use crate::i18n::{Msg, error_text, fill, use_i18n};

/// The bar's action, made by the list so that its outcome outlives the bar,
/// which re-renders when the list reloads after the action.
pub fn use_bulk_action(
    selected: RwSignal<BTreeSet<Id>>,
    changed: RwSignal<usize>,
) -> ServerAction<BulkCustomers> {
    let bulk = ServerAction::<BulkCustomers>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = bulk.value().get() {
            selected.set(BTreeSet::new());
            changed.update(|n| *n += 1);
        }
    });
    bulk
}

#[component]
pub fn BulkBar(
    selected: RwSignal<BTreeSet<Id>>,
    bulk: ServerAction<BulkCustomers>,
    menus: FilterMenus,
) -> impl IntoView {
    let i18n = use_i18n();
    let tag = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let run = move |action: &'static str| {
        bulk.dispatch(BulkCustomers {
            ids: selected.get_untracked().into_iter().collect(),
            action: action.into(),
            tag: tag.get_untracked(),
            to: assignee.get_untracked(),
            override_reason: reason.get_untracked(),
        });
    };
    let is_admin = crate::layout::use_current_user().role.is_admin();
    let can_assign = !menus.assignees.is_empty();
    let assignees = menus.assignees;
    view! {
        <Show when=move || selected.with(|s| !s.is_empty())>
            <div class="bulk-bar card" id="bulk-bar">
                <span class="strong">{move || fill(i18n.t(Msg::Selected)(), &[("n", &selected.with(|s| s.len()).to_string())])}</span>
                <span class="bulk-group">
                    <input type="text" id="bulk-tag" aria-label=i18n.t(Msg::BulkAddTag) placeholder=i18n.t(Msg::FilterTag) bind:value=tag />
                    <button type="button" class="btn btn-small" id="bulk-add-tag" on:click=move |_| run("tag")>{i18n.t(Msg::BulkAddTag)}</button>
                </span>
                <a class="btn btn-small" id="bulk-export" download
                    href=move || format!("/api/v1/customers.csv?ids={}", selected.with(|s| s.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",")))>
                    {i18n.t(Msg::ExportCsv)}
                </a>
                <button type="button" class="btn btn-small" id="bulk-release" on:click=move |_| run("release")>{i18n.t(Msg::BulkRelease)}</button>
                {can_assign.then(|| view! {
                    <span class="bulk-group">
                        <select id="bulk-assignee" aria-label=i18n.t(Msg::AssignTo) bind:value=assignee>
                            <option value="">{i18n.t(Msg::InPool)}</option>
                            {assignees.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                        {is_admin.then(|| view! {
                            <input type="text" id="bulk-override-reason" aria-label=i18n.t(Msg::OverLimitReason) placeholder=i18n.t(Msg::OverLimitReason) title=i18n.t(Msg::OverLimitReasonHint) bind:value=reason />
                        })}
                        <button type="button" class="btn btn-small" id="bulk-assign" on:click=move |_| run("assign")>{i18n.t(Msg::BulkAssign)}</button>
                    </span>
                })}
            </div>
        </Show>
    }
}

/// What the last bulk action did, or why it failed.
#[component]
pub fn BulkOutcomeNote(bulk: ServerAction<BulkCustomers>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(bulk.value());
    let outcome = move || {
        bulk.value().get().and_then(|r| r.ok()).map(|o| {
            let locale = i18n.locale.get();
            let mut text = fill(Msg::BulkDone.text(locale), &[("n", &o.done.to_string())]);
            if let Some(problem) = o.first_problem.filter(|_| o.skipped > 0) {
                text.push(' ');
                text.push_str(&fill(
                    Msg::BulkSkipped.text(locale),
                    &[
                        ("n", &o.skipped.to_string()),
                        ("reason", &error_text(&problem, locale)),
                    ],
                ));
            }
            text
        })
    };
    view! {
        {move || outcome().map(|text| view! { <p class="alert alert-info" role="status" id="bulk-outcome">{text}</p> })}
        <FormAlert error=error fields=&[] />
    }
}
