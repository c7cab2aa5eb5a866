//! Every deal in memory, cut down to what a board shows and filters on, and
//! grouped into buckets of one pipeline, stage and set of owners (the lead
//! first, then those with a share of the credit), each ordered
//! by when its deals entered the stage and keeping its count and amount.
//! A board is then assembled from the buckets its viewer may see: column
//! totals are sums of bucket totals and the cards the first few of each
//! bucket, so an unfiltered board of 50,000 deals touches a few hundred
//! buckets instead of 50,000 deals, and a rep's board only their own. Each
//! deal is in exactly one bucket, so a co-owned deal is counted once, yet
//! a co-owner finds it by looking at every bucket that names them.
//!
//! The titles are also kept in a flat search buffer (`search_text.rs`), and
//! the deals indexed by customer, so the search box finds deals by title or
//! by their customer's name without reading a deal record.
//!
//! Built from the file on first use (or by `warm_deal_boards` at start) and
//! kept current by the store's deal writes, under the same lock as their
//! commit, as the customer directory is.
//!
//! Lock order: deal boards before the directory, everywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};

use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::directory::{IdMap, IdSet};
use super::search_text::{Entry, Query, SearchText};
use super::tables::{DEALS, STAGE_HISTORY};
use crate::domain::matching;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::funnel::StageEntry;
use crate::model::{Cents, Deal, DealSize, DealStatus, Id, StageChange};

/// (pipeline, stage, owners: the lead first, as the deal lists them).
type BucketKey = (u128, u128, Box<[u128]>);

/// The deals of one stage of one pipeline with the same owners.
#[derive(Debug, Default, PartialEq)]
pub struct Bucket {
    amount: i64,
    /// (entered the stage, in microseconds; deal id), oldest first.
    order: BTreeSet<(i64, u128)>,
    /// Those of `order` that are not open (suspended, or closed in a
    /// stage of their own): nearly always none, so the stalled open deals
    /// are counted off `order` without reading a deal.
    not_open: BTreeSet<(i64, u128)>,
}

impl Bucket {
    pub fn count(&self) -> usize {
        self.order.len()
    }

    pub fn amount(&self) -> Cents {
        Cents(self.amount)
    }

    /// Deal ids, longest in the stage first or, with `newest_first`, the
    /// latest to enter it first.
    /// The open deals that entered the stage at or before `entered_by`
    /// (Unix microseconds), oldest first, with when they entered: the
    /// stalled ones, for a time `entered_by` a stage's limit ago.
    /// O(log n + those read).
    pub fn open_entered_by(&self, entered_by: i64) -> impl Iterator<Item = (i64, Id)> + '_ {
        self.order
            .range(..=(entered_by, u128::MAX))
            .filter(|key| self.not_open.is_empty() || !self.not_open.contains(key))
            .map(|&(at, id)| (at, Id(id)))
    }

    pub fn ids(&self, newest_first: bool) -> Box<dyn Iterator<Item = Id> + '_> {
        let ids = self.order.iter().map(|&(_, id)| Id(id));
        if newest_first {
            Box::new(ids.rev())
        } else {
            Box::new(ids)
        }
    }
}

/// A bucket as a board sees it.
pub struct BucketView<'a> {
    pub stage: Id,
    /// The owners of every deal in the bucket, the lead first.
    pub owners: &'a [u128],
    pub bucket: &'a Bucket,
}

impl BucketView<'_> {
    pub fn owner_ids(&self) -> impl Iterator<Item = Id> + '_ {
        self.owners.iter().map(|&o| Id(o))
    }
}

/// What a board shows of a deal and filters it by: a third of the memory of
/// a whole `Deal` without its notes (which counted at 50,000 deals).
#[derive(Debug, PartialEq)]
pub struct BoardDeal {
    pub id: Id,
    pub pipeline_id: Id,
    pub stage_id: Id,
    /// The lead first.
    pub owners: Box<[Id]>,
    pub customer_id: Id,
    pub title: Box<str>,
    pub amount: Cents,
    pub expected_close: Option<NaiveDate>,
    pub status: DealStatus,
    /// The quick-qualification grade, when qualified.
    pub grade: Option<DealSize>,
    pub stage_entered_at: DateTime<Utc>,
    pub version: u64,
    /// The owner's confidence, for the forecast.
    pub confidence: u8,
    /// When lost: the competitor who won, and their price when the deal
    /// lists it, for the lost-to report.
    pub lost_to: Option<Box<str>>,
    pub lost_to_price: Option<Cents>,
}

impl BoardDeal {
    pub fn lead_owner(&self) -> Option<Id> {
        self.owners.first().copied()
    }
}

