//! Contracts: the list, the contract page (lines, lifecycle, approval,
//! payment plan, payments received, versions and what changed between
//! them) and the receivables page with aging.

pub mod deliveries;
pub mod detail;
pub mod import;
mod plan;
pub mod receivables;
mod terms;

use guanxi_core::model::{ContractStatus, Id, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::contracts::{
    CONTRACT_PAGE, ContractListFilter, ContractRow, contract_from_deal, contracts_of_deal,
    get_contracts,
};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, contract_status_msg, fill, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn ContractsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let filter = move || {
        query.with(|q| ContractListFilter {
            signed_from: q.get("signed_from").and_then(|d| d.parse().ok()),
            signed_to: q.get("signed_to").and_then(|d| d.parse().ok()),
            owner: q.get("owner").and_then(|o| o.parse().ok()),
        })
    };
    let contracts = Resource::new(
        move || (page(), filter()),
        |(page, filter)| get_contracts(page, filter),
    );
    let i18n = use_i18n();
    // Past orders are imported by admins and managers, as products are.
    let may_import = crate::layout::use_current_user().role != Role::Rep;
    view! {
        <PageHeader title=Msg::ContractsTitle intro=Msg::ContractsIntro>
            {may_import.then(|| view! {
                <a class="btn" href="/contracts/import" id="import-orders">{i18n.t(Msg::ImportOrders)}</a>
            })}
        </PageHeader>
        {move || {
            let filter = filter();
            (!filter.is_empty()).then(|| view! { <SignedFilterNote filter=filter /> })
        }}
        <Loaded resource=contracts let:page>
            <ContractTable rows=page.rows.clone() />
            <ContractPager page=page.page total=page.total shown=page.rows.len() filter=filter() />
        </Loaded>
    }
}

/// The list's filter in words, with a way back to every contract.
#[component]
fn SignedFilterNote(filter: ContractListFilter) -> impl IntoView {
    let i18n = use_i18n();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = fill(
        i18n.t(Msg::ContractsSignedBetween)(),
        &[
            ("from", &day(filter.signed_from)),
            ("to", &day(filter.signed_to)),
        ],
    );
    let owner = filter
        .owner
        .is_some()
        .then(|| i18n.t(Msg::ContractsOfOneOwner)());
    view! {
        <p class="alert alert-info" id="contracts-filter">
            {text} {owner.map(|o| format!(" · {o}"))} " "
            <A href="/contracts" attr:class="btn btn-small btn-quiet">{i18n.t(Msg::ClearFilters)}</A>
        </p>
    }
}

/// `/contracts?…` of page `page` under `filter`.
fn list_link(page: usize, filter: &ContractListFilter) -> String {
    let mut link = format!("/contracts?page={page}");
    for (key, value) in [
        ("signed_from", filter.signed_from.map(|d| d.to_string())),
        ("signed_to", filter.signed_to.map(|d| d.to_string())),
        ("owner", filter.owner.map(|o| o.to_string())),
    ] {
        if let Some(value) = value {
            link.push_str(&format!("&{key}={value}"));
        }
    }
    link
}

/// "51–100 of 60,000" with links to the pages either side.
#[component]
fn ContractPager(
    page: usize,
    total: usize,
    shown: usize,
    filter: ContractListFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let from = page * CONTRACT_PAGE + 1;
    let to = from + shown - 1;
    let has_prev = page > 0;
    let has_next = to < total;
    let prev = list_link(page.saturating_sub(1), &filter);
    let next = list_link(page + 1, &filter);
    let counts = (total.to_string(), from.to_string(), to.to_string());
    (total > 0).then(|| view! {
        <div class="pager">
            <span class="muted" id="contracts-count">
                {move || fill(i18n.t(Msg::ShowingCount)(), &[("total", &counts.0), ("from", &counts.1), ("to", &counts.2)])}
            </span>
            <span class="spacer"></span>
            <Show when=move || has_prev>
                <A href=prev.clone() attr:class="btn btn-small">{i18n.t(Msg::Previous)}</A>
            </Show>
            <Show when=move || has_next>
                <A href=next.clone() attr:class="btn btn-small">{i18n.t(Msg::Next)}</A>
            </Show>
        </div>
    })
}

