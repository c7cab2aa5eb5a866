//! The JSON REST API under `/api/v1`, authenticated by `Authorization: Bearer`
//! tokens (or the browser session). Handlers call the same services as the
//! server functions.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::MethodRouter;
use axum::{Json, Router};
use guanxi_core::Error;
use guanxi_core::model::{ApiToken, Company, Locale, NewApiToken, User, UserInput};
use guanxi_core::service::Actor;
use serde::Deserialize;

use super::AppState;

/// Multipart overhead on top of the largest file an import takes.
const UPLOAD_LIMIT: usize = guanxi_core::service::MAX_IMPORT_BYTES + 64 * 1024;
/// The most a customer file may be under any setting; the setting is checked
/// by the service.
const FILE_LIMIT: usize =
    guanxi_core::domain::validate::MAX_FILE_MB as usize * 1024 * 1024 + 64 * 1024;

mod audit;
mod backup;
mod contracts;
mod customers;
mod deals;
mod error;
mod expenses;
mod export;
mod extract;
#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod fuzz_tests;
mod imports;
mod openapi;
mod products;
mod quotes;
mod reports;
mod revenue;
mod stock;
mod targets;
#[cfg(test)]
mod test_api;
mod upload;
mod users;
mod versioned;

pub use error::{ApiError, ErrorJson};
pub use extract::{Caller, JsonBody, PathId, QueryOf};
pub use versioned::{
    Edit, EditBody, EditSchema, IfMatch, Precondition, VersionedEdit, created, edited_version,
    tagged,
};

use contracts::{contracts as contract, payments};
use customers::{
    activities, bulk, contacts, customer_types, customers as customer, pool, recycle_bin, search,
    settings, tasks, timeline,
};
use deals::{close_reasons, deals as deal, handover, pipelines, reopen_requests};
use expenses::{categories as expense_categories, expenses as expense};
use products::{products as product, sales_settings};
use quotes::quotes as quote;
use stock::{deliveries, stock as stock_api};
use targets::{planner, targets as target};

/// Builds `router()` and `ROUTES` from one table, so the list of (method,
/// path) the OpenAPI document is checked against is the router itself.
macro_rules! api_routes {
    ($($path:literal => $($method:ident($handler:expr)),+ $(; limit $limit:expr)?;)*) => {
        pub fn router() -> Router<AppState> {
            Router::new()
                $(.route(
                    $path,
                    MethodRouter::new()$(.$method($handler))+ $(.layer(DefaultBodyLimit::max($limit)))?,
                ))*
                .fallback(|| async { ApiError::Service(Error::NotFound, Locale::En) })
        }

        /// Every (method, path) the router answers, paths as under `/api/v1`.
        #[cfg_attr(not(test), allow(dead_code))]
        pub const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), $path),)+)*];
    };
}

