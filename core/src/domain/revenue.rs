//! Revenue analytics' rules (SPEC §5): the periods a trend shows, their
//! comparisons with the period before (环比) and the same period a year
//! earlier (同比), and how a contract's amount is credited to its owners.
//!
//! Months are numbered (`year × 12 + month − 1`) so that a quarter, a
//! half-year or the twelve months before are ranges of numbers.

use chrono::{Datelike, Duration, NaiveDate};

use super::period;
use crate::model::{Cents, DateSpan, OwnerShare};

/// A month as one number: `year × 12 + month − 1`.
pub type Month = i32;

pub fn month_of(day: NaiveDate) -> Month {
    day.year() * 12 + day.month0() as i32
}

pub fn first_day(month: Month) -> NaiveDate {
    period::first_of(month.div_euclid(12), month.rem_euclid(12) as u32 + 1)
}

pub fn last_day(month: Month) -> NaiveDate {
    first_day(month + 1) - Duration::days(1)
}

/// How a trend groups months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grain {
    Month,
    Quarter,
    Half,
    Year,
}

impl Grain {
    /// The grain that suits a report period: a month's report shows months,
    /// a quarter's quarters and so on; a custom range shows months.
    pub fn of_period(kind: &str) -> Grain {
        match kind {
            "quarter" => Grain::Quarter,
            "half" => Grain::Half,
            "year" => Grain::Year,
            _ => Grain::Month,
        }
    }

    pub fn months(self) -> i32 {
        match self {
            Grain::Month => 1,
            Grain::Quarter => 3,
            Grain::Half => 6,
            Grain::Year => 12,
        }
    }

    /// How many periods a trend shows: two years of months or quarters,
    /// three of halves, five years.
    pub fn trend_len(self) -> usize {
        match self {
            Grain::Month => 12,
            Grain::Quarter => 8,
            Grain::Half => 6,
            Grain::Year => 5,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Half => "half",
            Grain::Year => "year",
        }
    }
}

/// A run of whole months: one period of a trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub first: Month,
    pub months: i32,
}

impl Bucket {
    /// The months `first..end`.
    pub fn end(self) -> Month {
        self.first + self.months
    }

    pub fn span(self) -> DateSpan {
        DateSpan {
            from: first_day(self.first),
            to: last_day(self.end() - 1),
        }
    }

    /// The same months a year earlier (同比).
    pub fn year_before(self) -> Bucket {
        Bucket {
            first: self.first - 12,
            ..self
        }
    }

    /// As many months just before (环比).
    pub fn before(self) -> Bucket {
        Bucket {
            first: self.first - self.months,
            ..self
        }
    }

    /// `2026-03`, `2026-Q1`, `2026-H2`, `2026`; a run of months that is
    /// none of these is named by its first and last month.
    pub fn key(self) -> String {
        let (year, month0) = (self.first.div_euclid(12), self.first.rem_euclid(12));
        match (self.months, month0) {
            (1, _) => period::month_key(year, month0 as u32 + 1),
            (3, m) if m % 3 == 0 => format!("{year:04}-Q{}", m / 3 + 1),
            (6, m) if m % 6 == 0 => format!("{year:04}-H{}", m / 6 + 1),
            (12, 0) => format!("{year:04}"),
            _ => {
                let last = self.end() - 1;
                format!(
                    "{}..{}",
                    Bucket {
                        first: self.first,
                        months: 1
                    }
                    .key(),
                    Bucket {
                        first: last,
                        months: 1
                    }
                    .key()
                )
            }
        }
    }
}

/// The `grain.trend_len()` periods of `grain` that end with the one
/// holding `last`, oldest first, aligned to the calendar (quarters start
/// in January, April, July and October).
pub fn trend(grain: Grain, last: NaiveDate) -> Vec<Bucket> {
    let size = grain.months();
    let month = month_of(last);
    let newest = month - month.rem_euclid(12) % size;
    (0..grain.trend_len() as i32)
        .rev()
        .map(|back| Bucket {
            first: newest - back * size,
            months: size,
        })
        .collect()
}

/// The months a custom range touches, each a period of the trend; at most
/// the last 36.
pub fn months_of(span: DateSpan) -> Vec<Bucket> {
    let (first, last) = (month_of(span.from), month_of(span.to));
    (first.max(last - 35)..=last)
        .map(|first| Bucket { first, months: 1 })
        .collect()
}

/// The period a report of `kind` compares `span` with (环比): the calendar
/// month, quarter, half-year or year before; for a custom range, as many
/// days just before.
pub fn previous_span(kind: &str, span: DateSpan) -> DateSpan {
    match kind.trim() {
        "custom" => period::previous(span),
        kind => Bucket {
            first: month_of(span.from),
            months: Grain::of_period(kind).months(),
        }
        .before()
        .span(),
    }
}

/// The change from `before` to `now` as a share (0.25 is +25 %); none when
/// there was nothing before, since a change from nothing has no size.
pub fn change(now: i64, before: i64) -> Option<f64> {
    (before != 0).then(|| (now - before) as f64 / before.abs() as f64)
}

