//! The expense API driven as a client would.

use axum::http::StatusCode;
use serde_json::json;

use crate::http::rest::test_api::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expenses_are_recorded_filtered_and_seen_by_their_spenders_chain() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let customer = api.customer(&rep, "北京星辰").await;
    let (status, refused) = api
        .post(
            &rep,
            "/api/v1/expenses",
            json!({ "amount": "280", "category": "买房", "date": "2026-03-02" }),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
    let (status, made) = api
        .post(
            &rep,
            "/api/v1/expenses",
            json!({ "amount": "1,280.50", "category": "差旅", "date": "2026-03-02",
                    "note": "高铁", "customer_id": customer }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["amount"], 128_050);
    api.post(
        &admin,
        "/api/v1/expenses",
        json!({ "amount": "300", "category": "招待", "date": "2026-03-05" }),
    )
    .await;
    let (_, mine) = api.get(&rep, "/api/v1/expenses").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["customer_name"], "北京星辰");
    let (_, all) = api.get(&admin, "/api/v1/expenses?category=招待").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let (_, period) = api
        .get(&admin, "/api/v1/expenses?from=2026-03-01&to=2026-03-03")
        .await;
    assert_eq!(period.as_array().unwrap().len(), 1);

    let (_, categories) = api.get(&rep, "/api/v1/expense-categories").await;
    assert_eq!(categories["version"], 0);
    let (status, _, saved) = api
        .send(
            &admin,
            "PUT",
            "/api/v1/expense-categories",
            &[],
            Some(json!({ "version": 0, "categories": ["会议", "差旅"] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let id = made["id"].as_str().unwrap();
    let (status, _, edited) = api
        .send(
            &rep,
            "PUT",
            &format!("/api/v1/expenses/{id}"),
            &[],
            Some(json!({ "version": 1, "amount": "99", "category": "会议", "date": "2026-03-02" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["amount"], 9_900);
    let status = api.delete(&admin, &format!("/api/v1/expenses/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
