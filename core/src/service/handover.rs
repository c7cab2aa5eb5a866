//! Handing over everything a user holds (a rep who leaves or changes job)
//! to a colleague or the public pool, in one transaction.

use chrono::Utc;

use super::Guanxi;
use super::customers::diff;
use super::pool::override_line;
use crate::domain::{deals, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    BoardFilter, Customer, DealStatus, HandoverReport, HandoverScope, Id, Role, User,
};
use crate::store::{CustomerQuery, OwnerFilter};

impl Guanxi {
    /// What handing over `user`'s desk would move, and to whom it may go:
    /// for a manager or admin who may edit `user`.
    pub fn handover_scope(&self, me: &User, user: Id) -> Result<HandoverScope> {
        if me.role == Role::Rep {
            return Err(Error::Forbidden);
        }
        let source = self.store.user(user)?.ok_or(Error::NotFound)?;
        if !visibility::can_edit(me, Some(&source)) {
            return Err(Error::Forbidden);
        }
        let query = CustomerQuery {
            owner: OwnerFilter::User(user),
            limit: 0,
            ..Default::default()
        };
        let (customers, _) = self.list_customers(me, &query)?;
        let led = BoardFilter {
            owner: Some(user),
            ..Default::default()
        };
        let mut open_deals = 0;
        for pipeline in self.pipelines()? {
            open_deals += self
                .list_deals(me, Some(pipeline.id), None, &led)?
                .iter()
                .filter(|d| !d.is_closed())
                .count();
        }
        let open_tasks = self
            .store
            .tasks_of(user)?
            .iter()
            .filter(|t| t.done_at.is_none())
            .count();
        let receivers: Vec<User> = self
            .visible_active_users(me)?
            .into_iter()
            .filter(|u| u.id != user)
            .collect();
        let mut held = Vec::with_capacity(receivers.len());
        for u in &receivers {
            held.push(self.store.customer_ids_of(Some(u.id))?.len() as u32);
        }
        Ok(HandoverScope {
            name: source.name,
            customers,
            open_deals,
            open_tasks,
            targets: receivers.into_iter().map(|u| (u.id, u.name)).collect(),
            held,
            holding_limit: self.store.customer_settings()?.holding_limit,
        })
    }

    /// Hands over what `from` holds; admins, and managers of `from`.
    ///
    /// - Customers `from` owns go to `to`, or to the public pool when `to`
    ///   is `None`; each change is in the customer's audit trail. Within
    ///   the receiver's holding limit, unless an admin gives a reason
    ///   (`handover_with`), which each customer's audit trail keeps.
    /// - Open and suspended deals `from` leads go to `to` with the lead's
    ///   share of the credit. A deal cannot sit in the pool, so with no
    ///   `to` they go to `me`, who then decides who works them. Won and
    ///   lost deals stay credited to whoever closed them.
    /// - Open tasks assigned to `from` go to `to`, or to `me`; done ones
    ///   stay as the record of who did them.
    pub fn handover(&self, me: &User, from: Id, to: Option<Id>) -> Result<HandoverReport> {
        self.handover_with(me, from, to, None)
    }

