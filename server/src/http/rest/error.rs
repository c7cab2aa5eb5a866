//! The one error type of the REST API and the JSON it answers with.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use guanxi_core::Error;
use guanxi_core::model::{DuplicateHint, Locale};
use serde::Serialize;
use utoipa::ToSchema;

/// Why a request failed, with the language to say it in.
pub enum ApiError {
    /// A service said no.
    Service(Error, Locale),
    /// An edit that named no version.
    VersionRequired(Locale),
    /// A body, query or header that does not parse; `detail` is the parser's
    /// own (English) account of where.
    Unreadable {
        status: StatusCode,
        detail: String,
        locale: Locale,
    },
}

impl ApiError {
    /// A 400 for a header or value the parser could not read.
    pub fn bad_request(detail: &str, locale: Locale) -> Self {
        ApiError::Unreadable {
            status: StatusCode::BAD_REQUEST,
            detail: detail.into(),
            locale,
        }
    }
}

/// The error body of every API failure. `error` is a stable code (`invalid`,
/// `not_found`, `conflict`, `possible_duplicates`, `version_required`,
/// `bad_request`, …); `message` is for people, in the caller's language.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    error: String,
    message: String,
    /// The input field at fault, with `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<guanxi_core::Field>,
    /// What is wrong with it, with `invalid`: `required`, `too_short`,
    /// `too_long`, `out_of_range`, `malformed`, `unknown` (it names a
    /// record, type or reason that does not exist), `taken` (another record
    /// has it), `in_future` or `in_past` (a date before today that needs
    /// confirming, such as a new plan's installment).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        pattern = "^(required|too_short|too_long|out_of_range|malformed|unknown|taken|in_future|in_past)$"
    )]
    problem: Option<&'static str>,
    /// With `possible_duplicates`: the existing customers the new one looks
    /// like. Send the request again with `confirm_duplicate: true` to save anyway.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    duplicates: Vec<DuplicateHint>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use app::i18n::Msg;
        let (status, body) = match self {
            ApiError::Service(error, locale) => {
                if let Error::Internal(detail) = &error {
                    tracing::error!(%detail, "API request failed");
                }
                let status = StatusCode::from_u16(error.http_status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let field = match &error {
                    Error::Invalid { field, .. } => Some(*field),
                    _ => None,
                };
                let problem = match &error {
                    Error::Invalid { problem, .. } | Error::InvalidCustomField { problem, .. } => {
                        Some(problem_code(*problem))
                    }
                    Error::UnknownCustomerType { .. } => Some("unknown"),
                    _ => None,
                };
                let body = ErrorJson {
                    error: error.code().into(),
                    message: app::i18n::error_text(&error, locale),
                    field,
                    problem,
                    // The one error whose details a client needs to act on.
                    duplicates: match error {
                        Error::PossibleDuplicates(hints) => hints,
                        _ => Vec::new(),
                    },
                };
                (status, body)
            }
            ApiError::VersionRequired(locale) => (
                StatusCode::PRECONDITION_REQUIRED,
                ErrorJson {
                    error: "version_required".into(),
                    message: Msg::ErrVersionRequired.text(locale).into(),
                    field: None,
                    problem: None,
                    duplicates: Vec::new(),
                },
            ),
            ApiError::Unreadable {
                status,
                detail,
                locale,
            } => (
                status,
                ErrorJson {
                    error: "bad_request".into(),
                    message: format!("{} {detail}", Msg::ErrMalformed.text(locale)),
                    field: None,
                    problem: None,
                    duplicates: Vec::new(),
                },
            ),
        };
        (status, Json(body)).into_response()
    }
}

fn problem_code(problem: guanxi_core::Problem) -> &'static str {
    use guanxi_core::Problem;
    match problem {
        Problem::Required => "required",
        Problem::TooShort { .. } => "too_short",
        Problem::TooLong { .. } => "too_long",
        Problem::OutOfRange { .. } => "out_of_range",
        Problem::Malformed => "malformed",
        Problem::Unknown => "unknown",
        Problem::Taken => "taken",
        Problem::InFuture => "in_future",
        Problem::InPast => "in_past",
    }
}
