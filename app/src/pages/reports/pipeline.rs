//! The pipeline dashboard: the funnel now and at a past date, the forecast
//! both ways, stage-to-stage conversion, win rates and lost-to.

use guanxi_core::chart::draw::{self, BarStyle, FunnelMark, Plot, Series};
use guanxi_core::model::{
    Cents, ConversionReport, ForecastReport, FunnelReport, Locale, ReportParams,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ReportFilters, board_link, month_label};
use crate::api::deals::board_menus;
use crate::api::reports::{get_conversion, get_forecast, get_funnel};
use crate::components::charts::{ChartFigure, ChartTable, KpiTile, LegendItem, TableRow};
use crate::components::loaded::Loaded;
use crate::format::{MoneyStyle, axis_money, percent};
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::PageHeader;
use crate::pages::deals::stage_name;

/// The drawing's width in its own units; it scales to the card.
const WIDTH: f64 = 480.0;

#[component]
pub fn PipelineReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params =
        move || ReportParams::from_query(|key| query.with(|q| q.get(key).unwrap_or_default()));
    let funnel = Resource::new(params, get_funnel);
    let forecast = Resource::new(params, get_forecast);
    let conversion = Resource::new(params, get_conversion);
    let menus = Resource::new(|| (), |_| board_menus());
    view! {
        <PageHeader title=Msg::PipelineReportTitle intro=Msg::PipelineReportIntro />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                menus.await.ok().map(|menus| view! {
                    <ReportFilters menus=menus base="/reports/pipeline" with_compare=true />
                })
            })}
        </Transition>
        <Loaded resource=funnel let:report>
            {funnel_section(i18n, &report, &params())}
        </Loaded>
        <Loaded resource=forecast let:report>
            {forecast_section(i18n, &report, &params())}
        </Loaded>
        <Loaded resource=conversion let:report>
            {conversion_section(i18n, &report, &params())}
        </Loaded>
    }
}

fn yuan(amount: Cents) -> f64 {
    amount.0 as f64 / 100.0
}

fn money_axis(i18n: I18n, locale: Locale) -> impl Fn(f64) -> String {
    let currency = i18n.currency.get_value();
    move |v| axis_money(v, &currency, locale)
}

