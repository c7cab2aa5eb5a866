//! The reasons deals may be closed with.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::CloseReasons;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody};

/// The reasons deals may be closed with, per outcome.
#[utoipa::path(
    get, path = "/api/v1/close-reasons", tag = "deals",
    responses((status = 200, body = CloseReasons))
)]
pub async fn close_reasons(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CloseReasons>, ApiError> {
    Ok(Json(caller.call(&state, |gx, _| gx.close_reasons()).await?))
}

/// Replace the close reasons (admins), from the version read.
#[utoipa::path(
    put, path = "/api/v1/close-reasons", tag = "deals",
    request_body = CloseReasons,
    responses((status = 200, body = CloseReasons), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn set_close_reasons(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(reasons): JsonBody<CloseReasons>,
) -> Result<Json<CloseReasons>, ApiError> {
    let saved = caller
        .call(&state, move |gx, me| gx.set_close_reasons(me, reasons))
        .await?;
    Ok(Json(saved))
}
