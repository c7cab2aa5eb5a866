//! Revenue analytics: revenue, payments received (回款) or expenses of the
//! period against the period before (环比) and last year (同比), their
//! trend, money in and out side by side, the breakdowns by rep (credit
//! split), team, region, customer type, product or category and the top
//! customers, and the receivables trend with its collection rate.

use guanxi_core::chart::draw::{self, BarStyle, Plot, Series};
use guanxi_core::model::{
    Cents, CollectionReport, CostMethod, DateSpan, Locale, MoneyFigures, MoneyMetric, MoneyReport,
    MoneyShare, ProductFigures, ProductReport, ReportParams,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ReportFilters, month_label, query};
use crate::api::deals::board_menus;
use crate::api::reports::{get_collection, get_money, get_products};
use crate::components::charts::{
    Better, ChartFigure, ChartTable, Kpi, LegendItem, TableRow, kpi_view,
};
use crate::components::loaded::Loaded;
use crate::format::{MoneyStyle, axis_money, percent};
use crate::i18n::{I18n, Msg, customer_type_msg, fill, use_i18n};
use crate::pages::PageHeader;

const WIDTH: f64 = 480.0;

fn yuan(amount: Cents) -> f64 {
    amount.0 as f64 / 100.0
}

fn metric_of(code: &str) -> MoneyMetric {
    MoneyMetric::parse(code).unwrap_or_default()
}

#[component]
pub fn RevenueReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let params = move || ReportParams::from_query(|key| q.with(|q| q.get(key).unwrap_or_default()));
    // `metric=products` is the product analysis; anything else money.
    let products_tab = move || q.with(|q| q.get("metric").as_deref() == Some(PRODUCTS_TAB));
    let metric = move || {
        (!products_tab()).then(|| q.with(|q| metric_of(&q.get("metric").unwrap_or_default())))
    };
    let report = Resource::new(
        move || (metric(), params()),
        |(metric, params)| get_money(metric, params),
    );
    let products = Resource::new(
        move || (params(), products_tab()),
        |(params, wanted)| get_products(params, wanted),
    );
    let collection = Resource::new(params, get_collection);
    let menus = Resource::new(|| (), |_| board_menus());
    view! {
        <PageHeader title=Msg::RevenueReportTitle intro=Msg::RevenueReportIntro />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                menus.await.ok().map(|menus| view! {
                    <ReportFilters menus=menus base="/reports/revenue" no_pipeline=true with_metric=true />
                })
            })}
        </Transition>
        <Loaded resource=report let:report>
            {report.as_ref().map(|report| money_section(i18n, report, &params()))}
        </Loaded>
        <Loaded resource=products let:report>
            {report.as_ref().map(|report| product_section(i18n, report))}
        </Loaded>
        <Show when=move || !products_tab()>
            <Loaded resource=collection let:report>
                {collection_section(i18n, &report)}
            </Loaded>
        </Show>
    }
}

/// The `metric` of the product analysis' tab.
pub const PRODUCTS_TAB: &str = "products";

/// The contracts signed on `span`'s days, of `rep` when given.
pub fn contracts_link(span: DateSpan, rep: &str) -> String {
    let (from, to) = (span.from.to_string(), span.to.to_string());
    let mut pairs = vec![("signed_from", from.as_str()), ("signed_to", to.as_str())];
    if !rep.is_empty() {
        pairs.push(("owner", rep));
    }
    format!("/contracts?{}", query(&pairs))
}

/// The expenses of `span`'s days, of `rep` when given.
pub fn expenses_link(span: DateSpan, rep: &str, category: Option<&str>) -> String {
    let (from, to) = (span.from.to_string(), span.to.to_string());
    let mut pairs = vec![("from", from.as_str()), ("to", to.as_str())];
    if !rep.is_empty() {
        pairs.push(("spent_by", rep));
    }
    if let Some(category) = category {
        pairs.push(("category", category));
    }
    format!("/expenses?{}", query(&pairs))
}