#[component]
pub fn ContractStatusBadge(status: ContractStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        ContractStatus::Executing => "badge ok",
        ContractStatus::Cancelled | ContractStatus::Closed => "badge off",
        ContractStatus::PendingApproval => "badge warn",
        _ => "badge",
    };
    view! { <span class=format!("{class} contract-status") data-status=status.code()>{i18n.t(contract_status_msg(status))}</span> }
}

/// The contracts of a deal on its page; a won deal without a live
/// contract offers to create it (its amount as one line, its owners and
/// their credit split).
#[component]
pub fn DealContractsCard(deal: Id, won: bool, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let contracts = Resource::new(move || deal, contracts_of_deal);
    let error = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    let create = move |_| {
        let locale = i18n.now();
        let navigate = navigate.clone();
        spawn_local(async move {
            match contract_from_deal(deal).await {
                Ok(contract) => navigate(&format!("/contracts/{contract}"), Default::default()),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <section class="card" id="deal-contracts">
            <div class="card-head">
                <h2>{i18n.t(Msg::NavContracts)}</h2>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new({
                    let create = create.clone();
                    async move {
                        let rows = contracts.await.unwrap_or_default();
                        let live = rows.iter().any(|c| c.status != ContractStatus::Cancelled);
                        let offer = (won && can_edit && !live).then(|| view! {
                            <div class="stack-gap" id="deal-contract-offer">
                                <p>{i18n.t(Msg::DealWonNeedsContract)}</p>
                                <button type="button" class="btn btn-primary btn-small" id="create-deal-contract" on:click=create.clone()>
                                    {i18n.t(Msg::CreateContract)}
                                </button>
                            </div>
                        });
                        let list = if rows.is_empty() {
                            (!won).then(|| view! { <p class="muted">{i18n.t(Msg::NoContracts)}</p> }.into_any())
                        } else {
                            Some(view! {
                                <ul class="history">
                                    {rows.into_iter().map(|c| {
                                        let (number, label) = (c.number.clone(), c.number.clone());
                                        view! {
                                            <li data-contract=number>
                                                <A href=format!("/contracts/{}", c.id) attr:class="mono">{label}</A>
                                                <span class="muted">" · " {i18n.money(c.terms.amount())} " "</span>
                                                <ContractStatusBadge status=c.status />
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any())
                        };
                        view! { {list} {offer} }
                    }
                })}
            </Transition>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
        </section>
    }
}

#[component]
fn ContractTable(rows: Vec<ContractRow>) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="muted empty-note card">{i18n.t(Msg::NoContracts)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap card">
            <table class="table" id="contracts-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::ContractNumber)}</th>
                        <th>{i18n.t(Msg::Customer)}</th>
                        <th>{i18n.t(Msg::QuoteTitle)}</th>
                        <th class="num">{i18n.t(Msg::ContractAmount)}</th>
                        <th class="num">{i18n.t(Msg::Received)}</th>
                        <th>{i18n.t(Msg::SignDate)}</th>
                        <th>{i18n.t(Msg::FilterStatus)}</th>
                        <th>{i18n.t(Msg::Owner)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let c = row.contract;
                        let (number, href) = (c.number.clone(), format!("/contracts/{}", c.id));
                        let customer_href = format!("/customers/{}", c.customer_id);
                        view! {
                            <tr data-contract=c.number.clone()>
                                <td class="strong mono"><A href=href>{number}</A></td>
                                <td><A href=customer_href>{row.customer_name.clone()}</A></td>
                                <td>{c.terms.title.clone()}</td>
                                <td class="num">{i18n.money(c.terms.amount())}</td>
                                <td class="num">{i18n.money(c.paid())}</td>
                                <td>{c.terms.sign_date.format("%Y-%m-%d").to_string()}</td>
                                <td><ContractStatusBadge status=c.status /></td>
                                <td>{row.owner_name.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
