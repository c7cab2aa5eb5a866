//! The HTTP load run: starts the real binary on a scratch copy of the
//! `large` data set on loopback, signs in a session per demo user, then
//! times a mix of reads (list page with its total, search, customer page,
//! board) and activity creates at 1, 10 and 50 concurrent clients, and
//! creates alone at 50; then issue 16's worst cases, each alone at 50
//! clients, for the admin and for a rep: everyone's list page 7 by name and
//! in the default order, and the searches `138` and `科技`; then issue 12's
//! dashboards the same way: each report API and each dashboard page alone
//! at 50 clients. Prints JSON for `cargo xtask bench`.
//!
//! With `--soak MINUTES` it runs only the office mix at 50 clients for that
//! long instead (issue 14's soak, `cargo xtask soak`), minute by minute,
//! with the server's memory after each minute.
//!
//! `cargo run --release -p guanxi-bench --bin load -- --bin target/release/guanxi [--seconds N] [--worst-only | --reports-only | --money-only | --soak MINUTES]`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use guanxi_bench::Dataset;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::Value;

const CLIENTS: [usize; 3] = [1, 10, 50];

/// The read/write mix of an office day, in percent.
const MIX: [(Kind, u32); 5] = [
    (Kind::List, 30),
    (Kind::Search, 20),
    (Kind::Customer, 25),
    (Kind::Board, 15),
    (Kind::CreateActivity, 10),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    List,
    Search,
    Customer,
    Board,
    CreateActivity,
}

#[derive(Serialize)]
struct Latency {
    count: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
}

/// Issue 16's worst cases: (name, path and query).
const WORST: [(&str, &str); 4] = [
    ("list_by_name", "/api/v1/customers?page=7&sort=name"),
    ("list_default", "/api/v1/customers?page=7"),
    ("search_138", "/api/v1/search?q=138"),
    ("search_keji", "/api/v1/search?q=%E7%A7%91%E6%8A%80"),
];

/// Issues 12's and 15's dashboards: (name, path and query; `{pipeline}` is the
/// first pipeline's id, `{target}` the reader's first target (the admin's
/// is the company's revenue), `{rep}` the signed-in rep). The pages are the
/// server-rendered HTML a person opens; the API answers are the numbers
/// behind their charts.
const REPORTS: [(&str, &str); 20] = [
    (
        "api_funnel",
        "/api/v1/reports/funnel?period=quarter&pipeline={pipeline}",
    ),
    (
        "api_conversion",
        "/api/v1/reports/conversion?period=quarter&pipeline={pipeline}",
    ),
    (
        "api_forecast",
        "/api/v1/reports/forecast?model=stage&pipeline={pipeline}",
    ),
    ("api_activity", "/api/v1/reports/activity?period=quarter"),
    ("api_workbench", "/api/v1/reports/workbench"),
    (
        "page_pipeline",
        "/reports/pipeline?period=quarter&pipeline={pipeline}",
    ),
    ("page_activity", "/reports/activity?period=quarter"),
    ("page_workbench", "/"),
    ("api_kpis", "/api/v1/reports/kpis?period=quarter"),
    ("api_cohorts", "/api/v1/reports/cohorts"),
    ("page_customers", "/reports/customers?period=quarter"),
    ("api_revenue", "/api/v1/reports/revenue?period=quarter"),
    ("api_payments", "/api/v1/reports/payments?period=quarter"),
    ("api_expenses", "/api/v1/reports/expenses?period=quarter"),
    ("api_receivables_trend", "/api/v1/reports/receivables"),
    ("page_revenue", "/reports/revenue?period=quarter"),
    ("api_target_progress", "/api/v1/targets/{target}/progress"),
    ("api_planner", "/api/v1/planner?scope=rep&subject={rep}"),
    ("page_targets", "/targets"),
    ("page_target_progress", "/targets/{target}"),
];

/// Issue 11's money reads: (name, path; `{customer}` is the customer with
/// the most contracts, `{product}` the product with the most deliveries).
const MONEY: [(&str, &str); 6] = [
    ("contract_list", "/api/v1/contracts?page=2"),
    ("receivables", "/api/v1/receivables"),
    (
        "customer_contracts",
        "/api/v1/contracts?customer={customer}",
    ),
    ("customer_page", "/customers/{customer}"),
    ("product_margin", "/api/v1/products/{product}/margin"),
    ("product_report", "/api/v1/reports/products?period=quarter"),
];

