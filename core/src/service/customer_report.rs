//! Customer analytics: the KPIs of a period against the period before and
//! the same days last year, customers created per month by type, and each
//! year's customers by the type they have now. Read from memory: the
//! directory's creation order, the deal boards (each deal's history gives
//! its creation and its win) and the activity times per customer.
//!
//! Whose numbers: customers by their owner now, deals by their owners, as
//! the other reports (a rep their own, a manager their team's, an admin
//! all; the rep and team filters narrow that). Without a filter a manager
//! and an admin also count the public pool, as the customer list they
//! drill down to shows it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::Guanxi;
use crate::domain::customer_kpis::{self, CustomerFacts, WonDeal};
use crate::domain::{period, time, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    BUILT_IN_CUSTOMER_TYPES, CohortReport, DateSpan, DealStatus, Id, KpiReport, ReportParams, Role,
    TypeColumn, User,
};
use crate::store::BoardDeal;

/// Whose customers and deals a customer report counts.
struct People {
    me: User,
    users: HashMap<Id, User>,
    /// Owners whose customers count; `None`: every owner.
    owners: Option<HashSet<Id>>,
    /// Whether customers in the public pool count.
    pool: bool,
    rep: Option<Id>,
    team: Option<String>,
    /// The customer list's filters that select the same customers.
    list: Option<String>,
}

impl People {
    fn has_customer(&self, owner: Option<Id>) -> bool {
        match owner {
            None => self.pool,
            Some(owner) => self.owners.as_ref().is_none_or(|o| o.contains(&owner)),
        }
    }

    fn has_deal(&self, deal: &BoardDeal) -> bool {
        let owners: Vec<&User> = deal
            .owners
            .iter()
            .filter_map(|id| self.users.get(id))
            .collect();
        visibility::can_see_deal(&self.me, &owners)
            && self.rep.is_none_or(|rep| deal.owners.contains(&rep))
            && self.team.as_ref().is_none_or(|team| {
                owners
                    .iter()
                    .any(|o| o.team.as_deref() == Some(team.as_str()))
            })
    }
}

/// A customer of the directory as the KPIs see it, when `people` count it.
fn facts<'a>(
    people: &People,
    first: &customer_kpis::FirstWins,
    (created_at, id, owner, customer_type): (DateTime<Utc>, Id, Option<Id>, &'a str),
) -> Option<CustomerFacts<'a>> {
    people.has_customer(owner).then(|| CustomerFacts {
        created_at,
        customer_type,
        first_win: first.get(&id).copied(),
    })
}

/// `text` as a URL's query value.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The span's first instant and the instant after its last day.
fn instants(
    zone: chrono_tz::Tz,
    span: DateSpan,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let instant = |day| time::start_of_day(zone, day).unwrap_or(now);
    (instant(span.from), instant(span.to + Duration::days(1)))
}

impl Guanxi {
    fn customer_people(&self, me: &User, params: &ReportParams) -> Result<People> {
        let users = self.users_by_id()?;
        let rep: Option<Id> = match params.rep.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        let team = Some(params.team.trim().to_string()).filter(|t| !t.is_empty());
        let narrowed = rep.is_some() || team.is_some();
        let chosen = |u: &&User| {
            visibility::can_see(me, Some(u))
                && rep.is_none_or(|r| r == u.id)
                && team.as_deref().is_none_or(|t| u.team.as_deref() == Some(t))
        };
        // The customer list's filters for the same customers: its "mine"
        // or an owner, and the team.
        let mut list: Vec<String> = Vec::new();
        let (owners, pool) = if me.role == Role::Rep {
            let mine = rep.is_none_or(|r| r == me.id)
                && team
                    .as_deref()
                    .is_none_or(|t| me.team.as_deref() == Some(t));
            list.push("scope=mine".into());
            let owners = if mine {
                HashSet::from([me.id])
            } else {
                HashSet::new()
            };
            (Some(owners), false)
        } else if narrowed {
            if let Some(rep) = rep {
                list.push(format!("owner={rep}"));
            }
            let owners: HashSet<Id> = users.values().filter(chosen).map(|u| u.id).collect();
            (Some(owners), false)
        } else if me.role.is_admin() {
            (None, true)
        } else {
            let owners = users.values().filter(chosen).map(|u| u.id).collect();
            (Some(owners), true)
        };
        if let Some(team) = &team {
            list.push(format!("team={}", encode(team)));
        }
        let list = Some(list.join("&"));
        Ok(People {
            me: me.clone(),
            users,
            owners,
            pool,
            rep,
            team,
            list,
        })
    }

