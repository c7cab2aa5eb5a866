//! The admin's sales settings, on the company settings page: a new quote's
//! tax rate and validity, the discount limit above which a quote needs
//! approval, the contract amount that needs approval, the cost method.

use guanxi_core::Field;
use guanxi_core::model::{CostMethod, SalesSettingsInput};
use leptos::prelude::*;

use crate::api::products::{SaveSalesSettings, get_sales_settings};
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};

const FIELDS: &[Field] = &[
    Field::TaxRate,
    Field::DiscountLimit,
    Field::ContractApprovalAmount,
    Field::QuoteValidDays,
];

fn cost_code(method: CostMethod) -> &'static str {
    match method {
        CostMethod::WeightedAverage => "weighted_average",
        CostMethod::Fifo => "fifo",
    }
}

#[component]
pub fn SalesSettingsForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSalesSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| get_sales_settings());
    let error = last_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" id="sales-settings">
            <h2 class="section-title">{i18n.t(Msg::SalesSettingsTitle)}</h2>
            <p class="muted">{i18n.t(Msg::SalesSettingsIntro)}</p>
            <Loaded resource=settings let:s>
                {
                    let input = SalesSettingsInput::from(&s);
                    let methods = vec![
                        (cost_code(CostMethod::WeightedAverage).to_string(), Msg::CostWeightedAverage.text(i18n.now()).to_string()),
                        (cost_code(CostMethod::Fifo).to_string(), Msg::CostFifo.text(i18n.now()).to_string()),
                    ];
                    view! {
                        <ActionForm action=save attr:class="form" attr:id="sales-settings-form">
                            <input type="hidden" name="version" value=s.version />
                            <div class="field-row">
                                <TextField label=Msg::DefaultTaxRate name="settings[default_tax_rate]" field=Field::TaxRate error=error value=input.default_tax_rate required=true />
                                <TextField label=Msg::QuoteValidDays name="settings[quote_valid_days]" field=Field::QuoteValidDays error=error kind="number" value=input.quote_valid_days.to_string() required=true />
                            </div>
                            <div class="field-row">
                                <TextField label=Msg::DiscountLimit name="settings[discount_limit]" field=Field::DiscountLimit error=error value=input.discount_limit required=true hint=Msg::DiscountLimitHint />
                                <TextField label=Msg::ContractApprovalAmount name="settings[contract_approval_amount]" field=Field::ContractApprovalAmount error=error value=input.contract_approval_amount prefix=i18n.currency_symbol() hint=Msg::ContractApprovalHint />
                            </div>
                            <SelectField label=Msg::CostMethod name="settings[cost_method]" field=Field::Status error=error options=methods selected=cost_code(input.cost_method) />
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
        </section>
    }
}
