//! The contract API driven as a client would: from an accepted quote to a
//! contract with a two-installment plan, a payment and the receivables.

use axum::http::StatusCode;
use serde_json::json;

use crate::http::rest::test_api::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quote_becomes_a_contract_that_is_planned_paid_and_owed() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let customer = api.customer(&admin, "北京星辰").await;
    let (_, quote) = api
        .post(
            &admin,
            "/api/v1/quotes",
            json!({
                "customer_id": customer,
                "tax_rate": "0",
                "lines": [{ "description": "服务器", "quantity": "2", "unit_price": "50,000" }],
            }),
        )
        .await;
    let quote_id = quote["id"].as_str().unwrap().to_string();
    let (status, refused) = api
        .post(&admin, "/api/v1/contracts", json!({ "quote_id": quote_id }))
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_status"))
    );
    let actions = format!("/api/v1/quotes/{quote_id}/actions");
    api.post(&admin, &actions, json!({ "action": "send", "version": 1 }))
        .await;
    api.post(
        &admin,
        &actions,
        json!({ "action": "accept", "version": 2 }),
    )
    .await;

    let (status, contract) = api
        .post(&admin, "/api/v1/contracts", json!({ "quote_id": quote_id }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contract}");
    assert_eq!(contract["terms"]["totals"]["gross"], 10_000_000);
    assert_eq!(contract["status"], "draft");
    let id = contract["id"].as_str().unwrap().to_string();
    let (status, twice) = api
        .post(&admin, "/api/v1/contracts", json!({ "quote_id": quote_id }))
        .await;
    assert_eq!(
        (status, twice["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("quote"))
    );

    let today = api.gx.company_today();
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let plan_path = format!("/api/v1/contracts/{id}/plan");
    let (status, _, mismatch) = api
        .send(
            &admin,
            "PUT",
            &plan_path,
            &[],
            Some(json!({
                "version": 1,
                "installments": [{ "due": day(10), "amount": "60,000" }, { "due": day(40), "amount": "30,000" }],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mismatch["error"], "plan_mismatch");
    assert!(
        mismatch["message"].as_str().unwrap().contains("10,000.00"),
        "{mismatch}"
    );
    let (status, _, past) = api
        .send(
            &admin,
            "PUT",
            &plan_path,
            &[],
            Some(json!({
                "version": 1,
                "installments": [{ "due": day(-1), "amount": "60,000" }, { "due": day(40), "amount": "40,000" }],
            })),
        )
        .await;
    assert_eq!(
        (status, past["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("due"))
    );
    let (status, _, planned) = api
        .send(
            &admin,
            "PUT",
            &plan_path,
            &[],
            Some(json!({
                "version": 1,
                "installments": [{ "due": day(10), "amount": "60,000" }, { "due": day(40), "amount": "40,000" }],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{planned}");
    let (status, signed) = api
        .post(
            &admin,
            &format!("/api/v1/contracts/{id}/actions"),
            json!({ "action": "sign", "version": planned["version"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(signed["status"], "executing");

    let payments = format!("/api/v1/contracts/{id}/payments");
    let payment = |amount: &str| json!({ "received_on": day(0), "amount": amount, "method": "bank_transfer", "note": "首付款" });
    let (status, too_much) = api.post(&admin, &payments, payment("100,000.01")).await;
    assert_eq!(
        (status, too_much["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("payment_too_large"))
    );
    let (status, paid) = api.post(&admin, &payments, payment("60,000")).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    assert_eq!(paid["allocations"], json!([[0, 6_000_000]]));
    let (_, list) = api.get(&admin, &payments).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        api.delete(&admin, &format!("/api/v1/contracts/{id}")).await,
        StatusCode::CONFLICT
    );

    let (status, owed) = api
        .get(&admin, &format!("/api/v1/receivables?as_of={}", day(41)))
        .await;
    assert_eq!(status, StatusCode::OK, "{owed}");
    assert_eq!(owed["company"]["days_1_30"], 4_000_000);
    assert_eq!(owed["customers"][0][1], "北京星辰");
    let (_, now) = api.get(&admin, "/api/v1/receivables").await;
    assert_eq!(now["company"]["not_due"], 4_000_000);

    let (status, versions) = api
        .get(&admin, &format!("/api/v1/contracts/{id}/versions"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(versions.as_array().unwrap().len(), 1);
    let (_, doc) = api.get(&admin, "/api/v1/openapi.json").await;
    for (path, method) in [
        ("/api/v1/contracts", "post"),
        ("/api/v1/contracts/{id}", "put"),
        ("/api/v1/contracts/{id}/actions", "post"),
        ("/api/v1/contracts/{id}/plan", "put"),
        ("/api/v1/contracts/{id}/payments", "post"),
        ("/api/v1/contracts/{id}/diff", "get"),
        ("/api/v1/receivables", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_order_is_written_with_its_plan_and_the_list_pages() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let customer = api.customer(&admin, "北京星辰").await;
    let today = api.gx.company_today();
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (status, refused) = api
        .post(
            &admin,
            "/api/v1/contracts",
            json!({ "customer_id": customer }),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("lines"))
    );
    let mut ids = Vec::new();
    for n in 0..3 {
        let (status, contract) = api
            .post(
                &admin,
                "/api/v1/contracts",
                json!({
                    "customer_id": customer,
                    "terms": {
                        "title": format!("直接订单 {n}"),
                        "tax_rate": "0",
                        "lines": [
                            { "description": "服务器", "quantity": "2", "unit_price": "50,000" },
                            { "description": "安装", "quantity": "1", "unit_price": "5,000" },
                        ],
                        "plan": [
                            { "due": day(10), "amount": "60,000" },
                            { "due": day(40), "amount": "45,000" },
                        ],
                    },
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{contract}");
        assert_eq!(contract["terms"]["lines"].as_array().unwrap().len(), 2);
        assert_eq!(contract["plan"].as_array().unwrap().len(), 2);
        assert_eq!(contract["status"], "draft");
        ids.push(contract["id"].as_str().unwrap().to_string());
    }
    let (status, headers, page) = api
        .send(&admin, "GET", "/api/v1/contracts?page=1&limit=2", &[], None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-total-count"], "3");
    // Newest first: the second page of two holds the first one made.
    let page: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[0].as_str()]);
    let (_, all) = api.get(&admin, "/api/v1/contracts").await;
    assert_eq!(all.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_orders_import_from_a_sheet_as_contracts_owed_and_paid() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("rep@example.cn");
    api.customer(&admin, "北京星辰").await;
    let sheet = "订单号,客户,签订日期,品名,数量,单价,税率,已回款\r\n\
        SO-1,北京星辰,2024-03-15,服务器,2,\"50,000\",0,\"60,000\"\r\n\
        SO-1,,,安装,1,\"1,000\",,\r\n\
        SO-2,无此公司,2024-03-16,服务器,1,100,0,\r\n";
    let (status, refused) = api
        .upload(
            &rep,
            "/api/v1/imports?kind=orders",
            "o.csv",
            sheet.as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, preview) = api
        .upload(
            &admin,
            "/api/v1/imports?kind=orders",
            "o.csv",
            sheet.as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{preview}");
    assert_eq!(preview["kind"], "orders");
    assert_eq!(
        preview["suggested"],
        json!([
            "order_number",
            "order_customer",
            "sign_date",
            "line_description",
            "quantity",
            "unit_price",
            "tax_rate",
            "amount_received"
        ])
    );
    let job = preview["job"].as_str().unwrap();
    let body = json!({ "mapping": preview["suggested"], "mode": "skip" });
    let (status, plan) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{job}/dry-run"),
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        (
            plan["create"].as_u64(),
            plan["failed"].as_u64(),
            plan["lines"].as_u64(),
            plan["payments"].as_u64()
        ),
        (Some(1), Some(1), Some(2), Some(1))
    );
    assert_eq!(plan["problems"][0]["row"], 4);
    assert_eq!(plan["problems"][0]["column"], "客户");
    assert_eq!(
        plan["problems"][0]["error"],
        json!({ "CustomerNotMatched": { "value": "无此公司" } })
    );
    let (status, done) = api
        .post(&admin, &format!("/api/v1/imports/{job}/run"), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done, plan, "the run does what the dry run said");

    let (_, contracts) = api.get(&admin, "/api/v1/contracts").await;
    let so1 = &contracts[0];
    assert_eq!(so1["number"], "SO-1");
    assert_eq!(so1["status"], "executing");
    assert_eq!(so1["terms"]["totals"]["gross"], 10_100_000);
    assert_eq!(so1["plan"][0]["paid"], 6_000_000);
    let (_, owed) = api.get(&admin, "/api/v1/receivables").await;
    assert_eq!(owed["customers"][0][1], "北京星辰");
    assert_eq!(owed["company"]["over_90"], 4_100_000);

    // A mapping without the order's customer is refused whole.
    let (_, again) = api
        .upload(
            &admin,
            "/api/v1/imports?kind=orders",
            "o.csv",
            sheet.as_bytes(),
        )
        .await;
    let mut mapping = again["suggested"].as_array().unwrap().clone();
    mapping[1] = json!("ignore");
    let (status, refused) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{}/dry-run", again["job"].as_str().unwrap()),
            json!({ "mapping": mapping }),
        )
        .await;
    assert_eq!(
        (
            status,
            refused["field"].as_str(),
            refused["problem"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("customer"),
            Some("required")
        )
    );
}
