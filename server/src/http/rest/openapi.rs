//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the REST API,
//! generated from the handlers' annotations and the model's schemas.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use guanxi_core::model::{
    ApiToken, Company, FileMeta, Id, ImportKind, ImportPreview, NewApiToken, User, UserInput,
    VcardReport,
};
use utoipa::openapi::schema::Ref;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use super::ErrorJson;
use super::contracts::{contracts as contract_api, payments};
use super::customers::customers::CustomerFilters;
use super::customers::{
    activities, bulk, contacts, customer_types, customers, pool, recycle_bin, search, settings,
    tasks, timeline,
};
use super::deals::{close_reasons, deals, handover, pipelines, reopen_requests};
use super::expenses::{categories as expense_categories, expenses};
use super::products::{products, sales_settings};
use super::quotes::quotes;
use super::stock::{deliveries, stock};
use super::targets::{planner, targets};
use super::{audit, backup, imports, reports, revenue, users};

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
        me, company, users::update_company, list_users, create_user, users::update_user, users::set_user_active,
        users::reset_password, list_tokens, create_token, revoke_token,
        audit::audit_log, audit::export_audit_log,
        download_backup, backup::list_backups, backup::update_backup_policy,
        backup::snapshot_now, export_customers,
        customers::list_customers, customers::get_customer, customers::create_customer,
        customers::update_customer, customers::delete_customer,
        bulk::bulk_customers, pool::claim_customer, pool::release_customer, pool::assign_customer, pool::set_hot,
        timeline::customer_timeline,
        recycle_bin::list_recycled, recycle_bin::restore_customer, recycle_bin::purge_customer,
        recycle_bin::list_binned_records, recycle_bin::restore_binned_record,
        recycle_bin::purge_binned_record,
        upload_import, imports::import_preview, imports::import_status, imports::import_dry_run,
        imports::run_import, upload_vcards,
        contacts::list_contacts, contacts::add_contact, contacts::update_contact,
        contacts::delete_contact,
        activities::list_activities, activities::log_activity, activities::delete_activity,
        tasks::list_tasks, tasks::add_task, tasks::update_task, tasks::delete_task,
        search::search,
        customer_types::list_customer_types, customer_types::add_customer_type,
        customer_types::change_customer_type,
        settings::customer_settings, settings::update_customer_settings,
        list_customer_files, upload_customer_file, list_deal_files, upload_deal_file,
        download_file, delete_file,
        pipelines::list_pipelines, pipelines::board, deals::list_deals, deals::get_deal,
        deals::create_deal, deals::move_deal, deals::stage_history, deals::deal_activities,
        deals::update_deal, deals::delete_deal, deals::tick_checklist, deals::close_deal,
        deals::suspend_deal, deals::transfer_deal,
        reopen_requests::request_reopen, reopen_requests::reopen_requests,
        reopen_requests::decide_reopen,
        close_reasons::close_reasons, close_reasons::set_close_reasons,
        pipelines::create_pipeline, pipelines::save_pipeline, pipelines::remove_stage,
        handover::handover_preview, handover::handover,
        reports::funnel, reports::conversion, reports::forecast, reports::workbench,
        reports::activity, reports::kpis, reports::cohorts,
        revenue::revenue, revenue::payments, revenue::expenses, revenue::receivables,
        revenue::products,
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
        stock::stock_levels, stock::low_stock, stock::list_stock_moves, stock::stock_in,
        stock::adjust_stock, stock::product_margin, deliveries::contract_deliveries,
        deliveries::deliver,
        expenses::list_expenses, expenses::get_expense, expenses::create_expense,
        expenses::update_expense, expenses::delete_expense,
        expense_categories::expense_categories, expense_categories::set_expense_categories,
        targets::list_targets, targets::get_target, targets::create_target,
        targets::update_target, targets::delete_target, targets::target_progress,
        targets::split_target, planner::planner,
        openapi_json,
    ),
    // Schemas only parameters name are not collected from the paths.
    components(schemas(ErrorJson, Binary, guanxi_core::model::TimelineKind)),
    modifiers(&BearerAuth, &SharedResponses),
    security(("bearer" = [])),
    tags(
        (name = "account", description = "Who is calling, the company, users and tokens, and the audit log"),
        (name = "customers", description = "Customers, the list, search and CSV export"),
        (name = "contacts", description = "People at a customer"),
        (name = "activities", description = "Calls, visits, messages and notes on a customer"),
        (name = "tasks", description = "To-dos and commitments to customers"),
        (name = "files", description = "Files on customers and deals"),
        (name = "imports", description = "Spreadsheet imports of customers, products and past orders (contracts with their payments), and vCard imports"),
        (name = "operations", description = "Backups"),
        (name = "deals", description = "Pipelines, their boards, deals, stage moves, closing and reopening, transfers and handovers"),
        (name = "reports", description = "The numbers behind the dashboards and the workbench"),
        (name = "products", description = "Products, their CSV export (imported back through `/imports?kind=products`), and the sales settings quotes and contracts follow"),
        (name = "contracts", description = "Contracts with versions and approval, payment plans, payments received and receivables with aging; past orders are imported through `/imports?kind=orders`"),
        (name = "stock", description = "Stock on hand and low, purchases and adjustments, deliveries against contract lines, and the gross margin by the company's cost method"),
        (name = "expenses", description = "Expenses by category, spender, period and customer, and the company's categories"),
        (name = "targets", description = "Targets (指标) of the company, teams, reps, regions and products with their progress, and the target planner"),
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

/// The answers any route may give besides its own, added to every operation
/// here so no annotation can forget them: who is not signed in, a body or
/// query that does not parse, a disk that is full or failing, a bug.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::HttpMethod;
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorJson"))),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Patch, &mut item.patch),
                (HttpMethod::Delete, &mut item.delete),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let public = operation
                    .security
                    .as_ref()
                    .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
                let params = operation.parameters.as_deref().unwrap_or_default();
                let queried = params
                    .iter()
                    .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query));
                let if_match = params.iter().any(|p| p.name == "If-Match");
                let json_body = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|b| b.content.contains_key("application/json"));
                let form_body = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|b| b.content.contains_key("multipart/form-data"));
                let mut shared = vec![("500", "`internal`: a bug, logged on the server")];
                if params
                    .iter()
                    .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Path))
                {
                    shared.push((
                        "404",
                        "`not_found`: the path names nothing the caller may see",
                    ));
                }
                if !public {
                    shared.push(("401", "`unauthenticated`: no valid token or session"));
                    shared.push((
                        "503",
                        "`storage_unavailable`: the disk failed a read or write; nothing was saved",
                    ));
                }
                if method != HttpMethod::Get {
                    shared.push(("507", "`storage_full`: the disk is full; nothing was saved"));
                }
                if queried {
                    shared.push(("400", "`bad_request`: a query that does not parse"));
                }
                if if_match {
                    shared.push((
                        "400",
                        "`bad_request`: an If-Match that is no quoted version, or one that \
                         disagrees with the body's `version`",
                    ));
                }
                if json_body {
                    shared.push(("400", "`bad_request`: a body that is not JSON"));
                    shared.push((
                        "415",
                        "`bad_request`: a body that is not `application/json`",
                    ));
                    shared.push((
                        "422",
                        "`bad_request`: a body that does not fit the schema; `invalid`: a \
                         value the rules refuse, `field` names it",
                    ));
                }
                if json_body || form_body {
                    shared.push(("413", "`bad_request`: a body over the size limit"));
                }
                if form_body {
                    shared.push(("400", "`bad_request`: a body that is no multipart form"));
                    shared.push((
                        "422",
                        "`invalid` `file`: no file, an empty one or one over the size limit",
                    ));
                }
                for (status, description) in shared {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| error(description).into());
                }
            }
        }
    }
}