    /// `handover`, over the receiver's holding limit with an admin's reason.
    pub fn handover_with(
        &self,
        me: &User,
        from: Id,
        to: Option<Id>,
        override_reason: Option<&str>,
    ) -> Result<HandoverReport> {
        let source = self
            .store
            .user(from)?
            .ok_or(Error::invalid(Field::Owner, Problem::Unknown))?;
        let manages = me.role == Role::Manager
            && source.id != me.id
            && visibility::can_edit(me, Some(&source));
        if !(me.active && (me.role.is_admin() || manages)) {
            return Err(Error::Forbidden);
        }
        if to == Some(from) {
            return Err(Error::invalid(Field::Owner, Problem::Unknown));
        }
        let mut over_limit = None;
        if let Some(to) = to {
            let receiver = self.may_hand_to(me, to)?;
            let adding = self.store.customer_ids_of(Some(from))?.len();
            over_limit = self.check_holding_limit(me, &receiver, adding, override_reason)?;
        }
        let heir = to.unwrap_or(me.id);
        let now = Utc::now();
        let moved = self.store.hand_over(
            from,
            |customer| {
                let moved = Customer {
                    owner: to,
                    updated_at: now,
                    ..customer.clone()
                };
                let mut changes = diff(customer, &moved, me.id);
                changes.extend(
                    over_limit
                        .clone()
                        .map(|reason| override_line(&moved, me.id, reason)),
                );
                Some((moved, changes))
            },
            |deal| {
                if deal.is_closed()
                    || !matches!(deal.status, DealStatus::Open | DealStatus::Suspended)
                {
                    return false;
                }
                deal.owners = deals::transfer_shares(&deal.owners, heir);
                deal.updated_at = now;
                true
            },
            |task| {
                if task.done_at.is_some() {
                    return false;
                }
                task.assignee = heir;
                true
            },
        )?;
        for deal in &moved.deals {
            self.deal_changed(deal);
        }
        Ok(HandoverReport {
            customers: moved
                .customers
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            deals: moved.deals.into_iter().map(|d| (d.id, d.title)).collect(),
            tasks: moved.tasks.into_iter().map(|t| (t.id, t.title)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{BoardFilter, CustomerInput, DealInput, Outcome, TaskInput};

    fn customer(gx: &Guanxi, owner: &User, name: &str) -> Id {
        let input = CustomerInput {
            name: name.into(),
            ..Default::default()
        };
        gx.create_customer(owner, input, vec![], true).unwrap().id
    }

    fn deal(gx: &Guanxi, owner: &User, customer: Id, title: &str) -> Id {
        let input = DealInput {
            customer_id: Some(customer),
            title: title.into(),
            amount: "1000".into(),
            ..Default::default()
        };
        gx.create_deal(owner, input).unwrap().id
    }

    fn task(gx: &Guanxi, owner: &User, title: &str) -> Id {
        let input = TaskInput {
            title: title.into(),
            due: Utc::now() + Duration::days(1),
            assignee: None,
            customer_id: None,
            commitment: false,
        };
        gx.add_task(owner, input).unwrap().id
    }

    #[test]
    fn a_leaving_rep_hands_everything_to_a_colleague_in_one_go() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let star = customer(&gx, &li, "北京星辰");
        let moon = customer(&gx, &li, "上海明月");
        let open = deal(&gx, &li, star, "ERP");
        let won = deal(&gx, &li, moon, "OA");
        gx.close_deal(&li, won, Outcome::Won, "price", None)
            .unwrap();
        let call = task(&gx, &li, "回访");
        let done = task(&gx, &li, "已完成");
        let done_task = gx.store.task(done).unwrap().unwrap();
        gx.set_task_done(&li, done, true, done_task.version)
            .unwrap();

        assert_eq!(
            gx.handover(&li, li.id, Some(wang.id)),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.handover(&manager, manager.id, Some(wang.id)),
            Err(Error::Forbidden),
            "a manager does not hand over their own desk"
        );
        let report = gx.handover(&manager, li.id, Some(wang.id)).unwrap();
        let names = |v: &[(Id, String)]| v.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&report.customers), ["北京星辰", "上海明月"]);
        assert_eq!(names(&report.deals), ["ERP"]);
        assert_eq!(names(&report.tasks), ["回访"]);

        assert_eq!(gx.customer(&wang, star).unwrap().owner, Some(wang.id));
        assert_eq!(gx.deal(&wang, open).unwrap().lead_owner(), Some(wang.id));
        assert_eq!(
            gx.store.deal(won).unwrap().unwrap().lead_owner(),
            Some(li.id)
        );
        assert_eq!(gx.store.task(call).unwrap().unwrap().assignee, wang.id);
        assert_eq!(gx.store.task(done).unwrap().unwrap().assignee, li.id);
        let audit = gx.customer_changes(&admin, star).unwrap().pop().unwrap();
        assert_eq!(
            (audit.field.as_str(), audit.by, audit.new),
            ("owner", manager.id, wang.id.to_string())
        );
        assert!(gx.customer(&li, star).is_err());
    }

    #[test]
    fn handing_over_to_the_pool_leaves_deals_and_tasks_with_the_manager() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let north = person(&gx, &admin, "n@x.cn", Role::Manager, Some("华北"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let star = customer(&gx, &li, "北京星辰");
        let open = deal(&gx, &li, star, "ERP");
        task(&gx, &li, "回访");
        assert_eq!(gx.handover(&north, li.id, None), Err(Error::Forbidden));
        assert_eq!(
            gx.handover(&manager, li.id, Some(north.id)),
            Err(Error::Forbidden),
            "not to someone outside the team"
        );
        let report = gx.handover(&manager, li.id, None).unwrap();
        assert_eq!(
            (
                report.customers.len(),
                report.deals.len(),
                report.tasks.len()
            ),
            (1, 1, 1)
        );
        assert_eq!(gx.customer(&li, star).unwrap().owner, None, "in the pool");
        assert_eq!(
            gx.deal(&manager, open).unwrap().lead_owner(),
            Some(manager.id)
        );
        assert_eq!(gx.my_tasks(&manager).unwrap().len(), 1);
        let board = gx
            .board(
                &manager,
                gx.pipelines().unwrap()[0].id,
                Utc::now(),
                &BoardFilter::default(),
            )
            .unwrap();
        assert_eq!(board.columns[0].count, 1);
        let empty = gx.handover(&manager, li.id, None).unwrap();
        assert_eq!(
            empty,
            HandoverReport::default(),
            "nothing left to hand over"
        );
    }

    #[test]
    fn a_handover_over_the_receivers_limit_needs_an_admins_reason() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let star = customer(&gx, &li, "北京星辰");
        customer(&gx, &li, "上海明月");
        customer(&gx, &wang, "广州云帆");
        gx.update_customer_settings(
            super::super::Actor::User(&admin),
            crate::model::CustomerSettings {
                holding_limit: 2,
                ..Default::default()
            },
        )
        .unwrap();
        let scope = gx.handover_scope(&manager, li.id).unwrap();
        assert_eq!(scope.holding_limit, 2);
        assert_eq!(scope.over_limit(wang.id), Some(3), "1 held + 2 handed over");
        assert_eq!(scope.over_limit(manager.id), None);

        let refused = Err(Error::HoldingLimit {
            user: "wang@x.cn".into(),
            held: 1,
            limit: 2,
        });
        assert_eq!(gx.handover(&manager, li.id, Some(wang.id)), refused);
        assert_eq!(
            gx.handover_with(&manager, li.id, Some(wang.id), Some("年底调整")),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.customer(&li, star).unwrap().owner,
            Some(li.id),
            "nothing moved"
        );
        let report = gx
            .handover_with(&admin, li.id, Some(wang.id), Some("年底调整"))
            .unwrap();
        assert_eq!(report.customers.len(), 2);
        let audit = gx.customer_changes(&admin, star).unwrap();
        let line = audit.iter().find(|a| a.field == "limit_override").unwrap();
        assert_eq!((line.new.as_str(), line.by), ("年底调整", admin.id));
    }

    #[test]
    fn the_handover_preview_counts_what_would_move_for_a_manager_only() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let north = person(&gx, &admin, "n@x.cn", Role::Manager, Some("华北"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let star = customer(&gx, &li, "北京星辰");
        customer(&gx, &li, "上海明月");
        deal(&gx, &li, star, "ERP");
        task(&gx, &li, "回访");

        assert_eq!(gx.handover_scope(&wang, li.id), Err(Error::Forbidden));
        assert_eq!(gx.handover_scope(&north, li.id), Err(Error::Forbidden));
        assert_eq!(
            gx.handover_scope(&manager, Id::generate()),
            Err(Error::NotFound)
        );
        let scope = gx.handover_scope(&manager, li.id).unwrap();
        assert_eq!(
            (
                scope.name.as_str(),
                scope.customers,
                scope.open_deals,
                scope.open_tasks
            ),
            ("li@x.cn", 2, 1, 1)
        );
        let mut targets: Vec<Id> = scope.targets.iter().map(|(id, _)| *id).collect();
        targets.sort();
        let mut expected = vec![manager.id, wang.id];
        expected.sort();
        assert_eq!(targets, expected, "the team, without li");
    }
}
