//! What a handler takes from a request: the caller, a JSON body, a query, an
//! id from the path. Each refuses in the API's JSON error shape, in the
//! caller's language, so no handler ever answers axum's plain-text rejection.

use app::ssr::RequestContext;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
use axum::http::Extensions;
use axum::http::request::Parts;
use guanxi_core::Error;
use guanxi_core::model::{Id, Locale, User};
use guanxi_core::service::Guanxi;
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::http::AppState;

/// The caller's language: their own choice, else the browser's, else English.
/// Also what a refusal speaks before the caller is known.
pub fn locale_of(extensions: &Extensions) -> Locale {
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

/// The authenticated caller; 401 without a valid token or session.
pub struct Caller {
    pub user: User,
    pub locale: Locale,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let locale = locale_of(&parts.extensions);
        let auth = parts
            .extensions
            .get::<RequestContext>()
            .and_then(|c| c.auth.as_ref());
        match auth {
            Some(auth) => Ok(Caller {
                user: auth.user.clone(),
                locale,
            }),
            None => Err(ApiError::Service(Error::Unauthenticated, locale)),
        }
    }
}

impl Caller {
    /// Runs a service call on the blocking pool, mapping its error for the caller.
    pub async fn call<T: Send + 'static>(
        self,
        state: &AppState,
        f: impl FnOnce(&Guanxi, &User) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, ApiError> {
        let gx = state.gx.clone();
        let Caller { user, locale } = self;
        tokio::task::spawn_blocking(move || f(&gx, &user))
            .await
            .map_err(|e| ApiError::Service(Error::Internal(e.to_string()), locale))?
            .map_err(|e| ApiError::Service(e, locale))
    }

    /// The error `error`, in the caller's language.
    pub fn refuse(&self, error: Error) -> ApiError {
        ApiError::Service(error, self.locale)
    }
}

/// A JSON body whose parse errors answer in the API's error shape.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let locale = locale_of(req.extensions());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(e) => Err(ApiError::Unreadable {
                status: e.status(),
                detail: e.body_text(),
                locale,
            }),
        }
    }
}

/// A multipart form whose refusal (no form, no boundary) answers in the
/// API's error shape.
pub struct Form(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let locale = locale_of(req.extensions());
        Multipart::from_request(req, state)
            .await
            .map(Form)
            .map_err(|e| ApiError::Unreadable {
                status: e.status(),
                detail: e.body_text(),
                locale,
            })
    }
}

/// A query string whose parse errors answer in the API's error shape.
pub struct QueryOf<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryOf<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(QueryOf(value)),
            Err(e) => Err(ApiError::Unreadable {
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
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(text)| text.parse().ok());
        id.map(PathId)
            .ok_or_else(|| ApiError::Service(Error::NotFound, locale_of(&parts.extensions)))
    }
}
