//! The activity dashboard: activities by kind per day, week or month, the
//! period against last year, per rep, and the weeks far off their trend.

use guanxi_core::chart::draw::{self, BarStyle, Plot, Series};
use guanxi_core::model::{ActivityMetric, ActivityReport, ActivityTotals, Locale, ReportParams};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ReportFilters, query};
use crate::api::deals::board_menus;
use crate::api::reports::get_activity;
use crate::components::charts::{ChartFigure, ChartTable, KpiTile, LegendItem, TableRow};
use crate::components::loaded::Loaded;
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::PageHeader;

const WIDTH: f64 = 480.0;

/// Reads one figure of a total.
type Count = fn(&ActivityTotals) -> u32;

pub fn metric_msg(metric: ActivityMetric) -> Msg {
    match metric {
        ActivityMetric::Activities => Msg::KpiActivities,
        ActivityMetric::Calls => Msg::MetricCalls,
        ActivityMetric::CallMinutes => Msg::MetricCallMinutes,
        ActivityMetric::Visits => Msg::MetricVisits,
        ActivityMetric::Messages => Msg::MetricMessages,
    }
}

#[component]
pub fn ActivityReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let params = move || ReportParams::from_query(|key| q.with(|q| q.get(key).unwrap_or_default()));
    let report = Resource::new(params, get_activity);
    let menus = Resource::new(|| (), |_| board_menus());
    view! {
        <PageHeader title=Msg::ActivityReportTitle intro=Msg::ActivityReportIntro />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                menus.await.ok().map(|menus| view! {
                    <ReportFilters menus=menus base="/reports/activity" with_grain=true />
                })
            })}
        </Transition>
        <Loaded resource=report let:report>
            {activity_view(i18n, &report, &params())}
        </Loaded>
    }
}

fn bucket_label(from: chrono::NaiveDate, grain: &str, locale: Locale) -> String {
    match (grain, locale) {
        ("month", _) => super::month_label(&from.format("%Y-%m").to_string(), locale),
        (_, Locale::ZhCn) => from.format("%-m月%-d日").to_string(),
        (_, Locale::En) => from.format("%b %-d").to_string(),
    }
}

