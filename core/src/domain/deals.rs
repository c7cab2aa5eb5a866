//! Rules of the pipeline: money amounts, credit splits, checklists, time in
//! stage and stalls, column totals, and the board as it stood on a past day.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    BoardFilter, Cents, Deal, DealSize, DealStatus, DealTimelineEvent, DealTimelineKind,
    DefaultStage, Id, Outcome, OwnerShare, Pipeline, Stage, StageChange, StageRef, User,
};

pub use super::money::{MAX_AMOUNT, parse_amount};

/// The default pipeline of the spec: five open stages with their usual win
/// probabilities, then won and lost.
pub fn default_stages(mut new_id: impl FnMut() -> Id) -> Vec<Stage> {
    use DefaultStage::*;
    [
        (InitialContact, 10, None),
        (Evaluation, 20, None),
        (NeedsAnalysis, 40, None),
        (Bidding, 60, None),
        (Negotiation, 80, None),
        (Won, 100, Some(Outcome::Won)),
        (Lost, 0, Some(Outcome::Lost)),
    ]
    .into_iter()
    .map(|(preset, probability, outcome)| Stage {
        id: new_id(),
        name: String::new(),
        preset: Some(preset),
        probability,
        stall_days: None,
        checklist: Vec::new(),
        outcome,
    })
    .collect()
}

/// The longest a deal may be allowed to sit in one stage before it counts
/// as stalled: ten years.
pub const MAX_STALL_DAYS: u32 = 3650;
/// Checklist items per stage; a longer list is a process document.
pub const MAX_CHECKLIST: usize = 20;
/// Stages per pipeline, outcome stages included.
pub const MAX_STAGES: usize = 30;

/// An admin's edit of `stored`, checked and completed: stages keep their
/// preset and outcome (a stage does not turn from open to closed under its
/// deals), unknown stage ids are new stages and get fresh ids, names and
/// checklist items are trimmed. The open stages come first, then exactly
/// one won and one lost stage. Whether removed stages still hold deals is
/// the store's to check, in the transaction that saves.
pub fn check_pipeline(
    edited: &Pipeline,
    stored: &Pipeline,
    mut new_id: impl FnMut() -> Id,
) -> Result<Pipeline> {
    use super::validate;
    let invalid = |field, problem| Err(Error::invalid(field, problem));
    let name = if edited.name.trim().is_empty() && stored.name.is_empty() {
        // The default pipeline, named in the reader's language until renamed.
        String::new()
    } else {
        validate::text(Field::Name, &edited.name, validate::MAX_SHORT)?
    };
    if edited.stages.len() > MAX_STAGES {
        return invalid(
            Field::Stages,
            Problem::TooLong {
                max: MAX_STAGES as u32,
            },
        );
    }
    let mut stages: Vec<Stage> = Vec::with_capacity(edited.stages.len());
    for stage in &edited.stages {
        let known = stored
            .stage(stage.id)
            .filter(|_| !stages.iter().any(|s| s.id == stage.id));
        let (id, preset, outcome) = match known {
            Some(k) => (k.id, k.preset, k.outcome),
            None => (new_id(), None, stage.outcome),
        };
        let name = match (stage.name.trim(), preset) {
            ("", Some(_)) => String::new(),
            (text, _) => validate::text(Field::Stages, text, validate::MAX_SHORT)?,
        };
        if !name.is_empty() && stages.iter().any(|s| s.name == name) {
            return invalid(Field::Stages, Problem::Taken);
        }
        if stage.probability > 100 {
            return invalid(Field::Stages, Problem::OutOfRange { min: 0, max: 100 });
        }
        if stage
            .stall_days
            .is_some_and(|d| !(1..=MAX_STALL_DAYS).contains(&d))
        {
            return invalid(
                Field::Stages,
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_STALL_DAYS,
                },
            );
        }
        if stage.checklist.len() > MAX_CHECKLIST {
            return invalid(
                Field::Checklist,
                Problem::TooLong {
                    max: MAX_CHECKLIST as u32,
                },
            );
        }
        let mut checklist: Vec<String> = Vec::with_capacity(stage.checklist.len());
        for item in &stage.checklist {
            let item = validate::text(Field::Checklist, item, validate::MAX_LONG)?;
            if checklist.contains(&item) {
                return invalid(Field::Checklist, Problem::Taken);
            }
            checklist.push(item);
        }
        stages.push(Stage {
            id,
            name,
            preset,
            probability: stage.probability,
            stall_days: stage.stall_days,
            checklist,
            outcome,
        });
    }
    let outcomes: Vec<Outcome> = stages.iter().filter_map(|s| s.outcome).collect();
    let open = stages.iter().take_while(|s| s.outcome.is_none()).count();
    let well_ordered = open >= 1
        && stages[open..].iter().all(|s| s.outcome.is_some())
        && outcomes.len() == 2
        && outcomes.contains(&Outcome::Won)
        && outcomes.contains(&Outcome::Lost);
    if !well_ordered {
        return invalid(Field::Stages, Problem::Malformed);
    }
    Ok(Pipeline {
        id: stored.id,
        name,
        stages,
        version: edited.version,
    })
}

