//! Deals beyond the board's moves (issue 13): found by the header search,
//! seen and edited by every owner, quick-qualified and filtered by grade,
//! and the activities logged about them.

use e2e::*;

/// Creates a deal in the first stage of the default pipeline, with more
/// form fields when given.
async fn create_deal(
    client: &reqwest::Client,
    server: &Server,
    customer: &str,
    title: &str,
    more: &[(&str, &str)],
) -> String {
    let mut form = vec![
        ("deal[customer_id]", customer),
        ("deal[title]", title),
        ("deal[amount]", "50,000"),
    ];
    form.extend_from_slice(more);
    create_deal_with(client, server, &form).await
}

async fn user_id(admin: &reqwest::Client, server: &Server, email: &str) -> String {
    let (status, page) = call_fn(admin, server, "list_users", &[]).await;
    assert_eq!(status, 200, "{page}");
    page["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .map(|u| u["id"].as_str().unwrap().to_string())
        .unwrap()
}

/// Makes `client`'s user read the UI in `locale` (`zh-CN` or `en`): a
/// user's own choice wins over the browser's language.
async fn speak(client: &reqwest::Client, server: &Server, locale: &str) {
    let (status, answer) = call_fn(client, server, "set_language", &[("locale", locale)]).await;
    assert_eq!(status, 200, "{answer}");
}

fn card(deal: &str) -> String {
    format!("[data-deal='{deal}']")
}

#[tokio::test]
async fn the_header_search_finds_a_deal_by_its_customers_name_and_opens_it() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "北京星辰科技有限公司").await;
    let deal = create_deal(&admin, &server, &customer, "机房升级", &[]).await;

    for (language, shot) in [("zh-CN", "search-deal-zh"), ("en", "search-deal-en")] {
        speak(&admin, &server, language).await;
        let browser = Browser::start(language).await;
        browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        browser.fill("#header-search", "科技").await;
        // The customer, and its deal found by the customer's name.
        browser
            .wait_text(".search-hit[data-kind='customer']", "北京星辰科技有限公司")
            .await;
        browser
            .wait_text(".search-hit[data-kind='deal']", "机房升级")
            .await;
        browser
            .wait_text(".search-hit[data-kind='deal']", "北京星辰科技有限公司")
            .await;
        browser.screenshot(shot).await;
        browser.click(".search-hit[data-kind='deal']").await;
        browser.wait_path(&format!("/deals/{deal}")).await;
        browser.wait_text("#deal-title", "机房升级").await;
        // By a part of the title, too.
        browser.hydrated().await;
        browser.fill("#header-search", "房升").await;
        browser
            .wait_text(".search-hit[data-kind='deal']", "机房升级")
            .await;
        assert!(browser.console_errors().await.is_empty());
        browser.close().await;
    }
}

#[tokio::test]
async fn a_co_owner_sees_the_deal_on_the_board_and_the_owner_filter_finds_it() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let password = "team password 1";
    for (email, name, team) in [
        ("li@example.cn", "李娜", "East"),
        ("wang@example.cn", "王强", "North"),
    ] {
        create_user_over_http(&admin, &server, email, name, "rep", team, password).await;
    }
    let li_id = user_id(&admin, &server, "li@example.cn").await;
    let wang_id = user_id(&admin, &server, "wang@example.cn").await;
    let li = log_in_over_http(&server, "li@example.cn", password).await;
    let customer = create_customer_over_http(&li, &server, "杭州西湖茶业").await;
    let shared = create_deal(
        &li,
        &server,
        &customer,
        "Tea shop tablets",
        &[
            ("deal[owners][0][user]", &li_id),
            ("deal[owners][0][percent]", "60"),
            ("deal[owners][1][user]", &wang_id),
            ("deal[owners][1][percent]", "40"),
        ],
    )
    .await;
    let own = create_deal(&li, &server, &customer, "Kiosk printers", &[]).await;

    // The co-owner sees it on the board (and not li's own deal), opens it
    // and may edit it.
    let wang = Browser::start("en-US").await;
    wang.sign_in(&server, "wang@example.cn", password).await;
    wang.click(".nav a[href='/pipeline']").await;
    wang.wait_path("/pipeline").await;
    wang.find(&card(&shared)).await;
    wang.wait_text(".board-column:nth-child(1) .column-count", "1")
        .await;
    wang.gone(&card(&own)).await;
    wang.screenshot("co-owner-board-en").await;
    wang.goto(&server.url(&format!("/deals/{shared}"))).await;
    wang.hydrated().await;
    wang.wait_text("#deal-details-owners", "王强 40 %").await;
    wang.find("#edit-deal").await;
    wang.close().await;

    // The owner filter finds the deal under the co-owner, counted once.
    speak(&admin, &server, "zh-CN").await;
    let boss = Browser::start("zh-CN").await;
    boss.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    boss.goto(&server.url("/pipeline")).await;
    boss.hydrated().await;
    boss.wait_text(".board-column:nth-child(1) .column-count", "2")
        .await;
    boss.choose("#filter-owner", &wang_id).await;
    boss.wait_text(".board-column:nth-child(1) .column-count", "1")
        .await;
    boss.find(&card(&shared)).await;
    boss.gone(&card(&own)).await;
    let url = boss.client.current_url().await.unwrap();
    assert!(url.query().unwrap_or_default().contains(&wang_id), "{url}");
    boss.screenshot("co-owner-filter-zh").await;
    assert!(boss.console_errors().await.is_empty());
    boss.close().await;
}

