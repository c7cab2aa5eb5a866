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

/// Whose customer: its owner, `None` for the public pool.
pub type Owner = Option<Id>;

/// What one owner's customers add up to on one day (in the company's time
/// zone): those created that day, and of them how many have won since;
/// the first wins that fell on that day, and their amounts.
#[derive(Clone, Copy, Debug, Default)]
struct DayTally {
    new_customers: u32,
    converted: u32,
    first_deals: u32,
    first_total: i64,
}

/// The deals of one set of owners won on one day.
#[derive(Clone, Copy, Debug, Default)]
struct WonTally {
    won_deals: u32,
    cycle_days: f64,
    follow_ups: u32,
}

/// One owner's customers created in one year.
#[derive(Clone, Debug, Default)]
struct YearTally {
    customers: u32,
    /// Per type, by `Tallies::types`' index.
    by_type: Vec<u32>,
    won: u32,
    days_to_first_win: f64,
}

#[derive(Debug, Default)]
struct OwnerTallies {
    days: BTreeMap<NaiveDate, DayTally>,
    years: BTreeMap<i32, YearTally>,
    /// Customers created per (year, month), per type as in `YearTally`.
    months: BTreeMap<(i32, u32), Vec<u32>>,
}

/// The customer KPIs and cohorts summed per owner and day, so a report
/// adds up the owners and days it covers (a few thousand sums) instead of
/// reading every customer and deal (100,000 and 50,000 rows on `large`:
/// 16–22 ms a request, one thread). Whose numbers a report shows is a
/// question asked of each owner, and of each set of deal owners, when it
/// is read, so one set of tallies serves every viewer.
#[derive(Debug)]
pub struct Tallies {
    zone: Tz,
    types: Vec<String>,
    owners: HashMap<Owner, OwnerTallies>,
    won: HashMap<Box<[Id]>, BTreeMap<NaiveDate, WonTally>>,
}

fn slot(counts: &mut Vec<u32>, index: usize) -> &mut u32 {
    if counts.len() <= index {
        counts.resize(index + 1, 0);
    }
    &mut counts[index]
}

impl Tallies {
    /// Empty tallies whose days are those of `zone`.
    pub fn new(zone: Tz) -> Self {
        Tallies {
            zone,
            types: Vec::new(),
            owners: HashMap::new(),
            won: HashMap::new(),
        }
    }

    fn day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    fn type_index(&mut self, code: &str) -> usize {
        match self.types.iter().position(|t| t == code) {
            Some(i) => i,
            None => {
                self.types.push(code.to_string());
                self.types.len() - 1
            }
        }
    }

    pub fn add_customer(&mut self, owner: Owner, customer: CustomerFacts) {
        let created = self.day(customer.created_at);
        let kind = self.type_index(customer.customer_type);
        let first_win = customer
            .first_win
            .map(|(at, amount)| (self.day(at), at, amount));
        let tallies = self.owners.entry(owner).or_default();
        let day = tallies.days.entry(created).or_default();
        day.new_customers += 1;
        day.converted += u32::from(first_win.is_some());
        let year = tallies.years.entry(created.year()).or_default();
        year.customers += 1;
        *slot(&mut year.by_type, kind) += 1;
        if let Some((won_on, won_at, amount)) = first_win {
            year.won += 1;
            year.days_to_first_win += days(customer.created_at, won_at).max(0.0);
            let day = tallies.days.entry(won_on).or_default();
            day.first_deals += 1;
            day.first_total += amount.0;
        }
        let month = tallies
            .months
            .entry((created.year(), created.month()))
            .or_default();
        *slot(month, kind) += 1;
    }

    /// A won deal of `owners` (lead owner first, as the deal has them).
    pub fn add_won_deal(&mut self, owners: &[Id], deal: WonDeal) {
        let day = self.day(deal.won_at);
        let tally = self
            .won
            .entry(owners.into())
            .or_default()
            .entry(day)
            .or_default();
        tally.won_deals += 1;
        tally.cycle_days += days(deal.created_at, deal.won_at);
        tally.follow_ups += deal.follow_ups;
    }

