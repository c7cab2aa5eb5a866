//! The cards of the deal page: details, the stage's checklist, competitors,
//! requirements and solution, and stage history.

use guanxi_core::model::{Competitor, Deal, Id, Pipeline, Stage};
use leptos::prelude::*;

use super::SheetWrite;
use crate::api::deals::{HistoryLine, tick_checklist};
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::deals::{size_msg, stage_name};

#[component]
pub fn DetailsCard(deal: Deal, owners: Vec<(String, u8)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::DealDetails)}</h2>
            <dl class="facts">
                <dt>{i18n.t(Msg::Amount)}</dt><dd id="deal-amount">{i18n.money(deal.amount)}</dd>
                <dt>{i18n.t(Msg::ExpectedClose)}</dt><dd>{deal.expected_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                <dt>{i18n.t(Msg::Confidence)}</dt><dd>{format!("{} %", deal.confidence)}</dd>
                <dt>{i18n.t(Msg::Owners)}</dt>
                <dd id="deal-details-owners">{owners.iter().map(|(name, percent)| format!("{name} {percent} %")).collect::<Vec<_>>().join(" · ")}</dd>
                <dt>{i18n.t(Msg::SourceCampaign)}</dt><dd>{deal.source_campaign.clone().unwrap_or_else(|| "—".into())}</dd>
                {deal.qualification.clone().map(|q| view! {
                    <dt>{i18n.t(Msg::Qualification)}</dt>
                    <dd id="deal-qualification">
                        {i18n.t(if q.valuable { Msg::Valuable } else { Msg::NotValuable })}
                        " · " {i18n.t(size_msg(q.size))}
                        {q.expected_amount.map(|a| view! { " · " {i18n.money(a)} })}
                        {q.next_milestone.map(|m| format!(" · {m}"))}
                    </dd>
                })}
            </dl>
        </section>
    }
}

/// What must be done in the current stage; ticking an item saves it.
#[component]
pub fn ChecklistCard(
    deal: Deal,
    stage: Option<Stage>,
    can_edit: bool,
    write: SheetWrite,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = deal.id;
    let editable = can_edit && deal.status == guanxi_core::model::DealStatus::Open;
    let checklist = stage.map(|s| s.checklist).unwrap_or_default();
    let ticked = deal
        .checklist_done
        .get(&deal.stage_id)
        .cloned()
        .unwrap_or_default();
    view! {
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
                                            <input type="checkbox" checked=done disabled=!editable
                                                on:change=move |_| {
                                                    let item = item.clone();
                                                    write.run(async move { tick_checklist(id, item, !done).await.map(|_| ()) });
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
    }
}

#[component]
pub fn CompetitorsCard(competitors: Vec<Competitor>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::Competitors)}</h2>
            {if competitors.is_empty() {
                view! { <p class="muted">{i18n.t(Msg::NoCompetitors)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="deal-competitors">
                        <thead><tr>
                            <th>{i18n.t(Msg::Name)}</th><th>{i18n.t(Msg::Price)}</th>
                            <th>{i18n.t(Msg::Strengths)}</th><th>{i18n.t(Msg::Weaknesses)}</th>
                        </tr></thead>
                        <tbody>
                            {competitors.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.name}</td>
                                    <td>{c.price.map(|p| i18n.money(p))}</td>
                                    <td>{c.strengths}</td>
                                    <td>{c.weaknesses}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
pub fn RequirementsCard(requirements: Option<String>, solution: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::RequirementsAndSolution)}</h2>
            <h3>{i18n.t(Msg::Requirements)}</h3>
            <p class="prewrap">{requirements.unwrap_or_else(|| "—".into())}</p>
            <h3>{i18n.t(Msg::Solution)}</h3>
            <p class="prewrap">{solution.unwrap_or_else(|| "—".into())}</p>
        </section>
    }
}

/// Every stage change, newest first, named after the pipeline's stages as
/// they are now.
#[component]
pub fn HistoryCard(history: Vec<HistoryLine>, pipeline: Pipeline) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.now();
    let name_of = move |stage: Id| {
        pipeline
            .stage(stage)
            .map(|s| stage_name(s, locale))
            .unwrap_or_else(|| Msg::RemovedStage.text(locale).to_string())
    };
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::StageHistory)}</h2>
            <ol class="history" id="deal-history">
                {history
                    .into_iter()
                    .rev()
                    .map(|line| {
                        let text = match line.change.from {
                            None => fill(Msg::HistoryCreated.text(locale), &[("to", &name_of(line.change.to))]),
                            Some(from) => fill(
                                Msg::HistoryMoved.text(locale),
                                &[("from", &name_of(from)), ("to", &name_of(line.change.to))],
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
    }
}
