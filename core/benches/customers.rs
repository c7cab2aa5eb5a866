//! Customers at 100,000: how long a spreadsheet import takes, and how fast a
//! filtered list page (with its exact total) and the search box answer,
//! then the search box again with 50,000 deals to find as well.
//! Prints a Markdown table; `cargo bench -p guanxi-core --bench customers`.

use std::time::{Duration, Instant};

use chrono::Utc;
use guanxi_core::model::{
    Cents, Deal, DealStatus, DuplicateMode, Id, Locale, OwnerShare, SetupInput, StageChange,
};
use guanxi_core::service::Guanxi;
use guanxi_core::store::{CustomerQuery, NewDeal, NewRecords, OwnerFilter, SortBy, Store};

const ROWS: usize = 100_000;
const DEALS: usize = 50_000;
const PRODUCTS: [&str; 5] = ["ERP", "CRM", "OA", "MES", "WMS"];
const WORKS: [&str; 7] = ["升级", "实施", "采购", "运维", "扩容", "迁移", "培训"];
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

    // 50,000 deals on half the customers, loaded in one batch as demo data
    // is: the search box then finds deals by title and by customer too.
    let customers = gx.visible_customers(admin).unwrap();
    let pipeline = gx.pipelines().unwrap().remove(0);
    let now = Utc::now();
    let deals: Vec<NewDeal> = (0..DEALS)
        .map(|n| {
            let deal = Deal {
                id: Id::generate(),
                pipeline_id: pipeline.id,
                stage_id: pipeline.stages[n % 5].id,
                customer_id: customers[(n * 2) % customers.len()].id,
                title: format!("{}{}项目{n}", PRODUCTS[n % 5], WORKS[(n / 5) % 7]),
                amount: Cents(100_000 + n as i64),
                expected_close: None,
                confidence: 20,
                owners: vec![OwnerShare {
                    user: admin.id,
                    percent: 100,
                }],
                competitors: Vec::new(),
                requirements: None,
                solution: None,
                source_campaign: None,
                qualification: None,
                checklist_done: Default::default(),
                status: DealStatus::Open,
                close_reason: None,
                lost_to: None,
                stage_entered_at: now,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let created = StageChange {
                deal_id: deal.id,
                from: None,
                to: deal.stage_id,
                at: now,
                by: admin.id,
            };
            NewDeal {
                deal,
                history: vec![(Id::generate(), created)],
            }
        })
        .collect();
    gx.store()
        .insert_bulk(&NewRecords {
            deals,
            ..Default::default()
        })
        .unwrap();
    gx.store().warm_deal_boards().unwrap();
    let deal_hits = |text: &str| {
        gx.search(admin, text, 8)
            .unwrap()
            .iter()
            .filter(|h| h.deal_id.is_some())
            .count()
    };
    let (p50, p95) = time(50, || assert_eq!(deal_hits("星辰科"), 8));
    println!(
        "| Header search \"星辰科\" with {DEALS} deals (customer names) | p50 {} · p95 {} |",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = time(50, || assert_eq!(deal_hits("实施项"), 8));
    println!(
        "| Header search \"实施项\" with {DEALS} deals (deal titles) | p50 {} · p95 {} |",
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
