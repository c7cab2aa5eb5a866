//! The pipeline API: pipelines, a pipeline's board, deals, stage moves and
//! the stage history. Moves go through the same checklist, permission and
//! version rules as a drag on the board.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guanxi_core::domain::deals::parse_amount;
use guanxi_core::model::{Board, BoardFilter, Deal, DealInput, Id, Pipeline, StageChange};
use guanxi_core::{Error, Field};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use super::customers::{ErrorJson, JsonBody, PathId, QueryOf, Refusal, edited_version, tagged};
use crate::http::AppState;

/// Every pipeline with its stages in board order.
#[utoipa::path(
    get, path = "/api/v1/pipelines", tag = "deals",
    responses((status = 200, body = Vec<Pipeline>))
)]
pub async fn list_pipelines(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Pipeline>>, Refusal> {
    Ok(Json(caller.call(&state, |gx, _| gx.pipelines()).await?))
}

/// Which deals a board or list shows; what is left out means "any".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealQuery {
    /// Deals whose lead owner is this user.
    owner: Option<Id>,
    /// Deals whose lead owner is in this team.
    team: Option<String>,
    /// Deals expected to close in this month, `YYYY-MM`.
    month: Option<String>,
    /// Deals of at least this amount, as typed: `12,000.50`.
    min: Option<String>,
    /// Deals of at most this amount.
    max: Option<String>,
}

impl DealQuery {
    /// The filter, with the amounts read as the deal form reads them.
    fn filter(self, cards_per_column: u32) -> Result<BoardFilter, Error> {
        let amount = |text: Option<String>| {
            text.filter(|t| !t.trim().is_empty())
                .map(|t| parse_amount(Field::Amount, &t))
                .transpose()
        };
        Ok(BoardFilter {
            owner: self.owner,
            team: self.team,
            close_month: self.month,
            min_amount: amount(self.min)?,
            max_amount: amount(self.max)?,
            cards_per_column,
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CardLimit {
    /// Cards per column: 50 unless given, 500 at most. The column totals
    /// and `more` count every matching deal.
    limit: Option<u32>,
}

/// One pipeline's board as the caller may see it: a column per stage with
/// count, amount and weighted amount of the matching deals, and the first
/// of their cards.
#[utoipa::path(
    get, path = "/api/v1/pipelines/{id}/board", tag = "deals",
    params(("id" = Id, Path), DealQuery, CardLimit),
    responses(
        (status = 200, body = Board),
        (status = 404, body = ErrorJson),
        (status = 422, description = "A filter that does not parse", body = ErrorJson),
    )
)]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    QueryOf(query): QueryOf<DealQuery>,
    QueryOf(limit): QueryOf<CardLimit>,
) -> Result<Json<Board>, Refusal> {
    let board = caller
        .call(&state, move |gx, me| {
            let filter = query.filter(limit.limit.unwrap_or(0))?;
            gx.board(me, id, chrono::Utc::now(), &filter)
        })
        .await?;
    Ok(Json(board))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealFilter {
    /// The deals of one pipeline.
    pipeline: Option<Id>,
    /// The deals of one customer.
    customer: Option<Id>,
}

/// The deals the caller may see on a pipeline or of a customer (one of the
/// two is required), narrowed by the board's filters.
#[utoipa::path(
    get, path = "/api/v1/deals", tag = "deals",
    params(DealFilter, DealQuery),
    responses((status = 200, body = Vec<Deal>), (status = 422, body = ErrorJson))
)]
pub async fn list_deals(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<DealFilter>,
    QueryOf(query): QueryOf<DealQuery>,
) -> Result<Json<Vec<Deal>>, Refusal> {
    let deals = caller
        .call(&state, move |gx, me| {
            gx.list_deals(me, filter.pipeline, filter.customer, &query.filter(0)?)
        })
        .await?;
    Ok(Json(deals))
}

