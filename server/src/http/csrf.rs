//! Cross-site request forgery defence. Server functions accept form-encoded
//! posts, which a browser sends cross-site without a preflight; SameSite=Lax
//! cookies stop most of that, and this check stops the rest: a state-changing
//! request must come from a page of this very server.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn guard(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let safe_method = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A bearer token is not ambient: a forged request cannot carry it.
    let bearer = header(header::AUTHORIZATION).is_some_and(|v| v.starts_with("Bearer "));
    if safe_method
        || bearer
        || same_origin(
            header(header::ORIGIN),
            header(header::REFERER),
            header(header::HOST),
        )
    {
        return next.run(req).await;
    }
    tracing::warn!(
        origin = header(header::ORIGIN),
        referer = header(header::REFERER),
        path = %req.uri().path(),
        "cross-site request refused"
    );
    (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
}

/// True when the Origin header (or, without it, the Referer) names the host the
/// request was sent to.
pub fn same_origin(origin: Option<&str>, referer: Option<&str>, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let source = match origin {
        Some("null") => return false,
        Some(o) => o,
        None => match referer {
            Some(r) => r,
            None => return false,
        },
    };
    let authority = source
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn same_host_origin_is_accepted() {
        assert!(same_origin(
            Some("http://192.168.1.5:8080"),
            None,
            Some("192.168.1.5:8080")
        ));
        assert!(same_origin(
            None,
            Some("http://crm.local:8080/admin/users?x=1"),
            Some("crm.local:8080")
        ));
    }

    #[test]
    fn other_sites_and_missing_headers_are_refused() {
        assert!(!same_origin(
            Some("http://evil.example"),
            None,
            Some("crm.local:8080")
        ));
        assert!(!same_origin(
            Some("http://crm.local:8081"),
            None,
            Some("crm.local:8080")
        ));
        assert!(!same_origin(
            Some("null"),
            Some("http://crm.local:8080/"),
            Some("crm.local:8080")
        ));
        assert!(!same_origin(None, None, Some("crm.local:8080")));
        assert!(!same_origin(Some("http://crm.local:8080"), None, None));
        // A look-alike host must not pass as a prefix match.
        assert!(!same_origin(
            Some("http://crm.local:8080.evil.example"),
            None,
            Some("crm.local:8080")
        ));
    }
}
