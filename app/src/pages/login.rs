use guanxi_core::Field;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::session::LogIn;
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::i18n::{Msg, use_i18n};
use crate::layout::{BareLayout, WithViewer};

#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <WithViewer render=|_| view! { <LoginForm /> }.into_any() /> }
}

#[component]
fn LoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let log_in = ServerAction::<LogIn>::new();
    let error = last_error(log_in.value());
    let next = use_query_map()
        .get_untracked()
        .get("next")
        .unwrap_or_default();
    Effect::new(move || {
        if let Some(Ok(target)) = log_in.value().get() {
            crate::layout::go_to(&target);
        }
    });
    view! {
        <BareLayout>
            <h1>{i18n.t(Msg::LoginTitle)}</h1>
            <p class="muted">{i18n.t(Msg::LoginSubtitle)}</p>
            <ActionForm action=log_in attr:class="form" attr:id="login-form">
                <input type="hidden" name="next" value=next />
                <TextField label=Msg::Email name="email" field=Field::Email error=error kind="email" autocomplete="username" required=true />
                <TextField label=Msg::Password name="password" field=Field::Password error=error kind="password" autocomplete="current-password" required=true />
                <FormAlert error=error fields=&[Field::Email, Field::Password] />
                <SubmitButton label=Msg::LoginSubmit pending=log_in.pending().into() class="btn-block" />
            </ActionForm>
        </BareLayout>
    }
}
