//! The money that revenue reports add up (SPEC §5): each contract's sign
//! date, credit split, lines and plan, each payment and each expense,
//! slimmed, with sums per month and credit split (and per month and
//! spender) kept as they are written.
//!
//! A trend of months reads the monthly sums: O(months × credit splits
//! seen), never a record. A breakdown of one period walks that period's
//! records in date order: O(records in the period). A backdated contract,
//! payment or expense moves the sums of its own month, so every period
//! that holds it is current at once.
//!
//! Part of the contract index: loaded with it, changed under its lock by
//! the same writes, compared with the file by the consistency check.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use chrono::NaiveDate;
use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::tables::{EXPENSES, PAYMENTS};
use crate::domain::revenue::{Month, month_of};
use crate::error::Result;
use crate::model::{Cents, Contract, Expense, Id, OwnerShare, Payment, Quantity};

/// What a product line sold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineFact {
    pub product: Option<Id>,
    pub quantity: Quantity,
    pub net: Cents,
}

/// A contract as revenue reports see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFacts {
    pub customer: Id,
    /// Index into `MoneyLedger::splits`.
    pub split: u32,
    /// Signed (executing, completed or closed): revenue on its sign date.
    pub signed: bool,
    pub sign_date: NaiveDate,
    pub amount: Cents,
    pub lines: Box<[LineFact]>,
    /// (due, amount) of each installment.
    pub plan: Box<[(NaiveDate, Cents)]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentFact {
    pub contract: Id,
    pub amount: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpenseFact {
    pub date: NaiveDate,
    pub amount: Cents,
    pub spent_by: Id,
    pub category: Box<str>,
    pub customer: Option<Id>,
}

/// One month's money of one credit split, in cents (orders in contracts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthSums {
    /// Signed contracts' amounts by sign date, and how many.
    pub revenue: i64,
    pub orders: i64,
    /// Payments by the day received.
    pub received: i64,
    /// Signed contracts' installments by due date.
    pub due: i64,
}

impl MonthSums {
    fn add(&mut self, other: MonthSums, sign: i64) {
        self.revenue += sign * other.revenue;
        self.orders += sign * other.orders;
        self.received += sign * other.received;
        self.due += sign * other.due;
    }

    fn is_zero(&self) -> bool {
        *self == MonthSums::default()
    }
}

#[derive(Debug, Default)]
pub struct MoneyLedger {
    contracts: HashMap<u128, ContractFacts>,
    signed_by_day: BTreeSet<(NaiveDate, u128)>,
    payments: BTreeMap<(NaiveDate, u128), PaymentFact>,
    /// Each contract's payments, as keys of `payments`.
    payments_of: HashMap<u128, Vec<(NaiveDate, u128)>>,
    expenses: HashMap<u128, ExpenseFact>,
    expenses_by_day: BTreeSet<(NaiveDate, u128)>,
    /// The distinct credit splits (owners with their percents), each once:
    /// a few hundred among 60,000 contracts.
    splits: Vec<Box<[OwnerShare]>>,
    split_ids: HashMap<Box<[OwnerShare]>, u32>,
    months: BTreeMap<(Month, u32), MonthSums>,
    expense_months: BTreeMap<(Month, u128), i64>,
}

impl MoneyLedger {
    /// Adds the payments and expenses to a ledger that has the contracts.
    pub(super) fn load_rest(&mut self, tx: &ReadTransaction) -> Result<()> {
        for row in tx.open_table(PAYMENTS)?.iter()? {
            self.add_payment(&decode::<Payment>(row?.1.value())?);
        }
        for row in tx.open_table(EXPENSES)?.iter()? {
            self.put_expense(&decode::<Expense>(row?.1.value())?);
        }
        Ok(())
    }

    fn intern(&mut self, shares: &[OwnerShare]) -> u32 {
        if let Some(&i) = self.split_ids.get(shares) {
            return i;
        }
        let i = self.splits.len() as u32;
        self.splits.push(shares.into());
        self.split_ids.insert(shares.into(), i);
        i
    }

    /// Adds (`sign` 1) or takes away (−1) what a contract and its payments
    /// put in the monthly sums.
    fn count(&mut self, id: u128, facts: &ContractFacts, sign: i64) {
        let mut add = |month: Month, sums: MonthSums| {
            let entry = self.months.entry((month, facts.split)).or_default();
            entry.add(sums, sign);
            if entry.is_zero() {
                self.months.remove(&(month, facts.split));
            }
        };
        if facts.signed {
            add(
                month_of(facts.sign_date),
                MonthSums {
                    revenue: facts.amount.0,
                    orders: 1,
                    ..MonthSums::default()
                },
            );
            for (due, amount) in &facts.plan {
                add(
                    month_of(*due),
                    MonthSums {
                        due: amount.0,
                        ..MonthSums::default()
                    },
                );
            }
        }
        for key in self.payments_of.get(&id).into_iter().flatten() {
            if let Some(p) = self.payments.get(key) {
                add(
                    month_of(key.0),
                    MonthSums {
                        received: p.amount.0,
                        ..MonthSums::default()
                    },
                );
            }
        }
    }

