//! Quotes: the list, the form, the quote page with its actions and
//! approval, and the printable quote.

pub mod detail;
pub mod form;
pub mod print;

use guanxi_core::model::{Id, QuoteRow, QuoteStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::quotes::{get_quotes, quotes_of};
use crate::components::forms::FilterSelect;
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, quote_status_msg, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn QuotesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let quotes = Resource::new(status, get_quotes);
    let options: Vec<(String, String)> = QuoteStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_string(),
                quote_status_msg(*s).text(i18n.now()).to_string(),
            )
        })
        .collect();
    view! {
        <PageHeader title=Msg::QuotesTitle intro=Msg::QuotesIntro>
            <A href="/quotes/new" attr:class="btn btn-primary" attr:id="new-quote">"+ " {i18n.t(Msg::NewQuote)}</A>
        </PageHeader>
        <form class="filters" method="get" action="/quotes">
            <FilterSelect name="status" any=Msg::AnyStatus options=options current=status() />
        </form>
        <Loaded resource=quotes let:rows>
            <QuoteTable rows=rows show_customer=true />
        </Loaded>
    }
}

/// A status as a badge, coloured by how far the quote got.
#[component]
pub fn QuoteStatusBadge(status: QuoteStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        QuoteStatus::Accepted => "badge ok",
        QuoteStatus::Rejected | QuoteStatus::Expired => "badge off",
        QuoteStatus::PendingApproval => "badge warn",
        _ => "badge",
    };
    view! { <span class=format!("{class} quote-status") data-status=status.code()>{i18n.t(quote_status_msg(status))}</span> }
}

/// Quotes as a table: number, customer, title, gross total, validity,
/// status, owner.
#[component]
pub fn QuoteTable(rows: Vec<QuoteRow>, show_customer: bool) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="muted empty-note">{i18n.t(Msg::NoQuotes)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap card">
            <table class="table quotes-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::QuoteNumber)}</th>
                        {show_customer.then(|| view! { <th>{i18n.t(Msg::Customer)}</th> })}
                        <th>{i18n.t(Msg::QuoteTitle)}</th>
                        <th class="num">{i18n.t(Msg::GrossTotal)}</th>
                        <th>{i18n.t(Msg::ValidUntil)}</th>
                        <th>{i18n.t(Msg::FilterStatus)}</th>
                        <th>{i18n.t(Msg::Owner)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let q = row.quote;
                            let (number, href) = (q.number.clone(), format!("/quotes/{}", q.id));
                            let customer_href = format!("/customers/{}", q.customer_id);
                            let customer_name = row.customer_name.clone();
                            view! {
                                <tr data-quote=q.number.clone()>
                                    <td class="strong mono"><A href=href>{number}</A></td>
                                    {show_customer.then(|| view! {
                                        <td><A href=customer_href.clone()>{customer_name.clone()}</A></td>
                                    })}
                                    <td>{q.title.clone()}</td>
                                    <td class="num">{i18n.money(q.totals.gross)}</td>
                                    <td>{q.valid_until.format("%Y-%m-%d").to_string()}</td>
                                    <td><QuoteStatusBadge status=row.status /></td>
                                    <td>{row.owner_name.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The quotes of a customer or of a deal on its page, newest first, and a
/// way to write another.
#[component]
pub fn QuotesCard(customer: Id, #[prop(optional)] deal: Option<Id>) -> impl IntoView {
    let i18n = use_i18n();
    let quotes = Resource::new(move || (customer, deal), |(c, d)| quotes_of(Some(c), d));
    let new_href = match deal {
        Some(d) => format!("/quotes/new?customer={customer}&deal={d}"),
        None => format!("/quotes/new?customer={customer}"),
    };
    view! {
        <section class="card" id="quotes-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::QuotesOfCustomer)}</h2>
                <A href=new_href attr:class="btn btn-small" attr:id="new-customer-quote">"+ " {i18n.t(Msg::NewQuote)}</A>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = quotes.await.unwrap_or_default();
                    if rows.is_empty() {
                        return view! { <p class="muted">{i18n.t(Msg::NoQuotes)}</p> }.into_any();
                    }
                    view! {
                        <ul class="history">
                            {rows.into_iter().map(|r| view! {
                                <li>
                                    <A href=format!("/quotes/{}", r.quote.id) attr:class="mono">{r.quote.number.clone()}</A>
                                    <span class="muted">" · " {i18n.money(r.quote.totals.gross)} " "</span>
                                    <QuoteStatusBadge status=r.status />
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}
