//! Where the server's memory and start-up time go: opens a copy of the
//! `large` data set through the store, as `guanxi serve` does, and reports
//! the heap each in-memory structure holds (counted by the allocator, so
//! fragmentation and the OS cache are left out) and how long each took.
//!
//! `cargo run --release -p guanxi-bench --bin memory`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;
use guanxi_bench::Dataset;
use guanxi_core::store::Store;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() -> Result<()> {
    let data = Dataset::large()?;
    let scratch = data.scratch_copy("memory")?;
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let store = Store::open(&scratch.data_dir())?;
    let opened = started.elapsed();
    let directory = LIVE.load(Ordering::Relaxed) - before;
    let open_peak = PEAK.load(Ordering::Relaxed) - before;
    let started = Instant::now();
    store.warm_deal_boards()?;
    let warmed = started.elapsed();
    let boards = LIVE.load(Ordering::Relaxed) - before - directory;
    println!(
        "open (directory): {:.0} ms, {:.1} MB live, {:.1} MB peak while opening",
        opened.as_secs_f64() * 1e3,
        mb(directory),
        mb(open_peak)
    );
    println!(
        "deal boards: {:.0} ms, {:.1} MB live",
        warmed.as_secs_f64() * 1e3,
        mb(boards)
    );
    println!("resident: {:.0} MB", rss_mb());
    let directory = store.directory();
    for (part, bytes) in directory.heap_bytes() {
        println!("  {part}: {:.1} MB", mb(bytes));
    }
    let (grams, postings) = directory.search_index_size();
    println!("  search index: {grams} grams, {postings} postings");
    Ok(())
}
