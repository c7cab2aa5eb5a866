pub mod account;
pub mod audit;
pub mod backups;
pub mod contracts;
pub mod customers;
pub mod deals;
pub mod expenses;
pub mod handover;
pub mod home;
pub mod login;
pub mod not_found;
pub mod products;
pub mod quotes;
pub mod reports;
pub mod settings;
pub mod setup;
pub mod stock;
pub mod targets;
pub mod tasks;
pub mod users;

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::layout::use_current_user;

/// Renders `children` for admins; everyone else gets a 403 page.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let user = use_current_user();
    if user.role.is_admin() {
        children().into_any()
    } else {
        view! { <Forbidden /> }.into_any()
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let i18n = use_i18n();
    view! {
        <section class="empty-state">
            <h1>{i18n.t(Msg::ForbiddenTitle)}</h1>
            <p>{i18n.t(Msg::ForbiddenBody)}</p>
            <a class="btn" href="/">{i18n.t(Msg::BackHome)}</a>
        </section>
    }
}

/// The page heading with an optional intro line and actions on the right.
#[component]
pub fn PageHeader(
    title: Msg,
    #[prop(optional)] intro: Option<Msg>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page-header">
            <div>
                <h1>{i18n.t(title)}</h1>
                {intro.map(|m| view! { <p class="page-intro">{i18n.t(m)}</p> })}
            </div>
            <div class="page-actions">{children.map(|c| c())}</div>
        </div>
    }
}