/// The document, for the tests that hold the router to it.
#[cfg(test)]
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
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
    /// At least 10 characters; no composition rules.
    #[schema(min_length = 10, max_length = 256)]
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

/// The customer list as CSV (UTF-8 with a byte-order mark, so Excel reads
/// Chinese), with the same filters as `GET /api/v1/customers`, or `ids`,
/// headers in the caller's language.
#[utoipa::path(get, path = "/api/v1/customers.csv", tag = "customers",
    params(
        CustomerFilters,
        ("ids" = Option<String>, Query, description = "Comma-separated ids to export instead of the filtered list",
            pattern = "^([0-7][0-9A-HJKMNP-TV-Z]{25}(,[0-7][0-9A-HJKMNP-TV-Z]{25})*)?$"),
    ),
    responses(
        (status = 200, description = "A CSV file, as an attachment", content_type = "text/csv; charset=utf-8", body = String),
        (status = 404, description = "An id in `ids` that is no customer the caller sees", body = ErrorJson),
        (status = 422, description = "A filter the rules refuse", body = ErrorJson),
    ))]
#[allow(dead_code)]
fn export_customers() {}

/// Create an API token for the caller; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = TokenName,
    responses((status = 201, body = NewApiToken), (status = 422, body = ErrorJson)))]
