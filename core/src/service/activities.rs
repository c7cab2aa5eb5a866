//! Logging activities, tasks and commitments, and reading a customer's timeline.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Guanxi, audit};
use crate::domain::{validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, ActivityInput, ActivityKind, AuditEntry, AuditKind, Id, Role, Task, TaskInput,
    TimelineEntry, User,
};
use crate::store::TimelineCursor;

pub const MAX_CALL_MINUTES: u32 = 24 * 60;
pub const MAX_TIMELINE_PAGE: usize = 100;
pub const MAX_ACTIVITY_PAGE: usize = 500;
/// A logged time this far ahead of the server's clock is still "now": a
/// browser's clock may run a little fast.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// An edit of a task; what is `None` stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub done: Option<bool>,
}

/// An activity logged or deleted, as an audit entry named by its kind.
fn activity_entry(by: Id, before: Option<&Activity>, after: Option<&Activity>) -> AuditEntry {
    let activity = after.or(before);
    audit::changed(
        Some(by),
        AuditKind::Activity,
        activity.map(|a| a.id),
        activity.map(|a| a.kind.code()).unwrap_or_default(),
        before,
        after,
    )
}

/// A task added, changed or deleted, as an audit entry.
fn task_entry(by: Id, before: Option<&Task>, after: Option<&Task>) -> AuditEntry {
    let task = after.or(before);
    audit::changed(
        Some(by),
        AuditKind::Task,
        task.map(|t| t.id),
        task.map(|t| t.title.clone()).unwrap_or_default(),
        before,
        after,
    )
}

impl Guanxi {
    /// Logs an activity on a customer `me` may see, or about one of its
    /// deals `me` may see (a deal's co-owner may not see its customer).
    /// The deal must be the customer's; the time, when given, not later
    /// than now.
    pub fn log_activity(&self, me: &User, input: ActivityInput) -> Result<Activity> {
        match input.deal_id {
            Some(deal) => {
                let deal = self
                    .deal(me, deal)
                    .map_err(|_| Error::invalid(Field::Deal, Problem::Unknown))?;
                if deal.customer_id != input.customer_id {
                    return Err(Error::invalid(Field::Deal, Problem::Unknown));
                }
            }
            None => {
                self.customer(me, input.customer_id)
                    .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
            }
        }
        let text = input.text.trim().to_string();
        if input.kind == ActivityKind::Note && text.is_empty() {
            return Err(Error::invalid(Field::Text, Problem::Required));
        }
        if text.chars().count() > validate::MAX_NOTES as usize {
            return Err(Error::invalid(
                Field::Text,
                Problem::TooLong {
                    max: validate::MAX_NOTES,
                },
            ));
        }
        let duration_minutes = match (input.kind, input.duration_minutes) {
            (ActivityKind::Call, Some(m)) if m > MAX_CALL_MINUTES => {
                return Err(Error::invalid(
                    Field::Duration,
                    Problem::OutOfRange {
                        min: 0,
                        max: MAX_CALL_MINUTES,
                    },
                ));
            }
            (ActivityKind::Call, minutes) => minutes,
            (_, _) => None,
        };
        let now = Utc::now();
        let at = input.at.unwrap_or(now);
        if at > now + CLOCK_SKEW {
            return Err(Error::invalid(Field::At, Problem::InFuture));
        }
        if let Some(contact) = input.contact_id
            && !self
                .store
                .contacts_of(input.customer_id)?
                .iter()
                .any(|c| c.id == contact)
        {
            return Err(Error::invalid(Field::Name, Problem::Unknown));
        }
        let activity = Activity {
            id: Id::generate(),
            kind: input.kind,
            customer_id: input.customer_id,
            contact_id: input.contact_id,
            at,
            duration_minutes,
            text,
            by: me.id,
            created_at: now,
            deal_id: input.deal_id,
        };
        self.store.audited(|lines| {
            lines.push(activity_entry(me.id, None, Some(&activity)));
            self.store.insert_activity(&activity)
        })?;
        Ok(activity)
    }