    /// Each customer's first won deal, from every won deal (whoever owns
    /// it: a customer in scope may have won with a colleague), and the won
    /// deals in scope won between `from` and `to`: (customer, created, won).
    #[allow(clippy::type_complexity)]
    fn won_deals(
        &self,
        people: &People,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(
        customer_kpis::FirstWins,
        Vec<(Id, DateTime<Utc>, DateTime<Utc>)>,
    )> {
        self.store.with_deal_boards(|boards| {
            let mut wins = Vec::new();
            let mut scoped = Vec::new();
            for deal in boards.all_deals() {
                if deal.status != DealStatus::Won {
                    continue;
                }
                let history = boards.history(deal.id);
                let (Some(created), Some(won)) = (history.first(), history.last()) else {
                    continue;
                };
                wins.push((deal.customer_id, won.at, deal.amount));
                if won.at >= from && won.at < to && people.has_deal(deal) {
                    scoped.push((deal.customer_id, created.at, won.at));
                }
            }
            (customer_kpis::first_wins(wins), scoped)
        })
    }

    /// The KPIs of the period, the period of the same length before it and
    /// the same days a year earlier.
    pub fn kpi_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<KpiReport> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let spans = [span, period::previous(span), period::year_before(span)];
        let bounds = spans.map(|s| instants(zone, s, now));
        let earliest = bounds.iter().map(|b| b.0).min().unwrap_or(now);
        let latest = bounds.iter().map(|b| b.1).max().unwrap_or(now);
        let people = self.customer_people(me, params)?;

        let (first, scoped) = self.won_deals(&people, earliest, latest)?;
        let won: Vec<WonDeal> = self.store.with_activity_counts(zone, |counts| {
            scoped
                .iter()
                .map(|&(customer, created_at, won_at)| WonDeal {
                    created_at,
                    won_at,
                    follow_ups: counts.of_customer_between(customer, created_at, won_at),
                })
                .collect()
        })?;

        // One pass over the rows as they lie: the customers created in a
        // span, and those created before whose first win falls in one.
        let directory = self.store.directory();
        let customers: Vec<CustomerFacts> = directory
            .every_customer()
            .filter_map(|row| facts(&people, &first, row))
            .filter(|c| {
                (c.created_at >= earliest && c.created_at < latest)
                    || c.first_win
                        .is_some_and(|(at, _)| at >= earliest && at < latest)
            })
            .collect();
        let [current, previous, last_year] = [0, 1, 2]
            .map(|i| customer_kpis::figures(spans[i], bounds[i].0, bounds[i].1, &customers, &won));
        Ok(KpiReport {
            current,
            previous,
            last_year,
            customers_filter: people.list,
        })
    }

    /// Customers created per month by type (the months of the period, and
    /// at least the twelve up to its end) and every year's customers by
    /// their type now, with the days to their first won deal.
    pub fn cohort_report(
        &self,
        me: &User,
        params: &ReportParams,
        now: DateTime<Utc>,
    ) -> Result<CohortReport> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let span = period::span(&params.period, &params.from, &params.to, today)?;
        let months = customer_kpis::chart_months(span);
        let (first_month, last_month) = (months[0], months[months.len() - 1]);
        let (ny, nm) = period::add_months(last_month.0, last_month.1, 1);
        let instant = |day| time::start_of_day(zone, day).unwrap_or(now);
        let months_from = instant(period::first_of(first_month.0, first_month.1));
        let months_to = instant(period::first_of(ny, nm));
        let people = self.customer_people(me, params)?;
        let (first, _) = self.won_deals(&people, now, now)?;

        let custom = self.store.customer_types()?;
        let mut columns: Vec<TypeColumn> = ["signed", "potential", "agent", "invalid"]
            .into_iter()
            .filter(|code| BUILT_IN_CUSTOMER_TYPES.contains(code))
            .map(|code| TypeColumn {
                code: code.to_string(),
                label: None,
            })
            .chain(custom.custom.iter().map(|t| TypeColumn {
                code: t.code.clone(),
                label: Some(t.label.clone()),
            }))
            .collect();
        // Types no column names (none, unless a type was lost) count last.
        columns.push(TypeColumn {
            code: String::new(),
            label: None,
        });
        let codes: Vec<String> = columns.iter().map(|c| c.code.clone()).collect();

