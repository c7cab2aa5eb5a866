//! Charts drawn as SVG text from their numbers and already-translated
//! labels: the same string on the server and in the browser, so a page
//! shows its charts before any script runs and hydrates without a mismatch,
//! and a report prints. Each mark carries a `<title>` (the hover text) and,
//! when it has one, a link to the records behind it.

use std::fmt::Write;

use super::{
    Band, Linear, Tenths, bands, fit_label, funnel, label_stride, line_path, series_colour,
    split_band, stack, stack_extent, text_width, zero_based_ticks,
};

/// Text size in the drawing's own units; the drawing scales with its box.
pub const FONT: f64 = 12.0;
const TICKS: usize = 5;

/// One series of a bar or line chart: a value per category, each with its
/// hover text and the link to what it counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub titles: Vec<String>,
    pub links: Vec<Option<String>>,
    /// Drawn dashed: a comparison such as last year.
    pub dashed: bool,
}

/// A bar or line chart's numbers.
pub struct Plot<'a> {
    pub categories: &'a [String],
    pub series: &'a [Series],
    /// How a value reads on the value axis (`¥50万`, `40 %`).
    pub axis_label: &'a dyn Fn(f64) -> String,
    /// The drawing's size in its own units.
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BarStyle {
    pub stacked: bool,
    pub horizontal: bool,
}

/// `text` safe inside an XML element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn open_svg(out: &mut String, width: f64, height: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart-svg" role="img" aria-label="{}" font-size="{FONT}">"#,
        escape(label)
    );
}