    pub fn add_task(&self, me: &User, input: TaskInput) -> Result<Task> {
        let title = validate::text(Field::Text, &input.title, validate::MAX_CUSTOMER_NAME)?;
        if let Some(customer) = input.customer_id {
            self.customer(me, customer)
                .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
        }
        if input.commitment && input.customer_id.is_none() {
            return Err(Error::invalid(Field::Customer, Problem::Required));
        }
        let assignee = match input.assignee {
            None => me.id,
            Some(id) if id == me.id => id,
            Some(id) => {
                let target = self
                    .store
                    .user(id)?
                    .filter(|u| u.active)
                    .ok_or(Error::invalid(Field::Assignee, Problem::Unknown))?;
                if me.role == Role::Rep || !visibility::can_see(me, Some(&target)) {
                    return Err(Error::Forbidden);
                }
                id
            }
        };
        let task = Task {
            id: Id::generate(),
            title,
            due: input.due,
            assignee,
            customer_id: input.customer_id,
            commitment: input.commitment,
            done_at: None,
            created_by: me.id,
            created_at: Utc::now(),
            version: 1,
        };
        self.store.audited(|lines| {
            lines.push(task_entry(me.id, None, Some(&task)));
            self.store.insert_task(&task)
        })?;
        Ok(task)
    }

    /// A task `me` may change: its assignee, its creator, or whoever manages
    /// the assignee. Others' tasks read as not found.
    fn changeable_task(&self, me: &User, id: Id) -> Result<Task> {
        let task = self.store.task(id)?.ok_or(Error::NotFound)?;
        if task.assignee == me.id || task.created_by == me.id {
            return Ok(task);
        }
        let assignee = self.store.user(task.assignee)?;
        if me.role != Role::Rep && visibility::can_edit(me, assignee.as_ref()) {
            return Ok(task);
        }
        Err(Error::NotFound)
    }

    /// Ticks a task done (or undone): its assignee, its creator, or whoever
    /// manages the assignee.
    pub fn set_task_done(&self, me: &User, id: Id, done: bool, version: u64) -> Result<Task> {
        let task = self.changeable_task(me, id)?;
        let edited = Task {
            done_at: done.then(Utc::now),
            version,
            ..task.clone()
        };
        self.update_task_audited(me, &task, &edited)
    }

    fn update_task_audited(&self, me: &User, before: &Task, after: &Task) -> Result<Task> {
        self.store.audited(|lines| {
            lines.push(task_entry(me.id, Some(before), Some(after)));
            self.store.update_task(after)
        })
    }

    /// Renames, moves or ticks a task, with the same rights as ticking it.
    /// Ticking a task that is already done keeps when it was done.
    pub fn edit_task(&self, me: &User, id: Id, changes: TaskChanges, version: u64) -> Result<Task> {
        let task = self.changeable_task(me, id)?;
        let title = match &changes.title {
            Some(title) => validate::text(Field::Text, title, validate::MAX_CUSTOMER_NAME)?,
            None => task.title.clone(),
        };
        let done_at = match changes.done {
            None => task.done_at,
            Some(true) => task.done_at.or_else(|| Some(Utc::now())),
            Some(false) => None,
        };
        let edited = Task {
            title,
            due: changes.due.unwrap_or(task.due),
            done_at,
            version,
            ..task.clone()
        };
        self.update_task_audited(me, &task, &edited)
    }

    /// Deletes a task: its assignee, its creator or an admin. A manager who
    /// sees a team member's task may tick it but not delete it.
    pub fn delete_task(&self, me: &User, id: Id) -> Result<()> {
        let task = self.changeable_task(me, id)?;
        if task.assignee != me.id && task.created_by != me.id && !me.role.is_admin() {
            return Err(Error::Forbidden);
        }
        self.store.audited(|lines| {
            lines.push(task_entry(me.id, Some(&task), None));
            self.store.delete_task(id).map(|_| ())
        })
    }