/// A board or deal-list filter as typed, in a URL or a form: each part
/// empty for "any".
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterText<'a> {
    /// A user id.
    pub owner: &'a str,
    pub team: &'a str,
    /// `YYYY-MM`; the service checks the month itself.
    pub month: &'a str,
    /// Amounts as the deal form reads them: `12,000.50`.
    pub min: &'a str,
    pub max: &'a str,
    /// A quick-qualification grade: `big`, `medium` or `small`.
    pub grade: &'a str,
}

/// Reads a quick-qualification grade as URLs and forms name it.
pub fn deal_size(text: &str) -> Result<DealSize> {
    match text.trim() {
        "big" => Ok(DealSize::Big),
        "medium" => Ok(DealSize::Medium),
        "small" => Ok(DealSize::Small),
        _ => Err(Error::invalid(Field::Qualification, Problem::Unknown)),
    }
}

/// The filter a board or deal list shows, with `cards_per_column` cards a
/// column (0 for the default).
pub fn board_filter(text: FilterText, cards_per_column: u32) -> Result<BoardFilter> {
    let some = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    let amount = |text: &str| {
        some(text)
            .map(|t| parse_amount(Field::Amount, &t))
            .transpose()
    };
    Ok(BoardFilter {
        owner: some(text.owner)
            .map(|id| {
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))
            })
            .transpose()?,
        team: some(text.team),
        close_month: some(text.month),
        min_amount: amount(text.min)?,
        max_amount: amount(text.max)?,
        grade: some(text.grade).map(|g| deal_size(&g)).transpose()?,
        cards_per_column,
    })
}

