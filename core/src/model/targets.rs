//! Targets (指标): a year's goal for the company, a team, a rep, a region
//! or a product, in twelve monthly parts; its progress; and the target
//! planner (SPEC §6).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Cents, DateSpan, Id, Rate};

/// Whose target it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetScope {
    #[default]
    Company,
    Team,
    Rep,
    Region,
    Product,
}

impl TargetScope {
    pub const ALL: [TargetScope; 5] = [
        TargetScope::Company,
        TargetScope::Team,
        TargetScope::Rep,
        TargetScope::Region,
        TargetScope::Product,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TargetScope::Company => "company",
            TargetScope::Team => "team",
            TargetScope::Rep => "rep",
            TargetScope::Region => "region",
            TargetScope::Product => "product",
        }
    }

    pub fn parse(code: &str) -> Option<TargetScope> {
        TargetScope::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What a target counts: contracts signed (their amount, on the sign
/// date) or payments received (on the day received).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetMeasure {
    #[default]
    Revenue,
    Payments,
}

impl TargetMeasure {
    pub const ALL: [TargetMeasure; 2] = [TargetMeasure::Revenue, TargetMeasure::Payments];

    pub fn code(self) -> &'static str {
        match self {
            TargetMeasure::Revenue => "revenue",
            TargetMeasure::Payments => "payments",
        }
    }

    pub fn parse(code: &str) -> Option<TargetMeasure> {
        TargetMeasure::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How the year is split into months when a target is saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetSplit {
    /// Twelve equal parts (to the cent, the rest spread so they add up).
    #[default]
    Even,
    /// In proportion to last year's actual of each month (evenly when
    /// last year had none).
    LastYear,
    /// The months as typed; they must add up to the year.
    Manual,
}

impl TargetSplit {
    pub const ALL: [TargetSplit; 3] = [
        TargetSplit::Even,
        TargetSplit::LastYear,
        TargetSplit::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TargetSplit::Even => "even",
            TargetSplit::LastYear => "last_year",
            TargetSplit::Manual => "manual",
        }
    }

    pub fn parse(code: &str) -> Option<TargetSplit> {
        TargetSplit::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SalesTarget {
    pub id: Id,
    pub year: i32,
    pub scope: TargetScope,
    /// The rep's user id or the product's id: `None` for the others.
    pub subject_id: Option<Id>,
    /// The team's or the region's name: `None` for the others.
    pub subject_name: Option<String>,
    pub measure: TargetMeasure,
    /// January to December; they add up to `total`.
    pub months: Vec<Cents>,
    pub total: Cents,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped on every save; a save that names an older version is a conflict.
    pub version: u64,
}

impl SalesTarget {
    /// The sum of quarter `q` (1–4).
    pub fn quarter(&self, q: usize) -> Cents {
        Cents(
            self.months
                .iter()
                .skip((q - 1) * 3)
                .take(3)
                .map(|c| c.0)
                .sum(),
        )
    }
}

/// A target as the form or an API client sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SalesTargetInput {
    #[cfg_attr(feature = "server", schema(minimum = 2000, maximum = 2100))]
    pub year: i32,
    pub scope: TargetScope,
    /// For a rep or a product: its id; for a team or a region: its name;
    /// empty for the company.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub subject: String,
    pub measure: TargetMeasure,
    /// The year's amount as typed: `1200000`, `1,200,000.00`; more than zero.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *[¥￥]?[1-9][0-9]{0,10}(\.[0-9]{1,2})? *$")
    )]
    pub total: String,
    /// `even` unless given.
    #[serde(default)]
    pub split: TargetSplit,
    /// With `manual`: twelve amounts as typed, January first, adding up
    /// to `total` (empty is zero). Otherwise ignored.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(schema_with = month_amounts_schema))]
    pub months: Vec<String>,
}

/// Twelve amounts as typed, each empty or `0`–`99999999999.99`.
#[cfg(feature = "server")]
pub fn month_amounts_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^(| *[0-9]{1,11}(\.[0-9]{1,2})? *)$")),
        )
        .max_items(Some(12))
        .build()
}

/// A target as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SalesTargetRow {
    #[serde(flatten)]
    pub target: SalesTarget,
    /// The rep's, product's, team's or region's name; empty for the company.
    pub subject_label: String,
    /// Whether the reader may change or delete it.
    pub editable: bool,
}

/// Someone (or something) a reader may set a target for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TargetChoice {
    pub scope: TargetScope,
    /// As `SalesTargetInput::subject` takes it.
    pub subject: String,
    /// The name people know it by; empty for the company.
    pub label: String,
}

/// Twelve monthly parts worked out from a year's amount (the editor's
/// "split" button).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TargetSplitPreview {
    pub months: Vec<Cents>,
    /// Last year's actual of each month, what `last_year` splits by.
    pub last_year: Vec<Cents>,
}

/// Which part of the year a progress figure covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgressPeriod {
    Month,
    Quarter,
    Year,
}