    /// The actor's own tasks, by due date.
    pub fn my_tasks(&self, me: &User) -> Result<Vec<Task>> {
        self.store.tasks_of(me.id)
    }

    /// Every task `me` may change: a rep's own, a manager's team's, an
    /// admin's everyone's; by due date.
    pub fn visible_tasks(&self, me: &User) -> Result<Vec<Task>> {
        if me.role == Role::Rep {
            return self.my_tasks(me);
        }
        let mut tasks = Vec::new();
        for user in self.store.users()? {
            if user.id == me.id || visibility::can_edit(me, Some(&user)) {
                tasks.extend(self.store.tasks_of(user.id)?);
            }
        }
        tasks.sort_by_key(|t| (t.due, t.id));
        Ok(tasks)
    }

    /// A customer's activities, newest first, `limit` at most, older than the
    /// activity `before` when given.
    pub fn customer_activities(
        &self,
        me: &User,
        customer: Id,
        before: Option<Id>,
        limit: usize,
    ) -> Result<Vec<Activity>> {
        self.customer(me, customer)?;
        let cursor = match before {
            None => None,
            Some(id) => {
                let from = self
                    .store
                    .activity(id)?
                    .filter(|a| a.customer_id == customer)
                    .ok_or(Error::NotFound)?;
                Some((from.at.timestamp_micros(), from.id.0))
            }
        };
        self.store
            .activities_of(customer, cursor, limit.clamp(1, MAX_ACTIVITY_PAGE))
    }

    /// Moves an activity to the recycle bin: only whoever logged it, or an
    /// admin.
    pub fn delete_activity(&self, me: &User, id: Id) -> Result<()> {
        let activity = self.store.activity(id)?.ok_or(Error::NotFound)?;
        self.customer(me, activity.customer_id)?;
        if activity.by != me.id && !me.role.is_admin() {
            return Err(Error::Forbidden);
        }
        self.store.audited(|lines| {
            lines.push(activity_entry(me.id, Some(&activity), None));
            self.store
                .recycle_activity(id, Utc::now(), me.id)
                .map(|_| ())
        })
    }

    /// The activities about a deal `me` may see, newest first.
    pub fn deal_activities(&self, me: &User, deal: Id, limit: usize) -> Result<Vec<Activity>> {
        self.deal(me, deal)?;
        self.store
            .activities_of_deal(deal, limit.clamp(1, MAX_ACTIVITY_PAGE))
    }

    pub fn timeline(
        &self,
        me: &User,
        customer: Id,
        before: Option<TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        self.timeline_of_kind(me, customer, before, limit, None)
    }

