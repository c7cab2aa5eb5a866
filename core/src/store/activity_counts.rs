//! Activities counted per day (in the company's zone), user and kind, with
//! call minutes: what the activity dashboard, the KPIs and the workbench
//! read, so a month of a team's activities is a few hundred map entries
//! rather than a scan of a million records. Beside them, each user's
//! unfinished tasks by due date, for the workbench's overdue counts and
//! today's list: reading every task of every rep took an admin's
//! workbench 330 ms on `large` (100,000 tasks, most of them done).
//!
//! Built from the file on first use (or at start) and kept current by the
//! store's activity writes under the same lock as their commit, as the deal
//! boards are; compared with the file by the consistency check.
//!
//! Lock order: deal boards, then activity counts, then the directory.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::tables::{ACTIVITIES, TASKS};
use crate::error::Result;
use crate::model::{Activity, ActivityKind, Id, Task};

/// One user's activities on one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Per kind, in the order of `ActivityKind::ALL`.
    pub by_kind: [u32; 8],
    pub call_minutes: u32,
}

impl DayCounts {
    pub fn total(&self) -> u32 {
        self.by_kind.iter().sum()
    }

    pub fn of(&self, kind: ActivityKind) -> u32 {
        self.by_kind[kind_index(kind)]
    }

    pub fn add(&mut self, other: &DayCounts) {
        for (a, b) in self.by_kind.iter_mut().zip(other.by_kind) {
            *a += b;
        }
        self.call_minutes += other.call_minutes;
    }
}

fn kind_index(kind: ActivityKind) -> usize {
    ActivityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)
}

#[derive(Debug)]
pub struct ActivityCounts {
    zone: Tz,
    /// (day in the zone, user) → counts; days first, so a period is one
    /// range.
    days: BTreeMap<(NaiveDate, u128), DayCounts>,
    /// Each customer's activity times (Unix microseconds), sorted: the
    /// follow-ups before a won deal are a binary search. 8 bytes an
    /// activity, about 14 MB with the map for the million of `large`.
    by_customer: HashMap<u128, Vec<i64>>,
    /// Each assignee's unfinished tasks: (due, task id), earliest first.
    /// About 50 bytes a task, for the few that are not done.
    open_tasks: HashMap<u128, BTreeSet<(DateTime<Utc>, u128)>>,
}

impl ActivityCounts {
    pub(super) fn load(tx: &ReadTransaction, zone: Tz) -> Result<ActivityCounts> {
        let mut counts = ActivityCounts {
            zone,
            days: BTreeMap::new(),
            by_customer: HashMap::new(),
            open_tasks: HashMap::new(),
        };
        for row in tx.open_table(ACTIVITIES)?.iter()? {
            let activity: Activity = decode(row?.1.value())?;
            counts.add(&activity);
        }
        for row in tx.open_table(TASKS)?.iter()? {
            let task: Task = decode(row?.1.value())?;
            counts.put_task(None, Some(&task));
        }
        // Grown one activity at a time, the lists held a third more room
        // than times.
        for times in counts.by_customer.values_mut() {
            times.shrink_to_fit();
        }
        Ok(counts)
    }

    /// A task saved (`new`) in place of `old`, either of them absent for
    /// a task added or deleted.
    pub(super) fn put_task(&mut self, old: Option<&Task>, new: Option<&Task>) {
        if let Some(old) = old.filter(|t| t.done_at.is_none())
            && let Some(tasks) = self.open_tasks.get_mut(&old.assignee.0)
        {
            tasks.remove(&(old.due, old.id.0));
            if tasks.is_empty() {
                self.open_tasks.remove(&old.assignee.0);
            }
        }
        if let Some(new) = new.filter(|t| t.done_at.is_none()) {
            self.open_tasks
                .entry(new.assignee.0)
                .or_default()
                .insert((new.due, new.id.0));
        }
    }

