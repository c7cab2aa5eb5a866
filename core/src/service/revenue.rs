//! Revenue analytics (SPEC §5): revenue, payments received, expenses and
//! orders of a period against the period before and a year earlier, their
//! trend, their breakdowns, and the receivables trend.
//!
//! Who sees what: a contract's money (its revenue, its payments) as the
//! contract (`visibility::can_see_deal` over its owners), an expense as
//! the person who spent it. With a rep or team filter a contract counts by
//! the credit of that rep or team (a contract split 70/30 counts 70 % for
//! the first owner); without one, whole.
//!
//! Cost: the trend and the period's totals read the ledger's monthly sums
//! (O(months × credit splits)); the breakdowns walk the period's records
//! (O(contracts, payments and expenses in the period)). A report is kept
//! for the same ledger state, reader, filters and day: fifty people
//! opening the page between two writes share one working out.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::Guanxi;
use super::kept::{Asked, Kept};
use crate::domain::revenue::{self, Bucket, Grain, Month, first_day, last_day, month_of};
use crate::domain::{anomaly, money, period, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Cents, CollectionMonth, CollectionReport, DateSpan, Id, MoneyFigures, MoneyMetric, MoneyPeriod,
    MoneyReport, MoneyShare, ReportParams, User,
};
use crate::store::{MoneyLedger, MonthSums};

/// Customers a report lists.
const TOP_CUSTOMERS: usize = 10;
/// Rows of a breakdown, the last adding up the rest when there are more.
const BREAKDOWN_ROWS: usize = 12;

/// A money report's key: the ledger's generation and the store's changes,
/// the reader, the metric and the filters, the day.
type MoneyAsked = Asked<(Id, MoneyMetric, ReportParams)>;

pub(super) type KeptMoneyReports = Kept<MoneyAsked, Arc<MoneyReport>>;
pub(super) type KeptCollections = Kept<MoneyAsked, CollectionReport>;

/// Reports kept, for different readers and filters.
pub(super) const KEPT_REPORTS: usize = 32;

/// The report's filters, checked.
struct Scope {
    span: DateSpan,
    /// The span is a whole month, quarter, half-year or year: compared with
    /// the calendar period before it rather than as many days before.
    bucket: Option<Bucket>,
    grain: Grain,
    rep: Option<Id>,
    team: Option<String>,
}

/// How one reader with one set of filters counts money: per credit split
/// of the ledger, whether they see it and whose credit in it counts; per
/// person, whether their expenses count.
struct Lens {
    splits: Vec<Option<Vec<bool>>>,
    /// Per split: seen and counted whole (no filter, or every owner in
    /// it): the amount itself, no credit to work out.
    whole: Vec<bool>,
    spenders: HashMap<Id, bool>,
    users: HashMap<Id, User>,
}

impl Lens {
    /// The parts of `amount` credited to the owners of `split` that count,
    /// by owner; none when the reader may not see the split.
    fn parts(&self, ledger: &MoneyLedger, split: u32, amount: Cents) -> Option<Vec<(Id, Cents)>> {
        let mask = self.splits.get(split as usize)?.as_ref()?;
        let shares = &ledger.splits()[split as usize];
        if !mask.iter().any(|&m| m) {
            return None;
        }
        if mask.iter().all(|&m| m) && shares.len() == 1 {
            return Some(vec![(shares[0].user, amount)]);
        }
        Some(
            shares
                .iter()
                .zip(revenue::credit(amount, shares))
                .zip(mask)
                .filter(|(_, m)| **m)
                .map(|((s, part), _)| (s.user, part))
                .collect(),
        )
    }

    fn counted(&self, ledger: &MoneyLedger, split: u32, amount: Cents) -> Option<Cents> {
        if self.whole.get(split as usize).copied().unwrap_or(false) {
            return Some(amount);
        }
        self.parts(ledger, split, amount)
            .map(|parts| Cents(parts.iter().map(|p| p.1.0).sum()))
    }

    fn spender_counts(&self, spender: Id) -> bool {
        self.spenders.get(&spender).copied().unwrap_or(false)
    }

    fn team_of(&self, user: Id) -> String {
        self.users
            .get(&user)
            .and_then(|u| u.team.clone())
            .unwrap_or_default()
    }
}

/// Sums of one month as a reader counts them.
#[derive(Clone, Copy, Debug, Default)]
struct Counted {
    revenue: i64,
    orders: i64,
    received: i64,
    due: i64,
    expenses: i64,
}

impl Counted {
    fn add(&mut self, other: &Counted) {
        self.revenue += other.revenue;
        self.orders += other.orders;
        self.received += other.received;
        self.due += other.due;
        self.expenses += other.expenses;
    }

    fn figures(&self, span: DateSpan) -> MoneyFigures {
        MoneyFigures {
            span,
            revenue: Cents(self.revenue),
            orders: self.orders as u32,
            received: Cents(self.received),
            expenses: Cents(self.expenses),
            due: Cents(self.due),
        }
    }
}

