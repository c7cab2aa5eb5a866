//! Requests waiting for the reader's decision, and the reader's own
//! requests with how they went.

use guanxi_core::model::ReopenStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::approvals::{RequestLine, decide_reopen, get_approvals};
use crate::api::contracts::contract_inbox;
use crate::api::quotes::quote_inbox;
use crate::components::loaded::Loaded;
use crate::i18n::approval_level_msg;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;
use guanxi_core::model::QuoteRow;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    let approvals = Resource::new(move || changed.get(), |_| get_approvals());
    let quotes = Resource::new(move || changed.get(), |_| quote_inbox());
    let contracts = Resource::new(move || changed.get(), |_| contract_inbox());
    view! {
        <PageHeader title=Msg::ApprovalsTitle intro=Msg::ApprovalsIntroAll />
        <Loaded resource=quotes let:rows>
            {(!rows.is_empty()).then(|| view! {
                <section class="card stack-gap" id="approvals-quotes">
                    <h2>{i18n.t(Msg::WaitingForYou)} " · " {i18n.t(Msg::NavQuotes)}</h2>
                    <ul class="history">
                        {rows.into_iter().map(|row| view! { <WaitingQuote row=row /> }).collect_view()}
                    </ul>
                </section>
            })}
        </Loaded>
        <Loaded resource=contracts let:rows>
            {(!rows.is_empty()).then(|| view! {
                <section class="card stack-gap" id="approvals-contracts">
                    <h2>{i18n.t(Msg::WaitingForYou)} " · " {i18n.t(Msg::NavContracts)}</h2>
                    <ul class="history">
                        {rows.into_iter().map(|row| {
                            let c = row.contract;
                            let amount = i18n.money_in(c.terms.amount(), crate::format::MoneyStyle::Exact);
                            let label = format!("{} · {} · {}", c.number, row.customer_name, amount);
                            view! { <li><A href=format!("/contracts/{}", c.id)>{label}</A></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Loaded>
        <Loaded resource=approvals let:a>
            {view! {
                <section class="card stack-gap" id="approvals-waiting">
                    <h2>{i18n.t(Msg::WaitingForYou)}</h2>
                    {if a.waiting.is_empty() {
                        view! { <p class="muted">{i18n.t(Msg::NothingWaiting)}</p> }.into_any()
                    } else {
                        a.waiting.into_iter().map(|line| view! { <WaitingRequest line=line changed=changed /> }).collect_view().into_any()
                    }}
                </section>
                <section class="card" id="approvals-mine">
                    <h2>{i18n.t(Msg::YourRequests)}</h2>
                    {if a.mine.is_empty() {
                        view! { <p class="muted">{i18n.t(Msg::NoRequests)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="history">
                                {a.mine.into_iter().map(|line| view! { <OwnRequest line=line /> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </section>
            }}
        </Loaded>
    }
}

#[component]
fn WaitingRequest(line: RequestLine, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let r = line.request;
    let id = r.id;
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let decide = move |approve: bool| {
        let text = note.get_untracked();
        spawn_local(async move {
            match decide_reopen(id, approve, text).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <div class="request" data-request=id.to_string()>
            <div>
                <A href=format!("/deals/{}", r.deal_id)>{r.deal_title.clone()}</A>
                " · "
                <span class="badge">{i18n.t(super::outcome_msg(r.outcome))}</span>
            </div>
            <p class="muted">{fill(Msg::AskedBy.text(locale), &[("name", &r.requester_name), ("when", &line.asked)])}</p>
            <p class="entry-text">{r.note.clone()}</p>
            <div class="inline-form">
                <input type="text" class="decision-note" placeholder=i18n.t(Msg::DecisionNote) aria-label=i18n.t(Msg::DecisionNote)
                    on:input=move |ev| note.set(event_target_value(&ev)) />
                <button type="button" class="btn btn-primary btn-small approve" on:click=move |_| decide(true)>{i18n.t(Msg::Approve)}</button>
                <button type="button" class="btn btn-small btn-danger reject" on:click=move |_| decide(false)>{i18n.t(Msg::Reject)}</button>
            </div>
            {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </div>
    }
}

#[component]
fn OwnRequest(line: RequestLine) -> impl IntoView {
    let i18n = use_i18n();
    let r = line.request;
    let status = match r.status {
        ReopenStatus::Pending => Msg::StatusPending,
        ReopenStatus::Approved => Msg::StatusApproved,
        ReopenStatus::Rejected => Msg::StatusRejected,
    };
    view! {
        <li class="own-request">
            <A href=format!("/deals/{}", r.deal_id)>{r.deal_title.clone()}</A>
            " "
            <span class="badge" class:badge-ok=r.status == ReopenStatus::Approved>{i18n.t(status)}</span>
            <span class="muted">
                {format!(" · {}", line.asked)}
                {r.decider_name.clone().map(|n| format!(" · {n}"))}
                {r.decision_note.clone().filter(|n| !n.is_empty()).map(|n| format!(" — {n}"))}
            </span>
        </li>
    }
}

/// A quote waiting for the reader's decision; it is decided on the quote's
/// page, beside its lines.
#[component]
fn WaitingQuote(row: QuoteRow) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let q = row.quote;
    let level = q
        .approval
        .as_ref()
        .and_then(|a| a.pending_step())
        .map(|s| approval_level_msg(s.level).text(locale))
        .unwrap_or_default();
    let submitter = q
        .approval
        .as_ref()
        .map(|a| a.submitter_name.clone())
        .unwrap_or_default();
    let amount = i18n.money_in(q.totals.gross, crate::format::MoneyStyle::Exact);
    let label = fill(
        Msg::QuoteApprovalFor.text(locale),
        &[
            ("number", &q.number),
            ("customer", &row.customer_name),
            ("amount", &amount),
        ],
    );
    view! {
        <li class="waiting-quote" data-quote=q.number.clone()>
            <A href=format!("/quotes/{}", q.id)>{label}</A>
            <span class="muted">{format!(" · {submitter} · {level}")}</span>
        </li>
    }
}
