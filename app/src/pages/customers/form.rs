//! The customer's fields, shared by the new-customer and edit forms.

use guanxi_core::model::{CustomFieldKind, CustomerSettings, CustomerTypes};
use guanxi_core::{Error, Field};
use leptos::prelude::*;

use super::type_options;
use crate::api::customers::CustomerForm;
use crate::components::forms::{SelectField, TextField, field_id};
use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// The fields a customer form shows errors beside; others go to its alert.
pub const FIELDS: &[Field] = &[
    Field::Name,
    Field::CustomerType,
    Field::Phone,
    Field::Email,
    Field::Region,
    Field::Industry,
    Field::Source,
    Field::Grade,
    Field::Tags,
    Field::Address,
    Field::Website,
    Field::Notes,
    Field::Custom,
];

#[component]
pub fn CustomerFields(
    initial: CustomerForm,
    settings: CustomerSettings,
    types: CustomerTypes,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
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
    let kind = match initial.kind {
        guanxi_core::model::CustomerKind::Company => "company",
        guanxi_core::model::CustomerKind::Person => "person",
    };
    let CustomerForm {
        name,
        customer_type,
        phone,
        email,
        region,
        industry,
        source,
        grade,
        tags,
        address,
        website,
        notes,
        custom,
        ..
    } = initial;
    view! {
        <div class="field-row">
            <TextField label=Msg::Name name="customer[name]" field=Field::Name error=error value=name required=true />
            <SelectField label=Msg::Kind name="customer[kind]" field=Field::Name error=Signal::derive(|| None) options=kinds selected=kind />
            <SelectField label=Msg::CustomerType name="customer[customer_type]" field=Field::CustomerType error=error options=type_options(i18n, &types, Some(&customer_type)) selected=customer_type.clone() />
        </div>
        <div class="field-row">
            <TextField label=Msg::Phone name="customer[phone]" field=Field::Phone error=error kind="tel" value=phone />
            <TextField label=Msg::Email name="customer[email]" field=Field::Email error=error kind="email" value=email />
            <TextField label=Msg::Website name="customer[website]" field=Field::Website error=error value=website />
        </div>
        <div class="field-row">
            <TextField label=Msg::Region name="customer[region]" field=Field::Region error=error value=region />
            <TextField label=Msg::Industry name="customer[industry]" field=Field::Industry error=error value=industry />
            <TextField label=Msg::Source name="customer[source]" field=Field::Source error=error value=source />
            <TextField label=Msg::Grade name="customer[grade]" field=Field::Grade error=error value=grade />
        </div>
        <div class="field-row">
            <TextField label=Msg::Tags name="customer[tags]" field=Field::Tags error=error hint=Msg::TagsHint value=tags />
            <TextField label=Msg::Address name="customer[address]" field=Field::Address error=error value=address />
        </div>
        <TextField label=Msg::Notes name="customer[notes]" field=Field::Notes error=error value=notes />
        <Show when={
            let any = !settings.custom_fields.is_empty();
            move || any
        }>
            <div class="field-row" id="custom-field-inputs">
                {settings
                    .custom_fields
                    .iter()
                    .map(|f| view! { <CustomFieldInput field=f.clone() value=custom.get(&f.key).cloned().unwrap_or_default() error=error /> })
                    .collect_view()}
            </div>
        </Show>
    }
}

/// One admin-defined field, as the input its kind calls for.
#[component]
fn CustomFieldInput(
    field: guanxi_core::model::CustomField,
    value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("customer[custom][{}]", field.key);
    let id = field_id(&name);
    let key = field.key.clone();
    let message = move || match error.get() {
        Some(AppError::Core(e @ Error::InvalidCustomField { .. })) if matches!(&e, Error::InvalidCustomField { key: k, .. } if *k == key) => {
            Some(e.clone())
        }
        _ => None,
    };
    let input = match field.kind {
        CustomFieldKind::Choice => view! {
            <select id=id.clone() name=name>
                <option value="">"—"</option>
                {field
                    .options
                    .iter()
                    .map(|o| {
                        let selected = *o == value;
                        view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            let input_type = match kind {
                CustomFieldKind::Date => "date",
                CustomFieldKind::Number => "text",
                _ => "text",
            };
            let mode = (kind == CustomFieldKind::Number).then_some("decimal");
            view! { <input id=id.clone() type=input_type inputmode=mode name=name value=value /> }
                .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{field.label.clone()}</label>
            {input}
            {move || message().map(|e| view! {
                <p class="field-error" role="alert">{crate::i18n::error_text(&e, i18n.locale.get())}</p>
            })}
        </div>
    }
}