fn funnel_section(
    i18n: I18n,
    report: &FunnelReport,
    params: &ReportParams,
) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let pipeline = report.pipeline_id.to_string();
    let link = board_link(params, &pipeline, None);
    let open: Cents = Cents(report.stages.iter().map(|s| s.amount.0).sum());
    let weighted: Cents = Cents(report.stages.iter().map(|s| s.weighted.0).sum());
    let open_count: u32 = report.stages.iter().map(|s| s.count).sum();
    let closed = report.won + report.lost;
    let win_rate = (closed > 0).then(|| f64::from(report.won) / f64::from(closed));

    let by_amount = report.stages.iter().any(|s| s.amount.0 > 0);
    let marks: Vec<FunnelMark> = report
        .stages
        .iter()
        .map(|s| {
            let name = stage_name(&s.stage, locale);
            let count = s.count.to_string();
            FunnelMark {
                value: if by_amount {
                    yuan(s.amount)
                } else {
                    f64::from(s.count)
                },
                value_text: format!("{count} · {}", compact(s.amount)),
                title: fill(
                    t(Msg::FunnelMarkTitle),
                    &[
                        ("stage", &name),
                        ("count", &count),
                        ("amount", &exact(s.amount)),
                        ("weighted", &exact(s.weighted)),
                    ],
                ),
                label: name,
                link: Some(link.clone()),
            }
        })
        .collect();
    let funnel_svg = draw::funnel_chart(&marks, WIDTH, t(Msg::FunnelTitle));
    let funnel_table = ChartTable {
        header: [
            Msg::Stage,
            Msg::ReportDeals,
            Msg::Amount,
            Msg::ReportWeighted,
        ]
        .iter()
        .map(|m| t(*m).to_string())
        .collect(),
        rows: report
            .stages
            .iter()
            .map(|s| TableRow {
                cells: vec![
                    stage_name(&s.stage, locale),
                    s.count.to_string(),
                    exact(s.amount),
                    exact(s.weighted),
                ],
                link: Some(link.clone()),
            })
            .collect(),
    };

    let compare = report.compare.format("%Y-%m-%d").to_string();
    let then_name = fill(t(Msg::SeriesOn), &[("date", &compare)]);
    let categories: Vec<String> = report
        .stages
        .iter()
        .map(|s| stage_name(&s.stage, locale))
        .collect();
    let series_of = |name: String, counts: Vec<u32>, amounts: Vec<Cents>| Series {
        titles: categories
            .iter()
            .zip(counts.iter().zip(&amounts))
            .map(|(stage, (n, a))| format!("{name} · {stage}: {n} · {}", exact(*a)))
            .collect(),
        links: categories.iter().map(|_| Some(link.clone())).collect(),
        values: counts.iter().map(|n| f64::from(*n)).collect(),
        name,
        dashed: false,
    };
    let change_series = vec![
        series_of(
            t(Msg::SeriesNow).to_string(),
            report.stages.iter().map(|s| s.count).collect(),
            report.stages.iter().map(|s| s.amount).collect(),
        ),
        series_of(
            then_name.clone(),
            report.stages.iter().map(|s| s.then_count).collect(),
            report.stages.iter().map(|s| s.then_amount).collect(),
        ),
    ];
    let count_axis = |v: f64| format!("{v}");
    let change_svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &change_series,
            axis_label: &count_axis,
            width: WIDTH,
            height: 40.0 + 44.0 * categories.len() as f64,
        },
        BarStyle {
            stacked: false,
            horizontal: true,
        },
        &fill(t(Msg::FunnelChangeTitle), &[("date", &compare)]),
    );
    let change_table = ChartTable {
        header: vec![
            t(Msg::Stage).to_string(),
            t(Msg::SeriesNow).to_string(),
            then_name.clone(),
            format!("{} · {}", t(Msg::Amount), t(Msg::SeriesNow)),
            format!("{} · {then_name}", t(Msg::Amount)),
        ],
        rows: report
            .stages
            .iter()
            .map(|s| TableRow {
                cells: vec![
                    stage_name(&s.stage, locale),
                    s.count.to_string(),
                    s.then_count.to_string(),
                    exact(s.amount),
                    exact(s.then_amount),
                ],
                link: Some(link.clone()),
            })
            .collect(),
    };
    let legend = vec![
        LegendItem {
            name: t(Msg::SeriesNow).to_string(),
            colour: 0,
            dashed: false,
        },
        LegendItem {
            name: then_name,
            colour: 1,
            dashed: false,
        },
    ];
    view! {
        <div class="kpis" id="funnel-kpis">
            <KpiTile label=t(Msg::KpiOpenPipeline).to_string() value=compact(open) title=exact(open) href=link.clone() id="kpi-open" />
            <KpiTile label=t(Msg::ReportDeals).to_string() value=open_count.to_string() href=link.clone() />
            <KpiTile label=t(Msg::ReportWeighted).to_string() value=compact(weighted) title=exact(weighted) />
            <KpiTile label=fill(t(Msg::KpiWonInPeriod), &[("count", &report.won.to_string())]) value=compact(report.won_amount) title=exact(report.won_amount) />
            <KpiTile label=t(Msg::KpiWinRate).to_string() value=win_rate.map(percent).unwrap_or_else(|| "—".into()) />
        </div>
        <div class="chart-grid">
            <ChartFigure id="funnel-chart" title=t(Msg::FunnelTitle).to_string() caption=t(Msg::FunnelCaption).to_string() svg=funnel_svg table=funnel_table />
            <ChartFigure id="funnel-change" title=fill(t(Msg::FunnelChangeTitle), &[("date", &compare)]) caption=t(Msg::FunnelChangeCaption).to_string() svg=change_svg legend=legend table=change_table />
        </div>
    }
}

