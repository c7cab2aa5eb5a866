//! Contracts: the list, one contract, creating one from a quote or a won
//! deal, edits that make versions, actions, approval, versions and diffs.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use guanxi_core::model::{
    Contract, ContractAction, ContractInput, ContractVersion, Id, InstallmentInput, TermsChange,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditBody, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// The contracts of one customer.
    customer: Option<Id>,
    /// A page of the list (from 0), `limit` contracts long; the total is
    /// in `X-Total-Count`. Without it, every contract.
    page: Option<usize>,
    /// Contracts per page: 50 unless given, at most 200.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
    /// Only the signed contracts (executing, completed or closed) whose
    /// sign date is on or after this day, latest sign date first: the
    /// contracts behind a revenue figure. Either end may be left open.
    signed_from: Option<chrono::NaiveDate>,
    signed_to: Option<chrono::NaiveDate>,
    /// With `signed_from`/`signed_to`: only those with this user among
    /// their owners.
    owner: Option<Id>,
}

/// The most contracts a page holds.
const MAX_PAGE: usize = 200;

/// The contracts the caller may see (as deals: their owners', their team's
/// for a manager, all for an admin), newest first; all, or a page.
#[utoipa::path(
    get, path = "/api/v1/contracts", tag = "contracts",
    params(ContractQuery),
    responses(
        (status = 200, body = Vec<Contract>, headers(("X-Total-Count" = usize, description = "With `page`: how many contracts there are in all"))),
        (status = 404, description = "No such customer to filter by", body = ErrorJson),
        (status = 422, description = "`signed_from` after `signed_to`", body = ErrorJson),
    )
)]
pub async fn list_contracts(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(query): QueryOf<ContractQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let (total, list) = caller
        .call(&state, move |gx, me| match (query.customer, query.page) {
            _ if query.signed_from.is_some() || query.signed_to.is_some() => {
                let signed = guanxi_core::model::DateSpan {
                    from: query.signed_from.unwrap_or(chrono::NaiveDate::MIN),
                    to: query.signed_to.unwrap_or(chrono::NaiveDate::MAX),
                };
                if signed.from > signed.to {
                    return Err(guanxi_core::Error::invalid(
                        guanxi_core::Field::Period,
                        guanxi_core::Problem::Malformed,
                    ));
                }
                let page = query.page.unwrap_or(0);
                gx.contracts_signed(me, signed, query.owner, page.saturating_mul(limit), limit)
            }
            (None, Some(page)) => gx.contracts_page(me, page.saturating_mul(limit), limit),
            (customer, page) => {
                let all = gx.contracts(me, customer)?;
                let total = all.len();
                let list = match page {
                    Some(page) => all
                        .into_iter()
                        .skip(page.saturating_mul(limit))
                        .take(limit)
                        .collect(),
                    None => all,
                };
                Ok((total, list))
            }
        })
        .await?;
    let mut response = Json(list).into_response();
    response
        .headers_mut()
        .insert("x-total-count", axum::http::HeaderValue::from(total));
    Ok(response)
}

#[utoipa::path(
    get, path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Contract, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_contract(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let contract = caller
        .call(&state, move |gx, me| gx.contract(me, id))
        .await?;
    Ok(tagged(StatusCode::OK, contract))
}

/// Where a new contract comes from: an accepted quote (its lines copied),
/// a won deal (one line of its amount), or a direct order: a customer and
/// the terms (lines priced as a quote's, and a payment plan).
#[derive(Deserialize, ToSchema)]
pub struct NewContract {
    quote_id: Option<Id>,
    deal_id: Option<Id>,
    customer_id: Option<Id>,
    terms: Option<ContractInput>,
}

/// Create a draft contract from an accepted quote or a won deal, signed
/// today with one installment of the whole amount due today; or a direct
/// order of a customer with its lines and payment plan (one installment
/// of the whole amount on the sign date when none is given), saved in one
/// transaction.
#[utoipa::path(
    post, path = "/api/v1/contracts", tag = "contracts",
    request_body = NewContract,
    responses(
        (status = 201, body = Contract, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The customer of a direct order is not the caller's to change", body = ErrorJson),
        (status = 404, description = "No such quote, deal or customer", body = ErrorJson),
        (status = 409, description = "`wrong_status`: the quote is not accepted or the deal not won", body = ErrorJson),
        (status = 422, description = "`quote` taken: the quote already became a contract", body = ErrorJson),
    )
)]
pub async fn create_contract(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewContract>,
) -> Result<Response, ApiError> {
    let contract = caller
        .call(&state, move |gx, me| {
            match (body.quote_id, body.deal_id, body.customer_id, body.terms) {
                (Some(quote), _, _, _) => gx.contract_from_quote(me, quote),
                (None, Some(deal), _, _) => gx.contract_from_deal(me, deal),
                (None, None, Some(customer), Some(terms)) => {
                    gx.create_contract(me, customer, terms)
                }
                (None, None, Some(_), None) => Err(guanxi_core::Error::invalid(
                    guanxi_core::Field::Lines,
                    guanxi_core::Problem::Required,
                )),
                (None, None, None, _) => Err(guanxi_core::Error::invalid(
                    guanxi_core::Field::Quote,
                    guanxi_core::Problem::Required,
                )),
            }
        })
        .await?;
    let location = format!("/api/v1/contracts/{}", contract.id);
    Ok(created(contract, location))
}

