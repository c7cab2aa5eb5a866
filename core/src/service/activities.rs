//! Logging activities, tasks and commitments, and reading a customer's timeline.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Guanxi;
use crate::domain::{validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Activity, ActivityInput, ActivityKind, Id, Role, Task, TaskInput, TimelineEntry, User,
};
use crate::store::TimelineCursor;

pub const MAX_CALL_MINUTES: u32 = 24 * 60;
pub const MAX_TIMELINE_PAGE: usize = 100;
pub const MAX_ACTIVITY_PAGE: usize = 500;

/// An edit of a task; what is `None` stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub done: Option<bool>,
}

impl Guanxi {
    pub fn log_activity(&self, me: &User, input: ActivityInput) -> Result<Activity> {
        self.customer(me, input.customer_id)
            .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
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
        if at > now + Duration::days(1) {
            return Err(Error::invalid(Field::At, Problem::Malformed));
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
        };
        self.store.insert_activity(&activity)?;
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
        self.store.insert_task(&task)?;
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
        self.store.update_task(&Task {
            done_at: done.then(Utc::now),
            version,
            ..task
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
        self.store.update_task(&Task {
            title,
            due: changes.due.unwrap_or(task.due),
            done_at,
            version,
            ..task
        })
    }

    /// Deletes a task: its assignee, its creator or an admin. A manager who
    /// sees a team member's task may tick it but not delete it.
    pub fn delete_task(&self, me: &User, id: Id) -> Result<()> {
        let task = self.changeable_task(me, id)?;
        if task.assignee != me.id && task.created_by != me.id && !me.role.is_admin() {
            return Err(Error::Forbidden);
        }
        self.store.delete_task(id).map(|_| ())
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

    /// Deletes an activity: only whoever logged it, or an admin.
    pub fn delete_activity(&self, me: &User, id: Id) -> Result<()> {
        let activity = self.store.activity(id)?.ok_or(Error::NotFound)?;
        self.customer(me, activity.customer_id)?;
        if activity.by != me.id && !me.role.is_admin() {
            return Err(Error::Forbidden);
        }
        self.store.delete_activity(id).map(|_| ())
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
    use crate::model::{CustomerInput, UserInput};

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
}
