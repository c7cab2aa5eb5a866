//! The customer API: customers, contacts, activities, tasks and search. Each
//! handler parses the request, calls the service the pages call, and answers
//! JSON, so visibility, validation and version checks are the UI's own.
//!
//! Edits are optimistic: a read answers with `ETag: "<version>"`, and an edit
//! names the version it started from, as `If-Match: "<version>"` or as a
//! `version` field. Without either it is refused with 428, since saving
//! blindly over someone else's change is what the version exists to prevent.

use app::api::customers::{ListParams, company_zone};
use app::i18n::Msg;
use app::ssr::RequestContext;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guanxi_core::Error;
use guanxi_core::model::{
    Activity, ActivityInput, Contact, ContactInput, Customer, CustomerInput, DuplicateHint, Hit,
    Id, Locale, Task, TaskInput,
};
use guanxi_core::service::TaskChanges;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, Caller};
use crate::http::AppState;

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 500;
const SEARCH_HITS: usize = 20;

/// The error body of every API failure. `error` is a stable code (`invalid`,
/// `not_found`, `conflict`, `possible_duplicates`, `version_required`,
/// `bad_request`, …); `message` is for people, in the caller's language.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    error: String,
    message: String,
    /// The input field at fault, with `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<guanxi_core::Field>,
    /// With `possible_duplicates`: the existing customers the new one looks
    /// like. Send the request again with `confirm_duplicate: true` to save anyway.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    duplicates: Vec<DuplicateHint>,
}

/// Why a request here failed.
pub enum Refusal {
    /// A service said no.
    Service(ApiError),
    /// An edit that named no version.
    VersionRequired(Locale),
    /// A body, query or header that does not parse; `detail` is the parser's
    /// own (English) account of where.
    Unreadable {
        status: StatusCode,
        detail: String,
        locale: Locale,
    },
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Refusal::Service(e)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            // The one error whose details a client needs to act on.
            Refusal::Service(ApiError(Error::PossibleDuplicates(hints), locale)) => {
                let error = Error::PossibleDuplicates(hints.clone());
                let body = ErrorJson {
                    error: error.code().into(),
                    message: app::i18n::error_text(&error, locale),
                    field: None,
                    duplicates: hints,
                };
                (StatusCode::CONFLICT, body)
            }
            Refusal::Service(other) => return other.into_response(),
            Refusal::VersionRequired(locale) => (
                StatusCode::PRECONDITION_REQUIRED,
                ErrorJson {
                    error: "version_required".into(),
                    message: app::i18n::Msg::ErrVersionRequired.text(locale).into(),
                    field: None,
                    duplicates: Vec::new(),
                },
            ),
            Refusal::Unreadable {
                status,
                detail,
                locale,
            } => (
                status,
                ErrorJson {
                    error: "bad_request".into(),
                    message: format!("{} {detail}", Msg::ErrMalformed.text(locale)),
                    field: None,
                    duplicates: Vec::new(),
                },
            ),
        };
        (status, Json(body)).into_response()
    }
}

/// The caller's language before `Caller` is extracted, as `Caller` picks it.
fn locale_of(extensions: &Extensions) -> Locale {
    extensions
        .get::<RequestContext>()
        .and_then(|c| {
            c.auth
                .as_ref()
                .and_then(|a| a.user.locale)
                .or(c.browser_locale)
        })
        .unwrap_or(Locale::En)
}

/// A JSON body whose parse errors answer in the API's error shape.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let locale = locale_of(req.extensions());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(e) => Err(Refusal::Unreadable {
                status: e.status(),
                detail: e.body_text(),
                locale,
            }),
        }
    }
}

/// A query string whose parse errors answer in the API's error shape.
pub struct QueryOf<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryOf<T> {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(QueryOf(value)),
            Err(e) => Err(Refusal::Unreadable {
                status: e.status(),
                detail: e.body_text(),
                locale: locale_of(&parts.extensions),
            }),
        }
    }
}

