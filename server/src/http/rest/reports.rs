//! `/api/v1/reports/*`: the numbers behind the dashboards, with the same
//! filters as the pages (period, team, rep, pipeline) and the same
//! visibility (a rep their own, a manager their team's, an admin all).

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{
    ActivityReport, CohortReport, ConversionReport, ForecastAnswer, ForecastModel, FunnelReport,
    KpiReport, ReportParams, Workbench,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, QueryOf};

/// The funnel of a pipeline: count, amount and weighted amount of the open
/// deals in each stage now and at the `compare` date (the period's first
/// day unless given), rebuilt from the stage history; deals won and lost in
/// the period.
#[utoipa::path(
    get, path = "/api/v1/reports/funnel", tag = "reports",
    params(ReportParams),
    responses(
        (status = 200, body = FunnelReport),
        (status = 404, description = "No such pipeline", body = ErrorJson),
        (status = 422, description = "A filter that does not parse", body = ErrorJson),
    )
)]
pub async fn funnel(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<FunnelReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.funnel_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

/// Stage-to-stage conversion of the deals created in the period, average
/// days in each stage, win rate per rep and the competitors deals were
/// lost to.
#[utoipa::path(
    get, path = "/api/v1/reports/conversion", tag = "reports",
    params(ReportParams),
    responses(
        (status = 200, body = ConversionReport),
        (status = 404, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn conversion(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<ConversionReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.conversion_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// `confidence` (each open deal's amount × its confidence, in its
    /// expected close month; the default) or `stage` (the stage-transition
    /// model learned from the stage history).
    model: Option<ForecastModel>,
}

/// The forecast for this month and the next five by one model.
#[utoipa::path(
    get, path = "/api/v1/reports/forecast", tag = "reports",
    params(ReportParams, ModelQuery),
    responses(
        (status = 200, body = ForecastAnswer),
        (status = 404, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn forecast(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
    QueryOf(model): QueryOf<ModelQuery>,
) -> Result<Json<ForecastAnswer>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.forecast_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report.answer(model.model.unwrap_or_default())))
}

/// The caller's workbench: this month's numbers against the same days of
/// last month, hot customers, due and overdue tasks, stalled deals,
/// customers near the return to the pool; for managers a row per rep.
#[utoipa::path(
    get, path = "/api/v1/reports/workbench", tag = "reports",
    responses((status = 200, body = Workbench))
)]
pub async fn workbench(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Workbench>, ApiError> {
    let bench = caller
        .call(&state, move |gx, me| gx.workbench(me, chrono::Utc::now()))
        .await?;
    Ok(Json(bench))
}

/// Activities, calls, call minutes, visits and messages per day, week or
/// month (`grain`) and per rep, against the previous period and last year,
/// with the last full week's figures that are far off their 12-week trend.
#[utoipa::path(
    get, path = "/api/v1/reports/activity", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = ActivityReport), (status = 422, body = ErrorJson))
)]
pub async fn activity(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<ActivityReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.activity_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

/// The customer KPIs of the period against the period of the same length
/// before and the same days a year earlier: new customers, how many of
/// them have won a deal since, the average days from a deal's creation to
/// its win, activities on the customer per won deal, the average first
/// deal. Customers count by their owner now, deals by their owners.
#[utoipa::path(
    get, path = "/api/v1/reports/kpis", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = KpiReport), (status = 422, body = ErrorJson))
)]
pub async fn kpis(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<KpiReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.kpi_report(me, &params, chrono::Utc::now())
        })
        .await?;
    Ok(Json(report))
}

