//! The target planner.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{Plan, PlannerParams};

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, QueryOf};

/// How many won deals, new customers and visits each quarter of a rep's
/// or team's revenue target needs: from the saved target (or `target`),
/// the average won deal and the conversion rates visits → new customers
/// → won deals measured over the last `window` months, each replaceable
/// by a what-if value.
#[utoipa::path(
    get, path = "/api/v1/planner", tag = "targets",
    params(PlannerParams),
    responses(
        (status = 200, body = Plan),
        (status = 422, description = "A what-if that does not parse, or a rep or team the caller may not plan for", body = ErrorJson),
    )
)]
pub async fn planner(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<PlannerParams>,
) -> Result<Json<Plan>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.target_plan(me, &params))
            .await?,
    ))
}
