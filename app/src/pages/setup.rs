use guanxi_core::Field;
use guanxi_core::model::{COMMON_CURRENCIES, DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, Locale};
use leptos::prelude::*;

use crate::api::session::SetUp;
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::i18n::{Msg, locale_name, use_i18n};
use crate::layout::{BareLayout, WithViewer};

const FIELDS: &[Field] = &[
    Field::CompanyName,
    Field::Currency,
    Field::TimeZone,
    Field::Locale,
    Field::Name,
    Field::Email,
    Field::Password,
];

#[component]
pub fn SetupPage() -> impl IntoView {
    view! { <WithViewer render=|_| view! { <SetupForm /> }.into_any() /> }
}

pub fn currency_options() -> Vec<(String, String)> {
    COMMON_CURRENCIES
        .iter()
        .map(|c| (c.to_string(), c.to_string()))
        .collect()
}

pub fn language_options() -> Vec<(String, String)> {
    Locale::ALL
        .iter()
        .map(|l| (l.code().to_string(), locale_name(*l).to_string()))
        .collect()
}

#[component]
fn SetupForm() -> impl IntoView {
    let i18n = use_i18n();
    let set_up = ServerAction::<SetUp>::new();
    let error = last_error(set_up.value());
    Effect::new(move || {
        if let Some(Ok(())) = set_up.value().get() {
            crate::layout::go_to("/");
        }
    });
    view! {
        <BareLayout>
            <h1>{i18n.t(Msg::SetupTitle)}</h1>
            <p class="muted">{i18n.t(Msg::SetupIntro)}</p>
            <ActionForm action=set_up attr:class="form" attr:id="setup-form">
                <fieldset>
                    <legend>{i18n.t(Msg::SetupCompanySection)}</legend>
                    <TextField label=Msg::CompanyName name="company_name" field=Field::CompanyName error=error required=true autocomplete="organization" />
                    <div class="field-row">
                        <SelectField label=Msg::Currency name="currency" field=Field::Currency error=error options=currency_options() selected=DEFAULT_CURRENCY />
                        <TextField label=Msg::TimeZone name="time_zone" field=Field::TimeZone error=error value=DEFAULT_TIME_ZONE required=true />
                    </div>
                    <SelectField label=Msg::DefaultLanguage name="default_locale" field=Field::Locale error=error options=language_options() selected=i18n.now().code() />
                </fieldset>
                <fieldset>
                    <legend>{i18n.t(Msg::SetupAdminSection)}</legend>
                    <TextField label=Msg::Name name="admin_name" field=Field::Name error=error required=true autocomplete="name" />
                    <TextField label=Msg::Email name="admin_email" field=Field::Email error=error kind="email" required=true autocomplete="username" />
                    <TextField label=Msg::Password name="admin_password" field=Field::Password error=error kind="password" required=true autocomplete="new-password" hint=Msg::PasswordHint />
                </fieldset>
                <FormAlert error=error fields=FIELDS />
                <SubmitButton label=Msg::SetupSubmit pending=set_up.pending().into() class="btn-block" />
            </ActionForm>
        </BareLayout>
    }
}
