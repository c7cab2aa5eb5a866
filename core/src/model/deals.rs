//! Opportunities (deals) and the pipelines they move through (SPEC §3).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// The stages every new company starts with. Their names are translated on
/// display until an admin renames them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DefaultStage {
    InitialContact,
    Evaluation,
    NeedsAnalysis,
    Bidding,
    Negotiation,
    Won,
    Lost,
}

/// A terminal stage: a deal that reaches it is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: Id,
    /// What an admin typed; empty for a default stage never renamed.
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub name: String,
    pub preset: Option<DefaultStage>,
    /// Default win probability in percent, 0–100.
    #[cfg_attr(feature = "server", schema(maximum = 100))]
    pub probability: u8,
    /// A deal that sits here longer than this many days is stalled.
    pub stall_days: Option<u32>,
    /// Items that must be ticked before a deal may leave this stage.
    #[cfg_attr(feature = "server", schema(schema_with = crate::model::long_texts_schema))]
    pub checklist: Vec<String>,
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: Id,
    /// Empty for the default pipeline never renamed (named in the reader's
    /// language); only that one may stay empty.
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub name: String,
    /// In board order; the outcome stages come last.
    pub stages: Vec<Stage>,
    pub version: u64,
}

impl Pipeline {
    pub fn stage(&self, id: Id) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The open stages, where a new deal may start.
    pub fn open_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| s.outcome.is_none())
    }
}

/// Money in the company currency, as a whole number of cents (fen): exact
/// sums, no float rounding.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Cents(pub i64);

impl std::fmt::Display for Cents {
    /// `1234567` → `12345.67`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// One of a deal's owners and the share of the credit they get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OwnerShare {
    pub user: Id,
    #[cfg_attr(feature = "server", schema(maximum = 100))]
    pub percent: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Competitor {
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub name: String,
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>, minimum = 0, maximum = 10000000000000.0))]
    pub price: Option<Cents>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub strengths: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub weaknesses: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealSize {
    Big,
    Medium,
    Small,
}

/// Quick qualification (三一客) for small, fast deals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Qualification {
    pub valuable: bool,
    pub size: DealSize,
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>, minimum = 0, maximum = 10000000000000.0))]
    pub expected_amount: Option<Cents>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub next_milestone: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealStatus {
    Open,
    Suspended,
    Won,
    Lost,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Deal {
    pub id: Id,
    pub pipeline_id: Id,
    pub stage_id: Id,
    pub customer_id: Id,
    pub title: String,
    pub amount: Cents,
    pub expected_close: Option<NaiveDate>,
    /// The owner's own confidence in percent, 0–100.
    pub confidence: u8,
    /// The first owner is the one responsible; shares sum to 100.
    pub owners: Vec<OwnerShare>,
    pub competitors: Vec<Competitor>,
    pub requirements: Option<String>,
    pub solution: Option<String>,
    pub source_campaign: Option<String>,
    pub qualification: Option<Qualification>,
    /// Per stage, the checklist items ticked there.
    pub checklist_done: BTreeMap<Id, Vec<String>>,
    pub status: DealStatus,
    pub close_reason: Option<String>,
    /// When lost: the competitor who won.
    pub lost_to: Option<String>,
    pub stage_entered_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl Deal {
    /// The owner who answers for the deal.
    pub fn lead_owner(&self) -> Option<Id> {
        self.owners.first().map(|o| o.user)
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.status, DealStatus::Won | DealStatus::Lost)
    }
}

/// One move on the board: kept forever, so days in stage, cycle time and the
/// board as it stood on any past day can be worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub deal_id: Id,
    /// `None` when the deal was created.
    pub from: Option<Id>,
    pub to: Id,
    pub at: DateTime<Utc>,
    pub by: Id,
}

/// A new deal as typed. Missing pipeline and stage mean the first pipeline's
/// first stage; no owners means the creator alone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DealInput {
    pub pipeline_id: Option<Id>,
    pub stage_id: Option<Id>,
    #[cfg_attr(feature = "server", schema(value_type = Id, required = true))]
    pub customer_id: Option<Id>,
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            min_length = 1,
            max_length = 50,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub title: String,
    /// As typed: `12,345.67`.
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")
    )]
    pub amount: String,
    pub expected_close: Option<NaiveDate>,
    /// Defaults to the stage's win probability.
    #[cfg_attr(feature = "server", schema(maximum = 100))]
    pub confidence: Option<u32>,
    pub owners: Vec<OwnerShare>,
    #[cfg_attr(feature = "server", schema(max_items = 20))]
    pub competitors: Vec<Competitor>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub requirements: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub solution: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub source_campaign: Option<String>,
    pub qualification: Option<Qualification>,
}

