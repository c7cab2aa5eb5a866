//! Project commands, run as `cargo xtask <command>`:
//!
//! - `run [ARGS…]`  build everything and start the server (debug build)
//! - `test`         build everything, then run every test, browser tests included
//! - `dist`         build the release binary to copy to an office machine
//! - `bundle`       only build the browser bundle into target/site
//! - `bench [--seconds N]`  the benchmark suite on the large data set; writes
//!   docs/BENCHMARKS.md (N seconds per load phase, default 10)
//! - `figures [--clean]`  measure build, size, start-up and memory figures and
//!   write docs/FIGURES.md (`--clean` times a build from scratch)
//!
//! The bundle is the frontend crate compiled to WASM, its JS glue made by
//! wasm-bindgen (as a library, so no CLI download), and the CSS; each file is
//! named by a hash of its content and stored with brotli and gzip copies.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod bench;
mod budgets;
mod figures;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "bundle" => bundle().map(|_| ()),
        "build" => build(false),
        "run" => {
            build(false)?;
            let status = Command::new(target_dir().join("debug/guanxi"))
                .args(&rest)
                .status()
                .context("start guanxi")?;
            std::process::exit(status.code().unwrap_or(1));
        }
        "test" => test(&rest),
        "figures" => figures::run(rest.iter().any(|a| a == "--clean")),
        "bench" => {
            let seconds = match rest.as_slice() {
                [flag, n] if flag == "--seconds" => n.parse().context("--seconds N")?,
                _ => 10,
            };
            bench::run_suite(seconds)
        }
        "dist" => {
            build(true)?;
            let binary = target_dir().join("release/guanxi");
            let size = std::fs::metadata(&binary)?.len();
            println!(
                "release binary: {} ({:.1} MB); copy it to the office machine and run it",
                binary.display(),
                size as f64 / 1e6
            );
            budgets::check_binary(size)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run [ARGS…] | test | dist | bundle | build | bench [--seconds N] | figures [--clean]>"
            );
            std::process::exit(2);
        }
    }
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where cargo puts its output; the bundle itself always goes to the
/// workspace's `target/site`, where the server embeds it from.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub(crate) fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

pub(crate) fn build(release: bool) -> Result<()> {
    bundle()?;
    let mut cmd = cargo();
    cmd.args(["build", "-p", "server"]);
    if release {
        cmd.arg("--release");
    }
    run(&mut cmd)
}

fn test(extra: &[String]) -> Result<()> {
    ensure_browser()?;
    build(false)?;
    let binary = target_dir().join("debug/guanxi");
    let mut cmd = cargo();
    // The frontend is excluded: selecting it would unify leptos' `hydrate`
    // feature into the server's test build, which then behaves unlike the
    // real binary. The benchmarks are not tests and would only add their
    // build (SQLite, criterion) to every run.
    cmd.args([
        "test",
        "--workspace",
        "--exclude",
        "frontend",
        "--exclude",
        "guanxi-bench",
    ])
    .args(extra)
    .env("GUANXI_BIN", &binary);
    run(&mut cmd)
}

