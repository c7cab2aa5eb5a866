//! Pipelines, deals and the stage history.
//!
//! A deal changes inside one write transaction together with the pipeline
//! it is checked against, so a rule (a checklist, a version) is never judged
//! on a copy that another commit has already replaced.

use redb::{ReadableTable, WriteTransaction};

use super::activities::put_task;
use super::customers::{
    index_customer, load_customer, put_customer, record_changes, unindex_customer,
};
use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Customer, Deal, FieldChange, Id, Pipeline, StageChange, Task};

/// What a handover changed, in the order it found them.
#[derive(Debug, Default)]
pub struct HandedOver {
    pub customers: Vec<Customer>,
    pub deals: Vec<Deal>,
    pub tasks: Vec<Task>,
}

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

    /// Hands over what one user holds, in one transaction: each customer
    /// `from` owns goes through `customer` (the changed copy and its audit
    /// lines, or `None` to leave it), each deal `from` leads through `deal`
    /// and each task assigned to `from` through `task` (both answer whether
    /// they changed it). Records are read inside the transaction, so no
    /// edit made meanwhile is overwritten; each changed one gets its next
    /// version.
    pub fn hand_over(
        &self,
        from: Id,
        mut customer: impl FnMut(&Customer) -> Option<(Customer, Vec<FieldChange>)>,
        mut deal: impl FnMut(&mut Deal) -> bool,
        mut task: impl FnMut(&mut Task) -> bool,
    ) -> Result<HandedOver> {
        let tx = self.write()?;
        let mut out = HandedOver::default();
        let customer_ids: Vec<u128> = tx
            .open_table(CUSTOMERS_BY_OWNER)?
            .range((from.0, 0)..=(from.0, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        for id in customer_ids {
            let current = load_customer(&tx, Id(id))?;
            let Some((changed, changes)) = customer(&current) else {
                continue;
            };
            let saved = Customer {
                version: current.version + 1,
                ..changed
            };
            unindex_customer(&tx, &current)?;
            index_customer(&tx, &saved)?;
            put_customer(&tx, &saved)?;
            record_changes(&tx, &changes)?;
            out.customers.push(saved);
        }
        {
            let mut deals = tx.open_table(DEALS)?;
            let mut led: Vec<Deal> = Vec::new();
            for row in deals.iter()? {
                let d: Deal = decode(row?.1.value())?;
                if d.lead_owner() == Some(from) {
                    led.push(d);
                }
            }
            for mut d in led {
                if deal(&mut d) {
                    d.version += 1;
                    deals.insert(d.id.0, encode(&d).as_slice())?;
                    out.deals.push(d);
                }
            }
        }
        let task_ids: Vec<u128> = tx
            .open_table(TASKS_BY_ASSIGNEE)?
            .range((from.0, i64::MIN, 0)..=(from.0, i64::MAX, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().2))
            .collect::<Result<_, _>>()?;
        for id in task_ids {
            let current: Task = tx
                .open_table(TASKS)?
                .get(id)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            let mut changed = current.clone();
            if task(&mut changed) {
                changed.version = current.version + 1;
                put_task(&tx, &changed, Some(&current))?;
                out.tasks.push(changed);
            }
        }
        let mut directory = self.directory_mut();
        tx.commit()?;
        for c in &out.customers {
            directory.put_customer(c);
        }
        Ok(out)
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
