//! The audit log, end to end: a failed sign-in, a sign-in and a customer
//! edit made in the browser, then found by the admin on the audit page,
//! filtered through its URL, in English and Chinese.

use e2e::*;

#[tokio::test]
async fn admin_finds_sign_ins_a_failed_one_and_a_customer_edit_in_the_audit_log() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let id = create_customer_over_http(&admin, &server, "上海明月贸易").await;

    let browser = Browser::start("en-US").await;
    browser.goto(&server.url("/login")).await;
    browser.hydrated().await;
    browser.fill("#f-email", "intruder@example.cn").await;
    browser.fill("#f-password", "a guess that fails").await;
    browser.click("#login-form button[type=submit]").await;
    browser
        .wait_text("#login-form .alert-error", "Wrong email or password.")
        .await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    browser
        .goto(&server.url(&format!("/customers/{id}/edit")))
        .await;
    browser.find("#customer-form[data-hydrated]").await;
    browser.fill("#f-customer-region", "浦东").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_text(".facts", "浦东").await;

    browser.click(".nav a[href='/admin/audit']").await;
    browser.wait_path("/admin/audit").await;
    browser.hydrated().await;
    browser
        .wait_text("#audit-table", "intruder@example.cn")
        .await;
    browser.wait_text("#audit-table", "Region: 浦东").await;
    browser.wait_text("#audit-table", "Sign-in failed").await;
    browser.screenshot("audit-log-all").await;

    // The filters go into the URL: only sign-ins, then only today's
    // customer changes.
    browser
        .choose("#audit-filters select[name=kind]", "session")
        .await;
    browser.click("#audit-filters button[type=submit]").await;
    browser.gone("#audit-table tr[data-kind=customer]").await;
    browser
        .wait_text("#audit-table", "intruder@example.cn")
        .await;
    let url = browser.script("return location.search").await;
    assert!(url.as_str().unwrap().contains("kind=session"), "{url}");

    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    browser
        .goto(&server.url(&format!(
            "/admin/audit?kind=customer&action=update&from={today}&to={today}"
        )))
        .await;
    browser.hydrated().await;
    browser.wait_text("#audit-table", "上海明月贸易").await;
    browser.gone("#audit-table tr[data-kind=session]").await;
    browser.wait_text("#audit-count", "1–1 of 1").await;
    // The download carries the page's filters.
    let csv_href = browser
        .find("#audit-csv")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        csv_href.starts_with("/api/v1/audit.csv?kind=customer&action=update&from="),
        "{csv_href}"
    );
    browser.screenshot("audit-log").await;
    browser.click_text(".topbar .lang-option", "中文").await;
    browser.wait_text("h1", "审计日志").await;
    browser.wait_text("#audit-table", "修改").await;
    browser.screenshot("audit-log-zh").await;
    browser.click_text(".topbar .lang-option", "English").await;
    browser.wait_text("h1", "Audit log").await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());

    // A day that does not exist is refused in words.
    browser
        .goto(&server.url("/admin/audit?from=2026-02-30"))
        .await;
    browser
        .wait_text(".alert-error", "Choose a first and a last day")
        .await;
    browser.close().await;

    let csv = |href: String| {
        let admin = admin.clone();
        let url = server.url(&href);
        async move {
            let response = admin.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    let edits = csv(csv_href).await;
    assert_eq!(edits.trim_end().lines().count(), 2, "{edits}");
    assert!(edits.contains("Region: 浦东"), "{edits}");
    let failed = csv("/api/v1/audit.csv?action=sign_in_failed".into()).await;
    assert!(failed.contains("intruder@example.cn"), "{failed}");
}

#[tokio::test]
async fn a_deal_page_shows_who_changed_the_deal_from_what_to_what() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "北京星辰").await;
    let deal = create_deal_over_http(&admin, &server, &customer, "ERP 升级", "1000").await;
    let (status, suspended) = call_fn(
        &admin,
        &server,
        "suspend_deal",
        &[("id", deal.as_str()), ("suspended", "true")],
    )
    .await;
    assert_eq!(status, 200, "{suspended}");

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-changes", "状态：进行中 → 已暂停")
        .await;
    browser.wait_text("#deal-changes", "新建").await;
    browser.wait_text("#deal-changes", "王总").await;
    // Amounts read as money, owners and the customer by name: not cents and ids.
    browser.wait_text("#deal-changes", "金额：1000.00").await;
    browser.wait_text("#deal-changes", r#""user":"王总""#).await;
    browser.wait_text("#deal-changes", "客户：北京星辰").await;
    browser.screenshot_full_page("audit-deal-changes").await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}
