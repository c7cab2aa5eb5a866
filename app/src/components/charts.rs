//! The frame every chart is shown in: its title, a one-line caption that
//! says how the numbers were made, the legend, the SVG (drawn by
//! `guanxi_core::chart::draw` as text, identical on server and browser),
//! a "show data" table of the same numbers with the same links, and a CSV
//! download that works before the WASM has loaded (a `data:` link).

use guanxi_core::chart::{PALETTE, csv, data_url};
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// The numbers behind a chart as a table: the first cell of a row links to
/// the records it counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartTable {
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub link: Option<String>,
}

/// A series in the legend: its name, its palette slot, dashed or solid.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub name: String,
    pub colour: usize,
    pub dashed: bool,
}

#[component]
pub fn ChartFigure(
    /// Unique on the page: the figure's id and the CSV's file name.
    id: &'static str,
    title: String,
    caption: String,
    svg: String,
    #[prop(optional)] legend: Vec<LegendItem>,
    table: ChartTable,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    let csv_href = data_url("text/csv", &csv(&table.header, &rows));
    let caption_id = format!("{id}-caption");
    let described_by = caption_id.clone();
    view! {
        <figure class="chart card" id=id aria-describedby=described_by>
            <div class="chart-head">
                <h2>{title}</h2>
                <a class="btn btn-small btn-quiet chart-csv" download=format!("{id}.csv") href=csv_href>
                    "↓ " {i18n.t(Msg::DownloadCsv)}
                </a>
            </div>
            <figcaption class="chart-caption muted" id=caption_id>{caption}</figcaption>
            {(!legend.is_empty()).then(|| view! {
                <ul class="chart-legend">
                    {legend.into_iter().map(|item| {
                        // A class per palette slot: the page's content security
                        // policy allows no inline styles.
                        let class = format!(
                            "swatch swatch-{}{}",
                            item.colour % PALETTE.len(),
                            if item.dashed { " swatch-dashed" } else { "" }
                        );
                        view! { <li><span class=class></span>{item.name}</li> }
                    }).collect_view()}
                </ul>
            })}
            <div class="chart-body" inner_html=svg></div>
            <details class="chart-data">
                <summary>{i18n.t(Msg::ShowData)}</summary>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            {table.header.iter().enumerate().map(|(i, h)| {
                                let class = if i > 0 { "num" } else { "" };
                                view! { <th class=class scope="col">{h.clone()}</th> }
                            }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {table.rows.into_iter().map(|row| view! {
                                <tr>
                                    {row.cells.into_iter().enumerate().map(|(i, cell)| {
                                        if i == 0 {
                                            match row.link.clone() {
                                                Some(href) => view! { <th scope="row"><a href=href>{cell}</a></th> }.into_any(),
                                                None => view! { <th scope="row">{cell}</th> }.into_any(),
                                            }
                                        } else {
                                            view! { <td class="num">{cell}</td> }.into_any()
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Whether a change is good news: more is better for most figures, less
/// for a few (days to close).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Up,
    Down,
}

/// A figure with its label and, when there is something to compare with,
/// its change as an arrow and a percentage; a link to what it counts.
#[component]
pub fn KpiTile(
    label: String,
    value: String,
    #[prop(optional)] title: Option<String>,
    /// (change as a share, e.g. 0.12, what it is compared with).
    #[prop(optional)]
    change: Option<(f64, String)>,
    #[prop(optional)] better: Option<Better>,
    #[prop(optional)] href: Option<String>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let better = better.unwrap_or(Better::Up);
    let change = change.map(|(share, against)| {
        let (arrow, direction) = if share > 0.0 {
            ("▲", Better::Up)
        } else if share < 0.0 {
            ("▼", Better::Down)
        } else {
            ("■", better)
        };
        let class = if share == 0.0 {
            "kpi-change"
        } else if direction == better {
            "kpi-change kpi-good"
        } else {
            "kpi-change kpi-bad"
        };
        let text = format!("{arrow} {} {against}", crate::format::percent(share.abs()));
        view! { <span class=class>{text}</span> }
    });
    let body = view! {
        <span class="kpi-label">{label}</span>
        <strong class="kpi-value" title=title>{value}</strong>
        {change}
    };
    match href {
        Some(href) => view! { <a class="kpi card" href=href id=id>{body}</a> }.into_any(),
        None => view! { <div class="kpi card" id=id>{body}</div> }.into_any(),
    }
}
