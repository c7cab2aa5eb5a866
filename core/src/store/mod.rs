//! The redb store: one file in the data folder, opened once per process.
//!
//! Every public method is one transaction: a read on a snapshot, or a short write
//! that commits durably before it returns (see `commit` for how concurrent
//! writes share one fsync). Secondary indexes are updated in the
//! same write transaction as their record.

mod activities;
mod activity_counts;
mod audit_log;
mod bulk;
mod check;
mod commit;
mod company;
mod contacts;
mod contract_index;
mod contracts;
mod customers;
mod deal_boards;
mod deals;
mod directory;
mod expenses;
#[cfg(any(test, feature = "faults"))]
pub mod faults;
mod files;
mod handover;
mod import;
mod latch;
mod migrations;
mod money_ledger;
mod money_timeline;
mod numbers;
mod prefix;
pub mod private;
mod products;
mod quotes;
mod recycled;
mod restore;
mod search_text;
mod sessions;
mod snapshot;
mod stock;
mod tables;
mod targets;
mod tokens;
mod users;

pub use activities::TimelineCursor;
pub use activity_counts::{ActivityCounts, DayCounts};
pub use audit_log::{AuditLines, AuditQuery};
pub use bulk::{NewContract, NewDeal, NewRecords, RecordCounts};
pub use check::{ConsistencyReport, Inconsistency};
pub use contract_index::{ContractIndex, ContractSummary};
pub use deal_boards::{BoardDeal, DealBoards};
pub use directory::{CustomerQuery, Directory, OwnerFilter, SortBy, VisibleOwners};
pub use files::FILES_DIR;
pub use handover::HandedOver;
pub use import::ImportWrite;
pub use migrations::{CURRENT_SCHEMA, migrate_to};
pub use money_ledger::{ContractFacts, ExpenseFact, LineFact, MoneyLedger, MonthSums, PaymentFact};
pub use restore::{CheckReport, RestoreReport, check, restore};
pub use sessions::SessionRecord;
pub use snapshot::{SnapshotSummary, inspect_snapshot};
pub use stock::StockWrite;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use redb::{Database, ReadTransaction, ReadableDatabase, WriteTransaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::model::{Contract, Deal, Expense, Id, Payment};

pub const DB_FILE: &str = "guanxi.redb";
pub const BACKUP_DIR: &str = "backups";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "the data folder {0} is in use by another Guanxi process (is the server running?); stop it first"
    )]
    InUse(PathBuf),
    #[error(
        "the data in {path} has schema version {found} (written by Guanxi {written_by}), but this \
         Guanxi {ours} only understands schema versions up to {supported}; run a newer guanxi binary"
    )]
    TooNew {
        path: PathBuf,
        found: u64,
        written_by: String,
        supported: u64,
        ours: String,
    },
    #[error("cannot use data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open database {path}: {message}")]
    Database { path: PathBuf, message: String },
    #[error("{path} cannot be restored: {message}")]
    BadSnapshot { path: PathBuf, message: String },
}

pub struct Store {
    /// The file as opened now. A failed write makes redb refuse every later
    /// operation on that opening, so `current` opens the file again.
    opened: RwLock<Option<Arc<commit::Opened>>>,
    /// How the file is opened: from disk, or in tests through a backend
    /// that fails on command.
    opener: Opener,
    /// Held by whoever opens the file again.
    reopening: Mutex<()>,
    /// The file was opened again: what the directory and the boards hold
    /// may include writes that never reached the disk; reload them.
    directory_stale: AtomicBool,
    boards_stale: AtomicBool,
    counts_stale: AtomicBool,
    contracts_stale: AtomicBool,
    path: PathBuf,
    directory: RwLock<Directory>,
    /// Open once `directory` holds the file's customers; see `open_deferred`.
    directory_loaded: latch::Latch,
    /// Loaded on first use: start-up does not wait for 50,000 deals.
    deal_boards: RwLock<Option<DealBoards>>,
    /// Loaded on first use, as the boards: a million activities.
    activity_counts: RwLock<Option<ActivityCounts>>,
    /// Loaded on first use: the contract list and the receivables read it.
    contract_index: RwLock<Option<ContractIndex>>,
    /// Counts every time the directory, the boards or the activity counts
    /// are taken for writing, so what is derived from them can tell it is
    /// out of date; see `changes`.
    changes: AtomicU64,
    /// Per product, bumped after each committed stock move of it; with
    /// `stock_epoch` (bumped when every product's moves may have changed:
    /// a reopened file, a bulk load, a purged customer), what a product's
    /// costing derived from is still current exactly when both are
    /// unchanged. See `stock_version`.
    stock_versions: Mutex<std::collections::HashMap<Id, StockVersions>>,
    stock_epoch: AtomicU64,
    /// Users as last decoded; see `users::DecodedUsers`.
    decoded_users: users::DecodedUsers,
    /// Bumped after any committed change of a product or a stock move,
    /// and with `stock_epoch`: what is derived from every product (the
    /// product analysis) is current exactly while it is unchanged.
    catalog_changes: AtomicU64,
    /// Bumped after a commit that changed the lines of a contract with
    /// deliveries (what a delivery earned follows its line).
    terms_changes: AtomicU64,
}

