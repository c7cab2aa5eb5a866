//! Customers, contacts, the timeline, search, the pool and edits, end to end.

use e2e::*;

fn customer_form<'a>(name: &'a str, phone: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("customer[name]", name),
        ("customer[kind]", "company"),
        ("customer[customer_type]", "potential"),
        ("customer[phone]", phone),
    ]
}

/// Creates a customer owned by `client`'s user and returns its id.
async fn create_customer(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
    phone: &str,
) -> String {
    let (status, id) = call_fn(
        client,
        server,
        "create_customer",
        &customer_form(name, phone),
    )
    .await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

#[tokio::test]
async fn create_a_customer_with_two_contacts_log_a_call_and_see_it() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

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
        .fill("#activity-form #f-activity-duration_minutes", "12")
        .await;
    browser.fill("#f-activity-text", "谈了报价，下周拜访").await;
    browser.click("#activity-form button[type=submit]").await;
    browser.wait_text("#timeline", "谈了报价，下周拜访").await;
    browser.wait_text("#timeline", "12 min").await;
    browser.wait_text("#timeline", "王总").await;
    browser.screenshot("customer-360").await;

    // A promise that is already late shows as overdue on the task list and
    // is ticked off with one click.
    browser.fill("#task-form #f-title", "寄送样品").await;
    // Typing into a date-time field depends on the locale's format; the
    // value is what the form posts either way.
    browser
        .script("document.querySelector('#task-form #f-due').value = '2020-01-02T09:00';")
        .await;
    browser.click("#task-form input[name=commitment]").await;
    browser.click("#task-form button[type=submit]").await;
    browser.wait_text("#timeline", "寄送样品").await;
    browser.click(".nav a[href='/tasks']").await;
    browser.wait_text("#task-list li.overdue", "寄送样品").await;
    browser.click("#task-list li.overdue .task-toggle").await;
    browser.wait_text("#task-list li.done", "寄送样品").await;
    browser.client.back().await.unwrap();
    browser
        .wait_text("#customer-name", "北京星辰科技有限公司")
        .await;
    browser.hydrated().await;

    // Quick entry from the keyboard, pre-filled with the customer in view.
    browser.find("body").await.send_keys("n").await.unwrap();
    browser
        .wait_text("#quick-customer-name", "北京星辰科技有限公司")
        .await;
    browser.fill("#f-quick-text", "微信发了资料").await;
    browser
        .click("#quick-activity-form button[type=submit]")
        .await;
    browser.wait_text("#timeline", "微信发了资料").await;

    // Chinese substring search in the list: no spaces between words.
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
    browser.hydrated().await;
    browser.screenshot("customers").await;

    // The header search as you type, a contact by part of the name.
    browser.fill("#header-search", "刘").await;
    browser
        .wait_text("#search-results", "刘洋 · 北京星辰科技有限公司")
        .await;
    browser.fill("#header-search", "星辰科").await;
    browser
        .wait_text(
            "#search-results .search-hit[data-kind=customer]",
            "北京星辰科技有限公司",
        )
        .await;
    browser.screenshot("header-search").await;
    browser
        .click("#search-results .search-hit[data-kind=customer]")
        .await;
    browser
        .wait_text("#customer-name", "北京星辰科技有限公司")
        .await;

    // Same phone, other name: a duplicate warning first, then saved on purpose.
    browser.goto(&server.url("/customers/new")).await;
    browser.find("#customer-form[data-hydrated]").await;
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
    browser.click("#save-anyway").await;
    browser
        .wait_text("#customer-name", "星辰科技（北京）")
        .await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test]
