//! Builds for the machines offices actually have, from this Linux machine:
//! Windows x86_64 (mingw) and Linux aarch64 (Debian's cross gcc), beside the
//! native Linux x86_64 build. `cargo xtask dist` ships fat-LTO release
//! builds of all three; `cargo xtask test` builds the two foreign ones in
//! the quicker `cross-test` profile and runs them under Wine and qemu-user.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, root, run, target_dir};

pub struct CrossTarget {
    pub triple: &'static str,
    /// The name of the shipped file, without the version.
    pub dist_name: &'static str,
    pub exe: &'static str,
    /// The C cross compiler (mimalloc's C, and the linker).
    pub cc: &'static str,
    /// What runs the binary here, for the smoke test.
    pub runner: &'static str,
    /// Debian packages providing the compiler and the runner.
    pub packages: &'static [&'static str],
    /// The variable that hands the binary to tests/cross_platform.rs.
    pub test_env: &'static str,
}

pub const WINDOWS: CrossTarget = CrossTarget {
    triple: "x86_64-pc-windows-gnu",
    dist_name: "guanxi-windows-x86_64.exe",
    exe: "guanxi.exe",
    cc: "x86_64-w64-mingw32-gcc",
    runner: "wine",
    packages: &["gcc-mingw-w64-x86-64", "wine", "wine64"],
    test_env: "GUANXI_WINDOWS_BIN",
};

pub const ARM64: CrossTarget = CrossTarget {
    triple: "aarch64-unknown-linux-gnu",
    dist_name: "guanxi-linux-aarch64",
    exe: "guanxi",
    cc: "aarch64-linux-gnu-gcc",
    runner: "qemu-aarch64-static",
    packages: &[
        "gcc-aarch64-linux-gnu",
        "libc6-dev-arm64-cross",
        "qemu-user-static",
    ],
    test_env: "GUANXI_AARCH64_BIN",
};

pub const FOREIGN: [&CrossTarget; 2] = [&WINDOWS, &ARM64];

/// The hosts `cargo xtask dist` knows, with the name of their file.
const NATIVE: [(&str, &str, &str); 5] = [
    ("x86_64-unknown-linux-gnu", "guanxi-linux-x86_64", "guanxi"),
    (
        "aarch64-unknown-linux-gnu",
        "guanxi-linux-aarch64",
        "guanxi",
    ),
    ("x86_64-apple-darwin", "guanxi-macos-x86_64", "guanxi"),
    ("aarch64-apple-darwin", "guanxi-macos-aarch64", "guanxi"),
    (
        "x86_64-pc-windows-msvc",
        "guanxi-windows-x86_64.exe",
        "guanxi.exe",
    ),
];

/// This machine's own target, named explicitly so it builds in the same
/// cargo run as the foreign ones (its binary then lands in
/// `target/<triple>/`, not `target/release/`).
pub fn native() -> Result<CrossTarget> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("run rustc -vV")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let host = text
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .context("rustc -vV names no host")?;
    let Some(&(triple, dist_name, exe)) = NATIVE.iter().find(|(triple, ..)| *triple == host) else {
        bail!(
            "`cargo xtask dist` does not know this machine ({host}); build with `cargo build --release -p server`"
        );
    };
    Ok(CrossTarget {
        triple,
        dist_name,
        exe,
        // Built by the toolchain's own linker and run here as it is.
        cc: "",
        runner: "",
        packages: &[],
        test_env: "",
    })
}

/// The Rust target, the cross compiler and the runner, installed when
/// missing and this machine can (root with apt), else a clear error.
pub fn ensure_tools(target: &CrossTarget) -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(target.triple))
        .unwrap_or(false);
    if !installed {
        eprintln!("adding the {} target with rustup…", target.triple);
        run(Command::new("rustup").args(["target", "add", target.triple]))?;
    }
    if on_path(target.cc) && on_path(target.runner) {
        return Ok(());
    }
    if !crate::can_apt() {
        bail!(
            "building and testing for {} needs {} and {}: install the Debian packages {} \
             (or run `cargo xtask test --no-cross`)",
            target.triple,
            target.cc,
            target.runner,
            target.packages.join(" ")
        );
    }
    crate::apt_install(target.packages, true)
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Builds the server for every target in `profile`, in one cargo run so
/// one target's long single-threaded steps (type-checking the view crates,
/// a fat-LTO link) overlap the other's; returns the binaries in order.
pub fn build(targets: &[&CrossTarget], profile: &str) -> Result<Vec<PathBuf>> {
    let (mut cmd, built) = build_command(targets, profile, &target_dir())?;
    run(&mut cmd)?;
    Ok(built)
}

/// The cross builds the smoke tests need, started at the lowest CPU
/// priority in their own target dir (so they hold no lock the host tests
/// wait for): they take the cycles the browser tests leave while waiting on
/// the browser. Killed with this value unless waited for.
pub struct Background {
    child: std::process::Child,
    built: Vec<PathBuf>,
}

pub fn spawn_test_builds() -> Result<Background> {
    let (cmd, built) = build_command(&FOREIGN, "cross-test", &target_dir().join("cross"))?;
    let mut nice = Command::new("nice");
    nice.args(["-n", "19"])
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir().join("cross"));
    // Its own process group, so that stopping it stops its compilers too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut nice, 0);
    eprintln!("building the Windows and ARM64 binaries in the background (target/cross)…");
    let child = nice.spawn().context("start the cross builds")?;
    Ok(Background { child, built })
}

impl Background {
    pub fn wait(mut self) -> Result<Vec<PathBuf>> {
        let status = self.child.wait().context("wait for the cross builds")?;
        if !status.success() {
            bail!("the cross builds failed ({status})");
        }
        Ok(std::mem::take(&mut self.built))
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if self.built.is_empty() {
            return;
        }
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-TERM", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn build_command(
    targets: &[&CrossTarget],
    profile: &str,
    target_dir: &Path,
) -> Result<(Command, Vec<PathBuf>)> {
    let mut cmd = cargo();
    cmd.args(["build", "-p", "server", "--profile", profile]);
    for target in targets {
        if !target.cc.is_empty() {
            ensure_tools(target)?;
        }
        cmd.args(["--target", target.triple]);
    }
    let dir = if profile == "dev" { "debug" } else { profile };
    let built = targets
        .iter()
        .map(|target| target_dir.join(target.triple).join(dir).join(target.exe))
        .collect();
    Ok((cmd, built))
}

/// The test-only stand-in for the DLL Wine 8 lacks (see the C file), put
/// beside `exe`, where Windows looks first.
pub fn wine_stub_dll(exe: &Path) -> Result<()> {
    let source = root().join("tests/wine/bcryptprimitives.c");
    let out = exe.with_file_name("bcryptprimitives.dll");
    run(Command::new(WINDOWS.cc)
        .args(["-shared", "-O2", "-o"])
        .arg(&out)
        .arg(&source))
    .context("build the Wine stub DLL")
}
