//! A dashboard's filters: a plain GET form, so they live in the URL and
//! work before the WASM loads; a change of a menu submits it.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::deals::BoardChoices;
use crate::components::forms::FilterSelect;
use crate::i18n::{Msg, use_i18n};
use crate::pages::deals::pipeline_name;

#[component]
pub fn ReportFilters(
    menus: BoardChoices,
    /// Where "clear" goes: the dashboard without filters.
    base: &'static str,
    #[prop(optional)] with_compare: bool,
    #[prop(optional)] with_grain: bool,
    /// For reports of customers, which belong to no pipeline.
    #[prop(optional)]
    no_pipeline: bool,
    /// For revenue analytics: revenue, payments or expenses, as tabs that
    /// submit the form and so keep the other filters.
    #[prop(optional)]
    with_metric: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let locale = i18n.now();
    let period = param("period");
    let periods = [
        ("month", Msg::PeriodMonth),
        ("quarter", Msg::PeriodQuarter),
        ("half", Msg::PeriodHalf),
        ("year", Msg::PeriodYear),
        ("custom", Msg::PeriodCustom),
    ];
    let pipelines: Vec<(String, String)> = menus
        .pipelines
        .iter()
        .map(|(id, name)| (id.to_string(), pipeline_name(name, locale)))
        .collect();
    let current_pipeline = param("pipeline");
    let reps: Vec<(String, String)> = menus
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let teams: Vec<(String, String)> = menus.teams.iter().map(|t| (t.clone(), t.clone())).collect();
    let custom = period == "custom";
    view! {
        <Form method="GET" action="" attr:class="filters card board-filters report-filters" attr:id="report-filters">
            {with_metric.then(|| {
                let metric = param("metric");
                // Costs are for admins and managers, as the product margin.
                let sees_costs = crate::layout::use_current_user().role != guanxi_core::model::Role::Rep;
                let metrics = [
                    ("revenue", Msg::MetricRevenue),
                    ("payments", Msg::MetricReceived),
                    ("expenses", Msg::MetricExpenses),
                    ("products", Msg::ProductAnalysisTab),
                ];
                let metrics = metrics.into_iter().filter(move |(value, _)| sees_costs || *value != "products");
                view! {
                    <div class="scope-tabs" role="radiogroup" aria-label=i18n.t(Msg::MetricChoice) id="filter-metric">
                        {metrics.into_iter().map(|(value, msg)| {
                            let checked = value == metric || (metric.is_empty() && value == "revenue");
                            view! {
                                <label class="scope-tab" class:active=checked>
                                    <input type="radio" name="metric" value=value checked=checked onchange="this.form.requestSubmit()" />
                                    {i18n.t(msg)}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                }
            })}
            <label>{i18n.t(Msg::Period)}
                <select name="period" id="filter-period" onchange="this.form.requestSubmit()">
                    {periods.into_iter().map(|(value, msg)| {
                        let selected = value == period || (period.is_empty() && value == "month");
                        view! { <option value=value selected=selected>{i18n.t(msg)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {custom.then(|| view! {
                <label>{i18n.t(Msg::PeriodFrom)} <input type="date" name="from" id="filter-from" value=param("from") /></label>
                <label>{i18n.t(Msg::PeriodTo)} <input type="date" name="to" id="filter-to" value=param("to") /></label>
            })}
            {(!no_pipeline && pipelines.len() > 1).then(|| view! {
                <label>{i18n.t(Msg::Pipeline)}
                    <select name="pipeline" id="filter-pipeline" onchange="this.form.requestSubmit()">
                        {pipelines.into_iter().map(|(value, label)| {
                            let selected = value == current_pipeline;
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            {(!teams.is_empty()).then(|| view! {
                <label>{i18n.t(Msg::Team)} <FilterSelect name="team" any=Msg::AnyValue options=teams current=param("team") /></label>
            })}
            {(reps.len() > 1).then(|| view! {
                <label>{i18n.t(Msg::ReportRep)} <FilterSelect name="rep" any=Msg::AnyValue options=reps current=param("rep") /></label>
            })}
            {with_grain.then(|| {
                let grain = param("grain");
                view! {
                    <label>{i18n.t(Msg::Grain)}
                        <select name="grain" id="filter-grain" onchange="this.form.requestSubmit()">
                            <option value="">"—"</option>
                            {[("day", Msg::GrainDay), ("week", Msg::GrainWeek), ("month", Msg::GrainMonth)].into_iter().map(|(value, msg)| {
                                let selected = value == grain;
                                view! { <option value=value selected=selected>{i18n.t(msg)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                }
            })}
            {with_compare.then(|| view! {
                <label>{i18n.t(Msg::CompareWith)} <input type="date" name="compare" id="filter-compare" value=param("compare") onchange="this.form.requestSubmit()" /></label>
            })}
            <button type="submit" class="btn">{i18n.t(Msg::Apply)}</button>
            <A href=base attr:class="btn btn-small btn-quiet">{i18n.t(Msg::ClearFilters)}</A>
        </Form>
    }
}
