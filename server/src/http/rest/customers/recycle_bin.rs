//! The recycle bin (admins): the customers `DELETE /api/v1/customers/{id}`
//! put there, and the deals, contacts and activities their `DELETE`s put
//! there, to restore or purge for good.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{BinnedRecord, Customer, Id};
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

/// The deals, contacts and activities in the recycle bin (what their
/// `DELETE` put there), most recently deleted first.
#[utoipa::path(
    get, path = "/api/v1/recycle-bin/records", tag = "customers",
    responses((status = 200, body = Vec<BinnedRecord>), (status = 403, body = ErrorJson))
)]
pub async fn list_binned_records(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<BinnedRecord>>, ApiError> {
    let binned = caller
        .call(&state, |gx, me| gx.binned_records(Actor::User(me)))
        .await?;
    Ok(Json(binned))
}

/// Put a deal, contact or activity back as it was: a deal in its stage with
/// its history, linked again to what was about it. Its customer must not be
/// in the recycle bin (409 `restore_customer_first`); a deal whose stage
/// has been removed since is refused (422).
#[utoipa::path(
    post, path = "/api/v1/recycle-bin/records/{id}/restore", tag = "customers",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = BinnedRecord),
        (status = 403, body = ErrorJson),
        (status = 404, description = "Not in the recycle bin", body = ErrorJson),
        (status = 409, description = "Its customer is in the recycle bin", body = ErrorJson),
        (status = 422, description = "The deal's stage is gone", body = ErrorJson),
    )
)]
pub async fn restore_binned_record(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<BinnedRecord>, ApiError> {
    let restored = caller
        .call(&state, move |gx, me| {
            gx.restore_binned(Actor::User(me), me.id, id)
        })
        .await?;
    Ok(Json(restored))
}

/// Delete a deal, contact or activity in the recycle bin for good.
#[utoipa::path(
    delete, path = "/api/v1/recycle-bin/records/{id}", tag = "customers",
    params(("id" = Id, Path)),
    responses(
        (status = 204),
        (status = 403, body = ErrorJson),
        (status = 404, description = "Not in the recycle bin", body = ErrorJson),
    )
)]
pub async fn purge_binned_record(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.purge_binned(Actor::User(me), id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
