//! The deal reports (funnel, conversion, forecast) from tallies kept per
//! set of owners, so a report sums a few hundred groups instead of walking
//! 50,000 deals and their 221,000 stage changes (about 20 ms a request on
//! `large` for an admin).
//!
//! Each group holds the deals of one pipeline with the same owners (the
//! lead first), as the boards group them: whether a viewer, a rep filter or
//! a team filter lets a deal through depends on its owners only, so the
//! filter is asked once per group. Within a group every figure that a
//! report asks about a span of time is kept as a running sum over the
//! instants it happened at (`Running`): a span costs two binary searches.
//! A report is then O(groups × open stages × log deals) whatever the
//! period, plus, for whom deals were lost to, the lost deals of the span.
//!
//! The funnel at a past instant: a deal is in stage `s` at `t` when one of
//! its history entries into `s` is at or before `t` and the next entry (if
//! any) after `t`. Entries of a deal cover its life from its creation
//! without overlap, so the deals in `s` at `t` are the entries into `s` at
//! or before `t` minus the departures from `s` at or before `t`: two
//! running sums per stage, so any past date costs what "now" costs:
//! O(groups × open stages × log deals), no walk of the deals. That needs
//! the history in time order, as the store writes it; a deal whose history
//! is not (a clock set back) is kept aside and looked up entry by entry,
//! as `funnel::stage_at` does.
//!
//! Groups are counted on their own (`Group::new`, O(its deals and their
//! changes)), so a change to one deal counts again only the group of its
//! owners (`service::reports` keeps them, by the boards' stamps).
//!
//! The answers equal those of the functions in `funnel` and
//! `forecast::by_confidence` over the same deals; the tests compare them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::funnel::{DealFacts, StageEntry, StageExits, StageOrder, stage_at};
use crate::model::{Cents, DealStatus, Id};

/// Values recorded at instants, summed from the earliest on: the sum over
/// any span is the difference of two prefixes found by binary search.
#[derive(Debug, Default)]
struct Running {
    width: usize,
    times: Vec<DateTime<Utc>>,
    /// `sums[i * width..(i + 1) * width]`: the values of entries `0..=i`
    /// summed.
    sums: Vec<i64>,
}

/// Rows of a `Running` as they come, in any order.
#[derive(Debug, Default)]
struct RunningRows {
    width: usize,
    rows: Vec<(DateTime<Utc>, u32)>,
    values: Vec<i64>,
}

impl RunningRows {
    fn new(width: usize) -> RunningRows {
        RunningRows {
            width,
            ..Default::default()
        }
    }

    fn push(&mut self, at: DateTime<Utc>, values: &[i64]) {
        debug_assert_eq!(values.len(), self.width);
        self.rows.push((at, self.rows.len() as u32));
        self.values.extend_from_slice(values);
    }

    fn finish(mut self) -> Running {
        self.rows.sort_unstable();
        let w = self.width;
        let mut sums = Vec::with_capacity(self.values.len());
        let mut acc = vec![0i64; w];
        for &(_, row) in &self.rows {
            let row = row as usize;
            for (a, v) in acc.iter_mut().zip(&self.values[row * w..(row + 1) * w]) {
                *a += v;
            }
            sums.extend_from_slice(&acc);
        }
        Running {
            width: w,
            times: self.rows.into_iter().map(|(t, _)| t).collect(),
            sums,
        }
    }
}

impl Running {
    /// Adds `sign` times the values recorded before `t` (or at it too,
    /// with `inclusive`) to `out`; returns how many there are.
    fn add_until(&self, t: DateTime<Utc>, inclusive: bool, sign: i64, out: &mut [i64]) -> i64 {
        let n = if inclusive {
            self.times.partition_point(|&x| x <= t)
        } else {
            self.times.partition_point(|&x| x < t)
        };
        if let Some(last) = n.checked_sub(1) {
            let w = self.width;
            for (o, v) in out.iter_mut().zip(&self.sums[last * w..(last + 1) * w]) {
                *o += sign * v;
            }
        }
        sign * n as i64
    }

