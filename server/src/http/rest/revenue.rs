//! `/api/v1/reports/revenue`, `/payments`, `/expenses` and `/receivables`:
//! the money of a period against the period before and a year earlier, its
//! trend and its breakdowns, with the dashboards' filters (period, team,
//! rep) and visibility.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{CollectionReport, MoneyMetric, MoneyReport, ProductReport, ReportParams};

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, QueryOf};

async fn money(
    state: AppState,
    caller: Caller,
    metric: MoneyMetric,
    params: ReportParams,
) -> Result<Json<MoneyReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.money_report(me, metric, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

/// Revenue: signed contracts' amounts by sign date, and their count. The
/// period against the one before (环比: the calendar month, quarter,
/// half-year or year before; for a custom range as many days before) and
/// the same days a year earlier (同比); the trend of months, quarters,
/// half-years or years up to the period's end; by rep and team (each
/// contract's credit split), region, customer type, product (lines' net,
/// before tax) and the top ten customers.
#[utoipa::path(
    get, path = "/api/v1/reports/revenue", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = MoneyReport), (status = 422, body = ErrorJson))
)]
pub async fn revenue(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<MoneyReport>, ApiError> {
    money(state, caller, MoneyMetric::Revenue, params).await
}

/// Payments received (回款) by the day received: as the revenue report,
/// broken down by the paid contract's owners, region, customer type and
/// customers.
#[utoipa::path(
    get, path = "/api/v1/reports/payments", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = MoneyReport), (status = 422, body = ErrorJson))
)]
pub async fn payments(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<MoneyReport>, ApiError> {
    money(state, caller, MoneyMetric::Payments, params).await
}

/// Expenses (费用) by their date: as the revenue report, broken down by
/// who spent them, their team, category and customer.
#[utoipa::path(
    get, path = "/api/v1/reports/expenses", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = MoneyReport), (status = 422, body = ErrorJson))
)]
pub async fn expenses(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<MoneyReport>, ApiError> {
    money(state, caller, MoneyMetric::Expenses, params).await
}

/// The receivables trend: for each of the twelve months up to the period's
/// end, the installments that fell due, the payments received, the
/// collection rate (received ÷ due) and what customers owed at the month's
/// close.
#[utoipa::path(
    get, path = "/api/v1/reports/receivables", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = CollectionReport), (status = 422, body = ErrorJson))
)]
pub async fn receivables(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<CollectionReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.collection_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

/// Product analysis: what each product and category delivered in the
/// period (quantity out of the warehouse against contract lines), the
/// lines' net for it, its cost by the company's method (weighted average or
/// FIFO) and the margin, with the margin rate of the period before; and the
/// products whose margin rate fell most. Admins and managers, company-wide.
#[utoipa::path(
    get, path = "/api/v1/reports/products", tag = "reports",
    params(ReportParams),
    responses(
        (status = 200, body = ProductReport),
        (status = 403, description = "Reps do not see costs", body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn products(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<ProductReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.product_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use serde_json::json;

    use crate::http::rest::test_api::Api;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn money_reports_follow_a_signed_contract_its_payment_and_an_expense() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let rep = api.rep("li@example.cn");
        let customer = api.customer(&admin, "北京星辰").await;
        let today = api.gx.company_today().to_string();
        let (status, contract) = api
            .post(
                &admin,
                "/api/v1/contracts",
                json!({ "customer_id": customer, "terms": {
                    "title": "服务器", "tax_rate": "0", "sign_date": today,
                    "lines": [{ "description": "服务器", "quantity": "2", "unit_price": "50,000" }],
                }}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{contract}");
        let id = contract["id"].as_str().unwrap().to_string();
        let (status, signed) = api
            .post(
                &admin,
                &format!("/api/v1/contracts/{id}/actions"),
                json!({ "action": "sign", "version": contract["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{signed}");
        let (status, paid) = api
            .post(
                &admin,
                &format!("/api/v1/contracts/{id}/payments"),
                json!({ "received_on": today, "amount": "30,000", "method": "cash" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{paid}");

        let (status, revenue) = api.get(&admin, "/api/v1/reports/revenue").await;
        assert_eq!(status, StatusCode::OK, "{revenue}");
        assert_eq!(revenue["metric"], "revenue");
        assert_eq!(revenue["current"]["revenue"], 10_000_000);
        assert_eq!(revenue["current"]["orders"], 1);
        assert_eq!(revenue["trend"].as_array().unwrap().len(), 12);
        assert_eq!(revenue["trend"][11]["now"]["revenue"], 10_000_000);
        assert_eq!(revenue["by_product"][0]["key"], "");
        assert_eq!(revenue["top_customers"][0]["key"], customer);
        assert_eq!(revenue["top_customers"][0]["name"], "北京星辰");
        // The contracts behind the figure.
        let (status, listed) = api
            .get(
                &admin,
                &format!("/api/v1/contracts?signed_from={today}&signed_to={today}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed[0]["id"], id.as_str());
        let (_, theirs) = api.get(&rep, "/api/v1/reports/revenue").await;
        assert_eq!(theirs["current"]["revenue"], 0, "not the rep's contract");

        let (status, payments) = api
            .get(&admin, "/api/v1/reports/payments?period=year")
            .await;
        assert_eq!(status, StatusCode::OK, "{payments}");
        assert_eq!(payments["grain"], "year");
        assert_eq!(payments["current"]["received"], 3_000_000);
        assert_eq!(payments["by_rep"][0]["amount"], 3_000_000);
        let (status, expenses) = api.get(&admin, "/api/v1/reports/expenses").await;
        assert_eq!(status, StatusCode::OK, "{expenses}");
        assert_eq!(expenses["current"]["expenses"], 0);
        let (status, owed) = api.get(&admin, "/api/v1/reports/receivables").await;
        assert_eq!(status, StatusCode::OK, "{owed}");
        assert_eq!(owed["months"][11]["due"], 10_000_000);
        assert_eq!(owed["months"][11]["received"], 3_000_000);
        assert_eq!(owed["months"][11]["outstanding"], 7_000_000);

        let (status, bad) = api
            .get(&admin, "/api/v1/reports/revenue?period=fortnight")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "period");
        let (_, doc) = api.get(&admin, "/api/v1/openapi.json").await;
        let (status, products) = api.get(&admin, "/api/v1/reports/products").await;
        assert_eq!(status, StatusCode::OK, "{products}");
        assert_eq!(
            products["products"].as_array().unwrap().len(),
            0,
            "nothing delivered"
        );
        let (status, _) = api.get(&rep, "/api/v1/reports/products").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for path in ["revenue", "payments", "expenses", "receivables", "products"] {
            assert!(
                doc["paths"][format!("/api/v1/reports/{path}")]["get"].is_object(),
                "{path} in the OpenAPI document"
            );
        }
    }
}
