//! Numbered schema migrations. All pending ones run in a single write transaction
//! at start, so a crash mid-upgrade leaves the file as it was.

use redb::{Database, ReadableDatabase, ReadableTable, TableError, WriteTransaction};

use super::tables::*;
use super::{SessionRecord, decode, encode};
use crate::error::{Error, Result};
use crate::model::{ApiToken, Id};

pub const CURRENT_SCHEMA: u64 = 12;

struct Migration {
    to: u64,
    name: &'static str,
    apply: fn(&WriteTransaction) -> Result<()>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 1,
        name: "accounts, sessions, API tokens",
        apply: v1_accounts,
    },
    Migration {
        to: 2,
        name: "per-user indexes of sessions and API tokens",
        apply: v2_per_user_indexes,
    },
    Migration {
        to: 3,
        name: "customers, contacts, activities, tasks, timeline and audit trail",
        apply: v3_customers,
    },
    Migration {
        to: 4,
        name: "pipelines, deals and their stage history; the default pipeline",
        apply: v4_deals,
    },
    Migration {
        to: 5,
        name: "deal moves on customer timelines; reopen requests",
        apply: v5_deal_timeline_and_reopening,
    },
    Migration {
        to: 6,
        name: "files on deals",
        apply: v6_deal_files,
    },
    Migration {
        to: 7,
        name: "activities linked to deals",
        apply: v7_deal_activities,
    },
    Migration {
        to: 8,
        name: "products, quotes, contracts with versions, payment plans and payments",
        apply: v8_products_and_quotes,
    },
    Migration {
        to: 9,
        name: "stock moves and deliveries; expenses",
        apply: v9_stock,
    },
    Migration {
        to: 10,
        name: "deals, contacts and activities in the recycle bin",
        apply: v10_recycled_records,
    },
    Migration {
        to: 11,
        name: "the company's audit log, with the customers' audit trails so far",
        apply: v11_audit_log,
    },
    Migration {
        to: 12,
        name: "targets",
        apply: v12_targets,
    },
];

pub fn schema_version(db: &Database) -> Result<u64> {
    schema_version_in(&db.begin_read()?)
}

pub(super) fn schema_version_in(tx: &redb::ReadTransaction) -> Result<u64> {
    let meta = match tx.open_table(META) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    Ok(meta
        .get(META_SCHEMA_VERSION)?
        .map(|v| u64::from_le_bytes(v.value().try_into().unwrap_or_default()))
        .unwrap_or(0))
}

pub(super) fn written_by(db: &Database) -> Result<Option<String>> {
    let tx = db.begin_read()?;
    let meta = tx.open_table(META)?;
    Ok(meta
        .get(META_WRITTEN_BY)?
        .map(|v| String::from_utf8_lossy(v.value()).into_owned()))
}

/// Brings the file to `target` (tests use it to stop at an older version).
/// Returns the version the file had before.
pub fn migrate_to(db: &Database, target: u64) -> Result<u64> {
    let from = schema_version(db)?;
    if from > target {
        return Err(Error::Internal(format!(
            "schema version {from} is newer than {target}"
        )));
    }
    if from == target {
        return Ok(from);
    }
    let tx = db.begin_write()?;
    for step in MIGRATIONS.iter().filter(|m| m.to > from && m.to <= target) {
        tracing::info!(to = step.to, name = step.name, "migrating data");
        (step.apply)(&tx)?;
    }
    {
        let mut meta = tx.open_table(META)?;
        meta.insert(META_SCHEMA_VERSION, target.to_le_bytes().as_slice())?;
        meta.insert(META_WRITTEN_BY, env!("CARGO_PKG_VERSION").as_bytes())?;
    }
    tx.commit()?;
    Ok(from)
}

fn v1_accounts(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(META)?;
    tx.open_table(USERS)?;
    tx.open_table(USERS_BY_EMAIL)?;
    tx.open_table(PASSWORD_HASHES)?;
    tx.open_table(SESSIONS)?;
    tx.open_table(API_TOKENS)?;
    Ok(())
}

