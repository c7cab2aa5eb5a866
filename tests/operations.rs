//! Operations, end to end: backups from the admin page and the API,
//! restore and check from the command line, scripted setup, and the
//! security headers pages hydrate under.

use e2e::*;

/// Every customer name the admin's session can list.
async fn customer_names(client: &reqwest::Client, server: &Server) -> Vec<String> {
    let list: serde_json::Value = client
        .get(server.url("/api/v1/customers?per_page=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut names: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn admin_downloads_a_backup_and_restores_it_with_the_cli() {
    let mut server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_customer_over_http(&admin, &server, "备份前的客户").await;

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.click(".nav a[href='/admin/backups']").await;
    browser.wait_path("/admin/backups").await;
    browser.hydrated().await;
    browser.wait_text("#backup-files", "No snapshots yet").await;
    browser
        .click("#snapshot-now-form button[type=submit]")
        .await;
    browser.wait_text("#backups-table", "Scheduled").await;
    browser.fill("#f-daily", "0").await;
    browser.fill("#f-weekly", "0").await;
    browser.fill("#f-monthly", "0").await;
    browser
        .click("#backup-policy-form button[type=submit]")
        .await;
    browser
        .wait_text("#backup-policy-form", "between 1 and 366")
        .await;
    browser.fill("#f-daily", "10").await;
    browser
        .click("#backup-policy-form button[type=submit]")
        .await;
    browser.wait_text("#backup-policy-form", "Saved").await;
    browser.screenshot("backups").await;
    browser.click_text(".topbar .lang-option", "中文").await;
    browser.wait_text("h1", "备份").await;
    browser.screenshot("backups-zh").await;
    browser.click_text(".topbar .lang-option", "English").await;
    browser.wait_text("h1", "Backups").await;
    let download = browser
        .find("#download-backup")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(download.as_deref(), Some("/api/v1/backup"));
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;

    let response = admin
        .get(server.url("/api/v1/backup"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let snapshot = response.bytes().await.unwrap();
    create_customer_over_http(&admin, &server, "备份后的客户").await;
    assert_eq!(
        customer_names(&admin, &server).await,
        ["备份前的客户", "备份后的客户"]
    );

    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("downloaded.redb");
    std::fs::write(&file, &snapshot).unwrap();
    // Refused while the server holds the folder, and nothing changes.
    let refused = cli(&server.data, &["restore", file.to_str().unwrap()], "");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("in use"),
        "{refused:?}"
    );

    assert!(server.stop(), "server stops cleanly");
    let restored = cli(&server.data, &["restore", file.to_str().unwrap()], "");
    let out = String::from_utf8_lossy(&restored.stdout);
    assert!(restored.status.success(), "{restored:?}");
    assert!(out.contains("customers      1"), "{out}");
    assert!(out.contains("before-restore-"), "{out}");
    let checked = cli(&server.data, &["check"], "");
    assert!(checked.status.success(), "{checked:?}");
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("indexes        consistent"),
        "{checked:?}"
    );

    let _kept = server.take_dir();
    let data = server.data.clone();
    drop(server);
    let server = Server::start_on(&data);
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(customer_names(&admin, &server).await, ["备份前的客户"]);
}

#[tokio::test]
async fn pages_hydrate_under_a_policy_that_allows_only_our_own_scripts() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let page = http().get(server.url("/login")).send().await.unwrap();
    let headers = page.headers().clone();
    let policy = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"))
        .to_string();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
    // Another response, another nonce.
    let again = http().get(server.url("/login")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
    let health = http().get(server.url("/healthz")).send().await.unwrap();
    assert!(
        health.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );

    // The browser runs the page under that policy: it hydrates, a lazy
    // page's split module loads, and nothing is blocked.
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.click(".nav a[href='/customers']").await;
    browser.wait_path("/customers").await;
    browser.hydrated().await;
    // A filter that submits itself on change (an inline handler the policy
    // admits by its hash).
    browser.choose("#filter-sort", "name").await;
    let mut search = serde_json::Value::Null;
    for _ in 0..50 {
        search = browser.script("return location.search").await;
        if search.as_str().is_some_and(|s| s.contains("sort=name")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        search.as_str().unwrap_or("").contains("sort=name"),
        "{search}"
    );
    browser.goto(&server.url("/admin/settings")).await;
    browser.hydrated().await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}

#[tokio::test]
async fn setup_from_the_command_line_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let short = cli(
        &data,
        &[
            "setup",
            "--company",
            "星辰科技",
            "--admin-email",
            "boss@example.cn",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("10"),
        "{short:?}"
    );
    let done = cli(
        &data,
        &[
            "setup",
            "--company",
            "星辰科技",
            "--admin-email",
            "boss@example.cn",
            "--language",
            "en",
        ],
        "boss password 1\n",
    );
    assert!(done.status.success(), "{done:?}");
    let again = cli(
        &data,
        &[
            "setup",
            "--company",
            "别的公司",
            "--admin-email",
            "x@example.cn",
        ],
        "boss password 1\n",
    );
    assert!(!again.status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("guanxi.redb")), 0o600);
    }
    let server = Server::start_on(&data);
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let me: serde_json::Value = admin
        .get(server.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin", "{me}");
}

/// HTTPS with the admin's own certificate: plain HTTP to the port gets no
/// page, the pages load and hydrate over TLS, and the session cookie is
/// `Secure`, so the password and the session never cross the office Wi-Fi
/// in the clear.
#[tokio::test]
async fn https_with_the_admins_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=guanxi.test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl");
    assert!(made.status.success(), "{made:?}");
    let done = cli(
        &data,
        &[
            "setup",
            "--company",
            "星辰科技",
            "--admin-email",
            ADMIN_EMAIL,
            "--language",
            "en",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert!(done.status.success(), "{done:?}");
    let mut command = std::process::Command::new(binary());
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key);
    let server = Server::start_command(command, &data, std::time::Duration::from_secs(20));
    assert!(server.base.starts_with("https://"), "{}", server.base);

    let plain = http()
        .get(server.url("/healthz").replacen("https://", "http://", 1))
        .send()
        .await;
    assert!(
        plain.as_ref().map_or(true, |r| !r.status().is_success()),
        "{plain:?}"
    );

    let browser = Browser::start_accepting_any_certificate("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let cookies = browser.client.get_all_cookies().await.unwrap();
    let session = cookies
        .iter()
        .find(|c| c.name() == "guanxi_session")
        .unwrap_or_else(|| panic!("no session cookie in {cookies:?}"));
    assert_eq!(session.secure(), Some(true), "{session:?}");
    browser.goto(&server.url("/customers/new")).await;
    browser.find("#customer-form[data-hydrated]").await;
    browser.fill("#f-customer-name", "深圳海蓝科技").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_text("#customer-name", "深圳海蓝科技").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}
