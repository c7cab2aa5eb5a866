//! Moving in from spreadsheets and phones: a GB18030 CSV as Excel in China
//! saves it, and vCard files.

use e2e::*;

/// Two rows fail: row 3 has no name, row 5 a broken email.
const SHEET: &str = "客户名称,客户类型,电话,邮箱,地区,联系人,职务\r\n\
    北京星辰科技有限公司,签约客户,010-8888 6666,info@xingchen.cn,北京,张伟,总经理\r\n\
    ,潜在客户,13800000000,,,,\r\n\
    上海明月贸易,潜在客户,021-5555 1234,,上海,,\r\n\
    广州云帆物流,潜在客户,020-3333 7777,not-an-email,广州,李娜,采购\r\n\
    深圳海蓝科技,代理商,0755-2222 8888,hello@hailan.cn,深圳,,\r\n";

#[tokio::test]
async fn a_gb18030_csv_dry_run_lists_exactly_the_bad_rows_then_imports_the_rest() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("客户.csv");
    std::fs::write(&file, encoding_rs::GB18030.encode(SHEET).0).unwrap();

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/customers")).await;
    browser.click("#import-customers").await;
    browser.wait_path("/customers/import").await;
    browser.hydrated().await;
    browser.choose_file("#csv-file", &file).await;
    browser.click("#csv-upload button[type=submit]").await;
    browser.wait_text("#import-info", "GBK/GB18030").await;
    browser.wait_text("#import-info", "5 rows").await;
    browser.hydrated().await;
    browser
        .wait_text("#mapping-table", "北京星辰科技有限公司")
        .await;

    browser.click("#dry-run").await;
    browser
        .wait_text("#dry-run-summary", "Create 3 · update 0 · skip 0 · fail 2")
        .await;
    let rows = browser
        .script(
            "return [...document.querySelectorAll('#import-problems tbody tr')]\
             .map(r => [...r.cells].map(c => c.innerText));",
        )
        .await;
    assert_eq!(
        rows,
        serde_json::json!([
            ["3", "客户名称", "Required."],
            [
                "5",
                "邮箱",
                "Enter a valid email address, e.g. wang@example.com."
            ]
        ])
    );
    browser.screenshot("import-dry-run").await;
    let nothing: serde_json::Value = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await
        .get(server.url("/api/v1/customers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nothing["total"], 0, "a dry run writes nothing");

    browser.click("#run-import").await;
    browser
        .wait_text("#import-finished", "Import finished")
        .await;
    browser
        .wait_text("#import-finished", "Create 3 · update 0 · skip 0 · fail 2")
        .await;
    // The import exports back as Excel expects: UTF-8 with a BOM.
    let csv = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD)
        .await
        .get(server.url("/api/v1/customers.csv?region=深圳"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Customer name,Customer type"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("深圳海蓝科技,Agent,Company"), "{text}");
    browser.click("#import-finished a").await;
    browser.wait_text("#customers-table", "深圳海蓝科技").await;
    browser.wait_text("#list-count", "of 3").await;
    browser
        .click_text("#customers-table a", "北京星辰科技有限公司")
        .await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.wait_text(".page-intro", "Signed").await;
    browser.close().await;
}

const CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nTEL;TYPE=CELL:138 0013 8000\r\n\
    EMAIL:zw@xingchen.cn\r\nEND:VCARD\r\n\
    BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=88=98;=E6=B4=8B;;;\r\n\
    TEL;CELL:139-0000-1111\r\nEND:VCARD\r\n\
    BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:12345678\r\nEND:VCARD\r\n";

#[tokio::test]
async fn vcards_become_contacts_of_a_customer() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, id) = call_fn(
        &admin,
        &server,
        "create_customer",
        &[("customer[name]", "北京星辰科技有限公司")],
    )
    .await;
    let id = id.as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.vcf");
    std::fs::write(&file, CARDS).unwrap();

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.hydrated().await;
    browser.click(".vcard-upload summary").await;
    browser.choose_file("#vcard-file", &file).await;
    browser.click("#vcard-form button[type=submit]").await;
    browser
        .wait_text(
            "#vcard-result",
            "Added 2 contacts; 1 cards could not be imported.",
        )
        .await;
    browser.wait_text("#contacts-card", "张伟").await;
    browser.wait_text("#contacts-card", "刘洋").await;
    browser.wait_text("#contacts-card", "139-0000-1111").await;
    browser.close().await;
}

