//! Every contract in memory, slimmed to what the contract list and the
//! receivables page filter and sum on: its owners (interned: a few hundred
//! distinct sets among 60,000 contracts), status, amount and what is still
//! outstanding of each installment. The receivable contracts (signed,
//! executing or completed, something outstanding) are kept apart, so the
//! receivables page walks those and never decodes a contract.
//!
//! Built from the file on first use and kept current by the store's
//! contract writes under the same lock as their commit, as the deal boards
//! are; compared with the file by the consistency check.
//!
//! It also holds the money ledger (`money_ledger.rs`) that revenue
//! reports add up: contracts, payments and expenses.
//!
//! Lock order: deal boards, activity counts, this index, the directory.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use redb::{ReadTransaction, ReadableTable};

use super::decode;
use super::money_ledger::MoneyLedger;
use super::tables::CONTRACTS;
use crate::error::Result;
use crate::model::{Cents, Contract, ContractStatus, Expense, Id, Payment};

/// A contract as the index holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractSummary {
    pub customer: Id,
    /// Index into `ContractIndex::owner_sets`.
    pub owners: u32,
    pub status: ContractStatus,
    pub amount: Cents,
    /// (due, outstanding) of each installment with something outstanding.
    pub outstanding: Vec<(NaiveDate, Cents)>,
}

impl ContractSummary {
    /// Owed money that the receivables count: signed and still running
    /// (a closed or cancelled contract's balance is written off).
    pub fn receivable(&self) -> bool {
        matches!(
            self.status,
            ContractStatus::Executing | ContractStatus::Completed
        ) && !self.outstanding.is_empty()
    }
}

/// Numbers every state of every index in the process, so what was
/// derived from one state (the receivables page) can tell it is current.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

#[derive(Debug, Default)]
pub struct ContractIndex {
    /// By id: newest last.
    contracts: BTreeMap<u128, ContractSummary>,
    owner_sets: Vec<Vec<Id>>,
    owner_set_ids: HashMap<Vec<Id>, u32>,
    /// How many contracts have each owner set: a list's total is the sum
    /// over the sets its reader may see.
    per_set: Vec<usize>,
    /// The receivable ones again, apart: walked without a tree lookup each.
    receivable: HashMap<u128, ContractSummary>,
    /// What revenue reports add up: contracts, payments and expenses.
    ledger: MoneyLedger,
    generation: u64,
}

impl ContractIndex {
    pub(super) fn load(tx: &ReadTransaction) -> Result<ContractIndex> {
        let mut index = ContractIndex::default();
        for row in tx.open_table(CONTRACTS)?.iter()? {
            let contract: Contract = decode(row?.1.value())?;
            index.put(&contract);
        }
        index.ledger.load_rest(tx)?;
        Ok(index)
    }

    fn intern(&mut self, owners: Vec<Id>) -> u32 {
        if let Some(&i) = self.owner_set_ids.get(&owners) {
            return i;
        }
        let i = self.owner_sets.len() as u32;
        self.owner_sets.push(owners.clone());
        self.owner_set_ids.insert(owners, i);
        self.per_set.push(0);
        i
    }

    pub(super) fn put(&mut self, c: &Contract) {
        let owners = self.intern(c.terms.owners.iter().map(|o| o.user).collect());
        let summary = ContractSummary {
            customer: c.customer_id,
            owners,
            status: c.status,
            amount: c.terms.amount(),
            outstanding: c
                .plan
                .iter()
                .filter(|i| i.amount > i.paid)
                .map(|i| (i.due, Cents(i.amount.0 - i.paid.0)))
                .collect(),
        };
        if summary.receivable() {
            self.receivable.insert(c.id.0, summary.clone());
        } else {
            self.receivable.remove(&c.id.0);
        }
        self.per_set[owners as usize] += 1;
        if let Some(before) = self.contracts.insert(c.id.0, summary) {
            self.per_set[before.owners as usize] -= 1;
        }
        self.ledger.put_contract(c);
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn add_payment(&mut self, p: &Payment) {
        self.ledger.add_payment(p);
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn put_expense(&mut self, e: &Expense) {
        self.ledger.put_expense(e);
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn remove_expense(&mut self, id: Id) {
        self.ledger.remove_expense(id);
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
    }

    /// Contracts, payments and expenses as revenue reports add them up.
    pub fn ledger(&self) -> &MoneyLedger {
        &self.ledger
    }

    pub(super) fn remove(&mut self, id: Id) {
        if let Some(before) = self.contracts.remove(&id.0) {
            self.per_set[before.owners as usize] -= 1;
        }
        self.receivable.remove(&id.0);
        self.ledger.remove_contract(id);
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
    }

    /// Moves whenever the index changes (or is loaded again), never back.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many contracts there are of the owner sets `visible` says yes to.
    pub fn count_visible(&self, visible: &[bool]) -> usize {
        self.per_set
            .iter()
            .zip(visible)
            .filter(|(_, v)| **v)
            .map(|(n, _)| n)
            .sum()
    }

    pub fn len(&self) -> usize {
        self.contracts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty()
    }

    /// The distinct sets of owners, each once: a reader decides once per
    /// set whether it may see the contracts that have it.
    pub fn owner_sets(&self) -> &[Vec<Id>] {
        &self.owner_sets
    }

    pub fn get(&self, id: Id) -> Option<&ContractSummary> {
        self.contracts.get(&id.0)
    }

    /// Every contract, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = (Id, &ContractSummary)> {
        self.contracts.iter().rev().map(|(id, s)| (Id(*id), s))
    }

    /// The receivable contracts, in no order.
    pub fn receivable(&self) -> impl Iterator<Item = (Id, &ContractSummary)> {
        self.receivable.iter().map(|(id, s)| (Id(*id), s))
    }

    /// What the index holds, comparable with what it would hold if built
    /// from the file now (owner sets by their members, not their number).
    pub(super) fn comparable(&self) -> Vec<(u128, String)> {
        let counted: Vec<(u128, String)> = self
            .owner_sets
            .iter()
            .zip(&self.per_set)
            .filter(|(_, n)| **n > 0)
            .map(|(set, n)| (0, format!("{set:?} has {n}")))
            .collect();
        self.contracts
            .iter()
            .map(|(id, s)| {
                let owners = &self.owner_sets[s.owners as usize];
                let receivable = self.receivable.get(id) == Some(s);
                let slim = ContractSummary {
                    owners: 0,
                    ..s.clone()
                };
                (*id, format!("{owners:?} {slim:?} {receivable}"))
            })
            .chain(counted)
            .chain(self.ledger.comparable())
            .collect()
    }
}
