//! Forecasts by expected close month (SPEC §5), two ways: each open deal's
//! amount times its owner's confidence, in the month it is expected to
//! close; and the stage-transition model, which learns from the stage
//! history how often each stage leads to the next and how long deals stay,
//! and expects the amount in each stage to close as those say.

use chrono::{Datelike, NaiveDate};

use super::funnel::StageExits;
use super::period::add_months;
use crate::model::{Cents, Stage};

/// Average days in a month, for stays measured in days.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// One open stage as the stage-transition model uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageStep {
    /// The share of deals leaving the stage that move on, 0–1.
    pub conversion: f64,
    /// Average stay in months.
    pub stay_months: f64,
}

/// The model's steps for the open stages `stages` (in order) from what the
/// history shows of them. A stage no deal has left yet falls back to its
/// default probabilities (the next stage's over its own; won is 100 %) and a
/// month's stay, so a new company still gets a forecast.
pub fn learn(stages: &[&Stage], exits: &[StageExits]) -> Vec<StageStep> {
    stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let learned = exits.get(i).copied().unwrap_or_default();
            let prior = || {
                let here = f64::from(stage.probability);
                let next = stages
                    .get(i + 1)
                    .map_or(100.0, |s| f64::from(s.probability));
                if here <= 0.0 {
                    0.5
                } else {
                    (next / here).min(1.0)
                }
            };
            StageStep {
                conversion: learned.conversion().unwrap_or_else(prior),
                stay_months: learned.average_days().unwrap_or(DAYS_PER_MONTH) / DAYS_PER_MONTH,
            }
        })
        .collect()
}

/// The stage-transition forecast for `horizon` months (index 0 is this
/// month, 1 the next) from the open `amounts` in each stage. A deal in
/// stage `i` wins with the product of the conversions from `i` on, and
/// closes after the rest of its stay in `i` (half the average: on average
/// a deal is halfway through) and the full stays of the later stages,
/// rounded to whole months (half a month up).
pub fn stage_transition(steps: &[StageStep], amounts: &[Cents], horizon: usize) -> Vec<Cents> {
    let mut months = vec![0f64; horizon];
    for (i, amount) in amounts.iter().enumerate().take(steps.len()) {
        let chance: f64 = steps[i..].iter().map(|s| s.conversion).product();
        let wait =
            steps[i].stay_months / 2.0 + steps[i + 1..].iter().map(|s| s.stay_months).sum::<f64>();
        let month = wait.round() as usize;
        if let Some(slot) = months.get_mut(month) {
            *slot += amount.0 as f64 * chance;
        }
    }
    months
        .into_iter()
        .map(|c| Cents(c.round() as i64))
        .collect()
}

/// The confidence forecast: `(amount, confidence %, expected close)` of each
/// open deal summed into `months` months from `first` (year, month); what
/// was expected before `first` is overdue, and deals with no date undated.
/// Returns (per month, overdue, undated).
pub fn by_confidence(
    deals: impl IntoIterator<Item = (Cents, u8, Option<NaiveDate>)>,
    first: (i32, u32),
    months: usize,
) -> (Vec<Cents>, Cents, Cents) {
    let mut out = vec![0i64; months];
    let (mut overdue, mut undated) = (0i64, 0i64);
    let start = first.0 * 12 + first.1 as i32 - 1;
    for (amount, confidence, close) in deals {
        let weighted = amount.0 as i128 * i128::from(confidence);
        let Some(close) = close else {
            undated += (weighted / 100) as i64;
            continue;
        };
        let index = close.year() * 12 + close.month() as i32 - 1 - start;
        if index < 0 {
            overdue += (weighted / 100) as i64;
        } else if let Some(slot) = out.get_mut(index as usize) {
            // Summed in hundredths of a cent, rounded once per month below.
            *slot += weighted as i64;
        }
    }
    let months = out
        .into_iter()
        .map(|c| Cents((c + 50).div_euclid(100)))
        .collect();
    (months, Cents(overdue), Cents(undated))
}