#[allow(dead_code)]
fn create_token() {}

/// What `create_token` reads.
#[derive(ToSchema)]
#[allow(dead_code)]
struct TokenName {
    /// What the token is for, e.g. "ERP sync".
    #[schema(min_length = 1, max_length = 100)]
    name: String,
}

/// A consistent snapshot of the data file while everyone keeps working
/// (admins): a redb file that `guanxi restore` puts back.
#[utoipa::path(get, path = "/api/v1/backup", tag = "operations",
    responses(
        (status = 200, description = "The snapshot with the attached files, as an attachment `guanxi-<time>.redb`",
            content_type = "application/octet-stream", body = Binary,
            headers(
                ("Content-Disposition" = String),
                ("X-Guanxi-Schema-Version" = u32, description = "The snapshot's schema version"),
                ("X-Guanxi-Customers" = u64, description = "How many customers it holds"),
                ("X-Guanxi-Attachments" = u64, description = "How many attached files it carries, with their bytes (restore writes them back into files/)"),
            )),
        (status = 403, body = ErrorJson),
    ))]
#[allow(dead_code)]
fn download_backup() {}

/// A multipart form with one file field.
#[derive(ToSchema)]
#[allow(dead_code)]
struct FileForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct Binary(Vec<u8>);

/// What an uploaded sheet holds.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ImportOf {
    /// `customers` (the default), `products` or `orders`; the job keeps its kind,
    /// so its mapping, dry run and run need not say it again.
    kind: Option<ImportKind>,
}

/// Upload a spreadsheet (CSV in UTF-8 or GB18030, or XLSX) to import
/// customers or, with `?kind=products`, products or, with `?kind=orders`,
/// past orders with their payments (both admins and managers): the
/// answer is the job's preview, for `POST /api/v1/imports/{id}/dry-run`
/// and `…/run`. A browser form post (`Accept: text/html`) is sent on to the
/// mapping page instead.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports",
    params(ImportOf),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = ImportPreview),
        (status = 303, description = "To the mapping page, for a browser"),
        (status = 403, description = "Products and orders are imported by admins and managers", body = ErrorJson),
        (status = 422, description = "`invalid` `file`: unreadable, empty or too large", body = ErrorJson),
    ))]
#[allow(dead_code)]
fn upload_import() {}

/// Where vCards go.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct VcardTarget {
    /// Add the cards to this customer as contacts; without it each card
    /// becomes a person-customer.
    customer: Option<Id>,
}

/// Import a vCard file (`.vcf`, one or many cards). A browser form post is
/// sent on to the customer or the list.
#[utoipa::path(post, path = "/api/v1/vcards", tag = "imports",
    params(VcardTarget),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = VcardReport),
        (status = 303, description = "Back to the page, for a browser"),
        (status = 403, body = ErrorJson),
        (status = 404, description = "No such customer", body = ErrorJson),
        (status = 422, body = ErrorJson),
    ))]
#[allow(dead_code)]
fn upload_vcards() {}

/// A customer's files, its deals' included, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{id}/files", tag = "files",
    params(("id" = Id, Path)),
    responses((status = 200, body = Vec<FileMeta>), (status = 404, body = ErrorJson)))]
#[allow(dead_code)]
fn list_customer_files() {}

