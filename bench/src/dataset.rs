//! The `large` data set, generated once per seed and reused: 45 s of
//! generation is fine once, not on every bench run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use guanxi_core::demo::{self, Options, Size};
use serde::{Deserialize, Serialize};

use crate::sqlite::Baseline;

pub const SEED: u64 = 7;

/// Raised when the baseline's tables change, so a data set made before is
/// made again rather than queried for tables it lacks (2: stage changes;
/// 3: issue 11's money, in both databases; 4: this year's sales targets,
/// in Guanxi's).
pub const LAYOUT: u32 = 4;

/// What was generated, kept beside the data as `ready.json`; its presence
/// means the folder is complete.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DatasetInfo {
    pub seed: u64,
    /// The day the history ends.
    pub today: String,
    pub users: u64,
    pub customers: u64,
    pub contacts: u64,
    pub deals: u64,
    pub open_deals: u64,
    pub stage_changes: u64,
    pub activities: u64,
    pub tasks: u64,
    #[serde(default)]
    pub products: u64,
    #[serde(default)]
    pub contracts: u64,
    #[serde(default)]
    pub payments: u64,
    #[serde(default)]
    pub stock_moves: u64,
    #[serde(default)]
    pub expenses: u64,
    #[serde(default)]
    pub targets: u64,
    pub generate_seconds: f64,
    pub redb_bytes: u64,
    pub sqlite_bytes: u64,
}

pub struct Dataset {
    pub dir: PathBuf,
    pub info: DatasetInfo,
}

impl Dataset {
    /// The `large` set under `GUANXI_BENCH_DATA` or `target/bench-data`,
    /// made first if missing.
    pub fn large() -> Result<Dataset> {
        let dir = root().join(format!("large-seed-{SEED}-layout-{LAYOUT}"));
        let ready = dir.join("ready.json");
        if let Ok(json) = std::fs::read(&ready) {
            let info = serde_json::from_slice(&json).context("read ready.json")?;
            return Ok(Dataset { dir, info });
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).context("remove a half-made data set")?;
        }
        std::fs::create_dir_all(&dir)?;
        eprintln!("making the large data set in {} (once)…", dir.display());
        let info = generate(&dir)?;
        std::fs::write(&ready, serde_json::to_vec_pretty(&info)?)?;
        Ok(Dataset { dir, info })
    }

    /// The Guanxi data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("guanxi")
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.dir.join("baseline.sqlite")
    }

    /// A scratch copy of both databases next to the originals (same disk),
    /// for runs that write.
    pub fn scratch_copy(&self, name: &str) -> Result<Scratch> {
        let dir = self.dir.with_file_name(format!("scratch-{name}"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(dir.join("guanxi"))?;
        let from = self.data_dir().join(guanxi_core::store::DB_FILE);
        std::fs::copy(&from, dir.join("guanxi").join(guanxi_core::store::DB_FILE))
            .with_context(|| format!("copy {}", from.display()))?;
        std::fs::copy(self.sqlite_path(), dir.join("baseline.sqlite"))?;
        Ok(Scratch { dir })
    }
}

/// A copy that is removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("guanxi")
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.dir.join("baseline.sqlite")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("GUANXI_BENCH_DATA") {
        return dir.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-data")
}

fn generate(dir: &Path) -> Result<DatasetInfo> {
    let started = Instant::now();
    let today = demo::today_at(chrono::Utc::now());
    let options = Options {
        size: Size::Large,
        seed: SEED,
        today,
    };
    let mut baseline = Baseline::create(&dir.join("baseline.sqlite"))?;
    let mut failed = None;
    let summary = demo::fill_mirrored(
        &dir.join("guanxi"),
        &options,
        &mut |done, all| {
            if done % 20_000 == 0 || done == all {
                eprintln!("  {done} of {all} customers");
            }
        },
        &mut |batch| {
            if failed.is_none()
                && let Err(e) = baseline.load(batch)
            {
                failed = Some(e);
            }
        },
    )?;
    if let Some(e) = failed {
        return Err(e.context("load the SQLite baseline"));
    }
    let store = guanxi_core::store::Store::open(&dir.join("guanxi"))?;
    baseline.load_users(&summary.users)?;
    baseline.load_pipelines(&store.pipelines()?)?;
    drop(store);
    baseline.finish()?;
    drop(baseline);
    let counts = summary.counts;
    Ok(DatasetInfo {
        seed: SEED,
        today: today.to_string(),
        users: counts.users,
        customers: counts.customers,
        contacts: counts.contacts,
        deals: counts.deals,
        open_deals: summary.deals.open,
        stage_changes: counts.stage_changes,
        activities: counts.activities,
        tasks: counts.tasks,
        products: counts.products,
        contracts: counts.contracts,
        payments: counts.payments,
        stock_moves: counts.stock_moves,
        expenses: counts.expenses,
        targets: summary.targets as u64,
        generate_seconds: started.elapsed().as_secs_f64(),
        redb_bytes: summary.file_bytes,
        sqlite_bytes: std::fs::metadata(dir.join("baseline.sqlite"))?.len(),
    })
}
