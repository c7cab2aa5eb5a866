//! Chart geometry: scales, "nice" axis ticks, bands for bars, stacking,
//! funnel and heat-map layout, label fitting by an estimated character
//! width, and the CSV behind a chart. Plain arithmetic with no view code, so
//! the server and the browser draw the same SVG from the same numbers (no
//! DOM measuring, nothing random), and a report can be drawn to a string.

pub mod draw;

use std::fmt::Write;

/// The Okabe–Ito palette, which stays distinguishable with the common
/// colour-vision deficiencies; yellow and black left out (yellow vanishes
/// on white, black reads as text). Series take them in this order.
pub const PALETTE: [&str; 7] = [
    "#0072B2", // blue
    "#E69F00", // orange
    "#009E73", // bluish green
    "#D55E00", // vermilion
    "#56B4E9", // sky blue
    "#CC79A7", // reddish purple
    "#7F7F7F", // grey
];

/// The colour of the `i`th series.
pub fn series_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Axis ticks: every `step` from `min` to `max`, both multiples of `step`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ticks {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl Ticks {
    pub fn values(&self) -> Vec<f64> {
        let n = ((self.max - self.min) / self.step).round() as i64;
        (0..=n.max(0))
            // Computed from the start each time, so no error accumulates.
            .map(|i| clean(self.min + i as f64 * self.step))
            .collect()
    }
}

/// Rounds away the float noise of `0.1 * 3`.
fn clean(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 { 0.0 } else { r }
}

/// The "nice" number near `x`: 1, 2, 5 or 10 times a power of ten, rounded
/// to the nearest (`round`) or up to it.
fn nice_number(x: f64, round: bool) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let exp = x.log10().floor();
    let power = 10f64.powf(exp);
    let f = x / power;
    let nice = if round {
        match f {
            f if f < 1.5 => 1.0,
            f if f < 3.0 => 2.0,
            f if f < 7.0 => 5.0,
            _ => 10.0,
        }
    } else {
        match f {
            f if f <= 1.0 => 1.0,
            f if f <= 2.0 => 2.0,
            f if f <= 5.0 => 5.0,
            _ => 10.0,
        }
    };
    nice * power
}

/// About `count` ticks covering `lo..=hi` at a round step (Heckbert's
/// algorithm). An empty range (all values equal, or none) gets a unit
/// range above it so a bar of zero still has an axis.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Ticks {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + if lo == 0.0 { 1.0 } else { lo.abs() };
    }
    let range = nice_number(hi - lo, false);
    let step = nice_number(range / (count.max(2) - 1) as f64, true);
    Ticks {
        min: clean((lo / step).floor() * step),
        max: clean((hi / step).ceil() * step),
        step,
    }
}

/// Ticks for values that start from zero (bars, amounts): the axis always
/// includes 0.
pub fn zero_based_ticks(values: impl IntoIterator<Item = f64>, count: usize) -> Ticks {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    nice_ticks(lo, hi, count)
}

/// A linear map from a domain of values onto a range of pixels (the range
/// may run backwards, as a y axis does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Linear { domain, range }
    }

    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return r0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A slot along an axis: where a category's bars go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub start: f64,
    pub width: f64,
}

impl Band {
    pub fn centre(&self) -> f64 {
        self.start + self.width / 2.0
    }
}

/// `n` equal bands from `start` to `end`, a `padding` fraction (0–1) of
/// each slot left empty, half on either side.
pub fn bands(n: usize, start: f64, end: f64, padding: f64) -> Vec<Band> {
    if n == 0 {
        return Vec::new();
    }
    let slot = (end - start) / n as f64;
    let width = slot * (1.0 - padding.clamp(0.0, 0.95));
    (0..n)
        .map(|i| Band {
            start: start + i as f64 * slot + (slot - width) / 2.0,
            width,
        })
        .collect()
}

/// A band split side by side for `groups` series (grouped bars), with a
/// `gap` in pixels between them.
pub fn split_band(band: Band, groups: usize, gap: f64) -> Vec<Band> {
    if groups == 0 {
        return Vec::new();
    }
    let gaps = gap * (groups - 1) as f64;
    let width = ((band.width - gaps) / groups as f64).max(1.0);
    (0..groups)
        .map(|i| Band {
            start: band.start + i as f64 * (width + gap),
            width,
        })
        .collect()
}

