//! Expenses (费用): the list the reader may see with its filters
//! (category, who, period), its total, and the form that records or edits
//! one; a customer's page shows the same card for that customer.

pub mod categories;

use guanxi_core::Field;
use guanxi_core::model::{ExpenseFilter, ExpenseRow, Id};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::expenses::{ExpensesView, SaveExpense, delete_expense, get_expenses};
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};
use crate::pages::PageHeader;

const EXPENSE_FIELDS: &[Field] = &[
    Field::Amount,
    Field::Category,
    Field::At,
    Field::Owner,
    Field::Notes,
    Field::Deal,
    Field::Contract,
];

/// Counts the saves that succeeded: the list reloads on those only, so a
/// refused form keeps what was typed beside its error.
fn saved_count(save: ServerAction<SaveExpense>) -> RwSignal<u32> {
    let saved = RwSignal::new(0u32);
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    saved
}

#[component]
pub fn ExpensesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
            ExpenseFilter {
                category: text("category"),
                spent_by: text("spent_by").and_then(|v| v.parse().ok()),
                customer_id: text("customer").and_then(|v| v.parse().ok()),
                from: text("from").and_then(|v| v.parse().ok()),
                to: text("to").and_then(|v| v.parse().ok()),
            }
        })
    });
    let save = ServerAction::<SaveExpense>::new();
    let deleted = RwSignal::new(0u32);
    let saved = saved_count(save);
    let data = Resource::new(
        move || (filter.get(), saved.get(), deleted.get()),
        |(f, _, _)| get_expenses(f),
    );
    view! {
        <PageHeader title=Msg::ExpensesTitle intro=Msg::ExpensesIntro />
        <Loaded resource=data let:v>
            {
                let f = filter.get_untracked();
                view! {
                    <form class="filters" method="get" action="/expenses" id="expense-filters">
                        <select name="category" aria-label=i18n.t(Msg::ExpenseCategory)>
                            <option value="">{i18n.t(Msg::AnyCategory)}</option>
                            {v.categories.iter().map(|c| view! { <option value=c.clone() selected=f.category.as_deref() == Some(c.as_str())>{c.clone()}</option> }).collect_view()}
                        </select>
                        <select name="spent_by" aria-label=i18n.t(Msg::SpentBy)>
                            <option value="">{i18n.t(Msg::AnyOne)}</option>
                            {v.people.iter().map(|(id, name)| view! { <option value=id.to_string() selected=f.spent_by == Some(*id)>{name.clone()}</option> }).collect_view()}
                        </select>
                        <label class="inline">{i18n.t(Msg::PeriodFrom)} " " <input type="date" name="from" value=f.from.map(|d| d.to_string()).unwrap_or_default() /></label>
                        <label class="inline">{i18n.t(Msg::PeriodTo)} " " <input type="date" name="to" value=f.to.map(|d| d.to_string()).unwrap_or_default() /></label>
                        {f.customer_id.map(|c| view! { <input type="hidden" name="customer" value=c.to_string() /> })}
                        <button type="submit" class="btn btn-small">{i18n.t(Msg::Apply)}</button>
                    </form>
                    <div class="sheet-grid expenses-grid">
                        <ExpenseList v=v.clone() deleted=deleted save=save />
                    </div>
                }
            }
        </Loaded>
    }
}

/// The expenses of one customer, with a form to record one for them.
#[component]
pub fn ExpensesCard(customer: Id) -> impl IntoView {
    let save = ServerAction::<SaveExpense>::new();
    let deleted = RwSignal::new(0u32);
    let saved = saved_count(save);
    let data = Resource::new(
        move || (saved.get(), deleted.get()),
        move |_| {
            get_expenses(ExpenseFilter {
                customer_id: Some(customer),
                ..Default::default()
            })
        },
    );
    view! {
        <Loaded resource=data let:v>
            <ExpenseList v=v deleted=deleted save=save customer=customer />
        </Loaded>
    }
}

