//! Customer KPIs and cohorts (SPEC §5): new customers, how many of them
//! went on to win a deal, the sales cycle, follow-ups per won deal, the
//! value of first deals; customers created per month by type, and each
//! year's customers by the type they have now.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::period;
use crate::model::{Cents, Cohort, CreatedMonth, DateSpan, Id, KpiFigures};

/// What the KPIs need of a customer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CustomerFacts<'a> {
    pub created_at: DateTime<Utc>,
    pub customer_type: &'a str,
    /// When its first won deal was won, and that deal's amount.
    pub first_win: Option<(DateTime<Utc>, Cents)>,
}

/// A won deal, with the activities on its customer from its creation to
/// its win (counted by the caller, which has them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WonDeal {
    pub created_at: DateTime<Utc>,
    pub won_at: DateTime<Utc>,
    pub follow_ups: u32,
}

/// Hashes an id by folding its halves: ids are ULIDs, whose low half is
/// random, so nothing stronger is needed for a map the reports build and
/// read 100,000 times a request (SipHash was a fifth of a report's time).
#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = ((n as u64) ^ ((n >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Each customer's first won deal: (won at, amount).
pub type FirstWins = HashMap<Id, (DateTime<Utc>, Cents), std::hash::BuildHasherDefault<IdHasher>>;

/// Each customer's first won deal, (won at, amount), from every won deal
/// as (customer, won at, amount). On a tie, the larger amount: both were
/// the first order.
pub fn first_wins(deals: impl IntoIterator<Item = (Id, DateTime<Utc>, Cents)>) -> FirstWins {
    let mut first = FirstWins::default();
    for (customer, at, amount) in deals {
        first
            .entry(customer)
            .and_modify(|f| {
                if (at, std::cmp::Reverse(amount.0)) < (f.0, std::cmp::Reverse(f.1.0)) {
                    *f = (at, amount);
                }
            })
            .or_insert((at, amount));
    }
    first
}

fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

fn within(at: DateTime<Utc>, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    at >= start && at < end
}

/// The KPIs of `span`, whose instants are `start` (included) to `end`
/// (excluded): of `customers` those created in it and whose first win
/// falls in it, of `won` those won in it. Either may hold more.
pub fn figures(
    span: DateSpan,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    customers: &[CustomerFacts],
    won: &[WonDeal],
) -> KpiFigures {
    let mut out = KpiFigures {
        period: span,
        ..Default::default()
    };
    let mut first_total = 0i64;
    for c in customers {
        if within(c.created_at, start, end) {
            out.new_customers += 1;
            out.converted += u32::from(c.first_win.is_some());
        }
        if let Some((at, amount)) = c.first_win
            && within(at, start, end)
        {
            out.first_deals += 1;
            first_total += amount.0;
        }
    }
    let mut cycle_days = 0.0;
    for deal in won.iter().filter(|d| within(d.won_at, start, end)) {
        out.won_deals += 1;
        cycle_days += days(deal.created_at, deal.won_at);
        out.follow_ups += deal.follow_ups;
    }
    let per = |total: f64, n: u32| (n > 0).then(|| total / f64::from(n));
    out.conversion_rate = per(f64::from(out.converted), out.new_customers);
    out.average_cycle_days = per(cycle_days, out.won_deals);
    out.follow_ups_per_won_deal = per(f64::from(out.follow_ups), out.won_deals);
    out.first_deal_value = (out.first_deals > 0).then(|| {
        let n = i64::from(out.first_deals);
        // Rounded to the nearest cent, halves away from zero.
        Cents((2 * first_total + n).div_euclid(2 * n))
    });
    out
}

/// The column of `code` in `types`; a code not among them counts in the
/// last column when that is `""` (other types), else nowhere.
fn column(types: &[String], code: &str) -> Option<usize> {
    types.iter().position(|t| t == code).or_else(|| {
        types
            .last()
            .filter(|t| t.is_empty())
            .map(|_| types.len() - 1)
    })
}

