//! The JSON REST API under `/api/v1`, authenticated by `Authorization: Bearer`
//! tokens (or the browser session). Handlers call the same services as the
//! server functions.

use app::ssr::RequestContext;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use guanxi_core::Error;
use guanxi_core::model::{ApiToken, Company, Id, Locale, User, UserInput};
use guanxi_core::service::{Actor, Guanxi};
use serde::{Deserialize, Serialize};

use super::AppState;

/// Multipart overhead on top of the largest file an import takes.
const UPLOAD_LIMIT: usize = guanxi_core::service::MAX_IMPORT_BYTES + 64 * 1024;
/// The most a customer file may be under any setting; the setting is checked
/// by the service.
const FILE_LIMIT: usize =
    guanxi_core::domain::validate::MAX_FILE_MB as usize * 1024 * 1024 + 64 * 1024;

mod customers;
mod deals;
mod export;
mod openapi;
#[cfg(test)]
mod test_api;
mod upload;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/company", get(company))
        .route("/users", get(list_users).post(create_user))
        .route("/tokens", get(list_tokens))
        .route("/tokens/{id}", delete(revoke_token))
        .route("/customers.csv", get(export::export_customers))
        .route(
            "/customers",
            get(customers::list_customers).post(customers::create_customer),
        )
        .route(
            "/customers/{id}",
            get(customers::get_customer)
                .put(customers::update_customer)
                .delete(customers::delete_customer),
        )
        .route(
            "/customers/{id}/contacts",
            get(customers::list_contacts).post(customers::add_contact),
        )
        .route(
            "/contacts/{id}",
            axum::routing::put(customers::update_contact).delete(customers::delete_contact),
        )
        .route(
            "/customers/{id}/activities",
            get(customers::list_activities),
        )
        .route("/activities", post(customers::log_activity))
        .route("/activities/{id}", delete(customers::delete_activity))
        .route(
            "/tasks",
            get(customers::list_tasks).post(customers::add_task),
        )
        .route(
            "/tasks/{id}",
            axum::routing::put(customers::update_task).delete(customers::delete_task),
        )
        .route("/search", get(customers::search))
        .route(
            "/pipelines",
            get(deals::list_pipelines).post(deals::create_pipeline),
        )
        .route("/pipelines/{id}", axum::routing::put(deals::save_pipeline))
        .route("/pipelines/{id}/board", get(deals::board))
        .route(
            "/pipelines/{id}/stages/{stage_id}",
            delete(deals::remove_stage),
        )
        .route("/deals", get(deals::list_deals).post(deals::create_deal))
        .route(
            "/deals/{id}",
            get(deals::get_deal)
                .patch(deals::update_deal)
                .delete(deals::delete_deal),
        )
        .route("/deals/{id}/stage", post(deals::move_deal))
        .route("/deals/{id}/history", get(deals::stage_history))
        .route("/deals/{id}/checklist", post(deals::tick_checklist))
        .route("/deals/{id}/close", post(deals::close_deal))
        .route("/deals/{id}/suspend", post(deals::suspend_deal))
        .route("/deals/{id}/transfer", post(deals::transfer_deal))
        .route("/deals/{id}/reopen-requests", post(deals::request_reopen))
        .route("/reopen-requests", get(deals::reopen_requests))
        .route("/reopen-requests/{id}", post(deals::decide_reopen))
        .route(
            "/close-reasons",
            get(deals::close_reasons).put(deals::set_close_reasons),
        )
        .route("/users/{id}/handover", post(deals::handover))
        .route("/openapi.json", get(openapi::openapi_json))
        .route(
            "/imports",
            post(upload::upload_import).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/vcards",
            post(upload::upload_vcards).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/customers/{id}/files",
            post(upload::upload_file).layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .route("/files/{id}", get(upload::download_file))
        .fallback(|| async { ApiError(Error::NotFound, Locale::En) })
}

/// A core error as JSON, in the caller's language.
pub struct ApiError(Error, Locale);

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<guanxi_core::Field>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(error, locale) = self;
        if let Error::Internal(detail) = &error {
            tracing::error!(%detail, "API request failed");
        }
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let field = match &error {
            Error::Invalid { field, .. } => Some(*field),
            _ => None,
        };
        let body = ErrorBody {
            error: error.code(),
            message: app::i18n::error_text(&error, locale),
            field,
        };
        (status, Json(body)).into_response()
    }
}

/// The authenticated caller; 401 without a valid token or session.
pub struct Caller {
    user: User,
    locale: Locale,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let context = parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .unwrap_or_default();
        match context.auth {
            Some(auth) => Ok(Caller {
                locale: auth
                    .user
                    .locale
                    .or(context.browser_locale)
                    .unwrap_or(Locale::En),
                user: auth.user,
            }),
            None => Err(ApiError(
                Error::Unauthenticated,
                context.browser_locale.unwrap_or(Locale::En),
            )),
        }
    }
}

impl Caller {
    /// Runs a service call on the blocking pool, mapping its error for the caller.
    async fn call<T: Send + 'static>(
        self,
        state: &AppState,
        f: impl FnOnce(&Guanxi, &User) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, ApiError> {
        let gx = state.gx.clone();
        let Caller { user, locale } = self;
        tokio::task::spawn_blocking(move || f(&gx, &user))
            .await
            .map_err(|e| ApiError(Error::Internal(e.to_string()), locale))?
            .map_err(|e| ApiError(e, locale))
    }
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
    Json(body): Json<NewUser>,
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

async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let locale = caller.locale;
    let id: Id = id.parse().map_err(|_| ApiError(Error::NotFound, locale))?;
    caller
        .call(&state, move |gx, me| gx.revoke_token(me, id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
}
