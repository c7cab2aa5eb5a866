//! One action on many customers at once, as the list's bulk bar does: each
//! customer in its own transaction, so one that fails is counted and the
//! rest go ahead.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{BulkOutcome, Id};
use guanxi_core::service::BulkAction;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody};

/// What to do to each customer.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Add a tag.
    AddTag {
        #[schema(
            min_length = 1,
            max_length = 50,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )]
        tag: String,
    },
    /// Give back to the public pool.
    Release,
    /// Hand to a user, or to the pool with `null` (managers and admins).
    Assign { to: Option<Id> },
}

#[derive(Deserialize, ToSchema)]
pub struct Bulk {
    /// The customers, 1000 at most.
    #[schema(max_items = 1000)]
    ids: Vec<Id>,
    action: Action,
    /// An admin's reason for assigning over the receiver's holding limit.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    override_reason: Option<String>,
}

/// Tag, release or assign many customers; answers how many were done and
/// why the first skipped one was skipped (gone, not allowed, over the limit).
#[utoipa::path(
    post, path = "/api/v1/customers/bulk", tag = "customers",
    request_body = Bulk,
    responses((status = 200, body = BulkOutcome), (status = 422, body = ErrorJson))
)]
pub async fn bulk_customers(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Bulk>,
) -> Result<Json<BulkOutcome>, ApiError> {
    let action = match body.action {
        Action::AddTag { tag } => BulkAction::AddTag(tag),
        Action::Release => BulkAction::Release,
        Action::Assign { to } => BulkAction::Assign(to),
    };
    caller
        .call(&state, move |gx, me| {
            gx.bulk_customers_with(me, &body.ids, &action, body.override_reason.as_deref())
        })
        .await
        .map(Json)
}
