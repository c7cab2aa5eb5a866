//! Expenses (费用): who may see one follows who spent it, as customers
//! follow their owner (SPEC §3): a rep their own, a manager their team's,
//! an admin all. Whoever may see an expense may change or delete it; the
//! categories are the company's, kept by admins.

use chrono::Utc;

use super::audit::{SETTINGS_EXPENSE_CATEGORIES, actor_id, settings_entry};
use super::{Actor, Guanxi};
use crate::domain::{money, stock, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Expense, ExpenseCategories, ExpenseCategoriesInput, ExpenseFilter, ExpenseInput, ExpenseRow,
    Id, User,
};

/// The most categories a company keeps.
pub const MAX_EXPENSE_CATEGORIES: usize = 50;

/// An expense's fields, checked.
struct Checked {
    amount: crate::model::Cents,
    category: String,
    date: chrono::NaiveDate,
    spent_by: Id,
    note: Option<String>,
    customer_id: Option<Id>,
    deal_id: Option<Id>,
    contract_id: Option<Id>,
}

impl Guanxi {
    pub fn expense_categories(&self, me: &User) -> Result<ExpenseCategories> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        self.store.expense_categories()
    }

    /// Saves the company's categories (admins). An expense keeps the
    /// category it was saved with.
    pub fn save_expense_categories(
        &self,
        actor: Actor,
        input: ExpenseCategoriesInput,
        version: u64,
    ) -> Result<ExpenseCategories> {
        actor.require_admin()?;
        let mut categories: Vec<String> = Vec::new();
        for c in &input.categories {
            let c = validate::text(Field::Category, c, validate::MAX_SHORT)?;
            if categories
                .iter()
                .any(|x| x.to_lowercase() == c.to_lowercase())
            {
                return Err(Error::invalid(Field::Category, Problem::Taken));
            }
            categories.push(c);
        }
        if categories.is_empty() {
            return Err(Error::invalid(Field::Category, Problem::Required));
        }
        if categories.len() > MAX_EXPENSE_CATEGORIES {
            return Err(Error::invalid(
                Field::Category,
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_EXPENSE_CATEGORIES as u32,
                },
            ));
        }
        let before = self.store.expense_categories()?;
        self.store.audited(|lines| {
            let after = ExpenseCategories {
                categories: categories.clone(),
                ..before.clone()
            };
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_EXPENSE_CATEGORIES,
                &before,
                &after,
            ));
            self.store.save_expense_categories(categories, version)
        })
    }

    fn may_see_expense(&self, me: &User, e: &Expense) -> Result<bool> {
        let spender = self.store.user(e.spent_by)?;
        Ok(me.active && spender.is_some_and(|s| visibility::can_see(me, Some(&s))))
    }

    pub fn expense(&self, me: &User, id: Id) -> Result<Expense> {
        let e = self.store.expense(id)?.ok_or(Error::NotFound)?;
        if !self.may_see_expense(me, &e)? {
            return Err(Error::NotFound);
        }
        Ok(e)
    }

    /// The expenses `me` may see that pass `filter`, newest day first.
    pub fn expenses(&self, me: &User, filter: &ExpenseFilter) -> Result<Vec<ExpenseRow>> {
        if !me.active {
            return Err(Error::Forbidden);
        }
        let list = match (filter.customer_id, filter.spent_by) {
            (Some(c), _) => {
                self.customer(me, c)?;
                self.store.expenses_of_customer(c)?
            }
            (None, Some(u)) => self.store.expenses_of_user(u)?,
            (None, None) => self.store.expenses()?,
        };
        let names = self.user_names()?;
        let mut rows = Vec::new();
        for e in list {
            if filter.category.as_deref().is_some_and(|c| c != e.category)
                || filter.spent_by.is_some_and(|u| u != e.spent_by)
                || filter.from.is_some_and(|d| e.date < d)
                || filter.to.is_some_and(|d| e.date > d)
                || !self.may_see_expense(me, &e)?
            {
                continue;
            }
            rows.push(ExpenseRow {
                spent_by_name: names.get(e.spent_by).unwrap_or_default().to_string(),
                customer_name: e.customer_id.and_then(|c| self.customer_name(c)),
                deal_title: e
                    .deal_id
                    .and_then(|d| self.store.deal(d).ok().flatten())
                    .map(|d| d.title),
                contract_number: e
                    .contract_id
                    .and_then(|c| self.store.contract(c).ok().flatten())
                    .map(|c| c.number),
                editable: true,
                expense: e,
            });
        }
        rows.sort_by_key(|r| std::cmp::Reverse((r.expense.date, r.expense.id)));
        Ok(rows)
    }

    /// Checks an expense as typed: the amount, a category of the company,
    /// a day not in the future, a spender `me` answers for, and links to
    /// a customer, deal and contract `me` may see that belong together.
    fn check_expense(&self, me: &User, input: ExpenseInput) -> Result<Checked> {
        let amount = money::parse_amount(Field::Amount, &input.amount)?;
        if amount.0 == 0 {
            return Err(Error::invalid(Field::Amount, Problem::Malformed));
        }
        let category = validate::text(Field::Category, &input.category, validate::MAX_SHORT)?;
        if !self
            .store
            .expense_categories()?
            .categories
            .contains(&category)
        {
            return Err(Error::invalid(Field::Category, Problem::Unknown));
        }
        let date = stock::move_date(input.date, self.company_today())?;
        let spent_by = match input.spent_by {
            None => me.id,
            Some(id) => {
                let spender = self
                    .store
                    .user(id)?
                    .filter(|u| u.active)
                    .ok_or(Error::invalid(Field::Owner, Problem::Unknown))?;
                if !visibility::can_see(me, Some(&spender)) {
                    return Err(Error::invalid(Field::Owner, Problem::Unknown));
                }
                id
            }
        };
        let note =
            validate::optional_text(Field::Notes, input.note.as_deref(), validate::MAX_LONG)?;
        let mut customer_id = input.customer_id;
        if let Some(c) = customer_id {
            self.customer(me, c)
                .map_err(|_| Error::invalid(Field::Customer, Problem::Unknown))?;
        }
        if let Some(d) = input.deal_id {
            let deal = self
                .deal(me, d)
                .map_err(|_| Error::invalid(Field::Deal, Problem::Unknown))?;
            match customer_id {
                Some(c) if c != deal.customer_id => {
                    return Err(Error::invalid(Field::Deal, Problem::Unknown));
                }
                _ => customer_id = Some(deal.customer_id),
            }
        }
        if let Some(k) = input.contract_id {
            let contract = self
                .contract(me, k)
                .map_err(|_| Error::invalid(Field::Contract, Problem::Unknown))?;
            match customer_id {
                Some(c) if c != contract.customer_id => {
                    return Err(Error::invalid(Field::Contract, Problem::Unknown));
                }
                _ => customer_id = Some(contract.customer_id),
            }
        }
        Ok(Checked {
            amount,
            category,
            date,
            spent_by,
            note,
            customer_id,
            deal_id: input.deal_id,
            contract_id: input.contract_id,
        })
    }

    pub fn create_expense(&self, me: &User, input: ExpenseInput) -> Result<Expense> {
        let c = self.check_expense(me, input)?;
        let now = Utc::now();
        let expense = Expense {
            id: Id::generate(),
            amount: c.amount,
            category: c.category,
            date: c.date,
            spent_by: c.spent_by,
            note: c.note,
            customer_id: c.customer_id,
            deal_id: c.deal_id,
            contract_id: c.contract_id,
            created_by: me.id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store.insert_expense(&expense)?;
        Ok(expense)
    }

    /// Saves an edit made from `version` of an expense `me` may see.
    pub fn update_expense(
        &self,
        me: &User,
        id: Id,
        version: u64,
        input: ExpenseInput,
    ) -> Result<Expense> {
        self.expense(me, id)?;
        let c = self.check_expense(me, input)?;
        self.store.update_expense(id, version, move |e| {
            e.amount = c.amount;
            e.category = c.category;
            e.date = c.date;
            e.spent_by = c.spent_by;
            e.note = c.note;
            e.customer_id = c.customer_id;
            e.deal_id = c.deal_id;
            e.contract_id = c.contract_id;
            e.updated_at = Utc::now();
            Ok(())
        })
    }

    pub fn delete_expense(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        self.expense(me, id)?;
        self.store.delete_expense(id, version, |_| Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{CustomerInput, CustomerKind, Role};
    use chrono::NaiveDate;

    fn input(amount: &str, category: &str) -> ExpenseInput {
        ExpenseInput {
            amount: amount.into(),
            category: category.into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            spent_by: None,
            note: Some("高铁往返".into()),
            customer_id: None,
            deal_id: None,
            contract_id: None,
        }
    }

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

    #[test]
    fn reps_see_their_own_expenses_managers_their_teams_admins_all() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let mine = gx
            .create_expense(
                &rep,
                ExpenseInput {
                    customer_id: Some(customer),
                    ..input("1,280.50", "差旅")
                },
            )
            .unwrap();
        assert_eq!(mine.amount.0, 128_050);
        gx.create_expense(&other, input("300", "招待")).unwrap();
        let count = |me: &User, f: ExpenseFilter| gx.expenses(me, &f).unwrap().len();
        assert_eq!(count(&rep, ExpenseFilter::default()), 1);
        assert_eq!(count(&manager, ExpenseFilter::default()), 1);
        assert_eq!(count(&admin, ExpenseFilter::default()), 2);
        assert_eq!(
            count(
                &admin,
                ExpenseFilter {
                    category: Some("招待".into()),
                    ..Default::default()
                }
            ),
            1
        );
        assert_eq!(
            count(
                &admin,
                ExpenseFilter {
                    customer_id: Some(customer),
                    ..Default::default()
                }
            ),
            1
        );
        assert_eq!(
            count(
                &admin,
                ExpenseFilter {
                    from: NaiveDate::from_ymd_opt(2026, 3, 3),
                    ..Default::default()
                }
            ),
            0
        );
        assert_eq!(gx.expense(&other, mine.id), Err(Error::NotFound));
        assert_eq!(
            gx.delete_expense(&other, mine.id, None),
            Err(Error::NotFound)
        );
        // The manager records one for the rep of the team, not for another team.
        let for_rep = gx
            .create_expense(
                &manager,
                ExpenseInput {
                    spent_by: Some(rep.id),
                    ..input("50", "交通")
                },
            )
            .unwrap();
        assert_eq!(for_rep.spent_by, rep.id);
        assert_eq!(
            gx.create_expense(
                &manager,
                ExpenseInput {
                    spent_by: Some(other.id),
                    ..input("50", "交通")
                }
            ),
            Err(Error::invalid(Field::Owner, Problem::Unknown))
        );
        let edited = gx
            .update_expense(&rep, mine.id, 1, input("1,300", "差旅"))
            .unwrap();
        assert_eq!((edited.amount.0, edited.customer_id), (130_000, None));
        gx.delete_expense(&rep, mine.id, Some(2)).unwrap();
        assert_eq!(count(&rep, ExpenseFilter::default()), 1);
    }

    #[test]
    fn a_bad_expense_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let theirs = customer_of(&gx, &admin, "别人的客户");
        let tomorrow = gx.company_today() + chrono::Duration::days(1);
        for (bad, error) in [
            (
                input("0", "差旅"),
                Error::invalid(Field::Amount, Problem::Malformed),
            ),
            (
                input("12.345", "差旅"),
                Error::invalid(Field::Amount, Problem::Malformed),
            ),
            (
                input("10", "买房"),
                Error::invalid(Field::Category, Problem::Unknown),
            ),
            (
                ExpenseInput {
                    date: tomorrow,
                    ..input("10", "差旅")
                },
                Error::invalid(Field::At, Problem::InFuture),
            ),
            (
                ExpenseInput {
                    customer_id: Some(theirs),
                    ..input("10", "差旅")
                },
                Error::invalid(Field::Customer, Problem::Unknown),
            ),
        ] {
            assert_eq!(gx.create_expense(&rep, bad), Err(error));
        }
        assert!(
            gx.expenses(&admin, &ExpenseFilter::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn admins_keep_the_categories() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, None);
        let defaults = gx.expense_categories(&rep).unwrap();
        assert_eq!(defaults.version, 0);
        let form = |c: &[&str]| ExpenseCategoriesInput {
            categories: c.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            gx.save_expense_categories(Actor::User(&rep), form(&["会议"]), 0),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.save_expense_categories(Actor::User(&admin), form(&["会议", " 会议 "]), 0),
            Err(Error::invalid(Field::Category, Problem::Taken))
        );
        assert_eq!(
            gx.save_expense_categories(Actor::User(&admin), form(&[]), 0),
            Err(Error::invalid(Field::Category, Problem::Required))
        );
        let saved = gx
            .save_expense_categories(Actor::User(&admin), form(&["会议", "差旅"]), 0)
            .unwrap();
        assert_eq!(saved.version, 1);
        assert_eq!(
            gx.create_expense(&rep, input("10", "招待")),
            Err(Error::invalid(Field::Category, Problem::Unknown))
        );
        gx.create_expense(&rep, input("10", "会议")).unwrap();
    }
}