fn activity_view(
    i18n: I18n,
    report: &ActivityReport,
    params: &ReportParams,
) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let change = |now: u32, before: u32| {
        (before > 0).then(|| {
            (
                (f64::from(now) - f64::from(before)) / f64::from(before),
                t(Msg::VsPreviousPeriod).to_string(),
            )
        })
    };
    let flagged = |metric: ActivityMetric| {
        report
            .anomalies
            .iter()
            .find(|a| a.rep.is_none() && a.metric == metric)
    };
    let anomaly_text = |a: &guanxi_core::model::AnomalyFlag| {
        let who = if a.name.is_empty() {
            t(Msg::Everyone).to_string()
        } else {
            a.name.clone()
        };
        fill(
            t(Msg::AnomalyReason),
            &[
                ("who", &who),
                ("metric", t(metric_msg(a.metric))),
                ("week", &a.week.format("%Y-%m-%d").to_string()),
                ("value", &a.value.to_string()),
                ("low", &format!("{:.0}", a.low.ceil())),
                ("high", &format!("{:.0}", a.high.floor())),
            ],
        )
    };
    let tiles = ActivityMetric::ALL
        .iter()
        .map(|&metric| {
            let value = report.totals.get(metric).to_string();
            let label = t(metric_msg(metric)).to_string();
            let id = match metric {
                ActivityMetric::Activities => "kpi-activities",
                ActivityMetric::Calls => "kpi-calls",
                ActivityMetric::CallMinutes => "kpi-call-minutes",
                ActivityMetric::Visits => "kpi-visits",
                ActivityMetric::Messages => "kpi-messages",
            };
            let reason = flagged(metric).map(anomaly_text);
            let class = if reason.is_some() {
                "kpi-wrap kpi-flagged"
            } else {
                "kpi-wrap"
            };
            let tile = match change(report.totals.get(metric), report.previous.get(metric)) {
                Some(c) => view! { <KpiTile label=label value=value change=c id=id /> }.into_any(),
                None => view! { <KpiTile label=label value=value id=id /> }.into_any(),
            };
            view! { <div class=class title=reason>{tile}</div> }
        })
        .collect_view();

    let categories: Vec<String> = report
        .buckets
        .iter()
        .map(|b| bucket_label(b.from, &report.grain, locale))
        .collect();
    let drill: Vec<Option<String>> = report
        .buckets
        .iter()
        .map(|b| {
            let (from, to) = (b.from.to_string(), b.to.to_string());
            let grain = if report.grain == "month" {
                "week"
            } else {
                "day"
            };
            let mut pairs = vec![
                ("period", "custom"),
                ("from", from.as_str()),
                ("to", to.as_str()),
                ("grain", grain),
            ];
            if !params.rep.is_empty() {
                pairs.push(("rep", &params.rep));
            }
            if !params.team.is_empty() {
                pairs.push(("team", &params.team));
            }
            Some(format!("/reports/activity?{}", query(&pairs)))
        })
        .collect();
    let other = |t: &ActivityTotals| t.activities.saturating_sub(t.calls + t.visits + t.messages);
    let kinds: [(Msg, Count); 3] = [
        (Msg::MetricCalls, |t| t.calls),
        (Msg::MetricVisits, |t| t.visits),
        (Msg::MetricMessages, |t| t.messages),
    ];
    let mut by_kind: Vec<Series> = kinds
        .iter()
        .map(|(msg, get)| {
            let name = t(*msg).to_string();
            Series {
                values: report
                    .buckets
                    .iter()
                    .map(|b| f64::from(get(&b.totals)))
                    .collect(),
                titles: report
                    .buckets
                    .iter()
                    .zip(&categories)
                    .map(|(b, c)| format!("{name} · {c}: {}", get(&b.totals)))
                    .collect(),
                links: drill.clone(),
                name,
                dashed: false,
            }
        })
        .collect();
    let other_name = t(Msg::MetricOther).to_string();
    by_kind.push(Series {
        values: report
            .buckets
            .iter()
            .map(|b| f64::from(other(&b.totals)))
            .collect(),
        titles: report
            .buckets
            .iter()
            .zip(&categories)
            .map(|(b, c)| format!("{other_name} · {c}: {}", other(&b.totals)))
            .collect(),
        links: drill.clone(),
        name: other_name,
        dashed: false,
    });
    let count_axis = |v: f64| format!("{v}");
    let kind_svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &by_kind,
            axis_label: &count_axis,
            width: WIDTH,
            height: 260.0,
        },
        BarStyle {
            stacked: true,
            horizontal: false,
        },
        t(Msg::ActivityByKindTitle),
    );
    let legend = LegendItem::of(&by_kind);
    let kind_table = ChartTable {
        header: std::iter::once(t(Msg::ReportPeriodColumn).to_string())
            .chain(by_kind.iter().map(|s| s.name.clone()))
            .chain([
                t(Msg::MetricCallMinutes).to_string(),
                t(Msg::KpiActivities).to_string(),
            ])
            .collect(),
        rows: report
            .buckets
            .iter()
            .zip(&drill)
            .map(|(b, link)| TableRow {
                cells: vec![
                    b.from.to_string(),
                    b.totals.calls.to_string(),
                    b.totals.visits.to_string(),
                    b.totals.messages.to_string(),
                    other(&b.totals).to_string(),
                    b.totals.call_minutes.to_string(),
                    b.totals.activities.to_string(),
                ],
                link: link.clone(),
            })
            .collect(),
    };

    let this_name = t(Msg::SeriesThisPeriod).to_string();
    let last_name = t(Msg::SeriesLastYear).to_string();
    let trend = vec![
        Series {
            values: report
                .buckets
                .iter()
                .map(|b| f64::from(b.totals.activities))
                .collect(),
            titles: report
                .buckets
                .iter()
                .zip(&categories)
                .map(|(b, c)| format!("{this_name} · {c}: {}", b.totals.activities))
                .collect(),
            links: drill.clone(),
            name: this_name.clone(),
            dashed: false,
        },
        Series {
            values: report
                .buckets
                .iter()
                .map(|b| f64::from(b.last_year.activities))
                .collect(),
            titles: report
                .buckets
                .iter()
                .zip(&categories)
                .map(|(b, c)| format!("{last_name} · {c}: {}", b.last_year.activities))
                .collect(),
            links: vec![None; report.buckets.len()],
            name: last_name.clone(),
            dashed: true,
        },
    ];
    let trend_svg = draw::line_chart(
        &Plot {
            categories: &categories,
            series: &trend,
            axis_label: &count_axis,
            width: WIDTH,
            height: 240.0,
        },
        t(Msg::ActivityTrendTitle),
    );
    let trend_table = ChartTable {
        header: vec![
            t(Msg::ReportPeriodColumn).to_string(),
            this_name.clone(),
            last_name.clone(),
        ],
        rows: report
            .buckets
            .iter()
            .zip(&drill)
            .map(|(b, link)| TableRow {
                cells: vec![
                    b.from.to_string(),
                    b.totals.activities.to_string(),
                    b.last_year.activities.to_string(),
                ],
                link: link.clone(),
            })
            .collect(),
    };
    let trend_legend = LegendItem::of(&trend);
    let trend_caption = fill(
        t(Msg::ActivityTrendCaption),
        &[
            ("now", &report.totals.activities.to_string()),
            ("then", &report.last_year.activities.to_string()),
        ],
    );

    let names: Vec<String> = report.reps.iter().map(|r| r.name.clone()).collect();
    let rep_links: Vec<Option<String>> = report
        .reps
        .iter()
        .map(|r| {
            let mut pairs: Vec<(&str, String)> = vec![("rep", r.user.to_string())];
            for (k, v) in params.pairs() {
                if k != "rep" {
                    pairs.push((k, v.to_string()));
                }
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            Some(format!("/reports/activity?{}", query(&pairs)))
        })
        .collect();
    let per_rep: Vec<Series> = kinds
        .iter()
        .map(|(msg, get)| {
            let name = t(*msg).to_string();
            Series {
                values: report
                    .reps
                    .iter()
                    .map(|r| f64::from(get(&r.totals)))
                    .collect(),
                titles: report
                    .reps
                    .iter()
                    .map(|r| format!("{} · {name}: {}", r.name, get(&r.totals)))
                    .collect(),
                links: rep_links.clone(),
                name,
                dashed: false,
            }
        })
        .chain(std::iter::once({
            let name = t(Msg::MetricOther).to_string();
            Series {
                values: report
                    .reps
                    .iter()
                    .map(|r| f64::from(other(&r.totals)))
                    .collect(),
                titles: report
                    .reps
                    .iter()
                    .map(|r| format!("{} · {name}: {}", r.name, other(&r.totals)))
                    .collect(),
                links: rep_links.clone(),
                name,
                dashed: false,
            }
        }))
        .collect();
    let rep_svg = draw::bar_chart(
        &Plot {
            categories: &names,
            series: &per_rep,
            axis_label: &count_axis,
            width: WIDTH,
            height: 40.0 + 34.0 * names.len().max(1) as f64,
        },
        BarStyle {
            stacked: true,
            horizontal: true,
        },
        t(Msg::ActivityByRepTitle),
    );
    let rep_table = ChartTable {
        header: vec![
            t(Msg::ReportRep).to_string(),
            t(Msg::KpiActivities).to_string(),
            t(Msg::MetricCalls).to_string(),
            t(Msg::MetricCallMinutes).to_string(),
            t(Msg::MetricVisits).to_string(),
            t(Msg::MetricMessages).to_string(),
        ],
        rows: report
            .reps
            .iter()
            .zip(&rep_links)
            .map(|(r, link)| TableRow {
                cells: vec![
                    r.name.clone(),
                    r.totals.activities.to_string(),
                    r.totals.calls.to_string(),
                    r.totals.call_minutes.to_string(),
                    r.totals.visits.to_string(),
                    r.totals.messages.to_string(),
                ],
                link: link.clone(),
            })
            .collect(),
    };

    let anomalies = if report.anomalies.is_empty() {
        view! { <p class="muted">{t(Msg::AnomaliesNone)}</p> }.into_any()
    } else {
        let items = report
            .anomalies
            .iter()
            .map(|a| {
                let text = anomaly_text(a);
                let title = text.clone();
                view! { <li class="anomaly" title=title>"⚠ " {text}</li> }
            })
            .collect_view();
        view! { <ul class="bench-list anomaly-list">{items}</ul> }.into_any()
    };

    view! {
        <div class="kpis" id="activity-kpis">{tiles}</div>
        <div class="chart-grid">
            <ChartFigure id="activity-by-kind" title=t(Msg::ActivityByKindTitle).to_string() caption=t(Msg::ActivityByKindCaption).to_string() svg=kind_svg legend=legend.clone() table=kind_table />
            <ChartFigure id="activity-trend" title=t(Msg::ActivityTrendTitle).to_string() caption=trend_caption svg=trend_svg legend=trend_legend table=trend_table />
            <ChartFigure id="activity-by-rep" title=t(Msg::ActivityByRepTitle).to_string() caption=t(Msg::ActivityByRepCaption).to_string() svg=rep_svg legend=legend table=rep_table />
            <section class="card chart" id="anomalies">
                <div class="chart-head"><h2>{t(Msg::AnomaliesTitle)}</h2></div>
                <p class="chart-caption muted">{t(Msg::AnomaliesCaption)}</p>
                {anomalies}
            </section>
        </div>
    }
}
