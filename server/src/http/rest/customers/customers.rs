//! Customers: the filtered list, one customer, create, edit and the
//! recycle bin.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{ContactInput, Customer, CustomerInput, Id, ListParams};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, created, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Rows per page: 50 unless given, 500 at most.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
}

impl Paging {
    fn limit(&self) -> usize {
        self.limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }
}

/// The customer list's filters, as the list page's URL carries them (the
/// document's view of `ListParams`, which reads them).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CustomerFilters {
    /// `mine`, `pool`, a user id, or empty for all the caller may see.
    #[param(pattern = "^(|mine|pool|[0-7][0-9A-HJKMNP-TV-Z]{25})$")]
    scope: Option<String>,
    /// Customers of this user, within the scope.
    owner: Option<Id>,
    /// Text in the name, phone or email of the customer or one of its
    /// contacts; Chinese substrings match.
    #[param(max_length = 200)]
    q: Option<String>,
    /// A customer type's code (`GET /api/v1/customer-types`).
    #[param(rename = "type", max_length = 50)]
    customer_type: Option<String>,
    #[param(max_length = 50)]
    tag: Option<String>,
    #[param(max_length = 50)]
    region: Option<String>,
    #[param(max_length = 50)]
    industry: Option<String>,
    /// `yes` or `no`.
    #[param(pattern = "^(|yes|no)$")]
    hot: Option<String>,
    /// Last contact on or after this day (company time zone).
    from: Option<chrono::NaiveDate>,
    /// Last contact on or before this day.
    to: Option<chrono::NaiveDate>,
    /// Created on or after this day (company time zone).
    created_from: Option<chrono::NaiveDate>,
    /// Created on or before this day.
    created_to: Option<chrono::NaiveDate>,
    /// Customers of the members of this team (never the pool).
    #[param(max_length = 50, pattern = r"^[^\p{Cc}]*$")]
    team: Option<String>,
    /// A custom field value, `key=value`.
    #[param(pattern = "^(|[^=]+=.*)$", max_length = 200)]
    field: Option<String>,
    /// `updated`, `name`, `created` or `contact`; a leading `-` sorts
    /// descending; default `-updated`.
    #[param(pattern = "^(|-?(updated|name|created|contact))$")]
    sort: Option<String>,
    /// Page number from 0.
    #[param(minimum = 0, maximum = 1000000)]
    page: Option<usize>,
}

/// One page of a filtered customer list.
#[derive(Serialize, ToSchema)]
pub struct CustomerList {
    items: Vec<Customer>,
    /// How many customers match in all.
    total: usize,
    /// The page shown, from 0.
    page: usize,
    limit: usize,
}

/// List customers the caller may see, filtered, sorted and paged as the
/// customer list page does.
#[utoipa::path(
    get, path = "/api/v1/customers", tag = "customers",
    params(
        CustomerFilters,
        Paging,
    ),
    responses(
        (status = 200, body = CustomerList),
        (status = 422, description = "A filter that does not parse", body = ErrorJson),
    )
)]
pub async fn list_customers(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(paging): QueryOf<Paging>,
) -> Result<Json<CustomerList>, ApiError> {
    let (limit, page) = (paging.limit(), params.page);
    let (total, items) = caller
        .call(&state, move |gx, me| {
            let query = params.to_query(me, gx.company_zone(), limit)?;
            gx.list_customers(me, &query)
        })
        .await?;
    Ok(Json(CustomerList {
        items,
        total,
        page,
        limit,
    }))
}

/// One customer. Another rep's customer reads as not found.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = Id, Path)),
    responses(
        (status = 200, body = Customer, headers(("ETag" = String, description = "The version in quotes, for If-Match"))),
        (status = 404, body = ErrorJson),
    )
)]
pub async fn get_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let customer = caller
        .call(&state, move |gx, me| gx.customer(me, id))
        .await?;
    Ok(tagged(StatusCode::OK, customer))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCustomer {
    #[serde(flatten)]
    customer: CustomerInput,
    /// Its first contacts.
    #[serde(default)]
    contacts: Vec<ContactInput>,
    /// Save even when it looks like an existing customer.
    #[serde(default)]
    confirm_duplicate: bool,
    /// An admin's reason for going over their holding limit (kept in the
    /// customer's audit trail); without it the limit answers 409
    /// `holding_limit`.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    limit_override_reason: Option<String>,
}

/// Create a customer owned by the caller, with its first contacts.
#[utoipa::path(
    post, path = "/api/v1/customers", tag = "customers",
    request_body = NewCustomer,
    responses(
        (status = 201, body = Customer, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "`possible_duplicates`, with the matches in `duplicates`; `holding_limit` when the caller holds as many customers as the company allows", body = ErrorJson),
        (status = 422, description = "Invalid input; `field` names it", body = ErrorJson),
    )
)]
pub async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewCustomer>,
) -> Result<Response, ApiError> {
    let customer = caller
        .call(&state, move |gx, me| {
            gx.create_customer_with(
                me,
                body.customer,
                body.contacts,
                body.confirm_duplicate,
                body.limit_override_reason.as_deref(),
            )
        })
        .await?;
    let location = format!("/api/v1/customers/{}", customer.id);
    Ok(created(customer, location))
}

/// An edit of a customer.
pub type CustomerEdit = Edit<CustomerInput>;

impl EditSchema for CustomerInput {
    const EDIT_SCHEMA: &'static str = "CustomerEdit";
}

/// Save an edit of a customer.
#[utoipa::path(
    put, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = Id, Path), IfMatch),
    request_body = CustomerEdit,
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 403, description = "Visible but not editable, e.g. a pool customer not yet claimed", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved a newer version", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`: no If-Match and no version", body = ErrorJson),
    )
)]
pub async fn update_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<CustomerEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_customer(me, id, input, version)
    })
    .await
}

/// Move a customer to the recycle bin, from which an admin can restore it.
#[utoipa::path(
    delete, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.recycle_customer(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
