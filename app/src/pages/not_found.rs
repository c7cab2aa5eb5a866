use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::layout::{BareLayout, WithViewer};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <WithViewer render=|_| view! { <NotFound /> }.into_any() />
        <crate::PageReady />
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BareLayout>
            <h1>{i18n.t(Msg::NotFoundTitle)}</h1>
            <p>{i18n.t(Msg::NotFoundBody)}</p>
            <a class="btn btn-primary" href="/">{i18n.t(Msg::BackHome)}</a>
        </BareLayout>
    }
}
