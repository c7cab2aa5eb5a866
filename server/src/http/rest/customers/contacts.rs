//! A customer's contacts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{Contact, ContactInput, Id};
use serde::Deserialize;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, tagged,
};

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
) -> Result<Json<Vec<Contact>>, ApiError> {
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
    QueryOf(confirm): QueryOf<ConfirmDuplicate>,
    JsonBody(input): JsonBody<ContactInput>,
) -> Result<Response, ApiError> {
    let contact = caller
        .call(&state, move |gx, me| {
            gx.add_contact(me, customer, input, confirm.confirm_duplicate)
        })
        .await?;
    Ok(tagged(StatusCode::CREATED, contact))
}

/// An edit of a contact.
pub type ContactEdit = Edit<ContactInput>;

impl EditSchema for ContactInput {
    const EDIT_SCHEMA: &'static str = "ContactEdit";
}

/// Save an edit of a contact.
#[utoipa::path(
    put, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = Id, Path), IfMatch),
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
    edit: VersionedEdit<ContactEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_contact(me, id, input, version)
    })
    .await
}

/// Move a contact to the recycle bin (`/api/v1/recycle-bin/records`).
#[utoipa::path(
    delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_contact(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_contact(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
