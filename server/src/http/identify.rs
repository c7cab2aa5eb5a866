//! Works out who sent a request (session cookie or bearer token), the client's
//! address and language hints, and leaves them in the request's extensions for
//! pages, server functions and REST handlers alike.

use std::net::SocketAddr;

use app::ssr::{LANGUAGE_COOKIE, RequestContext, SESSION_COOKIE};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use guanxi_core::model::Locale;

use super::AppState;

pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let cookies: Vec<(String, String)> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .map(|c| (c.name().to_string(), c.value().to_string()))
        .collect();
    let cookie = |name: &str| {
        cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let session_secret = cookie(SESSION_COOKIE).filter(|s| !s.is_empty());
    let browser_locale = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language);
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();

    let gx = state.gx.clone();
    // A bearer token, when present, is the only credential considered: API
    // clients must not be authenticated by a stray cookie.
    let lookup = {
        let (bearer, session) = (bearer.clone(), session_secret.clone());
        tokio::task::spawn_blocking(move || match (bearer, session) {
            (Some(token), _) => gx.authenticate_token(&token),
            (None, Some(secret)) => gx.authenticate_session(&secret),
            (None, None) => Ok(None),
        })
    };
    let auth = match lookup.await {
        Ok(Ok(auth)) => auth,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "authentication lookup failed");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "authentication task failed");
            None
        }
    };
    let context = RequestContext {
        auth,
        session_secret: if bearer.is_some() {
            None
        } else {
            session_secret
        },
        client,
        cookie_locale: cookie(LANGUAGE_COOKIE).and_then(|c| Locale::parse(&c)),
        browser_locale,
    };
    req.extensions_mut().insert(context);
    next.run(req).await
}