    /// Adds the values recorded from `from` (included) to `to` (excluded)
    /// to `out`; returns how many there are.
    fn add_between(&self, from: DateTime<Utc>, to: DateTime<Utc>, out: &mut [i64]) -> i64 {
        if to <= from {
            return 0;
        }
        self.add_until(to, false, 1, out) + self.add_until(from, false, -1, out)
    }

    /// Adds every value to `out`; returns how many there are.
    fn add_all(&self, out: &mut [i64]) -> i64 {
        let n = self.times.len();
        if let Some(last) = n.checked_sub(1) {
            let w = self.width;
            for (o, v) in out.iter_mut().zip(&self.sums[last * w..(last + 1) * w]) {
                *o += v;
            }
        }
        n as i64
    }
}

/// The tallies of the deals of one set of owners.
#[derive(Debug)]
pub struct Group {
    /// The lead first.
    pub owners: Box<[Id]>,
    /// Per open stage: the deals in it now (whatever their status) and
    /// their amount.
    now: Vec<(u32, i64)>,
    /// Per open stage: the amount of the open deals in it (the forecast's;
    /// suspended deals left out).
    open: Vec<i64>,
    /// The amount of the open deals in any stage (the workbench's).
    open_anywhere: i64,
    /// Per open stage: when deals entered it and when they left it, with
    /// their amount.
    entered: Vec<Running>,
    left: Vec<Running>,
    /// When deals closed: [won, won amount, lost, lost amount].
    closed: Running,
    /// When deals were created: per open stage and won, 1 if the deal got
    /// that far (a deal that skips a stage counts as reaching it).
    created: Running,
    /// Per open stage, when deals left it: [onward, whole seconds spent].
    exits: Vec<Running>,
    /// Open deals by expected close month (`year * 12 + month - 1`):
    /// (their amounts times confidence, summed; the same each divided by
    /// 100 first, as overdue amounts are summed).
    expected: BTreeMap<i32, (i64, i64)>,
    /// Open deals with no expected close: confidence-weighted amounts.
    undated: i64,
    /// Deals lost to a named competitor: (when, the competitor's number in
    /// `competitors`, our amount, their price), oldest first.
    lost: Vec<(DateTime<Utc>, u32, i64, Option<i64>)>,
    /// The names deals were lost to, trimmed.
    competitors: Vec<Box<str>>,
    /// Deals whose history is not in time order: (amount, history), for
    /// the funnel at a past instant.
    irregular: Vec<(i64, Box<[StageEntry]>)>,
}

/// A group's rows while the deals are added.
struct GroupRows {
    now: Vec<(u32, i64)>,
    open: Vec<i64>,
    open_anywhere: i64,
    entered: Vec<RunningRows>,
    left: Vec<RunningRows>,
    closed: RunningRows,
    created: RunningRows,
    exits: Vec<RunningRows>,
    expected: BTreeMap<i32, (i64, i64)>,
    undated: i64,
    lost: Vec<(DateTime<Utc>, u32, i64, Option<i64>)>,
    irregular: Vec<(i64, Box<[StageEntry]>)>,
}

impl GroupRows {
    fn new(stages: usize) -> GroupRows {
        GroupRows {
            now: vec![(0, 0); stages],
            open: vec![0; stages],
            open_anywhere: 0,
            entered: (0..stages).map(|_| RunningRows::new(1)).collect(),
            left: (0..stages).map(|_| RunningRows::new(1)).collect(),
            closed: RunningRows::new(4),
            created: RunningRows::new(stages + 1),
            exits: (0..stages).map(|_| RunningRows::new(2)).collect(),
            expected: BTreeMap::new(),
            undated: 0,
            lost: Vec::new(),
            irregular: Vec::new(),
        }
    }

    fn finish(self, owners: Box<[Id]>, competitors: Vec<Box<str>>) -> Group {
        let mut lost = self.lost;
        lost.sort_unstable_by_key(|l| l.0);
        Group {
            owners,
            now: self.now,
            open: self.open,
            open_anywhere: self.open_anywhere,
            entered: self.entered.into_iter().map(RunningRows::finish).collect(),
            left: self.left.into_iter().map(RunningRows::finish).collect(),
            closed: self.closed.finish(),
            created: self.created.finish(),
            exits: self.exits.into_iter().map(RunningRows::finish).collect(),
            expected: self.expected,
            undated: self.undated,
            lost,
            competitors,
            irregular: self.irregular,
        }
    }
}

