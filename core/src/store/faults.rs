//! A storage backend that fails on command, for tests: redb's own file
//! backend over the real file, with a disk that fills up after so many
//! bytes and an fsync that fails. Not a stand-in for the store: every
//! byte that is written goes to the file.

use std::fmt;
use std::fs::OpenOptions;
use std::io;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use redb::backends::FileBackend;
use redb::{BackendError, StorageBackend};

use super::{OpenError, Store};

/// The switches of a faulty disk, shared by the test and the backend.
#[derive(Clone, Default)]
pub struct Faults(Arc<Switches>);

#[derive(Default)]
struct Switches {
    /// Bytes the file may still grow by, when limited.
    room: AtomicU64,
    limited: AtomicBool,
    /// How many of the next syncs and writes fail.
    failing_syncs: AtomicU64,
    failing_writes: AtomicU64,
    /// Writes that still go through before the power goes, when limited.
    power_left: AtomicU64,
    power_limited: AtomicBool,
}

/// For `fail_syncs` and `fail_writes`: until `heal`.
pub const UNTIL_HEALED: u64 = u64::MAX;

impl Faults {
    pub fn new() -> Faults {
        Faults::default()
    }

    /// The disk is full once the file has grown by `bytes` more: growing
    /// it further fails with ENOSPC, and a write past its end writes what
    /// fits, then fails. Writes over space the file already has go
    /// through, as on a real disk.
    pub fn fill_disk_after(&self, bytes: u64) {
        self.0.room.store(bytes, Ordering::SeqCst);
        self.0.limited.store(true, Ordering::SeqCst);
    }

    /// The next `n` calls of `sync_data` (fsync) fail with EIO.
    pub fn fail_syncs(&self, n: u64) {
        self.0.failing_syncs.store(n, Ordering::SeqCst);
    }

    /// The next `n` writes fail with EIO, writing nothing.
    pub fn fail_writes(&self, n: u64) {
        self.0.failing_writes.store(n, Ordering::SeqCst);
    }

    /// The power goes after `writes` more writes: from then on nothing is
    /// written or synced, as if the machine had stopped there.
    pub fn cut_power_after_writes(&self, writes: u64) {
        self.0.power_left.store(writes, Ordering::SeqCst);
        self.0.power_limited.store(true, Ordering::SeqCst);
    }

    fn powered_off(&self) -> bool {
        self.0.power_limited.load(Ordering::SeqCst) && self.0.power_left.load(Ordering::SeqCst) == 0
    }

    /// The fault is gone: room on the disk, writes and syncs work.
    pub fn heal(&self) {
        self.0.power_limited.store(false, Ordering::SeqCst);
        self.0.limited.store(false, Ordering::SeqCst);
        self.0.failing_syncs.store(0, Ordering::SeqCst);
        self.0.failing_writes.store(0, Ordering::SeqCst);
    }

    /// Opens the store in `data_dir` through this faulty disk (each reopen
    /// after a failure too).
    pub fn open_store(&self, data_dir: &Path) -> Result<Store, OpenError> {
        let faults = self.clone();
        let store = Store::open_deferred_with(
            data_dir,
            Box::new(move |path| {
                let file = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(path)?;
                let backend = FaultyDisk {
                    file: FileBackend::new(file)?,
                    faults: faults.clone(),
                };
                redb::Builder::new()
                    .set_cache_size(super::CACHE_BYTES)
                    .create_with_backend(backend)
            }),
        )?;
        store.load_directory()?;
        Ok(store)
    }

