//! `guanxi restore` and `guanxi check`: what an admin runs on a stopped
//! server's data folder.

use std::path::{Path, PathBuf};

use super::tables::SNAPSHOT_ATTACHMENTS;
use super::{
    BEFORE_RESTORE_PREFIX, ConsistencyReport, DB_FILE, OpenError, SnapshotSummary, Store, db_error,
    keep_aside, private, snapshot,
};

/// What `check` found in a data folder.
#[derive(Debug)]
pub struct CheckReport {
    pub summary: SnapshotSummary,
    /// redb's own check of its pages and checksums.
    pub file_intact: bool,
    /// The indexes against their records.
    pub consistency: ConsistencyReport,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.file_intact && self.consistency.is_consistent()
    }
}

/// What `restore` did.
#[derive(Debug)]
pub struct RestoreReport {
    pub check: CheckReport,
    /// Where the replaced data file was kept, if there was one.
    pub kept_aside: Option<PathBuf>,
    /// Attached files the snapshot carried, written back into `files/`.
    pub attachments: u64,
}

impl Store {
    /// Checks the file's pages and checksums (redb repairs what a crash
    /// left unfinished first). Needs the store to itself: run it before
    /// serving, as `guanxi check` does.
    pub fn check_integrity(&mut self) -> crate::error::Result<bool> {
        let slot = self.opened.get_mut().unwrap_or_else(|e| e.into_inner());
        let opened = slot
            .as_mut()
            .and_then(std::sync::Arc::get_mut)
            .ok_or(crate::error::Error::StorageUnavailable)?;
        Ok(opened.db.check_integrity()?)
    }
}

/// Checks the data folder's file: opens it (migrating an older one as the
/// server would), checks redb's integrity and the indexes, and counts the
/// records. Refuses a folder a running server holds, and one with no data.
pub fn check(data_dir: &Path) -> Result<CheckReport, OpenError> {
    let path = data_dir.join(DB_FILE);
    if !path.is_file() {
        return Err(OpenError::Database {
            path,
            message: "there is no Guanxi data file here".into(),
        });
    }
    let mut store = Store::open(data_dir)?;
    let file_intact = store.check_integrity().map_err(|e| db_error(&path, e))?;
    let consistency = store.check_consistency().map_err(|e| db_error(&path, e))?;
    drop(store);
    let summary = snapshot::inspect_snapshot(&path).map_err(|e| db_error(&path, e))?;
    Ok(CheckReport {
        summary,
        file_intact,
        consistency,
    })
}

