//! The sales funnel from the deals and their stage history: the open stages
//! now and at any past time, stage-to-stage conversion, days in each stage,
//! win rates and whom deals are lost to.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{Cents, DealStatus, Id, Outcome, Pipeline};

/// A deal entered `stage` at `at`; a deal's entries oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageEntry {
    pub at: DateTime<Utc>,
    pub stage: Id,
}

/// What the reports need of a deal.
#[derive(Clone, Debug, PartialEq)]
pub struct DealFacts<'a> {
    pub stage: Id,
    pub status: DealStatus,
    pub amount: Cents,
    pub confidence: u8,
    pub expected_close: Option<chrono::NaiveDate>,
    pub lead_owner: Option<Id>,
    /// Oldest first; the first entry is the deal's creation.
    pub history: &'a [StageEntry],
    /// When lost: the competitor who won, and their price when known.
    pub lost_to: Option<&'a str>,
    pub lost_to_price: Option<Cents>,
}

impl DealFacts<'_> {
    /// When it closed: when it entered its outcome stage.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        match self.status {
            DealStatus::Won | DealStatus::Lost => self.history.last().map(|e| e.at),
            _ => None,
        }
    }

    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.history.first().map(|e| e.at)
    }
}

/// Where a stage stands in the funnel: open stages 0, 1, …; won after
/// them all; lost nowhere (it leaves the funnel).
#[derive(Clone, Debug, PartialEq)]
pub struct StageOrder {
    order: BTreeMap<Id, usize>,
    /// The open stages, in board order.
    pub open: Vec<Id>,
}

impl StageOrder {
    pub fn new(pipeline: &Pipeline) -> StageOrder {
        let open: Vec<Id> = pipeline.open_stages().map(|s| s.id).collect();
        let mut order: BTreeMap<Id, usize> =
            open.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        for stage in &pipeline.stages {
            if stage.outcome == Some(Outcome::Won) {
                order.insert(stage.id, open.len());
            }
        }
        StageOrder { order, open }
    }

    /// 0.. for open stages, `open.len()` for won, `None` for lost (or a
    /// stage since removed).
    pub fn rank(&self, stage: Id) -> Option<usize> {
        self.order.get(&stage).copied()
    }

    pub fn won_rank(&self) -> usize {
        self.open.len()
    }

    /// The won stages (one, in a pipeline as saved).
    pub fn won(&self) -> impl Iterator<Item = Id> + '_ {
        let won = self.open.len();
        self.order
            .iter()
            .filter(move |&(_, &r)| r == won)
            .map(|(&s, _)| s)
    }
}

/// The stage a deal was in at `at`: `None` before it was created.
pub fn stage_at(history: &[StageEntry], at: DateTime<Utc>) -> Option<Id> {
    let entered = history.partition_point(|e| e.at <= at);
    entered.checked_sub(1).map(|i| history[i].stage)
}

/// Count and amount per open stage: of the deals as they are now
/// (`at: None`) or as they stood at `at`, from their history.
pub fn open_stages(
    order: &StageOrder,
    deals: &[DealFacts],
    at: Option<DateTime<Utc>>,
) -> Vec<(u32, Cents)> {
    let mut out = vec![(0u32, Cents(0)); order.open.len()];
    for deal in deals {
        let stage = match at {
            None => Some(deal.stage),
            Some(at) => stage_at(deal.history, at),
        };
        if let Some(rank) = stage.and_then(|s| order.rank(s))
            && let Some(slot) = out.get_mut(rank)
        {
            slot.0 += 1;
            slot.1.0 += deal.amount.0;
        }
    }
    out
}

/// The share of `amount` that `percent` is, rounded to the cent.
pub fn weigh(amount: Cents, percent: u8) -> Cents {
    Cents((amount.0 * i64::from(percent) + 50).div_euclid(100))
}

