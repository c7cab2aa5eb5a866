//! Server functions of the pipeline: the board, deals and their moves.

use guanxi_core::model::{Activity, Board, Deal, Id, Outcome, Pipeline, StageChange};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The board's filters as the page's URL carries them; empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardParams {
    /// Empty for the first pipeline.
    pub pipeline: String,
    pub owner: String,
    pub team: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Amounts as typed.
    pub min: String,
    pub max: String,
    /// A quick-qualification grade: `big`, `medium`, `small`.
    pub grade: String,
    /// Cards shown per column; grows with "show more".
    pub limit: u32,
}

impl BoardParams {
    pub fn from_query(get: impl Fn(&str) -> String) -> Self {
        BoardParams {
            pipeline: get("pipeline"),
            owner: get("owner"),
            team: get("team"),
            month: get("month"),
            min: get("min"),
            max: get("max"),
            grade: get("grade"),
            limit: get("limit").parse().unwrap_or(0),
        }
    }

    #[cfg(feature = "ssr")]
    fn to_filter(&self) -> Result<guanxi_core::model::BoardFilter, guanxi_core::Error> {
        use guanxi_core::domain::deals::{FilterText, board_filter};
        let text = FilterText {
            owner: &self.owner,
            team: &self.team,
            month: &self.month,
            min: &self.min,
            max: &self.max,
            grade: &self.grade,
        };
        board_filter(text, self.limit)
    }
}

/// What the board's filter menus offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardChoices {
    pub pipelines: Vec<(Id, String)>,
    /// Owners the caller may filter by.
    pub owners: Vec<(Id, String)>,
    pub teams: Vec<String>,
}

#[server(endpoint = "board_menus")]
pub async fn board_menus() -> Result<BoardChoices, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let users = gx.visible_active_users(&me)?;
        let mut teams: Vec<String> = users.iter().filter_map(|u| u.team.clone()).collect();
        teams.sort();
        teams.dedup();
        Ok(BoardChoices {
            pipelines: gx
                .pipelines()?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
            owners: users.into_iter().map(|u| (u.id, u.name)).collect(),
            teams,
        })
    })
    .await
}

/// The board of the chosen pipeline (the first when none is chosen).
#[server(endpoint = "get_board")]
pub async fn get_board(params: BoardParams) -> Result<Board, AppError> {
    use crate::ssr::*;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    call(move |gx| {
        let filter = params.to_filter()?;
        let pipeline = match params.pipeline.as_str() {
            "" => gx.pipelines()?.first().map(|p| p.id),
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Pipeline, Problem::Unknown))?,
            ),
        }
        .ok_or(Error::NotFound)?;
        gx.board(&me, pipeline, chrono::Utc::now(), &filter)
    })
    .await
}

#[server(endpoint = "move_deal")]
pub async fn move_deal(id: Id, stage_id: Id, version: u64) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.move_deal(&me, id, stage_id, Some(version))).await
}

/// One line of a deal's stage history, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub change: StageChange,
    pub when: String,
    pub by_name: String,
}

/// Everything the deal page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealView {
    pub deal: Deal,
    pub pipeline: Pipeline,
    pub customer_name: String,
    /// (name, percent) of each owner, the lead first.
    pub owners: Vec<(String, u8)>,
    pub history: Vec<HistoryLine>,
    pub days_in_stage: i64,
    pub can_edit: bool,
    /// The latest calls, visits and other activities about this deal.
    pub activities: Vec<ActivityLine>,
    /// Now in the company's time zone, as the activity form's time field
    /// starts.
    pub now_local: String,
    /// Whom the caller may transfer the deal to; empty for reps.
    pub assignees: Vec<(Id, String)>,
    /// The caller's latest request to reopen this deal, if any.
    pub reopen: Option<guanxi_core::model::ReopenRequest>,
    /// The deal's audit log entries, newest first.
    pub changes: Vec<crate::api::audit::AuditRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityLine {
    pub activity: Activity,
    pub when: String,
    pub by_name: String,
}

/// Activities the deal page lists.
pub const DEAL_ACTIVITIES: usize = 20;

