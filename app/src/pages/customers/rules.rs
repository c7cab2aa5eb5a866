//! The admin's customer rules on the settings page: pool return, holding
//! limit, file size, custom fields and lookup links.

use guanxi_core::Field;
use guanxi_core::model::{CustomFieldKind, CustomerSettings};
use leptos::prelude::*;

use crate::api::settings::{UpdateCustomerSettings, get_customer_settings};
use crate::components::forms::{
    FormAlert, SelectField, SubmitButton, TextField, last_error, mark_hydrated,
};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{I18n, Msg, use_i18n};

const FIELDS: &[Field] = &[Field::PoolReturnDays, Field::HoldingLimit, Field::MaxFileMb];

pub fn field_kind_msg(kind: CustomFieldKind) -> Msg {
    match kind {
        CustomFieldKind::Text => Msg::FieldKindText,
        CustomFieldKind::Number => Msg::FieldKindNumber,
        CustomFieldKind::Date => Msg::FieldKindDate,
        CustomFieldKind::Choice => Msg::FieldKindChoice,
    }
}

fn kind_options(i18n: I18n) -> Vec<(String, String)> {
    use CustomFieldKind::*;
    [
        (Text, "text"),
        (Number, "number"),
        (Date, "date"),
        (Choice, "choice"),
    ]
    .into_iter()
    .map(|(kind, code)| {
        (
            code.to_string(),
            field_kind_msg(kind).text(i18n.now()).to_string(),
        )
    })
    .collect()
}

fn kind_code(kind: CustomFieldKind) -> &'static str {
    match kind {
        CustomFieldKind::Text => "text",
        CustomFieldKind::Number => "number",
        CustomFieldKind::Date => "date",
        CustomFieldKind::Choice => "choice",
    }
}

#[component]
pub fn CustomerRulesForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateCustomerSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| get_customer_settings());
    let error = last_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let form = NodeRef::<leptos::html::Form>::new();
    mark_hydrated(form);
    view! {
        <h2 class="section-title">{i18n.t(Msg::CustomerRulesTitle)}</h2>
        <p class="muted">{i18n.t(Msg::CustomerRulesIntro)}</p>
        <Loaded resource=settings let:s>
            {view! {
                <ActionForm action=save node_ref=form attr:class="form card wide" attr:id="customer-rules-form">
                    <RulesFields settings=s error=error />
                    <FormAlert error=error fields=FIELDS />
                    <div class="form-actions">
                        <SubmitButton label=Msg::Save pending=save.pending().into() />
                        <Show when=saved>
                            <span class="saved-note" role="status">{i18n.t(Msg::Saved)}</span>
                        </Show>
                    </div>
                </ActionForm>
            }}
        </Loaded>
    }
}

/// The form's inputs, with one blank row to add a field and one to add a link.
#[component]
fn RulesFields(settings: CustomerSettings, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let none = Signal::derive(|| None);
    let mut fields = settings.custom_fields.clone();
    fields.push(Default::default());
    let mut links = settings.lookup_links.clone();
    links.push(Default::default());
    view! {
        <input type="hidden" name="settings[version]" value=settings.version />
        <div class="field-row">
            <TextField label=Msg::PoolReturnDays name="settings[pool_return_days]" field=Field::PoolReturnDays error=error kind="number" value=settings.pool_return_days.to_string() hint=Msg::PoolReturnDaysHint />
            <TextField label=Msg::HoldingLimit name="settings[holding_limit]" field=Field::HoldingLimit error=error kind="number" value=settings.holding_limit.to_string() hint=Msg::HoldingLimitHint />
            <TextField label=Msg::MaxFileMb name="settings[max_file_mb]" field=Field::MaxFileMb error=error kind="number" value=settings.max_file_mb.to_string() />
        </div>
        <fieldset class="rows" id="custom-fields">
            <legend>{i18n.t(Msg::CustomFieldsTitle)}</legend>
            <p class="field-hint">{i18n.t(Msg::CustomFieldsHint)}</p>
            {fields
                .into_iter()
                .enumerate()
                .map(|(n, f)| {
                    let name = |part: &str| format!("settings[fields][{n}][{part}]");
                    view! {
                        <div class="field-row">
                            <input type="hidden" name=name("key") value=f.key.clone() />
                            <TextField label=Msg::FieldLabel name=name("label") field=Field::CustomFields error=none value=f.label.clone() />
                            <SelectField label=Msg::FieldKind name=name("kind") field=Field::CustomFields error=none options=kind_options(i18n) selected=kind_code(f.kind) />
                            <TextField label=Msg::FieldOptions name=name("options") field=Field::CustomFields error=none value=f.options.join(", ") />
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
        <fieldset class="rows" id="lookup-links">
            <legend>{i18n.t(Msg::LookupLinksTitle)}</legend>
            <p class="field-hint">{i18n.t(Msg::LookupLinksHint)}</p>
            {links
                .into_iter()
                .enumerate()
                .map(|(n, l)| {
                    let name = |part: &str| format!("settings[links][{n}][{part}]");
                    view! {
                        <div class="field-row">
                            <TextField label=Msg::LinkLabel name=name("label") field=Field::LookupLinks error=none value=l.label.clone() />
                            <TextField label=Msg::LinkUrl name=name("url") field=Field::LookupLinks error=none value=l.url_template.clone() placeholder=Msg::LinkUrl />
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
