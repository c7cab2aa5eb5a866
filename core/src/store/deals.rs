//! Pipelines, deals and the stage history.
//!
//! A deal changes inside one write transaction together with the pipeline
//! it is checked against, so a rule (a checklist, a version) is never judged
//! on a copy that another commit has already replaced.

use redb::{ReadableTable, Table, WriteTransaction};

use super::deal_boards::{BoardDeal, DealCustomers};
use super::directory::{self, VisibleOwners, best};
use super::tables::*;
use super::{Store, decode, encode};
use crate::domain::deals;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, CloseReasons, Deal, DealTimelineEvent, Hit, Id, Pipeline, ReopenRequest,
    ReopenStatus, StageChange,
};

pub(super) fn load_pipeline(tx: &WriteTransaction, id: Id) -> Result<Pipeline> {
    tx.open_table(PIPELINES)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

/// Records a stage change in the deal's history and, named as in
/// `pipeline`, on its customer's timeline; both under one new id.
fn put_history(
    tx: &WriteTransaction,
    change: &StageChange,
    deal: &Deal,
    pipeline: &Pipeline,
) -> Result<()> {
    HistoryTables::open(tx)?.insert(Id::generate(), change, deal, pipeline)
}

pub(super) fn put_timeline_event(
    tx: &WriteTransaction,
    id: u128,
    event: &DealTimelineEvent,
) -> Result<()> {
    put_timeline_event_in(
        &mut tx.open_table(DEAL_TIMELINE)?,
        &mut tx.open_table(TIMELINE)?,
        id,
        event,
    )
}

fn put_timeline_event_in(
    events: &mut Table<u128, &'static [u8]>,
    timeline: &mut Table<(u128, i64, u128), u8>,
    id: u128,
    event: &DealTimelineEvent,
) -> Result<()> {
    events.insert(id, encode(event).as_slice())?;
    timeline.insert(
        (event.customer_id.0, event.at.timestamp_micros(), id),
        TIMELINE_DEAL,
    )?;
    Ok(())
}

/// What a stage change writes, with the tables opened once: every move of
/// the app and a bulk load of many histories share this code.
pub(super) struct HistoryTables<'tx> {
    history: Table<'tx, (u128, u128), &'static [u8]>,
    events: Table<'tx, u128, &'static [u8]>,
    timeline: Table<'tx, (u128, i64, u128), u8>,
}

impl<'tx> HistoryTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(HistoryTables {
            history: tx.open_table(STAGE_HISTORY)?,
            events: tx.open_table(DEAL_TIMELINE)?,
            timeline: tx.open_table(TIMELINE)?,
        })
    }

    /// A deal's history is read in the order of these ids, so each change
    /// of a deal needs a larger id than the one before.
    pub(super) fn insert(
        &mut self,
        id: Id,
        change: &StageChange,
        deal: &Deal,
        pipeline: &Pipeline,
    ) -> Result<()> {
        self.history
            .insert((change.deal_id.0, id.0), encode(change).as_slice())?;
        put_timeline_event_in(
            &mut self.events,
            &mut self.timeline,
            id.0,
            &deals::timeline_event(deal, pipeline, change),
        )
    }

    /// Deletes a deal's whole history with its timeline events.
    fn remove_of(&mut self, deal: Id) -> Result<()> {
        let changes: Vec<u128> = self
            .history
            .range((deal.0, 0)..=(deal.0, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        for change in changes {
            self.history.remove((deal.0, change))?;
            let event: Option<DealTimelineEvent> = self
                .events
                .remove(change)?
                .map(|v| decode(v.value()))
                .transpose()?;
            if let Some(event) = event {
                self.timeline
                    .remove((event.customer_id.0, event.at.timestamp_micros(), change))?;
            }
        }
        Ok(())
    }
}

/// A deal and its board and customer indexes, with the tables opened once:
/// every save and delete of a deal, one or a bulk load of many, goes
/// through here, so its index entries change in one place.
pub(super) struct DealTables<'tx> {
    deals: Table<'tx, u128, &'static [u8]>,
    by_pipeline: Table<'tx, (u128, u128), ()>,
    by_customer: Table<'tx, (u128, u128), ()>,
}

