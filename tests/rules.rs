//! The customer rules as SPEC §1–2 states them, end to end: types the
//! company adds, files on deals, the holding limit at handover and the date
//! a customer returns to the pool.

use e2e::*;

#[tokio::test]
async fn an_admin_adds_a_customer_type_and_a_rep_creates_a_customer_with_it() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_user_over_http(
        &admin,
        &server,
        "li@example.cn",
        "李娜",
        "rep",
        "",
        "rep password 1",
    )
    .await;

    // The admin adds a type on the settings page, in Chinese.
    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/admin/settings")).await;
    browser.hydrated().await;
    browser.wait_text("#customer-types", "潜在").await;
    browser.fill("#new-type-label", "战略伙伴").await;
    browser.click("#add-type").await;
    browser
        .wait_text("#customer-types .type-row[data-code='custom-1']", "改名")
        .await;
    browser.fill("#new-type-label", "临时").await;
    browser.click("#add-type").await;
    browser
        .find("#customer-types .type-row[data-code='custom-2']")
        .await;
    // A second type retired at once: it must not be offered to the rep.
    browser
        .click("#customer-types .type-row[data-code='custom-2'] .retire-type")
        .await;
    browser
        .wait_text("#customer-types .type-row[data-code='custom-2']", "已停用")
        .await;
    browser
        .script("document.querySelector('#customer-types').scrollIntoView();")
        .await;
    browser.screenshot("customer-types-zh").await;
    browser.close().await;

    // The rep, in English, creates a customer of the new type.
    let browser = Browser::start("en-US").await;
    browser
        .sign_in(&server, "li@example.cn", "rep password 1")
        .await;
    browser.goto(&server.url("/customers/new")).await;
    browser.hydrated().await;
    let offered = browser
        .script(
            "return [...document.querySelectorAll('#f-customer-customer_type option')]\
             .map(o => o.value + '=' + o.textContent);",
        )
        .await;
    let offered: Vec<String> = serde_json::from_value(offered).unwrap();
    assert_eq!(
        offered,
        [
            "potential=Potential",
            "signed=Signed",
            "agent=Agent",
            "invalid=Invalid",
            "custom-1=战略伙伴",
        ],
        "the retired type is not offered"
    );
    browser
        .fill("#customer-form #f-customer-name", "深圳华南电子")
        .await;
    browser
        .choose("#customer-form #f-customer-customer_type", "custom-1")
        .await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_text("#customer-name", "深圳华南电子").await;
    browser.wait_text(".page-intro .badge", "战略伙伴").await;
    browser.screenshot("customer-custom-type-en").await;

    // The list shows it and filters by it.
    browser.goto(&server.url("/customers?type=custom-1")).await;
    browser.wait_text("#customers-table", "深圳华南电子").await;
    browser
        .wait_text("#customers-table .badge", "战略伙伴")
        .await;
    browser.hydrated().await;
    browser.screenshot("customers-by-custom-type-en").await;
    browser.goto(&server.url("/customers?type=signed")).await;
    browser.find(".empty-state").await;
    browser.close().await;
}

/// A small PDF-looking file.
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

