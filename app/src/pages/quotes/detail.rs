//! One quote: its lines and totals, what can happen to it next, and its
//! approval steps with the decision panel for whoever may decide.

use guanxi_core::model::{Id, QuoteAction, QuoteStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::QuoteStatusBadge;
use crate::api::quotes::{QuoteView, decide_quote, get_quote, move_quote};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, approval_level_msg, fill, use_i18n};

#[component]
pub fn QuotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<Id>().ok()));
    let changed = RwSignal::new(0u32);
    let view_data = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_quote(id).await,
                None => Err(AppError::Core(guanxi_core::Error::NotFound)),
            }
        },
    );
    view! {
        <Loaded resource=view_data let:v>
            <QuoteDetail v=v changed=changed />
        </Loaded>
    }
}

fn action_msg(action: QuoteAction, needs_approval: bool, status: QuoteStatus) -> Msg {
    match action {
        QuoteAction::Send if needs_approval && status == QuoteStatus::Draft => Msg::QuoteSubmit,
        QuoteAction::Send => Msg::QuoteSend,
        QuoteAction::Accept => Msg::QuoteAccept,
        QuoteAction::Reject => Msg::QuoteReject,
        QuoteAction::Revise => Msg::QuoteRevise,
    }
}

#[component]
fn QuoteDetail(v: QuoteView, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let q = v.row.quote.clone();
    let status = v.row.status;
    let (id, version) = (q.id, q.version);
    let error = RwSignal::new(None::<String>);
    let act = move |action: QuoteAction| {
        let locale = i18n.now();
        spawn_local(async move {
            match move_quote(id, version, action).await {
                Ok(_) => {
                    error.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let needs = v.needs_approval;
    let editable = v.can_edit && status.is_editable();
    view! {
        <div class="page-header">
            <div>
                <h1>
                    <span class="mono">{q.number.clone()}</span>
                    " "
                    <QuoteStatusBadge status=status />
                </h1>
                <p class="page-intro">
                    <A href=format!("/customers/{}", q.customer_id)>{v.row.customer_name.clone()}</A>
                    {(!q.title.is_empty()).then(|| format!(" · {}", q.title))}
                    {v.deal_title.clone().zip(q.deal_id).map(|(title, deal)| view! {
                        " · " <A href=format!("/deals/{deal}")>{title}</A>
                    })}
                </p>
            </div>
            <div class="page-actions" id="quote-actions">
                <A href=format!("/quotes/{id}/print") attr:class="btn" attr:id="print-quote">{i18n.t(Msg::QuotePrint)}</A>
                {editable.then(|| view! {
                    <A href=format!("/quotes/{id}/edit") attr:class="btn" attr:id="edit-quote">{i18n.t(Msg::Edit)}</A>
                })}
                {v.actions.iter().map(|&action| {
                    let primary = matches!(action, QuoteAction::Send | QuoteAction::Accept);
                    view! {
                        <button type="button" class="btn" class:btn-primary=primary data-action=format!("{action:?}").to_lowercase()
                            on:click=move |_| act(action)>
                            {i18n.t(action_msg(action, needs, status))}
                        </button>
                    }
                }).collect_view()}
            </div>
        </div>
        {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
        {(needs && status == QuoteStatus::Draft && v.can_edit).then(|| view! {
            <p class="alert alert-warn" id="needs-approval">{fill(Msg::QuoteNeedsApproval.text(i18n.now()), &[("limit", &v.discount_limit.to_string())])}</p>
        })}
        <section class="card">
            <QuoteLinesTable quote=q.clone() />
            <dl class="facts quote-facts">
                <dt>{i18n.t(Msg::ValidUntil)}</dt><dd id="quote-valid-until">{q.valid_until.format("%Y-%m-%d").to_string()}</dd>
                <dt>{i18n.t(Msg::Owner)}</dt><dd>{v.row.owner_name.clone()}</dd>
                {q.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <dt>{i18n.t(Msg::Notes)}</dt><dd class="pre">{n}</dd> })}
            </dl>
        </section>
        {q.approval.clone().map(|approval| {
            let times = v.step_times.clone();
            view! {
                <section class="card" id="quote-approval">
                    <h2>{i18n.t(Msg::ApprovalChain)}</h2>
                    <p class="muted">{fill(Msg::AskedBy.text(i18n.now()), &[("name", &approval.submitter_name), ("when", &v.submitted_at.clone().unwrap_or_default())])}</p>
                    <ol class="approval-steps">
                        {approval.steps.iter().enumerate().map(|(n, step)| {
                            let decision = match step.approved {
                                None => None,
                                Some(true) => Some(Msg::StatusApproved),
                                Some(false) => Some(Msg::StatusRejected),
                            };
                            let state = match step.approved { None => "waiting", Some(true) => "approved", Some(false) => "rejected" };
                            view! {
                                <li class=format!("approval-step {state}")>
                                    <strong>{i18n.t(approval_level_msg(step.level))}</strong>
                                    " · "
                                    {match decision {
                                        None => i18n.t(Msg::ApprovalWaiting)().to_string(),
                                        Some(d) => fill(Msg::ApprovalStepDone.text(i18n.now()), &[("name", step.decider_name.as_deref().unwrap_or_default()), ("decision", d.text(i18n.now()))]),
                                    }}
                                    {times.get(n).cloned().flatten().map(|t| view! { <span class="muted">{format!(" · {t}")}</span> })}
                                    {step.comment.clone().map(|c| view! { <p class="entry-text">{c}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    {v.may_decide.then(|| view! { <DecisionPanel id=id changed=changed /> })}
                </section>
            }
        })}
    }
}

/// The lines with their totals, as the quote page and the printout show them.
#[component]
pub fn QuoteLinesTable(quote: guanxi_core::model::Quote) -> impl IntoView {
    let i18n = use_i18n();
    let any_discount = quote.lines.iter().any(|l| l.discount.0 > 0);
    view! {
        <div class="table-wrap">
            <table class="table lines-table" id="quote-lines">
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
                    {quote.lines.iter().enumerate().map(|(n, l)| view! {
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
            <dt>{i18n.t(Msg::NetTotal)}</dt><dd id="total-net">{i18n.money(quote.totals.net)}</dd>
            <dt>{fill(Msg::TaxAt.text(i18n.now()), &[("rate", &quote.tax_rate.to_string())])}</dt><dd id="total-tax">{i18n.money(quote.totals.tax)}</dd>
            <dt class="gross">{i18n.t(Msg::GrossTotal)}</dt><dd class="gross" id="total-gross">{i18n.money(quote.totals.gross)}</dd>
        </dl>
    }
}

#[component]
fn DecisionPanel(id: Id, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let decide = move |approve: bool| {
        let text = comment.get_untracked();
        let locale = i18n.now();
        spawn_local(async move {
            match decide_quote(id, approve, text).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <div class="inline-form decision" id="quote-decision">
            <input type="text" class="decision-note" placeholder=i18n.t(Msg::DecisionNote) aria-label=i18n.t(Msg::DecisionNote)
                on:input=move |ev| comment.set(event_target_value(&ev)) />
            <button type="button" class="btn btn-primary btn-small approve" on:click=move |_| decide(true)>{i18n.t(Msg::Approve)}</button>
            <button type="button" class="btn btn-small btn-danger reject" on:click=move |_| decide(false)>{i18n.t(Msg::Reject)}</button>
        </div>
        {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
    }
}
