//! A board of 10,000 open deals: how long one pipeline's board takes to
//! build with and without filters. Prints a Markdown table;
//! `cargo bench -p guanxi-core --bench board`.

use std::time::{Duration, Instant};

use guanxi_core::model::{BoardFilter, Cents, CustomerInput, DealInput, Locale, SetupInput};
use guanxi_core::service::Guanxi;
use guanxi_core::store::Store;

const DEALS: usize = 10_000;
const CUSTOMERS: usize = 500;

/// Median and 95th percentile of `runs` timings of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut all: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    all.sort();
    (all[runs / 2], all[runs * 95 / 100])
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let gx = Guanxi::new(Store::open(dir.path()).unwrap());
    let admin = gx
        .set_up(SetupInput {
            company_name: "基准测试".into(),
            currency: "CNY".into(),
            time_zone: "Asia/Shanghai".into(),
            default_locale: Locale::ZhCn,
            admin_name: "王总".into(),
            admin_email: "boss@example.cn".into(),
            admin_password: "bench password 1".into(),
        })
        .unwrap();
    let customers: Vec<_> = (0..CUSTOMERS)
        .map(|n| {
            let input = CustomerInput {
                name: format!("星辰科技有限公司{n}"),
                ..Default::default()
            };
            gx.create_customer(&admin, input, vec![], true).unwrap().id
        })
        .collect();
    let pipeline = gx.pipelines().unwrap().remove(0);
    let open: Vec<_> = pipeline.open_stages().map(|s| s.id).collect();
    let start = Instant::now();
    for n in 0..DEALS {
        let input = DealInput {
            customer_id: Some(customers[n % CUSTOMERS]),
            stage_id: Some(open[n % open.len()]),
            title: format!("ERP 项目 {n}"),
            amount: format!("{}.50", 1000 + n * 37 % 500_000),
            expected_close: chrono::NaiveDate::from_ymd_opt(2026, 1 + (n % 12) as u32, 15),
            ..Default::default()
        };
        gx.create_deal(&admin, input).unwrap();
    }
    println!("| What | Figure |\n|---|---|");
    println!(
        "| Create {DEALS} deals (durable, one by one) | {} |",
        ms(start.elapsed())
    );

    let (gx, admin) = (&gx, &admin);
    let board = |filter: BoardFilter| {
        move || {
            let board = gx
                .board(admin, pipeline.id, chrono::Utc::now(), &filter)
                .unwrap();
            assert!(board.columns.iter().map(|c| c.count).sum::<u32>() > 0);
        }
    };
    let (p50, p95) = time(30, board(BoardFilter::default()));
    println!(
        "| Board of {DEALS} open deals, 50 cards a column | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let filtered = BoardFilter {
        close_month: Some("2026-03".into()),
        min_amount: Some(Cents(10_000_000)),
        ..Default::default()
    };
    let (p50, p95) = time(30, board(filtered));
    println!(
        "| Board filtered by month and amount | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
}