impl From<&Deal> for BoardDeal {
    fn from(deal: &Deal) -> Self {
        BoardDeal {
            id: deal.id,
            pipeline_id: deal.pipeline_id,
            stage_id: deal.stage_id,
            owners: deal.owners.iter().map(|o| o.user).collect(),
            customer_id: deal.customer_id,
            title: deal.title.as_str().into(),
            amount: deal.amount,
            expected_close: deal.expected_close,
            status: deal.status,
            grade: deal.qualification.as_ref().map(|q| q.size),
            stage_entered_at: deal.stage_entered_at,
            version: deal.version,
            confidence: deal.confidence,
            lost_to: deal.lost_to.as_deref().map(Into::into),
            lost_to_price: deal.lost_to.as_deref().and_then(|name| {
                deal.competitors
                    .iter()
                    .find(|c| c.name.trim() == name.trim())
                    .and_then(|c| c.price)
            }),
        }
    }
}

#[derive(Default)]
pub struct DealBoards {
    /// Each deal with the number of its title in `titles`.
    deals: IdMap<(BoardDeal, u32)>,
    buckets: BTreeMap<BucketKey, Bucket>,
    /// Folded titles, for the search box.
    titles: SearchText,
    /// A customer's deals in id order, for a search by its name: one hash
    /// lookup a customer. A range of a set of (customer, deal) per
    /// customer was most of the deal part of a rep's `138` search on
    /// `large` (1,567 customers listed; reading the rep's 2,623 deals
    /// instead would be more).
    by_customer: IdMap<Box<[u128]>>,
    /// Each deal's stage history, oldest first, for the funnel at a past
    /// date, conversion and the stage-transition forecast: about 32 bytes
    /// a change, 7 MB for the 221,000 changes of `large`, where reading
    /// them from the file took a report 0.4 s.
    pub(super) history: HashMap<u128, Vec<StageEntry>>,
    /// Per pipeline and set of owners, a stamp that changes whenever one
    /// of its deals (or their history) does: what is derived from a
    /// group's deals (the report tallies) is made again only when its
    /// stamp moved. Stamps come from one clock for the whole process, so
    /// boards loaded again never repeat one.
    stamps: HashMap<u128, HashMap<Box<[u128]>, u64>>,
    /// The latest stamp given: while it stays, no group changed.
    latest: u64,
}

/// The clock of the boards' stamps.
static STAMPS: AtomicU64 = AtomicU64::new(1);

/// The customers whose deals the search box finds by their name.
pub enum DealCustomers<'a> {
    /// These, in this order.
    Listed(&'a [u128]),
    /// Those for which this says yes: for text so common that listing
    /// every customer holding it would cost more than the search.
    Holding(&'a dyn Fn(u128) -> bool),
}

/// A deal the search box found, best first: (title starts with the text,
/// title holds it, only its customer's name holds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DealMatch {
    TitleStart,
    Title,
    Customer,
}

fn bucket_key(deal: &BoardDeal) -> BucketKey {
    (
        deal.pipeline_id.0,
        deal.stage_id.0,
        deal.owners.iter().map(|o| o.0).collect(),
    )
}

fn order_key(deal: &BoardDeal) -> (i64, u128) {
    (deal.stage_entered_at.timestamp_micros(), deal.id.0)
}

impl DealBoards {
    pub(super) fn load(tx: &ReadTransaction) -> Result<DealBoards> {
        let mut boards = DealBoards::default();
        for row in tx.open_table(DEALS)?.iter()? {
            let deal: Deal = decode(row?.1.value())?;
            boards.put_deal(&deal);
        }
        // Keyed (deal, change id), so each deal's changes come in order.
        for row in tx.open_table(STAGE_HISTORY)?.iter()? {
            let change: StageChange = decode(row?.1.value())?;
            boards
                .history
                .entry(change.deal_id.0)
                .or_default()
                .push(StageEntry {
                    at: change.at,
                    stage: change.to,
                });
        }
        // Grown one record at a time, each list had room to spare.
        for changes in boards.history.values_mut() {
            changes.shrink_to_fit();
        }
        boards.titles.shrink_to_fit();
        Ok(boards)
    }

    pub fn deal(&self, id: Id) -> Option<&BoardDeal> {
        self.deals.get(&id.0).map(|(deal, _)| deal)
    }

    /// The stamp of the deals of `pipeline` with these owners (the lead
    /// first): it changes whenever one of them does (0: none ever).
    pub fn stamp(&self, pipeline: Id, owners: &[u128]) -> u64 {
        self.stamps
            .get(&pipeline.0)
            .and_then(|s| s.get(owners))
            .copied()
            .unwrap_or(0)
    }

    /// The latest stamp given to any group: the same as some time before
    /// exactly when no deal changed since (stamps only grow).
    pub fn latest_stamp(&self) -> u64 {
        self.latest
    }

