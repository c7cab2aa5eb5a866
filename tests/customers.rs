//! Customers, contacts and the timeline, end to end (issue 3, first slice).

use e2e::*;

async fn sign_in(browser: &Browser, server: &Server, email: &str, password: &str) {
    browser.goto(&server.url("/login")).await;
    browser.hydrated().await;
    browser.fill("#f-email", email).await;
    browser.fill("#f-password", password).await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_path("/").await;
    browser.hydrated().await;
}

fn customer_form<'a>(name: &'a str, phone: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("customer[name]", name),
        ("customer[kind]", "company"),
        ("customer[customer_type]", "potential"),
        ("customer[phone]", phone),
    ]
}

#[tokio::test]
async fn create_a_customer_with_two_contacts_log_a_call_and_see_it() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let browser = Browser::start("en-US").await;
    sign_in(&browser, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    browser.click(".nav a[href='/customers']").await;
    browser.wait_path("/customers").await;
    browser.click("#new-customer").await;
    browser.wait_path("/customers/new").await;
    browser
        .fill("#customer-form #f-customer-name", "北京星辰科技有限公司")
        .await;
    browser
        .fill("#customer-form #f-customer-phone", "010-8888 6666")
        .await;
    browser
        .fill("#customer-form #f-customer-region", "北京")
        .await;
    browser
        .fill("#customer-form #f-customer-tags", "重点, 政府")
        .await;
    browser
        .fill("#customer-form #f-contacts-0-name", "张伟")
        .await;
    browser
        .fill("#customer-form #f-contacts-0-title", "总经理")
        .await;
    browser
        .fill("#customer-form #f-contacts-1-name", "刘洋")
        .await;
    browser.click("#customer-form button[type=submit]").await;

    browser
        .wait_text("#customer-name", "北京星辰科技有限公司")
        .await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.wait_text("#contacts-card", "刘洋").await;
    browser.wait_text("#timeline", "Nothing here yet").await;

    browser
        .fill("#activity-form #f-duration_minutes", "12")
        .await;
    browser.fill("#f-activity-text", "谈了报价，下周拜访").await;
    browser.click("#activity-form button[type=submit]").await;
    browser.wait_text("#timeline", "谈了报价，下周拜访").await;
    browser.wait_text("#timeline", "12 min").await;
    browser.wait_text("#timeline", "王总").await;
    browser.screenshot("customer-360").await;

    // Chinese substring search: no spaces between words.
    browser.goto(&server.url("/customers?q=科技")).await;
    browser
        .wait_text("#customers-table", "北京星辰科技有限公司")
        .await;
    browser.goto(&server.url("/customers?q=云帆")).await;
    browser
        .wait_text(".empty-state", "No customers match.")
        .await;
    browser.goto(&server.url("/customers?q=8888")).await;
    browser
        .wait_text("#customers-table", "北京星辰科技有限公司")
        .await;
    browser.screenshot("customers").await;

    // Same phone, other name: a duplicate warning first, then saved on purpose.
    browser.goto(&server.url("/customers/new")).await;
    browser.hydrated().await;
    browser
        .fill("#customer-form #f-customer-name", "星辰科技（北京）")
        .await;
    browser
        .fill("#customer-form #f-customer-phone", "+86 010 8888-6666")
        .await;
    browser.click("#customer-form button[type=submit]").await;
    browser
        .wait_text("#duplicate-warning", "北京星辰科技有限公司")
        .await;
    browser.screenshot("duplicate-warning").await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test]
async fn a_rep_cannot_open_another_reps_customer() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for email in ["li@example.cn", "wang@example.cn"] {
        let created = admin
            .post(server.url("/api/create_user"))
            .header("Origin", &server.base)
            .form(&[
                ("email", email),
                ("name", email),
                ("role", "rep"),
                ("team", ""),
                ("password", "rep password 1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 200);
    }
    let li = log_in_over_http(&server, "li@example.cn", "rep password 1").await;
    let id: String = li
        .post(server.url("/api/create_customer"))
        .header("Origin", &server.base)
        .form(&customer_form("李娜的客户", "13800001111"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let wang = log_in_over_http(&server, "wang@example.cn", "rep password 1").await;
    let peek = wang
        .post(server.url("/api/get_customer"))
        .header("Origin", &server.base)
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(peek.status(), 404);
    let list: serde_json::Value = wang
        .post(server.url("/api/list_customers"))
        .header("Origin", &server.base)
        .form(&[("params[scope]", "all")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);

    let browser = Browser::start("en-US").await;
    sign_in(&browser, &server, "wang@example.cn", "rep password 1").await;
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.wait_text("h1", "Page not found").await;
    let owner_view = li
        .post(server.url("/api/get_customer"))
        .header("Origin", &server.base)
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(owner_view.status(), 200);
    browser.close().await;
}