/// One deal; another rep's deal reads as not found.
#[utoipa::path(
    get, path = "/api/v1/deals/{id}", tag = "deals",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_deal(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, Refusal> {
    let deal = caller.call(&state, move |gx, me| gx.deal(me, id)).await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

/// Create a deal on a customer the caller may edit. Without a pipeline and
/// stage it starts in the first stage of the first pipeline; without owners
/// the caller owns it alone.
#[utoipa::path(
    post, path = "/api/v1/deals", tag = "deals",
    request_body = DealInput,
    responses(
        (status = 201, body = Deal, headers(("ETag" = String), ("Location" = String))),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn create_deal(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<DealInput>,
) -> Result<Response, Refusal> {
    let deal = caller
        .call(&state, move |gx, me| gx.create_deal(me, input))
        .await?;
    let location = format!("/api/v1/deals/{}", deal.id);
    let mut response = tagged(StatusCode::CREATED, deal.version, deal);
    if let Ok(value) = location.parse() {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

#[derive(Deserialize, ToSchema)]
pub struct StageMove {
    stage_id: Id,
    /// The version the move starts from, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Move an open deal to another open stage of its pipeline. Leaving a stage
/// whose checklist is not done answers 409 `checklist_incomplete`, naming
/// the items; the won and lost stages are reached by closing the deal.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/stage", tag = "deals",
    params(("id" = Id, Path)),
    request_body = StageMove,
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 409, description = "`conflict` or `checklist_incomplete`", body = ErrorJson),
        (status = 428, description = "No version given", body = ErrorJson),
    )
)]
pub async fn move_deal(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(id): PathId,
    JsonBody(body): JsonBody<StageMove>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, body.version, caller.locale)?;
    let deal = caller
        .call(&state, move |gx, me| {
            gx.move_deal(me, id, body.stage_id, Some(version))
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal).into_response())
}

/// Every stage change of a deal, oldest first: from, to, when and by whom.
#[utoipa::path(
    get, path = "/api/v1/deals/{id}/history", tag = "deals",
    params(("id" = Id, Path)),
    responses((status = 200, body = Vec<StageChange>), (status = 404, body = ErrorJson))
)]
pub async fn stage_history(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Vec<StageChange>>, Refusal> {
    let history = caller
        .call(&state, move |gx, me| gx.stage_history(me, id))
        .await?;
    Ok(Json(history))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_api::Api;
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn create_move_with_the_checklist_rule_and_read_the_history() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let (status, pipelines) = api.get(&token, "/api/v1/pipelines").await;
        assert_eq!(status, StatusCode::OK);
        let mut pipeline: Pipeline = serde_json::from_value(pipelines[0].clone()).unwrap();
        pipeline.stages[0].checklist = vec!["确认预算".into()];
        let pipeline = api.gx.store.save_pipeline(&pipeline).unwrap();
        let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);

        let customer = api.customer(&token, "北京星辰").await;
        let (status, deal) = api
            .post(
                &token,
                "/api/v1/deals",
                json!({ "customer_id": customer, "title": "ERP 项目", "amount": "120,000.50" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{deal}");
        assert_eq!(deal["amount"], 12_000_050);
        assert_eq!(deal["stage_id"], first.to_string());
        let id = deal["id"].as_str().unwrap().to_string();

        let (status, bad) = api
            .post(
                &token,
                "/api/v1/deals",
                json!({ "customer_id": customer, "title": "x", "amount": "-1" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "amount");

        let stage_path = format!("/api/v1/deals/{id}/stage");
        let (status, refused) = api
            .post(
                &token,
                &stage_path,
                json!({ "stage_id": second, "version": 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused["error"], "checklist_incomplete");
        assert!(refused["message"].as_str().unwrap().contains("确认预算"));
        let (status, _) = api
            .post(&token, &stage_path, json!({ "stage_id": second }))
            .await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

        api.gx
            .tick_checklist(&api.admin, id.parse().unwrap(), "确认预算", true)
            .unwrap();
        let (status, moved) = api
            .post(
                &token,
                &stage_path,
                json!({ "stage_id": second, "version": 2 }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["stage_id"], second.to_string());

        let (status, history) = api
            .get(&token, &format!("/api/v1/deals/{id}/history"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(history.as_array().unwrap().len(), 2);
        assert_eq!(history[1]["from"], first.to_string());

        let (status, board) = api
            .get(&token, &format!("/api/v1/pipelines/{}/board", pipeline.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(board["columns"][1]["count"], 1);
        assert_eq!(board["columns"][1]["cards"][0]["customer_name"], "北京星辰");
        assert_eq!(board["columns"][1]["more"], 0);
        let board_path = format!("/api/v1/pipelines/{}/board", pipeline.id);
        let (status, board) = api
            .get(
                &token,
                &format!("{board_path}?min=120,000.50&max=200000&limit=1"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{board}");
        assert_eq!(board["columns"][1]["count"], 1);
        let (_, board) = api
            .get(&token, &format!("{board_path}?min=120,000.51"))
            .await;
        assert_eq!(board["columns"][1]["count"], 0);
        let (_, board) = api
            .get(
                &token,
                &format!(
                    "{board_path}?team=%E5%8D%8E%E4%B8%9C&owner={}",
                    api.admin.id
                ),
            )
            .await;
        assert_eq!(board["columns"][1]["count"], 0, "the admin has no team");
        let (status, bad) = api
            .get(&token, &format!("{board_path}?month=2026-13"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "close_month");
        let (status, bad) = api.get(&token, &format!("{board_path}?min=lots")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "amount");

        // Another rep sees neither the deal nor it in the lists.
        let rep = api.rep("li@example.cn");
        assert_eq!(
            api.get(&rep, &format!("/api/v1/deals/{id}")).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, listed) = api
            .get(&rep, &format!("/api/v1/deals?pipeline={}", pipeline.id))
            .await;
        assert_eq!(listed, json!([]));
        let (_, listed) = api
            .get(&token, &format!("/api/v1/deals?pipeline={}", pipeline.id))
            .await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_openapi_document_describes_the_pipeline_api() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let (_, doc) = api.get(&token, "/api/v1/openapi.json").await;
        for path in [
            "/api/v1/pipelines",
            "/api/v1/pipelines/{id}/board",
            "/api/v1/deals",
            "/api/v1/deals/{id}",
            "/api/v1/deals/{id}/stage",
            "/api/v1/deals/{id}/history",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        assert!(doc["components"]["schemas"]["Board"].is_object());
    }
}
