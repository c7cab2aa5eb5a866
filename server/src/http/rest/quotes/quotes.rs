//! Quotes: the list, one quote, its edits, actions and approval decisions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{Id, Quote, QuoteAction, QuoteInput, QuoteRow, QuoteStatus};
use guanxi_core::service::QuoteFilter;
use guanxi_core::{Error, Field, Problem};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditBody, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    /// The quotes of one customer.
    customer: Option<Id>,
    /// The quotes made from one deal.
    deal: Option<Id>,
    /// `draft`, `pending_approval`, `approved`, `sent`, `accepted`,
    /// `rejected` or `expired` (as of today in the company's time zone).
    status: Option<String>,
}

/// The quotes the caller may see (their own, their team's for a manager,
/// all for an admin), newest first, each with its status as of today.
#[utoipa::path(
    get, path = "/api/v1/quotes", tag = "quotes",
    params(QuoteQuery),
    responses(
        (status = 200, body = Vec<QuoteRow>),
        (status = 404, description = "No such customer or deal to filter by", body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn list_quotes(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(query): QueryOf<QuoteQuery>,
) -> Result<Json<Vec<QuoteRow>>, ApiError> {
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            QuoteStatus::parse(code)
                .ok_or_else(|| caller.refuse(Error::invalid(Field::Status, Problem::Unknown)))?,
        ),
    };
    let filter = QuoteFilter {
        customer: query.customer,
        deal: query.deal,
        status,
    };
    let rows = caller
        .call(&state, move |gx, me| gx.quotes(me, &filter))
        .await?;
    Ok(Json(rows))
}

/// One quote; another rep's reads as not found.
#[utoipa::path(
    get, path = "/api/v1/quotes/{id}", tag = "quotes",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Quote, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_quote(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let quote = caller.call(&state, move |gx, me| gx.quote(me, id)).await?;
    Ok(tagged(StatusCode::OK, quote))
}

/// Write a draft quote for a customer the caller may edit, optionally from
/// one of its deals. Totals are worked out from the lines; without a tax
/// rate or validity the company's defaults apply.
#[utoipa::path(
    post, path = "/api/v1/quotes", tag = "quotes",
    request_body = QuoteInput,
    responses(
        (status = 201, body = Quote, headers(("ETag" = String), ("Location" = String))),
        (status = 422, description = "Invalid input; `field` names it", body = ErrorJson),
    )
)]
pub async fn create_quote(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<QuoteInput>,
) -> Result<Response, ApiError> {
    let quote = caller
        .call(&state, move |gx, me| gx.create_quote(me, input))
        .await?;
    let location = format!("/api/v1/quotes/{}", quote.id);
    Ok(created(quote, location))
}

/// An edit of a quote.
pub type QuoteEdit = Edit<QuoteInput>;

impl EditSchema for QuoteInput {
    const EDIT_SCHEMA: &'static str = "QuoteEdit";
}

/// Save an edit of a draft or approved quote (an approved one is a draft
/// again). One waiting for approval answers 409 `approval_pending`; one
/// sent or answered 409 `wrong_status` (revise it first).
#[utoipa::path(
    put, path = "/api/v1/quotes/{id}", tag = "quotes",
    params(("id" = Id, Path), IfMatch),
    request_body = QuoteEdit,
    responses(
        (status = 200, body = Quote, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`, `approval_pending` or `wrong_status`", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn update_quote(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<QuoteEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_quote(me, id, version, input)
    })
    .await
}

/// Delete a draft quote; one that went out stays as history (409
/// `wrong_status`).
#[utoipa::path(
    delete, path = "/api/v1/quotes/{id}", tag = "quotes",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson))
)]
pub async fn delete_quote(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_quote(me, id, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteStep {
    action: QuoteAction,
    /// The version the step starts from, unless sent as `If-Match`.
    version: Option<u64>,
}

impl EditBody for QuoteStep {
    type Input = QuoteAction;
    fn split(self) -> (QuoteAction, Option<u64>) {
        (self.action, self.version)
    }
}

/// Move a quote on: `send` (a discount above the company limit submits it
/// for approval instead: status `pending_approval`), `accept` or `reject`
/// (the customer's answer to a sent quote), `revise` (back to draft).
#[utoipa::path(
    post, path = "/api/v1/quotes/{id}/actions", tag = "quotes",
    params(("id" = Id, Path)),
    request_body = QuoteStep,
    responses(
        (status = 200, body = Quote, headers(("ETag" = String))),
        (status = 409, description = "`wrong_status`, `approval_pending` or `conflict`", body = ErrorJson),
        (status = 422, description = "`valid_until` passed: revise the quote first", body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn quote_action(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<QuoteStep>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, action, version| {
        gx.quote_action(me, id, Some(version), action)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct QuoteDecision {
    approve: bool,
    #[serde(default)]
    comment: String,
}

/// Decide the waiting approval step of a quote: its submitter's team
/// manager (or an admin) the manager step, an admin the admin step. A
/// rejection takes the quote back to draft.
#[utoipa::path(
    post, path = "/api/v1/quotes/{id}/approval", tag = "quotes",
    params(("id" = Id, Path)),
    request_body = QuoteDecision,
    responses(
        (status = 200, body = Quote),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`wrong_status`: nothing waits for a decision", body = ErrorJson),
    )
)]
pub async fn decide_quote(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(decision): JsonBody<QuoteDecision>,
) -> Result<Response, ApiError> {
    let quote = caller
        .call(&state, move |gx, me| {
            gx.decide_quote(me, id, decision.approve, &decision.comment)
        })
        .await?;
    Ok(tagged(StatusCode::OK, quote))
}

/// The quotes waiting for an approval step the caller may decide, oldest
/// first.
#[utoipa::path(
    get, path = "/api/v1/quote-approvals", tag = "quotes",
    responses((status = 200, body = Vec<QuoteRow>))
)]
pub async fn quote_inbox(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<QuoteRow>>, ApiError> {
    Ok(Json(
        caller.call(&state, |gx, me| gx.quote_inbox(me)).await?,
    ))
}
