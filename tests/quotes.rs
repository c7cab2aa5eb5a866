//! Quotes (issue 11): a rep writes a quote from products with a discount
//! above the company limit, the team's manager and an admin approve it, the
//! customer accepts, it becomes a contract with a two-installment plan, a
//! payment arrives, the receivables change, and the printed quote reads
//! right in both languages.

use e2e::*;

async fn speak(client: &reqwest::Client, server: &Server, locale: &str) {
    let (status, answer) = call_fn(client, server, "set_language", &[("locale", locale)]).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_discounted_quote_is_approved_accepted_and_printed() {
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
    create_user_over_http(
        &admin,
        &server,
        "zhao@example.cn",
        "赵经理",
        "manager",
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
            ("product[category]", "硬件"),
            ("product[list_price]", "10,000"),
            ("product[standard_cost]", "7,200"),
            ("product[low_stock_threshold]", "5"),
            ("product[active]", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{product}");
    assert!(product["id"].is_string(), "{product}");
    let li = log_in_over_http(&server, "li@example.cn", password).await;
    let customer = create_customer_over_http(&li, &server, "北京星辰科技有限公司").await;

    // The rep reads the product list, then writes the quote from the
    // customer's page.
    let rep = Browser::start("zh-CN").await;
    rep.sign_in(&server, "li@example.cn", password).await;
    rep.goto(&server.url("/products")).await;
    rep.hydrated().await;
    rep.wait_text("#products-table", "机架式服务器").await;
    rep.wait_text("#products-table", "¥10,000.00").await;
    rep.screenshot("products-zh").await;
    rep.goto(&server.url(&format!("/customers/{customer}")))
        .await;
    rep.hydrated().await;
    rep.click("#new-customer-quote").await;
    rep.wait_path("/quotes/new").await;
    rep.find("#quote-form[data-hydrated]").await;
    rep.wait_text("#quote-customer-name", "北京星辰科技有限公司")
        .await;
    rep.fill("#f-quote-title", "机房服务器采购").await;
    // Text that names no product says so; the product's code picks it.
    rep.fill(".line[data-line='0'] .line-product", "服务器XL")
        .await;
    rep.wait_text(".line[data-line='0'] .line-product-error", "没有这个产品")
        .await;
    rep.fill(".line[data-line='0'] .line-product", "srv-01")
        .await;
    rep.gone(".line[data-line='0'] .line-product-error").await;
    rep.fill(".line[data-line='0'] .line-quantity", "3").await;
    // Left, the picked product reads as the list shows it.
    let picked = rep
        .script("return document.querySelector(\".line[data-line='0'] .line-product\").value")
        .await;
    assert_eq!(picked, "SRV-01 · 机架式服务器");
    rep.fill(".line[data-line='0'] .line-discount", "15").await;
    // 3 × ¥10,000 × 85 % = ¥25,500; 13 % tax ¥3,315.
    rep.wait_text("#total-gross", "¥28,815.00").await;
    rep.wait_text("#needs-approval", "10%").await;
    rep.click("#add-line").await;
    rep.fill(".line[data-line='1'] .line-description", "上门安装调试")
        .await;
    rep.fill(".line[data-line='1'] .line-price", "1,500").await;
    // ¥27,000 net, ¥3,510 tax.
    rep.wait_text("#total-net", "¥27,000.00").await;
    rep.wait_text("#total-gross", "¥30,510.00").await;
    rep.screenshot("quote-form-zh").await;
    rep.click("#save-quote").await;
    rep.find("#quote-actions").await;
    let url = rep.script("return location.pathname").await;
    let quote_id = url
        .as_str()
        .unwrap()
        .trim_start_matches("/quotes/")
        .to_string();
    rep.wait_text("#total-gross", "¥30,510.00").await;
    rep.wait_text(".page-header .quote-status", "草稿").await;
    rep.hydrated().await;
    rep.click("#quote-actions [data-action='send']").await;
    rep.wait_text(".page-header .quote-status", "审批中").await;
    rep.wait_text("#quote-approval", "销售经理").await;

    // The team's manager finds it among the approvals and approves it.
    let manager = Browser::start("en-US").await;
    manager.sign_in(&server, "zhao@example.cn", password).await;
    manager.goto(&server.url("/approvals")).await;
    manager.hydrated().await;
    manager
        .wait_text("#approvals-quotes", "北京星辰科技有限公司")
        .await;
    manager.click("#approvals-quotes a").await;
    manager.wait_path(&format!("/quotes/{quote_id}")).await;
    manager.hydrated().await;
    manager.fill("#decision .decision-note", "价格可以").await;
    manager.click("#decision .approve").await;
    manager.wait_text(".approval-step.approved", "赵经理").await;
    manager.screenshot("quote-approval-en").await;
    assert!(manager.console_errors().await.is_empty());
    manager.close().await;

    // The admin approves the second step.
    let (status, answer) = call_fn(
        &admin,
        &server,
        "decide_quote",
        &[("id", &quote_id), ("approve", "true"), ("comment", "")],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "approved");

    // Sent and accepted.
    rep.goto(&server.url(&format!("/quotes/{quote_id}"))).await;
    rep.hydrated().await;
    rep.wait_text(".page-header .quote-status", "已批准").await;
    rep.click("#quote-actions [data-action='send']").await;
    rep.wait_text(".page-header .quote-status", "已发送").await;
    rep.click("#quote-actions [data-action='accept']").await;
    rep.wait_text(".page-header .quote-status", "客户已接受")
        .await;
    rep.screenshot_full_page("quote-accepted-zh").await;

    // The accepted quote becomes a contract in one click, with a plan of
    // two installments that must add up, signed, and a first payment.
    rep.click("#create-contract").await;
    rep.wait_text("#contract-amount", "¥30,510.00").await;
    rep.hydrated().await;
    let contract_path = rep.script("return location.pathname").await;
    let contract_path = contract_path.as_str().unwrap().to_string();
    rep.click("#edit-plan").await;
    rep.fill(".plan-row:nth-of-type(1) .plan-amount", "20,000")
        .await;
    rep.click("#add-installment").await;
    rep.script(
        "const d = document.querySelectorAll('.plan-due')[1];\
         d.value = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);\
         d.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    rep.fill(".plan-row:nth-of-type(2) .plan-amount", "10,000")
        .await;
    rep.wait_text("#plan-sum", "¥30,000.00").await;
    rep.click("#save-plan").await;
    // Refused, naming the difference; nothing saved.
    rep.wait_text("#plan-error", "510.00").await;
    rep.fill(".plan-row:nth-of-type(2) .plan-amount", "10,510")
        .await;
    rep.click("#save-plan").await;
    rep.wait_text("#plan-table", "¥10,510.00").await;
    // The page scrolled down to the plan; the actions are at the top.
    rep.script("window.scrollTo(0, 0)").await;
    rep.click("#contract-actions [data-action='sign']").await;
    rep.wait_text(".page-header .contract-status", "执行中")
        .await;
    rep.fill("#f-payment-amount", "40,000").await;
    rep.click("#save-payment").await;
    rep.wait_text("#payment-error", "30,510.00").await;
    rep.fill("#f-payment-amount", "20,000").await;
    rep.click("#save-payment").await;
    rep.wait_text("#contract-paid", "¥20,000.00").await;
    rep.wait_text("#contract-outstanding", "¥10,510.00").await;
    rep.wait_text("#payments-list", "¥20,000.00").await;
    rep.screenshot_full_page("contract-zh").await;
    rep.goto(&server.url("/receivables")).await;
    rep.hydrated().await;
    rep.wait_text("#aging-customers", "北京星辰科技有限公司")
        .await;
    rep.wait_text("#aging-customers", "¥10,510.00").await;
    rep.wait_text("#aging-company", "¥10,510.00").await;
    rep.screenshot_full_page("receivables-zh").await;

    // The header search finds the contract by its number, or by the last
    // digits of it, and opens it.
    rep.goto(&server.url(&contract_path)).await;
    rep.hydrated().await;
    let number = rep.text(".page-header h1 .mono").await;
    assert!(
        number.starts_with('C') && number.ends_with("-00001"),
        "{number}"
    );
    rep.fill("#header-search", "00001").await;
    rep.wait_text("#search-results [data-kind='contract']", &number)
        .await;
    rep.wait_text("#search-results [data-kind='quote']", "北京星辰")
        .await;
    rep.goto(&server.url("/receivables")).await;
    rep.hydrated().await;
    rep.fill("#header-search", &number.to_lowercase()).await;
    rep.wait_text(
        "#search-results [data-kind='contract']",
        "北京星辰科技有限公司",
    )
    .await;
    rep.press("#header-search", "\u{E007}").await; // Enter
    rep.wait_path(&contract_path).await;

    // The customer's key figures: signed, received, still owed.
    rep.click_text(".page-header a", "北京星辰科技有限公司")
        .await;
    rep.hydrated().await;
    rep.wait_text("#money-revenue", "¥30,510.00").await;
    rep.wait_text("#money-received", "¥20,000.00").await;
    rep.wait_text("#money-receivable", "¥10,510.00").await;
    rep.wait_text("#money-overdue", "¥0.00").await;
    rep.wait_text("#money-last-purchase", "今天").await;
    // Its timeline tells the story: the quote, the contract, the payment.
    rep.wait_text("#timeline .kind-payment", "¥20,000.00").await;
    rep.wait_text("#timeline .kind-contract-made", &number)
        .await;
    rep.wait_text("#timeline .kind-quote-accepted", "客户接受报价")
        .await;
    rep.click_text("#timeline-filter button", "交易").await;
    rep.wait_text("#timeline .kind-quote-made", "新建报价")
        .await;
    rep.screenshot_full_page("customer-money-zh").await;
    rep.goto(&server.url(&format!("/quotes/{quote_id}"))).await;
    rep.hydrated().await;

    // The printout, on screen and as it prints.
    rep.click("#print-quote").await;
    rep.wait_path(&format!("/quotes/{quote_id}/print")).await;
    rep.wait_text("#print-sheet", "报价单").await;
    rep.wait_text("#print-sheet", "星辰").await;
    rep.wait_text("#print-sheet", "北京星辰科技有限公司").await;
    rep.wait_text("#print-sheet", "¥30,510.00").await;
    rep.wait_text("#print-sheet", "有效期至").await;
    rep.screenshot_full_page("quote-print-zh").await;
    rep.emulate_print(true).await;
    rep.screenshot_full_page("quote-print-zh-paper").await;
    assert!(rep.console_errors().await.is_empty());
    rep.close().await;

    // In English, on a phone too.
    speak(&li, &server, "en").await;
    let english = Browser::start("en-US").await;
    english.sign_in(&server, "li@example.cn", password).await;
    english.goto(&server.url(&contract_path)).await;
    english.hydrated().await;
    english.wait_text("#plan-table", "¥10,510.00").await;
    english.screenshot_full_page("contract-en").await;
    english
        .goto(&server.url(&format!("/customers/{customer}")))
        .await;
    english.hydrated().await;
    english.wait_text("#money-revenue", "¥30,510.00").await;
    english
        .wait_text("#timeline .kind-payment", "Payment received")
        .await;
    english.screenshot_full_page("customer-money-en").await;
    english.goto(&server.url("/receivables")).await;
    english.wait_text("#aging-company", "¥10,510.00").await;
    english.screenshot_full_page("receivables-en").await;
    assert!(english.console_errors().await.is_empty());
    english.close().await;
    for (width, height, shot) in [(1280, 900, "quote-print-en"), (390, 844, "quote-phone-en")] {
        let browser = Browser::start_sized("en-US", width, height).await;
        browser.sign_in(&server, "li@example.cn", password).await;
        let path = if width < 500 {
            format!("/quotes/{quote_id}")
        } else {
            format!("/quotes/{quote_id}/print")
        };
        browser.goto(&server.url(&path)).await;
        browser.hydrated().await;
        browser.wait_text("#quote-totals", "Total incl. tax").await;
        browser.wait_text("#quote-totals", "¥30,510.00").await;
        browser.screenshot_full_page(shot).await;
        if width >= 500 {
            browser.wait_text("#print-sheet", "Quotation").await;
            browser.emulate_print(true).await;
            browser.screenshot_full_page("quote-print-en-paper").await;
        }
        assert!(browser.console_errors().await.is_empty());
        browser.close().await;
    }
}

/// A deal closed as won offers its contract on the deal page; the contract
/// made there lists on the deal, and the offer is gone.
#[tokio::test]
async fn a_won_deal_offers_its_contract_on_the_deal_page() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "苏州河畔电子").await;
    let deal = create_deal_over_http(&admin, &server, &customer, "Factory Wi-Fi", "36,000").await;

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-contracts", "No contracts yet.")
        .await;
    browser.gone("#create-deal-contract").await;

    let (status, closed) = call_fn(
        &admin,
        &server,
        "close_deal",
        &[("id", &deal), ("outcome", "won"), ("reason", "price")],
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-contract-offer", "This deal is won")
        .await;
    browser.screenshot("deal-won-offers-contract-en").await;
    browser.click("#create-deal-contract").await;
    browser.find("#contract-amount").await;
    let path = browser.script("return location.pathname").await;
    assert!(path.as_str().unwrap().starts_with("/contracts/"), "{path}");
    browser.wait_text("main", "Factory Wi-Fi").await;

    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.find("#deal-contracts li[data-contract]").await;
    browser.gone("#create-deal-contract").await;
    let (status, again) = call_fn(&admin, &server, "contract_from_deal", &[("deal", &deal)]).await;
    assert_ne!(status, 200, "a second contract of the deal: {again}");
}

/// The terms of an executing contract change on its page: a product line
/// is added, the one-installment plan follows the new amount, and saving
/// makes version 2 with the first one still listed and compared.
#[tokio::test]
async fn an_executing_contracts_terms_change_into_a_new_version() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, product) = call_fn(
        &admin,
        &server,
        "save_product",
        &[
            ("product[code]", "SRV-01"),
            ("product[name]", "机架式服务器"),
            ("product[unit]", "台"),
            ("product[list_price]", "10,000"),
            ("product[active]", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{product}");
    assert!(product["id"].is_string(), "{product}");
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
    create_user_over_http(
        &admin,
        &server,
        "li.na@example.cn",
        "李娜",
        "rep",
        "华东",
        "rep password 1",
    )
    .await;

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser
        .goto(&server.url(&format!("/contracts/{contract}")))
        .await;
    browser.hydrated().await;
    browser
        .click("#contract-actions [data-action='sign']")
        .await;
    browser.wait_text(".contract-status", "执行中").await;
    let before = browser.text("#contract-amount").await;

    browser.click("#edit-terms").await;
    browser.find("#terms-form .line").await;
    browser.wait_text("#terms-version-hint", "第 2 版").await;
    browser.click("#terms-form #add-line").await;
    // Picked from the list, which fills in the product's label.
    browser
        .fill(
            "#terms-form .line:nth-child(2) .line-product",
            "SRV-01 · 机架式服务器",
        )
        .await;
    browser
        .fill("#terms-form .line:nth-child(2) .line-quantity", "2")
        .await;
    browser.find("#terms-plan").await;
    let gross = browser.text("#terms-gross").await;
    assert_ne!(gross, before);
    // One installment follows the amount by itself.
    browser.wait_text("#terms-plan-sum", &gross).await;
    // The credit split, as on deals: shares that do not add up are refused.
    let users: serde_json::Value = admin
        .get(server.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let li_na = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "li.na@example.cn")
        .and_then(|u| u["id"].as_str())
        .unwrap()
        .to_string();
    browser.choose("#f-terms-owner-1", &li_na).await;
    browser.fill("#f-terms-share-0", "70").await;
    browser.fill("#f-terms-share-1", "20").await;
    browser.click("#save-terms").await;
    browser.wait_text("#terms-owners .field-error", "100").await;
    browser.fill("#f-terms-share-1", "30").await;
    browser.screenshot("contract-terms-edit").await;
    browser.click("#save-terms").await;
    browser.gone("#terms-form").await;
    browser.wait_text("#contract-amount", &gross).await;
    browser.wait_text("#contract-lines", "机架式服务器").await;
    browser.wait_text("#versions-card", "v2").await;
    browser.wait_text("#versions-card", &before).await;
    browser.click("#compare").await;
    browser.find("#diff li").await;
    browser
        .wait_text("#diff", "负责人与业绩分配：王总 100% → 王总 70%, 李娜 30%")
        .await;
    browser.screenshot("contract-terms-saved").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}