/// Puts `snapshot` in place as the data folder's file, after checking a
/// copy of it as `check` does; the file it replaces is kept in `backups/`.
/// Nothing changes unless the snapshot passes.
pub fn restore(data_dir: &Path, snapshot_file: &Path) -> Result<RestoreReport, OpenError> {
    let live = data_dir.join(DB_FILE);
    if live.exists() {
        // Refuses a folder a running server holds; let go at once, so the
        // file can be moved (Windows does not move an open file).
        drop(Store::open_deferred(data_dir)?);
    }
    private::create_dir(data_dir).map_err(|source| OpenError::Io {
        path: data_dir.to_path_buf(),
        source,
    })?;
    // Staged inside the data folder, so the final move is a rename on one
    // file system: the folder holds the old file or the new, never half.
    let staging = data_dir.join(format!(
        "restoring-{}",
        chrono::Utc::now().format(super::STAMP_FORMAT)
    ));
    let result = stage_and_swap(data_dir, snapshot_file, &staging, &live);
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn stage_and_swap(
    data_dir: &Path,
    snapshot_file: &Path,
    staging: &Path,
    live: &Path,
) -> Result<RestoreReport, OpenError> {
    let bad = |message: String| OpenError::BadSnapshot {
        path: snapshot_file.to_path_buf(),
        message,
    };
    // Read-only first: a file that is no redb file, or from a newer
    // Guanxi, is refused before anything is copied.
    let found = snapshot::inspect_snapshot(snapshot_file).map_err(|e| bad(e.to_string()))?;
    if found.schema_version == 0 {
        return Err(bad("it holds no Guanxi data".into()));
    }
    private::create_dir(staging).map_err(|source| OpenError::Io {
        path: staging.to_path_buf(),
        source,
    })?;
    let staged = staging.join(DB_FILE);
    std::fs::copy(snapshot_file, &staged).map_err(|source| OpenError::Io {
        path: staged.clone(),
        source,
    })?;
    private::restrict_file(&staged).map_err(|source| OpenError::Io {
        path: staged.clone(),
        source,
    })?;
    let check = check(staging)?;
    if !check.file_intact {
        return Err(bad("redb's integrity check failed".into()));
    }
    if !check.consistency.is_consistent() {
        return Err(bad(format!(
            "its indexes disagree with its records:\n{}",
            check.consistency
        )));
    }
    let attachments = unpack_attachments(&staged, &data_dir.join(super::FILES_DIR))
        .map_err(|e| db_error(&staged, e))?;
    let kept_aside = if live.exists() {
        Some(keep_aside(data_dir, live, BEFORE_RESTORE_PREFIX)?)
    } else {
        None
    };
    std::fs::rename(&staged, live).map_err(|source| OpenError::Io {
        path: live.to_path_buf(),
        source,
    })?;
    tracing::info!(from = %snapshot_file.display(), kept = ?kept_aside, "data restored from a snapshot");
    Ok(RestoreReport {
        check,
        kept_aside,
        attachments,
    })
}

/// Moves the attachments a downloaded snapshot carries into `files_dir`
/// (each under a temporary name until whole and synced) and drops them
/// from the staged file, which then holds what a live file holds. A file
/// already there is the same file: ids are never reused and files never
/// change.
fn unpack_attachments(staged: &Path, files_dir: &Path) -> crate::error::Result<u64> {
    use redb::{ReadableDatabase, ReadableTable, TableError};
    use std::io::Write;
    let db = redb::Database::open(staged)?;
    let mut unpacked = 0;
    {
        let tx = db.begin_read()?;
        let table = match tx.open_table(SNAPSHOT_ATTACHMENTS) {
            Ok(table) => table,
            Err(TableError::TableDoesNotExist(_)) => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let io = |e: std::io::Error| crate::error::Error::Internal(format!("restoring files: {e}"));
        private::create_dir(files_dir).map_err(io)?;
        for row in table.iter()? {
            let (id, bytes) = row?;
            let path = files_dir.join(crate::model::Id(id.value()).to_string());
            if !path.exists() {
                let partial = path.with_extension("restoring");
                let _ = std::fs::remove_file(&partial);
                let mut file = private::create_new_file(&partial).map_err(io)?;
                file.write_all(bytes.value()).map_err(io)?;
                file.sync_all().map_err(io)?;
                std::fs::rename(&partial, &path).map_err(io)?;
            }
            unpacked += 1;
        }
    }
    let tx = db.begin_write()?;
    tx.delete_table(SNAPSHOT_ATTACHMENTS)?;
    tx.commit()?;
    Ok(unpacked)
}

#[cfg(test)]
mod tests {
    use super::super::customers::tests::{contact, customer};
    use super::super::tables::CUSTOMERS_BY_OWNER;
    use super::super::{BACKUP_DIR, inspect_snapshot, migrate_to};
    use super::*;

    fn names(store: &Store) -> Vec<String> {
        use redb::ReadableTable;
        let tx = store.read().unwrap();
        let mut names: Vec<String> = tx
            .open_table(super::super::tables::CUSTOMERS)
            .unwrap()
            .iter()
            .unwrap()
            .map(|row| {
                super::super::decode::<crate::model::Customer>(row.unwrap().1.value())
                    .unwrap()
                    .name
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_downloaded_snapshot_brings_back_attached_files_deleted_since() {
        let dir = tempfile::tempdir().unwrap();
        let download = dir.path().join("download.redb");
        let scheduled = dir.path().join("scheduled.redb");
        let contract = crate::model::FileMeta {
            id: crate::model::Id::generate(),
            customer_id: crate::model::Id::generate(),
            name: "合同 2026.pdf".into(),
            content_type: "application/pdf".into(),
            size: 9,
            uploaded_by: crate::model::Id::generate(),
            at: chrono::Utc::now(),
        };
        {
            let store = Store::open(dir.path()).unwrap();
            let c = customer("星辰电子", None);
            store.insert_customer(&c, &[]).unwrap();
            let contract = crate::model::FileMeta {
                customer_id: c.id,
                ..contract.clone()
            };
            store.insert_file(&contract, b"%PDF-1.7\n").unwrap();
            let file = std::fs::File::create_new(&download).unwrap();
            let summary = store.snapshot_with_attachments_into(file).unwrap();
            assert_eq!(summary.attachments, 1);
            assert_eq!(store.snapshot_to(&scheduled).unwrap().attachments, 0);
            store.remove_file(contract.id).unwrap();
            assert!(store.file_bytes(contract.id).is_err());
        }
        assert_eq!(inspect_snapshot(&download).unwrap().attachments, 1);

        let report = restore(dir.path(), &download).unwrap();
        assert_eq!(report.attachments, 1);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.file(contract.id).unwrap().unwrap().name,
            "合同 2026.pdf"
        );
        assert_eq!(store.file_bytes(contract.id).unwrap(), b"%PDF-1.7\n");
        super::super::test_support::assert_consistent(&store);
        // The restored file is a live file again: the bytes are in files/
        // only, and the next snapshot takes every table it finds.
        assert_eq!(
            store
                .snapshot_to(&dir.path().join("after.redb"))
                .unwrap()
                .attachments,
            0
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join(super::super::FILES_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".restoring"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn restoring_a_snapshot_gives_its_records_back_and_keeps_the_replaced_file() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join("monday.redb");
        {
            let store = Store::open(dir.path()).unwrap();
            let kept = customer("星期一的客户", None);
            store
                .insert_customer(&kept, &[contact(kept.id, "李")])
                .unwrap();
            store.snapshot_to(&snapshot).unwrap();
            store
                .insert_customer(&customer("星期二的客户", None), &[])
                .unwrap();
        }
        let report = restore(dir.path(), &snapshot).unwrap();
        assert!(report.check.is_healthy());
        assert_eq!(report.check.summary.counts.customers, 1);
        assert_eq!(report.check.summary.counts.contacts, 1);

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(names(&store), ["星期一的客户"]);
        super::super::test_support::assert_consistent(&store);
        drop(store);

        // The replaced file is whole in backups/, and can be restored back.
        let aside = report.kept_aside.unwrap();
        assert!(aside.starts_with(dir.path().join(BACKUP_DIR)));
        restore(dir.path(), &aside).unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(names(&store), ["星期一的客户", "星期二的客户"]);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("restoring-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn restore_refuses_what_is_not_a_snapshot_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.insert_customer(&customer("留着", None), &[]).unwrap();
        }
        let junk = dir.path().join("notes.txt");
        std::fs::write(&junk, "这不是备份").unwrap();
        let err = restore(dir.path(), &junk).unwrap_err();
        assert!(matches!(err, OpenError::BadSnapshot { .. }), "{err}");
        assert!(!dir.path().join(BACKUP_DIR).exists());
        assert_eq!(names(&Store::open(dir.path()).unwrap()), ["留着"]);
    }

    #[test]
    fn restore_refuses_a_folder_a_server_holds() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join("s.redb");
        let store = Store::open(dir.path()).unwrap();
        store.snapshot_to(&snapshot).unwrap();
        let err = restore(dir.path(), &snapshot).unwrap_err();
        assert!(matches!(err, OpenError::InUse(_)), "{err}");
    }

    #[test]
    fn restore_brings_an_older_snapshot_up_to_date_and_refuses_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let old = tempfile::tempdir().unwrap();
        let old_file = old.path().join("v3.redb");
        migrate_to(&redb::Database::create(&old_file).unwrap(), 3).unwrap();
        let report = restore(dir.path(), &old_file).unwrap();
        assert_eq!(
            report.check.summary.schema_version,
            super::super::CURRENT_SCHEMA
        );
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.pipelines().unwrap().len(), 1, "migrated as at start");
        drop(store);

        let new_file = old.path().join("v99.redb");
        {
            let db = redb::Database::create(&new_file).unwrap();
            migrate_to(&db, super::super::CURRENT_SCHEMA).unwrap();
            let tx = db.begin_write().unwrap();
            tx.open_table(super::super::tables::META)
                .unwrap()
                .insert(
                    super::super::tables::META_SCHEMA_VERSION,
                    99u64.to_le_bytes().as_slice(),
                )
                .unwrap();
            tx.commit().unwrap();
        }
        let err = restore(dir.path(), &new_file).unwrap_err();
        assert!(matches!(err, OpenError::TooNew { found: 99, .. }), "{err}");
    }

    #[test]
    fn check_finds_an_index_entry_without_its_record() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.insert_customer(&customer("好的", None), &[]).unwrap();
        }
        let report = check(dir.path()).unwrap();
        assert!(report.is_healthy(), "{}", report.consistency);
        assert_eq!(report.summary.counts.customers, 1);
        {
            let db = redb::Database::open(dir.path().join(DB_FILE)).unwrap();
            let tx = db.begin_write().unwrap();
            tx.open_table(CUSTOMERS_BY_OWNER)
                .unwrap()
                .insert((0u128, 42u128), ())
                .unwrap();
            tx.commit().unwrap();
        }
        let report = check(dir.path()).unwrap();
        assert!(!report.is_healthy());
        assert!(
            report
                .consistency
                .problems
                .iter()
                .any(|p| p.table == "customers_by_owner"),
            "{}",
            report.consistency
        );
        assert!(check(&dir.path().join("nothing-here")).is_err());
    }
}
