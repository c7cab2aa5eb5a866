//! Issue 5's benchmark suite: the `large` demo data set (made once and kept
//! under `target/bench-data`), the same records in SQLite as a baseline, and
//! the questions both answer. `benches/store.rs` times them with criterion;
//! `src/bin/load.rs` drives the real binary over HTTP; `cargo xtask bench`
//! runs both and writes docs/BENCHMARKS.md.
//!
//! To add a case: a method on `Workload` (redb, through the service the app
//! calls) and its twin on `Baseline` (SQLite), then one line in each
//! bench's list.

pub mod dataset;
pub mod sqlite;
pub mod workload;

pub use dataset::{Dataset, DatasetInfo};
pub use sqlite::Baseline;
pub use workload::Workload;