/// Customers created per month by type (the months of the period, and at
/// least the twelve up to its end), and the customers created in each
/// year by the type they have now, with the average days from creation to
/// the first won deal.
#[utoipa::path(
    get, path = "/api/v1/reports/cohorts", tag = "reports",
    params(ReportParams),
    responses((status = 200, body = CohortReport), (status = 422, body = ErrorJson))
)]
pub async fn cohorts(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ReportParams>,
) -> Result<Json<CohortReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.cohort_report(me, &params, chrono::Utc::now())
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
    async fn reports_answer_with_the_numbers_each_caller_may_see() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let rep = api.rep("li@example.cn");
        let customer = api.customer(&admin, "北京星辰").await;
        // Today in the company's zone (Shanghai), which decides the month.
        let today = (chrono::Utc::now() + chrono::Duration::hours(8))
            .format("%Y-%m-%d")
            .to_string();
        let (status, deal) = api
            .post(
                &admin,
                "/api/v1/deals",
                json!({ "customer_id": customer, "title": "ERP", "amount": "120,000",
                        "confidence": 50, "expected_close": today }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{deal}");

        let (status, funnel) = api.get(&admin, "/api/v1/reports/funnel").await;
        assert_eq!(status, StatusCode::OK, "{funnel}");
        assert_eq!(funnel["stages"][0]["count"], 1);
        assert_eq!(funnel["stages"][0]["amount"], 12_000_000);
        assert_eq!(funnel["stages"][0]["weighted"], 1_200_000);
        let (_, theirs) = api.get(&rep, "/api/v1/reports/funnel").await;
        assert_eq!(
            theirs["stages"][0]["count"], 0,
            "a rep sees their own deals only"
        );

        let (status, forecast) = api
            .get(
                &admin,
                "/api/v1/reports/forecast?model=confidence&period=quarter",
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{forecast}");
        assert_eq!(forecast["model"], "confidence");
        assert_eq!(forecast["months"].as_array().unwrap().len(), 6);
        assert_eq!(forecast["months"][0]["amount"], 6_000_000);
        let (_, stage) = api
            .get(&admin, "/api/v1/reports/forecast?model=stage")
            .await;
        assert_eq!(stage["stages"].as_array().unwrap().len(), 5);
        assert!(stage["overdue"].is_null());

        let (status, conversion) = api.get(&admin, "/api/v1/reports/conversion").await;
        assert_eq!(status, StatusCode::OK, "{conversion}");
        assert_eq!(conversion["steps"][0]["reached"], 1);

        let (status, bad) = api
            .get(
                &admin,
                "/api/v1/reports/funnel?period=custom&from=2026-05-01&to=2026-04-01",
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "period");

        let (status, bench) = api.get(&rep, "/api/v1/reports/workbench").await;
        assert_eq!(status, StatusCode::OK, "{bench}");
        assert_eq!(bench["numbers"]["open"], 0);

        let (_, doc) = api.get(&admin, "/api/v1/openapi.json").await;
        let (status, activity) = api.get(&admin, "/api/v1/reports/activity?grain=week").await;
        assert_eq!(status, StatusCode::OK, "{activity}");
        assert_eq!(activity["grain"], "week");
        let (status, kpis) = api.get(&admin, "/api/v1/reports/kpis").await;
        assert_eq!(status, StatusCode::OK, "{kpis}");
        assert_eq!(kpis["current"]["new_customers"], 1);
        assert_eq!(kpis["current"]["converted"], 0);
        assert!(kpis["current"]["conversion_rate"].as_f64().unwrap() == 0.0);
        assert_eq!(kpis["previous"]["new_customers"], 0);
        assert_eq!(kpis["customers_filter"], "");
        let (_, theirs) = api.get(&rep, "/api/v1/reports/kpis").await;
        assert_eq!(theirs["current"]["new_customers"], 0, "not the rep's");
        assert_eq!(theirs["customers_filter"], "scope=mine");
        let (status, cohorts) = api.get(&admin, "/api/v1/reports/cohorts?period=year").await;
        assert_eq!(status, StatusCode::OK, "{cohorts}");
        assert_eq!(cohorts["types"][0]["code"], "signed");
        assert_eq!(cohorts["cohorts"][0]["customers"], 1);
        assert_eq!(cohorts["months"].as_array().unwrap().len(), 12);
        // The list behind a cohort: the customers created on those days.
        let (status, list) = api
            .get(
                &admin,
                &format!("/api/v1/customers?created_from={today}&created_to={today}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["total"], 1);
        let (_, none) = api
            .get(&admin, "/api/v1/customers?created_to=2020-01-01")
            .await;
        assert_eq!(none["total"], 0);
        let (_, no_team) = api
            .get(&admin, "/api/v1/customers?team=%E5%8D%8E%E5%8C%97")
            .await;
        assert_eq!(no_team["total"], 0, "nobody is in that team");
        let (status, _) = api
            .get(&admin, "/api/v1/customers?created_to=2020-02-30")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, bad) = api
            .get(
                &admin,
                "/api/v1/reports/cohorts?period=custom&from=2026-02-30&to=2026-03-01",
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        for path in [
            "funnel",
            "conversion",
            "forecast",
            "workbench",
            "activity",
            "kpis",
            "cohorts",
        ] {
            assert!(
                doc["paths"][format!("/api/v1/reports/{path}")].is_object(),
                "{path}"
            );
        }
    }
}
