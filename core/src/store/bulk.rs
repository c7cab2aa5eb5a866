//! Many new records in one transaction, for loading generated data (the demo
//! data set): one commit per batch instead of one per record, written
//! through the same per-record code as the app's own inserts, so every index
//! and the in-memory directory end up as if each had been entered by hand.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use redb::{ReadableTable, ReadableTableMetadata};

use super::activities::{ActivityTables, TaskTables, require_live_customer};
use super::customers::CustomerTables;
use super::deals::{DealTables, HistoryTables, load_pipeline};
use super::tables::*;
use super::{Store, encode};
use crate::error::{Error, Result};
use crate::model::{Activity, Contact, Customer, Deal, Id, Pipeline, StageChange, Task};

/// A new deal with its whole stage history, oldest change first, each
/// change under the id that keys it in the history and on the timeline
/// (increasing, so the history reads back in order).
#[derive(Clone, Debug, PartialEq)]
pub struct NewDeal {
    pub deal: Deal,
    pub history: Vec<(Id, StageChange)>,
}

/// One batch for `Store::insert_bulk`. Customers must be new and live;
/// deals, activities and tasks may name customers of this batch or live
/// ones already stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewRecords {
    pub customers: Vec<(Customer, Vec<Contact>)>,
    pub deals: Vec<NewDeal>,
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
}

/// How many records the main tables hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub users: u64,
    pub customers: u64,
    pub contacts: u64,
    pub deals: u64,
    pub stage_changes: u64,
    pub activities: u64,
    pub tasks: u64,
    pub timeline_entries: u64,
}

impl Store {
    /// Writes a batch in one transaction: all of it or, on an error, none.
    pub fn insert_bulk(&self, records: &NewRecords) -> Result<()> {
        let tx = self.write()?;
        let mut known: HashSet<Id> = HashSet::new();
        for (customer, contacts) in &records.customers {
            if customer.deleted_at.is_some()
                || contacts.iter().any(|c| c.customer_id != customer.id)
            {
                return Err(Error::Internal(
                    "a bulk load takes live customers with their own contacts".into(),
                ));
            }
            known.insert(customer.id);
        }
        let named = records
            .deals
            .iter()
            .map(|d| d.deal.customer_id)
            .chain(records.activities.iter().map(|a| a.customer_id))
            .chain(records.tasks.iter().filter_map(|t| t.customer_id));
        for customer in named {
            if known.insert(customer) {
                require_live_customer(&tx, customer)?;
            }
        }
        let mut pipelines: HashMap<Id, Pipeline> = HashMap::new();
        for new in &records.deals {
            let id = new.deal.pipeline_id;
            if let Entry::Vacant(slot) = pipelines.entry(id) {
                slot.insert(load_pipeline(&tx, id)?);
            }
        }
        // Records go in by id, which is their main table's key: the B-trees
        // copy a page on its first change in a transaction, and inserts in
        // key order change each page once and keep the cache warm.
        let mut customers: Vec<&(Customer, Vec<Contact>)> = records.customers.iter().collect();
        customers.sort_unstable_by_key(|(c, _)| c.id);
        let mut deals: Vec<&NewDeal> = records.deals.iter().collect();
        deals.sort_unstable_by_key(|d| d.deal.id);
        let mut activities: Vec<&Activity> = records.activities.iter().collect();
        activities.sort_unstable_by_key(|a| a.id);
        let mut tasks: Vec<&Task> = records.tasks.iter().collect();
        tasks.sort_unstable_by_key(|t| t.id);
        // One set of open tables at a time: several share the timeline.
        {
            let mut tables = CustomerTables::open(&tx)?;
            for (customer, contacts) in customers {
                tables.insert(customer, contacts)?;
            }
        }
        {
            let mut tables = DealTables::open(&tx)?;
            for new in &deals {
                tables.insert(&new.deal)?;
            }
        }
        {
            let mut tables = HistoryTables::open(&tx)?;
            for new in &deals {
                let pipeline = &pipelines[&new.deal.pipeline_id];
                for (id, change) in &new.history {
                    tables.insert(*id, change, &new.deal, pipeline)?;
                }
            }
        }
        let mut touched = Vec::with_capacity(activities.len());
        {
            let mut tables = ActivityTables::open(&tx)?;
            for activity in activities {
                touched.push((activity.customer_id, tables.insert(activity)?));
            }
        }
        {
            let mut tables = TaskTables::open(&tx)?;
            for task in tasks {
                tables.insert(task)?;
            }
        }
        let mut boards = self.deal_boards_mut();
        let mut counts = self.activity_counts_mut();
        let mut directory = self.directory_mut();
        tx.commit()?;
        if let Some(counts) = counts.as_mut() {
            for activity in &records.activities {
                counts.add(activity);
            }
            for task in &records.tasks {
                counts.put_task(None, Some(task));
            }
        }
        drop(counts);
        if let Some(boards) = boards.as_mut() {
            for new in &records.deals {
                boards.put_with_history(&new.deal, new.history.iter().map(|(_, c)| c));
            }
        }
        for (customer, contacts) in &records.customers {
            directory.put_customer(customer);
            for contact in contacts {
                directory.put_contact(contact);
            }
        }
        for (customer, at) in touched {
            directory.touch(customer, at);
        }
        Ok(())
    }

