//! Stock (issue 11): an admin records two stock-ins on the stock page, the
//! rep delivers against a line of their contract on its page, and the
//! line's gross margin by weighted average shows; a delivery beyond what is
//! on hand is refused naming the product; the product list shows what is
//! left. zh-CN and en.

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

/// Sets a date input (typing into one depends on the browser's locale).
async fn set_date(browser: &Browser, css: &str, date: &str) {
    browser
        .script(&format!(
            "const d = document.querySelector(\"{css}\"); d.value = '{date}';\
             d.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        ))
        .await;
}

#[tokio::test]
async fn goods_come_in_leave_against_a_contract_line_and_show_their_margin() {
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
            ("product[standard_cost]", "100"),
            ("product[low_stock_threshold]", "6"),
            ("product[active]", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{product}");
    let product_id = product["id"].as_str().unwrap().to_string();

    // The rep's executing contract: 15 servers at ¥150.00, no tax.
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

    // The admin buys in twice on the stock page.
    let boss = Browser::start("zh-CN").await;
    boss.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    boss.goto(&server.url("/stock")).await;
    boss.hydrated().await;
    boss.wait_text("#stock-levels", "机架式服务器").await;
    boss.wait_text("#cost-method", "移动加权平均").await;
    for (day, cost, on_hand) in [
        ("2026-03-01", "100.00", "10"),
        ("2026-03-05", "120.00", "20"),
    ] {
        boss.find("#stock-in-form").await;
        boss.choose("#f-purchase-product_id", &product_id).await;
        boss.fill("#f-purchase-quantity", "10").await;
        boss.fill("#f-purchase-unit_cost", cost).await;
        set_date(&boss, "#f-purchase-date", day).await;
        boss.fill("#f-purchase-supplier", "深圳华强电子").await;
        boss.click("#stock-in-form button[type='submit']").await;
        boss.wait_text("#stock-levels tr[data-code='SRV-01'] .on-hand", on_hand)
            .await;
    }
    boss.wait_text("#moves-table", "深圳华强电子").await;
    boss.wait_text("#moves-table", "¥120.00").await;
    boss.screenshot_full_page("stock-zh").await;
    assert!(boss.console_errors().await.is_empty());

    // The rep delivers on the contract page: too many first.
    let rep = Browser::start("zh-CN").await;
    rep.sign_in(&server, "li@example.cn", password).await;
    rep.goto(&server.url(&format!("/contracts/{contract}")))
        .await;
    rep.hydrated().await;
    rep.wait_text("#margin-table", "机架式服务器").await;
    rep.wait_text("#deliveries-card", "还没有发货").await;
    rep.choose("#f-delivery-line", "0").await;
    rep.fill("#f-delivery-quantity", "15").await;
    set_date(&rep, "#f-delivery-date", "2026-03-04").await;
    rep.click("#delivery-form button[type='submit']").await;
    rep.wait_text("#delivery-form .alert-error", "SRV-01 机架式服务器")
        .await;
    rep.wait_text("#delivery-form .alert-error", "2026-03-04")
        .await;
    rep.wait_text("#delivery-form .alert-error", "只有 10")
        .await;
    set_date(&rep, "#f-delivery-date", "2026-03-10").await;
    rep.click("#delivery-form button[type='submit']").await;
    // Weighted average: 15 × ¥2,200.00 / 20 = ¥1,650.00; ¥2,250.00 sold.
    rep.wait_text("#margin-table .line-delivered", "15").await;
    rep.wait_text("#margin-table .line-revenue", "¥2,250.00")
        .await;
    rep.wait_text("#margin-table .line-cost", "¥1,650.00").await;
    rep.wait_text("#margin-table .line-margin", "¥600.00").await;
    rep.wait_text("#contract-completion", "50 %").await;
    rep.wait_text("#deliveries-list", "15 台").await;
    rep.screenshot_full_page("contract-deliveries-zh").await;
    assert!(rep.console_errors().await.is_empty());
    rep.close().await;

    // What is left shows on the stock and product pages, low at 5 of 6.
    boss.goto(&server.url("/stock")).await;
    boss.hydrated().await;
    boss.wait_text("#low-stock", "机架式服务器").await;
    boss.wait_text("#moves-table", "发货").await;
    boss.goto(&server.url("/products")).await;
    boss.hydrated().await;
    boss.wait_text("#products-table .product-on-hand", "5")
        .await;
    boss.wait_text("#products-table .product-margin", "¥600.00")
        .await;
    boss.close().await;

    // In English.
    let (status, _) = call_fn(&admin, &server, "set_language", &[("locale", "en")]).await;
    assert_eq!(status, 200);
    let english = Browser::start("en-US").await;
    english.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    english.goto(&server.url("/stock")).await;
    english.hydrated().await;
    english.wait_text("#low-stock", "5 台 on hand").await;
    english.wait_text("#cost-method", "Weighted average").await;
    english.screenshot_full_page("stock-en").await;
    english
        .goto(&server.url(&format!("/contracts/{contract}")))
        .await;
    english.hydrated().await;
    english
        .wait_text("#deliveries-card", "Deliveries and margin")
        .await;
    english
        .wait_text("#margin-table .line-margin", "¥600.00")
        .await;
    english.screenshot_full_page("contract-deliveries-en").await;
    assert!(english.console_errors().await.is_empty());
    english.close().await;
}

/// Expenses (issue 11): a rep records one on the expenses page, a wrong
/// amount refused beside the field, edits it, finds it by category and on
/// the customer's page; a colleague of another team does not see it.
#[tokio::test]
async fn an_expense_is_recorded_edited_and_filtered_in_the_browser() {
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
        "wu@example.cn",
        "吴刚",
        "rep",
        "华南",
        password,
    )
    .await;
    let li = log_in_over_http(&server, "li@example.cn", password).await;
    let customer = create_customer_over_http(&li, &server, "北京星辰科技有限公司").await;
    let deal = create_deal_over_http(&li, &server, &customer, "ERP 二期", "50,000").await;

    let rep = Browser::start("zh-CN").await;
    rep.sign_in(&server, "li@example.cn", password).await;
    rep.goto(&server.url("/expenses")).await;
    rep.hydrated().await;
    rep.wait_text("#expenses-card", "还没有费用").await;
    rep.find("#expense-form").await;
    rep.fill("#f-expense-amount", "12.345").await;
    rep.choose("#f-expense-category", "差旅").await;
    rep.fill("#f-expense-note", "高铁往返上海").await;
    rep.click("#expense-form button[type='submit']").await;
    rep.wait_text("#expense-form .field-error", "最多两位小数")
        .await;
    rep.fill("#f-expense-amount", "1,280.50").await;
    rep.click("#expense-form button[type='submit']").await;
    rep.wait_text("#expenses-table", "高铁往返上海").await;
    rep.wait_text("#expenses-total", "¥1,280.50").await;
    rep.click("#expenses-table .edit-expense").await;
    rep.wait_text("#expense-form h3", "修改费用").await;
    rep.fill("#f-expense-amount", "1,300").await;
    rep.click("#expense-form button[type='submit']").await;
    rep.wait_text("#expenses-total", "¥1,300.00").await;
    rep.screenshot_full_page("expenses-zh").await;
    rep.goto(&server.url("/expenses?category=招待")).await;
    rep.hydrated().await;
    rep.wait_text("#expenses-card", "还没有费用").await;

    // On the customer's page, one recorded for the customer.
    rep.goto(&server.url(&format!("/customers/{customer}")))
        .await;
    rep.hydrated().await;
    rep.find("#expenses-card #expense-form").await;
    rep.fill("#expenses-card #f-expense-amount", "300").await;
    rep.choose("#expenses-card #f-expense-category", "招待")
        .await;
    // There it may be about one of the customer's deals.
    rep.choose("#expenses-card #f-expense-deal_id", &deal).await;
    rep.click("#expenses-card #expense-form button[type='submit']")
        .await;
    rep.wait_text("#expenses-card #expenses-total", "¥300.00")
        .await;
    rep.wait_text("#expenses-card #expenses-table", "ERP 二期")
        .await;
    // An edit there keeps the link unless changed.
    rep.click("#expenses-card .edit-expense").await;
    rep.fill("#expenses-card #f-expense-amount", "320").await;
    rep.click("#expenses-card #expense-form button[type='submit']")
        .await;
    rep.wait_text("#expenses-card #expenses-total", "¥320.00")
        .await;
    rep.wait_text("#expenses-card #expenses-table", "ERP 二期")
        .await;
    rep.screenshot("expense-on-a-deal").await;
    rep.goto(&server.url("/expenses")).await;
    rep.hydrated().await;
    rep.wait_text("#expenses-table", "北京星辰科技有限公司")
        .await;
    rep.wait_text("#expenses-total", "¥1,620.00").await;
    assert!(rep.console_errors().await.is_empty());
    rep.close().await;

    let other = Browser::start("en-US").await;
    other.sign_in(&server, "wu@example.cn", password).await;
    other.goto(&server.url("/expenses")).await;
    other.hydrated().await;
    other.wait_text("#expenses-card", "No expenses yet").await;
    other.screenshot_full_page("expenses-en").await;
    assert!(other.console_errors().await.is_empty());
    other.close().await;
}
