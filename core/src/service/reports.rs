//! Reports over the deals in memory (the deal boards, which keep each
//! deal's stage history), narrowed to what the viewer may see: a rep their
//! own deals, a manager their team's, an admin everything.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::Guanxi;
use crate::domain::funnel::{self, DealFacts, StageOrder};
use crate::domain::{forecast, period, time, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Cents, ConversionReport, ConversionStep, DateSpan, DealStatus, ForecastMonth, ForecastReport,
    FunnelReport, FunnelStage, Id, LostTo, Pipeline, RepWinRate, ReportParams, StageRate, User,
};

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

impl Guanxi {
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

    /// Runs `f` over the facts of the deals of the scope's pipeline that
    /// `me` may see and the scope's rep and team filters let through.
    fn with_deal_facts<R>(
        &self,
        me: &User,
        scope: &Scope,
        f: impl FnOnce(&[DealFacts]) -> R,
    ) -> Result<R> {
        let users = self.users_by_id()?;
        self.store.with_deal_boards(|boards| {
            let mut facts = Vec::new();
            for view in boards.buckets(scope.pipeline.id) {
                let owners: Vec<&User> = view.owner_ids().filter_map(|id| users.get(&id)).collect();
                if !visibility::can_see_deal(me, &owners) {
                    continue;
                }
                if scope
                    .rep
                    .is_some_and(|rep| !view.owner_ids().any(|o| o == rep))
                {
                    continue;
                }
                if let Some(team) = &scope.team
                    && !owners
                        .iter()
                        .any(|o| o.team.as_deref() == Some(team.as_str()))
                {
                    continue;
                }
                for id in view.bucket.ids(false) {
                    let Some(deal) = boards.deal(id) else {
                        continue;
                    };
                    facts.push(DealFacts {
                        stage: deal.stage_id,
                        status: deal.status,
                        amount: deal.amount,
                        confidence: deal.confidence,
                        expected_close: deal.expected_close,
                        lead_owner: deal.lead_owner(),
                        history: boards.history(id),
                        lost_to: deal.lost_to.as_deref(),
                        lost_to_price: deal.lost_to_price,
                    });
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
        let scope = self.report_scope(params, now)?;
        let order = StageOrder::new(&scope.pipeline);
        // As the board stood when the comparison day began.
        let compare_at = time::start_of_day(scope.zone, scope.compare)
            .unwrap_or(now)
            .min(now);
        let (current, then, closed) = self.with_deal_facts(me, &scope, |deals| {
            (
                funnel::open_stages(&order, deals, None),
                funnel::open_stages(&order, deals, Some(compare_at)),
                funnel::closed_between(deals, scope.start, scope.end),
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
        let scope = self.report_scope(params, now)?;
        let order = StageOrder::new(&scope.pipeline);
        let first = (scope.today.year(), scope.today.month());
        let (exits, open, by_confidence) = self.with_deal_facts(me, &scope, |deals| {
            let open: Vec<_> = deals
                .iter()
                .filter(|d| d.status == DealStatus::Open)
                .collect();
            let mut amounts = vec![Cents(0); order.open.len()];
            for deal in &open {
                if let Some(slot) = order.rank(deal.stage).and_then(|r| amounts.get_mut(r)) {
                    slot.0 += deal.amount.0;
                }
            }
            (
                funnel::stage_exits(&order, deals, None),
                amounts,
                forecast::by_confidence(
                    open.iter()
                        .map(|d| (d.amount, d.confidence, d.expected_close)),
                    first,
                    FORECAST_MONTHS,
                ),
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
        let scope = self.report_scope(params, now)?;
        let order = StageOrder::new(&scope.pipeline);
        let window = Some((scope.start, scope.end));
        let (reached, exits, closed, reps, lost_to) =
            self.with_deal_facts(me, &scope, |deals| {
                (
                    funnel::reached(&order, deals, scope.start, scope.end),
                    funnel::stage_exits(&order, deals, window),
                    funnel::closed_between(deals, scope.start, scope.end),
                    funnel::win_rates(deals, scope.start, scope.end),
                    funnel::lost_to(deals, scope.start, scope.end),
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
    use crate::model::{CustomerInput, DealInput, Role, UserInput};

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