/// Each month of `months` as `lens` counts it.
fn monthly(
    ledger: &MoneyLedger,
    lens: &Lens,
    months: std::ops::Range<Month>,
) -> BTreeMap<Month, Counted> {
    let mut out: BTreeMap<Month, Counted> = BTreeMap::new();
    for (month, split, sums) in ledger.month_sums(months.clone()) {
        let MonthSums {
            revenue,
            orders,
            received,
            due,
        } = *sums;
        let count = |amount: i64| lens.counted(ledger, split, Cents(amount)).map(|c| c.0);
        let Some(revenue) = count(revenue) else {
            continue;
        };
        let entry = out.entry(month).or_default();
        entry.revenue += revenue;
        entry.orders += orders;
        entry.received += count(received).unwrap_or(0);
        entry.due += count(due).unwrap_or(0);
    }
    for (month, spender, sum) in ledger.expense_sums(months) {
        if lens.spender_counts(spender) {
            out.entry(month).or_default().expenses += sum;
        }
    }
    out
}

/// The money of the days `from..=to` walked record by record: for the
/// part of a period that is not whole months (due is left out: it is
/// counted by whole months only).
fn walked(ledger: &MoneyLedger, lens: &Lens, from: NaiveDate, to: NaiveDate) -> Counted {
    let mut out = Counted::default();
    if from > to {
        return out;
    }
    for (_, _, c) in ledger.signed_between(from, to) {
        if let Some(amount) = lens.counted(ledger, c.split, c.amount) {
            out.revenue += amount.0;
            out.orders += 1;
        }
    }
    for (_, p) in ledger.payments_between(from, to) {
        if let Some(c) = ledger.contract(p.contract)
            && let Some(amount) = lens.counted(ledger, c.split, p.amount)
        {
            out.received += amount.0;
        }
    }
    for e in ledger.expenses_between(from, to) {
        if lens.spender_counts(e.spent_by) {
            out.expenses += e.amount.0;
        }
    }
    out
}

/// The money of `span`: whole months from the monthly sums, the days
/// before and after them walked.
fn figures_of(ledger: &MoneyLedger, lens: &Lens, span: DateSpan) -> MoneyFigures {
    let first = month_of(span.from) + i32::from(span.from.day() != 1);
    let end = month_of(span.to) + i32::from(last_day(month_of(span.to)) == span.to);
    if first >= end {
        return walked(ledger, lens, span.from, span.to).figures(span);
    }
    let mut total = Counted::default();
    for counted in monthly(ledger, lens, first..end).values() {
        total.add(counted);
    }
    // The days before the first whole month and after the last; either
    // may be none (`walked` of an empty range is nothing).
    let day_before = |day: NaiveDate| day.pred_opt().unwrap_or(day);
    total.add(&walked(
        ledger,
        lens,
        span.from,
        day_before(first_day(first)),
    ));
    total.add(&walked(ledger, lens, first_day(end), span.to));
    total.figures(span)
}

/// A breakdown: amounts and counts by key, largest first, with each
/// key's share of their sum.
#[derive(Default)]
struct Tally(HashMap<String, (String, i64, u32)>);

impl Tally {
    fn add(&mut self, key: String, name: impl FnOnce() -> String, amount: i64) {
        let entry = self.0.entry(key).or_insert_with(|| (name(), 0, 0));
        entry.1 += amount;
        entry.2 += 1;
    }

    /// The rows, largest first; past `limit`, the rest added up in one
    /// row keyed `*` (a chart of sixty regions reads as none).
    fn folded(self, limit: usize) -> Vec<MoneyShare> {
        let mut rows = self.rows(usize::MAX);
        if rows.len() > limit {
            let rest = rows.split_off(limit - 1);
            rows.push(MoneyShare {
                key: "*".into(),
                name: String::new(),
                amount: Cents(rest.iter().map(|r| r.amount.0).sum()),
                count: rest.iter().map(|r| r.count).sum(),
                share: Some(rest.iter().filter_map(|r| r.share).sum()),
            });
        }
        rows
    }

    fn rows(self, limit: usize) -> Vec<MoneyShare> {
        let total: i64 = self.0.values().map(|v| v.1).sum();
        let mut rows: Vec<MoneyShare> = self
            .0
            .into_iter()
            .map(|(key, (name, amount, count))| MoneyShare {
                key,
                name,
                amount: Cents(amount),
                count,
                share: revenue::share(amount, total),
            })
            .collect();
        rows.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.key.cmp(&b.key)));
        rows.truncate(limit);
        rows
    }
}

impl Guanxi {
    fn money_scope(&self, params: &ReportParams, today: NaiveDate) -> Result<Scope> {
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let kind = params.period.trim();
        let grain = Grain::of_period(kind);
        let bucket = (kind != "custom").then(|| Bucket {
            first: month_of(span.from),
            months: grain.months(),
        });
        let rep = match params.rep.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        Ok(Scope {
            span,
            bucket,
            grain,
            rep,
            team: Some(params.team.trim().to_string()).filter(|t| !t.is_empty()),
        })
    }

