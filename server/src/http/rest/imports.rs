//! The spreadsheet import after its upload (`POST /api/v1/imports`, in
//! `upload.rs`): the preview, a dry run of a column mapping, the run itself
//! and its progress. A job belongs to whoever uploaded it, imports the kind
//! of record it was uploaded as (customers, products or past orders), and lives in
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
    /// `active`, `low_stock_threshold`) for products, `ignore` or the order
    /// targets (`order_number`, `order_customer`, `sign_date` and
    /// `quantity`, needed, `line_product` or `line_description`, needed,
    /// `line_unit`, `unit_price`, `discount`, `tax_rate`, `order_owner`,
    /// `amount_received`, `received_on`) for orders.
    mapping: Vec<Target>,
    /// What to do with a row like an existing customer, or with a product
    /// row whose code exists (letter case aside): `skip`, `update` it with
    /// the row's non-empty cells, or (products) `create`, which makes such
    /// a row a failed row since codes are unique. An order whose number a
    /// contract has is skipped (`skip`, and `update`: an import never
    /// changes a contract) or a failed order (`create`).
    #[serde(default)]
    mode: DuplicateMode,
    /// What to do with each type value the company does not know
    /// (customers).
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, guanxi_core::model::TypeChoice>)]
    types: TypeMapping,
}

/// What the import would create, update, skip and refuse, writing nothing;
/// for orders, the orders it would create (with their lines and
/// payments), skip and refuse, each bad row listed with its problem.
#[utoipa::path(
    post, path = "/api/v1/imports/{id}/dry-run", tag = "imports",
    params(("id" = Id, Path)),
    request_body = ImportMapping,
    responses(
        (status = 200, body = ImportPlan),
        (status = 403, description = "Creating types is for admins; importing products and orders for admins and managers", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 422, description = "A mapping whose length is not the file's column count, without its key columns (customer name; product code; order number, customer, sign date, quantity and a product code or description), with a target of another kind or twice, or a type choice that is no type", body = ErrorJson),
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
        (status = 403, description = "Creating types is for admins; importing products and orders for admins and managers", body = ErrorJson),
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
