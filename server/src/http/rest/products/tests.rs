//! The product API driven as a client would.

use axum::body::Body;
use axum::http::{StatusCode, header};
use http::Request as HttpRequest;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use guanxi_core::model::Locale;

use crate::http::rest::test_api::Api;

fn server(code: &str) -> serde_json::Value {
    json!({
        "code": code,
        "name": "服务器",
        "unit": "台",
        "category": "硬件",
        "list_price": "12,800.00",
        "standard_cost": "9,000",
        "low_stock_threshold": "5",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_are_kept_by_admins_and_managers_and_read_by_everyone() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("rep@example.cn");

    let (status, refused) = api.post(&rep, "/api/v1/products", server("SRV-01")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, product) = api.post(&admin, "/api/v1/products", server("SRV-01")).await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    assert_eq!(product["list_price"], 1_280_000);
    assert_eq!(product["low_stock_threshold"], 5_000);
    assert_eq!(product["active"], true);
    let id = product["id"].as_str().unwrap().to_string();

    let (status, taken) = api.post(&admin, "/api/v1/products", server("srv-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (taken["error"].as_str(), taken["field"].as_str()),
        (Some("invalid"), Some("code"))
    );
    let mut bad = server("B-1");
    bad["list_price"] = json!("-5");
    let (status, bad) = api.post(&admin, "/api/v1/products", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["field"], "list_price");

    let (status, list) = api.get(&rep, "/api/v1/products").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);

    let path = format!("/api/v1/products/{id}");
    let mut edit = server("SRV-01");
    edit["active"] = json!(false);
    let (status, _, missing) = api
        .send(&admin, "PUT", &path, &[], Some(edit.clone()))
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED, "{missing}");
    let (status, headers, saved) = api
        .send(&admin, "PUT", &path, &[("If-Match", "\"1\"")], Some(edit))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(headers[header::ETAG], "\"2\"");
    assert_eq!(saved["active"], false);
    let (_, active) = api.get(&rep, "/api/v1/products").await;
    assert_eq!(active, json!([]));
    let (_, all) = api.get(&rep, "/api/v1/products?inactive=true").await;
    assert_eq!(all.as_array().unwrap().len(), 1);

    let response = api
        .router
        .clone()
        .oneshot(
            HttpRequest::get("/api/v1/products.csv?inactive=true")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("编码"), "{text}");
    assert!(
        text.contains("SRV-01,服务器,台,硬件,12800.00,9000.00,5,已停用"),
        "{text}"
    );

    let (_, only_active) = csv(&api, &admin, "/api/v1/products.csv", "zh-CN").await;
    assert!(!only_active.contains("SRV-01"), "as the list shows them");

    assert_eq!(api.delete(&rep, &path).await, StatusCode::FORBIDDEN);
    assert_eq!(api.delete(&admin, &path).await, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&admin, &path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_the_sales_settings_from_the_version_read() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("rep@example.cn");
    let (status, settings) = api.get(&rep, "/api/v1/sales-settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["default_tax_rate"], 1300);
    assert_eq!(settings["cost_method"], "weighted_average");
    let body = json!({
        "default_tax_rate": "6",
        "discount_limit": "12.5",
        "contract_approval_amount": "100,000",
        "cost_method": "fifo",
        "quote_valid_days": 15,
        "version": 0,
    });
    let (status, _, _) = api
        .send(
            &rep,
            "PUT",
            "/api/v1/sales-settings",
            &[],
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, saved) = api
        .send(
            &admin,
            "PUT",
            "/api/v1/sales-settings",
            &[],
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["discount_limit"], 1250);
    assert_eq!(saved["contract_approval_amount"], 10_000_000);
    let (status, _, stale) = api
        .send(&admin, "PUT", "/api/v1/sales-settings", &[], Some(body))
        .await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
}

/// A CSV download in a language: (status, text without the BOM).
async fn csv(api: &Api, token: &str, path: &str, language: &str) -> (StatusCode, String) {
    let response = api
        .router
        .clone()
        .oneshot(
            HttpRequest::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::ACCEPT_LANGUAGE, language)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    (status, text.into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_import_from_a_sheet_and_their_export_imports_back() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("rep@example.cn");
    let sheet = "产品编码,品名,单位,单价,成本,启用\r\n\
        SRV-01,服务器,台,\"¥12,800.00\",9000,是\r\n\
        SRV-02,交换机,台,abc,,是\r\n\
        SVC-01,安装,次,800,,停用\r\n";
    let (status, refused) = api
        .upload(
            &rep,
            "/api/v1/imports?kind=products",
            "p.csv",
            sheet.as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, preview) = api
        .upload(
            &admin,
            "/api/v1/imports?kind=products",
            "p.csv",
            sheet.as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{preview}");
    assert_eq!(preview["kind"], "products");
    assert_eq!(
        preview["suggested"],
        json!([
            "product_code",
            "product_name",
            "unit",
            "list_price",
            "standard_cost",
            "active"
        ])
    );
    let job = preview["job"].as_str().unwrap();
    let body = json!({ "mapping": preview["suggested"], "mode": "update" });
    let (status, plan) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{job}/dry-run"),
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        (plan["create"].as_u64(), plan["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(plan["problems"][0]["row"], 3);
    assert_eq!(plan["problems"][0]["column"], "单价");
    assert_eq!(
        plan["problems"][0]["error"],
        json!({ "Invalid": { "field": "list_price", "problem": "malformed" } })
    );
    let (status, done) = api
        .post(&admin, &format!("/api/v1/imports/{job}/run"), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done, plan, "the run does what the dry run said");
    let (_, listed) = api.get(&rep, "/api/v1/products?inactive=true").await;
    assert_eq!(listed[0]["code"], "SRV-01");
    assert_eq!(listed[0]["list_price"], 1_280_000);
    assert_eq!(listed[1]["active"], false);

    // The export in either language imports back as it is: nothing to do.
    for (locale, first_line) in [
        (
            Locale::En,
            "Code,Name,Unit,Category,List price,Standard cost,Low-stock warning at,Status",
        ),
        (
            Locale::ZhCn,
            "编码,名称,单位,类别,标准售价,标准成本,库存预警数量,状态",
        ),
    ] {
        let language = locale.code();
        api.gx.set_own_locale(&api.admin, locale).unwrap();
        let (status, text) =
            csv(&api, &admin, "/api/v1/products.csv?inactive=true", language).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.starts_with(first_line), "{text}");
        let (status, preview) = api
            .upload(
                &admin,
                "/api/v1/imports?kind=products",
                "back.csv",
                text.as_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{preview}");
        assert!(
            preview["suggested"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t != "ignore"),
            "{language}: {preview}"
        );
        let job = preview["job"].as_str().unwrap();
        let body = json!({ "mapping": preview["suggested"], "mode": "update" });
        let (_, plan) = api
            .post(&admin, &format!("/api/v1/imports/{job}/run"), body)
            .await;
        assert_eq!(
            (
                plan["skip"].as_u64(),
                plan["update"].as_u64(),
                plan["failed"].as_u64()
            ),
            (Some(2), Some(0), Some(0)),
            "{language}: {text} {plan}"
        );
    }
}