    pub(super) fn put_contract(&mut self, c: &Contract) {
        let split = self.intern(&c.terms.owners);
        let facts = ContractFacts {
            customer: c.customer_id,
            split,
            signed: c.status.is_signed(),
            sign_date: c.terms.sign_date,
            amount: c.terms.amount(),
            lines: c
                .terms
                .lines
                .iter()
                .map(|l| LineFact {
                    product: l.product_id,
                    quantity: l.quantity,
                    net: l.net,
                })
                .collect(),
            plan: c.plan.iter().map(|i| (i.due, i.amount)).collect(),
        };
        self.remove_contract(c.id);
        self.count(c.id.0, &facts, 1);
        if facts.signed {
            self.signed_by_day.insert((facts.sign_date, c.id.0));
        }
        self.contracts.insert(c.id.0, facts);
    }

    /// Forgets a contract; its payments stay (a contract with payments is
    /// never deleted alone: a customer's purge loads everything again).
    pub(super) fn remove_contract(&mut self, id: Id) {
        if let Some(before) = self.contracts.remove(&id.0) {
            self.count(id.0, &before, -1);
            self.signed_by_day.remove(&(before.sign_date, id.0));
        }
    }

    pub(super) fn add_payment(&mut self, p: &Payment) {
        let key = (p.received_on, p.id.0);
        let split = self.contracts.get(&p.contract_id.0).map(|c| c.split);
        self.payments.insert(
            key,
            PaymentFact {
                contract: p.contract_id,
                amount: p.amount,
            },
        );
        self.payments_of
            .entry(p.contract_id.0)
            .or_default()
            .push(key);
        if let Some(split) = split {
            self.months
                .entry((month_of(p.received_on), split))
                .or_default()
                .received += p.amount.0;
        }
    }

    pub(super) fn put_expense(&mut self, e: &Expense) {
        self.remove_expense(e.id);
        let month = month_of(e.date);
        *self
            .expense_months
            .entry((month, e.spent_by.0))
            .or_default() += e.amount.0;
        self.expenses_by_day.insert((e.date, e.id.0));
        self.expenses.insert(
            e.id.0,
            ExpenseFact {
                date: e.date,
                amount: e.amount,
                spent_by: e.spent_by,
                category: e.category.as_str().into(),
                customer: e.customer_id,
            },
        );
    }

    pub(super) fn remove_expense(&mut self, id: Id) {
        let Some(before) = self.expenses.remove(&id.0) else {
            return;
        };
        let key = (month_of(before.date), before.spent_by.0);
        if let Some(sum) = self.expense_months.get_mut(&key) {
            *sum -= before.amount.0;
            if *sum == 0 {
                self.expense_months.remove(&key);
            }
        }
        self.expenses_by_day.remove(&(before.date, id.0));
    }

    /// The credit splits, each once: a reader decides once per split
    /// whether it may see the money that has it.
    pub fn splits(&self) -> &[Box<[OwnerShare]>] {
        &self.splits
    }

    /// The monthly sums of `months`, month by month, per credit split.
    pub fn month_sums(
        &self,
        months: Range<Month>,
    ) -> impl Iterator<Item = (Month, u32, &MonthSums)> {
        self.months
            .range((months.start, 0)..(months.end, 0))
            .map(|(&(m, s), sums)| (m, s, sums))
    }

    /// What each person spent in `months`, month by month.
    pub fn expense_sums(&self, months: Range<Month>) -> impl Iterator<Item = (Month, Id, i64)> {
        self.expense_months
            .range((months.start, 0)..(months.end, 0))
            .map(|(&(m, by), &sum)| (m, Id(by), sum))
    }

    pub fn contract(&self, id: Id) -> Option<&ContractFacts> {
        self.contracts.get(&id.0)
    }

    /// The contracts signed on the days `from..=to`, by sign date.
    pub fn signed_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl DoubleEndedIterator<Item = (NaiveDate, Id, &ContractFacts)> {
        self.signed_by_day
            .range((from, 0)..=(to, u128::MAX))
            .filter_map(|(day, id)| Some((*day, Id(*id), self.contracts.get(id)?)))
    }

