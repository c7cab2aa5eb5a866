//! The company's own customer types, beside the four built-in ones
//! (`potential`, `signed`, `agent`, `invalid`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guanxi_core::model::CustomerTypes;
use guanxi_core::service::Actor;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody};

/// The company's own types, retired ones included.
#[utoipa::path(
    get, path = "/api/v1/customer-types", tag = "customers",
    responses((status = 200, body = CustomerTypes))
)]
pub async fn list_customer_types(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CustomerTypes>, ApiError> {
    Ok(Json(
        caller.call(&state, |gx, _| gx.customer_types()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCustomerType {
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    label: String,
    /// The `version` of the types as read.
    version: u64,
}

/// Add a type (admins); its code (`custom-N`) is what customers keep.
#[utoipa::path(
    post, path = "/api/v1/customer-types", tag = "customers",
    request_body = NewCustomerType,
    responses((status = 201, body = CustomerTypes), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn add_customer_type(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewCustomerType>,
) -> Result<(StatusCode, Json<CustomerTypes>), ApiError> {
    let saved = caller
        .call(&state, move |gx, me| {
            gx.add_customer_type(Actor::User(me), &body.label, body.version)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

#[derive(Deserialize, ToSchema)]
pub struct CustomerTypeChange {
    /// A new label; left out keeps the label.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    label: Option<String>,
    /// `true` retires the type (it stays on its customers, and is no longer
    /// offered), `false` offers it again; left out keeps it as it is.
    #[serde(default)]
    retired: Option<bool>,
    /// The `version` of the types as read.
    version: u64,
}

/// Rename or retire a type the company added (admins).
#[utoipa::path(
    put, path = "/api/v1/customer-types/{code}", tag = "customers",
    params(("code" = String, Path, description = "The type's code, e.g. `custom-1`", pattern = "^[A-Za-z0-9_-]{1,50}$")),
    request_body = CustomerTypeChange,
    responses((status = 200, body = CustomerTypes), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn change_customer_type(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<CustomerTypeChange>,
) -> Result<Json<CustomerTypes>, ApiError> {
    let saved = caller
        .call(&state, move |gx, me| {
            let mut version = body.version;
            let mut types = gx.customer_types()?;
            if let Some(label) = &body.label {
                types = gx.rename_customer_type(Actor::User(me), &code, label, version)?;
                version = types.version;
            }
            if let Some(retired) = body.retired {
                types = gx.retire_customer_type(Actor::User(me), &code, retired, version)?;
            }
            Ok(types)
        })
        .await?;
    Ok(Json(saved))
}
