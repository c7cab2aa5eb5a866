//! Services: what a request may do, written once for the REST API, the server
//! functions and the CLI. Each checks who is asking, validates input, and calls
//! the store. Password hashing makes some of them slow on purpose: async callers
//! run them with `spawn_blocking`.

mod accounts;
mod activities;
mod activity_report;
mod audit;
mod backups;
mod closing;
mod company;
mod contacts;
mod contracts;
mod customer_report;
mod customer_rows;
mod customer_types;
mod customers;
mod deals;
mod expenses;
mod files;
mod handover;
mod import;
mod kept;
mod order_import;
mod pipelines;
mod pool;
mod product_import;
mod products;
mod quotes;
mod reports;
mod revenue;
mod sales_actuals;
mod stock;
mod targets;
mod tokens;
mod users;
mod workbench;

pub use accounts::Authenticated;
pub use activities::{MAX_ACTIVITY_PAGE, TaskChanges};
pub use audit::{MAX_AUDIT_EXPORT, MAX_AUDIT_PAGE};
pub use backups::SNAPSHOT_EVERY;
pub use closing::MAX_CLOSE_REASONS;
pub use customer_rows::{CustomerLine, MAX_EXPORT_ROWS};
pub use customer_types::MAX_CUSTOMER_TYPES;
pub use customers::{BulkAction, MAX_BULK};
pub use import::MAX_IMPORT_BYTES;
pub use products::MAX_QUOTE_VALID_DAYS;
pub use quotes::QuoteFilter;
pub use reports::FORECAST_MONTHS;
pub use sales_actuals::SalesScope;
pub use targets::MAX_PLANNER_WINDOW;
pub use users::UserNames;

use std::sync::Mutex;

use crate::domain::login_limit::LoginLimiter;
use crate::error::{Error, Result};
use crate::model::{DealEvent, User};
use crate::store::{OpenError, Store};

/// Deal events a slow live board may fall behind by before it is told it
/// lagged (and reloads the whole board).
const DEAL_EVENT_BACKLOG: usize = 256;

pub struct Guanxi {
    // Private: only the services read and write, so each rule about who
    // may see or change what is checked in one place.
    store: Store,
    login_limiter: Mutex<LoginLimiter>,
    imports: import::ImportJobs,
    deal_events: tokio::sync::broadcast::Sender<DealEvent>,
    /// The last scheduled snapshot's failure, until one succeeds.
    backup_failure: Mutex<Option<crate::model::BackupFailure>>,
    /// The customer KPIs and cohorts summed per owner and day, as of the
    /// store's `changes` count they were made at; see `customer_report`.
    customer_tallies: Mutex<Option<customer_report::CachedTallies>>,
    /// The funnel, conversion and forecast tallies of each pipeline, kept
    /// per set of owners and counted again when the boards' stamp of the
    /// set moves; see `reports::deal_tallies`.
    deal_tallies: Mutex<std::collections::HashMap<crate::model::Id, reports::CachedDealTallies>>,
    /// Each product's costing by each method, and its margin, as of the
    /// store's stock version of the product; see `stock`.
    stock_figures: stock::StockFigures,
    /// The receivables page as of a state of the contracts in memory.
    receivables_kept: Mutex<contracts::KeptReceivables>,
    /// Revenue reports as of a state of the money ledger; see `revenue`.
    money_kept: revenue::KeptMoneyReports,
    collection_kept: revenue::KeptCollections,
    /// The pipeline reports as of a state of the store; see `reports`.
    reports_kept: reports::KeptReports,
    /// Target progress and plans as of a state of the store.
    targets_kept: targets::KeptTargets,
}

/// Who is asking: a signed-in user, or the operator at the machine's console
/// (the CLI), who already has the data folder in hand.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    User(&'a User),
    Console,
}

impl Actor<'_> {
    fn require_admin(self) -> Result<()> {
        match self {
            Actor::Console => Ok(()),
            Actor::User(u) if u.active && u.role.is_admin() => Ok(()),
            Actor::User(_) => Err(Error::Forbidden),
        }
    }
}

impl Guanxi {
    pub fn new(store: Store) -> Self {
        Guanxi::with_limiter(store, LoginLimiter::default())
    }

    pub fn with_limiter(store: Store, limiter: LoginLimiter) -> Self {
        Guanxi {
            store,
            login_limiter: Mutex::new(limiter),
            imports: Default::default(),
            deal_events: tokio::sync::broadcast::channel(DEAL_EVENT_BACKLOG).0,
            backup_failure: Mutex::new(None),
            customer_tallies: Mutex::new(None),
            deal_tallies: Mutex::default(),
            stock_figures: Default::default(),
            receivables_kept: Mutex::default(),
            money_kept: kept::Kept::new(revenue::KEPT_REPORTS),
            collection_kept: kept::Kept::new(revenue::KEPT_REPORTS),
            reports_kept: Default::default(),
            targets_kept: Default::default(),
        }
    }

