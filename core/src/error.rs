//! One error type for the core. Variants carry codes, not sentences: the UI and the
//! REST API translate them into the reader's language at the edge.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Error {
    #[error("invalid {field:?}: {problem:?}")]
    Invalid { field: Field, problem: Problem },
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("the record was changed by someone else")]
    Conflict,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("account is deactivated")]
    Deactivated,
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("setup has already been done")]
    AlreadySetUp,
    #[error("setup has not been done yet")]
    NotSetUp,
    #[error("the last active admin cannot be removed or demoted")]
    LastAdmin,
    #[error("looks like an existing customer")]
    PossibleDuplicates(Vec<crate::model::DuplicateHint>),
    #[error("invalid custom field {key}: {problem:?}")]
    InvalidCustomField { key: String, problem: Problem },
    /// `user` (by name) already holds `held` customers and may hold `limit`;
    /// an admin may go over it with a reason.
    #[error("{user} already holds {held} customers, the limit is {limit}")]
    HoldingLimit { user: String, held: u32, limit: u32 },
    /// An imported type that is neither a type of the company nor mapped to one.
    #[error("unknown customer type {value:?}")]
    UnknownCustomerType { value: String },
    #[error("checklist items not done: {missing:?}")]
    ChecklistIncomplete { missing: Vec<String> },
    /// The disk the data is on is full: nothing of the write was saved.
    #[error("the disk is full")]
    StorageFull,
    /// The disk failed a read or a write, or confirming one (fsync): the
    /// write was not acknowledged. It is all there or not at all: after a
    /// failed fsync the disk may still have kept it. The store opens its
    /// file again and may work again.
    #[error("the data could not be read or written")]
    StorageUnavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        Error::Invalid { field, problem }
    }

    /// The HTTP status this error maps to, shared by REST and server functions.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::Invalid { .. }
            | Error::InvalidCustomField { .. }
            | Error::UnknownCustomerType { .. } => 422,
            Error::Unauthenticated | Error::BadCredentials => 401,
            Error::Forbidden | Error::Deactivated => 403,
            Error::NotFound => 404,
            Error::Conflict
            | Error::AlreadySetUp
            | Error::NotSetUp
            | Error::LastAdmin
            | Error::PossibleDuplicates(_)
            | Error::HoldingLimit { .. }
            | Error::ChecklistIncomplete { .. } => 409,
            Error::RateLimited { .. } => 429,
            Error::StorageFull => 507,
            Error::StorageUnavailable => 503,
            Error::Internal(_) => 500,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. }
            | Error::InvalidCustomField { .. }
            | Error::UnknownCustomerType { .. } => "invalid",
            Error::Unauthenticated => "unauthenticated",
            Error::Forbidden => "forbidden",
            Error::NotFound => "not_found",
            Error::Conflict => "conflict",
            Error::BadCredentials => "bad_credentials",
            Error::Deactivated => "deactivated",
            Error::RateLimited { .. } => "rate_limited",
            Error::AlreadySetUp => "already_set_up",
            Error::NotSetUp => "not_set_up",
            Error::LastAdmin => "last_admin",
            Error::PossibleDuplicates(_) => "possible_duplicates",
            Error::HoldingLimit { .. } => "holding_limit",
            Error::ChecklistIncomplete { .. } => "checklist_incomplete",
            Error::StorageFull => "storage_full",
            Error::StorageUnavailable => "storage_unavailable",
            Error::Internal(_) => "internal",
        }
    }
}

/// The input field an `Error::Invalid` points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Name,
    Password,
    NewPassword,
    CompanyName,
    Currency,
    TimeZone,
    Locale,
    Role,
    Team,
    TokenName,
    SessionIdleMinutes,
    CustomerType,
    Phone,
    Address,
    Website,
    Notes,
    Tags,
    Source,
    Industry,
    Region,
    Grade,
    Title,
    Wechat,
    /// A contact's birthday: a date from 1900 to today.
    Birthday,
    Owner,
    Customer,
    Text,
    Duration,
    At,
    Due,
    Assignee,
    /// A value of an admin-defined field; `Error::InvalidCustomField` names which.
    Custom,
    CustomFields,
    LookupLinks,
    PoolReturnDays,
    HoldingLimit,
    MaxFileMb,
    File,
    Amount,
    Confidence,
    Owners,
    Pipeline,
    Stage,
    Competitors,
    Requirements,
    Solution,
    Checklist,
    Reason,
    /// An expected-close month filter, `YYYY-MM`.
    CloseMonth,
    /// The quick qualification (三一客) of a deal.
    Qualification,
    /// A request to reopen a closed deal (`Taken`: one is already pending).
    Reopen,
    /// A pipeline's stages as an admin edits them.
    Stages,
    /// The deal an activity is linked to (`Unknown`: not one of its
    /// customer's deals, or not one the user may see).
    Deal,
    /// Scheduled snapshots kept: one a day, a week, a month.
    KeepDaily,
    KeepWeekly,
    KeepMonthly,
    /// A report's period: a custom range of `YYYY-MM-DD` days, the first
    /// not after the last.
    Period,
}

/// What is wrong with a field's value. `InFuture`: a time later than now
/// where only the past makes sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort { min: u32 },
    TooLong { max: u32 },
    OutOfRange { min: u32, max: u32 },
    Malformed,
    Unknown,
    Taken,
    InFuture,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
