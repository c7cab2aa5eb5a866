//! The store's consistency check: every index entry points at a record that
//! would put it there, every record is in its indexes, and the customer
//! directory and deal boards in memory agree with the file.
//!
//! Each index is compared with the entries its records call for, worked
//! out from the records alone, so the check does not trust the write paths
//! it checks. Tests run it after their writes; an admin can run it on a
//! live server. It decodes every record of one snapshot and loads a second
//! directory and second boards beside the live ones to compare, so it costs
//! more than a start-up load in time and as much memory again: an
//! occasional admin task, not something to run per request.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use redb::{ReadTransaction, ReadableTable, TableDefinition};
use serde::Serialize;

use super::customers::{customer_match_keys, owner_key};
use super::tables::*;
use super::{ActivityCounts, DealBoards, Directory, Store, decode};
use crate::error::Result;
use crate::model::{
    Activity, ApiToken, Contact, Contract, ContractStatus, Customer, Deal, DealTimelineEvent,
    FieldChange, FileMeta, Id, Pipeline, Product, Quote, QuoteStatus, ReopenRequest, ReopenStatus,
    StageChange, Task, User,
};

use super::SessionRecord;

/// One thing found wrong: where (a table or a view in memory) and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inconsistency {
    pub table: &'static str,
    pub detail: String,
}

/// What `Store::check_consistency` found; no problems means consistent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConsistencyReport {
    pub problems: Vec<Inconsistency>,
}

impl ConsistencyReport {
    pub fn is_consistent(&self) -> bool {
        self.problems.is_empty()
    }

    fn add(&mut self, table: &'static str, detail: impl Into<String>) {
        self.problems.push(Inconsistency {
            table,
            detail: detail.into(),
        });
    }

    /// Reports the keys of an index that no record calls for, and those a
    /// record calls for that the index lacks.
    fn compare<K: Ord + fmt::Debug>(
        &mut self,
        table: &'static str,
        found: impl IntoIterator<Item = K>,
        mut expected: BTreeSet<K>,
    ) {
        for key in found {
            if !expected.remove(&key) {
                self.add(table, format!("{key:?} indexes no record that has it"));
            }
        }
        for key in expected {
            self.add(table, format!("{key:?} is missing"));
        }
    }
}

impl fmt::Display for ConsistencyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.is_empty() {
            return write!(f, "consistent");
        }
        for p in &self.problems {
            writeln!(f, "{}: {}", p.table, p.detail)?;
        }
        Ok(())
    }
}

impl Store {
    /// Checks the indexes against their records and the directory and deal
    /// boards against the file, and reports every problem found; an empty
    /// report means consistent. It only reads, so it is safe on a live
    /// server, but writes to customers and deals wait until it is done.
    pub fn check_consistency(&self) -> Result<ConsistencyReport> {
        // Writes that change what the boards or the directory mirror take
        // these locks before they commit, so while they are held the
        // snapshots read below are the state memory reflects.
        let boards = self.deal_boards_read();
        let counts = self.activity_counts_read();
        let contracts = self
            .contract_index
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let directory = self.directory();
        let tx = self.read()?;
        let mut report = ConsistencyReport::default();
        check_users(&tx, &mut report)?;
        let customers = check_customers(&tx, &mut report)?;
        check_timeline(&tx, &customers, &mut report)?;
        check_deals(&tx, &customers, &mut report)?;
        check_deal_files(&tx, &mut report)?;
        check_products_and_quotes(&tx, &customers, &mut report)?;
        check_contracts(&tx, &customers, &mut report)?;
        check_stock(&tx, &mut report)?;
        check_expenses(&tx, &mut report)?;
        for problem in super::recycled::problems(&tx, &customers)? {
            report.add("recycled", problem);
        }
        check_audit_log(&tx, &mut report)?;
        check_targets(&tx, &mut report)?;
        let file = Directory::load(&self.current()?.db)?;
        for problem in directory.differences(&file) {
            report.add("directory", problem);
        }
        if let Some(boards) = boards.as_ref() {
            for problem in boards.differences(&DealBoards::load(&tx)?) {
                report.add("deal boards", problem);
            }
        }
        if let Some(counts) = counts.as_ref() {
            for problem in counts.differences(&ActivityCounts::load(&tx, counts.zone())?) {
                report.add("activity counts", problem);
            }
        }
        if let Some(index) = contracts.as_ref() {
            let file = super::ContractIndex::load(&tx)?;
            report.compare(
                "contract index",
                index.comparable(),
                file.comparable().into_iter().collect(),
            );
        }
        Ok(report)
    }
}

fn records<K, T>(tx: &ReadTransaction, table: TableDefinition<K, &[u8]>) -> Result<Vec<T>>
where
    K: redb::Key + 'static,
    T: serde::de::DeserializeOwned,
{
    tx.open_table(table)?
        .iter()?
        .map(|row| decode(row?.1.value()))
        .collect()
}

