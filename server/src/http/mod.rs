//! The HTTP surface: one router for pages, server functions, the REST API and
//! the embedded browser bundle, with authentication and CSRF checks as layers.

mod assets;
mod csrf;
mod identify;
mod pages;
mod rest;

use std::sync::Arc;

use app::AssetNames;
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use guanxi_core::service::Guanxi;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

#[derive(Clone)]
pub struct AppState {
    pub gx: Arc<Guanxi>,
    pub leptos: LeptosOptions,
    pub assets: AssetNames,
}

impl AppState {
    pub fn new(gx: Arc<Guanxi>) -> Self {
        AppState {
            gx,
            leptos: LeptosOptions::builder().output_name("guanxi").build(),
            assets: assets::names(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let context = {
        let gx = state.gx.clone();
        move || provide_context(gx.clone())
    };
    let shell = {
        let assets = state.assets.clone();
        move || app::shell(assets.clone())
    };

    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), shell.clone())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::guard,
        ));

    Router::new()
        .route("/api/{*fn_name}", post(server_fn))
        .nest("/api/v1", rest::router())
        .route("/healthz", get(health))
        .route("/pkg/{*file}", get(assets::serve))
        .merge(pages)
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identify::identify,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn server_fn(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    let gx = state.gx.clone();
    handle_server_fns_with_context(move || provide_context(gx.clone()), req).await
}

/// Unknown paths render the app, whose router shows the not-found page with 404.
async fn not_found(State(state): State<AppState>, req: Request) -> axum::response::Response {
    let gx = state.gx.clone();
    let assets = state.assets.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || provide_context(gx.clone()),
        move || app::shell(assets.clone()),
    );
    handler(req).await
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    schema_version: u64,
}

async fn health(State(state): State<AppState>) -> axum::response::Response {
    match state.gx.store.schema_version() {
        Ok(schema_version) => axum::Json(Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
            schema_version,
        })
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check cannot read the store");
            (http::StatusCode::SERVICE_UNAVAILABLE, "store unavailable").into_response()
        }
    }
}
