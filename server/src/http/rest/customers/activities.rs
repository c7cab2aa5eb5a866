//! Calls, visits, messages, meetings and notes on a customer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guanxi_core::model::{Activity, ActivityInput, Id};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId, QueryOf};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityPage {
    /// At most this many: 50 unless given, 500 at most.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// Only activities older than this one: the last id of the previous page.
    before: Option<Id>,
}

/// A customer's activities, newest first.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/activities", tag = "activities",
    params(("id" = Id, Path, description = "The customer's id"), ActivityPage),
    responses((status = 200, body = Vec<Activity>), (status = 404, body = ErrorJson))
)]
pub async fn list_activities(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
    QueryOf(page): QueryOf<ActivityPage>,
) -> Result<Json<Vec<Activity>>, ApiError> {
    let limit = page
        .limit
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let activities = caller
        .call(&state, move |gx, me| {
            gx.customer_activities(me, customer, page.before, limit)
        })
        .await?;
    Ok(Json(activities))
}

/// Log a call, visit, message, meeting or note on a customer; `at` (when it
/// happened, now by default, never in the future) and `deal_id` (one of the
/// customer's deals it was about) are optional.
#[utoipa::path(
    post, path = "/api/v1/activities", tag = "activities",
    request_body = ActivityInput,
    responses((status = 201, body = Activity), (status = 422, body = ErrorJson))
)]
pub async fn log_activity(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<ActivityInput>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let activity = caller
        .call(&state, move |gx, me| gx.log_activity(me, input))
        .await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// Move an activity to the recycle bin (`/api/v1/recycle-bin/records`):
/// only whoever logged it, or an admin.
#[utoipa::path(
    delete, path = "/api/v1/activities/{id}", tag = "activities",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_activity(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_activity(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
