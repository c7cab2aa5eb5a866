//! Activities, tasks and the customer timeline.

use chrono::{DateTime, Utc};
use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, Customer, Deal, DealTimelineEvent, FieldChange, FileMeta, Id, Task, TimelineEntry,
    TimelineKind,
};

pub(super) fn require_live_customer(tx: &WriteTransaction, id: Id) -> Result<()> {
    let customer: Customer = tx
        .open_table(CUSTOMERS)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)?;
    if customer.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub(super) fn put_task(tx: &WriteTransaction, task: &Task, previous: Option<&Task>) -> Result<()> {
    put_task_in(
        &mut tx.open_table(TASKS)?,
        &mut tx.open_table(TASKS_BY_ASSIGNEE)?,
        task,
        previous,
    )
}

fn put_task_in(
    tasks: &mut Table<u128, &'static [u8]>,
    by_assignee: &mut Table<(u128, i64, u128), ()>,
    task: &Task,
    previous: Option<&Task>,
) -> Result<()> {
    if let Some(old) = previous {
        by_assignee.remove((old.assignee.0, old.due.timestamp_micros(), old.id.0))?;
    }
    by_assignee.insert(
        (task.assignee.0, task.due.timestamp_micros(), task.id.0),
        (),
    )?;
    tasks.insert(task.id.0, encode(task).as_slice())?;
    Ok(())
}

/// What logging an activity writes, with the tables opened once:
/// `insert_activity` and a bulk load of many share this code.
pub(super) struct ActivityTables<'tx> {
    activities: Table<'tx, u128, &'static [u8]>,
    timeline: Table<'tx, (u128, i64, u128), u8>,
    last_activity: Table<'tx, u128, i64>,
    by_deal: Table<'tx, (u128, i64, u128), ()>,
}

impl<'tx> ActivityTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(ActivityTables {
            activities: tx.open_table(ACTIVITIES)?,
            timeline: tx.open_table(TIMELINE)?,
            last_activity: tx.open_table(LAST_ACTIVITY)?,
            by_deal: tx.open_table(DEAL_ACTIVITIES)?,
        })
    }

    /// Logs an activity on its customer's timeline (and its deal's, when
    /// linked to one) and moves the customer's
    /// last-activity time forward (never back). Returns the activity's time
    /// for the directory, which the caller touches after the commit.
    pub(super) fn insert(&mut self, activity: &Activity) -> Result<i64> {
        let at = activity.at.timestamp_micros();
        self.activities
            .insert(activity.id.0, encode(activity).as_slice())?;
        self.timeline.insert(
            (activity.customer_id.0, at, activity.id.0),
            TIMELINE_ACTIVITY,
        )?;
        if let Some(deal) = activity.deal_id {
            self.by_deal.insert((deal.0, at, activity.id.0), ())?;
        }
        let previous = self
            .last_activity
            .get(activity.customer_id.0)?
            .map(|v| v.value());
        if previous.is_none_or(|p| p < at) {
            self.last_activity.insert(activity.customer_id.0, at)?;
        }
        Ok(at)
    }
}

/// What a new task writes (its customer's timeline when it has one), with
/// the tables opened once, for `insert_task` and bulk loads alike.
pub(super) struct TaskTables<'tx> {
    tasks: Table<'tx, u128, &'static [u8]>,
    by_assignee: Table<'tx, (u128, i64, u128), ()>,
    timeline: Table<'tx, (u128, i64, u128), u8>,
}

