//! Upgrades from every schema version since 1. Each fixture in `fixtures/`
//! was written by the code of the last commit that had its version (see
//! `fixtures/make.sh`); opening a copy must migrate it to the current schema
//! in place, keep every record readable, and leave the indexes agreeing
//! with the records.

use std::path::Path;

use guanxi_core::model::{AuditFilter, User};
use guanxi_core::service::{Actor, Guanxi};
use guanxi_core::store::{CURRENT_SCHEMA, DB_FILE, RecordCounts, Store};

/// What a fixture holds, as its generator wrote it.
struct Fixture {
    version: u64,
    admin: (&'static str, &'static str),
    counts: RecordCounts,
    /// Customers in the recycle bin.
    binned: usize,
}

const HAND_MADE: (&str, &str) = ("admin@example.cn", "fixture password 1");
const DEMO: (&str, &str) = (guanxi_core::demo::ADMIN_EMAIL, guanxi_core::demo::PASSWORD);

fn accounts(version: u64) -> Fixture {
    Fixture {
        version,
        admin: HAND_MADE,
        counts: RecordCounts {
            users: 3,
            ..Default::default()
        },
        binned: 0,
    }
}

fn customers(version: u64, deals: u64, stage_changes: u64, timeline_entries: u64) -> Fixture {
    Fixture {
        version,
        admin: HAND_MADE,
        counts: RecordCounts {
            users: 3,
            customers: 6,
            contacts: 7,
            deals,
            stage_changes,
            activities: 18,
            tasks: 6,
            timeline_entries,
            ..Default::default()
        },
        binned: 1,
    }
}

fn demo(version: u64, money: RecordCounts) -> Fixture {
    Fixture {
        version,
        admin: DEMO,
        counts: RecordCounts {
            users: 5,
            customers: 40,
            contacts: 70,
            deals: 30,
            stage_changes: 129,
            activities: 160,
            tasks: 30,
            timeline_entries: 317,
            ..money
        },
        binned: 1,
    }
}

fn fixtures() -> Vec<Fixture> {
    let none = RecordCounts::default();
    // Schema 8's demo made no money; its generator added one of each.
    let one_sale = RecordCounts {
        products: 1,
        contracts: 1,
        payments: 1,
        ..none
    };
    let demo_money = RecordCounts {
        products: 6,
        contracts: 24,
        payments: 39,
        stock_moves: 81,
        expenses: 16,
        ..none
    };
    vec![
        accounts(1),
        accounts(2),
        customers(3, 0, 0, 31),
        customers(4, 4, 10, 41),
        demo(5, none),
        demo(6, none),
        demo(7, none),
        demo(8, one_sale),
        demo(9, demo_money),
        demo(10, demo_money),
        demo(11, demo_money),
        demo(12, demo_money),
    ]
}

fn fixture_copy(version: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("schema-{version}.redb"));
    std::fs::copy(&source, dir.path().join(DB_FILE))
        .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    dir
}

#[test]
fn there_is_a_fixture_for_every_schema_version() {
    let versions: Vec<u64> = fixtures().iter().map(|f| f.version).collect();
    assert_eq!(versions, (1..=CURRENT_SCHEMA).collect::<Vec<_>>());
}

#[test]
fn every_old_data_file_upgrades_whole_and_consistent() {
    for fixture in fixtures() {
        let v = fixture.version;
        let dir = fixture_copy(v);
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("schema {v}: {e}"));
        assert_eq!(
            store.schema_version().unwrap(),
            CURRENT_SCHEMA,
            "schema {v}"
        );
        let report = store.check_consistency().unwrap();
        assert!(report.is_consistent(), "schema {v}: {report}");
        let counts = store.record_counts().unwrap();
        assert_eq!(counts, fixture.counts, "schema {v}");

        let app = Guanxi::new(store);
        let (email, password) = fixture.admin;
        let (admin, _) = app
            .login(email, password, "upgrade test")
            .unwrap_or_else(|e| panic!("schema {v}: the admin signs in: {e}"));
        assert_every_record_reads(&app, &admin, &fixture);
        drop(app);

        // A second start finds nothing left to do and the same records.
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.record_counts().unwrap(), fixture.counts, "schema {v}");
        assert!(again.check_consistency().unwrap().is_consistent());
    }
}

/// Reads through the services, which decode every kind of record the
/// fixture has: a record an old version wrote in a shape the current code
/// cannot read fails here.
fn assert_every_record_reads(app: &Guanxi, admin: &User, fixture: &Fixture) {
    let v = fixture.version;
    let tokens = app.list_tokens(admin).unwrap();
    assert!(
        tokens.iter().any(|t| t.name == "nightly export"),
        "schema {v}: the API token survives"
    );
    let users = app.list_users(Actor::User(admin)).unwrap();
    assert_eq!(users.len() as u64, fixture.counts.users, "schema {v}");
    let customers = app.visible_customers(admin).unwrap();
    let live = fixture.counts.customers as usize - fixture.binned;
    assert_eq!(customers.len(), live, "schema {v}: live customers");
    let binned = app.recycled_customers(Actor::User(admin)).unwrap();
    assert_eq!(binned.len(), fixture.binned, "schema {v}: the recycle bin");
    for customer in &customers {
        app.customer(admin, customer.id).unwrap();
        app.contacts(admin, customer.id).unwrap();
        app.timeline(admin, customer.id, None, 1000)
            .unwrap_or_else(|e| panic!("schema {v}: timeline of {}: {e}", customer.name));
    }
    let contracts = app.contracts(admin, None).unwrap();
    assert_eq!(
        contracts.len() as u64,
        fixture.counts.contracts,
        "schema {v}"
    );
    for contract in &contracts {
        app.payments(admin, contract.id).unwrap();
        app.contract_versions(admin, contract.id).unwrap();
    }
    // Schema 12's generator set the company's target; older files have none.
    let targets = app.targets(admin, None).unwrap();
    assert_eq!(targets.len(), usize::from(v >= 12), "schema {v}: targets");
    for t in &targets {
        app.target_progress(admin, t.target.id).unwrap();
    }
    if fixture.counts.customers > 0 {
        // The customers' audit trails of the day became the audit log.
        let log = app
            .audit_log(admin, &AuditFilter::default(), 0, 50)
            .unwrap();
        assert!(
            log.total > 0,
            "schema {v}: the audit log starts with the old trails"
        );
    }
}
