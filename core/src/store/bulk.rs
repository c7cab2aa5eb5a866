//! Many new records in one transaction, for loading generated data (the demo
//! data set): one commit per batch instead of one per record, written
//! through the same per-record code as the app's own inserts, so every index
//! and the in-memory directory end up as if each had been entered by hand.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use redb::{ReadableTable, ReadableTableMetadata};

use chrono::Datelike;
use redb::WriteTransaction;

use super::activities::{ActivityTables, TaskTables, require_live_customer};
use super::contracts::ContractTables;
use super::customers::CustomerTables;
use super::deals::{DealTables, HistoryTables, load_pipeline};
use super::expenses::ExpenseTables;
use super::products::ProductTables;
use super::tables::*;
use super::{Store, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, Contact, Contract, Customer, Deal, Expense, Id, Payment, Pipeline, Product,
    StageChange, StockMove, Task,
};

/// A new deal with its whole stage history, oldest change first, each
/// change under the id that keys it in the history and on the timeline
/// (increasing, so the history reads back in order).
#[derive(Clone, Debug, PartialEq)]
pub struct NewDeal {
    pub deal: Deal,
    pub history: Vec<(Id, StageChange)>,
}

/// A new contract with the payments received against it. Its number is
/// given (numbered by the generator in signing order, or an imported
/// order's own) or, when empty, the next of its creation year; a given
/// number of the app's shape moves its year's counter past it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewContract {
    pub contract: Contract,
    pub payments: Vec<Payment>,
}

/// One batch for `Store::insert_bulk`. Customers must be new and live;
/// deals, activities and tasks may name customers of this batch or live
/// ones already stored; contracts, customers and products of this batch
/// or stored ones; deliveries, contract lines of this batch or stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewRecords {
    pub customers: Vec<(Customer, Vec<Contact>)>,
    pub deals: Vec<NewDeal>,
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
    pub products: Vec<Product>,
    pub contracts: Vec<NewContract>,
    /// Purchases, adjustments and deliveries: refused (the whole batch)
    /// if a product's stock would go below zero on some day or a line
    /// would get more than it ordered.
    pub stock_moves: Vec<StockMove>,
    pub expenses: Vec<Expense>,
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
    pub products: u64,
    pub contracts: u64,
    pub payments: u64,
    pub stock_moves: u64,
    pub expenses: u64,
}