impl<'tx> DealTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(DealTables {
            deals: tx.open_table(DEALS)?,
            by_pipeline: tx.open_table(DEALS_BY_PIPELINE)?,
            by_customer: tx.open_table(DEALS_BY_CUSTOMER)?,
        })
    }

    pub(super) fn insert(&mut self, deal: &Deal) -> Result<()> {
        self.put(None, deal)
    }

    /// Saves `after` over `before` (`None` for a new deal), moving its
    /// index entries when its pipeline or customer changed.
    pub(super) fn put(&mut self, before: Option<&Deal>, after: &Deal) -> Result<()> {
        let id = after.id.0;
        if before.map(|b| b.pipeline_id) != Some(after.pipeline_id) {
            if let Some(b) = before {
                self.by_pipeline.remove((b.pipeline_id.0, id))?;
            }
            self.by_pipeline.insert((after.pipeline_id.0, id), ())?;
        }
        if before.map(|b| b.customer_id) != Some(after.customer_id) {
            if let Some(b) = before {
                self.by_customer.remove((b.customer_id.0, id))?;
            }
            self.by_customer.insert((after.customer_id.0, id), ())?;
        }
        self.deals.insert(id, encode(after).as_slice())?;
        Ok(())
    }

    /// Deletes a deal's record and index entries; answers what it deleted.
    fn remove(&mut self, id: Id) -> Result<Option<Deal>> {
        let Some(deal) = self
            .deals
            .remove(id.0)?
            .map(|v| decode::<Deal>(v.value()))
            .transpose()?
        else {
            return Ok(None);
        };
        self.by_pipeline.remove((deal.pipeline_id.0, id.0))?;
        self.by_customer.remove((deal.customer_id.0, id.0))?;
        Ok(Some(deal))
    }
}

/// Saves a changed deal over `before`, as read in this transaction. A deal
/// given to another customer lets go of the activities about it: they stay
/// on the old customer's timeline, and a deal's activities are its
/// customer's.
pub(super) fn replace_deal(tx: &WriteTransaction, before: &Deal, after: &Deal) -> Result<()> {
    if before.customer_id != after.customer_id {
        unlink_activities(tx, before.id)?;
    }
    DealTables::open(tx)?.put(Some(before), after)
}

/// Makes the activities about `deal` about no deal.
fn unlink_activities(tx: &WriteTransaction, deal: Id) -> Result<()> {
    let mut index = tx.open_table(DEAL_ACTIVITIES)?;
    let keys: Vec<(u128, i64, u128)> = index
        .range((deal.0, i64::MIN, 0)..=(deal.0, i64::MAX, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value()))
        .collect::<Result<_, _>>()?;
    let mut activities = tx.open_table(ACTIVITIES)?;
    for key in keys {
        index.remove(key)?;
        let activity: Option<Activity> = activities
            .get(key.2)?
            .map(|v| decode(v.value()))
            .transpose()?;
        if let Some(mut activity) = activity {
            activity.deal_id = None;
            activities.insert(key.2, encode(&activity).as_slice())?;
        }
    }
    Ok(())
}

/// The activities that were about `deal` and are about no deal now, of its
/// customer, about it again (a deal restored from the recycle bin).
pub(super) fn relink_activities(tx: &WriteTransaction, deal: &Deal, ids: &[u128]) -> Result<()> {
    let mut index = tx.open_table(DEAL_ACTIVITIES)?;
    let mut activities = tx.open_table(ACTIVITIES)?;
    for &id in ids {
        let activity: Option<Activity> =
            activities.get(id)?.map(|v| decode(v.value())).transpose()?;
        let Some(mut activity) = activity else {
            continue;
        };
        if activity.deal_id.is_none() && activity.customer_id == deal.customer_id {
            activity.deal_id = Some(deal.id);
            activities.insert(id, encode(&activity).as_slice())?;
            index.insert((deal.id.0, activity.at.timestamp_micros(), id), ())?;
        }
    }
    Ok(())
}