/// Version 1 could only end sessions and list tokens by scanning everything;
/// version 2 indexes both by user and fills the indexes from existing rows.
fn v2_per_user_indexes(tx: &WriteTransaction) -> Result<()> {
    let sessions = tx.open_table(SESSIONS)?;
    let mut sessions_by_user = tx.open_table(SESSIONS_BY_USER)?;
    for row in sessions.iter()? {
        let (digest, record) = row?;
        let record: SessionRecord = decode(record.value())?;
        sessions_by_user.insert((record.user_id.0, digest.value()), ())?;
    }
    let tokens = tx.open_table(API_TOKENS)?;
    let mut tokens_by_user = tx.open_table(API_TOKENS_BY_USER)?;
    for row in tokens.iter()? {
        let (digest, token) = row?;
        let token: ApiToken = decode(token.value())?;
        tokens_by_user.insert((token.user_id.0, token.id.0), digest.value())?;
    }
    Ok(())
}

fn v3_customers(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(CUSTOMERS)?;
    tx.open_table(CUSTOMERS_BY_OWNER)?;
    tx.open_table(CUSTOMER_KEYS)?;
    tx.open_table(RECYCLE_BIN)?;
    tx.open_table(CONTACTS)?;
    tx.open_table(CONTACTS_BY_CUSTOMER)?;
    tx.open_table(AUDIT)?;
    tx.open_table(ACTIVITIES)?;
    tx.open_table(TASKS)?;
    tx.open_table(TASKS_BY_ASSIGNEE)?;
    tx.open_table(TIMELINE)?;
    tx.open_table(LAST_ACTIVITY)?;
    tx.open_table(FILES)?;
    Ok(())
}

/// Every company, new or upgraded, starts with the default pipeline.
fn v4_deals(tx: &WriteTransaction) -> Result<()> {
    let mut pipelines = tx.open_table(PIPELINES)?;
    if pipelines.first()?.is_none() {
        let pipeline = crate::model::Pipeline {
            id: Id::generate(),
            name: String::new(),
            stages: crate::domain::deals::default_stages(Id::generate),
            version: 1,
        };
        pipelines.insert(pipeline.id.0, encode(&pipeline).as_slice())?;
    }
    tx.open_table(DEALS)?;
    tx.open_table(DEALS_BY_PIPELINE)?;
    tx.open_table(DEALS_BY_CUSTOMER)?;
    tx.open_table(STAGE_HISTORY)?;
    Ok(())
}

/// Deal moves join the customer timeline, existing ones included (named as
/// the stages are named today: the older names are not kept anywhere); and
/// closed deals reopen through requests.
fn v5_deal_timeline_and_reopening(tx: &WriteTransaction) -> Result<()> {
    use crate::model::{Deal, Pipeline, StageChange};
    let pipelines: std::collections::HashMap<u128, Pipeline> = tx
        .open_table(PIPELINES)?
        .iter()?
        .map(|row| {
            let (id, value) = row?;
            Ok((id.value(), decode(value.value())?))
        })
        .collect::<Result<_>>()?;
    let history = tx.open_table(STAGE_HISTORY)?;
    let deals = tx.open_table(DEALS)?;
    let mut deal: Option<Deal> = None;
    for row in history.iter()? {
        let (key, value) = row?;
        let (deal_id, change_id) = key.value();
        let change: StageChange = decode(value.value())?;
        if deal.as_ref().is_none_or(|d| d.id.0 != deal_id) {
            deal = deals.get(deal_id)?.map(|v| decode(v.value())).transpose()?;
        }
        let Some(d) = &deal else { continue };
        let Some(pipeline) = pipelines.get(&d.pipeline_id.0) else {
            continue;
        };
        let event = crate::domain::deals::timeline_event(d, pipeline, &change);
        super::deals::put_timeline_event(tx, change_id, &event)?;
    }
    tx.open_table(DEAL_TIMELINE)?;
    tx.open_table(REOPEN_REQUESTS)?;
    tx.open_table(REOPEN_PENDING)?;
    tx.open_table(REOPEN_BY_REQUESTER)?;
    Ok(())
}

/// Files may belong to a deal as well as to its customer; existing files
/// are the customer's alone.
fn v6_deal_files(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(DEAL_FILES)?;
    tx.open_table(FILE_DEALS)?;
    Ok(())
}

