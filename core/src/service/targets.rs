//! Targets (指标) and the target planner (SPEC §6). Who may do what:
//! admins set every target; a manager sets the targets of the reps of
//! their team and sees those, the company's, their team's and the
//! regions' and products'; a rep sees their own.

use std::collections::HashSet;

use chrono::{Datelike, Duration, Utc};

use super::kept::{Asked, Kept};
use super::sales_actuals::SalesScope;
use super::{Guanxi, audit};
use crate::domain::{money, period, planner, targets, time, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    ActivityKind, AuditKind, Cents, DateSpan, DealStatus, Id, Plan, PlannerHistory, PlannerParams,
    PlannerRates, Role, SalesTarget, SalesTargetInput, SalesTargetRow, TargetChoice, TargetMeasure,
    TargetProgress, TargetScope, TargetSplit, TargetSplitPreview, User,
};

/// The longest history the planner measures, in months.
pub const MAX_PLANNER_WINDOW: u32 = 36;

/// What a target's progress or a plan was worked out from: the money
/// ledger's state, the store's (a region's customers, a team's members,
/// the targets themselves), the target or the planner's question, and the
/// company's day.
type TargetAsked<Q> = Asked<Q>;

/// A target's figures to a day: as of, month, quarter and year to date,
/// and each month's actual.
type Progress = (
    chrono::NaiveDate,
    [crate::model::PeriodProgress; 3],
    Vec<Cents>,
);

/// Enough for every target of a company on its targets page.
const KEPT_PROGRESS: usize = 256;
/// Plans kept, for a few readers and what-ifs.
const KEPT_PLANS: usize = 32;

/// Progress and plans kept between writes: the targets page shows every
/// target's progress, the workbench the reader's, each 2–5 ms worked out
/// at the `large` size.
pub(super) struct KeptTargets {
    progress: Kept<TargetAsked<(Id, u64)>, std::sync::Arc<Progress>>,
    plans: Kept<TargetAsked<(Id, PlannerParams)>, Plan>,
}

impl Default for KeptTargets {
    fn default() -> Self {
        KeptTargets {
            progress: Kept::new(KEPT_PROGRESS),
            plans: Kept::new(KEPT_PLANS),
        }
    }
}

/// A target's subject, checked.
struct Subject {
    id: Option<Id>,
    name: Option<String>,
    label: String,
}

/// A target as typed, checked (months not yet split).
struct Checked {
    year: i32,
    scope: TargetScope,
    subject: Subject,
    measure: TargetMeasure,
    total: Cents,
}

fn target_entry(
    by: Id,
    label: &str,
    before: Option<&SalesTarget>,
    after: Option<&SalesTarget>,
) -> crate::model::AuditEntry {
    let record = after.or(before).map(|t| t.id);
    let year = after.or(before).map(|t| t.year).unwrap_or_default();
    audit::changed(
        Some(by),
        AuditKind::Target,
        record,
        format!("{year} {label}").trim().to_string(),
        before,
        after,
    )
}

impl Guanxi {
    /// The user a rep target is for, if it is one.
    fn target_rep(&self, t: &SalesTarget) -> Result<Option<User>> {
        match (t.scope, t.subject_id) {
            (TargetScope::Rep, Some(id)) => self.store.user(id),
            _ => Ok(None),
        }
    }

    fn may_see_target(&self, me: &User, t: &SalesTarget) -> Result<bool> {
        if !me.active {
            return Ok(false);
        }
        Ok(match (me.role, t.scope) {
            (Role::Admin, _) => true,
            (Role::Manager, TargetScope::Rep) | (Role::Rep, TargetScope::Rep) => self
                .target_rep(t)?
                .is_some_and(|rep| visibility::can_see(me, Some(&rep))),
            (Role::Manager, TargetScope::Team) => {
                me.team.is_some() && t.subject_name.as_deref() == me.team.as_deref()
            }
            (Role::Manager, _) => true,
            (Role::Rep, _) => false,
        })
    }

    /// Admins change every target; a manager those of their team's reps.
    fn may_set(&self, me: &User, scope: TargetScope, rep: Option<&User>) -> bool {
        match me.role {
            _ if !me.active => false,
            Role::Admin => true,
            Role::Manager => {
                scope == TargetScope::Rep
                    && rep.is_some_and(|r| r.id != me.id && me.team.is_some() && r.team == me.team)
            }
            Role::Rep => false,
        }
    }

