//! Snapshots: every table as one read transaction saw it, copied into a
//! fresh redb file.
//!
//! A read transaction in redb is a consistent snapshot of the last commit
//! before it began, and writers go on committing while it is open; so a
//! snapshot holds exactly the writes committed before it started, whole,
//! and costs the writers nothing but the pages the reader keeps alive. The
//! live file is never copied byte for byte: redb may be between the two
//! halves of a commit, and a raw copy could catch it there. (redb 4 has no
//! online backup of its own; persistent savepoints would pin pages in the
//! live file for as long as the copy is kept.)

use std::fs::File;
use std::path::{Path, PathBuf};

use redb::{
    Database, MultimapTableHandle, ReadTransaction, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, TableDefinition, TableError, TableHandle,
};

use super::tables::*;
use super::{RecordCounts, Store, decode, encode, migrations};
use crate::error::{Error, Result};
use crate::model::BackupPolicy;

/// What a snapshot or a snapshot file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub schema_version: u64,
    pub counts: RecordCounts,
    /// Attached files whose bytes the snapshot carries (downloads do;
    /// scheduled snapshots leave them in `files/`, on the same disk).
    pub attachments: u64,
}

macro_rules! every_table {
    ($copy:ident) => {
        $copy!(
            META,
            USERS,
            USERS_BY_EMAIL,
            PASSWORD_HASHES,
            SESSIONS,
            SESSIONS_BY_USER,
            API_TOKENS,
            API_TOKENS_BY_USER,
            CUSTOMERS,
            CUSTOMERS_BY_OWNER,
            CUSTOMER_KEYS,
            RECYCLE_BIN,
            RECYCLED,
            CONTACTS,
            CONTACTS_BY_CUSTOMER,
            AUDIT,
            ACTIVITIES,
            TASKS,
            TASKS_BY_ASSIGNEE,
            TIMELINE,
            FILES,
            LAST_ACTIVITY,
            PIPELINES,
            DEALS,
            DEALS_BY_PIPELINE,
            DEALS_BY_CUSTOMER,
            STAGE_HISTORY,
            DEAL_TIMELINE,
            REOPEN_REQUESTS,
            REOPEN_PENDING,
            REOPEN_BY_REQUESTER,
            DEAL_FILES,
            FILE_DEALS,
            DEAL_ACTIVITIES,
            PRODUCTS,
            PRODUCTS_BY_CODE,
            QUOTES,
            QUOTES_BY_CUSTOMER,
            QUOTES_BY_DEAL,
            QUOTE_NUMBERS,
            PRODUCT_QUOTES,
            QUOTES_PENDING,
            COUNTERS,
            CONTRACTS,
            CONTRACTS_BY_CUSTOMER,
            CONTRACTS_BY_DEAL,
            CONTRACT_NUMBERS,
            CONTRACT_VERSIONS,
            CONTRACTS_PENDING,
            QUOTE_CONTRACTS,
            PRODUCT_CONTRACTS,
            PAYMENTS,
            PAYMENTS_BY_CONTRACT,
            STOCK_MOVES,
            STOCK_BY_PRODUCT,
            DELIVERIES_BY_CONTRACT,
            EXPENSES,
            EXPENSES_BY_CUSTOMER,
            EXPENSES_BY_USER,
            AUDIT_LOG,
            AUDIT_LOG_BY_RECORD,
            TARGETS,
            TARGET_KEYS
        )
    };
}

