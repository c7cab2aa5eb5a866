//! Deals: the list, one deal, its edits, stage moves, checklist, closing,
//! suspension and transfer, its stage history and its activities.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use chrono::NaiveDate;
use guanxi_core::model::{
    Activity, Competitor, Deal, DealInput, Id, Outcome, OwnerShare, Qualification, StageChange,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::DealQuery;
use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, EditBody, ErrorJson, IfMatch, JsonBody, PathId, QueryOf, VersionedEdit,
    created, edited_version, tagged,
};

#[derive(Deserialize)]
pub struct DealFilter {
    /// The deals of one pipeline.
    pipeline: Option<Id>,
    /// The deals of one customer.
    customer: Option<Id>,
}

/// The deals the caller may see on a pipeline, narrowed by the board's
/// filters and optionally to one customer. (`customer` alone, without
/// `pipeline`, lists that customer's deals on every pipeline.)
#[utoipa::path(
    get, path = "/api/v1/deals", tag = "deals",
    params(
        ("pipeline" = Id, Query, description = "The deals of one pipeline"),
        ("customer" = Option<Id>, Query, description = "The deals of one customer"),
        DealQuery,
    ),
    responses(
        (status = 200, body = Vec<Deal>),
        (status = 404, description = "`customer` or `pipeline` names nothing the caller sees", body = ErrorJson),
        (status = 422, description = "`invalid`: a filter the rules refuse, or neither `pipeline` nor `customer`", body = ErrorJson),
    )
)]
pub async fn list_deals(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<DealFilter>,
    QueryOf(query): QueryOf<DealQuery>,
) -> Result<Json<Vec<Deal>>, ApiError> {
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
) -> Result<Response, ApiError> {
    let deal = caller.call(&state, move |gx, me| gx.deal(me, id)).await?;
    Ok(tagged(StatusCode::OK, deal))
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
) -> Result<Response, ApiError> {
    let deal = caller
        .call(&state, move |gx, me| gx.create_deal(me, input))
        .await?;
    let location = format!("/api/v1/deals/{}", deal.id);
    Ok(created(deal, location))
}

#[derive(Deserialize, ToSchema)]
pub struct StageMove {
    stage_id: Id,
    /// The version the move starts from, unless sent as `If-Match`.
    version: Option<u64>,
}

impl EditBody for StageMove {
    type Input = Id;
    fn split(self) -> (Id, Option<u64>) {
        (self.stage_id, self.version)
    }
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
    PathId(id): PathId,
    edit: VersionedEdit<StageMove>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, stage_id, version| {
        gx.move_deal(me, id, stage_id, Some(version))
    })
    .await
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
) -> Result<Json<Vec<StageChange>>, ApiError> {
    let history = caller
        .call(&state, move |gx, me| gx.stage_history(me, id))
        .await?;
    Ok(Json(history))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealActivityPage {
    /// At most this many, newest first: 50 unless given, 500 at most.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
}

/// The activities logged about a deal (`deal_id` on `POST
/// /api/v1/activities`), newest first. Its customer's activities list
/// shows them too.
#[utoipa::path(
    get, path = "/api/v1/deals/{id}/activities", tag = "deals",
    params(("id" = Id, Path), DealActivityPage),
    responses((status = 200, body = Vec<Activity>), (status = 404, body = ErrorJson))
)]
pub async fn deal_activities(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    QueryOf(page): QueryOf<DealActivityPage>,
) -> Result<Json<Vec<Activity>>, ApiError> {
    let limit = page.limit.unwrap_or(50);
    let activities = caller
        .call(&state, move |gx, me| gx.deal_activities(me, id, limit))
        .await?;
    Ok(Json(activities))
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
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    title: Option<String>,
    /// As typed: `12,345.67`.
    #[schema(pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")]
    amount: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    expected_close: Option<Option<NaiveDate>>,
    #[schema(maximum = 100)]
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

impl EditBody for DealPatch {
    type Input = DealPatch;
    fn split(self) -> (DealPatch, Option<u64>) {
        let version = self.version;
        (self, version)
    }
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
    params(("id" = Id, Path), IfMatch),
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
    PathId(id): PathId,
    edit: VersionedEdit<DealPatch>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, patch, version| {
        let input = patch.over(&gx.deal(me, id)?);
        gx.update_deal(me, id, version, input)
    })
    .await
}

/// Move a deal to the recycle bin, with its stage history (an admin restores
/// or purges it there: `/api/v1/recycle-bin/records`). `If-Match`, when sent,
/// must name the current version.
#[utoipa::path(
    delete, path = "/api/v1/deals/{id}", tag = "deals",
    params(("id" = Id, Path), IfMatch),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson))
)]
pub async fn delete_deal(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
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
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
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
) -> Result<Response, ApiError> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.tick_checklist(me, id, &body.item, body.done)
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal))
}

#[derive(Deserialize, ToSchema)]
pub struct Closing {
    outcome: Outcome,
    /// One of `GET /api/v1/close-reasons` for the outcome (built-in codes
    /// such as `price`, or the admin's own text); any text if that list is
    /// empty.
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    reason: String,
    /// When lost: the competitor who won.
    #[schema(max_length = 50, pattern = r"^[^\p{Cc}]*$")]
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
) -> Result<Response, ApiError> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.close_deal(me, id, body.outcome, &body.reason, body.lost_to.as_deref())
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal))
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
) -> Result<Response, ApiError> {
    let deal = caller
        .call(&state, move |gx, me| {
            gx.suspend_deal(me, id, body.suspended)
        })
        .await?;
    Ok(tagged(StatusCode::OK, deal))
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
) -> Result<Response, ApiError> {
    let deal = caller
        .call(&state, move |gx, me| gx.transfer_deal(me, id, body.to))
        .await?;
    Ok(tagged(StatusCode::OK, deal))
}