    /// Takes one from a failure counter; true when this call fails.
    fn take(counter: &AtomicU64) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
                0 => None,
                UNTIL_HEALED => Some(UNTIL_HEALED),
                n => Some(n - 1),
            })
            .is_ok()
    }

    /// Takes `bytes` of growth from the room left; false when it does not fit.
    fn grow(&self, bytes: u64) -> bool {
        if !self.0.limited.load(Ordering::SeqCst) {
            return true;
        }
        self.0
            .room
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |room| {
                room.checked_sub(bytes)
            })
            .is_ok()
    }

    fn full() -> io::Error {
        io::Error::new(
            io::ErrorKind::StorageFull,
            "no space left on device (injected)",
        )
    }

    fn eio() -> io::Error {
        io::Error::other("input/output error (injected)")
    }
}

struct FaultyDisk {
    file: FileBackend,
    faults: Faults,
}

impl fmt::Debug for FaultyDisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultyDisk").finish_non_exhaustive()
    }
}

impl StorageBackend for FaultyDisk {
    fn len(&self) -> Result<u64, io::Error> {
        self.file.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        self.file.read(offset, out)
    }

    fn set_len(&self, len: u64) -> Result<(), io::Error> {
        let now = self.file.len()?;
        if len > now && !self.faults.grow(len - now) {
            return Err(Faults::full());
        }
        self.file.set_len(len)
    }

    fn sync_data(&self) -> Result<(), io::Error> {
        if self.faults.powered_off() || Faults::take(&self.faults.0.failing_syncs) {
            return Err(Faults::eio());
        }
        self.file.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        if Faults::take(&self.faults.0.failing_writes) || self.faults.powered_off() {
            return Err(Faults::eio());
        }
        if self.faults.0.power_limited.load(Ordering::SeqCst) {
            self.faults.0.power_left.fetch_sub(1, Ordering::SeqCst);
        }
        let end = offset + data.len() as u64;
        let now = self.file.len()?;
        if end > now && !self.faults.grow(end - now) {
            let room = self.faults.0.room.swap(0, Ordering::SeqCst);
            let fits = (now + room).saturating_sub(offset).min(data.len() as u64);
            self.file.write(offset, &data[..fits as usize])?;
            return Err(Faults::full());
        }
        self.file.write(offset, data)
    }

