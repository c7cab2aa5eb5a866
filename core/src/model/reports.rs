//! Reports (SPEC §5): what the dashboards, the workbench and
//! `/api/v1/reports/*` return — the numbers behind each chart.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Cents, Id, Stage};

/// A dashboard's filters as its URL carries them; empty means "any" (or,
/// for the period, this month; for the pipeline, the first one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
#[serde(default)]
pub struct ReportParams {
    /// `month`, `quarter`, `half`, `year` or `custom`.
    #[cfg_attr(
        feature = "server",
        param(pattern = "^(|month|quarter|half|year|custom)$")
    )]
    pub period: String,
    /// For `custom`: the first and last day, `YYYY-MM-DD`, real calendar
    /// days, the first not after the last, at most ten years apart.
    #[cfg_attr(feature = "server", param(pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$"))]
    pub from: String,
    #[cfg_attr(feature = "server", param(pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$"))]
    pub to: String,
    #[cfg_attr(feature = "server", param(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub team: String,
    /// A user id.
    #[cfg_attr(
        feature = "server",
        param(pattern = "^(|[0-7][0-9A-HJKMNP-TV-Z]{25})$")
    )]
    pub rep: String,
    /// A pipeline id.
    #[cfg_attr(
        feature = "server",
        param(pattern = "^(|[0-7][0-9A-HJKMNP-TV-Z]{25})$")
    )]
    pub pipeline: String,
    /// The funnel's comparison date, `YYYY-MM-DD`: the board as it stood
    /// when that day began; empty is the period's first day.
    #[cfg_attr(feature = "server", param(pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$"))]
    pub compare: String,
    /// How activity charts group days: `day`, `week` or `month`; empty
    /// picks one that suits the period.
    #[cfg_attr(feature = "server", param(pattern = "^(|day|week|month)$"))]
    pub grain: String,
}

impl ReportParams {
    pub fn from_query(get: impl Fn(&str) -> String) -> Self {
        ReportParams {
            period: get("period"),
            from: get("from"),
            to: get("to"),
            team: get("team"),
            rep: get("rep"),
            pipeline: get("pipeline"),
            compare: get("compare"),
            grain: get("grain"),
        }
    }

    /// The non-empty filters as `key=value` pairs, for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("period", self.period.as_str()),
            ("from", &self.from),
            ("to", &self.to),
            ("team", &self.team),
            ("rep", &self.rep),
            ("pipeline", &self.pipeline),
            ("compare", &self.compare),
            ("grain", &self.grain),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }
}

/// The days a report covers, both ends included, in the company's zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DateSpan {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One stage of the funnel: the open deals in it now and at the
/// comparison date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    pub stage: Stage,
    pub count: u32,
    pub amount: Cents,
    /// The amount times the stage's win probability.
    pub weighted: Cents,
    /// At the comparison date, from the stage history (amounts as they
    /// are now: the history records moves, not edits).
    pub then_count: u32,
    pub then_amount: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub pipeline_id: Id,
    pub pipeline_name: String,
    pub period: DateSpan,
    /// The date the `then_` figures are for.
    pub compare: NaiveDate,
    /// The open stages, in board order.
    pub stages: Vec<FunnelStage>,
    /// Deals won and lost in the period, with their amounts.
    pub won: u32,
    pub won_amount: Cents,
    pub lost: u32,
    pub lost_amount: Cents,
}

/// A stage as the stage-transition model learned it from the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageRate {
    pub stage: Stage,
    /// Of the deals that left the stage, the share that moved on (to a
    /// later stage or won), 0–1.
    pub conversion: f64,
    /// Average days a deal stayed.
    pub average_days: f64,
    /// How many exits the figures come from; 0 means none yet, and the
    /// stage's default probabilities and a month's stay stand in.
    pub samples: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ForecastMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Open deals expected to close this month, each times its confidence.
    pub confidence: Cents,
    /// The stage-transition model's expectation for this month.
    pub stage_model: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ForecastReport {
    pub pipeline_id: Id,
    pub pipeline_name: String,
    /// This month and the next five.
    pub months: Vec<ForecastMonth>,
    /// Weighted amounts of open deals whose expected close date has passed,
    /// and of those without one: in no month above.
    pub overdue: Cents,
    pub undated: Cents,
    pub model: Vec<StageRate>,
}

/// Which model `/reports/forecast` answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForecastModel {
    #[default]
    Confidence,
    Stage,
}