/// Progress over a month, quarter or year, to a day (`as_of`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PeriodProgress {
    pub period: ProgressPeriod,
    /// The whole period.
    pub span: DateSpan,
    /// The target of the whole period.
    pub target: Cents,
    /// From the period's first day to `as_of`.
    pub actual: Cents,
    /// `actual / target`; `None` when the target is zero.
    pub reached: Option<Rate>,
    /// The same days a year earlier.
    pub last_year: Cents,
    /// What is still to reach (zero once reached).
    pub remaining: Cents,
    /// Days after `as_of` to the period's end.
    pub days_left: u32,
    /// `remaining` per day left; `None` with no day left.
    pub per_day_needed: Option<Cents>,
}

/// A target's progress month-, quarter- and year-to-date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TargetProgress {
    pub target: SalesTargetRow,
    /// The day figures are counted to: today, kept within the target's year.
    pub as_of: NaiveDate,
    pub month: PeriodProgress,
    pub quarter: PeriodProgress,
    pub year: PeriodProgress,
    /// Each month's actual, January first (to `as_of`).
    pub monthly_actual: Vec<Cents>,
}

/// What the planner is asked; empty texts are measured from the data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
#[serde(default)]
pub struct PlannerParams {
    /// `rep` or `team` (empty: `rep`).
    #[cfg_attr(feature = "server", param(pattern = "^(|rep|team)$"))]
    pub scope: String,
    /// The rep's id or the team's name; empty: the reader (or their team).
    #[cfg_attr(feature = "server", param(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub subject: String,
    /// The target's year; empty: this year.
    #[cfg_attr(feature = "server", param(pattern = "^(|20[0-9]{2}|2100)$"))]
    pub year: String,
    /// Months of history the rates are measured over, back from today
    /// (1–36; empty: 12).
    #[cfg_attr(feature = "server", param(pattern = "^(|[1-9]|[12][0-9]|3[0-6])$"))]
    pub window: String,
    /// What-if: the year's revenue target (empty: the saved target's).
    #[cfg_attr(
        feature = "server",
        param(pattern = r"^(| *[¥￥]?[0-9]{1,11}(\.[0-9]{1,2})? *)$")
    )]
    pub target: String,
    /// What-if: the average won deal, as an amount.
    #[cfg_attr(
        feature = "server",
        param(pattern = r"^(| *[¥￥]?[0-9]{1,11}(\.[0-9]{1,2})? *)$")
    )]
    pub deal_size: String,
    /// What-if: in percent, visited prospects that become customers.
    #[cfg_attr(
        feature = "server",
        param(pattern = r"^(|100(\.0{1,2})?%?|[0-9]{1,2}(\.[0-9]{1,2})?%?)$")
    )]
    pub visit_rate: String,
    /// What-if: in percent, won deals per new customer.
    #[cfg_attr(
        feature = "server",
        param(pattern = r"^(|1000(\.0{1,2})?%?|[0-9]{1,3}(\.[0-9]{1,2})?%?)$")
    )]
    pub win_rate: String,
}

impl PlannerParams {
    pub fn from_query(get: impl Fn(&str) -> String) -> Self {
        PlannerParams {
            scope: get("scope"),
            subject: get("subject"),
            year: get("year"),
            window: get("window"),
            target: get("target"),
            deal_size: get("deal_size"),
            visit_rate: get("visit_rate"),
            win_rate: get("win_rate"),
        }
    }

    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("scope", self.scope.as_str()),
            ("subject", &self.subject),
            ("year", &self.year),
            ("window", &self.window),
            ("target", &self.target),
            ("deal_size", &self.deal_size),
            ("visit_rate", &self.visit_rate),
            ("win_rate", &self.win_rate),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }
}

/// What the history says, over the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlannerHistory {
    pub window: DateSpan,
    pub visits: u32,
    pub new_customers: u32,
    pub won_deals: u32,
    pub won_amount: Cents,
}

/// The figures a plan is worked out from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlannerRates {
    pub deal_size: Cents,
    /// Visited prospects that become customers.
    pub visit_rate: Rate,
    /// Won deals per new customer.
    pub win_rate: Rate,
}

/// One quarter of a plan: the deals, new customers and visits it needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuarterPlan {
    pub quarter: u32,
    pub target: Cents,
    pub deals: u32,
    pub new_customers: u32,
    pub visits: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Plan {
    pub year: i32,
    /// The rep's or team's name.
    pub subject_label: String,
    /// The saved revenue target the plan starts from, if there is one.
    pub target_id: Option<Id>,
    pub history: PlannerHistory,
    /// As measured from the history (`None`: too little to measure).
    pub measured: Option<PlannerRates>,
    /// What the plan used: the what-if inputs, else the measured figures.
    pub used: Option<PlannerRates>,
    /// Empty when a figure is missing (no target, no deal size or a zero rate).
    pub quarters: Vec<QuarterPlan>,
}
