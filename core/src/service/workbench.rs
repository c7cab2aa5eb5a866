//! The workbench (工作台): what a rep opens every morning — hot customers,
//! today's and overdue tasks, stalled deals, customers about to return to
//! the pool, and this month's numbers; a manager's covers the team with a
//! row per rep. Everything is read from memory (the directory, the deal
//! boards, the activity counts) except a few records to name.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};

use super::Guanxi;
use crate::domain::{deals, period, time};
use crate::error::Result;
use crate::model::{
    Cents, DueTask, HotCustomer, Id, RepNumbers, RepRow, ReturningCustomer, Role, StalledDeal,
    User, Workbench,
};
use crate::store::{CustomerQuery, OwnerFilter, SortBy};

/// The most entries each list of the workbench shows.
const LIST_LIMIT: usize = 10;
/// Customers returning to the pool within this many days are listed.
const RETURN_WARNING_DAYS: i64 = 7;

impl Guanxi {
    pub fn workbench(&self, me: &User, now: DateTime<Utc>) -> Result<Workbench> {
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let (year, month) = (today.year(), today.month());
        let month_start = period::first_of(year, month);
        let (ly, lm) = period::add_months(year, month, -1);
        let last_start = period::first_of(ly, lm);
        let instant = |d| time::start_of_day(zone, d).unwrap_or(now);
        let elapsed = now - instant(month_start);
        let this_span = (instant(month_start), now);
        let last_span = (instant(last_start), instant(last_start) + elapsed);

        let people: Vec<User> = if me.role == Role::Rep {
            vec![me.clone()]
        } else {
            self.visible_active_users(me)?
        };
        let ids: HashSet<Id> = people.iter().map(|u| u.id).collect();
        let names: HashMap<Id, String> = self
            .store
            .users()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();

        let mut this: HashMap<Id, RepNumbers> = HashMap::new();
        let mut last: HashMap<Id, RepNumbers> = HashMap::new();
        {
            let directory = self.store.directory();
            for (span, out) in [(this_span, &mut this), (last_span, &mut last)] {
                for (_, _, owner, _) in directory.created_between(span.0, span.1) {
                    if let Some(owner) = owner.filter(|o| ids.contains(o)) {
                        out.entry(owner).or_default().new_customers += 1;
                    }
                }
            }
        }
        let last_day = |span: (DateTime<Utc>, DateTime<Utc>)| {
            (span.1 - Duration::microseconds(1))
                .with_timezone(&zone)
                .date_naive()
        };
        self.store.with_activity_counts(zone, |counts| {
            for (span, from, out) in [
                (this_span, month_start, &mut this),
                (last_span, last_start, &mut last),
            ] {
                for (_, user, n) in counts.between(from, last_day(span)) {
                    if ids.contains(&user) {
                        out.entry(user).or_default().activities += n.total();
                    }
                }
            }
        })?;

        let pipelines = self.store.pipelines()?;
        // Won and open amounts per lead owner from the deal tallies:
        // O(owner sets), not O(deals).
        for pipeline in &pipelines {
            let tallies = self.deal_tallies(pipeline)?;
            for group in tallies.groups() {
                let Some(&lead) = group.owners.first().filter(|o| ids.contains(o)) else {
                    continue;
                };
                this.entry(lead).or_default().open.0 += group.open_amount().0;
                for (span, out) in [(this_span, &mut this), (last_span, &mut last)] {
                    out.entry(lead).or_default().won.0 += group.won_between(span.0, span.1).0;
                }
            }
        }
        let mut stalled_per: HashMap<Id, u32> = HashMap::new();
        let stalled = self.store.with_deal_boards(|boards| {
            // Every stalled open deal, read off the order its group of
            // deals entered their stage in, oldest first: (entered, deal,
            // stage, lead). No deal is read but the few shown; an admin's
            // thousands of stalled deals were a third of the page's time.
            let mut found = Vec::new();
            for pipeline in &pipelines {
                for view in boards.buckets(pipeline.id) {
                    let Some(lead) = view.owner_ids().next().filter(|o| ids.contains(o)) else {
                        continue;
                    };
                    let Some(stage) = pipeline.stage(view.stage) else {
                        continue;
                    };
                    let Some(limit) = stage.stall_days else {
                        continue;
                    };
                    // Stalled: more than `limit` whole days in the stage.
                    let by = now - Duration::days(i64::from(limit) + 1);
                    let by_micros = by.timestamp_micros();
                    for (entered, id) in view.bucket.open_entered_by(by_micros) {
                        // The order keeps whole microseconds: in the last
                        // one, only the deal's own time tells.
                        if entered == by_micros
                            && boards.deal(id).is_none_or(|d| d.stage_entered_at > by)
                        {
                            continue;
                        }
                        *stalled_per.entry(lead).or_default() += 1;
                        found.push((entered, id, stage, lead));
                    }
                }
            }
            // Shown: the most days in the stage first, a day's deals by
            // id. Only deals no newer than the day of the tenth oldest can
            // be among them.
            if found.len() > LIST_LIMIT {
                found.select_nth_unstable_by_key(LIST_LIMIT - 1, |f| (f.0, f.1));
                let tenth = found[LIST_LIMIT - 1].1;
                if let Some(deal) = boards.deal(tenth) {
                    let days = deals::days_in_stage(deal.stage_entered_at, now);
                    let cut = (now - Duration::days(days)).timestamp_micros();
                    found.retain(|f| f.0 <= cut);
                }
            }
            let mut shown: Vec<_> = found
                .into_iter()
                .filter_map(|(_, id, stage, lead)| {
                    let deal = boards.deal(id)?;
                    Some((
                        deals::days_in_stage(deal.stage_entered_at, now),
                        deal,
                        stage,
                        lead,
                    ))
                })
                .collect();
            shown.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
            shown
                .into_iter()
                .take(LIST_LIMIT)
                .map(|(days, deal, stage, lead)| {
                    (
                        deal.customer_id,
                        StalledDeal {
                            id: deal.id,
                            title: deal.title.to_string(),
                            customer_name: String::new(),
                            stage: stage.clone(),
                            days_in_stage: days,
                            amount: deal.amount,
                            owner_name: names.get(&lead).cloned().unwrap_or_default(),
                        },
                    )
                })
                .collect::<Vec<_>>()
        })?;

        let visible = if me.role.is_admin() {
            OwnerFilter::Visible
        } else if me.role == Role::Rep {
            OwnerFilter::User(me.id)
        } else {
            OwnerFilter::Visible
        };
        let hot_query = CustomerQuery {
            owner: visible,
            hot: Some(true),
            sort: SortBy::Updated,
            descending: true,
            limit: LIST_LIMIT,
            ..Default::default()
        };
        // A rep's own are few, found by the owner index; everyone's are
        // read off the order of the latest change until ten are hot.
        let hot_ids = if me.role == Role::Rep {
            self.list_customer_ids(me, &hot_query)?.1
        } else {
            self.first_customer_ids(me, &hot_query)?
        };
        let hot = self
            .store
            .customers(&hot_ids)?
            .into_iter()
            .map(|c| HotCustomer {
                id: c.id,
                name: c.name,
                hint: c.hot.map(|h| h.hint).unwrap_or_default(),
            })
            .collect();

        let end_of_today = instant(today + Duration::days(1));
        let mut overdue_per: HashMap<Id, u32> = HashMap::new();
        let mut due: Vec<Id> = Vec::new();
        // The unfinished tasks, in memory by assignee and due date: the
        // overdue ones and the first due by tonight, not every task.
        self.store.with_activity_counts(zone, |counts| {
            for person in &people {
                let overdue = counts
                    .open_tasks_of(person.id)
                    .take_while(|(at, _)| *at < now)
                    .count() as u32;
                if overdue > 0 {
                    overdue_per.insert(person.id, overdue);
                }
                if person.id == me.id {
                    due = counts
                        .open_tasks_of(person.id)
                        .take_while(|(at, _)| *at < end_of_today)
                        .take(LIST_LIMIT * 2)
                        .map(|(_, id)| id)
                        .collect();
                }
            }
        })?;
        let mut tasks = Vec::with_capacity(due.len());
        for id in due {
            if let Some(task) = self.store.task(id)?
                && task.done_at.is_none()
                && task.due < end_of_today
            {
                tasks.push(task);
            }
        }
        tasks.sort_by_key(|t| (t.due, t.id));
        let settings = self.store.customer_settings()?;
        let directory = self.store.directory();
        // Named after the boards' lock is let go: boards before directory.
        let stalled: Vec<StalledDeal> = stalled
            .into_iter()
            .map(|(customer, mut deal)| {
                deal.customer_name = directory.customer_name(customer).unwrap_or_default();
                deal
            })
            .collect();
        let tasks: Vec<DueTask> = tasks
            .into_iter()
            .take(LIST_LIMIT * 2)
            .map(|t| DueTask {
                id: t.id,
                overdue: t.is_overdue(now),
                due: time::local_time(zone, t.due),
                customer_name: t.customer_id.and_then(|c| directory.customer_name(c)),
                customer_id: t.customer_id,
                title: t.title,
            })
            .collect();
        drop(directory);

        let returning = self.returning_customers(me, &people, now, settings.pool_return_days)?;

        let sum = |per: &HashMap<Id, RepNumbers>| {
            per.values().fold(RepNumbers::default(), |mut acc, n| {
                acc.new_customers += n.new_customers;
                acc.activities += n.activities;
                acc.won.0 += n.won.0;
                acc.open.0 += n.open.0;
                acc
            })
        };
        let team = if me.role == Role::Rep {
            Vec::new()
        } else {
            people
                .iter()
                .map(|u| RepRow {
                    user: u.id,
                    name: u.name.clone(),
                    numbers: this.get(&u.id).cloned().unwrap_or_default(),
                    overdue_tasks: overdue_per.get(&u.id).copied().unwrap_or(0),
                    stalled_deals: stalled_per.get(&u.id).copied().unwrap_or(0),
                })
                .collect()
        };
        let mut last_numbers = sum(&last);
        // Open pipeline is a figure of now; last month's is not kept.
        last_numbers.open = Cents(0);
        Ok(Workbench {
            month: period::month_key(year, month),
            numbers: sum(&this),
            last_month: last_numbers,
            hot,
            tasks,
            stalled,
            returning,
            pool_return_days: settings.pool_return_days,
            team,
            target: self.my_target_progress(me)?,
        })
    }

