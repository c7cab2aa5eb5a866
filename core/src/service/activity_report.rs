//! The activity dashboard: activities, calls, call minutes, visits and
//! messages per day, week or month, per rep, against the previous period
//! and last year, with the weeks that are far off their trend flagged.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::Guanxi;
use crate::domain::customer_kpis::IdHasher;
use crate::domain::{anomaly, period};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    ActivityBucket, ActivityMetric, ActivityReport, ActivityTotals, AnomalyFlag, DateSpan, Id,
    RepActivity, ReportParams, Role, User,
};
use crate::store::ActivityCounts;

/// The buckets of `span` by `grain`: (first day, last day).
pub fn buckets(span: DateSpan, grain: &str) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut from = span.from;
    while from <= span.to {
        let next = match grain {
            "week" => from + Duration::days(7 - i64::from(from.weekday().num_days_from_monday())),
            "month" => {
                let (y, m) = period::add_months(from.year(), from.month(), 1);
                period::first_of(y, m)
            }
            _ => from + Duration::days(1),
        };
        out.push((from, (next - Duration::days(1)).min(span.to)));
        from = next;
    }
    out
}

/// A grain that gives a readable number of bars for the span.
pub fn default_grain(span: DateSpan) -> &'static str {
    match (span.to - span.from).num_days() {
        0..=31 => "day",
        32..=120 => "week",
        _ => "month",
    }
}

/// The activities of a report's people, read once from the counts: per
/// day for them all, and per person over the period and per week of the
/// anomaly window. Reading is O(days read × people with activities); every
/// figure after that a sum of at most the period's days, where summing
/// each rep's and each week's figure off one map of (day, user) cost
/// O(people² × days) (87 ms p95 for an admin on `large`).
struct DaySums {
    /// The first day of `everyone`.
    first: NaiveDate,
    /// Per day from `first` on, everyone together.
    everyone: Vec<ActivityTotals>,
    /// Each person's number in `span` and `weeks`.
    slots: HashMap<Id, usize, BuildHasherDefault<IdHasher>>,
    /// Per person, over the report's period.
    span: Vec<ActivityTotals>,
    /// Per person, each week (Monday to Sunday) of the anomaly window.
    weeks: Vec<Vec<ActivityTotals>>,
}

