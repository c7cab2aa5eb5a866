//! Changing a contract's terms: title, sign date, tax rate, lines and note.
//! A draft changes in place; an executing contract gets a new version and
//! keeps the old one readable. A changed amount needs a new payment plan
//! that adds up to it, asked for right here.

use guanxi_core::Field;
use guanxi_core::model::{Contract, ContractInput, ContractStatus, Product, QuoteLineInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::plan::{PlanDraft, PlanRows};
use crate::api::contracts::{contract_form_products, save_contract};
use crate::components::forms::FormAlert;
use crate::components::lines_editor::{Lines, LinesEditor};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn TermsForm(contract: Contract, changed: RwSignal<u32>) -> impl IntoView {
    let id = contract.id;
    let products = Resource::new(move || id, contract_form_products);
    view! {
        <Loaded resource=products let:products>
            <TermsEditor contract=contract.clone() products=products changed=changed />
        </Loaded>
    }
}

#[component]
fn TermsEditor(
    contract: Contract,
    products: Vec<Product>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, amount) = (contract.id, contract.version, contract.terms.amount());
    let next_version =
        (contract.status == ContractStatus::Executing).then_some(contract.terms_version + 1);
    let terms = &contract.terms;
    let products = StoredValue::new(products);
    let title = RwSignal::new(terms.title.clone());
    let sign_date = RwSignal::new(terms.sign_date.format("%Y-%m-%d").to_string());
    let tax = RwSignal::new(terms.tax_rate.to_string());
    let note = RwSignal::new(terms.note.clone().unwrap_or_default());
    let lines = Lines::new(terms.lines.iter().map(QuoteLineInput::from).collect());
    let totals = lines.totals(products, tax);
    let gross = Signal::derive(move || totals.get().gross);
    let amount_changed = Memo::new(move |_| gross.get() != amount);
    let plan = PlanDraft::new(&contract.plan);
    Effect::new(move || plan.follow_single(gross.get()));
    let confirm_past = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ContractInput {
            title: title.get_untracked(),
            lines: lines.inputs(),
            tax_rate: tax.get_untracked(),
            sign_date: chrono::NaiveDate::parse_from_str(&sign_date.get_untracked(), "%Y-%m-%d")
                .ok(),
            note: Some(note.get_untracked()),
            plan: amount_changed.get_untracked().then(|| plan.inputs()),
            confirm_past: confirm_past.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            match save_contract(id, version, input).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => {
                    error.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <form class="form terms-form" id="terms-form" on:submit=submit>
            <div class="field-row">
                <div class="field">
                    <label for="f-terms-title">{i18n.t(Msg::QuoteTitle)}</label>
                    <input id="f-terms-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-terms-sign-date">{i18n.t(Msg::SignDate)}</label>
                    <input id="f-terms-sign-date" type="date" prop:value=move || sign_date.get() on:input=move |ev| sign_date.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-terms-tax">{i18n.t(Msg::TaxRate)}</label>
                    <input id="f-terms-tax" inputmode="decimal" prop:value=move || tax.get() on:input=move |ev| tax.set(event_target_value(&ev)) />
                </div>
            </div>
            <LinesEditor lines=lines products=products error=error />
            <div class="quote-bottom">
                <div class="quote-terms">
                    <div class="field">
                        <label for="f-terms-note">{i18n.t(Msg::Notes)}</label>
                        <textarea id="f-terms-note" rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </div>
                </div>
                <dl class="totals" id="terms-totals">
                    <dt>{i18n.t(Msg::NetTotal)}</dt><dd>{move || i18n.money(totals.get().net)()}</dd>
                    <dt>{i18n.t(Msg::TaxTotal)}</dt><dd>{move || i18n.money(totals.get().tax)()}</dd>
                    <dt class="gross">{i18n.t(Msg::GrossTotal)}</dt><dd class="gross" id="terms-gross">{move || i18n.money(totals.get().gross)()}</dd>
                </dl>
            </div>
            <Show when=move || amount_changed.get()>
                <fieldset class="terms-plan" id="terms-plan">
                    <legend>{i18n.t(Msg::PaymentPlan)}</legend>
                    <p class="muted">{move || fill(Msg::NewPlanForAmount.text(i18n.locale.get()), &[("old", &i18n.money(amount)()), ("new", &i18n.money(gross.get())())])}</p>
                    <PlanRows draft=plan target=gross id_prefix="terms-" />
                    <label class="check"><input type="checkbox" id="terms-confirm-past" on:change=move |ev| confirm_past.set(event_target_checked(&ev)) /> {i18n.t(Msg::ConfirmPastDates)}</label>
                </fieldset>
            </Show>
            {next_version.map(|n| view! {
                <p class="muted" id="terms-version-hint">{move || fill(Msg::TermsNewVersionHint.text(i18n.locale.get()), &[("n", &n.to_string())])}</p>
            })}
            <FormAlert error=error.into() fields=&[Field::Lines] />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="save-terms" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Msg::Saving)() } else { i18n.t(Msg::Save)() }}
                </button>
            </div>
        </form>
    }
}
