//! Customers at 100,000: how long a spreadsheet import takes, and how fast a
//! filtered list page (with its exact total) and the search box answer.
//! Prints a Markdown table; `cargo bench -p guanxi-core --bench customers`.

use std::time::{Duration, Instant};

use guanxi_core::model::{DuplicateMode, Locale, SetupInput};
use guanxi_core::service::Guanxi;
use guanxi_core::store::{CustomerQuery, OwnerFilter, SortBy, Store};

const ROWS: usize = 100_000;
const CITIES: [&str; 8] = [
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京",
];
const WORDS: [&str; 10] = [
    "星辰", "明月", "云帆", "海蓝", "青山", "长江", "华夏", "天成", "博远", "启航",
];
const TRADES: [&str; 6] = ["科技", "贸易", "物流", "制造", "咨询", "食品"];

fn sheet() -> String {
    let mut csv = String::from("客户名称,客户类型,电话,邮箱,地区,行业,标签,联系人,职务\n");
    for n in 0..ROWS {
        let city = CITIES[n % CITIES.len()];
        let word = WORDS[(n / 8) % WORDS.len()];
        let trade = TRADES[(n / 80) % TRADES.len()];
        csv.push_str(&format!(
            "{city}{word}{trade}有限公司{n},潜在客户,1{:010},c{n}@example.cn,{city},{trade},{},联系人{n},经理\n",
            3_800_000_000u64 + n as u64,
            if n % 7 == 0 { "重点" } else { "" },
        ));
    }
    csv
}

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
    let bytes = sheet().into_bytes();
    println!("| What | Figure |\n|---|---|");
    println!("| CSV | {ROWS} rows, {:.1} MB |", bytes.len() as f64 / 1e6);

    let start = Instant::now();
    let preview = gx.upload_import(&admin, "bench.csv", &bytes).unwrap();
    let upload = start.elapsed();
    let start = Instant::now();
    let plan = gx
        .import_dry_run(
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
            &Default::default(),
        )
        .unwrap();
    let dry = start.elapsed();
    assert_eq!(plan.create, ROWS, "{:?}", plan.problems.first());
    let start = Instant::now();
    gx.run_import(
        &admin,
        preview.job,
        &preview.suggested,
        DuplicateMode::Skip,
        &Default::default(),
    )
    .unwrap();
    let import = start.elapsed();
    println!("| Upload and parse | {} |", ms(upload));
    println!("| Dry run | {} |", ms(dry));
    println!("| Import (durable, with contacts) | {} |", ms(import));
    println!(
        "| Data file after import | {:.0} MB |",
        std::fs::metadata(gx.store().path()).unwrap().len() as f64 / 1e6
    );

    let (gx, admin) = (&gx, &admin);
    let page = |query: CustomerQuery| {
        move || {
            let (total, rows) = gx.list_customers(admin, &query).unwrap();
            assert!(total > 0 && !rows.is_empty());
        }
    };
    let first = CustomerQuery {
        limit: 50,
        descending: true,
        ..Default::default()
    };
    let (p50, p95) = time(50, page(first.clone()));
    println!(
        "| List page 1, newest first, exact total | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let filtered = CustomerQuery {
        owner: OwnerFilter::Visible,
        region: "上海".into(),
        tag: "重点".into(),
        sort: SortBy::Name,
        offset: 500,
        limit: 50,
        ..Default::default()
    };
    let (p50, p95) = time(50, page(filtered));
    println!(
        "| List filtered by region and tag, by name, page 11 | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let text = CustomerQuery {
        text: "云帆物流".into(),
        ..first
    };
    let (p50, p95) = time(50, page(text));
    println!(
        "| List with text \"云帆物流\" | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = time(50, || {
        assert!(!gx.search(admin, "星辰科", 8).unwrap().is_empty());
    });
    println!(
        "| Header search \"星辰科\" | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = time(50, || {
        assert!(!gx.search(admin, "3800012", 8).unwrap().is_empty());
    });
    println!(
        "| Header search, partial phone | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let reopened = Store::open(dir.path());
    assert!(reopened.is_err(), "the first store still holds the folder");
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(gx.store().path(), copy.path().join("guanxi.redb")).unwrap();
    let start = Instant::now();
    let reopened = Store::open(copy.path()).unwrap();
    println!(
        "| Reopen with {} customers (directory rebuilt) | {} |",
        reopened.directory().len(),
        ms(start.elapsed())
    );
}