async fn a_rep_cannot_open_another_reps_customer_by_url_or_api() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for email in ["li@example.cn", "wang@example.cn"] {
        create_user_over_http(&admin, &server, email, email, "rep", "", "rep password 1").await;
    }
    let li = log_in_over_http(&server, "li@example.cn", "rep password 1").await;
    let id = create_customer(&li, &server, "李娜的客户", "13800001111").await;

    let wang = log_in_over_http(&server, "wang@example.cn", "rep password 1").await;
    let (status, _) = call_fn(&wang, &server, "get_customer", &[("id", id.as_str())]).await;
    assert_eq!(status, 404);
    let (_, list) = call_fn(
        &wang,
        &server,
        "list_customers",
        &[("params[scope]", "all")],
    )
    .await;
    assert_eq!(list["total"], 0);
    let api = wang
        .get(server.url(&format!("/api/v1/customers/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    let listed: serde_json::Value = wang
        .get(server.url("/api/v1/customers?q=李娜"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0);
    let found: serde_json::Value = wang
        .get(server.url("/api/v1/search?q=李娜"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found, serde_json::json!([]));

    let browser = Browser::start("en-US").await;
    browser
        .sign_in(&server, "wang@example.cn", "rep password 1")
        .await;
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.wait_text("h1", "Page not found").await;
    let (status, _) = call_fn(&li, &server, "get_customer", &[("id", id.as_str())]).await;
    assert_eq!(status, 200);
    browser.close().await;
}

#[tokio::test]
async fn claim_from_the_pool_and_release_back() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
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
    let id = create_customer(&admin, &server, "广州云帆物流", "020-3333 7777").await;
    let (status, _) = call_fn(
        &admin,
        &server,
        "release_customer",
        &[("id", id.as_str()), ("version", "1")],
    )
    .await;
    assert_eq!(status, 200);

    let browser = Browser::start("en-US").await;
    browser
        .sign_in(&server, "li@example.cn", "rep password 1")
        .await;
    browser.click(".nav a[href='/pool']").await;
    browser.wait_path("/pool").await;
    browser.wait_text("#customers-table", "广州云帆物流").await;
    browser.screenshot("pool").await;
    browser.click("#customers-table .claim").await;
    browser
        .wait_text(".empty-state", "No customers match.")
        .await;

    browser.goto(&server.url("/customers?scope=mine")).await;
    browser.wait_text("#customers-table", "广州云帆物流").await;
    browser.wait_text("#customers-table", "李娜").await;
    browser.hydrated().await;
    browser
        .click_text("#customers-table a", "广州云帆物流")
        .await;
    browser.wait_text("#customer-name", "广州云帆物流").await;
    browser.click("#release").await;
    browser.wait_text(".facts", "Public pool").await;
    browser.goto(&server.url("/pool")).await;
    browser.wait_text("#customers-table", "广州云帆物流").await;
    browser.close().await;
}

#[tokio::test]
async fn the_second_of_two_concurrent_edits_gets_the_conflict_message() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let id = create_customer(&admin, &server, "上海明月贸易", "021-5555 1234").await;

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser
        .goto(&server.url(&format!("/customers/{id}/edit")))
        .await;
    browser.find("#customer-form[data-hydrated]").await;

    // Someone else saves first, from another session.
    let mut theirs = customer_form("上海明月贸易集团", "021-5555 1234");
    theirs.push(("id", &id));
    theirs.push(("version", "1"));
    let (status, saved) = call_fn(&admin, &server, "update_customer", &theirs).await;
    assert_eq!(status, 200, "{saved}");

    browser.fill("#f-customer-region", "上海").await;
    browser.click("#customer-form button[type=submit]").await;
    browser
        .wait_text(
            "#customer-form .alert-error",
            "Someone else changed this record",
        )
        .await;
    browser.screenshot("edit-conflict").await;
    let (_, now) = call_fn(&admin, &server, "get_customer", &[("id", id.as_str())]).await;
    assert_eq!(now["customer"]["name"], "上海明月贸易集团");
    assert_eq!(now["customer"]["region"], serde_json::Value::Null);

    // Opened again, the edit goes through and the change shows in the history.
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.hydrated().await;
    browser.click("#edit-customer").await;
    browser.find("#customer-form[data-hydrated]").await;
    browser.fill("#f-customer-region", "上海").await;
    browser.click("#customer-form button[type=submit]").await;
    browser
        .wait_text("#customer-name", "上海明月贸易集团")
        .await;
    browser.wait_text(".facts", "上海").await;
    browser.wait_text("#timeline", "上海").await;
    browser.close().await;
}

#[tokio::test]
async fn custom_fields_bulk_tags_and_the_recycle_bin() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    browser.goto(&server.url("/admin/settings")).await;
    browser.find("#customer-rules-form[data-hydrated]").await;
    browser
        .fill("#f-settings-fields-0-label", "Annual budget")
        .await;
    browser
        .find("#f-settings-fields-0-kind option[value='number']")
        .await
        .click()
        .await
        .unwrap();
    browser.fill("#f-settings-links-0-label", "Map").await;
    browser
        .fill(
            "#f-settings-links-0-url",
            "https://maps.example.com/?q={name}",
        )
        .await;
    browser
        .click("#customer-rules-form button[type=submit]")
        .await;
    browser.wait_text("#customer-rules-form", "Saved").await;

    browser.goto(&server.url("/customers/new")).await;
    browser.find("#customer-form[data-hydrated]").await;
    browser.fill("#f-customer-name", "深圳海蓝科技").await;
    browser.fill("#f-customer-custom-f1", "a lot").await;
    browser.click("#customer-form button[type=submit]").await;
    browser
        .wait_text("#custom-field-inputs .field-error", "format")
        .await;
    browser.fill("#f-customer-custom-f1", "500,000").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_text("#customer-name", "深圳海蓝科技").await;
    browser.wait_text(".facts", "500000").await;
    browser.wait_text("#lookup-links", "Map").await;
    // The link opens the site with this customer's name filled in, encoded.
    let href = browser
        .find("#lookup-links a")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(
        href.as_deref(),
        Some("https://maps.example.com/?q=%E6%B7%B1%E5%9C%B3%E6%B5%B7%E8%93%9D%E7%A7%91%E6%8A%80"),
        "the lookup link's address"
    );

    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_customer(&admin, &server, "杭州青山茶业", "").await;
    browser.goto(&server.url("/customers")).await;
    browser
        .wait_text("#customers-table thead", "ANNUAL BUDGET")
        .await;
    browser.wait_text("#customers-table", "500000").await;
    browser.hydrated().await;
    browser.click("#select-page").await;
    browser.wait_text("#bulk-bar", "2 selected").await;
    browser.fill("#bulk-tag", "展会").await;
    browser.click("#bulk-add-tag").await;
    browser
        .wait_text("#bulk-outcome", "2 customers updated")
        .await;
    browser.goto(&server.url("/customers?tag=展会")).await;
    browser.wait_text("#list-count", "1–2 of 2").await;

    browser
        .click_text("#customers-table a", "杭州青山茶业")
        .await;
    browser.wait_text("#customer-name", "杭州青山茶业").await;
    // The link may have loaded the page from the server: its buttons work
    // once it has hydrated.
    browser.hydrated().await;
    browser.click("#move-to-bin").await;
    browser.click("#confirm-move-to-bin").await;
    browser.wait_path("/customers").await;
    browser.wait_text("#list-count", "1–1 of 1").await;
    browser.goto(&server.url("/admin/recycle-bin")).await;
    browser.wait_text("#recycle-bin", "杭州青山茶业").await;
    browser.hydrated().await;
    browser.click("#recycle-bin .restore").await;
    browser
        .wait_text(".empty-state", "No deleted customers.")
        .await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test]
async fn a_contact_is_edited_with_birthday_and_notes_then_deleted_and_the_history_says_so() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let mut form = customer_form("北京星辰科技有限公司", "");
    form.push(("contacts[0][name]", "张伟"));
    form.push(("contacts[0][phone]", "139 0000 1111"));
    let (status, id) = call_fn(&admin, &server, "create_customer", &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.hydrated().await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.click("#contacts-card .edit-contact").await;
    browser.find("#contact-edit-form").await;
    browser
        .fill("#contact-edit-form #f-contact-title", "采购经理")
        .await;
    browser
        .fill(
            "#contact-edit-form #f-contact-phone",
            "139 0000 1111, 010-6666 8888",
        )
        .await;
    // Date inputs take typing in the browser's own order; the value is what
    // the form posts either way.
    let set_birthday = |date: &str| {
        format!(
            "document.querySelector('#contact-edit-form #f-contact-birthday').value = '{date}';"
        )
    };
    browser.script(&set_birthday("2999-01-01")).await;
    browser
        .click("#contact-edit-form button[type=submit]")
        .await;
    browser
        .wait_text(
            "#contact-edit-form .field-error",
            "A birthday lies between 1900 and today.",
        )
        .await;
    browser.screenshot("contact-edit-error").await;
    browser.script(&set_birthday("1980-02-29")).await;
    browser
        .fill(
            "#contact-edit-form #f-contact-notes",
            "喜欢喝茶，周三下午有空",
        )
        .await;
    browser
        .choose("#contact-edit-form #f-contact-role", "decision_maker")
        .await;
    browser
        .click("#contact-edit-form button[type=submit]")
        .await;
    browser.gone("#contact-edit-form").await;
    browser.wait_text("#contacts-card", "采购经理").await;
    browser.wait_text("#contacts-card", "010-6666 8888").await;
    browser.wait_text("#contacts-card", "1980-02-29").await;
    browser
        .wait_text("#contacts-card", "喜欢喝茶，周三下午有空")
        .await;
    browser
        .wait_text("#contacts-card .badge", "Decision maker")
        .await;
    browser
        .wait_text(
            "#timeline",
            "changed Title of contact 张伟: (empty) → 采购经理",
        )
        .await;
    browser
        .wait_text(
            "#timeline",
            "changed Decision role of contact 张伟: (empty) → Decision maker",
        )
        .await;
    browser.screenshot("contact-edited").await;

    // Deleting asks first; cancelling keeps the contact.
    browser.click("#contacts-card .delete-contact").await;
    browser
        .wait_text(".dialog", "Delete the contact 张伟?")
        .await;
    browser.screenshot("contact-delete-confirm").await;
    browser.click_text(".dialog .btn", "Cancel").await;
    browser.gone(".dialog").await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.click("#contacts-card .delete-contact").await;
    browser.click("#confirm-delete-contact").await;
    browser
        .wait_text("#contacts-card", "No contacts yet.")
        .await;
    browser
        .wait_text("#timeline", "deleted the contact 张伟")
        .await;
    // It is gone on the server too, not only from the page.
    browser.client.refresh().await.unwrap();
    browser.hydrated().await;
    browser
        .wait_text("#contacts-card", "No contacts yet.")
        .await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

/// Deleted deals, contacts and activities wait in the recycle bin, as
/// customers do: an admin puts them back whole (a contact only once its
/// customer is back) or deletes them for good.
#[tokio::test]
async fn deleted_deals_contacts_and_activities_wait_in_the_recycle_bin() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let mut form = customer_form("北京星辰科技有限公司", "");
    form.push(("contacts[0][name]", "张伟"));
    let (status, customer) = call_fn(&admin, &server, "create_customer", &form).await;
    assert_eq!(status, 200, "{customer}");
    let customer = customer.as_str().unwrap().to_string();
    let deal = create_deal_over_http(&admin, &server, &customer, "ERP 升级", "50,000").await;
    let (status, logged) = call_fn(
        &admin,
        &server,
        "log_activity",
        &[
            ("customer_id", customer.as_str()),
            ("kind", "call"),
            ("duration_minutes", "10"),
            ("text", "电话沟通报价"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{logged}");
    let activity = logged["id"].as_str().unwrap().to_string();

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer_page = server.url(&format!("/customers/{customer}"));
    browser.goto(&customer_page).await;
    browser.hydrated().await;
    browser.wait_text("#timeline", "电话沟通报价").await;
    browser.click("#timeline .delete-activity").await;
    browser.wait_text(".dialog", "进入回收站").await;
    browser.screenshot("timeline-delete-activity").await;
    browser.click("#confirm-delete-activity").await;
    browser.find("#timeline .entry.activity.removed").await;
    browser.click("#contacts-card .delete-contact").await;
    browser.click("#confirm-delete-contact").await;
    browser.wait_text("#timeline", "删除了联系人 张伟").await;
    let (status, body) = call_fn(
        &admin,
        &server,
        "delete_deal",
        &[("id", deal.as_str()), ("version", "1")],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    browser.goto(&server.url("/admin/recycle-bin")).await;
    browser.hydrated().await;
    for label in ["ERP 升级", "张伟", "电话沟通报价"] {
        browser.wait_text("#binned-records", label).await;
    }
    browser
        .wait_text("#binned-records", "北京星辰科技有限公司")
        .await;
    browser.screenshot("recycle-bin-records").await;

    let row = |id: &str| format!("#binned-records tr[data-id='{id}']");
    browser.click(&format!("{} .restore", row(&deal))).await;
    browser.gone(&row(&deal)).await;
    browser.click(&format!("{} .purge", row(&activity))).await;
    browser.wait_text(".dialog", "无法恢复").await;
    browser.click("#confirm-purge-record").await;
    browser.gone(&row(&activity)).await;

    // A contact goes back only to a customer that is not in the bin.
    let (status, body) = call_fn(
        &admin,
        &server,
        "recycle_customer",
        &[("id", customer.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    browser.goto(&server.url("/admin/recycle-bin")).await;
    browser.hydrated().await;
    browser
        .wait_text("#recycle-bin", "北京星辰科技有限公司")
        .await;
    browser.click("#binned-records .restore").await;
    browser
        .wait_text(".alert", "请先从回收站恢复客户「北京星辰科技有限公司」")
        .await;
    browser
        .screenshot("recycle-bin-restore-customer-first")
        .await;
    browser.click("#recycle-bin .restore").await;
    browser.wait_text("main", "没有删除的客户。").await;
    browser.click("#binned-records .restore").await;
    browser
        .wait_text("main", "没有删除的商机、联系人或跟进记录。")
        .await;

    browser.goto(&customer_page).await;
    browser.hydrated().await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.wait_text("#deals-card", "ERP 升级").await;
    browser
        .wait_text("#timeline", "从回收站恢复了联系人 张伟")
        .await;
    let timeline = browser.text("#timeline").await;
    assert!(!timeline.contains("电话沟通报价"), "{timeline}");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}