/// The year and sequence of a number in the shape the app gives,
/// `C2026-00042`.
fn own_contract_number(number: &str) -> Option<(i32, u64)> {
    let (year, sequence) = number.strip_prefix('C')?.split_once('-')?;
    if year.len() != 4 || sequence.is_empty() {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(year) || !digits(sequence) {
        return None;
    }
    Some((year.parse().ok()?, sequence.parse().ok()?))
}

/// Whether a live customer is stored (or written earlier in `tx`).
fn known_customer(tx: &WriteTransaction, customer: Id) -> Result<bool> {
    match require_live_customer(tx, customer) {
        Ok(()) => Ok(true),
        Err(Error::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
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
        let contracts = self.insert_money(&tx, records)?;
        let mut boards = self.deal_boards_mut();
        let mut counts = self.activity_counts_mut();
        let mut index = self.contract_index_mut();
        let mut directory = self.directory_mut();
        tx.commit()?;
        if let Some(index) = index.as_mut() {
            for c in &contracts {
                index.put(c);
            }
            for p in records.contracts.iter().flat_map(|c| &c.payments) {
                index.add_payment(p);
            }
            for e in &records.expenses {
                index.put_expense(e);
            }
        }
        drop(index);
        if !records.stock_moves.is_empty() {
            self.stock_moved_everywhere();
        } else if !records.products.is_empty() {
            self.catalog_changed();
        }
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
        directory.open_batch();
        for (customer, contacts) in &records.customers {
            directory.put_customer(customer);
            for contact in contacts {
                directory.put_contact(contact);
            }
        }
        directory.close_batch();
        for (customer, at) in touched {
            directory.touch(customer, at);
        }
        Ok(())
    }

    /// The money part of a bulk batch, through the same per-record code
    /// as the app's writes: products, contracts with their versions and
    /// payments (the installments' paid amounts must match them), stock
    /// moves (checked as `insert_stock_move` checks each) and expenses.
    /// Answers the contracts as saved, numbered.
    fn insert_money(&self, tx: &WriteTransaction, records: &NewRecords) -> Result<Vec<Contract>> {
        {
            let mut tables = ProductTables::open(tx)?;
            for p in &records.products {
                tables.put(None, p)?;
            }
        }
        let mut contracts: Vec<&NewContract> = records.contracts.iter().collect();
        contracts.sort_unstable_by_key(|c| c.contract.id);
        let mut saved = Vec::with_capacity(contracts.len());
        for new in contracts {
            let c = &new.contract;
            if !known_customer(tx, c.customer_id)? {
                return Err(Error::NotFound);
            }
            let mut paid = vec![0_i64; c.plan.len()];
            for p in &new.payments {
                if p.contract_id != c.id
                    || p.allocations.iter().map(|(_, a)| a.0).sum::<i64>() != p.amount.0
                {
                    return Err(Error::Internal(format!("payment {} does not add up", p.id)));
                }
                for (i, a) in &p.allocations {
                    *paid.get_mut(*i as usize).ok_or_else(|| {
                        Error::Internal(format!("payment {} pays no installment", p.id))
                    })? += a.0;
                }
            }
            if c.plan
                .iter()
                .zip(&paid)
                .any(|(i, p)| i.paid.0 != *p || i.paid > i.amount)
            {
                return Err(Error::Internal(format!(
                    "contract {}'s installments are not its payments",
                    c.id
                )));
            }
            let number = if c.number.is_empty() {
                let year = c.created_at.year();
                let key = format!("contract:{year}");
                format!("C{year}-{:05}", super::quotes::next_in(tx, &key)?)
            } else {
                // A number in Guanxi's own shape moves its year's counter
                // past it, so the app never gives it again; any other
                // (an imported order's own) is kept as it is.
                if let Some((year, sequence)) = own_contract_number(&c.number) {
                    let key = format!("contract:{year}");
                    let mut counters = tx.open_table(COUNTERS)?;
                    let last = counters.get(key.as_str())?.map(|v| v.value()).unwrap_or(0);
                    counters.insert(key.as_str(), last.max(sequence))?;
                }
                c.number.clone()
            };
            // Checked by the order import before it writes; someone may
            // have taken the number since.
            if tx
                .open_table(CONTRACT_NUMBERS)?
                .get(number.as_str())?
                .is_some()
            {
                return Err(Error::invalid(Field::OrderNumber, Problem::Taken));
            }
            let contract = Contract {
                number,
                ..c.clone()
            };
            ContractTables::open(tx)?.put_at(
                None,
                &contract,
                contract.created_by,
                contract.created_at,
            )?;
            {
                let mut payments = tx.open_table(PAYMENTS)?;
                let mut by_contract = tx.open_table(PAYMENTS_BY_CONTRACT)?;
                for p in &new.payments {
                    payments.insert(p.id.0, encode(p).as_slice())?;
                    by_contract.insert((c.id.0, p.id.0), ())?;
                }
            }
            saved.push(contract);
        }
        let mut moves: Vec<&StockMove> = records.stock_moves.iter().collect();
        moves.sort_unstable_by_key(|m| m.id);
        let mut products = std::collections::BTreeSet::new();
        let mut lines = std::collections::BTreeSet::new();
        for m in moves {
            super::stock::put_move(tx, m)?;
            products.insert(m.product_id);
            if let Some(c) = m.contract_id {
                lines.insert(c);
            }
        }
        for product in products {
            let label: Product = tx
                .open_table(PRODUCTS)?
                .get(product.0)?
                .map(|v| super::decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            let moves = super::stock::moves_of_product_in(tx, product)?;
            crate::domain::stock::check_never_short(&moves, &label.code)?;
        }
        for contract in lines {
            let c: Contract = tx
                .open_table(CONTRACTS)?
                .get(contract.0)?
                .map(|v| super::decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            let mut delivered: HashMap<u32, i64> = HashMap::new();
            for d in super::stock::deliveries_in(tx, contract)? {
                let line = d.line.and_then(|l| c.terms.lines.get(l as usize));
                if line.and_then(|l| l.product_id) != Some(d.product_id) {
                    return Err(Error::Internal(format!("delivery {} of no line", d.id)));
                }
                *delivered.entry(d.line.unwrap_or_default()).or_default() -= d.quantity.0;
            }
            for (line, out) in delivered {
                crate::domain::stock::check_undelivered(
                    c.terms.lines[line as usize].quantity,
                    crate::model::Quantity(0),
                    crate::model::Quantity(out),
                )?;
            }
        }
        {
            let mut tables = ExpenseTables::open(tx)?;
            let mut expenses: Vec<&Expense> = records.expenses.iter().collect();
            expenses.sort_unstable_by_key(|e| e.id);
            for e in expenses {
                tables.put(None, e)?;
            }
        }
        Ok(saved)
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
            products: tx.open_table(PRODUCTS)?.len()?,
            contracts: tx.open_table(CONTRACTS)?.len()?,
            payments: tx.open_table(PAYMENTS)?.len()?,
            stock_moves: tx.open_table(STOCK_MOVES)?.len()?,
            expenses: tx.open_table(EXPENSES)?.len()?,
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
            DEAL_TIMELINE,
            PRODUCTS,
            CONTRACTS,
            CONTRACT_VERSIONS,
            PAYMENTS,
            STOCK_MOVES,
            EXPENSES
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
            ..Default::default()
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

    #[test]
    fn a_bulk_batch_that_takes_stock_below_zero_is_refused_whole() {
        use super::super::stock::tests::purchase;
        let (_dir, store) = temp_store();
        let product = super::super::products::tests::product("SRV-01");
        let lost = |units: i64| StockMove {
            id: Id::generate(),
            quantity: crate::model::Quantity::units(-units),
            unit_cost: None,
            supplier: None,
            reason: Some("盘亏".into()),
            kind: crate::model::StockMoveKind::Adjustment,
            ..purchase(product.id, 4, 0, 0)
        };
        let short = NewRecords {
            products: vec![product.clone()],
            stock_moves: vec![purchase(product.id, 5, 10, 100), lost(3)],
            ..Default::default()
        };
        // 3 lost on the 4th, before the 10 came in on the 5th.
        assert!(matches!(
            store.insert_bulk(&short),
            Err(Error::StockShortage { .. })
        ));
        assert_eq!(store.record_counts().unwrap().products, 0);
        let fine = NewRecords {
            products: vec![product.clone()],
            stock_moves: vec![purchase(product.id, 3, 10, 100), lost(3)],
            ..Default::default()
        };
        store.insert_bulk(&fine).unwrap();
        let counts = store.record_counts().unwrap();
        assert_eq!((counts.products, counts.stock_moves), (1, 2));
        // What was costed before the load is costed again after it.
        assert_ne!(store.stock_version(product.id), (0, 0));
    }
}
