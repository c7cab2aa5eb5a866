//! Reports over the deals in memory (the deal boards, which keep each
//! deal's stage history), narrowed to what the viewer may see: a rep their
//! own deals, a manager their team's, an admin everything.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::Guanxi;
use super::kept::{Asked, Kept};
use crate::domain::deal_tallies::{DealTallies, Group, Selection};
use crate::domain::funnel::{self, DealFacts, StageEntry, StageOrder};
use crate::domain::{forecast, period, time, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    ConversionReport, ConversionStep, DateSpan, ForecastMonth, ForecastReport, FunnelReport,
    FunnelStage, Id, LostTo, Pipeline, RepWinRate, ReportParams, StageRate, User,
};
use crate::store::BoardDeal;

/// A pipeline's deal tallies, group by group, each with the boards'
/// stamp of the deals it counted.
pub(super) struct CachedDealTallies {
    order: StageOrder,
    groups: HashMap<Box<[u128]>, (u64, Arc<Group>)>,
    tallies: Option<Arc<DealTallies>>,
    /// The boards' latest stamp when `tallies` was last found current.
    seen: u64,
}

/// What the reports need of a deal in memory.
fn facts_of<'a>(deal: &'a BoardDeal, history: &'a [StageEntry]) -> DealFacts<'a> {
    DealFacts {
        stage: deal.stage_id,
        status: deal.status,
        amount: deal.amount,
        confidence: deal.confidence,
        expected_close: deal.expected_close,
        lead_owner: deal.lead_owner(),
        history,
        lost_to: deal.lost_to.as_deref(),
        lost_to_price: deal.lost_to_price,
    }
}

/// Months the forecast covers: this one and the next five.
pub const FORECAST_MONTHS: usize = 6;

/// A report's filters, checked.
struct Scope {
    pipeline: Pipeline,
    span: DateSpan,
    /// The span's first instant and the instant after its last day.
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    compare: NaiveDate,
    rep: Option<Id>,
    team: Option<String>,
    zone: Tz,
    today: NaiveDate,
}

/// What a pipeline or activity report was worked out from: the store's state, the
/// reader (their visibility follows from the users, whose changes move the
/// state), the filters and the company's day. Nothing else moves an
/// answer: its periods are whole days.
type ReportAsked = Asked<(Id, ReportParams)>;

/// How many answers of each pipeline report are kept: a few readers with a
/// few filters each.
const KEPT_REPORTS: usize = 32;

/// The funnel, forecast, conversion and activity answers kept; see
/// `kept`.
pub(super) struct KeptReports {
    funnel: Kept<ReportAsked, Arc<FunnelReport>>,
    forecast: Kept<ReportAsked, Arc<ForecastReport>>,
    conversion: Kept<ReportAsked, Arc<ConversionReport>>,
    pub(super) activity: Kept<ReportAsked, Arc<crate::model::ActivityReport>>,
}

impl Default for KeptReports {
    fn default() -> Self {
        KeptReports {
            funnel: Kept::new(KEPT_REPORTS),
            forecast: Kept::new(KEPT_REPORTS),
            conversion: Kept::new(KEPT_REPORTS),
            activity: Kept::new(KEPT_REPORTS),
        }
    }
}

impl Guanxi {
    /// The answer kept for `me`, `params` and the day, else `work_out`'s.
    pub(super) fn kept_report<T: Clone>(
        &self,
        kept: &Kept<ReportAsked, Arc<T>>,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
        work_out: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let asked = ReportAsked {
            state: (self.store.changes(), 0),
            question: (me.id, params.clone()),
            today: now.with_timezone(&self.company_zone()).date_naive(),
        };
        let report = kept.answer(asked, Asked::same_state, || work_out().map(Arc::new))?;
        Ok((*report).clone())
    }

