//! Dashboards (SPEC §5): the funnel, forecast and conversion of a pipeline,
//! with filters for period, team, rep and pipeline kept in the URL, so a
//! dashboard can be bookmarked, shared and drilled into before any script
//! has loaded.

pub mod activity;
pub mod customers;
mod filters;
pub mod pipeline;
pub mod revenue;

use guanxi_core::model::{Locale, ReportParams};

pub use filters::ReportFilters;

/// The board of `params`' pipeline narrowed as the report is (rep, team)
/// and to `month` (`YYYY-MM`) when given: the deals behind a mark.
pub fn board_link(params: &ReportParams, pipeline: &str, month: Option<&str>) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("pipeline", pipeline)];
    if !params.rep.is_empty() {
        pairs.push(("owner", &params.rep));
    }
    if !params.team.is_empty() {
        pairs.push(("team", &params.team));
    }
    if let Some(month) = month {
        pairs.push(("month", month));
    }
    format!("/pipeline?{}", query(&pairs))
}

/// `key=value&…`, percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `2026-03` as a reader of `locale` names the month: `2026年3月`, `Mar 2026`.
pub fn month_label(key: &str, locale: Locale) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some((year, month)) = key.split_once('-') else {
        return key.to_string();
    };
    let Ok(m) = month.parse::<usize>() else {
        return key.to_string();
    };
    match locale {
        Locale::ZhCn => format!("{year}年{m}月"),
        Locale::En => format!("{} {year}", EN.get(m.wrapping_sub(1)).unwrap_or(&"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drill_down_links_keep_the_report_filters() {
        let params = ReportParams {
            rep: "01J".into(),
            team: "华东".into(),
            ..Default::default()
        };
        assert_eq!(
            board_link(&params, "01P", Some("2026-03")),
            "/pipeline?pipeline=01P&owner=01J&team=%E5%8D%8E%E4%B8%9C&month=2026-03"
        );
        assert_eq!(
            board_link(&ReportParams::default(), "01P", None),
            "/pipeline?pipeline=01P"
        );
    }

    #[test]
    fn months_read_in_each_language() {
        assert_eq!(month_label("2026-03", Locale::ZhCn), "2026年3月");
        assert_eq!(month_label("2026-12", Locale::En), "Dec 2026");
    }
}
