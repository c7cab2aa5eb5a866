//! The audit log (admins): `GET /api/v1/audit`, a page of entries newest
//! first, and `GET /api/v1/audit.csv`, the same filters as a CSV file.

use app::i18n::{Msg, audit_action_msg, audit_changes_text, audit_kind_msg, audit_subject};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use guanxi_core::domain::audit::readable;
use guanxi_core::domain::spreadsheet;
use guanxi_core::domain::time::local_time;
use guanxi_core::model::{AuditAction, AuditEntry, AuditFilter, AuditKind, Id};
use guanxi_core::service::{MAX_AUDIT_EXPORT, MAX_AUDIT_PAGE};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiError, Caller, ErrorJson, QueryOf};
use crate::http::AppState;

/// The log's filters, as `AuditFilter` reads them (the document's view of
/// it: the handler takes the text and the service checks it).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AuditFilters {
    /// Only what this user did.
    user: Option<Id>,
    /// Only entries about this kind of record.
    kind: Option<AuditKind>,
    /// Only this action.
    action: Option<AuditAction>,
    /// Only entries about this record (kept after it is purged).
    record: Option<Id>,
    /// From this day (company time zone), included.
    from: Option<NaiveDate>,
    /// Up to this day, included; not before `from`.
    to: Option<NaiveDate>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditPaging {
    /// A page of the log (from 0), `limit` entries long; the total is in
    /// `X-Total-Count`.
    #[serde(default)]
    page: usize,
    /// Entries per page: 50 unless given, at most 200.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
}

/// The audit log (admins): who changed what, when, from what to what, and
/// every sign-in and failed one; newest first, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "account",
    params(AuditFilters, AuditPaging),
    responses(
        (status = 200, body = Vec<AuditEntry>, headers(("X-Total-Count" = usize, description = "How many entries match the filters"))),
        (status = 403, body = ErrorJson),
        (status = 422, description = "`invalid`: `period` `malformed` for days that do not parse or a `to` before `from`", body = ErrorJson),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<AuditFilter>,
    QueryOf(paging): QueryOf<AuditPaging>,
) -> Result<Response, ApiError> {
    let limit = paging.limit.unwrap_or(50).clamp(1, MAX_AUDIT_PAGE);
    let page = caller
        .call(&state, move |gx, me| {
            gx.audit_log(me, &filter, paging.page, limit)
        })
        .await?;
    let mut response = Json(page.entries).into_response();
    response
        .headers_mut()
        .insert("x-total-count", axum::http::HeaderValue::from(page.total));
    Ok(response)
}

/// The audit log as CSV (UTF-8 with a byte-order mark, so Excel reads
/// Chinese), with the same filters as `GET /api/v1/audit`, newest first,
/// headers and times in the caller's language and the company's zone.
#[utoipa::path(
    get, path = "/api/v1/audit.csv", tag = "account",
    params(AuditFilters),
    responses(
        (status = 200, description = "A CSV file, as an attachment", content_type = "text/csv; charset=utf-8", body = String),
        (status = 403, body = ErrorJson),
        (status = 422, description = "`invalid`: `period` `malformed`", body = ErrorJson),
    )
)]
pub async fn export_audit_log(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<AuditFilter>,
) -> Result<Response, ApiError> {
    let locale = caller.locale;
    let bytes = caller
        .call(&state, move |gx, me| {
            let page = gx.audit_log(me, &filter, 0, MAX_AUDIT_EXPORT)?;
            let names = gx.user_names()?;
            let zone = gx.company_zone();
            let t = |m: Msg| m.text(locale).to_string();
            let headers = [
                Msg::AuditWhen,
                Msg::AuditWho,
                Msg::AuditActionLabel,
                Msg::AuditKindLabel,
                Msg::AuditRecord,
                Msg::AuditChanges,
            ]
            .map(t);
            let mut entries = page.entries;
            let named = app::api::audit::audit_value_names(gx, locale)?;
            for e in &mut entries {
                readable(e, &named);
            }
            let rows = entries.iter().map(|e| {
                vec![
                    local_time(zone, e.at),
                    // A failed sign-in has no user: the address tried.
                    match (e.by, &e.email) {
                        (Some(by), _) => names.get(by).unwrap_or_default().to_string(),
                        (None, Some(email)) => email.clone(),
                        (None, None) => t(Msg::AuditSystem),
                    },
                    t(audit_action_msg(e.action)),
                    t(audit_kind_msg(e.kind)),
                    audit_subject(e, locale),
                    audit_changes_text(e, locale),
                ]
            });
            Ok(spreadsheet::write_csv(&headers, rows))
        })
        .await?;
    let filename = format!("audit-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{StatusCode, header};
    use http::Request as HttpRequest;
    use http_body_util::BodyExt;
    use serde_json::json;
    use tower::ServiceExt;

    use crate::http::rest::test_api::Api;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn admins_read_and_export_the_log_filtered_others_are_refused() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        api.gx
            .login("boss@example.cn", "boss password 1", "127.0.0.1")
            .unwrap();
        assert!(
            api.gx
                .login("boss@example.cn", "not the password", "127.0.0.1")
                .is_err()
        );
        let customer = api.customer(&admin, "北京星辰").await;
        let (status, _, edited) = api
            .send(
                &admin,
                "PUT",
                &format!("/api/v1/customers/{customer}"),
                &[("If-Match", "\"1\"")],
                Some(crate::http::rest::test_api::customer("北京星辰科技")),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");

        let (status, headers, sessions) = api
            .send(&admin, "GET", "/api/v1/audit?kind=session", &[], None)
            .await;
        assert_eq!(status, StatusCode::OK, "{sessions}");
        assert_eq!(headers["x-total-count"], "2");
        assert_eq!(sessions[0]["action"], "sign_in_failed");
        assert_eq!(sessions[0]["email"], "boss@example.cn");
        assert_eq!(sessions[0]["by"], serde_json::Value::Null);
        assert_eq!(sessions[1]["action"], "sign_in");

        let (_, headers, of_customer) = api
            .send(
                &admin,
                "GET",
                &format!("/api/v1/audit?record={customer}&limit=1"),
                &[],
                None,
            )
            .await;
        assert_eq!(headers["x-total-count"], "2");
        assert_eq!(of_customer[0]["action"], "update");
        let rename = of_customer[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "name")
            .unwrap();
        assert_eq!(
            (&rename["old"], &rename["new"]),
            (&json!("北京星辰"), &json!("北京星辰科技"))
        );

        let (status, bad) = api.get(&admin, "/api/v1/audit?from=2026-02-30").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (&bad["field"], &bad["problem"]),
            (&json!("period"), &json!("malformed"))
        );
        assert!(
            bad["message"].as_str().unwrap().contains("开始日期"),
            "{bad}"
        );

        let rep = api.rep("li@example.cn");
        let (status, _) = api.get(&rep, "/api/v1/audit").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let response = api
            .router
            .clone()
            .oneshot(
                HttpRequest::get("/api/v1/audit.csv?action=sign_in_failed")
                    .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.trim_end().lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains("操作人"), "{text}");
        assert!(lines[1].contains("boss@example.cn,登录失败,登录"), "{text}");
    }
}