/// A product's counts of committed moves and of deliveries among them.
#[derive(Clone, Copy, Debug, Default)]
struct StockVersions {
    moves: u64,
    deliveries: u64,
}

type Opener = Box<dyn Fn(&Path) -> Result<Database, redb::DatabaseError> + Send + Sync>;

/// A write transaction and the opening of the file it belongs to, which it
/// must commit through. Dereferences to redb's transaction.
pub(crate) struct Tx {
    /// Taken by the commit; still here when the write gave up.
    tx: Option<WriteTransaction>,
    opened: Arc<commit::Opened>,
}

impl std::ops::Deref for Tx {
    type Target = WriteTransaction;

    fn deref(&self) -> &WriteTransaction {
        self.tx
            .as_ref()
            .expect("a transaction is only taken by its commit")
    }
}

impl Tx {
    /// Hands the transaction to its commit, with the audit entries its
    /// `Store::audited` scope pushed written into it first.
    fn take(mut self) -> Result<(WriteTransaction, Arc<commit::Opened>)> {
        audit_log::write_pending(&self)?;
        let tx = self.tx.take().expect("a transaction is committed once");
        Ok((tx, self.opened.clone()))
    }

    /// Commits durably on its own, outside the group commit (for a bulk
    /// write that is one big transaction anyway).
    fn commit(self) -> Result<()> {
        let (tx, opened) = self.take()?;
        tx.commit().inspect_err(|_| opened.mark_failed())?;
        Ok(())
    }
}

impl Drop for Tx {
    /// A write that gave up (a conflict, bad input, or an I/O error while
    /// it wrote, e.g. a full disk growing the file) is rolled back. After
    /// an I/O error redb refuses the opening from then on, reads included,
    /// but says so only when a write begins: ask now, so the next reader
    /// gets a fresh opening rather than the error.
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            drop(tx);
            if let Err(redb::TransactionError::Storage(_)) = self.opened.db.try_begin_write() {
                self.opened.mark_failed();
            }
        }
    }
}

impl Store {
    /// Opens (or creates) the store in `data_dir`, backs the file up when its
    /// schema is older than this binary's, migrates it, and loads the
    /// customer directory.
    pub fn open(data_dir: &Path) -> Result<Store, OpenError> {
        let store = Store::open_deferred(data_dir)?;
        store.load_directory()?;
        Ok(store)
    }

    /// As `open`, but leaves the customer directory to `load_directory`, so
    /// a server can answer while it loads on another thread (it takes about
    /// a second at 100,000 customers). Until then, whatever needs the
    /// directory waits; writes that change it wait too, so none can slip
    /// between the file and the directory.
    pub fn open_deferred(data_dir: &Path) -> Result<Store, OpenError> {
        Store::open_deferred_with(data_dir, Box::new(open_file))
    }

