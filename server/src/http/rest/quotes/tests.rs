//! The quote API driven as a client would.

use axum::http::StatusCode;
use guanxi_core::model::{Role, UserInput};
use guanxi_core::service::Actor;
use serde_json::json;

use crate::http::rest::test_api::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discounted_quote_is_approved_sent_and_accepted() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let person = |email: &str, role| {
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
        api.token(&user)
    };
    let rep = person("rep@example.cn", Role::Rep);
    let manager = person("manager@example.cn", Role::Manager);
    let other = api.rep("other@example.cn");

    let (_, product) = api
        .post(
            &admin,
            "/api/v1/products",
            json!({ "code": "SRV-01", "name": "服务器", "unit": "台", "list_price": "10,000" }),
        )
        .await;
    let customer = api.customer(&rep, "北京星辰").await;
    let quote_body = json!({
        "customer_id": customer,
        "title": "服务器采购",
        "lines": [
            { "product_id": product["id"], "quantity": "3", "discount": "15" },
            { "description": "安装调试", "quantity": "1", "unit_price": "1,500" },
        ],
    });
    let (status, bad) = api
        .post(
            &rep,
            "/api/v1/quotes",
            json!({ "customer_id": customer, "lines": [{ "description": "x", "quantity": "1", "unit_price": "1", "discount": "120" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["field"], "discount");
    let (_, none) = api.get(&rep, "/api/v1/quotes").await;
    assert_eq!(none, json!([]), "a refused quote left nothing behind");

    let (status, quote) = api.post(&rep, "/api/v1/quotes", quote_body).await;
    assert_eq!(status, StatusCode::CREATED, "{quote}");
    // 3 × ¥10,000 × 85 % + ¥1,500 = ¥27,000; 13 % tax ¥3,510.
    assert_eq!(
        quote["totals"],
        json!({ "net": 2_700_000, "tax": 351_000, "gross": 3_051_000 })
    );
    assert_eq!(quote["status"], "draft");
    let id = quote["id"].as_str().unwrap().to_string();
    assert_eq!(
        api.get(&other, &format!("/api/v1/quotes/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    let actions = format!("/api/v1/quotes/{id}/actions");
    let (status, wrong) = api
        .post(&rep, &actions, json!({ "action": "accept", "version": 1 }))
        .await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_status"))
    );
    let (status, pending) = api
        .post(&rep, &actions, json!({ "action": "send", "version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{pending}");
    assert_eq!(pending["status"], "pending_approval");
    assert_eq!(pending["approval"]["steps"][0]["level"], "manager");

    let (_, inbox) = api.get(&manager, "/api/v1/quote-approvals").await;
    assert_eq!(inbox[0]["quote"]["id"], id.as_str());
    assert_eq!(inbox[0]["customer_name"], "北京星辰");
    let approval = format!("/api/v1/quotes/{id}/approval");
    let (status, _) = api.post(&rep, &approval, json!({ "approve": true })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api
        .post(
            &manager,
            &approval,
            json!({ "approve": true, "comment": "同意" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, approved) = api
        .post(&admin, &approval, json!({ "approve": true }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(approved["status"], "approved");
    let version = approved["version"].as_u64().unwrap();

    let (_, sent) = api
        .post(
            &rep,
            &actions,
            json!({ "action": "send", "version": version }),
        )
        .await;
    assert_eq!(sent["status"], "sent");
    let (_, accepted) = api
        .post(
            &rep,
            &actions,
            json!({ "action": "accept", "version": version + 1 }),
        )
        .await;
    assert_eq!(accepted["status"], "accepted");
    let (_, listed) = api.get(&rep, "/api/v1/quotes?status=accepted").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (status, bad) = api.get(&rep, "/api/v1/quotes?status=lost").await;
    assert_eq!(
        (status, bad["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    assert_eq!(
        api.delete(&rep, &format!("/api/v1/quotes/{id}")).await,
        StatusCode::CONFLICT
    );

    let (_, doc) = api.get(&admin, "/api/v1/openapi.json").await;
    for (path, method) in [
        ("/api/v1/products", "get"),
        ("/api/v1/products", "post"),
        ("/api/v1/products/{id}", "put"),
        ("/api/v1/products/{id}", "delete"),
        ("/api/v1/products.csv", "get"),
        ("/api/v1/sales-settings", "put"),
        ("/api/v1/quotes", "post"),
        ("/api/v1/quotes/{id}", "put"),
        ("/api/v1/quotes/{id}/actions", "post"),
        ("/api/v1/quotes/{id}/approval", "post"),
        ("/api/v1/quote-approvals", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    assert!(doc["components"]["schemas"]["QuoteEdit"].is_object());
}
