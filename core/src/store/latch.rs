//! A one-way gate: closed while the directory loads in the background at
//! start, then open for good. Whoever needs the directory before then waits.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

#[derive(Default)]
pub(super) struct Latch {
    open: AtomicBool,
    lock: Mutex<()>,
    opened: Condvar,
}

impl Latch {
    pub(super) fn wait(&self) {
        if self.open.load(Ordering::Acquire) {
            return;
        }
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        while !self.open.load(Ordering::Acquire) {
            guard = self.opened.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub(super) fn open(&self) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.open.store(true, Ordering::Release);
        self.opened.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_go_on_once_it_opens() {
        let latch = Latch::default();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                latch.wait();
                true
            });
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert!(!waiter.is_finished());
            latch.open();
            assert!(waiter.join().unwrap());
        });
        latch.wait();
    }
}
