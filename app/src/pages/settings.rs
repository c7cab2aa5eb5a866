use guanxi_core::Field;
use guanxi_core::model::Company;
use leptos::prelude::*;

use super::setup::{currency_options, language_options};
use super::{AdminOnly, PageHeader};
use crate::api::settings::{UpdateCompany, get_company, staff_urls};
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};

const FIELDS: &[Field] = &[
    Field::CompanyName,
    Field::Currency,
    Field::TimeZone,
    Field::Locale,
    Field::SessionIdleMinutes,
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <PageHeader title=Msg::SettingsTitle intro=Msg::SettingsIntro />
            <StaffAddresses />
            <CompanyForm />
            <super::customers::rules::CustomerRulesForm />
            <super::customers::types::CustomerTypesEditor />
            <super::products::sales_settings::SalesSettingsForm />
            <super::expenses::categories::ExpenseCategoriesEditor />
        </AdminOnly>
    }
}

#[component]
fn CompanyForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateCompany>::new();
    let company = Resource::new(move || save.version().get(), |_| get_company());
    let error = last_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <Loaded resource=company let:c>
            {
                let Company { name, currency, time_zone, default_locale, session_idle_minutes, version, .. } = c;
                let mut currencies = currency_options();
                if !currencies.iter().any(|(code, _)| *code == currency) {
                    currencies.push((currency.clone(), currency.clone()));
                }
                view! {
                    <ActionForm action=save attr:class="form card" attr:id="settings-form">
                        <input type="hidden" name="version" value=version />
                        <TextField label=Msg::CompanyName name="name" field=Field::CompanyName error=error value=name required=true />
                        <div class="field-row">
                            <SelectField label=Msg::Currency name="currency" field=Field::Currency error=error options=currencies selected=currency />
                            <TextField label=Msg::TimeZone name="time_zone" field=Field::TimeZone error=error value=time_zone required=true />
                        </div>
                        <div class="field-row">
                            <SelectField label=Msg::DefaultLanguage name="default_locale" field=Field::Locale error=error options=language_options() selected=default_locale.code() />
                            <TextField label=Msg::SessionIdleMinutes name="session_idle_minutes" field=Field::SessionIdleMinutes error=error kind="number" value=session_idle_minutes.to_string() required=true />
                        </div>
                        <FormAlert error=error fields=FIELDS />
                        <div class="form-actions">
                            <SubmitButton label=Msg::Save pending=save.pending().into() />
                            <Show when=saved>
                                <span class="saved-note" role="status">{i18n.t(Msg::Saved)}</span>
                            </Show>
                        </div>
                    </ActionForm>
                }
            }
        </Loaded>
    }
}

/// Where colleagues point their browsers: the same lines the server printed
/// when it started.
#[component]
fn StaffAddresses() -> impl IntoView {
    let i18n = use_i18n();
    let urls = Resource::new(|| (), |_| staff_urls());
    view! {
        <section class="card staff-addresses" id="staff-addresses">
            <h2 class="section-title">{i18n.t(Msg::StaffAddressesTitle)}</h2>
            <Loaded resource=urls let:urls>
                {if urls.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::StaffAddressesNone)}</p> }.into_any()
                } else {
                    view! {
                        <p class="muted">{i18n.t(Msg::StaffAddressesIntro)}</p>
                        <ul class="address-list">
                            {urls
                                .into_iter()
                                .map(|url| view! { <li><a href=url.clone() class="address">{url.clone()}</a></li> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </Loaded>
        </section>
    }
}
