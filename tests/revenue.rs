//! Revenue analytics (issue 15): a contract signed and a payment received
//! in the browser move the revenue page's figures and trend; a point of the
//! trend opens the contracts behind it; the charts are in the server's
//! HTML; screenshots on demo data at desktop and phone width.

use e2e::*;

/// This year in the company's zone (Shanghai).
fn today_year() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y")
        .to_string()
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
async fn a_contract_signed_and_paid_in_the_browser_moves_the_revenue_report() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "苏州河畔电子").await;
    let deal = create_deal_over_http(&admin, &server, &customer, "工厂无线网络", "36,000").await;
    let (status, closed) = call_fn(
        &admin,
        &server,
        "close_deal",
        &[("id", &deal), ("outcome", "won"), ("reason", "price")],
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    let (status, contract) =
        call_fn(&admin, &server, "contract_from_deal", &[("deal", &deal)]).await;
    assert_eq!(status, 200, "{contract}");
    let contract = contract.as_str().unwrap().to_string();
    // The company's revenue target for this year: ¥1,200,000.00.
    let year = today_year();
    let mut target = vec![
        ("target[year]", year.as_str()),
        ("target[whom]", "company"),
        ("target[measure]", "revenue"),
        ("target[total]", "1,200,000"),
        ("target[split]", "even"),
    ];
    let months: Vec<String> = (1..=12).map(|m| format!("target[m{m}]")).collect();
    target.extend(months.iter().map(|m| (m.as_str(), "")));
    let (status, set) = call_fn(&admin, &server, "save_target", &target).await;
    assert_eq!(status, 200, "{set}");

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/reports/revenue")).await;
    browser.hydrated().await;
    browser.wait_text("#kpi-revenue .kpi-value", "¥0.00").await;

    // Signed: the month's revenue (¥36,000 and 13 % tax) and orders move,
    // and the trend with them.
    browser
        .goto(&server.url(&format!("/contracts/{contract}")))
        .await;
    browser.hydrated().await;
    browser
        .click("#contract-actions [data-action='sign']")
        .await;
    browser.wait_text(".contract-status", "执行中").await;
    browser.click("nav.nav a[href='/reports/revenue']").await;
    browser
        .wait_text("#kpi-revenue .kpi-value", "¥40,680.00")
        .await;
    browser.wait_text("#kpi-orders .kpi-value", "1").await;
    // The workbench's target tile and the target's progress move with it.
    browser.click("nav.nav a[href='/']").await;
    browser
        .wait_text("#bench-target .target-actual", "40,680")
        .await;
    browser.click("#bench-target a.btn").await;
    browser
        .wait_text(
            "#target-progress [data-period='year'] .target-actual",
            "40,680",
        )
        .await;
    browser.click("nav.nav a[href='/reports/revenue']").await;
    browser
        .wait_text("#kpi-revenue .kpi-value", "¥40,680.00")
        .await;
    let trend = csv_of(&browser, "#money-trend").await;
    assert!(trend.contains("40,680.00"), "{trend}");
    let by_rep = csv_of(&browser, "#money-by-rep").await;
    assert!(by_rep.contains("王总,\"¥40,680.00\",100%,1"), "{by_rep}");

    // The month's point on the trend opens the contracts signed in it.
    browser
        .click("#money-trend svg a.chart-link:nth-of-type(12) circle")
        .await;
    browser.wait_path("/contracts").await;
    browser.wait_text("#contracts-filter", "签约的合同").await;
    browser.wait_text("#contracts-count", "1").await;
    browser
        .find(&format!("a[href='/contracts/{contract}']"))
        .await;

    // Paid: the payments view of the report shows it.
    browser
        .goto(&server.url(&format!("/contracts/{contract}")))
        .await;
    browser.hydrated().await;
    browser.fill("#f-payment-amount", "10,000").await;
    browser.click("#save-payment").await;
    browser.wait_text("#contract-paid", "¥10,000.00").await;
    browser
        .goto(&server.url("/reports/revenue?metric=payments"))
        .await;
    browser.hydrated().await;
    browser
        .wait_text("#kpi-received .kpi-value", "¥10,000.00")
        .await;
    let collection = csv_of(&browser, "#collection").await;
    assert!(collection.contains("10,000.00"), "{collection}");
    // The metric tabs keep the other filters: a quarter of expenses.
    browser.choose("#filter-period", "quarter").await;
    browser.wait_path("/reports/revenue").await;
    browser.click("#filter-metric label:nth-child(3)").await;
    browser.find("#money-by-category").await;
    let url = browser.script("return location.search").await;
    let url = url.as_str().unwrap();
    assert!(
        url.contains("metric=expenses") && url.contains("period=quarter"),
        "{url}"
    );
    assert!(
        browser.console_errors().await.is_empty(),
        "{:?}",
        browser.console_errors().await
    );
    browser
        .screenshot_full_page("revenue-one-contract-zh")
        .await;
    browser.close().await;

    // The charts are in the HTML the server sends, before any WASM runs.
    let html = admin
        .get(server.url("/reports/revenue?metric=payments"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for figure in ["money-trend", "money-in-out", "money-by-rep", "collection"] {
        assert!(html.contains(&format!(r#"id="{figure}""#)), "{figure}");
    }
    assert!(html.contains("<svg"), "charts drawn on the server");
}

/// Screenshots of the revenue page on demo data, at desktop and phone
/// width, in Chinese and English, for a person to look at.
#[tokio::test]
async fn revenue_on_demo_data_at_desktop_and_phone_width() {
    let data = tempfile::tempdir().unwrap();
    let out = cli(data.path(), &["demo-data", "--size", "small"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let admin = said
        .split("sign in as ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the admin's email")
        .to_string();
    let server = Server::start_on(data.path());
    for (language, tag) in [("zh-CN", "zh"), ("en-US", "en")] {
        for (width, height, size) in [(1280, 900, "desktop"), (390, 844, "phone")] {
            let browser = Browser::start_sized(language, width, height).await;
            browser.sign_in(&server, &admin, "guanxi-demo").await;
            // The demo's admin reads Chinese; the switch changes it.
            browser.hydrated().await;
            let lang = if tag == "en" { "en" } else { "zh-CN" };
            // On a phone the switch is in the closed menu: clicked by script.
            browser
                .script(&format!(
                    "document.querySelector(\".lang-option[lang='{lang}']\").click()"
                ))
                .await;
            // The workbench's figures follow the switch in place: the server
            // makes a loaded section once, the browser remakes it.
            let activities = if tag == "en" {
                "Activities"
            } else {
                "跟进次数"
            };
            browser.wait_text("#kpi-activities", activities).await;
            for metric in ["revenue", "payments", "expenses"] {
                browser
                    .goto(&server.url(&format!("/reports/revenue?metric={metric}&period=year")))
                    .await;
                browser.hydrated().await;
                browser.find("#money-trend svg").await;
                browser.find("#money-by-rep svg").await;
                if metric == "revenue" || size == "desktop" {
                    browser
                        .screenshot_full_page(&format!("revenue-{metric}-{tag}-{size}"))
                        .await;
                }
            }
            browser
                .goto(&server.url("/reports/revenue?metric=products&period=year"))
                .await;
            browser.hydrated().await;
            browser.find("#product-margin svg").await;
            browser.find("#falling-margins").await;
            browser
                .screenshot_full_page(&format!("revenue-products-{tag}-{size}"))
                .await;
            assert!(
                browser.console_errors().await.is_empty(),
                "{:?}",
                browser.console_errors().await
            );
            browser.close().await;
        }
    }
}