    /// Customers of `people` returning to the pool within a week, the
    /// first to return first: of each person's customers the longest
    /// untouched (as the customer list sorts them), each one's return
    /// date worked out from its activities, won deals and owner changes.
    /// That takes a few reads a customer, so they are taken in the order
    /// of the earliest their clock can have started (creation or latest
    /// activity, known in memory), and the walk stops as soon as no later
    /// one can be within the week or among the first `LIST_LIMIT`: O(people
    /// × a page of their customers) in memory, reads only for those shown
    /// or nearly.
    fn returning_customers(
        &self,
        me: &User,
        people: &[User],
        now: DateTime<Utc>,
        pool_return_days: u32,
    ) -> Result<Vec<ReturningCustomer>> {
        let mut returning: Vec<ReturningCustomer> = Vec::new();
        if pool_return_days == 0 {
            return Ok(returning);
        }
        let zone = self.company_zone();
        let limit = Duration::days(pool_return_days.into());
        let warning = Duration::days(RETURN_WARNING_DAYS);
        let mut candidates = Vec::new();
        for person in people {
            // Never contacted first, then the longest untouched.
            let query = CustomerQuery {
                owner: OwnerFilter::User(person.id),
                sort: SortBy::LastActivity,
                limit: LIST_LIMIT * 3,
                ..Default::default()
            };
            let (_, ids) = self.list_customer_ids(me, &query)?;
            let directory = self.store.directory();
            for id in ids {
                if let Some(since) = directory.worked_on_since(id) {
                    candidates.push((since, id, person));
                }
            }
        }
        candidates.sort_by_key(|&(since, id, _)| (since, id));
        for (since, id, person) in candidates {
            let Some(earliest) = DateTime::from_timestamp_micros(since).map(|t| t + limit) else {
                continue;
            };
            if earliest - now > warning {
                break;
            }
            if returning.len() >= LIST_LIMIT
                && returning
                    .last()
                    .is_some_and(|r| earliest.with_timezone(&zone).date_naive() > r.returns_on)
            {
                break;
            }
            let Some(customer) = self.store.customers(&[id])?.into_iter().next() else {
                continue;
            };
            let Some(at) = self.pool_return_at(&customer)? else {
                continue;
            };
            if at - now <= warning {
                returning.push(ReturningCustomer {
                    id: customer.id,
                    name: customer.name,
                    returns_on: at.with_timezone(&zone).date_naive(),
                    days_left: (at - now).num_days().max(0),
                    owner_name: person.name.clone(),
                });
                returning.sort_by_key(|r| (r.returns_on, r.id));
                returning.truncate(LIST_LIMIT);
            }
        }
        Ok(returning)
    }