/// The month index `forecast::by_confidence` files a date under.
fn month_index(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month() as i32 - 1
}

/// The tallies of one pipeline's deals, group by group, as counted with
/// one stage order: made again when the order changes.
#[derive(Debug)]
pub struct DealTallies {
    order: StageOrder,
    groups: Vec<Arc<Group>>,
}

impl DealTallies {
    /// Tallies `deals`, each with its owners (the lead first), by the
    /// stages of `order`. O(deals + changes), then a sort per figure.
    pub fn new<'a>(
        order: StageOrder,
        deals: impl IntoIterator<Item = (&'a [Id], DealFacts<'a>)>,
    ) -> DealTallies {
        let mut groups: BTreeMap<&[Id], Vec<DealFacts>> = BTreeMap::new();
        for (owners, deal) in deals {
            groups.entry(owners).or_default().push(deal);
        }
        let groups = groups
            .into_iter()
            .map(|(owners, deals)| Arc::new(Group::new(&order, owners.into(), deals)))
            .collect();
        DealTallies { order, groups }
    }

    /// Tallies made of groups counted by `order` (`Group::new`), each of a
    /// different set of owners: a change to some deals counts only their
    /// groups again.
    pub fn from_groups(order: StageOrder, groups: Vec<Arc<Group>>) -> DealTallies {
        DealTallies { order, groups }
    }

    /// The stage order the tallies were counted by.
    pub fn order(&self) -> &StageOrder {
        &self.order
    }

    /// The groups whose owners `keep` lets through.
    pub fn select(&self, keep: impl Fn(&[Id]) -> bool) -> Selection<'_> {
        Selection {
            tallies: self,
            groups: self
                .groups
                .iter()
                .map(|g| &**g)
                .filter(|g| keep(&g.owners))
                .collect(),
        }
    }

    /// Every group.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().map(|g| &**g)
    }
}

