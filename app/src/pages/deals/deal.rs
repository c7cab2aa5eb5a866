//! One deal: where it stands, what must be done to move on, who it is up
//! against, and how it got here.

use guanxi_core::model::{DealStatus, Id, Outcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::close_dialog::{CloseDealDialog, CloseTarget};
use super::{money, stage_name};
use crate::api::approvals::request_reopen;
use crate::api::deals::{
    DealView, delete_deal, get_deal, move_deal, suspend_deal, tick_checklist, transfer_deal,
};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, activity_msg, fill, use_i18n};
use guanxi_core::model::{ReopenRequest, ReopenStatus};
use leptos_router::hooks::use_navigate;

#[component]
pub fn DealPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<Id>().ok()));
    let changed = RwSignal::new(0u32);
    let deal = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_deal(id).await,
                None => Err(guanxi_core::Error::NotFound.into()),
            }
        },
    );
    let closing = RwSignal::new(None::<CloseTarget>);
    let reload = move || changed.update(|n| *n += 1);
    view! {
        <Loaded resource=deal let:view>
            <DealSheet view=view closing=closing changed=changed />
        </Loaded>
        <CloseDealDialog target=closing on_closed=Callback::new(move |_| reload()) />
    }
}

#[component]
fn DealSheet(
    view: DealView,
    closing: RwSignal<Option<CloseTarget>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let DealView {
        deal,
        pipeline,
        customer_name,
        owners,
        history,
        days_in_stage,
        can_edit,
        activities,
        assignees,
        reopen,
    } = view;
    let id = deal.id;
    let version = deal.version;
    let stage = pipeline.stage(deal.stage_id).cloned();
    let open_stages: Vec<(Id, String)> = pipeline
        .open_stages()
        .map(|s| (s.id, stage_name(s, locale)))
        .collect();
    let name_of = move |stage: Option<Id>| {
        stage
            .and_then(|s| pipeline.stage(s))
            .map(|s| stage_name(s, locale))
            .unwrap_or_else(|| Msg::RemovedStage.text(locale).to_string())
    };
    let run =
        move |call: std::pin::Pin<Box<dyn Future<Output = Result<(), crate::error::AppError>>>>| {
            spawn_local(async move {
                match call.await {
                    Ok(()) => {
                        error.set(None);
                        changed.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(e.text(locale))),
                }
            });
        };
    let open = deal.status == DealStatus::Open;
    let closed = deal.is_closed();
    let title = deal.title.clone();
    let close_with = move |outcome| {
        closing.set(Some(CloseTarget {
            deal: id,
            title: title.clone(),
            outcome,
        }))
    };
    let close_won = close_with.clone();
    let status_msg = match deal.status {
        DealStatus::Open => Msg::DealOpen,
        DealStatus::Suspended => Msg::DealSuspended,
        DealStatus::Won => Msg::StageWon,
        DealStatus::Lost => Msg::StageLost,
    };
    let checklist = stage
        .as_ref()
        .map(|s| s.checklist.clone())
        .unwrap_or_default();
    let ticked = deal
        .checklist_done
        .get(&deal.stage_id)
        .cloned()
        .unwrap_or_default();
    let stall_days = stage.as_ref().and_then(|s| s.stall_days);
    let stalled = open && stall_days.is_some_and(|limit| days_in_stage > i64::from(limit));
    view! {
        <div class="page-header">
            <div>
                <p class="breadcrumb"><A href="/pipeline">{i18n.t(Msg::PipelineTitle)}</A></p>
                <h1 id="deal-title">{deal.title.clone()}</h1>
                <p class="page-intro">
                    <A href=format!("/customers/{}", deal.customer_id)>{customer_name}</A>
                    " · "
                    <span class="badge" id="deal-status">{i18n.t(status_msg)}</span>
                    " · "
                    <span id="deal-stage">{stage.as_ref().map(|s| stage_name(s, locale))}</span>
                    " · "
                    <span class:stalled=stalled>
                        {fill(Msg::DaysInStage.text(locale), &[("n", &days_in_stage.to_string())])}
                    </span>
                </p>
            </div>
            <div class="page-actions">
                {(can_edit && open).then(|| view! {
                    <label class="inline-select">
                        {i18n.t(Msg::MoveTo)}
                        <select id="deal-move" on:change=move |ev| {
                            if let Ok(to) = event_target_value(&ev).parse::<Id>() {
                                run(Box::pin(async move { move_deal(id, to, version).await.map(|_| ()) }));
                            }
                        }>
                            {open_stages
                                .iter()
                                .map(|(stage_id, name)| {
                                    let selected = *stage_id == deal.stage_id;
                                    view! { <option value=stage_id.to_string() selected=selected>{name.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                })}
                {(can_edit && !closed).then(|| view! {
                    <button type="button" class="btn" id="deal-suspend"
                        on:click=move |_| run(Box::pin(async move { suspend_deal(id, open).await.map(|_| ()) }))>
                        {i18n.t(if open { Msg::Suspend } else { Msg::Resume })}
                    </button>
                    <button type="button" class="btn btn-success" id="deal-won" on:click=move |_| close_won(Outcome::Won)>
                        {i18n.t(Msg::CloseAsWon)}
                    </button>
                    <button type="button" class="btn btn-danger" id="deal-lost" on:click=move |_| close_with(Outcome::Lost)>
                        {i18n.t(Msg::CloseAsLost)}
                    </button>
                })}
                {(can_edit && !closed).then(|| view! {
                    <A href=format!("/deals/{id}/edit") attr:class="btn" attr:id="edit-deal">{i18n.t(Msg::Edit)}</A>
                })}
                {can_edit.then(|| view! {
                    <button type="button" class="btn btn-danger-quiet" id="delete-deal" on:click=move |_| {
                        if window().confirm_with_message(Msg::DeleteDealConfirm.text(locale)).unwrap_or(false) {
                            let navigate = navigate.clone();
                            spawn_local(async move {
                                match delete_deal(id, version).await {
                                    Ok(()) => navigate("/pipeline", Default::default()),
                                    Err(e) => error.set(Some(e.text(locale))),
                                }
                            });
                        }
                    }>
                        {i18n.t(Msg::Delete)}
                    </button>
                })}
            </div>
        </div>
        {(!assignees.is_empty() && !closed).then(|| {
            let to = RwSignal::new(None::<Id>);
            view! {
                <div class="inline-form transfer-bar">
                    <label class="inline-select">
                        {i18n.t(Msg::TransferTo)}
                        <select id="deal-transfer-to" on:change=move |ev| to.set(event_target_value(&ev).parse().ok())>
                            <option value="">"—"</option>
                            {assignees.iter().map(|(uid, name)| view! { <option value=uid.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="btn btn-small" id="deal-transfer" on:click=move |_| {
                        if let Some(to) = to.get_untracked() {
                            run(Box::pin(async move { transfer_deal(id, to).await.map(|_| ()) }));
                        }
                    }>{i18n.t(Msg::Transfer)}</button>
                </div>
            }
        })}
        {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="deal-error">{text}</div> })}
        {closed.then(|| view! {
            <div class="alert alert-info" id="deal-closed-note">
                {deal.close_reason.clone().map(|r| fill(Msg::ClosedBecause.text(locale), &[("reason", &super::reason_label(&r, locale))]))}
                {deal.lost_to.clone().map(|w| view! { " · " {fill(Msg::LostToName.text(locale), &[("name", &w)])} })}
            </div>
            <ReopenPanel deal=id latest=reopen.clone() changed=changed />
        })}
        <div class="sheet-grid">
            <section class="card">
                <h2>{i18n.t(Msg::DealDetails)}</h2>
                <dl class="facts">
                    <dt>{i18n.t(Msg::Amount)}</dt><dd id="deal-amount">{money(deal.amount)}</dd>
                    <dt>{i18n.t(Msg::ExpectedClose)}</dt><dd>{deal.expected_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{i18n.t(Msg::Confidence)}</dt><dd>{format!("{} %", deal.confidence)}</dd>
                    <dt>{i18n.t(Msg::Owners)}</dt>
                    <dd id="deal-details-owners">{owners.iter().map(|(name, percent)| format!("{name} {percent} %")).collect::<Vec<_>>().join(" · ")}</dd>
                    <dt>{i18n.t(Msg::SourceCampaign)}</dt><dd>{deal.source_campaign.clone().unwrap_or_else(|| "—".into())}</dd>
                    {deal.qualification.clone().map(|q| view! {
                        <dt>{i18n.t(Msg::Qualification)}</dt>
                        <dd>
                            {i18n.t(if q.valuable { Msg::Valuable } else { Msg::NotValuable })}
                            " · " {i18n.t(super::form::size_msg(q.size))}
                            {q.expected_amount.map(|a| format!(" · {}", money(a)))}
                            {q.next_milestone.map(|m| format!(" · {m}"))}
                        </dd>
                    })}
                </dl>
            </section>
            <section class="card" id="deal-checklist">
                <h2>{i18n.t(Msg::Checklist)}</h2>
                {if checklist.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::NoChecklist)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="checklist">
                            {checklist
                                .into_iter()
                                .map(|item| {
                                    let done = ticked.contains(&item);
                                    let label = item.clone();
                                    view! {
                                        <li>
                                            <label>
                                                <input type="checkbox" checked=done disabled=!(can_edit && open)
                                                    on:change=move |_| {
                                                        let item = item.clone();
                                                        run(Box::pin(async move { tick_checklist(id, item, !done).await.map(|_| ()) }));
                                                    } />
                                                " " {label}
                                            </label>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
            <section class="card">
                <h2>{i18n.t(Msg::Competitors)}</h2>
                {if deal.competitors.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::NoCompetitors)}</p> }.into_any()
                } else {
                    view! {
                        <table class="table" id="deal-competitors">
                            <thead><tr>
                                <th>{i18n.t(Msg::Name)}</th><th>{i18n.t(Msg::Price)}</th>
                                <th>{i18n.t(Msg::Strengths)}</th><th>{i18n.t(Msg::Weaknesses)}</th>
                            </tr></thead>
                            <tbody>
                                {deal.competitors.iter().map(|c| view! {
                                    <tr>
                                        <td>{c.name.clone()}</td>
                                        <td>{c.price.map(money).unwrap_or_default()}</td>
                                        <td>{c.strengths.clone()}</td>
                                        <td>{c.weaknesses.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }}
            </section>
            <section class="card">
                <h2>{i18n.t(Msg::RequirementsAndSolution)}</h2>
                <h3>{i18n.t(Msg::Requirements)}</h3>
                <p class="prewrap">{deal.requirements.clone().unwrap_or_else(|| "—".into())}</p>
                <h3>{i18n.t(Msg::Solution)}</h3>
                <p class="prewrap">{deal.solution.clone().unwrap_or_else(|| "—".into())}</p>
            </section>
            <section class="card">
                <h2>{i18n.t(Msg::StageHistory)}</h2>
                <ol class="history" id="deal-history">
                    {history
                        .into_iter()
                        .rev()
                        .map(|line| {
                            let text = match line.change.from {
                                None => fill(Msg::HistoryCreated.text(locale), &[("to", &name_of(Some(line.change.to)))]),
                                Some(from) => fill(
                                    Msg::HistoryMoved.text(locale),
                                    &[("from", &name_of(Some(from))), ("to", &name_of(Some(line.change.to)))],
                                ),
                            };
                            view! {
                                <li>
                                    <span>{text}</span>
                                    <span class="muted">{format!(" · {} · {}", line.when, line.by_name)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <section class="card">
                <h2>{i18n.t(Msg::CustomerActivities)}</h2>
                {if activities.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::NoActivities)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="history">
                            {activities.into_iter().map(|line| view! {
                                <li>
                                    <span class="badge">{i18n.t(activity_msg(line.activity.kind))}</span>
                                    " " {line.activity.text.clone()}
                                    <span class="muted">{format!(" · {} · {}", line.when, line.by_name)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        </div>
    }
}

/// Asking a manager to reopen a closed deal, and how that request went.
#[component]
fn ReopenPanel(deal: Id, latest: Option<ReopenRequest>, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = latest
        .as_ref()
        .is_some_and(|r| r.status == ReopenStatus::Pending);
    let outcome = latest.map(|r| {
        let who = r.decider_name.clone().unwrap_or_default();
        let text = match r.status {
            ReopenStatus::Pending => Msg::ReopenPending.text(locale).to_string(),
            ReopenStatus::Approved => fill(Msg::ReopenApproved.text(locale), &[("name", &who)]),
            ReopenStatus::Rejected => fill(Msg::ReopenRejected.text(locale), &[("name", &who)]),
        };
        let note = r.decision_note.filter(|n| !n.is_empty());
        view! {
            <p id="reopen-status">
                {text}
                {note.map(|n| view! { <span class="muted">" — " {n}</span> })}
            </p>
        }
    });
    let ask = move |_| {
        let text = note.get_untracked();
        spawn_local(async move {
            match request_reopen(deal, text).await {
                Ok(_) => {
                    error.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    view! {
        <section class="card reopen-panel">
            <h2>{i18n.t(Msg::ReopenTitle)}</h2>
            {outcome}
            {(!pending).then(|| view! {
                <div class="inline-form">
                    <input type="text" id="reopen-note" placeholder=i18n.t(Msg::ReopenWhy) aria-label=i18n.t(Msg::ReopenWhy)
                        on:input=move |ev| note.set(event_target_value(&ev)) />
                    <button type="button" class="btn" id="request-reopen" on:click=ask>{i18n.t(Msg::RequestReopen)}</button>
                </div>
            })}
            {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </section>
    }
}