    pub fn timeline_of_kind(
        &self,
        me: &User,
        customer: Id,
        before: Option<TimelineCursor>,
        limit: usize,
        only: Option<crate::model::TimelineKind>,
    ) -> Result<Vec<(TimelineCursor, TimelineEntry)>> {
        self.customer(me, customer)?;
        self.store
            .timeline_of_kind(customer, before, limit.clamp(1, MAX_TIMELINE_PAGE), only)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Actor;
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{CustomerInput, TimelineKind, UserInput};

    fn rep(gx: &Guanxi, admin: &User, email: &str) -> User {
        gx.create_user(
            Actor::User(admin),
            UserInput {
                email: email.into(),
                name: email.into(),
                role: Role::Rep,
                team: None,
            },
            "rep password 1",
        )
        .unwrap()
    }

    fn customer(gx: &Guanxi, owner: &User) -> Id {
        gx.create_customer(
            owner,
            CustomerInput {
                name: format!("客户{}", Id::generate()),
                customer_type: "potential".into(),
                ..Default::default()
            },
            vec![],
            true,
        )
        .unwrap()
        .id
    }

    fn call(customer: Id, minutes: Option<u32>) -> ActivityInput {
        ActivityInput {
            kind: ActivityKind::Call,
            customer_id: customer,
            contact_id: None,
            at: None,
            duration_minutes: minutes,
            text: "谈了报价".into(),
            deal_id: None,
        }
    }

    #[test]
    fn a_logged_call_shows_on_the_timeline() {
        let (_dir, gx, admin) = set_up_company();
        let c = customer(&gx, &admin);
        let logged = gx.log_activity(&admin, call(c, Some(12))).unwrap();
        let timeline = gx.timeline(&admin, c, None, 20).unwrap();
        assert!(matches!(&timeline[0].1, TimelineEntry::Activity(a) if *a == logged));
    }

    #[test]
    fn bad_activities_are_refused() {
        let (_dir, gx, admin) = set_up_company();
        let c = customer(&gx, &admin);
        assert!(matches!(
            gx.log_activity(&admin, call(c, Some(MAX_CALL_MINUTES + 1))),
            Err(Error::Invalid {
                field: Field::Duration,
                ..
            })
        ));
        let mut note = call(c, None);
        note.kind = ActivityKind::Note;
        note.text = "  ".into();
        assert_eq!(
            gx.log_activity(&admin, note),
            Err(Error::invalid(Field::Text, Problem::Required))
        );
        let mut future = call(c, None);
        future.at = Some(Utc::now() + Duration::days(3));
        assert!(gx.log_activity(&admin, future).is_err());
        assert!(gx.timeline(&admin, c, None, 20).unwrap().is_empty());
    }

    #[test]
    fn rep_cannot_log_on_or_read_another_reps_customer() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let c = customer(&gx, &li);
        assert_eq!(
            gx.log_activity(&wang, call(c, None)),
            Err(Error::invalid(Field::Customer, Problem::Unknown))
        );
        assert_eq!(gx.timeline(&wang, c, None, 20), Err(Error::NotFound));
    }

    #[test]
    fn tasks_default_to_me_and_reps_cannot_assign_others() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let due = Utc::now() + Duration::days(1);
        let mine = gx
            .add_task(
                &li,
                TaskInput {
                    title: "回电话".into(),
                    due,
                    assignee: None,
                    customer_id: None,
                    commitment: false,
                },
            )
            .unwrap();
        assert_eq!(mine.assignee, li.id);
        let for_wang = TaskInput {
            title: "x".into(),
            due,
            assignee: Some(wang.id),
            customer_id: None,
            commitment: false,
        };
        assert_eq!(gx.add_task(&li, for_wang.clone()), Err(Error::Forbidden));
        assert!(gx.add_task(&admin, for_wang).is_ok());
        let done = gx.set_task_done(&li, mine.id, true, mine.version).unwrap();
        assert!(done.done_at.is_some());
        assert_eq!(
            gx.set_task_done(&wang, mine.id, false, done.version),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn only_the_author_or_an_admin_deletes_an_activity() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let c = customer(&gx, &li);
        let first = gx.log_activity(&li, call(c, Some(5))).unwrap();
        let second = gx.log_activity(&li, call(c, Some(7))).unwrap();
        let ids = |list: Vec<Activity>| -> Vec<Id> { list.into_iter().map(|a| a.id).collect() };
        assert_eq!(
            ids(gx.customer_activities(&li, c, None, 10).unwrap()),
            [second.id, first.id]
        );
        assert_eq!(
            ids(gx.customer_activities(&li, c, Some(second.id), 10).unwrap()),
            [first.id]
        );
        assert_eq!(
            gx.customer_activities(&wang, c, None, 10),
            Err(Error::NotFound)
        );
        assert_eq!(gx.delete_activity(&wang, second.id), Err(Error::NotFound));
        gx.delete_activity(&li, second.id).unwrap();
        gx.delete_activity(&admin, first.id).unwrap();
        assert!(gx.customer_activities(&li, c, None, 10).unwrap().is_empty());
        assert_eq!(gx.store.last_activity(c).unwrap(), None);
    }

