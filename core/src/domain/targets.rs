//! Targets (SPEC §6): a year split into months, and progress month-,
//! quarter- and year-to-date against the actuals.
//!
//! Splitting follows the rounding rule of `money`: each month is the
//! exact cumulative share rounded once, minus the rounded cumulative
//! share before it, so the parts always add up to the year and none is
//! more than a cent from its exact share.

use chrono::{Datelike, Duration, NaiveDate};

use super::money::round_div;
use super::period;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, DateSpan, PeriodProgress, ProgressPeriod, Rate};

/// The years a target may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `total` in parts proportional to `weights` (negative weights count as
/// zero; all zero: equal parts). The parts add up to `total`.
pub fn split(total: Cents, weights: &[i64]) -> Vec<Cents> {
    let weights: Vec<i128> = if weights.iter().any(|w| *w > 0) {
        weights.iter().map(|w| i128::from((*w).max(0))).collect()
    } else {
        vec![1; weights.len()]
    };
    let sum: i128 = weights.iter().sum();
    let mut parts = Vec::with_capacity(weights.len());
    let (mut cumulative, mut before) = (0i128, 0i64);
    for w in weights {
        cumulative += w;
        let upto = round_div(i128::from(total.0) * cumulative, sum);
        parts.push(Cents(upto - before));
        before = upto;
    }
    parts
}

/// Twelve equal months.
pub fn split_evenly(total: Cents) -> Vec<Cents> {
    split(total, &[1; 12])
}

/// Months as typed: twelve, none negative, adding up to `total`
/// (`Error::MonthsMismatch` says by how much they do not).
pub fn check_months(total: Cents, months: &[Cents]) -> Result<()> {
    if months.len() != 12 {
        return Err(Error::invalid(Field::Months, Problem::Required));
    }
    if months.iter().any(|m| m.0 < 0) {
        return Err(Error::invalid(Field::Months, Problem::Malformed));
    }
    let sum: i64 = months.iter().map(|m| m.0).sum();
    if sum != total.0 {
        return Err(Error::MonthsMismatch {
            difference: Cents(sum - total.0),
        });
    }
    Ok(())
}

/// The day a target of `year` is counted to on `today`: today within the
/// year, its last day once it is over, its first before it begins.
pub fn as_of(year: i32, today: NaiveDate) -> NaiveDate {
    let first = period::first_of(year, 1);
    let last = period::first_of(year + 1, 1) - Duration::days(1);
    today.clamp(first, last)
}

/// Each month's sum of `actuals` in `year`, January first, counting days
/// up to `upto`.
pub fn monthly(actuals: &[(NaiveDate, Cents)], year: i32, upto: NaiveDate) -> Vec<Cents> {
    let mut months = vec![Cents(0); 12];
    for (day, amount) in actuals {
        if day.year() == year && *day <= upto {
            months[day.month0() as usize].0 += amount.0;
        }
    }
    months
}

fn sum_between(actuals: &[(NaiveDate, Cents)], from: NaiveDate, to: NaiveDate) -> Cents {
    Cents(
        actuals
            .iter()
            .filter(|(d, _)| *d >= from && *d <= to)
            .map(|(_, a)| a.0)
            .sum(),
    )
}

