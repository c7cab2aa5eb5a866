//! The deal's own activities, newest first, and a form to log one about
//! the deal (with the time it happened, for a call made earlier). They
//! show on the customer's timeline too.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;

use crate::api::customers::LogActivity;
use crate::api::deals::ActivityLine;
use crate::components::activity_fields::ActivityFields;
use crate::components::forms::{FormAlert, SubmitButton, last_error};
use crate::i18n::{Msg, activity_msg, fill, use_i18n};

#[component]
pub fn DealActivitiesCard(
    deal: Id,
    customer: Id,
    activities: Vec<ActivityLine>,
    now_local: String,
    /// Bumped once an activity is logged, so the page reloads.
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let log = ServerAction::<LogActivity>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    let entry = NodeRef::<leptos::html::Details>::new();
    Effect::new(move || {
        if matches!(log.value().get(), Some(Ok(_))) {
            log.value().set(None);
            if let Some(form) = form.get() {
                form.reset();
            }
            if let Some(entry) = entry.get() {
                entry.set_open(false);
            }
            changed.update(|n| *n += 1);
        }
    });
    let error = last_error(log.value());
    // The deal is the page's, posted as a hidden field.
    let no_deal: Option<Id> = None;
    let no_deals: Vec<(Id, String)> = Vec::new();
    view! {
        <section class="card" id="deal-activities">
            <h2>{i18n.t(Msg::DealActivities)}</h2>
            {if activities.is_empty() {
                view! { <p class="muted">{i18n.t(Msg::NoActivities)}</p> }.into_any()
            } else {
                view! {
                    <ul class="history" id="deal-activity-list">
                        {activities.into_iter().map(|line| view! {
                            <li class="deal-activity">
                                <span class="badge">{i18n.t(activity_msg(line.activity.kind))}</span>
                                {line.activity.duration_minutes.map(|m| {
                                    let m = m.to_string();
                                    view! { " " <span class="muted">{move || fill(i18n.t(Msg::Minutes)(), &[("n", &m)])}</span> }
                                })}
                                " " {line.activity.text}
                                <span class="muted activity-when">{format!(" · {} · {}", line.when, line.by_name)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <details class="deal-activity-entry" node_ref=entry>
                <summary class="btn btn-small">{i18n.t(Msg::LogActivity)}</summary>
                <ActionForm action=log node_ref=form attr:class="form" attr:id="deal-activity-form">
                    <input type="hidden" name="customer_id" value=customer.to_string() />
                    <input type="hidden" name="deal_id" value=deal.to_string() />
                    <ActivityFields
                        prefix="deal-activity"
                        error=error
                        now_local=now_local
                        deals=no_deals
                        deal=no_deal
                    />
                    <FormAlert error=error fields=&[Field::Duration, Field::At] />
                    <SubmitButton label=Msg::LogActivity pending=log.pending().into() />
                </ActionForm>
            </details>
        </section>
    }
}
