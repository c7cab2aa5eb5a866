//! Where the server's memory and start-up time go: opens a copy of the
//! `large` data set and loads what `guanxi serve` loads at start, step by
//! step, and reports the heap each in-memory structure holds (counted by the allocator, so
//! fragmentation and the OS cache are left out) and how long each took.
//!
//! `cargo run --release -p guanxi-bench --bin memory`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;
use guanxi_bench::Dataset;
use guanxi_core::model::{MoneyMetric, ReportParams};
use guanxi_core::service::Guanxi;
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

/// Runs one step of the start-up and says what it kept and how long it took.
fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    f()?;
    let kept = LIVE.load(Ordering::Relaxed) as isize - before as isize;
    println!(
        "{name}: {:.0} ms, {:.1} MB live, {:.1} MB peak during it, resident {:.0} MB",
        started.elapsed().as_secs_f64() * 1e3,
        kept as f64 / 1e6,
        mb(PEAK.load(Ordering::Relaxed) - before),
        rss_mb()
    );
    Ok(())
}

fn main() -> Result<()> {
    let data = Dataset::large()?;
    let scratch = data.scratch_copy("memory")?;
    let started = LIVE.load(Ordering::Relaxed);
    let mut store = None;
    step("open", || {
        store = Some(Store::open_deferred(&scratch.data_dir())?);
        Ok(())
    })?;
    let gx = Guanxi::new(store.expect("opened"));
    // The steps `guanxi serve` takes after opening, in its order.
    step("directory", || Ok(gx.load_directory().map(drop)?))?;
    step("deal boards", || Ok(gx.warm_deal_boards()?))?;
    step("deal tallies", || Ok(gx.warm_deal_tallies()?))?;
    step("activity counts", || Ok(gx.warm_activity_counts()?))?;
    step("contracts and money ledger", || Ok(gx.warm_contracts()?))?;
    step("stock costings and deliveries", || {
        Ok(gx.warm_stock_figures()?)
    })?;
    let (admin, _) = gx.login(
        guanxi_core::demo::ADMIN_EMAIL,
        guanxi_core::demo::PASSWORD,
        "memory probe",
    )?;
    // What the first dashboards build and keep beyond the start-up: each
    // report once, as the admin, for this quarter.
    let now = chrono::Utc::now();
    let params = ReportParams {
        period: "quarter".into(),
        ..ReportParams::default()
    };
    step("first funnel, conversion and forecast", || {
        gx.funnel_report(&admin, &params, now)?;
        gx.conversion_report(&admin, &params, now)?;
        gx.forecast_report(&admin, &params, now)?;
        Ok(())
    })?;
    step("first activity report", || {
        Ok(gx.activity_report(&admin, &params, now).map(drop)?)
    })?;
    step("first customer KPIs and cohorts", || {
        gx.kpi_report(&admin, &params, now)?;
        gx.cohort_report(&admin, &params, now)?;
        Ok(())
    })?;
    step("first revenue, payments, expenses and collection", || {
        for metric in [
            MoneyMetric::Revenue,
            MoneyMetric::Payments,
            MoneyMetric::Expenses,
        ] {
            gx.money_report(&admin, metric, &params, now)?;
        }
        gx.collection_report(&admin, &params, now)?;
        Ok(())
    })?;
    step("first product report", || {
        Ok(gx.product_report(&admin, &params, now).map(drop)?)
    })?;
    step("first workbench", || {
        Ok(gx.workbench(&admin, now).map(drop)?)
    })?;
    println!(
        "all: {:.1} MB live, resident {:.0} MB",
        mb(LIVE.load(Ordering::Relaxed) - started),
        rss_mb()
    );
    let directory = gx.store().directory();
    for (part, bytes) in directory.heap_bytes() {
        println!("  directory, {part}: {:.1} MB", mb(bytes));
    }
    let (grams, postings) = directory.search_index_size();
    println!("  search index: {grams} grams, {postings} postings");
    Ok(())
}