#[derive(Serialize)]
struct Phase {
    name: String,
    clients: usize,
    seconds: f64,
    requests: usize,
    errors: usize,
    /// The first few failures, as "request: status or error".
    error_samples: Vec<String>,
    per_second: f64,
    by_kind: BTreeMap<String, Latency>,
}

#[derive(Serialize)]
struct Report {
    start_to_serving_ms: f64,
    /// Until the admin's first customer list page came back: the server
    /// answers before its customer directory is loaded, lists wait for it.
    start_to_lists_ms: f64,
    rss_after_start_mb: f64,
    rss_end_mb: f64,
    rss_peak_mb: f64,
    data_file_bytes: u64,
    /// What the file takes on disk: redb grows it sparsely, in steps.
    data_file_disk_bytes: u64,
    phases: Vec<Phase>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    soak: Vec<SoakMinute>,
}

/// One minute of the soak: the office mix at 50 clients.
#[derive(Serialize)]
struct SoakMinute {
    minute: u32,
    requests: usize,
    errors: usize,
    error_samples: Vec<String>,
    /// Over every kind of request of the minute.
    p50_ms: f64,
    p95_ms: f64,
    /// The server's resident memory at the end of the minute, and its peak so far.
    rss_mb: f64,
    rss_peak_mb: f64,
}

/// One signed-in user and what they can see.
struct Session {
    client: reqwest::Client,
    rep: bool,
    customers: Vec<String>,
    regions: Vec<String>,
    names: Vec<String>,
}

