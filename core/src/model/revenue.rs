//! Revenue analytics (SPEC §5): revenue, payments received, expenses and
//! orders over time with 同比 and 环比, broken down by who, where, what
//! and for whom; and the receivables trend with its collection rate.

use serde::{Deserialize, Serialize};

use super::{Cents, CostMethod, DateSpan, Quantity};

/// Which money a report breaks down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoneyMetric {
    /// Signed contracts' amounts (gross), by sign date.
    #[default]
    Revenue,
    /// Payments received (回款), by the day received.
    Payments,
    /// Expenses (费用), by their date.
    Expenses,
}

impl MoneyMetric {
    pub const ALL: [MoneyMetric; 3] = [
        MoneyMetric::Revenue,
        MoneyMetric::Payments,
        MoneyMetric::Expenses,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MoneyMetric::Revenue => "revenue",
            MoneyMetric::Payments => "payments",
            MoneyMetric::Expenses => "expenses",
        }
    }

    pub fn parse(code: &str) -> Option<MoneyMetric> {
        MoneyMetric::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// The money of one stretch of days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyFigures {
    pub span: DateSpan,
    pub revenue: Cents,
    /// Signed contracts.
    pub orders: u32,
    pub received: Cents,
    pub expenses: Cents,
    /// Installments of signed contracts falling due (whole months only).
    pub due: Cents,
}

impl MoneyFigures {
    pub fn of(&self, metric: MoneyMetric) -> Cents {
        match metric {
            MoneyMetric::Revenue => self.revenue,
            MoneyMetric::Payments => self.received,
            MoneyMetric::Expenses => self.expenses,
        }
    }
}

/// One period of a trend, with the period before it (环比) and the same
/// period a year earlier (同比).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyPeriod {
    /// `2026-03`, `2026-Q1`, `2026-H1` or `2026`.
    pub key: String,
    pub now: MoneyFigures,
    pub before: MoneyFigures,
    pub year_before: MoneyFigures,
    /// For months: the usual band of the report's metric from the twelve
    /// months before, when this month falls outside it.
    pub unusual: Option<(Cents, Cents)>,
}

/// One row of a breakdown: a rep, team, region, customer type, product,
/// expense category or customer, with its money and share of the total.
/// A breakdown of more than twelve rows shows eleven and, keyed `*`, the
/// rest added up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyShare {
    /// The id (users, products, customers), name (teams, regions,
    /// categories) or code (customer types); empty for "none".
    pub key: String,
    /// What people call it; empty where the key is a code to translate.
    pub name: String,
    pub amount: Cents,
    /// Records counted: contracts, payments or expenses.
    pub count: u32,
    /// Of the report's total for the period.
    pub share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyReport {
    pub metric: MoneyMetric,
    /// `month`, `quarter`, `half` or `year`: how the trend groups months.
    pub grain: String,
    /// The report's period, the one before and the same a year earlier.
    pub current: MoneyFigures,
    pub previous: MoneyFigures,
    pub last_year: MoneyFigures,
    /// Oldest first, the last holding the period's end.
    pub trend: Vec<MoneyPeriod>,
    /// By rep, credited by each contract's split (70/30 counts 70 % and
    /// 30 %); expenses by who spent them.
    pub by_rep: Vec<MoneyShare>,
    pub by_team: Vec<MoneyShare>,
    pub by_region: Vec<MoneyShare>,
    pub by_customer_type: Vec<MoneyShare>,
    /// Revenue only: the lines' net amounts (before tax) by product; free
    /// text lines under an empty key.
    pub by_product: Vec<MoneyShare>,
    /// Expenses only.
    pub by_category: Vec<MoneyShare>,
    /// The ten customers with the most, with their share.
    pub top_customers: Vec<MoneyShare>,
}

/// One month of the receivables trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CollectionMonth {
    /// `2026-03`.
    pub month: String,
    pub span: DateSpan,
    /// Installments of signed contracts falling due in the month.
    pub due: Cents,
    pub received: Cents,
    /// Received ÷ due; none when nothing fell due.
    pub collection_rate: Option<f64>,
    /// Everything due by the month's end less everything received by
    /// then: what customers owed at the close of the month.
    pub outstanding: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CollectionReport {
    /// The twelve months up to the period's end, oldest first.
    pub months: Vec<CollectionMonth>,
}

/// What a product (or a category) delivered in a period: the quantity out
/// of the warehouse against contract lines, the lines' net for it, its cost
/// by the company's method and the margin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProductFigures {
    /// The product's id, or the category's name (empty: none).
    pub key: String,
    pub name: String,
    pub category: String,
    pub quantity: Quantity,
    pub revenue: Cents,
    pub cost: Cents,
    pub margin: Cents,
    /// The margin rate of the period before, to compare with.
    pub previous_margin_rate: Option<f64>,
}

impl ProductFigures {
    /// Margin ÷ revenue; none without revenue.
    pub fn margin_rate(&self) -> Option<f64> {
        (self.revenue.0 != 0).then(|| self.margin.0 as f64 / self.revenue.0 as f64)
    }

    /// How far the margin rate moved since the period before, in points
    /// of a share (−0.05 is five percentage points down).
    pub fn rate_change(&self) -> Option<f64> {
        Some(self.margin_rate()? - self.previous_margin_rate?)
    }

    pub fn add(&mut self, other: &ProductFigures) {
        self.quantity.0 += other.quantity.0;
        self.revenue.0 += other.revenue.0;
        self.cost.0 += other.cost.0;
        self.margin.0 += other.margin.0;
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProductReport {
    pub method: CostMethod,
    pub period: DateSpan,
    /// The period the margin rates are compared with.
    pub previous: DateSpan,
    /// Products that delivered in either period, most revenue first.
    pub products: Vec<ProductFigures>,
    pub categories: Vec<ProductFigures>,
    /// The products whose margin rate fell most against the period before.
    pub falling: Vec<ProductFigures>,
}