#[tokio::test]
async fn a_quick_qualification_shows_on_the_deal_and_its_card_and_the_board_filters_by_grade() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "上海远景物流").await;
    let plain = create_deal(&admin, &server, &customer, "Forklift rental", &[]).await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // 三一客 in the deal form: worth it, small, expected amount, milestone.
    browser.goto(&server.url("/deals/new")).await;
    browser.hydrated().await;
    browser.find("#deal-form[data-hydrated]").await;
    browser.fill("#f-deal-customer", "远景").await;
    browser.click_text(".picker-hit", "上海远景物流").await;
    browser
        .wait_text("#deal-customer-name", "上海远景物流")
        .await;
    browser.fill("#f-deal-title", "Label printers").await;
    browser.fill("#f-deal-amount", "9,800").await;
    browser.choose("#f-deal-valuable", "yes").await;
    browser.choose("#f-deal-size", "small").await;
    browser.fill("#f-deal-expected_amount", "9,000").await;
    browser
        .fill("#f-deal-next_milestone", "Demo on Friday")
        .await;
    browser.screenshot("qualification-form-en").await;
    browser.click("#deal-form button[type=submit]").await;
    browser.wait_text("#deal-title", "Label printers").await;
    browser
        .wait_text("#deal-qualification", "Worth pursuing")
        .await;
    browser.wait_text("#deal-qualification", "Small").await;
    browser.wait_text("#deal-qualification", "9,000.00").await;
    browser
        .wait_text("#deal-qualification", "Demo on Friday")
        .await;
    let qualified = browser
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_start_matches("/deals/")
        .to_string();
    browser.screenshot("qualification-deal-en").await;

    // The card shows the grade; the grade filter keeps only it.
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser
        .wait_text(&format!("{} .deal-card-grade", card(&qualified)), "Small")
        .await;
    browser.find(&card(&plain)).await;
    browser.choose("#filter-grade", "small").await;
    browser.gone(&card(&plain)).await;
    browser.find(&card(&qualified)).await;
    browser
        .wait_text(".board-column:nth-child(1) .column-count", "1")
        .await;
    let url = browser.client.current_url().await.unwrap();
    assert!(
        url.query().unwrap_or_default().contains("grade=small"),
        "{url}"
    );
    browser.screenshot("board-grade-filter-en").await;
    // The filter is in the URL: a reload keeps it.
    browser.client.refresh().await.unwrap();
    browser.hydrated().await;
    browser
        .find("#filter-grade option[value='small'][selected]")
        .await;
    browser.gone(&card(&plain)).await;
    browser.goto(&server.url("/pipeline?grade=big")).await;
    browser.hydrated().await;
    browser
        .wait_text(".board-column:nth-child(1) .column-count", "0")
        .await;
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;

    speak(&admin, &server, "zh-CN").await;
    let zh = Browser::start("zh-CN").await;
    zh.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    zh.goto(&server.url("/pipeline?grade=small")).await;
    zh.hydrated().await;
    zh.wait_text(&format!("{} .deal-card-grade", card(&qualified)), "小单")
        .await;
    zh.screenshot("board-grade-filter-zh").await;
    zh.goto(&server.url(&format!("/deals/{qualified}"))).await;
    zh.hydrated().await;
    zh.wait_text("#deal-qualification", "有价值").await;
    zh.screenshot("qualification-deal-zh").await;
    zh.close().await;
}

