//! Server functions of files on customers and deals. Uploads are plain
//! multipart form posts to the REST API (`/api/v1/customers/{id}/files`,
//! `/api/v1/deals/{id}/files`), so they work before the page's WASM loads.

use guanxi_core::model::{FileMeta, Id};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A deal's files, and whether the caller may add and delete them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealFileList {
    pub files: Vec<FileMeta>,
    pub can_edit: bool,
}

#[server(endpoint = "deal_files")]
pub async fn deal_files(deal: Id) -> Result<DealFileList, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        Ok(DealFileList {
            files: gx.deal_files(&me, deal)?,
            can_edit: gx.may_change_deal_files(&me, deal),
        })
    })
    .await
}

/// Deletes a file of a customer or a deal.
#[server(endpoint = "delete_file")]
pub async fn delete_file(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_file(&me, id).map(|_| ())).await
}
