//! The pipeline board end to end: dragging and keyboard moves, live updates
//! in a second browser, the close dialog, the checklist rule, handover.

use e2e::*;

const ARROW_RIGHT: &str = "\u{E014}";

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
    let customer = create_customer_over_http(&admin, &server, "北京星辰科技").await;
    let deal =
        create_deal_over_http(&admin, &server, &customer, "Server room upgrade", "120,000").await;

    let mover = Browser::start("en-US").await;
    mover.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // The watcher reads Chinese: another admin, with no language of their
    // own, in a Chinese browser.
    create_user_over_http(
        &admin,
        &server,
        "li@example.cn",
        "李经理",
        "admin",
        "",
        ADMIN_PASSWORD,
    )
    .await;
    let watcher = Browser::start("zh-CN").await;
    watcher
        .sign_in(&server, "li@example.cn", ADMIN_PASSWORD)
        .await;
    watcher.goto(&server.url("/pipeline")).await;
    watcher.hydrated().await;
    watcher.find("#board[data-live='true']").await;
    watcher.find(&card_in_column(1, &deal)).await;
    // In Chinese a column total reads in 万, with every cent on hover; a
    // card shows the exact amount.
    watcher
        .wait_text(".board-column:nth-child(1) .column-amount", "¥12万")
        .await;
    let title = watcher
        .script("return document.querySelector('.board-column:nth-child(1) .column-amount').title")
        .await;
    assert!(title.as_str().unwrap().contains("¥120,000.00"), "{title}");
    watcher
        .wait_text(&format!("{} .deal-card-amount", card(&deal)), "¥120,000.00")
        .await;

    mover.click(".nav a[href='/pipeline']").await;
    mover.wait_path("/pipeline").await;
    mover.find(&card_in_column(1, &deal)).await;
    mover
        .wait_text(".board-column:nth-child(1) .column-amount", "¥120,000.00")
        .await;
    mover
        .wait_text(".board-column:nth-child(1) .column-weighted", "¥12,000.00")
        .await;
    mover.screenshot("board-before-drag").await;
    mover.drag(&card(&deal), ".board-column:nth-child(3)").await;
    mover.find(&card_in_column(3, &deal)).await;
    mover
        .wait_text(".board-column:nth-child(3) .column-count", "1")
        .await;
    mover
        .wait_text(".board-column:nth-child(3) .column-weighted", "¥48,000.00")
        .await;

    // The other browser follows without a reload.
    watcher.find(&card_in_column(3, &deal)).await;
    watcher
        .wait_text(".board-column:nth-child(1) .column-count", "0")
        .await;
    watcher.screenshot("board-watcher").await;

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
    let second = create_deal_over_http(&admin, &server, &customer, "Backup power", "8,000").await;
    watcher.find(&card_in_column(1, &second)).await;
    let errors = mover.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    mover.close().await;
    watcher.close().await;
}