impl From<&Deal> for DealInput {
    /// The deal as its edit form starts: saving it unchanged changes nothing.
    fn from(deal: &Deal) -> Self {
        DealInput {
            pipeline_id: Some(deal.pipeline_id),
            stage_id: Some(deal.stage_id),
            customer_id: Some(deal.customer_id),
            title: deal.title.clone(),
            amount: deal.amount.to_string(),
            expected_close: deal.expected_close,
            confidence: Some(u32::from(deal.confidence)),
            owners: deal.owners.clone(),
            competitors: deal.competitors.clone(),
            requirements: deal.requirements.clone(),
            solution: deal.solution.clone(),
            source_campaign: deal.source_campaign.clone(),
            qualification: deal.qualification.clone(),
        }
    }
}

/// A card on the board: what the column shows without opening the deal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DealCard {
    pub id: Id,
    pub title: String,
    pub customer_id: Id,
    pub customer_name: String,
    pub amount: Cents,
    pub expected_close: Option<NaiveDate>,
    pub owner_name: String,
    pub days_in_stage: i64,
    pub stalled: bool,
    pub stall_days: Option<u32>,
    pub status: DealStatus,
    pub version: u64,
    /// The quick-qualification (三一客) grade, when qualified.
    #[serde(default)]
    pub grade: Option<DealSize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BoardColumn {
    pub stage: Stage,
    pub count: u32,
    pub amount: Cents,
    pub weighted: Cents,
    /// The first matching cards, oldest in the stage first: what a rep
    /// works on next. The totals above count every matching deal.
    pub cards: Vec<DealCard>,
    /// Matching deals in this column that `cards` leaves out.
    pub more: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<BoardColumn>,
}

/// What a board shows of a pipeline. Empty fields mean "any"; the column
/// totals are over every deal that matches, the cards only the first few.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BoardFilter {
    /// Deals this user owns, as lead owner or with a share of the credit.
    pub owner: Option<Id>,
    /// Deals with an owner in this team (teams are names on users).
    pub team: Option<String>,
    /// Deals expected to close in this month, `YYYY-MM`.
    pub close_month: Option<String>,
    pub min_amount: Option<Cents>,
    pub max_amount: Option<Cents>,
    /// Deals quick-qualified (三一客) with this grade.
    pub grade: Option<DealSize>,
    /// Cards per column; 0 means the default of 50.
    pub cards_per_column: u32,
}

/// Something happened to a deal: sent to live boards after the change is
/// committed, so a board that reloads on it sees the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DealEvent {
    pub pipeline_id: Id,
    pub deal_id: Id,
}

/// What a handover moved, with names, so the page can list it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HandoverReport {
    /// (customer id, name).
    pub customers: Vec<(Id, String)>,
    /// (deal id, title).
    pub deals: Vec<(Id, String)>,
    /// (task id, title).
    pub tasks: Vec<(Id, String)>,
}

/// What a handover would move, before it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HandoverScope {
    pub name: String,
    pub customers: usize,
    pub open_deals: usize,
    pub open_tasks: usize,
    /// Who may receive it: active users the caller manages, but not the
    /// user handing over: `[id, name]` pairs.
    #[cfg_attr(feature = "server", schema(value_type = Vec<Vec<String>>))]
    pub targets: Vec<(Id, String)>,
    /// How many customers each target holds now, in the order of `targets`.
    #[serde(default)]
    pub held: Vec<u32>,
    /// The company's holding limit (0: none), for saying when the handover
    /// takes the receiver over it.
    #[serde(default)]
    pub holding_limit: u32,
}

impl HandoverScope {
    /// How many customers `target` would hold after the handover, when that
    /// is over the holding limit.
    pub fn over_limit(&self, target: Id) -> Option<u32> {
        let i = self.targets.iter().position(|(id, _)| *id == target)?;
        let after = self.held.get(i)? + self.customers as u32;
        (self.holding_limit > 0 && self.customers > 0 && after > self.holding_limit)
            .then_some(after)
    }
}

/// A pipeline as the admin page edits it, with how many deals each stage
/// holds (a stage with deals is removed by moving them elsewhere).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineDraft {
    pub pipeline: Pipeline,
    pub deals_per_stage: Vec<(Id, u32)>,
}