/// Each year's customers (the year they were created, in `zone`) by the
/// type they have now, in `types`' order, with how many won a deal and
/// the average days from creation to the first win. Oldest year first.
pub fn cohorts<'a>(
    customers: impl IntoIterator<Item = CustomerFacts<'a>>,
    types: &[String],
    zone: Tz,
) -> Vec<Cohort> {
    let mut years: BTreeMap<i32, (Cohort, f64)> = BTreeMap::new();
    for c in customers {
        let year = c.created_at.with_timezone(&zone).year();
        let (cohort, days_sum) = years.entry(year).or_insert_with(|| {
            (
                Cohort {
                    year,
                    customers: 0,
                    counts: vec![0; types.len()],
                    won: 0,
                    average_days_to_first_win: None,
                },
                0.0,
            )
        });
        cohort.customers += 1;
        if let Some(slot) = column(types, c.customer_type).and_then(|i| cohort.counts.get_mut(i)) {
            *slot += 1;
        }
        if let Some((at, _)) = c.first_win {
            cohort.won += 1;
            *days_sum += days(c.created_at, at).max(0.0);
        }
    }
    years
        .into_values()
        .map(|(mut cohort, days_sum)| {
            cohort.average_days_to_first_win =
                (cohort.won > 0).then(|| days_sum / f64::from(cohort.won));
            cohort
        })
        .collect()
}

/// The months of `span`, and at least the twelve up to its last.
pub fn chart_months(span: DateSpan) -> Vec<(i32, u32)> {
    let last = (span.to.year(), span.to.month());
    let twelve_back = period::add_months(last.0, last.1, -11);
    let first = (span.from.year(), span.from.month()).min(twelve_back);
    let mut months = vec![first];
    while let Some(&(y, m)) = months.last()
        && (y, m) < last
    {
        months.push(period::add_months(y, m, 1));
    }
    months
}