#[tokio::test]
async fn a_file_uploaded_to_a_deal_shows_on_the_deal_and_its_customer_page() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "北京星辰科技有限公司").await;
    let (status, deal) = call_fn(
        &admin,
        &server,
        "create_deal",
        &[
            ("deal[customer_id]", &customer),
            ("deal[title]", "机房改造"),
            ("deal[amount]", "120000"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{deal}");
    let deal = deal.as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let quote = dir.path().join("报价单.pdf");
    std::fs::write(&quote, PDF).unwrap();

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.wait_text("#files-card", "No files yet.").await;
    browser.choose_file("#file-input", &quote).await;
    browser.click("#file-form button[type=submit]").await;
    browser.wait_path(&format!("/deals/{deal}")).await;
    browser.wait_text("#files-card", "报价单.pdf").await;
    browser.hydrated().await;
    browser
        .script("document.querySelector('#files-card').scrollIntoView();")
        .await;
    browser.screenshot("deal-files-en").await;

    // Its customer lists it among its files and on the timeline.
    browser
        .goto(&server.url(&format!("/customers/{customer}")))
        .await;
    browser.wait_text("#files-card", "报价单.pdf").await;
    browser.wait_text("#timeline", "报价单.pdf").await;
    browser
        .script("document.querySelector('#files-card').scrollIntoView();")
        .await;
    browser.screenshot("customer-deal-file-en").await;
    let href = browser
        .script("return document.querySelector('#files-card a.file-name').getAttribute('href');")
        .await;
    let response = admin
        .get(server.url(href.as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    // The REST list has it; a rep who may not see the deal gets nothing.
    let listed: serde_json::Value = admin
        .get(server.url(&format!("/api/v1/deals/{deal}/files")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["name"], "报价单.pdf");

    // Deleted on the deal page, it is gone from both.
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.click("#files-card .delete-file").await;
    browser.click("#confirm-delete-file").await;
    browser.wait_text("#files-card", "No files yet.").await;
    browser
        .goto(&server.url(&format!("/customers/{customer}")))
        .await;
    browser.wait_text("#files-card", "No files yet.").await;
    let gone = admin
        .get(server.url(href.as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);

    // The deal page in Chinese, with a file.
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.click_text(".topbar .lang-option", "中文").await;
    browser.choose_file("#file-input", &quote).await;
    browser.click("#file-form button[type=submit]").await;
    browser.wait_text("#files-card", "报价单.pdf").await;
    browser.wait_text("#files-card h2", "文件").await;
    browser.hydrated().await;
    browser
        .script("document.querySelector('#files-card').scrollIntoView();")
        .await;
    browser.screenshot("deal-files-zh").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test]
async fn the_customer_page_says_when_it_returns_and_handover_warns_of_the_limit() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for (email, name) in [("li@example.cn", "李娜"), ("wang@example.cn", "王五")] {
        create_user_over_http(&admin, &server, email, name, "rep", "", "rep password 1").await;
    }
    let li = log_in_over_http(&server, "li@example.cn", "rep password 1").await;
    let wang = log_in_over_http(&server, "wang@example.cn", "rep password 1").await;
    let star = create_customer_over_http(&li, &server, "北京星辰").await;
    create_customer_over_http(&li, &server, "上海明月").await;
    create_customer_over_http(&wang, &server, "广州云帆").await;
    let (status, answer) = call_fn(
        &admin,
        &server,
        "update_customer_settings",
        &[
            ("settings[version]", "0"),
            ("settings[pool_return_days]", "30"),
            ("settings[holding_limit]", "2"),
            ("settings[max_file_mb]", "20"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");

    // Over the limit, a rep cannot take one more.
    let (status, answer) = call_fn(
        &wang,
        &server,
        "create_customer",
        &[
            ("customer[name]", "成都天府"),
            ("customer[kind]", "company"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = call_fn(
        &wang,
        &server,
        "create_customer",
        &[
            ("customer[name]", "重庆山城"),
            ("customer[kind]", "company"),
        ],
    )
    .await;
    assert_ne!(status, 200);
    let answer = answer.to_string();
    assert!(
        answer.contains("HoldingLimit") && answer.contains("王五"),
        "{answer}"
    );

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser
        .goto(&server.url(&format!("/customers/{star}")))
        .await;
    browser.hydrated().await;
    browser.wait_text("#returns-to-pool", "(in 30 days)").await;
    browser.screenshot("customer-returns-en").await;

    // Handing li's two customers to 王五 (2 held) would take them to 4.
    let users: serde_json::Value = admin
        .get(server.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_of = |email: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == email)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (li_id, wang_id) = (id_of("li@example.cn"), id_of("wang@example.cn"));
    browser
        .goto(&server.url(&format!("/admin/users/{li_id}/handover")))
        .await;
    browser.hydrated().await;
    browser.choose("#f-handover-to", &wang_id).await;
    browser
        .wait_text(
            "#handover-over-limit",
            "王五 holds 2 customers and would hold 4 after this handover, over the limit of 2.",
        )
        .await;
    browser.screenshot("handover-over-limit-en").await;
    browser.click("#handover-form button[type=submit]").await;
    browser
        .wait_text(
            "#handover-form .alert-error",
            "王五 already holds 2 customers, the limit is 2.",
        )
        .await;
    browser
        .fill("#f-override-reason", "年底调整，王总批准")
        .await;
    browser.click("#handover-form button[type=submit]").await;
    browser.wait_text("#handover-done", "").await;
    browser
        .goto(&server.url(&format!("/customers/{star}")))
        .await;
    browser
        .wait_text(
            "#timeline",
            "Given over the holding limit; reason: 年底调整，王总批准",
        )
        .await;

    // The same pages in Chinese.
    browser.hydrated().await;
    browser.click_text(".topbar .lang-option", "中文").await;
    browser.wait_text("#returns-to-pool", "天后").await;
    browser
        .wait_text("#timeline", "超出持有上限分配，理由：年底调整，王总批准")
        .await;
    browser.screenshot("customer-returns-zh").await;
    browser
        .script("document.querySelector('#timeline').scrollIntoView();")
        .await;
    browser.screenshot("customer-limit-history-zh").await;
    browser
        .goto(&server.url(&format!("/admin/users/{wang_id}/handover")))
        .await;
    browser.hydrated().await;
    browser.choose("#f-handover-to", &li_id).await;
    browser
        .wait_text("#handover-over-limit", "超出上限 2 个")
        .await;
    browser.screenshot("handover-over-limit-zh").await;
    browser.close().await;
}

#[tokio::test]
async fn the_import_dry_run_names_unknown_types_and_the_admin_creates_one() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("客户.csv");
    let sheet = "客户名称,客户类型\r\n\
        北京星辰,VIP\r\n\
        上海明月,签约客户\r\n\
        广州云帆,VIP\r\n\
        深圳海蓝,渠道伙伴\r\n";
    std::fs::write(&file, sheet).unwrap();

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/customers/import")).await;
    browser.hydrated().await;
    browser.choose_file("#csv-file", &file).await;
    browser.click("#csv-upload button[type=submit]").await;
    browser.wait_text("#mapping-table", "北京星辰").await;
    browser.find("#mapping-table[data-hydrated]").await;
    browser.click("#dry-run").await;
    browser.wait_text("#dry-run-summary", "失败 3").await;
    browser.wait_text("#unknown-types", "「VIP」，2 行").await;
    browser
        .wait_text("#unknown-types", "「渠道伙伴」，1 行")
        .await;
    browser
        .wait_text("#import-problems", "未知的客户类型「VIP」")
        .await;
    browser
        .script("document.querySelector('#unknown-types').scrollIntoView();")
        .await;
    browser.screenshot("import-unknown-types-zh").await;

    // VIP becomes a new type; 渠道伙伴 is imported as an agent.
    browser
        .choose("#unknown-types li:nth-child(1) select", "create")
        .await;
    browser
        .choose("#unknown-types li:nth-child(2) select", "existing:agent")
        .await;
    browser.click("#dry-run").await;
    browser.wait_text("#dry-run-summary", "失败 0").await;
    browser.click("#run-import").await;
    browser.wait_text("#import-finished", "新建 4").await;

    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let types: serde_json::Value = admin
        .get(server.url("/api/v1/customer-types"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(types["custom"][0]["label"], "VIP");
    let vip: serde_json::Value = admin
        .get(server.url("/api/v1/customers?type=custom-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(vip["total"], 2, "{vip}");
    let agents: serde_json::Value = admin
        .get(server.url("/api/v1/customers?type=agent"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(agents["total"], 1, "{agents}");
    browser.close().await;
}
