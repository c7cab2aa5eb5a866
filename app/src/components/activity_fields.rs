//! The fields of an activity as quick entry and the deal page ask for them:
//! its kind, a call's duration, when it happened (now unless changed, in
//! the company's time zone, for a call made earlier), the deal it was about
//! and what happened.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;

use crate::components::forms::activity_options;
use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// The fields an activity form posts to `log_activity`, but the customer
/// (and, on a deal's page, the deal), which the form sets itself.
#[component]
pub fn ActivityFields(
    /// Element ids start with this, so two forms may share a page.
    prefix: &'static str,
    error: Signal<Option<AppError>>,
    /// Now in the company's time zone, as a `datetime-local` value.
    #[prop(into)]
    now_local: Signal<String>,
    /// (id, title) of the deals the activity may be about; no deal field
    /// when empty.
    #[prop(into)]
    deals: Signal<Vec<(Id, String)>>,
    /// The deal chosen when the form opens.
    #[prop(into)]
    deal: Signal<Option<Id>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |name: &str| format!("f-{prefix}-{name}");
    let message = move |field: Field| {
        error
            .get()
            .filter(|e| e.field() == Some(field))
            .map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })
    };
    let invalid = move |field: Field| {
        error
            .get()
            .is_some_and(|e| e.field() == Some(field))
            .then_some("true")
    };
    view! {
        <div class="field-row">
            <div class="field">
                <label for=id("kind")>{i18n.t(Msg::ActivityKind)}</label>
                <select id=id("kind") name="kind">
                    {activity_options(i18n)
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = value == "call";
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=id("duration_minutes")>{i18n.t(Msg::DurationMinutes)}</label>
                <input id=id("duration_minutes") name="duration_minutes" type="number" min="0" aria-invalid=move || invalid(Field::Duration) />
                {move || message(Field::Duration)}
            </div>
        </div>
        <div class="field-row">
            <div class="field">
                <label for=id("at")>{i18n.t(Msg::ActivityAt)}</label>
                <input id=id("at") name="at" type="datetime-local" value=move || now_local.get() aria-invalid=move || invalid(Field::At) />
                {move || message(Field::At)}
            </div>
            <Show when=move || deals.with(|d| !d.is_empty())>
            <div class="field">
                <label for=id("deal")>{i18n.t(Msg::ActivityDeal)}</label>
                <select id=id("deal") name="deal_id" aria-invalid=move || invalid(Field::Deal)>
                    <option value="">{i18n.t(Msg::NoDealLinked)}</option>
                    {move || {
                        let chosen = deal.get();
                        deals
                            .get()
                            .into_iter()
                            .map(|(value, title)| {
                                let selected = Some(value) == chosen;
                                view! { <option value=value.to_string() selected=selected>{title}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                {move || message(Field::Deal)}
            </div>
            </Show>
        </div>
        <div class="field">
            <label for=id("text")>{i18n.t(Msg::ActivityText)}</label>
            <textarea id=id("text") name="text" rows="3"></textarea>
        </div>
    }
}
