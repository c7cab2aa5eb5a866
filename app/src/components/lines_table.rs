//! Priced lines with their totals, as quotes, contracts and the printed
//! quote show them.

use guanxi_core::model::{QuoteLine, Rate, Totals};
use leptos::prelude::*;

use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn LinesTable(lines: Vec<QuoteLine>, tax_rate: Rate, totals: Totals) -> impl IntoView {
    let i18n = use_i18n();
    let any_discount = lines.iter().any(|l| l.discount.0 > 0);
    view! {
        <div class="table-wrap">
            <table class="table lines-table" id="lines">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::LineNo)}</th>
                        <th>{i18n.t(Msg::LineDescription)}</th>
                        <th class="num">{i18n.t(Msg::LineQuantity)}</th>
                        <th>{i18n.t(Msg::ProductUnit)}</th>
                        <th class="num">{i18n.t(Msg::LineUnitPrice)}</th>
                        {any_discount.then(|| view! { <th class="num">{i18n.t(Msg::LineDiscount)}</th> })}
                        <th class="num">{i18n.t(Msg::LineNet)}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.iter().enumerate().map(|(n, l)| view! {
                        <tr>
                            <td>{n + 1}</td>
                            <td>
                                {l.description.clone()}
                                {l.code.clone().map(|c| view! { <span class="muted mono">{format!(" {c}")}</span> })}
                            </td>
                            <td class="num">{l.quantity.to_string()}</td>
                            <td>{l.unit.clone()}</td>
                            <td class="num">{i18n.money(l.unit_price)}</td>
                            {any_discount.then(|| view! { <td class="num">{(l.discount.0 > 0).then(|| format!("{}%", l.discount))}</td> })}
                            <td class="num">{i18n.money(l.net)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <dl class="totals" id="quote-totals">
            <dt>{i18n.t(Msg::NetTotal)}</dt><dd id="total-net">{i18n.money(totals.net)}</dd>
            <dt>{fill(Msg::TaxAt.text(i18n.now()), &[("rate", &tax_rate.to_string())])}</dt><dd id="total-tax">{i18n.money(totals.tax)}</dd>
            <dt class="gross">{i18n.t(Msg::GrossTotal)}</dt><dd class="gross" id="total-gross">{i18n.money(totals.gross)}</dd>
        </dl>
    }
}
