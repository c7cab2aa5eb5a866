//! The pipeline board end to end: dragging and keyboard moves, live updates
//! in a second browser, the close dialog, the checklist rule, handover.

use e2e::*;

const ARROW_RIGHT: &str = "\u{E014}";

/// Creates a customer owned by `client`'s user and returns its id.
async fn create_customer(client: &reqwest::Client, server: &Server, name: &str) -> String {
    let (status, id) = call_fn(
        client,
        server,
        "create_customer",
        &[
            ("customer[name]", name),
            ("customer[kind]", "company"),
            ("customer[customer_type]", "potential"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

/// Creates a deal in the first stage of the default pipeline.
async fn create_deal(
    client: &reqwest::Client,
    server: &Server,
    customer: &str,
    title: &str,
    amount: &str,
) -> String {
    let (status, id) = call_fn(
        client,
        server,
        "create_deal",
        &[
            ("deal[customer_id]", customer),
            ("deal[title]", title),
            ("deal[amount]", amount),
        ],
    )
    .await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

fn card(deal: &str) -> String {
    format!("[data-deal='{deal}']")
}

/// A card inside the n-th column (1-based).
fn card_in_column(n: usize, deal: &str) -> String {
    format!(".board-column:nth-child({n}) [data-deal='{deal}']")
}

#[tokio::test]
async fn a_dragged_card_stays_after_reload_and_shows_up_live_in_another_browser() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer(&admin, &server, "北京星辰科技").await;
    let deal = create_deal(&admin, &server, &customer, "Server room upgrade", "120,000").await;

    let mover = Browser::start("en-US").await;
    mover.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let watcher = Browser::start("zh-CN").await;
    watcher.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    watcher.goto(&server.url("/pipeline")).await;
    watcher.hydrated().await;
    watcher.find("#board[data-live='true']").await;
    watcher.find(&card_in_column(1, &deal)).await;

    mover.click(".nav a[href='/pipeline']").await;
    mover.wait_path("/pipeline").await;
    mover.find(&card_in_column(1, &deal)).await;
    mover
        .wait_text(".board-column:nth-child(1) .column-amount", "120,000.00")
        .await;
    mover
        .wait_text(".board-column:nth-child(1) .column-weighted", "12,000.00")
        .await;
    mover.screenshot("board-before-drag").await;
    mover.drag(&card(&deal), ".board-column:nth-child(3)").await;
    mover.find(&card_in_column(3, &deal)).await;
    mover
        .wait_text(".board-column:nth-child(3) .column-count", "1")
        .await;
    mover
        .wait_text(".board-column:nth-child(3) .column-weighted", "48,000.00")
        .await;

    // The other browser follows without a reload.
    watcher.find(&card_in_column(3, &deal)).await;
    watcher
        .wait_text(".board-column:nth-child(1) .column-count", "0")
        .await;

    // It was saved: a reload shows it where it was dropped.
    mover.client.refresh().await.unwrap();
    mover.hydrated().await;
    mover.find(&card_in_column(3, &deal)).await;
    mover.screenshot("board-after-drag").await;

    // The deal page tells its history.
    mover.goto(&server.url(&format!("/deals/{deal}"))).await;
    mover.hydrated().await;
    mover
        .wait_text("#deal-history", "From Initial contact to Needs analysis")
        .await;
    mover
        .wait_text("#deal-history", "Created in Initial contact")
        .await;

    // After a server restart the watcher reconnects by itself and keeps
    // following.
    let mut server = server;
    server.restart();
    watcher.find("#board[data-live='true']").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let second = create_deal(&admin, &server, &customer, "Backup power", "8,000").await;
    watcher.find(&card_in_column(1, &second)).await;
    assert!(mover.console_errors().await.is_empty());
    mover.close().await;
    watcher.close().await;
}

#[tokio::test]
async fn a_deal_made_in_the_form_moves_by_keyboard_and_closes_through_the_dialog() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_customer(&admin, &server, "上海远景物流").await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // New deal: the customer is picked by typing part of its name.
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser.click("#new-deal").await;
    browser.wait_path("/deals/new").await;
    browser.find("#deal-form[data-hydrated]").await;
    browser.fill("#f-deal-customer", "远景").await;
    browser.click_text(".picker-hit", "上海远景物流").await;
    browser
        .wait_text("#deal-customer-name", "上海远景物流")
        .await;
    browser.fill("#f-deal-title", "Warehouse scanners").await;
    browser.fill("#f-deal-amount", "abc").await;
    browser.click("#deal-form button[type=submit]").await;
    browser.wait_text("#deal-form .field-error", "amount").await;
    browser.fill("#f-deal-amount", "56,000.50").await;
    browser
        .fill("#f-deal-competitors-0-name", "Acme Scanners")
        .await;
    browser.screenshot("deal-form").await;
    browser.click("#deal-form button[type=submit]").await;
    browser.wait_text("#deal-title", "Warehouse scanners").await;
    browser.wait_text("#deal-amount", "56,000.50").await;
    let deal = browser
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_start_matches("/deals/")
        .to_string();

    // On the board: focus the card and move it with the arrow key.
    browser.click(".breadcrumb a").await;
    browser.wait_path("/pipeline").await;
    browser.find(&card_in_column(1, &deal)).await;
    browser.press(&card(&deal), ARROW_RIGHT).await;
    browser.find(&card_in_column(2, &deal)).await;
    let focused = browser
        .script("return document.activeElement.dataset.deal || null")
        .await;
    assert_eq!(
        focused.as_str(),
        Some(deal.as_str()),
        "focus follows the card"
    );
    browser.client.refresh().await.unwrap();
    browser.hydrated().await;
    browser.find(&card_in_column(2, &deal)).await;

    // Moving it into "Lost" asks why and who won.
    browser.drag(&card(&deal), ".board-column.lost").await;
    browser.find("#close-deal-form").await;
    browser.choose("#close-deal-form #f-reason", "price").await;
    browser
        .fill("#close-deal-form #f-lost_to", "Acme Scanners")
        .await;
    browser.screenshot("close-dialog").await;
    browser.click("#close-deal-form button[type=submit]").await;
    browser
        .find(&format!(".board-column.lost {}", card(&deal)))
        .await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.wait_text("#deal-status", "Lost").await;
    browser
        .wait_text("#deal-closed-note", "Lost to Acme Scanners")
        .await;
    browser.wait_text("#deal-closed-note", "Price").await;
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;
}