    fn money_lens(&self, me: &User, scope: &Scope, ledger: &MoneyLedger) -> Result<Lens> {
        let users = self.users_by_id()?;
        let counts = |user: &User| {
            scope.rep.is_none_or(|rep| user.id == rep)
                && scope
                    .team
                    .as_ref()
                    .is_none_or(|team| user.team.as_deref() == Some(team.as_str()))
        };
        let splits: Vec<Option<Vec<bool>>> = ledger
            .splits()
            .iter()
            .map(|shares| {
                let owners: Vec<&User> = shares.iter().filter_map(|s| users.get(&s.user)).collect();
                visibility::can_see_deal(me, &owners).then(|| {
                    shares
                        .iter()
                        .map(|s| users.get(&s.user).is_some_and(counts))
                        .collect()
                })
            })
            .collect();
        let whole = splits
            .iter()
            .map(|mask| mask.as_ref().is_some_and(|m| m.iter().all(|&m| m)))
            .collect();
        let spenders = users
            .values()
            .map(|u| (u.id, visibility::can_see(me, Some(u)) && counts(u)))
            .collect();
        Ok(Lens {
            splits,
            whole,
            spenders,
            users,
        })
    }

    /// The revenue, payments or expenses report of `params`' period for
    /// `me`: totals against the period before and a year earlier, the
    /// trend, and the breakdowns of `metric`.
    pub fn money_report(
        &self,
        me: &User,
        metric: MoneyMetric,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<MoneyReport> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        let today = now.with_timezone(&self.company_zone()).date_naive();
        let scope = self.money_scope(params, today)?;
        let changes = self.store.changes();
        let report = self.store.with_contract_index(|index| -> Result<_> {
            let asked = MoneyAsked {
                state: (index.generation(), changes),
                question: (me.id, metric, params.clone()),
                today,
            };
            self.money_kept.answer(asked, Asked::same_state, || {
                self.work_out_money(me, metric, &scope, index.ledger())
                    .map(Arc::new)
            })
        })??;
        Ok((*report).clone())
    }