/// Where a figure of `metric` over `span` is listed: the contracts signed
/// then, the expenses of those days; payments have no list of their own
/// but the receivables page.
fn metric_link(metric: MoneyMetric, span: DateSpan, rep: &str) -> Option<String> {
    match metric {
        MoneyMetric::Revenue => Some(contracts_link(span, rep)),
        MoneyMetric::Payments => None,
        MoneyMetric::Expenses => Some(expenses_link(span, rep, None)),
    }
}

fn metric_msg(metric: MoneyMetric) -> Msg {
    match metric {
        MoneyMetric::Revenue => Msg::MetricRevenue,
        MoneyMetric::Payments => Msg::MetricReceived,
        MoneyMetric::Expenses => Msg::MetricExpenses,
    }
}

/// A period's name: `2026年3月` / `Mar 2026` for months, the key else.
fn period_label(key: &str, grain: &str, locale: Locale) -> String {
    if grain == "month" {
        month_label(key, locale)
    } else {
        key.to_string()
    }
}

/// The change from `before` to `now` as a share, none from nothing.
fn change(now: Cents, before: Cents) -> Option<f64> {
    (before.0 != 0).then(|| (now.0 - before.0) as f64 / before.0.abs() as f64)
}

fn signed_percent(share: Option<f64>) -> String {
    match share {
        Some(s) if s < 0.0 => format!("−{}", percent(-s)),
        Some(s) => format!("+{}", percent(s)),
        None => "—".into(),
    }
}

