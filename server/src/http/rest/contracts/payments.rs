//! Payments received against contracts, and the receivables they leave.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use guanxi_core::model::{Id, Payment, PaymentInput, Receivables};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId, QueryOf};

/// A contract's payments, oldest first, each with what it paid of which
/// installment.
#[utoipa::path(
    get, path = "/api/v1/contracts/{id}/payments", tag = "contracts",
    params(("id" = Id, Path)),
    responses((status = 200, body = Vec<Payment>), (status = 404, body = ErrorJson))
)]
pub async fn list_payments(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Vec<Payment>>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.payments(me, id))
            .await?,
    ))
}

/// Record a payment received against a signed contract. It pays the
/// chosen `installment` first, then the others oldest first; more than is
/// outstanding answers 422 `payment_too_large` naming what is, and nothing
/// is saved.
#[utoipa::path(
    post, path = "/api/v1/contracts/{id}/payments", tag = "contracts",
    params(("id" = Id, Path)),
    request_body = PaymentInput,
    responses(
        (status = 201, body = Payment),
        (status = 409, description = "`wrong_status`: the contract is not signed", body = ErrorJson),
        (status = 422, description = "Invalid input or `payment_too_large`", body = ErrorJson),
    )
)]
pub async fn record_payment(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(input): JsonBody<PaymentInput>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
    let payment = caller
        .call(&state, move |gx, me| gx.record_payment(me, id, input))
        .await?;
    Ok((StatusCode::CREATED, Json(payment)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceivablesQuery {
    /// The day to age as of, `YYYY-MM-DD`; today in the company's time
    /// zone unless given.
    as_of: Option<NaiveDate>,
    /// How many customers to list, most overdue first: 100 unless given
    /// (`customers_total` says how many owe something).
    #[param(minimum = 1, maximum = 100000)]
    limit: Option<usize>,
}

/// What is owed on the signed contracts the caller may see, by how late
/// (not due, 1–30, 31–60, 61–90, over 90 days): company-wide, per customer
/// (the `limit` most overdue) and per rep, most overdue first.
#[utoipa::path(
    get, path = "/api/v1/receivables", tag = "contracts",
    params(ReceivablesQuery),
    responses((status = 200, body = Receivables))
)]
pub async fn receivables(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(query): QueryOf<ReceivablesQuery>,
) -> Result<Json<Receivables>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| {
                let today = query.as_of.unwrap_or_else(|| gx.company_today());
                gx.receivables_top(me, today, query.limit.unwrap_or(100).clamp(1, 100_000))
            })
            .await?,
    ))
}
