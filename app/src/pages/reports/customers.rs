//! Customer analytics: the KPIs of the period against the period before
//! and last year, customers created per month by type, customers by their
//! type now, and the cohort table of each year's customers. Every figure
//! links to the customer list filtered to the customers it counts.

use chrono::NaiveDate;
use guanxi_core::chart::draw::{self, BarStyle, Plot, Series};
use guanxi_core::model::{CohortReport, KpiFigures, KpiReport, Locale, ReportParams, TypeColumn};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ReportFilters, month_label, query};
use crate::api::deals::board_menus;
use crate::api::reports::{get_cohorts, get_kpis};
use crate::components::charts::{
    Better, ChartFigure, ChartTable, HeatCell, HeatMapTable, HeatRow, Kpi, LegendItem, TableRow,
    kpi_view,
};
use crate::components::loaded::Loaded;
use crate::format::{MoneyStyle, percent};
use crate::i18n::{I18n, Msg, customer_type_msg, fill, use_i18n};
use crate::pages::PageHeader;

const WIDTH: f64 = 480.0;

#[component]
pub fn CustomerReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let params = move || ReportParams::from_query(|key| q.with(|q| q.get(key).unwrap_or_default()));
    let kpis = Resource::new(params, get_kpis);
    let cohorts = Resource::new(params, get_cohorts);
    let menus = Resource::new(|| (), |_| board_menus());
    view! {
        <PageHeader title=Msg::CustomerReportTitle intro=Msg::CustomerReportIntro />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                menus.await.ok().map(|menus| view! {
                    <ReportFilters menus=menus base="/reports/customers" no_pipeline=true />
                })
            })}
        </Transition>
        <Loaded resource=kpis let:report>
            {kpi_section(i18n, &report, &params())}
        </Loaded>
        <Loaded resource=cohorts let:report>
            {cohort_section(i18n, &report)}
        </Loaded>
    }
}

/// The customer list behind a figure: the report's own filter (whose
/// customers), the days they were created and, when given, their type.
/// `None` when the list cannot show the same customers: the column of
/// other types (or a report whose filter the list lacks).
pub fn customers_link(
    filter: Option<&str>,
    created: Option<(NaiveDate, NaiveDate)>,
    kind: Option<&str>,
) -> Option<String> {
    let filter = filter?;
    if kind == Some("") {
        return None;
    }
    let days = created.map(|(from, to)| (from.to_string(), to.to_string()));
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if let Some((from, to)) = &days {
        pairs.push(("created_from", from));
        pairs.push(("created_to", to));
    }
    if let Some(kind) = kind {
        pairs.push(("type", kind));
    }
    let tail = query(&pairs);
    let joined = [filter, tail.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    Some(if joined.is_empty() {
        "/customers".to_string()
    } else {
        format!("/customers?{joined}")
    })
}

fn type_name(column: &TypeColumn, locale: Locale) -> String {
    if column.code.is_empty() {
        return Msg::TypeOther.text(locale).to_string();
    }
    customer_type_msg(&column.code)
        .map(|m| m.text(locale).to_string())
        .or_else(|| column.label.clone())
        .unwrap_or_else(|| column.code.clone())
}

/// The change from `before` to `now` as a share, when there is a before.
fn change(now: Option<f64>, before: Option<f64>, against: &str) -> Option<(f64, String)> {
    match (now, before) {
        (Some(now), Some(before)) if before > 0.0 => {
            Some(((now - before) / before, against.to_string()))
        }
        _ => None,
    }
}

fn span_text(k: &KpiFigures) -> String {
    format!("{} – {}", k.period.from, k.period.to)
}

fn kpi_section(i18n: I18n, report: &KpiReport, params: &ReportParams) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let (c, p, l) = (&report.current, &report.previous, &report.last_year);
    let filter = report.customers_filter.as_deref();
    let (vs_prev, vs_year) = (t(Msg::VsPreviousPeriod), t(Msg::VsLastYear));
    let days = |d: f64| fill(t(Msg::DaysValue), &[("n", &format!("{d:.1}"))]);
    let deals_link = {
        let pairs = params.pairs();
        if pairs.is_empty() {
            "/reports/pipeline".to_string()
        } else {
            format!("/reports/pipeline?{}", query(&pairs))
        }
    };
    // For a whole year the period before is last year: said once.
    let same = p.period == l.period;
    let both = |now: Option<f64>, prev: Option<f64>, year: Option<f64>| {
        change(now, prev, if same { vs_year } else { vs_prev })
            .into_iter()
            .chain(change(now, year, vs_year).filter(|_| !same))
            .collect::<Vec<_>>()
    };
    let count = |k: &KpiFigures| Some(f64::from(k.new_customers));
    let money = |k: &KpiFigures| k.first_deal_value.map(|v| v.0 as f64);
    let tiles = [
        Kpi {
            label: t(Msg::KpiNewCustomers).to_string(),
            value: c.new_customers.to_string(),
            title: None,
            changes: both(count(c), count(p), count(l)),
            better: Better::Up,
            href: customers_link(filter, Some((c.period.from, c.period.to)), None),
            id: Some("kpi-new-customers"),
        },
        Kpi {
            label: t(Msg::KpiConversionRate).to_string(),
            value: c.conversion_rate.map_or("—".to_string(), percent),
            title: Some(fill(
                t(Msg::KpiConversionHover),
                &[
                    ("converted", &c.converted.to_string()),
                    ("new", &c.new_customers.to_string()),
                ],
            )),
            changes: both(c.conversion_rate, p.conversion_rate, l.conversion_rate),
            better: Better::Up,
            href: customers_link(filter, Some((c.period.from, c.period.to)), None),
            id: Some("kpi-conversion"),
        },
        Kpi {
            label: t(Msg::KpiSalesCycle).to_string(),
            value: c.average_cycle_days.map_or("—".to_string(), days),
            title: Some(fill(
                t(Msg::KpiSalesCycleHover),
                &[("count", &c.won_deals.to_string())],
            )),
            changes: both(
                c.average_cycle_days,
                p.average_cycle_days,
                l.average_cycle_days,
            ),
            better: Better::Down,
            href: Some(deals_link.clone()),
            id: Some("kpi-sales-cycle"),
        },
        Kpi {
            label: t(Msg::KpiFollowUps).to_string(),
            value: c
                .follow_ups_per_won_deal
                .map_or("—".to_string(), |f| format!("{f:.1}")),
            title: Some(fill(
                t(Msg::KpiFollowUpsHover),
                &[
                    ("count", &c.follow_ups.to_string()),
                    ("deals", &c.won_deals.to_string()),
                ],
            )),
            changes: both(
                c.follow_ups_per_won_deal,
                p.follow_ups_per_won_deal,
                l.follow_ups_per_won_deal,
            ),
            better: Better::Down,
            href: Some(deals_link.clone()),
            id: Some("kpi-follow-ups"),
        },
        Kpi {
            label: t(Msg::KpiFirstDeal).to_string(),
            value: c
                .first_deal_value
                .map_or("—".to_string(), |v| i18n.money_in(v, MoneyStyle::Compact)),
            title: Some(fill(
                t(Msg::KpiFirstDealHover),
                &[("count", &c.first_deals.to_string())],
            )),
            changes: both(money(c), money(p), money(l)),
            better: Better::Up,
            href: Some(deals_link),
            id: Some("kpi-first-deal"),
        },
    ]
    .into_iter()
    .map(kpi_view)
    .collect_view();
    let caption = fill(
        t(Msg::KpiPeriodsCaption),
        &[
            ("now", &span_text(c)),
            ("previous", &span_text(p)),
            ("year", &span_text(l)),
        ],
    );
    view! {
        <div class="kpis" id="customer-kpis">
            {tiles}
        </div>
        <p class="muted kpi-periods">{caption}</p>
    }
}