    fn report_scope(&self, params: &ReportParams, now: DateTime<Utc>) -> Result<Scope> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let pipeline = match params.pipeline.trim() {
            "" => self.store.pipelines()?.into_iter().next(),
            id => {
                let id: Id = id
                    .parse()
                    .map_err(|_| Error::invalid(Field::Pipeline, Problem::Unknown))?;
                self.store.pipeline(id)?
            }
        }
        .ok_or(Error::NotFound)?;
        let rep = match params.rep.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        let compare = match params.compare.trim() {
            "" => span.from,
            day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| Error::invalid(Field::Period, Problem::Malformed))?,
        };
        let instant = |day: NaiveDate| time::start_of_day(zone, day).unwrap_or(now);
        Ok(Scope {
            start: instant(span.from),
            end: instant(span.to + Duration::days(1)),
            pipeline,
            span,
            compare,
            rep,
            team: Some(params.team.trim().to_string()).filter(|t| !t.is_empty()),
            zone,
            today,
        })
    }

    /// The tallies of a pipeline's deals, kept group by group (a set of
    /// owners) and made again for the groups whose deals changed since
    /// (the boards stamp each group at every change), or all of them when
    /// the stages changed. A request costs O(groups of deals) to look at
    /// the stamps (O(1) when no deal changed at all), plus the deals of the
    /// groups that changed: after one
    /// deal changed, the hundred or so deals of its owners rather than
    /// all 50,000 (about 150 ms on `large`, on a busy machine). One
    /// request brings them up to date while the others wait.
    pub(super) fn deal_tallies(&self, pipeline: &Pipeline) -> Result<Arc<DealTallies>> {
        let order = StageOrder::new(pipeline);
        let mut cache = self.deal_tallies.lock().unwrap_or_else(|e| e.into_inner());
        let kept = cache
            .entry(pipeline.id)
            .or_insert_with(|| CachedDealTallies {
                order: order.clone(),
                groups: HashMap::new(),
                tallies: None,
                seen: 0,
            });
        if kept.order != order {
            kept.order = order.clone();
            kept.groups.clear();
            kept.tallies = None;
        }
        self.store.with_deal_boards(|boards| {
            if let Some(tallies) = &kept.tallies
                && kept.seen == boards.latest_stamp()
            {
                return tallies.clone();
            }
            // The owner sets of the pipeline's deals now, and whether each
            // is as counted.
            let mut now: HashMap<&[u128], (u64, bool)> = HashMap::new();
            for view in boards.buckets(pipeline.id) {
                now.entry(view.owners).or_insert_with(|| {
                    let stamp = boards.stamp(pipeline.id, view.owners);
                    let fresh = kept.groups.get(view.owners).is_some_and(|g| g.0 == stamp);
                    (stamp, fresh)
                });
            }
            kept.seen = boards.latest_stamp();
            if let Some(tallies) = &kept.tallies
                && now.len() == kept.groups.len()
                && now.values().all(|&(_, fresh)| fresh)
            {
                return tallies.clone();
            }
            let mut deals: HashMap<&[u128], Vec<DealFacts>> = HashMap::new();
            for view in boards.buckets(pipeline.id) {
                if now.get(view.owners).is_some_and(|&(_, fresh)| !fresh) {
                    let facts = deals.entry(view.owners).or_default();
                    for id in view.bucket.ids(false) {
                        if let Some(deal) = boards.deal(id) {
                            facts.push(facts_of(deal, boards.history(id)));
                        }
                    }
                }
            }
            kept.groups.retain(|owners, _| now.contains_key(&**owners));
            for (owners, facts) in deals {
                let ids: Box<[Id]> = owners.iter().map(|&o| Id(o)).collect();
                let group = Group::new(&kept.order, ids, facts);
                kept.groups
                    .insert(owners.into(), (now[owners].0, Arc::new(group)));
            }
            let tallies = Arc::new(DealTallies::from_groups(
                kept.order.clone(),
                kept.groups.values().map(|(_, g)| g.clone()).collect(),
            ));
            kept.tallies = Some(tallies.clone());
            tallies
        })
    }

    /// Whether the deals of a set of owners (the lead first) are in the
    /// report: `me` may see them and the scope's rep and team filters let
    /// them through.
    fn deal_owners_filter(
        &self,
        me: &User,
        scope: &Scope,
    ) -> Result<impl Fn(&[Id]) -> bool + use<>> {
        let users = self.users_by_id()?;
        let (me, rep, team) = (me.clone(), scope.rep, scope.team.clone());
        Ok(move |ids: &[Id]| {
            let owners: Vec<&User> = ids.iter().filter_map(|id| users.get(id)).collect();
            visibility::can_see_deal(&me, &owners)
                && rep.is_none_or(|rep| ids.contains(&rep))
                && team.as_ref().is_none_or(|team| {
                    owners
                        .iter()
                        .any(|o| o.team.as_deref() == Some(team.as_str()))
                })
        })
    }

    /// Runs `f` over the tallies of the deals of the scope's pipeline that
    /// `me` may see and the scope's rep and team filters let through.
    fn with_deal_tallies<R>(
        &self,
        me: &User,
        scope: &Scope,
        f: impl FnOnce(&Selection) -> R,
    ) -> Result<R> {
        let tallies = self.deal_tallies(&scope.pipeline)?;
        let keep = self.deal_owners_filter(me, scope)?;
        Ok(f(&tallies.select(keep)))
    }

    /// Runs `f` over the facts of the deals of the scope's pipeline that
    /// `me` may see and the scope's rep and team filters let through: the
    /// walk the tallies replace, kept to check them against.
    #[cfg(test)]
    fn with_deal_facts<R>(
        &self,
        me: &User,
        scope: &Scope,
        f: impl FnOnce(&[DealFacts]) -> R,
    ) -> Result<R> {
        let keep = self.deal_owners_filter(me, scope)?;
        self.store.with_deal_boards(|boards| {
            let mut facts = Vec::new();
            for view in boards.buckets(scope.pipeline.id) {
                let owners: Vec<Id> = view.owner_ids().collect();
                if !keep(&owners) {
                    continue;
                }
                for id in view.bucket.ids(false) {
                    if let Some(deal) = boards.deal(id) {
                        facts.push(facts_of(deal, boards.history(id)));
                    }
                }
            }
            f(&facts)
        })
    }

    /// The funnel of one pipeline: each open stage's deals now and at the
    /// comparison date, and the deals won and lost in the period.
    pub fn funnel_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<FunnelReport> {
        self.kept_report(&self.reports_kept.funnel, me, params, now, || {
            self.work_out_funnel(me, params, now)
        })
    }

    fn work_out_funnel(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<FunnelReport> {
        let scope = self.report_scope(params, now)?;
        // As the board stood when the comparison day began.
        let compare_at = time::start_of_day(scope.zone, scope.compare)
            .unwrap_or(now)
            .min(now);
        let (current, then, closed) = self.with_deal_tallies(me, &scope, |deals| {
            (
                deals.open_stages(None),
                deals.open_stages(Some(compare_at)),
                deals.closed_between(scope.start, scope.end),
            )
        })?;
        let stages = scope
            .pipeline
            .open_stages()
            .zip(current.into_iter().zip(then))
            .map(
                |(stage, ((count, amount), (then_count, then_amount)))| FunnelStage {
                    stage: stage.clone(),
                    count,
                    amount,
                    weighted: funnel::weigh(amount, stage.probability),
                    then_count,
                    then_amount,
                },
            )
            .collect();
        Ok(FunnelReport {
            pipeline_id: scope.pipeline.id,
            pipeline_name: scope.pipeline.name.clone(),
            period: scope.span,
            compare: scope.compare,
            stages,
            won: closed.0,
            won_amount: closed.1,
            lost: closed.2,
            lost_amount: closed.3,
        })
    }

    /// The forecast for this month and the next five, both ways, with the
    /// stage-transition model as learned from every exit in the history.
    pub fn forecast_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ForecastReport> {
        self.kept_report(&self.reports_kept.forecast, me, params, now, || {
            self.work_out_forecast(me, params, now)
        })
    }

    fn work_out_forecast(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ForecastReport> {
        let scope = self.report_scope(params, now)?;
        let first = (scope.today.year(), scope.today.month());
        let (exits, open, by_confidence) = self.with_deal_tallies(me, &scope, |deals| {
            (
                deals.stage_exits(None),
                deals.open_amounts(),
                deals.by_confidence(first, FORECAST_MONTHS),
            )
        })?;
        let stages: Vec<_> = scope.pipeline.open_stages().collect();
        let steps = forecast::learn(&stages, &exits);
        let by_stage = forecast::stage_transition(&steps, &open, FORECAST_MONTHS);
        let (by_confidence, overdue, undated) = by_confidence;
        let months = forecast::months_from(first, FORECAST_MONTHS)
            .into_iter()
            .zip(by_confidence.into_iter().zip(by_stage))
            .map(|((y, m), (confidence, stage_model))| ForecastMonth {
                month: period::month_key(y, m),
                confidence,
                stage_model,
            })
            .collect();
        let model = stages
            .iter()
            .zip(steps.iter().zip(&exits))
            .map(|(stage, (step, exits))| StageRate {
                stage: (*stage).clone(),
                conversion: step.conversion,
                average_days: step.stay_months * forecast::DAYS_PER_MONTH,
                samples: exits.exits,
            })
            .collect();
        Ok(ForecastReport {
            pipeline_id: scope.pipeline.id,
            pipeline_name: scope.pipeline.name.clone(),
            months,
            overdue,
            undated,
            model,
        })
    }

    /// Conversion of the deals created in the period stage by stage, days
    /// in each stage, win rates per rep and whom deals were lost to.
    pub fn conversion_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ConversionReport> {
        self.kept_report(&self.reports_kept.conversion, me, params, now, || {
            self.work_out_conversion(me, params, now)
        })
    }

    fn work_out_conversion(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ConversionReport> {
        let scope = self.report_scope(params, now)?;
        let window = Some((scope.start, scope.end));
        let (reached, exits, closed, reps, lost_to) =
            self.with_deal_tallies(me, &scope, |deals| {
                (
                    deals.reached(scope.start, scope.end),
                    deals.stage_exits(window),
                    deals.closed_between(scope.start, scope.end),
                    deals.win_rates(scope.start, scope.end),
                    deals.lost_to(scope.start, scope.end),
                )
            })?;
        let won_stage = scope
            .pipeline
            .stages
            .iter()
            .find(|s| s.outcome == Some(crate::model::Outcome::Won));
        let steps = scope
            .pipeline
            .open_stages()
            .chain(won_stage)
            .enumerate()
            .map(|(i, stage)| ConversionStep {
                stage: stage.clone(),
                reached: reached.get(i).copied().unwrap_or(0),
                rate: i
                    .checked_sub(1)
                    .and_then(|p| reached.get(p))
                    .filter(|&&before| before > 0)
                    .map(|&before| {
                        f64::from(reached.get(i).copied().unwrap_or(0)) / f64::from(before)
                    }),
                average_days: exits.get(i).and_then(|e| e.average_days()),
            })
            .collect();
        let names: HashMap<Id, String> = self
            .users_by_id()?
            .into_iter()
            .map(|(id, u)| (id, u.name))
            .collect();
        Ok(ConversionReport {
            pipeline_id: scope.pipeline.id,
            pipeline_name: scope.pipeline.name.clone(),
            period: scope.span,
            steps,
            won: closed.0,
            lost: closed.2,
            reps: reps
                .into_iter()
                .map(|(rep, won, lost, won_amount)| RepWinRate {
                    rep,
                    name: names.get(&rep).cloned().unwrap_or_default(),
                    won,
                    lost,
                    won_amount,
                })
                .collect(),
            lost_to: lost_to
                .into_iter()
                .map(|(competitor, deals, amount, diff)| LostTo {
                    competitor,
                    deals,
                    amount,
                    average_price_difference: diff,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{Cents, CustomerInput, DealInput, Role, UserInput};

    fn rep(gx: &Guanxi, admin: &User, email: &str, team: &str) -> User {
        gx.create_user(
            super::super::Actor::User(admin),
            UserInput {
                email: email.into(),
                name: email.into(),
                role: Role::Rep,
                team: Some(team.into()),
            },
            "rep password 1",
        )
        .unwrap()
    }

    #[test]
    fn a_rep_sees_only_their_own_deals_in_the_funnel_and_forecast() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@example.cn", "华东");
        let wang = rep(&gx, &admin, "wang@example.cn", "华东");
        let pipeline = gx.pipelines().unwrap().remove(0);
        let today = Utc::now().with_timezone(&gx.company_zone()).date_naive();
        for (who, amount) in [(&li, "1000"), (&wang, "3000")] {
            let customer = gx
                .create_customer(
                    who,
                    CustomerInput {
                        name: format!("{} 的客户", who.name),
                        ..Default::default()
                    },
                    Vec::new(),
                    true,
                )
                .unwrap();
            gx.create_deal(
                who,
                DealInput {
                    customer_id: Some(customer.id),
                    title: "ERP".into(),
                    amount: amount.into(),
                    expected_close: Some(today),
                    confidence: Some(50),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        let params = ReportParams::default();
        let now = Utc::now();
        let mine = gx.funnel_report(&li, &params, now).unwrap();
        assert_eq!(mine.stages[0].count, 1);
        assert_eq!(mine.stages[0].amount, Cents(100_000));
        assert_eq!(mine.stages[0].weighted, Cents(10_000), "first stage: 10 %");
        let all = gx.funnel_report(&admin, &params, now).unwrap();
        assert_eq!(all.stages[0].count, 2);
        assert_eq!(
            all.stages[0].then_count, 0,
            "none existed before the period"
        );
        let wangs = ReportParams {
            rep: wang.id.to_string(),
            ..Default::default()
        };
        assert_eq!(
            gx.funnel_report(&admin, &wangs, now).unwrap().stages[0].amount,
            Cents(300_000)
        );
        let forecast = gx.forecast_report(&li, &params, now).unwrap();
        assert_eq!(forecast.months[0].confidence, Cents(50_000));
        assert_eq!(forecast.months.len(), FORECAST_MONTHS);
        // No stage left yet: the defaults, first stage 10 % → 20 %, stand in.
        assert_eq!(forecast.model[0].samples, 0);
        assert_eq!(forecast.model[0].conversion, 1.0);
        // Moved on: the model learns that stage 1 converts.
        let deal = gx
            .list_deals(&li, Some(pipeline.id), None, &Default::default())
            .unwrap()
            .remove(0);
        gx.move_deal(&li, deal.id, pipeline.stages[1].id, Some(deal.version))
            .unwrap();
        let forecast = gx
            .forecast_report(&li, &params, now + Duration::seconds(1))
            .unwrap();
        assert_eq!(forecast.model[0].samples, 1);
        let conversion = gx.conversion_report(&li, &params, Utc::now()).unwrap();
        assert_eq!(conversion.steps[0].reached, 1);
        assert_eq!(conversion.steps[1].reached, 1);
        assert_eq!(conversion.steps[1].rate, Some(1.0));
        assert_eq!(conversion.steps[2].reached, 0);
    }

    /// Every figure the three deal reports read, from the tallies and
    /// from a walk of the deals, for `me` with `params`' filters, at and
    /// between each of `marks`.
    fn assert_tallies_match_the_walk(
        gx: &Guanxi,
        me: &User,
        params: &ReportParams,
        marks: &[DateTime<Utc>],
        what: &str,
    ) {
        let now = *marks.last().unwrap();
        let scope = gx.report_scope(params, now).unwrap();
        let order = StageOrder::new(&scope.pipeline);
        let mut spans = vec![(scope.start, scope.end)];
        for (i, &from) in marks.iter().enumerate() {
            for &to in &marks[i..] {
                spans.push((from, to + Duration::microseconds(1)));
            }
        }
        let first = (scope.today.year(), scope.today.month());
        let walked = gx
            .with_deal_facts(me, &scope, |deals| {
                let open: Vec<_> = deals
                    .iter()
                    .filter(|d| d.status == crate::model::DealStatus::Open)
                    .collect();
                let mut amounts = vec![Cents(0); order.open.len()];
                for deal in &open {
                    if let Some(slot) = order.rank(deal.stage).and_then(|r| amounts.get_mut(r)) {
                        slot.0 += deal.amount.0;
                    }
                }
                let at: Vec<_> = marks
                    .iter()
                    .map(|&t| funnel::open_stages(&order, deals, Some(t)))
                    .collect();
                let between: Vec<_> = spans
                    .iter()
                    .map(|&(from, to)| {
                        (
                            funnel::closed_between(deals, from, to),
                            funnel::reached(&order, deals, from, to),
                            funnel::stage_exits(&order, deals, Some((from, to))),
                            funnel::win_rates(deals, from, to),
                            funnel::lost_to(deals, from, to),
                        )
                    })
                    .collect();
                (
                    funnel::open_stages(&order, deals, None),
                    at,
                    between,
                    funnel::stage_exits(&order, deals, None),
                    amounts,
                    forecast::by_confidence(
                        open.iter()
                            .map(|d| (d.amount, d.confidence, d.expected_close)),
                        first,
                        FORECAST_MONTHS,
                    ),
                )
            })
            .unwrap();
        let tallied = gx
            .with_deal_tallies(me, &scope, |deals| {
                let at: Vec<_> = marks.iter().map(|&t| deals.open_stages(Some(t))).collect();
                let between: Vec<_> = spans
                    .iter()
                    .map(|&(from, to)| {
                        (
                            deals.closed_between(from, to),
                            deals.reached(from, to),
                            deals.stage_exits(Some((from, to))),
                            deals.win_rates(from, to),
                            deals.lost_to(from, to),
                        )
                    })
                    .collect();
                (
                    deals.open_stages(None),
                    at,
                    between,
                    deals.stage_exits(None),
                    deals.open_amounts(),
                    deals.by_confidence(first, FORECAST_MONTHS),
                )
            })
            .unwrap();
        assert_eq!(tallied, walked, "{what}");
    }

    #[test]
    fn deal_tallies_equal_a_walk_of_the_deals_after_a_mix_of_writes() {
        use super::super::test_support::person;
        use crate::model::{Outcome, OwnerShare};
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@example.cn", "华东");
        let wang = rep(&gx, &admin, "wang@example.cn", "华东");
        let zhao = rep(&gx, &admin, "zhao@example.cn", "华北");
        let boss = person(
            &gx,
            &admin,
            "manager@example.cn",
            Role::Manager,
            Some("华东"),
        );
        let pipeline = gx.pipelines().unwrap().remove(0);
        let reasons = gx.close_reasons().unwrap();
        let today = Utc::now().with_timezone(&gx.company_zone()).date_naive();
        let viewers = [&admin, &boss, &li, &wang, &zhao];
        let filters = [
            ReportParams::default(),
            ReportParams {
                rep: wang.id.to_string(),
                ..Default::default()
            },
            ReportParams {
                team: "华东".into(),
                ..Default::default()
            },
            ReportParams {
                team: "华北".into(),
                period: "year".into(),
                ..Default::default()
            },
        ];
        let mut marks = vec![Utc::now()];
        let check = |marks: &mut Vec<DateTime<Utc>>, what: &str| {
            marks.push(Utc::now());
            let now = *marks.last().unwrap();
            for me in viewers {
                for params in &filters {
                    assert_tallies_match_the_walk(&gx, me, params, marks, what);
                    // What is kept between writes is what a fresh look says.
                    assert_eq!(
                        gx.funnel_report(me, params, now).unwrap(),
                        gx.work_out_funnel(me, params, now).unwrap(),
                        "kept funnel {what}"
                    );
                    assert_eq!(
                        gx.conversion_report(me, params, now).unwrap(),
                        gx.work_out_conversion(me, params, now).unwrap(),
                        "kept conversion {what}"
                    );
                    assert_eq!(
                        gx.forecast_report(me, params, now).unwrap(),
                        gx.work_out_forecast(me, params, now).unwrap(),
                        "kept forecast {what}"
                    );
                }
            }
        };
        let mut customers = Vec::new();
        for who in [&li, &wang, &zhao] {
            customers.push(
                gx.create_customer(
                    who,
                    CustomerInput {
                        name: format!("{} 的客户", who.name),
                        ..Default::default()
                    },
                    Vec::new(),
                    true,
                )
                .unwrap(),
            );
        }
        let mut deals = Vec::new();
        for (i, (who, customer)) in [&li, &wang, &zhao].iter().zip(&customers).enumerate() {
            for n in 0..4i64 {
                let owners = if n == 1 && who.id != zhao.id {
                    // Shared with the other rep of 华东.
                    let other = if who.id == li.id { wang.id } else { li.id };
                    vec![
                        OwnerShare {
                            user: who.id,
                            percent: 60,
                        },
                        OwnerShare {
                            user: other,
                            percent: 40,
                        },
                    ]
                } else {
                    Vec::new()
                };
                deals.push(
                    gx.create_deal(
                        who,
                        DealInput {
                            customer_id: Some(customer.id),
                            title: format!("项目 {i}-{n}"),
                            amount: format!("{}", 1000 * (n + 1) + i as i64),
                            expected_close: (n != 3).then(|| today + Duration::days(40 * n - 30)),
                            confidence: Some(20 * n as u32 + 5),
                            owners,
                            ..Default::default()
                        },
                    )
                    .unwrap(),
                );
            }
        }
        check(&mut marks, "created");
        let owner_of = |d: &crate::model::Deal| {
            let lead = d.lead_owner().unwrap();
            *viewers.iter().find(|u| u.id == lead).unwrap()
        };
        for (k, deal) in deals.iter().enumerate() {
            // Some move on, one further, one back.
            if k % 3 != 2 {
                let _ = gx.move_deal(owner_of(deal), deal.id, pipeline.stages[1].id, None);
            }
            if k % 4 == 0 {
                let _ = gx.move_deal(owner_of(deal), deal.id, pipeline.stages[2].id, None);
                let _ = gx.move_deal(owner_of(deal), deal.id, pipeline.stages[1].id, None);
            }
        }
        check(&mut marks, "moved");
        let won_reason = reasons.won.first().cloned().unwrap_or_default();
        let lost_reason = reasons.lost.first().cloned().unwrap_or_default();
        gx.close_deal(
            owner_of(&deals[0]),
            deals[0].id,
            Outcome::Won,
            &won_reason,
            None,
        )
        .unwrap();
        gx.close_deal(
            owner_of(&deals[4]),
            deals[4].id,
            Outcome::Lost,
            &lost_reason,
            Some(" 金蝶 "),
        )
        .unwrap();
        gx.close_deal(
            owner_of(&deals[5]),
            deals[5].id,
            Outcome::Lost,
            &lost_reason,
            Some("金蝶"),
        )
        .unwrap();
        gx.close_deal(
            owner_of(&deals[8]),
            deals[8].id,
            Outcome::Lost,
            &lost_reason,
            None,
        )
        .unwrap();
        gx.suspend_deal(owner_of(&deals[9]), deals[9].id, true)
            .unwrap();
        check(&mut marks, "closed");
        let conversion = gx
            .conversion_report(&admin, &ReportParams::default(), Utc::now())
            .unwrap();
        assert_eq!(conversion.lost_to.len(), 1, "金蝶, trimmed: {conversion:?}");
        assert_eq!(conversion.lost_to[0].deals, 2);
        assert_eq!((conversion.won, conversion.lost), (1, 3));
        assert!(conversion.steps[1].reached > 0, "some moved on");
        // A new amount and owner; a deal deleted; a customer and its deals
        // to the recycle bin and back.
        let d = gx.deal(&admin, deals[2].id).unwrap();
        gx.update_deal(
            &admin,
            d.id,
            d.version,
            DealInput {
                customer_id: Some(d.customer_id),
                title: d.title.clone(),
                amount: "7777".into(),
                expected_close: d.expected_close,
                confidence: Some(90),
                ..Default::default()
            },
        )
        .unwrap();
        gx.transfer_deal(&admin, deals[3].id, zhao.id).unwrap();
        gx.delete_deal(&admin, deals[6].id, None).unwrap();
        check(&mut marks, "edited");
        gx.recycle_customer(&admin, customers[2].id).unwrap();
        check(&mut marks, "recycled");
        gx.restore_customer(super::super::Actor::User(&admin), admin.id, customers[2].id)
            .unwrap();
        check(&mut marks, "restored");
        // No write, no new count.
        let first = gx.deal_tallies(&pipeline).unwrap();
        assert!(Arc::ptr_eq(&first, &gx.deal_tallies(&pipeline).unwrap()));
        // A change to 赵's deal counts 赵's deals again, and only those.
        gx.suspend_deal(&zhao, deals[10].id, true).unwrap();
        let then = gx.deal_tallies(&pipeline).unwrap();
        let group = |t: &DealTallies, who: Id| {
            t.groups()
                .find(|g| *g.owners == [who])
                .map(|g| g as *const Group)
        };
        assert_ne!(group(&first, zhao.id), group(&then, zhao.id));
        assert_eq!(group(&first, li.id), group(&then, li.id));
        assert!(group(&then, li.id).is_some());
        check(&mut marks, "suspended");
    }

    #[test]
    fn a_custom_period_must_be_a_range() {
        let (_dir, gx, admin) = set_up_company();
        let params = ReportParams {
            period: "custom".into(),
            from: "2026-05-01".into(),
            to: "2026-04-01".into(),
            ..Default::default()
        };
        assert_eq!(
            gx.funnel_report(&admin, &params, Utc::now()),
            Err(Error::invalid(Field::Period, Problem::Malformed))
        );
    }
}
