//! The pipeline API: pipelines, a pipeline's board, deals, stage moves and
//! the stage history. Moves go through the same checklist, permission and
//! version rules as a drag on the board.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use guanxi_core::domain::deals::parse_amount;
use guanxi_core::model::{
    Board, BoardFilter, CloseReasons, Competitor, Deal, DealInput, HandoverReport, Id, Outcome,
    OwnerShare, Pipeline, Qualification, ReopenRequest, StageChange,
};
use guanxi_core::{Error, Field};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::customers::{ErrorJson, JsonBody, PathId, QueryOf, Refusal, edited_version, tagged};
use super::{ApiError, Caller};
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

/// Absent stays absent, `null` becomes `Some(None)`: a patch can clear a
/// field as well as leave it alone.
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The fields of a deal to change; those left out keep their value, and
/// `null` clears an optional one. Pipeline and stage are not here: stages
/// change through `POST /api/v1/deals/{id}/stage` and closing.
#[derive(Deserialize, ToSchema)]
pub struct DealPatch {
    customer_id: Option<Id>,
    title: Option<String>,
    /// As typed: `12,345.67`.
    amount: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    expected_close: Option<Option<NaiveDate>>,
    confidence: Option<u32>,
    /// The first owner leads; shares sum to 100.
    owners: Option<Vec<OwnerShare>>,
    competitors: Option<Vec<Competitor>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    requirements: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    solution: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    source_campaign: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Qualification>)]
    qualification: Option<Option<Qualification>>,
    /// The version edited, unless sent as `If-Match`.
    version: Option<u64>,
}

impl DealPatch {
    /// The whole edit: the deal as it is, with this patch over it.
    fn over(self, deal: &Deal) -> DealInput {
        let mut input = DealInput::from(deal);
        macro_rules! overlay {
            ($($field:ident),*) => {$(
                if let Some(value) = self.$field {
                    input.$field = value;
                }
            )*};
        }
        overlay!(
            title,
            amount,
            expected_close,
            owners,
            competitors,
            requirements,
            solution,
            source_campaign,
            qualification
        );
        input.customer_id = self.customer_id.or(input.customer_id);
        input.confidence = self.confidence.or(input.confidence);
        input
    }
}

/// Change some fields of an open or suspended deal (a closed one is
/// reopened first). Changing the lead owner follows the transfer rule.
#[utoipa::path(
    patch, path = "/api/v1/deals/{id}", tag = "deals",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header, description = "The version edited, in quotes")),
    request_body = DealPatch,
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 403, description = "A closed deal, or a lead owner the caller may not hand to", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_deal(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(id): PathId,
    JsonBody(patch): JsonBody<DealPatch>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, patch.version, caller.locale)?;
    let deal = caller
        .call(&state, move |gx, me| {
            let input = patch.over(&gx.deal(me, id)?);
            gx.update_deal(me, id, version, input)
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

/// Delete a deal for good, with its stage history. `If-Match`, when sent,
/// must name the current version.
#[utoipa::path(
    delete, path = "/api/v1/deals/{id}", tag = "deals",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson))
)]
pub async fn delete_deal(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(id): PathId,
) -> Result<StatusCode, Refusal> {
    let version = match headers.contains_key(header::IF_MATCH) {
        true => Some(edited_version(&headers, None, caller.locale)?),
        false => None,
    };
    caller
        .call(&state, move |gx, me| gx.delete_deal(me, id, version))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Tick {
    /// An item of the checklist of the deal's current stage.
    item: String,
    /// `false` unticks it.
    done: bool,
}

/// Tick (or untick) a checklist item of the deal's current stage.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/checklist", tag = "deals",
    params(("id" = Id, Path)),
    request_body = Tick,
    responses((status = 200, body = Deal, headers(("ETag" = String))), (status = 422, body = ErrorJson))
)]
pub async fn tick_checklist(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Tick>,
) -> Result<Response, Refusal> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.tick_checklist(me, id, &body.item, body.done)
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

#[derive(Deserialize, ToSchema)]
pub struct Closing {
    outcome: Outcome,
    /// One of `GET /api/v1/close-reasons` for the outcome (built-in codes
    /// such as `price`, or the admin's own text); any text if that list is
    /// empty.
    reason: String,
    /// When lost: the competitor who won.
    lost_to: Option<String>,
}

