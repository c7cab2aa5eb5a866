//! Quotes (报价) and the approval chain they go through (SPEC §4, §9).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, Id, Quantity, Rate};

/// Who decides a step of an approval (SPEC §9): the submitter's manager,
/// then an admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalLevel {
    Manager,
    Admin,
}

/// One step of an approval: who may decide it, and how it went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApprovalStep {
    pub level: ApprovalLevel,
    /// `None` until decided.
    pub approved: Option<bool>,
    pub decided_by: Option<Id>,
    pub decider_name: Option<String>,
    pub comment: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A record's trip through the approval chain: the steps in order. The
/// record is locked while one is undecided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Approval {
    pub submitted_by: Id,
    pub submitter_name: String,
    pub submitted_at: DateTime<Utc>,
    pub steps: Vec<ApprovalStep>,
}

impl Approval {
    /// The step waiting for a decision, if the approval is still open.
    pub fn pending_step(&self) -> Option<&ApprovalStep> {
        if self.rejected() {
            return None;
        }
        self.steps.iter().find(|s| s.approved.is_none())
    }

    pub fn rejected(&self) -> bool {
        self.steps.iter().any(|s| s.approved == Some(false))
    }

    pub fn approved(&self) -> bool {
        self.steps.iter().all(|s| s.approved == Some(true))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being written; may be edited.
    Draft,
    /// A discount above the limit waits for the approval chain; locked.
    PendingApproval,
    /// Approved; may be sent (an edit takes it back to draft).
    Approved,
    /// Sent to the customer, waiting for an answer until its validity ends.
    Sent,
    Accepted,
    Rejected,
    /// Sent and not answered by its validity date: worked out when read.
    Expired,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 7] = [
        QuoteStatus::Draft,
        QuoteStatus::PendingApproval,
        QuoteStatus::Approved,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Rejected,
        QuoteStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::PendingApproval => "pending_approval",
            QuoteStatus::Approved => "approved",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the quote's lines and terms may still change.
    pub fn is_editable(self) -> bool {
        matches!(self, QuoteStatus::Draft | QuoteStatus::Approved)
    }
}

/// One priced line. `net` is worked out from the others (see
/// `domain::money::line_net`), never typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    /// The product this line sells; `None` for a free-text line.
    pub product_id: Option<Id>,
    /// The product's code when the line was written.
    pub code: Option<String>,
    pub description: String,
    pub unit: String,
    pub quantity: Quantity,
    pub unit_price: Cents,
    pub discount: Rate,
    pub net: Cents,
}

/// Net, tax and gross of a set of lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Totals {
    pub net: Cents,
    pub tax: Cents,
    pub gross: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Quote {
    pub id: Id,
    /// `Q2026-00001`: unique, for people and search.
    pub number: String,
    pub customer_id: Id,
    pub deal_id: Option<Id>,
    /// The rep who answers for the quote; who may see it follows from them.
    pub owner: Id,
    pub title: String,
    pub lines: Vec<QuoteLine>,
    pub tax_rate: Rate,
    pub totals: Totals,
    /// The last day the customer may accept it.
    pub valid_until: NaiveDate,
    /// As stored; `domain::quotes::status_on` adds expiry.
    pub status: QuoteStatus,
    pub approval: Option<Approval>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub version: u64,
}

/// A line as typed: amounts, quantities and percentages as text. A line
/// with a product takes its description, unit and (when left empty) its
/// list price from the product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct QuoteLineInput {
    pub product_id: Option<Id>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub description: String,
    #[cfg_attr(feature = "server", schema(max_length = 20, pattern = r"^[^\p{Cc}]*$"))]
    pub unit: String,
    /// `3`, `2.5`.
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[1-9][0-9]{0,8}(\.[0-9]{1,3})? *$")
    )]
    pub quantity: String,
    /// Empty: the product's list price.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *([0-9]{1,11}(\.[0-9]{1,2})?)? *$")
    )]
    pub unit_price: String,
    /// Percent off, e.g. `5` or `12.5`; empty for none.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *((100|[0-9]{1,2}(\.[0-9]{1,2})?) *%?)? *$")
    )]
    pub discount: String,
}

/// A quote as the form or an API client sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct QuoteInput {
    pub customer_id: Option<Id>,
    pub deal_id: Option<Id>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub title: String,
    pub lines: Vec<QuoteLineInput>,
    /// Percent; empty for the company's default rate.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *((100|[0-9]{1,2}(\.[0-9]{1,2})?) *%?)? *$")
    )]
    pub tax_rate: String,
    /// Empty for the company's default validity from today.
    pub valid_until: Option<NaiveDate>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub note: Option<String>,
}

/// A saved line as the form shows it, to be edited and sent back.
impl From<&QuoteLine> for QuoteLineInput {
    fn from(l: &QuoteLine) -> Self {
        QuoteLineInput {
            product_id: l.product_id,
            description: l.description.clone(),
            unit: l.unit.clone(),
            quantity: l.quantity.to_string(),
            unit_price: l.unit_price.to_string(),
            discount: if l.discount.0 == 0 {
                String::new()
            } else {
                l.discount.to_string()
            },
        }
    }
}

impl From<&Quote> for QuoteInput {
    fn from(q: &Quote) -> Self {
        QuoteInput {
            customer_id: Some(q.customer_id),
            deal_id: q.deal_id,
            title: q.title.clone(),
            lines: q.lines.iter().map(QuoteLineInput::from).collect(),
            tax_rate: q.tax_rate.to_string(),
            valid_until: Some(q.valid_until),
            note: q.note.clone(),
        }
    }
}

/// What the quote page can do next: a quote moves draft → sent →
/// accepted / rejected; a discount above the limit goes through approval
/// first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    /// Send it to the customer, or (above the discount limit) submit it
    /// for approval.
    Send,
    Accept,
    Reject,
    /// Back to draft from approved, sent, rejected or expired, to change it.
    Revise,
}

/// A quote in a list, with its customer's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteRow {
    pub quote: Quote,
    pub customer_name: String,
    pub owner_name: String,
    /// The status as of today, expiry included.
    pub status: QuoteStatus,
}