    /// The unfinished tasks of `assignee`, (due, id) by due date and id.
    pub fn open_tasks_of(&self, assignee: Id) -> impl Iterator<Item = (DateTime<Utc>, Id)> + '_ {
        self.open_tasks
            .get(&assignee.0)
            .into_iter()
            .flatten()
            .map(|&(due, id)| (due, Id(id)))
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    fn key(&self, at: DateTime<Utc>, by: Id) -> (NaiveDate, u128) {
        (at.with_timezone(&self.zone).date_naive(), by.0)
    }

    pub(super) fn add(&mut self, activity: &Activity) {
        let key = self.key(activity.at, activity.by);
        let day = self.days.entry(key).or_default();
        day.by_kind[kind_index(activity.kind)] += 1;
        if activity.kind == ActivityKind::Call {
            day.call_minutes += activity.duration_minutes.unwrap_or(0);
        }
        let times = self.by_customer.entry(activity.customer_id.0).or_default();
        let micros = activity.at.timestamp_micros();
        let at = times.partition_point(|&t| t <= micros);
        times.insert(at, micros);
    }

    pub(super) fn remove(&mut self, activity: &Activity) {
        let key = self.key(activity.at, activity.by);
        if let Some(day) = self.days.get_mut(&key) {
            let slot = &mut day.by_kind[kind_index(activity.kind)];
            *slot = slot.saturating_sub(1);
            if activity.kind == ActivityKind::Call {
                day.call_minutes = day
                    .call_minutes
                    .saturating_sub(activity.duration_minutes.unwrap_or(0));
            }
            if day.total() == 0 {
                self.days.remove(&key);
            }
        }
        let customer = activity.customer_id.0;
        if let Some(times) = self.by_customer.get_mut(&customer) {
            if let Ok(at) = times.binary_search(&activity.at.timestamp_micros()) {
                times.remove(at);
            }
            if times.is_empty() {
                self.by_customer.remove(&customer);
            }
        }
    }

    /// How many activities on `customer` happened from `from` to `to`, both
    /// included.
    pub fn of_customer_between(&self, customer: Id, from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
        let Some(times) = self.by_customer.get(&customer.0) else {
            return 0;
        };
        let (from, to) = (from.timestamp_micros(), to.timestamp_micros());
        let first = times.partition_point(|&t| t < from);
        let after = times.partition_point(|&t| t <= to);
        after.saturating_sub(first) as u32
    }

    /// Every (day, user, counts) from `from` to `to`, both included.
    pub fn between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, Id, &DayCounts)> {
        self.days
            .range((from, 0)..=(to, u128::MAX))
            .map(|(&(day, user), counts)| (day, Id(user), counts))
    }

    /// How these counts differ from `file`, counts loaded from the file
    /// just now, for the consistency check.
    pub(super) fn differences(&self, file: &ActivityCounts) -> Vec<String> {
        let mut out = Vec::new();
        for (key, counts) in &self.days {
            if file.days.get(key) != Some(counts) {
                out.push(format!(
                    "the activities of user {} on {} differ from the file",
                    Id(key.1),
                    key.0
                ));
            }
        }
        for key in file.days.keys().filter(|k| !self.days.contains_key(k)) {
            out.push(format!(
                "lack the activities of user {} on {}",
                Id(key.1),
                key.0
            ));
        }
        for (customer, times) in &self.by_customer {
            if file.by_customer.get(customer) != Some(times) {
                out.push(format!(
                    "the activity times of customer {} differ from the file",
                    Id(*customer)
                ));
            }
        }
        for customer in file
            .by_customer
            .keys()
            .filter(|c| !self.by_customer.contains_key(c))
        {
            out.push(format!(
                "lack the activity times of customer {}",
                Id(*customer)
            ));
        }
        if self.open_tasks != file.open_tasks {
            out.push("the unfinished tasks by assignee differ from the file".into());
        }
        out
    }
}

impl DayCounts {
    /// As the reports count them.
    pub fn totals(&self) -> crate::model::ActivityTotals {
        use ActivityKind::*;
        crate::model::ActivityTotals {
            activities: self.total(),
            calls: self.of(Call),
            call_minutes: self.call_minutes,
            visits: self.of(Visit),
            messages: self.of(Sms) + self.of(Email) + self.of(Wechat) + self.of(Qq),
        }
    }
}
