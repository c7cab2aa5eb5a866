//! Changing a contract's terms: title, sign date, tax rate, owners with
//! their credit split, lines and note.
//! A draft changes in place; an executing contract gets a new version and
//! keeps the old one readable. A changed amount needs a new payment plan
//! that adds up to it, asked for right here.

use guanxi_core::Field;
use guanxi_core::model::{Contract, ContractInput, ContractStatus, Id, OwnerShare, QuoteLineInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::plan::{PlanDraft, PlanRows};
use crate::api::contracts::{TermsFormOptions, contract_form_options, save_contract};
use crate::components::forms::FormAlert;
use crate::components::lines_editor::{Lines, LinesEditor};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn TermsForm(contract: Contract, changed: RwSignal<u32>) -> impl IntoView {
    let id = contract.id;
    let options = Resource::new(move || id, contract_form_options);
    view! {
        <Loaded resource=options let:options>
            <TermsEditor contract=contract.clone() options=options changed=changed />
        </Loaded>
    }
}

/// As many owners as a deal may have.
const OWNER_ROWS: usize = 3;

/// One owner row as typed: a user id (empty: none) and a percent.
type OwnerRow = RwSignal<(String, String)>;

fn owner_rows(owners: &[OwnerShare]) -> [OwnerRow; OWNER_ROWS] {
    std::array::from_fn(|n| {
        RwSignal::new(
            owners
                .get(n)
                .map(|s| (s.user.to_string(), s.percent.to_string()))
                .unwrap_or_default(),
        )
    })
}

/// The owners typed, in row order; a percent that is no number counts as
/// 0, which the server refuses with the owners' message.
fn owner_shares(rows: &[OwnerRow]) -> Vec<OwnerShare> {
    rows.iter()
        .filter_map(|row| {
            let (user, percent) = row.get_untracked();
            let user = user.parse::<Id>().ok()?;
            let percent = percent
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .unwrap_or(0);
            Some(OwnerShare { user, percent })
        })
        .collect()
}

#[component]
fn TermsEditor(
    contract: Contract,
    options: TermsFormOptions,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let TermsFormOptions {
        products,
        owners: people,
    } = options;
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
    let owners = owner_rows(&terms.owners);
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
            owners: owner_shares(&owners),
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
            <OwnerRows rows=owners people=people error=error />
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
            <FormAlert error=error.into() fields=&[Field::Lines, Field::Owners] />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="save-terms" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Msg::Saving)() } else { i18n.t(Msg::Save)() }}
                </button>
            </div>
        </form>
    }
}

/// The contract's owners and the share of the credit each gets, as on a deal.
#[component]
fn OwnerRows(
    rows: [OwnerRow; OWNER_ROWS],
    people: Vec<(Id, String)>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="owner-rows" id="terms-owners">
            <legend>{i18n.t(Msg::Owners)}</legend>
            {rows
                .into_iter()
                .enumerate()
                .map(|(n, row)| {
                    let people = people.clone();
                    view! {
                        <div class="field-row">
                            <select id=format!("f-terms-owner-{n}") aria-label=i18n.t(Msg::Owner)
                                on:change=move |ev| row.update(|r| r.0 = event_target_value(&ev))>
                                <option value="" selected=move || row.get().0.is_empty()>"—"</option>
                                {people.into_iter().map(|(id, name)| {
                                    let value = id.to_string();
                                    let selected = {
                                        let value = value.clone();
                                        move || row.get().0 == value
                                    };
                                    view! { <option value=value selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                            <input id=format!("f-terms-share-{n}") inputmode="numeric" size="4" placeholder="%"
                                aria-label=i18n.t(Msg::CreditShare)
                                prop:value=move || row.get().1
                                on:input=move |ev| row.update(|r| r.1 = event_target_value(&ev)) />
                        </div>
                    }
                })
                .collect_view()}
            {move || error.get().filter(|e| e.field() == Some(Field::Owners)).map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })}
            <p class="field-hint">{i18n.t(Msg::OwnersHint)}</p>
        </fieldset>
    }
}
