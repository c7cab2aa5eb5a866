//! Quotes: writing them from products and free lines, the status flow
//! (draft → sent → accepted / rejected, expiry as of the company's today),
//! and the approval chain a discount above the limit goes through.
//!
//! Who may see a quote follows its owner as customers do (SPEC §9): a rep
//! their own, a manager their team's, an admin all.

use chrono::{NaiveDate, Utc};

use super::Guanxi;
use crate::domain::{money, quotes, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Approval, ApprovalStep, Id, Quote, QuoteAction, QuoteInput, QuoteRow, QuoteStatus, Rate, User,
};

/// Which quotes a list shows; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    pub customer: Option<Id>,
    pub deal: Option<Id>,
    pub status: Option<QuoteStatus>,
}

/// A quote's checked fields: what creating and editing share.
struct QuoteFields {
    title: String,
    lines: Vec<crate::model::QuoteLine>,
    tax_rate: Rate,
    totals: crate::model::Totals,
    valid_until: NaiveDate,
    note: Option<String>,
}

impl Guanxi {
    /// Today in the company's time zone: validity dates and aging are
    /// counted in the days the staff live in.
    pub fn company_today(&self) -> NaiveDate {
        Utc::now().with_timezone(&self.company_zone()).date_naive()
    }

    pub fn quote(&self, me: &User, id: Id) -> Result<Quote> {
        let quote = self.store.quote(id)?.ok_or(Error::NotFound)?;
        if !self.may_see_quote(me, &quote)? {
            return Err(Error::NotFound);
        }
        Ok(quote)
    }

    /// A quote with what its page shows beside it: names and the status
    /// as of today.
    pub fn quote_row(&self, me: &User, id: Id) -> Result<QuoteRow> {
        let quote = self.quote(me, id)?;
        let names = self.user_names()?;
        let today = self.company_today();
        Ok(self.row(quote, &names, today))
    }

    fn row(&self, quote: Quote, names: &super::UserNames, today: NaiveDate) -> QuoteRow {
        QuoteRow {
            customer_name: self
                .store
                .directory()
                .customer_name(quote.customer_id)
                .unwrap_or_default(),
            owner_name: names.get(quote.owner).unwrap_or_default().to_string(),
            status: quotes::status_on(&quote, today),
            quote,
        }
    }

    /// The quotes `me` may see, newest first.
    pub fn quotes(&self, me: &User, filter: &QuoteFilter) -> Result<Vec<QuoteRow>> {
        let list = match (filter.customer, filter.deal) {
            (_, Some(deal)) => {
                self.deal(me, deal)?;
                self.store.quotes_of_deal(deal)?
            }
            (Some(customer), None) => {
                self.customer(me, customer)?;
                self.store.quotes_of_customer(customer)?
            }
            (None, None) => self.store.quotes()?,
        };
        let names = self.user_names()?;
        let today = self.company_today();
        let users = self.users_by_id()?;
        Ok(list
            .into_iter()
            .filter(|q| filter.customer.is_none_or(|c| q.customer_id == c))
            .filter(|q| visibility::can_see(me, users.get(&q.owner)))
            .map(|q| self.row(q, &names, today))
            .filter(|r| filter.status.is_none_or(|s| r.status == s))
            .collect())
    }

    pub(super) fn may_see_quote(&self, me: &User, quote: &Quote) -> Result<bool> {
        Ok(visibility::can_see(
            me,
            self.store.user(quote.owner)?.as_ref(),
        ))
    }

    /// Whether `me` may change `quote` and move it on: its owner, or
    /// whoever manages them.
    pub fn quote_editable_by(&self, me: &User, quote: &Quote) -> Result<bool> {
        self.may_edit_quote(me, quote)
    }

    fn may_edit_quote(&self, me: &User, quote: &Quote) -> Result<bool> {
        Ok(visibility::can_edit(
            me,
            self.store.user(quote.owner)?.as_ref(),
        ))
    }