api_routes! {
    "/me" => get(me);
    "/audit" => get(audit::audit_log);
    "/audit.csv" => get(audit::export_audit_log);
    "/backup" => get(backup::download_backup);
    "/backups" => get(backup::list_backups), post(backup::snapshot_now);
    "/backups/policy" => put(backup::update_backup_policy);
    "/company" => get(company), put(users::update_company);
    "/users" => get(list_users), post(create_user);
    "/users/{id}" => put(users::update_user);
    "/users/{id}/active" => post(users::set_user_active);
    "/users/{id}/password" => put(users::reset_password);
    "/tokens" => get(list_tokens), post(create_token);
    "/tokens/{id}" => delete(revoke_token);
    "/customers.csv" => get(export::export_customers);
    "/customers" => get(customer::list_customers), post(customer::create_customer);
    "/customers/{id}" => get(customer::get_customer), put(customer::update_customer),
        delete(customer::delete_customer);
    "/customers/bulk" => post(bulk::bulk_customers);
    "/customers/{id}/claim" => post(pool::claim_customer);
    "/customers/{id}/release" => post(pool::release_customer);
    "/customers/{id}/assign" => post(pool::assign_customer);
    "/customers/{id}/hot" => put(pool::set_hot);
    "/customers/{id}/timeline" => get(timeline::customer_timeline);
    "/recycle-bin" => get(recycle_bin::list_recycled);
    "/recycle-bin/{id}" => delete(recycle_bin::purge_customer);
    "/recycle-bin/{id}/restore" => post(recycle_bin::restore_customer);
    "/recycle-bin/records" => get(recycle_bin::list_binned_records);
    "/recycle-bin/records/{id}" => delete(recycle_bin::purge_binned_record);
    "/recycle-bin/records/{id}/restore" => post(recycle_bin::restore_binned_record);
    "/customers/{id}/contacts" => get(contacts::list_contacts), post(contacts::add_contact);
    "/contacts/{id}" => put(contacts::update_contact), delete(contacts::delete_contact);
    "/customers/{id}/activities" => get(activities::list_activities);
    "/activities" => post(activities::log_activity);
    "/activities/{id}" => delete(activities::delete_activity);
    "/tasks" => get(tasks::list_tasks), post(tasks::add_task);
    "/tasks/{id}" => put(tasks::update_task), delete(tasks::delete_task);
    "/search" => get(search::search);
    "/pipelines" => get(pipelines::list_pipelines), post(pipelines::create_pipeline);
    "/pipelines/{id}" => put(pipelines::save_pipeline);
    "/pipelines/{id}/board" => get(pipelines::board);
    "/pipelines/{id}/stages/{stage_id}" => delete(pipelines::remove_stage);
    "/deals" => get(deal::list_deals), post(deal::create_deal);
    "/deals/{id}" => get(deal::get_deal), patch(deal::update_deal), delete(deal::delete_deal);
    "/deals/{id}/stage" => post(deal::move_deal);
    "/deals/{id}/history" => get(deal::stage_history);
    "/deals/{id}/activities" => get(deal::deal_activities);
    "/deals/{id}/checklist" => post(deal::tick_checklist);
    "/deals/{id}/close" => post(deal::close_deal);
    "/deals/{id}/suspend" => post(deal::suspend_deal);
    "/deals/{id}/transfer" => post(deal::transfer_deal);
    "/deals/{id}/reopen-requests" => post(reopen_requests::request_reopen);
    "/reopen-requests" => get(reopen_requests::reopen_requests);
    "/reopen-requests/{id}" => post(reopen_requests::decide_reopen);
    "/close-reasons" => get(close_reasons::close_reasons), put(close_reasons::set_close_reasons);
    "/users/{id}/handover" => get(handover::handover_preview), post(handover::handover);
    "/openapi.json" => get(openapi::openapi_json);
    "/reports/funnel" => get(reports::funnel);
    "/reports/conversion" => get(reports::conversion);
    "/reports/forecast" => get(reports::forecast);
    "/reports/workbench" => get(reports::workbench);
    "/reports/activity" => get(reports::activity);
    "/reports/kpis" => get(reports::kpis);
    "/reports/cohorts" => get(reports::cohorts);
    "/reports/revenue" => get(revenue::revenue);
    "/reports/payments" => get(revenue::payments);
    "/reports/expenses" => get(revenue::expenses);
    "/reports/receivables" => get(revenue::receivables);
    "/reports/products" => get(revenue::products);
    "/imports" => post(upload::upload_import); limit UPLOAD_LIMIT;
    "/imports/{id}" => get(imports::import_preview);
    "/imports/{id}/status" => get(imports::import_status);
    "/imports/{id}/dry-run" => post(imports::import_dry_run);
    "/imports/{id}/run" => post(imports::run_import);
    "/vcards" => post(upload::upload_vcards); limit UPLOAD_LIMIT;
    "/customers/{id}/files" => get(upload::list_customer_files), post(upload::upload_file);
        limit FILE_LIMIT;
    "/deals/{id}/files" => get(upload::list_deal_files), post(upload::upload_deal_file);
        limit FILE_LIMIT;
    "/files/{id}" => get(upload::download_file), delete(upload::delete_file);
    "/customer-settings" => get(settings::customer_settings),
        put(settings::update_customer_settings);
    "/customer-types" => get(customer_types::list_customer_types),
        post(customer_types::add_customer_type);
    "/customer-types/{code}" => put(customer_types::change_customer_type);
    "/products.csv" => get(product::export_products);
    "/products" => get(product::list_products), post(product::create_product);
    "/products/{id}" => get(product::get_product), put(product::update_product),
        delete(product::delete_product);
    "/sales-settings" => get(sales_settings::sales_settings),
        put(sales_settings::set_sales_settings);
    "/quotes" => get(quote::list_quotes), post(quote::create_quote);
    "/quotes/{id}" => get(quote::get_quote), put(quote::update_quote), delete(quote::delete_quote);
    "/quotes/{id}/actions" => post(quote::quote_action);
    "/quotes/{id}/approval" => post(quote::decide_quote);
    "/quote-approvals" => get(quote::quote_inbox);
    "/contracts" => get(contract::list_contracts), post(contract::create_contract);
    "/contracts/{id}" => get(contract::get_contract), put(contract::update_contract),
        delete(contract::delete_contract);
    "/contracts/{id}/actions" => post(contract::contract_action);
    "/contracts/{id}/approval" => post(contract::decide_contract);
    "/contracts/{id}/versions" => get(contract::contract_versions);
    "/contracts/{id}/diff" => get(contract::contract_diff);
    "/contracts/{id}/plan" => put(contract::set_plan);
    "/contracts/{id}/payments" => get(payments::list_payments), post(payments::record_payment);
    "/contract-approvals" => get(contract::contract_inbox);
    "/receivables" => get(payments::receivables);
    "/stock" => get(stock_api::stock_levels);
    "/stock/low" => get(stock_api::low_stock);
    "/stock-moves" => get(stock_api::list_stock_moves);
    "/stock-moves/purchases" => post(stock_api::stock_in);
    "/stock-moves/adjustments" => post(stock_api::adjust_stock);
    "/products/{id}/margin" => get(stock_api::product_margin);
    "/contracts/{id}/deliveries" => get(deliveries::contract_deliveries), post(deliveries::deliver);
    "/expenses" => get(expense::list_expenses), post(expense::create_expense);
    "/expenses/{id}" => get(expense::get_expense), put(expense::update_expense), delete(expense::delete_expense);
    "/expense-categories" => get(expense_categories::expense_categories), put(expense_categories::set_expense_categories);
    "/targets" => get(target::list_targets), post(target::create_target);
    "/targets/split" => post(target::split_target);
    "/targets/{id}" => get(target::get_target), put(target::update_target), delete(target::delete_target);
    "/targets/{id}/progress" => get(target::target_progress);
    "/planner" => get(planner::planner);
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

#[derive(Deserialize)]
struct TokenName {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<TokenName>,
) -> Result<(StatusCode, Json<NewApiToken>), ApiError> {
    caller
        .call(&state, move |gx, me| gx.create_token(me, &body.name))
        .await
        .map(|t| (StatusCode::CREATED, Json(t)))
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
