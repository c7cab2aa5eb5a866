//! The customer list and the public pool: filters in the URL, one server
//! page at a time, a selection for bulk actions.

use std::collections::BTreeSet;

use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::bulk::{BulkBar, BulkOutcomeNote, use_bulk_action};
use super::{TypeBadge, or_dash, type_filter_options};
use crate::api::customers::{
    ClaimCustomer, CustomerPage, CustomerRow, FilterMenus, ListParams, list_customers, list_menus,
};
use crate::components::forms::{FilterSelect, FormAlert, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    view! { <CustomerList pool=false /> }
}

#[component]
pub fn PoolPage() -> impl IntoView {
    view! { <CustomerList pool=true /> }
}

#[component]
fn CustomerList(pool: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let params = move || {
        let mut p = ListParams::from_query(param);
        if pool {
            p.scope = "pool".into();
        }
        p
    };
    let selected = RwSignal::new(BTreeSet::<Id>::new());
    let changed = RwSignal::new(0usize);
    let page = Resource::new(
        move || (params(), changed.get()),
        |(params, _)| list_customers(params),
    );
    let menus = Resource::new(move || changed.get(), |_| list_menus());
    let bulk = use_bulk_action(selected, changed);
    let export_href = move || {
        let mut q = query.get();
        if pool {
            q.replace("scope", "pool".to_string());
        }
        format!("/api/v1/customers.csv{}", q.to_query_string())
    };
    let (title, intro) = if pool {
        (Msg::PoolTitle, Msg::PoolIntro)
    } else {
        (Msg::CustomersTitle, Msg::CustomersIntro)
    };
    view! {
        <PageHeader title=title intro=intro>
            <a class="btn" href=export_href id="export-csv" download>{i18n.t(Msg::ExportCsv)}</a>
            {(!pool).then(|| view! {
                <A href="/customers/import" attr:class="btn" attr:id="import-customers">{i18n.t(Msg::ImportCustomers)}</A>
                <A href="/customers/new" attr:class="btn btn-primary" attr:id="new-customer">
                    "+ "
                    {i18n.t(Msg::NewCustomer)}
                </A>
            })}
        </PageHeader>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let menus = menus.await.unwrap_or_default();
                view! { <FilterBar pool=pool menus=menus.clone() /> <BulkBar selected=selected bulk=bulk menus=menus /> }
            })}
        </Transition>
        <BulkOutcomeNote bulk=bulk />
        <Loaded resource=page let:page>
            <CustomerTable page=page pool=pool selected=selected changed=changed />
        </Loaded>
    }
}