/// One step of the stage-to-stage conversion of the deals created in the
/// period: how many reached this stage (or went past it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConversionStep {
    pub stage: Stage,
    pub reached: u32,
    /// `reached` over the step before's; `None` for the first step or when
    /// none reached the step before.
    pub rate: Option<f64>,
    /// Average days in this stage of the deals that left it in the period.
    pub average_days: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RepWinRate {
    pub rep: Id,
    pub name: String,
    pub won: u32,
    pub lost: u32,
    pub won_amount: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LostTo {
    pub competitor: String,
    pub deals: u32,
    pub amount: Cents,
    /// Their price minus our amount, averaged over the deals where their
    /// price is known; negative: they were cheaper.
    pub average_price_difference: Option<Cents>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConversionReport {
    pub pipeline_id: Id,
    pub pipeline_name: String,
    pub period: DateSpan,
    /// The open stages then won.
    pub steps: Vec<ConversionStep>,
    /// Deals closed in the period.
    pub won: u32,
    pub lost: u32,
    pub reps: Vec<RepWinRate>,
    pub lost_to: Vec<LostTo>,
}

/// One person's numbers for a month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RepNumbers {
    /// Customers created in the month that they own now.
    pub new_customers: u32,
    pub activities: u32,
    /// Deals won in the month where they are the lead owner.
    pub won: Cents,
    /// Open deals they lead, now.
    pub open: Cents,
}

/// A rep's row on a manager's workbench.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RepRow {
    pub user: Id,
    pub name: String,
    pub numbers: RepNumbers,
    pub overdue_tasks: u32,
    pub stalled_deals: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HotCustomer {
    pub id: Id,
    pub name: String,
    pub hint: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DueTask {
    pub id: Id,
    pub title: String,
    /// In the company's zone, `2026-03-10 14:30`.
    pub due: String,
    pub overdue: bool,
    pub customer_id: Option<Id>,
    pub customer_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StalledDeal {
    pub id: Id,
    pub title: String,
    pub customer_name: String,
    pub stage: Stage,
    pub days_in_stage: i64,
    pub amount: Cents,
    pub owner_name: String,
}

/// A customer that returns to the public pool soon unless someone works
/// on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReturningCustomer {
    pub id: Id,
    pub name: String,
    pub returns_on: NaiveDate,
    pub days_left: i64,
    pub owner_name: String,
}

/// The workbench: what a rep opens every morning; a manager's covers the
/// team, with a row per rep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Workbench {
    /// `YYYY-MM`: the month the numbers are for.
    pub month: String,
    pub numbers: RepNumbers,
    /// The same days of last month, for the trend.
    pub last_month: RepNumbers,
    pub hot: Vec<HotCustomer>,
    pub tasks: Vec<DueTask>,
    pub stalled: Vec<StalledDeal>,
    pub returning: Vec<ReturningCustomer>,
    /// 0 when customers never return to the pool.
    pub pool_return_days: u32,
    /// Managers and admins: a row per person they manage.
    pub team: Vec<RepRow>,
    /// This year's target of the reader (a rep), their team (a manager)
    /// or the company (an admin), with its progress; none when unset.
    #[serde(default)]
    pub target: Option<super::TargetProgress>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MonthAmount {
    /// `YYYY-MM`.
    pub month: String,
    pub amount: Cents,
}

/// `/reports/forecast`: one model's forecast for this month and the next
/// five.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ForecastAnswer {
    pub model: ForecastModel,
    pub pipeline_id: Id,
    pub months: Vec<MonthAmount>,
    /// The confidence model: weighted amounts past their expected date, and
    /// without one, in no month.
    pub overdue: Option<Cents>,
    pub undated: Option<Cents>,
    /// The stage model: what it learned of each open stage.
    pub stages: Vec<StageRate>,
}

impl ForecastReport {
    pub fn answer(self, model: ForecastModel) -> ForecastAnswer {
        let months = self
            .months
            .into_iter()
            .map(|m| MonthAmount {
                amount: match model {
                    ForecastModel::Confidence => m.confidence,
                    ForecastModel::Stage => m.stage_model,
                },
                month: m.month,
            })
            .collect();
        let confidence = model == ForecastModel::Confidence;
        ForecastAnswer {
            model,
            pipeline_id: self.pipeline_id,
            months,
            overdue: confidence.then_some(self.overdue),
            undated: confidence.then_some(self.undated),
            stages: if confidence { Vec::new() } else { self.model },
        }
    }
}

/// Activities of some people over some days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityTotals {
    /// Every kind.
    pub activities: u32,
    pub calls: u32,
    pub call_minutes: u32,
    pub visits: u32,
    /// SMS, email, WeChat and QQ.
    pub messages: u32,
}