/// An amount that arrived as a number (an API client's competitor price or
/// expected amount): never negative, never beyond `MAX_AMOUNT`.
pub fn amount(field: Field, value: Cents) -> Result<Cents> {
    if value.0 < 0 || value > MAX_AMOUNT {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    Ok(value)
}

pub fn percent(field: Field, value: u32) -> Result<u8> {
    if value > 100 {
        return Err(Error::invalid(
            field,
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    Ok(value as u8)
}

/// One or more owners, each once, each with a share, the shares summing to
/// exactly 100 %.
pub fn owners(shares: &[OwnerShare]) -> Result<()> {
    let invalid = |problem| Err(Error::invalid(Field::Owners, problem));
    if shares.is_empty() {
        return invalid(Problem::Required);
    }
    let mut seen = std::collections::HashSet::new();
    if !shares.iter().all(|s| seen.insert(s.user)) {
        return invalid(Problem::Taken);
    }
    if shares.iter().any(|s| s.percent == 0 || s.percent > 100) {
        return invalid(Problem::OutOfRange { min: 1, max: 100 });
    }
    if shares.iter().map(|s| u32::from(s.percent)).sum::<u32>() != 100 {
        return invalid(Problem::OutOfRange { min: 100, max: 100 });
    }
    Ok(())
}

/// The credit split after the deal goes to `to`: `to` leads and takes the
/// previous lead's share, added to any share `to` already had; the other
/// co-owners keep theirs, in their order.
pub fn transfer_shares(owners: &[OwnerShare], to: Id) -> Vec<OwnerShare> {
    let Some(lead) = owners.first() else {
        return vec![OwnerShare {
            user: to,
            percent: 100,
        }];
    };
    if lead.user == to {
        return owners.to_vec();
    }
    let had = owners
        .iter()
        .find(|o| o.user == to)
        .map_or(0, |o| o.percent);
    let mut out = vec![OwnerShare {
        user: to,
        percent: lead.percent + had,
    }];
    out.extend(owners[1..].iter().filter(|o| o.user != to).copied());
    out
}

/// The checklist items of `stage` the deal has not ticked there.
pub fn missing_checklist(deal: &Deal, stage: &Stage) -> Vec<String> {
    let done = deal.checklist_done.get(&stage.id);
    stage
        .checklist
        .iter()
        .filter(|item| !done.is_some_and(|d| d.contains(item)))
        .cloned()
        .collect()
}

/// A stage change as the customer's timeline shows it: what kind of step
/// it was and the stages by their names in `pipeline` (as it stood then).
pub fn timeline_event(deal: &Deal, pipeline: &Pipeline, change: &StageChange) -> DealTimelineEvent {
    let stage = |id: Id| {
        pipeline.stage(id).map(StageRef::from).unwrap_or(StageRef {
            id,
            name: String::new(),
            preset: None,
        })
    };
    let outcome_of = |id: Id| pipeline.stage(id).and_then(|s| s.outcome);
    let kind = match (change.from, outcome_of(change.to)) {
        (None, _) => DealTimelineKind::Created,
        (_, Some(Outcome::Won)) => DealTimelineKind::Won,
        (_, Some(Outcome::Lost)) => DealTimelineKind::Lost,
        (Some(from), None) if outcome_of(from).is_some() => DealTimelineKind::Reopened,
        (Some(_), None) => DealTimelineKind::Moved,
    };
    DealTimelineEvent {
        deal_id: deal.id,
        customer_id: deal.customer_id,
        title: deal.title.clone(),
        kind,
        from: change.from.map(stage),
        to: stage(change.to),
        at: change.at,
        by: change.by,
    }
}

/// The open stage a closed deal goes back to when reopened: the one it was
/// closed from, per its history, or else the pipeline's first open stage.
pub fn reopen_stage(deal: &Deal, pipeline: &Pipeline, history: &[StageChange]) -> Option<Id> {
    let is_open = |id: Id| pipeline.stage(id).is_some_and(|s| s.outcome.is_none());
    history
        .iter()
        .rev()
        .find(|c| c.to == deal.stage_id)
        .and_then(|c| c.from)
        .filter(|&from| is_open(from))
        .or_else(|| pipeline.open_stages().next().map(|s| s.id))
}

/// Whole days since a deal entered its current stage at `entered_at`.
pub fn days_in_stage(entered_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - entered_at).num_days().max(0)
}

/// An open deal that has sat in its stage longer than the stage allows.
pub fn is_stalled(
    status: DealStatus,
    entered_at: DateTime<Utc>,
    stage: &Stage,
    now: DateTime<Utc>,
) -> bool {
    status == DealStatus::Open
        && stage
            .stall_days
            .is_some_and(|limit| days_in_stage(entered_at, now) > i64::from(limit))
}

/// Days from the deal's first stage to its close (or to `now` while open).
pub fn cycle_days(
    history: &[StageChange],
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> i64 {
    let Some(first) = history.iter().map(|c| c.at).min() else {
        return 0;
    };
    (closed_at.unwrap_or(now) - first).num_days().max(0)
}

/// Where each deal stood at `at`, from the stage history of many deals.
/// Deals created later are absent.
pub fn board_at(history: &[StageChange], at: DateTime<Utc>) -> HashMap<Id, Id> {
    let mut latest: HashMap<Id, &StageChange> = HashMap::new();
    for change in history.iter().filter(|c| c.at <= at) {
        let entry = latest.entry(change.deal_id).or_insert(change);
        if change.at >= entry.at {
            *entry = change;
        }
    }
    latest.into_iter().map(|(deal, c)| (deal, c.to)).collect()
}

/// Cards per board column when the filter names none.
pub const DEFAULT_CARDS_PER_COLUMN: u32 = 50;
/// More cards than this in one column is a page no one scrolls.
pub const MAX_CARDS_PER_COLUMN: u32 = 500;

/// Reads an expected-close month filter, `2026-03`, as (year, month).
pub fn close_month(text: &str) -> Result<(i32, u32)> {
    let malformed = || Error::invalid(Field::CloseMonth, Problem::Malformed);
    let (year, month) = text.trim().split_once('-').ok_or_else(malformed)?;
    if year.len() != 4 || month.is_empty() || month.len() > 2 {
        return Err(malformed());
    }
    let year: i32 = year.parse().map_err(|_| malformed())?;
    let month: u32 = month.parse().map_err(|_| malformed())?;
    if !(1..=12).contains(&month) {
        return Err(malformed());
    }
    Ok((year, month))
}

/// A board filter checked once, so that judging each of thousands of deals
/// parses and allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct DealMatcher<'a> {
    owner: Option<Id>,
    team: Option<&'a str>,
    month: Option<(i32, u32)>,
    min: Option<Cents>,
    max: Option<Cents>,
    grade: Option<DealSize>,
}

impl<'a> DealMatcher<'a> {
    pub fn new(filter: &'a BoardFilter) -> Result<Self> {
        Ok(DealMatcher {
            owner: filter.owner,
            team: filter
                .team
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty()),
            month: match filter.close_month.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(close_month(text)?),
            },
            min: filter.min_amount,
            max: filter.max_amount,
            grade: filter.grade,
        })
    }

    /// Whether `deal`, whose owners that exist are `owners`, passes the
    /// filter.
    pub fn matches(&self, deal: &Deal, owners: &[&User]) -> bool {
        self.matches_owners(deal.owners.iter().map(|o| o.user), owners)
            && self.matches_terms(
                deal.amount,
                deal.expected_close,
                deal.qualification.as_ref().map(|q| q.size),
            )
    }

    /// The part of the filter about who owns a deal: the owner and the
    /// team, each matched by any of the deal's owners (a co-owner's deal is
    /// theirs too). `ids` are the deal's owners, `owners` those of them
    /// that exist.
    pub fn matches_owners(&self, mut ids: impl Iterator<Item = Id>, owners: &[&User]) -> bool {
        self.owner.is_none_or(|o| ids.any(|id| id == o))
            && self
                .team
                .is_none_or(|t| owners.iter().any(|u| u.team.as_deref() == Some(t)))
    }

    /// Whether the filter looks at more than the owners.
    pub fn has_terms(&self) -> bool {
        self.month.is_some() || self.min.is_some() || self.max.is_some() || self.grade.is_some()
    }

    /// The part of the filter about the deal itself: close month, amount
    /// and quick-qualification grade.
    pub fn matches_terms(
        &self,
        amount: Cents,
        expected_close: Option<NaiveDate>,
        grade: Option<DealSize>,
    ) -> bool {
        use chrono::Datelike;
        self.month
            .is_none_or(|(y, m)| expected_close.is_some_and(|d| d.year() == y && d.month() == m))
            && self.min.is_none_or(|min| amount >= min)
            && self.max.is_none_or(|max| amount <= max)
            && self.grade.is_none_or(|g| grade == Some(g))
    }
}

/// How many cards a column shows for the filter's request.
pub fn cards_per_column(requested: u32) -> usize {
    let n = match requested {
        0 => DEFAULT_CARDS_PER_COLUMN,
        n => n.min(MAX_CARDS_PER_COLUMN),
    };
    n as usize
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnTotals {
    pub count: u32,
    pub amount: Cents,
    /// Each amount times its stage's win probability.
    pub weighted: Cents,
}

impl ColumnTotals {
    /// Counts `count` more deals worth `amount` together.
    pub fn add(&mut self, count: usize, amount: Cents) {
        self.count += count as u32;
        self.amount.0 += amount.0;
    }

    /// Sets the weighted amount once everything is added: the column's
    /// amount times its win probability, rounded once.
    pub fn weigh(&mut self, probability: u8) {
        self.weighted = Cents((self.amount.0 * i64::from(probability) + 50) / 100);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{Duration, TimeZone};

    use super::*;

    fn id(n: u128) -> Id {
        Id(n)
    }

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
    }

    fn stage(checklist: &[&str], stall_days: Option<u32>) -> Stage {
        Stage {
            id: id(7),
            name: "招投标".into(),
            preset: None,
            probability: 60,
            stall_days,
            checklist: checklist.iter().map(|s| s.to_string()).collect(),
            outcome: None,
        }
    }

    fn deal(entered: DateTime<Utc>) -> Deal {
        Deal {
            id: id(1),
            pipeline_id: id(2),
            stage_id: id(7),
            customer_id: id(3),
            title: "ERP 项目".into(),
            amount: Cents(5_000_000),
            expected_close: None,
            confidence: 50,
            owners: vec![OwnerShare {
                user: id(9),
                percent: 100,
            }],
            competitors: Vec::new(),
            requirements: None,
            solution: None,
            source_campaign: None,
            qualification: None,
            checklist_done: BTreeMap::new(),
            status: DealStatus::Open,
            close_reason: None,
            lost_to: None,
            stage_entered_at: entered,
            created_at: entered,
            updated_at: entered,
            version: 1,
        }
    }

    #[test]
    fn the_default_pipeline_is_the_specs() {
        let mut n = 0;
        let stages = default_stages(|| {
            n += 1;
            Id(n)
        });
        let probabilities: Vec<u8> = stages.iter().map(|s| s.probability).collect();
        assert_eq!(probabilities, [10, 20, 40, 60, 80, 100, 0]);
        assert_eq!(stages[5].outcome, Some(Outcome::Won));
        assert_eq!(stages[6].outcome, Some(Outcome::Lost));
        assert!(stages[..5].iter().all(|s| s.outcome.is_none()));
        let ids: std::collections::HashSet<_> = stages.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), 7);
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        let read = |s| parse_amount(Field::Amount, s);
        assert_eq!(read("12345"), Ok(Cents(1_234_500)));
        assert_eq!(read("12,345.6"), Ok(Cents(1_234_560)));
        assert_eq!(read("¥12345.67"), Ok(Cents(1_234_567)));
        assert_eq!(read("0"), Ok(Cents(0)));
        assert_eq!(read(" 0.05 "), Ok(Cents(5)));
        let malformed = Err(Error::invalid(Field::Amount, Problem::Malformed));
        assert_eq!(read("-5"), malformed);
        assert_eq!(read("1.234"), malformed);
        assert_eq!(read("12a"), malformed);
        assert_eq!(read(".5"), malformed);
        assert_eq!(read("99999999999999999999"), malformed);
        assert_eq!(
            read(""),
            Err(Error::invalid(Field::Amount, Problem::Required))
        );
        assert_eq!(Cents(1_234_567).to_string(), "12345.67");
        assert_eq!(Cents(5).to_string(), "0.05");
    }

    #[test]
    fn a_credit_split_names_each_owner_once_and_sums_to_100() {
        let share = |user, percent| OwnerShare {
            user: id(user),
            percent,
        };
        assert_eq!(owners(&[share(1, 100)]), Ok(()));
        assert_eq!(owners(&[share(1, 60), share(2, 40)]), Ok(()));
        let problem = |shares: &[OwnerShare]| match owners(shares) {
            Err(Error::Invalid {
                field: Field::Owners,
                problem,
            }) => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(problem(&[]), Problem::Required);
        assert_eq!(problem(&[share(1, 50), share(1, 50)]), Problem::Taken);
        assert_eq!(
            problem(&[share(1, 60), share(2, 30)]),
            Problem::OutOfRange { min: 100, max: 100 }
        );
        assert_eq!(
            problem(&[share(1, 100), share(2, 0)]),
            Problem::OutOfRange { min: 1, max: 100 }
        );
    }

    #[test]
    fn a_transfer_gives_the_new_lead_the_old_leads_share() {
        let share = |user, percent| OwnerShare {
            user: id(user),
            percent,
        };
        assert_eq!(
            transfer_shares(&[share(1, 60), share(2, 40)], id(3)),
            [share(3, 60), share(2, 40)]
        );
        assert_eq!(
            transfer_shares(&[share(1, 50), share(2, 30), share(3, 20)], id(3)),
            [share(3, 70), share(2, 30)],
            "a co-owner who takes over keeps their own share too"
        );
        assert_eq!(transfer_shares(&[share(1, 100)], id(1)), [share(1, 100)]);
        assert_eq!(transfer_shares(&[], id(4)), [share(4, 100)]);
        for shares in [
            transfer_shares(&[share(1, 50), share(2, 30), share(3, 20)], id(2)),
            transfer_shares(&[share(1, 50), share(2, 50)], id(9)),
        ] {
            assert_eq!(owners(&shares), Ok(()));
        }
    }

    fn pipeline() -> Pipeline {
        let mut n = 100;
        Pipeline {
            id: id(1),
            name: String::new(),
            stages: default_stages(|| {
                n += 1;
                Id(n)
            }),
            version: 3,
        }
    }

    #[test]
    fn an_admin_edit_of_a_pipeline_keeps_presets_and_outcomes() {
        let stored = pipeline();
        let mut edited = stored.clone();
        edited.stages[0].name = " 初步接触 ".into();
        edited.stages[0].checklist = vec![" 确认预算 ".into()];
        edited.stages[1].stall_days = Some(30);
        // A stage the client made up, and an attempt to close an open stage.
        let mut fresh = edited.stages[2].clone();
        fresh.id = id(999);
        fresh.name = "方案演示".into();
        fresh.preset = Some(DefaultStage::Bidding);
        edited.stages.insert(3, fresh);
        edited.stages[2].outcome = Some(Outcome::Won);
        let checked = check_pipeline(&edited, &stored, || id(500)).unwrap();
        assert_eq!(checked.stages.len(), 8);
        assert_eq!(checked.stages[0].name, "初步接触");
        assert_eq!(checked.stages[0].preset, Some(DefaultStage::InitialContact));
        assert_eq!(checked.stages[0].checklist, ["确认预算"]);
        assert_eq!(checked.stages[2].outcome, None);
        assert_eq!(
            (checked.stages[3].id, checked.stages[3].preset),
            (id(500), None)
        );
        assert_eq!(checked.version, 3);
    }

    #[test]
    fn a_pipeline_edit_is_refused_naming_what_is_wrong() {
        let stored = pipeline();
        let problem = |change: &dyn Fn(&mut Pipeline)| {
            let mut edited = stored.clone();
            change(&mut edited);
            match check_pipeline(&edited, &stored, Id::generate) {
                Err(Error::Invalid { field, problem }) => (field, problem),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            problem(&|p| p.stages[5].probability = 101),
            (Field::Stages, Problem::OutOfRange { min: 0, max: 100 })
        );
        assert_eq!(
            problem(&|p| p.stages[0].stall_days = Some(0)).1,
            Problem::OutOfRange { min: 1, max: 3650 }
        );
        assert_eq!(
            problem(&|p| {
                p.stages[0].name = "谈判".into();
                p.stages[1].name = "谈判".into();
            }),
            (Field::Stages, Problem::Taken)
        );
        assert_eq!(
            problem(&|p| p.stages[0].checklist = vec!["a".into(), " a".into()]),
            (Field::Checklist, Problem::Taken)
        );
        assert_eq!(
            problem(&|p| p.stages[0].checklist = vec![" ".into()]),
            (Field::Checklist, Problem::Required)
        );
        let custom = |p: &mut Pipeline| {
            p.stages[0].preset = None;
            p.stages[0].name = " ".into();
        };
        let mut edited = stored.clone();
        custom(&mut edited);
        // The preset comes from the stored stage, so its empty name stays fine.
        assert!(check_pipeline(&edited, &stored, Id::generate).is_ok());
        assert_eq!(
            problem(&|p| {
                let won = p.stages.remove(5);
                p.stages.insert(0, won);
            }),
            (Field::Stages, Problem::Malformed),
            "outcome stages come last"
        );
        assert_eq!(
            problem(&|p| {
                p.stages.remove(6);
            }),
            (Field::Stages, Problem::Malformed),
            "one lost stage"
        );
        assert_eq!(
            problem(&|p| {
                p.stages.drain(..5);
            }),
            (Field::Stages, Problem::Malformed),
            "at least one open stage"
        );
        let mut named = stored.clone();
        named.name = "项目型".into();
        let mut unnamed = named.clone();
        unnamed.name = " ".into();
        assert_eq!(
            check_pipeline(&unnamed, &named, Id::generate),
            Err(Error::invalid(Field::Name, Problem::Required)),
            "only the default pipeline goes without a name"
        );
    }

    #[test]
    fn percentages_stop_at_100() {
        assert_eq!(percent(Field::Confidence, 100), Ok(100));
        assert!(percent(Field::Confidence, 101).is_err());
    }

    #[test]
    fn unticked_checklist_items_are_named_in_order() {
        let stage = stage(&["客户确认预算", "技术方案评审", "报价审批"], None);
        let mut d = deal(t(1));
        assert_eq!(
            missing_checklist(&d, &stage),
            ["客户确认预算", "技术方案评审", "报价审批"]
        );
        d.checklist_done
            .insert(stage.id, vec!["技术方案评审".into()]);
        assert_eq!(missing_checklist(&d, &stage), ["客户确认预算", "报价审批"]);
        // Ticks made in another stage do not count here.
        d.checklist_done.insert(id(99), vec!["客户确认预算".into()]);
        assert_eq!(missing_checklist(&d, &stage), ["客户确认预算", "报价审批"]);
        d.checklist_done.insert(
            stage.id,
            vec![
                "客户确认预算".into(),
                "技术方案评审".into(),
                "报价审批".into(),
            ],
        );
        assert!(missing_checklist(&d, &stage).is_empty());
    }

    #[test]
    fn a_deal_stalls_after_the_stage_limit_while_open() {
        let stage = stage(&[], Some(7));
        let mut d = deal(t(1));
        let entered = d.stage_entered_at;
        assert_eq!(days_in_stage(entered, t(8)), 7);
        assert!(!is_stalled(d.status, entered, &stage, t(8)));
        assert!(is_stalled(d.status, entered, &stage, t(9)));
        d.status = DealStatus::Suspended;
        assert!(!is_stalled(d.status, entered, &stage, t(20)));
        let unlimited = self::stage(&[], None);
        d.status = DealStatus::Open;
        assert!(!is_stalled(d.status, entered, &unlimited, t(28)));
        // A clock that is behind never makes negative days.
        assert_eq!(days_in_stage(entered, t(1) - Duration::days(2)), 0);
    }

    #[test]
    fn history_gives_cycle_time_and_past_boards() {
        let change = |deal, from: Option<u128>, to, day| StageChange {
            deal_id: id(deal),
            from: from.map(id),
            to: id(to),
            at: t(day),
            by: id(9),
        };
        let history = vec![
            change(1, None, 10, 1),
            change(1, Some(10), 11, 5),
            change(2, None, 10, 6),
            change(1, Some(11), 12, 12),
        ];
        let deal_one: Vec<_> = history
            .iter()
            .filter(|c| c.deal_id == id(1))
            .cloned()
            .collect();
        assert_eq!(cycle_days(&deal_one, Some(t(12)), t(30)), 11);
        assert_eq!(cycle_days(&deal_one, None, t(21)), 20);
        assert_eq!(cycle_days(&[], None, t(21)), 0);

        let on_day_3 = board_at(&history, t(3));
        assert_eq!(on_day_3.get(&id(1)), Some(&id(10)));
        assert_eq!(on_day_3.get(&id(2)), None);
        let on_day_7 = board_at(&history, t(7));
        assert_eq!(on_day_7.get(&id(1)), Some(&id(11)));
        assert_eq!(on_day_7.get(&id(2)), Some(&id(10)));
        assert_eq!(board_at(&history, t(30)).get(&id(1)), Some(&id(12)));
    }

    #[test]
    fn close_months_are_year_dash_month() {
        assert_eq!(close_month("2026-03"), Ok((2026, 3)));
        assert_eq!(close_month(" 2026-3 "), Ok((2026, 3)));
        let malformed = Err(Error::invalid(Field::CloseMonth, Problem::Malformed));
        for bad in [
            "2026",
            "2026-13",
            "2026-00",
            "26-03",
            "2026-03-01",
            "三月",
            "",
        ] {
            assert_eq!(close_month(bad), malformed, "{bad}");
        }
    }

    #[test]
    fn the_board_filter_narrows_by_owner_team_month_and_amount() {
        let mut lead = crate::model::User {
            id: id(9),
            email: "li@example.cn".into(),
            name: "李娜".into(),
            role: crate::model::Role::Rep,
            team: Some("华东".into()),
            active: true,
            locale: None,
            created_at: t(1),
            updated_at: t(1),
            version: 1,
        };
        let mut d = deal(t(1));
        d.expected_close = chrono::NaiveDate::from_ymd_opt(2026, 4, 30);
        let check = |filter: BoardFilter, lead: &crate::model::User| {
            DealMatcher::new(&filter).unwrap().matches(&d, &[lead])
        };
        assert!(check(BoardFilter::default(), &lead));
        assert!(check(
            BoardFilter {
                owner: Some(id(9)),
                ..Default::default()
            },
            &lead
        ));
        assert!(!check(
            BoardFilter {
                owner: Some(id(8)),
                ..Default::default()
            },
            &lead
        ));
        let east = BoardFilter {
            team: Some("华东".into()),
            ..Default::default()
        };
        assert!(check(east.clone(), &lead));
        let april = BoardFilter {
            close_month: Some("2026-04".into()),
            ..Default::default()
        };
        assert!(check(april, &lead));
        let may = BoardFilter {
            close_month: Some("2026-05".into()),
            ..Default::default()
        };
        assert!(!check(may, &lead));
        let band = |min, max| BoardFilter {
            min_amount: Some(Cents(min)),
            max_amount: Some(Cents(max)),
            ..Default::default()
        };
        assert!(check(band(5_000_000, 5_000_000), &lead));
        assert!(!check(band(5_000_001, 9_000_000), &lead));
        lead.team = None;
        assert!(!check(east, &lead), "no team is not a team");
        assert!(
            DealMatcher::new(&BoardFilter {
                close_month: Some("April".into()),
                ..Default::default()
            })
            .is_err()
        );
        assert_eq!(cards_per_column(0), 50);
        assert_eq!(cards_per_column(10_000), 500);
    }

    #[test]
    fn column_totals_weight_by_stage_probability() {
        let mut totals = ColumnTotals::default();
        totals.add(1, Cents(10_000_000));
        totals.add(1, Cents(3_333));
        totals.weigh(60);
        assert_eq!(totals.count, 2);
        assert_eq!(totals.amount, Cents(10_003_333));
        assert_eq!(totals.weighted, Cents(6_000_000 + 2_000));
    }

    #[test]
    fn board_filter_reads_typed_amounts_and_leaves_blanks_open() {
        let owner = Id::generate();
        let owner_text = owner.to_string();
        let filter = board_filter(
            FilterText {
                owner: &owner_text,
                team: " 华东 ",
                month: "",
                min: "¥12,000.50",
                max: " ",
                grade: "",
            },
            10,
        )
        .unwrap();
        assert_eq!(filter.owner, Some(owner));
        assert_eq!(filter.team.as_deref(), Some("华东"));
        assert_eq!(filter.close_month, None);
        assert_eq!(filter.min_amount, Some(Cents(1_200_050)));
        assert_eq!((filter.max_amount, filter.cards_per_column), (None, 10));
        let bad = FilterText {
            owner: "someone",
            ..Default::default()
        };
        assert_eq!(
            board_filter(bad, 0),
            Err(Error::invalid(Field::Owner, Problem::Unknown))
        );
        let lots = FilterText {
            min: "lots",
            ..Default::default()
        };
        assert!(matches!(
            board_filter(lots, 0),
            Err(Error::Invalid {
                field: Field::Amount,
                ..
            })
        ));
    }

    #[test]
    fn the_owner_filter_matches_a_co_owner_and_the_grade_filter_the_qualification() {
        let mut d = deal(t(1));
        d.owners = vec![
            OwnerShare {
                user: id(9),
                percent: 70,
            },
            OwnerShare {
                user: id(8),
                percent: 30,
            },
        ];
        let matches =
            |filter: BoardFilter, d: &Deal| DealMatcher::new(&filter).unwrap().matches(d, &[]);
        let owner = |n| BoardFilter {
            owner: Some(id(n)),
            ..Default::default()
        };
        assert!(matches(owner(8), &d), "a co-owner's deal is theirs too");
        assert!(!matches(owner(7), &d));
        let small = board_filter(
            FilterText {
                grade: "small",
                ..Default::default()
            },
            0,
        )
        .unwrap();
        assert_eq!(small.grade, Some(DealSize::Small));
        assert!(!matches(small.clone(), &d), "not qualified at all");
        d.qualification = Some(crate::model::Qualification {
            valuable: true,
            size: DealSize::Small,
            expected_amount: None,
            next_milestone: None,
        });
        assert!(matches(small, &d));
        assert!(!matches(
            BoardFilter {
                grade: Some(DealSize::Big),
                ..Default::default()
            },
            &d
        ));
        assert_eq!(
            board_filter(
                FilterText {
                    grade: "huge",
                    ..Default::default()
                },
                0
            ),
            Err(Error::invalid(Field::Qualification, Problem::Unknown))
        );
    }
}