    /// Replaces every pipeline, for a data folder without deals (demo data
    /// brings its own, with ids of its own); refused once a deal exists.
    pub fn reset_pipelines(&self, pipelines: &[Pipeline]) -> Result<()> {
        let tx = self.write()?;
        if tx.open_table(DEALS)?.first()?.is_some() {
            return Err(Error::Conflict);
        }
        {
            let mut table = tx.open_table(PIPELINES)?;
            table.retain(|_, _| false)?;
            for pipeline in pipelines {
                table.insert(pipeline.id.0, encode(pipeline).as_slice())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn record_counts(&self) -> Result<RecordCounts> {
        let tx = self.read()?;
        Ok(RecordCounts {
            users: tx.open_table(USERS)?.len()?,
            customers: tx.open_table(CUSTOMERS)?.len()?,
            contacts: tx.open_table(CONTACTS)?.len()?,
            deals: tx.open_table(DEALS)?.len()?,
            stage_changes: tx.open_table(STAGE_HISTORY)?.len()?,
            activities: tx.open_table(ACTIVITIES)?.len()?,
            tasks: tx.open_table(TASKS)?.len()?,
            timeline_entries: tx.open_table(TIMELINE)?.len()?,
        })
    }

    /// SHA-256 over every row of the record and index tables (not the
    /// password hashes, which are salted at random): equal digests mean
    /// equal data, ids included.
    #[cfg(test)]
    pub(crate) fn content_digest(&self) -> Result<[u8; 32]> {
        use redb::TableHandle;
        use sha2::{Digest, Sha256};
        let tx = self.read()?;
        let mut hash = Sha256::new();
        macro_rules! rows {
            ($($table:expr),*) => {$(
                hash.update($table.name().as_bytes());
                for row in tx.open_table($table)?.iter()? {
                    let (key, value) = row?;
                    hash.update(format!("{:?}={:?};", key.value(), value.value()).as_bytes());
                }
            )*};
        }
        rows!(
            USERS,
            USERS_BY_EMAIL,
            CUSTOMERS,
            CUSTOMERS_BY_OWNER,
            CUSTOMER_KEYS,
            CONTACTS,
            CONTACTS_BY_CUSTOMER,
            ACTIVITIES,
            TASKS,
            TASKS_BY_ASSIGNEE,
            TIMELINE,
            LAST_ACTIVITY,
            PIPELINES,
            DEALS,
            DEALS_BY_PIPELINE,
            DEALS_BY_CUSTOMER,
            STAGE_HISTORY,
            DEAL_TIMELINE
        );
        let meta = tx.open_table(META)?;
        for key in [META_COMPANY, META_CUSTOMER_SETTINGS] {
            if let Some(value) = meta.get(key)? {
                hash.update(value.value());
            }
        }
        Ok(hash.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::customers::tests::{contact, customer};
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{ActivityKind, Cents, DealStatus, TimelineEntry};
    use chrono::{Duration, Utc};

    #[test]
    fn a_bulk_batch_is_indexed_like_single_inserts() {
        let (_dir, store) = temp_store();
        let pipeline = store.pipelines().unwrap().remove(0);
        let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);
        let c = customer("北京星辰科技有限公司", None);
        let li = contact(c.id, "李娜");
        let t0 = Utc::now() - Duration::days(3);
        let deal = Deal {
            id: Id::generate(),
            pipeline_id: pipeline.id,
            stage_id: second,
            customer_id: c.id,
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
            stage_entered_at: t0 + Duration::days(1),
            created_at: t0,
            updated_at: t0 + Duration::days(1),
            version: 2,
        };
        let change = |from, to, at| StageChange {
            deal_id: deal.id,
            from,
            to,
            at,
            by: Id(1),
        };
        let history = vec![
            (Id::generate(), change(None, first, t0)),
            (
                Id::generate(),
                change(Some(first), second, t0 + Duration::days(1)),
            ),
        ];
        let call = Activity {
            id: Id::generate(),
            kind: ActivityKind::Call,
            customer_id: c.id,
            contact_id: Some(li.id),
            at: t0 + Duration::days(2),
            duration_minutes: Some(3),
            text: "报价".into(),
            by: Id(1),
            created_at: t0 + Duration::days(2),
            deal_id: Some(deal.id),
        };
        let records = NewRecords {
            customers: vec![(c.clone(), vec![li.clone()])],
            deals: vec![NewDeal {
                deal: deal.clone(),
                history,
            }],
            activities: vec![call.clone()],
            tasks: vec![],
        };
        store.insert_bulk(&records).unwrap();
        assert_eq!(store.contacts_of(c.id).unwrap(), vec![li]);
        assert_eq!(store.deals_of_customer(c.id).unwrap(), vec![deal.clone()]);
        assert_eq!(
            store.deals_of_pipeline(pipeline.id).unwrap(),
            vec![deal.clone()]
        );
        assert_eq!(store.stage_history(deal.id).unwrap().len(), 2);
        let kinds: Vec<&str> = store
            .timeline(c.id, None, 10)
            .unwrap()
            .iter()
            .map(|(_, e)| match e {
                TimelineEntry::Activity(_) => "activity",
                TimelineEntry::Deal(_) => "deal",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["activity", "deal", "deal"]);
        assert_eq!(store.directory().search("星辰", None, 5).len(), 1);
        assert_eq!(
            store
                .last_activity(c.id)
                .unwrap()
                .map(|t| t.timestamp_micros()),
            Some(call.at.timestamp_micros())
        );
        let counts = store.record_counts().unwrap();
        assert_eq!(
            (counts.customers, counts.deals, counts.activities),
            (1, 1, 1)
        );

        let orphan = NewRecords {
            activities: vec![Activity {
                id: Id::generate(),
                customer_id: Id(42),
                ..call
            }],
            ..Default::default()
        };
        assert_eq!(store.insert_bulk(&orphan), Err(Error::NotFound));
        assert_eq!(store.reset_pipelines(&[]), Err(Error::Conflict));
    }
}