#[server(endpoint = "get_deal")]
pub async fn get_deal(id: Id) -> Result<DealView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::deals;
    use guanxi_core::domain::time::{input_time, local_time};
    let me = current_user()?;
    call(move |gx| {
        let deal = gx.deal(&me, id)?;
        let zone = gx.company_zone();
        let pipeline = gx.pipeline(deal.pipeline_id)?;
        let names = gx.user_names()?;
        let name_of = |id: Id| names.get(id).unwrap_or_default().to_string();
        let history = gx
            .stage_history(&me, id)?
            .into_iter()
            .map(|change| HistoryLine {
                when: local_time(zone, change.at),
                by_name: name_of(change.by),
                change,
            })
            .collect();
        let activities = gx
            .deal_activities(&me, id, DEAL_ACTIVITIES)?
            .into_iter()
            .map(|activity| ActivityLine {
                when: local_time(zone, activity.at),
                by_name: name_of(activity.by),
                activity,
            })
            .collect();
        let assignees = gx.assignable_users(&me)?;
        let reopen = gx
            .my_reopen_requests(&me)?
            .into_iter()
            .filter(|r| r.deal_id == id)
            .max_by_key(|r| r.requested_at);
        let named =
            crate::api::audit::audit_value_names(gx, crate::api::audit::locale_of(gx, &me))?;
        let changes = gx
            .deal_audit(&me, id)?
            .into_iter()
            .map(|mut entry| {
                guanxi_core::domain::audit::readable(&mut entry, &named);
                crate::api::audit::AuditRow {
                    when: local_time(zone, entry.at),
                    who: entry.by.map(name_of),
                    entry,
                }
            })
            .collect();
        Ok(DealView {
            assignees,
            reopen,
            changes,
            activities,
            customer_name: gx.customer_name(deal.customer_id).unwrap_or_default(),
            owners: deal
                .owners
                .iter()
                .map(|o| (name_of(o.user), o.percent))
                .collect(),
            history,
            days_in_stage: deals::days_in_stage(deal.stage_entered_at, chrono::Utc::now()),
            can_edit: gx.may_edit_deal(&me, &deal)?,
            now_local: input_time(zone, chrono::Utc::now()),
            pipeline,
            deal,
        })
    })
    .await
}

#[server(endpoint = "tick_checklist")]
pub async fn tick_checklist(id: Id, item: String, done: bool) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.tick_checklist(&me, id, &item, done)).await
}

#[server(endpoint = "close_deal")]
pub async fn close_deal(
    id: Id,
    outcome: Outcome,
    reason: String,
    #[server(default)] lost_to: String,
) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let lost_to = Some(lost_to.trim()).filter(|t| !t.is_empty());
        gx.close_deal(&me, id, outcome, &reason, lost_to)
    })
    .await
}

#[server(endpoint = "suspend_deal")]
pub async fn suspend_deal(id: Id, suspended: bool) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.suspend_deal(&me, id, suspended)).await
}