/// Progress of a target with `months` (January first) on `as_of` over the
/// month, quarter and year that hold it. `actuals` are dated amounts; those
/// of last year give the comparison (the same days a year earlier).
pub fn progress(
    months: &[Cents],
    actuals: &[(NaiveDate, Cents)],
    as_of: NaiveDate,
) -> [PeriodProgress; 3] {
    let m = as_of.month0() as usize;
    let q = m / 3;
    let one = |kind: ProgressPeriod, first: usize, count: usize| {
        let (y, from_month) = (as_of.year(), first as u32 + 1);
        let (ny, nm) = period::add_months(y, from_month, count as i32);
        let span = DateSpan {
            from: period::first_of(y, from_month),
            to: period::first_of(ny, nm) - Duration::days(1),
        };
        let target = Cents(months.iter().skip(first).take(count).map(|c| c.0).sum());
        let actual = sum_between(actuals, span.from, as_of);
        let ago = period::year_before(DateSpan {
            from: span.from,
            to: as_of,
        });
        let remaining = Cents((target.0 - actual.0).max(0));
        let days_left = (span.to - as_of).num_days().max(0) as u32;
        PeriodProgress {
            period: kind,
            span,
            target,
            actual,
            reached: (target.0 > 0)
                .then(|| Rate(round_div(i128::from(actual.0) * 10_000, target.0.into()) as u32)),
            last_year: sum_between(actuals, ago.from, ago.to),
            remaining,
            days_left,
            per_day_needed: (days_left > 0)
                .then(|| Cents(round_div(remaining.0.into(), days_left.into()))),
        }
    };
    [
        one(ProgressPeriod::Month, m, 1),
        one(ProgressPeriod::Quarter, q * 3, 3),
        one(ProgressPeriod::Year, 0, 12),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cents(v: &[i64]) -> Vec<Cents> {
        v.iter().map(|c| Cents(*c)).collect()
    }

    #[test]
    fn an_even_split_spreads_the_odd_cents_and_adds_up() {
        // ¥100.05 / 12 = 833.75 cents a month. The running shares
        // 833.75, 1,667.5, 2,501.25, 3,335, … round to 834, 1,668, 2,501,
        // 3,335, …: a month is 834 but where a quarter cent rounds down.
        let months = split_evenly(Cents(10_005));
        assert_eq!(
            months,
            cents(&[834, 834, 833, 834, 834, 834, 833, 834, 834, 834, 833, 834])
        );
        assert_eq!(months.iter().map(|c| c.0).sum::<i64>(), 10_005);
        assert_eq!(split_evenly(Cents(1_200_000)), vec![Cents(100_000); 12]);
    }

    #[test]
    fn a_proportional_split_follows_last_year_and_still_adds_up() {
        // ¥100.00 over last year's 1 : 1 : 1 is 33.33 / 33.34 / 33.33:
        // running shares 3,333.33 → 3,333, 6,666.67 → 6,667, 10,000.
        assert_eq!(
            split(Cents(10_000), &[1, 1, 1]),
            cents(&[3_333, 3_334, 3_333])
        );
        // ¥1,200.00 over last year's months 2 : 1 : 0 : 1 (¥400 of them
        // in total): half, a quarter, nothing, a quarter.
        assert_eq!(
            split(Cents(120_000), &[20_000, 10_000, 0, 10_000]),
            cents(&[60_000, 30_000, 0, 30_000])
        );
        // ¥10.00 by 1 : 2 : 4 (7 parts of 142.857… cents): 142.86 → 143,
        // 428.57 → 429 (286), 1000 (571).
        assert_eq!(split(Cents(1_000), &[1, 2, 4]), cents(&[143, 286, 571]));
        // No history: even.
        assert_eq!(split(Cents(300), &[0, 0, 0]), cents(&[100, 100, 100]));
    }

    #[test]
    fn months_must_add_up_to_the_year() {
        let mut months = split_evenly(Cents(1_200_000));
        assert_eq!(check_months(Cents(1_200_000), &months), Ok(()));
        months[3] = Cents(150_000);
        assert_eq!(
            check_months(Cents(1_200_000), &months),
            Err(Error::MonthsMismatch {
                difference: Cents(50_000)
            })
        );
        assert_eq!(
            check_months(Cents(1_200_000), &months[..11]),
            Err(Error::invalid(Field::Months, Problem::Required))
        );
    }

    /// A year of ¥120,000 (¥10,000 a month); ¥1,000 signed on each of the
    /// days listed, across the turn of 2026 into 2027.
    fn year_around_new_year() -> (Vec<Cents>, Vec<(NaiveDate, Cents)>) {
        let months = vec![Cents(1_000_000); 12];
        let days = [
            d(2026, 1, 10),
            d(2026, 1, 20),
            d(2026, 11, 30),
            d(2026, 12, 15),
            d(2026, 12, 31),
            d(2027, 1, 1),
            d(2027, 1, 5),
        ];
        (months, days.iter().map(|d| (*d, Cents(100_000))).collect())
    }

    #[test]
    fn to_date_figures_on_new_years_eve() {
        let (months, actuals) = year_around_new_year();
        let [m, q, y] = progress(&months, &actuals, d(2026, 12, 31));
        assert_eq!(
            m.span,
            DateSpan {
                from: d(2026, 12, 1),
                to: d(2026, 12, 31)
            }
        );
        assert_eq!((m.target, m.actual), (Cents(1_000_000), Cents(200_000)));
        assert_eq!(m.reached, Some(Rate(2_000)));
        assert_eq!(
            (m.remaining, m.days_left, m.per_day_needed),
            (Cents(800_000), 0, None)
        );
        assert_eq!(m.last_year, Cents(0));
        assert_eq!(q.span.from, d(2026, 10, 1));
        assert_eq!((q.target, q.actual), (Cents(3_000_000), Cents(300_000)));
        assert_eq!((y.target, y.actual), (Cents(12_000_000), Cents(500_000)));
        assert_eq!(y.reached, Some(Rate(417)));
    }

    #[test]
    fn to_date_figures_on_new_years_day_compare_with_the_same_days_last_year() {
        let (months, actuals) = year_around_new_year();
        let [m, q, y] = progress(&months, &actuals, d(2027, 1, 1));
        // Only 1 January 2027 counts; December 2026 is last year's.
        assert_eq!(m.actual, Cents(100_000));
        assert_eq!((q.actual, y.actual), (Cents(100_000), Cents(100_000)));
        // 1 January 2026 had nothing (the 10th is later).
        assert_eq!(
            (m.last_year, q.last_year, y.last_year),
            (Cents(0), Cents(0), Cents(0))
        );
        // ¥9,000 to go in the 30 days after the 1st: ¥300 a day.
        assert_eq!((m.remaining, m.days_left), (Cents(900_000), 30));
        assert_eq!(m.per_day_needed, Some(Cents(30_000)));
        // 89 days left of the quarter, 364 of the year.
        assert_eq!((q.days_left, y.days_left), (89, 364));
        // ¥119,000 over 364 days: ¥326.923… a day, ¥326.92.
        assert_eq!(y.per_day_needed, Some(Cents(32_692)));

        let [m, _, _] = progress(&months, &actuals, d(2027, 1, 20));
        assert_eq!(m.actual, Cents(200_000));
        // 1–20 January 2026: the 10th and the 20th.
        assert_eq!(m.last_year, Cents(200_000));
        assert_eq!(m.reached, Some(Rate(2_000)));
    }

    #[test]
    fn a_target_counts_to_a_day_within_its_year() {
        assert_eq!(as_of(2026, d(2027, 1, 5)), d(2026, 12, 31));
        assert_eq!(as_of(2027, d(2026, 12, 31)), d(2027, 1, 1));
        assert_eq!(as_of(2027, d(2027, 3, 8)), d(2027, 3, 8));
        let (_, actuals) = year_around_new_year();
        let mut expect = vec![Cents(0); 12];
        expect[0] = Cents(200_000);
        expect[10] = Cents(100_000);
        expect[11] = Cents(100_000);
        assert_eq!(monthly(&actuals, 2026, d(2026, 12, 20)), expect);
    }
}