/// Close an open or suspended deal as won or lost.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/close", tag = "deals",
    params(("id" = Id, Path)),
    request_body = Closing,
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 409, description = "`checklist_incomplete` (winning leaves the stage)", body = ErrorJson),
        (status = 422, description = "An unknown reason, or the deal is closed already", body = ErrorJson),
    )
)]
pub async fn close_deal(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Closing>,
) -> Result<Response, Refusal> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.close_deal(me, id, body.outcome, &body.reason, body.lost_to.as_deref())
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

#[derive(Deserialize, ToSchema)]
pub struct Suspension {
    /// `true` suspends an open deal, `false` resumes a suspended one.
    suspended: bool,
}

/// Suspend or resume a deal.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/suspend", tag = "deals",
    params(("id" = Id, Path)),
    request_body = Suspension,
    responses((status = 200, body = Deal, headers(("ETag" = String))), (status = 422, body = ErrorJson))
)]
pub async fn suspend_deal(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Suspension>,
) -> Result<Response, Refusal> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.suspend_deal(me, id, body.suspended)
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

#[derive(Deserialize, ToSchema)]
pub struct Transfer {
    /// The new lead owner: an active user the caller manages.
    to: Id,
}

/// Hand a deal to another lead owner, who takes the previous lead's share
/// of the credit (managers and admins).
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/transfer", tag = "deals",
    params(("id" = Id, Path)),
    request_body = Transfer,
    responses((status = 200, body = Deal, headers(("ETag" = String))), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn transfer_deal(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Transfer>,
) -> Result<Response, Refusal> {
    let deal = caller
        .call(&state, move |gx, me| gx.transfer_deal(me, id, body.to))
        .await?;
    Ok(tagged(StatusCode::OK, deal.version, deal))
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenAsk {
    /// Why the deal should be reopened.
    note: String,
}

/// Ask for a won or lost deal to be reopened; a manager of its lead owner
/// or an admin decides.
#[utoipa::path(
    post, path = "/api/v1/deals/{id}/reopen-requests", tag = "deals",
    params(("id" = Id, Path)),
    request_body = ReopenAsk,
    responses(
        (status = 201, body = ReopenRequest),
        (status = 422, description = "The deal is open, or a request is pending already (`field`: `reopen`)", body = ErrorJson),
    )
)]
pub async fn request_reopen(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<ReopenAsk>,
) -> Result<(StatusCode, Json<ReopenRequest>), Refusal> {
    let request = caller
        .call(&state, move |gx, me| gx.request_reopen(me, id, &body.note))
        .await?;
    Ok((StatusCode::CREATED, Json(request)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReopenList {
    /// `true`: the caller's own requests with their outcome, newest first;
    /// otherwise the pending ones the caller may decide.
    #[serde(default)]
    mine: bool,
}

/// Reopen requests: the caller's inbox, or with `mine=true` their own.
#[utoipa::path(
    get, path = "/api/v1/reopen-requests", tag = "deals",
    params(ReopenList),
    responses((status = 200, body = Vec<ReopenRequest>))
)]
pub async fn reopen_requests(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(list): QueryOf<ReopenList>,
) -> Result<Json<Vec<ReopenRequest>>, Refusal> {
    let requests = caller
        .call(&state, move |gx, me| match list.mine {
            true => gx.my_reopen_requests(me),
            false => gx.reopen_inbox(me),
        })
        .await?;
    Ok(Json(requests))
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenDecision {
    approve: bool,
    #[serde(default)]
    note: String,
}

/// Approve (the deal reopens in the stage it was closed from) or reject a
/// pending request.
#[utoipa::path(
    post, path = "/api/v1/reopen-requests/{id}", tag = "deals",
    params(("id" = Id, Path)),
    request_body = ReopenDecision,
    responses(
        (status = 200, body = ReopenRequest),
        (status = 403, body = ErrorJson),
        (status = 409, description = "Decided already", body = ErrorJson),
    )
)]
pub async fn decide_reopen(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<ReopenDecision>,
) -> Result<Json<ReopenRequest>, Refusal> {
    let request = caller
        .call(&state, move |gx, me| {
            gx.decide_reopen(me, id, body.approve, &body.note)
        })
        .await?;
    Ok(Json(request))
}

