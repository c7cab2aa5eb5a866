//! Pipelines, deals and the stage history.
//!
//! A deal changes inside one write transaction together with the pipeline
//! it is checked against, so a rule (a checklist, a version) is never judged
//! on a copy that another commit has already replaced.

use redb::{ReadableTable, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Deal, Id, Pipeline, StageChange};

fn load_pipeline(tx: &WriteTransaction, id: Id) -> Result<Pipeline> {
    tx.open_table(PIPELINES)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

fn put_history(tx: &WriteTransaction, change: &StageChange) -> Result<()> {
    tx.open_table(STAGE_HISTORY)?.insert(
        (change.deal_id.0, Id::generate().0),
        encode(change).as_slice(),
    )?;
    Ok(())
}

impl Store {
    /// Every pipeline, oldest first.
    pub fn pipelines(&self) -> Result<Vec<Pipeline>> {
        let tx = self.read()?;
        let table = tx.open_table(PIPELINES)?;
        table.iter()?.map(|row| decode(row?.1.value())).collect()
    }

    pub fn pipeline(&self, id: Id) -> Result<Option<Pipeline>> {
        let tx = self.read()?;
        let table = tx.open_table(PIPELINES)?;
        table.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Inserts a new pipeline (version 1) or replaces one still at
    /// `pipeline.version`; returns the saved copy.
    pub fn save_pipeline(&self, pipeline: &Pipeline) -> Result<Pipeline> {
        let tx = self.write()?;
        let saved = {
            let mut table = tx.open_table(PIPELINES)?;
            let current: Option<Pipeline> = table
                .get(pipeline.id.0)?
                .map(|v| decode(v.value()))
                .transpose()?;
            let version = match current {
                None => 1,
                Some(c) if c.version == pipeline.version => c.version + 1,
                Some(_) => return Err(Error::Conflict),
            };
            let saved = Pipeline {
                version,
                ..pipeline.clone()
            };
            table.insert(saved.id.0, encode(&saved).as_slice())?;
            saved
        };
        tx.commit()?;
        Ok(saved)
    }

    pub fn insert_deal(&self, deal: &Deal, created: &StageChange) -> Result<()> {
        let tx = self.write()?;
        load_pipeline(&tx, deal.pipeline_id)?;
        tx.open_table(DEALS)?
            .insert(deal.id.0, encode(deal).as_slice())?;
        tx.open_table(DEALS_BY_PIPELINE)?
            .insert((deal.pipeline_id.0, deal.id.0), ())?;
        tx.open_table(DEALS_BY_CUSTOMER)?
            .insert((deal.customer_id.0, deal.id.0), ())?;
        put_history(&tx, created)?;
        tx.commit()?;
        Ok(())
    }

    pub fn deal(&self, id: Id) -> Result<Option<Deal>> {
        let tx = self.read()?;
        let table = tx.open_table(DEALS)?;
        table.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Changes a deal in one transaction: `change` sees the stored deal and
    /// its pipeline, edits the deal and says whether it moved stage. The
    /// saved deal gets the next version.
    pub fn update_deal(
        &self,
        id: Id,
        change: impl FnOnce(&mut Deal, &Pipeline) -> Result<Option<StageChange>>,
    ) -> Result<Deal> {
        let tx = self.write()?;
        let mut deal: Deal = tx
            .open_table(DEALS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        let before = deal.clone();
        let pipeline = load_pipeline(&tx, deal.pipeline_id)?;
        let moved = change(&mut deal, &pipeline)?;
        deal.version = before.version + 1;
        if deal.pipeline_id != before.pipeline_id {
            let mut index = tx.open_table(DEALS_BY_PIPELINE)?;
            index.remove((before.pipeline_id.0, id.0))?;
            index.insert((deal.pipeline_id.0, id.0), ())?;
        }
        if deal.customer_id != before.customer_id {
            let mut index = tx.open_table(DEALS_BY_CUSTOMER)?;
            index.remove((before.customer_id.0, id.0))?;
            index.insert((deal.customer_id.0, id.0), ())?;
        }
        if let Some(moved) = &moved {
            put_history(&tx, moved)?;
        }
        tx.open_table(DEALS)?
            .insert(id.0, encode(&deal).as_slice())?;
        tx.commit()?;
        Ok(deal)
    }

    /// Deletes a deal still at `version` (when given) with its index
    /// entries and stage history; returns what was deleted.
    pub fn delete_deal(&self, id: Id, version: Option<u64>) -> Result<Deal> {
        let tx = self.write()?;
        let deal: Deal = tx
            .open_table(DEALS)?
            .remove(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        if version.is_some_and(|v| v != deal.version) {
            return Err(Error::Conflict);
        }
        tx.open_table(DEALS_BY_PIPELINE)?
            .remove((deal.pipeline_id.0, id.0))?;
        tx.open_table(DEALS_BY_CUSTOMER)?
            .remove((deal.customer_id.0, id.0))?;
        {
            let mut history = tx.open_table(STAGE_HISTORY)?;
            let keys: Vec<(u128, u128)> = history
                .range((id.0, 0)..=(id.0, u128::MAX))?
                .map(|row| row.map(|(k, _)| k.value()))
                .collect::<Result<_, _>>()?;
            for key in keys {
                history.remove(key)?;
            }
        }
        tx.commit()?;
        Ok(deal)
    }

    /// The deals on one pipeline's board, closed ones included.
    pub fn deals_of_pipeline(&self, pipeline: Id) -> Result<Vec<Deal>> {
        self.deals_indexed(DEALS_BY_PIPELINE, pipeline)
    }

    pub fn deals_of_customer(&self, customer: Id) -> Result<Vec<Deal>> {
        self.deals_indexed(DEALS_BY_CUSTOMER, customer)
    }

    /// The deals under `key` in a (key, deal id) index.
    fn deals_indexed(
        &self,
        index: redb::TableDefinition<(u128, u128), ()>,
        key: Id,
    ) -> Result<Vec<Deal>> {
        let tx = self.read()?;
        let index = tx.open_table(index)?;
        let deals = tx.open_table(DEALS)?;
        let mut out = Vec::new();
        for row in index.range((key.0, 0)..=(key.0, u128::MAX))? {
            let (_, deal) = row?.0.value();
            if let Some(v) = deals.get(deal)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// A deal's stage changes, oldest first.
    pub fn stage_history(&self, deal: Id) -> Result<Vec<StageChange>> {
        let tx = self.read()?;
        let table = tx.open_table(STAGE_HISTORY)?;
        table
            .range((deal.0, 0)..=(deal.0, u128::MAX))?
            .map(|row| decode(row?.1.value()))
            .collect()
    }
}