/// The `{id}` of the path; one that is no id names nothing, so 404.
pub struct PathId(pub Id);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(text)| text.parse().ok());
        id.map(PathId).ok_or_else(|| {
            Refusal::Service(ApiError(Error::NotFound, locale_of(&parts.extensions)))
        })
    }
}

/// The version an edit starts from: `If-Match` or the body's `version`.
pub(super) fn edited_version(
    headers: &HeaderMap,
    in_body: Option<u64>,
    locale: Locale,
) -> Result<u64, Refusal> {
    let unreadable = |detail: &str| Refusal::Unreadable {
        status: StatusCode::BAD_REQUEST,
        detail: detail.into(),
        locale,
    };
    let Some(value) = headers.get(header::IF_MATCH) else {
        return in_body.ok_or(Refusal::VersionRequired(locale));
    };
    let from_header = value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_matches('"'))
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| unreadable("If-Match must be one version in quotes, e.g. \"3\"."))?;
    match in_body {
        Some(v) if v != from_header => Err(unreadable(
            "If-Match and the version field name different versions.",
        )),
        _ => Ok(from_header),
    }
}

/// A record with its version as the entity tag.
pub(super) fn tagged<T: Serialize>(status: StatusCode, version: u64, body: T) -> Response {
    (
        status,
        [(header::ETAG, format!("\"{version}\""))],
        Json(body),
    )
        .into_response()
}

// ---- customers ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Rows per page: 50 unless given, 500 at most.
    limit: Option<usize>,
}

impl Paging {
    fn limit(&self) -> usize {
        self.limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }
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
        ("scope" = Option<String>, Query, description = "`mine`, `pool`, a user id, or empty for all the caller may see"),
        ("q" = Option<String>, Query, description = "Text in the name, phone or email of the customer or one of its contacts; Chinese substrings match"),
        ("type" = Option<String>, Query, description = "Customer type: potential, signed, agent, invalid"),
        ("tag" = Option<String>, Query),
        ("region" = Option<String>, Query),
        ("industry" = Option<String>, Query),
        ("hot" = Option<String>, Query, description = "`yes` or `no`"),
        ("from" = Option<String>, Query, description = "Last contact on or after this day (YYYY-MM-DD, company time zone)"),
        ("to" = Option<String>, Query, description = "Last contact on or before this day (YYYY-MM-DD)"),
        ("field" = Option<String>, Query, description = "A custom field value, `key=value`"),
        ("sort" = Option<String>, Query, description = "`updated`, `name`, `created` or `contact`; a leading `-` sorts descending; default `-updated`"),
        ("page" = Option<usize>, Query, description = "Page number from 0"),
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
) -> Result<Json<CustomerList>, Refusal> {
    let (limit, page) = (paging.limit(), params.page);
    let (total, items) = caller
        .call(&state, move |gx, me| {
            let query = params.to_query(me, company_zone(gx), limit)?;
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
) -> Result<Response, Refusal> {
    let customer = caller
        .call(&state, move |gx, me| gx.customer(me, id))
        .await?;
    Ok(tagged(StatusCode::OK, customer.version, customer))
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
}

/// Create a customer owned by the caller, with its first contacts.
#[utoipa::path(
    post, path = "/api/v1/customers", tag = "customers",
    request_body = NewCustomer,
    responses(
        (status = 201, body = Customer, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "`possible_duplicates`, with the matches in `duplicates`", body = ErrorJson),
        (status = 422, description = "Invalid input; `field` names it", body = ErrorJson),
    )
)]
pub async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewCustomer>,
) -> Result<Response, Refusal> {
    let customer = caller
        .call(&state, move |gx, me| {
            gx.create_customer(me, body.customer, body.contacts, body.confirm_duplicate)
        })
        .await?;
    let mut response = tagged(StatusCode::CREATED, customer.version, &customer);
    if let Ok(location) = format!("/api/v1/customers/{}", customer.id).parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[derive(Deserialize, ToSchema)]
pub struct CustomerEdit {
    #[serde(flatten)]
    customer: CustomerInput,
    /// The version edited, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Save an edit of a customer.
#[utoipa::path(
    put, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header, description = "The version edited, in quotes")),
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
    headers: HeaderMap,
    JsonBody(body): JsonBody<CustomerEdit>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, body.version, caller.locale)?;
    let customer = caller
        .call(&state, move |gx, me| {
            gx.update_customer(me, id, body.customer, version)
        })
        .await?;
    Ok(tagged(StatusCode::OK, customer.version, customer))
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
) -> Result<StatusCode, Refusal> {
    caller
        .call(&state, move |gx, me| gx.recycle_customer(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- contacts ----

/// The contacts of a customer.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/contacts", tag = "contacts",
    params(("id" = Id, Path, description = "The customer's id")),
    responses((status = 200, body = Vec<Contact>), (status = 404, body = ErrorJson))
)]
pub async fn list_contacts(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
) -> Result<Json<Vec<Contact>>, Refusal> {
    let contacts = caller
        .call(&state, move |gx, me| gx.contacts(me, customer))
        .await?;
    Ok(Json(contacts))
}

/// `?confirm_duplicate=true` saves a contact that looks like an existing one.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ConfirmDuplicate {
    #[serde(default)]
    confirm_duplicate: bool,
}

