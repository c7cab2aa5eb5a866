//! `cargo xtask bench`: issue 5's suite in one command. Builds the release
//! binary, runs the criterion store benches (redb beside SQLite) and the
//! HTTP load run on the `large` data set, the import and board benches of
//! the core crate, and writes everything to docs/BENCHMARKS.md.

use std::fmt::Write as _;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::figures::{chrono_like_today, memory_total};
use crate::{cargo, root, run, target_dir};

/// Criterion benches: (group/function, what it is).
const STORE: [(&str, &str); 6] = [
    (
        "read/list",
        "List page 3, region and tag filter, by name, with exact total",
    ),
    ("read/search", "Header search, three characters of a name"),
    (
        "read/search_deals",
        "Header search, three characters of a deal title (customers, contacts and deals)",
    ),
    (
        "read/customer_360",
        "Customer page data (record, contacts, files, 20 newest timeline entries, deals)",
    ),
    (
        "read/board",
        "Board of the pipeline: column totals over all deals, 50 cards per column",
    ),
    (
        "write/log_activity",
        "Log a call, durable commit, one writer",
    ),
];

/// Issue 16's worst cases in criterion (`worst/<id>_<who>`), beside SQLite.
const WORST_STORE: [(&str, &str); 4] = [
    (
        "by_name",
        "Everyone's list, page 7 by name, with exact total",
    ),
    (
        "default",
        "Everyone's list, page 7 in the default order, with exact total",
    ),
    (
        "search_phone_138",
        "Header search `138` (a phone prefix nearly every row holds)",
    ),
    ("search_keji", "Header search `科技`"),
];

/// Issue 12's dashboards in criterion (`reports/<id>_<who>`); SQLite
/// answers the admin's question where it has one.
const REPORT_STORE: [(&str, &str, bool); 6] = [
    (
        "funnel",
        "Funnel of the pipeline now and 90 days ago (rebuilt from the stage history), deals won and lost this quarter",
        true,
    ),
    (
        "conversion",
        "Stage-to-stage conversion of this quarter's deals, win rates per rep, lost-to",
        true,
    ),
    (
        "forecast",
        "Forecast of the next six months by confidence and by the learned stage-transition model",
        false,
    ),
    (
        "activity",
        "Activities per day, rep and kind this quarter, the quarter before, a year before, and the 12-week trend for anomalies",
        true,
    ),
    (
        "kpis",
        "Customer KPIs of the quarter against the quarter before and a year before",
        false,
    ),
    (
        "cohorts",
        "Customers by year created and type now, days to the first win",
        false,
    ),
];

/// p95 at 50 clients that issue 12 asks of each report API and dashboard
/// page, in ms.
const REPORT_P95_MS: f64 = 50.0;

/// p95 at 50 clients that issue 16 asks of each worst case, in ms.
const WORST_P95_MS: f64 = 25.0;

/// Issue 11's money questions in the store bench: (criterion id, label).
const MONEY_STORE: [(&str, &str); 9] = [
    (
        "contract_list",
        "Contract list, page 3 of everyone's, with the total",
    ),
    (
        "receivables",
        "Receivables with aging, per customer and rep",
    ),
    (
        "customer_money",
        "A customer's 360° page with its contracts, what it owes by age and its expenses",
    ),
    (
        "product_margin",
        "The busiest product's margin (all its deliveries)",
    ),
    (
        "revenue_report",
        "Issue 15: the quarter's revenue report for the admin (trend, payments, expenses, by owner, region and top customers), worked out afresh",
    ),
    (
        "collection_trend",
        "Issue 15: the receivables trend with the collection rate (Guanxi: kept between writes)",
    ),
    (
        "target_progress",
        "Issue 15: the company's revenue target to date (month, quarter, year, and last year's same days)",
    ),
    (
        "create_contract",
        "Direct order of 5 lines with a 3-installment plan (durable)",
    ),
    (
        "backdated_stock_in",
        "Stock-in backdated before 1,000 deliveries, then the margin (FIFO, durable)",
    ),
];

/// p95 that issue 11 asks of the money reads at 50 clients, in ms.
const MONEY_P95_MS: f64 = 50.0;

