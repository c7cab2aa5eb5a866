//! The company's expense categories.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use guanxi_core::model::{ExpenseCategories, ExpenseCategoriesInput};
use guanxi_core::service::Actor;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, VersionedEdit};

/// The categories an expense is filed under, in the admin's order.
#[utoipa::path(
    get, path = "/api/v1/expense-categories", tag = "expenses",
    responses((status = 200, body = ExpenseCategories))
)]
pub async fn expense_categories(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ExpenseCategories>, ApiError> {
    Ok(Json(
        caller
            .call(&state, |gx, me| gx.expense_categories(me))
            .await?,
    ))
}

/// An edit of the expense categories.
pub type ExpenseCategoriesEdit = Edit<ExpenseCategoriesInput>;

impl EditSchema for ExpenseCategoriesInput {
    const EDIT_SCHEMA: &'static str = "ExpenseCategoriesEdit";
}

/// Replace the categories (admins), from the version read (0 before they
/// were first saved). Expenses keep the category they were saved with.
#[utoipa::path(
    put, path = "/api/v1/expense-categories", tag = "expenses",
    params(IfMatch),
    request_body = ExpenseCategoriesEdit,
    responses(
        (status = 200, body = ExpenseCategories),
        (status = 403, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, description = "An empty or too long category, one given twice, or none", body = ErrorJson),
        (status = 428, body = ErrorJson),
    )
)]
pub async fn set_expense_categories(
    State(state): State<AppState>,
    caller: Caller,
    edit: VersionedEdit<ExpenseCategoriesEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.save_expense_categories(Actor::User(me), input, version)
    })
    .await
}