fn pairs(
    tx: &ReadTransaction,
    table: TableDefinition<(u128, u128), ()>,
) -> Result<Vec<(u128, u128)>> {
    tx.open_table(table)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect()
}

fn check_users(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    let users: Vec<User> = records(tx, USERS)?;
    let by_email: Vec<(String, u128)> = tx
        .open_table(USERS_BY_EMAIL)?
        .iter()?
        .map(|row| {
            let (k, v) = row?;
            Ok((k.value().to_string(), v.value()))
        })
        .collect::<Result<_>>()?;
    report.compare(
        "users_by_email",
        by_email,
        users.iter().map(|u| (u.email.clone(), u.id.0)).collect(),
    );
    let hashes: Vec<u128> = tx
        .open_table(PASSWORD_HASHES)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare(
        "password_hashes",
        hashes,
        users.iter().map(|u| u.id.0).collect(),
    );

    let mut sessions = BTreeSet::new();
    for row in tx.open_table(SESSIONS)?.iter()? {
        let (digest, record) = row?;
        let record: SessionRecord = decode(record.value())?;
        sessions.insert((record.user_id.0, digest.value().to_vec()));
    }
    let by_user: Vec<(u128, Vec<u8>)> = tx
        .open_table(SESSIONS_BY_USER)?
        .iter()?
        .map(|row| {
            let (key, _) = row?;
            let (user, digest) = key.value();
            Ok((user, digest.to_vec()))
        })
        .collect::<Result<_>>()?;
    report.compare("sessions_by_user", by_user, sessions);

    let mut tokens = BTreeSet::new();
    for row in tx.open_table(API_TOKENS)?.iter()? {
        let (digest, token) = row?;
        let token: ApiToken = decode(token.value())?;
        tokens.insert(((token.user_id.0, token.id.0), digest.value().to_vec()));
    }
    let by_user: Vec<((u128, u128), Vec<u8>)> = tx
        .open_table(API_TOKENS_BY_USER)?
        .iter()?
        .map(|row| {
            let (key, digest) = row?;
            Ok((key.value(), digest.value().to_vec()))
        })
        .collect::<Result<_>>()?;
    report.compare("api_tokens_by_user", by_user, tokens);
    Ok(())
}