const KINDS: [(&str, &str); 5] = [
    ("list", "Customer list page (JSON, exact total)"),
    ("search", "Search (JSON)"),
    ("customer", "Customer 360° page (server-rendered HTML)"),
    ("board", "Board (JSON)"),
    ("create_activity", "Create activity (durable)"),
];

pub fn run_suite(seconds: u64) -> Result<()> {
    crate::build(true)?;
    run(cargo().args([
        "bench",
        "-p",
        "guanxi-bench",
        "--bench",
        "store",
        "--",
        "--noplot",
    ]))?;
    let binary = target_dir().join("release/guanxi");
    let output = cargo()
        .args([
            "run",
            "--release",
            "-p",
            "guanxi-bench",
            "--bin",
            "load",
            "--",
        ])
        .arg("--bin")
        .arg(&binary)
        .args(["--seconds", &seconds.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .context("run the load tool")?;
    if !output.status.success() {
        bail!("the load run failed");
    }
    let load: Value = serde_json::from_slice(&output.stdout).context("the load run's JSON")?;
    let import = capture(cargo().args(["bench", "-p", "guanxi-core", "--bench", "customers"]))?;
    let board = capture(cargo().args(["bench", "-p", "guanxi-core", "--bench", "board"]))?;
    let dataset: Value = serde_json::from_slice(
        &std::fs::read(dataset_dir().join("ready.json")).context("the data set's ready.json")?,
    )?;
    let mut report = write_report(&dataset, &load, &import, &board)?;
    let path = root().join("docs/BENCHMARKS.md");
    // What other commands wrote (the soak) and the hand-written history
    // stay below the figures this run replaces.
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if let Some(at) = old.find(KEPT) {
        report.push('\n');
        report.push_str(&old[at..]);
    }
    std::fs::write(&path, report)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Where the part of docs/BENCHMARKS.md that a full run keeps begins.
const KEPT: &str = "<!-- Kept by cargo xtask bench: the sections below are written by hand or by other commands. -->";
const SOAK_START: &str = "<!-- soak: written by cargo xtask soak -->";
const SOAK_END: &str = "<!-- /soak -->";

/// Issue 14's soak: the office mix at 50 clients on the `large` data set
/// for `minutes`, its section of docs/BENCHMARKS.md replaced.
pub fn run_soak(minutes: u32) -> Result<()> {
    crate::build(true)?;
    let binary = target_dir().join("release/guanxi");
    let output = cargo()
        .args([
            "run",
            "--release",
            "-p",
            "guanxi-bench",
            "--bin",
            "load",
            "--",
        ])
        .arg("--bin")
        .arg(&binary)
        .args(["--soak", &minutes.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .context("run the load tool")?;
    if !output.status.success() {
        bail!("the soak run failed");
    }
    let load: Value = serde_json::from_slice(&output.stdout).context("the soak run's JSON")?;
    let section = soak_section(&load)?;
    let path = root().join("docs/BENCHMARKS.md");
    let old = std::fs::read_to_string(&path)?;
    let new = match (old.find(SOAK_START), old.find(SOAK_END)) {
        (Some(start), Some(end)) => {
            format!("{}{section}{}", &old[..start], &old[end + SOAK_END.len()..])
        }
        _ if old.contains(KEPT) => old.replacen(KEPT, &format!("{KEPT}\n\n{section}"), 1),
        _ => format!("{old}\n{KEPT}\n\n{section}\n"),
    };
    std::fs::write(&path, new)?;
    println!("{section}");
    println!("wrote {}", path.display());
    Ok(())
}

/// The soak's section: a row per minute and the three verdicts issue 14
/// asks for (no errors; peak memory within 10 % of the first minute's;
/// p95 within 20 % of the first minute's, in the last minute and overall).
fn soak_section(load: &Value) -> Result<String> {
    let minutes = load["soak"].as_array().context("the soak's minutes")?;
    let first = minutes.first().context("a first minute")?;
    let last = minutes.last().context("a last minute")?;
    let num = |v: &Value, key: &str| v[key].as_f64().unwrap_or(0.0);
    let errors: f64 = minutes.iter().map(|m| num(m, "errors")).sum();
    let requests: f64 = minutes.iter().map(|m| num(m, "requests")).sum();
    let base_rss = num(first, "rss_mb");
    let peak = num(load, "rss_peak_mb");
    let base_p95 = num(first, "p95_ms");
    let worst_p95 = minutes.iter().map(|m| num(m, "p95_ms")).fold(0.0, f64::max);
    let last_p95 = num(last, "p95_ms");
    let mut md = String::new();
    writeln!(md, "{SOAK_START}")?;
    writeln!(
        md,
        "## Soak (issue 14): {} minutes at 50 clients
",
        minutes.len()
    )?;
    writeln!(
        md,
        "Written by `cargo xtask soak` on {} at commit {}. Machine: {}. The release binary \
         on a scratch copy of the `large` data set above; 50 clients signed in as the demo \
         users run the office mix of the HTTP table (list pages, searches, customer pages, \
         boards, 10 % activity creates) without pause; memory is the server's resident set \
         read from /proc after each minute.\n",
        chrono_like_today(),
        commit(),
        machine()
    )?;
    writeln!(
        md,
        "| Minute | Requests | Errors | p50 | p95 | Memory | Peak so far |"
    )?;
    writeln!(md, "|---|---|---|---|---|---|---|")?;
    for m in minutes {
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {:.0} MB | {:.0} MB |",
            m["minute"],
            m["requests"],
            m["errors"],
            ms(num(m, "p50_ms")),
            ms(num(m, "p95_ms")),
            num(m, "rss_mb"),
            num(m, "rss_peak_mb"),
        )?;
    }
    writeln!(md)?;
    writeln!(md, "| Target | Measured | Verdict |")?;
    writeln!(md, "|---|---|---|")?;
    writeln!(
        md,
        "| No errors | {errors:.0} of {requests:.0} requests | {} |",
        verdict(errors == 0.0)
    )?;
    writeln!(
        md,
        "| Peak memory within 10 % of the value after the first minute | {peak:.0} MB against {base_rss:.0} MB ({:+.1} %) | {} |",
        (peak / base_rss - 1.0) * 100.0,
        verdict(peak <= base_rss * 1.10)
    )?;
    writeln!(
        md,
        "| p95 within 20 % of the first minute's | first {}, last {} ({:+.1} %), worst minute {} | {} |",
        ms(base_p95),
        ms(last_p95),
        (last_p95 / base_p95 - 1.0) * 100.0,
        ms(worst_p95),
        verdict(last_p95 <= base_p95 * 1.20)
    )?;
    for m in minutes {
        for sample in m["error_samples"].as_array().into_iter().flatten() {
            writeln!(
                md,
                "\n- Failure in minute {}: {}",
                m["minute"],
                sample.as_str().unwrap_or_default()
            )?;
        }
    }
    write!(md, "{SOAK_END}")?;
    Ok(md)
}

fn dataset_dir() -> std::path::PathBuf {
    std::env::var_os("GUANXI_BENCH_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| target_dir().join("bench-data"))
        // As `guanxi_bench::Dataset::large` names it (seed 7, layout 3).
        .join("large-seed-7-layout-3")
}

fn disk_bytes(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| std::os::unix::fs::MetadataExt::blocks(&m) * 512)
}

fn capture(cmd: &mut Command) -> Result<String> {
    let output = cmd.stderr(Stdio::inherit()).output()?;
    if !output.status.success() {
        bail!("{cmd:?} failed");
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Criterion's median of one bench, in milliseconds.
fn median_ms(id: &str) -> Result<f64> {
    let path = target_dir()
        .join("criterion")
        .join(id)
        .join("new/estimates.json");
    let estimates: Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("read {}", path.display()))?,
    )?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .map(|ns| ns / 1e6)
        .context("a median")
}

fn ms(value: f64) -> String {
    if value < 1.0 {
        format!("{:.0} µs", value * 1e3)
    } else {
        format!("{value:.1} ms")
    }
}

fn count(v: &Value) -> String {
    let n = v.as_f64().unwrap_or_default() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = memory_total().unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory}")
}

fn commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn write_report(dataset: &Value, load: &Value, import: &str, board: &str) -> Result<String> {
    let phases = load["phases"].as_array().context("phases")?;
    let phase = |name: &str, clients: u64| {
        phases
            .iter()
            .find(|p| p["name"] == name && p["clients"] == clients)
    };
    let mixed50 = phase("mixed", 50).context("the mixed run at 50 clients")?;
    let creates = phase("creates", 50).context("the creates run")?;
    let store: Vec<(f64, f64)> = STORE
        .iter()
        .map(|(id, _)| {
            Ok((
                median_ms(&format!("{id}/redb"))?,
                median_ms(&format!("{id}/sqlite"))?,
            ))
        })
        .collect::<Result<_>>()?;
    let fsync = median_ms("write/fsync/4KiB")?;

    let mut md = String::new();
    writeln!(md, "# Benchmarks\n")?;
    writeln!(
        md,
        "Written by `cargo xtask bench` on {} at commit {}. Machine: {}; data on a \
         virtual disk. The load client runs on the same cores as the server.\n",
        chrono_like_today(),
        commit(),
        machine()
    )?;
    writeln!(
        md,
        "Data set: `guanxi demo-data --size large`, seed {}, history up to {}: {} users, {} \
         customers, {} contacts, {} deals ({} open), {} stage changes, {} activities, {} tasks. \
         Guanxi's file: {:.0} MB on disk ({:.0} MB apparent); the SQLite baseline's: {:.0} MB. \
         Made in {:.0} s (both databases, once; kept in `target/bench-data`).\n",
        dataset["seed"],
        dataset["today"].as_str().unwrap_or_default(),
        count(&dataset["users"]),
        count(&dataset["customers"]),
        count(&dataset["contacts"]),
        count(&dataset["deals"]),
        count(&dataset["open_deals"]),
        count(&dataset["stage_changes"]),
        count(&dataset["activities"]),
        count(&dataset["tasks"]),
        disk_bytes(&dataset_dir().join("guanxi/guanxi.redb")) as f64 / 1e6,
        dataset["redb_bytes"].as_f64().unwrap_or_default() / 1e6,
        dataset["sqlite_bytes"].as_f64().unwrap_or_default() / 1e6,
        dataset["generate_seconds"].as_f64().unwrap_or_default(),
    )?;

    writeln!(md, "## Targets\n")?;
    writeln!(md, "| Target (issue 5) | Measured | |\n|---|---|---|")?;
    for (kind, label) in KINDS.iter().take(4) {
        let p95 = mixed50["by_kind"][kind]["p95_ms"]
            .as_f64()
            .unwrap_or(f64::MAX);
        writeln!(
            md,
            "| {label}: p95 under 50 ms at 50 clients | {} | {} |",
            ms(p95),
            verdict(p95 < 50.0)
        )?;
    }
    let rps = mixed50["per_second"].as_f64().unwrap_or_default();
    writeln!(
        md,
        "| Mixed requests at 50 clients: 1,000/s | {rps:.0}/s | {} |",
        verdict(rps >= 1000.0)
    )?;
    let cps = creates["per_second"].as_f64().unwrap_or_default();
    writeln!(
        md,
        "| Durable activity creates at 50 clients: 2,000/s | {cps:.0}/s | {} |",
        verdict(cps >= 2000.0)
    )?;
    let insert = STORE
        .iter()
        .zip(&store)
        .find(|((id, _), _)| *id == "write/log_activity")
        .map_or(f64::MAX, |(_, (redb, _))| *redb);
    writeln!(
        md,
        "| Durable single insert within 3× one fsync ({}) | {} ({:.1}×) | {} |",
        ms(fsync),
        ms(insert),
        insert / fsync,
        verdict(insert <= 3.0 * fsync)
    )?;
    let start = load["start_to_serving_ms"].as_f64().unwrap_or_default();
    let lists = load["start_to_lists_ms"].as_f64().unwrap_or_default();
    writeln!(
        md,
        "| Start to serving under 1 s | {} to the first answer; {} to the first customer \
         list (the directory loads while the server answers) | {} |",
        ms(start),
        ms(lists),
        verdict(start < 1000.0)
    )?;
    let worst: Vec<&Value> = phases
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| n.starts_with("worst")))
        .collect();
    for p in &worst {
        for (kind, k) in p["by_kind"].as_object().into_iter().flatten() {
            let p95 = k["p95_ms"].as_f64().unwrap_or(f64::MAX);
            writeln!(
                md,
                "| `{kind}` alone (issue 16): p95 under {WORST_P95_MS:.0} ms at 50 clients | {} | {} |",
                ms(p95),
                verdict(p95 < WORST_P95_MS)
            )?;
        }
    }
    let reports: Vec<&Value> = phases
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| n.starts_with("report")))
        .collect();
    for p in &reports {
        for (kind, k) in p["by_kind"].as_object().into_iter().flatten() {
            let p95 = k["p95_ms"].as_f64().unwrap_or(f64::MAX);
            writeln!(
                md,
                "| `{kind}` alone (issues 12, 15): p95 under {REPORT_P95_MS:.0} ms at 50 clients | {} | {} |",
                ms(p95),
                verdict(p95 < REPORT_P95_MS)
            )?;
        }
    }
    for p in phases
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| n.starts_with("money")))
    {
        for (kind, k) in p["by_kind"].as_object().into_iter().flatten() {
            let p95 = k["p95_ms"].as_f64().unwrap_or(f64::MAX);
            let line = match kind.as_str() {
                "create_contract_admin" | "create_contract" => {
                    let rate = p["per_second"].as_f64().unwrap_or_default();
                    format!(
                        "| Direct orders of 5 lines with a plan (issue 11): 1,000/s at 50 clients | {rate:.0}/s (p95 {}) | {} |",
                        ms(p95),
                        verdict(rate >= 1000.0)
                    )
                }
                "backdated_stock_in" => format!(
                    "| Stock-in backdated before 1,000 deliveries, then the margin (issue 11): under 100 ms | p95 {} | {} |",
                    ms(p95),
                    verdict(p95 < 100.0)
                ),
                _ => format!(
                    "| `{kind}` alone (issue 11): p95 under {MONEY_P95_MS:.0} ms at 50 clients | {} | {} |",
                    ms(p95),
                    verdict(p95 < MONEY_P95_MS)
                ),
            };
            writeln!(md, "{line}")?;
        }
    }
    let peak = load["rss_peak_mb"].as_f64().unwrap_or_default();
    writeln!(
        md,
        "| Resident memory under 300 MB (issue 5; peak over the run) | {peak:.0} MB | {} |",
        verdict(peak < 300.0)
    )?;
    writeln!(
        md,
        "| Resident memory under 350 MB with the dashboards' aggregates (issue 12) | {peak:.0} MB | {} |",
        verdict(peak < 350.0)
    )?;
    writeln!(
        md,
        "| Data file size, recorded | {:.0} MB after the run (the run works on a full copy \
         of the data set's file) | |\n",
        load["data_file_bytes"].as_f64().unwrap_or_default() / 1e6
    )?;

    writeln!(md, "## Store, one thread (criterion medians)\n")?;
    writeln!(
        md,
        "The same question to Guanxi's service layer (redb and its in-memory directory) and \
         to SQLite with the indexes a competent developer would add (b-trees for every filter \
         and sort, FTS5 trigram for substring search, WAL with `synchronous=FULL`).\n"
    )?;
    writeln!(
        md,
        "| Question | Guanxi | SQLite | Guanxi ÷ SQLite |\n|---|---|---|---|"
    )?;
    for ((_, label), (redb, sqlite)) in STORE.iter().zip(&store) {
        writeln!(
            md,
            "| {label} | {} | {} | {:.2} |",
            ms(*redb),
            ms(*sqlite),
            redb / sqlite
        )?;
    }
    writeln!(
        md,
        "| fsync of 4 KiB on the same disk | {} | | |\n",
        ms(fsync)
    )?;
    writeln!(
        md,
        "Issue 16's worst cases: no filter narrows the list, and the search terms are held \
         by most rows. The rep sees their own customers and the pool.\n"
    )?;
    writeln!(
        md,
        "| Question | Who | Guanxi | SQLite | Guanxi ÷ SQLite |\n|---|---|---|---|---|"
    )?;
    for (id, label) in WORST_STORE {
        for who in ["admin", "rep"] {
            let redb = median_ms(&format!("worst/{id}_{who}/redb"))?;
            let sqlite = median_ms(&format!("worst/{id}_{who}/sqlite"))?;
            writeln!(
                md,
                "| {label} | {who} | {} | {} | {:.2} |",
                ms(redb),
                ms(sqlite),
                redb / sqlite
            )?;
        }
    }
    writeln!(md)?;
    writeln!(
        md,
        "The search term is three characters of the 101st busiest customer's name. Guanxi \
         finds substrings with an n-gram index over the directory's folded text (bigrams \
         where Chinese, trigrams for Latin text and digits) and confirms each candidate on \
         its text; a term most rows hold is answered by walking the ranking order until the \
         page is full. SQLite's FTS5 trigram index answers terms of three characters or \
         more; shorter ones are a LIKE scan that stops at the limit.\n"
    )?;

    writeln!(
        md,
        "## Dashboards (issue 12), one thread (criterion medians)\n"
    )?;
    writeln!(
        md,
        "Guanxi answers from the deals in memory (kept with each deal's stage history by \
         every write) and from activity counts per day, user and kind (kept by every \
         activity write, made at start). SQLite answers with one grouped query per figure \
         over indexes made for them (stage changes by deal and time, activities by time \
         covering user, kind and minutes, deals by pipeline and creation or status). The \
         forecast has no SQLite column: its stage-transition model walks every deal's \
         history, which is the same work in any store.\n"
    )?;
    writeln!(
        md,
        "| Question | Guanxi, admin | Guanxi, rep | SQLite, admin | Guanxi ÷ SQLite |\n|---|---|---|---|---|"
    )?;
    for (id, label, has_sqlite) in REPORT_STORE {
        let admin = median_ms(&format!("reports/{id}_admin/redb"))?;
        let rep = median_ms(&format!("reports/{id}_rep/redb"))?;
        let (sqlite, ratio) = if has_sqlite {
            let sqlite = median_ms(&format!("reports/{id}_admin/sqlite"))?;
            (ms(sqlite), format!("{:.2}", admin / sqlite))
        } else {
            (String::new(), String::new())
        };
        writeln!(
            md,
            "| {label} | {} | {} | {sqlite} | {ratio} |",
            ms(admin),
            ms(rep)
        )?;
    }
    writeln!(md)?;

    writeln!(md, "## Money (issue 11), one thread (criterion medians)\n")?;
    writeln!(
        md,
        "{} products, {} contracts, {} payments, {} stock moves, {} expenses. Guanxi keeps the \
         contracts in memory (owners, status, what is outstanding of each installment) and \
         each product's costing and margin until one of its moves or a contract's lines \
         change; SQLite answers with indexed queries, and costs a product's moves (read in \
         costing order) with the same function, having no cache. The writes run on a \
         scratch copy with FIFO costing.\n",
        count(&dataset["products"]),
        count(&dataset["contracts"]),
        count(&dataset["payments"]),
        count(&dataset["stock_moves"]),
        count(&dataset["expenses"]),
    )?;
    writeln!(
        md,
        "| Question | Guanxi | SQLite | Guanxi ÷ SQLite |\n|---|---|---|---|"
    )?;
    for (id, label) in MONEY_STORE {
        let redb = median_ms(&format!("money/{id}/redb"))?;
        let sqlite = median_ms(&format!("money/{id}/sqlite"))?;
        writeln!(
            md,
            "| {label} | {} | {} | {:.2} |",
            ms(redb),
            ms(sqlite),
            redb / sqlite
        )?;
    }
    writeln!(md)?;

    writeln!(md, "## HTTP, release binary on loopback\n")?;
    writeln!(
        md,
        "Start to first answer: {}; to the first customer list: {}. Resident memory: {:.0} MB \
         after start (directory and boards loaded), {:.0} MB at the end, {:.0} MB peak. Every client is a signed-in session of one of the demo users \
         (admin, managers, reps: each sees what they may). Mixed: 30 % list pages (random \
         region, page 1–5, by name), 20 % search, 25 % customer pages, 15 % board, 10 % \
         activity creates.\n",
        ms(start),
        ms(lists),
        load["rss_after_start_mb"].as_f64().unwrap_or_default(),
        load["rss_end_mb"].as_f64().unwrap_or_default(),
        peak
    )?;
    writeln!(
        md,
        "| Run | Clients | Requests/s | Errors | Request | p50 | p95 | p99 |\n|---|---|---|---|---|---|---|---|"
    )?;
    for p in phases {
        let mut first = true;
        for (kind, label) in KINDS {
            let k = &p["by_kind"][kind];
            if k.is_null() {
                continue;
            }
            let lead = if first {
                format!(
                    "| {} | {} | {:.0} | {} ",
                    p["name"].as_str().unwrap_or_default(),
                    p["clients"],
                    p["per_second"].as_f64().unwrap_or_default(),
                    p["errors"]
                )
            } else {
                "| | | | ".to_string()
            };
            first = false;
            writeln!(
                md,
                "{lead}| {label} | {} | {} | {} |",
                ms(k["p50_ms"].as_f64().unwrap_or_default()),
                ms(k["p95_ms"].as_f64().unwrap_or_default()),
                ms(k["p99_ms"].as_f64().unwrap_or_default()),
            )?;
        }
    }
    writeln!(md)?;
    if !worst.is_empty() {
        writeln!(
            md,
            "Issue 16's worst cases, each request alone from 50 clients of one session \
             (the admin's, then a rep's):\n"
        )?;
        writeln!(
            md,
            "| Request | Requests/s | Errors | p50 | p95 | p99 |\n|---|---|---|---|---|---|"
        )?;
        for p in &worst {
            for (kind, k) in p["by_kind"].as_object().into_iter().flatten() {
                writeln!(
                    md,
                    "| `{kind}` | {:.0} | {} | {} | {} | {} |",
                    p["per_second"].as_f64().unwrap_or_default(),
                    p["errors"],
                    ms(k["p50_ms"].as_f64().unwrap_or_default()),
                    ms(k["p95_ms"].as_f64().unwrap_or_default()),
                    ms(k["p99_ms"].as_f64().unwrap_or_default()),
                )?;
            }
        }
        writeln!(md)?;
    }
    if !reports.is_empty() {
        writeln!(
            md,
            "Issue 12's dashboards, each report API and each server-rendered dashboard page \
             alone from 50 clients of one session (the admin's, then a rep's):\n"
        )?;
        writeln!(
            md,
            "| Request | Requests/s | Errors | p50 | p95 | p99 |\n|---|---|---|---|---|---|"
        )?;
        for p in &reports {
            for (kind, k) in p["by_kind"].as_object().into_iter().flatten() {
                writeln!(
                    md,
                    "| `{kind}` | {:.0} | {} | {} | {} | {} |",
                    p["per_second"].as_f64().unwrap_or_default(),
                    p["errors"],
                    ms(k["p50_ms"].as_f64().unwrap_or_default()),
                    ms(k["p95_ms"].as_f64().unwrap_or_default()),
                    ms(k["p99_ms"].as_f64().unwrap_or_default()),
                )?;
            }
        }
        writeln!(md)?;
    }
    for p in phases {
        for sample in p["error_samples"].as_array().into_iter().flatten() {
            writeln!(
                md,
                "- Failure in the {} run at {} clients: {}",
                p["name"].as_str().unwrap_or_default(),
                p["clients"],
                sample.as_str().unwrap_or_default()
            )?;
        }
    }
    writeln!(md)?;
    writeln!(
        md,
        "## Import of 100,000 customers (`cargo bench -p guanxi-core --bench customers`)\n"
    )?;
    writeln!(md, "{import}\n")?;
    writeln!(
        md,
        "## Board at 10,000 open deals (`cargo bench -p guanxi-core --bench board`)\n"
    )?;
    writeln!(md, "{board}")?;
    Ok(md)
}
