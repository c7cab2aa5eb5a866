//! `cargo xtask figures`: the foundation's figures, measured on this machine
//! and written to docs/FIGURES.md so they are never typed in by hand.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const STARTS: usize = 5;

pub fn run(clean: bool) -> Result<()> {
    let build_secs = if clean {
        let scratch = std::env::temp_dir().join("guanxi-clean-build");
        let _ = std::fs::remove_dir_all(&scratch);
        let started = Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(crate::root())
            .args(["xtask", "dist", "--native"])
            .env("CARGO_TARGET_DIR", &scratch)
            .status()?;
        if !status.success() {
            bail!("clean build failed");
        }
        let secs = started.elapsed().as_secs_f64();
        let _ = std::fs::remove_dir_all(&scratch);
        Some(secs)
    } else {
        None
    };
    crate::build(true)?;
    let binary = crate::target_dir().join("release/guanxi");
    let binary_size = std::fs::metadata(&binary)?.len();

    let bundle = bundle_files()?;
    let mut starts = Vec::new();
    let mut rss = None;
    for i in 0..STARTS {
        let data = tempdir()?;
        let port = free_port()?;
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start guanxi")?;
        while get(port, "/healthz").is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                bail!("guanxi did not answer /healthz");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        starts.push(started.elapsed().as_secs_f64() * 1000.0);
        if i == 0 {
            // Serve a few pages and assets first, so the figure is a server that
            // has done some work, then let it idle.
            for path in ["/setup", "/setup", "/healthz"] {
                let _ = get(port, path);
            }
            std::thread::sleep(Duration::from_secs(2));
            rss = Some(rss_kib(child.id())?);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&data);
    }
    starts.sort_by(|a, b| a.total_cmp(b));
    let median_start = starts[starts.len() / 2];

    let mut doc = String::new();
    writeln!(doc, "# Figures")?;
    writeln!(doc)?;
    writeln!(
        doc,
        "Written by `cargo xtask figures{}` on {} ({} cores, {}). Re-run it after changes \
         that could move these numbers.",
        if clean { " --clean" } else { "" },
        chrono_like_today(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        memory_total().unwrap_or_else(|| "memory unknown".into()),
    )?;
    writeln!(doc)?;
    writeln!(doc, "| what | figure |")?;
    writeln!(doc, "| --- | --- |")?;
    if let Some(secs) = build_secs {
        writeln!(
            doc,
            "| clean release build (`cargo xtask dist`, empty target dir, crates already downloaded) | {:.0} s ({:.1} min) |",
            secs,
            secs / 60.0
        )?;
    }
    writeln!(
        doc,
        "| release binary (`target/release/guanxi`, stripped, assets inside) | {:.1} MB (budget {} MB) |",
        binary_size as f64 / 1e6,
        crate::budgets::BINARY_BYTES / 1_000_000
    )?;
    writeln!(
        doc,
        "| budget: the WASM a first visit downloads (`guanxi.wasm`, brotli) | {} KB |",
        crate::budgets::FIRST_VISIT_WASM_BROTLI / 1024
    )?;
    let first_visit: Vec<_> = bundle
        .iter()
        .filter(|f| !f.name.starts_with("split_") && !f.name.starts_with("chunk_"))
        .collect();
    for f in &first_visit {
        writeln!(
            doc,
            "| first visit: `{}` | {:.0} KB raw, {:.0} KB brotli, {:.0} KB gzip |",
            f.name,
            f.raw as f64 / 1024.0,
            f.brotli as f64 / 1024.0,
            f.gzip as f64 / 1024.0
        )?;
    }
    let (chunks, chunk_raw, chunk_br): (usize, u64, u64) = bundle
        .iter()
        .filter(|f| f.name.starts_with("chunk_"))
        .fold((0, 0, 0), |(n, r, b), f| (n + 1, r + f.raw, b + f.brotli));
    writeln!(
        doc,
        "| code shared by lazy pages ({chunks} `chunk_*.wasm`, each fetched with the first page that needs it) | {:.0} KB raw, {:.0} KB brotli in all |",
        chunk_raw as f64 / 1024.0,
        chunk_br as f64 / 1024.0
    )?;
    for f in bundle.iter().filter(|f| f.name.starts_with("split_")) {
        writeln!(
            doc,
            "| lazy page: {} | {:.0} KB raw, {:.0} KB brotli, {:.0} KB gzip |",
            route_of(&f.name),
            f.raw as f64 / 1024.0,
            f.brotli as f64 / 1024.0,
            f.gzip as f64 / 1024.0
        )?;
    }
    writeln!(
        doc,
        "| start to serving (process start → first `/healthz` answer, empty data folder, median of {STARTS}) | {median_start:.0} ms (runs: {}) |",
        starts
            .iter()
            .map(|s| format!("{s:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if let Some(kib) = rss {
        writeln!(
            doc,
            "| idle memory (RSS after serving a few pages) | {:.1} MB |",
            kib as f64 / 1024.0
        )?;
    }
    writeln!(doc)?;
    writeln!(
        doc,
        "How: sizes are read from the files (`cargo xtask bundle` writes each with brotli and gzip copies; over plain HTTP on the LAN browsers ask for gzip, over HTTPS for brotli); what the WASM and the binary are made of is in [SIZES.md](SIZES.md); the start time polls `/healthz` on loopback every 2 ms; RSS is `VmRSS` from `/proc/PID/status`."
    )?;
    let path = crate::root().join("docs/FIGURES.md");
    std::fs::create_dir_all(path.parent().unwrap())?;
    std::fs::write(&path, &doc)?;
    print!("{doc}");
    Ok(())
}

struct BundleFile {
    name: String,
    raw: u64,
    brotli: u64,
    gzip: u64,
}

/// The published bundle's files, from its hash-named folder.
fn bundle_files() -> Result<Vec<BundleFile>> {
    let pkg = crate::root().join("target/site/pkg");
    let dir = std::fs::read_dir(&pkg)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .context("no bundle in target/site/pkg")?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let size =
            |suffix: &str| std::fs::metadata(dir.join(format!("{name}{suffix}"))).map(|m| m.len());
        files.push(BundleFile {
            raw: size("")?,
            brotli: size(".br")?,
            gzip: size(".gz")?,
            name,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// `split___customer_route_view_123.wasm` → `customer`.
fn route_of(file: &str) -> String {
    file.trim_start_matches("split___")
        .split("_route_view")
        .next()
        .unwrap_or(file)
        .replace('_', " ")
}

fn get(port: u16, path: &str) -> Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    if !response.starts_with(b"HTTP/1.1 2") && !response.starts_with(b"HTTP/1.1 3") {
        bail!("unexpected answer");
    }
    Ok(response)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn tempdir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "guanxi-figures-{}-{}",
        std::process::id(),
        free_port()?
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("no VmRSS")
}

pub(crate) fn memory_total() -> Option<String> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(format!("{:.0} GiB RAM", kib as f64 / 1024.0 / 1024.0))
}

pub(crate) fn chrono_like_today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "an unknown date".into())
}