    fn open_deferred_with(data_dir: &Path, opener: Opener) -> Result<Store, OpenError> {
        private::create_dir(data_dir).map_err(|source| OpenError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let existed = path.exists();
        let db = open_db(&opener, &path, data_dir)?;
        if !existed {
            private::restrict_file(&path).map_err(|source| OpenError::Io {
                path: path.clone(),
                source,
            })?;
        }
        let found = migrations::schema_version(&db).map_err(|e| db_error(&path, e))?;
        if found > CURRENT_SCHEMA {
            let written_by = migrations::written_by(&db)
                .ok()
                .flatten()
                .unwrap_or_else(|| "?".into());
            return Err(OpenError::TooNew {
                path,
                found,
                written_by,
                supported: CURRENT_SCHEMA,
                ours: env!("CARGO_PKG_VERSION").into(),
            });
        }
        let db = if existed && found < CURRENT_SCHEMA {
            drop(db);
            backup_before_migration(data_dir, &path, found)?;
            open_db(&opener, &path, data_dir)?
        } else {
            db
        };
        migrations::migrate_to(&db, CURRENT_SCHEMA).map_err(|e| db_error(&path, e))?;
        Ok(Store {
            opened: RwLock::new(Some(Arc::new(commit::Opened::new(db)))),
            opener,
            reopening: Mutex::default(),
            directory_stale: AtomicBool::new(false),
            boards_stale: AtomicBool::new(false),
            counts_stale: AtomicBool::new(false),
            contracts_stale: AtomicBool::new(false),
            path,
            directory: RwLock::default(),
            directory_loaded: latch::Latch::default(),
            deal_boards: RwLock::new(None),
            activity_counts: RwLock::new(None),
            contract_index: RwLock::new(None),
            changes: AtomicU64::new(0),
            stock_versions: Mutex::default(),
            stock_epoch: AtomicU64::new(0),
            decoded_users: users::DecodedUsers::default(),
            catalog_changes: AtomicU64::new(0),
            terms_changes: AtomicU64::new(0),
        })
    }

    /// Reads every customer and contact into the directory, once.
    pub fn load_directory(&self) -> Result<(), OpenError> {
        let directory = self
            .current()
            .and_then(|opened| Directory::load(&opened.db))
            .map_err(|e| db_error(&self.path, e))?;
        *self.directory.write().unwrap_or_else(|e| e.into_inner()) = directory;
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.directory_loaded.open();
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The data folder the file is in.
    pub fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    pub fn schema_version(&self) -> Result<u64> {
        migrations::schema_version(&self.current()?.db)
    }

    /// The file's current opening; opens it again first if a failed write
    /// left redb refusing the last one (its rule after an I/O error: close
    /// and reopen). Whatever the failed write had made visible but not
    /// durable is gone from the file then, so the directory and the boards
    /// reload too.
    fn current(&self) -> Result<Arc<commit::Opened>> {
        if let Some(opened) = self
            .opened
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            && !opened.failed()
        {
            return Ok(opened.clone());
        }
        // One reopens; the others answer at once rather than queue behind
        // a disk that may still be failing.
        let Ok(_one) = self.reopening.try_lock() else {
            return Err(Error::StorageUnavailable);
        };
        let failed = {
            let mut slot = self.opened.write().unwrap_or_else(|e| e.into_inner());
            match slot.as_ref() {
                Some(opened) if !opened.failed() => return Ok(opened.clone()),
                _ => slot.take(),
            }
        };
        // redb lets go of the file when the last handle on the opening is
        // dropped; operations still holding it fail fast, so this is short.
        let mut holder = failed;
        for _ in 0..500 {
            match holder.take().map(Arc::try_unwrap) {
                Some(Ok(opened)) => drop(opened),
                Some(Err(shared)) => {
                    holder = Some(shared);
                    std::thread::sleep(std::time::Duration::from_millis(10));
                    continue;
                }
                None => {}
            }
            break;
        }
        drop(holder);
        let db = (self.opener)(&self.path).map_err(|e| {
            tracing::error!(path = %self.path.display(), error = %e, "cannot open the data file again");
            Error::StorageUnavailable
        })?;
        let opened = Arc::new(commit::Opened::new(db));
        *self.opened.write().unwrap_or_else(|e| e.into_inner()) = Some(opened.clone());
        self.directory_stale.store(true, Ordering::Release);
        self.boards_stale.store(true, Ordering::Release);
        self.counts_stale.store(true, Ordering::Release);
        self.contracts_stale.store(true, Ordering::Release);
        self.stock_epoch.fetch_add(1, Ordering::AcqRel);
        self.catalog_changes.fetch_add(1, Ordering::AcqRel);
        self.terms_changes.fetch_add(1, Ordering::AcqRel);
        tracing::warn!(path = %self.path.display(), "opened the data file again after a failed write");
        Ok(opened)
    }

    fn read(&self) -> Result<ReadTransaction> {
        Ok(self.begin(|db| Ok(db.begin_read()?))?.0)
    }

    fn write(&self) -> Result<Tx> {
        let (tx, opened) = self.begin(|db| Ok(db.begin_write()?))?;
        Ok(Tx {
            tx: Some(tx),
            opened,
        })
    }

    /// Begins a transaction on the current opening. A failure inside an
    /// earlier transaction (not only in a commit) makes redb refuse the
    /// opening from then on, which shows here first: open the file again,
    /// once, and begin there.
    fn begin<T>(&self, begin: impl Fn(&Database) -> Result<T>) -> Result<(T, Arc<commit::Opened>)> {
        let opened = self.current()?;
        match begin(&opened.db) {
            Ok(tx) => Ok((tx, opened)),
            Err(_) => {
                opened.mark_failed();
                drop(opened);
                let opened = self.current()?;
                let tx = begin(&opened.db).inspect_err(|_| opened.mark_failed())?;
                Ok((tx, opened))
            }
        }
    }

    /// Commits and returns once the write is on disk; concurrent writers
    /// share the fsync.
    fn commit(&self, tx: Tx) -> Result<()> {
        self.commit_visible(tx)?.wait()
    }

    /// Commits for readers at once; the caller updates what mirrors the
    /// tables in memory, lets go of it, then waits for the disk.
    fn commit_visible(&self, tx: Tx) -> Result<commit::Pending> {
        let (tx, opened) = tx.take()?;
        opened.commit(tx)
    }

    /// A number that grows whenever customers, deals or activities in
    /// memory may have changed. It is bumped while the writer holds the
    /// lock, before it changes anything: something derived after reading
    /// `changes` is out of date exactly when the number has moved since.
    /// Writes of what reports read from the file (users and their teams,
    /// pipelines, targets, the company's settings) bump it after their
    /// commit, so a report kept by it is not kept across a change of who
    /// sees what or of what it is measured against.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// After a committed write of users, pipelines, targets or company
    /// settings.
    fn settings_changed(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// The in-memory customer directory, for lists and search.
    pub fn directory(&self) -> RwLockReadGuard<'_, Directory> {
        self.directory_loaded.wait();
        if self.directory_stale.load(Ordering::Acquire) {
            drop(self.directory_mut());
        }
        // A panic while holding the lock cannot leave a half-updated row set
        // worse than a stale one; keep serving.
        self.directory.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Taken before a commit that changes customers and released after the
    /// directory caught up, so readers see both change together.
    fn directory_mut(&self) -> RwLockWriteGuard<'_, Directory> {
        self.directory_loaded.wait();
        let mut directory = self.directory.write().unwrap_or_else(|e| e.into_inner());
        self.changes.fetch_add(1, Ordering::AcqRel);
        if self.directory_stale.swap(false, Ordering::AcqRel) {
            match self
                .current()
                .and_then(|opened| Directory::load(&opened.db))
            {
                Ok(file) => *directory = file,
                Err(e) => {
                    self.directory_stale.store(true, Ordering::Release);
                    tracing::error!(error = %e, "cannot reload the customer directory");
                }
            }
        }
        directory
    }

    /// Runs `f` over the deals in memory, grouped for boards. The deals are
    /// slimmed to what boards show and filter on: no notes, competitors,
    /// qualification or checklist.
    pub fn with_deal_boards<R>(&self, f: impl FnOnce(&DealBoards) -> R) -> Result<R> {
        if self.boards_stale.load(Ordering::Acquire) {
            drop(self.deal_boards_mut());
        }
        if self.deal_boards_read().is_none() {
            self.warm_deal_boards()?;
        }
        let boards = self.deal_boards_read();
        match boards.as_ref() {
            Some(boards) => Ok(f(boards)),
            None => Err(Error::Internal("the deal boards did not load".into())),
        }
    }

    /// Loads every deal into memory for the boards, unless done already.
    pub fn warm_deal_boards(&self) -> Result<()> {
        let mut boards = self.deal_boards_mut();
        if boards.is_none() {
            *boards = Some(DealBoards::load(&self.read()?)?);
        }
        Ok(())
    }

    fn deal_boards_read(&self) -> RwLockReadGuard<'_, Option<DealBoards>> {
        self.deal_boards.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Taken before a commit that changes deals, as `directory_mut`; when
    /// both are needed, this one first.
    fn deal_boards_mut(&self) -> RwLockWriteGuard<'_, Option<DealBoards>> {
        let mut boards = self.deal_boards.write().unwrap_or_else(|e| e.into_inner());
        self.changes.fetch_add(1, Ordering::AcqRel);
        if self.boards_stale.swap(false, Ordering::AcqRel) {
            // Loaded again on next use, from the file as it is now.
            *boards = None;
        }
        boards
    }

    /// Runs `f` over the activity counts per day in `zone`, user and kind;
    /// loads them first when not loaded or counted in another zone.
    pub fn with_activity_counts<R>(
        &self,
        zone: chrono_tz::Tz,
        f: impl FnOnce(&ActivityCounts) -> R,
    ) -> Result<R> {
        {
            let counts = self.activity_counts_read();
            if !self.counts_stale.load(Ordering::Acquire)
                && let Some(counts) = counts.as_ref()
                && counts.zone() == zone
            {
                return Ok(f(counts));
            }
        }
        let mut counts = self.activity_counts_mut();
        if counts.as_ref().is_none_or(|c| c.zone() != zone) {
            *counts = Some(ActivityCounts::load(&self.read()?, zone)?);
        }
        match counts.as_ref() {
            Some(counts) => Ok(f(counts)),
            None => Err(Error::Internal("the activity counts did not load".into())),
        }
    }

    fn activity_counts_read(&self) -> RwLockReadGuard<'_, Option<ActivityCounts>> {
        self.activity_counts
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Taken before a commit that adds or deletes activities, after the
    /// deal boards and before the directory.
    fn activity_counts_mut(&self) -> RwLockWriteGuard<'_, Option<ActivityCounts>> {
        let mut counts = self
            .activity_counts
            .write()
            .unwrap_or_else(|e| e.into_inner());
        self.changes.fetch_add(1, Ordering::AcqRel);
        if self.counts_stale.swap(false, Ordering::AcqRel) {
            *counts = None;
        }
        counts
    }

