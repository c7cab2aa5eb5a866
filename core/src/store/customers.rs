//! Customers, their contacts, the recycle bin and the audit trail.
//!
//! A customer's index entries change in one place, `CustomerTables::put`,
//! and a contact's in `ContactTables`: creating, editing, importing, handing
//! over, binning and restoring all save through them.

use redb::{ReadableTable, Table, WriteTransaction};

use super::activities::TaskTables;
use super::deals::remove_deal;
use super::prefix::{keys_under, remove_timed_under, remove_under};
use super::tables::*;
use super::{Store, decode, encode};
use crate::domain::matching;
use crate::error::{Error, Result};
use crate::model::{Contact, Customer, Deal, DuplicateField, FieldChange, Id};

/// The owner-index bucket of the public pool.
const POOL: u128 = 0;

pub(super) fn owner_key(owner: Option<Id>) -> u128 {
    owner.map_or(POOL, |o| o.0)
}

pub(super) fn customer_match_keys(c: &Customer) -> Vec<String> {
    let mut keys = vec![matching::name_key(&c.name)];
    keys.extend(c.phone.as_deref().and_then(matching::phone_key));
    keys.extend(c.email.as_deref().map(matching::email_key));
    keys.retain(|k| k.len() > 2);
    keys
}

/// The tables a customer and its contacts live in, opened once: one
/// `insert_customer` and a bulk load of many write through the same code.
pub(super) struct CustomerTables<'tx> {
    customers: Table<'tx, u128, &'static [u8]>,
    by_owner: Table<'tx, (u128, u128), ()>,
    keys: Table<'tx, (&'static str, u128), ()>,
    recycle_bin: Table<'tx, u128, ()>,
    contacts: ContactTables<'tx>,
}

impl<'tx> CustomerTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(CustomerTables {
            customers: tx.open_table(CUSTOMERS)?,
            by_owner: tx.open_table(CUSTOMERS_BY_OWNER)?,
            keys: tx.open_table(CUSTOMER_KEYS)?,
            recycle_bin: tx.open_table(RECYCLE_BIN)?,
            contacts: ContactTables::open(tx)?,
        })
    }

    /// A new, live customer with its indexes and its first contacts.
    pub(super) fn insert(&mut self, customer: &Customer, contacts: &[Contact]) -> Result<()> {
        self.put(None, customer)?;
        for contact in contacts {
            self.contacts.put(None, contact)?;
        }
        Ok(())
    }

    /// Saves `after` over `before` (`None` for a new customer), moving its
    /// index entries: a live customer is found under its owner (or the
    /// pool) and its duplicate-match keys, a binned one only in the bin.
    pub(super) fn put(&mut self, before: Option<&Customer>, after: &Customer) -> Result<()> {
        if let Some(before) = before {
            self.unindex(before)?;
        }
        self.customers
            .insert(after.id.0, encode(after).as_slice())?;
        self.index(after)
    }

    /// Deletes a customer's record, its index entries and its contacts.
    pub(super) fn remove(&mut self, customer: &Customer) -> Result<()> {
        self.customers.remove(customer.id.0)?;
        self.unindex(customer)?;
        self.contacts.remove_all_of(customer.id)
    }

    fn index(&mut self, c: &Customer) -> Result<()> {
        if c.deleted_at.is_some() {
            self.recycle_bin.insert(c.id.0, ())?;
            return Ok(());
        }
        self.by_owner.insert((owner_key(c.owner), c.id.0), ())?;
        for key in customer_match_keys(c) {
            self.keys.insert((key.as_str(), c.id.0), ())?;
        }
        Ok(())
    }

    fn unindex(&mut self, c: &Customer) -> Result<()> {
        if c.deleted_at.is_some() {
            self.recycle_bin.remove(c.id.0)?;
            return Ok(());
        }
        self.by_owner.remove((owner_key(c.owner), c.id.0))?;
        for key in customer_match_keys(c) {
            self.keys.remove((key.as_str(), c.id.0))?;
        }
        Ok(())
    }
}

/// Saves `changed` over `current` (read in this transaction) with the next
/// version, and its audit lines: how an edit, an import row, a handover, the
/// recycle bin and a restore change a stored customer. The caller checks
/// versions; a handover, say, has none to check.
pub(super) fn replace_customer(
    tx: &WriteTransaction,
    current: &Customer,
    changed: Customer,
    changes: &[FieldChange],
) -> Result<Customer> {
    let saved = Customer {
        version: current.version + 1,
        ..changed
    };
    CustomerTables::open(tx)?.put(Some(current), &saved)?;
    record_changes(tx, changes)?;
    Ok(saved)
}