impl<'tx> TaskTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(TaskTables {
            tasks: tx.open_table(TASKS)?,
            by_assignee: tx.open_table(TASKS_BY_ASSIGNEE)?,
            timeline: tx.open_table(TIMELINE)?,
        })
    }

    pub(super) fn insert(&mut self, task: &Task) -> Result<()> {
        if let Some(customer) = task.customer_id {
            self.timeline.insert(
                (customer.0, task.created_at.timestamp_micros(), task.id.0),
                TIMELINE_TASK,
            )?;
        }
        put_task_in(&mut self.tasks, &mut self.by_assignee, task, None)
    }

    /// Deletes a task with its due-date entry and its place on the
    /// timeline; answers what it deleted.
    pub(super) fn remove(&mut self, id: Id) -> Result<Option<Task>> {
        let Some(task) = self
            .tasks
            .remove(id.0)?
            .map(|v| decode::<Task>(v.value()))
            .transpose()?
        else {
            return Ok(None);
        };
        self.by_assignee
            .remove((task.assignee.0, task.due.timestamp_micros(), id.0))?;
        if let Some(customer) = task.customer_id {
            self.timeline
                .remove((customer.0, task.created_at.timestamp_micros(), id.0))?;
        }
        Ok(Some(task))
    }
}

/// A cursor into a timeline: the (time, id) of the last entry already shown.
pub type TimelineCursor = (i64, u128);

impl Store {
    /// Logs an activity on its customer's timeline and moves the customer's
    /// last-activity time forward.
    pub fn insert_activity(&self, activity: &Activity) -> Result<()> {
        let tx = self.write()?;
        require_live_customer(&tx, activity.customer_id)?;
        if let Some(deal) = activity.deal_id {
            // Checked again here: the deal may have moved to another
            // customer since the service looked.
            let deal: Option<Deal> = tx
                .open_table(DEALS)?
                .get(deal.0)?
                .map(|v| decode(v.value()))
                .transpose()?;
            if deal.is_none_or(|d| d.customer_id != activity.customer_id) {
                return Err(Error::invalid(Field::Deal, Problem::Unknown));
            }
        }
        let at = ActivityTables::open(&tx)?.insert(activity)?;
        let mut counts = self.activity_counts_mut();
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.touch(activity.customer_id, at);
        if let Some(counts) = counts.as_mut() {
            counts.add(activity);
        }
        drop(directory);
        drop(counts);
        pending.wait()?;
        Ok(())
    }

