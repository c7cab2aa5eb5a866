//! Server-only glue for server functions: the services in context, what the
//! middleware learned about the request, and errors that set the HTTP status.

use std::sync::Arc;

use guanxi_core::Error;
use guanxi_core::model::{Locale, User};
use guanxi_core::service::{Authenticated, Guanxi};
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

pub const SESSION_COOKIE: &str = "guanxi_session";
pub const LANGUAGE_COOKIE: &str = "guanxi_lang";

/// Put into each request's extensions by the server's middleware.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub auth: Option<Authenticated>,
    pub session_secret: Option<String>,
    /// The client's address, for login throttling.
    pub client: String,
    pub cookie_locale: Option<Locale>,
    pub browser_locale: Option<Locale>,
    /// Over HTTPS: served with TLS, or a trusted proxy says so.
    pub secure: bool,
}

/// The addresses colleagues open, as the server printed them at start.
#[derive(Clone, Debug, Default)]
pub struct StaffUrls(pub Arc<Vec<String>>);

pub fn services() -> Arc<Guanxi> {
    expect_context::<Arc<Guanxi>>()
}

pub fn request() -> RequestContext {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
        .unwrap_or_default()
}

pub fn current_user() -> Result<User, AppError> {
    request()
        .auth
        .map(|a| a.user)
        .ok_or_else(|| fail(Error::Unauthenticated))
}

/// Records the error's HTTP status on the response and hands the error back.
/// A plain HTML form post (no WASM yet) keeps the redirect Leptos answers it
/// with instead: back to the form's page with the error in the query
/// (`__path`, `__err`), where the page's `ServerAction` shows it. A status
/// set here would replace that redirect and leave the browser on raw JSON.
pub fn fail(error: Error) -> AppError {
    if let Error::Internal(detail) = &error {
        tracing::error!(%detail, "server function failed");
    }
    if is_plain_form_post() {
        return AppError::Core(error);
    }
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.http_status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    AppError::Core(error)
}

/// Runs a service call on the blocking pool: store commits wait for the disk and
/// password hashing takes tens of milliseconds of CPU on purpose.
pub async fn call<T, F>(f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&Guanxi) -> Result<T, Error> + Send + 'static,
{
    let gx = services();
    match tokio::task::spawn_blocking(move || f(&gx)).await {
        Ok(result) => result.map_err(fail),
        Err(join) => Err(fail(Error::Internal(join.to_string()))),
    }
}

/// The sign-in cookie; `Secure` when the request came over HTTPS (directly
/// or through the admin's trusted proxy), so the browser never sends it in
/// the clear.
pub fn session_cookie(secret: &str) -> String {
    cookie::Cookie::build((SESSION_COOKIE, secret.to_string()))
        .path("/")
        .http_only(true)
        .secure(request().secure)
        .same_site(cookie::SameSite::Lax)
        .build()
        .to_string()
}

/// The Content-Security-Policy of every response that is not a page:
/// nothing may run or load but from this server.
///
/// The one inline event handler the pages use, `this.form.requestSubmit()`
/// (filters that submit on change, before and after hydration), is allowed
/// by its hash alone ('unsafe-hashes' admits exactly that text, no other).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' \
     'unsafe-hashes' 'sha256-UzlcSmbX0yUJT7hkhoYjXfKWsyloSDaNGC7i5v9WcAE='; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A page's policy: as `CONTENT_SECURITY_POLICY`, plus the one inline
/// script the page carries (the loader in `shell`, and the resources Leptos
/// streams), allowed by this response's nonce. `'wasm-unsafe-eval'` lets the
/// bundle's WebAssembly compile; the split modules load from 'self'.
pub fn set_page_security_policy() {
    let (Some(response), Some(nonce)) =
        (use_context::<ResponseOptions>(), leptos::nonce::use_nonce())
    else {
        return;
    };
    let policy = CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'",
        &format!("script-src 'self' 'nonce-{nonce}'"),
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

pub fn expired_session_cookie() -> String {
    cookie::Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .secure(request().secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

pub fn language_cookie(locale: Locale) -> String {
    cookie::Cookie::build((LANGUAGE_COOKIE, locale.code()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::days(400))
        .build()
        .to_string()
}

pub fn add_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

/// True for a form the browser posted itself (it asks for HTML back); the
/// hydrated page's calls ask for JSON.
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false)
}

/// For a plain HTML form post (no WASM yet), the browser needs a real redirect;
/// a hydrated page navigates by itself.
pub fn redirect_plain_form(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// Only local paths may be redirect targets, so a crafted `next` cannot send a
/// user to another site after login.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}
