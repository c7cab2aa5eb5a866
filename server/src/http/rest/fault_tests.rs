//! The API over a disk that fails: a failed save answers 507 or 503 in the
//! caller's language, reads go on, and saves work again once the disk does.

use axum::http::StatusCode;
use guanxi_core::store::faults::{Faults, UNTIL_HEALED};
use serde_json::json;

use crate::http::rest::test_api::{Api, customer};

/// A customer whose notes need more room than the file has spare.
fn big(name: &str) -> serde_json::Value {
    let mut body = customer(name);
    body["notes"] = json!("很长的备注。".repeat(800));
    body["confirm_duplicate"] = json!(true);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_keeps_reads_and_saves_once_there_is_room() {
    let faults = Faults::new();
    let api = Api::on_faulty_disk(&faults);
    let token = api.token(&api.admin);
    let kept = api.customer(&token, "磁盘满之前").await;

    faults.fill_disk_after(0);
    let mut refused = None;
    // Until a save needs the file to grow; the notes are at their limit.
    for n in 0..200 {
        let (status, _, body) = api
            .send(
                &token,
                "POST",
                "/api/v1/customers",
                &[],
                Some(big(&format!("磁盘满时 {n}"))),
            )
            .await;
        if status != StatusCode::CREATED {
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.expect("the disk never filled up");
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");
    assert_eq!(body["error"], "storage_full");
    // In the admin's language.
    assert!(
        body["message"].as_str().unwrap().contains("磁盘已满"),
        "{body}"
    );

    let (status, read) = api.get(&token, &format!("/api/v1/customers/{kept}")).await;
    assert_eq!(
        (status, read["name"].as_str()),
        (StatusCode::OK, Some("磁盘满之前"))
    );
    let (status, list) = api.get(&token, "/api/v1/customers?per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    let before = list["items"].as_array().unwrap().len();

    faults.heal();
    api.customer(&token, "腾出空间之后").await;
    let (_, list) = api.get(&token, "/api/v1/customers?per_page=100").await;
    assert_eq!(list["items"].as_array().unwrap().len(), before + 1);
    let report = api.gx.store().check_consistency().unwrap();
    assert!(report.is_consistent(), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fsync_answers_503_never_a_save() {
    let faults = Faults::new();
    let api = Api::on_faulty_disk(&faults);
    let token = api.token(&api.admin);
    let kept = api.customer(&token, "同步失败之前").await;

    faults.fail_syncs(UNTIL_HEALED);
    let (status, _, body) = api
        .send(
            &token,
            "POST",
            "/api/v1/customers",
            &[],
            Some(customer("同步失败时")),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "storage_unavailable");
    assert!(
        body["message"].as_str().unwrap().contains("可能没有完成"),
        "{body}"
    );

    faults.heal();
    let (status, list) = api.get(&token, "/api/v1/customers?per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    // The unsynced write may have reached the disk after all (redb had
    // written it; only the sync failed): whole or not at all.
    assert!(
        names == ["同步失败之前"] || names == ["同步失败时", "同步失败之前"],
        "{names:?}"
    );
    let (status, _) = api.get(&token, &format!("/api/v1/customers/{kept}")).await;
    assert_eq!(status, StatusCode::OK);
    api.customer(&token, "同步恢复之后").await;
    let report = api.gx.store().check_consistency().unwrap();
    assert!(report.is_consistent(), "{report}");
}