    /// Runs `f` over every contract in memory; loads them first when not
    /// loaded (about 0.2 s at 60,000 contracts).
    pub fn with_contract_index<R>(&self, f: impl FnOnce(&ContractIndex) -> R) -> Result<R> {
        {
            let index = self
                .contract_index
                .read()
                .unwrap_or_else(|e| e.into_inner());
            if !self.contracts_stale.load(Ordering::Acquire)
                && let Some(index) = index.as_ref()
            {
                return Ok(f(index));
            }
        }
        let mut index = self.contract_index_mut();
        if index.is_none() {
            *index = Some(ContractIndex::load(&self.read()?)?);
        }
        match index.as_ref() {
            Some(index) => Ok(f(index)),
            None => Err(Error::Internal("the contracts did not load".into())),
        }
    }

    /// Loads the contracts into memory, unless done already.
    pub fn warm_contract_index(&self) -> Result<()> {
        self.with_contract_index(|_| ())
    }

    /// Taken before a commit that changes contracts, after the activity
    /// counts and before the directory.
    fn contract_index_mut(&self) -> RwLockWriteGuard<'_, Option<ContractIndex>> {
        let mut index = self
            .contract_index
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if self.contracts_stale.swap(false, Ordering::AcqRel) {
            *index = None;
        }
        index
    }

    /// Commits a transaction that saved `changed` expenses and deleted the
    /// `removed` ones, bringing the money ledger along.
    fn commit_expenses(&self, tx: Tx, changed: &[&Expense], removed: &[Id]) -> Result<()> {
        let mut index = self.contract_index_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(index) = index.as_mut() {
            for e in changed {
                index.put_expense(e);
            }
            for &id in removed {
                index.remove_expense(id);
            }
        }
        drop(index);
        pending.wait()
    }

    /// Commits a transaction that saved `contract` and its new `payment`.
    fn commit_payment(&self, tx: Tx, contract: &Contract, payment: &Payment) -> Result<()> {
        let mut index = self.contract_index_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(index) = index.as_mut() {
            index.put(contract);
            index.add_payment(payment);
        }
        drop(index);
        pending.wait()
    }

    /// Commits a transaction that saved `changed` contracts and deleted
    /// the `removed` ones, bringing the index in memory along.
    fn commit_contracts<'c>(
        &self,
        tx: Tx,
        changed: impl IntoIterator<Item = &'c crate::model::Contract>,
        removed: &[Id],
    ) -> Result<()> {
        let mut index = self.contract_index_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(index) = index.as_mut() {
            for c in changed {
                index.put(c);
            }
            for &id in removed {
                index.remove(id);
            }
        }
        drop(index);
        pending.wait()
    }

    /// What a product's costing is derived from, as a number that moves
    /// whenever one of its stock moves (or everything) may have changed.
    /// Read before the moves: a costing made after reading it is out of
    /// date exactly when the number has moved since.
    pub fn stock_version(&self, product: Id) -> (u64, u64) {
        let epoch = self.stock_epoch.load(Ordering::Acquire);
        let own = self.own_stock_versions(product).moves;
        (epoch, own)
    }

    /// As `stock_version`, moving only with the product's deliveries
    /// (what was delivered and what it earned does not change when goods
    /// come in).
    pub fn delivery_version(&self, product: Id) -> (u64, u64) {
        let epoch = self.stock_epoch.load(Ordering::Acquire);
        let own = self.own_stock_versions(product).deliveries;
        (epoch, own)
    }

    fn own_stock_versions(&self, product: Id) -> StockVersions {
        self.stock_versions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&product)
            .copied()
            .unwrap_or_default()
    }

    /// Moves once a contract's lines (what its deliveries earn) may have
    /// changed; see `stock_version`.
    /// Moves after any committed change of a product or a stock move.
    pub fn catalog_changes(&self) -> u64 {
        self.catalog_changes.load(Ordering::Acquire)
    }

    fn catalog_changed(&self) {
        self.catalog_changes.fetch_add(1, Ordering::AcqRel);
    }

    pub fn terms_changes(&self) -> u64 {
        self.terms_changes.load(Ordering::Acquire)
    }

    /// After a committed stock move of `product`: bumped once the move is
    /// visible, so no reader can cache the state before it under the new
    /// number.
    fn stock_moved(&self, product: Id, delivery: bool) {
        self.catalog_changed();
        let mut versions = self
            .stock_versions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let own = versions.entry(product).or_default();
        own.moves += 1;
        if delivery {
            own.deliveries += 1;
        }
    }

    fn stock_moved_everywhere(&self) {
        self.catalog_changed();
        self.stock_epoch.fetch_add(1, Ordering::AcqRel);
        self.terms_changes.fetch_add(1, Ordering::AcqRel);
    }

    /// Commits a transaction that saved `changed` deals and deleted the
    /// `removed` one, bringing the boards in memory along.
    fn commit_deals<'d>(
        &self,
        tx: Tx,
        changed: impl IntoIterator<Item = &'d Deal>,
        removed: &[Id],
    ) -> Result<()> {
        let mut boards = self.deal_boards_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(boards) = boards.as_mut() {
            for deal in changed {
                boards.put(deal);
            }
            for &id in removed {
                boards.remove(id);
            }
        }
        drop(boards);
        pending.wait()
    }
}