fn cohort_section(i18n: I18n, report: &CohortReport) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let filter = report.customers_filter.as_deref();
    let names: Vec<String> = report.types.iter().map(|c| type_name(c, locale)).collect();
    let count_axis = |v: f64| format!("{v}");

    // Customers created per month, stacked by their type now.
    let categories: Vec<String> = report
        .months
        .iter()
        .map(|m| month_label(&m.month, locale))
        .collect();
    let by_type: Vec<Series> = report
        .types
        .iter()
        .enumerate()
        .map(|(i, column)| Series {
            name: names[i].clone(),
            values: report
                .months
                .iter()
                .map(|m| f64::from(m.counts[i]))
                .collect(),
            titles: report
                .months
                .iter()
                .zip(&categories)
                .map(|(m, c)| format!("{} · {c}: {}", names[i], m.counts[i]))
                .collect(),
            links: report
                .months
                .iter()
                .map(|m| customers_link(filter, Some((m.from, m.to)), Some(&column.code)))
                .collect(),
            dashed: false,
        })
        .collect();
    let monthly_svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &by_type,
            axis_label: &count_axis,
            width: WIDTH,
            height: 260.0,
        },
        BarStyle {
            stacked: true,
            horizontal: false,
        },
        t(Msg::CreatedByTypeTitle),
    );
    let legend: Vec<LegendItem> = names
        .iter()
        .enumerate()
        .map(|(i, name)| LegendItem {
            name: name.clone(),
            colour: i,
            dashed: false,
        })
        .collect();
    let monthly_table = ChartTable {
        header: std::iter::once(t(Msg::ReportMonth).to_string())
            .chain(names.iter().cloned())
            .chain([t(Msg::CohortCustomers).to_string()])
            .collect(),
        rows: report
            .months
            .iter()
            .map(|m| TableRow {
                cells: std::iter::once(m.month.clone())
                    .chain(m.counts.iter().map(u32::to_string))
                    .chain([m.counts.iter().sum::<u32>().to_string()])
                    .collect(),
                link: customers_link(filter, Some((m.from, m.to)), None),
            })
            .collect(),
    };

    // Every customer by type now: the cohorts added up.
    let totals: Vec<u32> = (0..report.types.len())
        .map(|i| report.cohorts.iter().map(|c| c.counts[i]).sum())
        .collect();
    let all: u32 = totals.iter().sum();
    // A series per type, each with its one bar, so that a type has the
    // same colour as in the monthly chart.
    let now_series: Vec<Series> = report
        .types
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let one = |value: String| -> Vec<String> {
                (0..names.len())
                    .map(|j| if j == i { value.clone() } else { String::new() })
                    .collect()
            };
            let share = if all > 0 {
                percent(f64::from(totals[i]) / f64::from(all))
            } else {
                "—".into()
            };
            Series {
                name: names[i].clone(),
                values: (0..names.len())
                    .map(|j| if j == i { f64::from(totals[i]) } else { 0.0 })
                    .collect(),
                titles: one(format!("{}: {} ({share})", names[i], totals[i])),
                links: (0..names.len())
                    .map(|j| {
                        (j == i)
                            .then(|| customers_link(filter, None, Some(&column.code)))
                            .flatten()
                    })
                    .collect(),
                dashed: false,
            }
        })
        .collect();
    let now_svg = draw::bar_chart(
        &Plot {
            categories: &names,
            series: &now_series,
            axis_label: &count_axis,
            width: WIDTH,
            height: 40.0 + 40.0 * names.len().max(1) as f64,
        },
        BarStyle {
            stacked: true,
            horizontal: true,
        },
        t(Msg::TypesNowTitle),
    );
    let now_table = ChartTable {
        header: vec![
            t(Msg::CustomerType).to_string(),
            t(Msg::CohortCustomers).to_string(),
        ],
        rows: report
            .types
            .iter()
            .zip(names.iter().zip(&totals))
            .map(|(c, (name, n))| TableRow {
                cells: vec![name.clone(), n.to_string()],
                link: customers_link(filter, None, Some(&c.code)),
            })
            .collect(),
    };

    // The cohort table: each year's customers by type now, shaded by their
    // share of the year's customers.
    let year_days = |year: i32| {
        (
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        )
    };
    let header: Vec<String> = [t(Msg::CohortYear), t(Msg::CohortCustomers)]
        .into_iter()
        .map(str::to_string)
        .chain(names.iter().cloned())
        .chain([
            t(Msg::CohortWon).to_string(),
            t(Msg::CohortDaysToWin).to_string(),
        ])
        .collect();
    let rows: Vec<HeatRow> = report
        .cohorts
        .iter()
        .rev()
        .map(|cohort| {
            let days = year_days(cohort.year);
            let share = |n: u32| {
                if cohort.customers > 0 {
                    f64::from(n) / f64::from(cohort.customers)
                } else {
                    0.0
                }
            };
            HeatRow {
                label: cohort.year.to_string(),
                link: customers_link(filter, Some(days), None),
                before: vec![cohort.customers.to_string()],
                cells: report
                    .types
                    .iter()
                    .zip(&names)
                    .zip(&cohort.counts)
                    .map(|((column, name), &n)| HeatCell {
                        text: n.to_string(),
                        weight: share(n),
                        title: fill(
                            t(Msg::CohortCellHover),
                            &[
                                ("year", &cohort.year.to_string()),
                                ("type", name),
                                ("count", &n.to_string()),
                                ("share", &percent(share(n))),
                            ],
                        ),
                        link: customers_link(filter, Some(days), Some(&column.code)),
                    })
                    .collect(),
                after: vec![
                    format!("{} ({})", cohort.won, percent(share(cohort.won))),
                    cohort
                        .average_days_to_first_win
                        .map_or("—".to_string(), |d| format!("{d:.0}")),
                ],
            }
        })
        .collect();

    view! {
        <div class="chart-grid">
            <ChartFigure id="created-by-type" title=t(Msg::CreatedByTypeTitle).to_string() caption=t(Msg::CreatedByTypeCaption).to_string() svg=monthly_svg legend=legend table=monthly_table />
            <ChartFigure id="types-now" title=t(Msg::TypesNowTitle).to_string() caption=t(Msg::TypesNowCaption).to_string() svg=now_svg table=now_table />
            <div class="chart-wide">
                <HeatMapTable
                    id="cohorts"
                    title=t(Msg::CohortTitle).to_string()
                    caption=t(Msg::CohortCaption).to_string()
                    header=header
                    before=1
                    rows=rows
                    scale=(t(Msg::HeatLow).to_string(), t(Msg::HeatHigh).to_string())
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_cell_links_to_the_customers_it_counts() {
        let year = Some((d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(
            customers_link(Some("scope=mine"), year, Some("signed")).as_deref(),
            Some("/customers?scope=mine&created_from=2025-01-01&created_to=2025-12-31&type=signed")
        );
        assert_eq!(
            customers_link(Some(""), None, Some("custom-1")).as_deref(),
            Some("/customers?type=custom-1")
        );
        assert_eq!(
            customers_link(Some(""), None, None).as_deref(),
            Some("/customers")
        );
        assert_eq!(
            customers_link(None, year, None),
            None,
            "a team: no such list"
        );
        assert_eq!(
            customers_link(Some(""), year, Some("")),
            None,
            "other types"
        );
    }
}