impl Store {
    /// Writes a snapshot to `path` (through `path` + `.partial`, renamed
    /// when complete and on disk, so a half-written snapshot never carries
    /// the final name).
    pub fn snapshot_to(&self, path: &Path) -> Result<SnapshotSummary> {
        let partial = partial_path(path);
        let result = (|| {
            // Owner-only: a snapshot holds password hashes as the data file does.
            let file = super::private::create_new_file(&partial).map_err(io_error)?;
            let summary = self.snapshot_into(file)?;
            std::fs::rename(&partial, path).map_err(io_error)?;
            Ok(summary)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }

    /// Writes a snapshot into `file`, which must be empty; it is on disk
    /// when this returns.
    pub fn snapshot_into(&self, file: File) -> Result<SnapshotSummary> {
        self.write_snapshot(file, false)
    }

    /// As `snapshot_into`, with the bytes of every attached file the
    /// snapshot lists: one file that is the whole office's data, for a
    /// copy kept off the machine.
    pub fn snapshot_with_attachments_into(&self, file: File) -> Result<SnapshotSummary> {
        self.write_snapshot(file, true)
    }

    fn write_snapshot(&self, file: File, attachments: bool) -> Result<SnapshotSummary> {
        let source = self.read()?;
        let backend = redb::backends::FileBackend::new(file)?;
        let target = redb::Builder::new()
            .set_cache_size(super::CACHE_BYTES)
            .create_with_backend(backend)?;
        copy_every_table(&source, &target)?;
        let mut summary = summary_of(&source)?;
        if attachments {
            summary.attachments = self.copy_attachments(&source, &target)?;
        }
        drop(target);
        Ok(summary)
    }

    /// The bytes of the files `source` lists. Files never change once
    /// stored, so reading them after the read transaction began gives the
    /// snapshot's bytes; one deleted since has no bytes left and is left
    /// out (restore then lists it without them, as a purge would).
    fn copy_attachments(&self, source: &ReadTransaction, target: &Database) -> Result<u64> {
        let files = match source.open_table(FILES) {
            Ok(table) => table,
            Err(TableError::TableDoesNotExist(_)) => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let mut copied = 0;
        let tx = target.begin_write()?;
        {
            let mut to = tx.open_table(SNAPSHOT_ATTACHMENTS)?;
            for row in files.iter()? {
                let id = row?.0.value();
                match std::fs::read(self.file_path(crate::model::Id(id))) {
                    Ok(bytes) => {
                        to.insert(id, bytes.as_slice())?;
                        copied += 1;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        tracing::warn!(
                            file = id,
                            "attachment deleted while the snapshot was taken"
                        );
                    }
                    Err(e) => return Err(io_error(e)),
                }
            }
        }
        tx.commit()?;
        Ok(copied)
    }
}

/// Opens a snapshot file read-only and tells what it holds, without
/// changing it (no migration, no integrity repair).
pub fn inspect_snapshot(path: &Path) -> Result<SnapshotSummary> {
    let db = redb::Builder::new().open_read_only(path).map_err(|e| {
        Error::Internal(format!("{} is not a Guanxi data file: {e}", path.display()))
    })?;
    let tx = db.begin_read()?;
    summary_of(&tx)
}

fn summary_of(tx: &ReadTransaction) -> Result<SnapshotSummary> {
    let len = |table: TableDefinition<'static, u128, &'static [u8]>| -> Result<u64> {
        match tx.open_table(table) {
            Ok(t) => Ok(t.len()?),
            Err(TableError::TableDoesNotExist(_)) => Ok(0),
            Err(e) => Err(e.into()),
        }
    };
    let count_keys = |table| -> Result<u64> {
        match tx.open_table::<(u128, i64, u128), u8>(table) {
            Ok(t) => Ok(t.len()?),
            Err(TableError::TableDoesNotExist(_)) => Ok(0),
            Err(e) => Err(e.into()),
        }
    };
    let stage_changes = match tx.open_table(STAGE_HISTORY) {
        Ok(t) => t.len()?,
        Err(TableError::TableDoesNotExist(_)) => 0,
        Err(e) => return Err(e.into()),
    };
    Ok(SnapshotSummary {
        schema_version: migrations::schema_version_in(tx)?,
        counts: RecordCounts {
            users: len(USERS)?,
            customers: len(CUSTOMERS)?,
            contacts: len(CONTACTS)?,
            deals: len(DEALS)?,
            stage_changes,
            activities: len(ACTIVITIES)?,
            tasks: len(TASKS)?,
            timeline_entries: count_keys(TIMELINE)?,
            products: len(PRODUCTS)?,
            contracts: len(CONTRACTS)?,
            payments: len(PAYMENTS)?,
            stock_moves: len(STOCK_MOVES)?,
            expenses: len(EXPENSES)?,
        },
        attachments: match tx.open_table(SNAPSHOT_ATTACHMENTS) {
            Ok(t) => t.len()?,
            Err(TableError::TableDoesNotExist(_)) => 0,
            Err(e) => return Err(e.into()),
        },
    })
}

fn copy_every_table(source: &ReadTransaction, target: &Database) -> Result<()> {
    let mut known: Vec<&str> = Vec::new();
    macro_rules! copy {
        ($($table:expr),*) => {$(
            known.push($table.name());
            copy_table(source, target, $table)?;
        )*};
    }
    every_table!(copy);
    // A table added to `tables.rs` but not to the list above would be
    // silently missing from every backup: refuse instead.
    for table in source.list_tables()? {
        if !known.contains(&table.name()) {
            return Err(Error::Internal(format!(
                "the snapshot does not know the table {}",
                table.name()
            )));
        }
    }
    if let Some(table) = source.list_multimap_tables()?.next() {
        return Err(Error::Internal(format!(
            "the snapshot does not know the multimap table {}",
            table.name()
        )));
    }
    Ok(())
}

/// One table, in its own write transaction: the target file gets its final
/// name only once every table is in, so nothing reads it half done.
fn copy_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    source: &ReadTransaction,
    target: &Database,
    definition: TableDefinition<K, V>,
) -> Result<()> {
    let from = match source.open_table(definition) {
        Ok(table) => table,
        // Older files lack the tables of later schema versions.
        Err(TableError::TableDoesNotExist(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let tx = target.begin_write()?;
    {
        let mut to = tx.open_table(definition)?;
        for row in from.iter()? {
            let (key, value) = row?;
            to.insert(key.value(), value.value())?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

fn io_error(e: std::io::Error) -> Error {
    Error::Internal(format!("storage: {e}"))
}

impl Store {
    pub fn backup_policy(&self) -> Result<BackupPolicy> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        Ok(meta
            .get(META_BACKUP_POLICY)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the policy if `policy.version` is the stored one.
    pub fn update_backup_policy(&self, policy: &BackupPolicy) -> Result<BackupPolicy> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: BackupPolicy = meta
                .get(META_BACKUP_POLICY)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != policy.version {
                return Err(Error::Conflict);
            }
            let saved = BackupPolicy {
                version: current.version + 1,
                ..*policy
            };
            meta.insert(META_BACKUP_POLICY, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::super::customers::tests::{contact, customer};
    use super::super::test_support::{assert_consistent, temp_store};
    use super::super::{CURRENT_SCHEMA, DB_FILE};
    use super::*;
    use crate::model::Customer;

    fn customer_names(store: &Store) -> BTreeSet<String> {
        let tx = store.read().unwrap();
        tx.open_table(CUSTOMERS)
            .unwrap()
            .iter()
            .unwrap()
            .map(|row| decode::<Customer>(row.unwrap().1.value()).unwrap().name)
            .collect()
    }

    /// A snapshot file opened as a data folder of its own.
    fn open_snapshot(file: &Path) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(file, dir.path().join(DB_FILE)).unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn a_snapshot_taken_while_twenty_clients_write_holds_exactly_the_writes_committed_before_it() {
        const WRITERS: usize = 20;
        let (dir, store) = temp_store();
        let store = Arc::new(store);
        // Per writer: writes begun, and writes acknowledged (committed and
        // on disk). Each writer writes in order, so a snapshot must hold a
        // prefix of each one's writes.
        let begun: Arc<Vec<AtomicU64>> =
            Arc::new((0..WRITERS).map(|_| AtomicU64::new(0)).collect());
        let acked: Arc<Vec<AtomicU64>> =
            Arc::new((0..WRITERS).map(|_| AtomicU64::new(0)).collect());
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (store, begun, acked, stop) =
                    (store.clone(), begun.clone(), acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut n = 0u64;
                    while !stop.load(Ordering::SeqCst) {
                        let c = customer(&format!("客户 {w}-{n}"), None);
                        let people = [contact(c.id, "联系人甲"), contact(c.id, "联系人乙")];
                        begun[w].store(n + 1, Ordering::SeqCst);
                        store.insert_customer(&c, &people).unwrap();
                        acked[w].store(n + 1, Ordering::SeqCst);
                        n += 1;
                    }
                })
            })
            .collect();
        // Let every writer get going.
        while acked.iter().any(|a| a.load(Ordering::SeqCst) < 3) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let acked_before: Vec<u64> = acked.iter().map(|a| a.load(Ordering::SeqCst)).collect();
        let path = dir.path().join("snapshot.redb");
        let summary = store.snapshot_to(&path).unwrap();
        let begun_after: Vec<u64> = begun.iter().map(|b| b.load(Ordering::SeqCst)).collect();
        // Writers keep going a little after the snapshot, then stop.
        std::thread::sleep(std::time::Duration::from_millis(50));
        stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.join().unwrap();
        }

        assert!(!partial_path(&path).exists());
        let (_copy, snapshot) = open_snapshot(&path);
        assert_eq!(snapshot.schema_version().unwrap(), CURRENT_SCHEMA);
        assert_consistent(&snapshot);
        let names = customer_names(&snapshot);
        let mut total = 0;
        for w in 0..WRITERS {
            let held = (0..)
                .take_while(|n| names.contains(&format!("客户 {w}-{n}")))
                .count() as u64;
            assert!(
                held >= acked_before[w],
                "writer {w}: {held} in the snapshot, {} acknowledged before it",
                acked_before[w]
            );
            assert!(
                held <= begun_after[w],
                "writer {w}: {held} in the snapshot, only {} begun by its end",
                begun_after[w]
            );
            total += held;
        }
        assert_eq!(names.len() as u64, total, "no gaps in any writer's run");
        assert_eq!(summary.counts.customers, total);
        assert_eq!(
            summary.counts.contacts,
            2 * total,
            "each customer with both contacts"
        );
        let live = customer_names(&store);
        assert!(
            live.len() as u64 > total,
            "writes after the snapshot are not in it"
        );
        assert!(names.is_subset(&live));
    }

    #[test]
    fn a_snapshot_copies_every_table_row_for_row() {
        let (dir, store) = temp_store();
        for n in 0..5 {
            let c = customer(&format!("星辰 {n}"), Some(crate::model::Id(7)));
            store
                .insert_customer(&c, &[contact(c.id, "王经理")])
                .unwrap();
        }
        let path = dir.path().join("copy.redb");
        store.snapshot_to(&path).unwrap();
        let (_copy, snapshot) = open_snapshot(&path);
        assert_eq!(
            snapshot.content_digest().unwrap(),
            store.content_digest().unwrap()
        );
        assert_eq!(
            inspect_snapshot(&path).unwrap().counts,
            store.record_counts().unwrap()
        );
    }

    #[test]
    fn a_failed_snapshot_leaves_no_file_behind() {
        let (dir, store) = temp_store();
        let path = dir.path().join("taken.redb");
        std::fs::write(partial_path(&path), b"in the way").unwrap();
        assert!(store.snapshot_to(&path).is_err());
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_and_its_files_are_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let data = parent.path().join("guanxi-data");
        let store = Store::open(&data).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(DB_FILE)), 0o600);
        let snapshot = data.join("s.redb");
        store.snapshot_to(&snapshot).unwrap();
        assert_eq!(mode(&snapshot), 0o600);
    }

    #[test]
    fn the_backup_policy_defaults_to_seven_four_twelve_and_saves_with_its_version() {
        let (_dir, store) = temp_store();
        let policy = store.backup_policy().unwrap();
        assert_eq!((policy.daily, policy.weekly, policy.monthly), (7, 4, 12));
        let saved = store
            .update_backup_policy(&BackupPolicy { daily: 3, ..policy })
            .unwrap();
        assert_eq!((saved.daily, saved.version), (3, 1));
        assert_eq!(store.update_backup_policy(&policy), Err(Error::Conflict));
        assert_eq!(store.backup_policy().unwrap(), saved);
    }
}