/// An edit of a contract's terms.
pub type ContractEdit = Edit<ContractInput>;

impl EditSchema for ContractInput {
    const EDIT_SCHEMA: &'static str = "ContractEdit";
}

/// Save new terms. A draft changes in place; an executing contract gets
/// the next terms version and keeps the old one readable. A changed
/// amount needs a `plan` adding up to it (else 422 `plan_mismatch`).
#[utoipa::path(
    put, path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = Id, Path), IfMatch),
    request_body = ContractEdit,
    responses(
        (status = 200, body = Contract, headers(("ETag" = String))),
        (status = 409, description = "`conflict`, `approval_pending` or `wrong_status`", body = ErrorJson),
        (status = 422, description = "Invalid input, `plan_mismatch`, or `line_delivered`: the new lines drop one goods were delivered against, or order less of it", body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn update_contract(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<ContractEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_contract(me, id, version, input)
    })
    .await
}

/// Delete a contract without payments; one with payments answers 409
/// `has_payments` (cancel it instead).
#[utoipa::path(
    delete, path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson))
)]
pub async fn delete_contract(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_contract(me, id, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ContractStep {
    action: ContractAction,
    version: Option<u64>,
}

impl EditBody for ContractStep {
    type Input = ContractAction;
    fn split(self) -> (ContractAction, Option<u64>) {
        (self.action, self.version)
    }
}

/// Move a contract on: `sign` (above the company's approval amount it goes
/// to approval: `pending_approval`), `complete`, `close`, `cancel`.
#[utoipa::path(
    post, path = "/api/v1/contracts/{id}/actions", tag = "contracts",
    params(("id" = Id, Path)),
    request_body = ContractStep,
    responses(
        (status = 200, body = Contract, headers(("ETag" = String))),
        (status = 409, description = "`wrong_status`, `approval_pending` or `conflict`", body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn contract_action(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<ContractStep>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, action, version| {
        gx.contract_action(me, id, Some(version), action)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ContractDecision {
    approve: bool,
    #[serde(default)]
    comment: String,
}

/// Decide the waiting approval step of a contract (the submitter's team
/// manager, then an admin); the last approval signs it.
#[utoipa::path(
    post, path = "/api/v1/contracts/{id}/approval", tag = "contracts",
    params(("id" = Id, Path)),
    request_body = ContractDecision,
    responses((status = 200, body = Contract), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson))
)]
pub async fn decide_contract(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(decision): JsonBody<ContractDecision>,
) -> Result<Response, ApiError> {
    let contract = caller
        .call(&state, move |gx, me| {
            gx.decide_contract(me, id, decision.approve, &decision.comment)
        })
        .await?;
    Ok(tagged(StatusCode::OK, contract))
}

/// Every version of a contract's terms, oldest first.
#[utoipa::path(
    get, path = "/api/v1/contracts/{id}/versions", tag = "contracts",
    params(("id" = Id, Path)),
    responses((status = 200, body = Vec<ContractVersion>), (status = 404, body = ErrorJson))
)]
pub async fn contract_versions(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Vec<ContractVersion>>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.contract_versions(me, id))
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older terms version.
    from: u32,
    /// The newer terms version.
    to: u32,
}

/// What changed between two versions of a contract's terms.
#[utoipa::path(
    get, path = "/api/v1/contracts/{id}/diff", tag = "contracts",
    params(("id" = Id, Path), DiffQuery),
    responses((status = 200, body = Vec<TermsChange>), (status = 404, body = ErrorJson))
)]
pub async fn contract_diff(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    QueryOf(query): QueryOf<DiffQuery>,
) -> Result<Json<Vec<TermsChange>>, ApiError> {
    Ok(Json(
        caller
            .call(&state, move |gx, me| {
                gx.contract_diff(me, id, query.from, query.to)
            })
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanEdit {
    installments: Vec<InstallmentInput>,
    /// Installments due before today are meant.
    #[serde(default)]
    confirm_past: bool,
    version: Option<u64>,
}

impl EditBody for PlanEdit {
    type Input = (Vec<InstallmentInput>, bool);
    fn split(self) -> ((Vec<InstallmentInput>, bool), Option<u64>) {
        ((self.installments, self.confirm_past), self.version)
    }
}

/// Replace a contract's payment plan. The installments must add up to the
/// amount (else 422 `plan_mismatch`, with the difference in the message)
/// and none may be due before today without `confirm_past` (422, field
/// `due`). What was paid stays paid, oldest installment first.
#[utoipa::path(
    put, path = "/api/v1/contracts/{id}/plan", tag = "contracts",
    params(("id" = Id, Path)),
    request_body = PlanEdit,
    responses(
        (status = 200, body = Contract, headers(("ETag" = String))),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn set_plan(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<PlanEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, (plan, confirm), version| {
        gx.set_payment_plan(me, id, version, &plan, confirm)
    })
    .await
}

/// The contracts waiting for an approval step the caller may decide.
#[utoipa::path(
    get, path = "/api/v1/contract-approvals", tag = "contracts",
    responses((status = 200, body = Vec<Contract>))
)]
pub async fn contract_inbox(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Contract>>, ApiError> {
    Ok(Json(
        caller.call(&state, |gx, me| gx.contract_inbox(me)).await?,
    ))
}