/// Customers created in each of `months` (in `zone`) by type, in `types`'
/// order; customers created in other months are left out.
pub fn created_by_month<'a>(
    customers: impl IntoIterator<Item = CustomerFacts<'a>>,
    types: &[String],
    months: &[(i32, u32)],
    zone: Tz,
) -> Vec<CreatedMonth> {
    let index: HashMap<(i32, u32), usize> =
        months.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let mut out: Vec<CreatedMonth> = months
        .iter()
        .map(|&(y, m)| {
            let (ny, nm) = period::add_months(y, m, 1);
            CreatedMonth {
                month: period::month_key(y, m),
                from: period::first_of(y, m),
                to: period::first_of(ny, nm) - chrono::Duration::days(1),
                counts: vec![0; types.len()],
            }
        })
        .collect();
    for c in customers {
        let day: NaiveDate = c.created_at.with_timezone(&zone).date_naive();
        if let Some(&i) = index.get(&(day.year(), day.month()))
            && let Some(slot) =
                column(types, c.customer_type).and_then(|t| out[i].counts.get_mut(t))
        {
            *slot += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        format!("{text}T04:00:00Z").parse().unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn customer(
        created: &str,
        kind: &'static str,
        win: Option<(&str, i64)>,
    ) -> CustomerFacts<'static> {
        CustomerFacts {
            created_at: at(created),
            customer_type: kind,
            first_win: win.map(|(w, amount)| (at(w), Cents(amount))),
        }
    }

    fn types() -> Vec<String> {
        ["signed", "potential", "agent", "invalid", ""]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn the_first_win_is_the_earliest_won_deal_of_each_customer() {
        let (a, b) = (Id(1), Id(2));
        let first = first_wins([
            (a, at("2026-03-10"), Cents(500)),
            (a, at("2026-02-01"), Cents(300)),
            (b, at("2026-04-01"), Cents(100)),
            (b, at("2026-04-01"), Cents(900)),
        ]);
        assert_eq!(first[&a], (at("2026-02-01"), Cents(300)));
        assert_eq!(
            first[&b],
            (at("2026-04-01"), Cents(900)),
            "a tie: the larger"
        );
    }

    /// March 2026: three customers created (one of them has won since, in
    /// April), one created in February whose first win was in March;
    /// two deals won in March after 10 and 30 days with 4 and 7 follow-ups.
    #[test]
    fn kpis_of_a_month_match_the_hand_count() {
        let customers = [
            customer("2026-03-02", "signed", Some(("2026-04-05", 1_000_000))),
            customer("2026-03-15", "potential", None),
            customer("2026-03-31", "potential", None),
            customer("2026-02-10", "signed", Some(("2026-03-12", 3_000_000))),
            customer("2025-12-01", "signed", Some(("2026-01-12", 9_900_000))),
        ];
        let won = [
            WonDeal {
                created_at: at("2026-03-01"),
                won_at: at("2026-03-11"),
                follow_ups: 4,
            },
            WonDeal {
                created_at: at("2026-02-10"),
                won_at: at("2026-03-12"),
                follow_ups: 7,
            },
            WonDeal {
                created_at: at("2026-01-01"),
                won_at: at("2026-04-05"),
                follow_ups: 50,
            },
        ];
        let march = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        let start: DateTime<Utc> = "2026-02-28T16:00:00Z".parse().unwrap();
        let end: DateTime<Utc> = "2026-03-31T16:00:00Z".parse().unwrap();
        let kpis = figures(march, start, end, &customers, &won);
        assert_eq!(kpis.new_customers, 3);
        assert_eq!(kpis.converted, 1);
        assert_eq!(kpis.conversion_rate, Some(1.0 / 3.0));
        assert_eq!(kpis.won_deals, 2);
        assert_eq!(kpis.average_cycle_days, Some(20.0), "(10 + 30) / 2");
        assert_eq!(kpis.follow_ups, 11);
        assert_eq!(kpis.follow_ups_per_won_deal, Some(5.5));
        assert_eq!(kpis.first_deals, 1);
        assert_eq!(kpis.first_deal_value, Some(Cents(3_000_000)));

        let empty = figures(march, end, end, &customers, &won);
        assert_eq!(empty.conversion_rate, None);
        assert_eq!(empty.average_cycle_days, None);
        assert_eq!(empty.first_deal_value, None);
    }

    #[test]
    fn first_deal_value_averages_to_the_cent() {
        let customers = [
            customer("2026-01-02", "signed", Some(("2026-03-05", 1))),
            customer("2026-01-03", "signed", Some(("2026-03-06", 2))),
        ];
        let (start, end) = (at("2026-03-01"), at("2026-04-01"));
        let span = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        // 1.5 cents rounds up to 2.
        assert_eq!(
            figures(span, start, end, &customers, &[]).first_deal_value,
            Some(Cents(2))
        );
    }

    /// 2025: two signed (won after 10 and 20 days), one invalid; 2026: one
    /// potential and one of a type the columns do not name ("other").
    #[test]
    fn cohorts_count_each_years_customers_by_their_type_now() {
        let customers = [
            customer("2025-01-01", "signed", Some(("2025-01-11", 100))),
            customer("2025-06-01", "signed", Some(("2025-06-21", 100))),
            customer("2025-12-31", "invalid", None),
            customer("2026-02-01", "potential", None),
            customer("2026-02-03", "custom-1", None),
        ];
        let zone = super::super::time::zone("Asia/Shanghai");
        let rows = cohorts(customers, &types(), zone);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].year, 2025);
        assert_eq!(rows[0].customers, 3);
        assert_eq!(rows[0].counts, vec![2, 0, 0, 1, 0]);
        assert_eq!(rows[0].won, 2);
        assert_eq!(rows[0].average_days_to_first_win, Some(15.0));
        assert_eq!(rows[1].year, 2026);
        assert_eq!(rows[1].counts, vec![0, 1, 0, 0, 1]);
        assert_eq!(rows[1].average_days_to_first_win, None);
    }

    #[test]
    fn a_customer_created_on_new_years_eve_in_shanghai_belongs_to_the_new_year() {
        // 31 December 2025 20:00 UTC is 1 January 2026 04:00 in Shanghai.
        let late = CustomerFacts {
            created_at: "2025-12-31T20:00:00Z".parse().unwrap(),
            customer_type: "potential",
            first_win: None,
        };
        let zone = super::super::time::zone("Asia/Shanghai");
        assert_eq!(cohorts([late], &types(), zone)[0].year, 2026);
        let months = created_by_month([late], &types(), &[(2025, 12), (2026, 1)], zone);
        assert_eq!(months[0].counts[1], 0);
        assert_eq!(months[1].counts[1], 1);
    }

    #[test]
    fn months_are_the_periods_and_at_least_the_last_twelve() {
        let march = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        let months = chart_months(march);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], (2025, 4));
        assert_eq!(months[11], (2026, 3));
        let two_years = DateSpan {
            from: d(2024, 1, 1),
            to: d(2025, 12, 31),
        };
        assert_eq!(chart_months(two_years).len(), 24);
        let counted = created_by_month(
            [
                customer("2026-03-02", "signed", None),
                customer("2026-03-09", "agent", None),
                customer("2026-03-09", "agent", None),
                customer("2024-03-09", "agent", None),
            ],
            &types(),
            &months,
            super::super::time::zone("Asia/Shanghai"),
        );
        let last = counted.last().unwrap();
        assert_eq!(last.month, "2026-03");
        assert_eq!((last.from, last.to), (d(2026, 3, 1), d(2026, 3, 31)));
        assert_eq!(last.counts, vec![1, 0, 2, 0, 0]);
        assert_eq!(
            counted
                .iter()
                .map(|m| m.counts.iter().sum::<u32>())
                .sum::<u32>(),
            3
        );
    }
}