fn forecast_section(
    i18n: I18n,
    report: &ForecastReport,
    params: &ReportParams,
) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let pipeline = report.pipeline_id.to_string();
    let categories: Vec<String> = report
        .months
        .iter()
        .map(|m| month_label(&m.month, locale))
        .collect();
    let links: Vec<Option<String>> = report
        .months
        .iter()
        .map(|m| Some(board_link(params, &pipeline, Some(&m.month))))
        .collect();
    let series_of = |msg: Msg, values: Vec<Cents>| {
        let name = t(msg).to_string();
        Series {
            titles: categories
                .iter()
                .zip(&values)
                .map(|(month, v)| format!("{name} · {month}: {}", exact(*v)))
                .collect(),
            links: links.clone(),
            values: values.iter().map(|v| yuan(*v)).collect(),
            name,
            dashed: false,
        }
    };
    let series = vec![
        series_of(
            Msg::SeriesConfidence,
            report.months.iter().map(|m| m.confidence).collect(),
        ),
        series_of(
            Msg::SeriesStageModel,
            report.months.iter().map(|m| m.stage_model).collect(),
        ),
    ];
    let axis = money_axis(i18n, locale);
    let svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &series,
            axis_label: &axis,
            width: WIDTH,
            height: 260.0,
        },
        BarStyle::default(),
        t(Msg::ForecastTitle),
    );
    let table = ChartTable {
        header: vec![
            t(Msg::ReportMonth).to_string(),
            t(Msg::SeriesConfidence).to_string(),
            t(Msg::SeriesStageModel).to_string(),
        ],
        rows: report
            .months
            .iter()
            .zip(&links)
            .map(|(m, link)| TableRow {
                cells: vec![m.month.clone(), exact(m.confidence), exact(m.stage_model)],
                link: link.clone(),
            })
            .collect(),
    };
    let legend = vec![
        LegendItem {
            name: t(Msg::SeriesConfidence).to_string(),
            colour: 0,
            dashed: false,
        },
        LegendItem {
            name: t(Msg::SeriesStageModel).to_string(),
            colour: 1,
            dashed: false,
        },
    ];
    let caption = format!(
        "{} {}",
        t(Msg::ForecastConfidenceExplain),
        t(Msg::ForecastStageExplain)
    );
    let outside = fill(
        t(Msg::ForecastOutside),
        &[
            ("overdue", &exact(report.overdue)),
            ("undated", &exact(report.undated)),
        ],
    );
    let model_rows = report
        .model
        .iter()
        .map(|rate| {
            let conversion = percent(rate.conversion);
            let days = format!("{:.0}", rate.average_days);
            let samples = if rate.samples == 0 {
                t(Msg::ModelDefault).to_string()
            } else {
                rate.samples.to_string()
            };
            view! {
                <tr>
                    <th scope="row">{stage_name(&rate.stage, locale)}</th>
                    <td class="num">{conversion}</td>
                    <td class="num">{days}</td>
                    <td class="num">{samples}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="chart-grid">
            <ChartFigure id="forecast-chart" title=t(Msg::ForecastTitle).to_string() caption=caption svg=svg legend=legend table=table />
            <section class="card chart" id="forecast-model">
                <div class="chart-head"><h2>{t(Msg::ModelTitle)}</h2></div>
                <p class="chart-caption muted">{t(Msg::ModelCaption)}</p>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t(Msg::Stage)}</th>
                            <th scope="col" class="num">{t(Msg::ReportConversion)}</th>
                            <th scope="col" class="num">{t(Msg::ReportAverageDays)}</th>
                            <th scope="col" class="num">{t(Msg::ReportExits)}</th>
                        </tr></thead>
                        <tbody>{model_rows}</tbody>
                    </table>
                </div>
                <p class="chart-caption muted" id="forecast-outside">{outside}</p>
            </section>
        </div>
    }
}

