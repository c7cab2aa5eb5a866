//! An approval's steps as the record's page shows them, and the panel
//! whoever may decide the waiting step decides it with: one look for
//! quotes, contracts and whatever else goes through the chain.

use guanxi_core::model::Approval;
use leptos::prelude::*;

use crate::i18n::{Msg, approval_level_msg, fill, use_i18n};

#[component]
pub fn ApprovalSteps(
    approval: Approval,
    /// When each step was decided, in the company's zone.
    times: Vec<Option<String>>,
    submitted_at: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    view! {
        <p class="muted">{fill(Msg::AskedBy.text(locale), &[("name", &approval.submitter_name), ("when", &submitted_at.unwrap_or_default())])}</p>
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
                            Some(d) => fill(Msg::ApprovalStepDone.text(locale), &[("name", step.decider_name.as_deref().unwrap_or_default()), ("decision", d.text(locale))]),
                        }}
                        {times.get(n).cloned().flatten().map(|t| view! { <span class="muted">{format!(" · {t}")}</span> })}
                        {step.comment.clone().map(|c| view! { <p class="entry-text">{c}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Approve or reject the waiting step, with an optional comment.
#[component]
pub fn DecisionPanel(on_decide: Callback<(bool, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    view! {
        <div class="inline-form decision" id="decision">
            <input type="text" class="decision-note" placeholder=i18n.t(Msg::DecisionNote) aria-label=i18n.t(Msg::DecisionNote)
                on:input=move |ev| comment.set(event_target_value(&ev)) />
            <button type="button" class="btn btn-primary btn-small approve" on:click=move |_| on_decide.run((true, comment.get_untracked()))>{i18n.t(Msg::Approve)}</button>
            <button type="button" class="btn btn-small btn-danger reject" on:click=move |_| on_decide.run((false, comment.get_untracked()))>{i18n.t(Msg::Reject)}</button>
        </div>
    }
}
