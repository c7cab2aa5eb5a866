//! The pipeline API driven as a client would.

use serde_json::json;

use guanxi_core::model::{Role, User, UserInput};
use guanxi_core::service::Actor;
use serde_json::Value;

use axum::http::{StatusCode, header};
use guanxi_core::model::Pipeline;

use crate::http::rest::test_api::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_move_with_the_checklist_rule_and_read_the_history() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let (status, pipelines) = api.get(&token, "/api/v1/pipelines").await;
    assert_eq!(status, StatusCode::OK);
    let mut pipeline: Pipeline = serde_json::from_value(pipelines[0].clone()).unwrap();
    pipeline.stages[0].checklist = vec!["确认预算".into()];
    let pipeline = api.gx.store().save_pipeline(&pipeline).unwrap();
    let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);

    let customer = api.customer(&token, "北京星辰").await;
    let (status, deal) = api
        .post(
            &token,
            "/api/v1/deals",
            json!({ "customer_id": customer, "title": "ERP 项目", "amount": "120,000.50" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    assert_eq!(deal["amount"], 12_000_050);
    assert_eq!(deal["stage_id"], first.to_string());
    let id = deal["id"].as_str().unwrap().to_string();

    let (status, bad) = api
        .post(
            &token,
            "/api/v1/deals",
            json!({ "customer_id": customer, "title": "x", "amount": "-1" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["field"], "amount");

    let stage_path = format!("/api/v1/deals/{id}/stage");
    let (status, refused) = api
        .post(
            &token,
            &stage_path,
            json!({ "stage_id": second, "version": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"], "checklist_incomplete");
    assert!(refused["message"].as_str().unwrap().contains("确认预算"));
    let (status, _) = api
        .post(&token, &stage_path, json!({ "stage_id": second }))
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

    let (status, ticked) = api
        .post(
            &token,
            &format!("/api/v1/deals/{id}/checklist"),
            json!({ "item": "确认预算", "done": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ticked}");
    let (status, moved) = api
        .post(
            &token,
            &stage_path,
            json!({ "stage_id": second, "version": 2 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["stage_id"], second.to_string());

    let (status, history) = api
        .get(&token, &format!("/api/v1/deals/{id}/history"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["from"], first.to_string());

    let (status, board) = api
        .get(&token, &format!("/api/v1/pipelines/{}/board", pipeline.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(board["columns"][1]["count"], 1);
    assert_eq!(board["columns"][1]["cards"][0]["customer_name"], "北京星辰");
    assert_eq!(board["columns"][1]["more"], 0);
    let board_path = format!("/api/v1/pipelines/{}/board", pipeline.id);
    let (status, board) = api
        .get(
            &token,
            &format!("{board_path}?min=120,000.50&max=200000&limit=1"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_eq!(board["columns"][1]["count"], 1);
    let (_, board) = api
        .get(&token, &format!("{board_path}?min=120,000.51"))
        .await;
    assert_eq!(board["columns"][1]["count"], 0);
    let (_, board) = api
        .get(
            &token,
            &format!(
                "{board_path}?team=%E5%8D%8E%E4%B8%9C&owner={}",
                api.admin.id
            ),
        )
        .await;
    assert_eq!(board["columns"][1]["count"], 0, "the admin has no team");
    let (status, bad) = api
        .get(&token, &format!("{board_path}?month=2026-13"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["field"], "close_month");
    let (status, bad) = api.get(&token, &format!("{board_path}?min=lots")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["field"], "amount");

    // Another rep sees neither the deal nor it in the lists.
    let rep = api.rep("li@example.cn");
    assert_eq!(
        api.get(&rep, &format!("/api/v1/deals/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, listed) = api
        .get(&rep, &format!("/api/v1/deals?pipeline={}", pipeline.id))
        .await;
    assert_eq!(listed, json!([]));
    let (_, listed) = api
        .get(&token, &format!("/api/v1/deals?pipeline={}", pipeline.id))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

/// A user of `role` in team 华东, and their token.
fn member(api: &Api, email: &str, role: Role) -> (User, String) {
    let user = api
        .gx
        .create_user(
            Actor::User(&api.admin),
            UserInput {
                email: email.into(),
                name: email.into(),
                role,
                team: Some("华东".into()),
            },
            "a password 123",
        )
        .unwrap();
    let token = api.token(&user);
    (user, token)
}

async fn new_deal(api: &Api, token: &str, customer: &str) -> Value {
    let (status, deal) = api
        .post(
            token,
            "/api/v1/deals",
            json!({ "customer_id": customer, "title": "ERP 项目", "amount": "1000",
                    "requirements": "50 用户" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    deal
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_close_reopen_by_approval_and_delete() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let (_, manager) = member(&api, "m@example.cn", Role::Manager);
    let (li_user, li) = member(&api, "li@example.cn", Role::Rep);
    let customer = api.customer(&li, "北京星辰").await;
    let deal = new_deal(&api, &li, &customer).await;
    let path = format!("/api/v1/deals/{}", deal["id"].as_str().unwrap());

    let patch = json!({ "title": "ERP 二期", "requirements": null });
    let (status, _, _) = api
        .send(&li, "PATCH", &path, &[], Some(patch.clone()))
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, headers, patched) = api
        .send(
            &li,
            "PATCH",
            &path,
            &[("If-Match", "\"1\"")],
            Some(patch.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(headers[header::ETAG], "\"2\"");
    assert_eq!(patched["title"], "ERP 二期");
    assert_eq!(patched["amount"], 100_000, "left out, kept");
    assert_eq!(patched["requirements"], Value::Null, "null clears");
    let (status, _, _) = api
        .send(&li, "PATCH", &path, &[("If-Match", "\"1\"")], Some(patch))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, bad, _) = api
        .send(
            &li,
            "PATCH",
            &path,
            &[],
            Some(json!({ "amount": "-1", "version": 2 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = bad;

    let (status, reasons) = api.get(&li, "/api/v1/close-reasons").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        reasons["lost"]
            .as_array()
            .unwrap()
            .contains(&json!("price"))
    );
    let close = format!("{path}/close");
    let (status, refused) = api
        .post(&li, &close, json!({ "outcome": "lost", "reason": "天气" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["field"], "reason");
    let (status, lost) = api
        .post(
            &li,
            &close,
            json!({ "outcome": "lost", "reason": "price", "lost_to": "金蝶" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{lost}");
    assert_eq!(lost["status"], "lost");

    let (status, request) = api
        .post(
            &li,
            &format!("{path}/reopen-requests"),
            json!({ "note": "预算批了" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    let (status, again) = api
        .post(
            &li,
            &format!("{path}/reopen-requests"),
            json!({ "note": "再问" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again["field"], "reopen");
    let (_, inbox) = api.get(&manager, "/api/v1/reopen-requests").await;
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    let decide = format!(
        "/api/v1/reopen-requests/{}",
        request["id"].as_str().unwrap()
    );
    let (status, _) = api.post(&li, &decide, json!({ "approve": true })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, decided) = api
        .post(&manager, &decide, json!({ "approve": true, "note": "好" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "approved");
    let (_, mine) = api.get(&li, "/api/v1/reopen-requests?mine=true").await;
    assert_eq!(mine[0]["status"], "approved");
    let (_, reopened) = api.get(&li, &path).await;
    assert_eq!(
        (reopened["status"].as_str(), reopened["stage_id"].clone()),
        (Some("open"), deal["stage_id"].clone())
    );

    let (status, suspended) = api
        .post(
            &li,
            &format!("{path}/suspend"),
            json!({ "suspended": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(suspended["status"], "suspended");

    let (status, _) = api
        .post(
            &li,
            &format!("{path}/transfer"),
            json!({ "to": api.admin.id }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reps do not give deals away");
    let (status, moved) = api
        .post(
            &admin,
            &format!("{path}/transfer"),
            json!({ "to": api.admin.id }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["owners"][0]["user"], api.admin.id.to_string());
    assert_eq!(api.get(&li, &path).await.0, StatusCode::NOT_FOUND);

    let (status, _, _) = api
        .send(&admin, "DELETE", &path, &[("If-Match", "\"1\"")], None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(api.delete(&admin, &path).await, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&admin, &path).await.0, StatusCode::NOT_FOUND);
    let _ = li_user;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_shape_pipelines_and_hand_over_a_desk() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let (li_user, li) = member(&api, "li@example.cn", Role::Rep);
    let (wang_user, _) = member(&api, "wang@example.cn", Role::Rep);
    let (status, _) = api
        .post(&li, "/api/v1/pipelines", json!({ "name": "项目型" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, created) = api
        .post(&admin, "/api/v1/pipelines", json!({ "name": "项目型" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let mut pipeline: Pipeline = serde_json::from_value(created).unwrap();
    let path = format!("/api/v1/pipelines/{}", pipeline.id);
    pipeline.stages[0].name = "线索".into();
    pipeline.stages[0].probability = 120;
    let (status, _, bad) = api
        .send(&admin, "PUT", &path, &[], Some(json!(pipeline)))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["field"], "stages");
    pipeline.stages[0].probability = 5;
    let (status, _, saved) = api
        .send(&admin, "PUT", &path, &[], Some(json!(pipeline)))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["stages"][0]["name"], "线索");
    assert_eq!(saved["version"], 2);

    let customer = api.customer(&li, "北京星辰").await;
    let (status, deal) = api
        .post(
            &li,
            "/api/v1/deals",
            json!({ "customer_id": customer, "pipeline_id": pipeline.id,
                    "title": "ERP", "amount": "1" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);
    let remove = format!("{path}/stages/{first}?move_to={second}");
    let (status, _, _) = api.send(&admin, "DELETE", &remove, &[], None).await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, _, removed) = api
        .send(&admin, "DELETE", &remove, &[("If-Match", "\"2\"")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["stages"].as_array().unwrap().len(), 6);
    let (_, moved) = api
        .get(
            &li,
            &format!("/api/v1/deals/{}", deal["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(moved["stage_id"], second.to_string());

    let handover = format!("/api/v1/users/{}/handover", li_user.id);
    let (status, _) = api
        .post(&li, &handover, json!({ "to": wang_user.id }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, report) = api
        .post(&admin, &handover, json!({ "to": wang_user.id }))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["customers"][0][1], "北京星辰");
    assert_eq!(report["deals"][0][1], "ERP");
    assert_eq!(
        api.get(&li, &format!("/api/v1/customers/{customer}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_pipeline_api() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let (_, doc) = api.get(&token, "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/pipelines",
        "/api/v1/pipelines/{id}/board",
        "/api/v1/deals",
        "/api/v1/deals/{id}",
        "/api/v1/deals/{id}/stage",
        "/api/v1/deals/{id}/history",
        "/api/v1/deals/{id}/activities",
        "/api/v1/deals/{id}/close",
        "/api/v1/deals/{id}/checklist",
        "/api/v1/deals/{id}/suspend",
        "/api/v1/deals/{id}/transfer",
        "/api/v1/deals/{id}/reopen-requests",
        "/api/v1/reopen-requests",
        "/api/v1/reopen-requests/{id}",
        "/api/v1/close-reasons",
        "/api/v1/pipelines/{id}",
        "/api/v1/pipelines/{id}/stages/{stage_id}",
        "/api/v1/users/{id}/handover",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["Board"].is_object());
    assert!(doc["paths"]["/api/v1/deals/{id}"]["patch"].is_object());
    assert!(doc["paths"]["/api/v1/deals/{id}"]["delete"].is_object());
    assert!(doc["paths"]["/api/v1/pipelines"]["post"].is_object());
    for schema in [
        "DealPatch",
        "ReopenRequest",
        "HandoverReport",
        "CloseReasons",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

/// Issue 13: the search box finds deals, a co-owner reads and edits one,
/// the board filters by quick-qualification grade, and activities name
/// the deal they were about and when they happened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_owners_search_grades_and_activities_about_a_deal() {
    let api = Api::new();
    let (li, li_token) = member(&api, "li@example.cn", Role::Rep);
    let (wang, wang_token) = member(&api, "wang@example.cn", Role::Rep);
    let customer = api.customer(&li_token, "北京星辰科技有限公司").await;
    let (status, deal) = api
        .post(
            &li_token,
            "/api/v1/deals",
            json!({ "customer_id": customer, "title": "ERP 升级", "amount": "1000",
                    "owners": [{ "user": li.id, "percent": 60 }, { "user": wang.id, "percent": 40 }],
                    "qualification": { "valuable": true, "size": "small",
                                       "expected_amount": 100000, "next_milestone": "演示" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    let id = deal["id"].as_str().unwrap().to_string();

    let (status, hits) = api
        .get(&wang_token, "/api/v1/search?q=%E7%A7%91%E6%8A%80")
        .await;
    assert_eq!(status, StatusCode::OK);
    let deal_hits: Vec<&Value> = hits
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["deal_id"].is_null())
        .collect();
    assert_eq!(deal_hits.len(), 1, "{hits}");
    assert_eq!(deal_hits[0]["deal_title"], "ERP 升级");
    assert_eq!(deal_hits[0]["deal_id"], id.as_str());

    let (status, read) = api.get(&wang_token, &format!("/api/v1/deals/{id}")).await;
    assert_eq!(status, StatusCode::OK, "a co-owner reads it: {read}");
    let (status, _, patched) = api
        .send(
            &wang_token,
            "PATCH",
            &format!("/api/v1/deals/{id}"),
            &[],
            Some(json!({ "title": "ERP 升级二期", "version": read["version"] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "a co-owner edits it: {patched}");

    let (_, pipelines) = api.get(&li_token, "/api/v1/pipelines").await;
    let board_path = format!(
        "/api/v1/pipelines/{}/board",
        pipelines[0]["id"].as_str().unwrap()
    );
    let (_, small) = api
        .get(&wang_token, &format!("{board_path}?grade=small"))
        .await;
    assert_eq!(small["columns"][0]["count"], 1, "{small}");
    assert_eq!(small["columns"][0]["cards"][0]["grade"], "small");
    let (_, big) = api
        .get(&wang_token, &format!("{board_path}?grade=big"))
        .await;
    assert_eq!(big["columns"][0]["count"], 0);
    let (status, bad) = api
        .get(&wang_token, &format!("{board_path}?grade=huge"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (_, owned) = api
        .get(&li_token, &format!("{board_path}?owner={}", wang.id))
        .await;
    assert_eq!(
        owned["columns"][0]["count"], 1,
        "the owner filter matches a co-owner"
    );

    let earlier = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    let (status, logged) = api
        .post(
            &li_token,
            "/api/v1/activities",
            json!({ "kind": "call", "customer_id": customer, "text": "谈了报价",
                    "duration_minutes": 10, "at": earlier, "deal_id": id }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{logged}");
    assert_eq!(logged["deal_id"], id.as_str());
    let future = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let (status, refused) = api
        .post(
            &li_token,
            "/api/v1/activities",
            json!({ "kind": "call", "customer_id": customer, "text": "x", "at": future }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "at");
    let other = api.customer(&li_token, "上海明月").await;
    let (status, refused) = api
        .post(
            &li_token,
            "/api/v1/activities",
            json!({ "kind": "call", "customer_id": other, "text": "x", "deal_id": id }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "deal");
    let (status, listed) = api
        .get(&wang_token, &format!("/api/v1/deals/{id}/activities"))
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["text"], "谈了报价");
}