impl ActivityTotals {
    pub fn get(&self, metric: ActivityMetric) -> u32 {
        match metric {
            ActivityMetric::Activities => self.activities,
            ActivityMetric::Calls => self.calls,
            ActivityMetric::CallMinutes => self.call_minutes,
            ActivityMetric::Visits => self.visits,
            ActivityMetric::Messages => self.messages,
        }
    }

    pub fn add(&mut self, other: &ActivityTotals) {
        self.activities += other.activities;
        self.calls += other.calls;
        self.call_minutes += other.call_minutes;
        self.visits += other.visits;
        self.messages += other.messages;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityMetric {
    Activities,
    Calls,
    CallMinutes,
    Visits,
    Messages,
}

impl ActivityMetric {
    pub const ALL: [ActivityMetric; 5] = [
        ActivityMetric::Activities,
        ActivityMetric::Calls,
        ActivityMetric::CallMinutes,
        ActivityMetric::Visits,
        ActivityMetric::Messages,
    ];
}

/// One day, week or month of the activity chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityBucket {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: ActivityTotals,
    /// The same days a year earlier.
    pub last_year: ActivityTotals,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RepActivity {
    pub user: Id,
    pub name: String,
    pub totals: ActivityTotals,
}

/// A weekly figure far off its trailing 12-week median.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AnomalyFlag {
    pub metric: ActivityMetric,
    /// `None`: everyone in the report together.
    pub rep: Option<Id>,
    pub name: String,
    /// The Monday of the week flagged (the last full week).
    pub week: NaiveDate,
    pub value: u32,
    /// The usual band.
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityReport {
    pub period: DateSpan,
    /// `day`, `week` or `month`.
    pub grain: String,
    pub totals: ActivityTotals,
    /// The period of the same length before.
    pub previous: ActivityTotals,
    /// The same days a year earlier.
    pub last_year: ActivityTotals,
    pub buckets: Vec<ActivityBucket>,
    pub reps: Vec<RepActivity>,
    pub anomalies: Vec<AnomalyFlag>,
}

/// The customer KPIs of one span of days.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct KpiFigures {
    pub period: DateSpan,
    /// Customers created in the span.
    pub new_customers: u32,
    /// Of those, how many have a won deal now.
    pub converted: u32,
    /// `converted` over `new_customers`, 0–1; `None` without new customers.
    pub conversion_rate: Option<f64>,
    /// Deals won in the span.
    pub won_deals: u32,
    /// Average days from a deal's creation to its win, over `won_deals`.
    pub average_cycle_days: Option<f64>,
    /// Activities on the won deals' customers from each deal's creation
    /// to its win, in all.
    pub follow_ups: u32,
    /// `follow_ups` over `won_deals`.
    pub follow_ups_per_won_deal: Option<f64>,
    /// Customers whose first won deal was won in the span.
    pub first_deals: u32,
    /// The average amount of those first deals.
    pub first_deal_value: Option<Cents>,
}

/// `/reports/kpis`: the period's KPIs against the period of the same length
/// before and the same days a year earlier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct KpiReport {
    pub current: KpiFigures,
    pub previous: KpiFigures,
    pub last_year: KpiFigures,
    /// See `CohortReport::customers_filter`.
    pub customers_filter: Option<String>,
}

/// A customer type as a column of the customer analytics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TypeColumn {
    pub code: String,
    /// The label a company gave its own type; `None` for the built-in
    /// ones, which are translated.
    pub label: Option<String>,
}

/// Customers created in one month, per type (in the order of
/// `CohortReport::types`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CreatedMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub counts: Vec<u32>,
}

/// The customers created in one year, by the type they have now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Cohort {
    pub year: i32,
    pub customers: u32,
    /// Per type, in the order of `CohortReport::types`.
    pub counts: Vec<u32>,
    /// How many have won a deal.
    pub won: u32,
    /// Average days from a customer's creation to its first won deal, over
    /// `won`.
    pub average_days_to_first_win: Option<f64>,
}

/// `/reports/cohorts`: customers created per month by type (the months of
/// the period, and at least the twelve up to its end), and every year's
/// customers by the type they have now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CohortReport {
    /// The customer list's filters (`scope=mine`, `owner=…`, `team=…`, or
    /// none) that select the customers counted here; a chart adds a cell's
    /// created days and type. `None` would mean the list cannot select
    /// them (no such case today).
    pub customers_filter: Option<String>,
    /// The last, with an empty code, counts the types no other column
    /// names, when there are any.
    pub types: Vec<TypeColumn>,
    pub months: Vec<CreatedMonth>,
    /// Oldest year first.
    pub cohorts: Vec<Cohort>,
}