/// A 1×1 transparent PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn files_attach_to_a_customer_and_come_back_with_their_type() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, id) = call_fn(
        &admin,
        &server,
        "create_customer",
        &[("customer[name]", "北京星辰科技有限公司")],
    )
    .await;
    let id = id.as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let picture = dir.path().join("名片.png");
    std::fs::write(&picture, PNG).unwrap();
    let page = dir.path().join("evil.html");
    std::fs::write(&page, "<script>alert(1)</script>").unwrap();

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url(&format!("/customers/{id}"))).await;
    browser.hydrated().await;
    browser.choose_file("#file-input", &picture).await;
    browser.click("#file-form button[type=submit]").await;
    browser.wait_text("#files-card", "名片.png").await;
    browser.find("#files-card img.file-thumb").await;
    browser.wait_text("#timeline", "名片.png").await;
    browser.hydrated().await;
    browser.choose_file("#file-input", &page).await;
    browser.click("#file-form button[type=submit]").await;
    browser.wait_text("#files-card", "evil.html").await;
    browser.screenshot("files").await;

    let links = browser
        .script(
            "return [...document.querySelectorAll('#files-card a.file-name')]\
             .map(a => a.getAttribute('href'));",
        )
        .await;
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert_eq!(links.len(), 2);
    for (href, kind, disposition) in [
        (&links[1], "image/png", "inline"),
        (&links[0], "text/html", "attachment"),
    ] {
        let response = admin.get(server.url(href)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_string();
        assert_eq!(header("content-type"), kind);
        assert!(header("content-disposition").starts_with(disposition));
        assert_eq!(header("x-content-type-options"), "nosniff");
    }
    let png = admin.get(server.url(&links[1])).send().await.unwrap();
    assert_eq!(png.bytes().await.unwrap().as_ref(), PNG);
    browser.close().await;
}

/// A product sheet as Excel in China saves it. Its price column has a
/// header the importer does not know, so the user maps it; row 3's price
/// has three decimals.
const PRODUCTS: &str = "产品编码,品名,单位,类别,参考价格,成本,启用,库存预警\r\n\
    SRV-01,服务器,台,硬件,\"1,234.50\",900,是,5\r\n\
    SRV-02,交换机,台,网络,12.345,,是,\r\n\
    SVC-01,安装服务,次,服务,¥800,300,停用,\r\n";