    /// `money_report` worked out afresh, never from what is kept: what a
    /// request after a write pays (for the benchmarks).
    #[doc(hidden)]
    pub fn money_report_afresh(
        &self,
        me: &User,
        metric: MoneyMetric,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<MoneyReport> {
        let today = now.with_timezone(&self.company_zone()).date_naive();
        let scope = self.money_scope(params, today)?;
        self.store
            .with_contract_index(|index| self.work_out_money(me, metric, &scope, index.ledger()))?
    }

    fn work_out_money(
        &self,
        me: &User,
        metric: MoneyMetric,
        scope: &Scope,
        ledger: &MoneyLedger,
    ) -> Result<MoneyReport> {
        let lens = self.money_lens(me, scope, ledger)?;
        let span = scope.span;
        let (previous, year_before) = match scope.bucket {
            Some(b) => (b.before().span(), b.year_before().span()),
            None => (period::previous(span), period::year_before(span)),
        };
        let trend_buckets = match scope.bucket {
            Some(_) => revenue::trend(scope.grain, span.to),
            None => revenue::months_of(span),
        };
        let trend = self.money_trend(ledger, &lens, metric, &trend_buckets);
        let mut report = MoneyReport {
            metric,
            grain: match scope.bucket {
                Some(_) => scope.grain.code().to_string(),
                None => Grain::Month.code().to_string(),
            },
            current: figures_of(ledger, &lens, span),
            previous: figures_of(ledger, &lens, previous),
            last_year: figures_of(ledger, &lens, year_before),
            trend,
            by_rep: Vec::new(),
            by_team: Vec::new(),
            by_region: Vec::new(),
            by_customer_type: Vec::new(),
            by_product: Vec::new(),
            by_category: Vec::new(),
            top_customers: Vec::new(),
        };
        self.money_breakdowns(ledger, &lens, metric, span, &mut report)?;
        Ok(report)
    }

    /// Each bucket with the bucket before and the one a year earlier, read
    /// from one pass over the monthly sums they need; for months, a flag
    /// when the metric falls outside its usual band of the 12 months before.
    fn money_trend(
        &self,
        ledger: &MoneyLedger,
        lens: &Lens,
        metric: MoneyMetric,
        buckets: &[Bucket],
    ) -> Vec<MoneyPeriod> {
        let (Some(first), Some(last)) = (buckets.first(), buckets.last()) else {
            return Vec::new();
        };
        let from = (first.first - 12).min(first.before().first) - 12;
        let months = monthly(ledger, lens, from..last.end());
        let sum = |b: Bucket| {
            let mut total = Counted::default();
            for counted in months.range(b.first..b.end()).map(|(_, c)| c) {
                total.add(counted);
            }
            total.figures(b.span())
        };
        let value = |m: Month| {
            months.get(&m).map_or(0, |c| match metric {
                MoneyMetric::Revenue => c.revenue,
                MoneyMetric::Payments => c.received,
                MoneyMetric::Expenses => c.expenses,
            })
        };
        buckets
            .iter()
            .map(|&b| {
                let unusual = (b.months == 1)
                    .then(|| {
                        let history: Vec<f64> =
                            (b.first - 12..b.first).map(|m| value(m) as f64).collect();
                        anomaly::flag(value(b.first) as f64, &history)
                    })
                    .flatten()
                    .map(|(low, high)| (Cents(low.round() as i64), Cents(high.round() as i64)));
                MoneyPeriod {
                    key: b.key(),
                    now: sum(b),
                    before: sum(b.before()),
                    year_before: sum(b.year_before()),
                    unusual,
                }
            })
            .collect()
    }

    /// The period's breakdowns of `metric`, walking its records.
    fn money_breakdowns(
        &self,
        ledger: &MoneyLedger,
        lens: &Lens,
        metric: MoneyMetric,
        span: DateSpan,
        report: &mut MoneyReport,
    ) -> Result<()> {
        let names = self.user_names()?;
        let directory = self.store.directory();
        let (mut reps, mut teams, mut regions, mut types) = (
            Tally::default(),
            Tally::default(),
            Tally::default(),
            Tally::default(),
        );
        let (mut products, mut categories, mut customers) =
            (Tally::default(), Tally::default(), Tally::default());
        let rep_name = |id: Id| names.get(id).unwrap_or_default().to_string();
        let mut by_customer = |customer: Option<Id>, amount: i64| {
            let (region, kind) = customer
                .and_then(|c| directory.region_and_type(c))
                .unwrap_or(("", ""));
            regions.add(region.to_string(), String::new, amount);
            types.add(kind.to_string(), String::new, amount);
            if let Some(c) = customer {
                customers.add(
                    c.to_string(),
                    || directory.customer_name(c).unwrap_or_default(),
                    amount,
                );
            }
        };
        let mut credited = |parts: &[(Id, Cents)]| {
            for &(user, part) in parts {
                reps.add(user.to_string(), || rep_name(user), part.0);
                teams.add(lens.team_of(user), String::new, part.0);
            }
        };
        match metric {
            MoneyMetric::Revenue => {
                let mut lines: Vec<(Option<Id>, i64)> = Vec::new();
                for (_, _, c) in ledger.signed_between(span.from, span.to) {
                    let Some(parts) = lens.parts(ledger, c.split, c.amount) else {
                        continue;
                    };
                    let amount: i64 = parts.iter().map(|p| p.1.0).sum();
                    credited(&parts);
                    by_customer(Some(c.customer), amount);
                    for line in &c.lines {
                        // A filtered reader's credit of each line, in the
                        // contract's proportion; whole without filters.
                        let net = if amount == c.amount.0 || c.amount.0 == 0 {
                            line.net.0
                        } else {
                            money::round_div(
                                i128::from(line.net.0) * i128::from(amount),
                                i128::from(c.amount.0),
                            )
                        };
                        lines.push((line.product, net));
                    }
                }
                let catalogue: HashMap<Id, String> = self
                    .store
                    .products()?
                    .into_iter()
                    .map(|p| (p.id, format!("{} {}", p.code, p.name)))
                    .collect();
                for (product, net) in lines {
                    let key = product.map(|p| p.to_string()).unwrap_or_default();
                    let name = || {
                        product
                            .and_then(|p| catalogue.get(&p).cloned())
                            .unwrap_or_default()
                    };
                    products.add(key, name, net);
                }
            }
            MoneyMetric::Payments => {
                for (_, p) in ledger.payments_between(span.from, span.to) {
                    let Some(c) = ledger.contract(p.contract) else {
                        continue;
                    };
                    let Some(parts) = lens.parts(ledger, c.split, p.amount) else {
                        continue;
                    };
                    credited(&parts);
                    by_customer(Some(c.customer), parts.iter().map(|p| p.1.0).sum());
                }
            }
            MoneyMetric::Expenses => {
                for e in ledger.expenses_between(span.from, span.to) {
                    if !lens.spender_counts(e.spent_by) {
                        continue;
                    }
                    credited(&[(e.spent_by, e.amount)]);
                    categories.add(e.category.to_string(), String::new, e.amount.0);
                    by_customer(e.customer, e.amount.0);
                }
            }
        }
        drop(directory);
        report.by_rep = reps.folded(BREAKDOWN_ROWS);
        report.by_team = teams.folded(BREAKDOWN_ROWS);
        report.by_region = regions.folded(BREAKDOWN_ROWS);
        report.by_customer_type = types.folded(BREAKDOWN_ROWS);
        report.by_product = products.folded(BREAKDOWN_ROWS);
        report.by_category = categories.folded(BREAKDOWN_ROWS);
        report.top_customers = customers.rows(TOP_CUSTOMERS);
        Ok(())
    }

    /// The receivables trend: for each of the twelve months up to the end
    /// of `params`' period, what fell due, what came in, the collection
    /// rate (received ÷ due) and what was owed at the month's close.
    pub fn collection_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<CollectionReport> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        let today = now.with_timezone(&self.company_zone()).date_naive();
        let scope = self.money_scope(params, today)?;
        let changes = self.store.changes();
        self.store.with_contract_index(|index| {
            let asked = MoneyAsked {
                state: (index.generation(), changes),
                question: (me.id, MoneyMetric::Payments, params.clone()),
                today,
            };
            self.collection_kept.answer(asked, Asked::same_state, || {
                self.work_out_collection(me, &scope, index.ledger())
            })
        })?
    }

