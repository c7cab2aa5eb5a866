//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the REST API,
//! generated from the handlers' annotations and the model's schemas.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use guanxi_core::model::{ApiToken, Company, User, UserInput};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::ErrorJson;
use super::contracts::{contracts as contract_api, payments};
use super::customers::{activities, contacts, customer_types, customers, search, tasks};
use super::deals::{close_reasons, deals, handover, pipelines, reopen_requests};
use super::products::{products, sales_settings};
use super::quotes::quotes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Guanxi CRM API",
        description = "The JSON API of Guanxi CRM. Authenticate with a personal token \
                       (`guanxi token create`, or the account page) as \
                       `Authorization: Bearer <token>`. Errors are \
                       `{error, message, field?}`, with `message` in the caller's \
                       language. Edits name the version they start from as \
                       `If-Match: \"<version>\"` (reads send it as `ETag`) or a \
                       `version` field; a stale one answers 409 `conflict`, a \
                       missing one 428 `version_required`."
    ),
    paths(
        me, company, list_users, create_user, list_tokens, revoke_token, export_customers,
        customers::list_customers, customers::get_customer, customers::create_customer,
        customers::update_customer, customers::delete_customer,
        contacts::list_contacts, contacts::add_contact, contacts::update_contact,
        contacts::delete_contact,
        activities::list_activities, activities::log_activity, activities::delete_activity,
        tasks::list_tasks, tasks::add_task, tasks::update_task, tasks::delete_task,
        search::search,
        customer_types::list_customer_types, customer_types::add_customer_type,
        customer_types::change_customer_type,
        list_deal_files, upload_deal_file, delete_file,
        pipelines::list_pipelines, pipelines::board, deals::list_deals, deals::get_deal,
        deals::create_deal, deals::move_deal, deals::stage_history, deals::deal_activities,
        deals::update_deal, deals::delete_deal, deals::tick_checklist, deals::close_deal,
        deals::suspend_deal, deals::transfer_deal,
        reopen_requests::request_reopen, reopen_requests::reopen_requests,
        reopen_requests::decide_reopen,
        close_reasons::close_reasons, close_reasons::set_close_reasons,
        pipelines::create_pipeline, pipelines::save_pipeline, pipelines::remove_stage,
        handover::handover,
        products::list_products, products::get_product, products::create_product,
        products::update_product, products::delete_product, products::export_products,
        sales_settings::sales_settings, sales_settings::set_sales_settings,
        quotes::list_quotes, quotes::get_quote, quotes::create_quote, quotes::update_quote,
        quotes::delete_quote, quotes::quote_action, quotes::decide_quote, quotes::quote_inbox,
        contract_api::list_contracts, contract_api::get_contract, contract_api::create_contract,
        contract_api::update_contract, contract_api::delete_contract,
        contract_api::contract_action, contract_api::decide_contract,
        contract_api::contract_versions, contract_api::contract_diff, contract_api::set_plan,
        contract_api::contract_inbox, payments::list_payments, payments::record_payment,
        payments::receivables,
        openapi_json,
    ),
    components(schemas(ErrorJson)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "account", description = "Who is calling, the company, users and tokens"),
        (name = "customers", description = "Customers, the list, search and CSV export"),
        (name = "contacts", description = "People at a customer"),
        (name = "activities", description = "Calls, visits, messages and notes on a customer"),
        (name = "tasks", description = "To-dos and commitments to customers"),
        (name = "files", description = "Files on customers and deals"),
        (name = "deals", description = "Pipelines, their boards, deals, stage moves, closing and reopening, transfers and handovers"),
        (name = "products", description = "Products, their CSV export, and the sales settings quotes and contracts follow"),
        (name = "contracts", description = "Contracts with versions and approval, payment plans, payments received and receivables with aging"),
        (name = "quotes", description = "Quotes with their lines and totals, the status flow and the approval of discounts above the limit"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|e| format!(r#"{{"error":"internal","message":"{e}"}}"#))
});

#[utoipa::path(
    get, path = "/api/v1/openapi.json", tag = "account", security(()),
    responses((status = 200, description = "This document", content_type = "application/json"))
)]
pub async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

// The handlers below live in `mod.rs` and `export.rs`; these bodiless twins
// only describe them, so those files need no annotations.

/// What `create_user` reads: the user, and a first password.
#[derive(ToSchema)]
#[allow(dead_code)]
struct NewUser {
    #[serde(flatten)]
    user: UserInput,
    password: String,
}

/// The caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = User), (status = 401, body = ErrorJson)))]
#[allow(dead_code)]
fn me() {}

#[utoipa::path(get, path = "/api/v1/company", tag = "account",
    responses((status = 200, body = Company)))]
#[allow(dead_code)]
fn company() {}

/// Every user (admins only).
#[utoipa::path(get, path = "/api/v1/users", tag = "account",
    responses((status = 200, body = Vec<User>), (status = 403, body = ErrorJson)))]
#[allow(dead_code)]
fn list_users() {}

/// Add a user (admins only).
#[utoipa::path(post, path = "/api/v1/users", tag = "account", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
#[allow(dead_code)]
fn create_user() {}

/// The caller's API tokens; their secrets are shown only when created.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account",
    responses((status = 200, body = Vec<ApiToken>)))]
#[allow(dead_code)]
fn list_tokens() {}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account",
    params(("id" = guanxi_core::model::Id, Path)),
    responses((status = 204), (status = 404, body = ErrorJson)))]
#[allow(dead_code)]
fn revoke_token() {}

/// The customer list as CSV, with the same filters as `GET /api/v1/customers`
/// (or `ids`: comma-separated ids), headers in the caller's language.
#[utoipa::path(get, path = "/api/v1/customers.csv", tag = "customers",
    params(("ids" = Option<String>, Query, description = "Comma-separated ids to export instead of the filtered list")),
    responses((status = 200, description = "A CSV file", content_type = "text/csv")))]
#[allow(dead_code)]
fn export_customers() {}

/// A deal's files, newest first (they are its customer's files too).
#[utoipa::path(get, path = "/api/v1/deals/{id}/files", tag = "files",
    params(("id" = guanxi_core::model::Id, Path)),
    responses((status = 200, body = Vec<guanxi_core::model::FileMeta>), (status = 404, body = ErrorJson)))]
#[allow(dead_code)]
fn list_deal_files() {}

/// Attach a file to a deal: a multipart form with one file field, within
/// the size limit of the customer settings. A browser form post is sent on
/// to the deal page.
#[utoipa::path(post, path = "/api/v1/deals/{id}/files", tag = "files",
    params(("id" = guanxi_core::model::Id, Path)),
    request_body(content_type = "multipart/form-data", description = "One file field"),
    responses((status = 201, body = guanxi_core::model::FileMeta), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
#[allow(dead_code)]
fn upload_deal_file() {}

/// Delete a file: whoever may edit its deal, or its customer for a
/// customer's own file.
#[utoipa::path(delete, path = "/api/v1/files/{id}", tag = "files",
    params(("id" = guanxi_core::model::Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
#[allow(dead_code)]
fn delete_file() {}