/// Customers and their contacts; answers every customer id, binned ones
/// included, for the records that name a customer.
fn check_customers(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<HashSet<u128>> {
    let mut ids = HashSet::new();
    let (mut by_owner, mut keys, mut bin) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for row in tx.open_table(CUSTOMERS)?.iter()? {
        let (id, value) = row?;
        let c: Customer = decode(value.value())?;
        if c.id.0 != id.value() {
            report.add(
                "customers",
                format!("{} is stored under {}", c.id, Id(id.value())),
            );
        }
        ids.insert(c.id.0);
        if c.deleted_at.is_some() {
            bin.insert(c.id.0);
            continue;
        }
        by_owner.insert((owner_key(c.owner), c.id.0));
        for key in customer_match_keys(&c) {
            keys.insert((key, c.id.0));
        }
    }
    report.compare(
        "customers_by_owner",
        pairs(tx, CUSTOMERS_BY_OWNER)?,
        by_owner,
    );
    let found_keys: Vec<(String, u128)> = tx
        .open_table(CUSTOMER_KEYS)?
        .iter()?
        .map(|row| {
            let (key, _) = row?;
            let (key, id) = key.value();
            Ok((key.to_string(), id))
        })
        .collect::<Result<_>>()?;
    report.compare("customer_keys", found_keys, keys);
    let binned: Vec<u128> = tx
        .open_table(RECYCLE_BIN)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("recycle_bin", binned, bin);

    let mut by_customer = BTreeSet::new();
    for c in records::<_, Contact>(tx, CONTACTS)? {
        if !ids.contains(&c.customer_id.0) {
            report.add(
                "contacts",
                format!(
                    "{} belongs to customer {}, which does not exist",
                    c.id, c.customer_id
                ),
            );
        }
        by_customer.insert((c.customer_id.0, c.id.0));
    }
    report.compare(
        "contacts_by_customer",
        pairs(tx, CONTACTS_BY_CUSTOMER)?,
        by_customer,
    );
    Ok(ids)
}

/// Tasks, activities, audit lines, files and deal events, and the
/// timeline and last-activity times they call for.
fn check_timeline(
    tx: &ReadTransaction,
    customers: &HashSet<u128>,
    report: &mut ConsistencyReport,
) -> Result<()> {
    let mut timeline: BTreeSet<((u128, i64, u128), u8)> = BTreeSet::new();
    let orphan = |report: &mut ConsistencyReport, table, what: String, customer: u128| {
        if !customers.contains(&customer) {
            report.add(
                table,
                format!(
                    "{what} names customer {}, which does not exist",
                    Id(customer)
                ),
            );
        }
    };

    let mut last: BTreeMap<u128, i64> = BTreeMap::new();
    let deal_customers: HashMap<u128, u128> = records::<_, Deal>(tx, DEALS)?
        .into_iter()
        .map(|d| (d.id.0, d.customer_id.0))
        .collect();
    let mut by_deal = BTreeSet::new();
    for a in records::<_, Activity>(tx, ACTIVITIES)? {
        orphan(report, "activities", a.id.to_string(), a.customer_id.0);
        let at = a.at.timestamp_micros();
        if let Some(deal) = a.deal_id {
            by_deal.insert((deal.0, at, a.id.0));
            if deal_customers.get(&deal.0) != Some(&a.customer_id.0) {
                report.add(
                    "activities",
                    format!(
                        "{} is about deal {}, which is not a deal of its customer",
                        a.id, deal
                    ),
                );
            }
        }
        timeline.insert(((a.customer_id.0, at, a.id.0), TIMELINE_ACTIVITY));
        let latest = last.entry(a.customer_id.0).or_insert(at);
        *latest = (*latest).max(at);
    }
    let found_last: Vec<(u128, i64)> = tx
        .open_table(LAST_ACTIVITY)?
        .iter()?
        .map(|row| {
            let (customer, at) = row?;
            Ok((customer.value(), at.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("last_activity", found_last, last.into_iter().collect());
    let found: Vec<(u128, i64, u128)> = tx
        .open_table(DEAL_ACTIVITIES)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("deal_activities", found, by_deal);

    let mut by_assignee = BTreeSet::new();
    for t in records::<_, Task>(tx, TASKS)? {
        by_assignee.insert((t.assignee.0, t.due.timestamp_micros(), t.id.0));
        if let Some(customer) = t.customer_id {
            orphan(report, "tasks", t.id.to_string(), customer.0);
            timeline.insert((
                (customer.0, t.created_at.timestamp_micros(), t.id.0),
                TIMELINE_TASK,
            ));
        }
    }
    let found: Vec<(u128, i64, u128)> = tx
        .open_table(TASKS_BY_ASSIGNEE)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("tasks_by_assignee", found, by_assignee);

    for row in tx.open_table(AUDIT)?.iter()? {
        let (key, value) = row?;
        let (record, id) = key.value();
        let change: FieldChange = decode(value.value())?;
        if change.record.0 != record {
            report.add(
                "audit",
                format!("({}, {}) is about {}", Id(record), Id(id), change.record),
            );
        }
        orphan(
            report,
            "audit",
            format!("({}, {})", Id(record), Id(id)),
            record,
        );
        timeline.insert(((record, change.at.timestamp_micros(), id), TIMELINE_CHANGE));
    }

    for file in records::<_, FileMeta>(tx, FILES)? {
        orphan(report, "files", file.id.to_string(), file.customer_id.0);
        timeline.insert((
            (file.customer_id.0, file.at.timestamp_micros(), file.id.0),
            TIMELINE_FILE,
        ));
    }

    let mut history: HashMap<u128, u128> = HashMap::new();
    for row in tx.open_table(STAGE_HISTORY)?.iter()? {
        let (key, value) = row?;
        let (deal, id) = key.value();
        let change: StageChange = decode(value.value())?;
        if change.deal_id.0 != deal {
            report.add(
                "stage_history",
                format!("({}, {}) is about {}", Id(deal), Id(id), change.deal_id),
            );
        }
        history.insert(id, deal);
    }
    for row in tx.open_table(DEAL_TIMELINE)?.iter()? {
        let (id, value) = row?;
        let id = id.value();
        let event: DealTimelineEvent = decode(value.value())?;
        match history.remove(&id) {
            Some(deal) if deal == event.deal_id.0 => {}
            Some(deal) => report.add(
                "deal_timeline",
                format!(
                    "{} is about deal {}, its stage change about {}",
                    Id(id),
                    event.deal_id,
                    Id(deal)
                ),
            ),
            None => report.add("deal_timeline", format!("{} has no stage change", Id(id))),
        }
        orphan(
            report,
            "deal_timeline",
            Id(id).to_string(),
            event.customer_id.0,
        );
        timeline.insert((
            (event.customer_id.0, event.at.timestamp_micros(), id),
            TIMELINE_DEAL,
        ));
    }
    for (id, deal) in history {
        report.add(
            "deal_timeline",
            format!(
                "stage change ({}, {}) has no timeline event",
                Id(deal),
                Id(id)
            ),
        );
    }

    let found: Vec<((u128, i64, u128), u8)> = tx
        .open_table(TIMELINE)?
        .iter()?
        .map(|row| {
            let (key, kind) = row?;
            Ok((key.value(), kind.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("timeline", found, timeline);
    Ok(())
}

/// Deals, their indexes and history, and reopen requests.
/// Each file link names a file and a deal of the file's customer, and the
/// two link tables agree.
fn check_deal_files(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    let files: HashMap<u128, FileMeta> = records::<_, FileMeta>(tx, FILES)?
        .into_iter()
        .map(|f| (f.id.0, f))
        .collect();
    let deals: HashMap<u128, Deal> = records::<_, Deal>(tx, DEALS)?
        .into_iter()
        .map(|d| (d.id.0, d))
        .collect();
    let mut expected = BTreeSet::new();
    for row in tx.open_table(FILE_DEALS)?.iter()? {
        let (file, deal) = row?;
        let (file, deal) = (file.value(), deal.value());
        match (files.get(&file), deals.get(&deal)) {
            (Some(f), Some(d)) if f.customer_id == d.customer_id => {}
            (Some(_), Some(_)) => report.add(
                "file_deals",
                format!(
                    "{} is on {}, a deal of another customer",
                    Id(file),
                    Id(deal)
                ),
            ),
            _ => report.add(
                "file_deals",
                format!("{} → {}: the file or the deal is gone", Id(file), Id(deal)),
            ),
        }
        expected.insert((deal, file));
    }
    report.compare("deal_files", pairs(tx, DEAL_FILES)?, expected);
    Ok(())
}

fn check_deals(
    tx: &ReadTransaction,
    customers: &HashSet<u128>,
    report: &mut ConsistencyReport,
) -> Result<()> {
    let pipelines: HashMap<u128, Pipeline> = records::<_, Pipeline>(tx, PIPELINES)?
        .into_iter()
        .map(|p| (p.id.0, p))
        .collect();
    let mut deals = HashSet::new();
    let (mut by_pipeline, mut by_customer) = (BTreeSet::new(), BTreeSet::new());
    for d in records::<_, Deal>(tx, DEALS)? {
        match pipelines.get(&d.pipeline_id.0) {
            None => report.add(
                "deals",
                format!(
                    "{} is on pipeline {}, which does not exist",
                    d.id, d.pipeline_id
                ),
            ),
            Some(p) if p.stage(d.stage_id).is_none() => report.add(
                "deals",
                format!(
                    "{} is in stage {}, which its pipeline lacks",
                    d.id, d.stage_id
                ),
            ),
            Some(_) => {}
        }
        if !customers.contains(&d.customer_id.0) {
            report.add(
                "deals",
                format!(
                    "{} names customer {}, which does not exist",
                    d.id, d.customer_id
                ),
            );
        }
        deals.insert(d.id.0);
        by_pipeline.insert((d.pipeline_id.0, d.id.0));
        by_customer.insert((d.customer_id.0, d.id.0));
    }
    report.compare(
        "deals_by_pipeline",
        pairs(tx, DEALS_BY_PIPELINE)?,
        by_pipeline,
    );
    report.compare(
        "deals_by_customer",
        pairs(tx, DEALS_BY_CUSTOMER)?,
        by_customer,
    );
    for row in tx.open_table(STAGE_HISTORY)?.iter()? {
        let (deal, id) = row?.0.value();
        if !deals.contains(&deal) {
            report.add(
                "stage_history",
                format!("({}, {}) is of no deal", Id(deal), Id(id)),
            );
        }
    }

    let (mut by_requester, mut pending) = (BTreeSet::new(), BTreeSet::new());
    for r in records::<_, ReopenRequest>(tx, REOPEN_REQUESTS)? {
        by_requester.insert((r.requested_by.0, r.id.0));
        if r.status == ReopenStatus::Pending {
            pending.insert((r.deal_id.0, r.id.0));
            if !deals.contains(&r.deal_id.0) {
                report.add(
                    "reopen_requests",
                    format!(
                        "{} is pending for deal {}, which does not exist",
                        r.id, r.deal_id
                    ),
                );
            }
        }
    }
    report.compare(
        "reopen_by_requester",
        pairs(tx, REOPEN_BY_REQUESTER)?,
        by_requester,
    );
    let found: Vec<(u128, u128)> = tx
        .open_table(REOPEN_PENDING)?
        .iter()?
        .map(|row| {
            let (deal, request) = row?;
            Ok((deal.value(), request.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("reopen_pending", found, pending);
    Ok(())
}

fn check_products_and_quotes(
    tx: &ReadTransaction,
    customers: &HashSet<u128>,
    report: &mut ConsistencyReport,
) -> Result<()> {
    let mut by_code = BTreeSet::new();
    let mut products = HashSet::new();
    for p in records::<_, Product>(tx, PRODUCTS)? {
        products.insert(p.id.0);
        if !by_code.insert((crate::domain::products::code_key(&p.code), p.id.0)) {
            report.add(
                "products",
                format!("{} has a code another product has", p.id),
            );
        }
    }
    let found: Vec<(String, u128)> = tx
        .open_table(PRODUCTS_BY_CODE)?
        .iter()?
        .map(|row| {
            let (code, id) = row?;
            Ok((code.value().to_string(), id.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("products_by_code", found, by_code);

    let deals: HashSet<u128> = tx
        .open_table(DEALS)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    let (mut by_customer, mut by_deal, mut by_product) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let (mut numbers, mut pending) = (BTreeSet::new(), BTreeSet::new());
    for q in records::<_, Quote>(tx, QUOTES)? {
        if !customers.contains(&q.customer_id.0) {
            report.add(
                "quotes",
                format!(
                    "{} names customer {}, which does not exist",
                    q.id, q.customer_id
                ),
            );
        }
        by_customer.insert((q.customer_id.0, q.id.0));
        if let Some(deal) = q.deal_id {
            if !deals.contains(&deal.0) {
                report.add(
                    "quotes",
                    format!("{} names deal {}, which does not exist", q.id, deal),
                );
            }
            by_deal.insert((deal.0, q.id.0));
        }
        for product in q.lines.iter().filter_map(|l| l.product_id) {
            if !products.contains(&product.0) {
                report.add(
                    "quotes",
                    format!("{} sells product {}, which does not exist", q.id, product),
                );
            }
            by_product.insert((product.0, q.id.0));
        }
        numbers.insert((q.number.clone(), q.id.0));
        if q.status == QuoteStatus::PendingApproval {
            pending.insert(q.id.0);
        }
        let totals = crate::domain::money::totals(q.lines.iter().map(|l| l.net), q.tax_rate);
        if totals != q.totals {
            report.add("quotes", format!("{}'s totals are not its lines'", q.id));
        }
    }
    report.compare(
        "quotes_by_customer",
        pairs(tx, QUOTES_BY_CUSTOMER)?,
        by_customer,
    );
    report.compare("quotes_by_deal", pairs(tx, QUOTES_BY_DEAL)?, by_deal);
    report.compare("product_quotes", pairs(tx, PRODUCT_QUOTES)?, by_product);
    let found: Vec<(String, u128)> = tx
        .open_table(QUOTE_NUMBERS)?
        .iter()?
        .map(|row| {
            let (number, id) = row?;
            Ok((number.value().to_string(), id.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("quote_numbers", found, numbers);
    let found: Vec<u128> = tx
        .open_table(QUOTES_PENDING)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("quotes_pending", found, pending);
    Ok(())
}

fn check_contracts(
    tx: &ReadTransaction,
    customers: &HashSet<u128>,
    report: &mut ConsistencyReport,
) -> Result<()> {
    let (mut by_customer, mut by_deal, mut by_product) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let (mut numbers, mut pending, mut by_quote) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut paid: HashMap<u128, Vec<i64>> = HashMap::new();
    let mut contracts = HashMap::new();
    for c in records::<_, Contract>(tx, CONTRACTS)? {
        if !customers.contains(&c.customer_id.0) {
            report.add(
                "contracts",
                format!(
                    "{} names customer {}, which does not exist",
                    c.id, c.customer_id
                ),
            );
        }
        by_customer.insert((c.customer_id.0, c.id.0));
        if let Some(deal) = c.deal_id {
            by_deal.insert((deal.0, c.id.0));
        }
        for product in c.terms.lines.iter().filter_map(|l| l.product_id) {
            by_product.insert((product.0, c.id.0));
        }
        if let Some(quote) = c.quote_id {
            by_quote.insert((quote.0, c.id.0));
        }
        numbers.insert((c.number.clone(), c.id.0));
        if c.status == ContractStatus::PendingApproval {
            pending.insert(c.id.0);
        }
        let totals =
            crate::domain::money::totals(c.terms.lines.iter().map(|l| l.net), c.terms.tax_rate);
        if totals != c.terms.totals {
            report.add("contracts", format!("{}'s totals are not its lines'", c.id));
        }
        let planned: i64 = c.plan.iter().map(|i| i.amount.0).sum();
        if planned != c.terms.amount().0 {
            report.add(
                "contracts",
                format!("{}'s plan does not add up to its amount", c.id),
            );
        }
        paid.insert(c.id.0, vec![0; c.plan.len()]);
        contracts.insert(c.id.0, c);
    }
    report.compare(
        "contracts_by_customer",
        pairs(tx, CONTRACTS_BY_CUSTOMER)?,
        by_customer,
    );
    report.compare("contracts_by_deal", pairs(tx, CONTRACTS_BY_DEAL)?, by_deal);
    report.compare(
        "product_contracts",
        pairs(tx, PRODUCT_CONTRACTS)?,
        by_product,
    );
    let found: Vec<(u128, u128)> = tx
        .open_table(QUOTE_CONTRACTS)?
        .iter()?
        .map(|row| {
            let (quote, contract) = row?;
            Ok((quote.value(), contract.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("quote_contracts", found, by_quote);
    let found: Vec<(String, u128)> = tx
        .open_table(CONTRACT_NUMBERS)?
        .iter()?
        .map(|row| {
            let (number, id) = row?;
            Ok((number.value().to_string(), id.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("contract_numbers", found, numbers);
    let found: Vec<u128> = tx
        .open_table(CONTRACTS_PENDING)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("contracts_pending", found, pending);
    for row in tx.open_table(CONTRACT_VERSIONS)?.iter()? {
        let (key, value) = row?;
        let (contract, number) = key.value();
        let version: crate::model::ContractVersion = decode(value.value())?;
        match contracts.get(&contract) {
            None => report.add(
                "contract_versions",
                format!("({}, {number}) is of no contract", Id(contract)),
            ),
            Some(c) if c.terms_version == number && c.terms != version.terms => report.add(
                "contract_versions",
                format!("{}'s current version differs from its terms", c.id),
            ),
            Some(_) => {}
        }
    }
    for c in contracts.values() {
        if tx
            .open_table(CONTRACT_VERSIONS)?
            .get((c.id.0, c.terms_version))?
            .is_none()
        {
            report.add(
                "contract_versions",
                format!("{}'s current version is missing", c.id),
            );
        }
    }
    let mut by_contract = BTreeSet::new();
    for p in records::<_, crate::model::Payment>(tx, PAYMENTS)? {
        by_contract.insert((p.contract_id.0, p.id.0));
        let allocated: i64 = p.allocations.iter().map(|(_, a)| a.0).sum();
        if allocated != p.amount.0 {
            report.add(
                "payments",
                format!("{} allocates other than its amount", p.id),
            );
        }
        match paid.get_mut(&p.contract_id.0) {
            None => report.add("payments", format!("{} is of no contract", p.id)),
            Some(parts) => {
                for (i, a) in &p.allocations {
                    match parts.get_mut(*i as usize) {
                        Some(part) => *part += a.0,
                        None => report.add("payments", format!("{} pays no installment {i}", p.id)),
                    }
                }
            }
        }
    }
    report.compare(
        "payments_by_contract",
        pairs(tx, PAYMENTS_BY_CONTRACT)?,
        by_contract,
    );
    for (id, parts) in paid {
        let c = &contracts[&id];
        let recorded: i64 = c.plan.iter().map(|i| i.paid.0).sum();
        // A new plan spreads what was paid again, so only the sum must
        // match the payments, and no installment holds more than its amount.
        if recorded != parts.iter().sum::<i64>() {
            report.add(
                "contracts",
                format!("{}'s installments do not add up to its payments", c.id),
            );
        }
        if c.plan.iter().any(|i| i.paid > i.amount) {
            report.add(
                "contracts",
                format!("{} has an installment paid beyond its amount", c.id),
            );
        }
    }
    Ok(())
}

/// Every move is indexed under its product in costing order, every
/// delivery of a contract that still exists under it; no product's stock
/// goes below zero on any day.
fn check_stock(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    use chrono::Datelike;
    let products: HashSet<u128> = tx
        .open_table(PRODUCTS)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    let contracts: HashSet<u128> = tx
        .open_table(CONTRACTS)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    let mut by_product = BTreeSet::new();
    let mut by_contract = BTreeSet::new();
    let mut per_product: BTreeMap<u128, Vec<crate::model::StockMove>> = BTreeMap::new();
    for m in records::<_, crate::model::StockMove>(tx, STOCK_MOVES)? {
        if !products.contains(&m.product_id.0) {
            report.add("stock_moves", format!("{} moves no product", m.id));
        }
        if (m.quantity.0 >= 0) != m.unit_cost.is_some() {
            report.add(
                "stock_moves",
                format!("{} has a unit cost only if it came in", m.id),
            );
        }
        by_product.insert((m.product_id.0, m.date.num_days_from_ce(), m.id.0));
        if let Some(c) = m.contract_id
            && contracts.contains(&c.0)
        {
            by_contract.insert((c.0, m.id.0));
        }
        per_product.entry(m.product_id.0).or_default().push(m);
    }
    let found: Vec<(u128, i32, u128)> = tx
        .open_table(STOCK_BY_PRODUCT)?
        .iter()?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    report.compare("stock_by_product", found, by_product);
    report.compare(
        "deliveries_by_contract",
        pairs(tx, DELIVERIES_BY_CONTRACT)?,
        by_contract,
    );
    for (product, moves) in per_product {
        if crate::domain::stock::check_never_short(&moves, "").is_err() {
            report.add("stock_moves", format!("{} goes below zero", Id(product)));
        }
    }
    Ok(())
}

/// Every expense is indexed under its spender and its customer.
fn check_expenses(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    let mut by_customer = BTreeSet::new();
    let mut by_user = BTreeSet::new();
    for e in records::<_, crate::model::Expense>(tx, EXPENSES)? {
        if let Some(c) = e.customer_id {
            by_customer.insert((c.0, e.id.0));
        }
        by_user.insert((e.spent_by.0, e.id.0));
        if e.amount.0 <= 0 {
            report.add("expenses", format!("{} has no amount", e.id));
        }
    }
    report.compare(
        "expenses_by_customer",
        pairs(tx, EXPENSES_BY_CUSTOMER)?,
        by_customer,
    );
    report.compare("expenses_by_user", pairs(tx, EXPENSES_BY_USER)?, by_user);
    Ok(())
}

/// Every target is under its key, and its months add up to its year.
fn check_targets(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    let mut expected = BTreeSet::new();
    for t in records::<_, crate::model::SalesTarget>(tx, TARGETS)? {
        expected.insert((super::targets::key(&t), t.id.0));
        if crate::domain::targets::check_months(t.total, &t.months).is_err() {
            report.add("targets", format!("{}'s months do not add up", t.id));
        }
    }
    let found: Vec<(String, u128)> = tx
        .open_table(TARGET_KEYS)?
        .iter()?
        .map(|row| {
            let (k, v) = row?;
            Ok((k.value().to_string(), v.value()))
        })
        .collect::<Result<_>>()?;
    report.compare("target_keys", found, expected);
    Ok(())
}

/// Every audit entry about a record is indexed under it. The entries of
/// purged records stay: the log is the one place that remembers them.
fn check_audit_log(tx: &ReadTransaction, report: &mut ConsistencyReport) -> Result<()> {
    let mut by_record = BTreeSet::new();
    for e in records::<_, crate::model::AuditEntry>(tx, AUDIT_LOG)? {
        if let Some(record) = e.record {
            by_record.insert((record.0, e.id.0));
        }
    }
    report.compare(
        "audit_log_by_record",
        pairs(tx, AUDIT_LOG_BY_RECORD)?,
        by_record,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::customers::tests::{contact, customer};
    use super::super::deals::tests::new_deal;
    use super::*;
    use chrono::Utc;

    /// A plain store: the tests below leave it inconsistent on purpose.
    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn problems_in(store: &Store) -> Vec<(&'static str, String)> {
        store
            .check_consistency()
            .unwrap()
            .problems
            .into_iter()
            .map(|p| (p.table, p.detail))
            .collect()
    }

    fn tables(problems: &[(&'static str, String)]) -> Vec<&'static str> {
        problems.iter().map(|(t, _)| *t).collect()
    }

    #[test]
    fn a_store_written_through_its_methods_is_consistent() {
        let (_dir, store) = store();
        store.warm_deal_boards().unwrap();
        let c = customer("北京星辰科技有限公司", Some(Id(7)));
        store.insert_customer(&c, &[contact(c.id, "李娜")]).unwrap();
        let deal = new_deal(&store, c.id);
        store
            .update_deal(deal.id, |d, _| {
                d.title = "ERP 二期".into();
                Ok(None)
            })
            .unwrap();
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        let report = store.check_consistency().unwrap();
        assert!(report.is_consistent(), "{report}");
        assert_eq!(report.to_string(), "consistent");
    }

    /// The demo data goes in through the bulk path, many records a
    /// transaction, users, sessions and pipelines included.
    #[test]
    fn a_small_demo_data_set_is_consistent() {
        use crate::demo::{Options, Size, fill};
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            size: Size::Small,
            seed: 3,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        };
        let data = dir.path().join("data");
        fill(&data, &options, &mut |_, _| {}).unwrap();
        let store = Store::open(&data).unwrap();
        store.warm_deal_boards().unwrap();
        store.warm_contract_index().unwrap();
        let counts = store.record_counts().unwrap();
        assert!(counts.contracts > 0 && counts.stock_moves > 0 && counts.payments > 0);
        let report = store.check_consistency().unwrap();
        assert!(report.is_consistent(), "{report}");
    }

    #[test]
    fn an_index_entry_without_its_record_is_reported() {
        let (_dir, store) = store();
        let ghost = Id::generate();
        let tx = store.write().unwrap();
        tx.open_table(CUSTOMERS_BY_OWNER)
            .unwrap()
            .insert((7, ghost.0), ())
            .unwrap();
        tx.open_table(DEALS_BY_CUSTOMER)
            .unwrap()
            .insert((ghost.0, Id::generate().0), ())
            .unwrap();
        tx.commit().unwrap();
        let problems = problems_in(&store);
        assert_eq!(
            tables(&problems),
            ["customers_by_owner", "deals_by_customer"]
        );
        assert!(problems[0].1.contains("indexes no record"), "{problems:?}");
    }

    #[test]
    fn a_record_missing_from_its_index_is_reported() {
        let (_dir, store) = store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        let tx = store.write().unwrap();
        tx.open_table(CUSTOMER_KEYS)
            .unwrap()
            .retain(|_, _| false)
            .unwrap();
        tx.open_table(DEALS_BY_PIPELINE)
            .unwrap()
            .remove((deal.pipeline_id.0, deal.id.0))
            .unwrap();
        tx.commit().unwrap();
        let problems = problems_in(&store);
        // The name and the phone key of the customer, and the deal.
        assert_eq!(
            tables(&problems),
            ["customer_keys", "customer_keys", "deals_by_pipeline"]
        );
        assert!(problems.iter().all(|(_, p)| p.ends_with("is missing")));
    }

    #[test]
    fn a_timeline_entry_of_a_deleted_task_is_reported() {
        let (_dir, store) = store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let task = Task {
            id: Id::generate(),
            title: "回访".into(),
            due: Utc::now(),
            assignee: Id(7),
            customer_id: Some(c.id),
            commitment: false,
            done_at: None,
            created_by: Id(7),
            created_at: Utc::now(),
            version: 1,
        };
        store.insert_task(&task).unwrap();
        let tx = store.write().unwrap();
        tx.open_table(TASKS).unwrap().remove(task.id.0).unwrap();
        tx.commit().unwrap();
        assert_eq!(
            tables(&problems_in(&store)),
            ["tasks_by_assignee", "timeline"]
        );
    }

    #[test]
    fn a_directory_behind_the_file_is_reported() {
        let (_dir, store) = store();
        let c = customer("星辰科技", None);
        let li = contact(c.id, "李娜");
        store
            .insert_customer(&c, std::slice::from_ref(&li))
            .unwrap();
        let tx = store.write().unwrap();
        let moved = Customer {
            region: Some("上海".into()),
            ..c.clone()
        };
        tx.open_table(CUSTOMERS)
            .unwrap()
            .insert(c.id.0, super::super::encode(&moved).as_slice())
            .unwrap();
        tx.commit().unwrap();
        store.directory_mut().remove_contact(li.id);
        let problems = problems_in(&store);
        assert_eq!(tables(&problems), ["directory", "directory"]);
        assert!(problems[0].1.contains("differs from the file"));
        assert!(problems[1].1.starts_with("lacks contact"));
    }

    #[test]
    fn deal_boards_behind_the_file_are_reported() {
        let (_dir, store) = store();
        store.warm_deal_boards().unwrap();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        store.deal_boards_mut().as_mut().unwrap().remove(deal.id);
        let problems = problems_in(&store);
        assert_eq!(tables(&problems), ["deal boards"; 4]);
        assert!(problems[0].1.starts_with("lack deal"), "{problems:?}");
        assert!(problems[1].1.contains("stage history"), "{problems:?}");
        assert!(problems[2].1.contains("by customer"), "{problems:?}");
        assert!(problems[3].1.contains("bucket"), "{problems:?}");
    }

    #[test]
    fn a_stage_history_behind_the_file_is_reported() {
        let (_dir, store) = store();
        store.warm_deal_boards().unwrap();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let deal = new_deal(&store, c.id);
        assert_eq!(
            store
                .with_deal_boards(|b| b.history(deal.id).len())
                .unwrap(),
            1
        );
        store
            .deal_boards_mut()
            .as_mut()
            .unwrap()
            .history
            .get_mut(&deal.id.0)
            .unwrap()
            .clear();
        let problems = problems_in(&store);
        assert_eq!(tables(&problems), ["deal boards"], "{problems:?}");
        assert!(problems[0].1.contains("stage history"), "{problems:?}");
    }

    #[test]
    fn activity_counts_follow_writes_and_are_reported_when_behind() {
        use crate::model::{Activity, ActivityKind};
        let (_dir, store) = store();
        let zone = chrono_tz::Asia::Shanghai;
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let user = Id::generate();
        // 23:30 UTC is the next morning in Shanghai.
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 9, 23, 30, 0).unwrap();
        let call = |minutes| Activity {
            id: Id::generate(),
            kind: ActivityKind::Call,
            customer_id: c.id,
            contact_id: None,
            at,
            duration_minutes: Some(minutes),
            text: "回访".into(),
            by: user,
            created_at: at,
            deal_id: None,
        };
        let first = call(10);
        store.insert_activity(&first).unwrap();
        store.with_activity_counts(zone, |_| ()).unwrap();
        store.insert_activity(&call(5)).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let read = |store: &Store| {
            store
                .with_activity_counts(zone, |counts| {
                    counts
                        .between(day, day)
                        .map(|(d, u, n)| (d, u, n.of(ActivityKind::Call), n.call_minutes))
                        .collect::<Vec<_>>()
                })
                .unwrap()
        };
        assert_eq!(read(&store), [(day, user, 2, 15)]);
        store.recycle_activity(first.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(read(&store), [(day, user, 1, 5)]);
        let on_customer = |from, to| {
            store
                .with_activity_counts(zone, |counts| counts.of_customer_between(c.id, from, to))
                .unwrap()
        };
        assert_eq!(on_customer(at, at), 1, "the deleted call is gone");
        assert_eq!(
            on_customer(
                at + chrono::Duration::seconds(1),
                at + chrono::Duration::days(1)
            ),
            0
        );
        assert!(problems_in(&store).is_empty());
        store.activity_counts_mut().as_mut().unwrap().add(&call(1));
        let problems = problems_in(&store);
        assert_eq!(
            tables(&problems),
            ["activity counts", "activity counts"],
            "{problems:?}"
        );
        assert!(problems[1].1.contains("activity times"), "{problems:?}");
    }
}
