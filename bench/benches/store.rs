//! Store-level benchmarks on the `large` data set, each next to the same
//! question put to the SQLite baseline: `cargo bench -p guanxi-bench`.
//! `cargo xtask bench` reads criterion's results and writes the report.

use std::io::Write;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use guanxi_bench::workload::{COMMON_SEARCHES, PAGE, WORST_PAGE, ZONE_OFFSET_MS};
use guanxi_bench::{Baseline, Dataset, Workload};
use guanxi_core::domain::period;
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

/// Issue 12's dashboards, for the admin (every deal and activity) and a
/// rep, beside the same numbers asked of SQLite with a query per figure.
/// Ids read `reports/<question>_<who>`.
fn reports(c: &mut Criterion) {
    let data = Dataset::large().expect("the large data set");
    let gx = Guanxi::new(Store::open(&data.data_dir()).expect("open the store"));
    let sqlite = Baseline::open(&data.sqlite_path()).expect("open the baseline");
    let w = Workload::prepare(&gx, &sqlite).expect("choose the workload");
    // Loaded at start by the server; not part of a request.
    gx.warm_deal_boards().expect("load the deals");
    gx.warm_activity_counts().expect("count the activities");
    gx.warm_deal_tallies().expect("count the deal tallies");
    let quarter = Workload::span_ms(w.quarter);
    let previous = Workload::span_ms(period::previous(w.quarter));
    let last_year = Workload::span_ms(period::year_before(w.quarter));
    // The anomaly flags look at the 12 weeks before the last full week.
    let trailing = (quarter.1 - 13 * 7 * 86_400_000, quarter.1);
    let compare = Workload::day_start_ms(w.quarter.to - chrono::Duration::days(90));

    let mut group = c.benchmark_group("reports");
    for (who, me) in [("admin", &w.admin), ("rep", &w.rep)] {
        group.bench_function(BenchmarkId::new(format!("funnel_{who}"), "redb"), |b| {
            b.iter(|| w.funnel(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("conversion_{who}"), "redb"), |b| {
            b.iter(|| w.conversion(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("forecast_{who}"), "redb"), |b| {
            b.iter(|| w.forecast(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("activity_{who}"), "redb"), |b| {
            b.iter(|| w.activity_report(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("kpis_{who}"), "redb"), |b| {
            b.iter(|| w.kpis(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("cohorts_{who}"), "redb"), |b| {
            b.iter(|| w.cohorts(&gx, me).unwrap())
        });
        group.bench_function(BenchmarkId::new(format!("workbench_{who}"), "redb"), |b| {
            b.iter(|| w.workbench(&gx, me).unwrap())
        });
    }
    // SQLite answers for everyone: the admin's question (a rep's adds a
    // filter on the owner, which the indexes above do not narrow).
    group.bench_function(BenchmarkId::new("funnel_admin", "sqlite"), |b| {
        b.iter(|| {
            let now = sqlite.funnel_now(w.pipeline).unwrap();
            let then = sqlite.funnel_at(w.pipeline, compare).unwrap();
            let closed = sqlite
                .closed_between(w.pipeline, quarter.0, quarter.1)
                .unwrap();
            now.len() + then.len() + closed.len()
        })
    });
    group.bench_function(BenchmarkId::new("conversion_admin", "sqlite"), |b| {
        b.iter(|| {
            let reached = sqlite.conversion(w.pipeline, quarter.0, quarter.1).unwrap();
            let closed = sqlite
                .closed_between(w.pipeline, quarter.0, quarter.1)
                .unwrap();
            reached.len() + closed.len()
        })
    });
    group.bench_function(BenchmarkId::new("activity_admin", "sqlite"), |b| {
        b.iter(|| {
            [quarter, previous, last_year, trailing]
                .into_iter()
                .map(|(from, to)| {
                    sqlite
                        .activity_by_day(from, to, ZONE_OFFSET_MS)
                        .unwrap()
                        .len()
                })
                .sum::<usize>()
        })
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

/// Issue 11's money at the `large` size: reads on the data set, the
/// writes on a scratch copy with FIFO costing. Ids read
/// `money/<question>/<redb|sqlite>`.
fn money(c: &mut Criterion) {
    use guanxi_core::model::{CostMethod, StockMove, StockMoveKind};
    let data = Dataset::large().expect("the large data set");
    let gx = Guanxi::new(Store::open(&data.data_dir()).expect("open the store"));
    let sqlite = Baseline::open(&data.sqlite_path()).expect("open the baseline");
    let w = Workload::prepare(&gx, &sqlite).expect("choose the workload");
    let method = gx.sales_settings().expect("settings").cost_method;
    // What the first request after a start (or a write) pays: the
    // contracts into memory, a product's costing worked out.
    let started = std::time::Instant::now();
    gx.store()
        .warm_contract_index()
        .expect("load the contracts");
    eprintln!(
        "contracts into memory: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let started = std::time::Instant::now();
    w.product_margin(&gx).expect("a margin");
    eprintln!(
        "the busiest product's margin, worked out: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut group = c.benchmark_group("money");
    group.bench_function(BenchmarkId::new("contract_list", "redb"), |b| {
        b.iter(|| w.contract_page(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("contract_list", "sqlite"), |b| {
        b.iter(|| sqlite.contract_page(2 * PAGE, PAGE).unwrap())
    });
    group.bench_function(BenchmarkId::new("receivables", "redb"), |b| {
        b.iter(|| w.receivables(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("receivables", "sqlite"), |b| {
        b.iter(|| sqlite.receivables(w.today).unwrap())
    });
    group.bench_function(BenchmarkId::new("customer_money", "redb"), |b| {
        b.iter(|| w.customer_money(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("customer_money", "sqlite"), |b| {
        b.iter(|| sqlite.customer_money(w.money_customer, w.today).unwrap())
    });
    let quarter = w.quarter;
    let trend_from = quarter.from - chrono::Duration::days(3 * 366);
    group.bench_function(BenchmarkId::new("revenue_report", "redb"), |b| {
        b.iter(|| w.revenue(&gx, &w.admin).unwrap())
    });
    group.bench_function(BenchmarkId::new("revenue_report", "sqlite"), |b| {
        b.iter(|| sqlite.revenue(trend_from, quarter).unwrap())
    });
    let year_ago = w.today - chrono::Duration::days(366);
    group.bench_function(BenchmarkId::new("collection_trend", "redb"), |b| {
        b.iter(|| w.collection(&gx, &w.admin).unwrap())
    });
    group.bench_function(BenchmarkId::new("collection_trend", "sqlite"), |b| {
        b.iter(|| sqlite.collection(year_ago).unwrap())
    });
    // Issue 15's targets: the company's revenue target this year.
    let company_target = gx
        .targets(&w.admin, None)
        .expect("targets")
        .into_iter()
        .find(|r| {
            r.target.scope == guanxi_core::model::TargetScope::Company
                && r.target.measure == guanxi_core::model::TargetMeasure::Revenue
        })
        .expect("the demo's company revenue target (data set layout 4)")
        .target
        .id;
    group.bench_function(BenchmarkId::new("target_progress", "redb"), |b| {
        b.iter(|| gx.target_progress(&w.admin, company_target).unwrap())
    });
    group.bench_function(BenchmarkId::new("target_progress", "sqlite"), |b| {
        b.iter(|| sqlite.target_progress(w.today).unwrap())
    });
    group.bench_function(BenchmarkId::new("product_margin", "redb"), |b| {
        b.iter(|| w.product_margin(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("product_margin", "sqlite"), |b| {
        b.iter(|| sqlite.product_margin(w.busy_product, method).unwrap())
    });
    drop(gx);

    let scratch = data.scratch_copy("money-bench").expect("a scratch copy");
    let gx = Guanxi::new(Store::open(&scratch.data_dir()).expect("open the copy"));
    let mut sqlite = Baseline::open(&scratch.sqlite_path()).expect("open the copy");
    w.set_cost_method(&gx, CostMethod::Fifo).expect("FIFO");
    let template = w.create_contract(&gx).expect("a direct order");
    group.bench_function(BenchmarkId::new("create_contract", "redb"), |b| {
        b.iter(|| w.create_contract(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("create_contract", "sqlite"), |b| {
        b.iter(|| {
            let now = chrono::Utc::now();
            let contract = guanxi_core::model::Contract {
                id: Id::generate(),
                created_at: now,
                updated_at: now,
                ..template.clone()
            };
            sqlite.create_contract(&contract).unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("backdated_stock_in", "redb"), |b| {
        b.iter(|| w.backdated_stock_in(&gx).unwrap())
    });
    group.bench_function(BenchmarkId::new("backdated_stock_in", "sqlite"), |b| {
        b.iter(|| {
            let now = chrono::Utc::now();
            sqlite
                .stock_in(&StockMove {
                    id: Id::generate(),
                    product_id: w.busy_product,
                    kind: StockMoveKind::Purchase,
                    date: w.backdate,
                    quantity: guanxi_core::model::Quantity::units(1),
                    unit_cost: Some(guanxi_core::model::Cents(100)),
                    supplier: None,
                    reason: None,
                    contract_id: None,
                    customer_id: None,
                    line: None,
                    recorded_by: w.admin.id,
                    recorded_at: now,
                })
                .unwrap();
            sqlite
                .product_margin(w.busy_product, CostMethod::Fifo)
                .unwrap()
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
    targets = reads, worst_cases, reports, writes, money
}
criterion_main!(benches);
