//! The customer pages: the list, the new-customer form and the 360° view.

mod bulk;
pub mod detail;
pub mod edit;
mod form;
pub mod import;
pub mod list;
pub mod new;
mod timeline;

use guanxi_core::model::{ActivityKind, BUILT_IN_CUSTOMER_TYPES};
use leptos::prelude::*;

use crate::i18n::{I18n, activity_msg, customer_type_msg, decision_role_msg};

/// (value, label) pairs for the customer-type select.
pub fn type_options(i18n: I18n) -> Vec<(String, String)> {
    BUILT_IN_CUSTOMER_TYPES
        .iter()
        .map(|code| {
            let label = customer_type_msg(code)
                .map_or(code.to_string(), |m| m.text(i18n.now()).to_string());
            (code.to_string(), label)
        })
        .collect()
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

pub fn activity_options(i18n: I18n) -> Vec<(String, String)> {
    ActivityKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                activity_msg(*k).text(i18n.now()).to_string(),
            )
        })
        .collect()
}

/// The type as a coloured badge.
#[component]
pub fn TypeBadge(code: String) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let label = customer_type_msg(&code);
    let class = format!("badge type-{code}");
    view! {
        <span class=class>
            {move || label.map_or(code.clone(), |m| m.text(i18n.locale.get()).to_string())}
        </span>
    }
}

/// Reads an optional text for display, with a dash for nothing.
pub fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".into())
}
