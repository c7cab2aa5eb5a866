//! Deals on the pipeline: creating them, moving them between stages under
//! the checklist rules, closing, suspending, and the board.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Guanxi, audit};
use crate::domain::{deals, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    AuditEntry, AuditKind, Board, BoardColumn, BoardFilter, Cents, Competitor, Deal, DealCard,
    DealInput, DealStatus, Id, Outcome, OwnerShare, Pipeline, Qualification, Role, StageChange,
    User,
};
use crate::store::BoardDeal;

/// The most competitors one deal lists.
const MAX_COMPETITORS: usize = 20;

/// What the deal form sets, checked: the part of a deal that creating and
/// editing share. `None` keeps what the deal has.
struct DealFields {
    title: String,
    amount: Cents,
    expected_close: Option<chrono::NaiveDate>,
    confidence: Option<u8>,
    owners: Option<Vec<OwnerShare>>,
    competitors: Vec<Competitor>,
    requirements: Option<String>,
    solution: Option<String>,
    source_campaign: Option<String>,
    qualification: Option<Qualification>,
}

impl DealFields {
    fn apply_to(self, deal: &mut Deal) {
        deal.title = self.title;
        deal.amount = self.amount;
        deal.expected_close = self.expected_close;
        if let Some(confidence) = self.confidence {
            deal.confidence = confidence;
        }
        if let Some(owners) = self.owners {
            deal.owners = owners;
        }
        deal.competitors = self.competitors;
        deal.requirements = self.requirements;
        deal.solution = self.solution;
        deal.source_campaign = self.source_campaign;
        deal.qualification = self.qualification;
    }
}

/// A deal created, changed (both given) or deleted, as an audit entry.
pub(super) fn deal_entry(by: Id, before: Option<&Deal>, after: Option<&Deal>) -> AuditEntry {
    let deal = after.or(before);
    audit::changed(
        Some(by),
        AuditKind::Deal,
        deal.map(|d| d.id),
        deal.map(|d| d.title.clone()).unwrap_or_default(),
        before,
        after,
    )
}

impl Guanxi {
    pub fn pipelines(&self) -> Result<Vec<Pipeline>> {
        self.store.pipelines()
    }