#[tokio::test]
async fn a_deal_made_in_the_form_moves_by_keyboard_and_closes_through_the_dialog() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    create_customer_over_http(&admin, &server, "上海远景物流").await;
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
        .wait_text("#deal-form .input-affix .affix", "¥")
        .await;
    browser
        .fill("#f-deal-competitors-0-name", "Acme Scanners")
        .await;
    browser.screenshot("deal-form").await;
    browser.click("#deal-form button[type=submit]").await;
    browser.wait_text("#deal-title", "Warehouse scanners").await;
    browser.wait_text("#deal-amount", "¥56,000.50").await;
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
    // Focus moves on the frame after the card is drawn in its new column.
    let deadline = std::time::Instant::now() + e2e::WAIT;
    loop {
        let focused = browser
            .script("return document.activeElement.dataset.deal || null")
            .await;
        if focused.as_str() == Some(deal.as_str()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "focus follows the card: {focused}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
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

#[tokio::test]
async fn a_stage_checklist_holds_a_card_back_until_ticked_and_a_removed_stage_keeps_its_deals() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let customer = create_customer_over_http(&admin, &server, "广州天河电子").await;
    let deal = create_deal_over_http(&admin, &server, &customer, "Access control", "30,000").await;
    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // The admin adds a checklist item to the first stage.
    browser.click(".nav a[href='/admin/pipelines']").await;
    browser.wait_path("/admin/pipelines").await;
    browser
        .fill(
            "#stage-table tbody tr:nth-child(1) .stage-checklist",
            "Budget confirmed",
        )
        .await;
    browser
        .fill("#stage-table tbody tr:nth-child(1) .stage-stall", "14")
        .await;
    browser.click("#save-pipeline").await;
    browser
        .wait_text("#pipeline-editor .saved-note", "Saved")
        .await;

    // Dragging on refuses with the item's name, and the card goes back.
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser
        .drag(&card(&deal), ".board-column:nth-child(2)")
        .await;
    browser.wait_text("#board-notice", "Budget confirmed").await;
    browser.find(&card_in_column(1, &deal)).await;
    browser.screenshot("checklist-refused").await;
    browser.gone(&card_in_column(2, &deal)).await;

    // Ticked on the deal page, the same move goes through.
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser.click("#deal-checklist input[type=checkbox]").await;
    browser
        .find("#deal-checklist input[type=checkbox]:checked")
        .await;
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser
        .drag(&card(&deal), ".board-column:nth-child(2)")
        .await;
    browser.find(&card_in_column(2, &deal)).await;

    // Removing the stage that now holds the deal asks where it goes.
    browser.goto(&server.url("/admin/pipelines")).await;
    browser.hydrated().await;
    let evaluation = stage_id_of_row(&browser, 2).await;
    browser
        .click("#stage-table tbody tr:nth-child(2) .stage-remove")
        .await;
    browser.find("#remove-stage-form").await;
    browser
        .choose("#remove-stage-target", &stage_id_of_row(&browser, 3).await)
        .await;
    browser.click("#confirm-remove-stage").await;
    browser.gone("#remove-stage-form").await;
    browser
        .gone(&format!("[data-stage-row='{evaluation}']"))
        .await;
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser
        .wait_text(".board-column:nth-child(2) h2", "Needs analysis")
        .await;
    browser.find(&card_in_column(2, &deal)).await;
    browser.goto(&server.url(&format!("/deals/{deal}"))).await;
    browser.hydrated().await;
    browser
        .wait_text("#deal-history", "From a removed stage to Needs analysis")
        .await;
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;
}

/// The stage id of a row on the pipelines admin page (1-based).
#[tokio::test]
async fn a_customer_purged_from_the_recycle_bin_takes_its_deal_off_the_board() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let doomed = create_customer_over_http(&admin, &server, "Old Star Trading").await;
    let kept = create_customer_over_http(&admin, &server, "上海明月贸易").await;
    let gone = create_deal_over_http(&admin, &server, &doomed, "Forgotten order", "5,000").await;
    let stays = create_deal_over_http(&admin, &server, &kept, "Warehouse racks", "7,000").await;
    let (status, body) = call_fn(&admin, &server, "recycle_customer", &[("id", &doomed)]).await;
    assert_eq!(status, 200, "{body}");

    let browser = Browser::start("en-US").await;
    browser.sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser.find(&card(&stays)).await;
    browser.find(&card(&gone)).await;

    browser.goto(&server.url("/admin/recycle-bin")).await;
    browser.hydrated().await;
    browser.wait_text("#recycle-bin", "Old Star Trading").await;
    browser.click("#recycle-bin .purge").await;
    browser
        .wait_text(".dialog", "deals are deleted with it")
        .await;
    browser.screenshot("recycle-bin-purge").await;
    browser.click("#confirm-purge").await;
    browser.wait_text("main", "No deleted customers.").await;

    browser.goto(&server.url("/pipeline")).await;
    browser.hydrated().await;
    browser.find(&card(&stays)).await;
    browser.gone(&card(&gone)).await;
    browser
        .wait_text(".board-column:nth-child(1) .column-amount", "¥7,000.00")
        .await;
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;
}

