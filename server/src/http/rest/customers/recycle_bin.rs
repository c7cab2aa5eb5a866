//! The recycle bin of customers (admins): what `DELETE /api/v1/customers/{id}`
//! put there, to restore or purge for good.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{Customer, Id};
use guanxi_core::service::Actor;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, PathId, tagged};

/// The customers in the recycle bin, most recently deleted first.
#[utoipa::path(
    get, path = "/api/v1/recycle-bin", tag = "customers",
    responses((status = 200, body = Vec<Customer>), (status = 403, body = ErrorJson))
)]
pub async fn list_recycled(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Customer>>, ApiError> {
    let mut binned = caller
        .call(&state, |gx, me| gx.recycled_customers(Actor::User(me)))
        .await?;
    binned.sort_by_key(|c| std::cmp::Reverse(c.deleted_at));
    Ok(Json(binned))
}

/// Put a customer back where it was, with its contacts and history.
#[utoipa::path(
    post, path = "/api/v1/recycle-bin/{id}/restore", tag = "customers",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, description = "Not in the recycle bin", body = ErrorJson),
    )
)]
pub async fn restore_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let customer = caller
        .call(&state, move |gx, me| {
            gx.restore_customer(Actor::User(me), me.id, id)
        })
        .await?;
    Ok(tagged(StatusCode::OK, customer))
}

/// Delete a customer in the recycle bin for good, with its contacts,
/// activities, tasks, files and deals. Its audit lines stay.
#[utoipa::path(
    delete, path = "/api/v1/recycle-bin/{id}", tag = "customers",
    params(("id" = Id, Path)),
    responses(
        (status = 204),
        (status = 403, body = ErrorJson),
        (status = 404, description = "Not in the recycle bin", body = ErrorJson),
    )
)]
pub async fn purge_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.purge_customer(Actor::User(me), id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
