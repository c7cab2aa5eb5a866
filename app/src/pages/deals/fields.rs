//! The inputs of the deal form, shared by the new and edit pages: the
//! customer and starting stage (new deals only), the figures, owners with
//! their credit shares, competitors, requirements and qualification.

use guanxi_core::Field;
use guanxi_core::model::{DealSize, Id};
use leptos::prelude::*;

use super::{pipeline_name, size_msg, stage_name};
use crate::api::deals::{CompetitorRow, DealForm, DealFormChoices, OwnerRow, size_code};
use crate::components::customer_picker::CustomerPicker;
use crate::components::forms::{TextField, field_id};
use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

const OWNER_ROWS: usize = 3;
const BLANK_COMPETITOR_ROWS: usize = 2;

#[component]
pub fn DealFields(
    initial: DealForm,
    menus: DealFormChoices,
    error: Signal<Option<AppError>>,
    /// A new deal picks its customer and starting stage; later the stage
    /// moves on the board.
    new: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let owner_options: Vec<(String, String)> = menus
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let mut competitors = initial.competitors.clone();
    competitors.extend((0..BLANK_COMPETITOR_ROWS).map(|_| Default::default()));
    view! {
        {if new {
            view! {
                <DealCustomer initial=menus.customer.clone() error=error />
                <StageSelect menus=menus />
            }
            .into_any()
        } else {
            view! { <input type="hidden" name="deal[customer_id]" value=initial.customer_id.clone() /> }.into_any()
        }}
        <TextField label=Msg::DealTitle name="deal[title]" field=Field::Title error=error value=initial.title.clone() required=true />
        <div class="field-row">
            <TextField label=Msg::Amount name="deal[amount]" field=Field::Amount error=error value=initial.amount.clone() placeholder=Msg::AmountPlaceholder prefix=i18n.currency_symbol() />
            <TextField label=Msg::ExpectedClose name="deal[expected_close]" field=Field::At error=error kind="date" value=initial.expected_close.clone() />
            <TextField label=Msg::Confidence name="deal[confidence]" field=Field::Confidence error=error value=initial.confidence.clone() hint=Msg::ConfidenceHint />
        </div>
        <OwnerRows owners=initial.owners.clone() options=owner_options error=error />
        <CompetitorRows competitors=competitors error=error />
        <div class="field">
            <label for="f-deal-requirements">{i18n.t(Msg::Requirements)}</label>
            <textarea id="f-deal-requirements" name="deal[requirements]" rows="3">{initial.requirements.clone()}</textarea>
        </div>
        <div class="field">
            <label for="f-deal-solution">{i18n.t(Msg::Solution)}</label>
            <textarea id="f-deal-solution" name="deal[solution]" rows="3">{initial.solution.clone()}</textarea>
        </div>
        <TextField label=Msg::SourceCampaign name="deal[source_campaign]" field=Field::Source error=error value=initial.source_campaign.clone() />
        <QualificationFields initial=initial />
    }
}

