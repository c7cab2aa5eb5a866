//! Customers and their contacts (SPEC §1).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    #[default]
    Company,
    Person,
}

/// The built-in customer types; admins may add more later, so records keep the
/// code as text.
pub const BUILT_IN_CUSTOMER_TYPES: [&str; 4] = ["potential", "signed", "agent", "invalid"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRole {
    DecisionMaker,
    Influencer,
    User,
    Gatekeeper,
}

/// Flagged by the owner, with a one-line hint shown on hover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotFlag {
    pub hint: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: Id,
    pub name: String,
    pub kind: CustomerKind,
    pub customer_type: String,
    pub source: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub grade: Option<String>,
    pub tags: Vec<String>,
    /// `None`: in the public pool, open for any rep to claim.
    pub owner: Option<Id>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub hot: Option<HotFlag>,
    pub created_at: DateTime<Utc>,
    pub created_by: Id,
    pub updated_at: DateTime<Utc>,
    /// When it went to the recycle bin; such customers are hidden everywhere else.
    pub deleted_at: Option<DateTime<Utc>>,
    pub version: u64,
}

/// What a customer form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub name: String,
    pub kind: CustomerKind,
    pub customer_type: String,
    pub source: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub grade: Option<String>,
    pub tags: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Id,
    pub customer_id: Id,
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub notes: Option<String>,
    pub role: Option<DecisionRole>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInput {
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub notes: Option<String>,
    pub role: Option<DecisionRole>,
}

/// One line of a record's audit trail: who changed which field from what to what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub record: Id,
    pub by: Id,
    pub at: DateTime<Utc>,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Why a new customer or contact looks like one that exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateHint {
    pub customer_id: Id,
    pub customer_name: String,
    pub matched_on: DuplicateField,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateField {
    Name,
    Phone,
    Email,
}
