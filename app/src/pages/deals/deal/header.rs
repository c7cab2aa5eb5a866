//! The top of the deal page: where the deal stands, and what its owner can
//! do with it (move, suspend, close, edit, delete, transfer).

use guanxi_core::model::{Deal, DealStatus, Id, Outcome, Pipeline};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::SheetWrite;
use crate::api::deals::{delete_deal, move_deal, suspend_deal, transfer_deal};
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::deals::close_dialog::CloseTarget;
use crate::pages::deals::stage_name;

#[component]
pub fn DealHeader(
    deal: Deal,
    pipeline: Pipeline,
    customer_name: String,
    days_in_stage: i64,
    can_edit: bool,
    closing: RwSignal<Option<CloseTarget>>,
    write: SheetWrite,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let id = deal.id;
    let stage = pipeline.stage(deal.stage_id).cloned();
    let open = deal.status == DealStatus::Open;
    let closed = deal.is_closed();
    let status_msg = match deal.status {
        DealStatus::Open => Msg::DealOpen,
        DealStatus::Suspended => Msg::DealSuspended,
        DealStatus::Won => Msg::StageWon,
        DealStatus::Lost => Msg::StageLost,
    };
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
                {(can_edit && open).then(|| view! { <MoveSelect deal=deal.clone() pipeline=pipeline write=write /> })}
                {(can_edit && !closed).then(|| view! { <StatusButtons deal=deal.clone() closing=closing write=write /> })}
                {(can_edit && !closed).then(|| view! {
                    <A href=format!("/deals/{id}/edit") attr:class="btn" attr:id="edit-deal">{i18n.t(Msg::Edit)}</A>
                })}
                {can_edit.then(|| view! { <DeleteButton deal=deal write=write /> })}
            </div>
        </div>
    }
}

/// Moves an open deal to another open stage.
#[component]
fn MoveSelect(deal: Deal, pipeline: Pipeline, write: SheetWrite) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version) = (deal.id, deal.version);
    view! {
        <label class="inline-select">
            {i18n.t(Msg::MoveTo)}
            <select id="deal-move" on:change=move |ev| {
                if let Ok(to) = event_target_value(&ev).parse::<Id>() {
                    write.run(async move { move_deal(id, to, version).await.map(|_| ()) });
                }
            }>
                {pipeline
                    .open_stages()
                    .map(|stage| {
                        let selected = stage.id == deal.stage_id;
                        view! { <option value=stage.id.to_string() selected=selected>{stage_name(stage, write.locale)}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Suspend or resume, and close as won or lost (through the close dialog).
#[component]
fn StatusButtons(
    deal: Deal,
    closing: RwSignal<Option<CloseTarget>>,
    write: SheetWrite,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = deal.id;
    let open = deal.status == DealStatus::Open;
    let title = deal.title;
    let close_with = move |outcome| {
        closing.set(Some(CloseTarget {
            deal: id,
            title: title.clone(),
            outcome,
        }))
    };
    let close_won = close_with.clone();
    view! {
        <button type="button" class="btn" id="deal-suspend"
            on:click=move |_| write.run(async move { suspend_deal(id, open).await.map(|_| ()) })>
            {i18n.t(if open { Msg::Suspend } else { Msg::Resume })}
        </button>
        <button type="button" class="btn btn-success" id="deal-won" on:click=move |_| close_won(Outcome::Won)>
            {i18n.t(Msg::CloseAsWon)}
        </button>
        <button type="button" class="btn btn-danger" id="deal-lost" on:click=move |_| close_with(Outcome::Lost)>
            {i18n.t(Msg::CloseAsLost)}
        </button>
    }
}

/// Deletes the deal after a confirmation and goes back to the board.
#[component]
fn DeleteButton(deal: Deal, write: SheetWrite) -> impl IntoView {
    let i18n = use_i18n();
    let locale = write.locale;
    let (id, version) = (deal.id, deal.version);
    let navigate = use_navigate();
    view! {
        <button type="button" class="btn btn-danger-quiet" id="delete-deal" on:click=move |_| {
            if window().confirm_with_message(Msg::DeleteDealConfirm.text(locale)).unwrap_or(false) {
                let navigate = navigate.clone();
                spawn_local(async move {
                    match delete_deal(id, version).await {
                        Ok(()) => navigate("/pipeline", Default::default()),
                        Err(e) => write.error.set(Some(e.text(locale))),
                    }
                });
            }
        }>
            {i18n.t(Msg::Delete)}
        </button>
    }
}

/// Hands the deal to another owner; shown to those who may.
#[component]
pub fn TransferBar(deal: Id, assignees: Vec<(Id, String)>, write: SheetWrite) -> impl IntoView {
    let i18n = use_i18n();
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
                    write.run(async move { transfer_deal(deal, to).await.map(|_| ()) });
                }
            }>{i18n.t(Msg::Transfer)}</button>
        </div>
    }
}