/// A contact and its customer index, opened once.
pub(super) struct ContactTables<'tx> {
    contacts: Table<'tx, u128, &'static [u8]>,
    by_customer: Table<'tx, (u128, u128), ()>,
}

impl<'tx> ContactTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(ContactTables {
            contacts: tx.open_table(CONTACTS)?,
            by_customer: tx.open_table(CONTACTS_BY_CUSTOMER)?,
        })
    }

    /// Saves `after` over `before` (`None` for a new contact).
    pub(super) fn put(&mut self, before: Option<&Contact>, after: &Contact) -> Result<()> {
        if let Some(before) = before
            && before.customer_id != after.customer_id
        {
            self.by_customer
                .remove((before.customer_id.0, before.id.0))?;
        }
        self.contacts.insert(after.id.0, encode(after).as_slice())?;
        self.by_customer
            .insert((after.customer_id.0, after.id.0), ())?;
        Ok(())
    }

    pub(super) fn remove(&mut self, contact: &Contact) -> Result<()> {
        self.contacts.remove(contact.id.0)?;
        self.by_customer
            .remove((contact.customer_id.0, contact.id.0))?;
        Ok(())
    }

    fn remove_all_of(&mut self, customer: Id) -> Result<()> {
        let ids: Vec<u128> = self
            .by_customer
            .range((customer.0, 0)..=(customer.0, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        for id in ids {
            self.contacts.remove(id)?;
            self.by_customer.remove((customer.0, id))?;
        }
        Ok(())
    }
}

pub(super) fn load_customer(tx: &WriteTransaction, id: Id) -> Result<Customer> {
    tx.open_table(CUSTOMERS)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

/// Audit lines of a customer go on its timeline too, and into the
/// company's audit log (which keeps them when the customer is purged).
pub(super) fn record_changes(tx: &WriteTransaction, changes: &[FieldChange]) -> Result<()> {
    for entry in super::audit_log::customer_entries(tx, changes)? {
        super::audit_log::append(tx, &entry)?;
    }
    let mut audit = tx.open_table(AUDIT)?;
    let mut timeline = tx.open_table(TIMELINE)?;
    for change in changes {
        let id = Id::generate().0;
        audit.insert((change.record.0, id), encode(change).as_slice())?;
        timeline.insert(
            (change.record.0, change.at.timestamp_micros(), id),
            TIMELINE_CHANGE,
        )?;
    }
    Ok(())
}

impl Store {
    pub fn customer(&self, id: Id) -> Result<Option<Customer>> {
        let tx = self.read()?;
        let table = tx.open_table(CUSTOMERS)?;
        table.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// The customers of these ids that exist, in the same order, read in one
    /// transaction (a list page).
    pub fn customers(&self, ids: &[Id]) -> Result<Vec<Customer>> {
        let tx = self.read()?;
        let table = tx.open_table(CUSTOMERS)?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = table.get(id.0)? {
                found.push(decode(v.value())?);
            }
        }
        Ok(found)
    }

    pub fn insert_customer(&self, customer: &Customer, contacts: &[Contact]) -> Result<()> {
        self.insert_customer_audited(customer, contacts, &[])
    }

    /// `insert_customer` with lines for its audit trail (an owner given it
    /// over the holding limit), in the same transaction.
    pub fn insert_customer_audited(
        &self,
        customer: &Customer,
        contacts: &[Contact],
        changes: &[FieldChange],
    ) -> Result<()> {
        let tx = self.write()?;
        CustomerTables::open(&tx)?.insert(customer, contacts)?;
        record_changes(&tx, changes)?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.put_customer(customer);
        for contact in contacts {
            directory.put_contact(contact);
        }
        drop(directory);
        pending.wait()?;
        Ok(())
    }

    /// Saves `customer` if the stored copy still has its version, recording
    /// `changes` in the audit trail in the same transaction.
    pub fn update_customer(
        &self,
        customer: &Customer,
        changes: &[FieldChange],
    ) -> Result<Customer> {
        let tx = self.write()?;
        let current = load_customer(&tx, customer.id)?;
        if current.version != customer.version {
            return Err(Error::Conflict);
        }
        if current.deleted_at.is_some() {
            return Err(Error::NotFound);
        }
        let saved = replace_customer(&tx, &current, customer.clone(), changes)?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.put_customer(&saved);
        drop(directory);
        pending.wait()?;
        Ok(saved)
    }

    /// Customer ids of one owner (`None`: the public pool), oldest first.
    pub fn customer_ids_of(&self, owner: Option<Id>) -> Result<Vec<Id>> {
        let tx = self.read()?;
        let index = tx.open_table(CUSTOMERS_BY_OWNER)?;
        let key = owner_key(owner);
        index
            .range((key, 0)..=(key, u128::MAX))?
            .map(|row| Ok(Id(row?.0.value().1)))
            .collect()
    }

    /// Customers whose name, phone or email matches, with what matched.
    pub fn customers_matching(
        &self,
        keys: &[(DuplicateField, String)],
    ) -> Result<Vec<(Id, DuplicateField)>> {
        let tx = self.read()?;
        let index = tx.open_table(CUSTOMER_KEYS)?;
        let mut found = Vec::new();
        for (field, key) in keys {
            for row in index.range((key.as_str(), 0)..=(key.as_str(), u128::MAX))? {
                let id = Id(row?.0.value().1);
                if !found.iter().any(|(f, _)| *f == id) {
                    found.push((id, *field));
                }
            }
        }
        Ok(found)
    }

    /// Moves a customer to the recycle bin: hidden from lists, the pool and
    /// duplicate checks, with its contacts and history kept for a restore.
    pub fn recycle_customer(
        &self,
        id: Id,
        at: chrono::DateTime<chrono::Utc>,
        by: Id,
    ) -> Result<()> {
        let tx = self.write()?;
        let current = load_customer(&tx, id)?;
        if current.deleted_at.is_some() {
            return Err(Error::NotFound);
        }
        let binned = Customer {
            deleted_at: Some(at),
            ..current.clone()
        };
        replace_customer(
            &tx,
            &current,
            binned,
            &[FieldChange {
                record: id,
                by,
                at,
                field: "deleted".into(),
                old: String::new(),
                new: at.to_rfc3339(),
            }],
        )?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.remove_customer(id);
        drop(directory);
        pending.wait()?;
        Ok(())
    }

    pub fn restore_customer(
        &self,
        id: Id,
        at: chrono::DateTime<chrono::Utc>,
        by: Id,
    ) -> Result<Customer> {
        let tx = self.write()?;
        let current = load_customer(&tx, id)?;
        if current.deleted_at.is_none() {
            return Err(Error::NotFound);
        }
        let restored = replace_customer(
            &tx,
            &current,
            Customer {
                deleted_at: None,
                ..current.clone()
            },
            &[FieldChange {
                record: id,
                by,
                at,
                field: "deleted".into(),
                old: "true".into(),
                new: String::new(),
            }],
        )?;
        let contacts = contacts_in(&tx, id)?;
        let last_activity = tx.open_table(LAST_ACTIVITY)?.get(id.0)?.map(|v| v.value());
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.put_customer(&restored);
        for contact in &contacts {
            directory.put_contact(contact);
        }
        if let Some(at) = last_activity {
            directory.touch(id, at);
        }
        drop(directory);
        pending.wait()?;
        Ok(restored)
    }

    /// Deletes a binned customer for good, with its contacts, audit trail,
    /// timeline (activities, files), tasks and deals. Answers the deals it
    /// deleted. Its entries in the company's audit log stay.
    pub fn purge_customer(&self, id: Id) -> Result<Vec<Deal>> {
        let tx = self.write()?;
        let current = load_customer(&tx, id)?;
        if current.deleted_at.is_none() {
            return Err(Error::NotFound);
        }
        CustomerTables::open(&tx)?.remove(&current)?;
        remove_under(&tx, AUDIT, id.0)?;
        let mut deals = Vec::new();
        for deal in keys_under(&tx, DEALS_BY_CUSTOMER, id.0)? {
            deals.extend(remove_deal(&tx, Id(deal))?);
        }
        let timeline = remove_timed_under(&tx, TIMELINE, id.0)?;
        let mut removed_tasks = Vec::new();
        {
            let mut tasks = TaskTables::open(&tx)?;
            for (_, entry) in &timeline {
                removed_tasks.extend(tasks.remove(Id(*entry))?);
            }
        }
        let mut file_ids = Vec::new();
        let mut purged = Vec::new();
        {
            let mut activities = tx.open_table(ACTIVITIES)?;
            let mut files = tx.open_table(FILES)?;
            let mut deal_events = tx.open_table(DEAL_TIMELINE)?;
            for (_, entry) in &timeline {
                if let Some(gone) = activities.remove(*entry)? {
                    purged.push(decode::<crate::model::Activity>(gone.value())?);
                }
                deal_events.remove(*entry)?;
                if files.remove(*entry)?.is_some() {
                    file_ids.push(*entry);
                }
            }
        }
        tx.open_table(LAST_ACTIVITY)?.remove(id.0)?;
        super::recycled::purge_binned_of_customer(&tx, id)?;
        super::contracts::remove_contracts_of_customer(&tx, id)?;
        super::expenses::unlink_customer_expenses(&tx, id)?;
        super::quotes::remove_quotes_of_customer(&tx, id)?;
        let removed: Vec<Id> = deals.iter().map(|d| d.id).collect();
        // As `commit_deals`, with the activity counts brought along too.
        let mut boards = self.deal_boards_mut();
        let mut counts = self.activity_counts_mut();
        let mut contracts = self.contract_index_mut();
        let pending = self.commit_visible(tx)?;
        // Its contracts went, and their deliveries earn nothing now: load
        // the contracts again when next needed, cost every product again.
        *contracts = None;
        drop(contracts);
        self.stock_moved_everywhere();
        if let Some(boards) = boards.as_mut() {
            for &id in &removed {
                boards.remove(id);
            }
        }
        if let Some(counts) = counts.as_mut() {
            for activity in &purged {
                counts.remove(activity);
            }
            for task in &removed_tasks {
                counts.put_task(Some(task), None);
            }
        }
        drop(counts);
        drop(boards);
        pending.wait()?;
        self.remove_file_bytes(&file_ids);
        Ok(deals)
    }

    pub fn recycled_customer_ids(&self) -> Result<Vec<Id>> {
        let tx = self.read()?;
        let bin = tx.open_table(RECYCLE_BIN)?;
        bin.iter()?.map(|row| Ok(Id(row?.0.value()))).collect()
    }

    pub fn insert_contact(&self, contact: &Contact) -> Result<()> {
        let tx = self.write()?;
        load_customer(&tx, contact.customer_id)?;
        ContactTables::open(&tx)?.put(None, contact)?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.put_contact(contact);
        drop(directory);
        pending.wait()?;
        Ok(())
    }

    pub fn contacts_of(&self, customer: Id) -> Result<Vec<Contact>> {
        let tx = self.read()?;
        let by_customer = tx.open_table(CONTACTS_BY_CUSTOMER)?;
        let contacts = tx.open_table(CONTACTS)?;
        let mut out = Vec::new();
        for row in by_customer.range((customer.0, 0)..=(customer.0, u128::MAX))? {
            let contact_id = row?.0.value().1;
            if let Some(v) = contacts.get(contact_id)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// A record's audit trail, oldest first.
    pub fn changes_of(&self, record: Id) -> Result<Vec<FieldChange>> {
        let tx = self.read()?;
        let audit = tx.open_table(AUDIT)?;
        audit
            .range((record.0, 0)..=(record.0, u128::MAX))?
            .map(|row| decode(row?.1.value()))
            .collect()
    }
}

fn contacts_in(tx: &WriteTransaction, customer: Id) -> Result<Vec<Contact>> {
    let by_customer = tx.open_table(CONTACTS_BY_CUSTOMER)?;
    let contacts = tx.open_table(CONTACTS)?;
    let mut out = Vec::new();
    for row in by_customer.range((customer.0, 0)..=(customer.0, u128::MAX))? {
        if let Some(v) = contacts.get(row?.0.value().1)? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::CustomerKind;
    use chrono::Utc;

    pub fn customer(name: &str, owner: Option<Id>) -> Customer {
        Customer {
            id: Id::generate(),
            name: name.into(),
            kind: CustomerKind::Company,
            customer_type: "potential".into(),
            source: None,
            industry: None,
            region: None,
            grade: None,
            tags: vec![],
            owner,
            phone: Some("138-1234-5678".into()),
            email: None,
            address: None,
            website: None,
            notes: None,
            hot: None,
            custom: Default::default(),
            created_at: Utc::now(),
            created_by: Id(1),
            updated_at: Utc::now(),
            deleted_at: None,
            version: 1,
        }
    }

    pub fn contact(customer: Id, name: &str) -> Contact {
        Contact {
            id: Id::generate(),
            customer_id: customer,
            name: name.into(),
            title: None,
            phones: vec![],
            email: None,
            wechat: None,
            birthday: None,
            notes: None,
            role: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn owner_index_separates_reps_and_the_pool() {
        let (_dir, store) = temp_store();
        let rep = Id::generate();
        let mine = customer("北京星辰科技有限公司", Some(rep));
        let pooled = customer("上海云帆贸易", None);
        store.insert_customer(&mine, &[]).unwrap();
        store.insert_customer(&pooled, &[]).unwrap();
        assert_eq!(store.customer_ids_of(Some(rep)).unwrap(), vec![mine.id]);
        assert_eq!(store.customer_ids_of(None).unwrap(), vec![pooled.id]);
    }

    #[test]
    fn releasing_to_the_pool_moves_the_index_entry_and_is_audited() {
        let (_dir, store) = temp_store();
        let rep = Id::generate();
        let c = customer("星辰科技", Some(rep));
        store.insert_customer(&c, &[]).unwrap();
        let change = FieldChange {
            record: c.id,
            by: rep,
            at: Utc::now(),
            field: "owner".into(),
            old: rep.to_string(),
            new: String::new(),
        };
        let saved = store
            .update_customer(
                &Customer {
                    owner: None,
                    ..c.clone()
                },
                std::slice::from_ref(&change),
            )
            .unwrap();
        assert_eq!(saved.version, 2);
        assert!(store.customer_ids_of(Some(rep)).unwrap().is_empty());
        assert_eq!(store.customer_ids_of(None).unwrap(), vec![c.id]);
        assert_eq!(store.changes_of(c.id).unwrap(), vec![change]);
        assert_eq!(
            store.update_customer(
                &Customer {
                    name: "x".into(),
                    ..c
                },
                &[]
            ),
            Err(Error::Conflict),
            "a save from the old version is refused"
        );
    }

    #[test]
    fn duplicates_are_found_by_name_phone_or_email() {
        let (_dir, store) = temp_store();
        let c = customer("北京星辰科技有限公司", None);
        store.insert_customer(&c, &[]).unwrap();
        let by_name = store
            .customers_matching(&[(
                DuplicateField::Name,
                matching::name_key(" 北京星辰科技有限公司 "),
            )])
            .unwrap();
        assert_eq!(by_name, vec![(c.id, DuplicateField::Name)]);
        let by_phone = store
            .customers_matching(&[(
                DuplicateField::Phone,
                matching::phone_key("13812345678").unwrap(),
            )])
            .unwrap();
        assert_eq!(by_phone, vec![(c.id, DuplicateField::Phone)]);
    }

    #[test]
    fn recycle_restore_and_purge() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        let li = contact(c.id, "李娜");
        store
            .insert_customer(&c, std::slice::from_ref(&li))
            .unwrap();
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        assert!(store.customer_ids_of(None).unwrap().is_empty());
        assert_eq!(store.recycled_customer_ids().unwrap(), vec![c.id]);
        assert!(
            store
                .customers_matching(&[(DuplicateField::Name, matching::name_key("星辰科技"))])
                .unwrap()
                .is_empty(),
            "binned customers raise no duplicate warnings"
        );
        let restored = store.restore_customer(c.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(restored.deleted_at, None);
        assert_eq!(store.customer_ids_of(None).unwrap(), vec![c.id]);
        assert_eq!(store.contacts_of(c.id).unwrap(), vec![li]);

        assert_eq!(
            store.purge_customer(c.id),
            Err(Error::NotFound),
            "only binned customers are purged"
        );
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        store.purge_customer(c.id).unwrap();
        assert_eq!(store.customer(c.id).unwrap(), None);
        assert!(store.contacts_of(c.id).unwrap().is_empty());
        assert!(store.changes_of(c.id).unwrap().is_empty());
    }

    #[test]
    fn contacts_need_an_existing_customer() {
        let (_dir, store) = temp_store();
        assert_eq!(
            store.insert_contact(&contact(Id(42), "王")),
            Err(Error::NotFound)
        );
    }
}
