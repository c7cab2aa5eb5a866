//! Expenses (费用): money spent by someone, in one of the company's
//! categories, possibly for a customer, deal or contract (SPEC §4).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, Id};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Expense {
    pub id: Id,
    pub amount: Cents,
    /// One of the company's expense categories when it was saved.
    pub category: String,
    pub date: NaiveDate,
    /// Who spent it: who may see it follows from them, as for customers.
    pub spent_by: Id,
    pub note: Option<String>,
    pub customer_id: Option<Id>,
    pub deal_id: Option<Id>,
    pub contract_id: Option<Id>,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// An expense as the form or an API client sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpenseInput {
    /// As typed: `1,280.50`; more than zero.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *[1-9][0-9]{0,10}(\.[0-9]{1,2})? *$")
    )]
    pub amount: String,
    /// One of the company's categories (`GET /expense-categories`).
    #[cfg_attr(
        feature = "server",
        schema(max_length = 50, pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$")
    )]
    pub category: String,
    /// Today or earlier.
    pub date: NaiveDate,
    /// Who spent it; the caller unless given (a manager for their team,
    /// an admin for anyone).
    #[serde(default)]
    pub spent_by: Option<Id>,
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub note: Option<String>,
    #[serde(default)]
    pub customer_id: Option<Id>,
    /// A deal of the customer (or, without a customer, the deal's).
    #[serde(default)]
    pub deal_id: Option<Id>,
    /// A contract of the customer (or, without a customer, the contract's).
    #[serde(default)]
    pub contract_id: Option<Id>,
}

/// An expense as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpenseRow {
    #[serde(flatten)]
    pub expense: Expense,
    pub spent_by_name: String,
    pub customer_name: Option<String>,
    pub deal_title: Option<String>,
    pub contract_number: Option<String>,
    /// Whether the reader may change or delete it.
    pub editable: bool,
}

/// Which expenses a list shows; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpenseFilter {
    pub category: Option<String>,
    pub spent_by: Option<Id>,
    pub customer_id: Option<Id>,
    /// From this day on, and up to this day, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The company's expense categories, in the order an admin set them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ExpenseCategories {
    pub categories: Vec<String>,
    /// 0 until an admin first saves them.
    pub version: u64,
}

impl Default for ExpenseCategories {
    /// What a new company starts with; an admin changes them.
    fn default() -> Self {
        ExpenseCategories {
            categories: ["差旅", "招待", "礼品", "交通", "其他"]
                .into_iter()
                .map(String::from)
                .collect(),
            version: 0,
        }
    }
}

/// The categories as an admin saves them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpenseCategoriesInput {
    /// Each 1–50 characters, none twice; at least one.
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 50))]
    pub categories: Vec<String>,
}
