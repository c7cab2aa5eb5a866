//! Contracts: made from an accepted quote in one click or from a won deal,
//! signed (through approval above the company's amount), changed in
//! versions while executing, with a payment plan, payments received
//! allocated to its installments, and the receivables they leave.
//!
//! Who may see a contract follows its owners as deals do (SPEC §3, §9).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};

use super::Guanxi;
use crate::domain::money::{self, Aging, Due};
use crate::domain::{contracts, customer_money};
use crate::domain::{quotes, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Approval, ApprovalStep, Cents, Contract, ContractAction, ContractInput, ContractStatus,
    ContractTerms, ContractVersion, CustomerMoney, DateSpan, DealStatus, Id, Installment,
    InstallmentInput, OwnerShare, Payment, PaymentInput, QuoteInput, QuoteLine, QuoteStatus, Rate,
    Receivables, TermsChange, User,
};

impl Guanxi {
    pub fn contract(&self, me: &User, id: Id) -> Result<Contract> {
        let contract = self.store.contract(id)?.ok_or(Error::NotFound)?;
        if !self.may_see_contract(me, &contract)? {
            return Err(Error::NotFound);
        }
        Ok(contract)
    }

    /// The owners an edit asks for, checked as a deal's are: active users,
    /// shares adding up to 100, and a new lead someone `me` may hand the
    /// contract to. None asked for keeps the contract's.
    fn contract_owners_input(
        &self,
        me: &User,
        current: &Contract,
        asked: &[OwnerShare],
    ) -> Result<Vec<OwnerShare>> {
        if asked.is_empty() {
            return Ok(current.terms.owners.clone());
        }
        self.check_owners(asked)?;
        let lead = asked[0].user;
        if current.terms.owners.first().map(|s| s.user) != Some(lead) {
            self.may_hand_to(me, lead)
                .map_err(|_| Error::invalid(Field::Owners, Problem::Unknown))?;
        }
        Ok(asked.to_vec())
    }

    fn contract_owners(&self, contract: &Contract) -> Result<Vec<User>> {
        let mut owners = Vec::new();
        for share in &contract.terms.owners {
            owners.extend(self.store.user(share.user)?);
        }
        Ok(owners)
    }

    pub(super) fn may_see_contract(&self, me: &User, contract: &Contract) -> Result<bool> {
        let owners = self.contract_owners(contract)?;
        Ok(visibility::can_see_deal(
            me,
            &owners.iter().collect::<Vec<_>>(),
        ))
    }

    /// Whether `me` may change `contract`: an owner or whoever manages one.
    pub fn contract_editable_by(&self, me: &User, contract: &Contract) -> Result<bool> {
        let owners = self.contract_owners(contract)?;
        Ok(visibility::can_edit_deal(
            me,
            &owners.iter().collect::<Vec<_>>(),
        ))
    }

    fn editable_contract(&self, me: &User, id: Id) -> Result<Contract> {
        let contract = self.contract(me, id)?;
        if !self.contract_editable_by(me, &contract)? {
            return Err(Error::Forbidden);
        }
        Ok(contract)
    }

    /// The contracts `me` may see, newest first: all, or a customer's.
    pub fn contracts(&self, me: &User, customer: Option<Id>) -> Result<Vec<Contract>> {
        let list = match customer {
            Some(c) => {
                self.customer(me, c)?;
                self.store.contracts_of_customer(c)?
            }
            None => return Ok(self.contracts_page(me, 0, usize::MAX)?.1),
        };
        let mut visible = Vec::with_capacity(list.len());
        for c in list {
            if self.may_see_contract(me, &c)? {
                visible.push(c);
            }
        }
        Ok(visible)
    }

    /// A customer's key money figures on `today`, for whoever may see the
    /// customer: the customer page's 360° view counts every contract of
    /// theirs, whoever owns it (one read of the customer's contracts).
    pub fn customer_money(
        &self,
        me: &User,
        customer: Id,
        today: NaiveDate,
    ) -> Result<CustomerMoney> {
        self.customer(me, customer)?;
        let contracts = self.store.contracts_of_customer(customer)?;
        Ok(customer_money::customer_money(&contracts, today))
    }

    /// A page of the contracts `me` may see, newest first, with how many
    /// there are in all: `offset` skipped, `limit` read. Walks the
    /// contracts in memory and reads only the page's records.
    pub fn contracts_page(
        &self,
        me: &User,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<Contract>)> {
        let users = self.users_by_id()?;
        let (total, ids) = self.store.with_contract_index(|index| {
            let visible = visible_sets(me, &users, index.owner_sets());
            // The total from the per-set counts; the page by walking the
            // newest first until it is full.
            let total = index.count_visible(&visible);
            let ids: Vec<Id> = index
                .newest_first()
                .filter(|(_, s)| visible[s.owners as usize])
                .skip(offset)
                .take(limit)
                .map(|(id, _)| id)
                .collect();
            (total, ids)
        })?;
        let mut page = Vec::with_capacity(ids.len());
        for id in ids {
            page.extend(self.store.contract(id)?);
        }
        Ok((total, page))
    }

    /// The contracts signed on the days `signed` (of `owner`, among their
    /// owners, when given) that `me` may see, latest sign date first, and
    /// how many there are: the list behind a revenue figure. O(contracts
    /// signed on those days), from the money ledger.
    pub fn contracts_signed(
        &self,
        me: &User,
        signed: DateSpan,
        owner: Option<Id>,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<Contract>)> {
        let users = self.users_by_id()?;
        let ids = self.store.with_contract_index(|index| {
            let ledger = index.ledger();
            let counts: Vec<bool> = ledger
                .splits()
                .iter()
                .map(|shares| {
                    let owners: Vec<&User> =
                        shares.iter().filter_map(|s| users.get(&s.user)).collect();
                    visibility::can_see_deal(me, &owners)
                        && owner.is_none_or(|o| shares.iter().any(|s| s.user == o))
                })
                .collect();
            ledger
                .signed_between(signed.from, signed.to)
                .rev()
                .filter(|(_, _, c)| counts[c.split as usize])
                .map(|(_, id, _)| id)
                .collect::<Vec<Id>>()
        })?;
        let page: Vec<Id> = ids.iter().skip(offset).take(limit).copied().collect();
        Ok((ids.len(), self.store.contracts_with_ids(&page)?))
    }

