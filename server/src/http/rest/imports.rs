//! The spreadsheet import after its upload (`POST /api/v1/imports`, in
//! `upload.rs`): the preview, a dry run of a column mapping, the run itself
//! and its progress. A job belongs to whoever uploaded it, imports the kind
//! of record it was uploaded as (customers or products), and lives in
//! memory until the server restarts.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{
    DuplicateMode, Id, ImportPlan, ImportPreview, ImportStatus, Target, TypeMapping,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiError, Caller, ErrorJson, JsonBody, PathId};
use crate::http::AppState;

/// An uploaded file as parsed: headers, a sample and the suggested mapping.
#[utoipa::path(
    get, path = "/api/v1/imports/{id}", tag = "imports",
    params(("id" = Id, Path, description = "The job, from the upload")),
    responses((status = 200, body = ImportPreview), (status = 404, body = ErrorJson))
)]
pub async fn import_preview(
    State(state): State<AppState>,
    caller: Caller,
    PathId(job): PathId,
) -> Result<Json<ImportPreview>, ApiError> {
    caller
        .call(&state, move |gx, me| gx.import_preview(me, job))
        .await
        .map(Json)
}

/// Where a run is: ready, running (rows done of total), finished with its
/// counts, or failed.
#[utoipa::path(
    get, path = "/api/v1/imports/{id}/status", tag = "imports",
    params(("id" = Id, Path)),
    responses((status = 200, body = ImportStatus), (status = 404, body = ErrorJson))
)]
pub async fn import_status(
    State(state): State<AppState>,
    caller: Caller,
    PathId(job): PathId,
) -> Result<Json<ImportStatus>, ApiError> {
    caller
        .call(&state, move |gx, me| gx.import_status(me, job))
        .await
        .map(Json)
}

/// How to read the file's columns.
#[derive(Deserialize, ToSchema)]
pub struct ImportMapping {
    /// One target per column, in column order (as many as the preview's
    /// `headers`), of the job's kind: `ignore` or the customer targets for
    /// customers, `ignore` or the product targets (`product_code`, needed,
    /// `product_name`, `unit`, `category`, `list_price`, `standard_cost`,
    /// `active`, `low_stock_threshold`) for products.
    mapping: Vec<Target>,
    /// What to do with a row like an existing customer, or with a product
    /// row whose code exists (letter case aside): `skip`, `update` it with
    /// the row's non-empty cells, or (products) `create`, which makes such
    /// a row a failed row since codes are unique.
    #[serde(default)]
    mode: DuplicateMode,
    /// What to do with each type value the company does not know
    /// (customers).
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, guanxi_core::model::TypeChoice>)]
    types: TypeMapping,
}

/// What the import would create, update, skip and refuse, writing nothing.
#[utoipa::path(
    post, path = "/api/v1/imports/{id}/dry-run", tag = "imports",
    params(("id" = Id, Path)),
    request_body = ImportMapping,
    responses(
        (status = 200, body = ImportPlan),
        (status = 403, description = "Creating types is for admins; importing products for admins and managers", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 422, description = "A mapping whose length is not the file's column count, without its key column (customer name, product code), with a target of another kind or twice, or a type choice that is no type", body = ErrorJson),
    )
)]
pub async fn import_dry_run(
    State(state): State<AppState>,
    caller: Caller,
    PathId(job): PathId,
    JsonBody(body): JsonBody<ImportMapping>,
) -> Result<Json<ImportPlan>, ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.import_dry_run(me, job, &body.mapping, body.mode, &body.types)
        })
        .await
        .map(Json)
}

/// Import the rows, a batch per transaction, and answer what was done;
/// `GET /api/v1/imports/{id}/status` shows progress meanwhile.
#[utoipa::path(
    post, path = "/api/v1/imports/{id}/run", tag = "imports",
    params(("id" = Id, Path)),
    request_body = ImportMapping,
    responses(
        (status = 200, body = ImportPlan),
        (status = 403, description = "Creating types is for admins; importing products for admins and managers", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "The job is running or done already", body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn run_import(
    State(state): State<AppState>,
    caller: Caller,
    PathId(job): PathId,
    JsonBody(body): JsonBody<ImportMapping>,
) -> Result<Json<ImportPlan>, ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.run_import(me, job, &body.mapping, body.mode, &body.types)
        })
        .await
        .map(Json)
}
