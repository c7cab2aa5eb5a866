//! Where a page request may go: to first-run setup until it is done, to the
//! sign-in page without a session. Role checks happen in the pages themselves
//! (and in every server function), which answer 403.

use app::ssr::RequestContext;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let gx = state.gx.clone();
    let set_up = match tokio::task::spawn_blocking(move || gx.is_set_up()).await {
        Ok(Ok(done)) => done,
        _ => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let signed_in = req
        .extensions()
        .get::<RequestContext>()
        .is_some_and(|c| c.auth.is_some());
    let path = req.uri().path();
    let target = match (set_up, signed_in, path) {
        (false, _, "/setup") => None,
        (false, _, _) => Some("/setup".to_string()),
        (true, true, "/setup" | "/login") => Some("/".to_string()),
        (true, false, "/setup") => Some("/login".to_string()),
        (true, false, "/login") => None,
        (true, false, _) => {
            let wanted = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            Some(if wanted == "/" {
                "/login".to_string()
            } else {
                let next: String = form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
                format!("/login?next={next}")
            })
        }
        (true, true, _) => None,
    };
    match target {
        Some(to) => {
            let mut response = Redirect::to(&to).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        None => {
            let mut response = next.run(req).await;
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
    }
}