/// Attach a file to a customer, within the size limit of the customer
/// settings. A browser form post is sent on to the customer page.
#[utoipa::path(post, path = "/api/v1/customers/{id}/files", tag = "files",
    params(("id" = Id, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = FileMeta),
        (status = 303, description = "To the customer page, for a browser"),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 422, body = ErrorJson),
    ))]
#[allow(dead_code)]
fn upload_customer_file() {}

/// A file's bytes with the type it was uploaded as: images inline, all else
/// as a download.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "files",
    params(("id" = Id, Path)),
    responses(
        (status = 200, description = "The file", content_type = "*/*", body = Binary,
            headers(("Content-Disposition" = String))),
        (status = 404, body = ErrorJson),
    ))]
#[allow(dead_code)]
fn download_file() {}

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
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = guanxi_core::model::FileMeta), (status = 303, description = "To the deal page, for a browser"), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
#[allow(dead_code)]
fn upload_deal_file() {}

/// Delete a file: whoever may edit its deal, or its customer for a
/// customer's own file.
#[utoipa::path(delete, path = "/api/v1/files/{id}", tag = "files",
    params(("id" = guanxi_core::model::Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
#[allow(dead_code)]
fn delete_file() {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::ApiDoc;
    use utoipa::OpenApi;

    /// Every (method, path) of the document.
    pub fn documented() -> BTreeSet<(String, String)> {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut out = BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    out.insert((method.clone(), path.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn every_route_of_the_router_is_in_the_document_and_nothing_else() {
        let routed: BTreeSet<(String, String)> = super::super::ROUTES
            .iter()
            .map(|(method, path)| (method.to_string(), format!("/api/v1{path}")))
            .collect();
        let documented = documented();
        let undocumented: Vec<_> = routed.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routed).collect();
        assert!(
            undocumented.is_empty() && unrouted.is_empty(),
            "routes missing from the document: {undocumented:?}; documented but not routed: {unrouted:?}"
        );
    }

    /// `CustomerFilters` describes `ListParams` for the document: the same
    /// names, so a filter added to the list is not left out of the API's.
    #[test]
    fn the_documented_customer_filters_are_the_ones_the_list_reads() {
        let read: BTreeSet<String> =
            serde_json::to_value(guanxi_core::model::ListParams::default())
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in ["/api/v1/customers", "/api/v1/customers.csv"] {
            let documented: BTreeSet<String> = document["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["name"].as_str())
                .filter(|name| !["limit", "ids"].contains(name))
                .map(str::to_string)
                .collect();
            assert_eq!(documented, read, "{path}");
        }
    }

    /// `AuditFilters` describes `AuditFilter` for the document, as above.
    #[test]
    fn the_documented_audit_filters_are_the_ones_the_log_reads() {
        let read: BTreeSet<String> =
            serde_json::to_value(guanxi_core::model::AuditFilter::default())
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in ["/api/v1/audit", "/api/v1/audit.csv"] {
            let documented: BTreeSet<String> = document["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["name"].as_str())
                .filter(|name| !["page", "limit"].contains(name))
                .map(str::to_string)
                .collect();
            assert_eq!(documented, read, "{path}");
        }
    }

    #[test]
    fn every_schema_the_document_refers_to_is_in_it() {
        fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                        out.push(r.trim_start_matches("#/components/schemas/").into());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut named = Vec::new();
        refs(&document, &mut named);
        let missing: BTreeSet<_> = named
            .into_iter()
            .filter(|name| document["components"]["schemas"][name].is_null())
            .collect();
        assert!(
            missing.is_empty(),
            "referred to but not defined: {missing:?}"
        );
    }

    #[test]
    fn every_operation_documents_the_errors_every_route_shares() {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.contains_key("500"), "{method} {path}");
                if path != "/api/v1/openapi.json" {
                    assert!(responses.contains_key("401"), "{method} {path}");
                }
                if operation["requestBody"]["content"]["application/json"].is_object() {
                    for status in ["400", "415", "422"] {
                        assert!(responses.contains_key(status), "{method} {path} {status}");
                    }
                }
            }
        }
    }
}
#[cfg(test)]
#[test]
fn dump_document_tmp() {
    std::fs::write(
        "/tmp/wt14-openapi.json",
        document().to_pretty_json().unwrap(),
    )
    .unwrap();
}