    #[test]
    fn task_edits_check_rights_and_version() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let due = Utc::now() + Duration::days(1);
        let task = gx
            .add_task(
                &admin,
                TaskInput {
                    title: "回电话".into(),
                    due,
                    assignee: Some(li.id),
                    customer_id: None,
                    commitment: false,
                },
            )
            .unwrap();
        let done = gx
            .edit_task(
                &li,
                task.id,
                TaskChanges {
                    title: Some("回电话给张总".into()),
                    done: Some(true),
                    ..Default::default()
                },
                task.version,
            )
            .unwrap();
        assert_eq!((done.title.as_str(), done.due), ("回电话给张总", due));
        assert!(done.done_at.is_some());
        assert_eq!(
            gx.edit_task(&li, task.id, TaskChanges::default(), task.version),
            Err(Error::Conflict)
        );
        assert_eq!(
            gx.edit_task(&wang, task.id, TaskChanges::default(), done.version),
            Err(Error::NotFound)
        );
        assert_eq!(gx.visible_tasks(&admin).unwrap(), vec![done.clone()]);
        assert!(gx.visible_tasks(&wang).unwrap().is_empty());
        assert_eq!(gx.delete_task(&wang, task.id), Err(Error::NotFound));
        gx.delete_task(&li, task.id).unwrap();
        assert!(gx.my_tasks(&li).unwrap().is_empty());
    }

    #[test]
    fn commitments_belong_to_a_customer_and_show_on_its_timeline() {
        let (_dir, gx, admin) = set_up_company();
        let c = customer(&gx, &admin);
        let promise = |customer_id| TaskInput {
            title: "周五前发送合同草稿".into(),
            due: Utc::now() + Duration::days(2),
            assignee: None,
            customer_id,
            commitment: true,
        };
        assert_eq!(
            gx.add_task(&admin, promise(None)),
            Err(Error::invalid(Field::Customer, Problem::Required))
        );
        let kept = gx.add_task(&admin, promise(Some(c))).unwrap();
        let timeline = gx.timeline(&admin, c, None, 20).unwrap();
        assert!(
            matches!(&timeline[0].1, TimelineEntry::Task(t) if t.id == kept.id && t.commitment)
        );
    }

    fn deal(gx: &Guanxi, me: &User, customer: Id) -> crate::model::Deal {
        gx.create_deal(
            me,
            crate::model::DealInput {
                customer_id: Some(customer),
                title: "ERP".into(),
                amount: "1000".into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_call_logged_for_earlier_keeps_its_time_and_one_in_the_future_is_refused() {
        let (_dir, gx, admin) = set_up_company();
        let c = customer(&gx, &admin);
        let mut future = call(c, None);
        future.at = Some(Utc::now() + Duration::hours(1));
        assert_eq!(
            gx.log_activity(&admin, future),
            Err(Error::invalid(Field::At, Problem::InFuture))
        );
        assert!(gx.timeline(&admin, c, None, 20).unwrap().is_empty());
        let now = gx.log_activity(&admin, call(c, None)).unwrap();
        let earlier = Utc::now() - Duration::hours(3);
        let mut made_earlier = call(c, Some(4));
        made_earlier.at = Some(earlier);
        let logged = gx.log_activity(&admin, made_earlier).unwrap();
        assert_eq!(logged.at, earlier);
        let timeline: Vec<Id> = gx
            .timeline(&admin, c, None, 20)
            .unwrap()
            .into_iter()
            .map(|(_, e)| match e {
                TimelineEntry::Activity(a) => a.id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(timeline, [now.id, logged.id], "by when it happened");
    }

    /// An activity may be about one of its customer's deals: the deal page
    /// lists it, the customer's timeline still shows it, and a deal of
    /// another customer (or one the user cannot see) is refused.
    #[test]
    fn an_activity_is_linked_only_to_a_deal_of_its_own_customer() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let c = customer(&gx, &li);
        let other = customer(&gx, &li);
        let erp = deal(&gx, &li, c);
        let elsewhere = deal(&gx, &li, other);
        let about = |deal: Id| ActivityInput {
            deal_id: Some(deal),
            ..call(c, Some(5))
        };
        let wrong = Err(Error::invalid(Field::Deal, Problem::Unknown));
        assert_eq!(gx.log_activity(&li, about(elsewhere.id)), wrong);
        assert_eq!(gx.log_activity(&li, about(Id::generate())), wrong);
        assert_eq!(
            gx.log_activity(&wang, about(erp.id)),
            wrong,
            "not wang's deal"
        );
        let logged_on = |customer: Id| {
            gx.timeline_of_kind(&li, customer, None, 20, Some(TimelineKind::Activity))
                .unwrap()
                .len()
        };
        assert_eq!(logged_on(c), 0);

        let linked = gx.log_activity(&li, about(erp.id)).unwrap();
        let plain = gx.log_activity(&li, call(c, None)).unwrap();
        assert_eq!(linked.deal_id, Some(erp.id));
        assert_eq!(
            gx.deal_activities(&li, erp.id, 10).unwrap(),
            vec![linked.clone()]
        );
        assert!(
            gx.deal_activities(&li, elsewhere.id, 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(gx.deal_activities(&wang, erp.id, 10), Err(Error::NotFound));
        let on_timeline: Vec<Option<Id>> = gx
            .timeline(&li, c, None, 20)
            .unwrap()
            .into_iter()
            .filter_map(|(_, e)| match e {
                TimelineEntry::Activity(a) => Some(a.deal_id),
                _ => None,
            })
            .collect();
        assert_eq!(on_timeline.len(), 2, "{plain:?} and the linked one");
        assert!(on_timeline.contains(&Some(erp.id)));

        // A co-owner who cannot see the customer still logs on the deal.
        let mut shared = crate::model::DealInput::from(&erp);
        shared.owners = vec![
            crate::model::OwnerShare {
                user: li.id,
                percent: 50,
            },
            crate::model::OwnerShare {
                user: wang.id,
                percent: 50,
            },
        ];
        let erp = gx.update_deal(&li, erp.id, erp.version, shared).unwrap();
        let by_wang = gx.log_activity(&wang, about(erp.id)).unwrap();
        assert_eq!(gx.deal_activities(&wang, erp.id, 10).unwrap()[0], by_wang);

        // Given to another customer, the deal lets go of its activities;
        // they stay on the first customer's timeline.
        let mut moved = crate::model::DealInput::from(&erp);
        moved.customer_id = Some(other);
        gx.update_deal(&li, erp.id, erp.version, moved).unwrap();
        assert!(gx.deal_activities(&li, erp.id, 10).unwrap().is_empty());
        assert_eq!(logged_on(c), 3);
        assert_eq!(gx.store.activity(linked.id).unwrap().unwrap().deal_id, None);

        // Deleting a deal does the same; deleting an activity unlinks it.
        let again = gx
            .log_activity(
                &li,
                ActivityInput {
                    deal_id: Some(elsewhere.id),
                    ..call(other, None)
                },
            )
            .unwrap();
        let gone = gx
            .log_activity(
                &li,
                ActivityInput {
                    deal_id: Some(elsewhere.id),
                    ..call(other, None)
                },
            )
            .unwrap();
        gx.delete_activity(&li, gone.id).unwrap();
        assert_eq!(
            gx.deal_activities(&li, elsewhere.id, 10).unwrap(),
            vec![again.clone()]
        );
        gx.delete_deal(&li, elsewhere.id, None).unwrap();
        assert_eq!(gx.store.activity(again.id).unwrap().unwrap().deal_id, None);
    }
}