/// The (year, month) of each of `n` months from `first`.
pub fn months_from(first: (i32, u32), n: usize) -> Vec<(i32, u32)> {
    (0..n as i32)
        .map(|i| add_months(first.0, first.1, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::funnel::tests::pipeline;

    #[test]
    fn forecast_matches_stage_transition_example() {
        // SPEC, worked examples: potential → bidding → negotiation → won,
        // conversion 50 %, 80 %, 90 %, stays 2, 1, 1 months; open amounts
        // 500,000, 250,000 and 200,000.
        let steps = [
            StageStep {
                conversion: 0.5,
                stay_months: 2.0,
            },
            StageStep {
                conversion: 0.8,
                stay_months: 1.0,
            },
            StageStep {
                conversion: 0.9,
                stay_months: 1.0,
            },
        ];
        let yuan = |y: i64| Cents(y * 100);
        let amounts = [yuan(500_000), yuan(250_000), yuan(200_000)];
        let forecast = stage_transition(&steps, &amounts, 6);
        // This month nothing; next month 200,000 × 0.9; the month after
        // 250,000 × 0.8 × 0.9; the third 500,000 × 0.5 × 0.8 × 0.9.
        assert_eq!(
            forecast,
            [
                yuan(0),
                yuan(180_000),
                yuan(180_000),
                yuan(180_000),
                yuan(0),
                yuan(0)
            ]
        );
    }

    #[test]
    fn the_model_is_learned_from_exits_with_defaults_where_none() {
        let pipeline = pipeline();
        let open: Vec<&Stage> = pipeline.open_stages().collect();
        let exits = [
            StageExits {
                exits: 4,
                onward: 2,
                days: 4.0 * DAYS_PER_MONTH * 2.0,
            },
            StageExits::default(),
            StageExits {
                exits: 10,
                onward: 9,
                days: 10.0 * DAYS_PER_MONTH,
            },
        ];
        let steps = learn(&open, &exits);
        assert_eq!(
            steps[0],
            StageStep {
                conversion: 0.5,
                stay_months: 2.0
            }
        );
        // No exits from stage 2 (50 %): on to stage 3's 80 % would be 1.6, capped at 1.
        assert_eq!(
            steps[1],
            StageStep {
                conversion: 1.0,
                stay_months: 1.0
            }
        );
        assert!((steps[2].conversion - 0.9).abs() < 1e-12);
        assert!((steps[2].stay_months - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_forecast_beyond_the_horizon_is_left_out() {
        let slow = [StageStep {
            conversion: 1.0,
            stay_months: 20.0,
        }];
        assert_eq!(stage_transition(&slow, &[Cents(100)], 3), [Cents(0); 3]);
        // A short last stage closes this month.
        let quick = [StageStep {
            conversion: 0.5,
            stay_months: 0.5,
        }];
        assert_eq!(
            stage_transition(&quick, &[Cents(100)], 2),
            [Cents(50), Cents(0)]
        );
    }

    #[test]
    fn confidence_forecast_sums_weighted_amounts_per_expected_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let deals = [
            (Cents(100_000), 50, d(2026, 3, 10)),
            (Cents(20_000), 25, d(2026, 3, 31)),
            (Cents(10_000), 80, d(2026, 5, 1)),
            (Cents(40_000), 10, d(2026, 2, 27)),
            (Cents(7_000), 100, None),
            (Cents(99_999), 100, d(2027, 1, 1)),
        ];
        let (months, overdue, undated) = by_confidence(deals, (2026, 3), 3);
        assert_eq!(months, [Cents(55_000), Cents(0), Cents(8_000)]);
        assert_eq!(overdue, Cents(4_000));
        assert_eq!(undated, Cents(7_000));
        assert_eq!(
            months_from((2026, 11), 3),
            [(2026, 11), (2026, 12), (2027, 1)]
        );
    }
}
