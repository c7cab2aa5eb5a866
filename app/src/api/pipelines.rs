//! Server functions of the pipelines admin page.

use guanxi_core::model::{Id, Pipeline};
use leptos::prelude::*;

use crate::error::AppError;

pub use guanxi_core::model::PipelineDraft;

#[server(endpoint = "pipeline_drafts")]
pub async fn pipeline_drafts() -> Result<Vec<PipelineDraft>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.pipeline_drafts(&me)).await
}

#[server(endpoint = "create_pipeline")]
pub async fn create_pipeline(name: String) -> Result<Pipeline, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.create_pipeline(&me, &name)).await
}

#[server(endpoint = "save_pipeline", input = leptos::server_fn::codec::Json)]
pub async fn save_pipeline(pipeline: Pipeline) -> Result<Pipeline, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.save_pipeline(&me, pipeline)).await
}

/// Removes a stage, moving its deals to `move_to` first.
#[server(endpoint = "remove_stage")]
pub async fn remove_stage(
    pipeline_id: Id,
    stage_id: Id,
    move_to: Id,
    version: u64,
) -> Result<Pipeline, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.remove_stage(&me, pipeline_id, stage_id, move_to, version)).await
}

/// A fresh id for a stage the admin adds in the browser.
#[server(endpoint = "new_stage_id")]
pub async fn new_stage_id() -> Result<Id, AppError> {
    Ok(Id::generate())
}

#[server(endpoint = "set_close_reasons", input = leptos::server_fn::codec::Json)]
pub async fn set_close_reasons(
    reasons: guanxi_core::model::CloseReasons,
) -> Result<guanxi_core::model::CloseReasons, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.set_close_reasons(&me, reasons)).await
}
