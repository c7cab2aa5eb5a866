//! What customers still owe on signed contracts, by how late: the
//! company's total, then per customer and per rep (SPEC §4).

use guanxi_core::domain::money::Aging;
use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::contracts::get_receivables;
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_receivables());
    view! {
        <PageHeader title=Msg::ReceivablesTitle intro=Msg::ReceivablesIntro />
        <Loaded resource=data let:r>
            <section class="card" id="receivables-company">
                <h2>{i18n.t(Msg::ReceivablesCompany)}</h2>
                <AgingTable rows=vec![(None, i18n.t(Msg::ReceivablesCompany)().to_string(), r.company)] first=Msg::ReceivablesCompany id="aging-company" />
            </section>
            <section class="card" id="receivables-customers">
                <h2>{i18n.t(Msg::ReceivablesByCustomer)}</h2>
                {(r.customers_total > r.customers.len()).then(|| {
                    let counts = (r.customers_total.to_string(), r.customers.len().to_string());
                    view! {
                        <p class="muted" id="receivables-count">
                            {move || fill(i18n.t(Msg::ShowingCount)(), &[("total", &counts.0), ("from", "1"), ("to", &counts.1)])}
                        </p>
                    }
                })}
                <AgingTable rows=r.customers.into_iter().map(|(id, name, a)| (Some(format!("/customers/{id}")), name, a)).collect() first=Msg::Customer id="aging-customers" />
            </section>
            <section class="card" id="receivables-reps">
                <h2>{i18n.t(Msg::ReceivablesByRep)}</h2>
                <AgingTable rows=r.reps.into_iter().map(|(_, name, a): (Id, String, Aging)| (None, name, a)).collect() first=Msg::Owner id="aging-reps" />
            </section>
        </Loaded>
    }
}

#[component]
fn AgingTable(
    rows: Vec<(Option<String>, String, Aging)>,
    first: Msg,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    if rows.iter().all(|r| r.2.total().0 == 0) {
        return view! { <p class="muted">{i18n.t(Msg::NothingOwed)}</p> }.into_any();
    }
    let cell = move |c: guanxi_core::model::Cents, late: bool| {
        let owed_late = late && c.0 > 0;
        view! { <td class="num" class:overdue-amount=owed_late>{if c.0 == 0 { "—".to_string() } else { i18n.money(c)() }}</td> }
    };
    view! {
        <div class="table-wrap">
            <table class="table aging" id=id>
                <thead>
                    <tr>
                        <th>{i18n.t(first)}</th>
                        <th class="num">{i18n.t(Msg::AgingNotDue)}</th>
                        <th class="num">{i18n.t(Msg::Aging1To30)}</th>
                        <th class="num">{i18n.t(Msg::Aging31To60)}</th>
                        <th class="num">{i18n.t(Msg::Aging61To90)}</th>
                        <th class="num">{i18n.t(Msg::AgingOver90)}</th>
                        <th class="num">{i18n.t(Msg::Overdue)}</th>
                        <th class="num">{i18n.t(Msg::Outstanding)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(href, name, a)| view! {
                        <tr>
                            <td class="strong">{match href {
                                Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                                None => view! { <span>{name}</span> }.into_any(),
                            }}</td>
                            {cell(a.not_due, false)}
                            {cell(a.days_1_30, true)}
                            {cell(a.days_31_60, true)}
                            {cell(a.days_61_90, true)}
                            {cell(a.over_90, true)}
                            {cell(a.overdue(), true)}
                            <td class="num strong">{i18n.money(a.total())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
