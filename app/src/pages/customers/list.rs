use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::{TypeBadge, or_dash, type_options};
use crate::api::customers::{CustomerPage, ListParams, list_customers};
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let page = Resource::new(move || ListParams::from_query(param), list_customers);
    view! {
        <PageHeader title=Msg::CustomersTitle intro=Msg::CustomersIntro>
            <A href="/customers/new" attr:class="btn btn-primary" attr:id="new-customer">
                "+ "
                {i18n.t(Msg::NewCustomer)}
            </A>
        </PageHeader>
        <Form method="GET" action="" attr:class="filters card" attr:id="customer-filters">
            <div class="scope-tabs" role="radiogroup">
                {[("all", Msg::ScopeAll), ("mine", Msg::ScopeMine), ("pool", Msg::ScopePool)]
                    .into_iter()
                    .map(|(value, label)| {
                        let checked = move || param("scope").as_str() == value || (value == "all" && param("scope").is_empty());
                        view! {
                            <label class="scope-tab" class:active=checked>
                                <input type="radio" name="scope" value=value checked=checked onchange="this.form.requestSubmit()" />
                                {i18n.t(label)}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <input type="search" name="q" id="customer-search" value=move || param("q") placeholder=i18n.t(Msg::SearchPlaceholder) />
            <select name="type" onchange="this.form.requestSubmit()">
                <option value="">{i18n.t(Msg::AnyType)}</option>
                {move || {
                    let selected = param("type");
                    type_options(i18n)
                        .into_iter()
                        .map(|(value, label)| {
                            let is_selected = value == selected;
                            view! { <option value=value selected=is_selected>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <button type="submit" class="btn">{i18n.t(Msg::Search)}</button>
        </Form>
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <CustomerTable page=p /> }.into_any(),
                    Err(e) => view! { <p class="alert alert-error">{e.text(i18n.now())}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerTable(page: CustomerPage) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    if page.rows.is_empty() {
        return view! { <div class="card empty-state"><p>{i18n.t(Msg::NoCustomers)}</p></div> }
            .into_any();
    }
    let from = page.page * page.page_size + 1;
    let to = from + page.rows.len() - 1;
    let link_to = move |n: usize| {
        let mut q = query.get_untracked();
        q.replace("page", n.to_string());
        format!("/customers{}", q.to_query_string())
    };
    let has_next = to < page.total;
    let has_prev = page.page > 0;
    let (prev, next) = (link_to(page.page.saturating_sub(1)), link_to(page.page + 1));
    let counts = (page.total.to_string(), from.to_string(), to.to_string());
    view! {
        <div class="table-wrap card">
            <table class="table" id="customers-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::Name)}</th>
                        <th>{i18n.t(Msg::CustomerType)}</th>
                        <th>{i18n.t(Msg::Owner)}</th>
                        <th>{i18n.t(Msg::Region)}</th>
                        <th>{i18n.t(Msg::Phone)}</th>
                        <th>{i18n.t(Msg::LastContact)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .rows
                        .into_iter()
                        .map(|row| {
                            let c = row.customer;
                            let in_pool = c.owner.is_none();
                            view! {
                                <tr>
                                    <td class="strong">
                                        <A href=format!("/customers/{}", c.id)>{c.name.clone()}</A>
                                        {c.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                                    </td>
                                    <td><TypeBadge code=c.customer_type.clone() /></td>
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
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <div class="pager">
            <span class="muted">
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
    .into_any()
}