/// The deal form as the browser posts it (`deal[title]`, …): text as typed,
/// turned into a `DealInput` on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealForm {
    pub customer_id: String,
    /// A stage id; the pipeline is the one holding it.
    pub stage_id: String,
    pub title: String,
    pub amount: String,
    /// `YYYY-MM-DD`.
    pub expected_close: String,
    pub confidence: String,
    /// Rows with no user are ignored; a lone owner without a share gets 100 %.
    pub owners: Vec<OwnerRow>,
    /// Rows with no name are ignored.
    pub competitors: Vec<CompetitorRow>,
    pub requirements: String,
    pub solution: String,
    pub source_campaign: String,
    /// `yes`, `no`, or empty for no quick qualification.
    pub valuable: String,
    /// `big`, `medium` or `small`.
    pub size: String,
    pub expected_amount: String,
    pub next_milestone: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwnerRow {
    pub user: String,
    pub percent: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompetitorRow {
    pub name: String,
    pub price: String,
    pub strengths: String,
    pub weaknesses: String,
}

impl DealForm {
    pub fn of(deal: &Deal) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let qualification = deal.qualification.as_ref();
        DealForm {
            customer_id: deal.customer_id.to_string(),
            stage_id: deal.stage_id.to_string(),
            title: deal.title.clone(),
            amount: deal.amount.to_string(),
            expected_close: deal
                .expected_close
                .map(|d| d.to_string())
                .unwrap_or_default(),
            confidence: deal.confidence.to_string(),
            owners: deal
                .owners
                .iter()
                .map(|o| OwnerRow {
                    user: o.user.to_string(),
                    percent: o.percent.to_string(),
                })
                .collect(),
            competitors: deal
                .competitors
                .iter()
                .map(|c| CompetitorRow {
                    name: c.name.clone(),
                    price: c.price.map(|p| p.to_string()).unwrap_or_default(),
                    strengths: text(&c.strengths),
                    weaknesses: text(&c.weaknesses),
                })
                .collect(),
            requirements: text(&deal.requirements),
            solution: text(&deal.solution),
            source_campaign: text(&deal.source_campaign),
            valuable: match qualification.map(|q| q.valuable) {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
            size: qualification
                .map(|q| size_code(q.size).to_string())
                .unwrap_or_default(),
            expected_amount: qualification
                .and_then(|q| q.expected_amount)
                .map(|a| a.to_string())
                .unwrap_or_default(),
            next_milestone: qualification
                .and_then(|q| q.next_milestone.clone())
                .unwrap_or_default(),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn into_input(
        self,
        pipelines: &[Pipeline],
    ) -> Result<guanxi_core::model::DealInput, guanxi_core::Error> {
        use guanxi_core::domain::deals::parse_amount;
        use guanxi_core::model::{Competitor, DealSize, OwnerShare, Qualification};
        use guanxi_core::{Error, Field, Problem};
        let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let id = |text: &str, field| -> Result<Option<Id>, Error> {
            match text.trim() {
                "" => Ok(None),
                t => t
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::invalid(field, Problem::Unknown)),
            }
        };
        let amount = |text: &str, field| -> Result<Option<guanxi_core::model::Cents>, Error> {
            match text.trim() {
                "" => Ok(None),
                t => parse_amount(field, t).map(Some),
            }
        };
        let percent = |text: &str, field| -> Result<Option<u32>, Error> {
            match text.trim().trim_end_matches('%').trim() {
                "" => Ok(None),
                t => t
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::invalid(field, Problem::Malformed)),
            }
        };
        let stage_id = id(&self.stage_id, Field::Stage)?;
        let pipeline_id = stage_id.and_then(|stage| {
            pipelines
                .iter()
                .find(|p| p.stage(stage).is_some())
                .map(|p| p.id)
        });
        let rows: Vec<&OwnerRow> = self
            .owners
            .iter()
            .filter(|o| !o.user.trim().is_empty())
            .collect();
        let lone = rows.len() == 1;
        let owners = rows
            .into_iter()
            .map(|row| {
                let user = id(&row.user, Field::Owners)?
                    .ok_or(Error::invalid(Field::Owners, Problem::Unknown))?;
                let share = match percent(&row.percent, Field::Owners)? {
                    Some(p) => u8::try_from(p).map_err(|_| {
                        Error::invalid(Field::Owners, Problem::OutOfRange { min: 100, max: 100 })
                    })?,
                    None if lone => 100,
                    None => {
                        return Err(Error::invalid(
                            Field::Owners,
                            Problem::OutOfRange { min: 100, max: 100 },
                        ));
                    }
                };
                Ok(OwnerShare {
                    user,
                    percent: share,
                })
            })
            .collect::<Result<_, Error>>()?;
        let competitors = self
            .competitors
            .into_iter()
            .filter(|c| !c.name.trim().is_empty())
            .map(|c| {
                Ok(Competitor {
                    price: amount(&c.price, Field::Competitors)?,
                    name: c.name,
                    strengths: some(c.strengths),
                    weaknesses: some(c.weaknesses),
                })
            })
            .collect::<Result<_, Error>>()?;
        let qualification = match self.valuable.as_str() {
            "" => None,
            valuable => Some(Qualification {
                valuable: valuable == "yes",
                size: match self.size.as_str() {
                    "big" => DealSize::Big,
                    "small" => DealSize::Small,
                    _ => DealSize::Medium,
                },
                expected_amount: amount(&self.expected_amount, Field::Amount)?,
                next_milestone: some(self.next_milestone),
            }),
        };
        Ok(guanxi_core::model::DealInput {
            pipeline_id,
            stage_id,
            customer_id: id(&self.customer_id, Field::Customer)?,
            title: self.title,
            amount: self.amount,
            expected_close: match self.expected_close.trim() {
                "" => None,
                t => Some(
                    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .map_err(|_| Error::invalid(Field::At, Problem::Malformed))?,
                ),
            },
            confidence: percent(&self.confidence, Field::Confidence)?,
            owners,
            competitors,
            requirements: some(self.requirements),
            solution: some(self.solution),
            source_campaign: some(self.source_campaign),
            qualification,
        })
    }
}

pub fn size_code(size: guanxi_core::model::DealSize) -> &'static str {
    use guanxi_core::model::DealSize;
    match size {
        DealSize::Big => "big",
        DealSize::Medium => "medium",
        DealSize::Small => "small",
    }
}