impl Group {
    /// Tallies the deals of one set of owners (the lead first) by the
    /// stages of `order`. O(deals + changes), then a sort per figure.
    pub fn new<'a>(
        order: &StageOrder,
        owners: Box<[Id]>,
        deals: impl IntoIterator<Item = DealFacts<'a>>,
    ) -> Group {
        let stages = order.open.len();
        let mut rows = GroupRows::new(stages);
        let mut competitors: BTreeMap<&str, u32> = BTreeMap::new();
        // The few stages of a pipeline: a look along a list beats a map.
        let ranks: Vec<(Id, usize)> = order
            .open
            .iter()
            .copied()
            .chain(order.won())
            .filter_map(|s| Some((s, order.rank(s)?)))
            .collect();
        let rank = |stage: Id| ranks.iter().find(|(s, _)| *s == stage).map(|&(_, r)| r);
        let open_rank = |stage: Id| rank(stage).filter(|&r| r < stages);
        let mut reached = vec![0i64; stages + 1];
        for deal in deals {
            if let Some(r) = open_rank(deal.stage) {
                rows.now[r].0 += 1;
                rows.now[r].1 += deal.amount.0;
                if deal.status == DealStatus::Open {
                    rows.open[r] += deal.amount.0;
                }
            }
            if deal.status == DealStatus::Open {
                rows.open_anywhere += deal.amount.0;
                let weighted = deal.amount.0 as i128 * i128::from(deal.confidence);
                match deal.expected_close {
                    None => rows.undated += (weighted / 100) as i64,
                    Some(day) => {
                        let slot = rows.expected.entry(month_index(day)).or_default();
                        slot.0 += weighted as i64;
                        slot.1 += (weighted / 100) as i64;
                    }
                }
            }
            let history = deal.history;
            let in_order = history.windows(2).all(|p| p[0].at <= p[1].at);
            if in_order {
                for (i, entry) in history.iter().enumerate() {
                    if let Some(r) = open_rank(entry.stage) {
                        rows.entered[r].push(entry.at, &[deal.amount.0]);
                        if let Some(next) = history.get(i + 1) {
                            rows.left[r].push(next.at, &[deal.amount.0]);
                        }
                    }
                }
            } else {
                rows.irregular.push((deal.amount.0, history.into()));
            }
            for pair in history.windows(2) {
                let (here, next) = (pair[0], pair[1]);
                let Some(r) = open_rank(here.stage) else {
                    continue;
                };
                let onward = rank(next.stage).is_some_and(|n| n > r);
                let seconds = (next.at - here.at).num_seconds().max(0);
                rows.exits[r].push(next.at, &[i64::from(onward), seconds]);
            }
            if let Some(created) = deal.created_at()
                && let Some(furthest) = history.iter().filter_map(|e| rank(e.stage)).max()
            {
                for (i, slot) in reached.iter_mut().enumerate() {
                    *slot = i64::from(i <= furthest);
                }
                rows.created.push(created, &reached);
            }
            if let Some(closed) = deal.closed_at() {
                let amount = deal.amount.0;
                let values = if deal.status == DealStatus::Won {
                    [1, amount, 0, 0]
                } else {
                    [0, 0, 1, amount]
                };
                rows.closed.push(closed, &values);
                if deal.status == DealStatus::Lost
                    && let Some(name) = deal.lost_to.map(str::trim).filter(|n| !n.is_empty())
                {
                    let next = competitors.len() as u32;
                    let number = *competitors.entry(name).or_insert(next);
                    rows.lost
                        .push((closed, number, amount, deal.lost_to_price.map(|p| p.0)));
                }
            }
        }
        let mut names = vec![Box::<str>::default(); competitors.len()];
        for (name, number) in competitors {
            names[number as usize] = name.into();
        }
        rows.finish(owners, names)
    }

    /// The amount of the open deals (not suspended), in any stage.
    pub fn open_amount(&self) -> Cents {
        Cents(self.open_anywhere)
    }

    /// The amount of the deals won from `from` (included) to `to`
    /// (excluded).
    pub fn won_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Cents {
        let mut sums = [0i64; 4];
        self.closed.add_between(from, to, &mut sums);
        Cents(sums[1])
    }
}

/// The deals of some groups, asked as the `funnel` functions are asked of
/// their facts.
pub struct Selection<'a> {
    tallies: &'a DealTallies,
    groups: Vec<&'a Group>,
}