/// Stacks series for stacked bars: `series[s][c]` becomes the span
/// (from, to) that series `s` covers in category `c`. Positive values stack
/// up from zero and negative ones down, so neither hides the other.
pub fn stack(series: &[Vec<f64>]) -> Vec<Vec<(f64, f64)>> {
    let categories = series.iter().map(Vec::len).max().unwrap_or(0);
    let mut up = vec![0.0; categories];
    let mut down = vec![0.0; categories];
    series
        .iter()
        .map(|values| {
            (0..categories)
                .map(|c| {
                    let v = values.get(c).copied().unwrap_or(0.0);
                    let base = if v >= 0.0 { &mut up[c] } else { &mut down[c] };
                    let from = *base;
                    *base += v;
                    (from, *base)
                })
                .collect()
        })
        .collect()
}

/// The lowest and highest ends of a stack, for its axis.
pub fn stack_extent(stacked: &[Vec<(f64, f64)>]) -> (f64, f64) {
    stacked
        .iter()
        .flatten()
        .fold((0.0f64, 0.0f64), |(lo, hi), &(a, b)| {
            (lo.min(a).min(b), hi.max(a).max(b))
        })
}

/// One step of a funnel: a bar centred on the funnel's axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FunnelStep {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A funnel of `values` in `width` pixels: one centred bar per step,
/// `height` tall with `gap` between, its width in proportion to the largest
/// value but never under `min_width`, so an empty step is still a target
/// to point at.
pub fn funnel(
    values: &[f64],
    width: f64,
    height: f64,
    gap: f64,
    min_width: f64,
) -> Vec<FunnelStep> {
    let max = values.iter().copied().fold(0.0f64, f64::max);
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let share = if max > 0.0 { v.max(0.0) / max } else { 0.0 };
            let w = (width * share).max(min_width).min(width);
            FunnelStep {
                x: (width - w) / 2.0,
                y: i as f64 * (height + gap),
                width: w,
                height,
            }
        })
        .collect()
}

/// How dark a heat-map cell is: 0 for nothing, then 1..=`levels` in equal
/// steps of the largest value.
pub fn heat_level(value: f64, max: f64, levels: u8) -> u8 {
    if value <= 0.0 || max <= 0.0 || levels == 0 {
        return 0;
    }
    let level = (value / max * f64::from(levels)).ceil();
    level.clamp(1.0, f64::from(levels)) as u8
}

/// The estimated width of `text` in pixels at `font_px`: CJK and other
/// wide characters take a full em, capitals and digits about 0.6, narrow
/// letters and punctuation less. No font metrics are read, so server and
/// browser agree; the estimate errs wide.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font_px
}

fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '-' => 0.4,
        'm' | 'w' => 0.85,
        'M' | 'W' => 0.95,
        'A'..='Z' => 0.68,
        '0'..='9' | '¥' | '$' | '%' => 0.6,
        c if c.is_ascii() => 0.56,
        // Latin letters with accents and the like.
        c if (c as u32) < 0x1100 => 0.6,
        // CJK, kana, hangul, full-width forms.
        _ => 1.0,
    }
}