/// An activity as schemas 3 to 6 stored it, before it could name a deal.
#[derive(serde::Deserialize)]
struct ActivityV6 {
    id: Id,
    kind: crate::model::ActivityKind,
    customer_id: Id,
    contact_id: Option<Id>,
    at: chrono::DateTime<chrono::Utc>,
    duration_minutes: Option<u32>,
    text: String,
    by: Id,
    created_at: chrono::DateTime<chrono::Utc>,
}

/// Activities gain the deal they are about (none, for the existing ones),
/// indexed by deal. Records are rewritten in batches, so the migration of
/// a million activities never holds them all in memory.
fn v7_deal_activities(tx: &WriteTransaction) -> Result<()> {
    use crate::model::Activity;
    const BATCH: usize = 10_000;
    tx.open_table(DEAL_ACTIVITIES)?;
    let mut table = tx.open_table(ACTIVITIES)?;
    let mut after: Option<u128> = None;
    loop {
        let rows = match after {
            Some(last) => {
                table.range((std::ops::Bound::Excluded(last), std::ops::Bound::Unbounded))?
            }
            None => table.range::<u128>(..)?,
        };
        let batch: Vec<Activity> = rows
            .take(BATCH)
            .map(|row| {
                let old: ActivityV6 = decode(row?.1.value())?;
                Ok(Activity {
                    id: old.id,
                    kind: old.kind,
                    customer_id: old.customer_id,
                    contact_id: old.contact_id,
                    at: old.at,
                    duration_minutes: old.duration_minutes,
                    text: old.text,
                    by: old.by,
                    created_at: old.created_at,
                    deal_id: None,
                })
            })
            .collect::<Result<_>>()?;
        let Some(last) = batch.last().map(|a| a.id.0) else {
            break;
        };
        for activity in &batch {
            table.insert(activity.id.0, encode(activity).as_slice())?;
        }
        after = Some(last);
    }
    Ok(())
}

/// Products, quotes, contracts and payments arrive, empty: nothing older refers to them.
fn v8_products_and_quotes(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(PRODUCTS)?;
    tx.open_table(PRODUCTS_BY_CODE)?;
    tx.open_table(QUOTES)?;
    tx.open_table(QUOTES_BY_CUSTOMER)?;
    tx.open_table(QUOTES_BY_DEAL)?;
    tx.open_table(QUOTE_NUMBERS)?;
    tx.open_table(PRODUCT_QUOTES)?;
    tx.open_table(QUOTES_PENDING)?;
    tx.open_table(COUNTERS)?;
    tx.open_table(CONTRACTS)?;
    tx.open_table(CONTRACTS_BY_CUSTOMER)?;
    tx.open_table(CONTRACTS_BY_DEAL)?;
    tx.open_table(CONTRACT_NUMBERS)?;
    tx.open_table(CONTRACT_VERSIONS)?;
    tx.open_table(CONTRACTS_PENDING)?;
    tx.open_table(QUOTE_CONTRACTS)?;
    tx.open_table(PRODUCT_CONTRACTS)?;
    tx.open_table(PAYMENTS)?;
    tx.open_table(PAYMENTS_BY_CONTRACT)?;
    Ok(())
}

/// Stock moves and expenses arrive, empty: every product starts with
/// nothing on hand.
fn v9_stock(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(STOCK_MOVES)?;
    tx.open_table(STOCK_BY_PRODUCT)?;
    tx.open_table(DELIVERIES_BY_CONTRACT)?;
    tx.open_table(EXPENSES)?;
    tx.open_table(EXPENSES_BY_CUSTOMER)?;
    tx.open_table(EXPENSES_BY_USER)?;
    Ok(())
}

fn v10_recycled_records(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(RECYCLED)?;
    Ok(())
}

/// The audit log arrives with what the customers' audit trails hold
/// already (their lines are kept under the ids they had, which are in
/// time order), so purging one of those customers keeps them too.
fn v11_audit_log(tx: &WriteTransaction) -> Result<()> {
    use crate::model::FieldChange;
    tx.open_table(AUDIT_LOG)?;
    tx.open_table(AUDIT_LOG_BY_RECORD)?;
    let audit = tx.open_table(AUDIT)?;
    for row in audit.iter()? {
        let (key, value) = row?;
        let change: FieldChange = decode(value.value())?;
        for mut entry in super::audit_log::customer_entries(tx, &[change])? {
            entry.id = Id(key.value().1);
            super::audit_log::append(tx, &entry)?;
        }
    }
    Ok(())
}

