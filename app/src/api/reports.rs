//! Server functions of the dashboards: the numbers behind each chart, as
//! `/api/v1/reports/*` returns them.

use guanxi_core::model::{ConversionReport, ForecastReport, FunnelReport, ReportParams};
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "report_funnel")]
pub async fn get_funnel(params: ReportParams) -> Result<FunnelReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.funnel_report(&me, &params, chrono::Utc::now())).await
}

#[server(endpoint = "report_forecast")]
pub async fn get_forecast(params: ReportParams) -> Result<ForecastReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.forecast_report(&me, &params, chrono::Utc::now())).await
}

#[server(endpoint = "report_conversion")]
pub async fn get_conversion(params: ReportParams) -> Result<ConversionReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.conversion_report(&me, &params, chrono::Utc::now())).await
}

#[server(endpoint = "workbench")]
pub async fn get_workbench() -> Result<guanxi_core::model::Workbench, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.workbench(&me, chrono::Utc::now())).await
}

#[server(endpoint = "report_activity")]
pub async fn get_activity(
    params: ReportParams,
) -> Result<guanxi_core::model::ActivityReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.activity_report(&me, &params, chrono::Utc::now())).await
}

#[server(endpoint = "report_kpis")]
pub async fn get_kpis(params: ReportParams) -> Result<guanxi_core::model::KpiReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.kpi_report(&me, &params, chrono::Utc::now())).await
}

#[server(endpoint = "report_cohorts")]
pub async fn get_cohorts(
    params: ReportParams,
) -> Result<guanxi_core::model::CohortReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.cohort_report(&me, &params, chrono::Utc::now())).await
}

/// `/api/v1/reports/revenue`, `/payments` or `/expenses`, by `metric`.
/// None for the product analysis' tab (`metric` none).
#[server(endpoint = "report_money")]
pub async fn get_money(
    metric: Option<guanxi_core::model::MoneyMetric>,
    params: ReportParams,
) -> Result<Option<guanxi_core::model::MoneyReport>, AppError> {
    use crate::ssr::*;
    let Some(metric) = metric else {
        return Ok(None);
    };
    let me = current_user()?;
    call(move |gx| gx.money_report(&me, metric, &params, chrono::Utc::now()))
        .await
        .map(Some)
}

#[server(endpoint = "report_collection")]
pub async fn get_collection(
    params: ReportParams,
) -> Result<guanxi_core::model::CollectionReport, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.collection_report(&me, &params, chrono::Utc::now())).await
}

/// `/api/v1/reports/products`; none unless `wanted` (the page asks for the
/// product analysis or the money, not both).
#[server(endpoint = "report_products")]
pub async fn get_products(
    params: ReportParams,
    wanted: bool,
) -> Result<Option<guanxi_core::model::ProductReport>, AppError> {
    use crate::ssr::*;
    if !wanted {
        return Ok(None);
    }
    let me = current_user()?;
    call(move |gx| gx.product_report(&me, &params, chrono::Utc::now()))
        .await
        .map(Some)
}