    pub fn activity(&self, id: Id) -> Result<Option<Activity>> {
        let tx = self.read()?;
        let activities = tx.open_table(ACTIVITIES)?;
        activities.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Up to `limit` activities of a customer, newest first, older than
    /// `before` when given: the timeline without its tasks and changes.
    pub fn activities_of(
        &self,
        customer: Id,
        before: Option<TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<Activity>> {
        let tx = self.read()?;
        let timeline = tx.open_table(TIMELINE)?;
        let activities = tx.open_table(ACTIVITIES)?;
        let low = (customer.0, i64::MIN, 0u128);
        let rows = match before {
            Some((at, id)) => timeline.range(low..(customer.0, at, id))?,
            None => timeline.range(low..=(customer.0, i64::MAX, u128::MAX))?,
        };
        let mut out = Vec::new();
        for row in rows.rev() {
            if out.len() >= limit {
                break;
            }
            let (key, kind) = row?;
            if kind.value() != TIMELINE_ACTIVITY {
                continue;
            }
            if let Some(v) = activities.get(key.value().2)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// Up to `limit` activities about a deal, newest first.
    pub fn activities_of_deal(&self, deal: Id, limit: usize) -> Result<Vec<Activity>> {
        let tx = self.read()?;
        let index = tx.open_table(DEAL_ACTIVITIES)?;
        let activities = tx.open_table(ACTIVITIES)?;
        let mut out = Vec::new();
        for row in index
            .range((deal.0, i64::MIN, 0)..=(deal.0, i64::MAX, u128::MAX))?
            .rev()
            .take(limit)
        {
            let (_, _, id) = row?.0.value();
            if let Some(v) = activities.get(id)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// Takes an activity off its customer's timeline and writes `then` in
    /// the same transaction; the customer's last activity falls back to the
    /// latest one left (or none).
    pub(super) fn delete_activity_then(
        &self,
        id: Id,
        then: impl FnOnce(&WriteTransaction, &Activity) -> Result<()>,
    ) -> Result<Activity> {
        let tx = self.write()?;
        let activity: Activity = tx
            .open_table(ACTIVITIES)?
            .remove(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        let customer = activity.customer_id.0;
        if let Some(deal) = activity.deal_id {
            tx.open_table(DEAL_ACTIVITIES)?.remove((
                deal.0,
                activity.at.timestamp_micros(),
                id.0,
            ))?;
        }
        let latest = {
            let mut timeline = tx.open_table(TIMELINE)?;
            timeline.remove((customer, activity.at.timestamp_micros(), id.0))?;
            let mut latest = None;
            for row in timeline
                .range((customer, i64::MIN, 0)..=(customer, i64::MAX, u128::MAX))?
                .rev()
            {
                let (key, kind) = row?;
                if kind.value() == TIMELINE_ACTIVITY {
                    latest = Some(key.value().1);
                    break;
                }
            }
            latest
        };
        {
            let mut last = tx.open_table(LAST_ACTIVITY)?;
            match latest {
                Some(at) => last.insert(customer, at)?,
                None => last.remove(customer)?,
            };
        }
        then(&tx, &activity)?;
        let mut counts = self.activity_counts_mut();
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.set_last_activity(activity.customer_id, latest);
        if let Some(counts) = counts.as_mut() {
            counts.remove(&activity);
        }
        drop(directory);
        drop(counts);
        pending.wait()?;
        Ok(activity)
    }

    pub fn last_activity(&self, customer: Id) -> Result<Option<DateTime<Utc>>> {
        let tx = self.read()?;
        let last = tx.open_table(LAST_ACTIVITY)?;
        Ok(last
            .get(customer.0)?
            .and_then(|v| DateTime::from_timestamp_micros(v.value())))
    }

    pub fn insert_task(&self, task: &Task) -> Result<()> {
        let tx = self.write()?;
        if let Some(customer) = task.customer_id {
            require_live_customer(&tx, customer)?;
        }
        TaskTables::open(&tx)?.insert(task)?;
        self.commit_tasks(tx, &[(None, Some(task))])
    }

    /// Commits a transaction that changed tasks, (before, after) each,
    /// bringing the unfinished tasks in memory along.
    pub(super) fn commit_tasks(
        &self,
        tx: super::Tx,
        changed: &[(Option<&Task>, Option<&Task>)],
    ) -> Result<()> {
        let mut counts = self.activity_counts_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(counts) = counts.as_mut() {
            for &(old, new) in changed {
                counts.put_task(old, new);
            }
        }
        drop(counts);
        pending.wait()
    }

    pub fn task(&self, id: Id) -> Result<Option<Task>> {
        let tx = self.read()?;
        let tasks = tx.open_table(TASKS)?;
        tasks.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Saves a task if the stored copy still has its version.
    pub fn update_task(&self, task: &Task) -> Result<Task> {
        let tx = self.write()?;
        let current: Task = tx
            .open_table(TASKS)?
            .get(task.id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        if current.version != task.version {
            return Err(Error::Conflict);
        }
        let saved = Task {
            version: current.version + 1,
            ..task.clone()
        };
        put_task(&tx, &saved, Some(&current))?;
        self.commit_tasks(tx, &[(Some(&current), Some(&saved))])?;
        Ok(saved)
    }

    /// Deletes a task, with its place on the customer's timeline.
    pub fn delete_task(&self, id: Id) -> Result<Task> {
        let tx = self.write()?;
        let task = TaskTables::open(&tx)?.remove(id)?.ok_or(Error::NotFound)?;
        self.commit_tasks(tx, &[(Some(&task), None)])?;
        Ok(task)
    }

    /// A user's tasks by due date, earliest first.
    pub fn tasks_of(&self, assignee: Id) -> Result<Vec<Task>> {
        let tx = self.read()?;
        let index = tx.open_table(TASKS_BY_ASSIGNEE)?;
        let tasks = tx.open_table(TASKS)?;
        let mut out = Vec::new();
        for row in index.range((assignee.0, i64::MIN, 0)..=(assignee.0, i64::MAX, u128::MAX))? {
            let (_, _, id) = row?.0.value();
            if let Some(v) = tasks.get(id)? {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// Up to `limit` timeline entries of a customer, newest first, older than
    /// `before` when given (the cursor of the previous page's last entry).
    pub fn timeline(
        &self,
        customer: Id,
        before: Option<TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        self.timeline_of_kind(customer, before, limit, None)
    }

    /// Like `timeline`, with only the entries of one kind when `only` is set.
    pub fn timeline_of_kind(
        &self,
        customer: Id,
        before: Option<TimelineCursor>,
        limit: usize,
        only: Option<TimelineKind>,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        let wanted = only.map(|k| match k {
            TimelineKind::Activity => TIMELINE_ACTIVITY,
            TimelineKind::Task => TIMELINE_TASK,
            TimelineKind::Change => TIMELINE_CHANGE,
            TimelineKind::File => TIMELINE_FILE,
            TimelineKind::Deal => TIMELINE_DEAL,
            TimelineKind::Money => TIMELINE_MONEY,
        });
        // Money events are read from the records, newest first, and merged
        // into the rows below by (time, id).
        let mut money: Vec<((i64, u128), crate::model::MoneyEvent)> = match only {
            None | Some(TimelineKind::Money) => self
                .money_events_of(customer)?
                .into_iter()
                .map(|e| ((e.at.timestamp_micros(), e.id.0), e))
                .filter(|(key, _)| before.is_none_or(|b| *key < b))
                .collect(),
            Some(_) => Vec::new(),
        };
        money.sort_by_key(|m| std::cmp::Reverse(m.0));
        let mut money = money.into_iter().peekable();
        let tx = self.read()?;
        let timeline = tx.open_table(TIMELINE)?;
        let activities = tx.open_table(ACTIVITIES)?;
        let tasks = tx.open_table(TASKS)?;
        let audit = tx.open_table(AUDIT)?;
        let files = tx.open_table(FILES)?;
        let deal_events = tx.open_table(DEAL_TIMELINE)?;
        let low = (customer.0, i64::MIN, 0u128);
        let rows = match before {
            Some((at, id)) if id > 0 => timeline.range(low..(customer.0, at, id))?,
            Some((at, _)) => timeline.range(low..(customer.0, at, 0))?,
            None => timeline.range(low..=(customer.0, i64::MAX, u128::MAX))?,
        };
        let mut out = Vec::with_capacity(limit);
        for row in rows.rev() {
            if out.len() >= limit {
                break;
            }
            let (key, kind) = row?;
            let (_, at, id) = key.value();
            while out.len() < limit
                && let Some(((m_at, m_id), event)) = money.next_if(|(k, _)| *k > (at, id))
            {
                out.push(((m_at, m_id), TimelineEntry::Money(event)));
            }
            if out.len() >= limit {
                break;
            }
            if wanted.is_some_and(|w| w != kind.value()) {
                continue;
            }
            let entry = match kind.value() {
                TIMELINE_ACTIVITY => activities
                    .get(id)?
                    .map(|v| decode::<Activity>(v.value()).map(TimelineEntry::Activity)),
                TIMELINE_TASK => tasks
                    .get(id)?
                    .map(|v| decode::<Task>(v.value()).map(TimelineEntry::Task)),
                TIMELINE_CHANGE => audit
                    .get((customer.0, id))?
                    .map(|v| decode::<FieldChange>(v.value()).map(TimelineEntry::Change)),
                TIMELINE_FILE => files
                    .get(id)?
                    .map(|v| decode::<FileMeta>(v.value()).map(TimelineEntry::File)),
                TIMELINE_DEAL => deal_events
                    .get(id)?
                    .map(|v| decode::<DealTimelineEvent>(v.value()).map(TimelineEntry::Deal)),
                _ => None,
            };
            if let Some(entry) = entry {
                out.push(((at, id), entry?));
            }
        }
        for (key, event) in money {
            if out.len() >= limit {
                break;
            }
            out.push((key, TimelineEntry::Money(event)));
        }
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::customers::tests::customer;
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::ActivityKind;
    use chrono::Duration;

    pub fn activity(customer: Id, at: DateTime<Utc>, text: &str) -> Activity {
        Activity {
            id: Id::generate(),
            kind: ActivityKind::Call,
            customer_id: customer,
            contact_id: None,
            at,
            duration_minutes: Some(5),
            text: text.into(),
            by: Id(1),
            created_at: Utc::now(),
            deal_id: None,
        }
    }

    fn task(assignee: Id, customer: Option<Id>, due: DateTime<Utc>, title: &str) -> Task {
        Task {
            id: Id::generate(),
            title: title.into(),
            due,
            assignee,
            customer_id: customer,
            commitment: false,
            done_at: None,
            created_by: assignee,
            created_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn timeline_is_newest_first_and_pages_by_cursor() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let t0 = Utc::now() - Duration::days(10);
        for day in 0..5 {
            store
                .insert_activity(&activity(
                    c.id,
                    t0 + Duration::days(day),
                    &format!("call {day}"),
                ))
                .unwrap();
        }
        let first = store.timeline(c.id, None, 2).unwrap();
        let texts = |page: &[(TimelineCursor, TimelineEntry)]| -> Vec<String> {
            page.iter()
                .map(|(_, e)| match e {
                    TimelineEntry::Activity(a) => a.text.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(texts(&first), vec!["call 4", "call 3"]);
        let second = store.timeline(c.id, Some(first[1].0), 2).unwrap();
        assert_eq!(texts(&second), vec!["call 2", "call 1"]);
        let last = store.timeline(c.id, Some(second[1].0), 10).unwrap();
        assert_eq!(texts(&last), vec!["call 0"]);
        assert_eq!(
            store
                .last_activity(c.id)
                .unwrap()
                .unwrap()
                .timestamp_micros(),
            (t0 + Duration::days(4)).timestamp_micros()
        );
    }

    #[test]
    fn backdated_activity_does_not_move_last_activity_back() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let now = Utc::now();
        store
            .insert_activity(&activity(c.id, now, "today"))
            .unwrap();
        store
            .insert_activity(&activity(c.id, now - Duration::days(30), "last month"))
            .unwrap();
        assert_eq!(
            store
                .last_activity(c.id)
                .unwrap()
                .unwrap()
                .timestamp_micros(),
            now.timestamp_micros()
        );
    }

    #[test]
    fn tasks_come_by_due_date_and_follow_edits() {
        let (_dir, store) = temp_store();
        let me = Id::generate();
        let now = Utc::now();
        let later = task(me, None, now + Duration::days(3), "send quote");
        let sooner = task(me, None, now + Duration::days(1), "call back");
        store.insert_task(&later).unwrap();
        store.insert_task(&sooner).unwrap();
        let titles: Vec<String> = store
            .tasks_of(me)
            .unwrap()
            .into_iter()
            .map(|t| t.title)
            .collect();
        assert_eq!(titles, vec!["call back", "send quote"]);
        let moved = store
            .update_task(&Task {
                due: now,
                ..later.clone()
            })
            .unwrap();
        assert_eq!(moved.version, 2);
        let titles: Vec<String> = store
            .tasks_of(me)
            .unwrap()
            .into_iter()
            .map(|t| t.title)
            .collect();
        assert_eq!(titles, vec!["send quote", "call back"]);
        assert_eq!(store.update_task(&later), Err(Error::Conflict));
    }

    #[test]
    fn timeline_mixes_activities_tasks_and_changes() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        store
            .insert_activity(&activity(
                c.id,
                Utc::now() - Duration::hours(2),
                "first call",
            ))
            .unwrap();
        store
            .insert_task(&task(
                Id(7),
                Some(c.id),
                Utc::now() + Duration::days(1),
                "visit",
            ))
            .unwrap();
        let change = FieldChange {
            record: c.id,
            by: Id(7),
            at: Utc::now() + Duration::seconds(1),
            field: "name".into(),
            old: "星辰科技".into(),
            new: "星辰".into(),
        };
        store
            .update_customer(
                &Customer {
                    name: "星辰".into(),
                    ..c.clone()
                },
                &[change],
            )
            .unwrap();
        let kinds: Vec<&str> = store
            .timeline(c.id, None, 10)
            .unwrap()
            .iter()
            .map(|(_, e)| match e {
                TimelineEntry::Activity(_) => "activity",
                TimelineEntry::Task(_) => "task",
                TimelineEntry::Change(_) => "change",
                TimelineEntry::File(_) => "file",
                TimelineEntry::Deal(_) => "deal",
                TimelineEntry::Money(_) => "money",
            })
            .collect();
        assert_eq!(kinds, vec!["change", "task", "activity"]);
    }

    #[test]
    fn deleting_the_latest_activity_moves_last_activity_back() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let now = Utc::now();
        let older = activity(c.id, now - Duration::days(5), "older");
        let newer = activity(c.id, now, "newer");
        store.insert_activity(&older).unwrap();
        store.insert_activity(&newer).unwrap();
        let texts =
            |list: Vec<Activity>| -> Vec<String> { list.into_iter().map(|a| a.text).collect() };
        assert_eq!(
            texts(store.activities_of(c.id, None, 10).unwrap()),
            ["newer", "older"]
        );

        assert_eq!(
            store.recycle_activity(newer.id, Utc::now(), Id(1)).unwrap(),
            newer
        );
        assert_eq!(store.activity(newer.id).unwrap(), None);
        assert_eq!(
            texts(store.activities_of(c.id, None, 10).unwrap()),
            ["older"]
        );
        assert_eq!(store.timeline(c.id, None, 10).unwrap().len(), 1);
        assert_eq!(
            store
                .last_activity(c.id)
                .unwrap()
                .map(|t| t.timestamp_micros()),
            Some(older.at.timestamp_micros())
        );
        let recent = super::super::CustomerQuery {
            contacted_from: Some(now - Duration::days(1)),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(store.directory().query(&recent, None).0, 0);

        store.recycle_activity(older.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(store.last_activity(c.id).unwrap(), None);
        assert_eq!(
            store.recycle_activity(older.id, Utc::now(), Id(1)),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn deleted_task_leaves_the_list_and_the_timeline() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        let me = Id::generate();
        let visit = task(me, Some(c.id), Utc::now() + Duration::days(1), "visit");
        store.insert_task(&visit).unwrap();
        store.delete_task(visit.id).unwrap();
        assert!(store.tasks_of(me).unwrap().is_empty());
        assert!(store.timeline(c.id, None, 10).unwrap().is_empty());
        assert_eq!(store.task(visit.id).unwrap(), None);
    }

    #[test]
    fn activity_on_a_binned_customer_is_refused() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(
            store.insert_activity(&activity(c.id, Utc::now(), "x")),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn timeline_narrows_to_one_kind() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        store.insert_customer(&c, &[]).unwrap();
        store
            .insert_activity(&activity(c.id, Utc::now(), "call"))
            .unwrap();
        store
            .insert_task(&task(Id::generate(), Some(c.id), Utc::now(), "报价"))
            .unwrap();
        let tasks = store
            .timeline_of_kind(c.id, None, 10, Some(TimelineKind::Task))
            .unwrap();
        assert_eq!(tasks.len(), 1);
        assert!(matches!(tasks[0].1, TimelineEntry::Task(_)));
        assert_eq!(store.timeline(c.id, None, 10).unwrap().len(), 2);
    }
}
