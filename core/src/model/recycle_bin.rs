//! Deals, contacts and activities in the recycle bin, as the bin lists them.
//! (A binned customer is a `Customer` with `deleted_at` set.)

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BinnedKind {
    Deal,
    Contact,
    Activity,
}

/// One deleted deal, contact or activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BinnedRecord {
    pub id: Id,
    pub kind: BinnedKind,
    /// The deal's title, the contact's name or the activity's text.
    pub label: String,
    pub customer_id: Id,
    /// Its customer's name, read when listed (the customer may be in the
    /// bin too).
    pub customer_name: String,
    pub deleted_at: DateTime<Utc>,
    pub deleted_by: Id,
}