    /// A direct order (no quote, no won deal): a draft contract of
    /// `customer` owned by `me`, its lines priced as a quote's, signed on
    /// `sign_date` (today if none) and with its payment plan (one
    /// installment of the whole amount due on the sign date if none),
    /// written in one transaction.
    pub fn create_contract(
        &self,
        me: &User,
        customer: Id,
        input: ContractInput,
    ) -> Result<Contract> {
        self.editable_customer(me, customer)?;
        let today = self.company_today();
        let lines = quotes::price_lines(&input.lines, |pid| {
            let product = self.store.product(pid).ok().flatten()?;
            let active = product.active;
            Some((product, active))
        })?;
        if lines.is_empty() {
            return Err(Error::invalid(Field::Lines, Problem::Required));
        }
        let tax_rate = match input.tax_rate.trim() {
            "" => self.store.sales_settings()?.default_tax_rate,
            text => money::parse_rate(Field::TaxRate, text, quotes::MAX_TAX_PERCENT)?,
        };
        let terms = ContractTerms {
            title: validate::optional_text(Field::Title, Some(&input.title), validate::MAX_LONG)?
                .unwrap_or_default(),
            totals: money::totals(lines.iter().map(|l| l.net), tax_rate),
            lines,
            tax_rate,
            sign_date: input.sign_date.unwrap_or(today),
            owners: vec![OwnerShare {
                user: me.id,
                percent: 100,
            }],
            note: validate::optional_text(
                Field::Notes,
                input.note.as_deref(),
                validate::MAX_NOTES,
            )?,
        };
        let plan = match &input.plan {
            Some(plan) => {
                contracts::plan(plan, terms.amount(), Cents(0), today, input.confirm_past)?
            }
            None => vec![Installment {
                due: terms.sign_date,
                amount: terms.amount(),
                paid: Cents(0),
            }],
        };
        let now = Utc::now();
        let contract = Contract {
            id: Id::generate(),
            number: String::new(),
            customer_id: customer,
            deal_id: None,
            quote_id: None,
            plan,
            terms,
            status: ContractStatus::Draft,
            approval: None,
            terms_version: 1,
            created_by: me.id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store.insert_contract(&contract)
    }

    /// The contracts of a deal `me` may see, newest first.
    pub fn contracts_of_deal(&self, me: &User, deal: Id) -> Result<Vec<Contract>> {
        self.deal(me, deal)?;
        let mut visible = Vec::new();
        for c in self.store.contracts_of_deal(deal)? {
            if self.may_see_contract(me, &c)? {
                visible.push(c);
            }
        }
        Ok(visible)
    }

    /// The contract an accepted quote became, written in one click: its
    /// lines, tax and deal copied, the quote's owner owning it, signed
    /// today, one installment of the whole amount due today.
    pub fn contract_from_quote(&self, me: &User, quote: Id) -> Result<Contract> {
        let q = self.quote(me, quote)?;
        if !self.quote_editable_by(me, &q)? {
            return Err(Error::Forbidden);
        }
        if quotes::status_on(&q, self.company_today()) != QuoteStatus::Accepted {
            return Err(Error::WrongStatus {
                status: q.status.code().into(),
            });
        }
        let terms = ContractTerms {
            title: q.title.clone(),
            lines: q.lines.clone(),
            tax_rate: q.tax_rate,
            totals: q.totals,
            sign_date: self.company_today(),
            owners: vec![OwnerShare {
                user: q.owner,
                percent: 100,
            }],
            note: q.note.clone(),
        };
        self.insert_new_contract(me, q.customer_id, q.deal_id, Some(q.id), terms)
    }

    /// The contract of a won deal: one line of the deal's amount (net, the
    /// company's tax on top), its owners and credit split.
    pub fn contract_from_deal(&self, me: &User, deal: Id) -> Result<Contract> {
        let d = self.editable_deal(me, deal)?;
        if d.status != DealStatus::Won {
            return Err(Error::WrongStatus {
                status: "open".into(),
            });
        }
        let settings = self.store.sales_settings()?;
        let line = QuoteLine {
            product_id: None,
            code: None,
            description: d.title.clone(),
            unit: String::new(),
            quantity: crate::model::Quantity::ONE,
            unit_price: d.amount,
            discount: Rate(0),
            net: d.amount,
        };
        let terms = ContractTerms {
            title: d.title.clone(),
            totals: money::totals([line.net], settings.default_tax_rate),
            lines: vec![line],
            tax_rate: settings.default_tax_rate,
            sign_date: self.company_today(),
            owners: d.owners.clone(),
            note: None,
        };
        self.insert_new_contract(me, d.customer_id, Some(d.id), None, terms)
    }

    fn insert_new_contract(
        &self,
        me: &User,
        customer: Id,
        deal: Option<Id>,
        quote: Option<Id>,
        terms: ContractTerms,
    ) -> Result<Contract> {
        let now = Utc::now();
        let contract = Contract {
            id: Id::generate(),
            number: String::new(),
            customer_id: customer,
            deal_id: deal,
            quote_id: quote,
            plan: vec![Installment {
                due: terms.sign_date,
                amount: terms.amount(),
                paid: Cents(0),
            }],
            terms,
            status: ContractStatus::Draft,
            approval: None,
            terms_version: 1,
            created_by: me.id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store.insert_contract(&contract)
    }

    /// Saves new terms from `version`. A draft changes in place; an
    /// executing contract gets a new terms version and keeps the old one
    /// readable. A changed amount needs a new plan that adds up to it.
    pub fn update_contract(
        &self,
        me: &User,
        id: Id,
        version: u64,
        input: ContractInput,
    ) -> Result<Contract> {
        let current = self.editable_contract(me, id)?;
        match current.status {
            ContractStatus::Draft | ContractStatus::Executing => {}
            ContractStatus::PendingApproval => return Err(Error::ApprovalPending),
            other => {
                return Err(Error::WrongStatus {
                    status: other.code().into(),
                });
            }
        }
        let today = self.company_today();
        // The lines are priced as a quote's are, by the same rules.
        let quote_input = QuoteInput {
            customer_id: Some(current.customer_id),
            deal_id: None,
            title: input.title.clone(),
            lines: input.lines.clone(),
            tax_rate: input.tax_rate.clone(),
            valid_until: Some(today),
            note: input.note.clone(),
        };
        let products = self.store.products()?;
        let kept: Vec<Id> = current
            .terms
            .lines
            .iter()
            .filter_map(|l| l.product_id)
            .collect();
        let lines = quotes::price_lines(&quote_input.lines, |pid| {
            products
                .iter()
                .find(|p| p.id == pid)
                .map(|p| (p.clone(), p.active || kept.contains(&pid)))
        })?;
        let tax_rate = match input.tax_rate.trim() {
            "" => current.terms.tax_rate,
            text => money::parse_rate(Field::TaxRate, text, quotes::MAX_TAX_PERCENT)?,
        };
        let terms = ContractTerms {
            title: validate::optional_text(Field::Title, Some(&input.title), validate::MAX_LONG)?
                .unwrap_or_default(),
            totals: money::totals(lines.iter().map(|l| l.net), tax_rate),
            lines,
            tax_rate,
            sign_date: input.sign_date.unwrap_or(current.terms.sign_date),
            owners: self.contract_owners_input(me, &current, &input.owners)?,
            note: validate::optional_text(
                Field::Notes,
                input.note.as_deref(),
                validate::MAX_NOTES,
            )?,
        };
        let paid = current.paid();
        let plan = match &input.plan {
            Some(plan) => Some(contracts::plan(
                plan,
                terms.amount(),
                paid,
                today,
                input.confirm_past,
            )?),
            None if terms.amount() != current.terms.amount() => {
                return Err(Error::PlanMismatch {
                    difference: Cents(current.terms.amount().0 - terms.amount().0),
                });
            }
            None => None,
        };
        self.store
            .update_contract(id, Some(version), me.id, move |c| {
                if c.terms == terms {
                    return Ok(());
                }
                if c.status == ContractStatus::Executing {
                    c.terms_version += 1;
                }
                c.terms = terms;
                if let Some(plan) = plan {
                    c.plan = plan;
                }
                c.updated_at = Utc::now();
                Ok(())
            })
    }

    /// Replaces the payment plan: it must add up to the amount, and
    /// installments before today need `confirm_past`. What was paid stays
    /// paid, oldest installment first.
    pub fn set_payment_plan(
        &self,
        me: &User,
        id: Id,
        version: u64,
        plan: &[InstallmentInput],
        confirm_past: bool,
    ) -> Result<Contract> {
        let current = self.editable_contract(me, id)?;
        if matches!(
            current.status,
            ContractStatus::Cancelled | ContractStatus::Closed
        ) {
            return Err(Error::WrongStatus {
                status: current.status.code().into(),
            });
        }
        let plan = contracts::plan(
            plan,
            current.terms.amount(),
            current.paid(),
            self.company_today(),
            confirm_past,
        )?;
        self.store
            .update_contract(id, Some(version), me.id, move |c| {
                c.plan = plan;
                c.updated_at = Utc::now();
                Ok(())
            })
    }

    /// Moves a contract on (see `contracts::next_status`). Signing one
    /// above the company's approval amount submits it for approval.
    pub fn contract_action(
        &self,
        me: &User,
        id: Id,
        version: Option<u64>,
        action: ContractAction,
    ) -> Result<Contract> {
        let current = self.editable_contract(me, id)?;
        let limit = self.store.sales_settings()?.contract_approval_amount;
        let levels = quotes::approval_levels(me);
        let needs = limit.0 > 0 && current.terms.amount() > limit && !levels.is_empty();
        let submitter = (me.id, me.name.clone());
        self.store.update_contract(id, version, me.id, move |c| {
            if c.status == ContractStatus::PendingApproval {
                return Err(Error::ApprovalPending);
            }
            let next = contracts::next_status(c.status, action, needs)?;
            if next == ContractStatus::PendingApproval {
                c.approval = Some(Approval {
                    submitted_by: submitter.0,
                    submitter_name: submitter.1,
                    submitted_at: Utc::now(),
                    steps: levels
                        .iter()
                        .map(|level| ApprovalStep {
                            level: *level,
                            approved: None,
                            decided_by: None,
                            decider_name: None,
                            comment: None,
                            decided_at: None,
                        })
                        .collect(),
                });
            }
            c.status = next;
            c.updated_at = Utc::now();
            Ok(())
        })
    }

    /// Decides the waiting approval step of a contract, as for quotes: a
    /// rejection takes it back to draft, the last approval signs it.
    pub fn decide_contract(
        &self,
        me: &User,
        id: Id,
        approve: bool,
        comment: &str,
    ) -> Result<Contract> {
        let comment = validate::optional_text(Field::Comment, Some(comment), validate::MAX_LONG)?;
        let contract = self.store.contract(id)?.ok_or(Error::NotFound)?;
        let wrong = || Error::WrongStatus {
            status: contract.status.code().into(),
        };
        let approval = contract.approval.as_ref().ok_or_else(wrong)?;
        let step = approval.pending_step().ok_or_else(wrong)?;
        let submitter = self
            .store
            .user(approval.submitted_by)?
            .ok_or(Error::NotFound)?;
        if !quotes::may_decide(step.level, me, &submitter) {
            return Err(if self.may_see_contract(me, &contract)? {
                Error::Forbidden
            } else {
                Error::NotFound
            });
        }
        let level = step.level;
        let (decider, name) = (me.id, me.name.clone());
        self.store.update_contract(id, None, me.id, move |c| {
            if c.status != ContractStatus::PendingApproval {
                return Err(Error::WrongStatus {
                    status: c.status.code().into(),
                });
            }
            let approval = c.approval.as_mut().ok_or(Error::Conflict)?;
            quotes::record_decision(approval, level, approve, decider, name, comment, Utc::now())?;
            if !approve {
                c.status = ContractStatus::Draft;
            } else if approval.approved() {
                c.status = ContractStatus::Executing;
            }
            c.updated_at = Utc::now();
            Ok(())
        })
    }

    /// The contracts waiting for a step `me` may decide.
    pub fn contract_inbox(&self, me: &User) -> Result<Vec<Contract>> {
        let users = self.users_by_id()?;
        Ok(self
            .store
            .pending_contracts()?
            .into_iter()
            .filter(|c| {
                let Some(approval) = &c.approval else {
                    return false;
                };
                match (approval.pending_step(), users.get(&approval.submitted_by)) {
                    (Some(step), Some(submitter)) => quotes::may_decide(step.level, me, submitter),
                    _ => false,
                }
            })
            .collect())
    }

    /// Deletes a contract with no payments; one with payments is
    /// refused (`HasPayments`: cancel it instead).
    pub fn delete_contract(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        self.editable_contract(me, id)?;
        self.store.delete_contract(id, version, |c| match c.status {
            ContractStatus::PendingApproval => Err(Error::ApprovalPending),
            _ => Ok(()),
        })
    }

    /// The contract a quote became, if `me` may see the quote.
    pub fn contract_of_quote(&self, me: &User, quote: Id) -> Result<Option<Id>> {
        self.quote(me, quote)?;
        self.store.contract_of_quote(quote)
    }

    /// Every version of a contract's terms, oldest first.
    pub fn contract_versions(&self, me: &User, id: Id) -> Result<Vec<ContractVersion>> {
        self.contract(me, id)?;
        self.store.contract_versions(id)
    }

    /// What changed from terms version `from` to `to`.
    pub fn contract_diff(&self, me: &User, id: Id, from: u32, to: u32) -> Result<Vec<TermsChange>> {
        let versions = self.contract_versions(me, id)?;
        let find = |n: u32| {
            versions
                .iter()
                .find(|v| v.terms_version == n)
                .ok_or(Error::NotFound)
        };
        let names = self.user_names()?;
        let name_of = |id: Id| names.get(id).unwrap_or_default().to_string();
        Ok(contracts::diff(
            &find(from)?.terms,
            &find(to)?.terms,
            name_of,
        ))
    }

    pub fn payments(&self, me: &User, contract: Id) -> Result<Vec<Payment>> {
        self.contract(me, contract)?;
        self.store.payments_of(contract)
    }

    /// Records money received against a signed contract, allocated to its
    /// installments (the chosen one first, then oldest first). More than
    /// is outstanding is refused, naming what is; nothing changes then.
    pub fn record_payment(&self, me: &User, contract: Id, input: PaymentInput) -> Result<Payment> {
        self.editable_contract(me, contract)?;
        let amount = money::parse_amount(Field::Amount, &input.amount)?;
        if input.received_on > self.company_today() {
            return Err(Error::invalid(Field::At, Problem::InFuture));
        }
        let note =
            validate::optional_text(Field::Notes, input.note.as_deref(), validate::MAX_LONG)?;
        let by = me.id;
        let (payment, _) = self.store.record_payment(contract, move |c| {
            if !c.status.is_signed() {
                return Err(Error::WrongStatus {
                    status: c.status.code().into(),
                });
            }
            let dues: Vec<Due> = c
                .plan
                .iter()
                .map(|i| Due {
                    due: i.due,
                    amount: i.amount,
                    paid: i.paid,
                })
                .collect();
            let split = money::allocate(&dues, amount, input.installment.map(|i| i as usize))?;
            for (i, part) in &split {
                c.plan[*i].paid.0 += part.0;
            }
            c.updated_at = Utc::now();
            Ok(Payment {
                id: Id::generate(),
                contract_id: c.id,
                customer_id: c.customer_id,
                received_on: input.received_on,
                amount,
                method: input.method,
                note,
                allocations: split.into_iter().map(|(i, a)| (i as u32, a)).collect(),
                recorded_by: by,
                recorded_at: Utc::now(),
            })
        })?;
        Ok(payment)
    }

    /// What `me` may see of what is owed on signed contracts, by how late,
    /// as of `today` (the company's): company-wide, per customer and per
    /// rep (the contract's lead owner).
    pub fn receivables(&self, me: &User, today: NaiveDate) -> Result<Receivables> {
        self.receivables_top(me, today, usize::MAX)
    }

    /// `receivables` with the `limit` most overdue customers listed. The
    /// whole answer is worked out from the receivable contracts in memory
    /// and kept for the same contracts, day and visibility: 50 people
    /// opening the page between two payments share one working out.
    pub fn receivables_top(
        &self,
        me: &User,
        today: NaiveDate,
        limit: usize,
    ) -> Result<Receivables> {
        let users = self.users_by_id()?;
        let names = self.user_names()?;
        let full = self.store.with_contract_index(|index| {
            let visible = visible_sets(me, &users, index.owner_sets());
            let key = (index.generation(), today, visible);
            let mut kept = self
                .receivables_kept
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some((_, full)) = kept.iter().find(|(k, _)| *k == key) {
                return full.clone();
            }
            let full = Arc::new(self.work_out_receivables(index, &key.2, &names, today));
            kept.retain(|(k, _)| k.0 == key.0);
            if kept.len() >= KEPT_RECEIVABLES {
                kept.remove(0);
            }
            kept.push((key, full.clone()));
            full
        })?;
        Ok(Receivables {
            as_of: full.as_of,
            company: full.company,
            customers: full.customers.iter().take(limit).cloned().collect(),
            customers_total: full.customers.len(),
            reps: full.reps.clone(),
        })
    }

    fn work_out_receivables(
        &self,
        index: &crate::store::ContractIndex,
        visible: &[bool],
        names: &crate::service::users::UserNames,
        today: NaiveDate,
    ) -> Receivables {
        let mut company = Aging::default();
        let mut customers: HashMap<Id, Aging> = HashMap::new();
        let mut reps: HashMap<Id, Aging> = HashMap::new();
        let sets = index.owner_sets();
        for (_, c) in index.receivable() {
            if !visible[c.owners as usize] {
                continue;
            }
            let mut aging = Aging::default();
            for (due, outstanding) in &c.outstanding {
                aging.add(*due, *outstanding, today);
            }
            company.merge(&aging);
            customers.entry(c.customer).or_default().merge(&aging);
            if let Some(rep) = sets[c.owners as usize].first() {
                reps.entry(*rep).or_default().merge(&aging);
            }
        }
        let directory = self.store.directory();
        let mut customers: Vec<(Id, String, Aging)> = customers
            .into_iter()
            .map(|(id, a)| (id, directory.customer_name(id).unwrap_or_default(), a))
            .collect();
        drop(directory);
        let mut reps: Vec<(Id, String, Aging)> = reps
            .into_iter()
            .map(|(id, a)| (id, names.get(id).unwrap_or_default().to_string(), a))
            .collect();
        // Most overdue first, then most owed; ids break ties so the order
        // never depends on the maps'.
        let by_overdue = |a: &(Id, String, Aging), b: &(Id, String, Aging)| {
            (b.2.overdue(), b.2.total(), a.0).cmp(&(a.2.overdue(), a.2.total(), b.0))
        };
        customers.sort_by(by_overdue);
        reps.sort_by(by_overdue);
        Receivables {
            as_of: Some(today),
            company,
            customers_total: customers.len(),
            customers,
            reps,
        }
    }
}

/// Receivables kept, for different readers' visibility.
const KEPT_RECEIVABLES: usize = 16;

/// The receivables worked out for one state of the contracts, one day and
/// one reader's visibility of each owner set.
pub(super) type KeptReceivables = Vec<((u64, NaiveDate, Vec<bool>), Arc<Receivables>)>;

/// Which of the contract index's owner sets `me` may see contracts of,
/// by the set's number: decided once per set (a few hundred), not per
/// contract (60,000 at the `large` size).
fn visible_sets(me: &User, users: &HashMap<Id, User>, sets: &[Vec<Id>]) -> Vec<bool> {
    sets.iter()
        .map(|set| {
            let owners: Vec<&User> = set.iter().filter_map(|id| users.get(id)).collect();
            visibility::can_see_deal(me, &owners)
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        CustomerInput, CustomerKind, InstallmentInput, PaymentMethod, ProductInput, QuoteAction,
        QuoteLineInput, Role, SalesSettingsInput,
    };
    use crate::service::Actor;

    pub(in crate::service) fn customer_of(gx: &Guanxi, me: &User, name: &str) -> Id {
        gx.create_customer(
            me,
            CustomerInput {
                name: name.into(),
                kind: CustomerKind::Company,
                customer_type: "potential".into(),
                ..Default::default()
            },
            vec![],
            true,
        )
        .unwrap()
        .id
    }

    /// An accepted quote of ¥100,000 gross: 1 × ¥88,495.58 + 13 % tax
    /// would not be round; 2 × ¥50,000 at tax 0 is.
    pub(in crate::service) fn accepted_quote(
        gx: &Guanxi,
        admin: &User,
        me: &User,
        customer: Id,
    ) -> Id {
        let product = gx
            .create_product(
                admin,
                ProductInput {
                    code: format!("P-{}", Id::generate()),
                    name: "服务器".into(),
                    unit: "台".into(),
                    list_price: "50,000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let quote = gx
            .create_quote(
                me,
                QuoteInput {
                    customer_id: Some(customer),
                    title: "服务器采购".into(),
                    lines: vec![QuoteLineInput {
                        product_id: Some(product.id),
                        quantity: "2".into(),
                        ..Default::default()
                    }],
                    tax_rate: "0".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        gx.quote_action(me, quote.id, None, QuoteAction::Send)
            .unwrap();
        gx.quote_action(me, quote.id, None, QuoteAction::Accept)
            .unwrap();
        quote.id
    }

    /// Cash received on `on`, paying the oldest installment first.
    pub(in crate::service) fn cash(amount: &str, on: NaiveDate) -> PaymentInput {
        PaymentInput {
            received_on: on,
            amount: amount.into(),
            method: PaymentMethod::Cash,
            note: None,
            installment: None,
        }
    }

    fn installment(due: NaiveDate, amount: &str) -> InstallmentInput {
        InstallmentInput {
            due: Some(due),
            amount: amount.into(),
        }
    }

    /// The receivables as worked out before the contracts were kept in
    /// memory: every contract read and checked.
    fn receivables_by_scan(gx: &Guanxi, me: &User, today: NaiveDate) -> Receivables {
        let mut company = Aging::default();
        let mut customers: BTreeMap<Id, Aging> = BTreeMap::new();
        let mut reps: BTreeMap<Id, Aging> = BTreeMap::new();
        for c in gx.store.contracts().unwrap() {
            if !gx.may_see_contract(me, &c).unwrap()
                || !matches!(
                    c.status,
                    ContractStatus::Executing | ContractStatus::Completed
                )
            {
                continue;
            }
            let mut aging = Aging::default();
            for i in &c.plan {
                if i.amount > i.paid {
                    aging.add(i.due, Cents(i.amount.0 - i.paid.0), today);
                }
            }
            if aging.total().0 == 0 {
                continue;
            }
            company.merge(&aging);
            customers.entry(c.customer_id).or_default().merge(&aging);
            if let Some(rep) = c.lead_owner() {
                reps.entry(rep).or_default().merge(&aging);
            }
        }
        let kept = gx.receivables(me, today).unwrap();
        let top = gx.receivables_top(me, today, 1).unwrap();
        assert_eq!(top.customers_total, kept.customers.len());
        assert_eq!(top.customers.first(), kept.customers.first());
        assert!(top.customers.len() <= 1);
        let names: BTreeMap<Id, Aging> =
            kept.customers.iter().map(|(id, _, a)| (*id, *a)).collect();
        let by_rep: BTreeMap<Id, Aging> = kept.reps.iter().map(|(id, _, a)| (*id, *a)).collect();
        assert_eq!((names, by_rep), (customers, reps));
        assert_eq!(kept.company, company);
        kept
    }

    fn assert_kept_contracts_match_a_scan(gx: &Guanxi, people: &[&User], today: NaiveDate) {
        for me in people {
            for day in [today, today + chrono::Duration::days(45)] {
                receivables_by_scan(gx, me, day);
            }
            let visible: Vec<Id> = gx
                .store
                .contracts()
                .unwrap()
                .into_iter()
                .filter(|c| gx.may_see_contract(me, c).unwrap())
                .map(|c| c.id)
                .collect();
            let (total, page) = gx.contracts_page(me, 0, 1_000).unwrap();
            assert_eq!(total, visible.len());
            assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), visible);
            let (_, second) = gx.contracts_page(me, 1, 2).unwrap();
            assert_eq!(
                second.iter().map(|c| c.id).collect::<Vec<_>>(),
                visible.iter().skip(1).take(2).copied().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn kept_contracts_and_receivables_equal_a_scan_after_a_mix_of_writes() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let people = [&admin, &manager, &rep, &other];
        let today = gx.company_today();
        let check = |gx: &Guanxi| assert_kept_contracts_match_a_scan(gx, &people, today);
        check(&gx);
        let mine = customer_of(&gx, &rep, "北京星辰");
        let theirs = customer_of(&gx, &other, "广州远航");
        let quoted = gx
            .contract_from_quote(&rep, accepted_quote(&gx, &admin, &rep, mine))
            .unwrap();
        let product = quoted.terms.lines[0].product_id;
        let order =
            |me: &User, customer: Id, quantity: &str, plan: Option<Vec<InstallmentInput>>| {
                gx.create_contract(
                    me,
                    customer,
                    ContractInput {
                        title: "直接订单".into(),
                        lines: vec![QuoteLineInput {
                            product_id: product,
                            quantity: quantity.into(),
                            ..Default::default()
                        }],
                        tax_rate: "0".into(),
                        plan,
                        ..Default::default()
                    },
                )
            };
        let direct = order(&other, theirs, "1", None).unwrap();
        assert_eq!(direct.plan.len(), 1);
        assert_eq!(direct.terms.amount(), Cents(5_000_000));
        let split = order(
            &rep,
            mine,
            "3",
            Some(vec![
                installment(today + chrono::Duration::days(10), "100,000"),
                installment(today + chrono::Duration::days(40), "50,000"),
            ]),
        )
        .unwrap();
        assert_eq!(split.plan.len(), 2);
        assert_eq!(
            order(&other, mine, "1", None).map(|c| c.id),
            Err(Error::NotFound),
            "not a customer of theirs"
        );
        check(&gx);
        for (me, id) in [(&rep, quoted.id), (&other, direct.id), (&rep, split.id)] {
            gx.contract_action(me, id, None, ContractAction::Sign)
                .unwrap();
        }
        check(&gx);
        let pay = |me: &User, id: Id, amount: &str| {
            gx.record_payment(
                me,
                id,
                PaymentInput {
                    received_on: today,
                    amount: amount.into(),
                    method: PaymentMethod::Cash,
                    note: None,
                    installment: None,
                },
            )
            .unwrap()
        };
        pay(&rep, split.id, "120,000");
        pay(&other, direct.id, "50,000");
        check(&gx);
        gx.contract_action(&other, direct.id, None, ContractAction::Complete)
            .unwrap();
        gx.contract_action(&rep, quoted.id, None, ContractAction::Cancel)
            .unwrap();
        let draft = order(&rep, mine, "2", None).unwrap();
        check(&gx);
        gx.delete_contract(&rep, draft.id, None).unwrap();
        check(&gx);
        let later = today + chrono::Duration::days(45);
        let owed = gx.receivables(&admin, later).unwrap();
        // 30,000 of the second installment, 15 days late.
        assert_eq!(owed.company.days_1_30, Cents(3_000_000));
        assert_eq!(owed.company.total(), Cents(3_000_000));
    }

    #[test]
    fn an_accepted_quote_becomes_a_contract_once_with_its_lines() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华东"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        assert_eq!(contract.terms.amount(), Cents(10_000_000));
        assert_eq!(contract.terms.lines.len(), 1);
        assert_eq!(contract.status, ContractStatus::Draft);
        assert!(contract.number.starts_with('C'));
        assert_eq!(contract.plan.len(), 1);
        assert_eq!(
            gx.contract_from_quote(&rep, quote),
            Err(Error::invalid(Field::Quote, Problem::Taken))
        );
        assert_eq!(gx.contract(&other, contract.id), Err(Error::NotFound));
        assert_eq!(gx.contracts(&rep, Some(customer)).unwrap().len(), 1);
    }

    #[test]
    fn the_search_box_finds_contracts_and_quotes_by_number_and_customer() {
        use crate::model::DocumentKind;
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华北"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let quote_number = gx.quote(&rep, quote).unwrap().number;
        let documents = |me: &User, text: &str| -> Vec<(DocumentKind, String)> {
            gx.search(me, text, 8)
                .unwrap()
                .into_iter()
                .filter_map(|h| h.document.map(|d| (d.kind, d.number)))
                .collect()
        };
        let year = &contract.number[1..5];
        let by_contract = vec![(DocumentKind::Contract, contract.number.clone())];
        assert_eq!(documents(&rep, &contract.number), by_contract);
        assert_eq!(
            documents(&rep, &contract.number.to_lowercase()),
            by_contract
        );
        assert_eq!(documents(&rep, &format!("C{year}-000")), by_contract);
        let both = vec![
            (DocumentKind::Contract, contract.number.clone()),
            (DocumentKind::Quote, quote_number.clone()),
        ];
        assert_eq!(documents(&rep, &format!("{year}-00001")), both);
        assert_eq!(documents(&rep, "1"), both, "a bare sequence number");
        assert_eq!(documents(&rep, "北京星辰"), both, "by the customer's name");
        assert!(documents(&rep, "2").is_empty());
        assert!(documents(&other, &contract.number).is_empty(), "not theirs");
        assert_eq!(
            documents(&admin, &quote_number),
            [(DocumentKind::Quote, quote_number.clone())]
        );
        let hit = gx.search(&rep, &contract.number, 8).unwrap().remove(0);
        assert_eq!(
            (hit.customer, hit.customer_name.as_str()),
            (customer, "北京星辰")
        );
    }

    #[test]
    fn the_customer_page_adds_up_signed_contracts_and_what_is_paid() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华北"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let today = gx.company_today();
        assert_eq!(
            gx.customer_money(&rep, customer, today).unwrap(),
            CustomerMoney::default()
        );
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        assert_eq!(
            gx.customer_money(&rep, customer, today).unwrap().revenue,
            Cents(0),
            "a draft is not a purchase"
        );
        let signed = gx
            .contract_action(
                &rep,
                contract.id,
                Some(contract.version),
                ContractAction::Sign,
            )
            .unwrap();
        gx.record_payment(&rep, signed.id, cash("25,000", today))
            .unwrap();
        let money = gx.customer_money(&rep, customer, today).unwrap();
        assert_eq!(money.revenue, Cents(10_000_000));
        assert_eq!(money.received, Cents(2_500_000));
        assert_eq!(money.receivable, Cents(7_500_000));
        assert_eq!(money.last_purchase, Some(signed.terms.sign_date));
        // The plan's one installment is due on the sign date or later.
        assert_eq!(money.overdue, Cents(0));
        let later = signed.plan[0].due + chrono::Duration::days(1);
        assert_eq!(
            gx.customer_money(&rep, customer, later).unwrap().overdue,
            Cents(7_500_000)
        );
        assert_eq!(
            gx.customer_money(&other, customer, today),
            Err(Error::NotFound)
        );
    }

    #[test]
    fn the_customer_timeline_shows_quotes_contracts_and_payments_in_time_order() {
        use crate::model::{MoneyEventKind as K, TimelineEntry, TimelineKind};
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let signed = gx
            .contract_action(
                &rep,
                contract.id,
                Some(contract.version),
                ContractAction::Sign,
            )
            .unwrap();
        gx.record_payment(&rep, signed.id, cash("25,000", gx.company_today()))
            .unwrap();
        let money = |before, limit| -> Vec<K> {
            gx.timeline_of_kind(&rep, customer, before, limit, Some(TimelineKind::Money))
                .unwrap()
                .into_iter()
                .map(|(_, e)| match e {
                    TimelineEntry::Money(m) => m.kind,
                    other => panic!("not money: {other:?}"),
                })
                .collect()
        };
        let newest_first = [
            K::Payment,
            K::ContractMade,
            K::QuoteAccepted,
            K::QuoteSent,
            K::QuoteMade,
        ];
        assert_eq!(money(None, 20), newest_first);
        // A page at a time, from the last one's cursor.
        let first = gx
            .timeline_of_kind(&rep, customer, None, 2, Some(TimelineKind::Money))
            .unwrap();
        assert_eq!(money(Some(first[1].0), 20), newest_first[2..]);
        // In the whole timeline they sit among the rest by time.
        let all = gx.timeline(&rep, customer, None, 50).unwrap();
        let at: Vec<_> = all.iter().map(|(cursor, _)| *cursor).collect();
        assert!(at.windows(2).all(|w| w[0] > w[1]), "newest first");
        assert_eq!(
            all.iter()
                .filter(|(_, e)| matches!(e, TimelineEntry::Money(_)))
                .count(),
            5
        );
        let Some((_, TimelineEntry::Money(payment))) = all.first() else {
            panic!("the payment is the newest entry: {all:?}");
        };
        assert_eq!(payment.amount, Some(Cents(2_500_000)));
        assert_eq!(payment.document.as_ref().map(|d| d.id), Some(contract.id));
    }

    #[test]
    fn a_won_deal_becomes_one_contract_until_that_one_is_cancelled() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华北"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let deal = gx
            .create_deal(
                &rep,
                crate::model::DealInput {
                    customer_id: Some(customer),
                    title: "机房改造".into(),
                    amount: "80,000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            gx.contract_from_deal(&rep, deal.id),
            Err(Error::WrongStatus {
                status: "open".into()
            }),
            "an open deal has no contract yet"
        );
        gx.close_deal(&rep, deal.id, crate::model::Outcome::Won, "price", None)
            .unwrap();
        assert_eq!(
            gx.contract_from_deal(&other, deal.id).map(|c| c.id),
            Err(Error::NotFound)
        );

        let contract = gx.contract_from_deal(&rep, deal.id).unwrap();
        assert_eq!(contract.deal_id, Some(deal.id));
        assert_eq!(contract.terms.lines[0].net, Cents(8_000_000));
        assert_eq!(contract.terms.title, "机房改造");
        assert_eq!(
            gx.contract_from_deal(&rep, deal.id).map(|c| c.id),
            Err(Error::invalid(Field::Deal, Problem::Taken)),
            "a second contract of the same deal"
        );
        assert_eq!(gx.contracts_of_deal(&rep, deal.id).unwrap().len(), 1);
        assert_eq!(gx.contracts_of_deal(&other, deal.id), Err(Error::NotFound));

        gx.contract_action(&rep, contract.id, None, ContractAction::Cancel)
            .unwrap();
        let again = gx.contract_from_deal(&rep, deal.id).unwrap();
        assert_ne!(again.id, contract.id);
        assert_eq!(gx.contracts_of_deal(&rep, deal.id).unwrap().len(), 2);
    }

    /// The browser story beneath the UI: a two-installment plan, a payment
    /// that pays the first, and the receivables with aging as of a day
    /// after the second fell due.
    #[test]
    fn payments_pay_the_oldest_installment_first_and_receivables_age() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let today = gx.company_today();
        let (first, second) = (
            today + chrono::Duration::days(10),
            today + chrono::Duration::days(40),
        );
        assert_eq!(
            gx.set_payment_plan(
                &rep,
                contract.id,
                contract.version,
                &[installment(first, "60,000"), installment(second, "30,000")],
                false
            ),
            Err(Error::PlanMismatch {
                difference: Cents(-1_000_000)
            })
        );
        let yesterday = today - chrono::Duration::days(1);
        assert_eq!(
            gx.set_payment_plan(
                &rep,
                contract.id,
                contract.version,
                &[
                    installment(yesterday, "60,000"),
                    installment(second, "40,000")
                ],
                false
            ),
            Err(Error::invalid(Field::Due, Problem::InPast))
        );
        let planned = gx
            .set_payment_plan(
                &rep,
                contract.id,
                contract.version,
                &[installment(first, "60,000"), installment(second, "40,000")],
                false,
            )
            .unwrap();
        let payment = |amount: &str| PaymentInput {
            received_on: today,
            amount: amount.into(),
            method: PaymentMethod::BankTransfer,
            note: None,
            installment: None,
        };
        assert_eq!(
            gx.record_payment(&rep, contract.id, payment("1,000")),
            Err(Error::WrongStatus {
                status: "draft".into()
            }),
            "a draft is not signed yet"
        );
        let signed = gx
            .contract_action(
                &rep,
                contract.id,
                Some(planned.version),
                ContractAction::Sign,
            )
            .unwrap();
        assert_eq!(signed.status, ContractStatus::Executing);
        assert_eq!(
            gx.record_payment(&rep, contract.id, payment("100,000.01")),
            Err(Error::PaymentTooLarge {
                outstanding: Cents(10_000_000)
            })
        );
        let paid = gx
            .record_payment(&rep, contract.id, payment("70,000"))
            .unwrap();
        assert_eq!(
            paid.allocations,
            vec![(0, Cents(6_000_000)), (1, Cents(1_000_000))]
        );
        let after = gx.contract(&rep, contract.id).unwrap();
        assert_eq!(after.paid(), Cents(7_000_000));
        assert_eq!(gx.payments(&rep, contract.id).unwrap().len(), 1);
        assert_eq!(
            gx.delete_contract(&rep, contract.id, None),
            Err(Error::HasPayments)
        );

        // 41 days on, the second installment is a day late.
        let later = today + chrono::Duration::days(41);
        let receivables = gx.receivables(&rep, later).unwrap();
        assert_eq!(receivables.company.days_1_30, Cents(3_000_000));
        assert_eq!(receivables.company.not_due, Cents(0));
        assert_eq!(receivables.customers[0].1, "北京星辰");
        assert_eq!(receivables.reps[0].0, rep.id);
        let now = gx.receivables(&rep, today).unwrap();
        assert_eq!(now.company.not_due, Cents(3_000_000));
        assert_eq!(now.company.overdue(), Cents(0));
    }

    #[test]
    fn changing_an_executing_contract_keeps_the_old_version_and_shows_the_diff() {
        let (_dir, gx, admin) = set_up_company();
        let customer = customer_of(&gx, &admin, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &admin, customer);
        let contract = gx.contract_from_quote(&admin, quote).unwrap();
        let signed = gx
            .contract_action(&admin, contract.id, None, ContractAction::Sign)
            .unwrap();
        let product = signed.terms.lines[0].product_id;
        let input = |quantity: &str, plan: Option<Vec<InstallmentInput>>| ContractInput {
            title: "服务器采购（追加）".into(),
            lines: vec![QuoteLineInput {
                product_id: product,
                quantity: quantity.into(),
                ..Default::default()
            }],
            tax_rate: "0".into(),
            plan,
            ..Default::default()
        };
        assert_eq!(
            gx.update_contract(&admin, contract.id, signed.version, input("3", None)),
            Err(Error::PlanMismatch {
                difference: Cents(-5_000_000)
            })
        );
        let today = gx.company_today();
        let changed = gx
            .update_contract(
                &admin,
                contract.id,
                signed.version,
                input("3", Some(vec![installment(today, "150,000")])),
            )
            .unwrap();
        assert_eq!(changed.terms_version, 2);
        let versions = gx.contract_versions(&admin, contract.id).unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].terms.amount(), Cents(10_000_000));
        let diff = gx.contract_diff(&admin, contract.id, 1, 2).unwrap();
        assert!(diff.contains(&TermsChange::Amount {
            old: Cents(10_000_000),
            new: Cents(15_000_000)
        }));
        assert!(
            diff.iter()
                .any(|c| matches!(c, TermsChange::LineChanged { .. }))
        );
    }

    #[test]
    fn a_contracts_credit_split_changes_with_checks_and_shows_in_the_diff() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@example.cn", Role::Rep, Some("华东"));
        let zhao = person(&gx, &admin, "zhao@example.cn", Role::Rep, Some("华南"));
        let customer = customer_of(&gx, &li, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &li, customer);
        let contract = gx.contract_from_quote(&li, quote).unwrap();
        let signed = gx
            .contract_action(&li, contract.id, None, ContractAction::Sign)
            .unwrap();
        assert!(gx.contract(&zhao, contract.id).is_err(), "not zhao's yet");
        let share = |user: &User, percent| OwnerShare {
            user: user.id,
            percent,
        };
        let with_owners = |owners: Vec<OwnerShare>| ContractInput {
            title: signed.terms.title.clone(),
            lines: signed
                .terms
                .lines
                .iter()
                .map(QuoteLineInput::from)
                .collect(),
            tax_rate: signed.terms.tax_rate.to_string(),
            owners,
            ..Default::default()
        };
        let refused_owners = |owners: Vec<OwnerShare>| {
            let refused = gx.update_contract(&li, contract.id, signed.version, with_owners(owners));
            assert!(
                matches!(
                    refused,
                    Err(Error::Invalid {
                        field: Field::Owners,
                        ..
                    })
                ),
                "{refused:?}"
            );
        };
        // Shares that do not add up to 100, or a deactivated owner: refused, nothing changes.
        refused_owners(vec![share(&li, 70), share(&zhao, 20)]);
        let gone = person(&gx, &admin, "gone@example.cn", Role::Rep, Some("华东"));
        gx.set_user_active(Actor::User(&admin), gone.id, false, gone.version)
            .unwrap();
        refused_owners(vec![share(&li, 50), share(&gone, 50)]);
        // A rep may not make someone of another team the lead.
        refused_owners(vec![share(&zhao, 100)]);
        assert_eq!(gx.contract(&li, contract.id).unwrap(), signed);

        let split = gx
            .update_contract(
                &li,
                contract.id,
                signed.version,
                with_owners(vec![share(&li, 70), share(&zhao, 30)]),
            )
            .unwrap();
        assert_eq!(split.terms.owners, vec![share(&li, 70), share(&zhao, 30)]);
        assert_eq!(
            split.terms_version, 2,
            "an executing contract gets a version"
        );
        assert_eq!(split.terms.amount(), signed.terms.amount());
        // The co-owner sees it now, as deals' co-owners do.
        assert_eq!(gx.contract(&zhao, contract.id).unwrap().id, contract.id);
        let diff = gx.contract_diff(&li, contract.id, 1, 2).unwrap();
        assert_eq!(
            diff,
            vec![TermsChange::Owners {
                old: "li@example.cn 100%".into(),
                new: "li@example.cn 70%, zhao@example.cn 30%".into()
            }]
        );
    }

    #[test]
    fn a_contract_above_the_amount_goes_through_approval() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let settings = gx.sales_settings().unwrap();
        gx.update_sales_settings(
            Actor::User(&admin),
            SalesSettingsInput {
                contract_approval_amount: "50,000".into(),
                ..SalesSettingsInput::from(&settings)
            },
            settings.version,
        )
        .unwrap();
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let pending = gx
            .contract_action(&rep, contract.id, None, ContractAction::Sign)
            .unwrap();
        assert_eq!(pending.status, ContractStatus::PendingApproval);
        assert_eq!(gx.contract_inbox(&manager).unwrap().len(), 1);
        gx.decide_contract(&manager, contract.id, true, "").unwrap();
        let signed = gx.decide_contract(&admin, contract.id, true, "").unwrap();
        assert_eq!(signed.status, ContractStatus::Executing);
    }
}
