//! The Windows and ARM64 binaries, each on its own system as far as this
//! Linux machine can offer one: `guanxi.exe` under Wine, the aarch64 build
//! under qemu-user. Each starts on a fresh data folder whose name has
//! Chinese and a space, answers `/healthz`, takes first-run setup, creates a
//! customer over the REST API, finds it by a Chinese substring, and stops
//! gracefully on Ctrl+C / SIGTERM. Under Wine, `guanxi.exe` is also
//! double-clicked (no arguments: default data folder, the browser opened
//! once), and installed as a Windows service, serves from the service
//! manager, and stops gracefully when uninstalled.
//!
//! `cargo xtask test` cross-builds both (profile `cross-test`) and sets
//! `GUANXI_WINDOWS_BIN` and `GUANXI_AARCH64_BIN`; without them (`cargo xtask
//! test --no-cross`) these tests say they were skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use e2e::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, log_in_over_http, set_up_over_http};
use serde_json::json;

/// Emulated start-up (Wine creating its prefix, qemu translating) is slow.
const PATIENCE: Duration = Duration::from_secs(180);

fn binary_from(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(path) => Some(PathBuf::from(path)),
        None => {
            eprintln!("skipped: {var} is not set (cargo xtask test sets it unless --no-cross)");
            None
        }
    }
}

#[tokio::test]
async fn windows_binary_serves_under_wine() {
    let Some(exe) = binary_from("GUANXI_WINDOWS_BIN") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("guanxi 数据");
    let mut command = Command::new("wine");
    command
        .arg(&exe)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(windows_path(&data))
        .env("WINEPREFIX", dir.path().join("wine"))
        .env("WINEDEBUG", "-all")
        // No Mono or Gecko installer dialogs while the prefix is made.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
    let mut server = Server::start_command(command, &data, PATIENCE);
    exercise(&server).await;
    let mut held = Command::new("wine");
    held.arg(&exe)
        .args(["token", "create", "--email", ADMIN_EMAIL, "--data-dir"])
        .arg(windows_path(&data))
        .env("WINEPREFIX", dir.path().join("wine"))
        .env("WINEDEBUG", "-all");
    refused_while_served(held);
    // Wine turns SIGINT into the console's Ctrl+C event.
    assert!(
        server.stop_with("INT", PATIENCE),
        "guanxi.exe stops cleanly on Ctrl+C:\n{}",
        server.log()
    );
    assert!(server.log().contains("database closed"), "{}", server.log());
    assert!(
        data.join("guanxi.redb").exists(),
        "the data folder with a Chinese name holds the file"
    );
}

/// What an office user does: double-click `guanxi.exe` in its folder. With
/// no arguments it serves from `guanxi-data` beside it, says where it can be
/// opened, opens the default browser on it once, and stops cleanly.
#[tokio::test]
async fn double_clicked_exe_serves_with_defaults_and_opens_the_browser_once() {
    let Some(built) = binary_from("GUANXI_WINDOWS_BIN") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("办公室 电脑");
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["guanxi.exe", "bcryptprimitives.dll"] {
        std::fs::copy(built.with_file_name(file), folder.join(file)).unwrap();
    }
    // Wine's browser bridge (winebrowser) hands a URL to xdg-open first:
    // this one writes down what it was asked to open.
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = dir.path().join("opened.txt");
    let xdg_open = bin.join("xdg-open");
    std::fs::write(
        &xdg_open,
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&xdg_open, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let mut command = Command::new("wine");
    command
        .arg(folder.join("guanxi.exe"))
        .current_dir(&folder)
        // The one thing not left at its default: the test may not own
        // port 8080. The environment keeps the command line bare.
        .env("GUANXI_LISTEN", "127.0.0.1:0")
        .env("PATH", path)
        .env("WINEPREFIX", dir.path().join("wine"))
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
    let data = folder.join("guanxi-data");
    let mut server = Server::start_command(command, &data, PATIENCE);
    let health = e2e::http()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
    assert!(
        server.log().contains("只有本机可以打开"),
        "the console names the address:\n{}",
        server.log()
    );
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let expected = format!("http://localhost:{port}");
    let deadline = std::time::Instant::now() + PATIENCE;
    let asked = loop {
        let asked = std::fs::read_to_string(&opened).unwrap_or_default();
        if asked.contains(&expected) || std::time::Instant::now() > deadline {
            break asked;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    // Windows' shell hands the URL on normalised, with a trailing slash.
    assert_eq!(
        asked
            .lines()
            .map(|url| url.trim_end_matches('/'))
            .collect::<Vec<_>>(),
        [expected.as_str()],
        "the browser is opened once, on the local address:\n{}",
        server.log()
    );
    assert!(
        data.join("guanxi.redb").exists(),
        "the data lives in guanxi-data beside guanxi.exe"
    );
    assert!(server.stop_with("INT", PATIENCE), "{}", server.log());
    assert!(server.log().contains("database closed"), "{}", server.log());
    assert_eq!(
        std::fs::read_to_string(&opened)
            .unwrap_or_default()
            .lines()
            .count(),
        1,
        "and only once"
    );
}

#[tokio::test]
async fn aarch64_binary_serves_under_qemu() {
    let Some(binary) = binary_from("GUANXI_AARCH64_BIN") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("guanxi 数据");
    let mut command = Command::new("qemu-aarch64-static");
    command
        .args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&binary)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data);
    let mut server = Server::start_command(command, &data, PATIENCE);
    exercise(&server).await;
    let mut held = Command::new("qemu-aarch64-static");
    held.args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&binary)
        .args(["token", "create", "--email", ADMIN_EMAIL, "--data-dir"])
        .arg(&data);
    refused_while_served(held);
    assert!(
        server.stop_with("TERM", PATIENCE),
        "the aarch64 build stops cleanly on SIGTERM:\n{}",
        server.log()
    );
    assert!(server.log().contains("database closed"), "{}", server.log());
}

