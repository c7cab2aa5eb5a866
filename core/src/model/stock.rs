//! Stock: what came into the warehouse (purchases), what was corrected
//! (adjustments) and what left it against contract lines (deliveries);
//! quantities on hand and the gross margin of what was delivered (SPEC §4).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, CostMethod, Id, Quantity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StockMoveKind {
    /// Bought in (入库) at a unit cost from a supplier.
    Purchase,
    /// Counted more or fewer than the books say, with a reason.
    Adjustment,
    /// Left the warehouse (出库) against a contract line.
    Delivery,
}

impl StockMoveKind {
    pub fn code(self) -> &'static str {
        match self {
            StockMoveKind::Purchase => "purchase",
            StockMoveKind::Adjustment => "adjustment",
            StockMoveKind::Delivery => "delivery",
        }
    }
}

/// One movement of a product in or out of the warehouse. Never changed
/// once recorded: a mistake is corrected by an adjustment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockMove {
    pub id: Id,
    pub product_id: Id,
    pub kind: StockMoveKind,
    /// The day it happened (the company's calendar); costing runs in date
    /// order, so a backdated move reprices what came after it.
    pub date: NaiveDate,
    /// Positive into the warehouse, negative out of it.
    pub quantity: Quantity,
    /// The cost of one unit that came in; `None` for what left.
    pub unit_cost: Option<Cents>,
    pub supplier: Option<String>,
    /// Why an adjustment was made.
    pub reason: Option<String>,
    /// A delivery's contract, its customer and the line (index in the
    /// contract's current terms).
    pub contract_id: Option<Id>,
    pub customer_id: Option<Id>,
    pub line: Option<u32>,
    pub recorded_by: Id,
    pub recorded_at: DateTime<Utc>,
}

/// A move as lists show it: with its product and, for what left, its
/// cost by the company's method as of now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockMoveRow {
    #[serde(flatten)]
    pub movement: StockMove,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    /// The cost of what left (deliveries, adjustments down).
    pub cost: Option<Cents>,
    pub contract_number: Option<String>,
    pub recorded_by_name: String,
}

/// A purchase as the form sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockInInput {
    pub product_id: Id,
    /// As typed: `10`, `2.5`; more than zero.
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[1-9][0-9]{0,8}(\.[0-9]{1,3})? *$")
    )]
    pub quantity: String,
    /// The cost of one unit, as typed: `100.00`.
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")
    )]
    pub unit_cost: String,
    /// Today or earlier.
    pub date: NaiveDate,
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 200, pattern = r"^[^\p{Cc}]*$")
    )]
    pub supplier: Option<String>,
}

/// An adjustment as the form sends it: a signed quantity and a reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AdjustmentInput {
    pub product_id: Id,
    /// `+3` found, `-2` broken or lost; not zero.
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            pattern = r"^ *[+-]? *[1-9][0-9]{0,8}(\.[0-9]{1,3})? *$"
        )
    )]
    pub quantity: String,
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            max_length = 500,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub reason: String,
    /// Today or earlier.
    pub date: NaiveDate,
}

/// A delivery against a line of a contract (the contract is in the path).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliveryInput {
    /// The line's index in the contract's terms, from 0.
    #[cfg_attr(feature = "server", schema(maximum = 999))]
    pub line: u32,
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[1-9][0-9]{0,8}(\.[0-9]{1,3})? *$")
    )]
    pub quantity: String,
    /// Today or earlier.
    pub date: NaiveDate,
}

/// A product's stock now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockLevel {
    pub product_id: Id,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub on_hand: Quantity,
    /// What is on hand is worth at cost, by the company's method.
    pub value: Cents,
    pub threshold: Option<Quantity>,
    /// On hand at or below the threshold.
    pub low: bool,
}

/// The stock page: every product's level and the company's cost method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StockLevels {
    pub method: CostMethod,
    pub levels: Vec<StockLevel>,
}

/// What was delivered of one contract line and what it earned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LineMargin {
    pub line: u32,
    pub product_id: Option<Id>,
    pub description: String,
    pub unit: String,
    pub ordered: Quantity,
    pub delivered: Quantity,
    /// The line's net for what was delivered (net × delivered ÷ ordered).
    pub revenue: Cents,
    pub cost: Cents,
    pub margin: Cents,
}

/// A contract's deliveries, the margin of each line and how far it got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ContractStock {
    pub method: CostMethod,
    pub lines: Vec<LineMargin>,
    pub deliveries: Vec<StockMoveRow>,
    /// Whole percent: the mean of the delivered and the paid share.
    pub completion: u8,
    /// Whether the reader may deliver against it now.
    pub may_deliver: bool,
}

/// A product's on-hand and the margin of everything delivered of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProductMargin {
    pub product_id: Id,
    pub method: CostMethod,
    pub on_hand: Quantity,
    pub value: Cents,
    pub delivered: Quantity,
    pub revenue: Cents,
    pub cost: Cents,
    pub margin: Cents,
}
