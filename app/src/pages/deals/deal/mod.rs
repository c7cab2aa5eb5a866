//! One deal: where it stands, what must be done to move on, who it is up
//! against, and how it got here. The page is a header with the deal's
//! actions and a grid of cards; each write reloads the whole sheet.

mod activities;
mod cards;
mod header;
mod reopen;

use guanxi_core::model::{Id, Locale};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use self::activities::DealActivitiesCard;
use self::cards::{ChecklistCard, CompetitorsCard, DetailsCard, HistoryCard, RequirementsCard};
use self::header::{DealHeader, TransferBar};
use self::reopen::ReopenPanel;
use super::close_dialog::{CloseDealDialog, CloseTarget};
use super::reason_label;
use crate::api::deals::{DealView, get_deal};
use crate::api::files::{DeleteFile, deal_files};
use crate::components::files::FilesCard;
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::contracts::DealContractsCard;

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
    let delete_file = ServerAction::<DeleteFile>::new();
    let files = Resource::new(
        move || (id(), changed.get(), delete_file.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => deal_files(id).await,
                None => Err(guanxi_core::Error::NotFound.into()),
            }
        },
    );
    view! {
        <Loaded resource=deal let:view>
            <DealSheet view=view closing=closing changed=changed />
        </Loaded>
        <Loaded resource=files let:list>
            <div class="sheet-grid" id="deal-files">
                <FilesCard files=list.files upload_to=format!("/api/v1/deals/{}/files", id().map(|i| i.to_string()).unwrap_or_default()) can_edit=list.can_edit delete=delete_file />
            </div>
        </Loaded>
        <CloseDealDialog target=closing on_closed=Callback::new(move |_| reload()) />
    }
}

/// How the sheet's writes end: a success reloads the sheet, a refusal shows
/// the server's reason above the cards.
#[derive(Clone, Copy)]
struct SheetWrite {
    error: RwSignal<Option<String>>,
    changed: RwSignal<u32>,
    locale: Locale,
}

impl SheetWrite {
    fn run(self, call: impl Future<Output = Result<(), AppError>> + 'static) {
        spawn_local(async move {
            match call.await {
                Ok(()) => {
                    self.error.set(None);
                    self.changed.update(|n| *n += 1);
                }
                Err(e) => self.error.set(Some(e.text(self.locale))),
            }
        });
    }
}

#[component]
fn DealSheet(
    view: DealView,
    closing: RwSignal<Option<CloseTarget>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let locale = use_i18n().now();
    let error = RwSignal::new(None::<String>);
    let write = SheetWrite {
        error,
        changed,
        locale,
    };
    let DealView {
        deal,
        pipeline,
        customer_name,
        owners,
        history,
        days_in_stage,
        can_edit,
        activities,
        now_local,
        assignees,
        reopen,
        changes,
    } = view;
    let id = deal.id;
    let closed = deal.is_closed();
    let won = deal.status == guanxi_core::model::DealStatus::Won;
    let stage = pipeline.stage(deal.stage_id).cloned();
    view! {
        <DealHeader
            deal=deal.clone()
            pipeline=pipeline.clone()
            customer_name=customer_name
            days_in_stage=days_in_stage
            can_edit=can_edit
            closing=closing
            write=write
        />
        {(!assignees.is_empty() && !closed).then(|| view! { <TransferBar deal=id assignees=assignees write=write /> })}
        {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="deal-error">{text}</div> })}
        {closed.then(|| view! {
            <div class="alert alert-info" id="deal-closed-note">
                {deal.close_reason.clone().map(|r| fill(Msg::ClosedBecause.text(locale), &[("reason", &reason_label(&r, locale))]))}
                {deal.lost_to.clone().map(|w| view! { " · " {fill(Msg::LostToName.text(locale), &[("name", &w)])} })}
            </div>
            <ReopenPanel deal=id latest=reopen.clone() changed=changed />
        })}
        <div class="sheet-grid">
            // A won deal's next step is its contract: first, where the eye lands.
            {won.then(|| view! { <DealContractsCard deal=id won=true can_edit=can_edit /> })}
            <DetailsCard deal=deal.clone() owners=owners />
            <ChecklistCard deal=deal.clone() stage=stage can_edit=can_edit write=write />
            <CompetitorsCard competitors=deal.competitors.clone() />
            <RequirementsCard requirements=deal.requirements.clone() solution=deal.solution.clone() />
            <HistoryCard history=history pipeline=pipeline />
            <crate::pages::audit::ChangesCard rows=changes id="deal-changes" />
            <crate::pages::quotes::QuotesCard customer=deal.customer_id deal=id />
            {(!won).then(|| view! { <DealContractsCard deal=id won=false can_edit=can_edit /> })}
            <DealActivitiesCard
                deal=id
                customer=deal.customer_id
                activities=activities
                now_local=now_local
                changed=changed
            />
        </div>
    }
}