/// What the deal form's menus offer: every pipeline's stages and the people
/// who may own a deal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DealFormChoices {
    pub pipelines: Vec<Pipeline>,
    pub owners: Vec<(Id, String)>,
    /// The customer the form starts with (`?customer=`), with its name.
    pub customer: Option<(Id, String)>,
}

#[server(endpoint = "deal_form_menus")]
pub async fn deal_form_menus(customer: Option<Id>) -> Result<DealFormChoices, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let customer = match customer {
            Some(id) => Some((id, gx.customer(&me, id)?.name)),
            None => None,
        };
        Ok(DealFormChoices {
            pipelines: gx.pipelines()?,
            owners: gx.active_users()?,
            customer,
        })
    })
    .await
}

#[server(endpoint = "create_deal")]
pub async fn create_deal(deal: DealForm) -> Result<Id, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let input = deal.into_input(&gx.pipelines()?)?;
        gx.create_deal(&me, input).map(|d| d.id)
    })
    .await
}

#[server(endpoint = "update_deal")]
pub async fn update_deal(id: Id, version: u64, deal: DealForm) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let input = deal.into_input(&gx.pipelines()?)?;
        gx.update_deal(&me, id, version, input)
    })
    .await
}

/// The reasons the close dialog offers for each outcome.
#[server(endpoint = "close_reasons")]
pub async fn close_reasons() -> Result<guanxi_core::model::CloseReasons, AppError> {
    use crate::ssr::*;
    current_user()?;
    call(move |gx| gx.close_reasons()).await
}

/// Makes `to` the deal's lead owner.
#[server(endpoint = "transfer_deal")]
pub async fn transfer_deal(id: Id, to: Id) -> Result<Deal, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.transfer_deal(&me, id, to)).await
}

#[server(endpoint = "delete_deal")]
pub async fn delete_deal(id: Id, version: u64) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_deal(&me, id, Some(version))).await
}

/// A customer's deals as its 360° page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDeal {
    pub id: Id,
    pub title: String,
    pub amount: guanxi_core::model::Cents,
    pub stage: guanxi_core::model::StageRef,
    pub status: guanxi_core::model::DealStatus,
    pub expected_close: Option<chrono::NaiveDate>,
}

#[server(endpoint = "customer_deals")]
pub async fn customer_deals(customer: Id) -> Result<Vec<CustomerDeal>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let pipelines = gx.pipelines()?;
        let deals = gx.list_deals(&me, None, Some(customer), &Default::default())?;
        Ok(deals
            .into_iter()
            .rev()
            .filter_map(|deal| {
                let stage = pipelines
                    .iter()
                    .find(|p| p.id == deal.pipeline_id)?
                    .stage(deal.stage_id)?
                    .into();
                Some(CustomerDeal {
                    id: deal.id,
                    title: deal.title,
                    amount: deal.amount,
                    stage,
                    status: deal.status,
                    expected_close: deal.expected_close,
                })
            })
            .collect())
    })
    .await
}