fn load_deal(tx: &WriteTransaction, id: Id) -> Result<Deal> {
    tx.open_table(DEALS)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

pub(super) fn history_in(tx: &WriteTransaction, deal: Id) -> Result<Vec<(u128, StageChange)>> {
    let table = tx.open_table(STAGE_HISTORY)?;
    table
        .range((deal.0, 0)..=(deal.0, u128::MAX))?
        .map(|row| {
            let (key, value) = row?;
            Ok((key.value().1, decode(value.value())?))
        })
        .collect()
}

fn put_reopen_request(tx: &WriteTransaction, request: &ReopenRequest) -> Result<()> {
    tx.open_table(REOPEN_REQUESTS)?
        .insert(request.id.0, encode(request).as_slice())?;
    tx.open_table(REOPEN_BY_REQUESTER)?
        .insert((request.requested_by.0, request.id.0), ())?;
    let mut pending = tx.open_table(REOPEN_PENDING)?;
    match request.status {
        ReopenStatus::Pending => pending.insert(request.deal_id.0, request.id.0)?,
        _ => pending.remove(request.deal_id.0)?,
    };
    Ok(())
}

/// Deletes the request pending for a deal with its index entries; decided
/// ones stay, as the record of what was decided.
fn remove_pending_reopen(tx: &WriteTransaction, deal: Id) -> Result<()> {
    let pending = tx
        .open_table(REOPEN_PENDING)?
        .remove(deal.0)?
        .map(|v| v.value());
    if let Some(request) = pending {
        let removed: Option<ReopenRequest> = tx
            .open_table(REOPEN_REQUESTS)?
            .remove(request)?
            .map(|v| decode(v.value()))
            .transpose()?;
        if let Some(r) = removed {
            tx.open_table(REOPEN_BY_REQUESTER)?
                .remove((r.requested_by.0, request))?;
        }
    }
    Ok(())
}

/// Removes a deal with everything that hangs off it (its indexes, stage
/// history, timeline events and a pending reopen request) within `tx`.
pub(super) fn remove_deal(tx: &WriteTransaction, id: Id) -> Result<Option<Deal>> {
    let Some(deal) = DealTables::open(tx)?.remove(id)? else {
        return Ok(None);
    };
    unlink_activities(tx, id)?;
    HistoryTables::open(tx)?.remove_of(id)?;
    remove_pending_reopen(tx, id)?;
    super::files::unlink_deal_files(tx, id)?;
    super::quotes::unlink_deal(tx, id)?;
    super::contracts::unlink_deal_contracts(tx, id)?;
    Ok(Some(deal))
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
    /// `pipeline.version`; returns the saved copy. A stage that still holds
    /// deals is not dropped (`Stage`, `Taken`): `remove_stage` moves them.
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
            let deals = tx.open_table(DEALS)?;
            for row in tx
                .open_table(DEALS_BY_PIPELINE)?
                .range((pipeline.id.0, 0)..=(pipeline.id.0, u128::MAX))?
            {
                let Some(v) = deals.get(row?.0.value().1)? else {
                    continue;
                };
                let deal: Deal = decode(v.value())?;
                if pipeline.stage(deal.stage_id).is_none() {
                    return Err(Error::invalid(Field::Stage, Problem::Taken));
                }
            }
            let saved = Pipeline {
                version,
                ..pipeline.clone()
            };
            table.insert(saved.id.0, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        self.settings_changed();
        Ok(saved)
    }

    /// Removes a stage from a pipeline still at `version`, moving its deals
    /// to `move_to` (recorded as moves by `by`), in one transaction. Returns
    /// the saved pipeline and the deals moved.
    pub fn remove_stage(
        &self,
        pipeline: Id,
        stage: Id,
        move_to: Id,
        version: u64,
        by: Id,
    ) -> Result<(Pipeline, Vec<Deal>)> {
        let tx = self.write()?;
        let before = load_pipeline(&tx, pipeline)?;
        if before.version != version {
            return Err(Error::Conflict);
        }
        let mut after = before.clone();
        after.stages.retain(|s| s.id != stage);
        after.version += 1;
        let ids: Vec<u128> = tx
            .open_table(DEALS_BY_PIPELINE)?
            .range((pipeline.0, 0)..=(pipeline.0, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        let mut moved = Vec::new();
        for id in ids {
            let before_move = load_deal(&tx, Id(id))?;
            if before_move.stage_id != stage {
                continue;
            }
            let mut deal = before_move.clone();
            let at = chrono::Utc::now();
            let change = StageChange {
                deal_id: deal.id,
                from: Some(stage),
                to: move_to,
                at,
                by,
            };
            deal.stage_id = move_to;
            deal.stage_entered_at = at;
            deal.updated_at = at;
            deal.checklist_done.remove(&stage);
            deal.version += 1;
            // Named as in the pipeline before: the stage left is gone after.
            put_history(&tx, &change, &deal, &before)?;
            replace_deal(&tx, &before_move, &deal)?;
            moved.push(deal);
        }
        tx.open_table(PIPELINES)?
            .insert(pipeline.0, encode(&after).as_slice())?;
        self.commit_deals(tx, &moved, &[])?;
        self.settings_changed();
        Ok((after, moved))
    }

    pub fn insert_deal(&self, deal: &Deal, created: &StageChange) -> Result<()> {
        let tx = self.write()?;
        let pipeline = load_pipeline(&tx, deal.pipeline_id)?;
        DealTables::open(&tx)?.insert(deal)?;
        put_history(&tx, created, deal, &pipeline)?;
        self.commit_deals(tx, [deal], &[])?;
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
        let mut deal = load_deal(&tx, id)?;
        let before = deal.clone();
        let pipeline = load_pipeline(&tx, deal.pipeline_id)?;
        let moved = change(&mut deal, &pipeline)?;
        deal.version = before.version + 1;
        if let Some(moved) = &moved {
            put_history(&tx, moved, &deal, &pipeline)?;
        }
        replace_deal(&tx, &before, &deal)?;
        self.commit_deals(tx, [&deal], &[])?;
        Ok(deal)
    }

    pub fn close_reasons(&self) -> Result<CloseReasons> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        Ok(meta
            .get(META_CLOSE_REASONS)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the close reasons if the stored ones are still at
    /// `reasons.version`.
    pub fn save_close_reasons(&self, reasons: &CloseReasons) -> Result<CloseReasons> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: CloseReasons = meta
                .get(META_CLOSE_REASONS)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != reasons.version {
                return Err(Error::Conflict);
            }
            let saved = CloseReasons {
                version: current.version + 1,
                ..reasons.clone()
            };
            meta.insert(META_CLOSE_REASONS, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }

    /// Files a reopen request for a deal that is still closed and has no
    /// other request pending.
    pub fn insert_reopen_request(&self, request: &ReopenRequest) -> Result<()> {
        let tx = self.write()?;
        let deal = load_deal(&tx, request.deal_id)?;
        if !deal.is_closed() {
            return Err(Error::invalid(Field::Stage, Problem::Unknown));
        }
        if tx.open_table(REOPEN_PENDING)?.get(deal.id.0)?.is_some() {
            return Err(Error::invalid(Field::Reopen, Problem::Taken));
        }
        put_reopen_request(&tx, request)?;
        self.commit(tx)?;
        Ok(())
    }

    pub fn reopen_request(&self, id: Id) -> Result<Option<ReopenRequest>> {
        let tx = self.read()?;
        let table = tx.open_table(REOPEN_REQUESTS)?;
        table.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Every pending reopen request, oldest deal first.
    pub fn pending_reopen_requests(&self) -> Result<Vec<ReopenRequest>> {
        let tx = self.read()?;
        let pending = tx.open_table(REOPEN_PENDING)?;
        let requests = tx.open_table(REOPEN_REQUESTS)?;
        let mut out = Vec::new();
        for row in pending.iter()? {
            if let Some(v) = requests.get(row?.1.value())? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// What one user asked to reopen, newest first.
    pub fn reopen_requests_of(&self, requester: Id) -> Result<Vec<ReopenRequest>> {
        let tx = self.read()?;
        let index = tx.open_table(REOPEN_BY_REQUESTER)?;
        let requests = tx.open_table(REOPEN_REQUESTS)?;
        let mut out = Vec::new();
        for row in index
            .range((requester.0, 0)..=(requester.0, u128::MAX))?
            .rev()
        {
            if let Some(v) = requests.get(row?.0.value().1)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// Decides a pending reopen request in one transaction: `decide` sees
    /// the request, the deal, its pipeline and its history, records the
    /// decision on the request and, when approving, reopens the deal and
    /// answers the stage change. Returns the decided request and the deal
    /// as saved when it changed.
    pub fn decide_reopen(
        &self,
        id: Id,
        decide: impl FnOnce(
            &mut ReopenRequest,
            &mut Deal,
            &Pipeline,
            &[StageChange],
        ) -> Result<Option<StageChange>>,
    ) -> Result<(ReopenRequest, Option<Deal>)> {
        let tx = self.write()?;
        let mut request: ReopenRequest = tx
            .open_table(REOPEN_REQUESTS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        if request.status != ReopenStatus::Pending {
            return Err(Error::Conflict);
        }
        let mut deal = load_deal(&tx, request.deal_id)?;
        let before = deal.clone();
        let pipeline = load_pipeline(&tx, deal.pipeline_id)?;
        let history: Vec<StageChange> = history_in(&tx, deal.id)?
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        let reopened = decide(&mut request, &mut deal, &pipeline, &history)?;
        put_reopen_request(&tx, &request)?;
        let saved = match reopened {
            Some(change) => {
                deal.version += 1;
                put_history(&tx, &change, &deal, &pipeline)?;
                replace_deal(&tx, &before, &deal)?;
                Some(deal)
            }
            None => None,
        };
        self.commit_deals(tx, saved.as_slice(), &[])?;
        Ok((request, saved))
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

    /// The search box's deals: those whose title holds `folded` (text
    /// folded as `matching::fold` folds; those starting with it first),
    /// then those of `customers` (found by `search_with_customers`; `None`
    /// when it found too many to list, and then those of any customer
    /// whose name, email or phone holds the text), at most `limit`, among
    /// the deals with an owner in `visible` (every deal when `None`; a
    /// deal without owners always). Reads only memory: the deal boards and
    /// the customer directory.
    pub fn search_deals(
        &self,
        folded: &str,
        customers: Option<&[u128]>,
        visible: VisibleOwners,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        self.with_deal_boards(|boards| {
            let directory = self.directory();
            let needle = directory::needle(folded);
            let holds = |customer: u128| {
                needle
                    .as_ref()
                    .is_some_and(|q| directory.customer_holds(customer, q))
            };
            let customers = match customers {
                Some(listed) => DealCustomers::Listed(listed),
                None => DealCustomers::Holding(&holds),
            };
            let visible: Option<directory::IdSet> =
                visible.map(|ids| ids.iter().map(|i| i.0).collect());
            let sees = |d: &BoardDeal| {
                visible.as_ref().is_none_or(|v| {
                    d.owners.is_empty() || d.owners.iter().any(|o| v.contains(&o.0))
                })
            };
            let found = boards.search(folded, customers, sees, limit);
            let found = best(
                found,
                |(d, how)| (*how, d.title.chars().count(), d.id),
                limit,
            );
            found
                .into_iter()
                .map(|(d, _)| Hit {
                    customer: d.customer_id,
                    customer_name: directory.customer_name(d.customer_id).unwrap_or_default(),
                    contact_name: None,
                    deal_id: Some(d.id),
                    deal_title: Some(d.title.to_string()),
                    document: None,
                })
                .collect()
        })
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

#[cfg(test)]
pub(crate) mod tests {
    use super::super::customers::tests::customer;
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{Cents, DealStatus, Outcome};
    use chrono::Utc;

    /// An open deal in the first stage of the first pipeline, inserted.
    pub fn new_deal(store: &Store, customer: Id) -> Deal {
        let pipeline = store.pipelines().unwrap().remove(0);
        let now = Utc::now();
        let deal = Deal {
            id: Id::generate(),
            pipeline_id: pipeline.id,
            stage_id: pipeline.stages[0].id,
            customer_id: customer,
            title: "ERP".into(),
            amount: Cents(100_000),
            expected_close: None,
            confidence: 20,
            owners: vec![],
            competitors: vec![],
            requirements: None,
            solution: None,
            source_campaign: None,
            qualification: None,
            checklist_done: Default::default(),
            status: DealStatus::Open,
            close_reason: None,
            lost_to: None,
            stage_entered_at: now,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let created = StageChange {
            deal_id: deal.id,
            from: None,
            to: deal.stage_id,
            at: now,
            by: Id(1),
        };
        store.insert_deal(&deal, &created).unwrap();
        deal
    }

    #[test]
    fn a_deal_given_to_another_customer_is_listed_under_that_one_only() {
        let (_dir, store) = temp_store();
        let (first, second) = (customer("星辰科技", None), customer("云帆贸易", None));
        store.insert_customer(&first, &[]).unwrap();
        store.insert_customer(&second, &[]).unwrap();
        let deal = new_deal(&store, first.id);
        let moved = store
            .update_deal(deal.id, |d, _| {
                d.customer_id = second.id;
                Ok(None)
            })
            .unwrap();
        assert_eq!(moved.version, 2);
        assert!(store.deals_of_customer(first.id).unwrap().is_empty());
        assert_eq!(store.deals_of_customer(second.id).unwrap(), vec![moved]);
    }

    #[test]
    fn a_deleted_deal_leaves_no_history_timeline_or_pending_reopen_request() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        let won = store
            .update_deal(deal.id, |d, _| {
                d.status = DealStatus::Won;
                Ok(None)
            })
            .unwrap();
        let request = ReopenRequest {
            id: Id::generate(),
            deal_id: deal.id,
            deal_title: deal.title.clone(),
            customer_id: c.id,
            outcome: Outcome::Won,
            requested_by: Id(7),
            requester_name: "李娜".into(),
            note: "客户改主意了".into(),
            requested_at: Utc::now(),
            status: ReopenStatus::Pending,
            decided_by: None,
            decider_name: None,
            decided_at: None,
            decision_note: None,
        };
        store.insert_reopen_request(&request).unwrap();
        assert_eq!(store.timeline(c.id, None, 10).unwrap().len(), 1);

        assert_eq!(
            store.recycle_deal(deal.id, Some(1), Utc::now(), Id(1)),
            Err(Error::Conflict)
        );
        assert_eq!(
            store.recycle_deal(deal.id, Some(won.version), Utc::now(), Id(1)),
            Ok(won)
        );
        assert!(store.stage_history(deal.id).unwrap().is_empty());
        assert!(store.timeline(c.id, None, 10).unwrap().is_empty());
        assert!(store.pending_reopen_requests().unwrap().is_empty());
        assert!(store.reopen_requests_of(Id(7)).unwrap().is_empty());
        assert!(
            store
                .with_deal_boards(|b| b.deal(deal.id).is_none())
                .unwrap()
        );
    }

    #[test]
    fn removing_a_stage_moves_its_deals_and_keeps_them_on_the_board() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        let pipeline = store.pipeline(deal.pipeline_id).unwrap().unwrap();
        let next = pipeline.stages[1].id;
        let (after, moved) = store
            .remove_stage(pipeline.id, deal.stage_id, next, pipeline.version, Id(1))
            .unwrap();
        assert!(after.stage(deal.stage_id).is_none());
        assert_eq!(moved.len(), 1);
        assert_eq!(store.deals_of_pipeline(pipeline.id).unwrap(), moved);
        assert_eq!(store.stage_history(deal.id).unwrap().len(), 2);
        assert_eq!(
            store
                .with_deal_boards(|b| b.deal(deal.id).map(|d| d.stage_id))
                .unwrap(),
            Some(next)
        );
    }
}
