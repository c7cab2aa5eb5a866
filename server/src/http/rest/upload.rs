//! File uploads: a spreadsheet to import, or a vCard file of contacts. Both
//! are multipart form posts, so they work from a plain `<form>` before the
//! page's WASM has loaded. A browser (asking for HTML) is sent on to the next
//! page; an API client gets JSON.

use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guanxi_core::model::Id;
use guanxi_core::{Error, Field, Problem};
use serde::Deserialize;

use super::{ApiError, Caller};
use crate::http::AppState;

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The first file field of the form: (file name, bytes).
async fn read_file(caller: &Caller, mut form: Multipart) -> Result<(String, Vec<u8>), ApiError> {
    let bad = |problem| ApiError(Error::invalid(Field::File, problem), caller.locale);
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

/// `POST /api/v1/imports`: parses a spreadsheet and returns its preview.
pub async fn upload_import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, ApiError> {
    let (name, bytes) = read_file(&caller, form).await?;
    let preview = caller
        .call(&state, move |gx, me| gx.upload_import(me, &name, &bytes))
        .await?;
    Ok(if wants_html(&headers) {
        Redirect::to(&format!("/customers/import/{}", preview.job)).into_response()
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
    Query(target): Query<VcardTarget>,
    form: Multipart,
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
