//! Products: the list, one product, its edits, deletion and the CSV export
//! (its import is the shared spreadsheet import's, `imports.rs`).

use app::i18n::{Msg, product_column_msg};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guanxi_core::domain::{products, spreadsheet};
use guanxi_core::model::{Id, Product, ProductInput};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Include deactivated products (left out unless `true`).
    #[serde(default)]
    inactive: bool,
}

/// The products, ordered by code.
#[utoipa::path(
    get, path = "/api/v1/products", tag = "products",
    params(ProductFilter),
    responses((status = 200, body = Vec<Product>))
)]
pub async fn list_products(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<ProductFilter>,
) -> Result<Json<Vec<Product>>, ApiError> {
    let products = caller
        .call(&state, move |gx, me| gx.products(me, filter.inactive))
        .await?;
    Ok(Json(products))
}

#[utoipa::path(
    get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Product, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_product(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let product = caller
        .call(&state, move |gx, me| gx.product(me, id))
        .await?;
    Ok(tagged(StatusCode::OK, product))
}

/// Add a product (admins and managers). Amounts as typed, `12,800.00`.
#[utoipa::path(
    post, path = "/api/v1/products", tag = "products",
    request_body = ProductInput,
    responses(
        (status = 201, body = Product, headers(("ETag" = String), ("Location" = String))),
        (status = 403, body = ErrorJson),
        (status = 422, description = "Invalid input, or `code` taken by another product", body = ErrorJson),
    )
)]
pub async fn create_product(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<ProductInput>,
) -> Result<Response, ApiError> {
    let product = caller
        .call(&state, move |gx, me| gx.create_product(me, input))
        .await?;
    let location = format!("/api/v1/products/{}", product.id);
    Ok(created(product, location))
}

/// An edit of a product.
pub type ProductEdit = Edit<ProductInput>;

impl EditSchema for ProductInput {
    const EDIT_SCHEMA: &'static str = "ProductEdit";
}

/// Save an edit of a product (admins and managers); quotes already written
/// keep the code, name and price they had.
#[utoipa::path(
    put, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = Id, Path), IfMatch),
    request_body = ProductEdit,
    responses(
        (status = 200, body = Product, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved a newer version", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_product(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<ProductEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_product(me, id, version, input)
    })
    .await
}

/// Delete a product no quote uses (admins and managers); one in use answers
/// 409 `in_use`: deactivate it instead.
#[utoipa::path(
    delete, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = Id, Path)),
    responses(
        (status = 204),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`in_use` or `conflict`", body = ErrorJson),
    )
)]
pub async fn delete_product(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_product(me, id, None))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The products as the list shows them (deactivated ones with
/// `inactive=true`), as a CSV file Excel opens directly, headers in the
/// caller's language. It imports back unchanged through
/// `POST /api/v1/imports?kind=products`.
#[utoipa::path(
    get, path = "/api/v1/products.csv", tag = "products",
    params(ProductFilter),
    responses((status = 200, description = "A CSV file", content_type = "text/csv"))
)]
pub async fn export_products(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<ProductFilter>,
) -> Result<Response, ApiError> {
    let locale = caller.locale;
    let bytes = caller
        .call(&state, move |gx, me| {
            let t = |m: Msg| m.text(locale);
            let headers = products::EXPORT_COLUMNS.map(|column| {
                product_column_msg(&column)
                    .map(t)
                    .unwrap_or_default()
                    .to_string()
            });
            let status = [t(Msg::ProductActive), t(Msg::ProductInactive)];
            let rows = gx
                .products(me, filter.inactive)?
                .into_iter()
                .map(|p| products::export_row(&p, status));
            Ok(spreadsheet::write_csv(&headers, rows))
        })
        .await?;
    let filename = format!("products-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
