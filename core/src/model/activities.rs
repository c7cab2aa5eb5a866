//! Activities, tasks and commitments (SPEC §2), and the customer timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, DealTimelineEvent, DocumentRef, FieldChange, Id};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Call,
    Visit,
    Sms,
    Email,
    Wechat,
    Qq,
    Meeting,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::Sms,
        ActivityKind::Email,
        ActivityKind::Wechat,
        ActivityKind::Qq,
        ActivityKind::Meeting,
        ActivityKind::Note,
    ];

    /// The serde name, as forms send it.
    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Sms => "sms",
            ActivityKind::Email => "email",
            ActivityKind::Wechat => "wechat",
            ActivityKind::Qq => "qq",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Note => "note",
        }
    }

    /// Calls and visits count toward activity statistics (SPEC §2).
    pub fn counts_as_contact(self) -> bool {
        matches!(self, ActivityKind::Call | ActivityKind::Visit)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Id,
    pub kind: ActivityKind,
    pub customer_id: Id,
    pub contact_id: Option<Id>,
    /// When it happened (may be earlier than when it was logged).
    pub at: DateTime<Utc>,
    /// Calls only.
    pub duration_minutes: Option<u32>,
    pub text: String,
    pub by: Id,
    pub created_at: DateTime<Utc>,
    /// The deal it was about: one of the same customer's deals. Since
    /// schema 6.
    #[serde(default)]
    pub deal_id: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub customer_id: Id,
    pub contact_id: Option<Id>,
    /// When it happened; now when missing. Never in the future.
    pub at: Option<DateTime<Utc>>,
    /// 0 to 1440 (a day).
    #[cfg_attr(feature = "server", schema(maximum = 1440))]
    pub duration_minutes: Option<u32>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub text: String,
    /// One of the customer's deals the activity was about.
    #[serde(default)]
    pub deal_id: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Id,
    pub title: String,
    pub due: DateTime<Utc>,
    pub assignee: Id,
    pub customer_id: Option<Id>,
    /// A promise made to the customer; shown on the customer's timeline.
    pub commitment: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub version: u64,
}

impl Task {
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.done_at.is_none() && self.due < now
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TaskInput {
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub title: String,
    pub due: DateTime<Utc>,
    /// Defaults to whoever creates the task.
    pub assignee: Option<Id>,
    pub customer_id: Option<Id>,
    pub commitment: bool,
}

/// What the timeline can be narrowed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Activity,
    Task,
    Change,
    File,
    Deal,
    Money,
}

/// A file attached to a customer. The bytes live beside the database in the
/// data folder's `files/`, so a copy of the folder is a complete backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FileMeta {
    pub id: Id,
    pub customer_id: Id,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub uploaded_by: Id,
    pub at: DateTime<Utc>,
}

impl FileMeta {
    /// Images the browser may show in place; anything else is downloaded,
    /// so an uploaded HTML or SVG page never runs in our origin.
    pub fn is_previewable_image(&self) -> bool {
        matches!(
            self.content_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        )
    }
}

/// One entry of a customer's 360° timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum TimelineEntry {
    Activity(Activity),
    Task(Task),
    Change(FieldChange),
    File(FileMeta),
    /// A deal of the customer created, moved, won, lost or reopened.
    Deal(DealTimelineEvent),
    /// A quote, contract, delivery, payment or expense of the customer.
    Money(MoneyEvent),
}

/// Something that happened to the customer's money, read from the quote,
/// contract, payment, delivery or expense itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyEvent {
    /// The record it comes from (a quote's or contract's events share it).
    pub id: Id,
    pub at: DateTime<Utc>,
    pub by: Id,
    pub kind: MoneyEventKind,
    /// The quote or contract it belongs to; an expense has none.
    pub document: Option<DocumentRef>,
    pub amount: Option<Cents>,
    /// The record's own words: a title, a version (`v2`), the day a payment
    /// was received, what was delivered, an expense's category.
    pub detail: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoneyEventKind {
    QuoteMade,
    QuoteSent,
    QuoteAccepted,
    QuoteRejected,
    ContractMade,
    ContractChanged,
    Delivery,
    Payment,
    Expense,
}

impl TimelineEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::Activity(a) => a.at,
            TimelineEntry::Task(t) => t.created_at,
            TimelineEntry::Change(c) => c.at,
            TimelineEntry::File(f) => f.at,
            TimelineEntry::Deal(d) => d.at,
            TimelineEntry::Money(m) => m.at,
        }
    }
}
