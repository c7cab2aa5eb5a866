//! The harness for end-to-end tests: the real `guanxi` binary on a random
//! loopback port with a temporary data folder, and Debian's headless Chromium
//! driven through chromedriver.
//!
//! `cargo xtask test` builds the binary with its browser bundle and sets
//! `GUANXI_BIN`; run that rather than `cargo test` alone.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use fantoccini::{Client, Locator};
use serde_json::json;

pub const WAIT: Duration = Duration::from_secs(20);

pub fn binary() -> PathBuf {
    let path = std::env::var_os("GUANXI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/guanxi"));
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// A running guanxi server. Stopped (SIGTERM) when dropped.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub data: PathBuf,
    log: Arc<Mutex<String>>,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut server = Server::start_on(&data);
        server._dir = Some(dir);
        server
    }

    /// Starts on an existing data folder (e.g. after a restart).
    pub fn start_on(data: &Path) -> Server {
        Server::start_listening(data, "127.0.0.1:0")
    }

    /// Stops and starts again on the same data and address, as an upgrade
    /// does: open pages keep talking to the same origin.
    pub fn restart(&mut self) {
        assert!(self.stop(), "server stops cleanly");
        let address = self.base.trim_start_matches("http://").to_string();
        let mut started = Server::start_listening(&self.data, &address);
        self.log = started.log.clone();
        self.child = started.child.take();
    }

    fn start_listening(data: &Path, address: &str) -> Server {
        let mut command = Command::new(binary());
        command
            .args(["serve", "--listen", address, "--data-dir"])
            .arg(data);
        Server::start_command(command, data, Duration::from_secs(20))
    }

    /// Starts `command` (a `guanxi serve` of some build, perhaps under an
    /// emulator) and waits up to `patience` for it to say where it serves.
    /// What it prints on stdout and stderr both go to the log.
    pub fn start_command(mut command: Command, data: &Path, patience: Duration) -> Server {
        let mut child = command
            .env("GUANXI_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        for stream in [
            Box::new(stdout) as Box<dyn std::io::Read + Send>,
            Box::new(stderr),
        ] {
            let log = log.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("serving on ").nth(1) {
                        let url = rest.split_whitespace().next().unwrap_or("");
                        if url.starts_with("http://") || url.starts_with("https://") {
                            let _ = tx.send(url.to_string());
                        }
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let base = rx
            .recv_timeout(patience)
            .unwrap_or_else(|_| panic!("guanxi did not start:\n{}", log.lock().unwrap()));
        Server {
            child: Some(child),
            base,
            data: data.to_path_buf(),
            log,
            _dir: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits; returns whether the process exited cleanly.
    pub fn stop(&mut self) -> bool {
        self.stop_with("TERM", Duration::from_secs(15))
    }

    /// Sends `signal` (`TERM`, or `INT` for Ctrl+C) and waits up to
    /// `patience`; returns whether the process exited cleanly.
    pub fn stop_with(&mut self, signal: &str, patience: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status();
        let deadline = Instant::now() + patience;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                // Let the log reader drain the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Keeps the data folder alive past this server, for a restart.
    pub fn take_dir(&mut self) -> Option<tempfile::TempDir> {
        self._dir.take()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        // A failing test shows what the server said beyond routine requests.
        if std::thread::panicking() {
            let log = self.log();
            let unusual: Vec<&str> = log.lines().filter(|l| !l.contains(" INFO ")).collect();
            eprintln!("server log, all but INFO lines:\n{}", unusual.join("\n"));
        }
    }
}

/// Runs the guanxi CLI on a data folder, feeding `stdin`.
pub fn cli(data: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(binary())
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run guanxi");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A headless Chromium session. The chromedriver process ends on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    driver_url: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    pub async fn start(language: &str) -> Browser {
        Browser::start_sized(language, 1280, 900).await
    }

    pub async fn start_sized(language: &str, width: u32, height: u32) -> Browser {
        Browser::start_with(language, width, height, true, false).await
    }

    /// A browser that takes any certificate, as one whose user accepted the
    /// office server's self-signed one.
    pub async fn start_accepting_any_certificate(language: &str) -> Browser {
        Browser::start_with(language, 1280, 900, true, true).await
    }

    /// A browser that runs no script at all: the pages as they are before
    /// (or without) the WASM, forms posted by the browser itself.
    pub async fn start_without_javascript(language: &str) -> Browser {
        Browser::start_with(language, 1280, 900, false, false).await
    }

    async fn start_with(
        language: &str,
        width: u32,
        height: u32,
        javascript: bool,
        any_certificate: bool,
    ) -> Browser {
        let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("chromedriver not found: apt-get install chromium-driver");
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    format!("--window-size={width},{height}"),
                    format!("--lang={language}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": { "intl.accept_languages": language },
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let mut caps = caps.as_object().unwrap().clone();
        if !javascript {
            caps["goog:chromeOptions"]["prefs"]["profile.managed_default_content_settings.javascript"] =
                json!(2);
        }
        if any_certificate {
            caps.insert("acceptInsecureCerts".into(), json!(true));
        }
        if width < 500 {
            // Desktop Chromium will not make a window narrower than 500 px; a
            // phone is emulated instead.
            caps["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2, "touch": true }
            });
        }
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match fantoccini::ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("cannot start Chromium: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Browser {
            client,
            driver,
            driver_url: url,
        }
    }

    /// Errors the page wrote to the console since the last call (chromedriver's
    /// log endpoint). Failed loads the test caused on purpose (a 403 page) are
    /// left out: they are the server's answer, not the page's fault.
    pub async fn console_errors(&self) -> Vec<String> {
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("session id");
        let response: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/session/{session}/se/log", self.driver_url))
            .json(&json!({ "type": "browser" }))
            .send()
            .await
            .expect("chromedriver log")
            .json()
            .await
            .expect("log json");
        let entries = response["value"]
            .as_array()
            .unwrap_or_else(|| panic!("chromedriver gave no log: {response}"));
        entries
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .filter(|message| !message.contains("Failed to load resource"))
            .collect()
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits until the WASM has hydrated the page.
    pub async fn hydrated(&self) {
        self.find("body[data-hydrated]").await;
    }

    /// The URL, any panic, console errors, what the page has fetched (a
    /// fetch still pending, the WASM say, is missing from the list) and the
    /// start of its text (Chromium's own error page names the network error).
    async fn page_state(&self) -> String {
        let url = self.client.current_url().await.map(|u| u.to_string());
        let panic = self
            .client
            .execute("return document.body.dataset.panic || null", vec![])
            .await;
        let console = self.console_errors().await;
        let loaded = self
            .client
            .execute(
                "return document.readyState + ' ' + performance.getEntriesByType('resource')\
                 .map(e => e.name.replace(location.origin, '') + '@' + Math.round(e.responseEnd))\
                 .join(' ') + ' | ' + document.body.innerText.slice(0, 300)",
                vec![],
            )
            .await;
        format!("{url:?}; page panic: {panic:?}; console: {console:?}; loaded: {loaded:?}")
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                self.screenshot("failed-wait").await;
                panic!("no element {css}: {e}; on {}", self.page_state().await)
            }
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Clicks the element, finding it again if the page re-rendered it
    /// between the lookup and the click.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.find(css).await.click().await {
                Ok(()) => return,
                Err(e) if Instant::now() > deadline => panic!("click {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn click_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            for el in self
                .client
                .find_all(Locator::Css(css))
                .await
                .unwrap_or_default()
            {
                if el.text().await.unwrap_or_default().trim() == text {
                    el.click().await.expect("click");
                    return;
                }
            }
            assert!(Instant::now() < deadline, "no {css} with text {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// Waits until the element's text contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return;
            }
            if Instant::now() >= deadline {
                self.screenshot("failed-wait").await;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never contained {needle:?}; last text: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await.expect("url");
            if url.path() == path {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "stayed at {url}, expected {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG when `GUANXI_SCREENSHOTS` names a folder.
    pub async fn screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("GUANXI_SCREENSHOTS") {
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }

    /// Saves a PNG of the whole page, beyond the window, when
    /// `GUANXI_SCREENSHOTS` names a folder (Chromium's DevTools capture,
    /// through chromedriver).
    pub async fn screenshot_full_page(&self, name: &str) {
        let Some(dir) = std::env::var_os("GUANXI_SCREENSHOTS") else {
            return;
        };
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("session id");
        let response: serde_json::Value = reqwest::Client::new()
            .post(format!(
                "{}/session/{session}/goog/cdp/execute",
                self.driver_url
            ))
            .json(&json!({
                "cmd": "Page.captureScreenshot",
                "params": { "format": "png", "captureBeyondViewport": true },
            }))
            .send()
            .await
            .expect("capture")
            .json()
            .await
            .expect("capture json");
        let data = response["value"]["data"]
            .as_str()
            .unwrap_or_else(|| panic!("no screenshot: {response}"));
        let png = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data)
            .expect("base64 screenshot");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }

    /// Renders the page as it prints (`media: print`) or back as on screen,
    /// so a screenshot shows what the print stylesheet makes of it.
    pub async fn emulate_print(&self, print: bool) {
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("session id");
        let media = if print { "print" } else { "" };
        let response: serde_json::Value = reqwest::Client::new()
            .post(format!(
                "{}/session/{session}/goog/cdp/execute",
                self.driver_url
            ))
            .json(&json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "media": media },
            }))
            .send()
            .await
            .expect("emulate media")
            .json()
            .await
            .expect("emulate media json");
        assert!(
            response["value"].is_object(),
            "media not emulated: {response}"
        );
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// An HTTP client that keeps cookies and sends this server's Origin on posts,
/// as a browser on the page would.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub const ADMIN_EMAIL: &str = "boss@example.cn";
pub const ADMIN_PASSWORD: &str = "boss password 1";

/// First-run setup over plain HTTP, as a no-JS form post would do it.
pub async fn set_up_over_http(server: &Server, default_locale: &str) {
    let response = http()
        .post(server.url("/api/set_up"))
        .header("Origin", &server.base)
        .form(&[
            ("company_name", "星辰科技有限公司"),
            ("currency", "CNY"),
            ("time_zone", "Asia/Shanghai"),
            ("default_locale", default_locale),
            ("admin_name", "王总"),
            ("admin_email", ADMIN_EMAIL),
            ("admin_password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "setup failed: {}",
        response.status()
    );
}

/// Signs in over HTTP and returns a client holding the session cookie.
pub async fn log_in_over_http(server: &Server, email: &str, password: &str) -> reqwest::Client {
    let client = http();
    let response = client
        .post(server.url("/api/log_in"))
        .header("Origin", &server.base)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "login failed: {}",
        response.status()
    );
    client
}

/// Creates a user through the admin's session, as the users page does.
pub async fn create_user_over_http(
    admin: &reqwest::Client,
    server: &Server,
    email: &str,
    name: &str,
    role: &str,
    team: &str,
    password: &str,
) {
    let created = admin
        .post(server.url("/api/create_user"))
        .header("Origin", &server.base)
        .form(&[
            ("email", email),
            ("name", name),
            ("role", role),
            ("team", team),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
}

/// Calls a server function the way a no-JS form post would; returns the
/// status and the JSON answer.
pub async fn call_fn(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(server.url(&format!("/api/{name}")))
        .header("Origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let json = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, json)
}

impl Browser {
    /// Signs in through the login page and waits for the workbench.
    pub async fn sign_in(&self, server: &Server, email: &str, password: &str) {
        self.goto(&server.url("/login")).await;
        self.hydrated().await;
        self.fill("#f-email", email).await;
        self.fill("#f-password", password).await;
        self.click("#login-form button[type=submit]").await;
        self.wait_path("/").await;
        self.hydrated().await;
    }

    /// Puts a file from disk into an `<input type=file>`.
    pub async fn choose_file(&self, css: &str, path: &Path) {
        self.find(css)
            .await
            .send_keys(&path.display().to_string())
            .await
            .expect("choose file");
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.expect("script")
    }
}

impl Browser {
    /// Drags one element onto another with the mouse (pointer events, the
    /// way a person would: press, move a little, move over the target, release).
    pub async fn drag(&self, from: &str, to: &str) {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let source = self.find(from).await;
        let target = self.find(to).await;
        let step = Some(Duration::from_millis(150));
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement {
                element: source,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveBy {
                duration: step,
                x: 12.0,
                y: 8.0,
            })
            .then(PointerAction::MoveToElement {
                element: target,
                duration: step,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client.perform_actions(mouse).await.expect("drag");
        self.client.release_actions().await.expect("release");
    }

    /// Moves the mouse over the middle of an element, as a person pointing at it.
    pub async fn hover(&self, css: &str) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let element = self.find(css).await;
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element,
            duration: Some(Duration::from_millis(100)),
            x: 0.0,
            y: 0.0,
        });
        self.client.perform_actions(mouse).await.expect("hover");
        self.client.release_actions().await.expect("release");
    }

    /// Waits until nothing matches `css` any more.
    pub async fn gone(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        while !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
            .is_empty()
        {
            assert!(Instant::now() < deadline, "{css} is still there");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Picks an option of a `<select>` by its value.
    pub async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .expect("choose option");
    }

    /// Presses a key in the focused element (`\u{E014}` is the right arrow).
    pub async fn press(&self, css: &str, key: &str) {
        self.find(css).await.send_keys(key).await.expect("key");
    }
}

/// Creates a company customer owned by `client`'s user, as the form does,
/// and returns its id.
pub async fn create_customer_over_http(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
) -> String {
    let (status, id) = call_fn(
        client,
        server,
        "create_customer",
        &[
            ("customer[name]", name),
            ("customer[kind]", "company"),
            ("customer[customer_type]", "potential"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

/// Creates a deal in the first stage of the default pipeline from the deal
/// form's fields (`deal[customer_id]`, `deal[title]`, …); returns its id.
pub async fn create_deal_with(
    client: &reqwest::Client,
    server: &Server,
    fields: &[(&str, &str)],
) -> String {
    let (status, id) = call_fn(client, server, "create_deal", fields).await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

/// `create_deal_with` for the usual three fields.
pub async fn create_deal_over_http(
    client: &reqwest::Client,
    server: &Server,
    customer: &str,
    title: &str,
    amount: &str,
) -> String {
    create_deal_with(
        client,
        server,
        &[
            ("deal[customer_id]", customer),
            ("deal[title]", title),
            ("deal[amount]", amount),
        ],
    )
    .await
}
