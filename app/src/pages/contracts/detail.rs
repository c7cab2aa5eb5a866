//! One contract: lifecycle and approval, its lines, the payment plan and
//! the payments received against it, and its versions with what changed.

use guanxi_core::Field;
use guanxi_core::model::{
    Cents, ContractAction, ContractStatus, Id, PaymentInput, PaymentMethod, TermsChange,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::ContractStatusBadge;
use super::deliveries::DeliveriesCard;
use super::plan::{PlanDraft, PlanRows};
use super::terms::TermsForm;
use crate::api::contracts::{
    ContractView, contract_diff, decide_contract, get_contract, move_contract, record_payment,
    save_plan,
};
use crate::components::approval::{ApprovalSteps, DecisionPanel};
use crate::components::lines_table::LinesTable;
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, payment_method_msg, use_i18n};

#[component]
pub fn ContractPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<Id>().ok()));
    let changed = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_contract(id).await,
                None => Err(AppError::Core(guanxi_core::Error::NotFound)),
            }
        },
    );
    view! {
        <Loaded resource=data let:v>
            <ContractSheet v=v changed=changed />
        </Loaded>
    }
}

fn action_msg(action: ContractAction) -> Msg {
    match action {
        ContractAction::Sign => Msg::ContractSign,
        ContractAction::Complete => Msg::ContractComplete,
        ContractAction::Close => Msg::ContractClose,
        ContractAction::Cancel => Msg::ContractCancel,
    }
}

