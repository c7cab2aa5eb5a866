//! The company's sales settings.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use guanxi_core::model::{SalesSettings, SalesSettingsInput};
use guanxi_core::service::Actor;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, VersionedEdit};

/// The default tax rate, discount limit, contract approval amount, cost
/// method and quote validity.
#[utoipa::path(
    get, path = "/api/v1/sales-settings", tag = "products",
    responses((status = 200, body = SalesSettings))
)]
pub async fn sales_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SalesSettings>, ApiError> {
    Ok(Json(
        caller.call(&state, |gx, _| gx.sales_settings()).await?,
    ))
}

/// An edit of the sales settings: rates in percent and amounts as typed.
pub type SalesSettingsEdit = Edit<SalesSettingsInput>;

impl EditSchema for SalesSettingsInput {
    const EDIT_SCHEMA: &'static str = "SalesSettingsEdit";
}

/// Replace the sales settings (admins), from the version read (0 before
/// they were first saved).
#[utoipa::path(
    put, path = "/api/v1/sales-settings", tag = "products",
    params(IfMatch),
    request_body = SalesSettingsEdit,
    responses(
        (status = 200, body = SalesSettings),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn set_sales_settings(
    State(state): State<AppState>,
    caller: Caller,
    edit: VersionedEdit<SalesSettingsEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_sales_settings(Actor::User(me), input, version)
    })
    .await
}