    fn close(&self) -> Result<(), io::Error> {
        self.file.close()
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, BackendError> {
        self.file.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.query_lock_range(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::customers::tests::customer;
    use super::super::test_support::assert_consistent;
    use super::*;
    use crate::error::Error;
    use crate::model::Customer;

    fn names(store: &Store, customers: &[&Customer]) -> Vec<Option<String>> {
        customers
            .iter()
            .map(|c| store.customer(c.id).unwrap().map(|c| c.name))
            .collect()
    }

    /// After the fault, the store answers from what is on disk, and a
    /// plain reopen of the file finds the same.
    fn assert_on_disk(dir: &Path, customers: &[&Customer], expected: &[Option<&str>]) {
        let store = Store::open(dir).unwrap();
        assert_consistent(&store);
        let found = names(&store, customers);
        let expected: Vec<Option<String>> = expected.iter().map(|n| n.map(String::from)).collect();
        assert_eq!(found, expected);
    }

    /// A customer too big for the room the file has spare.
    fn big(name: &str) -> Customer {
        let mut c = customer(name, None);
        c.notes = Some("很长的备注。".repeat(100_000));
        c
    }

    #[test]
    fn a_full_disk_refuses_the_write_keeps_reads_and_saves_again_once_there_is_room() {
        let dir = tempfile::tempdir().unwrap();
        let faults = Faults::new();
        let store = faults.open_store(dir.path()).unwrap();
        let before = customer("磁盘满之前", None);
        store.insert_customer(&before, &[]).unwrap();

        faults.fill_disk_after(4096);
        let refused = big("磁盘满时");
        assert_eq!(
            store.insert_customer(&refused, &[]),
            Err(Error::StorageFull)
        );
        // Reads go on, from the disk as it was; nothing of the write shows.
        assert_eq!(
            names(&store, &[&before, &refused]),
            [Some("磁盘满之前".to_string()), None]
        );
        assert_eq!(store.directory().customer_name(refused.id), None);
        assert_eq!(store.directory().len(), 1);
        assert_consistent(&store);
        // Still full: still refused, still readable.
        assert_eq!(
            store.insert_customer(&refused, &[]),
            Err(Error::StorageFull)
        );
        assert_eq!(store.directory().len(), 1);
        assert_consistent(&store);

        faults.heal();
        let after = customer("腾出空间之后", None);
        store.insert_customer(&refused, &[]).unwrap();
        store.insert_customer(&after, &[]).unwrap();
        assert_consistent(&store);
        drop(store);
        assert_on_disk(
            dir.path(),
            &[&before, &refused, &after],
            &[Some("磁盘满之前"), Some("磁盘满时"), Some("腾出空间之后")],
        );
    }

    #[test]
    fn a_failed_fsync_is_never_reported_as_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let faults = Faults::new();
        let store = faults.open_store(dir.path()).unwrap();
        let before = customer("同步失败之前", None);
        store.insert_customer(&before, &[]).unwrap();

        // One failed fsync: that write fails, the next opening syncs fine.
        faults.fail_syncs(1);
        let once = customer("同步失败一次", None);
        assert_eq!(
            store.insert_customer(&once, &[]),
            Err(Error::StorageUnavailable)
        );
        assert_eq!(
            store
                .customer(before.id)
                .unwrap()
                .map(|c| c.name)
                .as_deref(),
            Some("同步失败之前")
        );
        // Whatever of the unsynced write the file kept, readers see what
        // the file holds.
        assert_consistent(&store);

        // Failing for good: several writers share one flush, and every
        // one of them hears that it failed.
        faults.fail_syncs(UNTIL_HEALED);
        let attempted: Vec<Customer> = (0..4)
            .map(|n| customer(&format!("同步失败时 {n}"), None))
            .collect();
        let results: Vec<_> = std::thread::scope(|s| {
            let writers: Vec<_> = attempted
                .iter()
                .map(|c| s.spawn(|| store.insert_customer(c, &[])))
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for result in &results {
            assert_eq!(result, &Err(Error::StorageUnavailable));
        }
        // redb opens a file that was not closed cleanly only by syncing
        // its header: until the disk syncs again, reads are refused too.
        assert_eq!(store.customer(before.id), Err(Error::StorageUnavailable));

        faults.heal();
        assert_eq!(
            store
                .customer(before.id)
                .unwrap()
                .map(|c| c.name)
                .as_deref(),
            Some("同步失败之前")
        );
        assert_consistent(&store);
        let after = customer("同步恢复之后", None);
        store.insert_customer(&after, &[]).unwrap();
        assert_consistent(&store);
        drop(store);
        assert_on_disk(
            dir.path(),
            &[&before, &after],
            &[Some("同步失败之前"), Some("同步恢复之后")],
        );
    }

    #[test]
    fn a_failed_write_refuses_the_edit_as_unavailable_and_the_store_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let faults = Faults::new();
        let store = faults.open_store(dir.path()).unwrap();
        let before = customer("坏盘之前", None);
        store.insert_customer(&before, &[]).unwrap();
        store.warm_deal_boards().unwrap();

        faults.fail_writes(1);
        let mut edited = before.clone();
        edited.name = "坏盘时改名".into();
        let refused = store.update_customer(&edited, &[]);
        assert_eq!(refused.err(), Some(Error::StorageUnavailable));
        assert_eq!(
            store
                .customer(before.id)
                .unwrap()
                .map(|c| c.name)
                .as_deref(),
            Some("坏盘之前")
        );
        assert_eq!(
            store.directory().customer_name(before.id).as_deref(),
            Some("坏盘之前")
        );
        assert_consistent(&store);

        store.update_customer(&edited, &[]).unwrap();
        assert_consistent(&store);
        drop(store);
        assert_on_disk(dir.path(), &[&before], &[Some("坏盘时改名")]);
    }
}