fn money_section(i18n: I18n, report: &MoneyReport, params: &ReportParams) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let metric = report.metric;
    let currency = i18n.currency.get_value();
    let axis = move |v: f64| axis_money(v, &currency, locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let rep = params.rep.as_str();
    let (c, p, l) = (&report.current, &report.previous, &report.last_year);

    // The four figures, each against the period before and last year
    // (said once for a year, whose period before is last year).
    let same = p.span == l.span;
    let (vs_prev, vs_year) = (t(Msg::VsPreviousPeriod), t(Msg::VsLastYear));
    let both = |now: Cents, prev: Cents, year: Cents| {
        change(now, prev)
            .map(|c| (c, if same { vs_year } else { vs_prev }.to_string()))
            .into_iter()
            .chain(
                change(now, year)
                    .filter(|_| !same)
                    .map(|c| (c, vs_year.to_string())),
            )
            .collect::<Vec<_>>()
    };
    let count = |f: &MoneyFigures| Cents(i64::from(f.orders));
    let tile = |label: Msg, value: String, changes, better, href, id| {
        kpi_view(Kpi {
            label: t(label).to_string(),
            value,
            title: None,
            changes,
            better,
            href,
            id: Some(id),
        })
    };
    let tiles = [
        tile(
            Msg::MetricRevenue,
            compact(c.revenue),
            both(c.revenue, p.revenue, l.revenue),
            Better::Up,
            Some(contracts_link(c.span, rep)),
            "kpi-revenue",
        ),
        tile(
            Msg::MetricReceived,
            compact(c.received),
            both(c.received, p.received, l.received),
            Better::Up,
            Some("/receivables".to_string()),
            "kpi-received",
        ),
        tile(
            Msg::MetricExpenses,
            compact(c.expenses),
            both(c.expenses, p.expenses, l.expenses),
            Better::Down,
            Some(expenses_link(c.span, rep, None)),
            "kpi-expenses",
        ),
        tile(
            Msg::MetricOrders,
            c.orders.to_string(),
            both(count(c), count(p), count(l)),
            Better::Up,
            Some(contracts_link(c.span, rep)),
            "kpi-orders",
        ),
    ]
    .into_iter()
    .collect_view();
    let span_text = |f: &MoneyFigures| format!("{} – {}", f.span.from, f.span.to);
    let periods_caption = fill(
        t(Msg::MoneyPeriodsCaption),
        &[
            ("now", &span_text(c)),
            ("previous", &span_text(p)),
            ("year", &span_text(l)),
        ],
    );

    // The trend of the metric, last year dashed beside it.
    let grain = report.grain.as_str();
    let name = t(metric_msg(metric)).to_string();
    let last_year_name = fill(t(Msg::LastYearOf), &[("what", &name)]);
    let categories: Vec<String> = report
        .trend
        .iter()
        .map(|b| period_label(&b.key, grain, locale))
        .collect();
    let unusual_text = |b: &guanxi_core::model::MoneyPeriod| {
        b.unusual.map(|(low, high)| {
            fill(
                t(Msg::MoneyUnusual),
                &[
                    ("what", &name),
                    ("value", &compact(b.now.of(metric))),
                    ("low", &compact(low)),
                    ("high", &compact(high)),
                ],
            )
        })
    };
    let trend_titles: Vec<String> = report
        .trend
        .iter()
        .zip(&categories)
        .map(|(b, label)| {
            let now = b.now.of(metric);
            let mut text = fill(
                t(Msg::MoneyTrendHover),
                &[
                    ("period", label),
                    ("value", &exact(now)),
                    (
                        "yoy",
                        &signed_percent(change(now, b.year_before.of(metric))),
                    ),
                    ("mom", &signed_percent(change(now, b.before.of(metric)))),
                ],
            );
            if let Some(reason) = unusual_text(b) {
                text = format!("{text}\n⚠ {reason}");
            }
            text
        })
        .collect();
    let trend = [
        Series {
            name: name.clone(),
            values: report
                .trend
                .iter()
                .map(|b| yuan(b.now.of(metric)))
                .collect(),
            titles: trend_titles,
            links: report
                .trend
                .iter()
                .map(|b| metric_link(metric, b.now.span, rep))
                .collect(),
            dashed: false,
        },
        Series {
            name: last_year_name.clone(),
            values: report
                .trend
                .iter()
                .map(|b| yuan(b.year_before.of(metric)))
                .collect(),
            titles: report
                .trend
                .iter()
                .zip(&categories)
                .map(|(b, label)| {
                    format!(
                        "{last_year_name} · {label}: {}",
                        exact(b.year_before.of(metric))
                    )
                })
                .collect(),
            links: report
                .trend
                .iter()
                .map(|b| metric_link(metric, b.year_before.span, rep))
                .collect(),
            dashed: true,
        },
    ];
    let trend_svg = draw::line_chart(
        &Plot {
            categories: &categories,
            series: &trend,
            axis_label: &axis,
            width: WIDTH,
            height: 240.0,
        },
        t(Msg::MoneyTrendTitle),
    );
    let trend_table = ChartTable {
        header: [
            Msg::ReportPeriodColumn,
            metric_msg(metric),
            Msg::SamePeriodLastYear,
            Msg::YearOnYear,
            Msg::PeriodBefore,
            Msg::PeriodOnPeriod,
        ]
        .into_iter()
        .map(|m| t(m).to_string())
        .collect(),
        rows: report
            .trend
            .iter()
            .zip(&categories)
            .map(|(b, label)| {
                let now = b.now.of(metric);
                let flag = if b.unusual.is_some() { " ⚠" } else { "" };
                TableRow {
                    cells: vec![
                        format!("{label}{flag}"),
                        exact(now),
                        exact(b.year_before.of(metric)),
                        signed_percent(change(now, b.year_before.of(metric))),
                        exact(b.before.of(metric)),
                        signed_percent(change(now, b.before.of(metric))),
                    ],
                    link: metric_link(metric, b.now.span, rep),
                }
            })
            .collect(),
    };
    let trend_legend = LegendItem::of(&trend);
    let unusual: Vec<String> = report.trend.iter().filter_map(unusual_text).collect();
    let trend_caption = if unusual.is_empty() {
        t(Msg::MoneyTrendCaption).to_string()
    } else {
        format!("{} ⚠ {}", t(Msg::MoneyTrendCaption), unusual.join("; "))
    };

    // Money in and out: revenue, payments and expenses per period.
    let in_out_metrics = [
        MoneyMetric::Revenue,
        MoneyMetric::Payments,
        MoneyMetric::Expenses,
    ];
    let in_out: Vec<Series> = in_out_metrics
        .iter()
        .map(|&m| {
            let name = t(metric_msg(m)).to_string();
            Series {
                values: report.trend.iter().map(|b| yuan(b.now.of(m))).collect(),
                titles: report
                    .trend
                    .iter()
                    .zip(&categories)
                    .map(|(b, label)| format!("{name} · {label}: {}", exact(b.now.of(m))))
                    .collect(),
                links: report
                    .trend
                    .iter()
                    .map(|b| metric_link(m, b.now.span, rep))
                    .collect(),
                name,
                dashed: false,
            }
        })
        .collect();
    let in_out_svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &in_out,
            axis_label: &axis,
            width: WIDTH,
            height: 240.0,
        },
        BarStyle::default(),
        t(Msg::MoneyInOutTitle),
    );
    let in_out_legend = LegendItem::of(&in_out);
    let in_out_table = ChartTable {
        header: std::iter::once(t(Msg::ReportPeriodColumn).to_string())
            .chain(in_out_metrics.iter().map(|&m| t(metric_msg(m)).to_string()))
            .chain([t(Msg::MetricOrders).to_string()])
            .collect(),
        rows: report
            .trend
            .iter()
            .zip(&categories)
            .map(|(b, label)| TableRow {
                cells: std::iter::once(label.clone())
                    .chain(in_out_metrics.iter().map(|&m| exact(b.now.of(m))))
                    .chain([b.now.orders.to_string()])
                    .collect(),
                link: Some(contracts_link(b.now.span, rep)),
            })
            .collect(),
    };

    // The breakdowns of the period.
    let span = c.span;
    let rep_link = move |key: &str| metric_link(metric, span, key);
    let none = |m: Msg| t(m).to_string();
    let by_rep = share_chart(
        i18n,
        ShareChart {
            id: "money-by-rep",
            title: Msg::MoneyByRepTitle,
            caption: if metric == MoneyMetric::Expenses {
                Msg::ExpensesByRepCaption
            } else {
                Msg::MoneyByRepCaption
            },
            rows: &report.by_rep,
            name: &|r: &MoneyShare| r.name.clone(),
            link: &|r: &MoneyShare| rep_link(&r.key),
        },
    );
    let by_team = share_chart(
        i18n,
        ShareChart {
            id: "money-by-team",
            title: Msg::MoneyByTeamTitle,
            caption: Msg::MoneyByTeamCaption,
            rows: &report.by_team,
            name: &|r: &MoneyShare| {
                if r.key.is_empty() {
                    none(Msg::NoTeam)
                } else {
                    r.key.clone()
                }
            },
            link: &|_| None,
        },
    );
    let by_region = share_chart(
        i18n,
        ShareChart {
            id: "money-by-region",
            title: Msg::MoneyByRegionTitle,
            caption: Msg::MoneyByRegionCaption,
            rows: &report.by_region,
            name: &|r: &MoneyShare| {
                if r.key.is_empty() {
                    none(Msg::NoRegion)
                } else {
                    r.key.clone()
                }
            },
            link: &|r: &MoneyShare| {
                (!r.key.is_empty()).then(|| format!("/customers?{}", query(&[("region", &r.key)])))
            },
        },
    );
    let by_type = share_chart(
        i18n,
        ShareChart {
            id: "money-by-type",
            title: Msg::MoneyByTypeTitle,
            caption: Msg::MoneyByTypeCaption,
            rows: &report.by_customer_type,
            name: &|r: &MoneyShare| {
                if r.key.is_empty() {
                    none(Msg::NoCustomer)
                } else {
                    customer_type_msg(&r.key)
                        .map(|m| t(m).to_string())
                        .unwrap_or_else(|| r.key.clone())
                }
            },
            link: &|r: &MoneyShare| {
                (!r.key.is_empty()).then(|| format!("/customers?{}", query(&[("type", &r.key)])))
            },
        },
    );
    let what = match metric {
        MoneyMetric::Revenue => Some(share_chart(
            i18n,
            ShareChart {
                id: "money-by-product",
                title: Msg::MoneyByProductTitle,
                caption: Msg::MoneyByProductCaption,
                rows: &report.by_product,
                name: &|r: &MoneyShare| {
                    if r.key.is_empty() {
                        none(Msg::FreeTextLines)
                    } else {
                        r.name.clone()
                    }
                },
                link: &|r: &MoneyShare| (!r.key.is_empty()).then(|| "/products".to_string()),
            },
        )),
        MoneyMetric::Expenses => Some(share_chart(
            i18n,
            ShareChart {
                id: "money-by-category",
                title: Msg::MoneyByCategoryTitle,
                caption: Msg::MoneyByCategoryCaption,
                rows: &report.by_category,
                name: &|r: &MoneyShare| r.key.clone(),
                link: &|r: &MoneyShare| Some(expenses_link(span, rep, Some(&r.key))),
            },
        )),
        MoneyMetric::Payments => None,
    };
    let customers = share_chart(
        i18n,
        ShareChart {
            id: "money-top-customers",
            title: Msg::TopCustomersTitle,
            caption: Msg::TopCustomersCaption,
            rows: &report.top_customers,
            name: &|r: &MoneyShare| r.name.clone(),
            link: &|r: &MoneyShare| Some(format!("/customers/{}", r.key)),
        },
    );

    view! {
        <div class="kpis" id="money-kpis">{tiles}</div>
        <p class="muted kpi-periods">{periods_caption}</p>
        <div class="chart-grid">
            <ChartFigure id="money-trend" title=t(Msg::MoneyTrendTitle).to_string() caption=trend_caption svg=trend_svg legend=trend_legend table=trend_table />
            <ChartFigure id="money-in-out" title=t(Msg::MoneyInOutTitle).to_string() caption=t(Msg::MoneyInOutCaption).to_string() svg=in_out_svg legend=in_out_legend table=in_out_table />
            {by_rep}
            {by_team}
            {what}
            {customers}
            {by_region}
            {by_type}
        </div>
    }
}