    /// A new draft for a customer `me` may edit, optionally from one of its
    /// deals; `me` owns it.
    pub fn create_quote(&self, me: &User, input: QuoteInput) -> Result<Quote> {
        let customer = input
            .customer_id
            .ok_or(Error::invalid(Field::Customer, Problem::Required))?;
        self.editable_customer(me, customer)
            .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
        self.check_quote_deal(me, customer, input.deal_id)?;
        let f = self.quote_fields(&input, None)?;
        let now = Utc::now();
        let quote = Quote {
            id: Id::generate(),
            number: String::new(),
            customer_id: customer,
            deal_id: input.deal_id,
            owner: me.id,
            title: f.title,
            lines: f.lines,
            tax_rate: f.tax_rate,
            totals: f.totals,
            valid_until: f.valid_until,
            status: QuoteStatus::Draft,
            approval: None,
            note: f.note,
            created_at: now,
            updated_at: now,
            sent_at: None,
            answered_at: None,
            version: 1,
        };
        self.store.insert_quote(&quote)
    }

    /// A deal a quote may come from: one of its customer's that `me` sees.
    fn check_quote_deal(&self, me: &User, customer: Id, deal: Option<Id>) -> Result<()> {
        if let Some(deal) = deal {
            let deal = self
                .deal(me, deal)
                .map_err(|_| Error::invalid(Field::Deal, Problem::Unknown))?;
            if deal.customer_id != customer {
                return Err(Error::invalid(Field::Deal, Problem::Unknown));
            }
        }
        Ok(())
    }

    fn quote_fields(&self, input: &QuoteInput, current: Option<&Quote>) -> Result<QuoteFields> {
        let settings = self.store.sales_settings()?;
        let products = self.store.products()?;
        let kept: Vec<Id> = current
            .map(|q| q.lines.iter().filter_map(|l| l.product_id).collect())
            .unwrap_or_default();
        // A deactivated product stays on the lines that already had it.
        let lines = quotes::price_lines(&input.lines, |id| {
            products
                .iter()
                .find(|p| p.id == id)
                .map(|p| (p.clone(), p.active || kept.contains(&id)))
        })?;
        let tax_rate = match input.tax_rate.trim() {
            "" => settings.default_tax_rate,
            text => money::parse_rate(Field::TaxRate, text, quotes::MAX_TAX_PERCENT)?,
        };
        let today = self.company_today();
        let valid_until = match (input.valid_until, current) {
            // An unchanged date of an older quote stands, even if past.
            (Some(date), Some(q)) if date == q.valid_until => date,
            (date, _) => quotes::valid_until(date, today, settings.quote_valid_days)?,
        };
        Ok(QuoteFields {
            title: validate::optional_text(Field::Title, Some(&input.title), validate::MAX_LONG)?
                .unwrap_or_default(),
            totals: money::totals(lines.iter().map(|l| l.net), tax_rate),
            lines,
            tax_rate,
            valid_until,
            note: validate::optional_text(
                Field::Notes,
                input.note.as_deref(),
                validate::MAX_NOTES,
            )?,
        })
    }

    /// Saves an edit from `version`. Only a draft or an approved quote
    /// changes; an approved one goes back to draft, since its discount may
    /// need approval again. One waiting for approval is locked.
    pub fn update_quote(
        &self,
        me: &User,
        id: Id,
        version: u64,
        input: QuoteInput,
    ) -> Result<Quote> {
        let current = self.editable_quote(me, id)?;
        if let Some(customer) = input.customer_id.filter(|c| *c != current.customer_id) {
            self.editable_customer(me, customer)
                .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
        }
        let customer = input.customer_id.unwrap_or(current.customer_id);
        self.check_quote_deal(me, customer, input.deal_id)?;
        let f = self.quote_fields(&input, Some(&current))?;
        self.store.update_quote(id, Some(version), move |q| {
            check_editable(q)?;
            q.customer_id = customer;
            q.deal_id = input.deal_id;
            q.title = f.title;
            q.lines = f.lines;
            q.tax_rate = f.tax_rate;
            q.totals = f.totals;
            q.valid_until = f.valid_until;
            q.note = f.note;
            q.status = QuoteStatus::Draft;
            q.approval = None;
            q.updated_at = Utc::now();
            Ok(())
        })
    }

    fn editable_quote(&self, me: &User, id: Id) -> Result<Quote> {
        let quote = self.quote(me, id)?;
        if !self.may_edit_quote(me, &quote)? {
            return Err(Error::Forbidden);
        }
        Ok(quote)
    }