/// Add a contact to a customer the caller may edit. A contact that looks like
/// an existing one (name, phone or email) answers 409 `possible_duplicates`
/// until sent again with `?confirm_duplicate=true`.
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/contacts", tag = "contacts",
    params(("id" = Id, Path, description = "The customer's id"), ConfirmDuplicate),
    request_body = ContactInput,
    responses(
        (status = 201, body = Contact, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn add_contact(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
    Query(confirm): Query<ConfirmDuplicate>,
    JsonBody(input): JsonBody<ContactInput>,
) -> Result<Response, Refusal> {
    let contact = caller
        .call(&state, move |gx, me| {
            gx.add_contact(me, customer, input, confirm.confirm_duplicate)
        })
        .await?;
    Ok(tagged(StatusCode::CREATED, contact.version, contact))
}

#[derive(Deserialize, ToSchema)]
pub struct ContactEdit {
    #[serde(flatten)]
    contact: ContactInput,
    /// The version edited, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Save an edit of a contact.
#[utoipa::path(
    put, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header, description = "The version edited, in quotes")),
    request_body = ContactEdit,
    responses(
        (status = 200, body = Contact, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_contact(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ContactEdit>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, body.version, caller.locale)?;
    let contact = caller
        .call(&state, move |gx, me| {
            gx.update_contact(me, id, body.contact, version)
        })
        .await?;
    Ok(tagged(StatusCode::OK, contact.version, contact))
}

/// Delete a contact for good.
#[utoipa::path(
    delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_contact(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, Refusal> {
    caller
        .call(&state, move |gx, me| gx.delete_contact(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- activities ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityPage {
    /// At most this many: 50 unless given, 500 at most.
    limit: Option<usize>,
    /// Only activities older than this one: the last id of the previous page.
    before: Option<Id>,
}

/// A customer's activities, newest first.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/activities", tag = "activities",
    params(("id" = Id, Path, description = "The customer's id"), ActivityPage),
    responses((status = 200, body = Vec<Activity>), (status = 404, body = ErrorJson))
)]
pub async fn list_activities(
    State(state): State<AppState>,
    caller: Caller,
    PathId(customer): PathId,
    QueryOf(page): QueryOf<ActivityPage>,
) -> Result<Json<Vec<Activity>>, Refusal> {
    let limit = page
        .limit
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let activities = caller
        .call(&state, move |gx, me| {
            gx.customer_activities(me, customer, page.before, limit)
        })
        .await?;
    Ok(Json(activities))
}

/// Log a call, visit, message, meeting or note on a customer.
#[utoipa::path(
    post, path = "/api/v1/activities", tag = "activities",
    request_body = ActivityInput,
    responses((status = 201, body = Activity), (status = 422, body = ErrorJson))
)]
pub async fn log_activity(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<ActivityInput>,
) -> Result<(StatusCode, Json<Activity>), Refusal> {
    let activity = caller
        .call(&state, move |gx, me| gx.log_activity(me, input))
        .await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// Delete an activity: only whoever logged it, or an admin.
#[utoipa::path(
    delete, path = "/api/v1/activities/{id}", tag = "activities",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_activity(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, Refusal> {
    caller
        .call(&state, move |gx, me| gx.delete_activity(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- tasks ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// `true` (the default): the caller's own tasks; `false`: every task the
    /// caller may change (a manager's team's, an admin's everyone's).
    mine: Option<bool>,
    /// `true`: only tasks not done yet.
    open: Option<bool>,
}

/// Tasks by due date.
#[utoipa::path(
    get, path = "/api/v1/tasks", tag = "tasks",
    params(TaskFilter),
    responses((status = 200, body = Vec<Task>))
)]
pub async fn list_tasks(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<TaskFilter>,
) -> Result<Json<Vec<Task>>, Refusal> {
    let mut tasks = caller
        .call(&state, move |gx, me| match filter.mine {
            Some(false) => gx.visible_tasks(me),
            _ => gx.my_tasks(me),
        })
        .await?;
    if filter.open == Some(true) {
        tasks.retain(|t| t.done_at.is_none());
    }
    Ok(Json(tasks))
}

/// Add a task, or a commitment to a customer. Reps assign only themselves.
#[utoipa::path(
    post, path = "/api/v1/tasks", tag = "tasks",
    request_body = TaskInput,
    responses(
        (status = 201, body = Task, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn add_task(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<TaskInput>,
) -> Result<Response, Refusal> {
    let task = caller
        .call(&state, move |gx, me| gx.add_task(me, input))
        .await?;
    Ok(tagged(StatusCode::CREATED, task.version, task))
}

#[derive(Deserialize, ToSchema)]
pub struct TaskEdit {
    #[serde(flatten)]
    changes: TaskChanges,
    /// The version edited, unless sent as `If-Match`.
    version: Option<u64>,
}

/// Rename, reschedule or tick a task: its assignee, its creator, or a
/// manager of the assignee.
#[utoipa::path(
    put, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Id, Path), ("If-Match" = Option<String>, Header, description = "The version edited, in quotes")),
    request_body = TaskEdit,
    responses(
        (status = 200, body = Task, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_task(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    headers: HeaderMap,
    JsonBody(body): JsonBody<TaskEdit>,
) -> Result<Response, Refusal> {
    let version = edited_version(&headers, body.version, caller.locale)?;
    let task = caller
        .call(&state, move |gx, me| {
            gx.edit_task(me, id, body.changes, version)
        })
        .await?;
    Ok(tagged(StatusCode::OK, task.version, task))
}

/// Delete a task: its assignee, its creator or an admin.
#[utoipa::path(
    delete, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_task(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, Refusal> {
    caller
        .call(&state, move |gx, me| gx.delete_task(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- search ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name, phone number or email; Chinese substrings match.
    #[serde(default)]
    q: String,
}

/// Customers and contacts the caller may see, as the search box finds them.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "customers",
    params(SearchQuery),
    responses((status = 200, body = Vec<Hit>))
)]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(query): QueryOf<SearchQuery>,
) -> Result<Json<Vec<Hit>>, Refusal> {
    let hits = caller
        .call(&state, move |gx, me| gx.search(me, &query.q, SEARCH_HITS))
        .await?;
    Ok(Json(hits))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use chrono::{Duration, Utc};
    use http::Request as HttpRequest;
    use http_body_util::BodyExt;
    use serde_json::{Value, json};
    use tower::ServiceExt;

    use super::super::test_api::{Api, customer};
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn create_get_and_update_with_if_match() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let mut body = customer("北京星辰科技有限公司");
        body["contacts"] = json!([{ "name": "张伟", "phones": ["139 0000 1111"] }]);
        let (status, headers, created) = api
            .send(&token, "POST", "/api/v1/customers", &[], Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap();
        assert_eq!(headers[header::ETAG], "\"1\"");
        assert_eq!(headers[header::LOCATION], format!("/api/v1/customers/{id}"));

        let path = format!("/api/v1/customers/{id}");
        let (status, headers, fetched) = api.send(&token, "GET", &path, &[], None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, created);
        let etag = headers[header::ETAG].to_str().unwrap().to_string();

        let mut edit = customer("星辰科技");
        edit["region"] = json!("北京");
        let (status, headers, saved) = api
            .send(
                &token,
                "PUT",
                &path,
                &[("if-match", &etag)],
                Some(edit.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(
            (saved["name"].as_str(), saved["version"].as_u64()),
            (Some("星辰科技"), Some(2))
        );
        assert_eq!(headers[header::ETAG], "\"2\"");

        // The version may come in the body instead.
        edit["version"] = json!(2);
        edit["notes"] = json!("老客户介绍");
        let (status, _, saved) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["version"], 3);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stale_if_match_conflicts_and_a_missing_version_is_required() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let id = api.customer(&token, "星辰科技").await;
        let path = format!("/api/v1/customers/{id}");
        let edit = customer("星辰");
        let (status, _, _) = api
            .send(
                &token,
                "PUT",
                &path,
                &[("if-match", "\"1\"")],
                Some(edit.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        let (status, _, stale) = api
            .send(
                &token,
                "PUT",
                &path,
                &[("if-match", "\"1\"")],
                Some(edit.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(stale["error"], "conflict");

        let (status, _, missing) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(missing["error"], "version_required");
        assert!(missing["message"].as_str().unwrap().contains("If-Match"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_input_answers_in_the_error_shape_with_the_callers_language() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let mut bad = customer("星辰");
        bad["email"] = json!("not an email");
        let (status, json) = api.post(&token, "/api/v1/customers", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (json["error"].as_str(), json["field"].as_str()),
            (Some("invalid"), Some("email"))
        );
        // The first admin speaks the company's default language, zh-CN.
        assert!(json["message"].as_str().unwrap().contains("邮箱"), "{json}");

        let (status, json) = api
            .post(&token, "/api/v1/customers", json!({ "name": ["不是文字"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json["error"], "bad_request");

        let (status, json) = api.get(&token, "/api/v1/customers/not-an-id").await;
        assert_eq!(
            (status, json["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn duplicate_warning_lists_the_matches_until_confirmed() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let first = api.customer(&token, "北京星辰科技有限公司").await;
        let (status, json) = api
            .post(
                &token,
                "/api/v1/customers",
                customer("北京星辰科技有限公司"),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(json["error"], "possible_duplicates");
        assert_eq!(json["duplicates"][0]["customer_id"], first.as_str());
        assert_eq!(json["duplicates"][0]["matched_on"], "name");
        let mut confirmed = customer("北京星辰科技有限公司");
        confirmed["confirm_duplicate"] = json!(true);
        let (status, _) = api.post(&token, "/api/v1/customers", confirmed).await;
        assert_eq!(status, StatusCode::CREATED);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rep_cannot_read_or_list_another_reps_customer() {
        let api = Api::new();
        let li = api.rep("li@x.cn");
        let wang = api.rep("wang@x.cn");
        let id = api.customer(&li, "李的客户").await;
        api.customer(&wang, "王的客户").await;

        let (status, json) = api.get(&wang, &format!("/api/v1/customers/{id}")).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let (status, _) = api
            .get(&wang, &format!("/api/v1/customers/{id}/contacts"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, list) = api.get(&wang, "/api/v1/customers").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["name"], "王的客户");
        let (_, hits) = api.get(&wang, "/api/v1/search?q=%E5%AE%A2%E6%88%B7").await; // 客户
        assert_eq!(hits.as_array().unwrap().len(), 1);

        let admin = api.token(&api.admin);
        let (_, all) = api.get(&admin, "/api/v1/customers").await;
        assert_eq!(all["total"], 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn list_filters_and_pages() {
        let api = Api::new();
        let token = api.token(&api.admin);
        for n in 0..5 {
            api.customer(&token, &format!("客户{n}")).await;
        }
        let (status, page) = api
            .get(&token, "/api/v1/customers?sort=name&limit=2&page=1")
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            (
                page["total"].as_u64(),
                page["page"].as_u64(),
                page["limit"].as_u64()
            ),
            (Some(5), Some(1), Some(2))
        );
        let names: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["客户2", "客户3"]);
        let (_, capped) = api.get(&token, "/api/v1/customers?limit=100000").await;
        assert_eq!(capped["limit"], MAX_PAGE_SIZE);
        let (status, bad) = api.get(&token, "/api/v1/customers?scope=nobody").await;
        assert_eq!(
            (status, bad["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("owner"))
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn deleted_customer_reads_as_not_found() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let id = api.customer(&token, "星辰科技").await;
        let path = format!("/api/v1/customers/{id}");
        assert_eq!(api.delete(&token, &path).await, StatusCode::NO_CONTENT);
        assert_eq!(api.get(&token, &path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&token, &path).await, StatusCode::NOT_FOUND);
        let (_, list) = api.get(&token, "/api/v1/customers").await;
        assert_eq!(list["total"], 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn contacts_crud() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let id = api.customer(&token, "星辰科技").await;
        let contacts = format!("/api/v1/customers/{id}/contacts");
        let (status, zhang) = api
            .post(
                &token,
                &contacts,
                json!({ "name": "张伟", "phones": ["138 0013 8000"], "role": "decision_maker" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{zhang}");
        let (_, list) = api.get(&token, &contacts).await;
        assert_eq!(list.as_array().unwrap().len(), 1);

        let path = format!("/api/v1/contacts/{}", zhang["id"].as_str().unwrap());
        let edit = json!({ "name": "张伟", "title": "采购经理", "phones": [], "version": 1 });
        let (status, headers, saved) = api
            .send(&token, "PUT", &path, &[], Some(edit.clone()))
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["title"], "采购经理");
        assert_eq!(headers[header::ETAG], "\"2\"");
        let (status, _, stale) = api.send(&token, "PUT", &path, &[], Some(edit)).await;
        assert_eq!(
            (status, stale["error"].as_str()),
            (StatusCode::CONFLICT, Some("conflict"))
        );
        let (status, _, _) = api
            .send(
                &token,
                "PUT",
                &path,
                &[],
                Some(json!({ "name": "张伟", "phones": [] })),
            )
            .await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

        let wang = api.rep("wang@x.cn");
        assert_eq!(api.delete(&wang, &path).await, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&token, &path).await, StatusCode::NO_CONTENT);
        let (_, list) = api.get(&token, &contacts).await;
        assert_eq!(list, json!([]));
        assert_eq!(api.delete(&token, &path).await, StatusCode::NOT_FOUND);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn activities_are_logged_listed_newest_first_and_deleted_by_their_author() {
        let api = Api::new();
        let li = api.rep("li@x.cn");
        let id = api.customer(&li, "星辰科技").await;
        let earlier = (Utc::now() - Duration::hours(3)).to_rfc3339();
        let (status, call) = api
            .post(&li, "/api/v1/activities", json!({ "kind": "call", "customer_id": id, "at": earlier, "duration_minutes": 12, "text": "谈了报价" }))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{call}");
        let (status, visit) = api
            .post(
                &li,
                "/api/v1/activities",
                json!({ "kind": "visit", "customer_id": id, "text": "上门拜访" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{visit}");

        let path = format!("/api/v1/customers/{id}/activities");
        let (status, list) = api.get(&li, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list, json!([visit, call]));
        let (_, older) = api
            .get(
                &li,
                &format!("{path}?limit=5&before={}", visit["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(older, json!([call]));

        let wang = api.rep("wang@x.cn");
        let visit_path = format!("/api/v1/activities/{}", visit["id"].as_str().unwrap());
        assert_eq!(api.delete(&wang, &visit_path).await, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&li, &visit_path).await, StatusCode::NO_CONTENT);
        let (_, list) = api.get(&li, &path).await;
        assert_eq!(list, json!([call]));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tasks_are_created_ticked_done_and_deleted() {
        let api = Api::new();
        let li = api.rep("li@x.cn");
        let due = (Utc::now() + Duration::days(1)).to_rfc3339();
        let (status, task) = api
            .post(
                &li,
                "/api/v1/tasks",
                json!({ "title": "回电话", "due": due, "commitment": false }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{task}");
        let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());

        let (status, _, done) = api
            .send(
                &li,
                "PUT",
                &path,
                &[("if-match", "\"1\"")],
                Some(json!({ "done": true })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert!(done["done_at"].is_string());
        assert_eq!(done["title"], "回电话");

        let (_, mine) = api.get(&li, "/api/v1/tasks").await;
        assert_eq!(mine, json!([done]));
        let (_, open) = api.get(&li, "/api/v1/tasks?open=true").await;
        assert_eq!(open, json!([]));
        let admin = api.token(&api.admin);
        let (_, everyone) = api.get(&admin, "/api/v1/tasks?mine=false").await;
        assert_eq!(everyone, json!([done]));
        let (status, bad) = api.get(&li, "/api/v1/tasks?open=maybe").await;
        assert_eq!(
            (status, bad["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_request"))
        );

        let (status, _, stale) = api
            .send(
                &li,
                "PUT",
                &path,
                &[("if-match", "\"1\"")],
                Some(json!({ "done": false })),
            )
            .await;
        assert_eq!(
            (status, stale["error"].as_str()),
            (StatusCode::CONFLICT, Some("conflict"))
        );
        let wang = api.rep("wang@x.cn");
        assert_eq!(api.delete(&wang, &path).await, StatusCode::NOT_FOUND);
        assert_eq!(api.delete(&li, &path).await, StatusCode::NO_CONTENT);
        let (_, mine) = api.get(&li, "/api/v1/tasks").await;
        assert_eq!(mine, json!([]));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn search_finds_a_chinese_substring() {
        let api = Api::new();
        let token = api.token(&api.admin);
        let id = api.customer(&token, "北京星辰科技有限公司").await;
        api.customer(&token, "上海明月贸易").await;
        // 科技, percent-encoded as a browser sends it.
        let (status, hits) = api.get(&token, "/api/v1/search?q=%E7%A7%91%E6%8A%80").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            hits,
            json!([{ "customer": id, "customer_name": "北京星辰科技有限公司", "contact_name": null }])
        );
        let (_, none) = api.get(&token, "/api/v1/search?q=").await;
        assert_eq!(none, json!([]));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn openapi_document_describes_the_customer_api() {
        let api = Api::new();
        // Open to all: a client reads it before it has a token.
        let response = api
            .router
            .clone()
            .oneshot(
                HttpRequest::get("/api/v1/openapi.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/customers",
            "/api/v1/customers/{id}",
            "/api/v1/customers/{id}/contacts",
            "/api/v1/contacts/{id}",
            "/api/v1/customers/{id}/activities",
            "/api/v1/activities",
            "/api/v1/tasks",
            "/api/v1/search",
            "/api/v1/me",
            "/api/v1/openapi.json",
        ] {
            assert!(paths.contains_key(path), "{path} missing");
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert_eq!(schemas["Id"]["type"], "string");
        assert!(schemas.contains_key("Customer") && schemas.contains_key("ErrorJson"));
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }
}