    /// The KPIs of `span` over the customers of the owners `customers`
    /// accepts and the deals of the owner sets `deals` accepts.
    pub fn figures(
        &self,
        span: DateSpan,
        customers: impl Fn(Owner) -> bool,
        deals: impl Fn(&[Id]) -> bool,
    ) -> KpiFigures {
        let mut out = KpiFigures {
            period: span,
            ..Default::default()
        };
        let days = span.from..=span.to;
        let mut first_total = 0i64;
        for (_, tallies) in self.owners.iter().filter(|(owner, _)| customers(**owner)) {
            for day in tallies.days.range(days.clone()).map(|(_, d)| d) {
                out.new_customers += day.new_customers;
                out.converted += day.converted;
                out.first_deals += day.first_deals;
                first_total += day.first_total;
            }
        }
        let mut cycle_days = 0.0;
        for (_, by_day) in self.won.iter().filter(|(owners, _)| deals(owners)) {
            for won in by_day.range(days.clone()).map(|(_, w)| w) {
                out.won_deals += won.won_deals;
                cycle_days += won.cycle_days;
                out.follow_ups += won.follow_ups;
            }
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

    /// For each type of these tallies, its column in `types`.
    fn columns(&self, types: &[String]) -> Vec<Option<usize>> {
        self.types.iter().map(|code| column(types, code)).collect()
    }

    /// Each year's customers (the year they were created) of the owners
    /// `customers` accepts, by the type they have now, in `types`' order,
    /// with how many won a deal and the average days from creation to the
    /// first win. Oldest year first.
    pub fn cohorts(&self, types: &[String], customers: impl Fn(Owner) -> bool) -> Vec<Cohort> {
        let columns = self.columns(types);
        let mut years: BTreeMap<i32, (Cohort, f64)> = BTreeMap::new();
        for (_, tallies) in self.owners.iter().filter(|(owner, _)| customers(**owner)) {
            for (&year, tally) in &tallies.years {
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
                cohort.customers += tally.customers;
                cohort.won += tally.won;
                *days_sum += tally.days_to_first_win;
                add_by_column(&mut cohort.counts, &tally.by_type, &columns);
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

    /// Customers of the owners `customers` accepts created in each of
    /// `months`, by type in `types`' order.
    pub fn created_by_month(
        &self,
        types: &[String],
        months: &[(i32, u32)],
        customers: impl Fn(Owner) -> bool,
    ) -> Vec<CreatedMonth> {
        let columns = self.columns(types);
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
        let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
            return out;
        };
        let index: HashMap<(i32, u32), usize> =
            months.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        for (_, tallies) in self.owners.iter().filter(|(owner, _)| customers(**owner)) {
            for (month, by_type) in tallies.months.range(first..=last) {
                if let Some(&i) = index.get(month) {
                    add_by_column(&mut out[i].counts, by_type, &columns);
                }
            }
        }
        out
    }
}

/// Adds counts per type of the tallies into counts per column.
fn add_by_column(out: &mut [u32], by_type: &[u32], columns: &[Option<usize>]) {
    for (n, column) in by_type.iter().zip(columns) {
        if let Some(slot) = column.and_then(|c| out.get_mut(c)) {
            *slot += n;
        }
    }
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

    fn shanghai() -> Tz {
        super::super::time::zone("Asia/Shanghai")
    }

    /// Tallies of the pool's customers and of deals without owners.
    fn tallies<'a>(
        customers: impl IntoIterator<Item = CustomerFacts<'a>>,
        won: &[WonDeal],
    ) -> Tallies {
        let mut tallies = Tallies::new(shanghai());
        for c in customers {
            tallies.add_customer(None, c);
        }
        for &deal in won {
            tallies.add_won_deal(&[], deal);
        }
        tallies
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
        let tallies = tallies(customers, &won);
        let kpis = tallies.figures(march, |_| true, |_| true);
        assert_eq!(kpis.new_customers, 3);
        assert_eq!(kpis.converted, 1);
        assert_eq!(kpis.conversion_rate, Some(1.0 / 3.0));
        assert_eq!(kpis.won_deals, 2);
        assert_eq!(kpis.average_cycle_days, Some(20.0), "(10 + 30) / 2");
        assert_eq!(kpis.follow_ups, 11);
        assert_eq!(kpis.follow_ups_per_won_deal, Some(5.5));
        assert_eq!(kpis.first_deals, 1);
        assert_eq!(kpis.first_deal_value, Some(Cents(3_000_000)));

        let april_2020 = DateSpan {
            from: d(2020, 4, 1),
            to: d(2020, 4, 30),
        };
        let empty = tallies.figures(april_2020, |_| true, |_| true);
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
        let span = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        // 1.5 cents rounds up to 2.
        assert_eq!(
            tallies(customers, &[])
                .figures(span, |_| true, |_| true)
                .first_deal_value,
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
        let rows = tallies(customers, &[]).cohorts(&types(), |_| true);
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
        let tallies = tallies([late], &[]);
        assert_eq!(tallies.cohorts(&types(), |_| true)[0].year, 2026);
        let months = tallies.created_by_month(&types(), &[(2025, 12), (2026, 1)], |_| true);
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
        let counted = tallies(
            [
                customer("2026-03-02", "signed", None),
                customer("2026-03-09", "agent", None),
                customer("2026-03-09", "agent", None),
                customer("2024-03-09", "agent", None),
            ],
            &[],
        )
        .created_by_month(&types(), &months, |_| true);
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

    /// Li owns two customers, Wang one and the pool one; Li won a deal
    /// alone and one with Wang.
    #[test]
    fn a_report_adds_up_only_the_owners_and_deal_owners_it_is_asked_for() {
        let (li, wang) = (Id(1), Id(2));
        let mut tallies = Tallies::new(shanghai());
        tallies.add_customer(
            Some(li),
            customer("2026-03-02", "signed", Some(("2026-03-20", 500))),
        );
        tallies.add_customer(Some(li), customer("2026-03-03", "potential", None));
        tallies.add_customer(Some(wang), customer("2026-03-04", "agent", None));
        tallies.add_customer(None, customer("2026-03-05", "potential", None));
        let deal = |won: &str, follow_ups| WonDeal {
            created_at: at("2026-03-01"),
            won_at: at(won),
            follow_ups,
        };
        tallies.add_won_deal(&[li], deal("2026-03-20", 3));
        tallies.add_won_deal(&[wang, li], deal("2026-03-21", 5));
        let march = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        let lis = tallies.figures(march, |o| o == Some(li), |owners| owners.contains(&li));
        assert_eq!(
            (lis.new_customers, lis.converted, lis.first_deals),
            (2, 1, 1)
        );
        assert_eq!((lis.won_deals, lis.follow_ups), (2, 8));
        let wangs = tallies.figures(march, |o| o == Some(wang), |owners| owners[0] == wang);
        assert_eq!(
            (wangs.new_customers, wangs.won_deals, wangs.follow_ups),
            (1, 1, 5)
        );
        let everyone = tallies.figures(march, |_| true, |_| true);
        assert_eq!(everyone.new_customers, 4);
        let not_pool = tallies.cohorts(&types(), |o| o.is_some());
        assert_eq!(not_pool[0].counts, vec![1, 1, 1, 0, 0]);
        let pool = tallies.created_by_month(&types(), &[(2026, 3)], |o| o.is_none());
        assert_eq!(pool[0].counts, vec![0, 1, 0, 0, 0]);
    }
}
