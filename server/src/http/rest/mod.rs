//! The JSON REST API under `/api/v1`, authenticated by `Authorization: Bearer`
//! tokens (or the browser session). Handlers call the same services as the
//! server functions.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use guanxi_core::Error;
use guanxi_core::model::{ApiToken, Company, Locale, User, UserInput};
use guanxi_core::service::Actor;
use serde::Deserialize;

use super::AppState;

/// Multipart overhead on top of the largest file an import takes.
const UPLOAD_LIMIT: usize = guanxi_core::service::MAX_IMPORT_BYTES + 64 * 1024;
/// The most a customer file may be under any setting; the setting is checked
/// by the service.
const FILE_LIMIT: usize =
    guanxi_core::domain::validate::MAX_FILE_MB as usize * 1024 * 1024 + 64 * 1024;

mod backup;
mod contracts;
mod customers;
mod deals;
mod error;
mod export;
mod extract;
#[cfg(test)]
mod fault_tests;
mod openapi;
mod products;
mod quotes;
#[cfg(test)]
mod test_api;
mod upload;
mod versioned;

pub use error::{ApiError, ErrorJson};
pub use extract::{Caller, JsonBody, PathId, QueryOf};
pub use versioned::{Edit, EditBody, EditSchema, VersionedEdit, created, edited_version, tagged};

use contracts::{contracts as contract, payments};
use customers::{activities, contacts, customer_types, customers as customer, search, tasks};
use deals::{close_reasons, deals as deal, handover, pipelines, reopen_requests};
use products::{products as product, sales_settings};
use quotes::quotes as quote;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/backup", get(backup::download_backup))
        .route("/company", get(company))
        .route("/users", get(list_users).post(create_user))
        .route("/tokens", get(list_tokens))
        .route("/tokens/{id}", delete(revoke_token))
        .route("/customers.csv", get(export::export_customers))
        .route(
            "/customers",
            get(customer::list_customers).post(customer::create_customer),
        )
        .route(
            "/customers/{id}",
            get(customer::get_customer)
                .put(customer::update_customer)
                .delete(customer::delete_customer),
        )
        .route(
            "/customers/{id}/contacts",
            get(contacts::list_contacts).post(contacts::add_contact),
        )
        .route(
            "/contacts/{id}",
            put(contacts::update_contact).delete(contacts::delete_contact),
        )
        .route(
            "/customers/{id}/activities",
            get(activities::list_activities),
        )
        .route("/activities", post(activities::log_activity))
        .route("/activities/{id}", delete(activities::delete_activity))
        .route("/tasks", get(tasks::list_tasks).post(tasks::add_task))
        .route(
            "/tasks/{id}",
            put(tasks::update_task).delete(tasks::delete_task),
        )
        .route("/search", get(search::search))
        .route(
            "/pipelines",
            get(pipelines::list_pipelines).post(pipelines::create_pipeline),
        )
        .route("/pipelines/{id}", put(pipelines::save_pipeline))
        .route("/pipelines/{id}/board", get(pipelines::board))
        .route(
            "/pipelines/{id}/stages/{stage_id}",
            delete(pipelines::remove_stage),
        )
        .route("/deals", get(deal::list_deals).post(deal::create_deal))
        .route(
            "/deals/{id}",
            get(deal::get_deal)
                .patch(deal::update_deal)
                .delete(deal::delete_deal),
        )
        .route("/deals/{id}/stage", post(deal::move_deal))
        .route("/deals/{id}/history", get(deal::stage_history))
        .route("/deals/{id}/activities", get(deal::deal_activities))
        .route("/deals/{id}/checklist", post(deal::tick_checklist))
        .route("/deals/{id}/close", post(deal::close_deal))
        .route("/deals/{id}/suspend", post(deal::suspend_deal))
        .route("/deals/{id}/transfer", post(deal::transfer_deal))
        .route(
            "/deals/{id}/reopen-requests",
            post(reopen_requests::request_reopen),
        )
        .route("/reopen-requests", get(reopen_requests::reopen_requests))
        .route(
            "/reopen-requests/{id}",
            post(reopen_requests::decide_reopen),
        )
        .route(
            "/close-reasons",
            get(close_reasons::close_reasons).put(close_reasons::set_close_reasons),
        )
        .route("/users/{id}/handover", post(handover::handover))
        .route("/products.csv", get(product::export_products))
        .route(
            "/products",
            get(product::list_products).post(product::create_product),
        )
        .route(
            "/products/{id}",
            get(product::get_product)
                .put(product::update_product)
                .delete(product::delete_product),
        )
        .route(
            "/sales-settings",
            get(sales_settings::sales_settings).put(sales_settings::set_sales_settings),
        )
        .route("/quotes", get(quote::list_quotes).post(quote::create_quote))
        .route(
            "/quotes/{id}",
            get(quote::get_quote)
                .put(quote::update_quote)
                .delete(quote::delete_quote),
        )
        .route("/quotes/{id}/actions", post(quote::quote_action))
        .route("/quotes/{id}/approval", post(quote::decide_quote))
        .route("/quote-approvals", get(quote::quote_inbox))
        .route(
            "/contracts",
            get(contract::list_contracts).post(contract::create_contract),
        )
        .route(
            "/contracts/{id}",
            get(contract::get_contract)
                .put(contract::update_contract)
                .delete(contract::delete_contract),
        )
        .route("/contracts/{id}/actions", post(contract::contract_action))
        .route("/contracts/{id}/approval", post(contract::decide_contract))
        .route("/contracts/{id}/versions", get(contract::contract_versions))
        .route("/contracts/{id}/diff", get(contract::contract_diff))
        .route("/contracts/{id}/plan", put(contract::set_plan))
        .route(
            "/contracts/{id}/payments",
            get(payments::list_payments).post(payments::record_payment),
        )
        .route("/contract-approvals", get(contract::contract_inbox))
        .route("/receivables", get(payments::receivables))
        .route("/openapi.json", get(openapi::openapi_json))
        .route(
            "/imports",
            post(upload::upload_import).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/vcards",
            post(upload::upload_vcards).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/customers/{id}/files",
            post(upload::upload_file).layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .route(
            "/deals/{id}/files",
            get(upload::list_deal_files)
                .post(upload::upload_deal_file)
                .layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .route(
            "/files/{id}",
            get(upload::download_file).delete(upload::delete_file),
        )
        .route(
            "/customer-types",
            get(customer_types::list_customer_types).post(customer_types::add_customer_type),
        )
        .route(
            "/customer-types/{code}",
            put(customer_types::change_customer_type),
        )
        .fallback(|| async { ApiError::Service(Error::NotFound, Locale::En) })
}

async fn me(caller: Caller) -> Json<User> {
    Json(caller.user)
}

async fn company(State(state): State<AppState>, caller: Caller) -> Result<Json<Company>, ApiError> {
    caller.call(&state, |gx, _| gx.company()).await.map(Json)
}

async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<User>>, ApiError> {
    caller
        .call(&state, |gx, me| gx.list_users(Actor::User(me)))
        .await
        .map(Json)
}

#[derive(Deserialize)]
struct NewUser {
    #[serde(flatten)]
    user: UserInput,
    password: String,
}

async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.create_user(Actor::User(me), body.user, &body.password)
        })
        .await
        .map(|u| (StatusCode::CREATED, Json(u)))
}

async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    caller
        .call(&state, |gx, me| gx.list_tokens(me))
        .await
        .map(Json)
}

async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.revoke_token(me, id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
}
