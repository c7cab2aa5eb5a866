//! Deals, contacts and activities in the recycle bin.
//!
//! A binned customer stays in its own tables, flagged, with everything about
//! it waiting there. These smaller records leave their tables instead, so no
//! board, report, list or index has to learn to skip them: each waits whole
//! in `RECYCLED`, with what it was linked to, until an admin restores it (the
//! same id, links, history and place on the timeline) or purges it.

use chrono::{DateTime, Utc};
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::activities::{ActivityTables, require_live_customer};
use super::customers::{ContactTables, load_customer, record_changes};
use super::deals::{
    DealTables, history_in, load_pipeline, put_timeline_event, relink_activities, remove_deal,
};
use super::prefix::keys_under;
use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, BinnedKind, BinnedRecord, Contact, Deal, DealTimelineEvent, FieldChange, Id,
    StageChange,
};

#[derive(Serialize, Deserialize)]
struct Binned {
    deleted_at: DateTime<Utc>,
    deleted_by: Id,
    record: BinnedBody,
}

#[derive(Serialize, Deserialize)]
enum BinnedBody {
    Deal(Box<BinnedDeal>),
    Contact(Contact),
    Activity(Activity),
}

/// A deal with its stage history (each change with its event on the
/// customer's timeline) and what was about it when it was deleted: deleting
/// unlinks those, a restore links again the ones nobody has linked since.
#[derive(Serialize, Deserialize)]
struct BinnedDeal {
    deal: Deal,
    history: Vec<(u128, StageChange, Option<DealTimelineEvent>)>,
    activities: Vec<u128>,
    files: Vec<u128>,
    quotes: Vec<u128>,
    contracts: Vec<u128>,
}

impl Binned {
    /// As the bin lists it, the customer's name left for the caller.
    fn listed(&self) -> BinnedRecord {
        let (id, kind, label, customer_id) = match &self.record {
            BinnedBody::Deal(d) => (
                d.deal.id,
                BinnedKind::Deal,
                d.deal.title.clone(),
                d.deal.customer_id,
            ),
            BinnedBody::Contact(c) => (c.id, BinnedKind::Contact, c.name.clone(), c.customer_id),
            BinnedBody::Activity(a) => (a.id, BinnedKind::Activity, a.text.clone(), a.customer_id),
        };
        BinnedRecord {
            id,
            kind,
            label,
            customer_id,
            customer_name: String::new(),
            deleted_at: self.deleted_at,
            deleted_by: self.deleted_by,
        }
    }

    fn customer_id(&self) -> Id {
        self.listed().customer_id
    }
}

fn put_binned(tx: &WriteTransaction, id: Id, binned: &Binned) -> Result<()> {
    tx.open_table(RECYCLED)?
        .insert(id.0, encode(binned).as_slice())?;
    Ok(())
}