    /// Deletes a draft. A quote that went out is history: it is revised or
    /// left to expire, not deleted.
    pub fn delete_quote(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        self.editable_quote(me, id)?;
        self.store.delete_quote(id, version, |q| match q.status {
            QuoteStatus::Draft => Ok(()),
            QuoteStatus::PendingApproval => Err(Error::ApprovalPending),
            other => Err(Error::WrongStatus {
                status: other.code().into(),
            }),
        })
    }

    /// Moves a quote on by `action` (see `quotes::next_status`). Sending a
    /// quote whose discount is above the company limit submits it for
    /// approval instead, with the steps `me`'s role calls for; when there
    /// are none (an admin's quote) it is sent at once.
    pub fn quote_action(
        &self,
        me: &User,
        id: Id,
        version: Option<u64>,
        action: QuoteAction,
    ) -> Result<Quote> {
        self.editable_quote(me, id)?;
        let limit = self.store.sales_settings()?.discount_limit;
        let today = self.company_today();
        let levels = quotes::approval_levels(me);
        let submitter = (me.id, me.name.clone());
        self.store.update_quote(id, version, move |q| {
            let status = quotes::status_on(q, today);
            let needs = quotes::needs_approval(&q.lines, limit) && !levels.is_empty();
            if action == QuoteAction::Send && today > q.valid_until {
                return Err(Error::invalid(
                    Field::ValidUntil,
                    Problem::OutOfRange {
                        min: 0,
                        max: quotes::MAX_VALID_DAYS,
                    },
                ));
            }
            if status == QuoteStatus::PendingApproval {
                return Err(Error::ApprovalPending);
            }
            let next = quotes::next_status(status, action, needs)?;
            let now = Utc::now();
            match next {
                QuoteStatus::PendingApproval => {
                    q.approval = Some(Approval {
                        submitted_by: submitter.0,
                        submitter_name: submitter.1,
                        submitted_at: now,
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
                QuoteStatus::Sent => q.sent_at = Some(now),
                QuoteStatus::Accepted | QuoteStatus::Rejected => q.answered_at = Some(now),
                QuoteStatus::Draft => {
                    q.approval = None;
                    q.sent_at = None;
                    q.answered_at = None;
                }
                _ => {}
            }
            q.status = next;
            q.updated_at = now;
            Ok(())
        })
    }

    /// Decides the waiting step of a quote's approval. A rejection sends
    /// the quote back to draft (the steps stay readable on it); the last
    /// approval makes it approved, ready to send.
    pub fn decide_quote(&self, me: &User, id: Id, approve: bool, comment: &str) -> Result<Quote> {
        let comment = validate::optional_text(Field::Comment, Some(comment), validate::MAX_LONG)?;
        let quote = self.store.quote(id)?.ok_or(Error::NotFound)?;
        let approval = quote.approval.as_ref().ok_or(Error::WrongStatus {
            status: quote.status.code().into(),
        })?;
        let step = approval.pending_step().ok_or(Error::WrongStatus {
            status: quote.status.code().into(),
        })?;
        let submitter = self
            .store
            .user(approval.submitted_by)?
            .ok_or(Error::NotFound)?;
        if !quotes::may_decide(step.level, me, &submitter) {
            return Err(if self.may_see_quote(me, &quote)? {
                Error::Forbidden
            } else {
                Error::NotFound
            });
        }
        let level = step.level;
        let (decider, decider_name) = (me.id, me.name.clone());
        self.store.update_quote(id, None, move |q| {
            if q.status != QuoteStatus::PendingApproval {
                return Err(Error::WrongStatus {
                    status: q.status.code().into(),
                });
            }
            let approval = q.approval.as_mut().ok_or(Error::Conflict)?;
            let now = Utc::now();
            quotes::record_decision(
                approval,
                level,
                approve,
                decider,
                decider_name,
                comment,
                now,
            )?;
            if !approve {
                q.status = QuoteStatus::Draft;
            } else if approval.approved() {
                q.status = QuoteStatus::Approved;
            }
            q.updated_at = now;
            Ok(())
        })
    }

    /// The quotes waiting for a step `me` may decide, oldest first.
    pub fn quote_inbox(&self, me: &User) -> Result<Vec<QuoteRow>> {
        let users = self.users_by_id()?;
        let names = self.user_names()?;
        let today = self.company_today();
        Ok(self
            .store
            .pending_quotes()?
            .into_iter()
            .filter(|q| {
                let Some(approval) = &q.approval else {
                    return false;
                };
                match (approval.pending_step(), users.get(&approval.submitted_by)) {
                    (Some(step), Some(submitter)) => quotes::may_decide(step.level, me, submitter),
                    _ => false,
                }
            })
            .map(|q| self.row(q, &names, today))
            .collect())
    }
}

fn check_editable(quote: &Quote) -> Result<()> {
    match quote.status {
        QuoteStatus::PendingApproval => Err(Error::ApprovalPending),
        status if status.is_editable() => Ok(()),
        status => Err(Error::WrongStatus {
            status: status.code().into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        ApprovalLevel, Cents, CustomerInput, CustomerKind, ProductInput, QuoteLineInput, Role,
    };

    fn customer_of(gx: &Guanxi, me: &User, name: &str) -> Id {
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

    fn product_line(product: Id, quantity: &str, discount: &str) -> QuoteLineInput {
        QuoteLineInput {
            product_id: Some(product),
            quantity: quantity.into(),
            discount: discount.into(),
            ..Default::default()
        }
    }

    fn server(gx: &Guanxi, admin: &User) -> Id {
        gx.create_product(
            admin,
            ProductInput {
                code: "SRV-01".into(),
                name: "服务器".into(),
                unit: "台".into(),
                list_price: "10,000".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    }

    #[test]
    fn a_quote_is_priced_from_its_lines_and_reps_see_only_their_own() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华东"));
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let product = server(&gx, &admin);
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = gx
            .create_quote(
                &rep,
                QuoteInput {
                    customer_id: Some(customer),
                    lines: vec![
                        product_line(product, "3", "5"),
                        QuoteLineInput {
                            description: "安装调试".into(),
                            quantity: "1".into(),
                            unit_price: "1,500".into(),
                            ..Default::default()
                        },
                    ],
                    ..Default::default()
                },
            )
            .unwrap();
        // 3 × ¥10,000 × 95 % + ¥1,500 = ¥30,000; 13 % tax ¥3,900.
        assert_eq!(quote.totals.net, Cents(3_000_000));
        assert_eq!(quote.totals.tax, Cents(390_000));
        assert_eq!(quote.totals.gross, Cents(3_390_000));
        assert_eq!(
            quote.valid_until,
            gx.company_today() + chrono::Duration::days(30)
        );
        assert!(quote.number.starts_with('Q'));
        assert_eq!(gx.quote(&other, quote.id), Err(Error::NotFound));
        assert_eq!(gx.quote(&manager, quote.id).unwrap().id, quote.id);
        assert_eq!(gx.quotes(&other, &QuoteFilter::default()).unwrap().len(), 0);
        assert_eq!(gx.quotes(&admin, &QuoteFilter::default()).unwrap().len(), 1);
        assert_eq!(
            gx.create_quote(
                &other,
                QuoteInput {
                    customer_id: Some(customer),
                    lines: vec![product_line(product, "1", "")],
                    ..Default::default()
                }
            ),
            Err(Error::invalid(Field::Customer, Problem::Unknown))
        );
    }

    #[test]
    fn bad_input_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let product = server(&gx, &admin);
        let customer = customer_of(&gx, &admin, "北京星辰");
        let input = |lines, tax: &str| QuoteInput {
            customer_id: Some(customer),
            lines,
            tax_rate: tax.into(),
            ..Default::default()
        };
        assert_eq!(
            gx.create_quote(&admin, input(vec![], "")),
            Err(Error::invalid(Field::Lines, Problem::Required))
        );
        assert_eq!(
            gx.create_quote(
                &admin,
                input(vec![product_line(product, "1", "")], "13.333")
            ),
            Err(Error::invalid(Field::TaxRate, Problem::Malformed))
        );
        assert_eq!(
            gx.create_quote(&admin, input(vec![product_line(Id(5), "1", "")], "")),
            Err(Error::invalid(Field::Product, Problem::Unknown))
        );
        assert!(
            gx.quotes(&admin, &QuoteFilter::default())
                .unwrap()
                .is_empty()
        );
        let made = gx
            .create_quote(&admin, input(vec![product_line(product, "2", "")], "0"))
            .unwrap();
        assert_eq!(made.totals.tax, Cents(0));
        assert_eq!(
            gx.update_quote(
                &admin,
                made.id,
                1,
                input(vec![product_line(product, "-2", "")], "")
            ),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(gx.quote(&admin, made.id).unwrap(), made);
    }

    /// The browser test's story, beneath the UI: a rep's 15 % discount is
    /// above the 10 % limit; sending submits it to the team's manager, then
    /// an admin; approved, it is sent and the customer accepts.
    #[test]
    fn a_discount_above_the_limit_goes_to_the_manager_then_an_admin() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let north = person(&gx, &admin, "n@example.cn", Role::Manager, Some("华北"));
        let product = server(&gx, &admin);
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = gx
            .create_quote(
                &rep,
                QuoteInput {
                    customer_id: Some(customer),
                    lines: vec![product_line(product, "1", "15")],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            gx.quote_action(&rep, quote.id, Some(1), QuoteAction::Accept),
            Err(Error::WrongStatus {
                status: "draft".into()
            })
        );
        let pending = gx
            .quote_action(&rep, quote.id, Some(1), QuoteAction::Send)
            .unwrap();
        assert_eq!(pending.status, QuoteStatus::PendingApproval);
        assert_eq!(
            gx.update_quote(&rep, quote.id, 2, QuoteInput::from(&pending)),
            Err(Error::ApprovalPending)
        );
        assert!(gx.quote_inbox(&north).unwrap().is_empty());
        assert!(
            gx.quote_inbox(&admin).unwrap().len() == 1,
            "an admin may act for the manager"
        );
        assert_eq!(gx.quote_inbox(&manager).unwrap().len(), 1);
        assert_eq!(
            gx.decide_quote(&rep, quote.id, true, ""),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.decide_quote(&north, quote.id, true, ""),
            Err(Error::NotFound)
        );

        let step1 = gx.decide_quote(&manager, quote.id, true, "同意").unwrap();
        assert_eq!(step1.status, QuoteStatus::PendingApproval);
        assert!(gx.quote_inbox(&manager).unwrap().is_empty());
        let step2 = gx.decide_quote(&admin, quote.id, true, "").unwrap();
        assert_eq!(step2.status, QuoteStatus::Approved);
        let steps = &step2.approval.as_ref().unwrap().steps;
        assert_eq!(steps[0].level, ApprovalLevel::Manager);
        assert_eq!(steps[0].comment.as_deref(), Some("同意"));
        assert_eq!(steps[1].decider_name.as_deref(), Some("王总"));

        let sent = gx
            .quote_action(&rep, quote.id, None, QuoteAction::Send)
            .unwrap();
        assert_eq!(sent.status, QuoteStatus::Sent);
        let accepted = gx
            .quote_action(&rep, quote.id, None, QuoteAction::Accept)
            .unwrap();
        assert_eq!(accepted.status, QuoteStatus::Accepted);
        assert_eq!(
            gx.delete_quote(&rep, quote.id, None),
            Err(Error::WrongStatus {
                status: "accepted".into()
            })
        );
    }

    #[test]
    fn a_rejected_approval_takes_the_quote_back_to_draft() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let product = server(&gx, &admin);
        let customer = customer_of(&gx, &manager, "北京星辰");
        let quote = gx
            .create_quote(
                &manager,
                QuoteInput {
                    customer_id: Some(customer),
                    lines: vec![product_line(product, "1", "30")],
                    ..Default::default()
                },
            )
            .unwrap();
        let pending = gx
            .quote_action(&manager, quote.id, None, QuoteAction::Send)
            .unwrap();
        // A manager's own request goes straight to an admin.
        assert_eq!(pending.approval.unwrap().steps.len(), 1);
        let rejected = gx
            .decide_quote(&admin, quote.id, false, "折扣太大")
            .unwrap();
        assert_eq!(rejected.status, QuoteStatus::Draft);
        assert!(rejected.approval.unwrap().rejected());
        // An admin's own quote needs nobody: sent at once.
        let own = gx
            .create_quote(
                &admin,
                QuoteInput {
                    customer_id: Some(customer),
                    lines: vec![product_line(product, "1", "30")],
                    ..Default::default()
                },
            )
            .unwrap();
        let sent = gx
            .quote_action(&admin, own.id, None, QuoteAction::Send)
            .unwrap();
        assert_eq!(sent.status, QuoteStatus::Sent);
        gx.delete_quote(&manager, quote.id, None).unwrap();
    }
}
