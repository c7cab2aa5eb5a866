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
    /// A payment plan whose installments do not add up to the amount:
    /// `difference` is the plan's total minus the amount.
    #[error("the plan differs from the amount by {difference}")]
    PlanMismatch { difference: crate::model::Cents },
    /// A target's months that do not add up to its year: `difference` is
    /// the months' total minus the year's.
    #[error("the months differ from the year by {difference}")]
    MonthsMismatch { difference: crate::model::Cents },
    /// A payment larger than what is still owed.
    #[error("only {outstanding} is outstanding")]
    PaymentTooLarge { outstanding: crate::model::Cents },
    /// The record waits for an approval and cannot change until it is decided.
    #[error("locked while its approval is pending")]
    ApprovalPending,
    /// The quote's status does not allow this step (e.g. accepting a draft).
    #[error("not possible in status {status}")]
    WrongStatus { status: String },
    /// A product still on quotes (or contracts) is deactivated, not deleted.
    #[error("still in use")]
    InUse,
    /// A contract with payments is cancelled, not deleted.
    #[error("the contract has payments")]
    HasPayments,
    /// More was to leave the warehouse than it held: `product` (code and
    /// name) had `on_hand` on `date`, the day the stock would have gone
    /// below zero (a backdated move may push a later one there).
    #[error("only {on_hand:?} of {product} on hand on {date}")]
    StockShortage {
        product: String,
        on_hand: crate::model::Quantity,
        date: chrono::NaiveDate,
    },
    /// More delivered against a contract line than it still has to deliver.
    #[error("only {undelivered:?} of the line is left to deliver")]
    OverDelivery { undelivered: crate::model::Quantity },
    /// A contract with deliveries is cancelled, not deleted.
    #[error("the contract has deliveries")]
    HasDeliveries,
    /// New terms that drop a line goods were delivered against, or order
    /// less of it than was delivered.
    #[error("{delivered:?} of {line} was delivered")]
    LineDelivered {
        line: String,
        delivered: crate::model::Quantity,
    },
    /// A deal, contact or activity goes back from the recycle bin only to
    /// a customer that is not in the bin itself.
    #[error("restore the customer {customer} first")]
    RestoreCustomerFirst { customer: String },
    /// The disk the data is on is full: nothing of the write was saved.
    #[error("the disk is full")]
    StorageFull,
    /// The disk failed a read or a write, or confirming one (fsync): the
    /// write was not acknowledged. It is all there or not at all: after a
    /// failed fsync the disk may still have kept it. The store opens its
    /// file again and may work again.
    /// An imported order's customer cell that names no customer by name,
    /// phone or email (or none the importer may sell to).
    #[error("no customer matches {value:?}")]
    CustomerNotMatched { value: String },
    /// An imported order's customer cell that names several customers.
    #[error("{value:?} matches {matches} customers")]
    CustomerAmbiguous { value: String, matches: u32 },
    /// A later row of an imported order whose order-level cell (date,
    /// customer, owner, tax, payment) differs from the order's first row,
    /// `row` (the spreadsheet's row number).
    #[error("differs from the order's first row, {row}")]
    OrderRowDiffers { row: u32 },
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
            | Error::UnknownCustomerType { .. }
            | Error::CustomerNotMatched { .. }
            | Error::CustomerAmbiguous { .. }
            | Error::OrderRowDiffers { .. } => 422,
            Error::Unauthenticated | Error::BadCredentials => 401,
            Error::Forbidden | Error::Deactivated => 403,
            Error::NotFound => 404,
            Error::Conflict
            | Error::AlreadySetUp
            | Error::NotSetUp
            | Error::LastAdmin
            | Error::PossibleDuplicates(_)
            | Error::HoldingLimit { .. }
            | Error::ChecklistIncomplete { .. }
            | Error::ApprovalPending
            | Error::WrongStatus { .. }
            | Error::InUse
            | Error::HasPayments
            | Error::HasDeliveries
            | Error::RestoreCustomerFirst { .. } => 409,
            Error::PlanMismatch { .. }
            | Error::MonthsMismatch { .. }
            | Error::PaymentTooLarge { .. }
            | Error::StockShortage { .. }
            | Error::OverDelivery { .. }
            | Error::LineDelivered { .. } => 422,
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
            Error::PlanMismatch { .. } => "plan_mismatch",
            Error::MonthsMismatch { .. } => "months_mismatch",
            Error::PaymentTooLarge { .. } => "payment_too_large",
            Error::ApprovalPending => "approval_pending",
            Error::WrongStatus { .. } => "wrong_status",
            Error::InUse => "in_use",
            Error::HasPayments => "has_payments",
            Error::HasDeliveries => "has_deliveries",
            Error::RestoreCustomerFirst { .. } => "restore_customer_first",
            Error::StockShortage { .. } => "stock_shortage",
            Error::OverDelivery { .. } => "over_delivery",
            Error::LineDelivered { .. } => "line_delivered",
            Error::CustomerNotMatched { .. } => "customer_not_matched",
            Error::CustomerAmbiguous { .. } => "customer_ambiguous",
            Error::OrderRowDiffers { .. } => "order_row_differs",
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
    /// A product's code (`Taken`: another product has it).
    Code,
    Unit,
    Category,
    ListPrice,
    StandardCost,
    LowStockThreshold,
    /// Whether a product is on sale, as an imported cell (`Unknown`: neither
    /// a yes nor a no).
    Active,
    /// The product of a line (`Unknown`: none such, or not active).
    Product,
    /// A quote's or contract's line items (`Required`: none).
    Lines,
    /// A line's text.
    Description,
    Quantity,
    UnitPrice,
    /// A line's discount in percent.
    Discount,
    TaxRate,
    ValidUntil,
    /// An installment a payment is meant for.
    Installment,
    DiscountLimit,
    ContractApprovalAmount,
    QuoteValidDays,
    /// An approval decision's comment.
    Comment,
    /// A status filter (`Unknown`: no such status).
    Status,
    /// The quote a contract is made from (`Taken`: it already has one).
    Quote,
    /// Who a purchase was bought from.
    Supplier,
    /// The contract an expense is for (`Unknown`: none the user may see,
    /// or not of the expense's customer).
    Contract,
    /// A contract line a delivery is for (`Unknown`: none such, or one
    /// without a product).
    Line,
    /// The audit log's filters: the user who acted, the kind of record,
    /// the action and the record (`Unknown`/`Malformed`: no such one).
    User,
    RecordKind,
    Action,
    Record,
    /// An imported order's number (`Taken`: a contract has it).
    OrderNumber,
    SignDate,
    /// When an imported order's payment was received.
    ReceivedOn,
    /// A target's year (2000–2100).
    Year,
    /// Whose target: company, team, rep, region or product (`Unknown`:
    /// a team, rep, region or product that does not exist).
    Subject,
    /// A target's year amount, or the planner's what-if target.
    Target,
    /// A target's twelve monthly parts.
    Months,
    /// The planner's what-if inputs and its history window in months.
    DealSize,
    VisitRate,
    WinRate,
    Window,
}

/// What is wrong with a field's value. `InFuture`: a time later than now
/// where only the past makes sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    OutOfRange {
        min: u32,
        max: u32,
    },
    Malformed,
    Unknown,
    Taken,
    InFuture,
    /// A date before today where only today or later makes sense unless
    /// confirmed (an installment of a new plan).
    InPast,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
