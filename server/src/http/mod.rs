//! The HTTP surface: one router for pages, server functions, the REST API and
//! the embedded browser bundle, with authentication and CSRF checks as layers.

mod assets;
mod csrf;
mod events;
mod identify;
mod pages;
mod rest;

use std::sync::Arc;

use app::AssetNames;
use app::ssr::StaffUrls;
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
    /// Flips to `true` when the server stops, ending long-lived responses.
    pub shutdown: Arc<tokio::sync::watch::Sender<bool>>,
    /// Where colleagues reach this server, for the admin page.
    pub staff_urls: StaffUrls,
}

impl AppState {
    pub fn new(gx: Arc<Guanxi>) -> Self {
        AppState {
            gx,
            leptos: LeptosOptions::builder().output_name("guanxi").build(),
            assets: assets::names(),
            shutdown: Arc::new(tokio::sync::watch::Sender::new(false)),
            staff_urls: StaffUrls::default(),
        }
    }

    pub fn with_staff_urls(mut self, urls: Vec<String>) -> Self {
        self.staff_urls = StaffUrls(Arc::new(urls));
        self
    }

    /// What server functions and pages find in their context.
    fn provide_context(&self) -> impl Fn() + Clone + Send + Sync + use<> {
        let gx = self.gx.clone();
        let staff_urls = self.staff_urls.clone();
        move || {
            provide_context(gx.clone());
            provide_context(staff_urls.clone());
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
    let context = state.provide_context();
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
        .route("/api/events", get(events::deal_events))
        .route("/api/{*fn_name}", post(server_fn))
        .nest("/api/v1", rest::router())
        .merge(pages)
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identify::identify,
        ))
        // Routed after the layers above: assets and health need no identity.
        .route("/healthz", get(health))
        .route("/pkg/{*file}", get(assets::serve))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn server_fn(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    handle_server_fns_with_context(state.provide_context(), req).await
}

/// Unknown paths render the app, whose router shows the not-found page with 404.
async fn not_found(State(state): State<AppState>, req: Request) -> axum::response::Response {
    let assets = state.assets.clone();
    let handler = leptos_axum::render_app_async_with_context(state.provide_context(), move || {
        app::shell(assets.clone())
    });
    handler(req).await
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    schema_version: u64,
}

async fn health(State(state): State<AppState>) -> axum::response::Response {
    match state.gx.schema_version() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use guanxi_core::model::{Locale, SetupInput};
    use guanxi_core::store::Store;
    use http::{Request as HttpRequest, StatusCode, header};
    use tower::ServiceExt;

    fn app() -> (tempfile::TempDir, Arc<Guanxi>, Router) {
        let dir = tempfile::tempdir().unwrap();
        let gx = Arc::new(Guanxi::new(Store::open(dir.path()).unwrap()));
        let router = router(AppState::new(gx.clone()));
        (dir, gx, router)
    }

    fn set_up(gx: &Guanxi) {
        gx.set_up(SetupInput {
            company_name: "星辰科技".into(),
            currency: "CNY".into(),
            time_zone: "Asia/Shanghai".into(),
            default_locale: Locale::ZhCn,
            admin_name: "王总".into(),
            admin_email: "boss@example.cn".into(),
            admin_password: "boss password 1".into(),
        })
        .unwrap();
    }

    async fn get(router: &Router, path: &str) -> axum::response::Response {
        router
            .clone()
            .oneshot(HttpRequest::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_page_leads_to_setup_before_first_run() {
        let (_dir, _gx, router) = app();
        for path in ["/", "/admin/users", "/login", "/no/such/page"] {
            let response = get(&router, path).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(response.headers()[header::LOCATION], "/setup", "{path}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn signed_out_visitors_are_sent_to_login_and_back() {
        let (_dir, gx, router) = app();
        set_up(&gx);
        let response = get(&router, "/admin/users?tab=1").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[header::LOCATION],
            "/login?next=%2Fadmin%2Fusers%3Ftab%3D1"
        );
        let setup = get(&router, "/setup").await;
        assert_eq!(setup.headers()[header::LOCATION], "/login");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn health_is_open_to_all() {
        let (_dir, _gx, router) = app();
        let response = get(&router, "/healthz").await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn state_changing_request_without_origin_is_refused() {
        let (_dir, gx, router) = app();
        set_up(&gx);
        let response = router
            .oneshot(
                HttpRequest::post("/api/log_out")
                    .header(header::HOST, "crm.local:8080")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn api_without_token_is_unauthorized_with_a_json_reason() {
        let (_dir, gx, router) = app();
        set_up(&gx);
        let response = get(&router, "/api/v1/me").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"], "unauthenticated");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bearer_token_acts_as_its_user() {
        let (_dir, gx, router) = app();
        set_up(&gx);
        let admin = gx
            .store()
            .user_by_email("boss@example.cn")
            .unwrap()
            .unwrap();
        let token = gx.create_token(&admin, "test").unwrap();
        let response = router
            .oneshot(
                HttpRequest::get("/api/v1/me")
                    .header(header::AUTHORIZATION, format!("Bearer {}", token.secret))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}