#[component]
fn FilterBar(pool: bool, menus: FilterMenus) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let same = |values: BTreeSet<String>| {
        values
            .into_iter()
            .map(|v| (v.clone(), v))
            .collect::<Vec<_>>()
    };
    let choice_options: Vec<(String, String)> = menus
        .choice_fields
        .iter()
        .flat_map(|f| {
            f.options
                .iter()
                .map(|o| (format!("{}={o}", f.key), format!("{}: {o}", f.label)))
        })
        .collect();
    let has_choices = !choice_options.is_empty();
    let more_open = [
        "owner",
        "tag",
        "region",
        "industry",
        "hot",
        "from",
        "to",
        "created_from",
        "created_to",
        "team",
        "field",
    ]
    .iter()
    .any(|k| !param(k).is_empty());
    let hot_options = vec![
        ("yes".to_string(), Msg::Yes.text(i18n.now()).to_string()),
        ("no".to_string(), Msg::No.text(i18n.now()).to_string()),
    ];
    let sorts = [
        ("", Msg::SortUpdated),
        ("name", Msg::SortName),
        ("-created", Msg::SortCreated),
        ("-contact", Msg::SortContact),
    ];
    view! {
        <Form method="GET" action="" attr:class="filters card" attr:id="customer-filters">
            {(!pool).then(|| view! {
                <div class="scope-tabs" role="radiogroup">
                    {[("all", Msg::ScopeAll), ("mine", Msg::ScopeMine), ("pool", Msg::ScopePool)]
                        .into_iter()
                        .map(|(value, label)| {
                            let checked = param("scope").as_str() == value || (value == "all" && param("scope").is_empty());
                            view! {
                                <label class="scope-tab" class:active=checked>
                                    <input type="radio" name="scope" value=value checked=checked onchange="this.form.requestSubmit()" />
                                    {i18n.t(label)}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            })}
            <input type="search" name="q" id="customer-search" value=param("q") placeholder=i18n.t(Msg::SearchPlaceholder) />
            <FilterSelect name="type" any=Msg::AnyType options=type_filter_options(i18n, &menus.types) current=param("type") />
            <select name="sort" id="filter-sort" onchange="this.form.requestSubmit()" aria-label=i18n.t(Msg::SortBy)>
                {sorts
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = param("sort") == value;
                        view! { <option value=value selected=is_selected>{i18n.t(label)}</option> }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="btn">{i18n.t(Msg::Search)}</button>
            <details class="more-filters" open=more_open>
                <summary>{i18n.t(Msg::MoreFilters)}</summary>
                <div class="filter-grid">
                    {(!pool && !menus.assignees.is_empty()).then(|| {
                        let owners: Vec<(String, String)> = menus.assignees.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
                        let current = param("owner");
                        view! {
                            <label>{i18n.t(Msg::Owner)} <FilterSelect name="owner" any=Msg::AnyValue options=owners current=current /></label>
                        }
                    })}
                    <label>{i18n.t(Msg::FilterTag)} <FilterSelect name="tag" any=Msg::AnyValue options=same(menus.facets.tags) current=param("tag") /></label>
                    <label>{i18n.t(Msg::FilterRegion)} <FilterSelect name="region" any=Msg::AnyValue options=same(menus.facets.regions) current=param("region") /></label>
                    <label>{i18n.t(Msg::FilterIndustry)} <FilterSelect name="industry" any=Msg::AnyValue options=same(menus.facets.industries) current=param("industry") /></label>
                    <label>{i18n.t(Msg::FilterHot)} <FilterSelect name="hot" any=Msg::AnyValue options=hot_options current=param("hot") /></label>
                    <label>{i18n.t(Msg::ContactedFrom)} <input type="date" name="from" id="filter-from" value=param("from") onchange="this.form.requestSubmit()" /></label>
                    <label>{i18n.t(Msg::ContactedTo)} <input type="date" name="to" id="filter-to" value=param("to") onchange="this.form.requestSubmit()" /></label>
                    <label>{i18n.t(Msg::CreatedFrom)} <input type="date" name="created_from" id="filter-created-from" value=param("created_from") onchange="this.form.requestSubmit()" /></label>
                    <label>{i18n.t(Msg::CreatedTo)} <input type="date" name="created_to" id="filter-created-to" value=param("created_to") onchange="this.form.requestSubmit()" /></label>
                    // Reached from a report narrowed to a team; cleared by emptying it.
                    {(!param("team").is_empty()).then(|| view! {
                        <label>{i18n.t(Msg::Team)} <input type="text" name="team" id="filter-team" value=param("team") /></label>
                    })}
                    {has_choices.then(|| view! {
                        <label>{i18n.t(Msg::CustomFieldsTitle)} <FilterSelect name="field" any=Msg::AnyValue options=choice_options.clone() current=param("field") /></label>
                    })}
                </div>
                <A href=if pool { "/pool" } else { "/customers" } attr:class="btn btn-small btn-quiet">{i18n.t(Msg::ClearFilters)}</A>
            </details>
        </Form>
    }
}

#[component]
fn CustomerTable(
    page: CustomerPage,
    pool: bool,
    selected: RwSignal<BTreeSet<Id>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let claim = ServerAction::<ClaimCustomer>::new();
    let claim_error = last_error(claim.value());
    Effect::new(move || {
        if let Some(Ok(_)) = claim.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    if page.rows.is_empty() {
        return view! { <div class="card empty-state"><p>{i18n.t(Msg::NoCustomers)}</p></div> }
            .into_any();
    }
    let page_ids: Vec<Id> = page.rows.iter().map(|r| r.customer.id).collect();
    let columns = page.custom_columns.clone();
    let all_ids = page_ids.clone();
    let all_checked = move || selected.with(|s| all_ids.iter().all(|id| s.contains(id)));
    let toggle_all = move |_| {
        let every = page_ids
            .iter()
            .all(|id| selected.with_untracked(|s| s.contains(id)));
        selected.update(|s| {
            for id in &page_ids {
                if every {
                    s.remove(id);
                } else {
                    s.insert(*id);
                }
            }
        });
    };
    let (number, size, total, shown) = (page.page, page.page_size, page.total, page.rows.len());
    view! {
        <FormAlert error=claim_error fields=&[] />
        <div class="table-wrap card">
            <table class="table" id="customers-table">
                <thead>
                    <tr>
                        <th class="check-cell"><input type="checkbox" id="select-page" aria-label=i18n.t(Msg::SelectAll) prop:checked=all_checked on:change=toggle_all /></th>
                        <th>{i18n.t(Msg::Name)}</th>
                        <th>{i18n.t(Msg::CustomerType)}</th>
                        <th>{i18n.t(Msg::Owner)}</th>
                        <th>{i18n.t(Msg::Region)}</th>
                        <th>{i18n.t(Msg::Phone)}</th>
                        <th>{i18n.t(Msg::LastContact)}</th>
                        {columns.iter().map(|(_, label)| view! { <th>{label.clone()}</th> }).collect_view()}
                        {pool.then(|| view! { <th></th> })}
                    </tr>
                </thead>
                <tbody>
                    {page
                        .rows
                        .into_iter()
                        .map(|row| {
                            let type_label = page.types.label_of(&row.customer.customer_type).map(str::to_string);
                            view! { <CustomerTableRow row=row type_label=type_label columns=columns.clone() pool=pool selected=selected claim=claim /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pager pool=pool page=number page_size=size total=total shown=shown />
    }
    .into_any()
}

#[component]
fn CustomerTableRow(
    row: CustomerRow,
    /// The label of a type the company added.
    type_label: Option<String>,
    /// The admin's custom fields shown as columns: (key, label).
    columns: Vec<(String, String)>,
    pool: bool,
    selected: RwSignal<BTreeSet<Id>>,
    claim: ServerAction<ClaimCustomer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = row.customer;
    let id = c.id;
    let version = c.version;
    let in_pool = c.owner.is_none();
    let hot_hint = c.hot.as_ref().map(|h| h.hint.clone());
    view! {
        <tr class:hot=hot_hint.is_some() title=hot_hint.clone()>
            <td class="check-cell">
                <input
                    type="checkbox"
                    class="select-row"
                    aria-label=c.name.clone()
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |_| selected.update(|s| if !s.remove(&id) { s.insert(id); })
                />
            </td>
            <td class="strong">
                {hot_hint.clone().map(|hint| view! { <span class="hot-mark" title=hint>"🔥"</span> })}
                <A href=format!("/customers/{id}")>{c.name.clone()}</A>
                {c.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
            </td>
            <td><TypeBadge code=c.customer_type.clone() label=type_label /></td>
            <td>
                {if in_pool {
                    view! { <span class="badge pool">{i18n.t(Msg::InPool)}</span> }.into_any()
                } else {
                    view! { <span>{or_dash(&row.owner_name)}</span> }.into_any()
                }}
            </td>
            <td>{or_dash(&c.region)}</td>
            <td>{or_dash(&c.phone)}</td>
            <td class="muted-cell">{or_dash(&row.last_activity)}</td>
            {columns.iter().map(|(key, _)| view! { <td>{or_dash(&c.custom.get(key).cloned())}</td> }).collect_view()}
            {pool.then(|| view! {
                <td>
                    <button type="button" class="btn btn-small btn-primary claim" on:click=move |_| { claim.dispatch(ClaimCustomer { id, version }); }>
                        {i18n.t(Msg::Claim)}
                    </button>
                </td>
            })}
        </tr>
    }
}

/// "Showing 51–100 of 230" with links to the pages either side, keeping the
/// filters in the URL.
#[component]
fn Pager(pool: bool, page: usize, page_size: usize, total: usize, shown: usize) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from = page * page_size + 1;
    let to = from + shown - 1;
    let base = if pool { "/pool" } else { "/customers" };
    let link_to = move |n: usize| {
        let mut q = query.get_untracked();
        q.replace("page", n.to_string());
        format!("{base}{}", q.to_query_string())
    };
    let has_next = to < total;
    let has_prev = page > 0;
    let (prev, next) = (link_to(page.saturating_sub(1)), link_to(page + 1));
    let counts = (total.to_string(), from.to_string(), to.to_string());
    view! {
        <div class="pager">
            <span class="muted" id="list-count">
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
    }
}