/// A breakdown drawn as horizontal bars with its table.
struct ShareChart<'a> {
    id: &'static str,
    title: Msg,
    caption: Msg,
    rows: &'a [MoneyShare],
    name: &'a dyn Fn(&MoneyShare) -> String,
    link: &'a dyn Fn(&MoneyShare) -> Option<String>,
}

fn share_chart(i18n: I18n, chart: ShareChart) -> AnyView {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let currency = i18n.currency.get_value();
    let axis = move |v: f64| axis_money(v, &currency, locale);
    let others = |r: &MoneyShare| r.key == "*";
    let names: Vec<String> = chart
        .rows
        .iter()
        .map(|r| {
            if others(r) {
                t(Msg::OthersRow).to_string()
            } else {
                (chart.name)(r)
            }
        })
        .collect();
    let links: Vec<Option<String>> = chart
        .rows
        .iter()
        .map(|r| if others(r) { None } else { (chart.link)(r) })
        .collect();
    let share_text = |r: &MoneyShare| r.share.map_or("—".to_string(), percent);
    let series = [Series {
        name: t(chart.title).to_string(),
        values: chart.rows.iter().map(|r| yuan(r.amount)).collect(),
        titles: chart
            .rows
            .iter()
            .zip(&names)
            .map(|(r, name)| format!("{name}: {} ({})", exact(r.amount), share_text(r)))
            .collect(),
        links: links.clone(),
        dashed: false,
    }];
    let svg = draw::bar_chart(
        &Plot {
            categories: &names,
            series: &series,
            axis_label: &axis,
            width: WIDTH,
            height: 40.0 + 32.0 * names.len().max(1) as f64,
        },
        BarStyle {
            stacked: false,
            horizontal: true,
        },
        t(chart.title),
    );
    let table = ChartTable {
        header: [
            Msg::BreakdownName,
            Msg::Amount,
            Msg::ShareColumn,
            Msg::RecordsColumn,
        ]
        .into_iter()
        .map(|m| t(m).to_string())
        .collect(),
        rows: chart
            .rows
            .iter()
            .zip(names)
            .zip(links)
            .map(|((r, name), link)| TableRow {
                cells: vec![name, exact(r.amount), share_text(r), r.count.to_string()],
                link,
            })
            .collect(),
    };
    if chart.rows.is_empty() {
        return view! {
            <section class="card chart" id=chart.id>
                <div class="chart-head"><h2>{t(chart.title)}</h2></div>
                <p class="chart-caption muted">{t(chart.caption)}</p>
                <p class="muted empty-note">{t(Msg::NothingInPeriod)}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <ChartFigure id=chart.id title=t(chart.title).to_string() caption=t(chart.caption).to_string() svg=svg table=table />
    }
    .into_any()
}

fn collection_section(i18n: I18n, report: &CollectionReport) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let currency = i18n.currency.get_value();
    let axis = move |v: f64| axis_money(v, &currency, locale);
    let categories: Vec<String> = report
        .months
        .iter()
        .map(|m| month_label(&m.month, locale))
        .collect();
    let rate = |r: Option<f64>| r.map_or("—".to_string(), percent);
    let series: Vec<Series> = [(Msg::MoneyDue, true), (Msg::MetricReceived, false)]
        .into_iter()
        .map(|(msg, due)| {
            let name = t(msg).to_string();
            Series {
                values: report
                    .months
                    .iter()
                    .map(|m| yuan(if due { m.due } else { m.received }))
                    .collect(),
                titles: report
                    .months
                    .iter()
                    .zip(&categories)
                    .map(|(m, label)| {
                        fill(
                            t(Msg::CollectionHover),
                            &[
                                ("month", label),
                                ("due", &exact(m.due)),
                                ("received", &exact(m.received)),
                                ("rate", &rate(m.collection_rate)),
                                ("owed", &exact(m.outstanding)),
                            ],
                        )
                    })
                    .collect(),
                links: vec![Some("/receivables".to_string()); report.months.len()],
                name,
                dashed: false,
            }
        })
        .collect();
    let svg = draw::bar_chart(
        &Plot {
            categories: &categories,
            series: &series,
            axis_label: &axis,
            // Across the page: drawn twice as wide, so its text keeps the
            // size of the other charts'.
            width: 2.0 * WIDTH,
            height: 260.0,
        },
        BarStyle::default(),
        t(Msg::CollectionTitle),
    );
    let legend = LegendItem::of(&series);
    let table = ChartTable {
        header: [
            Msg::ReportMonth,
            Msg::MoneyDue,
            Msg::MetricReceived,
            Msg::CollectionRate,
            Msg::OwedAtMonthEnd,
        ]
        .into_iter()
        .map(|m| t(m).to_string())
        .collect(),
        rows: report
            .months
            .iter()
            .zip(&categories)
            .map(|(m, label)| TableRow {
                cells: vec![
                    label.clone(),
                    exact(m.due),
                    exact(m.received),
                    rate(m.collection_rate),
                    exact(m.outstanding),
                ],
                link: Some("/receivables".to_string()),
            })
            .collect(),
    };
    view! {
        <div class="chart-grid">
            <div class="chart-wide">
                <ChartFigure id="collection" title=t(Msg::CollectionTitle).to_string() caption=t(Msg::CollectionCaption).to_string() svg=svg legend=legend table=table />
            </div>
        </div>
    }
}

