//! A router over a fresh company in a temp folder, and helpers that call it
//! as an API client would: the REST tests of every module share it.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use guanxi_core::model::{Locale, Role, SetupInput, User, UserInput};
use guanxi_core::service::{Actor, Guanxi};
use guanxi_core::store::Store;
use http::Request as HttpRequest;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::http::AppState;

pub struct Api {
    _dir: tempfile::TempDir,
    pub gx: Arc<Guanxi>,
    pub router: Router,
    pub admin: User,
}

impl Api {
    pub fn new() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        Api::over(dir, store)
    }

    /// A company whose disk fails when `faults` says so.
    pub fn on_faulty_disk(faults: &guanxi_core::store::faults::Faults) -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = faults.open_store(dir.path()).unwrap();
        Api::over(dir, store)
    }

    fn over(dir: tempfile::TempDir, store: Store) -> Api {
        let gx = Arc::new(Guanxi::new(store));
        let admin = gx
            .set_up(SetupInput {
                company_name: "星辰科技".into(),
                currency: "CNY".into(),
                time_zone: "Asia/Shanghai".into(),
                default_locale: Locale::ZhCn,
                admin_name: "王总".into(),
                admin_email: "boss@example.cn".into(),
                admin_password: "boss password 1".into(),
            })
            .unwrap();
        let router = crate::http::router(AppState::new(gx.clone()));
        Api {
            _dir: dir,
            gx,
            router,
            admin,
        }
    }

    pub fn token(&self, user: &User) -> String {
        self.gx.create_token(user, "test").unwrap().secret
    }

    pub fn rep(&self, email: &str) -> String {
        let user = self
            .gx
            .create_user(
                Actor::User(&self.admin),
                UserInput {
                    email: email.into(),
                    name: email.into(),
                    role: Role::Rep,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap();
        self.token(&user)
    }

    pub async fn send(
        &self,
        token: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut request = HttpRequest::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {bytes:?}"))
        };
        (parts.status, parts.headers, json)
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let (status, _, json) = self.send(token, "GET", path, &[], None).await;
        (status, json)
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, json) = self.send(token, "POST", path, &[], Some(body)).await;
        (status, json)
    }

    /// Posts a multipart form with one file field, as an API client would.
    pub async fn upload(
        &self,
        token: &str,
        path: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> (StatusCode, Value) {
        let response = self
            .router
            .clone()
            .oneshot(multipart(path, token, file_name, bytes))
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }

    /// The id of the user a token belongs to.
    pub async fn user_id(&self, token: &str) -> String {
        let (_, me) = self.get(token, "/api/v1/me").await;
        me["id"].as_str().unwrap().to_string()
    }

    pub async fn delete(&self, token: &str, path: &str) -> StatusCode {
        self.send(token, "DELETE", path, &[], None).await.0
    }

    /// Creates a customer and answers its id.
    pub async fn customer(&self, token: &str, name: &str) -> String {
        let (status, json) = self.post(token, "/api/v1/customers", customer(name)).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        json["id"].as_str().unwrap().to_string()
    }
}

/// Drops the headers of `Api::send`'s answer.
pub trait StatusAndJson {
    fn into_status_and_json(self) -> (StatusCode, Value);
}

impl StatusAndJson for (StatusCode, HeaderMap, Value) {
    fn into_status_and_json(self) -> (StatusCode, Value) {
        (self.0, self.2)
    }
}

pub fn customer(name: &str) -> Value {
    json!({
        "name": name,
        "kind": "company",
        "customer_type": "potential",
        "tags": [],
        "custom": {},
    })
}

/// A `multipart/form-data` POST with one file field named `file`.
pub fn multipart(path: &str, token: &str, file_name: &str, bytes: &[u8]) -> HttpRequest<Body> {
    const BOUNDARY: &str = "guanxi-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    HttpRequest::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}
