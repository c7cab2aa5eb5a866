//! Pipelines: their stages, their boards, and shaping them (admins).

use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::Error;
use guanxi_core::model::{Board, Id, Pipeline};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::DealQuery;
use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, EditBody, ErrorJson, IfMatch, JsonBody, PathId, QueryOf, VersionedEdit,
    edited_version, tagged,
};

/// Every pipeline with its stages in board order.
#[utoipa::path(
    get, path = "/api/v1/pipelines", tag = "deals",
    responses((status = 200, body = Vec<Pipeline>))
)]
pub async fn list_pipelines(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Pipeline>>, ApiError> {
    Ok(Json(caller.call(&state, |gx, _| gx.pipelines()).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CardLimit {
    /// Cards per column: 50 unless given, 500 at most. The column totals
    /// and `more` count every matching deal.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

/// One pipeline's board as the caller may see it: a column per stage with
/// count, amount and weighted amount of the matching deals, and the first
/// of their cards.
#[utoipa::path(
    get, path = "/api/v1/pipelines/{id}/board", tag = "deals",
    params(("id" = Id, Path), DealQuery, CardLimit),
    responses(
        (status = 200, body = Board),
        (status = 404, body = ErrorJson),
        (status = 422, description = "A filter that does not parse", body = ErrorJson),
    )
)]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    QueryOf(query): QueryOf<DealQuery>,
    QueryOf(limit): QueryOf<CardLimit>,
) -> Result<Json<Board>, ApiError> {
    let board = caller
        .call(&state, move |gx, me| {
            let filter = query.filter(limit.limit.unwrap_or(0))?;
            gx.board(me, id, chrono::Utc::now(), &filter)
        })
        .await?;
    Ok(Json(board))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPipeline {
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    name: String,
}

/// Add a pipeline with the default stages (admins).
#[utoipa::path(
    post, path = "/api/v1/pipelines", tag = "deals",
    request_body = NewPipeline,
    responses((status = 201, body = Pipeline, headers(("ETag" = String))), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn create_pipeline(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewPipeline>,
) -> Result<Response, ApiError> {
    let pipeline = caller
        .call(&state, move |gx, me| gx.create_pipeline(me, &body.name))
        .await?;
    Ok(tagged(StatusCode::CREATED, pipeline))
}

/// Save a pipeline as a whole (admins): its name and its stages in board
/// order, open stages first, then one won and one lost. A stage sent with
/// an id the pipeline does not have is new; a stage left out is removed,
/// which is refused (`field`: `stage`) while it holds deals.
#[utoipa::path(
    put, path = "/api/v1/pipelines/{id}", tag = "deals",
    params(("id" = Id, Path), IfMatch),
    request_body = Pipeline,
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn save_pipeline(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Pipeline>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, mut pipeline, version| {
        pipeline.id = id;
        pipeline.version = version;
        gx.save_pipeline(me, pipeline)
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageRemoval {
    /// The open stage that takes the removed stage's deals.
    move_to: Id,
    /// The pipeline version, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Remove an open stage (admins), moving its deals to `move_to`.
#[utoipa::path(
    delete, path = "/api/v1/pipelines/{id}/stages/{stage_id}", tag = "deals",
    params(("id" = Id, Path), ("stage_id" = Id, Path), StageRemoval),
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn remove_stage(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, stage)): Path<(String, String)>,
    QueryOf(removal): QueryOf<StageRemoval>,
) -> Result<Response, ApiError> {
    let version = edited_version(&headers, removal.version, caller.locale)?;
    let (Ok(id), Ok(stage)) = (id.parse::<Id>(), stage.parse::<Id>()) else {
        return Err(caller.refuse(Error::NotFound));
    };
    let saved = caller
        .call(&state, move |gx, me| {
            gx.remove_stage(me, id, stage, removal.move_to, version)
        })
        .await?;
    Ok(tagged(StatusCode::OK, saved))
}

// A pipeline is saved whole, so the version it was read at travels inside it.
impl EditBody for Pipeline {
    type Input = Pipeline;
    fn split(self) -> (Pipeline, Option<u64>) {
        let version = self.version;
        (self, Some(version))
    }
}
