use guanxi_core::Field;
use guanxi_core::model::{CustomerMoney, Id};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::contacts::{ContactActions, ContactsCard};
use super::log_activity::LogActivityCard;
use super::timeline::{Timeline, TimelineSource};
use super::{TypeBadge, or_dash};
use crate::api::customers::{
    AddTask, ClaimCustomer, CustomerView, LogActivity, RecycleCustomer, ReleaseCustomer, SetHot,
    get_customer,
};
use crate::api::deals::{CustomerDeal, customer_deals};
use crate::api::files::DeleteFile;
use crate::components::dialog::Dialog;
use crate::components::files::FilesCard;
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};
use crate::layout::use_current_user;
use crate::pages::deals::stage_ref_name;
use leptos_router::components::A;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Id>().ok()));
    let contacts = ContactActions::new();
    let hot = ServerAction::<SetHot>::new();
    let quick = expect_context::<crate::components::quick_entry::QuickEntrySaved>().0;
    let log = ServerAction::<LogActivity>::new();
    let task = ServerAction::<AddTask>::new();
    let claim = ServerAction::<ClaimCustomer>::new();
    let release = ServerAction::<ReleaseCustomer>::new();
    let delete_file = ServerAction::<DeleteFile>::new();
    let view_data = Resource::new(
        move || {
            (
                id(),
                contacts.saved(),
                hot.version().get(),
                claim.version().get(),
                release.version().get(),
                log.version().get() + quick.get() + delete_file.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(guanxi_core::Error::NotFound.into()),
            }
        },
    );
    let changed = Signal::derive(move || {
        (
            log.version().get() + quick.get() + delete_file.version().get(),
            task.version().get() + contacts.saved(),
            claim.version().get(),
            release.version().get(),
        )
    });
    let timeline = TimelineSource::new(id, changed);
    // Made here, not in the sheet's `Suspend`, for stable hydration ids.
    let deals = Resource::new(id, |id| async move {
        match id {
            Some(id) => customer_deals(id).await,
            None => Ok(Vec::new()),
        }
    });
    view! {
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! {
                        <CustomerSheet data=data contacts=contacts log=log task=task claim=claim release=release hot=hot timeline=timeline deals=deals delete_file=delete_file />
                    }
                    .into_any(),
                    Err(e) => view! {
                        <section class="empty-state">
                            <h1>{i18n.t(Msg::NotFoundTitle)}</h1>
                            <p>{e.text(i18n.now())}</p>
                            <a class="btn" href="/customers">{i18n.t(Msg::CustomersTitle)}</a>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerSheet(
    data: CustomerView,
    contacts: ContactActions,
    log: ServerAction<LogActivity>,
    task: ServerAction<AddTask>,
    claim: ServerAction<ClaimCustomer>,
    release: ServerAction<ReleaseCustomer>,
    hot: ServerAction<SetHot>,
    timeline: TimelineSource,
    deals: Resource<Result<Vec<CustomerDeal>, AppError>>,
    delete_file: ServerAction<DeleteFile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_current_user();
    let c = data.customer.clone();
    let (id, version) = (c.id, c.version);
    let mine = c.owner == Some(me.id);
    let in_pool = c.owner.is_none();
    let can_edit = data.can_edit;
    let pool_error = Signal::derive(move || {
        last_error(claim.value())
            .get()
            .or_else(|| last_error(release.value()).get())
    });
    view! {
        <div class="page-header">
            <div>
                <h1 id="customer-name">{c.name.clone()}</h1>
                <p class="page-intro">
                    <TypeBadge code=c.customer_type.clone() label=data.type_label.clone() />
                    " "
                    {c.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                </p>
                <HotFlagControl id=id version=version hint=c.hot.clone().map(|h| h.hint) can_edit=can_edit action=hot />
            </div>
            <div class="page-actions">
                <Show when=move || can_edit>
                    <a class="btn" id="edit-customer" href=format!("/customers/{id}/edit")>{i18n.t(Msg::Edit)}</a>
                    <MoveToBinButton id=id />
                </Show>
                <Show when=move || in_pool>
                    <button type="button" class="btn btn-primary" id="claim" on:click=move |_| { claim.dispatch(ClaimCustomer { id, version }); }>
                        {i18n.t(Msg::Claim)}
                    </button>
                </Show>
                <Show when=move || mine>
                    <button type="button" class="btn" id="release" on:click=move |_| { release.dispatch(ReleaseCustomer { id, version }); }>
                        {i18n.t(Msg::Release)}
                    </button>
                </Show>
            </div>
        </div>
        <FormAlert error=pool_error fields=&[] />
        {(!data.links.is_empty()).then(|| view! {
            <nav class="lookup-links" id="lookup-links">
                {data.links.iter().map(|(label, url)| view! {
                    <a class="btn btn-small" href=url.clone() target="_blank" rel="noopener noreferrer">{label.clone()} " ↗"</a>
                }).collect_view()}
            </nav>
        })}
        <div class="sheet">
            <div class="sheet-side">
                <section class="card">
                    <h2>{i18n.t(Msg::Profile)}</h2>
                    <dl class="facts">
                        <dt>{i18n.t(Msg::Owner)}</dt>
                        <dd>{if in_pool { i18n.t(Msg::InPool)().to_string() } else { or_dash(&data.owner_name) }}</dd>
                        <dt>{i18n.t(Msg::Phone)}</dt>
                        <dd>{or_dash(&c.phone)}</dd>
                        <dt>{i18n.t(Msg::Email)}</dt>
                        <dd>{or_dash(&c.email)}</dd>
                        <dt>{i18n.t(Msg::Region)}</dt>
                        <dd>{or_dash(&c.region)}</dd>
                        <dt>{i18n.t(Msg::Industry)}</dt>
                        <dd>{or_dash(&c.industry)}</dd>
                        <dt>{i18n.t(Msg::Source)}</dt>
                        <dd>{or_dash(&c.source)}</dd>
                        <dt>{i18n.t(Msg::Address)}</dt>
                        <dd>{or_dash(&c.address)}</dd>
                        <dt>{i18n.t(Msg::Website)}</dt>
                        <dd>{or_dash(&c.website)}</dd>
                        <dt>{i18n.t(Msg::Grade)}</dt>
                        <dd>{or_dash(&c.grade)}</dd>
                        {data.custom_values.iter().map(|(label, value)| view! {
                            <dt>{label.clone()}</dt>
                            <dd>{value.clone()}</dd>
                        }).collect_view()}
                        <dt>{i18n.t(Msg::Notes)}</dt>
                        <dd class="pre">{or_dash(&c.notes)}</dd>
                    </dl>
                </section>
                <section class="card">
                    <h2>{i18n.t(Msg::KeyFigures)}</h2>
                    <dl class="facts">
                        <dt>{i18n.t(Msg::LastContact)}</dt>
                        <dd id="last-contact">{or_dash(&data.last_activity)}</dd>
                        <dt>{i18n.t(Msg::CreatedOn)}</dt>
                        <dd>{data.created.clone()}</dd>
                        {data.returns_to_pool.clone().map(|(date, days)| view! { <ReturnsToPool date=date days=days /> })}
                    </dl>
                    <MoneyFigures money=data.money.clone() />
                </section>
                <DealsCard customer=id deals=deals />
                <crate::pages::quotes::QuotesCard customer=id />
                <crate::pages::expenses::ExpensesCard customer=id />
                <ContactsCard customer=id contacts=data.contacts.clone() can_edit=can_edit actions=contacts />
                <FilesCard files=data.files.clone() upload_to=format!("/api/v1/customers/{id}/files") can_edit=can_edit delete=delete_file />
            </div>
            <div class="sheet-main">
                <LogActivityCard customer=id action=log />
                <AddTaskCard customer=id action=task />
                <Timeline customer=id source=timeline />
            </div>
        </div>
    }
}

/// What the customer signed, paid and owes, and when they last bought.
#[component]
fn MoneyFigures(money: CustomerMoney) -> impl IntoView {
    let i18n = use_i18n();
    let last_purchase = match (money.last_purchase, money.days_since_last_purchase) {
        (Some(date), Some(0)) => fill(
            Msg::DateToday.text(i18n.now()),
            &[("date", &date.to_string())],
        ),
        (Some(date), Some(days)) => fill(
            Msg::DateDaysAgo.text(i18n.now()),
            &[("date", &date.to_string()), ("days", &days.to_string())],
        ),
        _ => "—".to_string(),
    };
    let late = money.overdue.0 > 0;
    view! {
        <dl class="facts money-figures" id="money-figures">
            <dt>{i18n.t(Msg::LifetimeRevenue)}</dt>
            <dd id="money-revenue">{i18n.money(money.revenue)}</dd>
            <dt>{i18n.t(Msg::Received)}</dt>
            <dd id="money-received">{i18n.money(money.received)}</dd>
            <dt>{i18n.t(Msg::Outstanding)}</dt>
            <dd id="money-receivable">{i18n.money(money.receivable)}</dd>
            <dt>{i18n.t(Msg::Overdue)}</dt>
            <dd id="money-overdue" class:overdue=late>{i18n.money(money.overdue)}</dd>
            <dt>{i18n.t(Msg::LastPurchase)}</dt>
            <dd id="money-last-purchase">{last_purchase}</dd>
        </dl>
    }
}

#[component]
fn AddTaskCard(customer: Id, action: ServerAction<AddTask>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(_)), Some(form)) = (action.value().get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::AddTask)}</h2>
            <ActionForm action=action node_ref=form attr:class="form" attr:id="task-form">
                <input type="hidden" name="customer_id" value=customer.to_string() />
                <div class="field-row">
                    <TextField label=Msg::TaskTitle name="title" field=Field::Text error=error required=true />
                    <TextField label=Msg::Due name="due" field=Field::Due error=error kind="datetime-local" required=true />
                </div>
                <label class="check">
                    <input type="checkbox" name="commitment" value="true" />
                    {i18n.t(Msg::IsCommitment)}
                </label>
                <FormAlert error=error fields=&[Field::Text, Field::Due] />
                <div class="form-actions">
                    <SubmitButton label=Msg::AddTask pending=action.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

/// The hot flag: a badge with its hint for everyone, a toggle for who may edit.
#[component]
fn HotFlagControl(
    id: Id,
    version: u64,
    hint: Option<String>,
    can_edit: bool,
    action: ServerAction<SetHot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let error = last_error(action.value());
    let is_hot = hint.is_some();
    let shown_hint = hint.clone().unwrap_or_default();
    let typed_hint = StoredValue::new(hint.unwrap_or_default());
    view! {
        <div class="hot-flag" id="hot-flag">
            {is_hot.then(|| view! {
                <span class="badge hot" title=shown_hint.clone()>"🔥 " {i18n.t(Msg::HotCustomer)}</span>
                <span class="hot-hint">{shown_hint.clone()}</span>
            })}
            <Show when=move || can_edit && !editing.get()>
                <button type="button" class="btn btn-small btn-quiet" id="edit-hot" on:click=move |_| editing.set(true)>
                    {if is_hot { i18n.t(Msg::Edit)() } else { i18n.t(Msg::HotToggle)() }}
                </button>
            </Show>
            <Show when=move || editing.get()>
                <ActionForm action=action attr:class="inline-form" attr:id="hot-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="version" value=version />
                    <label class="check">
                        <input type="checkbox" name="hot" value="true" checked=is_hot />
                        {i18n.t(Msg::HotToggle)}
                    </label>
                    <input type="text" name="hint" id="f-hot-hint" value=typed_hint.get_value() placeholder=i18n.t(Msg::HotHint) />
                    <SubmitButton label=Msg::Save pending=action.pending().into() class="btn-small" />
                    <FormAlert error=error fields=&[] />
                </ActionForm>
            </Show>
        </div>
    }
}

/// Asks first, then bins the customer and goes back to the list.
#[component]
fn MoveToBinButton(id: Id) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let recycle = ServerAction::<RecycleCustomer>::new();
    let error = last_error(recycle.value());
    Effect::new(move || {
        if let Some(Ok(())) = recycle.value().get() {
            crate::layout::go_to("/customers");
        }
    });
    view! {
        <button type="button" class="btn btn-danger-quiet" id="move-to-bin" on:click=move |_| open.set(true)>
            {i18n.t(Msg::MoveToBin)}
        </button>
        <Dialog title=Signal::derive(move || i18n.t(Msg::MoveToBin)().to_string()) open=open>
            <p>{i18n.t(Msg::ConfirmMoveToBin)}</p>
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <button type="button" class="btn btn-danger" id="confirm-move-to-bin" on:click=move |_| { recycle.dispatch(RecycleCustomer { id }); }>
                    {i18n.t(Msg::MoveToBin)}
                </button>
                <button type="button" class="btn" on:click=move |_| open.set(false)>{i18n.t(Msg::Cancel)}</button>
            </div>
        </Dialog>
    }
}

