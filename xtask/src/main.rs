//! Project commands, run as `cargo xtask <command>`:
//!
//! - `run [ARGS…]`  build everything and start the server (debug build)
//! - `test [--no-cross]`  build everything, then run every test, browser
//!   tests and the Windows / ARM64 smoke tests included (`--no-cross` leaves
//!   out the two cross builds, for a quicker run while working)
//! - `dist [--native]`  build the release binaries for office machines
//!   (Linux x86_64, Linux aarch64, Windows x86_64) into target/dist, with
//!   SHA256SUMS; `--native` builds only this machine's
//! - `bundle`       only build the browser bundle into target/site
//! - `bench [--seconds N]`  the benchmark suite on the large data set; writes
//!   docs/BENCHMARKS.md (N seconds per load phase, default 10)
//! - `soak [--minutes N]`  the office mix at 50 clients for N minutes (default
//!   10) on the large data set; writes its section of docs/BENCHMARKS.md
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
mod cross;
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
        "soak" => {
            let minutes = match rest.as_slice() {
                [flag, n] if flag == "--minutes" => n.parse().context("--minutes N")?,
                _ => 10,
            };
            bench::run_soak(minutes)
        }
        "dist" => dist(rest.iter().any(|a| a == "--native")),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [ARGS…] | test [--no-cross] | dist [--native] | bundle | build | bench [--seconds N] | soak [--minutes N] | figures [--clean]>"
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
    let with_cross = !extra.iter().any(|a| a == "--no-cross");
    let extra: Vec<&String> = extra.iter().filter(|a| *a != "--no-cross").collect();
    ensure_test_tools()?;
    build(false)?;
    let cross_builds = if with_cross {
        Some(cross::spawn_test_builds()?)
    } else {
        None
    };
    // The frontend is excluded: selecting it would unify leptos' `hydrate`
    // feature into the server's test build, which then behaves unlike the
    // real binary. The benchmarks are not tests and would only add their
    // build (SQLite, criterion) to every run. The cross-platform tests skip
    // themselves here (no binaries named) and run once the builds are done.
    let binary = target_dir().join("debug/guanxi");
    run(cargo()
        .args([
            "test",
            "--workspace",
            "--exclude",
            "frontend",
            "--exclude",
            "guanxi-bench",
        ])
        .args(&extra)
        .env("GUANXI_BIN", &binary)
        .env_remove(cross::WINDOWS.test_env)
        .env_remove(cross::ARM64.test_env))?;
    let Some(cross_builds) = cross_builds else {
        return Ok(());
    };
    let built = cross_builds.wait()?;
    let mut cmd = cargo();
    cmd.args(["test", "-p", "e2e", "--test", "cross_platform"])
        .env("GUANXI_BIN", &binary);
    for (target, built) in cross::FOREIGN.iter().zip(built) {
        if target.triple == cross::WINDOWS.triple {
            cross::wine_stub_dll(&built)?;
        }
        cmd.env(target.test_env, built);
    }
    run(&mut cmd)
}

/// The release binaries for office machines, in target/dist with their
/// SHA-256 sums, each within the size budget.
fn dist(native_only: bool) -> Result<()> {
    bundle()?;
    let version = env!("CARGO_PKG_VERSION");
    let out = target_dir().join("dist");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let native = cross::native()?;
    let mut targets = vec![&native];
    if !native_only {
        targets.extend(cross::FOREIGN);
    }
    // One cargo run for all of them: each fat-LTO link is one long
    // single-threaded step, and they overlap.
    let built = cross::build(&targets, "release")?;
    let shipped: Vec<(String, PathBuf)> = targets
        .iter()
        .zip(built)
        .map(|(target, built)| {
            let name = target
                .dist_name
                .replacen("guanxi-", &format!("guanxi-{version}-"), 1);
            (name, built)
        })
        .collect();
    let mut sums = String::new();
    let mut over_budget = Vec::new();
    for (name, built) in &shipped {
        let bytes = std::fs::read(built).with_context(|| format!("read {}", built.display()))?;
        std::fs::write(out.join(name), &bytes)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(out.join(name), std::fs::Permissions::from_mode(0o755))?;
        }
        sums.push_str(&format!("{:x}  {name}\n", Sha256::digest(&bytes)));
        println!("{name}: {:.1} MB", bytes.len() as f64 / 1e6);
        if let Err(e) = budgets::check_binary(bytes.len() as u64) {
            over_budget.push(format!("{name}: {e}"));
        }
    }
    std::fs::write(out.join("SHA256SUMS"), sums)?;
    println!(
        "in {}: copy the one for the office machine and run it",
        out.display()
    );
    if !over_budget.is_empty() {
        bail!("{}", over_budget.join("\n"));
    }
    Ok(())
}

/// Whether this process may install Debian packages.
pub(crate) fn can_apt() -> bool {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    is_root && Path::new("/usr/bin/apt-get").exists()
}

/// `lean` leaves out recommended packages (Wine recommends fonts and media
/// libraries a smoke test does not need); Chromium wants its fonts.
pub(crate) fn apt_install(packages: &[&str], lean: bool) -> Result<()> {
    eprintln!("installing {} with apt-get…", packages.join(" "));
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    let mut install = Command::new("apt-get");
    install.args(["install", "-y", "-q"]);
    if lean {
        install.arg("--no-install-recommends");
    }
    run(install
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The browser tests drive Debian's Chromium through chromedriver, the
/// service test has systemd's own parser check the unit we write, and the
/// HTTPS test makes its certificate with openssl; install what is missing
/// when this machine can (root with apt), else say what to do.
fn ensure_test_tools() -> Result<()> {
    let needed: Vec<&str> = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/systemd-analyze", "systemd"),
        ("/usr/bin/openssl", "openssl"),
    ]
    .into_iter()
    .filter(|(path, _)| !Path::new(path).exists())
    .map(|(_, package)| package)
    .collect();
    if needed.is_empty() {
        return Ok(());
    }
    if !can_apt() {
        bail!(
            "the tests need {}: install them (Debian: apt-get install {}) and run again",
            needed.join(", "),
            needed.join(" ")
        );
    }
    apt_install(&needed, false)
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
