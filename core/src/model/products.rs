//! Products and the company's sales settings (SPEC §4).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, Id};

/// A quantity in thousandths of a unit: 1.5 kg is `Quantity(1500)`. Exact
/// like `Cents`, so quantities on hand and delivered add up without float
/// drift.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Quantity(pub i64);

impl Quantity {
    pub const ONE: Quantity = Quantity(1000);

    pub fn units(n: i64) -> Quantity {
        Quantity(n * 1000)
    }
}

impl std::fmt::Display for Quantity {
    /// `15000` → `15`, `1500` → `1.5`, `125` → `0.125`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, fraction) = (abs / 1000, abs % 1000);
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{fraction:03}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// A rate in hundredths of a percent (basis points): 13 % is `Rate(1300)`,
/// 12.5 % is `Rate(1250)`. Tax rates and discounts.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Rate(pub u32);

impl Rate {
    pub const HUNDRED_PERCENT: Rate = Rate(10_000);

    pub fn percent(p: u32) -> Rate {
        Rate(p * 100)
    }
}

impl std::fmt::Display for Rate {
    /// `1300` → `13`, `1250` → `12.5` (percent, without the sign).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{fraction:02}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// Something the company sells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: Id,
    /// Unique in the company, letter case aside (`A-100` and `a-100` are one code).
    pub code: String,
    pub name: String,
    /// `台`, `套`, `kg`, `hour`…
    pub unit: String,
    pub category: Option<String>,
    pub list_price: Cents,
    pub standard_cost: Cents,
    /// An inactive product stays on old quotes but is not offered for new ones.
    pub active: bool,
    /// Warn when a stocked product's quantity on hand falls below this;
    /// `None` for a product that is not kept in stock (a service).
    pub low_stock_threshold: Option<Quantity>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// A product as the form or an API client sends it. Amounts as typed:
/// `12,345.67`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProductInput {
    #[cfg_attr(
        feature = "server",
        schema(required = true, max_length = 40, pattern = r"^[^\s\p{Cc}]+$")
    )]
    pub code: String,
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            max_length = 200,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            max_length = 20,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub unit: String,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub category: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")
    )]
    pub list_price: String,
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *([0-9]{1,11}(\.[0-9]{1,2})?)? *$")
    )]
    pub standard_cost: String,
    pub active: bool,
    /// A quantity as typed (`10`, `2.5`); empty or absent when not stocked.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *([0-9]{1,9}(\.[0-9]{1,3})?)? *$")
    )]
    pub low_stock_threshold: Option<String>,
}

impl Default for ProductInput {
    fn default() -> Self {
        ProductInput {
            code: String::new(),
            name: String::new(),
            unit: String::new(),
            category: None,
            list_price: String::new(),
            standard_cost: String::new(),
            active: true,
            low_stock_threshold: None,
        }
    }
}

impl From<&Product> for ProductInput {
    /// The product as its edit form starts: saving it unchanged changes nothing.
    fn from(p: &Product) -> Self {
        ProductInput {
            code: p.code.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            category: p.category.clone(),
            list_price: p.list_price.to_string(),
            standard_cost: p.standard_cost.to_string(),
            active: p.active,
            low_stock_threshold: p.low_stock_threshold.map(|q| q.to_string()),
        }
    }
}

/// How the cost of what left the warehouse is worked out (SPEC §4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CostMethod {
    /// The average cost of what is on hand when it leaves.
    #[default]
    WeightedAverage,
    /// The oldest units in stock leave first, at their purchase cost.
    Fifo,
}

/// The company's rules for quotes, contracts and stock; an admin sets them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SalesSettings {
    /// A new quote's tax rate (e.g. 13 % VAT); a quote may change it, to 0 too.
    pub default_tax_rate: Rate,
    /// A quote with a line discount above this needs approval before it is sent.
    pub discount_limit: Rate,
    /// A contract above this amount needs approval; 0: none does.
    pub contract_approval_amount: Cents,
    pub cost_method: CostMethod,
    /// Days a new quote stays valid.
    pub quote_valid_days: u32,
    /// 0 until an admin first saves them.
    pub version: u64,
}

impl Default for SalesSettings {
    fn default() -> Self {
        SalesSettings {
            default_tax_rate: Rate::percent(13),
            discount_limit: Rate::percent(10),
            contract_approval_amount: Cents(0),
            cost_method: CostMethod::WeightedAverage,
            quote_valid_days: 30,
            version: 0,
        }
    }
}

/// What the settings form sends: rates and amounts as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SalesSettingsInput {
    /// Percent, e.g. `13` or `6.5`.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *((100|[0-9]{1,2}(\.[0-9]{1,2})?) *%?)? *$")
    )]
    pub default_tax_rate: String,
    /// Percent.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *((100|[0-9]{1,2}(\.[0-9]{1,2})?) *%?)? *$")
    )]
    pub discount_limit: String,
    /// An amount; empty or 0 for none.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *([0-9]{1,11}(\.[0-9]{1,2})?)? *$")
    )]
    pub contract_approval_amount: String,
    #[cfg_attr(feature = "server", schema(required = true))]
    pub cost_method: CostMethod,
    #[cfg_attr(
        feature = "server",
        schema(required = true, minimum = 1, maximum = 365)
    )]
    pub quote_valid_days: u32,
}

impl From<&SalesSettings> for SalesSettingsInput {
    fn from(s: &SalesSettings) -> Self {
        SalesSettingsInput {
            default_tax_rate: s.default_tax_rate.to_string(),
            discount_limit: s.discount_limit.to_string(),
            contract_approval_amount: s.contract_approval_amount.to_string(),
            cost_method: s.cost_method,
            quote_valid_days: s.quote_valid_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_rates_read_without_trailing_zeros() {
        assert_eq!(Quantity(15_000).to_string(), "15");
        assert_eq!(Quantity(1_500).to_string(), "1.5");
        assert_eq!(Quantity(125).to_string(), "0.125");
        assert_eq!(Quantity(-2_000).to_string(), "-2");
        assert_eq!(Rate(1300).to_string(), "13");
        assert_eq!(Rate(1250).to_string(), "12.5");
        assert_eq!(Rate(5).to_string(), "0.05");
    }
}
