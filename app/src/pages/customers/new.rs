use guanxi_core::model::{CustomerSettings, CustomerTypes};
use guanxi_core::{Error, Field};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::form::{CustomerFields, FIELDS};
use super::{DuplicateWarning, role_options};
use crate::api::customers::{CreateCustomer, CustomerForm};
use crate::api::settings::{get_customer_settings, get_customer_types};
use crate::components::forms::{
    FormAlert, SelectField, SubmitButton, TextField, last_error, mark_hydrated,
};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    // Both calls start in the first poll (see the edit page).
    let settings = Resource::new(
        || (),
        |_| async { futures::try_join!(get_customer_settings(), get_customer_types()) },
    );
    view! {
        <PageHeader title=Msg::NewCustomer />
        <Loaded resource=settings let:settings>
            <NewCustomerForm settings=settings.0 types=settings.1 />
        </Loaded>
    }
}

#[component]
fn NewCustomerForm(settings: CustomerSettings, types: CustomerTypes) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCustomer>::new();
    let error = last_error(create.value());
    let form = NodeRef::<leptos::html::Form>::new();
    let confirmed = NodeRef::<leptos::html::Input>::new();
    mark_hydrated(form);
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/customers/{id}"), Default::default());
        }
    });
    // Over the holding limit an admin may go on with a reason.
    let is_admin = crate::layout::use_current_user().role.is_admin();
    let over_limit = move || {
        is_admin
            && matches!(
                error.get(),
                Some(AppError::Core(Error::HoldingLimit { .. }))
            )
    };
    let duplicates = move || {
        matches!(
            error.get(),
            Some(AppError::Core(Error::PossibleDuplicates(_)))
        )
    };
    view! {
        <ActionForm action=create node_ref=form attr:class="form card wide" attr:id="customer-form">
            <input type="hidden" name="confirmed" value="false" node_ref=confirmed />
            <CustomerFields initial=CustomerForm { customer_type: "potential".into(), ..Default::default() } settings=settings types=types error=error />
            {[0, 1]
                .into_iter()
                .map(|n| {
                    let legend = fill(Msg::ContactN.text(i18n.now()), &[("n", &(n + 1).to_string())]);
                    let name = move |part: &str| format!("contacts[{n}][{part}]");
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
            <DuplicateWarning error=error form=form confirmed=confirmed />
            {move || (!duplicates()).then(|| view! { <FormAlert error=error fields=FIELDS /> })}
            <Show when=over_limit>
                <TextField label=Msg::OverLimitReason name="override_reason" field=Field::Reason error=Signal::derive(|| None) hint=Msg::OverLimitReasonHint />
            </Show>
            <div class="form-actions">
                <SubmitButton label=Msg::Create pending=create.pending().into() />
            </div>
        </ActionForm>
    }
}
