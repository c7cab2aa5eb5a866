//! A report's period: this month, quarter, half-year or year, or a custom
//! range, as days in the company's zone; and months as reports name them.

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::{Error, Field, Problem, Result};
use crate::model::DateSpan;

/// The period `kind` (`month`, `quarter`, `half`, `year`, `custom`; empty
/// is `month`) that holds `today`, or for `custom` the days `from`–`to`.
pub fn span(kind: &str, from: &str, to: &str, today: NaiveDate) -> Result<DateSpan> {
    let (y, m) = (today.year(), today.month());
    let months = |first: u32, count: u32| {
        let from = first_of(y, first);
        let (ny, nm) = add_months(y, first, count as i32);
        DateSpan {
            from,
            to: first_of(ny, nm) - Duration::days(1),
        }
    };
    Ok(match kind {
        "" | "month" => months(m, 1),
        "quarter" => months((m - 1) / 3 * 3 + 1, 3),
        "half" => months(if m <= 6 { 1 } else { 7 }, 6),
        "year" => months(1, 12),
        "custom" => {
            let day = |text: &str| {
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| Error::invalid(Field::Period, Problem::Malformed))
            };
            let (from, to) = (day(from)?, day(to)?);
            if to < from || (to - from).num_days() > 366 * 10 {
                return Err(Error::invalid(Field::Period, Problem::Malformed));
            }
            DateSpan { from, to }
        }
        _ => return Err(Error::invalid(Field::Period, Problem::Unknown)),
    })
}

/// The span of the same length just before `span` (period over period).
pub fn previous(span: DateSpan) -> DateSpan {
    let days = (span.to - span.from).num_days() + 1;
    DateSpan {
        from: span.from - Duration::days(days),
        to: span.from - Duration::days(1),
    }
}

/// The same days a year earlier (year over year); 29 February becomes the
/// 28th.
pub fn year_before(span: DateSpan) -> DateSpan {
    let back = |d: NaiveDate| {
        d.with_year(d.year() - 1)
            .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
            .unwrap_or(d)
    };
    DateSpan {
        from: back(span.from),
        to: back(span.to),
    }
}

pub fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
}

/// (year, month) `n` months after (or before) `year-month`.
pub fn add_months(year: i32, month: u32, n: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + n;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// `2026-03`.
pub fn month_key(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn span_of(kind: &str) -> DateSpan {
        span(kind, "", "", d(2026, 8, 14)).unwrap()
    }

    #[test]
    fn periods_hold_today() {
        assert_eq!(
            span_of("month"),
            DateSpan {
                from: d(2026, 8, 1),
                to: d(2026, 8, 31)
            }
        );
        assert_eq!(span_of(""), span_of("month"));
        assert_eq!(
            span_of("quarter"),
            DateSpan {
                from: d(2026, 7, 1),
                to: d(2026, 9, 30)
            }
        );
        assert_eq!(
            span_of("half"),
            DateSpan {
                from: d(2026, 7, 1),
                to: d(2026, 12, 31)
            }
        );
        assert_eq!(
            span_of("year"),
            DateSpan {
                from: d(2026, 1, 1),
                to: d(2026, 12, 31)
            }
        );
        let december = span("month", "", "", d(2026, 12, 5)).unwrap();
        assert_eq!(december.to, d(2026, 12, 31));
    }

    #[test]
    fn a_custom_range_is_checked() {
        let custom = span("custom", "2026-02-03", "2026-02-20", d(2026, 8, 14)).unwrap();
        assert_eq!(
            custom,
            DateSpan {
                from: d(2026, 2, 3),
                to: d(2026, 2, 20)
            }
        );
        let bad = Err(Error::invalid(Field::Period, Problem::Malformed));
        assert_eq!(
            span("custom", "2026-02-20", "2026-02-03", d(2026, 8, 14)),
            bad
        );
        assert_eq!(span("custom", "", "2026-02-03", d(2026, 8, 14)), bad);
        assert!(span("fortnight", "", "", d(2026, 8, 14)).is_err());
    }

    #[test]
    fn comparisons_look_back_a_period_and_a_year() {
        let march = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        assert_eq!(
            previous(march),
            DateSpan {
                from: d(2026, 1, 29),
                to: d(2026, 2, 28)
            }
        );
        assert_eq!(
            year_before(march),
            DateSpan {
                from: d(2025, 3, 1),
                to: d(2025, 3, 31)
            }
        );
        let leap = DateSpan {
            from: d(2028, 2, 29),
            to: d(2028, 2, 29),
        };
        assert_eq!(year_before(leap).from, d(2027, 2, 28));
    }

    #[test]
    fn months_add_across_years() {
        assert_eq!(add_months(2026, 11, 3), (2027, 2));
        assert_eq!(add_months(2026, 1, -1), (2025, 12));
        assert_eq!(month_key(2026, 3), "2026-03");
    }
}