async fn stage_id_of_row(browser: &Browser, n: usize) -> String {
    browser
        .script(&format!(
            "return document.querySelector('#stage-table tbody tr:nth-child({n})').dataset.stageRow"
        ))
        .await
        .as_str()
        .unwrap()
        .to_string()
}

/// The id of the user with this email, as the users page lists them.
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

#[tokio::test]
async fn a_rep_asks_to_reopen_a_lost_deal_the_manager_approves_then_hands_the_rep_over() {
    let server = Server::start();
    set_up_over_http(&server, "en").await;
    let admin = log_in_over_http(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let password = "team password 1";
    create_user_over_http(
        &admin,
        &server,
        "li@example.cn",
        "李经理",
        "manager",
        "North",
        password,
    )
    .await;
    create_user_over_http(
        &admin,
        &server,
        "zhao@example.cn",
        "赵销售",
        "rep",
        "North",
        password,
    )
    .await;
    let rep = log_in_over_http(&server, "zhao@example.cn", password).await;
    let customer = create_customer_over_http(&rep, &server, "杭州西湖茶业").await;
    let deal = create_deal_over_http(&rep, &server, &customer, "Tea shop tablets", "18,000").await;
    let (status, closed) = call_fn(
        &rep,
        &server,
        "close_deal",
        &[
            ("id", &deal),
            ("outcome", "lost"),
            ("reason", "price"),
            ("lost_to", "Acme"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{closed}");

    // The rep asks on the deal page.
    let rep_browser = Browser::start("en-US").await;
    rep_browser
        .sign_in(&server, "zhao@example.cn", password)
        .await;
    rep_browser
        .goto(&server.url(&format!("/deals/{deal}")))
        .await;
    rep_browser.hydrated().await;
    rep_browser.wait_text("#deal-closed-note", "Price").await;
    rep_browser
        .fill("#reopen-note", "They have a new budget")
        .await;
    rep_browser.click("#request-reopen").await;
    rep_browser.wait_text("#reopen-status", "waiting").await;

    // The manager decides from the approvals inbox.
    let manager = Browser::start("en-US").await;
    manager.sign_in(&server, "li@example.cn", password).await;
    manager.click(".nav a[href='/approvals']").await;
    manager.wait_path("/approvals").await;
    manager
        .wait_text("#approvals-waiting", "Tea shop tablets")
        .await;
    manager
        .wait_text("#approvals-waiting", "They have a new budget")
        .await;
    manager.screenshot("approvals").await;
    manager.click("#approvals-waiting .approve").await;
    manager
        .wait_text("#approvals-waiting", "Nothing is waiting")
        .await;

    // The rep sees the outcome, and the deal is open again.
    rep_browser.client.refresh().await.unwrap();
    rep_browser.hydrated().await;
    rep_browser.wait_text("#deal-status", "Open").await;
    rep_browser.goto(&server.url("/approvals")).await;
    rep_browser.hydrated().await;
    rep_browser.wait_text("#approvals-mine", "Approved").await;
    rep_browser.wait_text("#approvals-mine", "李经理").await;

    // The rep leaves: the manager hands everything over to herself.
    let rep_id = user_id(&admin, &server, "zhao@example.cn").await;
    let manager_id = user_id(&admin, &server, "li@example.cn").await;
    manager
        .goto(&server.url(&format!("/admin/users/{rep_id}/handover")))
        .await;
    manager.hydrated().await;
    manager.find("#handover-form[data-hydrated]").await;
    manager
        .wait_text("#handover-holds", "1 customers, 1 open deals")
        .await;
    manager.choose("#f-handover-to", &manager_id).await;
    manager.click("#handover-form button[type=submit]").await;
    manager.wait_text("#handover-done", "moved").await;
    manager.wait_text("#moved-customers", "杭州西湖茶业").await;
    manager.wait_text("#moved-deals", "Tea shop tablets").await;
    manager.screenshot("handover-report").await;
    manager.goto(&server.url(&format!("/deals/{deal}"))).await;
    manager.hydrated().await;
    manager
        .wait_text("#deal-details-owners", "李经理 100 %")
        .await;
    let errors = manager.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    manager.close().await;
    rep_browser.close().await;
}