/// The product analysis: what was delivered, earned and spent on it, by
/// product and category, and the products whose margin rate fell most.
fn product_section(i18n: I18n, report: &ProductReport) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let currency = i18n.currency.get_value();
    let axis = move |v: f64| axis_money(v, &currency, locale);
    let rate = |r: Option<f64>| r.map_or("—".to_string(), percent);
    let points = |c: Option<f64>| match c {
        Some(c) => {
            let pp = (c * 1000.0).round() / 10.0;
            fill(t(Msg::PercentagePoints), &[("n", &format!("{pp:+.1}"))])
        }
        None => "—".to_string(),
    };
    let mut total = ProductFigures::default();
    for p in &report.products {
        total.add(p);
    }
    let method = match report.method {
        CostMethod::Fifo => t(Msg::CostMethodFifo),
        CostMethod::WeightedAverage => t(Msg::CostMethodAverage),
    };
    let tile = |label: Msg, value: String, id| {
        kpi_view(Kpi {
            label: t(label).to_string(),
            value,
            title: None,
            changes: Vec::new(),
            better: Better::Up,
            href: None,
            id: Some(id),
        })
    };
    let tiles = [
        tile(
            Msg::DeliveredRevenue,
            compact(total.revenue),
            "kpi-product-revenue",
        ),
        tile(Msg::DeliveredCost, compact(total.cost), "kpi-product-cost"),
        tile(
            Msg::GrossMargin,
            compact(total.margin),
            "kpi-product-margin",
        ),
        tile(
            Msg::MarginRate,
            rate(total.margin_rate()),
            "kpi-margin-rate",
        ),
    ]
    .into_iter()
    .collect_view();
    let caption = fill(
        t(Msg::ProductAnalysisCaption),
        &[
            ("method", method),
            ("from", &report.period.from.to_string()),
            ("to", &report.period.to.to_string()),
            ("pfrom", &report.previous.from.to_string()),
            ("pto", &report.previous.to.to_string()),
        ],
    );
    let header: Vec<String> = [
        Msg::BreakdownName,
        Msg::ProductCategory,
        Msg::LineQuantity,
        Msg::DeliveredRevenue,
        Msg::DeliveredCost,
        Msg::GrossMargin,
        Msg::MarginRate,
        Msg::PreviousMarginRate,
        Msg::MarginRateChange,
    ]
    .into_iter()
    .map(|m| t(m).to_string())
    .collect();
    let row_cells = |p: &ProductFigures, name: String| {
        vec![
            name,
            p.category.clone(),
            p.quantity.to_string(),
            exact(p.revenue),
            exact(p.cost),
            exact(p.margin),
            rate(p.margin_rate()),
            rate(p.previous_margin_rate),
            points(p.rate_change()),
        ]
    };
    let category_name = |p: &ProductFigures| {
        if p.key.is_empty() {
            t(Msg::NoCategory).to_string()
        } else {
            p.name.clone()
        }
    };
    let chart = |rows: &[ProductFigures], name: &dyn Fn(&ProductFigures) -> String, title: Msg| {
        let shown = &rows[..rows.len().min(BREAKDOWN_BARS)];
        let names: Vec<String> = shown.iter().map(name).collect();
        let series: Vec<Series> = [(Msg::DeliveredCost, false), (Msg::GrossMargin, true)]
            .into_iter()
            .map(|(msg, margin)| Series {
                name: t(msg).to_string(),
                values: shown
                    .iter()
                    .map(|p| yuan(if margin { p.margin } else { p.cost }))
                    .collect(),
                titles: shown
                    .iter()
                    .zip(&names)
                    .map(|(p, n)| {
                        fill(
                            t(Msg::ProductHover),
                            &[
                                ("name", n),
                                ("revenue", &exact(p.revenue)),
                                ("cost", &exact(p.cost)),
                                ("margin", &exact(p.margin)),
                                ("rate", &rate(p.margin_rate())),
                            ],
                        )
                    })
                    .collect(),
                links: vec![None; shown.len()],
                dashed: false,
            })
            .collect();
        draw::bar_chart(
            &Plot {
                categories: &names,
                series: &series,
                axis_label: &axis,
                width: WIDTH,
                height: 40.0 + 32.0 * names.len().max(1) as f64,
            },
            BarStyle {
                stacked: true,
                horizontal: true,
            },
            t(title),
        )
    };
    let legend = vec![
        LegendItem {
            name: t(Msg::DeliveredCost).to_string(),
            colour: 0,
            dashed: false,
        },
        LegendItem {
            name: t(Msg::GrossMargin).to_string(),
            colour: 1,
            dashed: false,
        },
    ];
    let product_svg = chart(
        &report.products,
        &|p| p.name.clone(),
        Msg::ProductMarginTitle,
    );
    let product_table = ChartTable {
        header: header.clone(),
        rows: report
            .products
            .iter()
            .map(|p| TableRow {
                cells: row_cells(p, p.name.clone()),
                link: Some("/products".to_string()),
            })
            .collect(),
    };
    let category_svg = chart(&report.categories, &category_name, Msg::CategoryMarginTitle);
    let category_table = ChartTable {
        header: header.clone(),
        rows: report
            .categories
            .iter()
            .map(|p| TableRow {
                cells: row_cells(p, category_name(p)),
                link: None,
            })
            .collect(),
    };
    let falling = if report.falling.is_empty() {
        view! { <p class="muted">{t(Msg::NoFallingMargins)}</p> }.into_any()
    } else {
        report
            .falling
            .iter()
            .map(|p| {
                let text = fill(
                    t(Msg::FallingMargin),
                    &[
                        ("name", &p.name),
                        ("before", &rate(p.previous_margin_rate)),
                        ("now", &rate(p.margin_rate())),
                        ("change", &points(p.rate_change())),
                    ],
                );
                view! { <li class="anomaly">"▼ " {text}</li> }
            })
            .collect_view()
            .into_any()
    };
    let empty = report.products.is_empty();
    view! {
        <div class="kpis" id="product-kpis">{tiles}</div>
        <p class="muted kpi-periods">{caption}</p>
        {if empty {
            view! { <p class="card empty-note muted" id="no-deliveries">{t(Msg::NoDeliveriesInPeriod)}</p> }.into_any()
        } else {
            view! {
                <div class="chart-grid">
                    <ChartFigure id="product-margin" title=t(Msg::ProductMarginTitle).to_string() caption=t(Msg::ProductMarginCaption).to_string() svg=product_svg legend=legend.clone() table=product_table />
                    <ChartFigure id="category-margin" title=t(Msg::CategoryMarginTitle).to_string() caption=t(Msg::CategoryMarginCaption).to_string() svg=category_svg legend=legend table=category_table />
                    <section class="card chart" id="falling-margins">
                        <div class="chart-head"><h2>{t(Msg::FallingMarginsTitle)}</h2></div>
                        <p class="chart-caption muted">{t(Msg::FallingMarginsCaption)}</p>
                        <ul class="bench-list anomaly-list">{falling}</ul>
                    </section>
                </div>
            }.into_any()
        }}
    }
}

/// Bars a product chart draws; its table lists them all.
const BREAKDOWN_BARS: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn drill_down_links_name_the_days_and_the_rep() {
        let span = DateSpan {
            from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        };
        assert_eq!(
            contracts_link(span, ""),
            "/contracts?signed_from=2026-03-01&signed_to=2026-03-31"
        );
        assert_eq!(
            expenses_link(span, "01J", Some("差旅")),
            "/expenses?from=2026-03-01&to=2026-03-31&spent_by=01J&category=%E5%B7%AE%E6%97%85"
        );
        assert_eq!(signed_percent(Some(-0.25)), "−25%");
        assert_eq!(signed_percent(None), "—");
        assert_eq!(change(Cents(120), Cents(100)), Some(0.2));
        assert_eq!(change(Cents(120), Cents(0)), None);
    }
}
