//! Editing a customer's profile. The form carries the version it was loaded
//! at, so a save after someone else's gets the conflict message instead of
//! overwriting their change.

use guanxi_core::model::{CustomerSettings, CustomerTypes, Id};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::form::{CustomerFields, FIELDS};
use crate::api::customers::{CustomerForm, CustomerView, UpdateCustomer, get_customer};
use crate::api::settings::{get_customer_settings, get_customer_types};
use crate::components::forms::{FormAlert, SubmitButton, last_error, mark_hydrated};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn EditCustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Id>().ok()));
    let data = Resource::new(id, |id| async move {
        let id = id.ok_or(guanxi_core::Error::NotFound)?;
        // Both calls start in the first poll, where the server still finds the
        // request in context; a server function first polled after another's
        // await can miss it and answer "not signed in".
        futures::try_join!(
            get_customer(id),
            get_customer_settings(),
            get_customer_types()
        )
    });
    view! {
        <PageHeader title=Msg::EditCustomer />
        <Loaded resource=data let:data>
            <EditCustomerForm view=data.0 settings=data.1 types=data.2 />
        </Loaded>
    }
}

#[component]
fn EditCustomerForm(
    view: CustomerView,
    settings: CustomerSettings,
    types: CustomerTypes,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateCustomer>::new();
    let error = last_error(save.value());
    let form = NodeRef::<leptos::html::Form>::new();
    mark_hydrated(form);
    let navigate = use_navigate();
    let customer = view.customer;
    let back = format!("/customers/{}", customer.id);
    let after_save = back.clone();
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&after_save, Default::default());
        }
    });
    view! {
        <ActionForm action=save node_ref=form attr:class="form card wide" attr:id="customer-form">
            <input type="hidden" name="id" value=customer.id.to_string() />
            <input type="hidden" name="version" value=customer.version />
            <CustomerFields initial=CustomerForm::of(&customer) settings=settings types=types error=error />
            <FormAlert error=error fields=FIELDS />
            <div class="form-actions">
                <SubmitButton label=Msg::Save pending=save.pending().into() />
                <a class="btn" href=back>{i18n.t(Msg::Cancel)}</a>
            </div>
        </ActionForm>
    }
}
