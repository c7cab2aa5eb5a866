//! The target planner (SPEC §6): from a revenue target, the average won
//! deal and the conversion rates visits → new customers → won deals, how
//! many deals, new customers and visits each quarter needs.
//!
//! Every count is rounded up, once, from the exact figure: half a
//! customer more is a whole customer to find, and rounding the deals
//! first would count too few visits when a rate is not a whole divisor.

use crate::model::{Cents, PlannerHistory, PlannerRates, QuarterPlan, Rate};

/// `a / b` rounded up; `b > 0`.
fn ceil_div(a: i128, b: i128) -> i128 {
    (a + b - 1).div_euclid(b)
}

/// What one quarter's `target` needs at `rates`; `None` when a figure is
/// zero (nothing can be worked out from it).
pub fn quarter(quarter: u32, target: Cents, rates: PlannerRates) -> Option<QuarterPlan> {
    if rates.deal_size.0 <= 0 || rates.visit_rate.0 == 0 || rates.win_rate.0 == 0 {
        return None;
    }
    let target_cents = i128::from(target.0.max(0));
    let size = i128::from(rates.deal_size.0);
    let (win, visit) = (i128::from(rates.win_rate.0), i128::from(rates.visit_rate.0));
    let deals = ceil_div(target_cents, size);
    // Customers = target / size / win rate, from the exact figure.
    let customers = ceil_div(target_cents * 10_000, size * win);
    let visits = ceil_div(target_cents * 10_000 * 10_000, size * win * visit);
    let count = |n: i128| u32::try_from(n).unwrap_or(u32::MAX);
    Some(QuarterPlan {
        quarter,
        target,
        deals: count(deals),
        new_customers: count(customers),
        visits: count(visits),
    })
}

/// The four quarters of a year's `quarters` targets.
pub fn plan(quarters: [Cents; 4], rates: PlannerRates) -> Vec<QuarterPlan> {
    (1..=4)
        .zip(quarters)
        .filter_map(|(q, target)| quarter(q, target, rates))
        .collect()
}

/// The rates the history shows: average won deal, new customers per
/// visit, won deals per new customer. `None` when a count is zero.
pub fn measured(history: &PlannerHistory) -> Option<PlannerRates> {
    if history.visits == 0 || history.new_customers == 0 || history.won_deals == 0 {
        return None;
    }
    let rate = |part: u32, whole: u32| {
        Rate(super::money::round_div(i128::from(part) * 10_000, i128::from(whole)) as u32)
    };
    Some(PlannerRates {
        deal_size: Cents(super::money::round_div(
            i128::from(history.won_amount.0),
            i128::from(history.won_deals),
        )),
        visit_rate: rate(history.new_customers, history.visits),
        win_rate: rate(history.won_deals, history.new_customers),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    #[test]
    fn planner_matches_the_worked_example() {
        // SPEC §6: the rep's share needs 4 new customers a quarter; with 1
        // in 4 visited prospects becoming a customer that is 16 visits.
        // ¥400,000 a quarter, ¥100,000 a won deal, one won deal per new
        // customer: 4 deals, 4 new customers, 16 visits.
        let rates = PlannerRates {
            deal_size: Cents(10_000_000),
            visit_rate: Rate(2_500),
            win_rate: Rate(10_000),
        };
        let q = quarter(1, Cents(40_000_000), rates).unwrap();
        assert_eq!((q.deals, q.new_customers, q.visits), (4, 4, 16));
    }

    #[test]
    fn counts_round_up_from_the_exact_figure() {
        // ¥250,000 at ¥100,000 a deal is 2.5 deals: 3. At 50 % won deals
        // per new customer, 5 customers; at 30 % of visits, 16.67: 17 visits.
        let rates = PlannerRates {
            deal_size: Cents(10_000_000),
            visit_rate: Rate(3_000),
            win_rate: Rate(5_000),
        };
        let q = quarter(2, Cents(25_000_000), rates).unwrap();
        assert_eq!((q.deals, q.new_customers, q.visits), (3, 5, 17));
        let nothing = PlannerRates {
            visit_rate: Rate(0),
            ..rates
        };
        assert_eq!(quarter(2, Cents(25_000_000), nothing), None);
        assert_eq!(plan([Cents(0); 4], rates)[3].visits, 0);
    }

    #[test]
    fn rates_are_measured_from_the_history() {
        let history = PlannerHistory {
            window: DateSpan::default(),
            visits: 40,
            new_customers: 10,
            won_deals: 5,
            won_amount: Cents(60_000_000),
        };
        assert_eq!(
            measured(&history),
            Some(PlannerRates {
                deal_size: Cents(12_000_000),
                visit_rate: Rate(2_500),
                win_rate: Rate(5_000),
            })
        );
        assert_eq!(
            measured(&PlannerHistory {
                visits: 0,
                ..history
            }),
            None
        );
    }
}