/// Deals won and lost between `from` (included) and `to` (excluded):
/// (won, won amount, lost, lost amount).
pub fn closed_between(
    deals: &[DealFacts],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (u32, Cents, u32, Cents) {
    let mut out = (0, Cents(0), 0, Cents(0));
    for deal in deals {
        if !deal.closed_at().is_some_and(|t| t >= from && t < to) {
            continue;
        }
        if deal.status == DealStatus::Won {
            out.0 += 1;
            out.1.0 += deal.amount.0;
        } else {
            out.2 += 1;
            out.3.0 += deal.amount.0;
        }
    }
    out
}

/// How many of the deals created between `from` and `to` reached each open
/// stage and won (a deal that skips a stage counts as reaching it): one
/// figure per open stage, then won.
pub fn reached(
    order: &StageOrder,
    deals: &[DealFacts],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<u32> {
    let mut out = vec![0u32; order.open.len() + 1];
    for deal in deals {
        if !deal.created_at().is_some_and(|t| t >= from && t < to) {
            continue;
        }
        let furthest = deal
            .history
            .iter()
            .filter_map(|e| order.rank(e.stage))
            .max();
        if let Some(furthest) = furthest {
            for slot in &mut out[..=furthest] {
                *slot += 1;
            }
        }
    }
    out
}

/// What the deals that left an open stage did there.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StageExits {
    /// Exits in all.
    pub exits: u32,
    /// Exits to a later stage or won.
    pub onward: u32,
    pub days: f64,
}

impl StageExits {
    pub fn conversion(&self) -> Option<f64> {
        (self.exits > 0).then(|| f64::from(self.onward) / f64::from(self.exits))
    }

    pub fn average_days(&self) -> Option<f64> {
        (self.exits > 0).then(|| self.days / f64::from(self.exits))
    }
}

/// Per open stage, the exits from it that happened between `from` and `to`
/// (all of them when `None`).
pub fn stage_exits(
    order: &StageOrder,
    deals: &[DealFacts],
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<StageExits> {
    let mut out = vec![StageExits::default(); order.open.len()];
    // Whole seconds, summed exactly and made days once: the same figure
    // however the exits are grouped (`deal_tallies` sums them by owners).
    let mut seconds = vec![0i64; order.open.len()];
    for deal in deals {
        for pair in deal.history.windows(2) {
            let (here, next) = (pair[0], pair[1]);
            if window.is_some_and(|(from, to)| next.at < from || next.at >= to) {
                continue;
            }
            let Some(rank) = order.rank(here.stage).filter(|&r| r < order.open.len()) else {
                continue;
            };
            let slot = &mut out[rank];
            slot.exits += 1;
            if order.rank(next.stage).is_some_and(|r| r > rank) {
                slot.onward += 1;
            }
            seconds[rank] += (next.at - here.at).num_seconds().max(0);
        }
    }
    for (slot, seconds) in out.iter_mut().zip(seconds) {
        slot.days = seconds as f64 / 86_400.0;
    }
    out
}

/// Won and lost per lead owner among deals closed between `from` and `to`:
/// (owner, won, lost, won amount), by owner id.
pub fn win_rates(
    deals: &[DealFacts],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(Id, u32, u32, Cents)> {
    let mut per: BTreeMap<Id, (u32, u32, Cents)> = BTreeMap::new();
    for deal in deals {
        let Some(owner) = deal.lead_owner else {
            continue;
        };
        if !deal.closed_at().is_some_and(|t| t >= from && t < to) {
            continue;
        }
        let entry = per.entry(owner).or_default();
        if deal.status == DealStatus::Won {
            entry.0 += 1;
            entry.2.0 += deal.amount.0;
        } else {
            entry.1 += 1;
        }
    }
    per.into_iter().map(|(o, (w, l, a))| (o, w, l, a)).collect()
}

/// Deals lost between `from` and `to` per competitor who won them, most
/// first: (competitor, deals, our amount, average of their price minus
/// ours over the deals where their price is known). Deals lost to no one
/// named are left out.
pub fn lost_to(
    deals: &[DealFacts],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(String, u32, Cents, Option<Cents>)> {
    // competitor → (deals, amount, sum of differences, priced deals)
    let mut per: BTreeMap<String, (u32, i64, i64, i64)> = BTreeMap::new();
    for deal in deals {
        if deal.status != DealStatus::Lost || !deal.closed_at().is_some_and(|t| t >= from && t < to)
        {
            continue;
        }
        let Some(name) = deal.lost_to.map(str::trim).filter(|n| !n.is_empty()) else {
            continue;
        };
        let entry = per.entry(name.to_string()).or_default();
        entry.0 += 1;
        entry.1 += deal.amount.0;
        if let Some(price) = deal.lost_to_price {
            entry.2 += price.0 - deal.amount.0;
            entry.3 += 1;
        }
    }
    let mut out: Vec<_> = per
        .into_iter()
        .map(|(name, (n, amount, diff, priced))| {
            let average = (priced > 0).then(|| Cents((diff as f64 / priced as f64).round() as i64));
            (name, n, Cents(amount), average)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{DefaultStage, Stage};
    use chrono::{Duration, TimeZone};

    pub fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap() + Duration::days(n)
    }

    pub fn id(n: u128) -> Id {
        Id(n)
    }

    /// Stages 1–3 open, 4 won, 5 lost.
    pub fn pipeline() -> Pipeline {
        let stage = |n: u128, p: u8, outcome| Stage {
            id: id(n),
            name: format!("S{n}"),
            preset: None::<DefaultStage>,
            probability: p,
            stall_days: None,
            checklist: vec![],
            outcome,
        };
        Pipeline {
            id: id(100),
            name: "P".into(),
            stages: vec![
                stage(1, 20, None),
                stage(2, 50, None),
                stage(3, 80, None),
                stage(4, 100, Some(Outcome::Won)),
                stage(5, 0, Some(Outcome::Lost)),
            ],
            version: 1,
        }
    }

    pub fn entries(moves: &[(i64, u128)]) -> Vec<StageEntry> {
        moves
            .iter()
            .map(|&(d, s)| StageEntry {
                at: day(d),
                stage: id(s),
            })
            .collect()
    }

    pub fn facts(history: &[StageEntry], amount: i64) -> DealFacts<'_> {
        let stage = history.last().unwrap().stage;
        let status = match stage.0 {
            4 => DealStatus::Won,
            5 => DealStatus::Lost,
            _ => DealStatus::Open,
        };
        DealFacts {
            stage,
            status,
            amount: Cents(amount),
            confidence: 50,
            expected_close: None,
            lead_owner: Some(id(7)),
            history,
            lost_to: None,
            lost_to_price: None,
        }
    }

    #[test]
    fn the_funnel_now_and_at_a_past_date() {
        let order = StageOrder::new(&pipeline());
        let a = entries(&[(0, 1), (10, 2), (20, 3)]);
        let b = entries(&[(5, 1)]);
        let c = entries(&[(2, 1), (12, 2), (15, 4)]);
        let d = entries(&[(30, 2)]);
        let deals = [
            facts(&a, 100),
            facts(&b, 200),
            facts(&c, 400),
            facts(&d, 800),
        ];
        // Now: a in 3, b in 1, d in 2; c is won and out of the open stages.
        assert_eq!(
            open_stages(&order, &deals, None),
            [(1, Cents(200)), (1, Cents(800)), (1, Cents(100))]
        );
        // On day 11: a in 2, b and c in 1, d not yet created.
        assert_eq!(
            open_stages(&order, &deals, Some(day(11))),
            [(2, Cents(600)), (1, Cents(100)), (0, Cents(0))]
        );
        // Exactly when a change happens, the deal is already in its new stage.
        assert_eq!(stage_at(&a, day(10)), Some(id(2)));
        assert_eq!(stage_at(&a, day(-1)), None);
    }

    #[test]
    fn weighing_rounds_to_the_cent() {
        assert_eq!(weigh(Cents(1_000), 35), Cents(350));
        assert_eq!(weigh(Cents(333), 50), Cents(167));
    }

    #[test]
    fn conversion_counts_how_far_each_new_deal_got() {
        let order = StageOrder::new(&pipeline());
        let a = entries(&[(0, 1), (10, 2), (20, 5)]); // reached 2, lost
        let b = entries(&[(1, 1)]); // reached 1
        let c = entries(&[(2, 1), (3, 3), (4, 4)]); // skipped 2, won
        let old = entries(&[(-40, 1), (-30, 4)]); // created before the period
        let deals = [facts(&a, 1), facts(&b, 1), facts(&c, 1), facts(&old, 1)];
        assert_eq!(reached(&order, &deals, day(0), day(31)), [3, 2, 1, 1]);
    }

    #[test]
    fn stage_exits_give_conversion_and_days_in_stage() {
        let order = StageOrder::new(&pipeline());
        let a = entries(&[(0, 1), (10, 2), (20, 5)]);
        let b = entries(&[(0, 1), (4, 5)]);
        let c = entries(&[(0, 1), (6, 2), (9, 1), (10, 3)]);
        let deals = [facts(&a, 1), facts(&b, 1), facts(&c, 1)];
        let exits = stage_exits(&order, &deals, None);
        // Stage 1 left four times: to 2 (10 d), to lost (4 d), to 2 (6 d), to 3 (1 d).
        assert_eq!(exits[0].exits, 4);
        assert_eq!(exits[0].onward, 3);
        assert_eq!(exits[0].conversion(), Some(0.75));
        assert_eq!(exits[0].average_days(), Some(21.0 / 4.0));
        // Stage 2: to lost after 10 days, back to 1 after 3: neither onward.
        assert_eq!((exits[1].exits, exits[1].onward), (2, 0));
        assert_eq!(exits[1].average_days(), Some(6.5));
        assert_eq!(exits[2].conversion(), None);
        // Only the exits inside the window count.
        let window = stage_exits(&order, &deals, Some((day(5), day(11))));
        assert_eq!((window[0].exits, window[0].onward), (3, 3));
    }

    #[test]
    fn win_rates_and_lost_to_count_deals_closed_in_the_period() {
        let won = entries(&[(0, 1), (5, 4)]);
        let lost_a = entries(&[(0, 1), (6, 5)]);
        let lost_b = entries(&[(0, 2), (7, 5)]);
        let lost_old = entries(&[(-20, 2), (-10, 5)]);
        let mut deals = vec![
            facts(&won, 1_000),
            facts(&lost_a, 2_000),
            facts(&lost_b, 3_000),
            facts(&lost_old, 500),
        ];
        deals[1].lost_to = Some("金蝶");
        deals[1].lost_to_price = Some(Cents(1_500));
        deals[2].lost_to = Some("金蝶 ");
        deals[3].lost_to = Some("用友");
        deals[2].lead_owner = Some(id(8));
        assert_eq!(
            win_rates(&deals, day(0), day(31)),
            [(id(7), 1, 1, Cents(1_000)), (id(8), 0, 1, Cents(0))]
        );
        assert_eq!(
            closed_between(&deals, day(0), day(31)),
            (1, Cents(1_000), 2, Cents(5_000))
        );
        // 金蝶 won two deals worth 5,000; only one price known, 500 under ours.
        assert_eq!(
            lost_to(&deals, day(0), day(31)),
            [("金蝶".to_string(), 2, Cents(5_000), Some(Cents(-500)))]
        );
    }
}
