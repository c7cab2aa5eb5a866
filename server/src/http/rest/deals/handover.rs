//! Handing a user's desk over to someone else.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::{HandoverReport, HandoverScope, Id};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody, PathId};

/// What handing over this user's desk would move, and to whom it may go
/// (admins and the user's managers).
#[utoipa::path(
    get, path = "/api/v1/users/{id}/handover", tag = "deals",
    params(("id" = Id, Path, description = "The user handing over")),
    responses((status = 200, body = HandoverScope), (status = 403, body = ErrorJson))
)]
pub async fn handover_preview(
    State(state): State<AppState>,
    caller: Caller,
    PathId(user): PathId,
) -> Result<Json<HandoverScope>, ApiError> {
    caller
        .call(&state, move |gx, me| gx.handover_scope(me, user))
        .await
        .map(Json)
}

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

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use crate::http::rest::test_api::Api;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admin_previews_what_a_reps_handover_would_move_and_a_rep_may_not() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let li = api.rep("li@example.cn");
        let wang = api.rep("wang@example.cn");
        api.customer(&li, "上海云帆贸易").await;
        api.customer(&li, "杭州西湖茶业").await;
        let li_id = api.user_id(&li).await;
        let path = format!("/api/v1/users/{li_id}/handover");

        let (status, scope) = api.get(&admin, &path).await;
        assert_eq!(status, StatusCode::OK, "{scope}");
        assert_eq!(scope["customers"], 2, "{scope}");
        let wang_id = api.user_id(&wang).await;
        let targets = scope["targets"].as_array().unwrap();
        assert!(targets.iter().any(|t| t[0] == wang_id.as_str()), "{scope}");
        assert!(targets.iter().all(|t| t[0] != li_id.as_str()), "{scope}");

        let (status, _) = api.get(&wang, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
