//! The search box over customers and contacts.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::Hit;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, QueryOf};

const SEARCH_HITS: usize = 20;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name, phone number or email; Chinese substrings match.
    #[serde(default)]
    q: String,
}

/// Customers and contacts the caller may see, as the search box finds them.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "customers",
    params(SearchQuery),
    responses((status = 200, body = Vec<Hit>))
)]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(query): QueryOf<SearchQuery>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    let hits = caller
        .call(&state, move |gx, me| gx.search(me, &query.q, SEARCH_HITS))
        .await?;
    Ok(Json(hits))
}
