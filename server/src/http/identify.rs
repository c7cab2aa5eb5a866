//! Works out who sent a request (session cookie or bearer token), the client's
//! address and language hints, and leaves them in the request's extensions for
//! pages, server functions and REST handlers alike.

use std::net::{IpAddr, SocketAddr};

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
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let (secure, client) = transport(&state, peer, headers);

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
        secure,
    };
    req.extensions_mut().insert(context);
    next.run(req).await
}

/// Whether the request came over HTTPS, and the client's address. Only a
/// proxy the admin named with `--trusted-proxy` is believed about either:
/// anyone else could send the headers to look like someone they are not.
fn transport(
    state: &AppState,
    peer: Option<IpAddr>,
    headers: &axum::http::HeaderMap,
) -> (bool, String) {
    let peer_text = peer.map(|p| p.to_string()).unwrap_or_default();
    let Some(proxy) = peer.filter(|p| state.trusted_proxies.contains(p)) else {
        return (state.tls, peer_text);
    };
    let forwarded = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let secure = state.tls
        || forwarded("x-forwarded-proto")
            .is_some_and(|p| p.split(',').next().unwrap_or("").trim() == "https");
    // The proxy appends the address it saw last; what is before it, the
    // client may have written itself.
    let client = forwarded("x-forwarded-for")
        .and_then(|list| {
            list.rsplit(',')
                .next()
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        })
        .unwrap_or(proxy);
    (secure, client.to_string())
}
