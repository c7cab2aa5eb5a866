//! Customer analytics: the KPIs of a period against the period before and
//! the same days last year, customers created per month by type, and each
//! year's customers by the type they have now. Read from tallies per owner
//! and day (`customer_kpis::Tallies`), made from memory (the directory, the
//! deal boards with each deal's history, the activity times per customer)
//! and made again after any change to those.
//!
//! Whose numbers: customers by their owner now, deals by their owners, as
//! the other reports (a rep their own, a manager their team's, an admin
//! all; the rep and team filters narrow that). Without a filter a manager
//! and an admin also count the public pool, as the customer list they
//! drill down to shows it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::Guanxi;
use crate::domain::customer_kpis::{self, CustomerFacts, Tallies, WonDeal};
use crate::domain::{period, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    BUILT_IN_CUSTOMER_TYPES, CohortReport, DealStatus, Id, KpiReport, ReportParams, Role,
    TypeColumn, User,
};

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

    /// Whether the deals of `owners` (lead owner first) count.
    fn has_deal(&self, owners: &[Id]) -> bool {
        let ids = owners;
        let owners: Vec<&User> = ids.iter().filter_map(|id| self.users.get(id)).collect();
        visibility::can_see_deal(&self.me, &owners)
            && self.rep.is_none_or(|rep| ids.contains(&rep))
            && self.team.as_ref().is_none_or(|team| {
                owners
                    .iter()
                    .any(|o| o.team.as_deref() == Some(team.as_str()))
            })
    }
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

/// The tallies of one time zone, as of a count of the store's changes.
pub(super) struct CachedTallies {
    changes: u64,
    zone: chrono_tz::Tz,
    tallies: Arc<Tallies>,
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

    /// The customer tallies in the company's time zone, made again when
    /// customers, deals or activities changed since they were made (about
    /// 25 ms on `large`); one request makes them while the others wait.
    fn customer_tallies(&self, zone: chrono_tz::Tz) -> Result<Arc<Tallies>> {
        let mut cached = self
            .customer_tallies
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let changes = self.store.changes();
        if let Some(c) = cached.as_ref()
            && c.changes == changes
            && c.zone == zone
        {
            return Ok(c.tallies.clone());
        }
        let tallies = Arc::new(self.count_tallies(zone)?);
        *cached = Some(CachedTallies {
            changes,
            zone,
            tallies: tallies.clone(),
        });
        Ok(tallies)
    }

    /// Every customer with its first won deal (whoever won it: a customer
    /// in scope may have won with a colleague), and every won deal with
    /// the activities on its customer from its creation to its win.
    fn count_tallies(&self, zone: chrono_tz::Tz) -> Result<Tallies> {
        let (first, won) = self.store.with_deal_boards(|boards| {
            let mut wins = Vec::new();
            let mut won = Vec::new();
            for deal in boards.all_deals() {
                if deal.status != DealStatus::Won {
                    continue;
                }
                let history = boards.history(deal.id);
                let (Some(created), Some(won_at)) = (history.first(), history.last()) else {
                    continue;
                };
                wins.push((deal.customer_id, won_at.at, deal.amount));
                won.push((deal.customer_id, deal.owners.clone(), created.at, won_at.at));
            }
            (customer_kpis::first_wins(wins), won)
        })?;
        let mut tallies = Tallies::new(zone);
        self.store.with_activity_counts(zone, |counts| {
            for (customer, owners, created_at, won_at) in won {
                let follow_ups = counts.of_customer_between(customer, created_at, won_at);
                tallies.add_won_deal(
                    &owners,
                    WonDeal {
                        created_at,
                        won_at,
                        follow_ups,
                    },
                );
            }
        })?;
        // The rows as they lie in memory (see `every_customer`).
        for (created_at, id, owner, customer_type) in self.store.directory().every_customer() {
            let customer = CustomerFacts {
                created_at,
                customer_type,
                first_win: first.get(&id).copied(),
            };
            tallies.add_customer(owner, customer);
        }
        Ok(tallies)
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
        let people = self.customer_people(me, params)?;
        let tallies = self.customer_tallies(zone)?;
        let [current, previous, last_year] = spans.map(|span| {
            tallies.figures(
                span,
                |owner| people.has_customer(owner),
                |owners| people.has_deal(owners),
            )
        });
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
        let people = self.customer_people(me, params)?;
        let tallies = self.customer_tallies(zone)?;

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

        let counted = |owner| people.has_customer(owner);
        let mut cohorts = tallies.cohorts(&codes, counted);
        let mut created = tallies.created_by_month(&codes, &months, counted);
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
        let now = Utc::now() + chrono::Duration::seconds(1);
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

        // A new customer counts at once: the tallies are made again.
        gx.create_customer(
            &li,
            CustomerInput {
                name: "李的客户三".into(),
                customer_type: "agent".into(),
                ..Default::default()
            },
            Vec::new(),
            true,
        )
        .unwrap();
        let now = Utc::now() + chrono::Duration::seconds(1);
        assert_eq!(
            gx.kpi_report(&li, &params, now)
                .unwrap()
                .current
                .new_customers,
            3
        );
        let everyone = gx.cohort_report(&admin, &params, now).unwrap();
        assert_eq!(everyone.cohorts[0].counts, vec![1, 1, 2, 0]);
    }
}
