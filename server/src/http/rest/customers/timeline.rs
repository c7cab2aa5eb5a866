//! A customer's 360° timeline: activities, tasks, changes, files and deal
//! stage changes, newest first, a page at a time.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{Id, TimelineEntry, TimelineKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, PathId, QueryOf};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelinePage {
    /// At most this many: 20 unless given.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
    /// Only entries of this kind.
    kind: Option<TimelineKind>,
    /// With `before_id`: only entries older than this one, the `at_micros`
    /// of the last entry of the previous page.
    before_micros: Option<i64>,
    /// The `id` of the last entry of the previous page.
    before_id: Option<Id>,
}

/// One entry and where it sorts.
#[derive(Serialize, ToSchema)]
pub struct TimelineItem {
    /// When, in microseconds since 1970: with `id`, the cursor of the next page.
    at_micros: i64,
    id: Id,
    entry: TimelineEntry,
}

/// A customer's timeline, newest first.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/timeline", tag = "customers",
    params(("id" = Id, Path), TimelinePage),
    responses((status = 200, body = Vec<TimelineItem>), (status = 404, body = ErrorJson))
)]
pub async fn customer_timeline(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
    QueryOf(page): QueryOf<TimelinePage>,
) -> Result<Json<Vec<TimelineItem>>, ApiError> {
    let cursor = page
        .before_micros
        .map(|at| (at, page.before_id.map_or(0, |id| id.0)));
    let limit = page.limit.unwrap_or(20);
    let items = caller
        .call(&state, move |gx, me| {
            gx.timeline_of_kind(me, customer, cursor, limit, page.kind)
        })
        .await?;
    Ok(Json(
        items
            .into_iter()
            .map(|((at_micros, id), entry)| TimelineItem {
                at_micros,
                id: Id(id),
                entry,
            })
            .collect(),
    ))
}
