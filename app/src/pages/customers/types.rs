//! The admin's customer types on the settings page: the built-in four, and
//! the company's own, which can be added, renamed and retired.

use guanxi_core::model::{BUILT_IN_CUSTOMER_TYPES, CustomerTypeDef, CustomerTypes};
use leptos::prelude::*;

use crate::api::settings::{
    AddCustomerType, RenameCustomerType, RetireCustomerType, get_customer_types,
};
use crate::components::forms::{FormAlert, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, customer_type_msg, use_i18n};

#[component]
pub fn CustomerTypesEditor() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddCustomerType>::new();
    let rename = ServerAction::<RenameCustomerType>::new();
    let retire = ServerAction::<RetireCustomerType>::new();
    let types = Resource::new(
        move || add.version().get() + rename.version().get() + retire.version().get(),
        |_| get_customer_types(),
    );
    let error = Signal::derive(move || {
        last_error(add.value())
            .get()
            .or_else(|| last_error(rename.value()).get())
            .or_else(|| last_error(retire.value()).get())
    });
    view! {
        <h2 class="section-title">{i18n.t(Msg::CustomerTypesTitle)}</h2>
        <p class="muted">{i18n.t(Msg::CustomerTypesHint)}</p>
        <section class="card wide" id="customer-types">
            <FormAlert error=error fields=&[] />
            <Loaded resource=types let:types>
                <TypeRows types=types add=add rename=rename retire=retire />
            </Loaded>
        </section>
    }
}

#[component]
fn TypeRows(
    types: CustomerTypes,
    add: ServerAction<AddCustomerType>,
    rename: ServerAction<RenameCustomerType>,
    retire: ServerAction<RetireCustomerType>,
) -> impl IntoView {
    let i18n = use_i18n();
    let version = types.version;
    view! {
        <ul class="type-list">
            {BUILT_IN_CUSTOMER_TYPES.iter().map(|code| view! {
                <li class="type-row built-in">
                    <span class="type-name">{customer_type_msg(code).map(|m| i18n.t(m))}</span>
                    <span class="badge">{i18n.t(Msg::BuiltInType)}</span>
                </li>
            }).collect_view()}
            {types.custom.into_iter().map(|t| view! { <CustomTypeRow t=t version=version rename=rename retire=retire /> }).collect_view()}
        </ul>
        <ActionForm action=add attr:class="inline-form" attr:id="add-type-form">
            <input type="hidden" name="version" value=version />
            <label class="sr-only" for="new-type-label">{i18n.t(Msg::NewTypeLabel)}</label>
            <input type="text" name="label" id="new-type-label" required placeholder=i18n.t(Msg::NewTypeLabel) />
            <button type="submit" class="btn btn-small" id="add-type">{i18n.t(Msg::AddType)}</button>
        </ActionForm>
    }
}

/// A type the company added: its label to rename, and retire or offer again.
#[component]
fn CustomTypeRow(
    t: CustomerTypeDef,
    version: u64,
    rename: ServerAction<RenameCustomerType>,
    retire: ServerAction<RetireCustomerType>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (label, toggle) = if t.retired {
        (Msg::RestoreType, "false")
    } else {
        (Msg::RetireType, "true")
    };
    let (code, code_again) = (t.code.clone(), t.code.clone());
    let retired = t.retired;
    view! {
        <li class="type-row" class:retired=retired data-code=t.code.clone()>
            <ActionForm action=rename attr:class="inline-form">
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="version" value=version />
                <input type="text" name="label" class="type-label" value=t.label.clone() required aria-label=t.label.clone() />
                <button type="submit" class="btn btn-small rename-type">{i18n.t(Msg::Rename)}</button>
            </ActionForm>
            {retired.then(|| view! { <span class="badge">{i18n.t(Msg::TypeRetired)}</span> })}
            <ActionForm action=retire attr:class="inline-form">
                <input type="hidden" name="code" value=code_again />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="retired" value=toggle />
                <button type="submit" class="btn btn-small btn-danger-quiet retire-type">{i18n.t(label)}</button>
            </ActionForm>
        </li>
    }
}