#[tokio::test]
async fn a_product_sheet_is_mapped_dry_run_and_imported_and_its_export_imports_back() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("产品.csv");
    std::fs::write(&file, encoding_rs::GB18030.encode(PRODUCTS).0).unwrap();

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/products")).await;
    browser.hydrated().await;
    browser.click("#import-products").await;
    browser.wait_path("/products/import").await;
    browser.hydrated().await;
    browser.choose_file("#csv-file", &file).await;
    browser.click("#csv-upload button[type=submit]").await;
    browser.wait_text("#import-info", "GBK/GB18030").await;
    browser.wait_text("#import-info", "3 行").await;
    browser.hydrated().await;
    browser.find("#mapping-table[data-hydrated]").await;
    browser.wait_text("#mapping-table", "服务器").await;
    let offered = browser
        .script("return [...document.querySelectorAll('#map-0 option')].map(o => o.value);")
        .await;
    assert_eq!(
        offered,
        serde_json::json!([
            "ignore",
            "product_code",
            "product_name",
            "unit",
            "category",
            "list_price",
            "standard_cost",
            "active",
            "low_stock_threshold"
        ]),
        "a product job offers the product targets only"
    );
    browser.choose("#map-4", "list_price").await;

    browser.click("#dry-run").await;
    browser
        .wait_text("#dry-run-summary", "新建 2 · 更新 0 · 跳过 0 · 失败 1")
        .await;
    let rows = browser
        .script(
            "return [...document.querySelectorAll('#import-problems tbody tr')]\
             .map(r => [...r.cells].map(c => c.innerText));",
        )
        .await;
    assert_eq!(
        rows,
        serde_json::json!([[
            "3",
            "参考价格",
            "请输入金额，如 12345.67：不能为负数，最多两位小数。"
        ]])
    );
    browser
        .screenshot_full_page("product-import-dry-run-zh")
        .await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let nothing: serde_json::Value = admin
        .get(server.url("/api/v1/products?inactive=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nothing, serde_json::json!([]), "a dry run writes nothing");

    browser.click("#run-import").await;
    browser
        .wait_text("#import-finished", "新建 2 · 更新 0 · 跳过 0 · 失败 1")
        .await;
    browser.click("#import-finished a").await;
    browser.wait_text("#products-table", "SVC-01").await;
    browser.wait_text("#products-table", "¥1,234.50").await;
    browser.wait_text("#products-table", "已停用").await;
    browser.screenshot("product-import-list-zh").await;
    browser.close().await;

    // A manager reading English takes the export, changes a price and
    // imports it back: the one changed row updates, the rest is skipped.
    create_user_over_http(
        &admin,
        &server,
        "li@example.cn",
        "李经理",
        "manager",
        "华东",
        "manager password 1",
    )
    .await;
    let manager = log_in_over_http(&server, "li@example.cn", "manager password 1").await;
    let export = manager
        .get(server.url("/api/v1/products.csv?inactive=true"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8(export[3..].to_vec()).unwrap();
    assert!(
        text.starts_with(
            "Code,Name,Unit,Category,List price,Standard cost,Low-stock warning at,Status\r\n"
        ),
        "{text}"
    );
    let edited = text.replace(
        "SVC-01,安装服务,次,服务,800.00",
        "SVC-01,安装服务,次,服务,850.00",
    );
    assert_ne!(edited, text);
    let back = dir.path().join("products.csv");
    std::fs::write(&back, edited).unwrap();

    let browser = Browser::start("en-US").await;
    browser
        .sign_in(&server, "li@example.cn", "manager password 1")
        .await;
    browser.goto(&server.url("/products?inactive=1")).await;
    browser.hydrated().await;
    let href = browser
        .script("return document.querySelector('#export-products').getAttribute('href');")
        .await;
    assert_eq!(
        href, "/api/v1/products.csv?inactive=true",
        "the export lists what the page lists"
    );
    browser.click("#import-products").await;
    browser.wait_path("/products/import").await;
    browser.hydrated().await;
    browser.choose_file("#csv-file", &back).await;
    browser.click("#csv-upload button[type=submit]").await;
    browser.wait_text("#import-info", "2 rows").await;
    browser.hydrated().await;
    browser.find("#mapping-table[data-hydrated]").await;
    browser.click("#duplicate-mode input[value=update]").await;
    browser.click("#dry-run").await;
    browser
        .wait_text("#dry-run-summary", "Create 0 · update 1 · skip 1 · fail 0")
        .await;
    browser
        .screenshot_full_page("product-import-dry-run-en")
        .await;
    browser.click("#run-import").await;
    browser
        .wait_text("#import-finished", "Create 0 · update 1 · skip 1 · fail 0")
        .await;
    browser.click("#import-finished a").await;
    browser.wait_text("#products-table", "¥850.00").await;
    browser.screenshot("product-import-list-en").await;
    browser.close().await;

    // A rep exports the list but is offered no import.
    create_user_over_http(
        &admin,
        &server,
        "zhang@example.cn",
        "张销售",
        "rep",
        "华东",
        "rep password 1",
    )
    .await;
    let browser = Browser::start("en-US").await;
    browser
        .sign_in(&server, "zhang@example.cn", "rep password 1")
        .await;
    browser.goto(&server.url("/products")).await;
    browser.hydrated().await;
    browser.find("#export-products").await;
    let import = browser
        .script("return document.querySelector('#import-products') === null;")
        .await;
    assert_eq!(import, true, "no import button for a rep");
    browser.goto(&server.url("/products/import")).await;
    browser
        .wait_text("#import-refused", "You are not allowed to do this.")
        .await;
    browser.close().await;
}

/// Past orders as a UTF-8 sheet: HT-2023-001 has two lines and was partly
/// paid; HT-2023-002's customer is none of the company's. The price
/// column's header is one the importer does not know.
const ORDERS: &str = "订单号,客户名称,签订日期,品名,数量,成交价,税率,已回款,回款日期\r\n\
    HT-2023-001,北京星辰科技有限公司,2023-06-01,服务器,2,\"10,000\",13,\"5,000\",2023-07-01\r\n\
    HT-2023-001,,,安装调试,1,\"2,000\",,,\r\n\
    HT-2023-002,无名公司,2023-06-02,服务器,1,100,,,\r\n";

#[tokio::test]
async fn past_orders_are_imported_from_the_contract_list_and_become_receivables() {
    let server = Server::start();
    set_up_over_http(&server, "zh-CN").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let made = admin
        .post(server.url("/api/v1/customers"))
        .header("Origin", &server.base)
        .json(&serde_json::json!({
            "name": "北京星辰科技有限公司",
            "kind": "company",
            "customer_type": "signed",
            "tags": [],
            "custom": {},
        }))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{}", made.status());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("历史订单.csv");
    std::fs::write(&file, ORDERS).unwrap();

    let browser = Browser::start("zh-CN").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/receivables")).await;
    browser.hydrated().await;
    browser
        .wait_text("#receivables-company", "没有未回款项")
        .await;
    browser.goto(&server.url("/contracts")).await;
    browser.hydrated().await;
    browser.click("#import-orders").await;
    browser.wait_path("/contracts/import").await;
    browser.hydrated().await;
    browser.wait_text(".page-header h1", "导入历史订单").await;
    browser.screenshot_full_page("order-import-upload-zh").await;
    browser.choose_file("#csv-file", &file).await;
    browser.click("#csv-upload button[type=submit]").await;
    browser.wait_text("#import-info", "3 行").await;
    browser.hydrated().await;
    browser.find("#mapping-table[data-hydrated]").await;
    browser.wait_text("#mapping-table", "HT-2023-001").await;
    let offered = browser
        .script("return [...document.querySelectorAll('#map-0 option')].map(o => o.value);")
        .await;
    assert_eq!(
        offered,
        serde_json::json!([
            "ignore",
            "order_number",
            "order_customer",
            "sign_date",
            "line_product",
            "line_description",
            "line_unit",
            "quantity",
            "unit_price",
            "discount",
            "tax_rate",
            "order_owner",
            "amount_received",
            "received_on"
        ]),
        "an order job offers the order targets only"
    );
    let modes = browser
        .script("return [...document.querySelectorAll('#duplicate-mode input')].map(i => i.value);")
        .await;
    assert_eq!(modes, serde_json::json!(["skip", "create"]));
    browser.choose("#map-5", "unit_price").await;

    browser.click("#dry-run").await;
    browser
        .wait_text(
            "#dry-run-summary",
            "订单：新建 1（2 条明细、1 笔回款）· 跳过 0 · 失败 1",
        )
        .await;
    let rows = browser
        .script(
            "return [...document.querySelectorAll('#import-problems tbody tr')]\
             .map(r => [...r.cells].map(c => c.innerText));",
        )
        .await;
    assert_eq!(
        rows,
        serde_json::json!([["4", "客户名称", "没有名称、电话或邮箱为“无名公司”的客户。"]])
    );
    browser
        .screenshot_full_page("order-import-dry-run-zh")
        .await;
    let nothing: serde_json::Value = admin
        .get(server.url("/api/v1/contracts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nothing, serde_json::json!([]), "a dry run writes nothing");

    browser.click("#run-import").await;
    browser
        .wait_text(
            "#import-finished",
            "订单：新建 1（2 条明细、1 笔回款）· 跳过 0 · 失败 1",
        )
        .await;
    browser.click("#import-finished a").await;
    browser.wait_path("/contracts").await;
    browser.wait_text("#contracts-table", "HT-2023-001").await;
    browser
        .wait_text("#contracts-table", "北京星辰科技有限公司")
        .await;
    // 2 × 10,000 + 2,000 with 13 % tax: 24,860, of which 5,000 paid.
    browser.wait_text("#contracts-table", "¥24,860.00").await;
    browser.screenshot("order-import-contracts-zh").await;
    browser.goto(&server.url("/receivables")).await;
    browser.hydrated().await;
    browser
        .wait_text("#aging-customers", "北京星辰科技有限公司")
        .await;
    browser.wait_text("#aging-company", "¥19,860.00").await;
    browser.close().await;
}