/// The browser tests drive Debian's Chromium through chromedriver; install
/// them when missing and this machine can (root with apt), else say what to do.
fn ensure_browser() -> Result<()> {
    let present = |p: &str| Path::new(p).exists();
    if present("/usr/bin/chromium") && present("/usr/bin/chromedriver") {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !present("/usr/bin/apt-get") {
        bail!(
            "the browser tests need Chromium and chromedriver at /usr/bin: \
             install them (Debian: apt-get install chromium chromium-driver) and run again"
        );
    }
    eprintln!("installing chromium and chromium-driver with apt-get…");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(WASM_TARGET))
        .unwrap_or(false);
    if !installed {
        eprintln!("adding the {WASM_TARGET} target with rustup…");
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    Ok(())
}

fn bundle() -> Result<PathBuf> {
    let started = Instant::now();
    ensure_wasm_target()?;
    // frontend/build.rs has the linker keep the relocations splitting needs.
    run(cargo().args([
        "build",
        "-p",
        "frontend",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;

    let root = root();
    let wasm_in = target_dir().join(format!("{WASM_TARGET}/{WASM_PROFILE}/frontend.wasm"));
    let split_dir = target_dir().join("wasm-split");
    if split_dir.exists() {
        std::fs::remove_dir_all(&split_dir)?;
    }
    std::fs::create_dir_all(&split_dir)?;
    let main_split = split_dir.join("main.wasm");
    let input = std::fs::read(&wasm_in)?;
    // Each lazy route's code goes to a file of its own, fetched the first
    // time that route is shown; the main module keeps the shell, the router
    // and the pages a first visit needs.
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &split_dir;
        opts.main_out_path = &main_split;
        opts.main_module = "./guanxi.js";
        opts.link_name = "./__wasm_split.js";
        opts
    })
    .map_err(|e| anyhow::anyhow!("wasm-split: {e:?}"))?;

    let glue_dir = target_dir().join("wasm-bindgen");
    if glue_dir.exists() {
        std::fs::remove_dir_all(&glue_dir)?;
    }
    std::fs::create_dir_all(&glue_dir)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_split)
        .web(true)?
        .typescript(false)
        // The split chunks link against the main module's own exports.
        .keep_lld_exports(true)
        .demangle(false)
        // Function names are for debuggers; they were most of the file.
        .remove_name_section(true)
        .remove_producers_section(true)
        .out_name("guanxi")
        .generate(&glue_dir)
        .context("wasm-bindgen")?;

    // Files name each other relatively (the JS imports the split loader, the
    // loader fetches chunks next to itself), so the whole bundle lives in a
    // folder named by the hash of its contents: immutable, yet never stale.
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "guanxi.js".into(),
            std::fs::read(glue_dir.join("guanxi.js"))?,
        ),
        (
            "guanxi.wasm".into(),
            std::fs::read(glue_dir.join("guanxi_bg.wasm"))?,
        ),
        (
            "guanxi.css".into(),
            std::fs::read(root.join("style/main.css"))?,
        ),
        (
            "__wasm_split.js".into(),
            std::fs::read(split_dir.join("__wasm_split.js"))?,
        ),
    ];
    for chunk in &split.split_modules {
        let name = chunk
            .file_name()
            .context("split chunk without a name")?
            .to_string_lossy()
            .to_string();
        if name.ends_with(".wasm") {
            files.push((name, std::fs::read(chunk)?));
        }
    }
    files.sort();
    let mut digest = Sha256::new();
    for (name, bytes) in &files {
        digest.update(name.as_bytes());
        digest.update(bytes);
    }
    let hash: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let site = root.join("target/site");
    let pkg = site.join("pkg");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg)?;
    }
    let dir = pkg.join(&hash);
    std::fs::create_dir_all(&dir)?;
    let mut sizes = Vec::new();
    for (name, bytes) in &files {
        sizes.push((name.clone(), publish(&dir, name, bytes)?));
    }
    let manifest = serde_json::json!({
        "dir": hash,
        "js": format!("{hash}/guanxi.js"),
        "wasm": format!("{hash}/guanxi.wasm"),
        "css": format!("{hash}/guanxi.css"),
        "split": split.prefetch_map,
    });
    std::fs::write(
        site.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;

    for (name, size) in &sizes {
        println!(
            "  {name:<40} {:>8.1} KB raw {:>8.1} KB brotli {:>8.1} KB gzip",
            kb(size.raw),
            kb(size.brotli),
            kb(size.gzip)
        );
    }
    let first_visit = sizes
        .iter()
        .find(|(name, _)| name == "guanxi.wasm")
        .map(|(_, s)| s.brotli)
        .unwrap_or_default();
    println!("bundle built in {:.1} s", started.elapsed().as_secs_f64());
    budgets::check_first_visit_wasm(first_visit)?;
    Ok(site)
}

/// A published file's size as stored and as sent.
#[derive(Clone, Copy)]
pub(crate) struct Sizes {
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

/// Writes `bytes` as `name` with .br and .gz copies; returns their sizes.
fn publish(dir: &Path, name: &str, bytes: &[u8]) -> Result<Sizes> {
    std::fs::write(dir.join(name), bytes)?;

    let mut br = Vec::new();
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)?;
    }
    std::fs::write(dir.join(format!("{name}.br")), &br)?;

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gz = gz.finish()?;
    std::fs::write(dir.join(format!("{name}.gz")), &gz)?;
    Ok(Sizes {
        raw: bytes.len() as u64,
        brotli: br.len() as u64,
        gzip: gz.len() as u64,
    })
}
