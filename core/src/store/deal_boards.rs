//! Every deal in memory, slimmed to what a board shows and filters on, so a
//! board of 50,000 deals is a walk over compact rows instead of 50,000
//! record reads. Built from the file on first use (or by `warm_deal_boards`
//! at start) and kept current by the store's deal writes, under the same
//! lock as their commit, as the customer directory is.
//!
//! Lock order: deal boards before the directory, everywhere.

use std::collections::{BTreeMap, HashMap};

use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::tables::DEALS;
use crate::error::Result;
use crate::model::{Deal, Id};

#[derive(Default)]
pub struct DealBoards {
    /// Pipeline → deal id → the deal without its notes, competitors and
    /// checklist.
    by_pipeline: HashMap<u128, BTreeMap<u128, Deal>>,
    pipeline_of: HashMap<u128, u128>,
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

    /// The deals of one pipeline, in id order (oldest first).
    pub fn deals_of(&self, pipeline: Id) -> Vec<&Deal> {
        self.by_pipeline
            .get(&pipeline.0)
            .map(|deals| deals.values().collect())
            .unwrap_or_default()
    }

    pub(super) fn put(&mut self, deal: &Deal) {
        if let Some(before) = self.pipeline_of.insert(deal.id.0, deal.pipeline_id.0)
            && before != deal.pipeline_id.0
            && let Some(deals) = self.by_pipeline.get_mut(&before)
        {
            deals.remove(&deal.id.0);
        }
        self.by_pipeline
            .entry(deal.pipeline_id.0)
            .or_default()
            .insert(deal.id.0, slim(deal));
    }

    pub(super) fn remove(&mut self, id: Id) {
        if let Some(pipeline) = self.pipeline_of.remove(&id.0)
            && let Some(deals) = self.by_pipeline.get_mut(&pipeline)
        {
            deals.remove(&id.0);
        }
    }
}

fn slim(deal: &Deal) -> Deal {
    Deal {
        id: deal.id,
        pipeline_id: deal.pipeline_id,
        stage_id: deal.stage_id,
        customer_id: deal.customer_id,
        title: deal.title.clone(),
        amount: deal.amount,
        expected_close: deal.expected_close,
        confidence: deal.confidence,
        owners: deal.owners.clone(),
        competitors: Vec::new(),
        requirements: None,
        solution: None,
        source_campaign: None,
        qualification: None,
        checklist_done: BTreeMap::new(),
        status: deal.status,
        close_reason: None,
        lost_to: None,
        stage_entered_at: deal.stage_entered_at,
        created_at: deal.created_at,
        updated_at: deal.updated_at,
        version: deal.version,
    }
}
