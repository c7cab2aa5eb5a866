//! Expenses: the list with its filters, one expense, its edits and deletion.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use guanxi_core::model::{Expense, ExpenseFilter, ExpenseInput, ExpenseRow, Id};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpenseQuery {
    /// Only this category.
    category: Option<String>,
    /// Only what this user spent.
    spent_by: Option<Id>,
    /// Only this customer's.
    customer_id: Option<Id>,
    /// From this day (`YYYY-MM-DD`), included.
    from: Option<NaiveDate>,
    /// Up to this day, included.
    to: Option<NaiveDate>,
}

/// The expenses the caller may see (a rep their own, a manager their
/// team's, an admin all), newest day first.
#[utoipa::path(
    get, path = "/api/v1/expenses", tag = "expenses",
    params(ExpenseQuery),
    responses((status = 200, body = Vec<ExpenseRow>), (status = 404, description = "No such customer", body = ErrorJson))
)]
pub async fn list_expenses(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<ExpenseQuery>,
) -> Result<Json<Vec<ExpenseRow>>, ApiError> {
    let filter = ExpenseFilter {
        category: q.category,
        spent_by: q.spent_by,
        customer_id: q.customer_id,
        from: q.from,
        to: q.to,
    };
    Ok(Json(
        caller
            .call(&state, move |gx, me| gx.expenses(me, &filter))
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/expenses/{id}", tag = "expenses",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Expense, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_expense(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let expense = caller
        .call(&state, move |gx, me| gx.expense(me, id))
        .await?;
    Ok(tagged(StatusCode::OK, expense))
}

/// Record an expense, of the caller unless `spent_by` names someone they
/// answer for; linked to a customer, deal or contract they may see.
#[utoipa::path(
    post, path = "/api/v1/expenses", tag = "expenses",
    request_body = ExpenseInput,
    responses(
        (status = 201, body = Expense, headers(("ETag" = String), ("Location" = String))),
        (status = 422, description = "Invalid input, an unknown category, or a customer, deal or contract the caller may not see", body = ErrorJson),
    )
)]
pub async fn create_expense(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<ExpenseInput>,
) -> Result<Response, ApiError> {
    let expense = caller
        .call(&state, move |gx, me| gx.create_expense(me, input))
        .await?;
    let location = format!("/api/v1/expenses/{}", expense.id);
    Ok(created(expense, location))
}

/// An edit of an expense.
pub type ExpenseEdit = Edit<ExpenseInput>;

impl EditSchema for ExpenseInput {
    const EDIT_SCHEMA: &'static str = "ExpenseEdit";
}

#[utoipa::path(
    put, path = "/api/v1/expenses/{id}", tag = "expenses",
    params(("id" = Id, Path), IfMatch),
    request_body = ExpenseEdit,
    responses(
        (status = 200, body = Expense, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved a newer version", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_expense(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<ExpenseEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_expense(me, id, version, input)
    })
    .await
}

#[utoipa::path(
    delete, path = "/api/v1/expenses/{id}", tag = "expenses",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 404, body = ErrorJson))
)]
pub async fn delete_expense(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_expense(me, id, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