/// Close reasons the product comes with. Deals store them by code and the
/// UI translates them, so one company list serves Chinese and English users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuiltInReason {
    Price,
    Relationship,
    ProductFit,
    Service,
    Competitor,
    NoBudget,
    NoDecision,
    Timing,
}

impl BuiltInReason {
    pub const WON: [BuiltInReason; 4] = [
        BuiltInReason::Price,
        BuiltInReason::Relationship,
        BuiltInReason::ProductFit,
        BuiltInReason::Service,
    ];
    pub const LOST: [BuiltInReason; 6] = [
        BuiltInReason::Price,
        BuiltInReason::ProductFit,
        BuiltInReason::Competitor,
        BuiltInReason::NoBudget,
        BuiltInReason::NoDecision,
        BuiltInReason::Timing,
    ];
    const ALL: [BuiltInReason; 8] = [
        BuiltInReason::Price,
        BuiltInReason::Relationship,
        BuiltInReason::ProductFit,
        BuiltInReason::Service,
        BuiltInReason::Competitor,
        BuiltInReason::NoBudget,
        BuiltInReason::NoDecision,
        BuiltInReason::Timing,
    ];

    /// How a deal's `close_reason` and the reason lists store it.
    pub fn code(self) -> &'static str {
        match self {
            BuiltInReason::Price => "price",
            BuiltInReason::Relationship => "relationship",
            BuiltInReason::ProductFit => "product_fit",
            BuiltInReason::Service => "service",
            BuiltInReason::Competitor => "competitor",
            BuiltInReason::NoBudget => "no_budget",
            BuiltInReason::NoDecision => "no_decision",
            BuiltInReason::Timing => "timing",
        }
    }

    /// The built-in reason a stored reason names; `None` for text an admin
    /// typed, which is shown as it is.
    pub fn from_code(code: &str) -> Option<BuiltInReason> {
        BuiltInReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The reasons a deal may be closed with, per outcome, as the admin set
/// them: built-in codes (`BuiltInReason::code`, translated on display) and
/// text the admin typed, in the order offered. An empty list accepts any
/// reason typed at closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CloseReasons {
    #[cfg_attr(feature = "server", schema(schema_with = crate::model::short_texts_schema))]
    pub won: Vec<String>,
    #[cfg_attr(feature = "server", schema(schema_with = crate::model::short_texts_schema))]
    pub lost: Vec<String>,
    /// 0 until an admin first saves the lists.
    pub version: u64,
}

impl Default for CloseReasons {
    fn default() -> Self {
        let codes = |reasons: &[BuiltInReason]| reasons.iter().map(|r| r.code().into()).collect();
        CloseReasons {
            won: codes(&BuiltInReason::WON),
            lost: codes(&BuiltInReason::LOST),
            version: 0,
        }
    }
}

impl CloseReasons {
    pub fn for_outcome(&self, outcome: Outcome) -> &[String] {
        match outcome {
            Outcome::Won => &self.won,
            Outcome::Lost => &self.lost,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReopenStatus {
    Pending,
    Approved,
    Rejected,
}

/// A request to reopen a won or lost deal, decided by a manager of the
/// deal's lead owner or an admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReopenRequest {
    pub id: Id,
    pub deal_id: Id,
    /// The deal's title and customer when asked, for lists.
    pub deal_title: String,
    pub customer_id: Id,
    /// How the deal had been closed.
    pub outcome: Outcome,
    pub requested_by: Id,
    pub requester_name: String,
    pub note: String,
    pub requested_at: DateTime<Utc>,
    pub status: ReopenStatus,
    pub decided_by: Option<Id>,
    pub decider_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

/// What a stage change was, for the customer's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealTimelineKind {
    Created,
    Moved,
    Won,
    Lost,
    Reopened,
}

/// A stage as it was named when something happened there: an admin may
/// rename or remove it later. An empty name with a preset is a default
/// stage, translated on display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageRef {
    pub id: Id,
    pub name: String,
    pub preset: Option<DefaultStage>,
}

impl From<&Stage> for StageRef {
    fn from(stage: &Stage) -> Self {
        StageRef {
            id: stage.id,
            name: stage.name.clone(),
            preset: stage.preset,
        }
    }
}

/// A deal's stage change on its customer's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DealTimelineEvent {
    pub deal_id: Id,
    pub customer_id: Id,
    /// The deal's title at the time.
    pub title: String,
    pub kind: DealTimelineKind,
    /// `None` when the deal was created.
    pub from: Option<StageRef>,
    pub to: StageRef,
    pub at: DateTime<Utc>,
    pub by: Id,
}
