//! Server functions of the spreadsheet import. The upload itself is a plain
//! multipart form post to `/api/v1/imports` (see the server's REST module).

use guanxi_core::model::{self, DuplicateMode, Id, ImportPlan, Target, TypeMapping};
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "get_import_preview")]
pub async fn get_import_preview(job: Id) -> Result<model::ImportPreview, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.import_preview(&me, job)).await
}

/// The mapping travels as JSON: one target per column, in column order;
/// `types` says what to do with type values the company does not know.
#[server(endpoint = "import_dry_run", input = leptos::server_fn::codec::Json)]
pub async fn import_dry_run(
    job: Id,
    mapping: Vec<Target>,
    mode: DuplicateMode,
    #[server(default)] types: TypeMapping,
) -> Result<ImportPlan, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.import_dry_run(&me, job, &mapping, mode, &types)).await
}

#[server(endpoint = "run_import", input = leptos::server_fn::codec::Json)]
pub async fn run_import(
    job: Id,
    mapping: Vec<Target>,
    mode: DuplicateMode,
    #[server(default)] types: TypeMapping,
) -> Result<ImportPlan, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.run_import(&me, job, &mapping, mode, &types)).await
}

#[server(endpoint = "get_import_status")]
pub async fn get_import_status(job: Id) -> Result<model::ImportStatus, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.import_status(&me, job)).await
}