impl Selection<'_> {
    fn stages(&self) -> usize {
        self.tallies.order.open.len()
    }

    /// As `funnel::open_stages`: now, or as the deals stood at `at`.
    pub fn open_stages(&self, at: Option<DateTime<Utc>>) -> Vec<(u32, Cents)> {
        let mut out = vec![(0i64, 0i64); self.stages()];
        for group in &self.groups {
            match at {
                None => {
                    for (o, (n, amount)) in out.iter_mut().zip(&group.now) {
                        o.0 += i64::from(*n);
                        o.1 += amount;
                    }
                }
                Some(at) => {
                    for (r, o) in out.iter_mut().enumerate() {
                        let mut amount = [0i64];
                        o.0 += group.entered[r].add_until(at, true, 1, &mut amount);
                        o.0 += group.left[r].add_until(at, true, -1, &mut amount);
                        o.1 += amount[0];
                    }
                    for (amount, history) in &group.irregular {
                        if let Some(r) = stage_at(history, at)
                            .and_then(|s| self.tallies.order.rank(s))
                            .filter(|&r| r < out.len())
                        {
                            out[r].0 += 1;
                            out[r].1 += amount;
                        }
                    }
                }
            }
        }
        out.into_iter()
            .map(|(n, amount)| (n as u32, Cents(amount)))
            .collect()
    }

    /// As `funnel::closed_between`.
    pub fn closed_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (u32, Cents, u32, Cents) {
        let mut sums = [0i64; 4];
        for group in &self.groups {
            group.closed.add_between(from, to, &mut sums);
        }
        (
            sums[0] as u32,
            Cents(sums[1]),
            sums[2] as u32,
            Cents(sums[3]),
        )
    }

    /// As `funnel::reached`.
    pub fn reached(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<u32> {
        let mut sums = vec![0i64; self.stages() + 1];
        for group in &self.groups {
            group.created.add_between(from, to, &mut sums);
        }
        sums.into_iter().map(|n| n as u32).collect()
    }

    /// As `funnel::stage_exits`.
    pub fn stage_exits(&self, window: Option<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<StageExits> {
        (0..self.stages())
            .map(|r| {
                let mut sums = [0i64; 2];
                let mut exits = 0;
                for group in &self.groups {
                    exits += match window {
                        None => group.exits[r].add_all(&mut sums),
                        Some((from, to)) => group.exits[r].add_between(from, to, &mut sums),
                    };
                }
                StageExits {
                    exits: exits as u32,
                    onward: sums[0] as u32,
                    days: sums[1] as f64 / 86_400.0,
                }
            })
            .collect()
    }

    /// As `funnel::win_rates`: per lead owner, by id.
    pub fn win_rates(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(Id, u32, u32, Cents)> {
        let mut per: BTreeMap<Id, (u32, u32, Cents)> = BTreeMap::new();
        for group in &self.groups {
            let Some(&lead) = group.owners.first() else {
                continue;
            };
            let mut sums = [0i64; 4];
            if group.closed.add_between(from, to, &mut sums) == 0 {
                continue;
            }
            let entry = per.entry(lead).or_default();
            entry.0 += sums[0] as u32;
            entry.2.0 += sums[1];
            entry.1 += sums[2] as u32;
        }
        per.into_iter().map(|(o, (w, l, a))| (o, w, l, a)).collect()
    }

    /// As `funnel::lost_to`. O(groups × log + deals lost in the span).
    pub fn lost_to(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(String, u32, Cents, Option<Cents>)> {
        // competitor → (deals, amount, sum of differences, priced deals)
        let mut per: BTreeMap<&str, (u32, i64, i64, i64)> = BTreeMap::new();
        for group in &self.groups {
            let first = group.lost.partition_point(|l| l.0 < from);
            for &(at, name, amount, price) in &group.lost[first..] {
                if at >= to {
                    break;
                }
                let entry = per.entry(&group.competitors[name as usize]).or_default();
                entry.0 += 1;
                entry.1 += amount;
                if let Some(price) = price {
                    entry.2 += price - amount;
                    entry.3 += 1;
                }
            }
        }
        let mut out: Vec<_> = per
            .into_iter()
            .map(|(name, (n, amount, diff, priced))| {
                let average =
                    (priced > 0).then(|| Cents((diff as f64 / priced as f64).round() as i64));
                (name.to_string(), n, Cents(amount), average)
            })
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The amounts of the open deals (not suspended) per open stage.
    pub fn open_amounts(&self) -> Vec<Cents> {
        let mut out = vec![Cents(0); self.stages()];
        for group in &self.groups {
            for (o, amount) in out.iter_mut().zip(&group.open) {
                o.0 += amount;
            }
        }
        out
    }

    /// As `forecast::by_confidence` over the open deals: (per month from
    /// `first`, overdue, undated). O(groups × expected months).
    pub fn by_confidence(&self, first: (i32, u32), months: usize) -> (Vec<Cents>, Cents, Cents) {
        let mut out = vec![0i64; months];
        let (mut overdue, mut undated) = (0i64, 0i64);
        let start = first.0 * 12 + first.1 as i32 - 1;
        for group in &self.groups {
            undated += group.undated;
            for (&month, &(weighted, whole)) in &group.expected {
                let index = month - start;
                if index < 0 {
                    overdue += whole;
                } else if let Some(slot) = out.get_mut(index as usize) {
                    *slot += weighted;
                }
            }
        }
        let months = out
            .into_iter()
            .map(|c| Cents((c + 50).div_euclid(100)))
            .collect();
        (months, Cents(overdue), Cents(undated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::forecast;
    use crate::domain::funnel::tests::{day, entries, facts, id, pipeline};
    use crate::domain::funnel::{self};
    use chrono::Duration;

    /// A small deterministic generator, so a failure repeats.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    type Keep = Box<dyn Fn(&[Id]) -> bool>;

    struct Sample {
        owners: Vec<Id>,
        history: Vec<StageEntry>,
        amount: i64,
        confidence: u8,
        expected: Option<NaiveDate>,
        lost_to: Option<&'static str>,
        price: Option<Cents>,
        suspended: bool,
    }

    /// Random deals over stages 1–5 (and a stage 9 of no pipeline), with
    /// owners among four people, some histories out of time order.
    fn random_deals(seed: u64, n: usize) -> Vec<Sample> {
        let mut rng = Lcg(seed);
        (0..n)
            .map(|_| {
                let moves = 1 + rng.below(5) as usize;
                let mut at = rng.below(120) as i64 - 40;
                let mut history = Vec::new();
                for _ in 0..moves {
                    let stage = [1, 2, 3, 4, 5, 9][rng.below(6) as usize];
                    history.push((at, stage));
                    at += rng.below(15) as i64;
                }
                let mut history = entries(&history);
                if rng.below(20) == 0 && history.len() > 1 {
                    history.swap(0, 1);
                }
                // Some changes inside a day, on the day boundary or not.
                for e in history.iter_mut() {
                    e.at += Duration::hours(rng.below(3) as i64 * 7);
                }
                let owners = match rng.below(5) {
                    0 => vec![id(7), id(8)],
                    1 => vec![id(8)],
                    2 => vec![id(9), id(7)],
                    3 => vec![],
                    _ => vec![id(7)],
                };
                let expected = (rng.below(4) > 0).then(|| {
                    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                        + Duration::days(rng.below(300) as i64 - 60)
                });
                let lost_to = [None, Some("金蝶"), Some(" 用友 "), Some("")][rng.below(4) as usize];
                let price = (rng.below(2) == 0).then(|| Cents(rng.below(50_000) as i64));
                let suspended = rng.below(10) == 0;
                Sample {
                    owners,
                    history,
                    amount: rng.below(100_000) as i64,
                    confidence: rng.below(101) as u8,
                    expected,
                    lost_to,
                    price,
                    suspended,
                }
            })
            .collect()
    }

    #[test]
    fn tallies_answer_as_the_funnel_walk_for_any_owners_and_span() {
        let order = StageOrder::new(&pipeline());
        for seed in 1..=5 {
            let deals = random_deals(seed, 400);
            let all: Vec<(&[Id], DealFacts)> = deals
                .iter()
                .map(|d| {
                    let mut f = facts(&d.history, d.amount);
                    f.confidence = d.confidence;
                    f.expected_close = d.expected;
                    f.lead_owner = d.owners.first().copied();
                    if f.status == DealStatus::Open && d.suspended {
                        f.status = DealStatus::Suspended;
                    }
                    if f.status == DealStatus::Lost {
                        f.lost_to = d.lost_to;
                        f.lost_to_price = d.price;
                    }
                    (d.owners.as_slice(), f)
                })
                .collect();
            let tallies = DealTallies::new(order.clone(), all.iter().cloned());
            for group in tallies.groups() {
                let mine = all.iter().filter(|(o, _)| **o == *group.owners);
                let open: i64 = mine
                    .clone()
                    .filter(|(_, f)| f.status == DealStatus::Open)
                    .map(|(_, f)| f.amount.0)
                    .sum();
                assert_eq!(group.open_amount(), Cents(open));
                let (from, to) = (day(0), day(40));
                let won: i64 = mine
                    .filter(|(_, f)| f.status == DealStatus::Won)
                    .filter(|(_, f)| f.closed_at().is_some_and(|t| t >= from && t < to))
                    .map(|(_, f)| f.amount.0)
                    .sum();
                assert_eq!(group.won_between(from, to), Cents(won));
            }
            let filters: [(&str, Keep); 4] = [
                ("all", Box::new(|_| true)),
                ("with 7", Box::new(|o: &[Id]| o.contains(&id(7)))),
                ("led by 8", Box::new(|o: &[Id]| o.first() == Some(&id(8)))),
                ("none", Box::new(|_| false)),
            ];
            for (name, keep) in &filters {
                let facts: Vec<DealFacts> = all
                    .iter()
                    .filter(|(o, _)| keep(o))
                    .map(|(_, f)| f.clone())
                    .collect();
                let chosen = tallies.select(keep);
                let what = format!("seed {seed}, {name}");
                assert_eq!(
                    chosen.open_stages(None),
                    funnel::open_stages(&order, &facts, None),
                    "{what}"
                );
                for t in (-50..150).step_by(7).map(|d| day(d) - Duration::hours(9)) {
                    assert_eq!(
                        chosen.open_stages(Some(t)),
                        funnel::open_stages(&order, &facts, Some(t)),
                        "{what}, at {t}"
                    );
                }
                for (from, to) in [(0, 31), (-100, 400), (20, 20), (30, 10), (-3, 5)] {
                    let (from, to) = (day(from), day(to));
                    assert_eq!(
                        chosen.closed_between(from, to),
                        funnel::closed_between(&facts, from, to),
                        "{what}"
                    );
                    assert_eq!(
                        chosen.reached(from, to),
                        funnel::reached(&order, &facts, from, to),
                        "{what}"
                    );
                    assert_eq!(
                        chosen.stage_exits(Some((from, to))),
                        funnel::stage_exits(&order, &facts, Some((from, to))),
                        "{what}"
                    );
                    assert_eq!(
                        chosen.win_rates(from, to),
                        funnel::win_rates(&facts, from, to),
                        "{what}"
                    );
                    assert_eq!(
                        chosen.lost_to(from, to),
                        funnel::lost_to(&facts, from, to),
                        "{what}"
                    );
                }
                assert_eq!(
                    chosen.stage_exits(None),
                    funnel::stage_exits(&order, &facts, None),
                    "{what}"
                );
                let open: Vec<&DealFacts> = facts
                    .iter()
                    .filter(|d| d.status == DealStatus::Open)
                    .collect();
                let mut amounts = vec![Cents(0); order.open.len()];
                for d in &open {
                    if let Some(slot) = order.rank(d.stage).and_then(|r| amounts.get_mut(r)) {
                        slot.0 += d.amount.0;
                    }
                }
                assert_eq!(chosen.open_amounts(), amounts, "{what}");
                for first in [(2025, 11), (2026, 1), (2026, 6)] {
                    assert_eq!(
                        chosen.by_confidence(first, 6),
                        forecast::by_confidence(
                            open.iter()
                                .map(|d| (d.amount, d.confidence, d.expected_close)),
                            first,
                            6
                        ),
                        "{what}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_funnel_at_a_past_date_counts_a_deal_once_per_instant() {
        // The worked funnel of `funnel`'s tests, from tallies.
        let order = StageOrder::new(&pipeline());
        let a = entries(&[(0, 1), (10, 2), (20, 3)]);
        let b = entries(&[(5, 1)]);
        let c = entries(&[(2, 1), (12, 2), (15, 4)]);
        let d = entries(&[(30, 2)]);
        let me = [id(7)];
        let deals = [
            (&me[..], facts(&a, 100)),
            (&me[..], facts(&b, 200)),
            (&me[..], facts(&c, 400)),
            (&me[..], facts(&d, 800)),
        ];
        let tallies = DealTallies::new(order, deals);
        let all = tallies.select(|_| true);
        assert_eq!(
            all.open_stages(None),
            [(1, Cents(200)), (1, Cents(800)), (1, Cents(100))]
        );
        assert_eq!(
            all.open_stages(Some(day(11))),
            [(2, Cents(600)), (1, Cents(100)), (0, Cents(0))]
        );
        // Exactly when a change happens, the deal is already in its new stage.
        assert_eq!(
            all.open_stages(Some(day(10))),
            [(2, Cents(600)), (1, Cents(100)), (0, Cents(0))]
        );
        assert_eq!(tallies.groups().count(), 1);
    }
}
