//! Optimistic edits. A read answers with `ETag: "<version>"`, and an edit
//! names the version it started from, as `If-Match: "<version>"` or as a
//! `version` field. Without either it is refused with 428, since saving
//! blindly over someone else's change is what the version exists to prevent.

use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guanxi_core::Error;
use guanxi_core::model::{
    Company, Contact, Contract, Customer, Deal, Expense, ExpenseCategories, Locale, Pipeline,
    Product, Quote, SalesSettings, SalesTarget, Task, User,
};
use guanxi_core::service::Guanxi;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AllOfBuilder, KnownFormat, ObjectBuilder, Ref, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::extract::{JsonBody, locale_of};
use super::{ApiError, Caller};
use crate::http::AppState;

/// A record whose version is its entity tag.
pub trait Versioned: Serialize {
    fn version(&self) -> u64;
}

macro_rules! versioned {
    ($($record:ty),*) => {$(
        impl Versioned for $record {
            fn version(&self) -> u64 {
                self.version
            }
        }
    )*};
}
versioned!(
    Company,
    Customer,
    Contact,
    Task,
    Deal,
    Pipeline,
    User,
    Product,
    Quote,
    SalesSettings,
    Contract,
    Expense,
    ExpenseCategories,
    SalesTarget
);

/// A target as read, with its subject's name: its version is the target's.
impl Versioned for guanxi_core::model::SalesTargetRow {
    fn version(&self) -> u64 {
        self.target.version
    }
}

/// A record with its version as the entity tag.
pub fn tagged(status: StatusCode, record: impl Versioned) -> Response {
    (
        status,
        [(header::ETAG, format!("\"{}\"", record.version()))],
        Json(record),
    )
        .into_response()
}

/// A new record: 201 with its entity tag and where to read it.
pub fn created(record: impl Versioned, location: String) -> Response {
    let mut response = tagged(StatusCode::CREATED, record);
    if let Ok(location) = location.parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The version an edit starts from: `If-Match` or the body's `version`.
pub fn edited_version(
    headers: &HeaderMap,
    in_body: Option<u64>,
    locale: Locale,
) -> Result<u64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return in_body.ok_or(ApiError::VersionRequired(locale));
    };
    let from_header = value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_matches('"'))
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "If-Match must be one version in quotes, e.g. \"3\".",
                locale,
            )
        })?;
    match in_body {
        Some(v) if v != from_header => Err(ApiError::bad_request(
            "If-Match and the version field name different versions.",
            locale,
        )),
        _ => Ok(from_header),
    }
}

/// The `If-Match` header of an edit, as the document states it.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IfMatch {
    /// The version edited, in quotes (`"3"`), as read from `ETag`; or send
    /// a `version` field in the body, not both.
    #[param(rename = "If-Match", pattern = r#"^"[0-9]{1,19}"$"#)]
    if_match: Option<String>,
}

/// The body of an action that changes nothing but needs the version it
/// starts from: `{"version": 3}`, or no body at all with `If-Match`.
#[derive(Default, Deserialize, ToSchema)]
pub struct Precondition {
    /// The version acted on, unless sent as `If-Match`.
    #[schema(minimum = 0)]
    version: Option<u64>,
}

/// A `null` body is no body.
impl EditBody for Option<Precondition> {
    type Input = ();
    fn split(self) -> ((), Option<u64>) {
        ((), self.and_then(|p| p.version))
    }
}

impl EditBody for Precondition {
    type Input = ();
    fn split(self) -> ((), Option<u64>) {
        ((), self.version)
    }
}

/// A body that names the version it edits, if it does.
pub trait EditBody: DeserializeOwned {
    /// What the service is given besides the version.
    type Input: Send + 'static;
    fn split(self) -> (Self::Input, Option<u64>);
}

/// The usual edit body: the record's input fields, with `version` beside
/// them.
#[derive(Deserialize)]
pub struct Edit<T> {
    #[serde(flatten)]
    input: T,
    version: Option<u64>,
}

/// Names the schema of `Edit<Self>` in the OpenAPI document. utoipa would
/// call a generic body `Edit_CustomerInput`; clients generated from the
/// document know it as `CustomerEdit`, so the name stays what it was.
pub trait EditSchema: ToSchema {
    const EDIT_SCHEMA: &'static str;
}

impl<T: EditSchema> PartialSchema for Edit<T> {
    fn schema() -> RefOr<Schema> {
        let version = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .description(Some("The version edited, unless sent as `If-Match`."));
        AllOfBuilder::new()
            .item(Ref::from_schema_name(T::name()))
            .item(ObjectBuilder::new().property("version", version))
            .into()
    }
}

impl<T: EditSchema> ToSchema for Edit<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(T::EDIT_SCHEMA)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

impl<T: DeserializeOwned + Send + 'static> EditBody for Edit<T> {
    type Input = T;
    fn split(self) -> (T, Option<u64>) {
        (self.input, self.version)
    }
}

/// An edit's body and the version it starts from, read from `If-Match` or
/// the body: 428 when neither names one, 400 when they disagree.
pub struct VersionedEdit<B: EditBody> {
    pub input: B::Input,
    pub version: u64,
}

impl<B: EditBody, S: Send + Sync> FromRequest<S> for VersionedEdit<B> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let locale = locale_of(req.extensions());
        let headers = req.headers().clone();
        // No body at all reads as `{}`, so an action whose version comes as
        // `If-Match` needs none; a body without a type is still refused.
        let body = if headers.contains_key(header::CONTENT_TYPE) {
            JsonBody::<B>::from_request(req, state).await?.0
        } else {
            let bytes = axum::body::Bytes::from_request(req, state)
                .await
                .map_err(|e| ApiError::bad_request(&e.body_text(), locale))?;
            if !bytes.is_empty() {
                return Err(ApiError::Unreadable {
                    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    detail: "Expected request with `Content-Type: application/json`".into(),
                    locale,
                });
            }
            serde_json::from_str::<B>("{}").map_err(|e| ApiError::Unreadable {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                detail: e.to_string(),
                locale,
            })?
        };
        let (input, in_body) = body.split();
        let version = edited_version(&headers, in_body, locale)?;
        Ok(VersionedEdit { input, version })
    }
}

impl<B: EditBody> VersionedEdit<B> {
    /// Saves the edit through `save` and answers the saved record with its
    /// new entity tag.
    pub async fn save<R: Versioned + Send + 'static>(
        self,
        caller: Caller,
        state: &AppState,
        save: impl FnOnce(&Guanxi, &User, B::Input, u64) -> Result<R, Error> + Send + 'static,
    ) -> Result<Response, ApiError> {
        let VersionedEdit { input, version } = self;
        let saved = caller
            .call(state, move |gx, me| save(gx, me, input, version))
            .await?;
        Ok(tagged(StatusCode::OK, saved))
    }
}