/// A mark wrapped in its link (when it has one) with its hover text.
fn mark(out: &mut String, shape: &str, title: &str, link: Option<&String>) {
    if let Some(href) = link {
        out.push_str(r#"<a href=""#);
        escape_into(out, href);
        out.push_str(r#"" class="chart-link">"#);
    }
    // The hover text goes inside the shape, in place of its first `/>`.
    match shape.split_once("/>") {
        Some((open, rest)) => {
            out.push_str(open);
            out.push_str("><title>");
            escape_into(out, title);
            out.push_str("</title></");
            out.push_str(tag(shape));
            out.push('>');
            out.push_str(rest);
        }
        None => out.push_str(shape),
    }
    if link.is_some() {
        out.push_str("</a>");
    }
}

fn tag(shape: &str) -> &str {
    shape
        .trim_start_matches('<')
        .split([' ', '/', '>'])
        .next()
        .unwrap_or("g")
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, body: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" class="{class}">"#,
        Tenths(x),
        Tenths(y),
    );
    escape_into(out, body);
    out.push_str("</text>");
}

fn value_extent(plot: &Plot, stacked: bool) -> (f64, f64) {
    if stacked {
        let values: Vec<Vec<f64>> = plot.series.iter().map(|s| s.values.clone()).collect();
        stack_extent(&stack(&values))
    } else {
        plot.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }
}

fn widest(labels: impl Iterator<Item = String>) -> f64 {
    labels.map(|l| text_width(&l, FONT)).fold(0.0, f64::max)
}

/// A bar chart: grouped or stacked, bars up or across.
pub fn bar_chart(plot: &Plot, style: BarStyle, label: &str) -> String {
    let (lo, hi) = value_extent(plot, style.stacked);
    let ticks = zero_based_ticks([lo, hi], TICKS);
    let tick_values = ticks.values();
    let tick_labels: Vec<String> = tick_values.iter().map(|v| (plot.axis_label)(*v)).collect();
    let (w, h) = (plot.width, plot.height);
    let mut out = String::new();
    open_svg(&mut out, w, h, label);
    let spans: Vec<Vec<(f64, f64)>> = if style.stacked {
        stack(
            &plot
                .series
                .iter()
                .map(|s| s.values.clone())
                .collect::<Vec<_>>(),
        )
    } else {
        plot.series
            .iter()
            .map(|s| s.values.iter().map(|&v| (0.0, v)).collect())
            .collect()
    };
    let n = plot.categories.len();
    // Where series `s` of category `c` goes across the category axis.
    let place = |all: &[Band], c: usize, s: usize| -> Band {
        if style.stacked {
            all[c]
        } else {
            split_band(all[c], plot.series.len(), 2.0)[s]
        }
    };
    if style.horizontal {
        let left = (widest(plot.categories.iter().cloned()) + 10.0).min(w * 0.35);
        let (right, top, bottom) = (16.0, 6.0, 22.0);
        let x = Linear::new((ticks.min, ticks.max), (left, w - right));
        for (v, l) in tick_values.iter().zip(&tick_labels) {
            let px = x.at(*v);
            let _ = write!(
                out,
                r#"<line x1="{px}" x2="{px}" y1="{top}" y2="{}" class="chart-grid"/>"#,
                Tenths(h - bottom),
                px = Tenths(px)
            );
            text(&mut out, px, h - 6.0, "middle", "chart-tick", l);
        }
        let rows = bands(n, top, h - bottom, 0.3);
        for (c, band) in rows.iter().enumerate() {
            let name = fit_label(&plot.categories[c], left - 10.0, FONT);
            text(
                &mut out,
                left - 8.0,
                band.centre() + FONT * 0.35,
                "end",
                "chart-label",
                &name,
            );
            for (s, series) in plot.series.iter().enumerate() {
                let Some(&(a, b)) = spans[s].get(c) else {
                    continue;
                };
                // A stack's empty part has nothing to show or click; drawn
                // at the half-unit minimum it would be a stray sliver.
                if style.stacked && a == b {
                    continue;
                }
                let slot = place(&rows, c, s);
                let (x0, x1) = (x.at(a.min(b)), x.at(a.max(b)));
                let shape = format!(
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="chart-bar"/>"#,
                    Tenths(x0),
                    Tenths(slot.start),
                    Tenths((x1 - x0).max(0.5)),
                    Tenths(slot.width),
                    series_colour(s)
                );
                mark(
                    &mut out,
                    &shape,
                    series.titles.get(c).map_or("", |t| t),
                    series.links.get(c).and_then(Option::as_ref),
                );
            }
        }
    } else {
        let left = widest(tick_labels.iter().cloned()) + 10.0;
        let (right, top, bottom) = (8.0, 10.0, 26.0);
        let y = Linear::new((ticks.min, ticks.max), (h - bottom, top));
        for (v, l) in tick_values.iter().zip(&tick_labels) {
            let py = y.at(*v);
            let _ = write!(
                out,
                r#"<line x1="{}" x2="{}" y1="{py}" y2="{py}" class="chart-grid"/>"#,
                Tenths(left),
                Tenths(w - right),
                py = Tenths(py)
            );
            text(
                &mut out,
                left - 6.0,
                py + FONT * 0.35,
                "end",
                "chart-tick",
                l,
            );
        }
        let columns = bands(n, left, w - right, 0.3);
        category_labels(
            &mut out,
            plot.categories,
            &columns,
            (w - right - left) / n.max(1) as f64,
            h - 8.0,
        );
        for (c, _) in columns.iter().enumerate() {
            for (s, series) in plot.series.iter().enumerate() {
                let Some(&(a, b)) = spans[s].get(c) else {
                    continue;
                };
                // A stack's empty part has nothing to show or click; drawn
                // at the half-unit minimum it would be a stray sliver.
                if style.stacked && a == b {
                    continue;
                }
                let slot = place(&columns, c, s);
                let (y0, y1) = (y.at(a.max(b)), y.at(a.min(b)));
                let shape = format!(
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="chart-bar"/>"#,
                    Tenths(slot.start),
                    Tenths(y0),
                    Tenths(slot.width),
                    Tenths((y1 - y0).max(0.5)),
                    series_colour(s)
                );
                mark(
                    &mut out,
                    &shape,
                    series.titles.get(c).map_or("", |t| t),
                    series.links.get(c).and_then(Option::as_ref),
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// Category labels under a vertical chart, every n-th where they crowd.
fn category_labels(out: &mut String, categories: &[String], columns: &[Band], slot: f64, y: f64) {
    let stride = label_stride(categories, slot, FONT);
    for (c, band) in columns.iter().enumerate() {
        if c % stride == 0 {
            let name = fit_label(&categories[c], slot * stride as f64 - 4.0, FONT);
            text(out, band.centre(), y, "middle", "chart-label", &name);
        }
    }
}

/// A line chart, a point per category; a dashed series for comparison.
pub fn line_chart(plot: &Plot, label: &str) -> String {
    let (lo, hi) = value_extent(plot, false);
    let ticks = zero_based_ticks([lo, hi], TICKS);
    let tick_values = ticks.values();
    let tick_labels: Vec<String> = tick_values.iter().map(|v| (plot.axis_label)(*v)).collect();
    let (w, h) = (plot.width, plot.height);
    let left = widest(tick_labels.iter().cloned()) + 10.0;
    let (right, top, bottom) = (12.0, 10.0, 26.0);
    let y = Linear::new((ticks.min, ticks.max), (h - bottom, top));
    let mut out = String::new();
    open_svg(&mut out, w, h, label);
    for (v, l) in tick_values.iter().zip(&tick_labels) {
        let py = y.at(*v);
        let _ = write!(
            out,
            r#"<line x1="{}" x2="{}" y1="{py}" y2="{py}" class="chart-grid"/>"#,
            Tenths(left),
            Tenths(w - right),
            py = Tenths(py)
        );
        text(
            &mut out,
            left - 6.0,
            py + FONT * 0.35,
            "end",
            "chart-tick",
            l,
        );
    }
    let n = plot.categories.len();
    let columns = bands(n, left, w - right, 0.0);
    category_labels(
        &mut out,
        plot.categories,
        &columns,
        (w - right - left) / n.max(1) as f64,
        h - 8.0,
    );
    for (s, series) in plot.series.iter().enumerate() {
        let points: Vec<(f64, f64)> = columns
            .iter()
            .zip(&series.values)
            .map(|(b, v)| (b.centre(), y.at(*v)))
            .collect();
        let dash = if series.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="2.5"{dash} class="chart-line"/>"#,
            line_path(&points),
            series_colour(s)
        );
        for (c, (px, py)) in points.iter().enumerate() {
            let shape = format!(
                r#"<circle cx="{}" cy="{}" r="4.5" fill="{}" class="chart-point"/>"#,
                Tenths(*px),
                Tenths(*py),
                if series.dashed {
                    "#fff"
                } else {
                    series_colour(s)
                }
            );
            let shape = shape.replacen(
                "/>",
                &format!(r#" stroke="{}" stroke-width="2"/>"#, series_colour(s)),
                1,
            );
            mark(
                &mut out,
                &shape,
                series.titles.get(c).map_or("", |t| t),
                series.links.get(c).and_then(Option::as_ref),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One step of a funnel chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunnelMark {
    pub label: String,
    pub value: f64,
    /// Shown beside the step: `12 · ¥128万`.
    pub value_text: String,
    pub title: String,
    pub link: Option<String>,
}

/// A funnel: stage names on the left, centred bars as wide as their value,
/// the figures on the right.
pub fn funnel_chart(steps: &[FunnelMark], width: f64, label: &str) -> String {
    let (bar_h, gap) = (30.0, 8.0);
    let h = steps.len() as f64 * (bar_h + gap) - gap + 4.0;
    let left = (widest(steps.iter().map(|s| s.label.clone())) + 12.0).min(width * 0.3);
    let right = (widest(steps.iter().map(|s| s.value_text.clone())) + 12.0).min(width * 0.35);
    let room = (width - left - right).max(40.0);
    let values: Vec<f64> = steps.iter().map(|s| s.value).collect();
    let mut out = String::new();
    open_svg(&mut out, width, h.max(bar_h), label);
    for (i, (step, geo)) in steps
        .iter()
        .zip(funnel(&values, room, bar_h, gap, 6.0))
        .enumerate()
    {
        let cy = geo.y + 2.0 + bar_h / 2.0 + FONT * 0.35;
        let name = fit_label(&step.label, left - 12.0, FONT);
        text(&mut out, left - 8.0, cy, "end", "chart-label", &name);
        let shape = format!(
            r#"<rect x="{}" y="{}" width="{}" height="{bar_h}" rx="4" fill="{}" class="chart-bar"/>"#,
            Tenths(left + geo.x),
            Tenths(geo.y + 2.0),
            Tenths(geo.width),
            series_colour(if i % 2 == 0 { 0 } else { 4 })
        );
        mark(&mut out, &shape, &step.title, step.link.as_ref());
        text(
            &mut out,
            width - right + 8.0,
            cy,
            "start",
            "chart-value",
            &step.value_text,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Series {
        Series {
            name: "s".into(),
            values: values.to_vec(),
            titles: values.iter().map(|v| format!("v {v}")).collect(),
            links: values
                .iter()
                .map(|v| Some(format!("/x?v={v}&a=1")))
                .collect(),
            dashed: false,
        }
    }

    fn plot<'a>(
        categories: &'a [String],
        series: &'a [Series],
        label: &'a dyn Fn(f64) -> String,
    ) -> Plot<'a> {
        Plot {
            categories,
            series,
            axis_label: label,
            width: 600.0,
            height: 240.0,
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn each_bar_is_a_link_with_its_value_on_hover() {
        let cats = vec!["一月".to_string(), "二月".to_string()];
        let s = [series(&[10.0, 30.0])];
        let label = |v: f64| format!("{v}");
        let svg = bar_chart(
            &plot(&cats, &s, &label),
            BarStyle::default(),
            "Sales <2026>",
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains(r#"role="img" aria-label="Sales &lt;2026&gt;""#));
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(r#"<a href="/x?v=30&amp;a=1" class="chart-link"><rect "#));
        assert!(svg.contains("<title>v 30</title></rect></a>"));
        assert!(svg.contains(">一月</text>"));
        // Ticks 0–30 at a step of 10: the taller bar reaches the top.
        assert!(svg.contains(">30</text>"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn stacked_and_horizontal_bars_draw_every_mark() {
        let cats = vec!["A".to_string(), "B".to_string()];
        let s = [series(&[1.0, 2.0]), series(&[3.0, 4.0])];
        let label = |v: f64| format!("{v}");
        let style = BarStyle {
            stacked: true,
            horizontal: true,
        };
        let svg = bar_chart(&plot(&cats, &s, &label), style, "x");
        assert_eq!(svg.matches("<rect").count(), 4);
        // Stacked to 6 at most: the axis ends at a round 6.
        assert!(svg.contains(">6</text>"), "{svg}");
    }

    #[test]
    fn a_dashed_comparison_line_is_dashed() {
        let cats = vec!["1".to_string(), "2".to_string(), "3".to_string()];
        let mut last_year = series(&[1.0, 2.0, 3.0]);
        last_year.dashed = true;
        let s = [series(&[2.0, 2.0, 2.0]), last_year];
        let label = |v: f64| format!("{v}");
        let svg = line_chart(&plot(&cats, &s, &label), "x");
        assert_eq!(svg.matches("<path").count(), 2);
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 6);
    }

    #[test]
    fn a_funnel_has_a_step_per_stage() {
        let steps: Vec<FunnelMark> = [("初期沟通", 10.0), ("商务谈判", 2.0)]
            .iter()
            .map(|(l, v)| FunnelMark {
                label: l.to_string(),
                value: *v,
                value_text: format!("{v}"),
                title: format!("{l}: {v}"),
                link: Some("/pipeline".into()),
            })
            .collect();
        let svg = funnel_chart(&steps, 600.0, "funnel");
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("<title>商务谈判: 2</title>"));
        assert!(svg.contains(">初期沟通</text>"));
    }

    #[test]
    fn an_empty_part_of_a_stack_is_not_drawn() {
        let categories = vec!["一月".to_string(), "二月".to_string()];
        let series = vec![
            Series {
                name: "签约".into(),
                values: vec![3.0, 0.0],
                titles: vec!["a".into(), "b".into()],
                links: vec![Some("/a".into()), Some("/b".into())],
                dashed: false,
            },
            Series {
                name: "潜在".into(),
                values: vec![0.0, 0.0],
                titles: vec!["c".into(), "d".into()],
                links: vec![Some("/c".into()), Some("/d".into())],
                dashed: false,
            },
        ];
        let svg = bar_chart(
            &Plot {
                categories: &categories,
                series: &series,
                axis_label: &|v| format!("{v}"),
                width: 300.0,
                height: 200.0,
            },
            BarStyle {
                stacked: true,
                horizontal: false,
            },
            "chart",
        );
        assert_eq!(svg.matches("chart-bar").count(), 1, "{svg}");
        assert!(svg.contains(r#"<a href="/a""#));
    }
}
