//! The stock page: what is on hand of each product, the low-stock
//! warnings, and for admins and managers the stock-in and adjustment forms
//! and every move with its cost (SPEC §4).

use guanxi_core::Field;
use guanxi_core::model::{StockLevel, StockMoveKind, StockMoveRow};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::stock::{AdjustStock, StockIn, StockView, get_stock};
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, cost_method_msg, fill, use_i18n};
use crate::pages::PageHeader;

const STOCK_IN_FIELDS: &[Field] = &[
    Field::Product,
    Field::Quantity,
    Field::UnitPrice,
    Field::At,
    Field::Supplier,
];
const ADJUSTMENT_FIELDS: &[Field] = &[Field::Product, Field::Quantity, Field::Reason, Field::At];

pub fn move_kind_msg(kind: StockMoveKind) -> Msg {
    match kind {
        StockMoveKind::Purchase => Msg::MovePurchase,
        StockMoveKind::Adjustment => Msg::MoveAdjustment,
        StockMoveKind::Delivery => Msg::MoveDelivery,
    }
}

#[component]
pub fn StockPage() -> impl IntoView {
    let stock_in = ServerAction::<StockIn>::new();
    let adjust = ServerAction::<AdjustStock>::new();
    // Reloaded on a save that succeeded only, so a refused form keeps
    // what was typed beside its error.
    let saved = RwSignal::new(0u32);
    Effect::new(move || {
        if let Some(Ok(_)) = stock_in.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = adjust.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || saved.get(), |_| get_stock());
    view! {
        <PageHeader title=Msg::StockTitle intro=Msg::StockIntro />
        <Loaded resource=data let:v>
            <StockSheet v=v stock_in=stock_in adjust=adjust />
        </Loaded>
    }
}

#[component]
fn StockSheet(
    v: StockView,
    stock_in: ServerAction<StockIn>,
    adjust: ServerAction<AdjustStock>,
) -> impl IntoView {
    let i18n = use_i18n();
    let low: Vec<StockLevel> = v.levels.levels.iter().filter(|l| l.low).cloned().collect();
    let method = v.levels.method;
    let can_edit = v.can_edit;
    let today = v.today.format("%Y-%m-%d").to_string();
    let products: Vec<(String, String)> = v
        .levels
        .levels
        .iter()
        .map(|l| (l.product_id.to_string(), format!("{} {}", l.code, l.name)))
        .collect();
    view! {
        {(!can_edit).then(|| view! { <p class="muted">{i18n.t(Msg::StockIntroRep)}</p> })}
        {(!low.is_empty()).then(|| view! {
            <section class="card low-stock" id="low-stock">
                <h2>{i18n.t(Msg::LowStockTitle)}</h2>
                <ul class="history">
                    {low.into_iter().map(|l| view! {
                        <li data-code=l.code.clone()>
                            <span class="badge warn">{l.code.clone()}</span> " " <strong>{l.name.clone()}</strong>
                            <span class="muted">" · " {move || fill(Msg::LowStockLine.text(i18n.locale.get()), &[
                                ("on_hand", &l.on_hand.to_string()),
                                ("unit", &l.unit),
                                ("threshold", &l.threshold.map(|t| t.to_string()).unwrap_or_default()),
                            ])}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card">
            <div class="card-head">
                <h2>{i18n.t(Msg::OnHand)}</h2>
                <span class="muted" id="cost-method">{move || fill(Msg::CostMethodIs.text(i18n.locale.get()), &[("method", cost_method_msg(method).text(i18n.locale.get()))])}</span>
            </div>
            <LevelsTable levels=v.levels.levels.clone() show_value=can_edit />
        </section>
        {can_edit.then(|| view! {
            <div class="sheet-grid">
                <StockInCard action=stock_in products=products.clone() today=today.clone() />
                <AdjustmentCard action=adjust products=products.clone() today=today.clone() />
            </div>
            <section class="card" id="stock-moves">
                <h2>{i18n.t(Msg::StockMovesTitle)}</h2>
                <MovesTable moves=v.moves.clone() />
            </section>
        })}
    }
}

#[component]
fn LevelsTable(levels: Vec<StockLevel>, show_value: bool) -> impl IntoView {
    let i18n = use_i18n();
    if levels.is_empty() {
        return view! { <p class="muted">{i18n.t(Msg::NoProducts)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" id="stock-levels">
                <thead><tr>
                    <th>{i18n.t(Msg::ProductCode)}</th>
                    <th>{i18n.t(Msg::ProductName)}</th>
                    <th class="num">{i18n.t(Msg::OnHand)}</th>
                    <th>{i18n.t(Msg::ProductUnit)}</th>
                    <th class="num">{i18n.t(Msg::LowStockThreshold)}</th>
                    {show_value.then(|| view! { <th class="num">{i18n.t(Msg::StockValue)}</th> })}
                </tr></thead>
                <tbody>
                    {levels.into_iter().map(|l| view! {
                        <tr data-code=l.code.clone() class:overdue-row=l.low>
                            <td class="strong mono">{l.code.clone()}</td>
                            <td>{l.name.clone()}</td>
                            <td class="num on-hand">{l.on_hand.to_string()} {l.low.then(|| view! { " " <span class="badge warn">{i18n.t(Msg::LowStockTitle)}</span> })}</td>
                            <td>{l.unit.clone()}</td>
                            <td class="num">{l.threshold.map(|t| t.to_string()).unwrap_or_default()}</td>
                            {show_value.then(|| view! { <td class="num">{i18n.money(l.value)}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn product_options(
    products: &[(String, String)],
    i18n: crate::i18n::I18n,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), i18n.t(Msg::ChooseProduct)().to_string()))
        .chain(products.iter().cloned())
        .collect()
}

#[component]
fn StockInCard(
    action: ServerAction<StockIn>,
    products: Vec<(String, String)>,
    today: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    view! {
        <section class="card" id="stock-in-card">
            <h2>{i18n.t(Msg::StockInTitle)}</h2>
            <ActionForm action=action attr:class="form" attr:id="stock-in-form">
                <SelectField label=Msg::LineProduct name="purchase[product_id]" field=Field::Product error=error options=product_options(&products, i18n) />
                <div class="field-row">
                    <TextField label=Msg::LineQuantity name="purchase[quantity]" field=Field::Quantity error=error required=true />
                    <TextField label=Msg::UnitCost name="purchase[unit_cost]" field=Field::UnitPrice error=error required=true prefix=i18n.currency_symbol() />
                </div>
                <div class="field-row">
                    <TextField label=Msg::MoveDate name="purchase[date]" kind="date" field=Field::At error=error value=today required=true />
                    <TextField label=Msg::Supplier name="purchase[supplier]" field=Field::Supplier error=error />
                </div>
                <FormAlert error=error fields=STOCK_IN_FIELDS />
                <div class="form-actions"><SubmitButton label=Msg::RecordStockIn pending=action.pending().into() /></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn AdjustmentCard(
    action: ServerAction<AdjustStock>,
    products: Vec<(String, String)>,
    today: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    view! {
        <section class="card" id="adjustment-card">
            <h2>{i18n.t(Msg::AdjustmentTitle)}</h2>
            <ActionForm action=action attr:class="form" attr:id="adjustment-form">
                <SelectField label=Msg::LineProduct name="adjustment[product_id]" field=Field::Product error=error options=product_options(&products, i18n) />
                <div class="field-row">
                    <TextField label=Msg::LineQuantity name="adjustment[quantity]" field=Field::Quantity error=error required=true hint=Msg::AdjustQuantityHint />
                    <TextField label=Msg::MoveDate name="adjustment[date]" kind="date" field=Field::At error=error value=today required=true />
                </div>
                <TextField label=Msg::AdjustReason name="adjustment[reason]" field=Field::Reason error=error required=true />
                <FormAlert error=error fields=ADJUSTMENT_FIELDS />
                <div class="form-actions"><SubmitButton label=Msg::RecordAdjustment pending=action.pending().into() /></div>
            </ActionForm>
        </section>
    }
}

/// Moves with their cost; `with_product` adds the product column.
#[component]
pub fn MovesTable(moves: Vec<StockMoveRow>) -> impl IntoView {
    let i18n = use_i18n();
    if moves.is_empty() {
        return view! { <p class="muted">{i18n.t(Msg::NoStockMoves)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" id="moves-table">
                <thead><tr>
                    <th>{i18n.t(Msg::MoveDate)}</th>
                    <th>{i18n.t(Msg::MoveKind)}</th>
                    <th>{i18n.t(Msg::LineProduct)}</th>
                    <th class="num">{i18n.t(Msg::LineQuantity)}</th>
                    <th class="num">{i18n.t(Msg::UnitCost)}</th>
                    <th class="num">{i18n.t(Msg::MoveCost)}</th>
                    <th>{i18n.t(Msg::MoveDetail)}</th>
                    <th>{i18n.t(Msg::RecordedBy)}</th>
                </tr></thead>
                <tbody>
                    {moves.into_iter().map(|r| {
                        let m = r.movement;
                        let detail = match (m.kind, m.contract_id, r.contract_number) {
                            (StockMoveKind::Delivery, Some(c), Some(n)) => view! { <A href=format!("/contracts/{c}")>{n}</A> }.into_any(),
                            _ => view! { <span>{m.supplier.or(m.reason).unwrap_or_default()}</span> }.into_any(),
                        };
                        let signed = if m.quantity.0 > 0 { format!("+{}", m.quantity) } else { m.quantity.to_string() };
                        view! {
                            <tr data-kind=m.kind.code()>
                                <td>{m.date.format("%Y-%m-%d").to_string()}</td>
                                <td>{i18n.t(move_kind_msg(m.kind))}</td>
                                <td><span class="mono">{r.product_code}</span> " " {r.product_name}</td>
                                <td class="num">{signed} " " {r.unit}</td>
                                <td class="num">{m.unit_cost.map(|c| i18n.money(c)()).unwrap_or_default()}</td>
                                <td class="num">{r.cost.map(|c| i18n.money(c)()).unwrap_or_default()}</td>
                                <td>{detail}</td>
                                <td>{r.recorded_by_name}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
