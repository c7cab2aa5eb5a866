//! Logging an activity on the customer's page: the customer's open deals
//! are offered to link it to, and the time starts at now for a call made
//! earlier to be logged with its own time.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;

use crate::api::customers::{LogActivity, activity_choices};
use crate::components::activity_fields::ActivityFields;
use crate::components::forms::{FormAlert, SubmitButton, last_error};
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn LogActivityCard(customer: Id, action: ServerAction<LogActivity>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(_)), Some(form)) = (action.value().get(), form.get()) {
            form.reset();
        }
    });
    // Asked again after each save: the time moves on.
    let choices = Resource::new(
        move || action.version().get(),
        move |_| activity_choices(Some(customer)),
    );
    let choice = move || choices.get().and_then(Result::ok).unwrap_or_default();
    let no_deal: Option<Id> = None;
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::LogActivity)}</h2>
            <ActionForm action=action node_ref=form attr:class="form" attr:id="activity-form">
                <input type="hidden" name="customer_id" value=customer.to_string() />
                <Transition fallback=|| ()>
                    <ActivityFields
                        prefix="activity"
                        error=error
                        now_local=Signal::derive(move || choice().now_local)
                        deals=Signal::derive(move || choice().deals)
                        deal=no_deal
                    />
                </Transition>
                <FormAlert error=error fields=&[Field::Duration, Field::At, Field::Deal] />
                <div class="form-actions">
                    <SubmitButton label=Msg::LogActivity pending=action.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}
