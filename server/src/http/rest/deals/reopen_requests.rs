//! Asking for a won or lost deal to be reopened, and deciding.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guanxi_core::model::{Id, ReopenRequest};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId, QueryOf};

#[derive(Deserialize, ToSchema)]
pub struct ReopenAsk {
    /// Why the deal should be reopened.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    note: String,
}

/// Ask for a won or lost deal to be reopened; a manager of its lead owner
/// or an admin decides.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/reopen-requests", tag = "deals",
    params(("id" = Id, Path)),
    request_body = ReopenAsk,
    responses(
        (status = 201, body = ReopenRequest),
        (status = 422, description = "The deal is open, or a request is pending already (`field`: `reopen`)", body = ErrorJson),
    )
)]
pub async fn request_reopen(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<ReopenAsk>,
) -> Result<(StatusCode, Json<ReopenRequest>), ApiError> {
    let request = caller
        .call(&state, move |gx, me| gx.request_reopen(me, id, &body.note))
        .await?;
    Ok((StatusCode::CREATED, Json(request)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReopenList {
    /// `true`: the caller's own requests with their outcome, newest first;
    /// otherwise the pending ones the caller may decide.
    #[serde(default)]
    mine: bool,
}

/// Reopen requests: the caller's inbox, or with `mine=true` their own.
#[utoipa::path(
    get, path = "/api/v1/reopen-requests", tag = "deals",
    params(ReopenList),
    responses((status = 200, body = Vec<ReopenRequest>))
)]
pub async fn reopen_requests(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(list): QueryOf<ReopenList>,
) -> Result<Json<Vec<ReopenRequest>>, ApiError> {
    let requests = caller
        .call(&state, move |gx, me| match list.mine {
            true => gx.my_reopen_requests(me),
            false => gx.reopen_inbox(me),
        })
        .await?;
    Ok(Json(requests))
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenDecision {
    approve: bool,
    #[serde(default)]
    #[schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")]
    note: String,
}

/// Approve (the deal reopens in the stage it was closed from) or reject a
/// pending request.
#[utoipa::path(
    post, path = "/api/v1/reopen-requests/{id}", tag = "deals",
    params(("id" = Id, Path)),
    request_body = ReopenDecision,
    responses(
        (status = 200, body = ReopenRequest),
        (status = 403, body = ErrorJson),
        (status = 409, description = "Decided already", body = ErrorJson),
    )
)]
pub async fn decide_reopen(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<ReopenDecision>,
) -> Result<Json<ReopenRequest>, ApiError> {
    let request = caller
        .call(&state, move |gx, me| {
            gx.decide_reopen(me, id, body.approve, &body.note)
        })
        .await?;
    Ok(Json(request))
}
