//! Store-level benchmarks on the `large` data set, each next to the same
//! question put to the SQLite baseline: `cargo bench -p guanxi-bench`.
//! `cargo xtask bench` reads criterion's results and writes the report.

use std::io::Write;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use guanxi_bench::workload::{COMMON_SEARCHES, PAGE, WORST_PAGE};
use guanxi_bench::{Baseline, Dataset, Workload};
use guanxi_core::model::{Activity, Id};
use guanxi_core::service::Guanxi;
use guanxi_core::store::{SortBy, Store};

fn reads(c: &mut Criterion) {
    let data = Dataset::large().expect("the large data set");
    let gx = Guanxi::new(Store::open(&data.data_dir()).expect("open the store"));
    let sqlite = Baseline::open(&data.sqlite_path()).expect("open the baseline");
    let w = Workload::prepare(&gx, &sqlite).expect("choose the workload");

    let mut group = c.benchmark_group("read");
    group.bench_function(BenchmarkId::new("list", "redb"), |b| {
        b.iter(|| w.list_page(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("list", "sqlite"), |b| {
        b.iter(|| sqlite.list_page(&w.region, &w.tag, w.offset, 50).unwrap())
    });
    group.bench_function(BenchmarkId::new("search", "redb"), |b| {
        b.iter(|| w.search(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("search", "sqlite"), |b| {
        b.iter(|| sqlite.search(&w.search, 20).unwrap())
    });
    group.bench_function(BenchmarkId::new("search_deals", "redb"), |b| {
        b.iter(|| w.search_deals(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("search_deals", "sqlite"), |b| {
        b.iter(|| {
            let people = sqlite.search(&w.deal_search, 20).unwrap().len();
            people + sqlite.search_deals(&w.deal_search, 20).unwrap().len()
        })
    });
    group.bench_function(BenchmarkId::new("customer_360", "redb"), |b| {
        b.iter(|| w.customer_360(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("customer_360", "sqlite"), |b| {
        b.iter(|| sqlite.customer_360(w.customer).unwrap())
    });
    group.bench_function(BenchmarkId::new("board", "redb"), |b| {
        b.iter(|| w.board(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("board", "sqlite"), |b| {
        b.iter(|| sqlite.board(w.pipeline).unwrap())
    });
    group.finish();
}

/// Issue 16's worst cases: lists of everyone with no filter to narrow
/// them, and search terms most rows hold, for the admin (who sees all) and
/// a rep (own customers and the pool). Ids read `worst/<question>_<who>`.
fn worst_cases(c: &mut Criterion) {
    let data = Dataset::large().expect("the large data set");
    let gx = Guanxi::new(Store::open(&data.data_dir()).expect("open the store"));
    let sqlite = Baseline::open(&data.sqlite_path()).expect("open the baseline");
    let w = Workload::prepare(&gx, &sqlite).expect("choose the workload");

    let mut group = c.benchmark_group("worst");
    for (who, me, owner) in [("admin", &w.admin, None), ("rep", &w.rep, Some(w.rep.id))] {
        for (question, sort) in [("by_name", SortBy::Name), ("default", SortBy::Updated)] {
            let name = format!("{question}_{who}");
            group.bench_function(BenchmarkId::new(&name, "redb"), |b| {
                b.iter(|| w.everyone_page(&gx, me, sort).unwrap())
            });
            let by_name = sort == SortBy::Name;
            group.bench_function(BenchmarkId::new(&name, "sqlite"), |b| {
                b.iter(|| {
                    sqlite
                        .everyone_page(owner, by_name, WORST_PAGE * PAGE, PAGE)
                        .unwrap()
                })
            });
        }
        for (question, text) in COMMON_SEARCHES {
            let name = format!("search_{question}_{who}");
            group.bench_function(BenchmarkId::new(&name, "redb"), |b| {
                b.iter(|| w.search_as(&gx, me, text).unwrap())
            });
            group.bench_function(BenchmarkId::new(&name, "sqlite"), |b| {
                b.iter(|| sqlite.search(text, 20).unwrap())
            });
        }
    }
    group.finish();
}

/// Durable single writes, one after another, on a scratch copy: what one
/// person saving a call waits for. The fsync of a small file on the same
/// disk is the floor.
fn writes(c: &mut Criterion) {
    let data = Dataset::large().expect("the large data set");
    let scratch = data.scratch_copy("store-bench").expect("a scratch copy");
    let gx = Guanxi::new(Store::open(&scratch.data_dir()).expect("open the copy"));
    let mut sqlite = Baseline::open(&scratch.sqlite_path()).expect("open the copy");
    let w = Workload::prepare(&gx, &sqlite).expect("choose the workload");

    let mut group = c.benchmark_group("write");
    let mut n = 0;
    group.bench_function(BenchmarkId::new("log_activity", "redb"), |b| {
        b.iter(|| {
            n += 1;
            w.log_activity(&gx, n).unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("log_activity", "sqlite"), |b| {
        b.iter(|| {
            n += 1;
            let input = w.activity(n);
            let now = chrono::Utc::now();
            let activity = Activity {
                id: Id::generate(),
                kind: input.kind,
                customer_id: input.customer_id,
                contact_id: None,
                at: now,
                duration_minutes: input.duration_minutes,
                text: input.text,
                by: w.admin.id,
                created_at: now,
                deal_id: None,
            };
            sqlite.log_activity(&activity).unwrap()
        })
    });
    let path = scratch.dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let block = [7u8; 4096];
    group.bench_function(BenchmarkId::new("fsync", "4KiB"), |b| {
        b.iter(|| {
            file.write_all(&block).unwrap();
            file.sync_data().unwrap();
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = reads, worst_cases, writes
}
criterion_main!(benches);
