//! Closing deals: the reasons a deal may be closed with, and reopening a
//! closed deal, which needs a manager's or an admin's approval (SPEC §3, §9).

use chrono::Utc;

use super::Guanxi;
use super::audit::{SETTINGS_CLOSE_REASONS, settings_entry};
use super::deals::enter_stage;
use crate::domain::{deals, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    CloseReasons, DealStatus, Id, Outcome, ReopenRequest, ReopenStatus, Role, User,
};

/// More reasons than this per outcome is not a list anyone picks from.
pub const MAX_CLOSE_REASONS: usize = 50;

/// One list of reasons: each trimmed, non-empty, short and there once.
fn clean_reasons(reasons: &[String]) -> Result<Vec<String>> {
    if reasons.len() > MAX_CLOSE_REASONS {
        return Err(Error::invalid(
            Field::Reason,
            Problem::TooLong {
                max: MAX_CLOSE_REASONS as u32,
            },
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(reasons.len());
    for reason in reasons {
        let reason = validate::text(Field::Reason, reason, validate::MAX_SHORT)?;
        if out.contains(&reason) {
            return Err(Error::invalid(Field::Reason, Problem::Taken));
        }
        out.push(reason);
    }
    Ok(out)
}

impl Guanxi {
    /// The reasons deals may be closed with; the built-in ones until an
    /// admin changes them.
    pub fn close_reasons(&self) -> Result<CloseReasons> {
        self.store.close_reasons()
    }

    /// Saves the close reasons (admins), from the version read. A list may
    /// be emptied to accept any reason typed at closing.
    pub fn set_close_reasons(&self, me: &User, reasons: CloseReasons) -> Result<CloseReasons> {
        if !(me.active && me.role.is_admin()) {
            return Err(Error::Forbidden);
        }
        let before = self.store.close_reasons()?;
        let after = CloseReasons {
            won: clean_reasons(&reasons.won)?,
            lost: clean_reasons(&reasons.lost)?,
            version: reasons.version,
        };
        self.store.audited(|lines| {
            lines.push(settings_entry(
                Some(me.id),
                SETTINGS_CLOSE_REASONS,
                &before,
                &after,
            ));
            self.store.save_close_reasons(&after)
        })
    }

    /// A reason typed or picked at closing: one of the list for `outcome`,
    /// or any short text when that list is empty.
    pub(super) fn close_reason(&self, outcome: Outcome, reason: &str) -> Result<String> {
        let reason = validate::text(Field::Reason, reason, validate::MAX_SHORT)?;
        let reasons = self.store.close_reasons()?;
        let allowed = reasons.for_outcome(outcome);
        if !allowed.is_empty() && !allowed.contains(&reason) {
            return Err(Error::invalid(Field::Reason, Problem::Unknown));
        }
        Ok(reason)
    }

    /// Asks for a won or lost deal to be reopened, saying why. Whoever may
    /// edit the deal may ask; one request per deal is pending at a time.
    pub fn request_reopen(&self, me: &User, deal_id: Id, note: &str) -> Result<ReopenRequest> {
        let deal = self.deal(me, deal_id)?;
        if !self.may_edit_deal(me, &deal)? {
            return Err(Error::Forbidden);
        }
        let outcome = match deal.status {
            DealStatus::Won => Outcome::Won,
            DealStatus::Lost => Outcome::Lost,
            DealStatus::Open | DealStatus::Suspended => {
                return Err(Error::invalid(Field::Stage, Problem::Unknown));
            }
        };
        let request = ReopenRequest {
            id: Id::generate(),
            deal_id,
            deal_title: deal.title,
            customer_id: deal.customer_id,
            outcome,
            requested_by: me.id,
            requester_name: me.name.clone(),
            note: validate::text(Field::Notes, note, validate::MAX_LONG)?,
            requested_at: Utc::now(),
            status: ReopenStatus::Pending,
            decided_by: None,
            decider_name: None,
            decided_at: None,
            decision_note: None,
        };
        self.store.insert_reopen_request(&request)?;
        Ok(request)
    }

    /// Whether `me` decides requests about deals `lead` leads: an admin
    /// always; a manager for the people they manage, never for their own
    /// request (an approval is someone else's yes).
    fn may_decide(&self, me: &User, request: &ReopenRequest, lead: Option<&User>) -> bool {
        match me.role {
            _ if !me.active => false,
            Role::Admin => true,
            Role::Manager => request.requested_by != me.id && visibility::can_edit(me, lead),
            Role::Rep => false,
        }
    }

    /// The pending requests `me` may decide, oldest deal first.
    pub fn reopen_inbox(&self, me: &User) -> Result<Vec<ReopenRequest>> {
        if me.role == Role::Rep {
            return Ok(Vec::new());
        }
        let users = self.users_by_id()?;
        let mut out = Vec::new();
        for request in self.store.pending_reopen_requests()? {
            let Some(deal) = self.store.deal(request.deal_id)? else {
                continue;
            };
            let lead = deal.lead_owner().and_then(|id| users.get(&id));
            if self.may_decide(me, &request, lead) {
                out.push(request);
            }
        }
        Ok(out)
    }

    /// Approves or rejects a pending request. Approval puts the deal back,
    /// open, in the stage it was closed from (or the first open stage if
    /// that one is gone), clears its close reason and records the move.
    pub fn decide_reopen(
        &self,
        me: &User,
        request_id: Id,
        approve: bool,
        note: &str,
    ) -> Result<ReopenRequest> {
        let request = self
            .store
            .reopen_request(request_id)?
            .ok_or(Error::NotFound)?;
        let deal = self.deal(me, request.deal_id)?;
        if !self.may_decide(me, &request, self.lead_owner(&deal)?.as_ref()) {
            return Err(Error::Forbidden);
        }
        let note = validate::optional_text(Field::Notes, Some(note), validate::MAX_LONG)?;
        let now = Utc::now();
        let (decided, reopened) = self.store.audited(|lines| {
            self.store
                .decide_reopen(request_id, |request, deal, pipeline, history| {
                    request.status = if approve {
                        ReopenStatus::Approved
                    } else {
                        ReopenStatus::Rejected
                    };
                    request.decided_by = Some(me.id);
                    request.decider_name = Some(me.name.clone());
                    request.decided_at = Some(now);
                    request.decision_note = note;
                    if !approve {
                        return Ok(None);
                    }
                    if !deal.is_closed() {
                        return Err(Error::Conflict);
                    }
                    let stage = deals::reopen_stage(deal, pipeline, history)
                        .ok_or(Error::invalid(Field::Stage, Problem::Unknown))?;
                    let before = deal.clone();
                    deal.status = DealStatus::Open;
                    deal.close_reason = None;
                    deal.lost_to = None;
                    deal.updated_at = now;
                    let moved = enter_stage(deal, stage, me.id);
                    lines.push(super::deals::deal_entry(me.id, Some(&before), Some(deal)));
                    Ok(Some(moved))
                })
        })?;
        if let Some(deal) = &reopened {
            self.deal_changed(deal);
        }
        Ok(decided)
    }

    /// The requests `me` made, newest first, with their outcome.
    pub fn my_reopen_requests(&self, me: &User) -> Result<Vec<ReopenRequest>> {
        self.store.reopen_requests_of(me.id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        CustomerInput, Deal, DealInput, DealTimelineKind, TimelineEntry, TimelineKind,
    };

    fn deal(gx: &Guanxi, owner: &User) -> Deal {
        let customer = gx
            .create_customer(
                owner,
                CustomerInput {
                    name: "北京星辰".into(),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap()
            .id;
        let input = DealInput {
            customer_id: Some(customer),
            title: "ERP".into(),
            amount: "1000".into(),
            ..Default::default()
        };
        gx.create_deal(owner, input).unwrap()
    }

    #[test]
    fn deals_close_with_a_reason_from_the_admins_list() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let defaults = gx.close_reasons().unwrap();
        assert!(defaults.won.contains(&"relationship".to_string()));
        assert!(defaults.lost.contains(&"no_budget".to_string()));
        let d = deal(&gx, &li);
        assert_eq!(
            gx.close_deal(&li, d.id, Outcome::Lost, "relationship", None),
            Err(Error::invalid(Field::Reason, Problem::Unknown)),
            "a won reason is not a lost one"
        );

        let mut reasons = defaults.clone();
        reasons.lost.push(" 交期太长 ".into());
        assert_eq!(
            gx.set_close_reasons(&li, reasons.clone()),
            Err(Error::Forbidden)
        );
        let saved = gx.set_close_reasons(&admin, reasons.clone()).unwrap();
        assert_eq!(saved.lost.last().map(String::as_str), Some("交期太长"));
        assert_eq!(saved.version, 1);
        assert_eq!(gx.set_close_reasons(&admin, reasons), Err(Error::Conflict));
        let mut twice = saved.clone();
        twice.won.push("price".into());
        assert_eq!(
            gx.set_close_reasons(&admin, twice),
            Err(Error::invalid(Field::Reason, Problem::Taken))
        );
        let lost = gx
            .close_deal(&li, d.id, Outcome::Lost, "交期太长", Some("金蝶"))
            .unwrap();
        assert_eq!(lost.close_reason.as_deref(), Some("交期太长"));

        // An emptied list takes any reason.
        let open_won = CloseReasons {
            won: vec![],
            ..saved
        };
        gx.set_close_reasons(&admin, open_won).unwrap();
        let other = deal(&gx, &li);
        let won = gx
            .close_deal(&li, other.id, Outcome::Won, "老客户介绍", None)
            .unwrap();
        assert_eq!(won.close_reason.as_deref(), Some("老客户介绍"));
    }

    #[test]
    fn a_rep_asks_a_manager_approves_and_the_deal_returns_to_its_stage() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let north = person(&gx, &admin, "n@x.cn", Role::Manager, Some("华北"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let pipeline = gx.pipelines().unwrap().remove(0);
        let d = deal(&gx, &li);
        let bidding = pipeline.stages[3].id;
        gx.move_deal(&li, d.id, bidding, None).unwrap();
        assert!(
            gx.request_reopen(&li, d.id, "客户回来了").is_err(),
            "an open deal is not reopened"
        );
        let lost = gx
            .close_deal(&li, d.id, Outcome::Lost, "price", Some("金蝶"))
            .unwrap();

        assert!(gx.request_reopen(&li, d.id, " ").is_err(), "say why");
        let request = gx.request_reopen(&li, d.id, "客户预算批下来了").unwrap();
        assert_eq!(
            (request.status, request.outcome),
            (ReopenStatus::Pending, Outcome::Lost)
        );
        assert_eq!(
            gx.request_reopen(&li, d.id, "再问一次"),
            Err(Error::invalid(Field::Reopen, Problem::Taken))
        );
        assert!(gx.reopen_inbox(&li).unwrap().is_empty());
        assert!(gx.reopen_inbox(&north).unwrap().is_empty());
        assert_eq!(
            gx.reopen_inbox(&manager).unwrap(),
            std::slice::from_ref(&request)
        );
        assert_eq!(gx.reopen_inbox(&admin).unwrap().len(), 1);
        assert_eq!(
            gx.decide_reopen(&north, request.id, true, ""),
            Err(Error::NotFound),
            "another team's manager does not even see the deal"
        );
        assert_eq!(
            gx.decide_reopen(&li, request.id, true, ""),
            Err(Error::Forbidden)
        );

        let decided = gx
            .decide_reopen(&manager, request.id, true, "同意")
            .unwrap();
        assert_eq!(decided.status, ReopenStatus::Approved);
        assert_eq!(decided.decided_by, Some(manager.id));
        let reopened = gx.deal(&li, d.id).unwrap();
        assert_eq!(reopened.status, DealStatus::Open);
        assert_eq!(reopened.stage_id, bidding, "back where it was closed from");
        assert_eq!((reopened.close_reason, reopened.lost_to), (None, None));
        assert_eq!(reopened.version, lost.version + 1);
        let last = gx.stage_history(&li, d.id).unwrap().pop().unwrap();
        assert_eq!(
            (last.from, last.to, last.by),
            (Some(lost.stage_id), bidding, manager.id)
        );
        assert!(gx.reopen_inbox(&manager).unwrap().is_empty());
        assert_eq!(
            gx.decide_reopen(&manager, request.id, false, ""),
            Err(Error::Conflict),
            "decided once"
        );

        let mine = gx.my_reopen_requests(&li).unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].status, ReopenStatus::Approved);
        assert_eq!(mine[0].decision_note.as_deref(), Some("同意"));
        assert_eq!(mine[0].decider_name.as_deref(), Some("m@x.cn"));

        let timeline = gx
            .timeline_of_kind(&li, d.customer_id, None, 10, Some(TimelineKind::Deal))
            .unwrap();
        let kinds: Vec<_> = timeline
            .iter()
            .map(|(_, e)| match e {
                TimelineEntry::Deal(d) => d.kind,
                other => panic!("{other:?}"),
            })
            .collect();
        use DealTimelineKind::*;
        assert_eq!(kinds, [Reopened, Lost, Moved, Created]);
    }

    #[test]
    fn a_rejected_request_leaves_the_deal_closed() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let d = deal(&gx, &li);
        let won = gx
            .close_deal(&li, d.id, Outcome::Won, "price", None)
            .unwrap();
        let mine = gx.request_reopen(&manager, d.id, "金额录错了").unwrap();
        assert!(
            gx.reopen_inbox(&manager).unwrap().is_empty(),
            "not one's own request"
        );
        assert_eq!(
            gx.decide_reopen(&manager, mine.id, true, ""),
            Err(Error::Forbidden)
        );
        let rejected = gx
            .decide_reopen(&admin, mine.id, false, "请新建商机")
            .unwrap();
        assert_eq!(rejected.status, ReopenStatus::Rejected);
        assert_eq!(gx.deal(&li, d.id).unwrap(), won);
        assert_eq!(
            gx.my_reopen_requests(&manager).unwrap()[0].status,
            ReopenStatus::Rejected
        );
        // Rejected, so a new request may be made.
        assert!(gx.request_reopen(&li, d.id, "客户坚持").is_ok());
        gx.delete_deal(&admin, d.id, None).unwrap();
        assert!(gx.reopen_inbox(&admin).unwrap().is_empty());
    }
}