/// redb's own page cache (its default is 1 GiB). Lists and search run on
/// the in-memory directory, and what else is read is in the OS's file
/// cache anyway, so a small one keeps the server's memory modest at
/// 100,000 customers without slowing it.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

fn open_file(path: &Path) -> Result<Database, redb::DatabaseError> {
    redb::Builder::new()
        .set_cache_size(CACHE_BYTES)
        .create(path)
}

fn open_db(opener: &Opener, path: &Path, data_dir: &Path) -> Result<Database, OpenError> {
    opener(path).map_err(|e| match e {
        redb::DatabaseError::DatabaseAlreadyOpen => OpenError::InUse(data_dir.to_path_buf()),
        other => OpenError::Database {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    })
}

fn db_error(path: &Path, e: Error) -> OpenError {
    OpenError::Database {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Copies the closed database file aside, so a failed or regretted upgrade can
/// be undone by putting the copy back.
fn backup_before_migration(data_dir: &Path, path: &Path, from: u64) -> Result<(), OpenError> {
    let target = keep_aside(
        data_dir,
        path,
        &format!("{BEFORE_MIGRATION_PREFIX}{CURRENT_SCHEMA}-from-{from}-"),
    )?;
    tracing::info!(backup = %target.display(), from, to = CURRENT_SCHEMA, "backed up data before migration");
    Ok(())
}

/// What the files `backups/` holds are named after: `<prefix><UTC time>.redb`.
pub const SNAPSHOT_PREFIX: &str = "snapshot-";
pub const BEFORE_MIGRATION_PREFIX: &str = "before-schema-";
pub const BEFORE_RESTORE_PREFIX: &str = "before-restore-";
pub const STAMP_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Copies a closed data file into `backups/` as `<prefix><time>.redb` and
/// answers where.
fn keep_aside(data_dir: &Path, path: &Path, prefix: &str) -> Result<PathBuf, OpenError> {
    let dir = data_dir.join(BACKUP_DIR);
    let io = |source| OpenError::Io {
        path: dir.clone(),
        source,
    };
    private::create_dir(&dir).map_err(io)?;
    let stamp = chrono::Utc::now().format(STAMP_FORMAT);
    let target = dir.join(format!("{prefix}{stamp}.redb"));
    std::fs::copy(path, &target).map_err(io)?;
    Ok(target)
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("in-memory serialization of a plain record cannot fail")
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|e| Error::Internal(format!("unreadable record: {e}")))
}

macro_rules! storage_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                storage_error(redb::Error::from(e))
            }
        }
    )*};
}