    /// The payments received on the days `from..=to`, by date.
    pub fn payments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, &PaymentFact)> {
        self.payments
            .range((from, 0)..=(to, u128::MAX))
            .map(|((day, _), p)| (*day, p))
    }

    /// The expenses of the days `from..=to`, by date.
    pub fn expenses_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &ExpenseFact> {
        self.expenses_by_day
            .range((from, 0)..=(to, u128::MAX))
            .filter_map(|(_, id)| self.expenses.get(id))
    }

    /// What the ledger holds, comparable with a ledger loaded from the
    /// file now (splits by their shares, not their number).
    pub(super) fn comparable(&self) -> Vec<(u128, String)> {
        let split = |i: u32| format!("{:?}", self.splits[i as usize]);
        let mut out: Vec<(u128, String)> = self
            .contracts
            .iter()
            .map(|(id, c)| {
                let slim = ContractFacts {
                    split: 0,
                    ..c.clone()
                };
                (*id, format!("{} {slim:?}", split(c.split)))
            })
            .collect();
        out.extend(
            self.payments
                .iter()
                .map(|((day, id), p)| (*id, format!("payment {day} {p:?}"))),
        );
        out.extend(
            self.expenses
                .iter()
                .map(|(id, e)| (*id, format!("expense {e:?}"))),
        );
        let mut months: Vec<String> = self
            .months
            .iter()
            .map(|((m, s), sums)| format!("month {m} {} {sums:?}", split(*s)))
            .chain(
                self.expense_months
                    .iter()
                    .map(|((m, by), sum)| format!("spent {m} {} {sum}", Id(*by))),
            )
            .collect();
        months.sort();
        out.extend(months.into_iter().map(|m| (0, m)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums over every split of `months`.
    fn totals(ledger: &MoneyLedger, months: Range<Month>) -> MonthSums {
        let mut out = MonthSums::default();
        for (_, _, sums) in ledger.month_sums(months) {
            out.add(*sums, 1);
        }
        out
    }

    fn test_contract(id: Id, sign_date: NaiveDate, amount: i64) -> Contract {
        use crate::model::{ContractStatus, ContractTerms, Installment, Rate, Totals};
        let at = chrono::Utc::now();
        Contract {
            id,
            number: "C2026-00001".into(),
            customer_id: Id(2),
            deal_id: None,
            quote_id: None,
            terms: ContractTerms {
                title: String::new(),
                lines: Vec::new(),
                tax_rate: Rate::default(),
                totals: Totals {
                    net: Cents(amount),
                    tax: Cents(0),
                    gross: Cents(amount),
                },
                sign_date,
                owners: vec![OwnerShare {
                    user: Id(3),
                    percent: 100,
                }],
                note: None,
            },
            status: ContractStatus::Executing,
            approval: None,
            terms_version: 1,
            plan: vec![Installment {
                due: sign_date,
                amount: Cents(amount),
                paid: Cents(0),
            }],
            created_by: Id(3),
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn sums_follow_the_records() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut ledger = MoneyLedger::default();
        let mut c = test_contract(Id(1), day(3, 10), 100_000);
        ledger.put_contract(&c);
        let march = month_of(day(3, 1));
        let q1 = march - 2..march + 1;
        assert_eq!(totals(&ledger, q1.clone()).revenue, 100_000);
        assert_eq!(totals(&ledger, q1.clone()).orders, 1);
        ledger.add_payment(&Payment {
            id: Id(50),
            contract_id: c.id,
            customer_id: c.customer_id,
            received_on: day(4, 2),
            amount: Cents(40_000),
            method: crate::model::PaymentMethod::Cash,
            note: None,
            allocations: vec![(0, Cents(40_000))],
            recorded_by: Id(9),
            recorded_at: chrono::Utc::now(),
        });
        assert_eq!(totals(&ledger, march + 1..march + 2).received, 40_000);
        // Backdated to February, with another credit split: the sums move,
        // the payment with them.
        c.terms.sign_date = day(2, 20);
        c.terms.owners[0].user = Id(77);
        ledger.put_contract(&c);
        assert_eq!(totals(&ledger, march..march + 1).revenue, 0);
        assert_eq!(totals(&ledger, march - 1..march).revenue, 100_000);
        assert_eq!(totals(&ledger, march + 1..march + 2).received, 40_000);
        let splits: Vec<u32> = ledger
            .month_sums(march + 1..march + 2)
            .map(|(_, s, _)| s)
            .collect();
        assert_eq!(ledger.splits()[splits[0] as usize][0].user, Id(77));
        assert_eq!(splits.len(), 1);
        assert_eq!(ledger.signed_between(day(2, 1), day(2, 28)).count(), 1);
        ledger.remove_contract(c.id);
        assert_eq!(totals(&ledger, q1).revenue, 0);
    }
}