#[component]
fn ExpenseList(
    v: ExpensesView,
    deleted: RwSignal<u32>,
    save: ServerAction<SaveExpense>,
    #[prop(optional)] customer: Option<Id>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<ExpenseRow>);
    let error = RwSignal::new(None::<String>);
    let total = guanxi_core::model::Cents(v.rows.iter().map(|r| r.expense.amount.0).sum());
    let compact = customer.is_some();
    let remove = move |id: Id, version: u64| {
        if !window()
            .confirm_with_message(Msg::DeleteExpenseConfirm.text(i18n.now()))
            .unwrap_or(false)
        {
            return;
        }
        let locale = i18n.now();
        spawn_local(async move {
            match delete_expense(id, version).await {
                Ok(()) => deleted.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let rows = v.rows.clone();
    let form_v = v.clone();
    view! {
        <section class="card" id="expenses-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::ExpensesTitle)}</h2>
                <span class="muted" id="expenses-total">{i18n.t(Msg::Total)} " " {i18n.money(total)}</span>
            </div>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
            {if rows.is_empty() {
                view! { <p class="muted">{i18n.t(Msg::NoExpenses)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" id="expenses-table">
                            <thead><tr>
                                <th>{i18n.t(Msg::MoveDate)}</th>
                                <th>{i18n.t(Msg::ExpenseCategory)}</th>
                                <th class="num">{i18n.t(Msg::Amount)}</th>
                                <th>{i18n.t(Msg::SpentBy)}</th>
                                {(!compact).then(|| view! { <th>{i18n.t(Msg::Customer)}</th> })}
                                <th>{i18n.t(Msg::Notes)}</th>
                                <th class="actions-col">{i18n.t(Msg::Actions)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let e = r.expense.clone();
                                    let target = r.clone();
                                    view! {
                                        <tr data-category=e.category.clone()>
                                            <td>{e.date.format("%Y-%m-%d").to_string()}</td>
                                            <td>{e.category.clone()}</td>
                                            <td class="num">{i18n.money(e.amount)}</td>
                                            <td>{r.spent_by_name.clone()}</td>
                                            {(!compact).then(|| view! { <td>{r.customer_name.clone().zip(e.customer_id).map(|(n, c)| view! { <A href=format!("/customers/{c}")>{n}</A> })}</td> })}
                                            <td>{[e.note.clone(), r.contract_number.clone(), r.deal_title.clone()].into_iter().flatten().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ")}</td>
                                            <td class="actions-col">
                                                <button type="button" class="btn btn-small edit-expense" on:click=move |_| { save.value().set(None); editing.set(Some(target.clone())) }>{i18n.t(Msg::Edit)}</button>
                                                " "
                                                <button type="button" class="btn btn-small btn-danger-quiet delete-expense" on:click=move |_| remove(e.id, e.version)>{i18n.t(Msg::Delete)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {move || view! { <ExpenseFormView v=form_v.clone() save=save editing=editing.get() customer=customer on_cancel=Callback::new(move |_| editing.set(None)) /> }}
        </section>
    }
}

#[component]
fn ExpenseFormView(
    v: ExpensesView,
    save: ServerAction<SaveExpense>,
    editing: Option<ExpenseRow>,
    customer: Option<Id>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(save.value());
    let e = editing.as_ref().map(|r| r.expense.clone());
    let (id, version) = e
        .as_ref()
        .map(|e| (e.id.to_string(), e.version))
        .unwrap_or_default();
    let categories: Vec<(String, String)> = v
        .categories
        .iter()
        .map(|c| (c.clone(), c.clone()))
        .collect();
    let people: Vec<(String, String)> = v
        .people
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let spender = e.as_ref().map_or(v.me, |e| e.spent_by).to_string();
    let customer_id = e
        .as_ref()
        .and_then(|e| e.customer_id)
        .or(customer)
        .map(|c| c.to_string())
        .unwrap_or_default();
    let is_edit = e.is_some();
    let submit = if is_edit {
        Msg::Save
    } else {
        Msg::RecordExpense
    };
    view! {
        <ActionForm action=save attr:class="form expense-form" attr:id="expense-form">
            <h3>{i18n.t(if is_edit { Msg::EditExpense } else { Msg::NewExpense })}</h3>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="expense[customer_id]" value=customer_id />
            <div class="field-row">
                <TextField label=Msg::Amount name="expense[amount]" field=Field::Amount error=error required=true prefix=i18n.currency_symbol()
                    value=e.as_ref().map(|e| e.amount.to_string()).unwrap_or_default() />
                <SelectField label=Msg::ExpenseCategory name="expense[category]" field=Field::Category error=error options=categories
                    selected=e.as_ref().map(|e| e.category.clone()).unwrap_or_default() />
            </div>
            <div class="field-row">
                <TextField label=Msg::MoveDate name="expense[date]" kind="date" field=Field::At error=error required=true
                    value=e.as_ref().map_or(v.today, |e| e.date).format("%Y-%m-%d").to_string() />
                <SelectField label=Msg::SpentBy name="expense[spent_by]" field=Field::Owner error=error options=people selected=spender />
            </div>
            {customer.is_some().then(|| {
                let none = || (String::new(), "—".to_string());
                let deals: Vec<(String, String)> = std::iter::once(none())
                    .chain(v.deals.iter().map(|(id, t)| (id.to_string(), t.clone())))
                    .collect();
                let contracts: Vec<(String, String)> = std::iter::once(none())
                    .chain(v.contracts.iter().map(|(id, n)| (id.to_string(), n.clone())))
                    .collect();
                let linked = |id: Option<Id>| id.map(|i| i.to_string()).unwrap_or_default();
                view! {
                    <div class="field-row">
                        <SelectField label=Msg::DealLabel name="expense[deal_id]" field=Field::Deal error=error options=deals
                            selected=linked(e.as_ref().and_then(|e| e.deal_id)) />
                        <SelectField label=Msg::ContractLabel name="expense[contract_id]" field=Field::Contract error=error options=contracts
                            selected=linked(e.as_ref().and_then(|e| e.contract_id)) />
                    </div>
                }
            })}
            <TextField label=Msg::Notes name="expense[note]" field=Field::Notes error=error value=e.as_ref().and_then(|e| e.note.clone()).unwrap_or_default() />
            <FormAlert error=error fields=EXPENSE_FIELDS />
            <div class="form-actions">
                <SubmitButton label=submit pending=save.pending().into() />
                {is_edit.then(|| view! { <button type="button" class="btn" on:click=move |_| on_cancel.run(())>{i18n.t(Msg::Cancel)}</button> })}
            </div>
        </ActionForm>
    }
}