struct Target {
    base: String,
    pipeline: String,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut binary = PathBuf::from("target/release/guanxi");
    let mut seconds = 10u64;
    let mut only = Only::All;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bin" => binary = args.next().context("--bin PATH")?.into(),
            "--seconds" => seconds = args.next().context("--seconds N")?.parse()?,
            "--worst-only" => only = Only::Worst,
            "--reports-only" => only = Only::Reports,
            "--money-only" => only = Only::Money,
            "--soak" => only = Only::Soak(args.next().context("--soak MINUTES")?.parse()?),
            "--path" => only = Only::Path(args.next().context("--path /PATH?QUERY")?),
            other => bail!("unknown argument {other}"),
        }
    }
    let data = Dataset::large()?;
    let scratch = data.scratch_copy("load")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(scratch.dir.join("server.log"))?;
    let started = Instant::now();
    let mut server = Command::new(&binary)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(scratch.data_dir())
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .with_context(|| format!("start {}", binary.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(
        &base,
        started,
        &server,
        Duration::from_secs(seconds),
        only,
    ));
    stop(&mut server);
    // Kept beside the data set: the scratch copy goes when this returns.
    let kept_log = data.dir.with_file_name("load-server.log");
    let _ = std::fs::copy(scratch.dir.join("server.log"), &kept_log);
    eprintln!("server log: {}", kept_log.display());
    let mut report = result.map_err(|e| {
        let log = std::fs::read_to_string(scratch.dir.join("server.log")).unwrap_or_default();
        e.context(format!("server log:\n{log}"))
    })?;
    let file = std::fs::metadata(scratch.data_dir().join(guanxi_core::store::DB_FILE))?;
    report.data_file_bytes = file.len();
    report.data_file_disk_bytes = std::os::unix::fs::MetadataExt::blocks(&file) * 512;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Which phases a run has.
#[derive(Clone, PartialEq, Eq)]
enum Only {
    All,
    Worst,
    Reports,
    Money,
    Soak(u32),
    /// One request (`{pipeline}` filled in), alone at 50 clients as the
    /// admin and as a rep: to look at one page while changing it.
    Path(String),
}

fn stop(server: &mut Child) {
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    let _ = server.wait();
}

async fn run(
    base: &str,
    started: Instant,
    server: &Child,
    run_for: Duration,
    only: Only,
) -> Result<Report> {
    let probe = reqwest::Client::new();
    loop {
        if let Ok(r) = probe.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not answer within a minute");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let start_to_serving_ms = started.elapsed().as_secs_f64() * 1e3;
    let admin = sign_in(base, guanxi_core::demo::ADMIN_EMAIL).await?;
    get_json(&admin, &format!("{base}/api/v1/customers")).await?;
    let start_to_lists_ms = started.elapsed().as_secs_f64() * 1e3;
    // The deals for the boards load after the directory; let them finish.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = server.id();
    let rss_after_start_mb = rss(pid, "VmRSS");

    let users: Value = get_json(&admin, &format!("{base}/api/v1/users")).await?;
    let pipelines: Value = get_json(&admin, &format!("{base}/api/v1/pipelines")).await?;
    let pipeline = pipelines[0]["id"]
        .as_str()
        .context("a pipeline id")?
        .to_string();
    let emails: Vec<(String, bool)> = users
        .as_array()
        .context("users")?
        .iter()
        .filter_map(|u| {
            let rep = u["role"]
                .as_str()
                .is_some_and(|r| r.eq_ignore_ascii_case("rep"));
            u["email"].as_str().map(|e| (e.to_string(), rep))
        })
        .collect();
    eprintln!("signing in {} users…", emails.len());
    let mut sessions = Vec::new();
    for (email, rep) in &emails {
        let client = sign_in(base, email).await?;
        let mut customers = Vec::new();
        let mut regions = Vec::new();
        let mut names = Vec::new();
        for page in 0..3 {
            let list = get_json(&client, &format!("{base}/api/v1/customers?page={page}")).await?;
            for c in list["items"].as_array().into_iter().flatten() {
                customers.extend(c["id"].as_str().map(str::to_string));
                regions.extend(c["region"].as_str().map(str::to_string));
                names.extend(
                    c["name"]
                        .as_str()
                        .map(|n| n.chars().skip(2).take(3).collect()),
                );
            }
        }
        if customers.is_empty() {
            bail!("{email} sees no customers");
        }
        sessions.push(Session {
            client,
            rep: *rep,
            customers,
            regions,
            names,
        });
    }
    let target = Target {
        base: base.to_string(),
        pipeline,
    };
    let admin_session = Session {
        client: admin,
        rep: false,
        customers: Vec::new(),
        regions: Vec::new(),
        names: Vec::new(),
    };
    let rep_session = sessions.iter().find(|s| s.rep).context("a signed-in rep")?;
    let both = [("admin", &admin_session), ("rep", rep_session)];
    let mut phases = Vec::new();
    let mut soak_minutes = Vec::new();
    match &only {
        Only::Path(path) => {
            let path = path.replace("{pipeline}", &target.pipeline);
            for (who, session) in both {
                eprintln!("{path} as the {who}, 50 clients…");
                phases.push(worst_phase(&target, session, who, "path", &path, run_for).await);
            }
        }
        Only::Soak(minutes) => soak_minutes = soak(&target, &sessions, *minutes, pid).await,
        _ => {}
    }
    if matches!(only, Only::All | Only::Money) {
        money_phases(&target, &admin_session.client, run_for, &mut phases).await?;
    }
    if only == Only::All {
        for clients in CLIENTS {
            eprintln!("mixed, {clients} clients…");
            phases.push(phase(&target, &sessions, clients, run_for, false).await);
        }
        eprintln!("creates, 50 clients…");
        phases.push(phase(&target, &sessions, 50, run_for, true).await);
    }
    if matches!(only, Only::All | Only::Worst) {
        for (who, session) in both {
            for (question, path) in WORST {
                eprintln!("{question} as the {who}, 50 clients…");
                phases.push(worst_phase(&target, session, who, question, path, run_for).await);
            }
        }
    }
    if matches!(only, Only::All | Only::Reports) {
        let (_, rep) = first_target(base, &rep_session.client, "rep").await?;
        for (who, session) in both {
            let scope = if session.rep { "rep" } else { "company" };
            let (first, _) = first_target(base, &session.client, scope).await?;
            for (question, path) in REPORTS {
                eprintln!("{question} as the {who}, 50 clients…");
                let path = path
                    .replace("{pipeline}", &target.pipeline)
                    .replace("{target}", &first)
                    .replace("{rep}", &rep);
                let mut phase = worst_phase(&target, session, who, question, &path, run_for).await;
                phase.name = format!("report {question} ({who})");
                phases.push(phase);
            }
        }
    }
    Ok(Report {
        start_to_serving_ms,
        start_to_lists_ms,
        rss_after_start_mb,
        rss_end_mb: rss(pid, "VmRSS"),
        rss_peak_mb: rss(pid, "VmHWM"),
        data_file_bytes: 0,
        data_file_disk_bytes: 0,
        phases,
        soak: soak_minutes,
    })
}

/// The office mix at 50 clients without a pause for `minutes`, measured
/// minute by minute: the clients of one minute finish their request in
/// flight and the next minute's start at once.
async fn soak(target: &Target, sessions: &[Session], minutes: u32, pid: u32) -> Vec<SoakMinute> {
    let mut out = Vec::new();
    for minute in 1..=minutes {
        eprintln!("soak, minute {minute} of {minutes}…");
        let deadline = Instant::now() + Duration::from_secs(60);
        let workers = (0..50).map(|i| {
            let seed = u64::from(minute) * 1000 + i as u64;
            client_loop(target, &sessions[i % sessions.len()], deadline, false, seed)
        });
        let results = futures::future::join_all(workers).await;
        let mut took = Vec::new();
        let mut errors = 0;
        let mut error_samples = Vec::new();
        for (kind, duration, failure) in results.into_iter().flatten() {
            match failure {
                None => took.push(duration),
                Some(why) => {
                    errors += 1;
                    if error_samples.len() < 5 {
                        error_samples.push(format!("{}: {why}", kind_name(kind)));
                    }
                }
            }
        }
        took.sort();
        let at = |q: f64| {
            let i = ((took.len() as f64 * q).ceil() as usize).clamp(1, took.len().max(1)) - 1;
            took.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        out.push(SoakMinute {
            minute,
            requests: took.len(),
            errors,
            error_samples,
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            rss_mb: rss(pid, "VmRSS"),
            rss_peak_mb: rss(pid, "VmHWM"),
        });
    }
    out
}

/// Issue 11: each money read alone at 50 clients as the admin (who sees
/// every contract); direct orders of five lines with a plan at 50 clients;
/// then purchases of the busiest product backdated before its last 1,000
/// deliveries, one after another, each followed by its margin (FIFO).
async fn money_phases(
    target: &Target,
    admin: &reqwest::Client,
    run_for: Duration,
    phases: &mut Vec<Phase>,
) -> Result<()> {
    let data = Dataset::large()?;
    let baseline = guanxi_bench::Baseline::open(&data.sqlite_path())?;
    let customer = baseline
        .customers_with_most_contracts(1)?
        .first()
        .context("a customer with contracts")?
        .to_string();
    let busiest = baseline.busiest_products(6)?;
    let product = busiest.first().context("a product")?.to_string();
    let backdate = baseline
        .day_before_deliveries(busiest[0], guanxi_bench::workload::REPRICED)?
        .context("1,000 deliveries")?;
    drop(baseline);
    let session = Session {
        client: admin.clone(),
        rep: false,
        customers: Vec::new(),
        regions: Vec::new(),
        names: Vec::new(),
    };
    for (question, path) in MONEY {
        eprintln!("{question} as the admin, 50 clients…");
        let path = path
            .replace("{customer}", &customer)
            .replace("{product}", &product);
        let mut phase = worst_phase(target, &session, "admin", question, &path, run_for).await;
        phase.name = format!("money {question}");
        phases.push(phase);
    }

    eprintln!("direct orders, 50 clients…");
    let lines: Vec<Value> = busiest
        .iter()
        .skip(1)
        .take(5)
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "product_id": p.to_string(),
                "quantity": (i + 1).to_string(),
                "unit_price": "1,000",
            })
        })
        .collect();
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).context("UTC+8")?)
        .date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let order = serde_json::json!({
        "customer_id": customer,
        "terms": {
            "title": "压测订单",
            "tax_rate": "0",
            "lines": lines,
            "plan": [
                { "due": day(0), "amount": "5,000" },
                { "due": day(30), "amount": "5,000" },
                { "due": day(60), "amount": "5,000" },
            ],
        },
    });
    let started = Instant::now();
    let deadline = started + run_for;
    let url = format!("{}/api/v1/contracts", target.base);
    let workers = (0..50).map(|_| async {
        let mut out = Vec::new();
        while Instant::now() < deadline {
            let sent = Instant::now();
            let request = admin.post(&url).header("Origin", &target.base).json(&order);
            let failure = outcome(request.send().await).await;
            out.push(("create_contract".to_string(), sent.elapsed(), failure));
        }
        out
    });
    let results = futures::future::join_all(workers).await;
    phases.push(summarize(
        "money create_contract",
        50,
        started,
        results.into_iter().flatten(),
    ));

    eprintln!("backdated stock-ins, one client…");
    // FIFO, as the figure asks.
    let settings: Value =
        get_json(admin, &format!("{}/api/v1/sales-settings", target.base)).await?;
    let mut form = settings.clone();
    form["cost_method"] = Value::from("fifo");
    for key in ["default_tax_rate", "discount_limit"] {
        form[key] = Value::from(format!(
            "{}",
            settings[key].as_f64().unwrap_or_default() / 100.0
        ));
    }
    form["contract_approval_amount"] = Value::from(format!(
        "{:.2}",
        settings["contract_approval_amount"]
            .as_f64()
            .unwrap_or_default()
            / 100.0
    ));
    let set = admin
        .put(format!("{}/api/v1/sales-settings", target.base))
        .header("Origin", &target.base)
        .json(&form)
        .send()
        .await?;
    if !set.status().is_success() {
        bail!(
            "setting FIFO: {} {}",
            set.status(),
            set.text().await.unwrap_or_default()
        );
    }
    let started = Instant::now();
    let deadline = started + run_for;
    let mut results = Vec::new();
    while Instant::now() < deadline {
        let sent = Instant::now();
        let request = admin
            .post(format!("{}/api/v1/stock-moves/purchases", target.base))
            .header("Origin", &target.base)
            .json(&serde_json::json!({
                "product_id": product,
                "quantity": "1",
                "unit_cost": "1.00",
                "date": backdate,
            }));
        let mut failure = outcome(request.send().await).await;
        if failure.is_none() {
            failure = outcome(
                admin
                    .get(format!("{}/api/v1/products/{product}/margin", target.base))
                    .send()
                    .await,
            )
            .await;
        }
        results.push(("backdated_stock_in".to_string(), sent.elapsed(), failure));
    }
    phases.push(summarize(
        "money backdated_stock_in",
        1,
        started,
        results.into_iter(),
    ));
    Ok(())
}

