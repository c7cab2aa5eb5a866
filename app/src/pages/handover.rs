//! The handover wizard: see what a colleague holds, choose who takes it
//! over (or the public pool), then read what moved.

use guanxi_core::model::{HandoverReport, Id};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::PageHeader;
use crate::api::users::{HandOver, HandoverScope, handover_preview};
use crate::components::forms::{FormAlert, SubmitButton, last_error, mark_hydrated};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn HandoverPage() -> impl IntoView {
    let params = use_params_map();
    let user = move || params.with(|p| p.get("id").and_then(|id| id.parse::<Id>().ok()));
    let hand_over = ServerAction::<HandOver>::new();
    let scope = Resource::new(user, |user| async move {
        match user {
            Some(user) => handover_preview(user).await.map(|scope| (user, scope)),
            None => Err(guanxi_core::Error::NotFound.into()),
        }
    });
    let done = move || matches!(hand_over.value().get(), Some(Ok(_)));
    view! {
        <PageHeader title=Msg::HandoverTitle intro=Msg::HandoverIntro />
        // The form stays mounted once it has done its work: the action still
        // touches it as the answer arrives, and a disposed form would panic.
        {move || match hand_over.value().get() {
            Some(Ok(report)) => Some(view! { <HandoverReportView report=report /> }),
            _ => None,
        }}
        <div hidden=done>
            <Loaded resource=scope let:scope>
                <HandoverForm user=scope.0 scope=scope.1 action=hand_over />
            </Loaded>
        </div>
    }
}

#[component]
fn HandoverForm(user: Id, scope: HandoverScope, action: ServerAction<HandOver>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    let form = NodeRef::<leptos::html::Form>::new();
    mark_hydrated(form);
    let holds = fill(
        Msg::HandoverHolds.text(i18n.now()),
        &[
            ("name", &scope.name),
            ("customers", &scope.customers.to_string()),
            ("deals", &scope.open_deals.to_string()),
            ("tasks", &scope.open_tasks.to_string()),
        ],
    );
    let target = RwSignal::new(
        scope
            .targets
            .first()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default(),
    );
    let limits = scope.clone();
    let over_limit = Signal::derive(move || {
        let to: Id = target.get().parse().ok()?;
        let after = limits.over_limit(to)?;
        let i = limits.targets.iter().position(|(id, _)| *id == to)?;
        Some((
            limits.targets[i].1.clone(),
            limits.held[i],
            after,
            limits.holding_limit,
        ))
    });
    view! {
        <ActionForm action=action node_ref=form attr:class="form card" attr:id="handover-form">
            <input type="hidden" name="from" value=user.to_string() />
            <p id="handover-holds">{holds}</p>
            <div class="field">
                <label for="f-handover-to">{i18n.t(Msg::HandoverTo)}</label>
                <select id="f-handover-to" name="to" on:change=move |ev| target.set(event_target_value(&ev))>
                    {scope
                        .targets
                        .into_iter()
                        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                        .collect_view()}
                    <option value="">{i18n.t(Msg::ToPublicPool)}</option>
                </select>
            </div>
            {move || over_limit.get().map(|(user, held, after, limit)| view! {
                <OverLimitNote user=user held=held after=after limit=limit />
            })}
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <SubmitButton label=Msg::HandoverConfirm pending=action.pending().into() />
                <A href="/admin/users" attr:class="btn btn-ghost">{i18n.t(Msg::Cancel)}</A>
            </div>
        </ActionForm>
    }
}

/// The receiver would hold more than the limit: say so, and let an admin
/// give the reason to go ahead anyway.
#[component]
fn OverLimitNote(user: String, held: u32, after: u32, limit: u32) -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = crate::layout::use_current_user().role.is_admin();
    let text = move || {
        fill(
            Msg::HandoverOverLimit.text(i18n.locale.get()),
            &[
                ("user", &user),
                ("held", &held.to_string()),
                ("after", &after.to_string()),
                ("limit", &limit.to_string()),
            ],
        )
    };
    view! {
        <div class="alert alert-warn" role="status" id="handover-over-limit">{text}</div>
        {is_admin.then(|| view! {
            <div class="field">
                <label for="f-override-reason">{i18n.t(Msg::OverLimitReason)}</label>
                <input type="text" id="f-override-reason" name="override_reason" maxlength="500" />
                <p class="field-hint">{i18n.t(Msg::OverLimitReasonHint)}</p>
            </div>
        })}
    }
}

#[component]
fn HandoverReportView(report: HandoverReport) -> impl IntoView {
    let i18n = use_i18n();
    let nothing = report.customers.is_empty() && report.deals.is_empty() && report.tasks.is_empty();
    let group = move |title: Msg,
                      id: &'static str,
                      rows: Vec<(Id, String)>,
                      link: Option<&'static str>| {
        (!rows.is_empty()).then(|| view! {
            <section class="card" id=id>
                <h2>{i18n.t(title)} " " <span class="muted">{rows.len()}</span></h2>
                <ul class="history">
                    {rows
                        .into_iter()
                        .map(|(id, name)| match link {
                            Some(base) => view! { <li><A href=format!("{base}/{id}")>{name}</A></li> }.into_any(),
                            None => view! { <li>{name}</li> }.into_any(),
                        })
                        .collect_view()}
                </ul>
            </section>
        })
    };
    view! {
        <div class="alert alert-ok" id="handover-done">
            {i18n.t(if nothing { Msg::NothingMoved } else { Msg::HandoverDone })}
        </div>
        <div class="sheet-grid">
            {group(Msg::MovedCustomers, "moved-customers", report.customers, Some("/customers"))}
            {group(Msg::MovedDeals, "moved-deals", report.deals, Some("/deals"))}
            {group(Msg::MovedTasks, "moved-tasks", report.tasks, None)}
        </div>
        <A href="/admin/users" attr:class="btn">{i18n.t(Msg::NavUsers)}</A>
    }
}
