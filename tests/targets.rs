//! Targets (指标): an admin sets a rep's annual target on the targets page,
//! splits it into months, is told clearly when months typed by hand do not
//! add up, saves it and reads its progress against the rep's signed
//! contract; the rep sees it on the workbench; the planner works out the
//! SPEC's example from what-if inputs. zh-CN and en, desktop and phone.

use e2e::*;
use serde_json::json;

async fn post_json(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let response = client
        .post(server.url(&format!("/api/{name}")))
        .header("Origin", &server.base)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Picks the option of a select whose text has `text`, as a person would.
async fn pick(browser: &Browser, css: &str, text: &str) {
    let picked = browser
        .script(&format!(
            "const s = document.querySelector(\"{css}\");\
             const o = [...s.options].find(o => o.text.includes('{text}'));\
             if (!o) return false; s.value = o.value;\
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        ))
        .await;
    assert_eq!(picked, json!(true), "no option {text} in {css}");
}

/// Types into a month of the editor as a person would: the page hears it.
async fn set_month(browser: &Browser, month: u32, amount: &str) {
    browser
        .script(&format!(
            "const m = document.querySelector(\"input[name='target[m{month}]']\");\
             m.value = '{amount}'; m.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        ))
        .await;
}

/// Opens the first target's progress page, as its link does.
async fn open_progress(browser: &Browser) {
    browser.find("#targets-table a.target-progress").await;
    let href = browser
        .script("return document.querySelector('#targets-table a.target-progress').href")
        .await;
    browser.goto(href.as_str().unwrap()).await;
    browser.hydrated().await;
}

#[tokio::test]
async fn a_target_set_on_the_page_shows_its_progress_and_the_planner_its_visits() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let password = "team password 1";
    create_user_over_http(
        &admin,
        &server,
        "li@example.cn",
        "李娜",
        "rep",
        "华东",
        password,
    )
    .await;
    let (status, product) = call_fn(
        &admin,
        &server,
        "save_product",
        &[
            ("product[code]", "SRV-01"),
            ("product[name]", "机架式服务器"),
            ("product[unit]", "台"),
            ("product[list_price]", "150"),
            ("product[active]", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{product}");
    let product_id = product["id"].as_str().unwrap().to_string();

    // The rep signs ¥2,250.00 today: 15 servers at ¥150.00, no tax.
    let li = log_in_over_http(&server, "li@example.cn", password).await;
    let customer = create_customer_over_http(&li, &server, "北京星辰科技有限公司").await;
    let quote = post_json(
        &li,
        &server,
        "save_quote",
        json!({ "id": null, "version": 0, "quote": {
            "customer_id": customer, "title": "服务器采购", "tax_rate": "0",
            "lines": [{ "product_id": product_id, "quantity": "15", "unit_price": "150" }],
        }}),
    )
    .await;
    let quote = quote.as_str().unwrap().to_string();
    for (version, action) in [("1", "send"), ("2", "accept")] {
        let (status, answer) = call_fn(
            &li,
            &server,
            "move_quote",
            &[("id", &quote), ("version", version), ("action", action)],
        )
        .await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, contract) =
        call_fn(&li, &server, "contract_from_quote", &[("quote", &quote)]).await;
    assert_eq!(status, 200, "{contract}");
    let contract = contract.as_str().unwrap().to_string();
    let (status, signed) = call_fn(
        &li,
        &server,
        "move_contract",
        &[("id", &contract), ("version", "1"), ("action", "sign")],
    )
    .await;
    assert_eq!(status, 200, "{signed}");

    // The admin sets 李娜's year at ¥27,000.00: ¥2,250.00 a month.
    let boss = Browser::start("zh-CN").await;
    boss.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    boss.goto(&server.url("/targets")).await;
    boss.hydrated().await;
    boss.wait_text("#targets-card", "这一年还没有指标").await;
    // The editor opens on demand: whom it lists is read then.
    let options = boss
        .script("return document.querySelectorAll('option').length")
        .await;
    assert!(
        options.as_u64().unwrap() < 20,
        "{options} options before the editor opens"
    );
    boss.click("#new-target").await;
    boss.find("#f-target-whom").await;
    pick(&boss, "#f-target-whom", "李娜").await;
    boss.fill("#f-target-total", "27,000").await;
    boss.click("#split-months").await;
    boss.wait_text(".quarter-sum[data-quarter='1']", "¥6,750.00")
        .await;
    boss.wait_text("#months-check", "各月合计").await;

    // Months typed by hand must add up to the year.
    set_month(&boss, 1, "3,250").await;
    boss.wait_text("#months-check", "+1,000.00").await;
    boss.click("#target-form button[type='submit']").await;
    boss.wait_text("#target-form .alert-error", "各月合计比年度指标多 1,000.00")
        .await;
    boss.screenshot_full_page("targets-editor-error-zh").await;
    set_month(&boss, 2, "1,250").await;
    boss.wait_text(".quarter-sum[data-quarter='1']", "¥6,750.00")
        .await;
    boss.click("#target-form button[type='submit']").await;
    boss.wait_text("#targets-table", "销售 · 李娜").await;
    boss.wait_text("#targets-table", "¥27,000.00").await;
    boss.screenshot_full_page("targets-zh").await;

    // Its progress: this month's ¥2,250.00 is all of the month's target.
    open_progress(&boss).await;
    boss.wait_text(
        "#target-progress [data-period='year'] .target-actual",
        "2,250",
    )
    .await;
    boss.wait_text("#target-months", "¥27,000.00").await;
    boss.screenshot_full_page("target-progress-zh").await;
    let errors = boss.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    boss.close().await;

    // The rep sees it on the workbench, on a phone.
    let phone = Browser::start_sized("zh-CN", 390, 844).await;
    phone.sign_in(&server, "li@example.cn", password).await;
    phone.wait_text("#bench-target", "我的指标").await;
    phone
        .wait_text("#bench-target .target-actual", "2,250")
        .await;
    phone
        .screenshot_full_page("workbench-target-phone-zh")
        .await;
    phone.goto(&server.url("/targets")).await;
    phone.hydrated().await;
    phone.wait_text("#targets-table", "¥27,000.00").await;
    phone.screenshot_full_page("targets-phone-zh").await;
    open_progress(&phone).await;
    phone.find("#target-progress [data-period='month']").await;
    phone.screenshot_full_page("target-progress-phone-zh").await;
    phone
        .goto(&server.url("/planner?target=1600000&deal_size=100000&visit_rate=25&win_rate=100"))
        .await;
    phone.hydrated().await;
    phone
        .wait_text("#planner-quarters tr[data-quarter='1'] .visits", "16")
        .await;
    phone.screenshot_full_page("planner-phone-zh").await;
    assert!(phone.console_errors().await.is_empty());
    phone.close().await;

    // In English: the planner from what-ifs (SPEC §6: 4 new customers a
    // quarter, 1 in 4 visits becoming one → 16 visits), and the progress.
    let (status, _) = call_fn(&admin, &server, "set_language", &[("locale", "en")]).await;
    assert_eq!(status, 200);
    let english = Browser::start("en-US").await;
    english.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    english.goto(&server.url("/planner")).await;
    english.hydrated().await;
    english.wait_text("#planner-missing", "missing").await;
    english.fill("#f-planner-target", "1600000").await;
    english.fill("#f-planner-deal_size", "100000").await;
    english.fill("#f-planner-visit_rate", "25").await;
    english.fill("#f-planner-win_rate", "100").await;
    english.click("#planner-submit").await;
    english
        .wait_text("#planner-quarters tr[data-quarter='1'] .customers", "4")
        .await;
    english
        .wait_text("#planner-quarters tr[data-quarter='1'] .visits", "16")
        .await;
    english.wait_text("#planner-rates", "25%").await;
    english.screenshot_full_page("planner-en").await;
    english.goto(&server.url("/targets")).await;
    english.hydrated().await;
    english.wait_text("#targets-table", "Rep · 李娜").await;
    english.screenshot_full_page("targets-en").await;
    open_progress(&english).await;
    english
        .wait_text("#target-progress [data-period='month']", "Month to date")
        .await;
    english.screenshot_full_page("target-progress-en").await;
    assert!(english.console_errors().await.is_empty());
    english.close().await;

    let phone = Browser::start_sized("en-US", 390, 844).await;
    phone.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    phone.goto(&server.url("/targets")).await;
    phone.hydrated().await;
    phone.click("#new-target").await;
    phone.wait_text("#target-form", "Split into months").await;
    phone.screenshot_full_page("targets-phone-en").await;
    phone.goto(&server.url("/")).await;
    phone.hydrated().await;
    phone.wait_text("#bench-target", "No target set").await;
    phone
        .screenshot_full_page("workbench-target-phone-en")
        .await;
    phone.close().await;
}
