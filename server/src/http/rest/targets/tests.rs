//! The targets API driven as a client would.

use axum::http::StatusCode;
use serde_json::json;

use crate::http::rest::test_api::{Api, StatusAndJson};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_is_set_split_edited_and_its_progress_read() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let rep_id = api.user_id(&rep).await;
    let body = json!({ "year": 2025, "scope": "rep", "subject": rep_id, "measure": "revenue",
                       "total": "1,200,000", "split": "even" });

    let (status, refused) = api.post(&rep, "/api/v1/targets", body.clone()).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );

    let mut typed = body.clone();
    typed["split"] = json!("manual");
    typed["months"] = json!([
        "150,000", "100,000", "100,000", "100,000", "100,000", "100,000", "100,000", "100,000",
        "100,000", "100,000", "100,000", "100,000"
    ]);
    let (status, refused) = api
        .post(&admin, "/api/v1/targets/split", typed.clone())
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("months_mismatch")),
        "{refused}"
    );

    let (status, made) = api.post(&admin, "/api/v1/targets", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["months"][0], 10_000_000);
    let id = made["id"].as_str().unwrap().to_string();
    let (status, again) = api.post(&admin, "/api/v1/targets", body.clone()).await;
    assert_eq!(
        (status, again["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("subject"))
    );

    let (status, list) = api.get(&rep, "/api/v1/targets?year=2025").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["subject_label"], "li@example.cn");
    assert_eq!(list[0]["editable"], false);

    let mut edit = body.clone();
    edit["total"] = json!("2,400,000");
    let path = format!("/api/v1/targets/{id}");
    let (status, saved) = api
        .send(&admin, "PUT", &path, &[("if-match", "\"1\"")], Some(edit))
        .await
        .into_status_and_json();
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["total"], 240_000_000);

    let (status, progress) = api.get(&rep, &format!("{path}/progress")).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(
        progress["as_of"], "2025-12-31",
        "a past year counts to its end"
    );
    assert_eq!(progress["month"]["target"], 20_000_000);
    assert_eq!(progress["year"]["actual"], 0);

    assert_eq!(api.delete(&rep, &path).await, StatusCode::FORBIDDEN);
    assert_eq!(api.delete(&admin, &path).await, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&admin, &path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_planner_works_out_the_worked_example_from_what_ifs() {
    let api = Api::new();
    let rep = api.rep("li@example.cn");
    let (status, plan) = api
        .get(
            &rep,
            "/api/v1/planner?target=1600000&deal_size=100000&visit_rate=25&win_rate=100&window=6",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["quarters"][0]["new_customers"], 4);
    assert_eq!(plan["quarters"][0]["visits"], 16);
    assert_eq!(plan["used"]["visit_rate"], 2_500);
    let (status, refused) = api.get(&rep, "/api/v1/planner?window=99").await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("window"))
    );
}