fn v12_targets(tx: &WriteTransaction) -> Result<()> {
    tx.open_table(TARGETS)?;
    tx.open_table(TARGET_KEYS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{OpenError, Store, encode};
    use super::*;
    use crate::domain::secret;
    use crate::model::Id;
    use chrono::Utc;

    fn raw_db(dir: &std::path::Path) -> Database {
        Database::create(dir.join(super::super::DB_FILE)).unwrap()
    }

    #[test]
    fn migration_3_to_4_gives_an_existing_company_the_default_pipeline_once() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = raw_db(dir.path());
            assert_eq!(migrate_to(&db, 3).unwrap(), 0);
        }
        let store = Store::open(dir.path()).unwrap();
        let pipelines = store.pipelines().unwrap();
        assert_eq!(pipelines.len(), 1);
        assert_eq!(pipelines[0].stages.len(), 7);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.pipelines().unwrap(), pipelines);
        super::super::test_support::assert_consistent(&store);
    }

    #[test]
    fn migration_4_to_5_puts_existing_deal_moves_on_their_customers_timelines() {
        use crate::model::{Cents, Deal, DealStatus, Pipeline, StageChange, TimelineEntry};
        let dir = tempfile::tempdir().unwrap();
        let customer = Id::generate();
        let deal_id = Id::generate();
        let at = |minutes| Utc::now() - chrono::Duration::minutes(minutes);
        {
            // A file as version 4 left it: a deal moved once, no timeline rows.
            let db = raw_db(dir.path());
            assert_eq!(migrate_to(&db, 4).unwrap(), 0);
            let tx = db.begin_write().unwrap();
            {
                let pipeline: Pipeline = decode(
                    tx.open_table(PIPELINES)
                        .unwrap()
                        .first()
                        .unwrap()
                        .unwrap()
                        .1
                        .value(),
                )
                .unwrap();
                let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);
                let deal = Deal {
                    id: deal_id,
                    pipeline_id: pipeline.id,
                    stage_id: second,
                    customer_id: customer,
                    title: "ERP".into(),
                    amount: Cents(100),
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
                    stage_entered_at: at(5),
                    created_at: at(10),
                    updated_at: at(5),
                    version: 2,
                };
                tx.open_table(DEALS)
                    .unwrap()
                    .insert(deal_id.0, encode(&deal).as_slice())
                    .unwrap();
                let mut history = tx.open_table(STAGE_HISTORY).unwrap();
                for (from, to, minutes) in [(None, first, 10), (Some(first), second, 5)] {
                    let change = StageChange {
                        deal_id,
                        from,
                        to,
                        at: at(minutes),
                        by: Id(1),
                    };
                    history
                        .insert((deal_id.0, Id::generate().0), encode(&change).as_slice())
                        .unwrap();
                }
            }
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        let timeline = store.timeline(customer, None, 10).unwrap();
        let kinds: Vec<_> = timeline
            .iter()
            .map(|(_, e)| match e {
                TimelineEntry::Deal(d) => (d.kind, d.title.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        use crate::model::DealTimelineKind::*;
        assert_eq!(kinds, [(Moved, "ERP".into()), (Created, "ERP".into())]);
        assert!(store.pending_reopen_requests().unwrap().is_empty());
        assert_eq!(store.close_reasons().unwrap().version, 0);
    }

    #[test]
    fn migration_to_7_keeps_every_activity_linked_to_no_deal() {
        use crate::model::{ActivityKind, TimelineEntry};
        #[derive(serde::Serialize)]
        struct Old<'a> {
            id: Id,
            kind: ActivityKind,
            customer_id: Id,
            contact_id: Option<Id>,
            at: chrono::DateTime<Utc>,
            duration_minutes: Option<u32>,
            text: &'a str,
            by: Id,
            created_at: chrono::DateTime<Utc>,
        }
        let dir = tempfile::tempdir().unwrap();
        let customer = Id::generate();
        let ids: Vec<Id> = (0..3).map(|_| Id::generate()).collect();
        {
            let db = raw_db(dir.path());
            assert_eq!(migrate_to(&db, 5).unwrap(), 0);
            let tx = db.begin_write().unwrap();
            {
                let mut activities = tx.open_table(ACTIVITIES).unwrap();
                let mut timeline = tx.open_table(TIMELINE).unwrap();
                for (n, id) in ids.iter().enumerate() {
                    let at = Utc::now() - chrono::Duration::minutes(n as i64);
                    let old = Old {
                        id: *id,
                        kind: ActivityKind::Call,
                        customer_id: customer,
                        contact_id: None,
                        at,
                        duration_minutes: Some(3),
                        text: "约了下周拜访",
                        by: Id(1),
                        created_at: at,
                    };
                    activities.insert(id.0, encode(&old).as_slice()).unwrap();
                    timeline
                        .insert((customer.0, at.timestamp_micros(), id.0), TIMELINE_ACTIVITY)
                        .unwrap();
                }
            }
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        let timeline = store.timeline(customer, None, 10).unwrap();
        assert_eq!(timeline.len(), 3);
        for (_, entry) in timeline {
            let TimelineEntry::Activity(a) = entry else {
                panic!("{entry:?}")
            };
            assert_eq!((a.text.as_str(), a.deal_id), ("约了下周拜访", None));
        }
    }

    #[test]
    fn migration_7_to_8_adds_empty_products_and_quotes_beside_the_existing_data() {
        let dir = tempfile::tempdir().unwrap();
        let customer = super::super::customers::tests::customer("升级前的客户", None);
        {
            let db = raw_db(dir.path());
            assert_eq!(migrate_to(&db, 7).unwrap(), 0);
        }
        {
            // Today's store writes the customer; the file then says 7 and
            // lacks every table of schema 8, as a version-7 binary left it.
            let store = Store::open(dir.path()).unwrap();
            store.insert_customer(&customer, &[]).unwrap();
        }
        {
            let db = raw_db(dir.path());
            let tx = db.begin_write().unwrap();
            for table in [PRODUCTS, QUOTES] {
                assert!(tx.delete_table(table).unwrap());
            }
            for table in [QUOTES_BY_CUSTOMER, QUOTES_BY_DEAL, PRODUCT_QUOTES] {
                assert!(tx.delete_table(table).unwrap());
            }
            assert!(tx.delete_table(PRODUCTS_BY_CODE).unwrap());
            assert!(tx.delete_table(QUOTE_NUMBERS).unwrap());
            assert!(tx.delete_table(QUOTES_PENDING).unwrap());
            assert!(tx.delete_table(COUNTERS).unwrap());
            for table in [CONTRACTS, PAYMENTS] {
                assert!(tx.delete_table(table).unwrap());
            }
            for table in [
                CONTRACTS_BY_CUSTOMER,
                CONTRACTS_BY_DEAL,
                PRODUCT_CONTRACTS,
                PAYMENTS_BY_CONTRACT,
            ] {
                assert!(tx.delete_table(table).unwrap());
            }
            assert!(tx.delete_table(CONTRACT_NUMBERS).unwrap());
            assert!(tx.delete_table(CONTRACT_VERSIONS).unwrap());
            assert!(tx.delete_table(CONTRACTS_PENDING).unwrap());
            assert!(tx.delete_table(QUOTE_CONTRACTS).unwrap());
            tx.open_table(META)
                .unwrap()
                .insert(META_SCHEMA_VERSION, 7u64.to_le_bytes().as_slice())
                .unwrap();
            tx.commit().unwrap();
        }
        // The first open above migrated its fresh file and kept a copy too:
        // remove it, so the copy counted below is this open's.
        let backups = dir.path().join(super::super::BACKUP_DIR);
        for entry in std::fs::read_dir(&backups).unwrap().filter_map(|e| e.ok()) {
            std::fs::remove_file(entry.path()).unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        assert!(store.products().unwrap().is_empty());
        assert!(store.quotes_of_customer(customer.id).unwrap().is_empty());
        assert_eq!(store.sales_settings().unwrap().version, 0);
        let product = super::super::products::tests::product("SRV-01");
        store.insert_product(&product).unwrap();
        let quote = super::super::quotes::tests::quote(customer.id, Some(product.id));
        store.insert_quote(&quote).unwrap();
        assert_eq!(store.quotes_of_customer(customer.id).unwrap().len(), 1);
        super::super::test_support::assert_consistent(&store);
        let kept = std::fs::read_dir(&backups)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("from-7"))
            .count();
        assert_eq!(kept, 1, "the schema-7 file is kept before migrating");
    }

    #[test]
    fn migration_9_to_10_adds_an_empty_bin_for_deals_contacts_and_activities() {
        let dir = tempfile::tempdir().unwrap();
        let c = super::super::customers::tests::customer("星辰科技", None);
        let zhang = super::super::customers::tests::contact(c.id, "张伟");
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .insert_customer(&c, std::slice::from_ref(&zhang))
                .unwrap();
        }
        {
            let db = raw_db(dir.path());
            let tx = db.begin_write().unwrap();
            assert!(tx.delete_table(RECYCLED).unwrap());
            tx.open_table(META)
                .unwrap()
                .insert(META_SCHEMA_VERSION, 9u64.to_le_bytes().as_slice())
                .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        assert!(store.binned_records().unwrap().is_empty());
        let removal = crate::model::FieldChange {
            record: c.id,
            by: Id(1),
            at: Utc::now(),
            field: "contact:张伟:deleted".into(),
            old: "张伟".into(),
            new: String::new(),
        };
        store.recycle_contact(zhang.id, &removal).unwrap();
        assert_eq!(store.binned_records().unwrap().len(), 1);
        super::super::test_support::assert_consistent(&store);
    }

    #[test]
    fn migration_8_to_9_adds_empty_stock_beside_the_existing_products() {
        let dir = tempfile::tempdir().unwrap();
        let product = super::super::products::tests::product("SRV-01");
        {
            // Today's store writes the product; the file then says 8 and
            // lacks the tables of schema 9, as a version-8 binary left it.
            let store = Store::open(dir.path()).unwrap();
            store.insert_product(&product).unwrap();
        }
        {
            let db = raw_db(dir.path());
            let tx = db.begin_write().unwrap();
            assert!(tx.delete_table(STOCK_MOVES).unwrap());
            assert!(tx.delete_table(STOCK_BY_PRODUCT).unwrap());
            assert!(tx.delete_table(DELIVERIES_BY_CONTRACT).unwrap());
            assert!(tx.delete_table(EXPENSES).unwrap());
            assert!(tx.delete_table(EXPENSES_BY_CUSTOMER).unwrap());
            assert!(tx.delete_table(EXPENSES_BY_USER).unwrap());
            tx.open_table(META)
                .unwrap()
                .insert(META_SCHEMA_VERSION, 8u64.to_le_bytes().as_slice())
                .unwrap();
            tx.commit().unwrap();
        }
        // A fresh file needs no copy before its first migration.
        let backups = dir.path().join(super::super::BACKUP_DIR);
        assert!(!backups.exists());
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        assert_eq!(store.products().unwrap(), vec![product.clone()]);
        assert!(store.stock_moves_of_product(product.id).unwrap().is_empty());
        let bought = super::super::stock::tests::purchase(product.id, 1, 10, 100);
        store.insert_stock_move(&bought, |_| Ok(())).unwrap();
        assert_eq!(store.stock_moves().unwrap(), vec![bought]);
        super::super::test_support::assert_consistent(&store);
        let kept = std::fs::read_dir(&backups)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("from-8"))
            .count();
        assert_eq!(kept, 1, "the schema-8 file is kept before migrating");
    }

    #[test]
    fn migration_10_to_11_carries_the_customers_audit_trails_into_the_log() {
        use crate::model::{AuditAction, AuditKind, Customer, FieldChange};
        let dir = tempfile::tempdir().unwrap();
        let customer = super::super::customers::tests::customer("升级前的客户", None);
        let renamed = Customer {
            name: "升级后的客户".into(),
            ..customer.clone()
        };
        let change = FieldChange {
            record: customer.id,
            by: Id(1),
            at: Utc::now(),
            field: "name".into(),
            old: customer.name.clone(),
            new: renamed.name.clone(),
        };
        {
            // Today's store writes the customer and its edit; the file then
            // says 10 and lacks the log, as a version-10 binary left it.
            let store = Store::open(dir.path()).unwrap();
            store.insert_customer(&customer, &[]).unwrap();
            store.update_customer(&renamed, &[change]).unwrap();
        }
        {
            let db = raw_db(dir.path());
            let tx = db.begin_write().unwrap();
            assert!(tx.delete_table(AUDIT_LOG).unwrap());
            assert!(tx.delete_table(AUDIT_LOG_BY_RECORD).unwrap());
            tx.open_table(META)
                .unwrap()
                .insert(META_SCHEMA_VERSION, 10u64.to_le_bytes().as_slice())
                .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        let of_customer = super::super::AuditQuery {
            record: Some(customer.id),
            ..Default::default()
        };
        let (total, entries) = store.audit_log(&of_customer, 0, 10).unwrap();
        assert_eq!(total, 1);
        let e = &entries[0];
        assert_eq!(
            (e.kind, e.action),
            (AuditKind::Customer, AuditAction::Update)
        );
        assert_eq!(e.label, "升级后的客户");
        assert_eq!(e.changes[0].old, "升级前的客户");
        store
            .recycle_customer(customer.id, Utc::now(), Id(1))
            .unwrap();
        store.purge_customer(customer.id).unwrap();
        assert_eq!(store.audit_log(&of_customer, 0, 10).unwrap().0, 2);
        super::super::test_support::assert_consistent(&store);
    }

    /// A file as schema 6 left it: a customer with three activities in
    /// their old shape on its timeline. Written by today's store, then
    /// taken back to schema 6 (the only difference is the activities).
    /// Answers the customer.
    fn write_schema_6_activities(dir: &std::path::Path) -> Id {
        use crate::model::{Activity, ActivityKind};
        #[derive(serde::Serialize)]
        struct Old<'a> {
            id: Id,
            kind: ActivityKind,
            customer_id: Id,
            contact_id: Option<Id>,
            at: chrono::DateTime<Utc>,
            duration_minutes: Option<u32>,
            text: &'a str,
            by: Id,
            created_at: chrono::DateTime<Utc>,
        }
        let customer = super::super::customers::tests::customer("迁移中的客户", None);
        let activities: Vec<Activity> = (0..3)
            .map(|n| Activity {
                id: Id::generate(),
                kind: ActivityKind::Call,
                customer_id: customer.id,
                contact_id: None,
                at: Utc::now() - chrono::Duration::minutes(n),
                duration_minutes: Some(3),
                text: "约了下周拜访".into(),
                by: Id(1),
                created_at: Utc::now(),
                deal_id: None,
            })
            .collect();
        {
            let store = Store::open(dir).unwrap();
            store.insert_customer(&customer, &[]).unwrap();
            for activity in &activities {
                store.insert_activity(activity).unwrap();
            }
        }
        let db = raw_db(dir);
        let tx = db.begin_write().unwrap();
        {
            let mut table = tx.open_table(ACTIVITIES).unwrap();
            for a in &activities {
                let old = Old {
                    id: a.id,
                    kind: a.kind,
                    customer_id: a.customer_id,
                    contact_id: a.contact_id,
                    at: a.at,
                    duration_minutes: a.duration_minutes,
                    text: &a.text,
                    by: a.by,
                    created_at: a.created_at,
                };
                table.insert(a.id.0, encode(&old).as_slice()).unwrap();
            }
            let mut meta = tx.open_table(META).unwrap();
            meta.insert(META_SCHEMA_VERSION, 6u64.to_le_bytes().as_slice())
                .unwrap();
        }
        assert!(tx.delete_table(DEAL_ACTIVITIES).unwrap());
        tx.commit().unwrap();
        customer.id
    }

    /// Fails unless the file holds schema 6 with every activity in its old
    /// shape, or the current schema with every activity in its new one.
    fn assert_old_or_new_never_a_mix(dir: &std::path::Path) {
        let db = raw_db(dir);
        let version = schema_version(&db).unwrap();
        let tx = db.begin_read().unwrap();
        let activities = tx.open_table(ACTIVITIES).unwrap();
        let rows: Vec<Vec<u8>> = activities
            .iter()
            .unwrap()
            .map(|row| row.unwrap().1.value().to_vec())
            .collect();
        assert_eq!(rows.len(), 3);
        match version {
            6 => {
                assert!(
                    matches!(
                        tx.open_table(DEAL_ACTIVITIES),
                        Err(TableError::TableDoesNotExist(_))
                    ),
                    "schema 6 with a table of schema 7"
                );
                for row in &rows {
                    decode::<ActivityV6>(row).unwrap();
                    assert!(decode::<crate::model::Activity>(row).is_err());
                }
            }
            // The migrations since 6 run in one transaction: all or none.
            CURRENT_SCHEMA => {
                tx.open_table(DEAL_ACTIVITIES).unwrap();
                for row in &rows {
                    let activity: crate::model::Activity = decode(row).unwrap();
                    assert_eq!(activity.deal_id, None);
                }
            }
            other => panic!("schema {other} after a migration from 6"),
        }
    }

    #[test]
    fn power_lost_during_a_migration_leaves_the_old_or_the_new_schema_and_a_second_start_finishes()
    {
        use super::super::faults::Faults;
        let mut cut_at = Vec::new();
        // The power goes after 0, 1, 2, … writes, until the migration
        // needs no more than that.
        for writes in 0..200 {
            let dir = tempfile::tempdir().unwrap();
            let customer = write_schema_6_activities(dir.path());
            let faults = Faults::new();
            faults.cut_power_after_writes(writes);
            let interrupted = faults.open_store(dir.path());
            let finished = interrupted.is_ok();
            drop(interrupted);
            assert_old_or_new_never_a_mix(dir.path());

            let store = Store::open(dir.path()).unwrap();
            assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
            assert_eq!(store.timeline(customer, None, 10).unwrap().len(), 3);
            super::super::test_support::assert_consistent(&store);
            if finished {
                break;
            }
            cut_at.push(writes);
        }
        assert!(
            cut_at.len() >= 2,
            "the power cut should have stopped the migration more than once: {cut_at:?}"
        );
    }

    #[test]
    fn migration_1_to_2_indexes_existing_sessions_and_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let user = Id::generate();
        let session_digest = secret::digest("session-secret");
        let token_digest = secret::digest("gx_token-secret");
        let token = ApiToken {
            id: Id::generate(),
            user_id: user,
            name: "laptop".into(),
            created_at: Utc::now(),
            last_used_at: None,
        };
        {
            // A file as version 1 of the binary left it: rows without indexes.
            let db = raw_db(dir.path());
            assert_eq!(migrate_to(&db, 1).unwrap(), 0);
            let tx = db.begin_write().unwrap();
            {
                let record = SessionRecord {
                    user_id: user,
                    created_at: Utc::now(),
                    last_seen_at: Utc::now(),
                };
                let mut sessions = tx.open_table(SESSIONS).unwrap();
                sessions
                    .insert(session_digest.as_slice(), encode(&record).as_slice())
                    .unwrap();
                let mut tokens = tx.open_table(API_TOKENS).unwrap();
                tokens
                    .insert(token_digest.as_slice(), encode(&token).as_slice())
                    .unwrap();
            }
            tx.commit().unwrap();
            assert_eq!(schema_version(&db).unwrap(), 1);
        }

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        assert_eq!(store.tokens_of(user).unwrap(), vec![token]);
        assert!(store.session(&session_digest).unwrap().is_some());
        store.end_sessions_of(user).unwrap();
        assert!(store.session(&session_digest).unwrap().is_none());
        super::super::test_support::assert_consistent(&store);

        let backups: Vec<_> = std::fs::read_dir(dir.path().join(super::super::BACKUP_DIR))
            .unwrap()
            .collect();
        assert_eq!(backups.len(), 1, "the v1 file is kept before migrating");
    }

    #[test]
    fn data_from_a_newer_version_is_refused_naming_both_versions() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = raw_db(dir.path());
            migrate_to(&db, CURRENT_SCHEMA).unwrap();
            let tx = db.begin_write().unwrap();
            {
                let mut meta = tx.open_table(META).unwrap();
                meta.insert(META_SCHEMA_VERSION, 99u64.to_le_bytes().as_slice())
                    .unwrap();
                meta.insert(META_WRITTEN_BY, b"9.0.0".as_slice()).unwrap();
            }
            tx.commit().unwrap();
        }
        let err = Store::open(dir.path())
            .err()
            .expect("newer data must be refused");
        assert!(matches!(err, OpenError::TooNew { found: 99, .. }));
        let message = err.to_string();
        assert!(message.contains("schema version 99"), "{message}");
        assert!(message.contains("9.0.0"), "{message}");
        assert!(
            message.contains(&format!("up to {CURRENT_SCHEMA}")),
            "{message}"
        );
        assert!(message.contains(env!("CARGO_PKG_VERSION")), "{message}");
    }
}