    /// The workbench as it was made before the kept aggregates: every
    /// deal, every task and each returning candidate read; the reference
    /// the tests compare with.
    #[cfg(test)]
    fn workbench_by_walking(&self, me: &User, now: DateTime<Utc>) -> Result<Workbench> {
        use crate::model::DealStatus;
        let zone = self.company_zone();
        let today = now.with_timezone(&zone).date_naive();
        let (year, month) = (today.year(), today.month());
        let month_start = period::first_of(year, month);
        let (ly, lm) = period::add_months(year, month, -1);
        let last_start = period::first_of(ly, lm);
        let instant = |d| time::start_of_day(zone, d).unwrap_or(now);
        let elapsed = now - instant(month_start);
        let this_span = (instant(month_start), now);
        let last_span = (instant(last_start), instant(last_start) + elapsed);

        let people: Vec<User> = if me.role == Role::Rep {
            vec![me.clone()]
        } else {
            self.visible_active_users(me)?
        };
        let ids: HashSet<Id> = people.iter().map(|u| u.id).collect();
        let names: HashMap<Id, String> = self
            .store
            .users()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();

        let mut this: HashMap<Id, RepNumbers> = HashMap::new();
        let mut last: HashMap<Id, RepNumbers> = HashMap::new();
        {
            let directory = self.store.directory();
            for (span, out) in [(this_span, &mut this), (last_span, &mut last)] {
                for (_, _, owner, _) in directory.created_between(span.0, span.1) {
                    if let Some(owner) = owner.filter(|o| ids.contains(o)) {
                        out.entry(owner).or_default().new_customers += 1;
                    }
                }
            }
        }
        let last_day = |span: (DateTime<Utc>, DateTime<Utc>)| {
            (span.1 - Duration::microseconds(1))
                .with_timezone(&zone)
                .date_naive()
        };
        self.store.with_activity_counts(zone, |counts| {
            for (span, from, out) in [
                (this_span, month_start, &mut this),
                (last_span, last_start, &mut last),
            ] {
                for (_, user, n) in counts.between(from, last_day(span)) {
                    if ids.contains(&user) {
                        out.entry(user).or_default().activities += n.total();
                    }
                }
            }
        })?;

        let pipelines = self.store.pipelines()?;
        let mut stalled = Vec::new();
        let mut stalled_per: HashMap<Id, u32> = HashMap::new();
        self.store.with_deal_boards(|boards| {
            for pipeline in &pipelines {
                for deal in boards.deals_of(pipeline.id) {
                    let Some(lead) = deal.lead_owner().filter(|o| ids.contains(o)) else {
                        continue;
                    };
                    match deal.status {
                        DealStatus::Open => {
                            this.entry(lead).or_default().open.0 += deal.amount.0;
                            if let Some(stage) = pipeline.stage(deal.stage_id)
                                && deals::is_stalled(deal.status, deal.stage_entered_at, stage, now)
                            {
                                *stalled_per.entry(lead).or_default() += 1;
                                stalled.push((
                                    deal.customer_id,
                                    StalledDeal {
                                        id: deal.id,
                                        title: deal.title.to_string(),
                                        customer_name: String::new(),
                                        stage: stage.clone(),
                                        days_in_stage: deals::days_in_stage(
                                            deal.stage_entered_at,
                                            now,
                                        ),
                                        amount: deal.amount,
                                        owner_name: names.get(&lead).cloned().unwrap_or_default(),
                                    },
                                ));
                            }
                        }
                        DealStatus::Won => {
                            let closed = boards.history(deal.id).last().map(|e| e.at);
                            for (span, out) in [(this_span, &mut this), (last_span, &mut last)] {
                                if closed.is_some_and(|t| t >= span.0 && t < span.1) {
                                    out.entry(lead).or_default().won.0 += deal.amount.0;
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        })?;
        stalled
            .sort_by(|(_, a), (_, b)| b.days_in_stage.cmp(&a.days_in_stage).then(a.id.cmp(&b.id)));
        stalled.truncate(LIST_LIMIT);

        let visible = if me.role.is_admin() {
            OwnerFilter::Visible
        } else if me.role == Role::Rep {
            OwnerFilter::User(me.id)
        } else {
            OwnerFilter::Visible
        };
        let hot_query = CustomerQuery {
            owner: visible,
            hot: Some(true),
            sort: SortBy::Updated,
            descending: true,
            limit: LIST_LIMIT,
            ..Default::default()
        };
        let (_, hot_ids) = self.list_customer_ids(me, &hot_query)?;
        let hot = self
            .store
            .customers(&hot_ids)?
            .into_iter()
            .map(|c| HotCustomer {
                id: c.id,
                name: c.name,
                hint: c.hot.map(|h| h.hint).unwrap_or_default(),
            })
            .collect();

        let end_of_today = instant(today + Duration::days(1));
        let mut overdue_per: HashMap<Id, u32> = HashMap::new();
        let mut tasks = Vec::new();
        for person in &people {
            for task in self.store.tasks_of(person.id)? {
                if task.is_overdue(now) {
                    *overdue_per.entry(person.id).or_default() += 1;
                }
                if person.id == me.id && task.done_at.is_none() && task.due < end_of_today {
                    tasks.push(task);
                }
            }
        }
        tasks.sort_by_key(|t| (t.due, t.id));
        let settings = self.store.customer_settings()?;
        let directory = self.store.directory();
        // Named after the boards' lock is let go: boards before directory.
        let stalled: Vec<StalledDeal> = stalled
            .into_iter()
            .map(|(customer, mut deal)| {
                deal.customer_name = directory.customer_name(customer).unwrap_or_default();
                deal
            })
            .collect();
        let tasks: Vec<DueTask> = tasks
            .into_iter()
            .take(LIST_LIMIT * 2)
            .map(|t| DueTask {
                id: t.id,
                overdue: t.is_overdue(now),
                due: time::local_time(zone, t.due),
                customer_name: t.customer_id.and_then(|c| directory.customer_name(c)),
                customer_id: t.customer_id,
                title: t.title,
            })
            .collect();
        drop(directory);

        let mut returning = Vec::new();
        if settings.pool_return_days > 0 {
            for person in &people {
                // Never contacted first, then the longest untouched.
                let query = CustomerQuery {
                    owner: OwnerFilter::User(person.id),
                    sort: SortBy::LastActivity,
                    limit: LIST_LIMIT * 3,
                    ..Default::default()
                };
                let (_, ids) = self.list_customer_ids(me, &query)?;
                for customer in self.store.customers(&ids)? {
                    let Some(at) = self.pool_return_at(&customer)? else {
                        continue;
                    };
                    let days_left = (at - now).num_days();
                    if at - now <= Duration::days(RETURN_WARNING_DAYS) {
                        returning.push(ReturningCustomer {
                            id: customer.id,
                            name: customer.name,
                            returns_on: at.with_timezone(&zone).date_naive(),
                            days_left: days_left.max(0),
                            owner_name: person.name.clone(),
                        });
                    }
                }
            }
            returning.sort_by_key(|r| (r.returns_on, r.id));
            returning.truncate(LIST_LIMIT);
        }

        let sum = |per: &HashMap<Id, RepNumbers>| {
            per.values().fold(RepNumbers::default(), |mut acc, n| {
                acc.new_customers += n.new_customers;
                acc.activities += n.activities;
                acc.won.0 += n.won.0;
                acc.open.0 += n.open.0;
                acc
            })
        };
        let team = if me.role == Role::Rep {
            Vec::new()
        } else {
            people
                .iter()
                .map(|u| RepRow {
                    user: u.id,
                    name: u.name.clone(),
                    numbers: this.get(&u.id).cloned().unwrap_or_default(),
                    overdue_tasks: overdue_per.get(&u.id).copied().unwrap_or(0),
                    stalled_deals: stalled_per.get(&u.id).copied().unwrap_or(0),
                })
                .collect()
        };
        let mut last_numbers = sum(&last);
        // Open pipeline is a figure of now; last month's is not kept.
        last_numbers.open = Cents(0);
        Ok(Workbench {
            month: period::month_key(year, month),
            numbers: sum(&this),
            last_month: last_numbers,
            hot,
            tasks,
            stalled,
            returning,
            pool_return_days: settings.pool_return_days,
            team,
            target: self.my_target_progress(me)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{
        ActivityInput, ActivityKind, CustomerInput, DealInput, TaskInput, UserInput,
    };

    #[test]
    fn the_workbench_from_kept_aggregates_equals_reading_everything() {
        use super::super::test_support::person;
        use crate::model::{Outcome, OwnerShare};
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
        let mut pipeline = gx.pipelines().unwrap().remove(0);
        for (i, stage) in pipeline.stages.iter_mut().enumerate() {
            if stage.outcome.is_none() {
                stage.stall_days = Some(3 + 2 * i as u32);
            }
        }
        let pipeline = gx.save_pipeline(&admin, pipeline).unwrap();
        let mut settings = gx.customer_settings().unwrap();
        settings.pool_return_days = 30;
        gx.update_customer_settings(super::super::Actor::User(&admin), settings)
            .unwrap();
        let reasons = gx.close_reasons().unwrap();
        let viewers = [&admin, &manager, &li, &wang, &zhao];
        let compare = |what: &str| {
            for me in viewers {
                for days in [0, 2, 4, 9, 24, 28, 31, 45] {
                    let at = Utc::now() + Duration::days(days);
                    assert_eq!(
                        gx.workbench(me, at).unwrap(),
                        gx.workbench_by_walking(me, at).unwrap(),
                        "{what}, {} in {days} days",
                        me.name
                    );
                }
            }
        };
        let mut customers = Vec::new();
        let mut deals = Vec::new();
        for (r, who) in [&li, &wang, &zhao].into_iter().enumerate() {
            for n in 0..8i64 {
                let customer = gx
                    .create_customer(
                        who,
                        CustomerInput {
                            name: format!("客户 {r}-{n}"),
                            ..Default::default()
                        },
                        Vec::new(),
                        true,
                    )
                    .unwrap();
                if n % 3 != 0 {
                    gx.log_activity(
                        who,
                        ActivityInput {
                            kind: ActivityKind::Call,
                            customer_id: customer.id,
                            contact_id: None,
                            at: Some(Utc::now() - Duration::days(3 * n + r as i64)),
                            duration_minutes: Some(5),
                            text: "跟进".into(),
                            deal_id: None,
                        },
                    )
                    .unwrap();
                }
                if n % 2 == 0 {
                    let owners = if n == 2 && who.id != zhao.id {
                        let other = if who.id == li.id { wang.id } else { li.id };
                        vec![
                            OwnerShare {
                                user: who.id,
                                percent: 70,
                            },
                            OwnerShare {
                                user: other,
                                percent: 30,
                            },
                        ]
                    } else {
                        Vec::new()
                    };
                    deals.push((
                        who,
                        gx.create_deal(
                            who,
                            DealInput {
                                customer_id: Some(customer.id),
                                title: format!("项目 {r}-{n}"),
                                amount: format!("{}", 1000 * (n + 1)),
                                owners,
                                ..Default::default()
                            },
                        )
                        .unwrap(),
                    ));
                }
                let task = gx
                    .add_task(
                        who,
                        TaskInput {
                            title: format!("回访 {r}-{n}"),
                            due: Utc::now() + Duration::hours(20 * n - 30),
                            assignee: None,
                            customer_id: Some(customer.id),
                            commitment: false,
                        },
                    )
                    .unwrap();
                if n == 5 {
                    gx.set_task_done(who, task.id, true, task.version).unwrap();
                }
                if n == 6 {
                    gx.delete_task(who, task.id).unwrap();
                }
                customers.push((who, customer));
            }
        }
        compare("created");
        for (k, (who, deal)) in deals.iter().enumerate() {
            match k % 4 {
                0 => {
                    gx.move_deal(who, deal.id, pipeline.stages[1].id, None)
                        .unwrap();
                }
                1 => {
                    let won = reasons.won.first().cloned().unwrap_or_default();
                    gx.close_deal(who, deal.id, Outcome::Won, &won, None)
                        .unwrap();
                }
                2 => {
                    gx.suspend_deal(who, deal.id, true).unwrap();
                }
                _ => {
                    let lost = reasons.lost.first().cloned().unwrap_or_default();
                    gx.close_deal(who, deal.id, Outcome::Lost, &lost, None)
                        .unwrap();
                }
            }
        }
        compare("moved and closed");
        let later = gx
            .workbench(&admin, Utc::now() + Duration::days(28))
            .unwrap();
        assert_eq!(later.returning.len(), LIST_LIMIT, "more than a page return");
        assert!(!later.stalled.is_empty());
        assert!(later.team.iter().any(|r| r.overdue_tasks > 0));
        assert!(later.numbers.won.0 > 0 && later.numbers.open.0 > 0);
        assert!(!gx.workbench(&li, Utc::now()).unwrap().tasks.is_empty());
        // A customer to the recycle bin and back, one handed to the pool.
        gx.recycle_customer(&admin, customers[1].1.id).unwrap();
        compare("recycled");
        gx.restore_customer(
            super::super::Actor::User(&admin),
            admin.id,
            customers[1].1.id,
        )
        .unwrap();
        compare("restored");
    }

    #[test]
    fn the_workbench_counts_this_months_work_and_lists_what_is_due() {
        let (_dir, gx, admin) = set_up_company();
        let li = gx
            .create_user(
                super::super::Actor::User(&admin),
                UserInput {
                    email: "li@example.cn".into(),
                    name: "李娜".into(),
                    role: Role::Rep,
                    team: Some("华东".into()),
                },
                "rep password 1",
            )
            .unwrap();
        let customer = gx
            .create_customer(
                &li,
                CustomerInput {
                    name: "星辰科技".into(),
                    ..Default::default()
                },
                Vec::new(),
                true,
            )
            .unwrap();
        gx.log_activity(
            &li,
            ActivityInput {
                kind: ActivityKind::Call,
                customer_id: customer.id,
                contact_id: None,
                at: None,
                duration_minutes: Some(12),
                text: "初次沟通".into(),
                deal_id: None,
            },
        )
        .unwrap();
        gx.create_deal(
            &li,
            DealInput {
                customer_id: Some(customer.id),
                title: "ERP".into(),
                amount: "8000".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let overdue = gx
            .add_task(
                &li,
                TaskInput {
                    title: "发报价".into(),
                    due: Utc::now() - Duration::hours(30),
                    assignee: None,
                    customer_id: Some(customer.id),
                    commitment: false,
                },
            )
            .unwrap();
        gx.add_task(
            &li,
            TaskInput {
                title: "下月回访".into(),
                due: Utc::now() + Duration::days(40),
                assignee: None,
                customer_id: None,
                commitment: false,
            },
        )
        .unwrap();
        let mine = gx.workbench(&li, Utc::now()).unwrap();
        assert_eq!(mine.numbers.new_customers, 1);
        assert_eq!(mine.numbers.activities, 1);
        assert_eq!(mine.numbers.open, Cents(800_000));
        assert_eq!(mine.tasks.len(), 1, "only what is due by tonight");
        assert_eq!(mine.tasks[0].id, overdue.id);
        assert!(mine.tasks[0].overdue);
        assert_eq!(mine.tasks[0].customer_name.as_deref(), Some("星辰科技"));
        assert!(mine.team.is_empty(), "a rep has no team rows");
        let boss = gx.workbench(&admin, Utc::now()).unwrap();
        let row = boss.team.iter().find(|r| r.user == li.id).unwrap();
        assert_eq!(row.numbers.activities, 1);
        assert_eq!(row.overdue_tasks, 1);
        assert_eq!(boss.numbers.open, Cents(800_000));
    }
}
