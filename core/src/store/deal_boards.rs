//! Every deal in memory, cut down to what a board shows and filters on, and
//! grouped into buckets of one pipeline, stage and lead owner, each ordered
//! by when its deals entered the stage and keeping its count and amount.
//! A board is then assembled from the buckets its viewer may see: column
//! totals are sums of bucket totals and the cards the first few of each
//! bucket, so an unfiltered board of 50,000 deals touches a few hundred
//! buckets instead of 50,000 deals, and a rep's board only their own.
//!
//! Built from the file on first use (or by `warm_deal_boards` at start) and
//! kept current by the store's deal writes, under the same lock as their
//! commit, as the customer directory is.
//!
//! Lock order: deal boards before the directory, everywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::tables::DEALS;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{Cents, Deal, DealStatus, Id};

/// (pipeline, stage, lead owner).
type BucketKey = (u128, u128, Option<u128>);

/// The deals of one stage of one pipeline led by one owner.
#[derive(Debug, Default, PartialEq)]
pub struct Bucket {
    amount: i64,
    /// (entered the stage, in microseconds; deal id), oldest first.
    order: BTreeSet<(i64, u128)>,
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
    pub lead_owner: Option<Id>,
    pub bucket: &'a Bucket,
}

/// What a board shows of a deal and filters it by: a third of the memory of
/// a whole `Deal` without its notes (which counted at 50,000 deals).
#[derive(Debug, PartialEq)]
pub struct BoardDeal {
    pub id: Id,
    pub pipeline_id: Id,
    pub stage_id: Id,
    pub lead_owner: Option<Id>,
    pub customer_id: Id,
    pub title: Box<str>,
    pub amount: Cents,
    pub expected_close: Option<NaiveDate>,
    pub status: DealStatus,
    pub stage_entered_at: DateTime<Utc>,
    pub version: u64,
}

impl From<&Deal> for BoardDeal {
    fn from(deal: &Deal) -> Self {
        BoardDeal {
            id: deal.id,
            pipeline_id: deal.pipeline_id,
            stage_id: deal.stage_id,
            lead_owner: deal.lead_owner(),
            customer_id: deal.customer_id,
            title: deal.title.as_str().into(),
            amount: deal.amount,
            expected_close: deal.expected_close,
            status: deal.status,
            stage_entered_at: deal.stage_entered_at,
            version: deal.version,
        }
    }
}

#[derive(Default)]
pub struct DealBoards {
    deals: HashMap<u128, BoardDeal>,
    buckets: BTreeMap<BucketKey, Bucket>,
}

fn bucket_key(deal: &BoardDeal) -> BucketKey {
    (
        deal.pipeline_id.0,
        deal.stage_id.0,
        deal.lead_owner.map(|o| o.0),
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
            boards.put(&deal);
        }
        Ok(boards)
    }

    pub fn deal(&self, id: Id) -> Option<&BoardDeal> {
        self.deals.get(&id.0)
    }

    /// The buckets of one pipeline.
    pub fn buckets(&self, pipeline: Id) -> impl Iterator<Item = BucketView<'_>> {
        self.buckets
            .range((pipeline.0, 0, None)..=(pipeline.0, u128::MAX, Some(u128::MAX)))
            .map(|(&(_, stage, owner), bucket)| BucketView {
                stage: Id(stage),
                lead_owner: owner.map(Id),
                bucket,
            })
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
        for (id, deal) in &self.deals {
            match file.deals.get(id) {
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

    pub(super) fn put(&mut self, deal: &Deal) {
        self.remove(deal.id);
        let deal = BoardDeal::from(deal);
        let bucket = self.buckets.entry(bucket_key(&deal)).or_default();
        bucket.amount += deal.amount.0;
        bucket.order.insert(order_key(&deal));
        self.deals.insert(deal.id.0, deal);
    }

    pub(super) fn remove(&mut self, id: Id) {
        let Some(old) = self.deals.remove(&id.0) else {
            return;
        };
        let key = bucket_key(&old);
        if let Some(bucket) = self.buckets.get_mut(&key) {
            bucket.amount -= old.amount.0;
            bucket.order.remove(&order_key(&old));
            if bucket.order.is_empty() {
                self.buckets.remove(&key);
            }
        }
    }
}
