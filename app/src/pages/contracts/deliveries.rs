//! A contract's deliveries: each line's ordered and delivered quantity
//! with its revenue, cost and gross margin by the company's cost method,
//! the form to deliver against a line, and the deliveries made.

use guanxi_core::Field;
use guanxi_core::model::ContractStock;
use leptos::prelude::*;

use crate::api::stock::Deliver;
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::i18n::{Msg, cost_method_msg, fill, use_i18n};

const DELIVERY_FIELDS: &[Field] = &[Field::Line, Field::Quantity, Field::At];

#[component]
pub fn DeliveriesCard(
    contract: guanxi_core::model::Id,
    stock: ContractStock,
    today: chrono::NaiveDate,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let deliver = ServerAction::<Deliver>::new();
    let error = last_error(deliver.value());
    Effect::new(move || {
        if let Some(Ok(_)) = deliver.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let method = stock.method;
    let goods: Vec<_> = stock
        .lines
        .iter()
        .filter(|l| l.product_id.is_some())
        .cloned()
        .collect();
    let options: Vec<(String, String)> = goods
        .iter()
        .filter(|l| l.delivered < l.ordered)
        .map(|l| {
            let left = guanxi_core::model::Quantity(l.ordered.0 - l.delivered.0);
            (
                l.line.to_string(),
                format!("{}. {} · {} {}", l.line + 1, l.description, left, l.unit),
            )
        })
        .collect();
    let may_deliver = stock.may_deliver && !options.is_empty();
    view! {
        <section class="card" id="deliveries-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::DeliveriesTitle)}</h2>
                <span class="muted">{move || fill(Msg::MarginNote.text(i18n.locale.get()), &[("method", cost_method_msg(method).text(i18n.locale.get()))])}</span>
            </div>
            <div class="table-wrap">
                <table class="table" id="margin-table">
                    <thead><tr>
                        <th>{i18n.t(Msg::LineNo)}</th>
                        <th>{i18n.t(Msg::LineDescription)}</th>
                        <th class="num">{i18n.t(Msg::Ordered)}</th>
                        <th class="num">{i18n.t(Msg::Delivered)}</th>
                        <th class="num">{i18n.t(Msg::Revenue)}</th>
                        <th class="num">{i18n.t(Msg::Cost)}</th>
                        <th class="num">{i18n.t(Msg::GrossMargin)}</th>
                    </tr></thead>
                    <tbody>
                        {goods.into_iter().map(|l| view! {
                            <tr data-line=l.line>
                                <td>{l.line + 1}</td>
                                <td>{l.description.clone()}</td>
                                <td class="num">{l.ordered.to_string()} " " {l.unit.clone()}</td>
                                <td class="num line-delivered">{l.delivered.to_string()}</td>
                                <td class="num line-revenue">{i18n.money(l.revenue)}</td>
                                <td class="num line-cost">{i18n.money(l.cost)}</td>
                                <td class="num line-margin" class:overdue-amount=l.margin.0 < 0>{i18n.money(l.margin)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {if stock.deliveries.is_empty() {
                view! { <p class="muted">{i18n.t(Msg::NoDeliveries)}</p> }.into_any()
            } else {
                view! {
                    <ul class="history" id="deliveries-list">
                        {stock.deliveries.iter().map(|d| view! {
                            <li>
                                <strong>{format!("{} {}", guanxi_core::model::Quantity(-d.movement.quantity.0), d.unit)}</strong>
                                " " {d.product_name.clone()}
                                <span class="muted">{format!(" · {} · ", d.movement.date.format("%Y-%m-%d"))} {i18n.t(Msg::Cost)} " " {d.cost.map(|c| i18n.money(c)()).unwrap_or_default()} {format!(" · {}", d.recorded_by_name)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {may_deliver.then(|| view! {
                <ActionForm action=deliver attr:class="form delivery-form" attr:id="delivery-form">
                    <h3>{i18n.t(Msg::RecordDelivery)}</h3>
                    <input type="hidden" name="delivery[contract]" value=contract.to_string() />
                    <SelectField label=Msg::DeliveryLine name="delivery[line]" field=Field::Line error=error options=options.clone() />
                    <div class="field-row">
                        <TextField label=Msg::LineQuantity name="delivery[quantity]" field=Field::Quantity error=error required=true />
                        <TextField label=Msg::MoveDate name="delivery[date]" kind="date" field=Field::At error=error value=today.format("%Y-%m-%d").to_string() required=true />
                    </div>
                    <FormAlert error=error fields=DELIVERY_FIELDS />
                    <div class="form-actions"><SubmitButton label=Msg::RecordDelivery pending=deliver.pending().into() /></div>
                </ActionForm>
            })}
        </section>
    }
}
