//! The stock API driven as a client would: goods bought in twice, a
//! delivery against a contract line, its margin by FIFO, the refusals.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::http::rest::test_api::Api;

/// An executing contract of the admin selling 15 of `product` at ¥150.00.
async fn executing_contract(api: &Api, token: &str, product: &str) -> String {
    let customer = api.customer(token, "北京星辰").await;
    let (_, quote) = api
        .post(
            token,
            "/api/v1/quotes",
            json!({
                "customer_id": customer,
                "tax_rate": "0",
                "lines": [{ "product_id": product, "quantity": "15", "unit_price": "150" }],
            }),
        )
        .await;
    let quote_id = quote["id"].as_str().unwrap().to_string();
    let actions = format!("/api/v1/quotes/{quote_id}/actions");
    api.post(token, &actions, json!({ "action": "send", "version": 1 }))
        .await;
    api.post(token, &actions, json!({ "action": "accept", "version": 2 }))
        .await;
    let (_, contract) = api
        .post(token, "/api/v1/contracts", json!({ "quote_id": quote_id }))
        .await;
    let id = contract["id"].as_str().unwrap().to_string();
    let (status, signed) = api
        .post(
            token,
            &format!("/api/v1/contracts/{id}/actions"),
            json!({ "action": "sign", "version": contract["version"] }),
        )
        .await;
    assert_eq!(signed["status"], "executing", "{status} {signed}");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goods_bought_in_are_delivered_against_a_line_with_their_margin() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let (_, product) = api
        .post(
            &admin,
            "/api/v1/products",
            json!({ "code": "SRV-01", "name": "服务器", "unit": "台", "list_price": "150",
                    "low_stock_threshold": "5" }),
        )
        .await;
    let product = product["id"].as_str().unwrap().to_string();
    let (_, settings) = api.get(&admin, "/api/v1/sales-settings").await;
    let (status, _, _) = api
        .send(
            &admin,
            "PUT",
            "/api/v1/sales-settings",
            &[],
            Some(json!({
                "version": settings["version"],
                "default_tax_rate": "13", "discount_limit": "10",
                "contract_approval_amount": "", "cost_method": "fifo", "quote_valid_days": 30,
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let buy = |day: u32, cost: &str| {
        json!({ "product_id": product, "quantity": "10", "unit_cost": cost,
                "date": format!("2026-03-{day:02}"), "supplier": "深圳华强" })
    };
    let (status, refused) = api
        .post(&rep, "/api/v1/stock-moves/purchases", buy(1, "100"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    for (day, cost) in [(1, "100.00"), (5, "120.00")] {
        let (status, made) = api
            .post(&admin, "/api/v1/stock-moves/purchases", buy(day, cost))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
    }

    let contract = executing_contract(&api, &admin, &product).await;
    let deliveries = format!("/api/v1/contracts/{contract}/deliveries");
    let (status, short) = api
        .post(
            &admin,
            &deliveries,
            json!({ "line": 0, "quantity": "15", "date": "2026-03-04" }),
        )
        .await;
    assert_eq!(
        (status, short["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("stock_shortage"))
    );
    let message = short["message"].as_str().unwrap();
    assert!(
        message.contains("SRV-01") && message.contains("10"),
        "{message}"
    );
    let (status, over) = api
        .post(
            &admin,
            &deliveries,
            json!({ "line": 0, "quantity": "16", "date": "2026-03-10" }),
        )
        .await;
    assert_eq!(
        (status, over["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("over_delivery"))
    );
    let (status, made) = api
        .post(
            &admin,
            &deliveries,
            json!({ "line": 0, "quantity": "15", "date": "2026-03-10" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");

    let (_, stock) = api.get(&admin, &deliveries).await;
    let line: &Value = &stock["lines"][0];
    assert_eq!(
        (line["cost"].as_i64(), line["margin"].as_i64()),
        (Some(160_000), Some(65_000))
    );
    assert_eq!(stock["method"], "fifo");
    assert_eq!(stock["deliveries"].as_array().unwrap().len(), 1);

    // Backdated: 10 @ ¥90.00 on 2 Mar reprices the delivery.
    api.post(&admin, "/api/v1/stock-moves/purchases", buy(2, "90"))
        .await;
    let (_, margin) = api
        .get(&admin, &format!("/api/v1/products/{product}/margin"))
        .await;
    assert_eq!(
        (
            margin["cost"].as_i64(),
            margin["margin"].as_i64(),
            margin["on_hand"].as_i64()
        ),
        (Some(145_000), Some(80_000), Some(15_000))
    );
    let (status, _) = api
        .get(&rep, &format!("/api/v1/products/{product}/margin"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, adjusted) = api
        .post(
            &admin,
            "/api/v1/stock-moves/adjustments",
            json!({ "product_id": product, "quantity": "-11", "reason": "盘亏", "date": "2026-03-11" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{adjusted}");
    let (_, low) = api.get(&rep, "/api/v1/stock/low").await;
    assert_eq!(low[0]["on_hand"], 4_000);
    let (_, moves) = api
        .get(&admin, &format!("/api/v1/stock-moves?product_id={product}"))
        .await;
    assert_eq!(moves.as_array().unwrap().len(), 5);
    assert_eq!(moves[0]["kind"], "adjustment");
    let (status, _) = api.get(&rep, "/api/v1/stock-moves").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
