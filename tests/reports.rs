//! The dashboards and the workbench end to end: deals created and moved in
//! the browser change the funnel and the forecast; the charts are in the
//! server's HTML before any WASM runs; a bar opens the list behind it; the
//! CSV has the numbers shown; screenshots at desktop and phone width in
//! both languages.

use e2e::*;

fn today() -> String {
    // The company's zone (Shanghai) decides the month; near midnight UTC
    // the two may differ by a day, never by a month except on its last
    // day, which the forecast test avoids by reading the month it shows.
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn deals_created_and_moved_in_the_browser_change_the_funnel_and_forecast() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_customer_over_http(&admin, &server, "上海远景物流").await;

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/deals/new")).await;
    browser.hydrated().await;
    browser.find("#deal-form[data-hydrated]").await;
    browser.fill("#f-deal-customer", "远景").await;
    browser.click_text(".picker-hit", "上海远景物流").await;
    browser.fill("#f-deal-title", "Server room").await;
    browser.fill("#f-deal-amount", "120,000").await;
    browser
        .script(&format!(
            "document.querySelector('#f-deal-expected_close').value = '{}'",
            today()
        ))
        .await;
    browser.fill("#f-deal-confidence", "50").await;
    browser.click("#deal-form button[type=submit]").await;
    browser.wait_text("#deal-title", "Server room").await;

    browser.goto(&server.url("/reports/pipeline")).await;
    browser.hydrated().await;
    // The first stage holds the deal: 1 deal worth ¥120,000 (10 % weighted).
    browser.wait_text("#funnel-chart", "1 · ¥120,000.00").await;
    browser.wait_text("#kpi-open", "¥120,000.00").await;
    // This month's confidence forecast: 120,000 × 50 %.
    let csv = csv_of(&browser, "#forecast-chart").await;
    assert!(csv.contains("\"¥60,000.00\""), "{csv}");
    // Once hydrated, pointing at a bar shows its value beside the pointer,
    // the text its SVG title gave before.
    browser
        .script(
            "const bar = [...document.querySelectorAll('#forecast-chart .chart-bar')]
               .find(b => b.textContent.includes('¥60,000.00'));
             bar.id = 'pointed-bar';",
        )
        .await;
    browser.hover("#pointed-bar").await;
    browser
        .wait_text("#forecast-chart .chart-tip.shown", "¥60,000.00")
        .await;
    let label = browser
        .script("return document.querySelector('#pointed-bar').getAttribute('aria-label')")
        .await;
    assert_eq!(
        label.as_str(),
        Some(browser.text("#forecast-chart .chart-tip").await.as_str())
    );
    browser.screenshot("reports-one-deal-en").await;

    // Moved on the board to the third stage (needs analysis, 40 %).
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser.find("#board[data-live='true']").await;
    let card = ".board-column:nth-child(1) .deal-card";
    browser.find(card).await;
    browser.drag(card, ".board-column:nth-child(3)").await;
    browser.find(".board-column:nth-child(3) .deal-card").await;
    browser
        .wait_text(".board-column:nth-child(3) .column-count", "1")
        .await;

    browser.goto(&server.url("/reports/pipeline")).await;
    browser.hydrated().await;
    let funnel = csv_of(&browser, "#funnel-chart").await;
    let rows: Vec<&str> = funnel.lines().collect();
    assert!(
        rows[1].ends_with(",0,¥0.00,¥0.00"),
        "first stage empty now: {funnel}"
    );
    assert!(
        rows[3].contains(",1,\"¥120,000.00\",\"¥48,000.00\""),
        "third stage holds it, weighted 40 %: {funnel}"
    );
    // The move taught the stage model that the first stage converts.
    browser.wait_text("#forecast-model tbody", "100%").await;
    let model = browser.text("#forecast-model tbody tr:first-child").await;
    assert!(model.contains("100%") && model.ends_with('1'), "{model}");
    // Conversion: the deal created this month reached stages 1 to 3.
    let conversion = csv_of(&browser, "#conversion-chart").await;
    let reached: Vec<&str> = conversion
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(&reached[..4], ["1", "1", "1", "0"], "{conversion}");
    browser.screenshot_full_page("reports-moved-en").await;

    // A click on the third funnel step opens the board with its deals.
    browser
        .click("#funnel-chart a.chart-link:nth-of-type(2)")
        .await;
    browser.wait_path("/pipeline").await;
    browser.find(".board-column:nth-child(3) .deal-card").await;
    // A forecast bar opens the deals expected that month.
    browser.goto(&server.url("/reports/pipeline")).await;
    browser.hydrated().await;
    browser.click("#forecast-chart a.chart-link").await;
    browser.wait_path("/pipeline").await;
    let url = browser.script("return location.search").await;
    assert!(url.as_str().unwrap().contains("month="), "{url}");
    browser.find(".board-column:nth-child(3) .deal-card").await;
}

