//! The foundation, end to end: the real binary, a real browser.

use e2e::*;

#[tokio::test]
async fn healthz_reports_app_and_schema_versions() {
    let server = Server::start();
    let health: serde_json::Value = http()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert!(health["schema_version"].as_u64().unwrap() >= 2);
}

#[tokio::test]
async fn server_html_holds_the_page_before_any_wasm_runs() {
    let server = Server::start();
    let client = http();
    let first = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(
        first.status(),
        303,
        "before setup every page leads to setup"
    );
    assert_eq!(first.headers()["location"], "/setup");

    let html = client
        .get(server.url("/setup"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        // Erased components leave an empty marker comment after text.
        .replace("<!>", "");
    assert!(html.contains("<h1>Welcome to Guanxi CRM</h1>"), "{html}");
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains(r#"name="admin_email""#));

    let zh = client
        .get(server.url("/setup"))
        .header("Accept-Language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("欢迎使用关系 CRM"));
}

#[tokio::test]
async fn assets_are_hashed_compressed_and_cached_for_a_year() {
    let server = Server::start();
    let html = http()
        .get(server.url("/setup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The bundle lives in a folder named by the hash of its contents.
    let wasm = html
        .split('"')
        .find(|s| s.starts_with("/pkg/") && s.ends_with("/guanxi.wasm"))
        .expect("the wasm's path in the page");
    let folder = wasm.split('/').nth(2).unwrap();
    assert!(
        folder.len() == 16 && folder.chars().all(|c| c.is_ascii_hexdigit()),
        "{wasm} is not in a hash-named folder"
    );
    let response = http()
        .get(server.url(wasm))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    // Over plain HTTP browsers ask for gzip only.
    let gzip = http()
        .get(server.url(wasm))
        .header("Accept-Encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(&gzip.bytes().await.unwrap()[..2], b"\x1f\x8b");
    let plain = http().get(server.url(wasm)).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(&plain.bytes().await.unwrap()[..4], b"\0asm");
    // Pages are compressed as they are made, gzip for plain HTTP.
    let page = http()
        .get(server.url("/setup"))
        .header("Accept-Encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    let mut html = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&page.bytes().await.unwrap()[..]),
        &mut html,
    )
    .unwrap();
    assert!(html.contains("/guanxi.wasm"), "{html}");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let forged = http()
        .post(server.url("/api/log_in"))
        .header("Origin", "http://evil.example")
        .form(&[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let no_origin = http()
        .post(server.url("/api/log_in"))
        .form(&[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(no_origin.status(), 403);
    assert!(
        no_origin.headers().get("set-cookie").is_none(),
        "no session was opened"
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_with_a_clear_message() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let client = http();
    let attempt = || {
        client
            .post(server.url("/api/log_in"))
            .header("Origin", &server.base)
            .header("Accept-Language", "en")
            .form(&[("email", ADMIN_EMAIL), ("password", "guessing password")])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt().await.unwrap().status(), 401);
    }
    let throttled = attempt().await.unwrap();
    assert_eq!(throttled.status(), 429);
    let body = throttled.text().await.unwrap();
    assert!(body.contains("RateLimited"), "{body}");
    // Even the right password waits now.
    let right = client
        .post(server.url("/api/log_in"))
        .header("Origin", &server.base)
        .form(&[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 429);
}

#[tokio::test]
async fn setup_runs_once_only() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let again = http()
        .post(server.url("/api/set_up"))
        .header("Origin", &server.base)
        .form(&[
            ("company_name", "Another"),
            ("currency", "CNY"),
            ("time_zone", "Asia/Shanghai"),
            ("default_locale", "en"),
            ("admin_name", "Mallory"),
            ("admin_email", "mallory@example.cn"),
            ("admin_password", "mallory password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    let setup_page = http().get(server.url("/setup")).send().await.unwrap();
    assert_eq!(setup_page.headers()["location"], "/login");
}

/// The whole first day: setup in the browser, add a rep, sign out, a wrong
/// password, the rep signs in and is kept out of admin pages, then switches
/// language.
#[tokio::test]
async fn first_run_setup_then_users_roles_and_language() {
    let server = Server::start();
    let browser = Browser::start("en-US").await;

    browser.goto(&server.url("/")).await;
    browser.wait_path("/setup").await;
    browser.hydrated().await;
    browser.screenshot("setup").await;
    browser.fill("#f-company_name", "星辰科技有限公司").await;
    browser.fill("#f-admin_name", "Wang Fang").await;
    browser.fill("#f-admin_email", ADMIN_EMAIL).await;
    browser.fill("#f-admin_password", "short").await;
    browser.click("#setup-form button[type=submit]").await;
    browser
        .wait_text("#setup-form .field-error", "At least 10 characters.")
        .await;
    browser.fill("#f-admin_password", ADMIN_PASSWORD).await;
    browser.click("#setup-form button[type=submit]").await;

    browser.wait_path("/").await;
    browser.wait_text("h1", "Hello, Wang Fang").await;
    browser.wait_text(".company-name", "星辰科技有限公司").await;
    browser.hydrated().await;
    browser.screenshot("workbench").await;

    // Hydration: the add-user dialog opens without a page load.
    browser.click(".nav a[href='/admin/users']").await;
    browser.wait_path("/admin/users").await;
    browser.click("#add-user").await;
    browser.find("#create-user-form").await;
    browser.fill("#create-user-form #f-name", "李娜").await;
    // The browser accepts a@b as an address; the server wants a dotted domain.
    browser
        .fill("#create-user-form #f-email", "li.na@example")
        .await;
    browser.fill("#create-user-form #f-team", "华东").await;
    browser
        .fill("#create-user-form #f-password", "rep password 1")
        .await;
    browser.click("#create-user-form button[type=submit]").await;
    browser
        .wait_text("#create-user-form .field-error", "valid email")
        .await;
    browser
        .fill("#create-user-form #f-email", "li.na@example.cn")
        .await;
    browser.click("#create-user-form button[type=submit]").await;
    browser.wait_text("#users-table", "li.na@example.cn").await;
    browser.wait_text("#users-table", "华东").await;
    browser.screenshot("users").await;

    // Sign out, then a wrong password.
    browser.click(".logout-form button").await;
    browser.wait_path("/login").await;
    browser.hydrated().await;
    browser.fill("#f-email", "li.na@example.cn").await;
    browser.fill("#f-password", "wrong password").await;
    browser.click("#login-form button[type=submit]").await;
    browser
        .wait_text("#login-form .alert-error", "Wrong email or password.")
        .await;
    browser.screenshot("login-error").await;

    // The rep signs in: no admin links, and admin pages answer "not allowed".
    browser.fill("#f-password", "rep password 1").await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_path("/").await;
    browser.wait_text("h1", "Hello, 李娜").await;
    let admin_links = browser
        .client
        .find_all(Locator::Css(".nav a[href^='/admin']"))
        .await
        .unwrap();
    assert!(admin_links.is_empty(), "a rep sees no admin navigation");
    browser.goto(&server.url("/admin/users")).await;
    browser.wait_text("h1", "Not allowed").await;

    // Switch language: the text changes at once and stays after a reload.
    browser.goto(&server.url("/")).await;
    browser.hydrated().await;
    browser.click_text(".topbar .lang-option", "中文").await;
    browser.wait_text(".nav", "工作台").await;
    browser.wait_text("h1", "你好，李娜").await;
    browser.screenshot("workbench-zh").await;
    browser.client.refresh().await.unwrap();
    browser.wait_text(".nav", "工作台").await;
    browser.hydrated().await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test]
async fn rep_gets_403_from_admin_pages_and_admin_server_functions() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let created = admin
        .post(server.url("/api/create_user"))
        .header("Origin", &server.base)
        .form(&[
            ("email", "rep@example.cn"),
            ("name", "Rep"),
            ("role", "rep"),
            ("team", ""),
            ("password", "rep password 1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());

    let rep = log_in_over_http(&server, "rep@example.cn", "rep password 1").await;
    let page = rep.get(server.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let settings = rep.get(server.url("/admin/settings")).send().await.unwrap();
    assert_eq!(settings.status(), 403);
    let call = rep
        .post(server.url("/api/list_users"))
        .header("Origin", &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(call.status(), 403);
    let update = rep
        .post(server.url("/api/update_company"))
        .header("Origin", &server.base)
        .form(&[
            ("name", "Hijacked"),
            ("currency", "USD"),
            ("time_zone", "UTC"),
            ("default_locale", "en"),
            ("session_idle_minutes", "60"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(update.status(), 403);
    let company: serde_json::Value = admin
        .post(server.url("/api/get_company"))
        .header("Origin", &server.base)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(company["name"], "星辰科技有限公司", "nothing changed");

    // The same rule over REST.
    let rest = rep.get(server.url("/api/v1/users")).send().await.unwrap();
    assert_eq!(rest.status(), 403);
    let anonymous = http().get(server.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn cli_manages_users_and_tokens_of_a_stopped_server() {
    let mut server = Server::start();
    set_up_over_http(&server, "en").await;
    let data = server.data.clone();
    let _keep = server.take_dir();

    let busy = cli(
        &data,
        &[
            "user",
            "add",
            "--email",
            "x@example.cn",
            "--name",
            "X",
            "--role",
            "rep",
        ],
        "pw pw pw pw pw\n",
    );
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("in use by another Guanxi process"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );

    assert!(server.stop(), "SIGTERM stops the server cleanly");
    let log = server.log();
    assert!(log.contains("database closed"), "{log}");

    let added = cli(
        &data,
        &[
            "user",
            "add",
            "--email",
            "zhao@example.cn",
            "--name",
            "赵磊",
            "--role",
            "manager",
            "--team",
            "华北",
        ],
        "manager password\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let weak = cli(
        &data,
        &["user", "reset-password", "--email", "zhao@example.cn"],
        "short\n",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("At least 10 characters"));
    let token = cli(
        &data,
        &["token", "create", "--email", "zhao@example.cn"],
        "",
    );
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("gx_"));

    let server = Server::start_on(&data);
    let me: serde_json::Value = http()
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "zhao@example.cn");
    assert_eq!(me["role"], "manager");
    assert_eq!(me["team"], "华北");
    let signed_in = log_in_over_http(&server, "zhao@example.cn", "manager password").await;
    let status = signed_in
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

/// An admin adjusts company settings, and manages their own API tokens.
#[tokio::test]
async fn admin_edits_settings_and_manages_tokens() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let browser = Browser::start("en-US").await;
    browser.goto(&server.url("/login")).await;
    browser.hydrated().await;
    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", ADMIN_PASSWORD).await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_path("/").await;

    browser.click(".nav a[href='/admin/settings']").await;
    browser.wait_path("/admin/settings").await;
    browser.fill("#f-time_zone", "Mars/Olympus").await;
    browser.click("#settings-form button[type=submit]").await;
    browser
        .wait_text("#settings-form .field-error", "Unknown time zone")
        .await;
    browser.screenshot("settings-error").await;
    browser.fill("#f-name", "星辰科技（上海）").await;
    browser.fill("#f-time_zone", "Europe/Berlin").await;
    browser.click("#settings-form button[type=submit]").await;
    browser.wait_text("#settings-form", "Saved").await;
    browser.wait_text(".company-name", "星辰科技").await;
    let company: serde_json::Value = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await
        .post(server.url("/api/get_company"))
        .header("Origin", &server.base)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(company["name"], "星辰科技（上海）");
    assert_eq!(company["time_zone"], "Europe/Berlin");

    browser.click(".nav a[href='/account']").await;
    browser.wait_path("/account").await;
    browser.fill("#token-form #f-name", "报表脚本").await;
    browser.click("#token-form button[type=submit]").await;
    let secret = browser.text("#new-token").await;
    assert!(secret.starts_with("gx_"), "{secret}");
    browser.wait_text("#tokens-table", "报表脚本").await;
    browser.screenshot("account").await;
    let me = http()
        .get(server.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    browser.click("#tokens-table .btn-danger").await;
    browser.wait_text("#tokens-card", "No tokens yet.").await;
    let revoked = http()
        .get(server.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 401);
    browser.close().await;
}

/// At phone width the sidebar folds into a menu button.
#[tokio::test]
async fn phone_width_menu_opens_and_navigates() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let browser = Browser::start_sized("zh-CN", 360, 740).await;
    browser.goto(&server.url("/login")).await;
    browser.hydrated().await;
    browser.screenshot("phone-login").await;
    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", ADMIN_PASSWORD).await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_path("/").await;
    browser.hydrated().await;
    let sidebar_hidden = browser
        .client
        .execute(
            "return document.querySelector('.sidebar').getBoundingClientRect().right <= 0;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        sidebar_hidden,
        serde_json::json!(true),
        "sidebar starts folded away"
    );
    browser.screenshot("phone-workbench").await;
    browser.click(".menu-toggle").await;
    browser.find(".app.menu-open").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    browser.screenshot("phone-menu").await;
    browser.click(".nav a[href='/admin/users']").await;
    browser.wait_path("/admin/users").await;
    browser.wait_text("h1", "用户与团队").await;
    assert!(
        browser
            .client
            .find(Locator::Css(".app.menu-open"))
            .await
            .is_err(),
        "the menu closes after choosing a page"
    );
    let width = browser
        .client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 360,
        "no sideways scrolling: {width}"
    );
    browser.screenshot("phone-users").await;
    browser.close().await;
}

#[tokio::test]
async fn the_console_and_the_settings_page_tell_colleagues_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut command = std::process::Command::new(binary());
    command
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(&data);
    let mut server = Server::start_command(command, &data, WAIT);
    // Browsers refuse 0.0.0.0; the server listens on loopback too.
    server.base = server.base.replace("0.0.0.0", "127.0.0.1");
    let port = server.base.rsplit(':').next().unwrap().to_string();

    // Before setup nobody has chosen a language: the console speaks Chinese.
    let deadline = std::time::Instant::now() + WAIT;
    while !server.log().contains("同事可以") && !server.log().contains("只有本机") {
        assert!(std::time::Instant::now() < deadline, "{}", server.log());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let log = server.log();
    let urls: Vec<String> = log
        .lines()
        .filter_map(|line| line.strip_prefix("同事可以在浏览器中打开 "))
        .map(str::to_string)
        .collect();
    for url in &urls {
        assert!(
            url.starts_with("http://") && url.ends_with(&format!(":{port}")),
            "{url}"
        );
        assert!(
            !url.contains("127.0.0.1") && !url.contains("169.254."),
            "{url}"
        );
    }
    if urls.is_empty() {
        assert!(log.contains("只有本机可以打开"), "{log}");
    }

    // The admin finds the same addresses on the settings page.
    set_up_over_http(&server, "en").await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/admin/settings")).await;
    browser.hydrated().await;
    browser
        .wait_text("#staff-addresses", "How colleagues open Guanxi")
        .await;
    let shown = browser.text("#staff-addresses").await;
    if urls.is_empty() {
        assert!(shown.contains("no address colleagues can reach"), "{shown}");
    }
    for url in &urls {
        assert!(shown.contains(url.as_str()), "{url} missing from: {shown}");
    }
    browser.screenshot("settings-staff-addresses").await;
    browser.close().await;

    // A second server on the same port says so in one line naming --listen.
    let busy = cli(
        &dir.path().join("other"),
        &["serve", "--listen", &format!("127.0.0.1:{port}")],
        "",
    );
    assert!(!busy.status.success());
    let said = String::from_utf8_lossy(&busy.stderr);
    let error_lines: Vec<&str> = said.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{said}");
    assert!(
        error_lines[0].contains(&format!("端口 {port} 已被占用")),
        "{said}"
    );
    assert!(error_lines[0].contains("--listen"), "{said}");
}