/// `text` shortened with an ellipsis to fit `max_px`, whole characters
/// only; the full text belongs in the mark's `<title>`.
pub fn fit_label(text: &str, max_px: f64, font_px: f64) -> String {
    if text_width(text, font_px) <= max_px {
        return text.to_string();
    }
    let ellipsis = char_em('…').min(1.0) * font_px;
    let mut out = String::new();
    let mut used = ellipsis;
    for c in text.chars() {
        let w = char_em(c) * font_px;
        if used + w > max_px {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Every how many categories a label fits along an axis where each has
/// `slot_px`: 1 when all fit, 2 when every other one does, and so on.
pub fn label_stride(labels: &[String], slot_px: f64, font_px: f64) -> usize {
    let widest = labels
        .iter()
        .map(|l| text_width(l, font_px))
        .fold(0.0f64, f64::max);
    if slot_px <= 0.0 {
        return labels.len().max(1);
    }
    // A little air between neighbours.
    ((widest + font_px / 2.0) / slot_px).ceil().max(1.0) as usize
}

/// An SVG path through `points` (a line chart's series).
pub fn line_path(points: &[(f64, f64)]) -> String {
    let mut out = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        out.push_str(if i == 0 { "M" } else { " L" });
        let _ = write!(out, "{} {}", Tenths(*x), Tenths(*y));
    }
    out
}

/// The CSV of a chart's table: a header row, then the rows, fields quoted
/// where they hold a comma, quote or line break. Starts with a byte-order
/// mark so that Excel opens Chinese text as UTF-8.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(field: &str) -> String {
    // A leading = + - @ would run as a formula in a spreadsheet.
    let guarded = match field.chars().next() {
        Some('=' | '+' | '@') => format!("'{field}"),
        Some('-') if field.parse::<f64>().is_err() => format!("'{field}"),
        _ => field.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// `text` as a `data:` URL, so a CSV downloads from a plain link before
/// any script has loaded. Only what a URL would lose or misread is
/// escaped (controls and spaces, which its parser strips; `%` and `#`;
/// what HTML quotes): the browser's URL parser percent-encodes other
/// characters itself, so Chinese text stays a third of the size it had
/// escaped, in every dashboard page.
pub fn data_url(mime: &str, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 32);
    out.push_str("data:");
    out.push_str(mime);
    out.push_str(";charset=utf-8,");
    for c in text.chars() {
        match c {
            '\0'..=' ' | '\u{7f}' | '"' | '#' | '%' | '&' | '\'' | '<' | '>' => {
                let b = c as u8;
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
            c => out.push(c),
        }
    }
    out
}

/// A coordinate to a tenth, as `{:.1}` writes it, without the float
/// formatter's exact (big-number) path: a dashboard draws thousands.
#[derive(Clone, Copy, Debug)]
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e15 {
            return write!(f, "{:.1}", self.0);
        }
        let tenths = tenths as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let tenths = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers_covering_the_values() {
        let t = nice_ticks(0.0, 87.0, 5);
        assert_eq!((t.min, t.max, t.step), (0.0, 100.0, 20.0));
        assert_eq!(t.values(), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = nice_ticks(0.0, 1_234_567.0, 5);
        assert_eq!((t.min, t.max, t.step), (0.0, 1_500_000.0, 500_000.0));
        let t = nice_ticks(0.0, 0.34, 4);
        assert_eq!(t.values(), [0.0, 0.2, 0.4]);
        let t = nice_ticks(-35.0, 42.0, 5);
        assert_eq!((t.min, t.max, t.step), (-40.0, 60.0, 20.0));
    }

    #[test]
    fn an_empty_range_still_gets_an_axis() {
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!(t.min, 0.0);
        assert!(t.max > 0.0);
        let t = zero_based_ticks([], 5);
        assert_eq!(t.values().first(), Some(&0.0));
        let t = zero_based_ticks([180_000.0, 180_000.0], 5);
        assert_eq!((t.min, t.max, t.step), (0.0, 200_000.0, 50_000.0));
    }

    #[test]
    fn linear_scale_maps_and_may_run_backwards() {
        let y = Linear::new((0.0, 100.0), (200.0, 0.0));
        assert_eq!(y.at(0.0), 200.0);
        assert_eq!(y.at(25.0), 150.0);
        assert_eq!(y.at(100.0), 0.0);
        assert_eq!(Linear::new((5.0, 5.0), (0.0, 10.0)).at(5.0), 0.0);
    }

    #[test]
    fn bands_split_the_axis_with_padding() {
        let b = bands(4, 0.0, 400.0, 0.2);
        assert_eq!(b.len(), 4);
        assert_eq!(
            b[0],
            Band {
                start: 10.0,
                width: 80.0
            }
        );
        assert_eq!(b[3].start, 310.0);
        assert_eq!(b[1].centre(), 150.0);
        let groups = split_band(b[0], 2, 4.0);
        assert_eq!(
            groups[0],
            Band {
                start: 10.0,
                width: 38.0
            }
        );
        assert_eq!(
            groups[1],
            Band {
                start: 52.0,
                width: 38.0
            }
        );
        assert!(bands(0, 0.0, 1.0, 0.1).is_empty());
    }

    #[test]
    fn stacking_puts_series_on_top_of_each_other() {
        let stacked = stack(&[vec![10.0, 5.0], vec![20.0, -3.0], vec![1.0]]);
        assert_eq!(stacked[0], [(0.0, 10.0), (0.0, 5.0)]);
        assert_eq!(stacked[1], [(10.0, 30.0), (0.0, -3.0)]);
        assert_eq!(stacked[2], [(30.0, 31.0), (5.0, 5.0)]);
        assert_eq!(stack_extent(&stacked), (-3.0, 31.0));
    }

    #[test]
    fn funnel_steps_are_centred_and_proportional() {
        let steps = funnel(&[100.0, 50.0, 0.0], 300.0, 30.0, 6.0, 12.0);
        assert_eq!(
            steps[0],
            FunnelStep {
                x: 0.0,
                y: 0.0,
                width: 300.0,
                height: 30.0
            }
        );
        assert_eq!(
            steps[1],
            FunnelStep {
                x: 75.0,
                y: 36.0,
                width: 150.0,
                height: 30.0
            }
        );
        assert_eq!(steps[2].width, 12.0, "an empty step stays visible");
        assert_eq!(steps[2].x, 144.0);
        assert!(
            funnel(&[0.0, 0.0], 100.0, 10.0, 0.0, 4.0)
                .iter()
                .all(|s| s.width == 4.0)
        );
    }

    #[test]
    fn heat_levels_rise_in_equal_steps() {
        assert_eq!(heat_level(0.0, 10.0, 5), 0);
        assert_eq!(heat_level(0.1, 10.0, 5), 1);
        assert_eq!(heat_level(2.0, 10.0, 5), 1);
        assert_eq!(heat_level(2.1, 10.0, 5), 2);
        assert_eq!(heat_level(10.0, 10.0, 5), 5);
        assert_eq!(heat_level(3.0, 0.0, 5), 0);
    }

    #[test]
    fn chinese_labels_are_wider_than_latin_ones() {
        assert_eq!(text_width("商务谈判", 12.0), 48.0);
        assert!((text_width("Bidding", 12.0) - 42.24).abs() < 1e-9);
        assert!(text_width("¥120万", 10.0) < text_width("¥1,200,000", 10.0));
    }

    #[test]
    fn labels_are_cut_to_fit_with_an_ellipsis() {
        assert_eq!(fit_label("需求分析", 48.0, 12.0), "需求分析");
        assert_eq!(fit_label("需求分析阶段", 48.0, 12.0), "需求分…");
        assert_eq!(fit_label("Negotiation", 40.0, 10.0), "Negot…");
        assert_eq!(fit_label("", 1.0, 10.0), "");
    }

    #[test]
    fn crowded_axis_labels_show_every_nth() {
        let months: Vec<String> = (1..=12).map(|m| format!("2026-{m:02}")).collect();
        assert_eq!(label_stride(&months, 60.0, 10.0), 1);
        assert_eq!(label_stride(&months, 30.0, 10.0), 2);
        // "2026-01" is 4 em: 40 px and 5 of air over slots of 10.
        assert_eq!(label_stride(&months, 10.0, 10.0), 5);
    }

    #[test]
    fn a_line_path_moves_then_draws() {
        // Halves round away from zero (`{:.1}` would round 2.25 to even).
        assert_eq!(line_path(&[(0.0, 10.0), (5.5, 2.25)]), "M0.0 10.0 L5.5 2.3");
        assert_eq!(line_path(&[(-0.04, -1.26)]), "M0.0 -1.3");
        assert_eq!(line_path(&[]), "");
    }

    #[test]
    fn csv_quotes_and_guards_fields() {
        let header = vec!["阶段".to_string(), "金额".to_string()];
        let rows = vec![
            vec!["招投标".to_string(), "1,200.00".to_string()],
            vec!["=SUM(A1)".to_string(), "-5".to_string()],
            vec!["say \"hi\"".to_string(), "-x".to_string()],
        ];
        assert_eq!(
            csv(&header, &rows),
            "\u{feff}阶段,金额\r\n招投标,\"1,200.00\"\r\n'=SUM(A1),-5\r\n\"say \"\"hi\"\"\",'-x\r\n"
        );
        assert_eq!(
            data_url("text/csv", "a b,1"),
            "data:text/csv;charset=utf-8,a%20b,1"
        );
        assert_eq!(
            data_url("text/csv", "阶段\r\n#1,50%,\"x\""),
            "data:text/csv;charset=utf-8,阶段%0D%0A%231,50%25,%22x%22"
        );
    }
}
