//! The frame every chart is shown in: its title, a one-line caption that
//! says how the numbers were made, the legend, the SVG (drawn by
//! `guanxi_core::chart::draw` as text, identical on server and browser),
//! a "show data" table of the same numbers with the same links, and a CSV
//! download that works before the WASM has loaded (a `data:` link).

use guanxi_core::chart::{PALETTE, csv, data_url};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;

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

impl LegendItem {
    /// The legend of a bar or line chart: each series in its palette slot
    /// (the order it is drawn in), dashed as it is drawn.
    pub fn of(series: &[guanxi_core::chart::draw::Series]) -> Vec<LegendItem> {
        series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendItem {
                name: s.name.clone(),
                colour: i,
                dashed: s.dashed,
            })
            .collect()
    }
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
    let tip = RwSignal::new(String::new());
    let tip_box = NodeRef::<leptos::html::Div>::new();
    let show_tip = move |ev: web_sys::PointerEvent| match mark_tip(&ev) {
        Some((text, x, y)) => {
            if let Some(el) = tip_box.get_untracked() {
                let style = web_sys::HtmlElement::style(&el);
                let _ = style.set_property("left", &format!("{x}px"));
                let _ = style.set_property("top", &format!("{y}px"));
            }
            tip.set(text);
        }
        None => tip.set(String::new()),
    };
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
            <div
                class="chart-body"
                inner_html=svg
                on:pointermove=show_tip
                on:pointerleave=move |_| tip.set(String::new())
            ></div>
            // Only the browser fills it in: before the WASM has loaded, the
            // marks' SVG `<title>` is the hover text.
            <div class="chart-tip" class:shown=move || !tip.read().is_empty() node_ref=tip_box aria-hidden="true">
                {move || tip.get()}
            </div>
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

/// The hover text of the mark under the pointer, and where to show it
/// within the chart's figure. A mark's `<title>` becomes its `aria-label`
/// and `data-tip` the first time: left in place, the browser would show it
/// too, a second box after a delay.
fn mark_tip(ev: &web_sys::PointerEvent) -> Option<(String, i32, i32)> {
    let body = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let mut el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let text = loop {
        if let Some(text) = el.get_attribute("data-tip") {
            break text;
        }
        if let Ok(Some(title)) = el.query_selector(":scope > title") {
            let text = title.text_content().unwrap_or_default();
            title.remove();
            let _ = el.set_attribute("data-tip", &text);
            let _ = el.set_attribute("aria-label", &text);
            break text;
        }
        if el == body {
            return None;
        }
        el = el.parent_element()?;
    };
    let figure = body.parent_element()?.get_bounding_client_rect();
    // Below and right of the pointer, clear of the finger on a touch screen.
    let x = ev.client_x() - figure.left() as i32 + 12;
    let y = ev.client_y() - figure.top() as i32 + 16;
    Some((text, x, y))
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
    kpi_view(Kpi {
        label,
        value,
        title,
        changes: change.into_iter().collect(),
        better: better.unwrap_or(Better::Up),
        href,
        id,
    })
}

/// A KPI tile's parts, for callers that compute which there are.
pub struct Kpi {
    pub label: String,
    pub value: String,
    pub title: Option<String>,
    /// (change as a share, what it is compared with), one line each:
    /// e.g. against the previous period, then against last year.
    pub changes: Vec<(f64, String)>,
    pub better: Better,
    pub href: Option<String>,
    pub id: Option<&'static str>,
}

pub fn kpi_view(kpi: Kpi) -> AnyView {
    let better = kpi.better;
    let changes = kpi
        .changes
        .into_iter()
        .map(|(share, against)| {
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
        })
        .collect_view();
    let body = view! {
        <span class="kpi-label">{kpi.label}</span>
        <strong class="kpi-value" title=kpi.title>{kpi.value}</strong>
        {changes}
    };
    match kpi.href {
        Some(href) => view! { <a class="kpi card" href=href id=kpi.id>{body}</a> }.into_any(),
        None => view! { <div class="kpi card" id=kpi.id>{body}</div> }.into_any(),
    }
}

