//! The HTTP surface: one router for pages, server functions, the REST API and
//! the embedded browser bundle, with authentication and CSRF checks as layers.

mod assets;
mod csrf;
mod events;
mod identify;
mod pages;
mod rest;
mod turns;

use std::sync::Arc;

use app::AssetNames;
use app::ssr::StaffUrls;
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use guanxi_core::service::Guanxi;
use http::{HeaderValue, header};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
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
    /// Served with TLS by this process.
    pub tls: bool,
    /// Reverse proxies whose `X-Forwarded-Proto`/`-For` are believed.
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl AppState {
    pub fn new(gx: Arc<Guanxi>) -> Self {
        AppState {
            gx,
            leptos: LeptosOptions::builder().output_name("guanxi").build(),
            assets: assets::names(),
            shutdown: Arc::new(tokio::sync::watch::Sender::new(false)),
            staff_urls: StaffUrls::default(),
            tls: false,
            trusted_proxies: Arc::default(),
        }
    }

    pub fn with_transport(mut self, tls: bool, trusted_proxies: Vec<std::net::IpAddr>) -> Self {
        self.tls = tls;
        self.trusted_proxies = Arc::new(trusted_proxies);
        self
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

    let app = Router::new()
        .route("/api/events", get(events::deal_events))
        .route("/api/{*fn_name}", post(server_fn))
        .nest("/api/v1", rest::router())
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            turns::Turns::for_this_machine(),
            turns::take_turn,
        ))
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identify::identify,
        ))
        // Routed after the layers above: assets and health need no identity.
        .route("/healthz", get(health))
        .route("/pkg/{*file}", get(assets::serve))
        // Pages are made per request: brotli's default level spent longer
        // compressing a dashboard than making it (10-15 ms on top of 4-5).
        // Level 4 adds 2-4 ms for an answer no larger; the static bundle is
        // compressed once, at build time, at the best level.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state);
    with_security_headers(app)
}

/// Headers every response carries. Pages replace the default policy with
/// one that also allows their own inline script by nonce (`app::ssr`).
fn with_security_headers(router: Router) -> Router {
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::ssr::CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // For browsers too old for frame-ancestors.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_response_carries_the_security_headers_and_pages_a_fresh_nonce() {
        let (_dir, gx, router) = app();
        set_up(&gx);
        let health = get(&router, "/healthz").await;
        let headers = health.headers();
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            app::ssr::CONTENT_SECURITY_POLICY
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");

        let page = get(&router, "/login").await;
        assert_eq!(page.status(), StatusCode::OK);
        let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{policy}"))
            .to_string();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let body = http_body_util::BodyExt::collect(page.into_body())
            .await
            .unwrap()
            .to_bytes();
        let html = String::from_utf8_lossy(&body);
        // Every inline script carries this response's nonce.
        let inline = html.matches("<script").count();
        let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(inline >= 1 && with_nonce >= inline, "{html}");
    }

    async fn log_in_from(
        router: &Router,
        peer: &str,
        forwarded: &[(&str, &str)],
    ) -> axum::response::Response {
        let mut request = HttpRequest::post("/api/log_in")
            .header(header::HOST, "crm.local")
            .header(header::ORIGIN, "http://crm.local")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in forwarded {
            request = request.header(*name, *value);
        }
        let mut request = request
            .body(Body::from(
                "email=boss%40example.cn&password=boss+password+1",
            ))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
                peer.parse().unwrap(),
            ));
        router.clone().oneshot(request).await.unwrap()
    }

    fn session_cookie(response: &axum::response::Response) -> String {
        response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with(app::ssr::SESSION_COOKIE))
            .unwrap_or_else(|| panic!("no session cookie: {:?}", response.headers()))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_session_cookie_is_secure_over_https_and_behind_a_trusted_proxy_only() {
        let dir = tempfile::tempdir().unwrap();
        let gx = Arc::new(Guanxi::new(Store::open(dir.path()).unwrap()));
        set_up(&gx);
        let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let behind_proxy = router(AppState::new(gx.clone()).with_transport(false, vec![proxy]));
        let https = [("x-forwarded-proto", "https")];

        let trusted = log_in_from(&behind_proxy, "10.0.0.2:5000", &https).await;
        assert!(session_cookie(&trusted).contains("Secure"));
        // Anyone else saying so is not believed.
        let spoofed = log_in_from(&behind_proxy, "192.168.1.9:5000", &https).await;
        assert!(!session_cookie(&spoofed).contains("Secure"));
        let plain = log_in_from(&behind_proxy, "10.0.0.2:5000", &[]).await;
        assert!(!session_cookie(&plain).contains("Secure"));

        let tls = router(AppState::new(gx).with_transport(true, vec![]));
        let direct = log_in_from(&tls, "192.168.1.9:5000", &[]).await;
        assert!(session_cookie(&direct).contains("Secure"));
    }
}