fn conversion_section(
    i18n: I18n,
    report: &ConversionReport,
    params: &ReportParams,
) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let pipeline = report.pipeline_id.to_string();
    let link = board_link(params, &pipeline, None);
    let categories: Vec<String> = report
        .steps
        .iter()
        .map(|s| stage_name(&s.stage, locale))
        .collect();
    let rate_text = |rate: Option<f64>| rate.map(percent).unwrap_or_else(|| "—".into());
    let days_text = |days: Option<f64>| {
        days.map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "—".into())
    };
    let reached = Series {
        name: t(Msg::ReportReached).to_string(),
        values: report.steps.iter().map(|s| f64::from(s.reached)).collect(),
        titles: report
            .steps
            .iter()
            .zip(&categories)
            .map(|(s, name)| format!("{name}: {} · {}", s.reached, rate_text(s.rate)))
            .collect(),
        links: report.steps.iter().map(|_| Some(link.clone())).collect(),
        dashed: false,
    };
    let count_axis = |v: f64| format!("{v}");
    let svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: std::slice::from_ref(&reached),
            axis_label: &count_axis,
            width: WIDTH,
            height: 240.0,
        },
        BarStyle::default(),
        t(Msg::ConversionTitle),
    );
    let table = ChartTable {
        header: vec![
            t(Msg::Stage).to_string(),
            t(Msg::ReportReached).to_string(),
            t(Msg::ReportConversion).to_string(),
            t(Msg::ReportAverageDays).to_string(),
        ],
        rows: report
            .steps
            .iter()
            .zip(&categories)
            .map(|(s, name)| TableRow {
                cells: vec![
                    name.clone(),
                    s.reached.to_string(),
                    rate_text(s.rate),
                    days_text(s.average_days),
                ],
                link: Some(link.clone()),
            })
            .collect(),
    };

    let reps: Vec<String> = report.reps.iter().map(|r| r.name.clone()).collect();
    let rate_of =
        |won: u32, lost: u32| (won + lost > 0).then(|| f64::from(won) / f64::from(won + lost));
    let rep_links: Vec<Option<String>> = report
        .reps
        .iter()
        .map(|r| {
            let narrowed = ReportParams {
                rep: r.rep.to_string(),
                team: params.team.clone(),
                ..Default::default()
            };
            Some(board_link(&narrowed, &pipeline, None))
        })
        .collect();
    let win_series = Series {
        name: t(Msg::KpiWinRate).to_string(),
        values: report
            .reps
            .iter()
            .map(|r| rate_of(r.won, r.lost).unwrap_or(0.0) * 100.0)
            .collect(),
        titles: report
            .reps
            .iter()
            .map(|r| {
                fill(
                    t(Msg::WinRateMarkTitle),
                    &[
                        ("name", &r.name),
                        ("rate", &rate_text(rate_of(r.won, r.lost))),
                        ("won", &r.won.to_string()),
                        ("lost", &r.lost.to_string()),
                    ],
                )
            })
            .collect(),
        links: rep_links.clone(),
        dashed: false,
    };
    let percent_axis = |v: f64| format!("{v}%");
    let win_svg = draw::bar_chart(
        &Plot {
            categories: &reps,
            series: std::slice::from_ref(&win_series),
            axis_label: &percent_axis,
            width: WIDTH,
            height: 40.0 + 36.0 * reps.len().max(1) as f64,
        },
        BarStyle {
            stacked: false,
            horizontal: true,
        },
        t(Msg::WinRateTitle),
    );
    let win_table = ChartTable {
        header: vec![
            t(Msg::ReportRep).to_string(),
            t(Msg::StageWon).to_string(),
            t(Msg::StageLost).to_string(),
            t(Msg::KpiWinRate).to_string(),
            format!("{} · {}", t(Msg::StageWon), t(Msg::Amount)),
        ],
        rows: report
            .reps
            .iter()
            .zip(&rep_links)
            .map(|(r, link)| TableRow {
                cells: vec![
                    r.name.clone(),
                    r.won.to_string(),
                    r.lost.to_string(),
                    rate_text(rate_of(r.won, r.lost)),
                    exact(r.won_amount),
                ],
                link: link.clone(),
            })
            .collect(),
    };
    let overall = rate_text(rate_of(report.won, report.lost));
    let win_caption = fill(
        t(Msg::WinRateCaption),
        &[
            ("rate", &overall),
            ("won", &report.won.to_string()),
            ("lost", &report.lost.to_string()),
        ],
    );
    let lost_rows = report
        .lost_to
        .iter()
        .map(|l| {
            let diff = l
                .average_price_difference
                .map(exact)
                .unwrap_or_else(|| "—".into());
            view! {
                <tr>
                    <th scope="row">{l.competitor.clone()}</th>
                    <td class="num">{l.deals}</td>
                    <td class="num">{exact(l.amount)}</td>
                    <td class="num">{diff}</td>
                </tr>
            }
        })
        .collect_view();
    let no_lost = report.lost_to.is_empty();
    view! {
        <div class="chart-grid">
            <ChartFigure id="conversion-chart" title=t(Msg::ConversionTitle).to_string() caption=t(Msg::ConversionCaption).to_string() svg=svg table=table />
            <ChartFigure id="win-rate-chart" title=t(Msg::WinRateTitle).to_string() caption=win_caption svg=win_svg table=win_table />
            <section class="card chart chart-wide" id="lost-to">
                <div class="chart-head"><h2>{t(Msg::LostToTitle)}</h2></div>
                <p class="chart-caption muted">{t(Msg::LostToCaption)}</p>
                {if no_lost {
                    view! { <p class="muted">{t(Msg::LostToNone)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{t(Msg::ReportCompetitor)}</th>
                                    <th scope="col" class="num">{t(Msg::ReportDeals)}</th>
                                    <th scope="col" class="num">{t(Msg::Amount)}</th>
                                    <th scope="col" class="num">{t(Msg::ReportPriceDifference)}</th>
                                </tr></thead>
                                <tbody>{lost_rows}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