async fn phase(
    target: &Target,
    sessions: &[Session],
    clients: usize,
    run_for: Duration,
    creates_only: bool,
) -> Phase {
    let started = Instant::now();
    let deadline = started + run_for;
    let workers = (0..clients).map(|i| {
        let session = &sessions[i % sessions.len()];
        client_loop(target, session, deadline, creates_only, i as u64)
    });
    let results = futures::future::join_all(workers).await;
    let name = if creates_only { "creates" } else { "mixed" };
    let results = results
        .into_iter()
        .flatten()
        .map(|(kind, took, failure)| (kind_name(kind), took, failure));
    summarize(name, clients, started, results)
}

fn kind_name(kind: Kind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One request alone, from 50 clients of one session.
async fn worst_phase(
    target: &Target,
    session: &Session,
    who: &str,
    question: &str,
    path: &str,
    run_for: Duration,
) -> Phase {
    let started = Instant::now();
    let deadline = started + run_for;
    let url = format!("{}{path}", target.base);
    let kind = format!("{question}_{who}");
    let workers = (0..50).map(|_| async {
        let mut out = Vec::new();
        while Instant::now() < deadline {
            let sent = Instant::now();
            let failure = outcome(session.client.get(&url).send().await).await;
            out.push((kind.clone(), sent.elapsed(), failure));
        }
        out
    });
    let results = futures::future::join_all(workers).await;
    summarize(
        &format!("worst {question} ({who})"),
        50,
        started,
        results.into_iter().flatten(),
    )
}

fn summarize(
    name: &str,
    clients: usize,
    started: Instant,
    results: impl Iterator<Item = (String, Duration, Option<String>)>,
) -> Phase {
    let seconds = started.elapsed().as_secs_f64();
    let mut by_kind: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    let mut errors = 0;
    let mut error_samples = Vec::new();
    for (kind, took, failure) in results {
        match failure {
            None => by_kind.entry(kind).or_default().push(took),
            Some(why) => {
                errors += 1;
                if error_samples.len() < 5 {
                    error_samples.push(format!("{kind}: {why}"));
                }
            }
        }
    }
    let requests = by_kind.values().map(Vec::len).sum::<usize>();
    Phase {
        name: name.into(),
        clients,
        seconds,
        requests,
        errors,
        error_samples,
        per_second: requests as f64 / seconds,
        by_kind: by_kind
            .into_iter()
            .map(|(kind, mut all)| {
                all.sort();
                let at = |q: f64| {
                    let i = ((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1;
                    all[i].as_secs_f64() * 1e3
                };
                let latency = Latency {
                    count: all.len(),
                    p50_ms: at(0.50),
                    p95_ms: at(0.95),
                    p99_ms: at(0.99),
                };
                (kind, latency)
            })
            .collect(),
    }
}

async fn client_loop(
    target: &Target,
    session: &Session,
    deadline: Instant,
    creates_only: bool,
    seed: u64,
) -> Vec<(Kind, Duration, Option<String>)> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut n = 0u64;
    while Instant::now() < deadline {
        let kind = if creates_only {
            Kind::CreateActivity
        } else {
            pick(&mut rng)
        };
        let base = &target.base;
        let client = &session.client;
        let customer = &session.customers[rng.random_range(0..session.customers.len())];
        let request = match kind {
            Kind::List => {
                let mut url = format!(
                    "{base}/api/v1/customers?sort=name&page={}",
                    rng.random_range(0..5)
                );
                if !session.regions.is_empty() {
                    let region = &session.regions[rng.random_range(0..session.regions.len())];
                    url.push_str(&format!("&region={}", encode(region)));
                }
                client.get(url)
            }
            Kind::Search => {
                let q = &session.names[rng.random_range(0..session.names.len())];
                client.get(format!("{base}/api/v1/search?q={}", encode(q)))
            }
            // The page a person opens: server-rendered with everything on it.
            Kind::Customer => client.get(format!("{base}/customers/{customer}")),
            Kind::Board => client.get(format!("{base}/api/v1/pipelines/{}/board", target.pipeline)),
            Kind::CreateActivity => {
                n += 1;
                client
                    .post(format!("{base}/api/v1/activities"))
                    .header("Origin", base)
                    .json(&serde_json::json!({
                        "kind": "call",
                        "customer_id": customer,
                        "contact_id": null,
                        "at": null,
                        "duration_minutes": 3,
                        "text": format!("压测电话 {seed}-{n}"),
                    }))
            }
        };
        let sent = Instant::now();
        let failure = outcome(request.send().await).await;
        out.push((kind, sent.elapsed(), failure));
    }
    out
}

/// `None` for a success read to its end, else why not.
async fn outcome(sent: reqwest::Result<reqwest::Response>) -> Option<String> {
    match sent {
        Ok(response) => {
            let status = response.status();
            let body = response.bytes().await;
            match (status.is_success(), body) {
                (true, Ok(_)) => None,
                (false, body) => Some(format!(
                    "{status} {}",
                    String::from_utf8_lossy(&body.unwrap_or_default())
                        .chars()
                        .take(200)
                        .collect::<String>()
                )),
                (true, Err(e)) => Some(e.to_string()),
            }
        }
        Err(e) => Some(e.to_string()),
    }
}

fn pick(rng: &mut SmallRng) -> Kind {
    let mut roll = rng.random_range(0..100);
    for (kind, weight) in MIX {
        if roll < weight {
            return kind;
        }
        roll -= weight;
    }
    Kind::List
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn sign_in(base: &str, email: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let response = client
        .post(format!("{base}/api/log_in"))
        .header("Origin", base)
        .form(&[("email", email), ("password", guanxi_core::demo::PASSWORD)])
        .send()
        .await?;
    if !response.status().is_success() {
        bail!("signing in {email}: {}", response.status());
    }
    Ok(client)
}

/// The id of the first revenue target of `scope` the reader sees this
/// year, and its subject (a rep's id, empty for the company's).
async fn first_target(
    base: &str,
    client: &reqwest::Client,
    scope: &str,
) -> Result<(String, String)> {
    let list = get_json(client, &format!("{base}/api/v1/targets")).await?;
    let target = list
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["scope"] == scope && t["measure"] == "revenue")
        .with_context(|| format!("no {scope} revenue target in the data set"))?;
    let text = |key: &str| target[key].as_str().unwrap_or_default().to_string();
    Ok((text("id"), text("subject_id")))
}

async fn get_json(client: &reqwest::Client, url: &str) -> Result<Value> {
    let response = client.get(url).send().await?;
    if !response.status().is_success() {
        bail!("{url}: {}", response.status());
    }
    Ok(response.json().await?)
}

/// A line of /proc/PID/status in MB.
fn rss(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
