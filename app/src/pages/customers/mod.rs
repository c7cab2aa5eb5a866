//! The customer pages: the list and the pool, the new-customer form, the
//! 360° view, imports, the admin's customer rules and the recycle bin.

mod bulk;
mod contacts;
pub mod detail;
pub mod edit;
mod form;
pub mod import;
pub mod list;
mod log_activity;
pub mod new;
pub mod recycle_bin;
pub mod rules;
mod timeline;
pub mod types;

use guanxi_core::model::{BUILT_IN_CUSTOMER_TYPES, CustomerTypes};
use leptos::prelude::*;

use crate::i18n::{I18n, customer_type_msg, decision_role_msg};

/// (value, label) pairs for the customer-type select: the built-in types,
/// then the company's own that are offered, and `keep` (a customer's
/// current type) even when retired, so editing does not change it.
pub fn type_options(
    i18n: I18n,
    types: &CustomerTypes,
    keep: Option<&str>,
) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = BUILT_IN_CUSTOMER_TYPES
        .iter()
        .map(|code| {
            let label = customer_type_msg(code)
                .map_or(code.to_string(), |m| m.text(i18n.now()).to_string());
            (code.to_string(), label)
        })
        .collect();
    options.extend(
        types
            .custom
            .iter()
            .filter(|t| !t.retired || keep == Some(t.code.as_str()))
            .map(|t| (t.code.clone(), t.label.clone())),
    );
    options
}

/// Every type a filter may pick: retired ones still have customers.
pub fn type_filter_options(i18n: I18n, types: &CustomerTypes) -> Vec<(String, String)> {
    let mut options = type_options(i18n, &CustomerTypes::default(), None);
    options.extend(
        types
            .custom
            .iter()
            .map(|t| (t.code.clone(), t.label.clone())),
    );
    options
}

pub fn role_options(i18n: I18n) -> Vec<(String, String)> {
    use guanxi_core::model::DecisionRole::*;
    [
        None,
        Some(DecisionMaker),
        Some(Influencer),
        Some(User),
        Some(Gatekeeper),
    ]
    .into_iter()
    .map(|role| {
        let code = match role {
            None => "",
            Some(DecisionMaker) => "decision_maker",
            Some(Influencer) => "influencer",
            Some(User) => "user",
            Some(Gatekeeper) => "gatekeeper",
        };
        (
            code.to_string(),
            decision_role_msg(role).text(i18n.now()).to_string(),
        )
    })
    .collect()
}

/// The type as a coloured badge: a built-in type translated, the company's
/// own by the `label` it was given.
#[component]
pub fn TypeBadge(code: String, label: Option<String>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let msg = customer_type_msg(&code);
    let class = if msg.is_some() {
        format!("badge type-{code}")
    } else {
        "badge type-custom".to_string()
    };
    let fallback = label.unwrap_or_else(|| code.clone());
    view! {
        <span class=class>
            {move || msg.map_or(fallback.clone(), |m| m.text(i18n.locale.get()).to_string())}
        </span>
    }
}

/// Reads an optional text for display, with a dash for nothing.
pub fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".into())
}

/// The matches of a duplicate warning, with "Save anyway": that sets the
/// form's hidden `confirmed` input and submits the form again. The value is
/// set on the element itself, since a signal would reach the DOM only after
/// the submit has read it.
#[component]
pub fn DuplicateWarning(
    error: Signal<Option<crate::error::AppError>>,
    form: NodeRef<leptos::html::Form>,
    confirmed: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    use guanxi_core::Error;
    let i18n = crate::i18n::use_i18n();
    let hints = move || match error.get() {
        Some(crate::error::AppError::Core(Error::PossibleDuplicates(hints))) => Some(hints),
        _ => None,
    };
    let save_anyway = move |_| {
        if let (Some(input), Some(form)) = (confirmed.get(), form.get()) {
            input.set_value("true");
            let _ = form.request_submit();
        }
    };
    move || {
        hints().map(|hints| {
            view! {
                <div class="alert alert-warn" role="alert" id="duplicate-warning">
                    <p>{error.get().map(|e| e.text(i18n.now()))}</p>
                    <ul>
                        {hints.into_iter().map(|h| view! {
                            <li><a href=format!("/customers/{}", h.customer_id) target="_blank">{h.customer_name}</a></li>
                        }).collect_view()}
                    </ul>
                    <button type="button" class="btn" id="save-anyway" on:click=save_anyway>{i18n.t(crate::i18n::Msg::SaveAnyway)}</button>
                </div>
            }
        })
    }
}