/// The CSV behind a chart, from its download link.
async fn csv_of(browser: &Browser, figure: &str) -> String {
    browser.find(&format!("{figure} .chart-csv")).await;
    let csv = browser
        .script(&format!(
            "const a = document.querySelector('{figure} .chart-csv'); \
             return decodeURIComponent(a.getAttribute('href').split(',').slice(1).join(','))"
        ))
        .await;
    csv.as_str()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string()
}

#[tokio::test]
async fn charts_are_in_the_server_html_before_any_wasm() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "北京星辰科技").await;
    create_deal_over_http(&admin, &server, &customer, "机房升级", "1,280,000").await;
    let html = admin
        .get(server.url("/reports/pipeline"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        r#"id="funnel-chart""#,
        r#"class="chart-svg" role="img""#,
        "<title>初期沟通：1 个商机，¥1,280,000.00，加权 ¥128,000.00</title>",
        r#"<a href="/pipeline?pipeline="#,
        // ¥ and 万 on the forecast's money axis.
        "万</text>",
        "下载 CSV",
        "查看数据",
    ] {
        assert!(
            html.contains(needle),
            "{needle} missing from the server's HTML"
        );
    }
    let customers = admin
        .get(server.url("/reports/customers"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let year = &today()[..4];
    for needle in [
        r#"id="customer-kpis""#,
        r#"id="kpi-new-customers""#,
        r#"id="created-by-type""#,
        r#"id="types-now""#,
        r#"class="chart-svg" role="img""#,
        r#"id="cohorts""#,
        "客户群组（按创建年份）",
        // The one customer, created this year, potential: the darkest cell,
        // a link to the customers created that year of that type.
        "heat-cell heat-5",
        &format!("created_from={year}-01-01&amp;created_to={year}-12-31&amp;type=potential"),
        "下载 CSV",
    ] {
        assert!(
            customers.contains(needle),
            "{needle} missing from the customer analytics' HTML"
        );
    }
    let home = admin
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(r#"id="my-numbers""#),
        "the workbench's numbers"
    );
    assert!(home.contains("¥128万"), "open pipeline in 万");
}

/// Screenshots of the workbench and the dashboard on demo data, at desktop
/// and phone width, in Chinese and English, for a person to look at.
#[tokio::test]
async fn dashboards_on_demo_data_at_desktop_and_phone_width() {
    let data = tempfile::tempdir().unwrap();
    let out = cli(data.path(), &["demo-data", "--size", "small"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let manager = said
        .split("a manager: ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("a manager's email")
        .to_string();
    let admin = said
        .split("sign in as ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the admin's email")
        .to_string();
    let server = Server::start_on(data.path());
    for (who, email) in [("admin", &admin), ("manager", &manager)] {
        for (language, tag) in [("zh-CN", "zh"), ("en-US", "en")] {
            for (width, height, size) in [(1280, 900, "desktop"), (390, 844, "phone")] {
                let browser = Browser::start_sized(language, width, height).await;
                browser.sign_in(&server, email, "guanxi-demo").await;
                browser.find("#my-numbers").await;
                browser
                    .screenshot_full_page(&format!("workbench-{who}-{tag}-{size}"))
                    .await;
                browser
                    .goto(&server.url("/reports/customers?period=year"))
                    .await;
                browser.hydrated().await;
                browser.find("#created-by-type svg").await;
                browser.find("#cohorts td.heat-cell").await;
                browser
                    .screenshot_full_page(&format!("customers-{who}-{tag}-{size}"))
                    .await;
                assert!(
                    browser.console_errors().await.is_empty(),
                    "{:?}",
                    browser.console_errors().await
                );
                if who == "admin" {
                    browser
                        .goto(&server.url("/reports/pipeline?period=year"))
                        .await;
                    browser.hydrated().await;
                    browser.find("#forecast-chart svg").await;
                    browser
                        .screenshot_full_page(&format!("reports-{tag}-{size}"))
                        .await;
                    browser
                        .goto(&server.url("/reports/activity?period=quarter"))
                        .await;
                    browser.hydrated().await;
                    browser.find("#activity-by-kind svg").await;
                    browser
                        .screenshot_full_page(&format!("activity-{tag}-{size}"))
                        .await;
                    assert!(
                        browser.console_errors().await.is_empty(),
                        "{:?}",
                        browser.console_errors().await
                    );
                }
                browser.close().await;
            }
        }
    }
}

/// With no script at all the dashboards still show their charts, and a
/// chart's link still opens the list behind it.
#[tokio::test]
async fn dashboards_work_without_javascript() {
    let data = tempfile::tempdir().unwrap();
    let out = cli(data.path(), &["demo-data", "--size", "small"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start_on(data.path());
    let browser = Browser::start_without_javascript("zh-CN").await;
    browser.goto(&server.url("/login")).await;
    browser.fill("#f-email", "admin@example.com").await;
    browser.fill("#f-password", "guanxi-demo").await;
    browser.click("#login-form button[type=submit]").await;
    browser.find("#my-numbers").await;
    browser.screenshot_full_page("nojs-workbench-zh").await;
    browser
        .goto(&server.url("/reports/pipeline?period=year"))
        .await;
    browser.find("#funnel-chart svg .chart-link").await;
    browser.screenshot_full_page("nojs-reports-zh").await;
    browser
        .goto(&server.url("/reports/activity?period=quarter"))
        .await;
    browser.find("#activity-by-kind svg .chart-link").await;
    browser.screenshot_full_page("nojs-activity-zh").await;
    browser
        .goto(&server.url("/reports/customers?period=year"))
        .await;
    browser.find("#created-by-type svg .chart-link").await;
    browser.find("#cohorts td.heat-cell a").await;
    browser.screenshot_full_page("nojs-customers-zh").await;
    browser
        .goto(&server.url("/reports/pipeline?period=year"))
        .await;
    browser.click("#funnel-chart a.chart-link").await;
    browser.wait_path("/pipeline").await;
    browser.find(".board-column .deal-card").await;
}

/// A cohort cell and a bar of the monthly chart each open the customer
/// list filtered to the customers they count: the list's total is the
/// number that was clicked.
#[tokio::test]
async fn a_cohort_cell_opens_the_customers_it_counts() {
    let data = tempfile::tempdir().unwrap();
    let out = cli(data.path(), &["demo-data", "--size", "small"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let manager = said
        .split("a manager: ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("a manager's email")
        .to_string();
    let server = Server::start_on(data.path());
    for (email, language) in [("admin@example.com", "zh-CN"), (manager.as_str(), "en-US")] {
        let browser = Browser::start(language).await;
        browser.sign_in(&server, email, "guanxi-demo").await;
        let mut pages = vec!["period=year".to_string()];
        if language == "zh-CN" {
            // Narrowed to a team: the list is narrowed the same way.
            browser
                .goto(&server.url("/reports/customers?period=year"))
                .await;
            browser.hydrated().await;
            browser
                .find("select[name=team] option[value]:not([value=''])")
                .await;
            let team = browser
                .script(
                    "return encodeURIComponent(document.querySelector(\
                     \"select[name=team] option[value]:not([value=''])\").value)",
                )
                .await;
            pages.push(format!("period=year&team={}", team.as_str().unwrap()));
        }
        for page in &pages {
            for (chart, marks) in [
                ("cohorts", "#cohorts td.heat-cell a"),
                ("created-by-type", "#created-by-type svg a.chart-link"),
            ] {
                browser
                    .goto(&server.url(&format!("/reports/customers?{page}")))
                    .await;
                browser.hydrated().await;
                browser.find(marks).await;
                // The largest figure of the chart: a cell's text, a bar's title.
                let picked = browser
                    .script(&format!(
                        "const marks = [...document.querySelectorAll('{marks}')]; \
                         const count = a => parseInt(a.textContent.replace(/^[^:：]*[:：]\\s*/, ''), 10) || 0; \
                         const best = marks.reduce((b, a) => count(a) > count(b) ? a : b); \
                         best.id = 'picked-mark'; return count(best)"
                    ))
                    .await;
                let expected = picked.as_u64().expect("a count");
                assert!(expected > 0, "{chart}: no mark with customers");
                browser.click("#picked-mark").await;
                browser.wait_path("/customers").await;
                browser.find("#list-count").await;
                let query = browser.script("return location.search").await;
                let query = query.as_str().unwrap().to_string();
                assert!(query.contains("created_from="), "{query}");
                assert_eq!(page.contains("team="), query.contains("team="), "{query}");
                let shown = browser.text("#list-count").await;
                let numbers: Vec<u64> = shown
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|n| !n.is_empty())
                    .map(|n| n.parse().unwrap())
                    .collect();
                // "共 {total} 个，第 {from}–{to} 个" or "{from}–{to} of {total}".
                let total = if language == "zh-CN" {
                    numbers[0]
                } else {
                    numbers[2]
                };
                assert_eq!(
                    total, expected,
                    "{chart} ({email}, {page}): {shown} after {query}"
                );
            }
        }
        browser.close().await;
    }
}