    fn work_out_collection(
        &self,
        me: &User,
        scope: &Scope,
        ledger: &MoneyLedger,
    ) -> Result<CollectionReport> {
        let lens = self.money_lens(me, scope, ledger)?;
        let last = month_of(scope.span.to);
        // Everything before the twelve months, to know what was owed
        // when they began: O(months on record × credit splits).
        let all = monthly(ledger, &lens, Month::MIN..last + 1);
        let mut owed: i64 = all
            .range(..last - 11)
            .map(|(_, c)| c.due - c.received)
            .sum();
        let months = (last - 11..=last)
            .map(|m| {
                let c = all.get(&m).copied().unwrap_or_default();
                owed += c.due - c.received;
                let bucket = Bucket {
                    first: m,
                    months: 1,
                };
                CollectionMonth {
                    month: bucket.key(),
                    span: bucket.span(),
                    due: Cents(c.due),
                    received: Cents(c.received),
                    collection_rate: revenue::share(c.received, c.due),
                    outstanding: Cents(owed),
                }
            })
            .collect();
        Ok(CollectionReport { months })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        ContractAction, ContractInput, CustomerInput, CustomerKind, ExpenseInput, InstallmentInput,
        OwnerShare, PaymentInput, PaymentMethod, ProductInput, QuoteLineInput, Role,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Noon on 15 March 2026 in Shanghai.
    fn mid_march() -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 3, 15, 12, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn params(period: &str) -> ReportParams {
        ReportParams {
            period: period.into(),
            ..Default::default()
        }
    }

    struct Company {
        gx: super::super::test_support::CheckedGuanxi,
        _dir: tempfile::TempDir,
        admin: User,
        li: User,
        zhao: User,
        shanghai: Id,
        guangzhou: Id,
        product: Id,
    }

    /// 李 (华东) and 赵 (华南), a customer each, and these contracts, all
    /// of one product at tax 0:
    /// - 2026-02-10, 李's customer, ¥100,000 split 李 70 / 赵 30, due
    ///   ¥60,000 on 10 Feb and ¥40,000 on 31 Mar, ¥40,000 paid 10 Mar;
    /// - 2025-03-05, 赵's customer, ¥30,000, 赵 alone, never paid;
    /// - 2026-03-03, 李's customer, ¥20,000, 李 alone;
    /// - a draft of ¥999 dated 4 March, which counts nowhere;
    ///
    /// and expenses: 李 ¥500 on 12 Mar for his customer, 赵 ¥300 on 20 Feb.
    fn company() -> Company {
        let (dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@example.cn", Role::Rep, Some("华东"));
        let zhao = person(&gx, &admin, "zhao@example.cn", Role::Rep, Some("华南"));
        let customer = |me: &User, name: &str, region: &str| {
            gx.create_customer(
                me,
                CustomerInput {
                    name: name.into(),
                    kind: CustomerKind::Company,
                    customer_type: "potential".into(),
                    region: Some(region.into()),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap()
            .id
        };
        let shanghai = customer(&li, "上海星辰", "上海");
        let guangzhou = customer(&zhao, "广州远航", "广州");
        let product = gx
            .create_product(
                &admin,
                ProductInput {
                    code: "SRV-1".into(),
                    name: "服务器".into(),
                    unit: "台".into(),
                    list_price: "10,000".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        Company {
            gx,
            _dir: dir,
            admin,
            li,
            zhao,
            shanghai,
            guangzhou,
            product,
        }
        .with_contracts()
    }

    impl Company {
        fn contract(
            &self,
            me: &User,
            customer: Id,
            units: &str,
            sign_date: NaiveDate,
            plan: Option<Vec<(NaiveDate, &str)>>,
        ) -> crate::model::Contract {
            self.gx
                .create_contract(
                    me,
                    customer,
                    ContractInput {
                        title: "服务器采购".into(),
                        lines: vec![QuoteLineInput {
                            product_id: Some(self.product),
                            quantity: units.into(),
                            ..Default::default()
                        }],
                        tax_rate: "0".into(),
                        sign_date: Some(sign_date),
                        plan: plan.map(|plan| {
                            plan.into_iter()
                                .map(|(due, amount)| InstallmentInput {
                                    due: Some(due),
                                    amount: amount.into(),
                                })
                                .collect()
                        }),
                        confirm_past: true,
                        ..Default::default()
                    },
                )
                .unwrap()
        }

        fn sign(&self, me: &User, c: &crate::model::Contract) -> crate::model::Contract {
            self.gx
                .contract_action(me, c.id, Some(c.version), ContractAction::Sign)
                .unwrap()
        }

        fn with_contracts(self) -> Company {
            let (li, zhao) = (&self.li, &self.zhao);
            let big = self.contract(
                li,
                self.shanghai,
                "10",
                d(2026, 2, 10),
                Some(vec![(d(2026, 2, 10), "60,000"), (d(2026, 3, 31), "40,000")]),
            );
            let big = self
                .gx
                .update_contract(
                    li,
                    big.id,
                    big.version,
                    ContractInput {
                        title: big.terms.title.clone(),
                        lines: big.terms.lines.iter().map(QuoteLineInput::from).collect(),
                        tax_rate: "0".into(),
                        sign_date: Some(big.terms.sign_date),
                        owners: vec![
                            OwnerShare {
                                user: li.id,
                                percent: 70,
                            },
                            OwnerShare {
                                user: zhao.id,
                                percent: 30,
                            },
                        ],
                        ..Default::default()
                    },
                )
                .unwrap();
            let big = self.sign(li, &big);
            self.gx
                .record_payment(
                    li,
                    big.id,
                    PaymentInput {
                        received_on: d(2026, 3, 10),
                        amount: "40,000".into(),
                        method: PaymentMethod::BankTransfer,
                        note: None,
                        installment: None,
                    },
                )
                .unwrap();
            let last_year = self.contract(zhao, self.guangzhou, "3", d(2025, 3, 5), None);
            self.sign(zhao, &last_year);
            let march = self.contract(li, self.shanghai, "2", d(2026, 3, 3), None);
            self.sign(li, &march);
            self.contract(li, self.shanghai, "1", d(2026, 3, 4), None);
            let expense = |me: &User, amount: &str, date: NaiveDate, customer| {
                self.gx
                    .create_expense(
                        me,
                        ExpenseInput {
                            amount: amount.into(),
                            category: "差旅".into(),
                            date,
                            spent_by: None,
                            note: None,
                            customer_id: customer,
                            deal_id: None,
                            contract_id: None,
                        },
                    )
                    .unwrap();
            };
            expense(li, "500", d(2026, 3, 12), Some(self.shanghai));
            expense(zhao, "300", d(2026, 2, 20), None);
            self
        }

        fn report(&self, me: &User, metric: MoneyMetric, params: &ReportParams) -> MoneyReport {
            self.gx
                .money_report(me, metric, params, mid_march())
                .unwrap()
        }
    }

    fn yuan(amount: i64) -> Cents {
        Cents(amount * 100)
    }

    #[test]
    fn a_month_against_the_month_before_and_last_year() {
        let co = company();
        let r = co.report(&co.admin, MoneyMetric::Revenue, &params("month"));
        assert_eq!(
            r.current.span,
            DateSpan {
                from: d(2026, 3, 1),
                to: d(2026, 3, 31)
            }
        );
        assert_eq!(
            (
                r.current.revenue,
                r.current.orders,
                r.current.received,
                r.current.expenses
            ),
            (yuan(20_000), 1, yuan(40_000), yuan(500))
        );
        // The draft of 4 March counts nowhere; installments falling due in
        // March: ¥20,000 of the March contract and ¥40,000 of the big one.
        assert_eq!(r.current.due, yuan(60_000));
        // 环比 is February, the calendar month (28 days), not 31 days back.
        assert_eq!(
            r.previous.span,
            DateSpan {
                from: d(2026, 2, 1),
                to: d(2026, 2, 28)
            }
        );
        assert_eq!(
            (r.previous.revenue, r.previous.expenses),
            (yuan(100_000), yuan(300))
        );
        assert_eq!(r.last_year.revenue, yuan(30_000));
        assert_eq!(
            revenue::change(r.current.revenue.0, r.last_year.revenue.0),
            Some(-1.0 / 3.0)
        );
        assert_eq!(
            revenue::change(r.current.revenue.0, r.previous.revenue.0),
            Some(-0.8)
        );

        // The trend: the twelve months to March, each with its 同比 and 环比.
        assert_eq!(r.grain, "month");
        let keys: Vec<&str> = r.trend.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.first(), Some(&"2025-04"));
        assert_eq!(keys.last(), Some(&"2026-03"));
        let february = &r.trend[10];
        assert_eq!(february.key, "2026-02");
        assert_eq!(february.now.revenue, yuan(100_000));
        assert_eq!(february.now.span.to, d(2026, 2, 28));
        // February 2025 had nothing: no 同比 to speak of.
        assert_eq!(february.year_before.revenue, Cents(0));
        assert_eq!(revenue::change(february.now.revenue.0, 0), None);
        assert_eq!(february.before.revenue, Cents(0));
        let march = &r.trend[11];
        assert_eq!(march.year_before.revenue, yuan(30_000));
        assert_eq!(march.before.revenue, yuan(100_000));
        assert_eq!(march.now, r.current);
    }

    #[test]
    fn a_split_contract_credits_each_rep_their_share() {
        let co = company();
        let quarter = params("quarter");
        let r = co.report(&co.admin, MoneyMetric::Revenue, &quarter);
        assert_eq!(r.current.revenue, yuan(120_000));
        let rows = |rows: &[MoneyShare]| -> Vec<(String, Cents)> {
            rows.iter().map(|r| (r.key.clone(), r.amount)).collect()
        };
        assert_eq!(
            rows(&r.by_rep),
            [
                (co.li.id.to_string(), yuan(90_000)),
                (co.zhao.id.to_string(), yuan(30_000))
            ]
        );
        assert_eq!(r.by_rep[0].share, Some(0.75));
        assert_eq!(
            rows(&r.by_team),
            [("华东".into(), yuan(90_000)), ("华南".into(), yuan(30_000))]
        );
        assert_eq!(rows(&r.by_region), [("上海".into(), yuan(120_000))]);
        assert_eq!(
            rows(&r.by_customer_type),
            [("potential".into(), yuan(120_000))]
        );
        assert_eq!(
            rows(&r.by_product),
            [(co.product.to_string(), yuan(120_000))]
        );
        assert_eq!(r.by_product[0].name, "SRV-1 服务器");
        assert_eq!(r.top_customers[0].name, "上海星辰");
        assert_eq!(r.top_customers[0].share, Some(1.0));

        // 赵's numbers: 30 % of the big one now, his own a year ago.
        let zhao_only = ReportParams {
            rep: co.zhao.id.to_string(),
            ..quarter.clone()
        };
        let r = co.report(&co.admin, MoneyMetric::Revenue, &zhao_only);
        assert_eq!(r.current.revenue, yuan(30_000));
        assert_eq!(r.last_year.revenue, yuan(30_000));
        assert_eq!(
            rows(&r.by_product),
            [(co.product.to_string(), yuan(30_000))]
        );
        let south = ReportParams {
            team: "华南".into(),
            ..quarter.clone()
        };
        assert_eq!(
            co.report(&co.admin, MoneyMetric::Revenue, &south)
                .current
                .revenue,
            yuan(30_000)
        );

        // Payments follow their contract's split: ¥40,000 as 28,000 / 12,000.
        let r = co.report(&co.admin, MoneyMetric::Payments, &quarter);
        assert_eq!(r.current.received, yuan(40_000));
        assert_eq!(
            rows(&r.by_rep),
            [
                (co.li.id.to_string(), yuan(28_000)),
                (co.zhao.id.to_string(), yuan(12_000))
            ]
        );
        let r = co.report(&co.admin, MoneyMetric::Expenses, &quarter);
        assert_eq!(rows(&r.by_category), [("差旅".into(), yuan(800))]);
        assert_eq!(r.by_rep[0].key, co.li.id.to_string());
    }

    #[test]
    fn reps_see_the_money_of_their_own_contracts_and_expenses() {
        let co = company();
        let quarter = params("quarter");
        // 赵 is on the big contract, not on 李's March one.
        let r = co.report(&co.zhao, MoneyMetric::Revenue, &quarter);
        assert_eq!(r.current.revenue, yuan(100_000));
        assert_eq!(r.current.expenses, yuan(300));
        let r = co.report(&co.li, MoneyMetric::Revenue, &quarter);
        assert_eq!(r.current.revenue, yuan(120_000));
        assert_eq!(r.current.expenses, yuan(500));
        assert_eq!(r.last_year.revenue, Cents(0), "赵's contract of last year");
    }

    /// Reports are kept per state of the data; moving a rep to another
    /// team changes what their manager sees at once, not at the next write.
    #[test]
    fn a_manager_stops_seeing_a_rep_moved_to_another_team() {
        let co = company();
        let manager = person(
            &co.gx,
            &co.admin,
            "wang@example.cn",
            Role::Manager,
            Some("华南"),
        );
        let quarter = params("quarter");
        let r = co.report(&manager, MoneyMetric::Revenue, &quarter);
        assert_eq!(
            r.current.revenue,
            yuan(100_000),
            "赵's share is on the big contract"
        );
        co.gx
            .update_user(
                crate::service::Actor::User(&co.admin),
                co.zhao.id,
                crate::model::UserInput {
                    email: co.zhao.email.clone(),
                    name: co.zhao.name.clone(),
                    role: Role::Rep,
                    team: Some("华东".into()),
                },
                co.zhao.version,
            )
            .unwrap();
        let r = co.report(&manager, MoneyMetric::Revenue, &quarter);
        assert_eq!(r.current.revenue, Cents(0));
    }

    #[test]
    fn a_long_breakdown_adds_up_its_tail() {
        let mut tally = Tally::default();
        for (i, amount) in [50, 30, 10, 6, 4].into_iter().enumerate() {
            tally.add(format!("r{i}"), String::new, amount);
        }
        let rows = tally.folded(3);
        let keys: Vec<(&str, i64)> = rows.iter().map(|r| (r.key.as_str(), r.amount.0)).collect();
        assert_eq!(keys, [("r0", 50), ("r1", 30), ("*", 20)]);
        assert_eq!(rows[2].count, 3);
        assert!((rows[2].share.unwrap() - 0.2).abs() < 1e-9);
    }

    #[test]
    fn a_custom_range_counts_its_days() {
        let co = company();
        let custom = |from: &str, to: &str| ReportParams {
            period: "custom".into(),
            from: from.into(),
            to: to.into(),
            ..Default::default()
        };
        let r = co.report(
            &co.admin,
            MoneyMetric::Revenue,
            &custom("2026-02-15", "2026-03-05"),
        );
        assert_eq!(
            (r.current.revenue, r.current.expenses),
            (yuan(20_000), yuan(300))
        );
        // Whole months from their sums, the days of January walked.
        let r = co.report(
            &co.admin,
            MoneyMetric::Revenue,
            &custom("2026-01-20", "2026-03-31"),
        );
        assert_eq!(r.current.revenue, yuan(120_000));
        assert_eq!(r.trend.len(), 3);
        assert_eq!(r.trend[0].key, "2026-01");
        let r = co.report(
            &co.admin,
            MoneyMetric::Revenue,
            &custom("2026-02-11", "2026-03-02"),
        );
        assert_eq!(r.current.revenue, Cents(0));
    }

    #[test]
    fn a_backdated_contract_moves_its_month_and_the_report_follows() {
        let co = company();
        let before = co.report(&co.admin, MoneyMetric::Revenue, &params("month"));
        assert_eq!(before.trend[9].now.revenue, Cents(0), "January");
        let january = co.contract(&co.li, co.shanghai, "5", d(2026, 1, 8), None);
        co.sign(&co.li, &january);
        let after = co.report(&co.admin, MoneyMetric::Revenue, &params("month"));
        assert_eq!(after.trend[9].now.revenue, yuan(50_000));
        assert_eq!(after.current.revenue, yuan(20_000));
        let quarter = co.report(&co.admin, MoneyMetric::Revenue, &params("quarter"));
        assert_eq!(quarter.current.revenue, yuan(170_000));
    }

    #[test]
    fn the_contracts_behind_a_figure_are_listed() {
        let co = company();
        let q1 = DateSpan {
            from: d(2026, 1, 1),
            to: d(2026, 3, 31),
        };
        let (total, page) = co.gx.contracts_signed(&co.admin, q1, None, 0, 10).unwrap();
        assert_eq!(total, 2, "the draft is not signed");
        assert_eq!(page[0].terms.sign_date, d(2026, 3, 3), "latest first");
        let (total, page) = co
            .gx
            .contracts_signed(&co.admin, q1, Some(co.zhao.id), 0, 10)
            .unwrap();
        assert_eq!((total, page[0].terms.sign_date), (1, d(2026, 2, 10)));
        let (total, _) = co.gx.contracts_signed(&co.zhao, q1, None, 0, 10).unwrap();
        assert_eq!(total, 1, "赵 sees the contract he shares only");
        let (total, page) = co.gx.contracts_signed(&co.admin, q1, None, 1, 10).unwrap();
        assert_eq!((total, page.len()), (2, 1));
    }

    #[test]
    fn collection_rate_and_what_was_owed_at_each_month_end() {
        let co = company();
        let r = co
            .gx
            .collection_report(&co.admin, &params("month"), mid_march())
            .unwrap();
        assert_eq!(r.months.len(), 12);
        let (feb, march) = (&r.months[10], &r.months[11]);
        assert_eq!(
            (feb.month.as_str(), feb.due, feb.received),
            ("2026-02", yuan(60_000), Cents(0))
        );
        assert_eq!(feb.collection_rate, Some(0.0));
        // Owed at the end of February: last year's ¥30,000 and February's ¥60,000.
        assert_eq!(feb.outstanding, yuan(90_000));
        assert_eq!((march.due, march.received), (yuan(60_000), yuan(40_000)));
        assert_eq!(march.collection_rate, Some(40_000.0 / 60_000.0));
        assert_eq!(march.outstanding, yuan(110_000));
        // A month where nothing fell due has no rate.
        assert_eq!(r.months[0].collection_rate, None);
        let zhao = co
            .gx
            .collection_report(&co.zhao, &params("month"), mid_march())
            .unwrap();
        // 赵 sees his own contract and the big one (whole, no filter).
        assert_eq!(zhao.months[11].outstanding, yuan(90_000));
    }
}
