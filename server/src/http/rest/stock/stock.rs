//! Stock levels, the low-stock list, stock moves and a product's margin.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guanxi_core::model::{
    AdjustmentInput, Id, ProductMargin, StockInInput, StockLevel, StockLevels, StockMove,
    StockMoveRow,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId, QueryOf};

/// Every stocked product's quantity on hand and its value at cost, by the
/// company's cost method. Everyone signed in.
#[utoipa::path(
    get, path = "/api/v1/stock", tag = "stock",
    responses((status = 200, body = StockLevels))
)]
pub async fn stock_levels(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<StockLevels>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.stock_levels(me))
            .await?,
    ))
}

/// The products with a low-stock threshold whose quantity on hand is at or
/// below it.
#[utoipa::path(
    get, path = "/api/v1/stock/low", tag = "stock",
    responses((status = 200, body = Vec<StockLevel>))
)]
pub async fn low_stock(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<StockLevel>>, ApiError> {
    Ok(Json(
        caller.call(&state, move |gx, me| gx.low_stock(me)).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockMoveFilter {
    /// Only this product's moves.
    product_id: Option<Id>,
}

/// Stock moves, newest day first, with the cost of what left by the
/// company's cost method as of now (admins and managers).
#[utoipa::path(
    get, path = "/api/v1/stock-moves", tag = "stock",
    params(StockMoveFilter),
    responses(
        (status = 200, body = Vec<StockMoveRow>),
        (status = 403, body = ErrorJson),
        (status = 404, description = "No such product", body = ErrorJson),
    )
)]
pub async fn list_stock_moves(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<StockMoveFilter>,
) -> Result<Json<Vec<StockMoveRow>>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.stock_moves(me, filter.product_id))
            .await?,
    ))
}

/// Record goods bought in (admins and managers); the date may lie in the
/// past, and what it affects is repriced.
#[utoipa::path(
    post, path = "/api/v1/stock-moves/purchases", tag = "stock",
    request_body = StockInInput,
    responses(
        (status = 201, body = StockMove),
        (status = 403, body = ErrorJson),
        (status = 422, description = "Invalid input, or an unknown product", body = ErrorJson),
    )
)]
pub async fn stock_in(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<StockInInput>,
) -> Result<(StatusCode, Json<StockMove>), ApiError> {
    let made = caller
        .call(&state, move |gx, me| gx.stock_in(me, input))
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Record a correction after a count, `+` found or `-` lost, with a
/// reason (admins and managers). One that would leave the product short on
/// any day answers 422 `stock_shortage`, naming the product, the day and
/// what was on hand, and nothing is saved.
#[utoipa::path(
    post, path = "/api/v1/stock-moves/adjustments", tag = "stock",
    request_body = AdjustmentInput,
    responses(
        (status = 201, body = StockMove),
        (status = 403, body = ErrorJson),
        (status = 422, description = "Invalid input, an unknown product, or `stock_shortage`", body = ErrorJson),
    )
)]
pub async fn adjust_stock(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<AdjustmentInput>,
) -> Result<(StatusCode, Json<StockMove>), ApiError> {
    let made = caller
        .call(&state, move |gx, me| gx.adjust_stock(me, input))
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// A product's quantity on hand and the revenue, cost and gross margin of
/// all that was delivered of it (admins and managers).
#[utoipa::path(
    get, path = "/api/v1/products/{id}/margin", tag = "stock",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = ProductMargin),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn product_margin(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<ProductMargin>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.product_margin(me, id))
            .await?,
    ))
}