    pub fn create_deal(&self, me: &User, input: DealInput) -> Result<Deal> {
        let customer_id = input
            .customer_id
            .ok_or(Error::invalid(Field::Customer, Problem::Required))?;
        self.editable_customer(me, customer_id)
            .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
        let pipeline = match input.pipeline_id {
            Some(id) => self.store.pipeline(id)?,
            None => self.store.pipelines()?.into_iter().next(),
        }
        .ok_or(Error::invalid(Field::Pipeline, Problem::Unknown))?;
        let stage = match input.stage_id {
            Some(id) => pipeline.open_stages().find(|s| s.id == id),
            None => pipeline.open_stages().next(),
        }
        .ok_or(Error::invalid(Field::Stage, Problem::Unknown))?;
        let fields = self.deal_fields(me, &input, None)?;
        let now = Utc::now();
        let mut deal = Deal {
            id: Id::generate(),
            pipeline_id: pipeline.id,
            stage_id: stage.id,
            customer_id,
            title: String::new(),
            amount: Cents(0),
            expected_close: None,
            confidence: stage.probability,
            owners: vec![OwnerShare {
                user: me.id,
                percent: 100,
            }],
            competitors: Vec::new(),
            requirements: None,
            solution: None,
            source_campaign: None,
            qualification: None,
            checklist_done: Default::default(),
            status: DealStatus::Open,
            close_reason: None,
            lost_to: None,
            stage_entered_at: now,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        fields.apply_to(&mut deal);
        let created = StageChange {
            deal_id: deal.id,
            from: None,
            to: stage.id,
            at: now,
            by: me.id,
        };
        self.store.audited(|lines| {
            lines.push(deal_entry(me.id, None, Some(&deal)));
            self.store.insert_deal(&deal, &created)
        })?;
        self.deal_changed(&deal);
        Ok(deal)
    }

    /// Saves an edit of a deal's own fields, from the version `me` read.
    /// Pipeline and stage are not edited here (moves go through
    /// `move_deal`, so checklists and the history hold) and are ignored.
    /// The customer may change to another one `me` may edit; no owners
    /// keeps the owners, no confidence keeps the confidence. A closed deal
    /// is not edited: its amount is history until a reopen is approved.
    pub fn update_deal(&self, me: &User, id: Id, version: u64, input: DealInput) -> Result<Deal> {
        let current = self.deal(me, id)?;
        if current.is_closed() {
            return Err(Error::Forbidden);
        }
        let fields = self.deal_fields(me, &input, Some(&current))?;
        let customer = match input.customer_id {
            Some(customer) if customer != current.customer_id => {
                self.editable_customer(me, customer)
                    .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
                Some(customer)
            }
            _ => None,
        };
        self.change_deal(me, id, Some(version), move |deal, _| {
            if deal.is_closed() {
                return Err(Error::Forbidden);
            }
            fields.apply_to(deal);
            if let Some(customer) = customer {
                deal.customer_id = customer;
            }
            Ok(None)
        })
    }

    /// Moves a deal to the recycle bin with its stage history and its
    /// entries on the customer's timeline: a deal entered by mistake should
    /// leave no trace in cycle times and forecasts (an admin may restore
    /// it, or purge it for good). Whoever may edit the deal may
    /// delete it while it is open or suspended; a won or lost one is
    /// history, deleted only by an admin. `version`, when given, must still
    /// be the stored one.
    pub fn delete_deal(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        let current = self.deal(me, id)?;
        if !self.may_edit_deal(me, &current)? || (current.is_closed() && !me.role.is_admin()) {
            return Err(Error::Forbidden);
        }
        let deleted = self.store.audited(|lines| {
            lines.push(deal_entry(me.id, Some(&current), None));
            self.store.recycle_deal(id, version, Utc::now(), me.id)
        })?;
        self.deal_changed(&deleted);
        Ok(())
    }

    /// Makes `to` the deal's lead owner, with the previous lead's share of
    /// the credit (see `deals::transfer_shares`). Managers and admins hand
    /// deals to people they manage, as they assign customers; a rep does
    /// not give deals away. The customer keeps its owner. A won or lost
    /// deal stays credited to whoever closed it.
    pub fn transfer_deal(&self, me: &User, id: Id, to: Id) -> Result<Deal> {
        let current = self.deal(me, id)?;
        if current.is_closed() {
            return Err(Error::Forbidden);
        }
        self.may_hand_to(me, to)?;
        if current.lead_owner() == Some(to) {
            return Ok(current);
        }
        if me.role == Role::Rep {
            return Err(Error::Forbidden);
        }
        self.change_deal(me, id, None, |deal, _| {
            deal.owners = deals::transfer_shares(&deal.owners, to);
            Ok(None)
        })
    }

    /// The form fields of `input`, checked. `current` is the deal being
    /// edited, `None` for a new one.
    fn deal_fields(
        &self,
        me: &User,
        input: &DealInput,
        current: Option<&Deal>,
    ) -> Result<DealFields> {
        let opt = |field, value: &Option<String>, max| {
            validate::optional_text(field, value.as_deref(), max)
        };
        if input.competitors.len() > MAX_COMPETITORS {
            return Err(Error::invalid(
                Field::Competitors,
                Problem::TooLong {
                    max: MAX_COMPETITORS as u32,
                },
            ));
        }
        let owners = if input.owners.is_empty() {
            None
        } else {
            self.check_owners(&input.owners)?;
            let lead = input.owners[0].user;
            if current.and_then(Deal::lead_owner) != Some(lead) {
                self.may_hand_to(me, lead)
                    .map_err(|_| Error::invalid(Field::Owners, Problem::Unknown))?;
            }
            Some(input.owners.clone())
        };
        let qualification = match &input.qualification {
            None => None,
            Some(q) => Some(Qualification {
                valuable: q.valuable,
                size: q.size,
                expected_amount: q
                    .expected_amount
                    .map(|a| deals::amount(Field::Qualification, a))
                    .transpose()?,
                next_milestone: opt(Field::Qualification, &q.next_milestone, validate::MAX_LONG)?,
            }),
        };
        Ok(DealFields {
            title: validate::text(Field::Title, &input.title, validate::MAX_SHORT)?,
            amount: deals::parse_amount(Field::Amount, &input.amount)?,
            expected_close: input.expected_close,
            confidence: input
                .confidence
                .map(|c| deals::percent(Field::Confidence, c))
                .transpose()?,
            owners,
            competitors: input
                .competitors
                .iter()
                .filter(|c| !c.name.trim().is_empty())
                .map(|c| {
                    Ok(Competitor {
                        name: validate::text(Field::Competitors, &c.name, validate::MAX_SHORT)?,
                        price: c
                            .price
                            .map(|p| deals::amount(Field::Competitors, p))
                            .transpose()?,
                        strengths: opt(Field::Competitors, &c.strengths, validate::MAX_LONG)?,
                        weaknesses: opt(Field::Competitors, &c.weaknesses, validate::MAX_LONG)?,
                    })
                })
                .collect::<Result<_>>()?,
            requirements: opt(
                Field::Requirements,
                &input.requirements,
                validate::MAX_NOTES,
            )?,
            solution: opt(Field::Solution, &input.solution, validate::MAX_NOTES)?,
            source_campaign: opt(Field::Source, &input.source_campaign, validate::MAX_SHORT)?,
            qualification,
        })
    }

    /// Whether `me` may hand work to `to`: themselves always; a manager
    /// anyone they manage, an admin anyone active (the rule of customer
    /// assignment and task assignment).
    pub(super) fn may_hand_to(&self, me: &User, to: Id) -> Result<User> {
        let target = self
            .store
            .user(to)?
            .filter(|u| u.active)
            .ok_or(Error::invalid(Field::Owner, Problem::Unknown))?;
        if target.id == me.id {
            return Ok(target);
        }
        if me.role == Role::Rep || !visibility::can_see(me, Some(&target)) {
            return Err(Error::Forbidden);
        }
        Ok(target)
    }

    /// Every owner an active user.
    pub(super) fn check_owners(&self, owners: &[OwnerShare]) -> Result<()> {
        deals::owners(owners)?;
        for share in owners {
            if !self.store.user(share.user)?.is_some_and(|u| u.active) {
                return Err(Error::invalid(Field::Owners, Problem::Unknown));
            }
        }
        Ok(())
    }

    pub fn deal(&self, me: &User, id: Id) -> Result<Deal> {
        let deal = self.store.deal(id)?.ok_or(Error::NotFound)?;
        let owners = self.owners_of(&deal)?;
        if !visibility::can_see_deal(me, &owners.iter().collect::<Vec<_>>()) {
            return Err(Error::NotFound);
        }
        Ok(deal)
    }

    /// A deal `me` may see and change (as `change_deal` checks).
    pub(super) fn editable_deal(&self, me: &User, id: Id) -> Result<Deal> {
        let deal = self.deal(me, id)?;
        if !self.may_edit_deal(me, &deal)? {
            return Err(Error::Forbidden);
        }
        Ok(deal)
    }

    /// Whether `me` may change `deal`: any of its owners, co-owners
    /// included, and whoever manages one of them.
    pub fn may_edit_deal(&self, me: &User, deal: &Deal) -> Result<bool> {
        let owners = self.owners_of(deal)?;
        Ok(visibility::can_edit_deal(
            me,
            &owners.iter().collect::<Vec<_>>(),
        ))
    }

    /// The deal's owners that exist, the lead first.
    fn owners_of(&self, deal: &Deal) -> Result<Vec<User>> {
        let mut owners = Vec::with_capacity(deal.owners.len());
        for share in &deal.owners {
            owners.extend(self.store.user(share.user)?);
        }
        Ok(owners)
    }

    pub(super) fn users_by_id(&self) -> Result<HashMap<Id, User>> {
        Ok(self.store.users()?.into_iter().map(|u| (u.id, u)).collect())
    }

    pub(super) fn lead_owner(&self, deal: &Deal) -> Result<Option<User>> {
        match deal.lead_owner() {
            Some(id) => self.store.user(id),
            None => Ok(None),
        }
    }

    /// Changes a deal `me` may edit, in one transaction; `version`, when
    /// given, must still be the stored one.
    fn change_deal(
        &self,
        me: &User,
        id: Id,
        version: Option<u64>,
        change: impl FnOnce(&mut Deal, &Pipeline) -> Result<Option<StageChange>>,
    ) -> Result<Deal> {
        let current = self.deal(me, id)?;
        if !self.may_edit_deal(me, &current)? {
            return Err(Error::Forbidden);
        }
        let saved = self.store.audited(|lines| {
            self.store.update_deal(id, |deal, pipeline| {
                if version.is_some_and(|v| v != deal.version) {
                    return Err(Error::Conflict);
                }
                let before = deal.clone();
                let moved = change(deal, pipeline)?;
                deal.updated_at = Utc::now();
                lines.push(deal_entry(me.id, Some(&before), Some(deal)));
                Ok(moved)
            })
        })?;
        self.deal_changed(&saved);
        Ok(saved)
    }

    /// Moves an open deal to another open stage of its pipeline. Leaving a
    /// stage needs its checklist done.
    pub fn move_deal(&self, me: &User, id: Id, to: Id, version: Option<u64>) -> Result<Deal> {
        let by = me.id;
        self.change_deal(me, id, version, |deal, pipeline| {
            let target = pipeline
                .stage(to)
                .filter(|s| s.outcome.is_none())
                .ok_or(Error::invalid(Field::Stage, Problem::Unknown))?;
            if deal.status != DealStatus::Open {
                return Err(Error::invalid(Field::Stage, Problem::Unknown));
            }
            if target.id == deal.stage_id {
                return Ok(None);
            }
            leave_stage(deal, pipeline)?;
            Ok(Some(enter_stage(deal, target.id, by)))
        })
    }

    /// Ticks (or unticks) an item of the deal's current stage checklist.
    pub fn tick_checklist(&self, me: &User, id: Id, item: &str, done: bool) -> Result<Deal> {
        self.change_deal(me, id, None, |deal, pipeline| {
            let stage = pipeline.stage(deal.stage_id).ok_or(Error::NotFound)?;
            if !stage.checklist.iter().any(|i| i == item) {
                return Err(Error::invalid(Field::Checklist, Problem::Unknown));
            }
            let ticked = deal.checklist_done.entry(stage.id).or_default();
            ticked.retain(|i| i != item);
            if done {
                ticked.push(item.to_string());
            }
            Ok(None)
        })
    }

    /// Closes an open or suspended deal as won or lost, with a reason from
    /// the company's list for that outcome (see `close_reasons`) and, when
    /// lost, the competitor who won.
    pub fn close_deal(
        &self,
        me: &User,
        id: Id,
        outcome: Outcome,
        reason: &str,
        lost_to: Option<&str>,
    ) -> Result<Deal> {
        let reason = self.close_reason(outcome, reason)?;
        let lost_to = match outcome {
            Outcome::Lost => {
                validate::optional_text(Field::Competitors, lost_to, validate::MAX_SHORT)?
            }
            Outcome::Won => None,
        };
        let by = me.id;
        self.change_deal(me, id, None, |deal, pipeline| {
            if deal.is_closed() {
                return Err(Error::invalid(Field::Stage, Problem::Unknown));
            }
            let target = pipeline
                .stages
                .iter()
                .find(|s| s.outcome == Some(outcome))
                .ok_or(Error::invalid(Field::Stage, Problem::Unknown))?;
            if outcome == Outcome::Won {
                leave_stage(deal, pipeline)?;
            }
            deal.status = match outcome {
                Outcome::Won => DealStatus::Won,
                Outcome::Lost => DealStatus::Lost,
            };
            deal.close_reason = Some(reason);
            deal.lost_to = lost_to;
            Ok(Some(enter_stage(deal, target.id, by)))
        })
    }

    pub fn suspend_deal(&self, me: &User, id: Id, suspended: bool) -> Result<Deal> {
        self.change_deal(me, id, None, |deal, _| {
            deal.status = match (deal.status, suspended) {
                (DealStatus::Open, true) => DealStatus::Suspended,
                (DealStatus::Suspended, false) => DealStatus::Open,
                _ => return Err(Error::invalid(Field::Stage, Problem::Unknown)),
            };
            Ok(None)
        })
    }

    /// The deals `me` may see on one pipeline or of one customer (at least
    /// one of them given) that pass `filter` (its card limit aside), oldest
    /// first.
    pub fn list_deals(
        &self,
        me: &User,
        pipeline: Option<Id>,
        customer: Option<Id>,
        filter: &BoardFilter,
    ) -> Result<Vec<Deal>> {
        let matcher = deals::DealMatcher::new(filter)?;
        let deals = match (pipeline, customer) {
            (_, Some(customer)) => {
                self.customer(me, customer)?;
                self.store.deals_of_customer(customer)?
            }
            (Some(pipeline), None) => self.store.deals_of_pipeline(pipeline)?,
            (None, None) => return Err(Error::invalid(Field::Pipeline, Problem::Required)),
        };
        let users = self.users_by_id()?;
        Ok(deals
            .into_iter()
            .filter(|d| pipeline.is_none_or(|p| d.pipeline_id == p))
            .filter(|d| {
                let owners = known(&users, d.owners.iter().map(|o| o.user));
                visibility::can_see_deal(me, &owners) && matcher.matches(d, &owners)
            })
            .collect())
    }

    pub fn stage_history(&self, me: &User, id: Id) -> Result<Vec<StageChange>> {
        self.deal(me, id)?;
        self.store.stage_history(id)
    }

    /// One pipeline's board as `me` may see it, narrowed by `filter`: a
    /// column per stage with its totals over every matching deal, open and
    /// suspended deals in the open stages, closed ones in the outcome
    /// columns. Open columns show the deals longest in their stage first
    /// (what a rep works on next); outcome columns the latest closed first,
    /// since last year's wins are not what anyone looks for on a board.
    pub fn board(
        &self,
        me: &User,
        pipeline: Id,
        now: DateTime<Utc>,
        filter: &BoardFilter,
    ) -> Result<Board> {
        let matcher = deals::DealMatcher::new(filter)?;
        let limit = deals::cards_per_column(filter.cards_per_column);
        let pipeline = self.store.pipeline(pipeline)?.ok_or(Error::NotFound)?;
        let users = self.users_by_id()?;
        let column_of: HashMap<Id, usize> = pipeline
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let columns = self.store.with_deal_boards(|boards| {
            let mut totals = vec![deals::ColumnTotals::default(); pipeline.stages.len()];
            // Each column's candidates for a card, with their order key: at
            // most `limit` from every bucket.
            let mut shown: Vec<Vec<((i64, Id), &BoardDeal)>> =
                vec![Vec::new(); pipeline.stages.len()];
            for view in boards.buckets(pipeline.id) {
                let Some(&column) = column_of.get(&view.stage) else {
                    continue;
                };
                let owners = known(&users, view.owner_ids());
                if !visibility::can_see_deal(me, &owners)
                    || !matcher.matches_owners(view.owner_ids(), &owners)
                {
                    continue;
                }
                let newest_first = pipeline.stages[column].outcome.is_some();
                let key = |d: &BoardDeal| {
                    let at = d.stage_entered_at.timestamp_micros();
                    (if newest_first { -at } else { at }, d.id)
                };
                let deals = view
                    .bucket
                    .ids(newest_first)
                    .filter_map(|id| boards.deal(id));
                if matcher.has_terms() {
                    // In bucket order, so the first `limit` matches are the
                    // bucket's candidates.
                    for (n, deal) in deals
                        .filter(|d| matcher.matches_terms(d.amount, d.expected_close, d.grade))
                        .enumerate()
                    {
                        totals[column].add(1, deal.amount);
                        if n < limit {
                            shown[column].push((key(deal), deal));
                        }
                    }
                } else {
                    totals[column].add(view.bucket.count(), view.bucket.amount());
                    shown[column].extend(deals.take(limit).map(|d| (key(d), d)));
                }
            }
            let directory = self.store.directory();
            pipeline
                .stages
                .iter()
                .zip(totals)
                .zip(shown)
                .map(|((stage, mut totals), mut shown)| {
                    totals.weigh(stage.probability);
                    shown.sort_unstable_by_key(|(key, _)| *key);
                    shown.truncate(limit);
                    let cards = shown
                        .into_iter()
                        .map(|(_, deal)| DealCard {
                            id: deal.id,
                            title: deal.title.to_string(),
                            customer_id: deal.customer_id,
                            customer_name: directory
                                .customer_name(deal.customer_id)
                                .unwrap_or_default(),
                            amount: deal.amount,
                            expected_close: deal.expected_close,
                            owner_name: deal
                                .lead_owner()
                                .and_then(|id| users.get(&id))
                                .map(|o| o.name.clone())
                                .unwrap_or_default(),
                            days_in_stage: deals::days_in_stage(deal.stage_entered_at, now),
                            stalled: deals::is_stalled(
                                deal.status,
                                deal.stage_entered_at,
                                stage,
                                now,
                            ),
                            stall_days: stage.stall_days,
                            status: deal.status,
                            version: deal.version,
                            grade: deal.grade,
                        })
                        .collect::<Vec<_>>();
                    BoardColumn {
                        stage: stage.clone(),
                        count: totals.count,
                        amount: totals.amount,
                        weighted: totals.weighted,
                        more: totals.count.saturating_sub(cards.len() as u32),
                        cards,
                    }
                })
                .collect::<Vec<_>>()
        })?;
        Ok(Board { pipeline, columns })
    }
}

/// The users of `ids` that exist.
fn known(users: &HashMap<Id, User>, ids: impl Iterator<Item = Id>) -> Vec<&User> {
    ids.filter_map(|id| users.get(&id)).collect()
}

/// Refuses to leave the deal's current stage while its checklist is open.
fn leave_stage(deal: &Deal, pipeline: &Pipeline) -> Result<()> {
    if let Some(current) = pipeline.stage(deal.stage_id) {
        let missing = deals::missing_checklist(deal, current);
        if !missing.is_empty() {
            return Err(Error::ChecklistIncomplete { missing });
        }
    }
    Ok(())
}

pub(super) fn enter_stage(deal: &mut Deal, to: Id, by: Id) -> StageChange {
    let now = Utc::now();
    let change = StageChange {
        deal_id: deal.id,
        from: Some(deal.stage_id),
        to,
        at: now,
        by,
    };
    deal.stage_id = to;
    deal.stage_entered_at = now;
    change
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{Cents, CustomerInput, DealEvent, Role, UserInput};

    fn customer(gx: &Guanxi, me: &User, name: &str) -> Id {
        gx.create_customer(
            me,
            CustomerInput {
                name: name.into(),
                ..Default::default()
            },
            Vec::new(),
            true,
        )
        .unwrap()
        .id
    }

    fn deal_input(customer: Id, title: &str, amount: &str) -> DealInput {
        DealInput {
            customer_id: Some(customer),
            title: title.into(),
            amount: amount.into(),
            ..Default::default()
        }
    }

    /// Purging a customer leaves nothing that points at it: its deals go
    /// from the file, the boards and the customer's deal list, and its tasks
    /// from the assignee's list.
    #[test]
    fn purging_a_customer_deletes_its_deals_and_tasks() {
        use crate::model::TaskInput;
        let (_dir, gx, admin) = set_up_company();
        let pipeline = gx.pipelines().unwrap()[0].clone();
        let doomed = customer(&gx, &admin, "北京星辰");
        let kept = customer(&gx, &admin, "上海明月");
        let gone = gx
            .create_deal(&admin, deal_input(doomed, "ERP", "100"))
            .unwrap();
        let stays = gx
            .create_deal(&admin, deal_input(kept, "CRM", "200"))
            .unwrap();
        gx.store.warm_deal_boards().unwrap();
        let task = |customer: Id| TaskInput {
            title: "回访".into(),
            due: Utc::now(),
            assignee: None,
            customer_id: Some(customer),
            commitment: true,
        };
        gx.add_task(&admin, task(doomed)).unwrap();
        let other_task = gx.add_task(&admin, task(kept)).unwrap();
        gx.recycle_customer(&admin, doomed).unwrap();
        gx.purge_customer(super::super::Actor::User(&admin), doomed)
            .unwrap();

        assert_eq!(gx.store.deal(gone.id).unwrap(), None);
        assert!(gx.store.deals_of_customer(doomed).unwrap().is_empty());
        assert!(gx.stage_history(&admin, gone.id).is_err());
        let on_board: Vec<Id> = gx
            .store
            .with_deal_boards(|b| b.deals_of(pipeline.id).iter().map(|d| d.id).collect())
            .unwrap();
        assert_eq!(on_board, vec![stays.id]);
        let board = gx
            .board(&admin, pipeline.id, Utc::now(), &BoardFilter::default())
            .unwrap();
        assert_eq!(board.columns.iter().map(|c| c.count).sum::<u32>(), 1);
        let tasks: Vec<Id> = gx.my_tasks(&admin).unwrap().iter().map(|t| t.id).collect();
        assert_eq!(tasks, vec![other_task.id]);
    }

    /// The boards read deals from memory once loaded: after each kind of
    /// deal write they must match what the file holds.
    #[test]
    fn the_boards_in_memory_follow_every_kind_of_deal_write() {
        use crate::model::Outcome;
        let (_dir, gx, admin) = set_up_company();
        let rep = super::super::test_support::person(&gx, &admin, "rep@x.cn", Role::Rep, None);
        let c = customer(&gx, &admin, "北京星辰");
        let pipeline = gx.pipelines().unwrap()[0].clone();
        let first = gx.create_deal(&admin, deal_input(c, "A", "100")).unwrap();
        gx.store.warm_deal_boards().unwrap();
        let same = |gx: &Guanxi| {
            let summary = |d: &BoardDeal| {
                (
                    d.id,
                    d.stage_id,
                    d.lead_owner(),
                    d.status,
                    d.amount,
                    d.title.to_string(),
                    d.stage_entered_at,
                    d.version,
                )
            };
            let memory = gx
                .store
                .with_deal_boards(|boards| {
                    boards
                        .deals_of(pipeline.id)
                        .into_iter()
                        .map(summary)
                        .collect::<Vec<_>>()
                })
                .unwrap();
            let file: Vec<_> = gx
                .store
                .deals_of_pipeline(pipeline.id)
                .unwrap()
                .iter()
                .map(|d| summary(&BoardDeal::from(d)))
                .collect();
            assert_eq!(memory, file);
            memory.len()
        };
        let second = gx.create_deal(&admin, deal_input(c, "B", "200")).unwrap();
        let third = gx.create_deal(&admin, deal_input(c, "C", "300")).unwrap();
        assert_eq!(same(&gx), 3);
        gx.move_deal(&admin, first.id, pipeline.stages[1].id, None)
            .unwrap();
        same(&gx);
        gx.transfer_deal(&admin, second.id, rep.id).unwrap();
        same(&gx);
        gx.handover(&admin, rep.id, Some(admin.id)).unwrap();
        same(&gx);
        gx.delete_deal(&admin, third.id, None).unwrap();
        assert_eq!(same(&gx), 2);
        let reason = gx.close_reasons().unwrap();
        let lost = gx
            .close_deal(&admin, second.id, Outcome::Lost, &reason.lost[0], None)
            .unwrap();
        same(&gx);
        let request = gx.request_reopen(&admin, lost.id, "客户回来了").unwrap();
        gx.decide_reopen(&admin, request.id, true, "").unwrap();
        same(&gx);
        let pipeline_now = gx.pipelines().unwrap()[0].clone();
        gx.remove_stage(
            &admin,
            pipeline.id,
            pipeline.stages[1].id,
            pipeline.stages[2].id,
            pipeline_now.version,
        )
        .unwrap();
        same(&gx);
    }

    #[test]
    fn a_new_company_has_the_default_pipeline_and_deals_start_in_its_first_stage() {
        let (_dir, gx, admin) = set_up_company();
        let pipelines = gx.pipelines().unwrap();
        assert_eq!(pipelines.len(), 1);
        let first = pipelines[0].stages[0].clone();
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx
            .create_deal(&admin, deal_input(c, "ERP 项目", "120,000"))
            .unwrap();
        assert_eq!(deal.stage_id, first.id);
        assert_eq!(deal.confidence, 10);
        assert_eq!(deal.amount.to_string(), "120000.00");
        assert_eq!(
            deal.owners,
            [OwnerShare {
                user: admin.id,
                percent: 100
            }]
        );
        let history = gx.stage_history(&admin, deal.id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].from, history[0].to), (None, first.id));
    }

    #[test]
    fn bad_input_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let c = customer(&gx, &admin, "北京星辰");
        let err = gx
            .create_deal(&admin, deal_input(c, "ERP", "-3"))
            .unwrap_err();
        assert_eq!(err, Error::invalid(Field::Amount, Problem::Malformed));
        let mut split = deal_input(c, "ERP", "1");
        split.owners = vec![OwnerShare {
            user: admin.id,
            percent: 60,
        }];
        assert!(matches!(
            gx.create_deal(&admin, split),
            Err(Error::Invalid {
                field: Field::Owners,
                ..
            })
        ));
        let mut confident = deal_input(c, "ERP", "1");
        confident.confidence = Some(150);
        assert!(gx.create_deal(&admin, confident).is_err());
        let pipeline = gx.pipelines().unwrap().remove(0);
        assert!(gx.store.deals_of_pipeline(pipeline.id).unwrap().is_empty());
    }

    #[test]
    fn leaving_a_stage_needs_its_checklist_and_every_move_is_recorded() {
        let (_dir, gx, admin) = set_up_company();
        let mut pipeline = gx.pipelines().unwrap().remove(0);
        pipeline.stages[0].checklist = vec!["确认预算".into(), "确认决策人".into()];
        let pipeline = gx.store.save_pipeline(&pipeline).unwrap();
        let (first, second) = (pipeline.stages[0].id, pipeline.stages[1].id);
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx.create_deal(&admin, deal_input(c, "ERP", "1")).unwrap();

        let refused = gx.move_deal(&admin, deal.id, second, Some(deal.version));
        assert_eq!(
            refused,
            Err(Error::ChecklistIncomplete {
                missing: vec!["确认预算".into(), "确认决策人".into()]
            })
        );
        assert_eq!(gx.deal(&admin, deal.id).unwrap().stage_id, first);

        gx.tick_checklist(&admin, deal.id, "确认预算", true)
            .unwrap();
        let deal = gx
            .tick_checklist(&admin, deal.id, "确认决策人", true)
            .unwrap();
        assert!(gx.tick_checklist(&admin, deal.id, "不存在", true).is_err());
        // A stale version is a conflict, never a silent overwrite.
        assert_eq!(
            gx.move_deal(&admin, deal.id, second, Some(deal.version - 1)),
            Err(Error::Conflict)
        );
        let moved = gx
            .move_deal(&admin, deal.id, second, Some(deal.version))
            .unwrap();
        assert_eq!(moved.stage_id, second);
        let history = gx.stage_history(&admin, deal.id).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!((history[1].from, history[1].to), (Some(first), second));
        assert_eq!(history[1].by, admin.id);
    }

    #[test]
    fn closing_suspending_and_what_may_move() {
        let (_dir, gx, admin) = set_up_company();
        let pipeline = gx.pipelines().unwrap().remove(0);
        let won = pipeline.stages[5].id;
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx.create_deal(&admin, deal_input(c, "ERP", "1")).unwrap();
        // The outcome columns are reached by closing, not by a plain move.
        assert!(gx.move_deal(&admin, deal.id, won, None).is_err());

        gx.suspend_deal(&admin, deal.id, true).unwrap();
        assert!(
            gx.move_deal(&admin, deal.id, pipeline.stages[1].id, None)
                .is_err()
        );
        gx.suspend_deal(&admin, deal.id, false).unwrap();

        assert!(
            gx.close_deal(&admin, deal.id, Outcome::Lost, " ", None)
                .is_err()
        );
        let lost = gx
            .close_deal(&admin, deal.id, Outcome::Lost, "competitor", Some("金蝶"))
            .unwrap();
        assert_eq!(lost.status, DealStatus::Lost);
        assert_eq!(lost.stage_id, pipeline.stages[6].id);
        assert_eq!(lost.lost_to.as_deref(), Some("金蝶"));
        assert!(
            gx.close_deal(&admin, deal.id, Outcome::Won, "x", None)
                .is_err()
        );
    }

    #[test]
    fn the_board_totals_columns_and_hides_other_reps_deals() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                super::super::Actor::User(&admin),
                UserInput {
                    email: "li@example.cn".into(),
                    name: "李娜".into(),
                    role: Role::Rep,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap();
        let mut pipeline = gx.pipelines().unwrap().remove(0);
        pipeline.stages[0].stall_days = Some(3);
        let pipeline = gx.store.save_pipeline(&pipeline).unwrap();
        let mine = customer(&gx, &admin, "北京星辰");
        let theirs = customer(&gx, &rep, "上海明月");
        gx.create_deal(&admin, deal_input(mine, "ERP", "100000"))
            .unwrap();
        gx.create_deal(&admin, deal_input(mine, "CRM", "50000.50"))
            .unwrap();
        gx.create_deal(&rep, deal_input(theirs, "OA", "30000"))
            .unwrap();

        let later = Utc::now() + chrono::Duration::days(5);
        let board = gx
            .board(&admin, pipeline.id, later, &BoardFilter::default())
            .unwrap();
        let first = &board.columns[0];
        assert_eq!(board.columns.len(), 7);
        assert_eq!(first.count, 3);
        assert_eq!(first.amount.to_string(), "180000.50");
        assert_eq!(first.weighted.to_string(), "18000.05");
        assert!(
            first
                .cards
                .iter()
                .all(|c| c.stalled && c.days_in_stage == 5)
        );
        assert!(
            first
                .cards
                .iter()
                .any(|c| c.customer_name == "上海明月" && c.owner_name == "李娜")
        );

        let board = gx
            .board(&rep, pipeline.id, Utc::now(), &BoardFilter::default())
            .unwrap();
        assert_eq!(board.columns[0].count, 1);
        assert_eq!(board.columns[0].cards[0].title, "OA");
        assert!(!board.columns[0].cards[0].stalled);
        // A rep cannot open or move another's deal.
        let others = gx
            .board(&admin, pipeline.id, Utc::now(), &BoardFilter::default())
            .unwrap()
            .columns[0]
            .cards
            .iter()
            .find(|c| c.title == "ERP")
            .unwrap()
            .id;
        assert_eq!(gx.deal(&rep, others), Err(Error::NotFound));
        assert_eq!(
            gx.move_deal(&rep, others, pipeline.stages[1].id, None),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn board_filters_keep_totals_of_all_matches_and_page_the_cards() {
        let (_dir, gx, admin) = set_up_company();
        let east = gx
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
        let pipeline = gx.pipelines().unwrap().remove(0);
        let c = customer(&gx, &admin, "北京星辰");
        let april = chrono::NaiveDate::from_ymd_opt(2026, 4, 15);
        let mut titles = Vec::new();
        for n in 0..5 {
            let mut input = deal_input(c, &format!("项目{n}"), &format!("{}", (n + 1) * 1000));
            input.expected_close = april.filter(|_| n % 2 == 0);
            if n >= 3 {
                input.owners = vec![OwnerShare {
                    user: east.id,
                    percent: 100,
                }];
            }
            titles.push(gx.create_deal(&admin, input).unwrap().title);
        }
        let board = |filter: BoardFilter| {
            gx.board(&admin, pipeline.id, Utc::now(), &filter)
                .unwrap()
                .columns
                .remove(0)
        };

        let paged = board(BoardFilter {
            cards_per_column: 2,
            ..Default::default()
        });
        assert_eq!((paged.count, paged.more), (5, 3));
        assert_eq!(paged.amount.to_string(), "15000.00");
        let shown: Vec<&str> = paged.cards.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(shown, ["项目0", "项目1"], "longest in the stage first");

        let team = board(BoardFilter {
            team: Some("华东".into()),
            ..Default::default()
        });
        assert_eq!((team.count, team.more), (2, 0));
        assert!(team.cards.iter().all(|c| c.owner_name == "李娜"));
        let mine = board(BoardFilter {
            owner: Some(admin.id),
            close_month: Some("2026-04".into()),
            ..Default::default()
        });
        assert_eq!(mine.count, 2, "项目0 and 项目2");
        let band = board(BoardFilter {
            min_amount: Some(Cents(200_000)),
            max_amount: Some(Cents(400_000)),
            ..Default::default()
        });
        assert_eq!(band.count, 3);
        assert_eq!(band.amount.to_string(), "9000.00");
        assert!(matches!(
            gx.board(
                &admin,
                pipeline.id,
                Utc::now(),
                &BoardFilter {
                    close_month: Some("2026-4-1".into()),
                    ..Default::default()
                }
            ),
            Err(Error::Invalid {
                field: Field::CloseMonth,
                ..
            })
        ));
        let listed = gx
            .list_deals(
                &admin,
                Some(pipeline.id),
                None,
                &BoardFilter {
                    team: Some("华东".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(listed.len(), 2);
    }

    #[test]
    fn live_boards_hear_of_every_committed_change_and_not_of_refused_ones() {
        let (_dir, gx, admin) = set_up_company();
        let mut events = gx.subscribe_deals();
        let pipeline = gx.pipelines().unwrap().remove(0);
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx.create_deal(&admin, deal_input(c, "ERP", "1")).unwrap();
        let expected = DealEvent {
            pipeline_id: pipeline.id,
            deal_id: deal.id,
        };
        assert_eq!(events.try_recv(), Ok(expected));
        gx.move_deal(&admin, deal.id, pipeline.stages[1].id, Some(deal.version))
            .unwrap();
        assert_eq!(events.try_recv(), Ok(expected));
        assert!(
            gx.move_deal(&admin, deal.id, pipeline.stages[2].id, Some(1))
                .is_err()
        );
        gx.suspend_deal(&admin, deal.id, true).unwrap();
        assert_eq!(
            events.try_recv(),
            Ok(expected),
            "one event, for the suspend"
        );
        assert!(events.try_recv().is_err());
    }

    fn rep(gx: &Guanxi, admin: &User, email: &str, role: Role, team: Option<&str>) -> User {
        gx.create_user(
            super::super::Actor::User(admin),
            UserInput {
                email: email.into(),
                name: email.into(),
                role,
                team: team.map(Into::into),
            },
            "rep password 1",
        )
        .unwrap()
    }

    #[test]
    fn an_edit_saves_the_form_fields_from_the_version_read() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = rep(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let c = customer(&gx, &li, "北京星辰");
        let other = customer(&gx, &li, "上海明月");
        let deal = gx.create_deal(&li, deal_input(c, "ERP", "1000")).unwrap();
        let mut edit = deal_input(other, "ERP 二期", "2,000.50");
        edit.confidence = Some(35);
        edit.competitors = vec![crate::model::Competitor {
            name: "金蝶".into(),
            price: Some(Cents(150_000)),
            ..Default::default()
        }];
        // The lead stays li; wang gets a share of the credit.
        edit.owners = vec![
            OwnerShare {
                user: li.id,
                percent: 70,
            },
            OwnerShare {
                user: wang.id,
                percent: 30,
            },
        ];
        let saved = gx
            .update_deal(&li, deal.id, deal.version, edit.clone())
            .unwrap();
        assert_eq!(
            (saved.title.as_str(), saved.amount, saved.confidence),
            ("ERP 二期", Cents(200_050), 35)
        );
        assert_eq!(saved.customer_id, other);
        assert_eq!(saved.version, deal.version + 1);
        assert_eq!(saved.stage_id, deal.stage_id);
        let by_customer = |id| gx.list_deals(&li, None, Some(id), &BoardFilter::default());
        assert!(by_customer(c).unwrap().is_empty());
        assert_eq!(by_customer(other).unwrap().len(), 1);

        assert_eq!(
            gx.update_deal(&li, deal.id, deal.version, edit.clone()),
            Err(Error::Conflict)
        );
        let mut bad = edit.clone();
        bad.title = " ".into();
        assert!(gx.update_deal(&li, deal.id, saved.version, bad).is_err());
        let mut cheap = edit.clone();
        cheap.competitors[0].price = Some(Cents(-1));
        assert_eq!(
            gx.update_deal(&li, deal.id, saved.version, cheap),
            Err(Error::invalid(Field::Competitors, Problem::Malformed))
        );
        // A rep does not hand the lead to a colleague by editing.
        let mut handed = edit.clone();
        handed.owners.reverse();
        assert_eq!(
            gx.update_deal(&li, deal.id, saved.version, handed),
            Err(Error::invalid(Field::Owners, Problem::Unknown))
        );
        // No owners and no confidence keep what the deal has.
        let mut plain = deal_input(other, "ERP 二期", "3000");
        plain.owners.clear();
        let kept = gx.update_deal(&li, deal.id, saved.version, plain).unwrap();
        assert_eq!((kept.owners.len(), kept.confidence), (2, 35));
        assert_eq!(gx.deal(&li, deal.id).unwrap(), kept);
    }

    #[test]
    fn a_closed_deal_is_not_edited_and_others_deals_are_not_found() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, None);
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx.create_deal(&admin, deal_input(c, "ERP", "1")).unwrap();
        assert_eq!(
            gx.update_deal(&li, deal.id, deal.version, deal_input(c, "x", "1")),
            Err(Error::NotFound)
        );
        let won = gx
            .close_deal(&admin, deal.id, Outcome::Won, "price", None)
            .unwrap();
        assert_eq!(
            gx.update_deal(&admin, deal.id, won.version, deal_input(c, "x", "1")),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.transfer_deal(&admin, deal.id, li.id),
            Err(Error::Forbidden),
            "a closed deal stays credited to whoever closed it"
        );
        let theirs = gx.create_deal(&li, deal_input(customer(&gx, &li, "上海明月"), "OA", "1"));
        let theirs = theirs.unwrap();
        gx.close_deal(&li, theirs.id, Outcome::Won, "price", None)
            .unwrap();
        assert_eq!(
            gx.delete_deal(&li, theirs.id, None),
            Err(Error::Forbidden),
            "a won deal is history: only an admin deletes it"
        );
        gx.delete_deal(&admin, theirs.id, None).unwrap();
    }

    #[test]
    fn deleting_a_deal_removes_it_its_history_and_its_index_entries() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, None);
        let pipeline = gx.pipelines().unwrap().remove(0);
        let c = customer(&gx, &admin, "北京星辰");
        let deal = gx.create_deal(&admin, deal_input(c, "ERP", "1")).unwrap();
        let moved = gx
            .move_deal(&admin, deal.id, pipeline.stages[1].id, None)
            .unwrap();
        assert_eq!(gx.delete_deal(&li, deal.id, None), Err(Error::NotFound));
        assert_eq!(
            gx.delete_deal(&admin, deal.id, Some(deal.version)),
            Err(Error::Conflict)
        );
        assert!(
            gx.deal(&admin, deal.id).is_ok(),
            "a refused delete keeps it"
        );
        let mut events = gx.subscribe_deals();
        gx.delete_deal(&admin, deal.id, Some(moved.version))
            .unwrap();
        assert_eq!(events.try_recv().unwrap().deal_id, deal.id);
        assert_eq!(gx.deal(&admin, deal.id), Err(Error::NotFound));
        assert!(gx.store.stage_history(deal.id).unwrap().is_empty());
        assert!(gx.store.deals_of_customer(c).unwrap().is_empty());
        assert!(gx.store.deals_of_pipeline(pipeline.id).unwrap().is_empty());
        assert_eq!(gx.delete_deal(&admin, deal.id, None), Err(Error::NotFound));
    }

    #[test]
    fn a_manager_transfers_a_deal_within_the_team_with_its_credit() {
        let (_dir, gx, admin) = set_up_company();
        let manager = rep(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = rep(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let north = rep(&gx, &admin, "n@x.cn", Role::Rep, Some("华北"));
        let c = customer(&gx, &li, "北京星辰");
        let mut input = deal_input(c, "ERP", "1");
        input.owners = vec![
            OwnerShare {
                user: li.id,
                percent: 60,
            },
            OwnerShare {
                user: wang.id,
                percent: 40,
            },
        ];
        let deal = gx.create_deal(&li, input).unwrap();

        assert_eq!(
            gx.transfer_deal(&li, deal.id, wang.id),
            Err(Error::Forbidden),
            "a rep does not give deals away"
        );
        assert_eq!(
            gx.transfer_deal(&manager, deal.id, north.id),
            Err(Error::Forbidden),
            "not to another team"
        );
        assert!(matches!(
            gx.transfer_deal(&manager, deal.id, Id::generate()),
            Err(Error::Invalid { .. })
        ));
        let moved = gx.transfer_deal(&manager, deal.id, wang.id).unwrap();
        assert_eq!(
            moved.owners,
            [OwnerShare {
                user: wang.id,
                percent: 100
            }]
        );
        assert_eq!(
            gx.deal(&li, deal.id),
            Err(Error::NotFound),
            "li no longer sees it"
        );
        assert_eq!(gx.deal(&wang, deal.id).unwrap().version, moved.version);
        let again = gx.transfer_deal(&manager, deal.id, wang.id).unwrap();
        assert_eq!(
            again.version, moved.version,
            "already theirs: nothing to save"
        );
        let to_north = gx.transfer_deal(&admin, deal.id, north.id).unwrap();
        assert_eq!(to_north.lead_owner(), Some(north.id));
    }

    fn shares(lead: &User, co: &User) -> Vec<OwnerShare> {
        vec![
            OwnerShare {
                user: lead.id,
                percent: 70,
            },
            OwnerShare {
                user: co.id,
                percent: 30,
            },
        ]
    }

    /// The search box finds deals by title and by their customer's name,
    /// with Chinese substrings, and only those the searcher may see.
    #[test]
    fn the_search_box_finds_deals_by_title_and_customer_as_their_owners_see_them() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = rep(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let c = customer(&gx, &li, "北京星辰科技有限公司");
        let deal = gx
            .create_deal(&li, deal_input(c, "ERP 升级项目", "1000"))
            .unwrap();
        let other = customer(&gx, &admin, "上海明月贸易");
        gx.create_deal(&admin, deal_input(other, "升级服务", "10"))
            .unwrap();
        let deals_found = |me: &User, text: &str| -> Vec<(String, String)> {
            gx.search(me, text, 8)
                .unwrap()
                .into_iter()
                .filter(|h| h.deal_id.is_some())
                .map(|h| (h.deal_title.unwrap(), h.customer_name))
                .collect()
        };
        let erp = (
            "ERP 升级项目".to_string(),
            "北京星辰科技有限公司".to_string(),
        );
        assert_eq!(
            deals_found(&li, "科技"),
            vec![erp.clone()],
            "by customer name"
        );
        assert_eq!(
            deals_found(&li, "erp"),
            vec![erp.clone()],
            "by title, any case"
        );
        assert_eq!(
            deals_found(&li, "升级"),
            vec![erp.clone()],
            "not the admin's deal"
        );
        let hit = gx.search(&li, "升级项", 8).unwrap().remove(0);
        assert_eq!((hit.deal_id, hit.customer), (Some(deal.id), c));
        assert_eq!(
            deals_found(&admin, "升级"),
            [
                ("升级服务".to_string(), "上海明月贸易".to_string()),
                erp.clone()
            ],
            "a title that starts with the text first"
        );
        assert!(deals_found(&wang, "科技").is_empty(), "not wang's deal");

        // A co-owner finds it too, even without seeing the customer.
        let mut edit = DealInput::from(&deal);
        edit.owners = shares(&li, &wang);
        let shared = gx.update_deal(&li, deal.id, deal.version, edit).unwrap();
        assert_eq!(deals_found(&wang, "科技"), vec![erp.clone()]);
        assert_eq!(deals_found(&wang, "ERP"), vec![erp.clone()]);

        // Renamed and deleted deals follow at once.
        let mut renamed = DealInput::from(&shared);
        renamed.title = "CRM 上线".into();
        gx.update_deal(&li, deal.id, shared.version, renamed)
            .unwrap();
        assert!(deals_found(&li, "ERP").is_empty());
        assert_eq!(deals_found(&li, "上线").len(), 1);
        gx.delete_deal(&li, deal.id, None).unwrap();
        assert!(deals_found(&li, "科技").is_empty());
    }

    /// A deal has one or more owners (SPEC §3): a co-owner sees it on the
    /// board, opens and edits it, and the owner filter finds it under every
    /// owner, yet every total counts it once.
    #[test]
    fn a_co_owner_sees_and_edits_the_deal_and_totals_count_it_once() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = rep(&gx, &admin, "wang@x.cn", Role::Rep, Some("华北"));
        let zhao = rep(&gx, &admin, "zhao@x.cn", Role::Rep, Some("华北"));
        let north = rep(&gx, &admin, "m@x.cn", Role::Manager, Some("华北"));
        let pipeline = gx.pipelines().unwrap().remove(0);
        let c = customer(&gx, &li, "北京星辰");
        let mut input = deal_input(c, "ERP", "1000");
        input.owners = shares(&li, &wang);
        let shared = gx.create_deal(&li, input).unwrap();
        gx.create_deal(&li, deal_input(c, "OA", "500")).unwrap();

        let first_column = |me: &User, filter: BoardFilter| {
            gx.board(me, pipeline.id, Utc::now(), &filter)
                .unwrap()
                .columns
                .remove(0)
        };
        let wangs = first_column(&wang, BoardFilter::default());
        assert_eq!((wangs.count, wangs.amount), (1, Cents(100_000)));
        assert_eq!(wangs.cards[0].title, "ERP");
        assert_eq!(wangs.cards[0].owner_name, "li@x.cn", "the lead's name");
        assert_eq!(first_column(&north, BoardFilter::default()).count, 1);
        assert_eq!(first_column(&zhao, BoardFilter::default()).count, 0);
        assert_eq!(gx.deal(&zhao, shared.id), Err(Error::NotFound));

        let all = first_column(&admin, BoardFilter::default());
        assert_eq!((all.count, all.amount), (2, Cents(150_000)), "once each");
        let owned_by = |user: &User| {
            let column = first_column(
                &admin,
                BoardFilter {
                    owner: Some(user.id),
                    ..Default::default()
                },
            );
            (column.count, column.amount)
        };
        assert_eq!(owned_by(&li), (2, Cents(150_000)));
        assert_eq!(owned_by(&wang), (1, Cents(100_000)));
        let team = first_column(
            &admin,
            BoardFilter {
                team: Some("华北".into()),
                ..Default::default()
            },
        );
        assert_eq!(team.count, 1);
        let listed = gx
            .list_deals(
                &wang,
                Some(pipeline.id),
                None,
                &BoardFilter {
                    owner: Some(wang.id),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(listed.len(), 1);

        // The co-owner edits, moves and may delete it like the lead.
        let opened = gx.deal(&wang, shared.id).unwrap();
        assert!(gx.may_edit_deal(&wang, &opened).unwrap());
        let mut edit = DealInput::from(&opened);
        edit.amount = "1,200".into();
        let edited = gx
            .update_deal(&wang, shared.id, opened.version, edit)
            .unwrap();
        assert_eq!(edited.amount, Cents(120_000));
        gx.move_deal(&wang, shared.id, pipeline.stages[1].id, None)
            .unwrap();
        assert_eq!(
            gx.move_deal(&zhao, shared.id, pipeline.stages[2].id, None),
            Err(Error::NotFound)
        );
        let moved = gx
            .board(&admin, pipeline.id, Utc::now(), &BoardFilter::default())
            .unwrap();
        assert_eq!(
            (moved.columns[0].count, moved.columns[1].count),
            (1, 1),
            "moved once, not twice"
        );
        assert_eq!(moved.columns[1].amount, Cents(120_000));
    }

    #[test]
    fn the_board_filters_by_quick_qualification_grade() {
        use crate::model::{DealSize, Qualification};
        let (_dir, gx, admin) = set_up_company();
        let pipeline = gx.pipelines().unwrap().remove(0);
        let c = customer(&gx, &admin, "北京星辰");
        let qualified = |size| Qualification {
            valuable: true,
            size,
            expected_amount: Some(Cents(500_000)),
            next_milestone: Some("下周演示".into()),
        };
        let mut small = deal_input(c, "小单", "100");
        small.qualification = Some(qualified(DealSize::Small));
        let mut big = deal_input(c, "大单", "900");
        big.qualification = Some(qualified(DealSize::Big));
        gx.create_deal(&admin, small).unwrap();
        gx.create_deal(&admin, big).unwrap();
        gx.create_deal(&admin, deal_input(c, "未评估", "50"))
            .unwrap();
        let graded = |grade| {
            let column = gx
                .board(
                    &admin,
                    pipeline.id,
                    Utc::now(),
                    &BoardFilter {
                        grade: Some(grade),
                        ..Default::default()
                    },
                )
                .unwrap()
                .columns
                .remove(0);
            let titles: Vec<String> = column.cards.into_iter().map(|c| c.title).collect();
            (column.count, column.amount, titles)
        };
        assert_eq!(
            graded(DealSize::Small),
            (1, Cents(10_000), vec!["小单".to_string()])
        );
        assert_eq!(graded(DealSize::Big).2, ["大单"]);
        assert_eq!(graded(DealSize::Medium).0, 0);
        let listed = gx
            .list_deals(
                &admin,
                None,
                Some(c),
                &BoardFilter {
                    grade: Some(DealSize::Big),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(listed.len(), 1);
    }
}
