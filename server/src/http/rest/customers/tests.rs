//! The customer API driven as a client would.

use axum::body::Body;
use chrono::{Duration, Utc};
use http::Request as HttpRequest;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use axum::http::{StatusCode, header};

use super::MAX_PAGE_SIZE;
use crate::http::rest::test_api::{Api, customer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_get_and_update_with_if_match() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let mut body = customer("北京星辰科技有限公司");
    body["contacts"] = json!([{ "name": "张伟", "phones": ["139 0000 1111"] }]);
    let (status, headers, created) = api
        .send(&token, "POST", "/api/v1/customers", &[], Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    assert_eq!(headers[header::ETAG], "\"1\"");
    assert_eq!(headers[header::LOCATION], format!("/api/v1/customers/{id}"));

    let path = format!("/api/v1/customers/{id}");
    let (status, headers, fetched) = api.send(&token, "GET", &path, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, created);
    let etag = headers[header::ETAG].to_str().unwrap().to_string();

    let mut edit = customer("星辰科技");
    edit["region"] = json!("北京");
    let (status, headers, saved) = api
        .send(
            &token,
            "PUT",
            &path,
            &[("if-match", &etag)],
            Some(edit.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["name"].as_str(), saved["version"].as_u64()),
        (Some("星辰科技"), Some(2))
    );
    assert_eq!(headers[header::ETAG], "\"2\"");

    // The version may come in the body instead.
    edit["version"] = json!(2);
    edit["notes"] = json!("老客户介绍");
    let (status, _, saved) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_if_match_conflicts_and_a_missing_version_is_required() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "星辰科技").await;
    let path = format!("/api/v1/customers/{id}");
    let edit = customer("星辰");
    let (status, _, _) = api
        .send(
            &token,
            "PUT",
            &path,
            &[("if-match", "\"1\"")],
            Some(edit.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, _, stale) = api
        .send(
            &token,
            "PUT",
            &path,
            &[("if-match", "\"1\"")],
            Some(edit.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stale["error"], "conflict");

    let (status, _, missing) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing["error"], "version_required");
    assert!(missing["message"].as_str().unwrap().contains("If-Match"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_answers_in_the_error_shape_with_the_callers_language() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let mut bad = customer("星辰");
    bad["email"] = json!("not an email");
    let (status, json) = api.post(&token, "/api/v1/customers", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (json["error"].as_str(), json["field"].as_str()),
        (Some("invalid"), Some("email"))
    );
    // The first admin speaks the company's default language, zh-CN.
    assert!(json["message"].as_str().unwrap().contains("邮箱"), "{json}");

    let (status, json) = api
        .post(&token, "/api/v1/customers", json!({ "name": ["不是文字"] }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json["error"], "bad_request");

    let (status, json) = api.get(&token, "/api/v1/customers/not-an-id").await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_warning_lists_the_matches_until_confirmed() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let first = api.customer(&token, "北京星辰科技有限公司").await;
    let (status, json) = api
        .post(
            &token,
            "/api/v1/customers",
            customer("北京星辰科技有限公司"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(json["error"], "possible_duplicates");
    assert_eq!(json["duplicates"][0]["customer_id"], first.as_str());
    assert_eq!(json["duplicates"][0]["matched_on"], "name");
    let mut confirmed = customer("北京星辰科技有限公司");
    confirmed["confirm_duplicate"] = json!(true);
    let (status, _) = api.post(&token, "/api/v1/customers", confirmed).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rep_cannot_read_or_list_another_reps_customer() {
    let api = Api::new();
    let li = api.rep("li@x.cn");
    let wang = api.rep("wang@x.cn");
    let id = api.customer(&li, "李的客户").await;
    api.customer(&wang, "王的客户").await;

    let (status, json) = api.get(&wang, &format!("/api/v1/customers/{id}")).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = api
        .get(&wang, &format!("/api/v1/customers/{id}/contacts"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, list) = api.get(&wang, "/api/v1/customers").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "王的客户");
    let (_, hits) = api.get(&wang, "/api/v1/search?q=%E5%AE%A2%E6%88%B7").await; // 客户
    assert_eq!(hits.as_array().unwrap().len(), 1);

    let admin = api.token(&api.admin);
    let (_, all) = api.get(&admin, "/api/v1/customers").await;
    assert_eq!(all["total"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_and_pages() {
    let api = Api::new();
    let token = api.token(&api.admin);
    for n in 0..5 {
        api.customer(&token, &format!("客户{n}")).await;
    }
    let (status, page) = api
        .get(&token, "/api/v1/customers?sort=name&limit=2&page=1")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        (
            page["total"].as_u64(),
            page["page"].as_u64(),
            page["limit"].as_u64()
        ),
        (Some(5), Some(1), Some(2))
    );
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["客户2", "客户3"]);
    let (_, capped) = api.get(&token, "/api/v1/customers?limit=100000").await;
    assert_eq!(capped["limit"], MAX_PAGE_SIZE);
    let (status, bad) = api.get(&token, "/api/v1/customers?scope=nobody").await;
    assert_eq!(
        (status, bad["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("owner"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_customer_reads_as_not_found() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "星辰科技").await;
    let path = format!("/api/v1/customers/{id}");
    assert_eq!(api.delete(&token, &path).await, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&token, &path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.delete(&token, &path).await, StatusCode::NOT_FOUND);
    let (_, list) = api.get(&token, "/api/v1/customers").await;
    assert_eq!(list["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_crud() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "星辰科技").await;
    let contacts = format!("/api/v1/customers/{id}/contacts");
    let (status, zhang) = api
        .post(
            &token,
            &contacts,
            json!({ "name": "张伟", "phones": ["138 0013 8000"], "role": "decision_maker" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{zhang}");
    let (_, list) = api.get(&token, &contacts).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let path = format!("/api/v1/contacts/{}", zhang["id"].as_str().unwrap());
    let edit = json!({ "name": "张伟", "title": "采购经理", "phones": [], "version": 1 });
    let (status, headers, saved) = api
        .send(&token, "PUT", &path, &[], Some(edit.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["title"], "采购经理");
    assert_eq!(headers[header::ETAG], "\"2\"");
    let (status, _, stale) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (status, _, _) = api
        .send(
            &token,
            "PUT",
            &path,
            &[],
            Some(json!({ "name": "张伟", "phones": [] })),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

    // Birthday and notes travel both ways; a birthday to come is refused.
    let future = (Utc::now() + Duration::days(3)).date_naive().to_string();
    let (status, _, refused) = api
        .send(
            &token,
            "PUT",
            &path,
            &[],
            Some(json!({ "name": "张伟", "birthday": future, "version": 2 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "birthday");
    let (status, _, saved) = api
        .send(
            &token,
            "PUT",
            &path,
            &[],
            Some(json!({
                "name": "张伟", "birthday": "1980-02-29", "notes": "喜欢喝茶",
                "role": "influencer", "version": 2
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (&saved["birthday"], &saved["notes"], &saved["role"]),
        (
            &json!("1980-02-29"),
            &json!("喜欢喝茶"),
            &json!("influencer")
        )
    );

    let wang = api.rep("wang@x.cn");
    assert_eq!(api.delete(&wang, &path).await, StatusCode::NOT_FOUND);
    assert_eq!(api.delete(&token, &path).await, StatusCode::NO_CONTENT);
    let (_, list) = api.get(&token, &contacts).await;
    assert_eq!(list, json!([]));
    assert_eq!(api.delete(&token, &path).await, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_are_logged_listed_newest_first_and_deleted_by_their_author() {
    let api = Api::new();
    let li = api.rep("li@x.cn");
    let id = api.customer(&li, "星辰科技").await;
    let earlier = (Utc::now() - Duration::hours(3)).to_rfc3339();
    let (status, call) = api
        .post(&li, "/api/v1/activities", json!({ "kind": "call", "customer_id": id, "at": earlier, "duration_minutes": 12, "text": "谈了报价" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let (status, visit) = api
        .post(
            &li,
            "/api/v1/activities",
            json!({ "kind": "visit", "customer_id": id, "text": "上门拜访" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{visit}");

    let path = format!("/api/v1/customers/{id}/activities");
    let (status, list) = api.get(&li, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([visit, call]));
    let (_, older) = api
        .get(
            &li,
            &format!("{path}?limit=5&before={}", visit["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(older, json!([call]));

    let wang = api.rep("wang@x.cn");
    let visit_path = format!("/api/v1/activities/{}", visit["id"].as_str().unwrap());
    assert_eq!(api.delete(&wang, &visit_path).await, StatusCode::NOT_FOUND);
    assert_eq!(api.delete(&li, &visit_path).await, StatusCode::NO_CONTENT);
    let (_, list) = api.get(&li, &path).await;
    assert_eq!(list, json!([call]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_are_created_ticked_done_and_deleted() {
    let api = Api::new();
    let li = api.rep("li@x.cn");
    let due = (Utc::now() + Duration::days(1)).to_rfc3339();
    let (status, task) = api
        .post(
            &li,
            "/api/v1/tasks",
            json!({ "title": "回电话", "due": due, "commitment": false }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());

    let (status, _, done) = api
        .send(
            &li,
            "PUT",
            &path,
            &[("if-match", "\"1\"")],
            Some(json!({ "done": true })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["done_at"].is_string());
    assert_eq!(done["title"], "回电话");

    let (_, mine) = api.get(&li, "/api/v1/tasks").await;
    assert_eq!(mine, json!([done]));
    let (_, open) = api.get(&li, "/api/v1/tasks?open=true").await;
    assert_eq!(open, json!([]));
    let admin = api.token(&api.admin);
    let (_, everyone) = api.get(&admin, "/api/v1/tasks?mine=false").await;
    assert_eq!(everyone, json!([done]));
    let (status, bad) = api.get(&li, "/api/v1/tasks?open=maybe").await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let (status, _, stale) = api
        .send(
            &li,
            "PUT",
            &path,
            &[("if-match", "\"1\"")],
            Some(json!({ "done": false })),
        )
        .await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let wang = api.rep("wang@x.cn");
    assert_eq!(api.delete(&wang, &path).await, StatusCode::NOT_FOUND);
    assert_eq!(api.delete(&li, &path).await, StatusCode::NO_CONTENT);
    let (_, mine) = api.get(&li, "/api/v1/tasks").await;
    assert_eq!(mine, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_chinese_substring() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "北京星辰科技有限公司").await;
    api.customer(&token, "上海明月贸易").await;
    // 科技, percent-encoded as a browser sends it.
    let (status, hits) = api.get(&token, "/api/v1/search?q=%E7%A7%91%E6%8A%80").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        hits,
        json!([{ "customer": id, "customer_name": "北京星辰科技有限公司", "contact_name": null,
                  "deal_id": null, "deal_title": null, "document": null }])
    );
    let (_, none) = api.get(&token, "/api/v1/search?q=").await;
    assert_eq!(none, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_describes_the_customer_api() {
    let api = Api::new();
    // Open to all: a client reads it before it has a token.
    let response = api
        .router
        .clone()
        .oneshot(
            HttpRequest::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/customers",
        "/api/v1/customers/{id}",
        "/api/v1/customers/{id}/contacts",
        "/api/v1/contacts/{id}",
        "/api/v1/customers/{id}/activities",
        "/api/v1/activities",
        "/api/v1/tasks",
        "/api/v1/search",
        "/api/v1/me",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert_eq!(schemas["Id"]["type"], "string");
    assert!(schemas.contains_key("Customer") && schemas.contains_key("ErrorJson"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_and_disagreeing_versions_answer_in_the_error_shape() {
    let api = Api::new();
    let token = api.token(&api.admin);
    // Account routes read their bodies through the same extractor.
    let (status, json) = api
        .post(&token, "/api/v1/users", json!({ "email": ["x"] }))
        .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bad_request"))
    );
    let id = api.customer(&token, "星辰科技").await;
    let mut edit = customer("星辰");
    edit["version"] = json!(2);
    let (status, _, json) = api
        .send(
            &token,
            "PUT",
            &format!("/api/v1/customers/{id}"),
            &[("if-match", "\"1\"")],
            Some(edit),
        )
        .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_names_owners_and_refuses_ids_the_caller_cannot_see() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "北京星辰科技有限公司").await;
    let csv = |token: String, path: String| {
        let router = api.router.clone();
        async move {
            let response = router
                .oneshot(
                    HttpRequest::get(path)
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    let (status, text) = csv(token.clone(), "/api/v1/customers.csv".into()).await;
    assert_eq!(status, StatusCode::OK);
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.starts_with("北京星辰科技有限公司,") && row.contains(",王总,"),
        "{row}"
    );
    let (status, text) = csv(token.clone(), format!("/api/v1/customers.csv?ids={id}")).await;
    assert_eq!((status, text.lines().count()), (StatusCode::OK, 2));

    let rep = api.rep("li@x.cn");
    let (status, text) = csv(rep, format!("/api/v1/customers.csv?ids={id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text.contains("not_found"), "{text}");
    let (status, _) = csv(token, "/api/v1/customers.csv?ids=nonsense".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_rename_and_retire_customer_types_that_customers_then_take() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let (status, _) = api
        .post(
            &rep,
            "/api/v1/customer-types",
            json!({ "label": "VIP", "version": 0 }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, types) = api
        .post(
            &token,
            "/api/v1/customer-types",
            json!({ "label": "VIP", "version": 0 }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{types}");
    assert_eq!(types["custom"][0]["code"], "custom-1");

    let mut body = customer("北京星辰");
    body["customer_type"] = json!("custom-1");
    let (status, created) = api.post(&rep, "/api/v1/customers", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["customer_type"], "custom-1");

    let (status, _, types) = api
        .send(
            &token,
            "PUT",
            "/api/v1/customer-types/custom-1",
            &[],
            Some(json!({ "label": "重要客户", "retired": true, "version": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{types}");
    assert_eq!(
        (
            &types["custom"][0]["label"],
            &types["custom"][0]["retired"],
            &types["version"]
        ),
        (&json!("重要客户"), &json!(true), &json!(3))
    );
    body["name"] = json!("上海明月");
    let (status, refused) = api.post(&rep, "/api/v1/customers", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "customer_type");
    let (_, listed) = api.get(&rep, "/api/v1/customer-types").await;
    assert_eq!(listed["custom"][0]["retired"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deal_files_are_listed_downloaded_and_deleted_over_rest() {
    let api = Api::new();
    let token = api.token(&api.admin);
    let id = api.customer(&token, "北京星辰").await;
    let (status, deal) = api
        .post(
            &token,
            "/api/v1/deals",
            json!({ "customer_id": id, "title": "ERP", "amount": "1000" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    let deal_id: guanxi_core::model::Id = deal["id"].as_str().unwrap().parse().unwrap();
    let file = api
        .gx
        .attach_deal_file(&api.admin, deal_id, "报价.pdf", b"%PDF")
        .unwrap();
    let (status, files) = api
        .get(&token, &format!("/api/v1/deals/{deal_id}/files"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(files[0]["name"], "报价.pdf");
    let rep = api.rep("li@example.cn");
    let (status, _) = api
        .get(&rep, &format!("/api/v1/deals/{deal_id}/files"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.delete(&rep, &format!("/api/v1/files/{}", file.id))
            .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.delete(&token, &format!("/api/v1/files/{}", file.id))
            .await,
        StatusCode::NO_CONTENT
    );
    let (_, files) = api
        .get(&token, &format!("/api/v1/deals/{deal_id}/files"))
        .await;
    assert_eq!(files, json!([]));

    let (_, doc) = api.get(&token, "/api/v1/openapi.json").await;
    for (path, method) in [
        ("/api/v1/deals/{id}/files", "get"),
        ("/api/v1/deals/{id}/files", "post"),
        ("/api/v1/files/{id}", "delete"),
        ("/api/v1/customer-types", "get"),
        ("/api/v1/customer-types", "post"),
        ("/api/v1/customer-types/{code}", "put"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_holding_limit_refuses_a_create_unless_an_admin_gives_a_reason() {
    use guanxi_core::model::CustomerSettings;
    use guanxi_core::service::Actor;
    let api = Api::new();
    let version = api.gx.customer_settings().unwrap().version;
    api.gx
        .update_customer_settings(
            Actor::User(&api.admin),
            CustomerSettings {
                holding_limit: 1,
                version,
                ..Default::default()
            },
        )
        .unwrap();
    let token = api.token(&api.admin);
    let (status, _) = api
        .post(&token, "/api/v1/customers", customer("甲公司"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, refused) = api
        .post(&token, "/api/v1/customers", customer("乙公司"))
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::CONFLICT, Some("holding_limit")),
        "{refused}"
    );
    let mut with_reason = customer("乙公司");
    with_reason["limit_override_reason"] = json!("展会名单");
    let (status, created) = api.post(&token, "/api/v1/customers", with_reason).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id: guanxi_core::model::Id = created["id"].as_str().unwrap().parse().unwrap();
    let audit = api.gx.customer_changes(&api.admin, id).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.field == "limit_override" && a.new == "展会名单"),
        "{audit:?}"
    );
}