    /// The store itself, for tests and benches that set up or inspect
    /// data beneath the rules. Request code goes through the services,
    /// which check who may see what.
    #[doc(hidden)]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The schema version of the data file, for the health check.
    pub fn schema_version(&self) -> Result<u64> {
        self.store.schema_version()
    }

    /// Reads every live customer and contact into the in-memory directory
    /// that lists and search run on, and answers how many customers it
    /// holds. Until it is done, whatever needs the directory waits.
    pub fn load_directory(&self) -> std::result::Result<usize, OpenError> {
        self.store.load_directory()?;
        Ok(self.store.directory().len())
    }

    /// Reads the deals the boards show into memory, so the first board
    /// anyone opens does not pay for it.
    pub fn warm_deal_boards(&self) -> Result<()> {
        self.store.warm_deal_boards()
    }

    /// Counts the activities per day, user and kind in the company's zone,
    /// so the first dashboard or workbench does not read a million rows.
    pub fn warm_activity_counts(&self) -> Result<()> {
        self.store.with_activity_counts(self.company_zone(), |_| ())
    }

    /// Counts the tallies of every pipeline's deals for the funnel,
    /// conversion and forecast (about 0.1 s at the `large` size), so the
    /// first report does not wait for them.
    pub fn warm_deal_tallies(&self) -> Result<()> {
        for pipeline in self.store.pipelines()? {
            self.deal_tallies(&pipeline)?;
        }
        Ok(())
    }

    /// Reads the contracts into memory, so the first contract list or
    /// receivables page does not read them all.
    pub fn warm_contracts(&self) -> Result<()> {
        self.store.warm_contract_index()
    }

    /// Ends the sessions idle longer than the company allows; answers how
    /// many.
    pub fn end_idle_sessions(&self) -> Result<usize> {
        let minutes = self
            .company()
            .map(|c| c.session_idle_minutes)
            .unwrap_or(crate::model::DEFAULT_SESSION_IDLE_MINUTES);
        self.store
            .end_idle_sessions(chrono::Utc::now() - chrono::Duration::minutes(minutes.into()))
    }

    /// Every committed change to a deal from now on, for live boards.
    pub fn subscribe_deals(&self) -> tokio::sync::broadcast::Receiver<DealEvent> {
        self.deal_events.subscribe()
    }

    /// Tells live boards about a committed change. Nobody listening is fine.
    fn deal_changed(&self, deal: &crate::model::Deal) {
        let _ = self.deal_events.send(DealEvent {
            pipeline_id: deal.pipeline_id,
            deal_id: deal.id,
        });
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::model::{Locale, SetupInput};

    pub const ADMIN_PASSWORD: &str = "admin password 1";

    /// The services over a store that checks its own consistency when a
    /// test is done with them, so every test that writes ends with the
    /// store's consistency check.
    pub struct CheckedGuanxi(Guanxi);

    impl std::ops::Deref for CheckedGuanxi {
        type Target = Guanxi;

        fn deref(&self) -> &Guanxi {
            &self.0
        }
    }

    impl Drop for CheckedGuanxi {
        fn drop(&mut self) {
            // A test that failed already says why; a second panic would abort.
            if !std::thread::panicking() {
                crate::store::test_support::assert_consistent(&self.0.store);
            }
        }
    }

    pub fn set_up_company() -> (tempfile::TempDir, CheckedGuanxi, User) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Loaded from the start, so the check also holds the boards that
        // the writes kept up to date against the file.
        store.warm_deal_boards().unwrap();
        store
            .with_activity_counts(chrono_tz::Asia::Shanghai, |_| ())
            .unwrap();
        let gx = CheckedGuanxi(Guanxi::new(store));
        let admin = gx
            .set_up(SetupInput {
                company_name: "星辰科技".into(),
                currency: "CNY".into(),
                time_zone: "Asia/Shanghai".into(),
                default_locale: Locale::ZhCn,
                admin_name: "王总".into(),
                admin_email: "Boss@Example.cn".into(),
                admin_password: ADMIN_PASSWORD.into(),
            })
            .unwrap();
        (dir, gx, admin)
    }

    /// A colleague the admin adds, named after their email.
    pub fn person(
        gx: &Guanxi,
        admin: &User,
        email: &str,
        role: crate::model::Role,
        team: Option<&str>,
    ) -> User {
        gx.create_user(
            Actor::User(admin),
            crate::model::UserInput {
                email: email.into(),
                name: email.into(),
                role,
                team: team.map(Into::into),
            },
            "a password 123",
        )
        .unwrap()
    }
}
