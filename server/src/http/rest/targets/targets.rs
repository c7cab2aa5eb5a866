//! Targets: the list, one target, its progress, its edits and deletion,
//! and the split the editor shows before saving.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{
    Id, SalesTarget, SalesTargetInput, SalesTargetRow, TargetProgress, TargetSplitPreview,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// Only this year's.
    #[param(minimum = 2000, maximum = 2100)]
    year: Option<i32>,
}

/// The targets the caller may see (an admin all; a manager the company's,
/// their team's, their reps', the regions' and products'; a rep their
/// own), newest year first.
#[utoipa::path(
    get, path = "/api/v1/targets", tag = "targets",
    params(TargetQuery),
    responses((status = 200, body = Vec<SalesTargetRow>))
)]
pub async fn list_targets(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<TargetQuery>,
) -> Result<Json<Vec<SalesTargetRow>>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.targets(me, q.year))
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = SalesTargetRow, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_target(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let row = caller.call(&state, move |gx, me| gx.target(me, id)).await?;
    Ok(tagged(StatusCode::OK, row))
}

/// Progress month-, quarter- and year-to-date (to today, within the
/// target's year): target, actual, share reached, the same days a year
/// earlier and what is still needed per day.
#[utoipa::path(
    get, path = "/api/v1/targets/{id}/progress", tag = "targets",
    params(("id" = Id, Path)),
    responses((status = 200, body = TargetProgress), (status = 404, body = ErrorJson))
)]
pub async fn target_progress(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<TargetProgress>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.target_progress(me, id))
            .await?,
    ))
}

/// The twelve months a target would get (evenly, by last year's months,
/// or as typed and checked), without saving it.
#[utoipa::path(
    post, path = "/api/v1/targets/split", tag = "targets",
    request_body = SalesTargetInput,
    responses(
        (status = 200, body = TargetSplitPreview),
        (status = 403, body = ErrorJson),
        (status = 422, description = "Invalid input, or `months_mismatch`: typed months that do not add up to the year", body = ErrorJson),
    )
)]
pub async fn split_target(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<SalesTargetInput>,
) -> Result<Json<TargetSplitPreview>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.target_split(me, &input))
            .await?,
    ))
}

/// Set a target: admins any; a manager those of the reps of their team.
/// One per subject, year and measure.
#[utoipa::path(
    post, path = "/api/v1/targets", tag = "targets",
    request_body = SalesTargetInput,
    responses(
        (status = 201, body = SalesTarget, headers(("ETag" = String), ("Location" = String))),
        (status = 403, body = ErrorJson),
        (status = 422, description = "Invalid input, an unknown or taken subject, or `months_mismatch`", body = ErrorJson),
    )
)]
pub async fn create_target(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<SalesTargetInput>,
) -> Result<Response, ApiError> {
    let target = caller
        .call(&state, move |gx, me| gx.create_target(me, input))
        .await?;
    let location = format!("/api/v1/targets/{}", target.id);
    Ok(created(target, location))
}

/// An edit of a target.
pub type TargetEdit = Edit<SalesTargetInput>;

impl EditSchema for SalesTargetInput {
    const EDIT_SCHEMA: &'static str = "TargetEdit";
}

#[utoipa::path(
    put, path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Id, Path), IfMatch),
    request_body = TargetEdit,
    responses(
        (status = 200, body = SalesTarget, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved a newer version", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_target(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<TargetEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_target(me, id, version, input)
    })
    .await
}

#[utoipa::path(
    delete, path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_target(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_target(me, id, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