/// When a held customer goes back to the pool unless someone works on it.
#[component]
fn ReturnsToPool(date: String, days: i64) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let (msg, n) = if days > 0 {
            (Msg::ReturnsOn, days.to_string())
        } else {
            (Msg::ReturnsAtNextCheck, String::new())
        };
        fill(msg.text(i18n.locale.get()), &[("date", &date), ("n", &n)])
    };
    view! {
        <dt>{i18n.t(Msg::ReturnsToPool)}</dt>
        <dd id="returns-to-pool" title=i18n.t(Msg::ReturnsToPoolHint)>{text}</dd>
    }
}

/// The customer's deals, newest first, and a way to start another.
#[component]
fn DealsCard(customer: Id, deals: Resource<Result<Vec<CustomerDeal>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" id="deals-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::CustomerDealsTitle)}</h2>
                <A href=format!("/deals/new?customer={customer}") attr:class="btn btn-small" attr:id="new-customer-deal">"+ " {i18n.t(Msg::NewDeal)}</A>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = deals.await.unwrap_or_default();
                    if rows.is_empty() {
                        return view! { <p class="muted">{i18n.t(Msg::NoDeals)}</p> }.into_any();
                    }
                    view! {
                        <ul class="history">
                            {rows.into_iter().map(|d| {
                                let stage = stage_ref_name(&d.stage, i18n.now());
                                view! {
                                    <li>
                                        <A href=format!("/deals/{}", d.id)>{d.title}</A>
                                        <span class="muted">" · " {i18n.money(d.amount)} {format!(" · {stage}")}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}