/// A full disk and a failing one are the admin's to fix and say so; any
/// other storage error is a bug of ours.
fn storage_error(e: redb::Error) -> Error {
    match &e {
        redb::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
            tracing::error!(error = %e, "the disk is full; the write was not saved");
            Error::StorageFull
        }
        redb::Error::Io(_) | redb::Error::PreviousIo | redb::Error::DatabaseClosed => {
            tracing::error!(error = %e, "storage failed; the write was not saved");
            Error::StorageUnavailable
        }
        _ => Error::Internal(format!("storage: {e}")),
    }
}
storage_errors!(
    redb::Error,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
    redb::DatabaseError
);

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A store that checks its own consistency when a test is done with
    /// it, so every test that writes ends with `assert_consistent` without
    /// having to remember it. A test that plants a problem on purpose opens
    /// a plain `Store` instead.
    pub struct CheckedStore(Store);

    impl std::ops::Deref for CheckedStore {
        type Target = Store;

        fn deref(&self) -> &Store {
            &self.0
        }
    }

    impl Drop for CheckedStore {
        fn drop(&mut self) {
            // A test that failed already says why; a second panic would abort.
            if !std::thread::panicking() {
                assert_consistent(&self.0);
            }
        }
    }

    pub fn temp_store() -> (tempfile::TempDir, CheckedStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Loaded from the start, so the check also holds the boards that
        // the writes kept up to date against the file.
        store.warm_deal_boards().unwrap();
        store.warm_contract_index().unwrap();
        (dir, CheckedStore(store))
    }

    /// Fails the test with every problem `check_consistency` finds.
    #[track_caller]
    pub fn assert_consistent(store: &Store) {
        let report = store.check_consistency().unwrap();
        assert!(
            report.is_consistent(),
            "the store is inconsistent:\n{report}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferred_directory_holds_back_readers_and_writers_until_loaded() {
        use super::customers::tests::customer;
        let dir = tempfile::tempdir().unwrap();
        let before = customer("开机前的客户", None);
        {
            let store = Store::open(dir.path()).unwrap();
            store.insert_customer(&before, &[]).unwrap();
        }
        let store = Store::open_deferred(dir.path()).unwrap();
        let during = customer("加载中新建", None);
        std::thread::scope(|s| {
            let writer = s.spawn(|| store.insert_customer(&during, &[]));
            let reader = s.spawn(|| store.directory().len());
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!writer.is_finished() && !reader.is_finished());
            store.load_directory().unwrap();
            writer.join().unwrap().unwrap();
            assert!(reader.join().unwrap() >= 1);
        });
        let names: Vec<String> = [before.id, during.id]
            .iter()
            .filter_map(|id| store.directory().customer_name(*id))
            .collect();
        assert_eq!(names, ["开机前的客户", "加载中新建"]);
        test_support::assert_consistent(&store);
    }

    #[test]
    fn second_open_of_same_folder_fails_with_clear_message() {
        let (dir, _store) = test_support::temp_store();
        let err = Store::open(dir.path())
            .err()
            .expect("second open must fail");
        assert!(matches!(err, OpenError::InUse(_)));
        assert!(err.to_string().contains("in use by another Guanxi process"));
    }

    #[test]
    fn fresh_store_is_at_current_schema_and_reopens() {
        let (dir, store) = test_support::temp_store();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_SCHEMA);
        assert!(
            !dir.path().join(BACKUP_DIR).exists(),
            "no backup without a migration"
        );
    }
}