/// Scrolls `css` into view for a screenshot.
async fn show(browser: &Browser, css: &str) {
    browser
        .script(&format!(
            "document.querySelector('{css}').scrollIntoView({{block: 'center'}}); return null;"
        ))
        .await;
}

/// Sets the activity form's time `hours` from the value it starts with
/// (now, in the company's zone) and answers it as the timeline shows it.
async fn shift_time(browser: &Browser, field: &str, hours: i64) -> String {
    let value = browser
        .script(&format!(
            "const f = document.querySelector('{field}');
             const d = new Date(f.value + ':00Z');
             d.setUTCHours(d.getUTCHours() + ({hours}));
             f.value = d.toISOString().slice(0, 16);
             return f.value;"
        ))
        .await;
    let value = value.as_str().expect("a time").to_string();
    assert_eq!(value.len(), 16, "{value}");
    value.replace('T', " ")
}

#[tokio::test]
async fn an_activity_logged_on_the_deal_page_for_earlier_shows_there_and_on_the_timeline() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "成都天府食品").await;
    let deal = create_deal(&admin, &server, &customer, "Cold chain sensors", &[]).await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-activities", "No activities yet")
        .await;
    browser.click(".deal-activity-entry summary").await;
    browser.find("#deal-activity-form").await;

    // A time in the future is refused, saying why.
    browser
        .fill("#f-deal-activity-text", "Called about the sensor spec")
        .await;
    shift_time(&browser, "#f-deal-activity-at", 48).await;
    browser
        .click("#deal-activity-form button[type=submit]")
        .await;
    browser
        .wait_text(
            "#deal-activity-form .field-error",
            "cannot be later than now",
        )
        .await;
    show(&browser, "#deal-activities").await;
    browser.screenshot("deal-activity-future-en").await;

    // A call made three hours ago keeps its time.
    let earlier = shift_time(&browser, "#f-deal-activity-at", -51).await;
    browser
        .fill("#f-deal-activity-duration_minutes", "15")
        .await;
    browser
        .click("#deal-activity-form button[type=submit]")
        .await;
    browser
        .wait_text("#deal-activity-list", "Called about the sensor spec")
        .await;
    browser.wait_text("#deal-activity-list", &earlier).await;
    browser.find(".deal-activity-entry:not([open])").await;
    show(&browser, "#deal-activities").await;
    browser.screenshot("deal-activities-en").await;

    // The customer's timeline shows it too, naming the deal; the customer
    // page's own form offers the deal.
    browser
        .goto(&server.url(&format!("/customers/{customer}")))
        .await;
    browser.hydrated().await;
    browser
        .wait_text("#timeline", "Called about the sensor spec")
        .await;
    browser
        .wait_text("#timeline .entry-deal", "Deal: Cold chain sensors")
        .await;
    browser.wait_text("#timeline", &earlier).await;
    browser
        .wait_text("#f-activity-deal", "Cold chain sensors")
        .await;
    show(&browser, "#timeline").await;
    browser.screenshot("timeline-deal-activity-en").await;

    // Quick entry offers the customer's open deals as well; linked there,
    // the note lands on the deal page.
    browser.find("body").await.send_keys("n").await.unwrap();
    browser
        .wait_text("#quick-customer-name", "成都天府食品")
        .await;
    browser
        .wait_text("#f-quick-deal", "Cold chain sensors")
        .await;
    browser.choose("#f-quick-deal", &deal).await;
    browser.fill("#f-quick-text", "Sent the price list").await;
    browser.screenshot("quick-entry-deal-en").await;
    browser
        .click("#quick-activity-form button[type=submit]")
        .await;
    browser.wait_text("#timeline", "Sent the price list").await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-activity-list", "Sent the price list")
        .await;
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;

    speak(&admin, &server, "zh-CN").await;
    let zh = Browser::start("zh-CN").await;
    zh.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    zh.goto(&server.url(&format!("/deals/{deal}"))).await;
    zh.hydrated().await;
    zh.click(".deal-activity-entry summary").await;
    zh.find("#deal-activity-form").await;
    zh.wait_text("#deal-activities", "本商机的跟进").await;
    show(&zh, "#deal-activities").await;
    zh.screenshot("deal-activities-zh").await;
    zh.goto(&server.url(&format!("/customers/{customer}")))
        .await;
    zh.hydrated().await;
    zh.wait_text("#timeline .entry-deal", "商机：Cold chain sensors")
        .await;
    show(&zh, "#timeline").await;
    zh.screenshot("timeline-deal-activity-zh").await;
    zh.close().await;
}