/// Wine's service manager lives as long as its wineserver: a persistent
/// one (`wineserver -p`) keeps the service running between the commands,
/// as a Windows machine would. Killed with the test, pass or fail.
struct Wineserver {
    prefix: PathBuf,
    process: std::process::Child,
}

impl Wineserver {
    fn start(prefix: &Path) -> Wineserver {
        let process = Command::new("wineserver")
            .arg("-p")
            .env("WINEPREFIX", prefix)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("wineserver");
        Wineserver {
            prefix: prefix.to_path_buf(),
            process,
        }
    }
}

impl Drop for Wineserver {
    fn drop(&mut self) {
        let _ = Command::new("wineserver")
            .arg("-k")
            .env("WINEPREFIX", &self.prefix)
            .status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test]
async fn windows_service_installs_serves_upgrades_and_stops_gracefully_under_wine() {
    let Some(built) = binary_from("GUANXI_WINDOWS_BIN") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The service runs (and the upgrade replaces) an installed copy, with
    // the test's stand-in DLL beside it as beside the build.
    let place = |folder: &str| {
        let folder = dir.path().join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        for file in ["guanxi.exe", "bcryptprimitives.dll"] {
            std::fs::copy(built.with_file_name(file), folder.join(file)).unwrap();
        }
        folder.join("guanxi.exe")
    };
    let exe = place("installed");
    let download = place("download");
    let data = dir.path().join("guanxi 数据");
    let prefix = dir.path().join("wine");
    std::fs::create_dir_all(&prefix).unwrap();
    let _wineserver = Wineserver::start(&prefix);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Output goes to files, not pipes: the first Wine program starts the
    // prefix's long-lived processes (the service manager among them), which
    // inherit its output and would hold a pipe open for ever.
    let output = dir.path().join("output.txt");
    let guanxi = |args: &[&str]| {
        let file = std::fs::File::create(&output).unwrap();
        let status = Command::new("wine")
            .arg(&exe)
            .args(args)
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .stdin(std::process::Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .status()
            .unwrap();
        let said = std::fs::read_to_string(&output).unwrap();
        assert!(status.success(), "guanxi.exe {args:?}: {said}");
        said
    };
    let listen = format!("127.0.0.1:{port}");
    let said = guanxi(&[
        "service",
        "install",
        "--listen",
        &listen,
        "--data-dir",
        &windows_path(&data),
    ]);
    assert!(said.contains("installed the Windows service"), "{said}");

    let health = format!("http://{listen}/healthz");
    wait_for_health(&health).await;
    let said = guanxi(&["service", "status"]);
    assert!(said.contains("installed, running"), "{said}");

    let said = guanxi(&["upgrade", &windows_path(&download)]);
    assert!(said.contains("stopping the Guanxi service"), "{said}");
    assert!(said.contains("starting the Guanxi service"), "{said}");
    assert!(exe.with_file_name("guanxi.exe.old").exists(), "{said}");
    wait_for_health(&health).await;

    let said = guanxi(&["service", "uninstall"]);
    assert!(said.contains("removed the Windows service"), "{said}");
    assert!(
        e2e::http().get(&health).send().await.is_err(),
        "nothing listens once the service is gone"
    );
    let log = std::fs::read_to_string(data.join("guanxi.log")).unwrap_or_default();
    assert_eq!(
        log.matches("database closed").count(),
        2,
        "the service's log in its data folder shows two graceful stops (upgrade, uninstall):\n{log}"
    );
    let said = guanxi(&["service", "status"]);
    assert!(said.contains("not installed"), "{said}");
}

async fn wait_for_health(url: &str) {
    let started = std::time::Instant::now();
    loop {
        match e2e::http().get(url).send().await {
            Ok(answer) if answer.status().is_success() => return,
            _ if started.elapsed() < PATIENCE => {
                tokio::time::sleep(Duration::from_millis(500)).await
            }
            other => panic!("the service never answered {url}: {other:?}"),
        }
    }
}

/// The admin commands see the server's lock on the data file (on Windows a
/// file lock, not a Unix advisory one) and change nothing.
fn refused_while_served(mut command: Command) {
    let out = command.output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("in use by another Guanxi process"), "{said}");
}

/// Wine maps drive Z: to the Unix root.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

async fn exercise(server: &Server) {
    let health: serde_json::Value = e2e::http()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert!(
        server.log().contains("只有本机可以打开"),
        "the console names the address, in Chinese before setup:\n{}",
        server.log()
    );

    set_up_over_http(server, "zh-CN").await;
    let admin = log_in_over_http(server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let created = admin
        .post(server.url("/api/v1/customers"))
        .header("Origin", &server.base)
        .json(&json!({
            "name": "深圳市华南星辰电子有限公司",
            "kind": "company",
            "customer_type": "potential",
            "tags": [],
            "custom": {},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let found: serde_json::Value = admin
        .get(server.url("/api/v1/search?q=华南星辰"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        found.to_string().contains("深圳市华南星辰电子有限公司"),
        "{found}"
    );
}
