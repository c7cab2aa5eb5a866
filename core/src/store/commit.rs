//! Group commit: many writers, one fsync.
//!
//! Each write transaction commits to memory at once (redb's non-durable
//! commit), which makes it visible to readers and releases the write lock for
//! the next writer. Its caller then waits until a durable commit has covered
//! it. Whoever finds no flush running starts one (an empty durable commit
//! writes every earlier non-durable commit to disk); everyone who committed
//! meanwhile waits for the next. Under load, one fsync acknowledges dozens of
//! writes; alone, a write costs one commit and one fsync, as before.
//!
//! A failed flush fails every commit it was to cover, and redb fails every
//! later operation on that `Database` (its I/O error latch), so nothing
//! committed before the failure can ever be acknowledged; the store then
//! opens the file afresh, with a group of its own (see `Store::current`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use redb::{Database, Durability, WriteTransaction};

use crate::error::Result;

/// One opening of the file and the writes committed through it.
pub(super) struct Opened {
    pub(super) db: Database,
    group: GroupCommit,
    /// A commit or flush failed: redb refuses everything on this `db` from
    /// now on, and the store must open the file again.
    failed: AtomicBool,
}

impl Opened {
    pub(super) fn new(db: Database) -> Opened {
        Opened {
            db,
            group: GroupCommit::default(),
            failed: AtomicBool::new(false),
        }
    }

    pub(super) fn failed(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    pub(super) fn mark_failed(&self) {
        self.failed.store(true, Ordering::Release);
    }

    /// Commits `tx` (begun on this `db`) for readers at once.
    pub(super) fn commit(self: &Arc<Self>, tx: WriteTransaction) -> Result<Pending> {
        let ticket = self.group.commit(tx).inspect_err(|_| self.mark_failed())?;
        Ok(Pending {
            opened: self.clone(),
            ticket,
        })
    }
}

#[derive(Default)]
struct GroupCommit {
    state: Mutex<FlushState>,
    flushed: Condvar,
}

#[derive(Default)]
struct FlushState {
    /// Non-durable commits made so far, in the order they were counted.
    committed: u64,
    /// All commits up to this count are on disk.
    durable: u64,
    flushing: bool,
}

/// A commit that readers already see but that may not be on disk yet.
#[must_use = "a write is acknowledged only once it is durable: call wait()"]
pub(super) struct Pending {
    opened: Arc<Opened>,
    ticket: u64,
}

impl GroupCommit {
    fn commit(&self, mut tx: WriteTransaction) -> Result<u64> {
        tx.set_durability(Durability::None)?;
        tx.commit()?;
        // Counted after the commit: a flush that starts later covers it.
        let mut state = self.lock();
        state.committed += 1;
        Ok(state.committed)
    }

    fn lock(&self) -> MutexGuard<'_, FlushState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Pending {
    /// Returns once this commit is on disk, flushing it if nobody else is.
    pub(super) fn wait(self) -> Result<()> {
        let opened = &self.opened;
        let group = &opened.group;
        let mut state = group.lock();
        loop {
            if state.durable >= self.ticket {
                return Ok(());
            }
            if state.flushing {
                state = group.flushed.wait(state).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            state.flushing = true;
            let covers = state.committed;
            drop(state);
            let result = flush(&opened.db);
            if result.is_err() {
                opened.mark_failed();
            }
            state = group.lock();
            state.flushing = false;
            if result.is_ok() {
                state.durable = state.durable.max(covers);
            }
            group.flushed.notify_all();
            // The others see no progress and try the flush themselves, each
            // reporting its own failure (redb answers them at once: the
            // database failed).
            result?;
        }
    }
}

fn flush(db: &Database) -> Result<()> {
    let mut tx = db.begin_write()?;
    tx.set_durability(Durability::Immediate)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition};

    use super::*;

    const NUMBERS: TableDefinition<u64, u64> = TableDefinition::new("numbers");

    #[test]
    fn acknowledged_writes_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.redb");
        {
            let opened = Arc::new(Opened::new(Database::create(&path).unwrap()));
            let writers: Vec<_> = (0..8u64)
                .map(|w| {
                    let opened = opened.clone();
                    std::thread::spawn(move || {
                        for n in 0..25u64 {
                            let tx = opened.db.begin_write().unwrap();
                            tx.open_table(NUMBERS)
                                .unwrap()
                                .insert(w * 100 + n, n)
                                .unwrap();
                            opened.commit(tx).unwrap().wait().unwrap();
                        }
                    })
                })
                .collect();
            for writer in writers {
                writer.join().unwrap();
            }
            let state = opened.group.lock();
            assert_eq!(state.committed, 200);
            assert_eq!(state.durable, 200);
        }
        let db = Database::create(&path).unwrap();
        let tx = db.begin_read().unwrap();
        assert_eq!(tx.open_table(NUMBERS).unwrap().len().unwrap(), 200);
    }
}