fn take_binned(tx: &WriteTransaction, id: Id) -> Result<Binned> {
    tx.open_table(RECYCLED)?
        .remove(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

/// A record goes back only to a customer that is not in the bin itself.
fn require_restorable_customer(tx: &WriteTransaction, customer: Id) -> Result<()> {
    let customer = load_customer(tx, customer)?;
    if customer.deleted_at.is_some() {
        return Err(Error::RestoreCustomerFirst {
            customer: customer.name,
        });
    }
    Ok(())
}

/// What is wrong with the bin: an entry that does not decode, names a
/// customer that is gone, or is live in its own table as well.
pub(super) fn problems(
    tx: &redb::ReadTransaction,
    customers: &std::collections::HashSet<u128>,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let deals = tx.open_table(DEALS)?;
    let contacts = tx.open_table(CONTACTS)?;
    let activities = tx.open_table(ACTIVITIES)?;
    for row in tx.open_table(RECYCLED)?.iter()? {
        let (id, value) = row?;
        let id = id.value();
        let Ok(binned) = decode::<Binned>(value.value()) else {
            out.push(format!("{id} does not decode"));
            continue;
        };
        let listed = binned.listed();
        if !customers.contains(&listed.customer_id.0) {
            out.push(format!(
                "{id} belongs to customer {} that is gone",
                listed.customer_id
            ));
        }
        let live = match listed.kind {
            BinnedKind::Deal => deals.get(id)?.is_some(),
            BinnedKind::Contact => contacts.get(id)?.is_some(),
            BinnedKind::Activity => activities.get(id)?.is_some(),
        };
        if live {
            out.push(format!("{id} is both binned and live"));
        }
        if listed.id.0 != id {
            out.push(format!("{id} holds record {}", listed.id));
        }
    }
    Ok(out)
}

/// Deletes for good what of `customer` is in the bin (its purge).
pub(super) fn purge_binned_of_customer(tx: &WriteTransaction, customer: Id) -> Result<()> {
    let mut table = tx.open_table(RECYCLED)?;
    let mut doomed = Vec::new();
    for row in table.iter()? {
        let (id, value) = row?;
        if decode::<Binned>(value.value())?.customer_id() == customer {
            doomed.push(id.value());
        }
    }
    for id in doomed {
        table.remove(id)?;
    }
    Ok(())
}

impl Store {
    /// Moves a deal still at `version` (when given) to the recycle bin with
    /// its stage history: it leaves the boards, reports and its customer's
    /// timeline, and what was about it is about no deal until a restore.
    pub fn recycle_deal(
        &self,
        id: Id,
        version: Option<u64>,
        at: DateTime<Utc>,
        by: Id,
    ) -> Result<Deal> {
        let tx = self.write()?;
        let events = tx.open_table(DEAL_TIMELINE)?;
        let history = history_in(&tx, id)?
            .into_iter()
            .map(|(change_id, change)| {
                let event = events
                    .get(change_id)?
                    .map(|v| decode(v.value()))
                    .transpose()?;
                Ok((change_id, change, event))
            })
            .collect::<Result<Vec<_>>>()?;
        drop(events);
        let activities = tx
            .open_table(DEAL_ACTIVITIES)?
            .range((id.0, i64::MIN, 0)..=(id.0, i64::MAX, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().2))
            .collect::<Result<Vec<_>, _>>()?;
        let files = keys_under(&tx, DEAL_FILES, id.0)?;
        let quotes = keys_under(&tx, QUOTES_BY_DEAL, id.0)?;
        let contracts = keys_under(&tx, CONTRACTS_BY_DEAL, id.0)?;
        let deal = remove_deal(&tx, id)?.ok_or(Error::NotFound)?;
        if version.is_some_and(|v| v != deal.version) {
            return Err(Error::Conflict);
        }
        let binned = BinnedDeal {
            deal: deal.clone(),
            history,
            activities,
            files,
            quotes,
            contracts,
        };
        put_binned(
            &tx,
            id,
            &Binned {
                deleted_at: at,
                deleted_by: by,
                record: BinnedBody::Deal(Box::new(binned)),
            },
        )?;
        self.commit_deals(tx, [], &[id])?;
        Ok(deal)
    }

    /// Moves a contact to the recycle bin, writing `change` into its
    /// customer's audit trail. Activities that named it keep its id.
    pub fn recycle_contact(&self, id: Id, change: &FieldChange) -> Result<Contact> {
        let tx = self.write()?;
        let contact: Contact = tx
            .open_table(CONTACTS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        // Contacts of a binned customer wait with it.
        require_live_customer(&tx, contact.customer_id)?;
        if change.record != contact.customer_id {
            return Err(Error::Internal(
                "a contact's audit line names another record".into(),
            ));
        }
        ContactTables::open(&tx)?.remove(&contact)?;
        record_changes(&tx, std::slice::from_ref(change))?;
        put_binned(
            &tx,
            id,
            &Binned {
                deleted_at: change.at,
                deleted_by: change.by,
                record: BinnedBody::Contact(contact.clone()),
            },
        )?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.remove_contact(id);
        drop(directory);
        pending.wait()?;
        Ok(contact)
    }

    /// Moves an activity to the recycle bin (see `delete_activity`).
    pub fn recycle_activity(&self, id: Id, at: DateTime<Utc>, by: Id) -> Result<Activity> {
        self.delete_activity_then(id, |tx, activity| {
            put_binned(
                tx,
                id,
                &Binned {
                    deleted_at: at,
                    deleted_by: by,
                    record: BinnedBody::Activity(activity.clone()),
                },
            )
        })
    }

    /// What is in the bin besides customers, most recently deleted first.
    pub fn binned_records(&self) -> Result<Vec<BinnedRecord>> {
        let tx = self.read()?;
        let table = tx.open_table(RECYCLED)?;
        let customers = tx.open_table(CUSTOMERS)?;
        let mut out = table
            .iter()?
            .map(|row| {
                let mut listed = decode::<Binned>(row?.1.value())?.listed();
                if let Some(c) = customers.get(listed.customer_id.0)? {
                    listed.customer_name = decode::<crate::model::Customer>(c.value())?.name;
                }
                Ok(listed)
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|r| std::cmp::Reverse(r.deleted_at));
        Ok(out)
    }

    /// Puts a binned deal, contact or activity back as it was. A deal comes
    /// back to its stage with its history and links again what was about it
    /// and is about no deal since; an activity about a deal that is gone
    /// comes back about none. Answers what it restored, and the deal when
    /// it was one.
    pub fn restore_binned(&self, id: Id, by: Id) -> Result<(BinnedRecord, Option<Deal>)> {
        let tx = self.write()?;
        let binned = take_binned(&tx, id)?;
        let listed = binned.listed();
        require_restorable_customer(&tx, listed.customer_id)?;
        match binned.record {
            BinnedBody::Deal(d) => {
                let deal = self.restore_deal_in(&tx, *d, by)?;
                self.commit_deals(tx, [&deal], &[])?;
                Ok((listed, Some(deal)))
            }
            BinnedBody::Contact(contact) => {
                ContactTables::open(&tx)?.put(None, &contact)?;
                record_changes(
                    &tx,
                    &[FieldChange {
                        record: contact.customer_id,
                        by,
                        at: Utc::now(),
                        field: format!("contact:{}:restored", contact.name),
                        old: String::new(),
                        new: contact.name.clone(),
                    }],
                )?;
                let mut directory = self.directory_mut();
                let pending = self.commit_visible(tx)?;
                directory.put_contact(&contact);
                drop(directory);
                pending.wait()?;
                Ok((listed, None))
            }
            BinnedBody::Activity(mut activity) => {
                if let Some(deal) = activity.deal_id {
                    let about: Option<Deal> = tx
                        .open_table(DEALS)?
                        .get(deal.0)?
                        .map(|v| decode(v.value()))
                        .transpose()?;
                    if about.is_none_or(|d| d.customer_id != activity.customer_id) {
                        activity.deal_id = None;
                    }
                }
                let at = ActivityTables::open(&tx)?.insert(&activity)?;
                let mut counts = self.activity_counts_mut();
                let mut directory = self.directory_mut();
                let pending = self.commit_visible(tx)?;
                directory.touch(activity.customer_id, at);
                if let Some(counts) = counts.as_mut() {
                    counts.add(&activity);
                }
                drop(directory);
                drop(counts);
                pending.wait()?;
                Ok((listed, None))
            }
        }
    }

    fn restore_deal_in(&self, tx: &WriteTransaction, binned: BinnedDeal, by: Id) -> Result<Deal> {
        let deal = binned.deal;
        let pipeline = load_pipeline(tx, deal.pipeline_id)?;
        if !pipeline.stages.iter().any(|s| s.id == deal.stage_id) {
            return Err(Error::invalid(Field::Stage, Problem::Unknown));
        }
        DealTables::open(tx)?.insert(&deal)?;
        {
            let mut history = tx.open_table(STAGE_HISTORY)?;
            for (change_id, change, _) in &binned.history {
                history.insert((deal.id.0, *change_id), encode(change).as_slice())?;
            }
        }
        for (change_id, _, event) in &binned.history {
            if let Some(event) = event {
                put_timeline_event(tx, *change_id, event)?;
            }
        }
        relink_activities(tx, &deal, &binned.activities)?;
        super::files::relink_deal_files(tx, &deal, &binned.files)?;
        super::quotes::relink_deal(tx, &deal, &binned.quotes)?;
        super::contracts::relink_deal_contracts(tx, &deal, &binned.contracts, by)?;
        Ok(deal)
    }

    /// Deletes a binned deal, contact or activity for good.
    pub fn purge_binned(&self, id: Id) -> Result<BinnedRecord> {
        let tx = self.write()?;
        let binned = take_binned(&tx, id)?;
        self.commit(tx)?;
        Ok(binned.listed())
    }
}

#[cfg(test)]
mod tests {
    use super::super::activities::tests::activity;
    use super::super::contacts::tests::removal;
    use super::super::customers::tests::{contact, customer};
    use super::super::deals::tests::new_deal;
    use super::super::test_support::temp_store;
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_binned_deal_leaves_board_history_and_timeline_and_comes_back_whole() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        let call = Activity {
            deal_id: Some(deal.id),
            ..activity(c.id, Utc::now(), "谈 ERP 报价")
        };
        store.insert_activity(&call).unwrap();
        let history = store.stage_history(deal.id).unwrap();
        let timeline = store.timeline(c.id, None, 10).unwrap();
        assert_eq!(history.len(), 1);

        store
            .recycle_deal(deal.id, Some(deal.version), Utc::now(), Id(2))
            .unwrap();
        assert_eq!(store.deal(deal.id).unwrap(), None);
        assert!(store.stage_history(deal.id).unwrap().is_empty());
        assert!(
            store
                .with_deal_boards(|b| b.deal(deal.id).is_none())
                .unwrap()
        );
        assert_eq!(store.activity(call.id).unwrap().unwrap().deal_id, None);
        assert!(store.activities_of_deal(deal.id, 10).unwrap().is_empty());
        let binned = store.binned_records().unwrap();
        assert_eq!(binned.len(), 1);
        assert_eq!(
            (binned[0].id, binned[0].kind, binned[0].label.as_str()),
            (deal.id, BinnedKind::Deal, "ERP")
        );
        assert_eq!((binned[0].customer_id, binned[0].deleted_by), (c.id, Id(2)));

        let (restored, back) = store.restore_binned(deal.id, Id(1)).unwrap();
        assert_eq!(restored.kind, BinnedKind::Deal);
        assert_eq!(back.as_ref(), Some(&deal));
        assert_eq!(store.deal(deal.id).unwrap(), Some(deal.clone()));
        assert_eq!(store.stage_history(deal.id).unwrap(), history);
        assert_eq!(store.timeline(c.id, None, 10).unwrap(), timeline);
        assert!(
            store
                .with_deal_boards(|b| b.deal(deal.id).is_some())
                .unwrap()
        );
        assert_eq!(
            store.activity(call.id).unwrap().unwrap().deal_id,
            Some(deal.id)
        );
        assert_eq!(store.activities_of_deal(deal.id, 10).unwrap().len(), 1);
        assert!(store.binned_records().unwrap().is_empty());
        assert_eq!(store.restore_binned(deal.id, Id(1)), Err(Error::NotFound));
        assert!(store.check_consistency().unwrap().is_consistent());
    }

    #[test]
    fn a_binned_contact_waits_for_its_customer_and_goes_with_its_purge() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        let zhang = contact(c.id, "张伟");
        store
            .insert_customer(&c, std::slice::from_ref(&zhang))
            .unwrap();
        store.recycle_contact(zhang.id, &removal(&zhang)).unwrap();
        assert_eq!(store.contact(zhang.id).unwrap(), None);
        assert!(store.directory().search("张伟", None, 10).is_empty());

        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(
            store.restore_binned(zhang.id, Id(1)),
            Err(Error::RestoreCustomerFirst {
                customer: "星辰科技".into()
            })
        );
        assert_eq!(store.binned_records().unwrap().len(), 1, "nothing changed");
        store.restore_customer(c.id, Utc::now(), Id(1)).unwrap();
        store.restore_binned(zhang.id, Id(1)).unwrap();
        assert_eq!(store.contact(zhang.id).unwrap(), Some(zhang.clone()));
        assert_eq!(store.directory().search("张伟", None, 10).len(), 1);
        let audit = store.changes_of(c.id).unwrap();
        assert_eq!(audit.last().unwrap().field, "contact:张伟:restored");

        store.recycle_contact(zhang.id, &removal(&zhang)).unwrap();
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        store.purge_customer(c.id).unwrap();
        assert!(store.binned_records().unwrap().is_empty());
    }

    #[test]
    fn a_binned_activity_comes_back_on_the_timeline_without_a_deal_that_is_gone() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        let now = Utc::now();
        let older = activity(c.id, now - Duration::days(3), "上周拜访");
        let latest = Activity {
            deal_id: Some(deal.id),
            ..activity(c.id, now, "今天电话")
        };
        store.insert_activity(&older).unwrap();
        store.insert_activity(&latest).unwrap();

        store.recycle_activity(latest.id, now, Id(1)).unwrap();
        let last = |s: &Store| s.last_activity(c.id).unwrap().map(|t| t.timestamp_micros());
        assert_eq!(last(&store), Some(older.at.timestamp_micros()));
        store.recycle_deal(deal.id, None, now, Id(1)).unwrap();
        store.purge_binned(deal.id).unwrap();

        store.restore_binned(latest.id, Id(1)).unwrap();
        assert_eq!(
            store.activity(latest.id).unwrap(),
            Some(Activity {
                deal_id: None,
                ..latest.clone()
            })
        );
        assert_eq!(last(&store), Some(latest.at.timestamp_micros()));
        assert_eq!(store.activities_of(c.id, None, 10).unwrap().len(), 2);
        assert_eq!(store.purge_binned(latest.id), Err(Error::NotFound));
        assert!(store.check_consistency().unwrap().is_consistent());
    }
}
