//! File uploads: a spreadsheet to import, or a vCard file of contacts. Both
//! are multipart form posts, so they work from a plain `<form>` before the
//! page's WASM has loaded. A browser (asking for HTML) is sent on to the next
//! page; an API client gets JSON.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guanxi_core::model::{FileMeta, Id, ImportKind};
use guanxi_core::{Error, Field, Problem};
use serde::Deserialize;

use super::extract::Form;
use super::{ApiError, Caller, PathId, QueryOf};
use crate::http::AppState;

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The first file field of the form: (file name, bytes).
async fn read_file(caller: &Caller, mut form: Multipart) -> Result<(String, Vec<u8>), ApiError> {
    let bad = |problem| caller.refuse(Error::invalid(Field::File, problem));
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| bad(Problem::Malformed))?
    {
        if field.file_name().is_none() {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|_| {
            bad(Problem::TooLong {
                max: (guanxi_core::service::MAX_IMPORT_BYTES / 1024 / 1024) as u32,
            })
        })?;
        if bytes.is_empty() {
            return Err(bad(Problem::Required));
        }
        return Ok((name, bytes.to_vec()));
    }
    Err(bad(Problem::Required))
}

#[derive(Deserialize)]
pub struct ImportOf {
    /// What the sheet's rows are; customers unless said.
    #[serde(default)]
    kind: ImportKind,
}

/// `POST /api/v1/imports[?kind=products|orders]`: parses a spreadsheet and returns
/// its preview.
pub async fn upload_import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    QueryOf(of): QueryOf<ImportOf>,
    Form(form): Form,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_file(&caller, form).await?;
    let preview = caller
        .call(&state, move |gx, me| match of.kind {
            ImportKind::Customers => gx.upload_import(me, &name, &bytes),
            ImportKind::Products => gx.upload_product_import(me, &name, &bytes),
            ImportKind::Orders => gx.upload_order_import(me, &name, &bytes),
        })
        .await?;
    Ok(if wants_html(&headers) {
        let page = match preview.kind {
            ImportKind::Customers => "customers",
            ImportKind::Products => "products",
            ImportKind::Orders => "contracts",
        };
        Redirect::to(&format!("/{page}/import/{}", preview.job)).into_response()
    } else {
        (StatusCode::CREATED, Json(preview)).into_response()
    })
}

#[derive(Deserialize)]
pub struct VcardTarget {
    /// Add the cards to this customer; without it each card becomes a
    /// person-customer.
    customer: Option<Id>,
}

/// `POST /api/v1/vcards[?customer=ID]`.
pub async fn upload_vcards(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    QueryOf(target): QueryOf<VcardTarget>,
    Form(form): Form,
) -> Result<Response, ApiError> {
    let (_, bytes) = read_file(&caller, form).await?;
    let customer = target.customer;
    let report = caller
        .call(&state, move |gx, me| gx.import_vcards(me, &bytes, customer))
        .await?;
    Ok(if wants_html(&headers) {
        let back = match customer {
            Some(id) => format!(
                "/customers/{id}?vcards={}&failed={}",
                report.added,
                report.problems.len()
            ),
            None => format!(
                "/customers?sort=-created&vcards={}&failed={}",
                report.added,
                report.problems.len()
            ),
        };
        Redirect::to(&back).into_response()
    } else {
        (StatusCode::CREATED, Json(report)).into_response()
    })
}

/// `POST /api/v1/customers/{id}/files`: attaches the uploaded file.
pub async fn upload_file(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(customer): PathId,
    Form(form): Form,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_file(&caller, form).await?;
    let meta = caller
        .call(&state, move |gx, me| {
            gx.attach_file(me, customer, &name, &bytes)
        })
        .await?;
    Ok(if wants_html(&headers) {
        Redirect::to(&format!("/customers/{customer}")).into_response()
    } else {
        (StatusCode::CREATED, Json(meta)).into_response()
    })
}

/// `POST /api/v1/deals/{id}/files`: attaches the uploaded file to a deal
/// (and so to its customer).
pub async fn upload_deal_file(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(deal): PathId,
    Form(form): Form,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_file(&caller, form).await?;
    let meta = caller
        .call(&state, move |gx, me| {
            gx.attach_deal_file(me, deal, &name, &bytes)
        })
        .await?;
    Ok(if wants_html(&headers) {
        Redirect::to(&format!("/deals/{deal}")).into_response()
    } else {
        (StatusCode::CREATED, Json(meta)).into_response()
    })
}

/// `GET /api/v1/deals/{id}/files`: a deal's files, newest first.
pub async fn list_deal_files(
    State(state): State<AppState>,
    caller: Caller,
    PathId(deal): PathId,
) -> Result<Json<Vec<FileMeta>>, ApiError> {
    caller
        .call(&state, move |gx, me| gx.deal_files(me, deal))
        .await
        .map(Json)
}

/// `GET /api/v1/customers/{id}/files`: a customer's files, its deals'
/// included, newest first.
pub async fn list_customer_files(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
) -> Result<Json<Vec<FileMeta>>, ApiError> {
    caller
        .call(&state, move |gx, me| gx.files(me, customer))
        .await
        .map(Json)
}

/// `DELETE /api/v1/files/{id}`: whoever may edit the file's deal (or, for a
/// customer's own file, its customer).
pub async fn delete_file(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_file(me, id))
        .await
        .map(|_| StatusCode::NO_CONTENT)
}

/// `GET /api/v1/files/{id}`: the bytes with their type; images inline, all
/// else as a download, and never sniffed into something runnable.
pub async fn download_file(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let (meta, bytes) = caller.call(&state, move |gx, me| gx.file(me, id)).await?;
    let disposition = if meta.is_previewable_image() {
        "inline"
    } else {
        "attachment"
    };
    // RFC 6266/5987: the UTF-8 name percent-encoded, for Chinese file names.
    let encoded: String = meta
        .name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response())
}