    fn target_label(&self, t: &SalesTarget) -> String {
        match (t.scope, t.subject_id, &t.subject_name) {
            (TargetScope::Rep, Some(id), _) => self
                .store
                .user(id)
                .ok()
                .flatten()
                .map(|u| u.name)
                .unwrap_or_default(),
            (TargetScope::Product, Some(id), _) => self
                .store
                .product(id)
                .ok()
                .flatten()
                .map(|p| format!("{} {}", p.code, p.name))
                .unwrap_or_default(),
            (_, _, Some(name)) => name.clone(),
            _ => String::new(),
        }
    }

    fn target_row(&self, me: &User, target: SalesTarget) -> Result<SalesTargetRow> {
        let rep = self.target_rep(&target)?;
        Ok(SalesTargetRow {
            subject_label: self.target_label(&target),
            editable: self.may_set(me, target.scope, rep.as_ref()),
            target,
        })
    }

    /// Whether `me` may set any target: without listing whom, which for
    /// an admin means every product.
    pub fn may_set_targets(&self, me: &User) -> Result<bool> {
        Ok(match me.role {
            _ if !me.active => false,
            Role::Admin => true,
            Role::Manager => !self.target_choices(me)?.is_empty(),
            Role::Rep => false,
        })
    }

    /// Whom `me` may set targets for, in the order the editor lists them:
    /// the company, teams, people, regions, products (admins); the reps
    /// of their team (managers); nobody (reps).
    pub fn target_choices(&self, me: &User) -> Result<Vec<TargetChoice>> {
        let choice = |scope, subject: String, label: String| TargetChoice {
            scope,
            subject,
            label,
        };
        let users: Vec<User> = self
            .store
            .users()?
            .into_iter()
            .filter(|u| u.active)
            .collect();
        let mut out = Vec::new();
        if me.role.is_admin() && me.active {
            out.push(choice(TargetScope::Company, String::new(), String::new()));
            let mut teams: Vec<String> = users.iter().filter_map(|u| u.team.clone()).collect();
            teams.sort();
            teams.dedup();
            out.extend(
                teams
                    .into_iter()
                    .map(|t| choice(TargetScope::Team, t.clone(), t)),
            );
        }
        out.extend(
            users
                .iter()
                .filter(|u| self.may_set(me, TargetScope::Rep, Some(u)))
                .map(|u| choice(TargetScope::Rep, u.id.to_string(), u.name.clone())),
        );
        if me.role.is_admin() && me.active {
            let regions = self.customer_facets(me)?.regions;
            out.extend(
                regions
                    .into_iter()
                    .map(|r| choice(TargetScope::Region, r.clone(), r)),
            );
            out.extend(self.products(me, false)?.into_iter().map(|p| {
                choice(
                    TargetScope::Product,
                    p.id.to_string(),
                    format!("{} {}", p.code, p.name),
                )
            }));
        }
        Ok(out)
    }