        let directory = self.store.directory();
        let facts = |row| facts(&people, &first, row);
        let mut cohorts =
            customer_kpis::cohorts(directory.every_customer().filter_map(facts), &codes, zone);
        let mut created = customer_kpis::created_by_month(
            // Sequential rows beat the creation order even for a year of
            // them (see `every_customer`).
            directory
                .every_customer()
                .filter(|(at, ..)| *at >= months_from && *at < months_to)
                .filter_map(facts),
            &codes,
            &months,
            zone,
        );
        drop(directory);
        let others = cohorts.iter().any(|c| c.counts.last() != Some(&0));
        if !others {
            columns.pop();
            for counts in cohorts
                .iter_mut()
                .map(|c| &mut c.counts)
                .chain(created.iter_mut().map(|m| &mut m.counts))
            {
                counts.pop();
            }
        }
        Ok(CohortReport {
            customers_filter: people.list,
            types: columns,
            months: created,
            cohorts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{Cents, CustomerInput, DealInput, ListParams, Outcome};

    #[test]
    fn a_rep_sees_only_their_own_customers_in_the_kpis_and_cohorts() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@example.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@example.cn", Role::Rep, Some("华北"));
        let mut customers = Vec::new();
        for (who, name, kind) in [
            (&li, "李的客户一", "potential"),
            (&li, "李的客户二", "signed"),
            (&wang, "王的客户", "agent"),
        ] {
            customers.push(
                gx.create_customer(
                    who,
                    CustomerInput {
                        name: name.into(),
                        customer_type: kind.into(),
                        ..Default::default()
                    },
                    Vec::new(),
                    true,
                )
                .unwrap(),
            );
        }
        // Li wins a deal of ¥30,000 with her second customer after two calls.
        let deal = gx
            .create_deal(
                &li,
                DealInput {
                    customer_id: Some(customers[1].id),
                    title: "ERP".into(),
                    amount: "30000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        for _ in 0..2 {
            gx.log_activity(
                &li,
                crate::model::ActivityInput {
                    kind: crate::model::ActivityKind::Call,
                    customer_id: customers[1].id,
                    contact_id: None,
                    at: None,
                    duration_minutes: Some(5),
                    text: "回访".into(),
                    deal_id: None,
                },
            )
            .unwrap();
        }
        gx.close_deal(&li, deal.id, Outcome::Won, "price", None)
            .unwrap();

        let params = ReportParams::default();
        let now = Utc::now() + Duration::seconds(1);
        let mine = gx.kpi_report(&li, &params, now).unwrap();
        assert_eq!(mine.current.new_customers, 2);
        assert_eq!(mine.current.converted, 1);
        assert_eq!(mine.current.conversion_rate, Some(0.5));
        assert_eq!(mine.current.won_deals, 1);
        assert_eq!(mine.current.follow_ups, 2);
        assert_eq!(mine.current.follow_ups_per_won_deal, Some(2.0));
        assert_eq!(mine.current.first_deals, 1);
        assert_eq!(mine.current.first_deal_value, Some(Cents(3_000_000)));
        assert!(mine.current.average_cycle_days.unwrap() < 0.01);
        assert_eq!(mine.previous.new_customers, 0);
        assert_eq!(mine.last_year.won_deals, 0);
        assert_eq!(mine.customers_filter.as_deref(), Some("scope=mine"));

        let all = gx.kpi_report(&admin, &params, now).unwrap();
        assert_eq!(all.current.new_customers, 3);
        let wangs = ReportParams {
            rep: wang.id.to_string(),
            ..Default::default()
        };
        let his = gx.kpi_report(&admin, &wangs, now).unwrap();
        assert_eq!(his.current.new_customers, 1);
        assert_eq!(his.current.won_deals, 0);
        assert_eq!(his.customers_filter, Some(format!("owner={}", wang.id)));
        let team = ReportParams {
            team: "华东".into(),
            ..Default::default()
        };
        let east = gx.cohort_report(&admin, &team, now).unwrap();
        assert_eq!(east.cohorts[0].customers, 2);
        assert_eq!(
            east.customers_filter.as_deref(),
            Some("team=%E5%8D%8E%E4%B8%9C")
        );
        // The customer list of that team holds the same two.
        let of_team = ListParams {
            team: "华东".into(),
            ..Default::default()
        };
        let query = of_team.to_query(&admin, gx.company_zone(), 50).unwrap();
        assert_eq!(gx.list_customers(&admin, &query).unwrap().0, 2);

        let cohorts = gx.cohort_report(&li, &params, now).unwrap();
        let codes: Vec<&str> = cohorts.types.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, ["signed", "potential", "agent", "invalid"]);
        assert_eq!(cohorts.cohorts.len(), 1);
        let year = &cohorts.cohorts[0];
        assert_eq!(year.customers, 2);
        assert_eq!(year.counts, vec![1, 1, 0, 0]);
        assert_eq!(year.won, 1);
        assert!(year.average_days_to_first_win.is_some());
        assert_eq!(cohorts.months.len(), 12);
        assert_eq!(cohorts.months[11].counts, vec![1, 1, 0, 0]);

        // The list behind a cell shows as many customers as the cell.
        let list = ListParams {
            scope: "mine".into(),
            customer_type: "signed".into(),
            created_from: format!("{}-01-01", year.year),
            created_to: format!("{}-12-31", year.year),
            ..Default::default()
        };
        let query = list.to_query(&li, gx.company_zone(), 50).unwrap();
        assert_eq!(gx.list_customers(&li, &query).unwrap().0, 1);
        let everyone = gx.cohort_report(&admin, &params, now).unwrap();
        assert_eq!(everyone.cohorts[0].counts, vec![1, 1, 1, 0]);
    }
}