    fn touch(&mut self, deal: &BoardDeal) {
        let stamp = STAMPS.fetch_add(1, Ordering::Relaxed);
        self.latest = stamp;
        let owners: Box<[u128]> = deal.owners.iter().map(|o| o.0).collect();
        self.stamps
            .entry(deal.pipeline_id.0)
            .or_default()
            .insert(owners, stamp);
    }

    /// A deal's stage changes, oldest first.
    pub fn history(&self, id: Id) -> &[StageEntry] {
        self.history.get(&id.0).map_or(&[], Vec::as_slice)
    }

    /// The buckets of one pipeline.
    pub fn buckets(&self, pipeline: Id) -> impl Iterator<Item = BucketView<'_>> {
        let start: BucketKey = (pipeline.0, 0, Box::default());
        let end = match pipeline.0.checked_add(1) {
            Some(next) => Bound::Excluded((next, 0, Box::default())),
            None => Bound::Unbounded,
        };
        self.buckets
            .range((Bound::Included(start), end))
            .map(|((_, stage, owners), bucket)| BucketView {
                stage: Id(*stage),
                owners,
                bucket,
            })
    }

    /// Deals whose title holds `folded` (a needle folded as
    /// `matching::fold` folds) or whose customer `customers` names, among
    /// those `sees` lets through, each with how it matched. Every title
    /// match comes back, but deals found by their customer only until there
    /// are `limit` matches: they rank last, and a common word can name most
    /// customers.
    pub fn search<'a>(
        &'a self,
        folded: &str,
        customers: DealCustomers,
        sees: impl Fn(&BoardDeal) -> bool,
        limit: usize,
    ) -> Vec<(&'a BoardDeal, DealMatch)> {
        let mut found = Vec::new();
        let mut seen = IdSet::default();
        for (entry, prefix) in self.titles.find(&Query::new(folded, "")) {
            if let Entry::Deal(id) = entry
                && let Some((deal, _)) = self.deals.get(&id)
                && sees(deal)
            {
                seen.insert(id);
                let how = if prefix {
                    DealMatch::TitleStart
                } else {
                    DealMatch::Title
                };
                found.push((deal, how));
            }
        }
        match customers {
            DealCustomers::Listed(customers) => {
                for &customer in customers {
                    if found.len() >= limit {
                        break;
                    }
                    for id in self.by_customer.get(&customer).into_iter().flatten() {
                        if !seen.contains(id)
                            && let Some((deal, _)) = self.deals.get(id)
                            && sees(deal)
                        {
                            found.push((deal, DealMatch::Customer));
                        }
                    }
                }
            }
            // Too many customers to list: the deals a viewer may see, by
            // group (a group's deals share their owners, so its first deal
            // tells whether the viewer sees them all), each asked about its
            // customer. O(groups + visible deals read until enough).
            DealCustomers::Holding(holds) => {
                'groups: for bucket in self.buckets.values() {
                    let first = bucket.order.first().and_then(|(_, id)| self.deals.get(id));
                    if !first.is_some_and(|(deal, _)| sees(deal)) {
                        continue;
                    }
                    for (_, id) in &bucket.order {
                        if found.len() >= limit {
                            break 'groups;
                        }
                        if let Some((deal, _)) = self.deals.get(id)
                            && !seen.contains(id)
                            && holds(deal.customer_id.0)
                        {
                            found.push((deal, DealMatch::Customer));
                        }
                    }
                }
            }
        }
        found
    }

    /// Every deal, in no order.
    pub fn all_deals(&self) -> impl Iterator<Item = &BoardDeal> {
        self.deals.values().map(|(deal, _)| deal)
    }

    /// The deals of one pipeline, in id order (oldest first).
    pub fn deals_of(&self, pipeline: Id) -> Vec<&BoardDeal> {
        let mut deals: Vec<&BoardDeal> = self
            .buckets(pipeline)
            .flat_map(|view| view.bucket.ids(false))
            .filter_map(|id| self.deal(id))
            .collect();
        deals.sort_unstable_by_key(|d| d.id);
        deals
    }

    /// How these boards differ from `file`, boards loaded from the file
    /// just now, for the consistency check.
    pub(super) fn differences(&self, file: &DealBoards) -> Vec<String> {
        let mut out = Vec::new();
        for (id, (deal, text)) in &self.deals {
            let title = format!("{}\u{1}", matching::fold(&deal.title));
            if self.titles.entry(*text).map(|(e, words, _)| (e, words))
                != Some((Entry::Deal(*id), title.as_bytes()))
            {
                out.push(format!(
                    "deal {} has not its title in the search text",
                    Id(*id)
                ));
            }
            match file.deals.get(id).map(|(d, _)| d) {
                None => out.push(format!("hold deal {} that the file has not", Id(*id))),
                Some(d) if d != deal => out.push(format!(
                    "deal {} differs from the file: {deal:?} here, {d:?} there",
                    Id(*id)
                )),
                Some(_) => {}
            }
        }
        for id in file.deals.keys().filter(|id| !self.deals.contains_key(id)) {
            out.push(format!("lack deal {}", Id(*id)));
        }
        out.extend(self.titles.index_problems());
        if self.titles.live() != self.deals.len() {
            out.push(format!(
                "hold {} titles for {} deals",
                self.titles.live(),
                self.deals.len()
            ));
        }
        for (id, entries) in &self.history {
            if file.history.get(id) != Some(entries) {
                out.push(format!(
                    "the stage history of deal {} differs from the file",
                    Id(*id)
                ));
            }
        }
        for id in file
            .history
            .keys()
            .filter(|id| !self.history.contains_key(id))
        {
            out.push(format!("lack the stage history of deal {}", Id(*id)));
        }
        if self.by_customer != file.by_customer {
            out.push("the deals by customer differ from the file".into());
        }
        let keys: BTreeSet<&BucketKey> = self.buckets.keys().chain(file.buckets.keys()).collect();
        for key in keys {
            let (ours, theirs) = (self.buckets.get(key), file.buckets.get(key));
            if ours != theirs {
                out.push(format!(
                    "the bucket of {key:?} differs from the file: {ours:?} here, {theirs:?} there"
                ));
            }
        }
        out
    }

    /// Saves a deal written by the app: a deal new here, or one that moved
    /// (a new stage or a new time of entering it), gets that entry on its
    /// history, as the write recorded it (every move goes through
    /// `enter_stage`, which stamps both with one clock reading).
    pub(super) fn put(&mut self, deal: &Deal) {
        let entry = StageEntry {
            at: deal.stage_entered_at,
            stage: deal.stage_id,
        };
        let history = self.history.entry(deal.id.0).or_default();
        if history.last() != Some(&entry) {
            history.push(entry);
        }
        self.put_deal(deal);
    }

    /// Saves a deal written with its whole history (a bulk load).
    pub(super) fn put_with_history<'c>(
        &mut self,
        deal: &Deal,
        history: impl IntoIterator<Item = &'c StageChange>,
    ) {
        self.history.insert(
            deal.id.0,
            history
                .into_iter()
                .map(|c| StageEntry {
                    at: c.at,
                    stage: c.to,
                })
                .collect(),
        );
        self.put_deal(deal);
    }

    fn put_deal(&mut self, deal: &Deal) {
        self.remove_deal(deal.id);
        let deal = BoardDeal::from(deal);
        let bucket = self.buckets.entry(bucket_key(&deal)).or_default();
        bucket.amount += deal.amount.0;
        bucket.order.insert(order_key(&deal));
        if deal.status != DealStatus::Open {
            bucket.not_open.insert(order_key(&deal));
        }
        let folded = matching::fold(&deal.title);
        let text = self
            .titles
            // Every title match is read and ranked, so no rank is needed.
            .put(Entry::Deal(deal.id.0), 0, [folded.as_str()], []);
        let deals = self.by_customer.entry(deal.customer_id.0).or_default();
        if let Err(at) = deals.binary_search(&deal.id.0) {
            let mut grown = Vec::with_capacity(deals.len() + 1);
            grown.extend_from_slice(&deals[..at]);
            grown.push(deal.id.0);
            grown.extend_from_slice(&deals[at..]);
            *deals = grown.into();
        }
        self.touch(&deal);
        self.deals.insert(deal.id.0, (deal, text));
    }

    pub(super) fn remove(&mut self, id: Id) {
        self.history.remove(&id.0);
        self.remove_deal(id);
    }

    fn remove_deal(&mut self, id: Id) {
        let Some((old, text)) = self.deals.remove(&id.0) else {
            return;
        };
        self.touch(&old);
        if let Some(renumbering) = self.titles.remove(text) {
            for (_, number) in self.deals.values_mut() {
                *number = renumbering[*number as usize];
            }
        }
        if let Some(deals) = self.by_customer.get_mut(&old.customer_id.0) {
            *deals = deals.iter().copied().filter(|&d| d != id.0).collect();
            if deals.is_empty() {
                self.by_customer.remove(&old.customer_id.0);
            }
        }
        let key = bucket_key(&old);
        if let Some(bucket) = self.buckets.get_mut(&key) {
            bucket.amount -= old.amount.0;
            bucket.order.remove(&order_key(&old));
            bucket.not_open.remove(&order_key(&old));
            if bucket.order.is_empty() {
                self.buckets.remove(&key);
            }
        }
    }
}
