//! The board's filters: pipeline, owner, team, close month, amount and
//! quick-qualification grade.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::deals::BoardChoices;
use crate::components::forms::FilterSelect;
use crate::i18n::{Msg, use_i18n};
use crate::pages::deals::{pipeline_name, size_msg};
use guanxi_core::model::DealSize;

#[component]
pub fn BoardFilters(menus: BoardChoices) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let pipelines: Vec<(String, String)> = menus
        .pipelines
        .iter()
        .map(|(id, name)| (id.to_string(), pipeline_name(name, i18n.now())))
        .collect();
    let first_pipeline = pipelines.first().map(|p| p.0.clone()).unwrap_or_default();
    let current_pipeline = Some(param("pipeline"))
        .filter(|p| !p.is_empty())
        .unwrap_or(first_pipeline);
    let owners: Vec<(String, String)> = menus
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let teams: Vec<(String, String)> = menus.teams.iter().map(|t| (t.clone(), t.clone())).collect();
    let grades: Vec<(String, String)> = [DealSize::Big, DealSize::Medium, DealSize::Small]
        .into_iter()
        .map(|size| {
            (
                crate::api::deals::size_code(size).to_string(),
                size_msg(size).text(i18n.now()).to_string(),
            )
        })
        .collect();
    view! {
        <Form method="GET" action="" attr:class="filters card board-filters" attr:id="board-filters">
            <select name="pipeline" id="filter-pipeline" onchange="this.form.requestSubmit()" aria-label=i18n.t(Msg::Pipeline)>
                {pipelines
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = value == current_pipeline;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <label>{i18n.t(Msg::Owner)} <FilterSelect name="owner" any=Msg::AnyValue options=owners current=param("owner") /></label>
            <label>{i18n.t(Msg::Team)} <FilterSelect name="team" any=Msg::AnyValue options=teams current=param("team") /></label>
            <label>{i18n.t(Msg::ExpectedMonth)} <input type="month" name="month" id="filter-month" value=param("month") onchange="this.form.requestSubmit()" /></label>
            <label>{i18n.t(Msg::AmountFrom)} <input type="text" inputmode="decimal" name="min" id="filter-min" value=param("min") size="8" /></label>
            <label>{i18n.t(Msg::AmountTo)} <input type="text" inputmode="decimal" name="max" id="filter-max" value=param("max") size="8" /></label>
            <label>{i18n.t(Msg::FilterGrade)} <FilterSelect name="grade" any=Msg::AnyValue options=grades current=param("grade") /></label>
            <button type="submit" class="btn">{i18n.t(Msg::Apply)}</button>
            <A href="/pipeline" attr:class="btn btn-small btn-quiet">{i18n.t(Msg::ClearFilters)}</A>
        </Form>
    }
}
