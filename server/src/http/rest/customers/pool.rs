//! Who holds a customer: claiming from the public pool, giving back,
//! assigning (managers and admins), and the hot flag. Each names the version
//! it starts from, like any edit, so two reps cannot both claim one customer.

use axum::extract::State;
use axum::response::Response;
use guanxi_core::model::{Customer, Id};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, EditBody, ErrorJson, IfMatch, PathId, Precondition, VersionedEdit,
};

/// Take a customer from the public pool, within the caller's holding limit.
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/claim", tag = "customers",
    params(("id" = Id, Path), IfMatch),
    request_body(content = Option<Precondition>, description = "The version, unless sent as `If-Match`; may be empty"),
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`: someone holds it already or changed it; `holding_limit`: the caller holds as many as the company allows", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn claim_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Option<Precondition>>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, (), version| {
        gx.claim_customer(me, id, version)
    })
    .await
}

/// Give a customer back to the public pool (whoever may edit it).
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/release", tag = "customers",
    params(("id" = Id, Path), IfMatch),
    request_body(content = Option<Precondition>, description = "The version, unless sent as `If-Match`; may be empty"),
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn release_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Option<Precondition>>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, (), version| {
        gx.release_customer(me, id, version)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct Assignment {
    /// The new owner, an active user the caller manages; `null` puts the
    /// customer in the public pool.
    to: Option<Id>,
    /// An admin's reason for going over the receiver's holding limit (kept
    /// in the customer's audit trail).
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
    )]
    override_reason: Option<String>,
    /// The version assigned, unless sent as `If-Match`.
    #[schema(minimum = 0)]
    version: Option<u64>,
}

impl EditBody for Assignment {
    type Input = (Option<Id>, Option<String>);
    fn split(self) -> (Self::Input, Option<u64>) {
        ((self.to, self.override_reason), self.version)
    }
}

/// Hand a customer to someone, or to the pool (managers and admins).
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/assign", tag = "customers",
    params(("id" = Id, Path), IfMatch),
    request_body = Assignment,
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 403, description = "A rep, or a receiver the caller does not manage", body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`, or `holding_limit` for the receiver", body = ErrorJson),
        (status = 422, description = "`invalid` `owner`: no such active user", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn assign_customer(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Assignment>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, (to, reason), version| {
        gx.assign_customer_with(me, id, to, version, reason.as_deref())
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct Hot {
    /// `true` flags the customer hot, `false` clears the flag.
    hot: bool,
    /// A one-line hint of why, shown on the list.
    #[schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")]
    hint: Option<String>,
    /// The version edited, unless sent as `If-Match`.
    #[schema(minimum = 0)]
    version: Option<u64>,
}

impl EditBody for Hot {
    type Input = Option<String>;
    fn split(self) -> (Option<String>, Option<u64>) {
        let hint = self.hot.then(|| self.hint.unwrap_or_default());
        (hint, self.version)
    }
}

/// Flag a customer hot with a hint, or clear the flag.
#[utoipa::path(
    put, path = "/api/v1/customers/{id}/hot", tag = "customers",
    params(("id" = Id, Path), IfMatch),
    request_body = Hot,
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, description = "A hint too long", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn set_hot(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Hot>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, hint, version| {
        gx.set_hot(me, id, hint, version)
    })
    .await
}
