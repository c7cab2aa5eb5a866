//! The company's audit log: who changed what, when, from what to what, and
//! who signed in or tried to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// What kind of record an audit entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A sign-in or a failed one: about a user's session, not a record.
    Session,
    Customer,
    Contact,
    Deal,
    Activity,
    Task,
    /// The company's settings: company, customer settings, close reasons.
    Settings,
    User,
    Pipeline,
    /// A personal API token made or revoked: a way to act as its user.
    ApiToken,
    /// A target (指标) set, changed or removed.
    Target,
}

impl AuditKind {
    pub const ALL: [AuditKind; 11] = [
        AuditKind::Session,
        AuditKind::Customer,
        AuditKind::Contact,
        AuditKind::Deal,
        AuditKind::Activity,
        AuditKind::Task,
        AuditKind::Settings,
        AuditKind::User,
        AuditKind::Pipeline,
        AuditKind::ApiToken,
        AuditKind::Target,
    ];

    /// The code filters and the API use.
    pub fn code(self) -> &'static str {
        match self {
            AuditKind::Session => "session",
            AuditKind::Customer => "customer",
            AuditKind::Contact => "contact",
            AuditKind::Deal => "deal",
            AuditKind::Activity => "activity",
            AuditKind::Task => "task",
            AuditKind::Settings => "settings",
            AuditKind::User => "user",
            AuditKind::Pipeline => "pipeline",
            AuditKind::ApiToken => "api_token",
            AuditKind::Target => "target",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What happened to the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    /// Deleted, or moved to the recycle bin.
    Delete,
    /// Taken back out of the recycle bin.
    Restore,
    /// Deleted for good from the recycle bin; its audit lines stay.
    Purge,
    SignIn,
    /// A sign-in refused: wrong password, unknown address or a
    /// deactivated account. The entry has the address tried, no user.
    SignInFailed,
    SignOut,
}

impl AuditAction {
    pub const ALL: [AuditAction; 8] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::Restore,
        AuditAction::Purge,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Restore => "restore",
            AuditAction::Purge => "purge",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One field of a record, from what to what (empty: had no value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Time-ordered: the log reads newest first by it.
    pub id: Id,
    pub at: DateTime<Utc>,
    /// Who did it; none for a failed sign-in or the system's own work.
    pub by: Option<Id>,
    /// The address a sign-in used, or tried.
    pub email: Option<String>,
    pub kind: AuditKind,
    /// The record; none for the company's settings.
    pub record: Option<Id>,
    /// The record's name at the time, so a purged record still reads.
    pub label: String,
    pub action: AuditAction,
    pub changes: Vec<AuditChange>,
}

/// The audit log's filters as typed into the page or the API's query:
/// checked by the service, which answers a bad one as invalid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Only what this user did (a user id).
    pub user: String,
    /// Only entries about this kind of record (`customer`, `deal`, …).
    pub kind: String,
    /// Only this action (`create`, `update`, `sign_in_failed`, …).
    pub action: String,
    /// Only entries about this record (an id).
    pub record: String,
    /// From this day (`YYYY-MM-DD`, in the company's time zone), included.
    pub from: String,
    /// Up to this day, included.
    pub to: String,
}

/// A page of the audit log, newest first, and how many entries match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: usize,
    pub entries: Vec<AuditEntry>,
}