    /// The targets `me` may see, of `year` (or every year), by year, then
    /// company, teams, reps, regions and products.
    pub fn targets(&self, me: &User, year: Option<i32>) -> Result<Vec<SalesTargetRow>> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        let mut rows = Vec::new();
        for t in self.store.targets()? {
            if year.is_some_and(|y| y != t.year) || !self.may_see_target(me, &t)? {
                continue;
            }
            rows.push(self.target_row(me, t)?);
        }
        let order = |s: TargetScope| TargetScope::ALL.iter().position(|x| *x == s);
        rows.sort_by(|a, b| {
            (b.target.year, order(a.target.scope), &a.subject_label).cmp(&(
                a.target.year,
                order(b.target.scope),
                &b.subject_label,
            ))
        });
        Ok(rows)
    }

    pub fn target(&self, me: &User, id: Id) -> Result<SalesTargetRow> {
        let t = self.store.target(id)?.ok_or(Error::NotFound)?;
        if !self.may_see_target(me, &t)? {
            return Err(Error::NotFound);
        }
        self.target_row(me, t)
    }

    fn check_subject(&self, scope: TargetScope, subject: &str) -> Result<Subject> {
        let unknown = || Error::invalid(Field::Subject, Problem::Unknown);
        let subject = subject.trim();
        let id = || -> Result<Id> {
            if subject.is_empty() {
                return Err(Error::invalid(Field::Subject, Problem::Required));
            }
            subject.parse::<Id>().map_err(|_| unknown())
        };
        Ok(match scope {
            TargetScope::Company => Subject {
                id: None,
                name: None,
                label: String::new(),
            },
            TargetScope::Rep => {
                let user = self
                    .store
                    .user(id()?)?
                    .filter(|u| u.active)
                    .ok_or_else(unknown)?;
                Subject {
                    id: Some(user.id),
                    name: None,
                    label: user.name,
                }
            }
            TargetScope::Product => {
                let product = self.store.product(id()?)?.ok_or_else(unknown)?;
                Subject {
                    id: Some(product.id),
                    name: None,
                    label: format!("{} {}", product.code, product.name),
                }
            }
            TargetScope::Team => {
                let team = validate::text(Field::Subject, subject, validate::MAX_SHORT)?;
                if !self
                    .store
                    .users()?
                    .iter()
                    .any(|u| u.team.as_deref() == Some(&team))
                {
                    return Err(unknown());
                }
                Subject {
                    id: None,
                    name: Some(team.clone()),
                    label: team,
                }
            }
            TargetScope::Region => {
                let region = validate::text(Field::Subject, subject, validate::MAX_SHORT)?;
                Subject {
                    id: None,
                    name: Some(region.clone()),
                    label: region,
                }
            }
        })
    }

    /// Checks what is typed and that `me` may set such a target.
    fn check_target(&self, me: &User, input: &SalesTargetInput) -> Result<Checked> {
        if !me.active || me.role == Role::Rep {
            return Err(Error::Forbidden);
        }
        if !targets::YEARS.contains(&input.year) {
            return Err(Error::invalid(
                Field::Year,
                Problem::OutOfRange {
                    min: *targets::YEARS.start() as u32,
                    max: *targets::YEARS.end() as u32,
                },
            ));
        }
        let subject = self.check_subject(input.scope, &input.subject)?;
        let rep = match (input.scope, subject.id) {
            (TargetScope::Rep, Some(id)) => self.store.user(id)?,
            _ => None,
        };
        if !self.may_set(me, input.scope, rep.as_ref()) {
            // A manager naming someone outside their team: as if unknown.
            return Err(
                if me.role == Role::Manager && input.scope == TargetScope::Rep {
                    Error::invalid(Field::Subject, Problem::Unknown)
                } else {
                    Error::Forbidden
                },
            );
        }
        let total = money::parse_amount(Field::Target, &input.total)?;
        if total.0 == 0 {
            return Err(Error::invalid(Field::Target, Problem::Malformed));
        }
        Ok(Checked {
            year: input.year,
            scope: input.scope,
            subject,
            measure: input.measure,
            total,
        })
    }

    /// The sales scope of a target's subject.
    fn sales_scope(
        &self,
        scope: TargetScope,
        id: Option<Id>,
        name: Option<&str>,
    ) -> Result<SalesScope> {
        Ok(match (scope, id, name) {
            (TargetScope::Rep, Some(id), _) => SalesScope::Owners(HashSet::from([id])),
            (TargetScope::Product, Some(id), _) => SalesScope::Product(id),
            (TargetScope::Team, _, Some(team)) => SalesScope::Owners(
                self.store
                    .users()?
                    .into_iter()
                    .filter(|u| u.team.as_deref() == Some(team))
                    .map(|u| u.id)
                    .collect(),
            ),
            (TargetScope::Region, _, Some(region)) => SalesScope::Region(region.to_string()),
            _ => SalesScope::All,
        })
    }

    fn year_span(year: i32) -> DateSpan {
        DateSpan {
            from: period::first_of(year, 1),
            to: period::first_of(year + 1, 1) - Duration::days(1),
        }
    }

    /// The months of a checked target: split as asked, or as typed.
    fn months_of(
        &self,
        c: &Checked,
        split: TargetSplit,
        typed: &[String],
    ) -> Result<(Vec<crate::model::Cents>, Vec<crate::model::Cents>)> {
        let scope = self.sales_scope(c.scope, c.subject.id, c.subject.name.as_deref())?;
        let last_year_span = Self::year_span(c.year - 1);
        let last_year = targets::monthly(
            &self.sales_actuals(c.measure, &scope, last_year_span)?,
            c.year - 1,
            last_year_span.to,
        );
        let months = match split {
            TargetSplit::Even => targets::split_evenly(c.total),
            TargetSplit::LastYear => {
                let weights: Vec<i64> = last_year.iter().map(|m| m.0).collect();
                targets::split(c.total, &weights)
            }
            TargetSplit::Manual => {
                if typed.len() != 12 {
                    return Err(Error::invalid(Field::Months, Problem::Required));
                }
                let months = typed
                    .iter()
                    .map(|m| {
                        if m.trim().is_empty() {
                            Ok(Cents(0))
                        } else {
                            money::parse_amount(Field::Months, m)
                        }
                    })
                    .collect::<Result<Vec<_>>>()?;
                targets::check_months(c.total, &months)?;
                months
            }
        };
        Ok((months, last_year))
    }

    /// The twelve months a target would get, for the editor to show
    /// before saving (and adjust by hand).
    pub fn target_split(&self, me: &User, input: &SalesTargetInput) -> Result<TargetSplitPreview> {
        let c = self.check_target(me, input)?;
        let (months, last_year) = self.months_of(&c, input.split, &input.months)?;
        Ok(TargetSplitPreview { months, last_year })
    }

    pub fn create_target(&self, me: &User, input: SalesTargetInput) -> Result<SalesTarget> {
        let c = self.check_target(me, &input)?;
        let (months, _) = self.months_of(&c, input.split, &input.months)?;
        let now = Utc::now();
        let target = SalesTarget {
            id: Id::generate(),
            year: c.year,
            scope: c.scope,
            subject_id: c.subject.id,
            subject_name: c.subject.name,
            measure: c.measure,
            months,
            total: c.total,
            created_by: me.id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store.audited(|lines| {
            lines.push(target_entry(me.id, &c.subject.label, None, Some(&target)));
            self.store.insert_target(&target)
        })?;
        Ok(target)
    }

    /// Saves an edit made from `version` of a target `me` may change (and
    /// may still change once edited).
    pub fn update_target(
        &self,
        me: &User,
        id: Id,
        version: u64,
        input: SalesTargetInput,
    ) -> Result<SalesTarget> {
        let row = self.target(me, id)?;
        if !row.editable {
            return Err(Error::Forbidden);
        }
        let c = self.check_target(me, &input)?;
        let (months, _) = self.months_of(&c, input.split, &input.months)?;
        let label = c.subject.label.clone();
        self.store.audited(|lines| {
            self.store.update_target(id, version, |t| {
                let before = t.clone();
                t.year = c.year;
                t.scope = c.scope;
                t.subject_id = c.subject.id;
                t.subject_name = c.subject.name;
                t.measure = c.measure;
                t.months = months;
                t.total = c.total;
                t.updated_at = Utc::now();
                let after = SalesTarget {
                    version: before.version + 1,
                    ..t.clone()
                };
                lines.push(target_entry(me.id, &label, Some(&before), Some(&after)));
                Ok(())
            })
        })
    }

    pub fn delete_target(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        let row = self.target(me, id)?;
        if !row.editable {
            return Err(Error::Forbidden);
        }
        self.store.audited(|lines| {
            self.store.delete_target(id, version, |t| {
                lines.push(target_entry(me.id, &row.subject_label, Some(t), None));
                Ok(())
            })
        })
    }

    /// A target's progress to today (within its year): month-, quarter-
    /// and year-to-date, with the same days of last year.
    pub fn target_progress(&self, me: &User, id: Id) -> Result<TargetProgress> {
        let row = self.target(me, id)?;
        let t = &row.target;
        let today = self.company_today();
        let asked = self.target_asked((t.id, t.version), today)?;
        let worked = self
            .targets_kept
            .progress
            .answer(asked, Asked::same_state, || {
                self.work_out_progress(t, today).map(std::sync::Arc::new)
            })?;
        let (as_of, [month, quarter, year], monthly_actual) = (*worked).clone();
        Ok(TargetProgress {
            monthly_actual,
            as_of,
            month,
            quarter,
            year,
            target: row,
        })
    }

    fn target_asked<Q>(&self, question: Q, today: chrono::NaiveDate) -> Result<TargetAsked<Q>> {
        Ok(TargetAsked {
            state: (
                self.store.with_contract_index(|index| index.generation())?,
                self.store.changes(),
            ),
            question,
            today,
        })
    }

    fn work_out_progress(&self, t: &SalesTarget, today: chrono::NaiveDate) -> Result<Progress> {
        let as_of = targets::as_of(t.year, today);
        let scope = self.sales_scope(t.scope, t.subject_id, t.subject_name.as_deref())?;
        let span = DateSpan {
            from: period::first_of(t.year - 1, 1),
            to: as_of,
        };
        let actuals = self.sales_actuals(t.measure, &scope, span)?;
        Ok((
            as_of,
            targets::progress(&t.months, &actuals, as_of),
            targets::monthly(&actuals, t.year, as_of),
        ))
    }

    /// The progress the workbench shows: this year's target of `me` (a
    /// rep), of their team (a manager) or of the company (an admin),
    /// revenue before payments.
    pub fn my_target_progress(&self, me: &User) -> Result<Option<TargetProgress>> {
        let year = self.company_today().year();
        let mine = |t: &SalesTarget| match me.role {
            Role::Rep => t.scope == TargetScope::Rep && t.subject_id == Some(me.id),
            Role::Manager => {
                t.scope == TargetScope::Team
                    && me.team.is_some()
                    && t.subject_name.as_deref() == me.team.as_deref()
            }
            Role::Admin => t.scope == TargetScope::Company,
        };
        let mut candidates: Vec<SalesTarget> = self
            .store
            .targets()?
            .into_iter()
            .filter(|t| t.year == year && mine(t))
            .collect();
        candidates.sort_by_key(|t| t.measure != TargetMeasure::Revenue);
        match candidates.first() {
            Some(t) => self.target_progress(me, t.id).map(Some),
            None => Ok(None),
        }
    }

    /// The planner: how many deals, new customers and visits each quarter
    /// of a rep's or team's revenue target needs, at the rates measured
    /// over the window or the what-if ones typed.
    pub fn target_plan(&self, me: &User, params: &PlannerParams) -> Result<Plan> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        let today = self.company_today();
        let asked = self.target_asked((me.id, params.clone()), today)?;
        self.targets_kept
            .plans
            .answer(asked, Asked::same_state, || {
                self.work_out_plan(me, params, today)
            })
    }

    fn work_out_plan(
        &self,
        me: &User,
        params: &PlannerParams,
        today: chrono::NaiveDate,
    ) -> Result<Plan> {
        let year = match params.year.trim() {
            "" => today.year(),
            y => y
                .parse::<i32>()
                .ok()
                .filter(|y| targets::YEARS.contains(y))
                .ok_or(Error::invalid(
                    Field::Year,
                    Problem::OutOfRange {
                        min: *targets::YEARS.start() as u32,
                        max: *targets::YEARS.end() as u32,
                    },
                ))?,
        };
        let window = match params.window.trim() {
            "" => 12,
            w => w
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=MAX_PLANNER_WINDOW).contains(w))
                .ok_or(Error::invalid(
                    Field::Window,
                    Problem::OutOfRange {
                        min: 1,
                        max: MAX_PLANNER_WINDOW,
                    },
                ))?,
        };
        let scope = match params.scope.trim() {
            "" | "rep" => TargetScope::Rep,
            "team" => TargetScope::Team,
            _ => return Err(Error::invalid(Field::Subject, Problem::Unknown)),
        };
        let unknown = || Error::invalid(Field::Subject, Problem::Unknown);
        let subject_text = match (params.subject.trim(), scope) {
            ("", TargetScope::Rep) => me.id.to_string(),
            ("", _) => me.team.clone().ok_or_else(unknown)?,
            (s, _) => s.to_string(),
        };
        let subject = self.check_subject(scope, &subject_text)?;
        let owners: HashSet<Id> = match scope {
            TargetScope::Rep => {
                let rep = subject.id.and_then(|id| self.store.user(id).ok().flatten());
                if !rep.is_some_and(|r| visibility::can_see(me, Some(&r))) {
                    return Err(unknown());
                }
                subject.id.into_iter().collect()
            }
            _ => {
                let team = subject.name.clone().unwrap_or_default();
                let allowed = me.role.is_admin()
                    || (me.role == Role::Manager && me.team.as_deref() == Some(&team));
                if !allowed {
                    return Err(unknown());
                }
                self.store
                    .users()?
                    .into_iter()
                    .filter(|u| u.team.as_deref() == Some(&team))
                    .map(|u| u.id)
                    .collect()
            }
        };
        let (wy, wm) = period::add_months(today.year(), today.month(), -(window as i32));
        let from = chrono::NaiveDate::from_ymd_opt(wy, wm, today.day())
            .unwrap_or_else(|| period::first_of(wy, wm))
            + Duration::days(1);
        let history = self.planner_history(&owners, DateSpan { from, to: today })?;
        let measured = planner::measured(&history);

        // The saved revenue target of the subject, else the typed one.
        let saved = self.store.targets()?.into_iter().find(|t| {
            t.year == year
                && t.scope == scope
                && t.measure == TargetMeasure::Revenue
                && t.subject_id == subject.id
                && t.subject_name == subject.name
        });
        let quarters = match params.target.trim() {
            "" => saved
                .as_ref()
                .map(|t| [t.quarter(1), t.quarter(2), t.quarter(3), t.quarter(4)]),
            typed => {
                let total = money::parse_amount(Field::Target, typed)?;
                let q = targets::split(total, &[1; 4]);
                Some([q[0], q[1], q[2], q[3]])
            }
        };
        let typed_rate = |field, text: &str, max| -> Result<Option<crate::model::Rate>> {
            match text.trim() {
                "" => Ok(None),
                // A zero rate leaves nothing to work out: no plan.
                t => money::parse_rate(field, t, max).map(Some),
            }
        };
        let deal_size = match params.deal_size.trim() {
            "" => None,
            t => Some(money::parse_amount(Field::DealSize, t)?).filter(|c| c.0 > 0),
        };
        let visit_rate = typed_rate(Field::VisitRate, &params.visit_rate, 100)?;
        let win_rate = typed_rate(Field::WinRate, &params.win_rate, 1000)?;
        let used = match (
            deal_size.or(measured.map(|m| m.deal_size)),
            visit_rate.or(measured.map(|m| m.visit_rate)),
            win_rate.or(measured.map(|m| m.win_rate)),
        ) {
            (Some(deal_size), Some(visit_rate), Some(win_rate)) => Some(PlannerRates {
                deal_size,
                visit_rate,
                win_rate,
            }),
            _ => None,
        };
        let quarters = match (quarters, used) {
            (Some(q), Some(rates)) => planner::plan(q, rates),
            _ => Vec::new(),
        };
        Ok(Plan {
            year,
            subject_label: subject.label,
            target_id: saved.map(|t| t.id),
            history,
            measured,
            used,
            quarters,
        })
    }

    /// Visits, new customers and won deals of `owners` over `window`.
    fn planner_history(&self, owners: &HashSet<Id>, window: DateSpan) -> Result<PlannerHistory> {
        let zone = self.company_zone();
        let visits = self.store.with_activity_counts(zone, |counts| {
            counts
                .between(window.from, window.to)
                .filter(|(_, user, _)| owners.contains(user))
                .map(|(_, _, c)| c.of(ActivityKind::Visit))
                .sum::<u32>()
        })?;
        let start = time::start_of_day(zone, window.from).unwrap_or_default();
        let end = time::start_of_day(zone, window.to + Duration::days(1)).unwrap_or_default();
        let new_customers = self
            .store
            .directory()
            .created_between(start, end)
            .filter(|(_, _, owner, _)| owner.is_some_and(|o| owners.contains(&o)))
            .count() as u32;
        let (won_deals, won_amount) = self.store.with_deal_boards(|boards| {
            let mut n = 0u32;
            let mut amount = 0i64;
            for deal in boards.all_deals() {
                if deal.status != DealStatus::Won
                    || !deal.lead_owner().is_some_and(|o| owners.contains(&o))
                {
                    continue;
                }
                let Some(won_at) = boards.history(deal.id).last() else {
                    continue;
                };
                if won_at.at >= start && won_at.at < end {
                    n += 1;
                    amount += deal.amount.0;
                }
            }
            (n, amount)
        })?;
        Ok(PlannerHistory {
            window,
            visits,
            new_customers,
            won_deals,
            won_amount: Cents(won_amount),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::contracts::tests::{accepted_quote, cash, customer_of};
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{AuditAction, AuditFilter, ContractAction, Rate};

    fn input(year: i32, scope: TargetScope, subject: &str, total: &str) -> SalesTargetInput {
        SalesTargetInput {
            year,
            scope,
            subject: subject.into(),
            measure: TargetMeasure::Revenue,
            total: total.into(),
            split: TargetSplit::Even,
            months: vec![],
        }
    }

    #[test]
    fn admins_set_company_and_team_targets_managers_their_reps_reps_see_their_own() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let company = input(2026, TargetScope::Company, "", "12,000,000");
        let team = input(2026, TargetScope::Team, "华东", "6,000,000");
        let of_rep = input(2026, TargetScope::Rep, &rep.id.to_string(), "1,200,000");
        let of_other = input(2026, TargetScope::Rep, &other.id.to_string(), "1,200,000");

        assert_eq!(
            gx.create_target(&manager, company.clone()),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.create_target(&manager, team.clone()),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.create_target(&rep, of_rep.clone()),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.create_target(&manager, of_other.clone()),
            Err(Error::invalid(Field::Subject, Problem::Unknown)),
            "not of the manager's team"
        );
        gx.create_target(&admin, company).unwrap();
        gx.create_target(&admin, team).unwrap();
        let mine = gx.create_target(&manager, of_rep.clone()).unwrap();
        gx.create_target(&admin, of_other).unwrap();
        assert_eq!(
            gx.create_target(&admin, of_rep),
            Err(Error::invalid(Field::Subject, Problem::Taken)),
            "one revenue target a year"
        );

        let seen = |me: &User| -> Vec<TargetScope> {
            gx.targets(me, Some(2026))
                .unwrap()
                .iter()
                .map(|r| r.target.scope)
                .collect()
        };
        assert_eq!(seen(&admin).len(), 4);
        assert_eq!(
            seen(&manager),
            [TargetScope::Company, TargetScope::Team, TargetScope::Rep]
        );
        assert_eq!(seen(&rep), [TargetScope::Rep]);
        assert_eq!(gx.targets(&rep, None).unwrap()[0].target.id, mine.id);
        assert!(!gx.target(&rep, mine.id).unwrap().editable);
        assert!(gx.target(&manager, mine.id).unwrap().editable);
        assert_eq!(gx.delete_target(&rep, mine.id, None), Err(Error::Forbidden));
        assert_eq!(
            gx.target_progress(&other, mine.id).map(|_| ()),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn months_typed_by_hand_must_add_up_and_every_write_is_audited() {
        let (_dir, gx, admin) = set_up_company();
        let mut typed = input(2026, TargetScope::Company, "", "1,200,000");
        typed.split = TargetSplit::Manual;
        typed.months = vec!["100,000".into(); 12];
        typed.months[0] = "150,000".into();
        assert_eq!(
            gx.create_target(&admin, typed.clone()),
            Err(Error::MonthsMismatch {
                difference: Cents(5_000_000)
            })
        );
        typed.months[1] = "50,000".into();
        let saved = gx.create_target(&admin, typed.clone()).unwrap();
        assert_eq!(saved.months[0], Cents(15_000_000));
        assert_eq!(saved.quarter(1), Cents(30_000_000));

        typed.split = TargetSplit::Even;
        typed.total = "2,400,000".into();
        let changed = gx
            .update_target(&admin, saved.id, 1, typed.clone())
            .unwrap();
        assert_eq!(changed.months, vec![Cents(20_000_000); 12]);
        assert_eq!(
            gx.update_target(&admin, saved.id, 1, typed.clone()),
            Err(Error::Conflict)
        );
        typed.total = "0".into();
        assert_eq!(
            gx.create_target(&admin, typed),
            Err(Error::invalid(Field::Target, Problem::Malformed))
        );
        gx.delete_target(&admin, saved.id, Some(2)).unwrap();

        let filter = AuditFilter {
            kind: "target".into(),
            ..Default::default()
        };
        let actions: Vec<AuditAction> = gx
            .audit_log(&admin, &filter, 0, 10)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                AuditAction::Delete,
                AuditAction::Update,
                AuditAction::Create
            ]
        );
    }

    #[test]
    fn progress_counts_the_reps_signed_revenue_and_payments_received() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let today = gx.company_today();
        let year = today.year();
        let revenue = gx
            .create_target(
                &admin,
                input(year, TargetScope::Rep, &rep.id.to_string(), "1,200,000"),
            )
            .unwrap();
        let unsigned = gx.target_progress(&rep, revenue.id).unwrap();
        assert_eq!(unsigned.month.actual, Cents(0), "a draft is no revenue");
        gx.contract_action(
            &rep,
            contract.id,
            Some(contract.version),
            ContractAction::Sign,
        )
        .unwrap();
        gx.record_payment(&rep, contract.id, cash("25,000", today))
            .unwrap();

        let p = gx.target_progress(&rep, revenue.id).unwrap();
        assert_eq!(p.as_of, today);
        // ¥100,000 of a ¥100,000 month.
        assert_eq!(
            (p.month.target, p.month.actual),
            (Cents(10_000_000), Cents(10_000_000))
        );
        assert_eq!(p.month.reached, Some(Rate(10_000)));
        assert_eq!(p.year.actual, Cents(10_000_000));
        assert_eq!(p.monthly_actual[today.month0() as usize], Cents(10_000_000));
        // Progress is kept between writes; an edit of the target is one.
        let doubled = gx
            .update_target(
                &admin,
                revenue.id,
                revenue.version,
                input(year, TargetScope::Rep, &rep.id.to_string(), "2,400,000"),
            )
            .unwrap();
        let p = gx.target_progress(&rep, doubled.id).unwrap();
        assert_eq!(p.month.target, Cents(20_000_000));
        assert_eq!(p.month.reached, Some(Rate(5_000)));

        let mut payments = input(year, TargetScope::Rep, &rep.id.to_string(), "1,200,000");
        payments.measure = TargetMeasure::Payments;
        let payments = gx.create_target(&admin, payments).unwrap();
        let p = gx.target_progress(&rep, payments.id).unwrap();
        assert_eq!(p.month.actual, Cents(2_500_000));
        // The workbench prefers the revenue target.
        let mine = gx.my_target_progress(&rep).unwrap().unwrap();
        assert_eq!(mine.target.target.id, revenue.id);
        assert_eq!(gx.my_target_progress(&admin).unwrap(), None);

        // Next year split by this year: all of it in the one month that sold.
        let mut next = input(year + 1, TargetScope::Rep, &rep.id.to_string(), "1,200,000");
        next.split = TargetSplit::LastYear;
        let preview = gx.target_split(&admin, &next).unwrap();
        let mut expect = vec![Cents(0); 12];
        expect[today.month0() as usize] = Cents(120_000_000);
        assert_eq!(
            preview.months, expect,
            "all of it in the one month that sold"
        );
    }

    #[test]
    fn the_planner_uses_what_ifs_over_measured_rates() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let params = PlannerParams {
            target: "1,600,000".into(),
            deal_size: "100,000".into(),
            visit_rate: "25".into(),
            win_rate: "100".into(),
            ..Default::default()
        };
        let plan = gx.target_plan(&rep, &params).unwrap();
        assert_eq!(plan.measured, None, "no history yet");
        assert_eq!(plan.quarters.len(), 4);
        let q = plan.quarters[0];
        assert_eq!(
            (q.target, q.deals, q.new_customers, q.visits),
            (Cents(40_000_000), 4, 4, 16)
        );

        let blank = gx.target_plan(&rep, &PlannerParams::default()).unwrap();
        assert!(blank.quarters.is_empty() && blank.used.is_none());
        let theirs = PlannerParams {
            subject: other.id.to_string(),
            ..params.clone()
        };
        assert_eq!(
            gx.target_plan(&rep, &theirs).map(|_| ()),
            Err(Error::invalid(Field::Subject, Problem::Unknown))
        );
        let bad = PlannerParams {
            visit_rate: "120".into(),
            ..params
        };
        assert_eq!(
            gx.target_plan(&rep, &bad).map(|_| ()),
            Err(Error::invalid(
                Field::VisitRate,
                Problem::OutOfRange { min: 0, max: 100 }
            ))
        );
    }
}
