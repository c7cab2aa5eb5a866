//! Handing a user's desk over to someone else.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{HandoverReport, Id};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId};

#[derive(Deserialize, ToSchema)]
pub struct Handover {
    /// Who takes over; `null` sends the customers to the public pool and
    /// the deals and open tasks to the caller.
    to: Option<Id>,
    /// An admin's reason to take the receiver over the holding limit; it is
    /// kept in each customer's history. Without it such a handover answers
    /// 409 `holding_limit`.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    override_reason: Option<String>,
}

/// Hand over everything a user holds — customers, open deals they lead,
/// open tasks — in one go (admins and the user's managers).
#[utoipa::path(
    post, path = "/api/v1/users/{id}/handover", tag = "deals",
    params(("id" = Id, Path, description = "The user handing over")),
    request_body = Handover,
    responses((status = 200, body = HandoverReport), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn handover(
    State(state): State<AppState>,
    caller: Caller,
    PathId(from): PathId,
    JsonBody(body): JsonBody<Handover>,
) -> Result<Json<HandoverReport>, ApiError> {
    let report = caller
        .call(&state, move |gx, me| {
            gx.handover_with(me, from, body.to, body.override_reason.as_deref())
        })
        .await?;
    Ok(Json(report))
}