/// Each owner's credit of `amount` by their percent, in cents that add up
/// to `amount` exactly: each gets the rounded-down share, and the cents
/// left go one each to the largest remainders (earlier owners first on a
/// tie). Percents that do not add up to 100 are taken in proportion.
pub fn credit(amount: Cents, shares: &[OwnerShare]) -> Vec<Cents> {
    let total: i128 = shares.iter().map(|s| i128::from(s.percent)).sum();
    if total == 0 {
        return shares
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { amount } else { Cents(0) })
            .collect();
    }
    let whole = i128::from(amount.0);
    let mut parts: Vec<(i64, i128)> = shares
        .iter()
        .map(|s| {
            let exact = whole * i128::from(s.percent);
            (exact.div_euclid(total) as i64, exact.rem_euclid(total))
        })
        .collect();
    let mut left = amount.0 - parts.iter().map(|p| p.0).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].0 += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| Cents(p.0)).collect()
}

/// `part / whole`, none of nothing.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn shares(percents: &[u8]) -> Vec<OwnerShare> {
        percents
            .iter()
            .enumerate()
            .map(|(i, &percent)| OwnerShare {
                user: Id(i as u128 + 1),
                percent,
            })
            .collect()
    }

    #[test]
    fn months_are_numbers_and_back() {
        let march = month_of(d(2026, 3, 17));
        assert_eq!(first_day(march), d(2026, 3, 1));
        assert_eq!(last_day(march), d(2026, 3, 31));
        assert_eq!(last_day(month_of(d(2028, 2, 10))), d(2028, 2, 29));
        assert_eq!(last_day(month_of(d(2026, 2, 10))), d(2026, 2, 28));
        assert_eq!(first_day(march - 3), d(2025, 12, 1));
    }

    #[test]
    fn a_trend_ends_with_the_period_of_its_last_day() {
        let months = trend(Grain::Month, d(2026, 2, 14));
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].key(), "2025-03");
        assert_eq!(months[11].key(), "2026-02");
        assert_eq!(
            months[11].span(),
            DateSpan {
                from: d(2026, 2, 1),
                to: d(2026, 2, 28)
            }
        );
        let quarters = trend(Grain::Quarter, d(2026, 8, 14));
        assert_eq!(quarters.len(), 8);
        assert_eq!(quarters[7].key(), "2026-Q3");
        assert_eq!(quarters[0].key(), "2024-Q4");
        assert_eq!(trend(Grain::Half, d(2026, 8, 14))[5].key(), "2026-H2");
        assert_eq!(trend(Grain::Half, d(2026, 6, 30))[5].key(), "2026-H1");
        let years = trend(Grain::Year, d(2026, 8, 14));
        assert_eq!(years[0].key(), "2022");
        assert_eq!(
            years[4].span(),
            DateSpan {
                from: d(2026, 1, 1),
                to: d(2026, 12, 31)
            }
        );
    }

    #[test]
    fn comparisons_are_the_period_before_and_a_year_earlier() {
        let february = Bucket {
            first: month_of(d(2026, 2, 1)),
            months: 1,
        };
        assert_eq!(february.before().key(), "2026-01");
        assert_eq!(february.year_before().key(), "2025-02");
        let q1 = trend(Grain::Quarter, d(2026, 2, 1))[7];
        assert_eq!(q1.before().key(), "2025-Q4");
        assert_eq!(q1.year_before().key(), "2025-Q1");
        // February a year before a leap year's February: 28 days.
        let leap = Bucket {
            first: month_of(d(2028, 2, 1)),
            months: 1,
        };
        assert_eq!(leap.year_before().span().to, d(2027, 2, 28));
        assert_eq!(leap.span().to, d(2028, 2, 29));
    }

    #[test]
    fn a_custom_range_shows_its_months() {
        let months = months_of(DateSpan {
            from: d(2025, 11, 20),
            to: d(2026, 2, 3),
        });
        let keys: Vec<String> = months.iter().map(|b| b.key()).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let long = months_of(DateSpan {
            from: d(2016, 1, 1),
            to: d(2026, 2, 3),
        });
        assert_eq!(long.len(), 36);
        assert_eq!(long[35].key(), "2026-02");
    }

    #[test]
    fn change_against_nothing_is_none() {
        // ¥120,000 against ¥100,000: +20 %.
        assert_eq!(change(12_000_000, 10_000_000), Some(0.2));
        assert_eq!(change(5_000_000, 10_000_000), Some(-0.5));
        // A month with no data last year has no 同比.
        assert_eq!(change(5_000_000, 0), None);
        assert_eq!(change(0, 10_000_000), Some(-1.0));
    }

    #[test]
    fn credit_adds_up_to_the_amount() {
        // 70/30 of ¥10,000.00.
        assert_eq!(
            credit(Cents(1_000_000), &shares(&[70, 30])),
            [Cents(700_000), Cents(300_000)]
        );
        // A third each of ¥100.00: 33.34, 33.33, 33.33.
        assert_eq!(
            credit(Cents(10_000), &shares(&[34, 33, 33])),
            [Cents(3_400), Cents(3_300), Cents(3_300)]
        );
        // 0.01 split 50/50: the first owner gets the cent.
        assert_eq!(credit(Cents(1), &shares(&[50, 50])), [Cents(1), Cents(0)]);
        // ¥0.05 at 70/30: 3.5 and 1.5 cents; the tie goes to the lead.
        assert_eq!(credit(Cents(5), &shares(&[70, 30])), [Cents(4), Cents(1)]);
        // ¥0.07 at 60/25/15: 4.2, 1.75, 1.05 → 4, 2, 1.
        let parts = credit(Cents(7), &shares(&[60, 25, 15]));
        assert_eq!(parts, [Cents(4), Cents(2), Cents(1)]);
        assert_eq!(credit(Cents(999), &shares(&[100])), [Cents(999)]);
        assert_eq!(credit(Cents(999), &shares(&[0])), [Cents(999)]);
    }
}
