//! Deliveries against the lines of a contract, with the margin of each line.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guanxi_core::model::{ContractStock, DeliveryInput, Id, StockMove};

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId};

/// A contract's deliveries (newest first), each line's delivered quantity,
/// revenue, cost and gross margin by the company's cost method, and the
/// contract's completion.
#[utoipa::path(
    get, path = "/api/v1/contracts/{id}/deliveries", tag = "stock",
    params(("id" = Id, Path)),
    responses((status = 200, body = ContractStock), (status = 404, body = ErrorJson))
)]
pub async fn contract_deliveries(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<ContractStock>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.contract_stock(me, id))
            .await?,
    ))
}

/// Deliver goods of a line of an executing contract. More than the line
/// has left to deliver answers 422 `over_delivery`; more than is on hand
/// that day, or a backdated delivery that would leave a later one short,
/// 422 `stock_shortage` naming the product, the day and what was on hand.
/// Nothing is saved then.
#[utoipa::path(
    post, path = "/api/v1/contracts/{id}/deliveries", tag = "stock",
    params(("id" = Id, Path)),
    request_body = DeliveryInput,
    responses(
        (status = 201, body = StockMove),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`wrong_status`: the contract is not executing", body = ErrorJson),
        (status = 422, description = "Invalid input, a line without a product, `over_delivery` or `stock_shortage`", body = ErrorJson),
    )
)]
pub async fn deliver(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(input): JsonBody<DeliveryInput>,
) -> Result<(StatusCode, Json<StockMove>), ApiError> {
    let made = caller
        .call(&state, move |gx, me| gx.deliver(me, id, input))
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}
