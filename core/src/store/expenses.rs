//! Expenses with their indexes by customer and by spender, and the
//! company's expense categories. An expense and its index entries change
//! in one write path, `ExpenseTables::put`/`remove`.

use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Expense, ExpenseCategories, Id};

pub(super) struct ExpenseTables<'tx> {
    expenses: Table<'tx, u128, &'static [u8]>,
    by_customer: Table<'tx, (u128, u128), ()>,
    by_user: Table<'tx, (u128, u128), ()>,
}

impl<'tx> ExpenseTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(ExpenseTables {
            expenses: tx.open_table(EXPENSES)?,
            by_customer: tx.open_table(EXPENSES_BY_CUSTOMER)?,
            by_user: tx.open_table(EXPENSES_BY_USER)?,
        })
    }

    fn get(&self, id: Id) -> Result<Option<Expense>> {
        self.expenses
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    fn unindex(&mut self, e: &Expense) -> Result<()> {
        if let Some(c) = e.customer_id {
            self.by_customer.remove((c.0, e.id.0))?;
        }
        self.by_user.remove((e.spent_by.0, e.id.0))?;
        Ok(())
    }

    pub(super) fn put(&mut self, before: Option<&Expense>, after: &Expense) -> Result<()> {
        if let Some(before) = before {
            self.unindex(before)?;
        }
        if let Some(c) = after.customer_id {
            self.by_customer.insert((c.0, after.id.0), ())?;
        }
        self.by_user.insert((after.spent_by.0, after.id.0), ())?;
        self.expenses.insert(after.id.0, encode(after).as_slice())?;
        Ok(())
    }

    fn remove(&mut self, e: &Expense) -> Result<()> {
        self.unindex(e)?;
        self.expenses.remove(e.id.0)?;
        Ok(())
    }
}

/// A customer deleted for good: its expenses stay (the money was spent)
/// but are about no customer, deal or contract of it any more.
pub(super) fn unlink_customer_expenses(tx: &WriteTransaction, customer: Id) -> Result<()> {
    let ids: Vec<u128> = tx
        .open_table(EXPENSES_BY_CUSTOMER)?
        .range((customer.0, 0)..=(customer.0, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect::<Result<_>>()?;
    let mut tables = ExpenseTables::open(tx)?;
    for id in ids {
        if let Some(before) = tables.get(Id(id))? {
            let after = Expense {
                customer_id: None,
                deal_id: None,
                contract_id: None,
                ..before.clone()
            };
            tables.put(Some(&before), &after)?;
        }
    }
    Ok(())
}

impl Store {
    pub fn expense(&self, id: Id) -> Result<Option<Expense>> {
        let tx = self.read()?;
        tx.open_table(EXPENSES)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Every expense, newest recorded first.
    pub fn expenses(&self) -> Result<Vec<Expense>> {
        let tx = self.read()?;
        tx.open_table(EXPENSES)?
            .iter()?
            .rev()
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    fn expenses_under(
        &self,
        index: redb::TableDefinition<(u128, u128), ()>,
        key: Id,
    ) -> Result<Vec<Expense>> {
        let tx = self.read()?;
        let expenses = tx.open_table(EXPENSES)?;
        let ids: Vec<u128> = tx
            .open_table(index)?
            .range((key.0, 0)..=(key.0, u128::MAX))?
            .rev()
            .map(|row| Ok(row?.0.value().1))
            .collect::<Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| match expenses.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    /// A customer's expenses, newest recorded first.
    pub fn expenses_of_customer(&self, customer: Id) -> Result<Vec<Expense>> {
        self.expenses_under(EXPENSES_BY_CUSTOMER, customer)
    }

    /// What a user spent, newest recorded first.
    pub fn expenses_of_user(&self, user: Id) -> Result<Vec<Expense>> {
        self.expenses_under(EXPENSES_BY_USER, user)
    }

    pub fn insert_expense(&self, expense: &Expense) -> Result<()> {
        let tx = self.write()?;
        ExpenseTables::open(&tx)?.put(None, expense)?;
        self.commit_expenses(tx, &[expense], &[])
    }

    /// Changes an expense whose stored copy still has `version`; `change`
    /// sees the stored copy (and may refuse).
    pub fn update_expense(
        &self,
        id: Id,
        version: u64,
        change: impl FnOnce(&mut Expense) -> Result<()>,
    ) -> Result<Expense> {
        let tx = self.write()?;
        let saved = {
            let mut tables = ExpenseTables::open(&tx)?;
            let before = tables.get(id)?.ok_or(Error::NotFound)?;
            if before.version != version {
                return Err(Error::Conflict);
            }
            let mut after = before.clone();
            change(&mut after)?;
            after.id = before.id;
            after.version = before.version + 1;
            tables.put(Some(&before), &after)?;
            after
        };
        self.commit_expenses(tx, &[&saved], &[])?;
        Ok(saved)
    }

    pub fn delete_expense(
        &self,
        id: Id,
        version: Option<u64>,
        allowed: impl FnOnce(&Expense) -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        {
            let mut tables = ExpenseTables::open(&tx)?;
            let expense = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != expense.version) {
                return Err(Error::Conflict);
            }
            allowed(&expense)?;
            tables.remove(&expense)?;
        }
        self.commit_expenses(tx, &[], &[id])
    }

    pub fn expense_categories(&self) -> Result<ExpenseCategories> {
        let tx = self.read()?;
        Ok(tx
            .open_table(META)?
            .get(META_EXPENSE_CATEGORIES)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the categories if the stored ones are still at `version`.
    pub fn save_expense_categories(
        &self,
        categories: Vec<String>,
        version: u64,
    ) -> Result<ExpenseCategories> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: ExpenseCategories = meta
                .get(META_EXPENSE_CATEGORIES)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != version {
                return Err(Error::Conflict);
            }
            let saved = ExpenseCategories {
                categories,
                version: current.version + 1,
            };
            meta.insert(META_EXPENSE_CATEGORIES, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }
}
