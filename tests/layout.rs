//! How pages hold up outside the happy desktop: at phone width, without
//! JavaScript, and scrolled down a long page.

use e2e::*;

/// Creates a customer with a contact, owned by `client`'s user.
async fn create_customer_with_contact(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
) -> String {
    let (status, id) = call_fn(
        client,
        server,
        "create_customer",
        &[
            ("customer[name]", name),
            ("customer[kind]", "company"),
            ("customer[customer_type]", "potential"),
            ("customer[phone]", "010-8888 6666"),
            (
                "customer[address]",
                "北京市海淀区中关村大街一号科技大厦十八层",
            ),
            ("contacts[0][name]", "张伟"),
            ("contacts[0][title]", "采购经理"),
            ("contacts[0][phone]", "139 0000 1111"),
            // Every customer here has the same phone: no duplicate warning.
            ("confirmed", "true"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

/// The page does not scroll sideways at phone width, and `controls` are
/// on screen: inside the 360 px, not zero-sized. On failure it names the
/// elements that stick out.
async fn fits_the_phone(browser: &Browser, page: &str, controls: &[&str]) {
    let report = browser
        .script(
            "const w = document.documentElement.clientWidth;\
             const wide = [...document.querySelectorAll('body *')]\
               .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1 \
                 && !(e.parentElement && e.parentElement.closest('.board, .table-wrap, .dialog')); })\
               .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right));\
             return { scroll: document.documentElement.scrollWidth, width: w, wide: wide };",
        )
        .await;
    let scroll = report["scroll"].as_u64().unwrap();
    assert!(
        scroll <= 360,
        "{page} scrolls sideways at phone width: {report}"
    );
    for css in controls {
        browser.find(css).await;
        let rect = browser
            .script(&format!(
                "const r = document.querySelector(\"{css}\").getBoundingClientRect();\
                 return [r.left, r.right, r.width, r.height];"
            ))
            .await;
        let [left, right, width, height] =
            [0, 1, 2, 3].map(|i| rect[i].as_f64().unwrap_or_default());
        assert!(
            left >= -0.5 && right <= 360.5 && width > 0.0 && height > 0.0,
            "{page}: {css} is not on screen: {rect}"
        );
    }
}

#[tokio::test]
async fn customer_and_deal_pages_and_forms_fit_a_phone() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer =
        create_customer_with_contact(&admin, &server, "北京星辰科技发展集团股份有限公司").await;
    let deal = create_deal_over_http(
        &admin,
        &server,
        &customer,
        "数据中心机房整体升级改造项目",
        "1,285,000",
    )
    .await;
    create_deal_over_http(&admin, &server, &customer, "备用电源", "8,000").await;

    // The first admin reads Chinese (the company's language at setup); a
    // second one follows an English browser.
    let english = "alex@example.cn";
    create_user_over_http(
        &admin,
        &server,
        english,
        "Alex",
        "admin",
        "",
        ADMIN_PASSWORD,
    )
    .await;
    for (language, tag, email) in [("zh-CN", "zh", ADMIN_EMAIL), ("en-US", "en", english)] {
        let browser = Browser::start_sized(language, 360, 740).await;
        browser.sign_in(&server, email, ADMIN_PASSWORD).await;
        let pages: [(String, &str, &[&str]); 8] = [
            (
                "/customers".into(),
                "customers",
                &["#new-customer", ".table-wrap", "#customers-table a"],
            ),
            (
                format!("/customers/{customer}"),
                "customer",
                &[
                    "#edit-customer",
                    "#add-contact",
                    "#activity-form button[type=submit]",
                    "#new-customer-deal",
                ],
            ),
            ("/pipeline".into(), "board", &["#new-deal", ".board"]),
            (
                format!("/deals/{deal}"),
                "deal",
                &["#deal-title", "#deal-amount"],
            ),
            (
                "/customers/new".into(),
                "customer-new",
                &["#customer-form button[type=submit]"],
            ),
            (
                format!("/customers/{customer}/edit"),
                "customer-edit",
                &["form button[type=submit]"],
            ),
            (
                "/deals/new".into(),
                "deal-new",
                &["#deal-form button[type=submit]", "#f-deal-amount"],
            ),
            (
                format!("/deals/{deal}/edit"),
                "deal-edit",
                &["#deal-form button[type=submit]", "#f-deal-amount"],
            ),
        ];
        for (path, name, controls) in pages {
            browser.goto(&server.url(&path)).await;
            browser.hydrated().await;
            fits_the_phone(&browser, &path, controls).await;
            browser.screenshot(&format!("phone-{name}-{tag}")).await;
            // And where the page ends: a form's submit button.
            browser
                .script("window.scrollTo(0, document.documentElement.scrollHeight);")
                .await;
            browser.screenshot(&format!("phone-{name}-{tag}-end")).await;
        }
        // Amounts carry the currency; the deal shows every cent.
        browser.goto(&server.url(&format!("/deals/{deal}"))).await;
        browser.hydrated().await;
        browser.wait_text("#deal-amount", "¥1,285,000.00").await;
        browser
            .goto(&server.url(&format!("/customers/{customer}")))
            .await;
        browser.hydrated().await;
        browser.wait_text("#deals-card", "¥8,000.00").await;
        // The contact's edit form opens and fits too.
        browser.click("#contacts-card .edit-contact").await;
        browser.find("#contact-edit-form").await;
        fits_the_phone(
            &browser,
            "contact edit",
            &["#contact-edit-form button[type=submit]"],
        )
        .await;
        browser
            .screenshot(&format!("phone-contact-edit-{tag}"))
            .await;
        let errors = browser.console_errors().await;
        assert!(errors.is_empty(), "{errors:?}");
        browser.close().await;
    }
}

#[tokio::test]
async fn without_javascript_a_failed_form_shows_its_page_with_the_message() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let browser = Browser::start_without_javascript("en-US").await;

    browser.goto(&server.url("/login")).await;
    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", "not the password").await;
    browser.click("#login-form button[type=submit]").await;
    browser
        .wait_text("#login-form .alert", "Wrong email or password.")
        .await;
    browser.wait_path("/login").await;
    browser.screenshot("nojs-login-error").await;

    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", ADMIN_PASSWORD).await;
    browser.click("#login-form button[type=submit]").await;
    browser.wait_path("/").await;

    // Blanks pass the browser's own `required` check; the server refuses them.
    browser.goto(&server.url("/customers/new")).await;
    browser.fill("#f-customer-name", "   ").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_path("/customers/new").await;
    browser
        .wait_text("#customer-form .field-error", "Required.")
        .await;
    browser.screenshot("nojs-customer-error").await;
    let body = browser.text("body").await;
    assert!(!body.contains("\"Core\""), "raw JSON on the page: {body}");

    // A correct post still goes through.
    browser.fill("#f-customer-name", "杭州青山茶业").await;
    browser.click("#customer-form button[type=submit]").await;
    browser.wait_text("#customer-name", "杭州青山茶业").await;
    browser.close().await;
}

#[tokio::test]
async fn the_sidebar_reaches_the_bottom_of_a_long_page() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for n in 0..40 {
        create_customer_with_contact(&admin, &server, &format!("长页面测试客户{n:02}")).await;
    }
    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/customers")).await;
    browser.hydrated().await;
    browser
        .wait_text("#customers-table", "长页面测试客户39")
        .await;
    // The sidebar's box, and so its background, runs down the whole page,
    // not just the first screen (as a printout or a whole-page capture shows).
    let state = browser
        .script(
            "const r = document.querySelector('.sidebar').getBoundingClientRect();\
             return { page: document.documentElement.scrollHeight, screen: window.innerHeight,\
                      sidebar: r.height, top: r.top + window.scrollY };",
        )
        .await;
    let number = |key: &str| state[key].as_f64().unwrap();
    assert!(number("page") > number("screen") + 300.0, "{state}");
    assert!(
        number("top") <= 0.5 && number("sidebar") >= number("page") - 0.5,
        "the sidebar stops before the bottom of the page: {state}"
    );
    browser.screenshot_full_page("long-page-whole").await;
    // Scrolled to the bottom, its links are still in view beside the rows.
    let scrolled = browser
        .script(
            "window.scrollTo(0, document.documentElement.scrollHeight);\
             const nav = document.querySelector('.sidebar .nav').getBoundingClientRect();\
             const below = document.elementFromPoint(20, window.innerHeight - 5);\
             return { y: window.scrollY, navTop: nav.top, inSidebar: !!(below && below.closest('.sidebar')) };",
        )
        .await;
    assert!(scrolled["y"].as_f64().unwrap() > 300.0, "{scrolled}");
    assert!(
        scrolled["inSidebar"].as_bool().unwrap()
            && (0.0..200.0).contains(&scrolled["navTop"].as_f64().unwrap()),
        "the sidebar scrolled away: {scrolled}"
    );
    browser.screenshot("long-page-bottom").await;
    browser.close().await;
}