/// The reasons deals may be closed with, per outcome.
#[utoipa::path(
    get, path = "/api/v1/close-reasons", tag = "deals",
    responses((status = 200, body = CloseReasons))
)]
pub async fn close_reasons(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CloseReasons>, Refusal> {
    Ok(Json(caller.call(&state, |gx, _| gx.close_reasons()).await?))
}

/// Replace the close reasons (admins), from the version read.
#[utoipa::path(
    put, path = "/api/v1/close-reasons", tag = "deals",
    request_body = CloseReasons,
    responses((status = 200, body = CloseReasons), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn set_close_reasons(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(reasons): JsonBody<CloseReasons>,
) -> Result<Json<CloseReasons>, Refusal> {
    let saved = caller
        .call(&state, move |gx, me| gx.set_close_reasons(me, reasons))
        .await?;
    Ok(Json(saved))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPipeline {
    name: String,
}

/// Add a pipeline with the default stages (admins).
#[utoipa::path(
    post, path = "/api/v1/pipelines", tag = "deals",
    request_body = NewPipeline,
    responses((status = 201, body = Pipeline, headers(("ETag" = String))), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn create_pipeline(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewPipeline>,
) -> Result<Response, Refusal> {
    let pipeline = caller
        .call(&state, move |gx, me| gx.create_pipeline(me, &body.name))
        .await?;
    Ok(tagged(StatusCode::CREATED, pipeline.version, pipeline))
}

/// Save a pipeline as a whole (admins): its name and its stages in board
/// order, open stages first, then one won and one lost. A stage sent with
/// an id the pipeline does not have is new; a stage left out is removed,
/// which is refused (`field`: `stage`) while it holds deals.
#[utoipa::path(
    put, path = "/api/v1/pipelines/{id}", tag = "deals",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header)),
    request_body = Pipeline,
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn save_pipeline(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(id): PathId,
    JsonBody(mut pipeline): JsonBody<Pipeline>,
) -> Result<Response, Refusal> {
    pipeline.version = edited_version(&headers, Some(pipeline.version), caller.locale)?;
    pipeline.id = id;
    let saved = caller
        .call(&state, move |gx, me| gx.save_pipeline(me, pipeline))
        .await?;
    Ok(tagged(StatusCode::OK, saved.version, saved))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageRemoval {
    /// The open stage that takes the removed stage's deals.
    move_to: Id,
    /// The pipeline version, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Remove an open stage (admins), moving its deals to `move_to`.
#[utoipa::path(
    delete, path = "/api/v1/pipelines/{id}/stages/{stage_id}", tag = "deals",
    params(("id" = Id, Path), ("stage_id" = Id, Path), StageRemoval),
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn remove_stage(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, stage)): Path<(String, String)>,
    QueryOf(removal): QueryOf<StageRemoval>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, removal.version, caller.locale)?;
    let (Ok(id), Ok(stage)) = (id.parse::<Id>(), stage.parse::<Id>()) else {
        return Err(Refusal::Service(ApiError(Error::NotFound, caller.locale)));
    };
    let saved = caller
        .call(&state, move |gx, me| {
            gx.remove_stage(me, id, stage, removal.move_to, version)
        })
        .await?;
    Ok(tagged(StatusCode::OK, saved.version, saved))
}

#[derive(Deserialize, ToSchema)]
pub struct Handover {
    /// Who takes over; `null` sends the customers to the public pool and
    /// the deals and open tasks to the caller.
    to: Option<Id>,
}

/// Hand over everything a user holds — customers, open deals they lead,
/// open tasks — in one go (admins and the user's managers).
#[utoipa::path(
    post, path = "/api/v1/users/{id}/handover", tag = "deals",
    params(("id" = Id, Path, description = "The user handing over")),
    request_body = Handover,
    responses((status = 200, body = HandoverReport), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn handover(
    State(state): State<AppState>,
    caller: Caller,
    PathId(from): PathId,
    JsonBody(body): JsonBody<Handover>,
) -> Result<Json<HandoverReport>, Refusal> {
    let report = caller
        .call(&state, move |gx, me| gx.handover(me, from, body.to))
        .await?;
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use guanxi_core::model::{Role, User, UserInput};
    use guanxi_core::service::Actor;
    use serde_json::Value;

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

        let (status, ticked) = api
            .post(
                &token,
                &format!("/api/v1/deals/{id}/checklist"),
                json!({ "item": "确认预算", "done": true }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{ticked}");
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

    /// A user of `role` in team 华东, and their token.
    fn member(api: &Api, email: &str, role: Role) -> (User, String) {
        let user = api
            .gx
            .create_user(
                Actor::User(&api.admin),
                UserInput {
                    email: email.into(),
                    name: email.into(),
                    role,
                    team: Some("华东".into()),
                },
                "a password 123",
            )
            .unwrap();
        let token = api.token(&user);
        (user, token)
    }

    async fn new_deal(api: &Api, token: &str, customer: &str) -> Value {
        let (status, deal) = api
            .post(
                token,
                "/api/v1/deals",
                json!({ "customer_id": customer, "title": "ERP 项目", "amount": "1000",
                        "requirements": "50 用户" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{deal}");
        deal
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn patch_close_reopen_by_approval_and_delete() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let (_, manager) = member(&api, "m@example.cn", Role::Manager);
        let (li_user, li) = member(&api, "li@example.cn", Role::Rep);
        let customer = api.customer(&li, "北京星辰").await;
        let deal = new_deal(&api, &li, &customer).await;
        let path = format!("/api/v1/deals/{}", deal["id"].as_str().unwrap());

        let patch = json!({ "title": "ERP 二期", "requirements": null });
        let (status, _, _) = api
            .send(&li, "PATCH", &path, &[], Some(patch.clone()))
            .await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
        let (status, headers, patched) = api
            .send(
                &li,
                "PATCH",
                &path,
                &[("If-Match", "\"1\"")],
                Some(patch.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(headers[header::ETAG], "\"2\"");
        assert_eq!(patched["title"], "ERP 二期");
        assert_eq!(patched["amount"], 100_000, "left out, kept");
        assert_eq!(patched["requirements"], Value::Null, "null clears");
        let (status, _, _) = api
            .send(&li, "PATCH", &path, &[("If-Match", "\"1\"")], Some(patch))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, bad, _) = api
            .send(
                &li,
                "PATCH",
                &path,
                &[],
                Some(json!({ "amount": "-1", "version": 2 })),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let _ = bad;

        let (status, reasons) = api.get(&li, "/api/v1/close-reasons").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            reasons["lost"]
                .as_array()
                .unwrap()
                .contains(&json!("price"))
        );
        let close = format!("{path}/close");
        let (status, refused) = api
            .post(&li, &close, json!({ "outcome": "lost", "reason": "天气" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "reason");
        let (status, lost) = api
            .post(
                &li,
                &close,
                json!({ "outcome": "lost", "reason": "price", "lost_to": "金蝶" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lost}");
        assert_eq!(lost["status"], "lost");

        let (status, request) = api
            .post(
                &li,
                &format!("{path}/reopen-requests"),
                json!({ "note": "预算批了" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{request}");
        let (status, again) = api
            .post(
                &li,
                &format!("{path}/reopen-requests"),
                json!({ "note": "再问" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again["field"], "reopen");
        let (_, inbox) = api.get(&manager, "/api/v1/reopen-requests").await;
        assert_eq!(inbox.as_array().unwrap().len(), 1);
        let decide = format!(
            "/api/v1/reopen-requests/{}",
            request["id"].as_str().unwrap()
        );
        let (status, _) = api.post(&li, &decide, json!({ "approve": true })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, decided) = api
            .post(&manager, &decide, json!({ "approve": true, "note": "好" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        assert_eq!(decided["status"], "approved");
        let (_, mine) = api.get(&li, "/api/v1/reopen-requests?mine=true").await;
        assert_eq!(mine[0]["status"], "approved");
        let (_, reopened) = api.get(&li, &path).await;
        assert_eq!(
            (reopened["status"].as_str(), reopened["stage_id"].clone()),
            (Some("open"), deal["stage_id"].clone())
        );

        let (status, suspended) = api
            .post(
                &li,
                &format!("{path}/suspend"),
                json!({ "suspended": true }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(suspended["status"], "suspended");

        let (status, _) = api
            .post(
                &li,
                &format!("{path}/transfer"),
                json!({ "to": api.admin.id }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "reps do not give deals away");
        let (status, moved) = api
            .post(
                &admin,
                &format!("{path}/transfer"),
                json!({ "to": api.admin.id }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["owners"][0]["user"], api.admin.id.to_string());
        assert_eq!(api.get(&li, &path).await.0, StatusCode::NOT_FOUND);

        let (status, _, _) = api
            .send(&admin, "DELETE", &path, &[("If-Match", "\"1\"")], None)
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(api.delete(&admin, &path).await, StatusCode::NO_CONTENT);
        assert_eq!(api.get(&admin, &path).await.0, StatusCode::NOT_FOUND);
        let _ = li_user;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn admins_shape_pipelines_and_hand_over_a_desk() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let (li_user, li) = member(&api, "li@example.cn", Role::Rep);
        let (wang_user, _) = member(&api, "wang@example.cn", Role::Rep);
        let (status, _) = api
            .post(&li, "/api/v1/pipelines", json!({ "name": "项目型" }))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, created) = api
            .post(&admin, "/api/v1/pipelines", json!({ "name": "项目型" }))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let mut pipeline: Pipeline = serde_json::from_value(created).unwrap();
        let path = format!("/api/v1/pipelines/{}", pipeline.id);
        pipeline.stages[0].name = "线索".into();
        pipeline.stages[0].probability = 120;
        let (status, _, bad) = api
            .send(&admin, "PUT", &path, &[], Some(json!(pipeline)))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["field"], "stages");
        pipeline.stages[0].probability = 5;
        let (status, _, saved) = api
            .send(&admin, "PUT", &path, &[], Some(json!(pipeline)))
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["stages"][0]["name"], "线索");
        assert_eq!(saved["version"], 2);

        let customer = api.customer(&li, "北京星辰").await;
        let (status, deal) = api
            .post(
                &li,
                "/api/v1/deals",
                json!({ "customer_id": customer, "pipeline_id": pipeline.id,
                        "title": "ERP", "amount": "1" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{deal}");
        let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);
        let remove = format!("{path}/stages/{first}?move_to={second}");
        let (status, _, _) = api.send(&admin, "DELETE", &remove, &[], None).await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
        let (status, _, removed) = api
            .send(&admin, "DELETE", &remove, &[("If-Match", "\"2\"")], None)
            .await;
        assert_eq!(status, StatusCode::OK, "{removed}");
        assert_eq!(removed["stages"].as_array().unwrap().len(), 6);
        let (_, moved) = api
            .get(
                &li,
                &format!("/api/v1/deals/{}", deal["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(moved["stage_id"], second.to_string());

        let handover = format!("/api/v1/users/{}/handover", li_user.id);
        let (status, _) = api
            .post(&li, &handover, json!({ "to": wang_user.id }))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, report) = api
            .post(&admin, &handover, json!({ "to": wang_user.id }))
            .await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["customers"][0][1], "北京星辰");
        assert_eq!(report["deals"][0][1], "ERP");
        assert_eq!(
            api.get(&li, &format!("/api/v1/customers/{customer}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
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
            "/api/v1/deals/{id}/close",
            "/api/v1/deals/{id}/checklist",
            "/api/v1/deals/{id}/suspend",
            "/api/v1/deals/{id}/transfer",
            "/api/v1/deals/{id}/reopen-requests",
            "/api/v1/reopen-requests",
            "/api/v1/reopen-requests/{id}",
            "/api/v1/close-reasons",
            "/api/v1/pipelines/{id}",
            "/api/v1/pipelines/{id}/stages/{stage_id}",
            "/api/v1/users/{id}/handover",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        assert!(doc["components"]["schemas"]["Board"].is_object());
        assert!(doc["paths"]["/api/v1/deals/{id}"]["patch"].is_object());
        assert!(doc["paths"]["/api/v1/deals/{id}"]["delete"].is_object());
        assert!(doc["paths"]["/api/v1/pipelines"]["post"].is_object());
        for schema in [
            "DealPatch",
            "ReopenRequest",
            "HandoverReport",
            "CloseReasons",
        ] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
        }
    }
}
