//! Creating and editing a deal. Editing carries the version the form was
//! loaded at, so the second of two saves gets the conflict message.

use guanxi_core::Field;
use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::fields::DealFields;
use crate::api::deals::{
    CreateDeal, DealForm, DealFormChoices, UpdateDeal, deal_form_menus, get_deal,
};
use crate::components::forms::{FormAlert, SubmitButton, last_error, mark_hydrated};
use crate::components::loaded::Loaded;
use crate::i18n::Msg;
use crate::layout::use_current_user;
use crate::pages::PageHeader;

/// Fields this form shows errors beside.
const FIELDS: &[Field] = &[
    Field::Customer,
    Field::Stage,
    Field::Title,
    Field::Amount,
    Field::At,
    Field::Confidence,
    Field::Owners,
    Field::Competitors,
    Field::Requirements,
    Field::Solution,
    Field::Source,
];
#[component]
pub fn NewDealPage() -> impl IntoView {
    let query = use_query_map();
    let customer = move || query.with(|q| q.get("customer").and_then(|c| c.parse::<Id>().ok()));
    let menus = Resource::new(customer, deal_form_menus);
    view! {
        <PageHeader title=Msg::NewDeal />
        <Loaded resource=menus let:menus>
            <NewDealForm menus=menus />
        </Loaded>
    }
}

#[component]
fn NewDealForm(menus: DealFormChoices) -> impl IntoView {
    let create = ServerAction::<CreateDeal>::new();
    let error = last_error(create.value());
    let form = NodeRef::<leptos::html::Form>::new();
    mark_hydrated(form);
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/deals/{id}"), Default::default());
        }
    });
    let me = use_current_user();
    let initial = DealForm {
        customer_id: menus
            .customer
            .as_ref()
            .map(|c| c.0.to_string())
            .unwrap_or_default(),
        owners: vec![crate::api::deals::OwnerRow {
            user: me.id.to_string(),
            percent: "100".into(),
        }],
        ..Default::default()
    };
    view! {
        <ActionForm action=create node_ref=form attr:class="form card wide" attr:id="deal-form">
            <DealFields initial=initial menus=menus error=error new=true />
            <FormAlert error=error fields=FIELDS />
            <div class="form-actions">
                <SubmitButton label=Msg::Create pending=create.pending().into() />
            </div>
        </ActionForm>
    }
}

#[component]
pub fn EditDealPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Id>().ok()));
    let data = Resource::new(id, |id| async move {
        let id = id.ok_or(guanxi_core::Error::NotFound)?;
        futures::try_join!(get_deal(id), deal_form_menus(None))
    });
    view! {
        <PageHeader title=Msg::EditDeal />
        <Loaded resource=data let:data>
            {
                let (view, menus) = data;
                let customer = Some((view.deal.customer_id, view.customer_name.clone()));
                view! { <EditDealForm deal=view.deal menus=DealFormChoices { customer, ..menus } /> }
            }
        </Loaded>
    }
}

#[component]
fn EditDealForm(deal: guanxi_core::model::Deal, menus: DealFormChoices) -> impl IntoView {
    let save = ServerAction::<UpdateDeal>::new();
    let error = last_error(save.value());
    let form = NodeRef::<leptos::html::Form>::new();
    mark_hydrated(form);
    let navigate = use_navigate();
    let back = format!("/deals/{}", deal.id);
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&back, Default::default());
        }
    });
    view! {
        <ActionForm action=save node_ref=form attr:class="form card wide" attr:id="deal-form">
            <input type="hidden" name="id" value=deal.id.to_string() />
            <input type="hidden" name="version" value=deal.version />
            <DealFields initial=DealForm::of(&deal) menus=menus error=error new=false />
            <FormAlert error=error fields=FIELDS />
            <div class="form-actions">
                <SubmitButton label=Msg::Save pending=save.pending().into() />
            </div>
        </ActionForm>
    }
}