/// How many shades the heat map has besides "none".
pub const HEAT_LEVELS: u8 = 5;

/// A cell of a heat-map table: its number, how strong its shade is (a
/// share of the strongest, 0–1 or more), a hover text and the records it
/// counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatCell {
    pub text: String,
    pub weight: f64,
    pub title: String,
    pub link: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatRow {
    pub label: String,
    pub link: Option<String>,
    /// Plain figures before the shaded cells (e.g. a total).
    pub before: Vec<String>,
    pub cells: Vec<HeatCell>,
    /// Plain figures after them.
    pub after: Vec<String>,
}

/// A table whose middle columns are shaded by their value on a sequential
/// single-hue scale (light to dark blue, which colour-blind readers tell
/// apart by lightness), the number always written in the cell and each
/// cell a link to the records behind it; with a CSV of the same numbers.
#[component]
pub fn HeatMapTable(
    id: &'static str,
    title: String,
    caption: String,
    /// Every column's heading: the row label's, `before`'s, the shaded
    /// cells', `after`'s.
    header: Vec<String>,
    /// How many of `header` after the first are `before` columns.
    before: usize,
    rows: Vec<HeatRow>,
    /// The words at the ends of the scale: (light, dark).
    scale: (String, String),
) -> impl IntoView {
    let i18n = use_i18n();
    let max = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.weight))
        .fold(0.0, f64::max);
    let csv_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            std::iter::once(r.label.clone())
                .chain(r.before.iter().cloned())
                .chain(r.cells.iter().map(|c| c.text.clone()))
                .chain(r.after.iter().cloned())
                .collect()
        })
        .collect();
    let csv_href = data_url("text/csv", &csv(&header, &csv_rows));
    let caption_id = format!("{id}-caption");
    let described_by = caption_id.clone();
    let shaded = header.len().saturating_sub(1 + before);
    view! {
        <figure class="chart card heat-figure" id=id aria-describedby=described_by>
            <div class="chart-head">
                <h2>{title}</h2>
                <a class="btn btn-small btn-quiet chart-csv" download=format!("{id}.csv") href=csv_href>
                    "↓ " {i18n.t(Msg::DownloadCsv)}
                </a>
            </div>
            <figcaption class="chart-caption muted" id=caption_id>{caption}</figcaption>
            <div class="heat-scale muted" aria-hidden="true">
                <span>{scale.0}</span>
                {(1..=HEAT_LEVELS).map(|l| view! { <span class=format!("heat-swatch heat-{l}")></span> }).collect_view()}
                <span>{scale.1}</span>
            </div>
            <div class="table-wrap">
                <table class="table heat-table">
                    <thead><tr>
                        {header.into_iter().enumerate().map(|(i, h)| {
                            let class = match i {
                                0 => "",
                                i if i > before && i <= before + shaded => "num heat-head",
                                _ => "num",
                            };
                            view! { <th class=class scope="col">{h}</th> }
                        }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>
                                {match row.link {
                                    Some(href) => view! { <th scope="row"><a href=href>{row.label}</a></th> }.into_any(),
                                    None => view! { <th scope="row">{row.label}</th> }.into_any(),
                                }}
                                {row.before.into_iter().map(|v| view! { <td class="num">{v}</td> }).collect_view()}
                                {row.cells.into_iter().map(|cell| {
                                    let level = guanxi_core::chart::heat_level(cell.weight, max, HEAT_LEVELS);
                                    let class = format!("num heat-cell heat-{level}");
                                    let title = cell.title.clone();
                                    match cell.link {
                                        Some(href) => view! {
                                            <td class=class><a href=href title=title>{cell.text}</a></td>
                                        }.into_any(),
                                        None => view! { <td class=class title=title>{cell.text}</td> }.into_any(),
                                    }
                                }).collect_view()}
                                {row.after.into_iter().map(|v| view! { <td class="num">{v}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}