#[component]
fn ContractSheet(v: ContractView, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c = v.row.contract.clone();
    let (id, version) = (c.id, c.version);
    let error = RwSignal::new(None::<String>);
    let reload = move || changed.update(|n| *n += 1);
    let act = move |action: ContractAction| {
        let locale = i18n.now();
        spawn_local(async move {
            match move_contract(id, version, action).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let decide = Callback::new(move |(approve, comment): (bool, String)| {
        let locale = i18n.now();
        spawn_local(async move {
            match decide_contract(id, approve, comment).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    });
    let signed = c.status.is_signed();
    let (customer_name, owner_name) = (v.row.customer_name.clone(), v.row.owner_name.clone());
    let (quote_number, deal_title) = (v.quote_number.clone(), v.deal_title.clone());
    let (step_times, submitted_at) = (v.step_times.clone(), v.submitted_at.clone());
    let (actions, may_decide, can_edit) = (v.actions.clone(), v.may_decide, v.can_edit);
    let plan_editable =
        v.can_edit && !matches!(c.status, ContractStatus::Cancelled | ContractStatus::Closed);
    let terms_editable =
        v.can_edit && matches!(c.status, ContractStatus::Draft | ContractStatus::Executing);
    let editing_terms = RwSignal::new(false);
    let editing = c.clone();
    let (lines, tax_rate, totals) = (c.terms.lines.clone(), c.terms.tax_rate, c.terms.totals);
    view! {
        <div class="page-header">
            <div>
                <h1><span class="mono">{c.number.clone()}</span> " " <ContractStatusBadge status=c.status /></h1>
                <p class="page-intro">
                    <A href=format!("/customers/{}", c.customer_id)>{customer_name}</A>
                    {(!c.terms.title.is_empty()).then(|| format!(" · {}", c.terms.title))}
                    {quote_number.zip(c.quote_id).map(|(n, q)| view! { " · " <A href=format!("/quotes/{q}")>{n}</A> })}
                    {deal_title.zip(c.deal_id).map(|(t, d)| view! { " · " <A href=format!("/deals/{d}")>{t}</A> })}
                </p>
            </div>
            <div class="page-actions" id="contract-actions">
                {actions.into_iter().map(|action| view! {
                    <button type="button" class="btn" class:btn-primary=action == ContractAction::Sign
                        class:btn-danger-quiet=action == ContractAction::Cancel
                        data-action=format!("{action:?}").to_lowercase() on:click=move |_| act(action)>
                        {i18n.t(action_msg(action))}
                    </button>
                }).collect_view()}
            </div>
        </div>
        {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="contract-error">{text}</div> })}
        <section class="card contract-figures">
            <dl class="figures">
                <div><dt>{i18n.t(Msg::ContractAmount)}</dt><dd id="contract-amount">{i18n.money(c.terms.amount())}</dd></div>
                <div><dt>{i18n.t(Msg::Received)}</dt><dd id="contract-paid">{i18n.money(c.paid())}</dd></div>
                <div><dt>{i18n.t(Msg::Outstanding)}</dt><dd id="contract-outstanding">{i18n.money(Cents(c.terms.amount().0 - c.paid().0))}</dd></div>
                <div><dt>{i18n.t(Msg::SignDate)}</dt><dd>{c.terms.sign_date.format("%Y-%m-%d").to_string()}</dd></div>
                <div><dt>{i18n.t(Msg::Owner)}</dt><dd>{owner_name}</dd></div>
                <div><dt>{i18n.t(Msg::ContractVersionLabel)}</dt><dd>{format!("v{}", c.terms_version)}</dd></div>
                <div title=i18n.t(Msg::CompletionHint)><dt>{i18n.t(Msg::Completion)}</dt><dd id="contract-completion">{format!("{} %", v.stock.completion)}</dd></div>
            </dl>
        </section>
        {c.approval.clone().map(|approval| view! {
            <section class="card" id="contract-approval">
                <h2>{i18n.t(Msg::ApprovalChain)}</h2>
                <ApprovalSteps approval=approval times=step_times.clone() submitted_at=submitted_at.clone() />
                {may_decide.then(|| view! { <DecisionPanel on_decide=decide /> })}
            </section>
        })}
        <section class="card" id="contract-lines">
            <div class="card-head">
                <h2>{i18n.t(Msg::QuoteLines)}</h2>
                {terms_editable.then(|| view! {
                    <button type="button" class="btn btn-small" id="edit-terms" on:click=move |_| editing_terms.update(|e| *e = !*e)>
                        {move || if editing_terms.get() { i18n.t(Msg::Cancel)() } else { i18n.t(Msg::EditTerms)() }}
                    </button>
                })}
            </div>
            <Show when=move || editing_terms.get() fallback=move || view! { <LinesTable lines=lines.clone() tax_rate=tax_rate totals=totals /> }>
                <TermsForm contract=editing.clone() changed=changed />
            </Show>
        </section>
        {v.stock.lines.iter().any(|l| l.product_id.is_some()).then(|| view! {
            <DeliveriesCard contract=id stock=v.stock.clone() today=v.today changed=changed />
        })}
        <div class="sheet-grid">
            <PlanCard v=v.clone() editable=plan_editable changed=changed />
            <PaymentsCard v=v.clone() can_record=can_edit && signed changed=changed />
        </div>
        <VersionsCard v=v />
    }
}

#[component]
fn PlanCard(v: ContractView, editable: bool, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c = v.row.contract.clone();
    let editing = RwSignal::new(false);
    let today = v.today;
    view! {
        <section class="card" id="plan-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::PaymentPlan)}</h2>
                {editable.then(|| view! {
                    <button type="button" class="btn btn-small" id="edit-plan" on:click=move |_| editing.update(|e| *e = !*e)>{i18n.t(Msg::EditPlan)}</button>
                })}
            </div>
            <table class="table" id="plan-table">
                <thead><tr>
                    <th>{i18n.t(Msg::Installment)}</th>
                    <th>{i18n.t(Msg::DueDate)}</th>
                    <th class="num">{i18n.t(Msg::Amount)}</th>
                    <th class="num">{i18n.t(Msg::Received)}</th>
                    <th class="num">{i18n.t(Msg::Outstanding)}</th>
                </tr></thead>
                <tbody>
                    {c.plan.iter().enumerate().map(|(n, i)| {
                        let left = Cents(i.amount.0 - i.paid.0);
                        let late = left.0 > 0 && i.due < today;
                        view! {
                            <tr class:overdue-row=late>
                                <td>{n + 1}</td>
                                <td>{i.due.format("%Y-%m-%d").to_string()} {late.then(|| view! { " " <span class="badge warn">{i18n.t(Msg::Overdue)}</span> })}</td>
                                <td class="num">{i18n.money(i.amount)}</td>
                                <td class="num">{i18n.money(i.paid)}</td>
                                <td class="num">{if left.0 == 0 { view! { <span class="badge ok">{i18n.t(Msg::PaidInFull)}</span> }.into_any() } else { view! { <span>{i18n.money(left)}</span> }.into_any() }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <Show when=move || editing.get()>
                <PlanForm v=v.clone() changed=changed />
            </Show>
        </section>
    }
}

#[component]
fn PlanForm(v: ContractView, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c = v.row.contract.clone();
    let (id, version, amount) = (c.id, c.version, c.terms.amount());
    let draft = PlanDraft::new(&c.plan);
    let confirm = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let installments = draft.inputs();
        let locale = i18n.now();
        let past = confirm.get_untracked();
        spawn_local(async move {
            match save_plan(id, version, installments, past).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <form class="form plan-form" id="plan-form" on:submit=save>
            <PlanRows draft=draft target=Signal::stored(amount) id_prefix="" />
            <label class="check"><input type="checkbox" id="confirm-past" on:change=move |ev| confirm.set(event_target_checked(&ev)) /> {i18n.t(Msg::ConfirmPastDates)}</label>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="plan-error">{text}</div> })}
            <div class="form-actions"><button type="submit" class="btn btn-primary" id="save-plan">{i18n.t(Msg::Save)}</button></div>
        </form>
    }
}

#[component]
fn PaymentsCard(v: ContractView, can_record: bool, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c = v.row.contract.clone();
    let id = c.id;
    let received_on = RwSignal::new(v.today.format("%Y-%m-%d").to_string());
    let amount = RwSignal::new(String::new());
    let method = RwSignal::new(PaymentMethod::BankTransfer);
    let installment = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.now();
        let Ok(on) = chrono::NaiveDate::parse_from_str(&received_on.get_untracked(), "%Y-%m-%d")
        else {
            error.set(Some(crate::i18n::problem_text(
                Field::At,
                guanxi_core::Problem::Required,
                locale,
            )));
            return;
        };
        let input = PaymentInput {
            received_on: on,
            amount: amount.get_untracked(),
            method: method.get_untracked(),
            note: Some(note.get_untracked()),
            installment: installment.get_untracked().parse().ok(),
        };
        spawn_local(async move {
            match record_payment(id, input).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let plan = c.plan.clone();
    view! {
        <section class="card" id="payments-card">
            <h2>{i18n.t(Msg::PaymentsReceived)}</h2>
            {if v.payments.is_empty() {
                view! { <p class="muted">{i18n.t(Msg::NoPayments)}</p> }.into_any()
            } else {
                view! {
                    <ul class="history" id="payments-list">
                        {v.payments.iter().map(|(p, by)| view! {
                            <li>
                                <strong>{i18n.money(p.amount)}</strong>
                                <span class="muted">{format!(" · {} · ", p.received_on.format("%Y-%m-%d"))} {i18n.t(payment_method_msg(p.method))} {format!(" · {by}")}</span>
                                {p.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="entry-text">{n}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_record.then(|| view! {
                <form class="form payment-form" id="payment-form" on:submit=record>
                    <h3>{i18n.t(Msg::RecordPayment)}</h3>
                    <div class="field-row">
                        <div class="field">
                            <label for="f-payment-date">{i18n.t(Msg::ReceivedOn)}</label>
                            <input id="f-payment-date" type="date" prop:value=move || received_on.get() on:input=move |ev| received_on.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="f-payment-amount">{i18n.t(Msg::Amount)}</label>
                            <div class="input-affix"><span class="affix" aria-hidden="true">{i18n.currency_symbol()}</span>
                            <input id="f-payment-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) /></div>
                        </div>
                    </div>
                    <div class="field-row">
                        <div class="field">
                            <label for="f-payment-method">{i18n.t(Msg::PaymentMethodLabel)}</label>
                            <select id="f-payment-method" on:change=move |ev| {
                                let code = event_target_value(&ev);
                                if let Some(m) = PaymentMethod::ALL.into_iter().find(|m| m.code() == code) { method.set(m); }
                            }>
                                {PaymentMethod::ALL.into_iter().map(|m| view! { <option value=m.code() selected=m == PaymentMethod::BankTransfer>{i18n.t(payment_method_msg(m))}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="f-payment-installment">{i18n.t(Msg::PayInstallment)}</label>
                            <select id="f-payment-installment" on:change=move |ev| installment.set(event_target_value(&ev))>
                                <option value="">{i18n.t(Msg::OldestFirst)}</option>
                                {plan.iter().enumerate().map(|(n, i)| view! {
                                    <option value=n.to_string()>{format!("{} · {} · {}", n + 1, i.due.format("%Y-%m-%d"), i18n.money(i.amount)())}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="field">
                        <label for="f-payment-note">{i18n.t(Msg::Notes)}</label>
                        <input id="f-payment-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                    </div>
                    {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="payment-error">{text}</div> })}
                    <div class="form-actions"><button type="submit" class="btn btn-primary" id="save-payment">{i18n.t(Msg::RecordPayment)}</button></div>
                </form>
            })}
        </section>
    }
}

#[component]
fn VersionsCard(v: ContractView) -> impl IntoView {
    let i18n = use_i18n();
    let id = v.row.contract.id;
    let last = v.versions.last().map_or(1, |x| x.terms_version);
    let from = RwSignal::new(last.saturating_sub(1).max(1));
    let to = RwSignal::new(last);
    let changes = RwSignal::new(None::<Result<Vec<TermsChange>, String>>);
    let compare = move |_| {
        let locale = i18n.now();
        let (a, b) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            changes.set(Some(
                contract_diff(id, a, b).await.map_err(|e| e.text(locale)),
            ));
        });
    };
    let numbers: Vec<u32> = v.versions.iter().map(|x| x.terms_version).collect();
    let select = move |signal: RwSignal<u32>, sid: &'static str| {
        let numbers = numbers.clone();
        view! {
            <select id=sid on:change=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { signal.set(n); } }>
                {numbers.iter().map(|n| view! { <option value=n.to_string() selected=*n == signal.get_untracked()>{format!("v{n}")}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="card" id="versions-card">
            <h2>{i18n.t(Msg::ContractVersions)}</h2>
            <ul class="history">
                {v.versions.iter().zip(v.version_times.iter()).map(|(x, when)| view! {
                    <li><strong>{format!("v{}", x.terms_version)}</strong> <span class="muted">{format!(" · {when} · ")}</span> {i18n.money(x.terms.amount())}</li>
                }).collect_view()}
            </ul>
            {(v.versions.len() > 1).then(|| view! {
                <div class="inline-form" id="compare-versions">
                    {select(from, "diff-from")} " → " {select(to, "diff-to")}
                    <button type="button" class="btn btn-small" id="compare" on:click=compare>{i18n.t(Msg::CompareVersions)}</button>
                </div>
            })}
            {move || changes.get().map(|result| match result {
                Err(text) => view! { <p class="alert alert-error">{text}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.t(Msg::NoChanges)}</p> }.into_any(),
                Ok(list) => view! { <ul class="history" id="diff">{list.into_iter().map(|c| view! { <li>{change_text(&c, i18n)}</li> }).collect_view()}</ul> }.into_any(),
            })}
        </section>
    }
}

fn change_text(change: &TermsChange, i18n: crate::i18n::I18n) -> String {
    let locale = i18n.now();
    let money = |c: Cents| i18n.money(c)();
    match change {
        TermsChange::Title { old, new } => {
            fill(Msg::DiffTitle.text(locale), &[("old", old), ("new", new)])
        }
        TermsChange::SignDate { old, new } => fill(
            Msg::DiffSignDate.text(locale),
            &[("old", &old.to_string()), ("new", &new.to_string())],
        ),
        TermsChange::TaxRate { old, new } => fill(
            Msg::DiffTaxRate.text(locale),
            &[
                ("old", &guanxi_core::model::Rate(*old).to_string()),
                ("new", &guanxi_core::model::Rate(*new).to_string()),
            ],
        ),
        TermsChange::Owners { old, new } => {
            fill(Msg::DiffOwners.text(locale), &[("old", old), ("new", new)])
        }
        TermsChange::Amount { old, new } => fill(
            Msg::DiffAmount.text(locale),
            &[("old", &money(*old)), ("new", &money(*new))],
        ),
        TermsChange::LineAdded {
            description,
            quantity,
            net,
        } => fill(
            Msg::DiffLineAdded.text(locale),
            &[
                ("line", description),
                ("quantity", quantity),
                ("net", &money(*net)),
            ],
        ),
        TermsChange::LineRemoved {
            description,
            quantity,
            net,
        } => fill(
            Msg::DiffLineRemoved.text(locale),
            &[
                ("line", description),
                ("quantity", quantity),
                ("net", &money(*net)),
            ],
        ),
        TermsChange::LineChanged {
            description,
            old_quantity,
            new_quantity,
            old_net,
            new_net,
        } => fill(
            Msg::DiffLineChanged.text(locale),
            &[
                ("line", description),
                ("old_quantity", old_quantity),
                ("new_quantity", new_quantity),
                ("old_net", &money(*old_net)),
                ("new_net", &money(*new_net)),
            ],
        ),
    }
}
