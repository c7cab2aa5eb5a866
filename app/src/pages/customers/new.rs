use guanxi_core::{Error, Field};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{role_options, type_options};
use crate::api::customers::CreateCustomer;
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

const FIELDS: &[Field] = &[
    Field::Name,
    Field::CustomerType,
    Field::Phone,
    Field::Email,
    Field::Region,
    Field::Industry,
    Field::Source,
    Field::Tags,
    Field::Address,
    Field::Website,
    Field::Notes,
];

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCustomer>::new();
    let error = last_error(create.value());
    let confirmed = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/customers/{id}"), Default::default());
        }
    });
    let duplicates = move || match error.get() {
        Some(AppError::Core(Error::PossibleDuplicates(hints))) => Some(hints),
        _ => None,
    };
    let save_anyway = move |_| {
        confirmed.set(true);
        if let Some(form) = form.get() {
            let _ = form.request_submit();
        }
    };
    let kinds = vec![
        (
            "company".to_string(),
            Msg::KindCompany.text(i18n.now()).to_string(),
        ),
        (
            "person".to_string(),
            Msg::KindPerson.text(i18n.now()).to_string(),
        ),
    ];
    view! {
        <PageHeader title=Msg::NewCustomer />
        <ActionForm action=create node_ref=form attr:class="form card wide" attr:id="customer-form">
            <input type="hidden" name="confirmed" prop:value=move || confirmed.get().to_string() />
            <div class="field-row">
                <TextField label=Msg::Name name="name" field=Field::Name error=error required=true />
                <SelectField label=Msg::Kind name="kind" field=Field::Name error=Signal::derive(|| None) options=kinds selected="company" />
                <SelectField label=Msg::CustomerType name="customer_type" field=Field::CustomerType error=error options=type_options(i18n) selected="potential" />
            </div>
            <div class="field-row">
                <TextField label=Msg::Phone name="phone" field=Field::Phone error=error kind="tel" />
                <TextField label=Msg::Email name="email" field=Field::Email error=error kind="email" />
                <TextField label=Msg::Website name="website" field=Field::Website error=error />
            </div>
            <div class="field-row">
                <TextField label=Msg::Region name="region" field=Field::Region error=error />
                <TextField label=Msg::Industry name="industry" field=Field::Industry error=error />
                <TextField label=Msg::Source name="source" field=Field::Source error=error />
            </div>
            <div class="field-row">
                <TextField label=Msg::Tags name="tags" field=Field::Tags error=error hint=Msg::TagsHint />
                <TextField label=Msg::Address name="address" field=Field::Address error=error />
            </div>
            <TextField label=Msg::Notes name="notes" field=Field::Notes error=error />
            {[1, 2]
                .into_iter()
                .map(|n| {
                    let legend = fill(Msg::ContactN.text(i18n.now()), &[("n", &n.to_string())]);
                    let name = |suffix: &str| -> &'static str {
                        match (n, suffix) {
                            (1, "name") => "contact1_name",
                            (1, "title") => "contact1_title",
                            (1, "phone") => "contact1_phone",
                            (1, _) => "contact1_role",
                            (_, "name") => "contact2_name",
                            (_, "title") => "contact2_title",
                            (_, "phone") => "contact2_phone",
                            (_, _) => "contact2_role",
                        }
                    };
                    let none = Signal::derive(|| None);
                    view! {
                        <fieldset class="contact-row">
                            <legend>{legend}</legend>
                            <div class="field-row">
                                <TextField label=Msg::Name name=name("name") field=Field::Name error=none />
                                <TextField label=Msg::JobTitle name=name("title") field=Field::Title error=none />
                                <TextField label=Msg::Phone name=name("phone") field=Field::Phone error=none kind="tel" />
                                <SelectField label=Msg::DecisionRole name=name("role") field=Field::Title error=none options=role_options(i18n) />
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
            {move || duplicates().map(|hints| view! {
                <div class="alert alert-warn" role="alert" id="duplicate-warning">
                    <p>{error.get().map(|e| e.text(i18n.now()))}</p>
                    <ul>
                        {hints.into_iter().map(|h| view! {
                            <li><a href=format!("/customers/{}", h.customer_id) target="_blank">{h.customer_name}</a></li>
                        }).collect_view()}
                    </ul>
                    <button type="button" class="btn" id="save-anyway" on:click=save_anyway>{i18n.t(Msg::SaveAnyway)}</button>
                </div>
            })}
            {move || (duplicates().is_none()).then(|| view! { <FormAlert error=error fields=FIELDS /> })}
            <div class="form-actions">
                <SubmitButton label=Msg::Create pending=create.pending().into() />
            </div>
        </ActionForm>
    }
}