impl DaySums {
    /// Reads the days of `ranges` within `within` (both ends included) of
    /// the people of `names`.
    fn read(
        counts: &ActivityCounts,
        within: (NaiveDate, NaiveDate),
        ranges: &[(NaiveDate, NaiveDate)],
        names: &HashMap<Id, String>,
        span: DateSpan,
        weeks_from: NaiveDate,
    ) -> DaySums {
        let (first, last) = within;
        let days = (last - first).num_days().max(-1) + 1;
        let weeks = anomaly::TRAILING_WEEKS + 1;
        let slots: HashMap<Id, usize, BuildHasherDefault<IdHasher>> =
            names.keys().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut out = DaySums {
            first,
            everyone: vec![ActivityTotals::default(); days as usize],
            span: vec![ActivityTotals::default(); slots.len()],
            weeks: vec![vec![ActivityTotals::default(); weeks]; slots.len()],
            slots,
        };
        let mut ranges: Vec<(NaiveDate, NaiveDate)> = ranges
            .iter()
            .map(|&(from, to)| (from.max(first), to.min(last)))
            .filter(|(from, to)| from <= to)
            .collect();
        ranges.sort();
        // Overlapping ranges merged, so no day is read twice.
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for (from, to) in ranges {
            match merged.last_mut() {
                Some(prev) if from <= prev.1 + Duration::days(1) => prev.1 = prev.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        for (from, to) in merged {
            for (day, user, n) in counts.between(from, to) {
                let Some(&slot) = out.slots.get(&user) else {
                    continue;
                };
                let totals = n.totals();
                out.everyone[(day - first).num_days() as usize].add(&totals);
                if day >= span.from && day <= span.to {
                    out.span[slot].add(&totals);
                }
                let week = (day - weeks_from).num_days().div_euclid(7);
                if (0..weeks as i64).contains(&week) {
                    out.weeks[slot][week as usize].add(&totals);
                }
            }
        }
        out
    }

    /// One person's activities over the report's period.
    fn person(&self, who: Id) -> ActivityTotals {
        self.slots
            .get(&who)
            .map(|&slot| self.span[slot])
            .unwrap_or_default()
    }

    /// One person's activities in week `i` of the anomaly window.
    fn week(&self, who: Id, i: usize) -> ActivityTotals {
        self.slots
            .get(&who)
            .and_then(|&slot| self.weeks[slot].get(i))
            .copied()
            .unwrap_or_default()
    }

    /// Everyone's activities from `from` to `to`, both included.
    fn everyone(&self, from: NaiveDate, to: NaiveDate) -> ActivityTotals {
        let mut total = ActivityTotals::default();
        let index = |d: NaiveDate| (d - self.first).num_days();
        let (from, to) = (
            index(from).max(0),
            index(to).min(self.everyone.len() as i64 - 1),
        );
        for day in from..=to {
            total.add(&self.everyone[day as usize]);
        }
        total
    }
}

impl Guanxi {
    /// Kept between writes (`kept`): every activity write moves the
    /// store's change count, as user and company changes do.
    pub fn activity_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ActivityReport> {
        self.kept_report(&self.reports_kept.activity, me, params, now, || {
            self.work_out_activity_report(me, params, now)
        })
    }

    fn work_out_activity_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ActivityReport> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let grain = match params.grain.trim() {
            "" => default_grain(span),
            g @ ("day" | "week" | "month") => g,
            _ => return Err(Error::invalid(Field::Period, Problem::Unknown)),
        };
        let rep: Option<Id> = match params.rep.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        let team = params.team.trim();
        let people: Vec<User> = if me.role == Role::Rep {
            vec![me.clone()]
        } else {
            self.visible_active_users(me)?
        }
        .into_iter()
        .filter(|u| rep.is_none_or(|r| r == u.id))
        .filter(|u| team.is_empty() || u.team.as_deref() == Some(team))
        .collect();
        let names: HashMap<Id, String> = people.iter().map(|u| (u.id, u.name.clone())).collect();

        let previous = period::previous(span);
        let year_before = period::year_before(span);
        // Anomalies: the last full week (Monday to Sunday) and the twelve before.
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let last_week = this_monday - Duration::days(7);
        let weeks_from = last_week - Duration::days(7 * anomaly::TRAILING_WEEKS as i64);
        let earliest = [span.from, previous.from, year_before.from, weeks_from]
            .into_iter()
            .min()
            .unwrap_or(span.from);
        let latest = span.to.max(last_week + Duration::days(6));

        let shift = |d: NaiveDate| period::year_before(DateSpan { from: d, to: d }).from;
        // Days still to come have nothing to show: the chart stops today.
        let shown = DateSpan {
            from: span.from,
            to: span.to.min(today).max(span.from),
        };
        let ranges = [
            (span.from, span.to),
            (previous.from, previous.to),
            (year_before.from, year_before.to),
            (shift(shown.from), shift(shown.to)),
            (weeks_from, last_week + Duration::days(6)),
        ];
        let read = self.store.with_activity_counts(zone, |counts| {
            DaySums::read(
                counts,
                (earliest, latest),
                &ranges,
                &names,
                span,
                weeks_from,
            )
        })?;
        let sum = |from: NaiveDate, to: NaiveDate| read.everyone(from, to);
        let buckets = buckets(shown, grain)
            .into_iter()
            .map(|(from, to)| ActivityBucket {
                from,
                to,
                totals: sum(from, to),
                last_year: sum(shift(from), shift(to)),
            })
            .collect();
        let mut reps: Vec<RepActivity> = people
            .iter()
            .map(|u| RepActivity {
                user: u.id,
                name: u.name.clone(),
                totals: read.person(u.id),
            })
            .collect();
        reps.sort_by(|a, b| {
            b.totals
                .activities
                .cmp(&a.totals.activities)
                .then(a.name.cmp(&b.name))
        });

        let mut anomalies = Vec::new();
        let week_of = |i: usize, who: Option<Id>| match who {
            None => {
                let monday = weeks_from + Duration::days(7 * i as i64);
                sum(monday, monday + Duration::days(6))
            }
            Some(who) => read.week(who, i),
        };
        let whom: Vec<Option<Id>> = std::iter::once(None)
            .chain(
                (people.len() > 1)
                    .then(|| people.iter().map(|u| Some(u.id)))
                    .into_iter()
                    .flatten(),
            )
            .collect();
        for who in whom {
            let history: Vec<ActivityTotals> = (0..anomaly::TRAILING_WEEKS)
                .map(|i| week_of(i, who))
                .collect();
            // The last full week follows the trailing ones.
            let last = week_of(anomaly::TRAILING_WEEKS, who);
            for metric in ActivityMetric::ALL {
                let values: Vec<f64> = history.iter().map(|t| f64::from(t.get(metric))).collect();
                if let Some((low, high)) = anomaly::flag(f64::from(last.get(metric)), &values) {
                    anomalies.push(AnomalyFlag {
                        metric,
                        rep: who,
                        name: who.and_then(|w| names.get(&w).cloned()).unwrap_or_default(),
                        week: last_week,
                        value: last.get(metric),
                        low,
                        high,
                    });
                }
            }
        }
        Ok(ActivityReport {
            period: span,
            grain: grain.to_string(),
            totals: sum(span.from, span.to),
            previous: sum(previous.from, previous.to),
            last_year: sum(year_before.from, year_before.to),
            buckets,
            reps,
            anomalies,
        })
    }
}

#[cfg(test)]
impl Guanxi {
    /// The report as it was summed before `DaySums`: each figure off one
    /// map of (day, user); the reference the tests compare with.
    #[cfg(test)]
    fn activity_report_by_walking(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<ActivityReport> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let grain = match params.grain.trim() {
            "" => default_grain(span),
            g @ ("day" | "week" | "month") => g,
            _ => return Err(Error::invalid(Field::Period, Problem::Unknown)),
        };
        let rep: Option<Id> = match params.rep.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        let team = params.team.trim();
        let people: Vec<User> = if me.role == Role::Rep {
            vec![me.clone()]
        } else {
            self.visible_active_users(me)?
        }
        .into_iter()
        .filter(|u| rep.is_none_or(|r| r == u.id))
        .filter(|u| team.is_empty() || u.team.as_deref() == Some(team))
        .collect();
        let names: HashMap<Id, String> = people.iter().map(|u| (u.id, u.name.clone())).collect();

        let previous = period::previous(span);
        let year_before = period::year_before(span);
        // Anomalies: the last full week (Monday to Sunday) and the twelve before.
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let last_week = this_monday - Duration::days(7);
        let weeks_from = last_week - Duration::days(7 * anomaly::TRAILING_WEEKS as i64);
        let earliest = [span.from, previous.from, year_before.from, weeks_from]
            .into_iter()
            .min()
            .unwrap_or(span.from);
        let latest = span.to.max(last_week + Duration::days(6));

        // (day, user) → totals of the people in the report, read once.
        let days: std::collections::BTreeMap<(NaiveDate, Id), ActivityTotals> =
            self.store.with_activity_counts(zone, |counts| {
                counts
                    .between(earliest, latest)
                    .filter(|(_, user, _)| names.contains_key(user))
                    .map(|(day, user, n)| ((day, user), n.totals()))
                    .collect()
            })?;
        let sum = |from: NaiveDate, to: NaiveDate, who: Option<Id>| {
            let mut total = ActivityTotals::default();
            for ((_, user), t) in days.range((from, Id(0))..=(to, Id(u128::MAX))) {
                if who.is_none_or(|w| w == *user) {
                    total.add(t);
                }
            }
            total
        };
        let shift = |d: NaiveDate| period::year_before(DateSpan { from: d, to: d }).from;
        // Days still to come have nothing to show: the chart stops today.
        let shown = DateSpan {
            from: span.from,
            to: span.to.min(today).max(span.from),
        };
        let buckets = buckets(shown, grain)
            .into_iter()
            .map(|(from, to)| ActivityBucket {
                from,
                to,
                totals: sum(from, to, None),
                last_year: sum(shift(from), shift(to), None),
            })
            .collect();
        let mut reps: Vec<RepActivity> = people
            .iter()
            .map(|u| RepActivity {
                user: u.id,
                name: u.name.clone(),
                totals: sum(span.from, span.to, Some(u.id)),
            })
            .collect();
        reps.sort_by(|a, b| {
            b.totals
                .activities
                .cmp(&a.totals.activities)
                .then(a.name.cmp(&b.name))
        });

        let mut anomalies = Vec::new();
        let week_of =
            |monday: NaiveDate, who: Option<Id>| sum(monday, monday + Duration::days(6), who);
        let whom: Vec<Option<Id>> = std::iter::once(None)
            .chain(
                (people.len() > 1)
                    .then(|| people.iter().map(|u| Some(u.id)))
                    .into_iter()
                    .flatten(),
            )
            .collect();
        for who in whom {
            let history: Vec<ActivityTotals> = (0..anomaly::TRAILING_WEEKS as i64)
                .map(|i| week_of(weeks_from + Duration::days(7 * i), who))
                .collect();
            let last = week_of(last_week, who);
            for metric in ActivityMetric::ALL {
                let values: Vec<f64> = history.iter().map(|t| f64::from(t.get(metric))).collect();
                if let Some((low, high)) = anomaly::flag(f64::from(last.get(metric)), &values) {
                    anomalies.push(AnomalyFlag {
                        metric,
                        rep: who,
                        name: who.and_then(|w| names.get(&w).cloned()).unwrap_or_default(),
                        week: last_week,
                        value: last.get(metric),
                        low,
                        high,
                    });
                }
            }
        }
        Ok(ActivityReport {
            period: span,
            grain: grain.to_string(),
            totals: sum(span.from, span.to, None),
            previous: sum(previous.from, previous.to, None),
            last_year: sum(year_before.from, year_before.to, None),
            buckets,
            reps,
            anomalies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{ActivityInput, ActivityKind, CustomerInput};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_cover_the_span_by_day_week_or_month() {
        let span = DateSpan {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        };
        assert_eq!(buckets(span, "day").len(), 31);
        let weeks = buckets(span, "week");
        // 1 March 2026 is a Sunday: a one-day first week.
        assert_eq!(weeks[0], (d(2026, 3, 1), d(2026, 3, 1)));
        assert_eq!(weeks[1], (d(2026, 3, 2), d(2026, 3, 8)));
        assert_eq!(weeks.last(), Some(&(d(2026, 3, 30), d(2026, 3, 31))));
        let year = DateSpan {
            from: d(2026, 1, 1),
            to: d(2026, 12, 31),
        };
        assert_eq!(buckets(year, "month").len(), 12);
        assert_eq!(default_grain(span), "day");
        assert_eq!(default_grain(year), "month");
    }

    #[test]
    fn the_report_sums_as_the_walk_of_every_day_for_any_viewer_and_filter() {
        use super::super::test_support::person;
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@example.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@example.cn", Role::Rep, Some("华东"));
        let zhao = person(&gx, &admin, "zhao@example.cn", Role::Rep, Some("华北"));
        let manager = person(
            &gx,
            &admin,
            "manager@example.cn",
            Role::Manager,
            Some("华东"),
        );
        let now = Utc::now();
        let kinds = [
            ActivityKind::Call,
            ActivityKind::Visit,
            ActivityKind::Wechat,
            ActivityKind::Note,
            ActivityKind::Email,
        ];
        for (u, who) in [&li, &wang, &zhao, &manager].into_iter().enumerate() {
            let customer = gx
                .create_customer(
                    who,
                    CustomerInput {
                        name: format!("客户 {u}"),
                        ..Default::default()
                    },
                    Vec::new(),
                    true,
                )
                .unwrap();
            // Spread over the last 15 months, more in some weeks.
            for n in 0..60i64 {
                let days_ago = (n * n * 7 + u as i64 * 11) % 460;
                gx.log_activity(
                    who,
                    ActivityInput {
                        kind: kinds[(n as usize + u) % kinds.len()],
                        customer_id: customer.id,
                        contact_id: None,
                        at: Some(now - Duration::days(days_ago) - Duration::hours(n % 20)),
                        duration_minutes: Some((n % 9) as u32),
                        text: "跟进".into(),
                        deal_id: None,
                    },
                )
                .unwrap();
            }
        }
        let params = |period: &str, grain: &str, rep: &str, team: &str| ReportParams {
            period: period.into(),
            grain: grain.into(),
            rep: rep.into(),
            team: team.into(),
            ..Default::default()
        };
        let li_id = li.id.to_string();
        let choices = [
            params("", "", "", ""),
            params("quarter", "", "", ""),
            params("year", "week", "", ""),
            params("month", "day", &li_id, ""),
            params("quarter", "month", "", "华东"),
            params("year", "", "", "华北"),
        ];
        for me in [&admin, &manager, &li, &zhao] {
            for p in &choices {
                assert_eq!(
                    gx.activity_report(me, p, now).unwrap(),
                    gx.activity_report_by_walking(me, p, now).unwrap(),
                    "{} with {p:?}",
                    me.name
                );
            }
        }
        let year = gx
            .activity_report(&admin, &params("year", "", "", ""), now)
            .unwrap();
        assert!(year.totals.activities > 0 && year.reps.len() > 1);
    }

    #[test]
    fn activities_are_counted_per_kind_rep_and_day() {
        let (_dir, gx, admin) = set_up_company();
        let customer = gx
            .create_customer(
                &admin,
                CustomerInput {
                    name: "星辰科技".into(),
                    ..Default::default()
                },
                Vec::new(),
                true,
            )
            .unwrap();
        let log = |kind, minutes| {
            gx.log_activity(
                &admin,
                ActivityInput {
                    kind,
                    customer_id: customer.id,
                    contact_id: None,
                    at: None,
                    duration_minutes: minutes,
                    text: "跟进".into(),
                    deal_id: None,
                },
            )
            .unwrap();
        };
        log(ActivityKind::Call, Some(12));
        log(ActivityKind::Call, Some(3));
        log(ActivityKind::Wechat, None);
        log(ActivityKind::Visit, None);
        log(ActivityKind::Note, None);
        let report = gx
            .activity_report(&admin, &ReportParams::default(), Utc::now())
            .unwrap();
        let expected = ActivityTotals {
            activities: 5,
            calls: 2,
            call_minutes: 15,
            visits: 1,
            messages: 1,
        };
        assert_eq!(report.totals, expected);
        assert_eq!(report.grain, "day");
        let today = Utc::now().with_timezone(&gx.company_zone()).date_naive();
        let bucket = report.buckets.iter().find(|b| b.from == today).unwrap();
        assert_eq!(bucket.totals, expected);
        assert_eq!(report.reps[0].user, admin.id);
        assert_eq!(report.reps[0].totals.calls, 2);
        assert_eq!(report.previous, ActivityTotals::default());
        // Too few weeks of history to call anything unusual.
        assert!(report.anomalies.is_empty());
    }

    #[test]
    fn a_kept_report_follows_every_activity_write() {
        let (_dir, gx, admin) = set_up_company();
        let customer = gx
            .create_customer(
                &admin,
                CustomerInput {
                    name: "云帆物流".into(),
                    ..Default::default()
                },
                Vec::new(),
                true,
            )
            .unwrap();
        let params = ReportParams::default();
        let calls = || {
            gx.activity_report(&admin, &params, Utc::now())
                .unwrap()
                .totals
                .calls
        };
        assert_eq!(calls(), 0);
        let call = gx
            .log_activity(
                &admin,
                ActivityInput {
                    kind: ActivityKind::Call,
                    customer_id: customer.id,
                    contact_id: None,
                    at: None,
                    duration_minutes: Some(4),
                    text: "报价".into(),
                    deal_id: None,
                },
            )
            .unwrap();
        assert_eq!(calls(), 1);
        gx.delete_activity(&admin, call.id).unwrap();
        assert_eq!(calls(), 0);
    }
}
