//! Past orders at 100,000 rows: how long an order import takes (the issue's
//! target is under 30 s) into a company of 20,000 customers and 200
//! products, each order matched to its customer by name, phone or email.
//! Prints a Markdown table; `cargo bench -p guanxi-core --bench orders`.

use std::time::Instant;

use chrono::Utc;
use guanxi_core::model::{
    Customer, CustomerInput, DuplicateMode, Locale, ProductInput, SetupInput,
};
use guanxi_core::service::Guanxi;
use guanxi_core::store::{NewRecords, Store};

const ROWS: usize = 100_000;
const CUSTOMERS: usize = 20_000;
const PRODUCTS: usize = 200;
const CITIES: [&str; 8] = [
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京",
];

fn customer_name(n: usize) -> String {
    format!("{}客户{n}有限公司", CITIES[n % CITIES.len()])
}

fn phone(n: usize) -> String {
    format!("1{:010}", 3_800_000_000u64 + n as u64)
}

/// Orders of 2 or 3 lines in turn (100,000 rows make 40,000 orders), half
/// the lines by product code, the others free text at 5 % off; the customer by name, by phone every fifth order, by email every
/// seventh; six orders in ten partly paid, one in ten paid in full.
fn sheet() -> (String, usize) {
    let mut csv = String::from(
        "订单号,客户,签订日期,产品编码,品名,单位,数量,单价,折扣,税率,已回款,回款日期\n",
    );
    let (mut rows, mut orders) = (0, 0);
    while rows < ROWS {
        let n = orders;
        orders += 1;
        let c = (n * 7919) % CUSTOMERS;
        let who = match n {
            n if n % 7 == 0 => format!("c{c}@example.cn"),
            n if n % 5 == 0 => phone(c),
            _ => customer_name(c),
        };
        let date = format!("{}-{:02}-{:02}", 2019 + n % 7, 1 + n % 12, 1 + n % 28);
        let lines = 2 + n % 2;
        // Tax 0, so that a full payment is the lines' sum (in cents).
        let mut net = 0;
        let mut cells = Vec::new();
        for l in 0..lines {
            let quantity = 1 + (n + l) % 5;
            let price = 100 + (n * 13 + l * 29) % 5000;
            if (n + l) % 2 == 0 {
                net += quantity * price * 100;
                cells.push(format!("P{:04},,,{quantity},{price},", (n + l) % PRODUCTS));
            } else {
                net += quantity * price * 95;
                cells.push(format!(",服务{l},次,{quantity},{price},5"));
            }
        }
        let (received, on) = match n % 10 {
            0 => (format!("{}.{:02}", net / 100, net % 100), date.clone()),
            1..=6 => ("100".to_string(), String::new()),
            _ => (String::new(), String::new()),
        };
        for (l, line) in cells.iter().enumerate() {
            if rows == ROWS {
                break;
            }
            rows += 1;
            if l == 0 {
                csv.push_str(&format!("SO{n:06},{who},{date},{line},0,{received},{on}\n"));
            } else {
                csv.push_str(&format!("SO{n:06},,,{line},,,\n"));
            }
        }
    }
    (csv, orders)
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
    let now = Utc::now();
    let customers: Vec<(Customer, Vec<_>)> = (0..CUSTOMERS)
        .map(|n| {
            let input = CustomerInput {
                name: customer_name(n),
                customer_type: "signed".into(),
                phone: Some(phone(n)),
                email: Some(format!("c{n}@example.cn")),
                ..Default::default()
            };
            (Customer::new(input, Some(admin.id), admin.id, now), vec![])
        })
        .collect();
    for batch in customers.chunks(5000) {
        gx.store()
            .insert_bulk(&NewRecords {
                customers: batch.to_vec(),
                ..Default::default()
            })
            .unwrap();
    }
    for p in 0..PRODUCTS {
        gx.create_product(
            &admin,
            ProductInput {
                code: format!("P{p:04}"),
                name: format!("产品{p}"),
                unit: "台".into(),
                list_price: format!("{}", 100 + p * 10),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let (text, orders) = sheet();
    let bytes = text.into_bytes();
    println!("| What | Figure |\n|---|---|");
    println!(
        "| CSV | {ROWS} rows, {orders} orders, {:.1} MB; {CUSTOMERS} customers, {PRODUCTS} products |",
        bytes.len() as f64 / 1e6
    );
    let start = Instant::now();
    let preview = gx
        .upload_order_import(&admin, "orders.csv", &bytes)
        .unwrap();
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
    assert_eq!(
        (plan.create, plan.failed),
        (orders, 0),
        "{:?}",
        plan.problems.first()
    );
    let start = Instant::now();
    let done = gx
        .run_import(
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
            &Default::default(),
        )
        .unwrap();
    let import = start.elapsed();
    assert_eq!(done, plan);
    let secs = |d: std::time::Duration| format!("{:.2} s", d.as_secs_f64());
    println!("| Upload and parse | {} |", secs(upload));
    println!("| Dry run | {} |", secs(dry));
    println!(
        "| Import ({} orders, {} lines, {} payments, durable) | {} |",
        done.create,
        done.lines,
        done.payments,
        secs(import)
    );
    println!(
        "| Upload, dry run and import | {} |",
        secs(upload + dry + import)
    );
    println!(
        "| Data file after import | {:.0} MB |",
        std::fs::metadata(gx.store().path()).unwrap().len() as f64 / 1e6
    );
}