/// The open stages of every pipeline, as "pipeline · stage".
#[component]
fn StageSelect(menus: DealFormChoices) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let stage_options: Vec<(String, String)> = menus
        .pipelines
        .iter()
        .flat_map(|p| {
            let pipeline = pipeline_name(&p.name, locale);
            p.open_stages()
                .map(move |s| {
                    (
                        s.id.to_string(),
                        format!("{pipeline} · {}", stage_name(s, locale)),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    view! {
        <div class="field">
            <label for="f-deal-stage_id">{i18n.t(Msg::Stage)}</label>
            <select id="f-deal-stage_id" name="deal[stage_id]">
                {stage_options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// Up to three owners and the share of the credit each gets.
#[component]
fn OwnerRows(
    owners: Vec<OwnerRow>,
    /// (user id, name) of everyone who may own the deal.
    options: Vec<(String, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="owner-rows">
            <legend>{i18n.t(Msg::Owners)}</legend>
            {(0..OWNER_ROWS)
                .map(|n| {
                    let row = owners.get(n).cloned().unwrap_or_default();
                    let options = options.clone();
                    let user_name = format!("deal[owners][{n}][user]");
                    let percent_name = format!("deal[owners][{n}][percent]");
                    view! {
                        <div class="field-row">
                            <select id=field_id(&user_name) name=user_name aria-label=i18n.t(Msg::Owner)>
                                <option value="">"—"</option>
                                {options.into_iter().map(|(value, label)| {
                                    let selected = value == row.user;
                                    view! { <option value=value selected=selected>{label}</option> }
                                }).collect_view()}
                            </select>
                            <input id=field_id(&percent_name) name=percent_name value=row.percent inputmode="numeric" size="4" aria-label=i18n.t(Msg::CreditShare) placeholder="%" />
                        </div>
                    }
                })
                .collect_view()}
            {move || error.get().filter(|e| e.field() == Some(Field::Owners)).map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })}
            <p class="field-hint">{i18n.t(Msg::OwnersHint)}</p>
        </fieldset>
    }
}

/// The competitors known so far, and blank rows to add more.
#[component]
fn CompetitorRows(
    competitors: Vec<CompetitorRow>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="competitor-rows">
            <legend>{i18n.t(Msg::Competitors)}</legend>
            {competitors
                .into_iter()
                .enumerate()
                .map(|(n, row)| {
                    let name = move |part: &str| format!("deal[competitors][{n}][{part}]");
                    view! {
                        <div class="field-row">
                            <input id=field_id(&name("name")) name=name("name") value=row.name placeholder=i18n.t(Msg::Name) aria-label=i18n.t(Msg::Name) />
                            <input id=field_id(&name("price")) name=name("price") value=row.price placeholder=i18n.t(Msg::Price) aria-label=i18n.t(Msg::Price) inputmode="decimal" />
                            <input id=field_id(&name("strengths")) name=name("strengths") value=row.strengths placeholder=i18n.t(Msg::Strengths) aria-label=i18n.t(Msg::Strengths) />
                            <input id=field_id(&name("weaknesses")) name=name("weaknesses") value=row.weaknesses placeholder=i18n.t(Msg::Weaknesses) aria-label=i18n.t(Msg::Weaknesses) />
                        </div>
                    }
                })
                .collect_view()}
            {move || error.get().filter(|e| e.field() == Some(Field::Competitors)).map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })}
        </fieldset>
    }
}

/// Whether the deal is worth pursuing, how big, for how much, and the next
/// milestone.
#[component]
fn QualificationFields(initial: DealForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="qualification">
            <legend>{i18n.t(Msg::Qualification)}</legend>
            <p class="field-hint">{i18n.t(Msg::QualificationHint)}</p>
            <div class="field-row">
                <select name="deal[valuable]" id="f-deal-valuable" aria-label=i18n.t(Msg::Valuable)>
                    {[("", Msg::NotQualified), ("yes", Msg::Valuable), ("no", Msg::NotValuable)]
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = initial.valuable == value;
                            view! { <option value=value selected=selected>{i18n.t(label)}</option> }
                        })
                        .collect_view()}
                </select>
                <select name="deal[size]" id="f-deal-size" aria-label=i18n.t(Msg::DealSize)>
                    {[DealSize::Big, DealSize::Medium, DealSize::Small]
                        .into_iter()
                        .map(|size| {
                            let value = size_code(size);
                            let selected = initial.size == value;
                            view! { <option value=value selected=selected>{i18n.t(size_msg(size))}</option> }
                        })
                        .collect_view()}
                </select>
                <input name="deal[expected_amount]" id="f-deal-expected_amount" value=initial.expected_amount.clone() placeholder=i18n.t(Msg::ExpectedAmount) aria-label=i18n.t(Msg::ExpectedAmount) inputmode="decimal" />
                <input name="deal[next_milestone]" id="f-deal-next_milestone" value=initial.next_milestone.clone() placeholder=i18n.t(Msg::NextMilestone) aria-label=i18n.t(Msg::NextMilestone) />
            </div>
        </fieldset>
    }
}

/// The deal's customer: picked by typing part of its name.
#[component]
fn DealCustomer(initial: Option<(Id, String)>, error: Signal<Option<AppError>>) -> impl IntoView {
    let chosen = RwSignal::new(initial);
    view! {
        <input type="hidden" name="deal[customer_id]" value=move || chosen.get().map(|c| c.0.to_string()).unwrap_or_default() />
        <CustomerPicker chosen=chosen prefix="deal" error=error />
    }
}
