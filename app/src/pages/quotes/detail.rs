//! One quote: its lines and totals, what can happen to it next, and its
//! approval steps with the decision panel for whoever may decide.

use guanxi_core::model::{Id, QuoteAction, QuoteStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::QuoteStatusBadge;
use crate::api::quotes::{QuoteView, decide_quote, get_quote, move_quote};
use crate::components::approval::{ApprovalSteps, DecisionPanel};
use crate::components::lines_table::LinesTable;
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};

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
    let navigate = leptos_router::hooks::use_navigate();
    let make_contract = move |_| {
        let locale = i18n.now();
        let navigate = navigate.clone();
        spawn_local(async move {
            match crate::api::contracts::contract_from_quote(id).await {
                Ok(contract) => navigate(&format!("/contracts/{contract}"), Default::default()),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let decide = Callback::new(move |(approve, comment): (bool, String)| {
        let locale = i18n.now();
        spawn_local(async move {
            match decide_quote(id, approve, comment).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    });
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
                {match v.contract_id {
                    Some(contract) => Some(view! {
                        <A href=format!("/contracts/{contract}") attr:class="btn btn-primary" attr:id="open-contract">{i18n.t(Msg::ViewContract)}</A>
                    }.into_any()),
                    None if status == QuoteStatus::Accepted && v.can_edit => Some(view! {
                        <button type="button" class="btn btn-primary" id="create-contract" on:click=make_contract>{i18n.t(Msg::CreateContract)}</button>
                    }.into_any()),
                    None => None,
                }}
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
                    <ApprovalSteps approval=approval times=times submitted_at=v.submitted_at.clone() />
                    {v.may_decide.then(|| view! { <DecisionPanel on_decide=decide /> })}
                </section>
            }
        })}
    }
}

/// The lines with their totals, as the quote page and the printout show them.
#[component]
pub fn QuoteLinesTable(quote: guanxi_core::model::Quote) -> impl IntoView {
    view! { <LinesTable lines=quote.lines tax_rate=quote.tax_rate totals=quote.totals /> }
}
