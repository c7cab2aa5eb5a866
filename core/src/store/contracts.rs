//! Contracts with their versions, payment plans and payments received.
//!
//! A contract and everything that hangs off it (its indexes, the row of
//! its current terms version, the payments and what they paid of each
//! installment) change in one write path, `ContractTables`, inside one
//! transaction.

use chrono::{Datelike, Utc};
use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use std::sync::atomic::Ordering;

use super::{Store, decode, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Contract, ContractStatus, ContractVersion, Id, Payment, Quantity};
use std::collections::BTreeMap;

pub(super) struct ContractTables<'tx> {
    contracts: Table<'tx, u128, &'static [u8]>,
    by_customer: Table<'tx, (u128, u128), ()>,
    by_deal: Table<'tx, (u128, u128), ()>,
    numbers: Table<'tx, &'static str, u128>,
    versions: Table<'tx, (u128, u32), &'static [u8]>,
    pending: Table<'tx, u128, ()>,
    by_quote: Table<'tx, u128, u128>,
    by_product: Table<'tx, (u128, u128), ()>,
}

impl<'tx> ContractTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(ContractTables {
            contracts: tx.open_table(CONTRACTS)?,
            by_customer: tx.open_table(CONTRACTS_BY_CUSTOMER)?,
            by_deal: tx.open_table(CONTRACTS_BY_DEAL)?,
            numbers: tx.open_table(CONTRACT_NUMBERS)?,
            versions: tx.open_table(CONTRACT_VERSIONS)?,
            pending: tx.open_table(CONTRACTS_PENDING)?,
            by_quote: tx.open_table(QUOTE_CONTRACTS)?,
            by_product: tx.open_table(PRODUCT_CONTRACTS)?,
        })
    }

    fn get(&self, id: Id) -> Result<Option<Contract>> {
        self.contracts
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    fn unindex(&mut self, c: &Contract) -> Result<()> {
        let id = c.id.0;
        self.by_customer.remove((c.customer_id.0, id))?;
        if let Some(deal) = c.deal_id {
            self.by_deal.remove((deal.0, id))?;
        }
        self.numbers.remove(c.number.as_str())?;
        self.pending.remove(id)?;
        if let Some(quote) = c.quote_id {
            self.by_quote.remove(quote.0)?;
        }
        for product in c.terms.lines.iter().filter_map(|l| l.product_id) {
            self.by_product.remove((product.0, id))?;
        }
        Ok(())
    }

    /// Saves `after` over `before` (`None` for a new contract) with its
    /// indexes, and the row of its current terms version: a new row when
    /// the terms version went up, else the current row rewritten (a draft
    /// changes its version 1 in place).
    pub(super) fn put(
        &mut self,
        before: Option<&Contract>,
        after: &Contract,
        by: Id,
    ) -> Result<()> {
        self.put_at(before, after, by, Utc::now())
    }

    /// `put`, the version row saved at `at` (a bulk load gives the
    /// contract's own time, so the same data gives the same file).
    pub(super) fn put_at(
        &mut self,
        before: Option<&Contract>,
        after: &Contract,
        by: Id,
        at: chrono::DateTime<Utc>,
    ) -> Result<()> {
        if let Some(before) = before {
            self.unindex(before)?;
        }
        let id = after.id.0;
        self.by_customer.insert((after.customer_id.0, id), ())?;
        if let Some(deal) = after.deal_id {
            self.by_deal.insert((deal.0, id), ())?;
        }
        if self
            .numbers
            .insert(after.number.as_str(), id)?
            .is_some_and(|other| other.value() != id)
        {
            return Err(Error::Internal(format!(
                "contract number {} given twice",
                after.number
            )));
        }
        if after.status == ContractStatus::PendingApproval {
            self.pending.insert(id, ())?;
        }
        if let Some(quote) = after.quote_id
            && self
                .by_quote
                .insert(quote.0, id)?
                .is_some_and(|other| other.value() != id)
        {
            return Err(Error::invalid(Field::Quote, Problem::Taken));
        }
        for product in after.terms.lines.iter().filter_map(|l| l.product_id) {
            self.by_product.insert((product.0, id), ())?;
        }
        let terms_changed = before.is_none_or(|b| b.terms != after.terms);
        if terms_changed {
            let row = ContractVersion {
                contract_id: after.id,
                terms_version: after.terms_version,
                terms: after.terms.clone(),
                saved_by: by,
                saved_at: at,
            };
            self.versions
                .insert((id, after.terms_version), encode(&row).as_slice())?;
        }
        self.contracts.insert(id, encode(after).as_slice())?;
        Ok(())
    }

    fn remove(&mut self, c: &Contract) -> Result<()> {
        self.unindex(c)?;
        let versions: Vec<(u128, u32)> = self
            .versions
            .range((c.id.0, 0)..=(c.id.0, u32::MAX))?
            .map(|row| row.map(|(k, _)| k.value()))
            .collect::<Result<_, _>>()?;
        for key in versions {
            self.versions.remove(key)?;
        }
        self.contracts.remove(c.id.0)?;
        Ok(())
    }
}

fn payments_under(tx: &WriteTransaction, contract: Id) -> Result<Vec<u128>> {
    tx.open_table(PAYMENTS_BY_CONTRACT)?
        .range((contract.0, 0)..=(contract.0, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect()
}

/// Deletes the contracts (and their payments) of a customer deleted for good.
pub(super) fn remove_contracts_of_customer(tx: &WriteTransaction, customer: Id) -> Result<()> {
    let ids: Vec<u128> = tx
        .open_table(CONTRACTS_BY_CUSTOMER)?
        .range((customer.0, 0)..=(customer.0, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    for id in ids {
        for payment in payments_under(tx, Id(id))? {
            tx.open_table(PAYMENTS)?.remove(payment)?;
            tx.open_table(PAYMENTS_BY_CONTRACT)?.remove((id, payment))?;
        }
        super::stock::forget_deliveries_of(tx, Id(id))?;
        let mut tables = ContractTables::open(tx)?;
        if let Some(contract) = tables.get(Id(id))? {
            tables.remove(&contract)?;
        }
    }
    Ok(())
}

/// Makes the contracts of a deleted deal about no deal.
pub(super) fn unlink_deal_contracts(tx: &WriteTransaction, deal: Id) -> Result<()> {
    let ids: Vec<u128> = tx
        .open_table(CONTRACTS_BY_DEAL)?
        .range((deal.0, 0)..=(deal.0, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut tables = ContractTables::open(tx)?;
    for id in ids {
        if let Some(before) = tables.get(Id(id))? {
            let after = Contract {
                deal_id: None,
                ..before.clone()
            };
            tables.put(Some(&before), &after, before.created_by)?;
        }
    }
    Ok(())
}

/// Links `contracts` to `deal` again (a deal restored from the recycle
/// bin), those still about no deal and of the deal's customer.
pub(super) fn relink_deal_contracts(
    tx: &WriteTransaction,
    deal: &crate::model::Deal,
    contracts: &[u128],
    by: Id,
) -> Result<()> {
    let mut tables = ContractTables::open(tx)?;
    for &id in contracts {
        if let Some(before) = tables.get(Id(id))?
            && before.deal_id.is_none()
            && before.customer_id == deal.customer_id
        {
            let after = Contract {
                deal_id: Some(deal.id),
                ..before.clone()
            };
            tables.put(Some(&before), &after, by)?;
        }
    }
    Ok(())
}

/// Whether a deal has a contract that was not cancelled.
fn deal_has_live_contract(tx: &WriteTransaction, deal: Id) -> Result<bool> {
    let ids: Vec<u128> = tx
        .open_table(CONTRACTS_BY_DEAL)?
        .range((deal.0, 0)..=(deal.0, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let tables = ContractTables::open(tx)?;
    for id in ids {
        if tables
            .get(Id(id))?
            .is_some_and(|c| c.status != ContractStatus::Cancelled)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a quote already became a contract (it may be deleted then only
/// with it).
pub(super) fn contract_of_quote_in(tx: &WriteTransaction, quote: Id) -> Result<Option<Id>> {
    Ok(tx
        .open_table(QUOTE_CONTRACTS)?
        .get(quote.0)?
        .map(|v| Id(v.value())))
}

impl Store {
    pub fn contract(&self, id: Id) -> Result<Option<Contract>> {
        let tx = self.read()?;
        tx.open_table(CONTRACTS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Every contract, newest first.
    pub fn contracts(&self) -> Result<Vec<Contract>> {
        let tx = self.read()?;
        tx.open_table(CONTRACTS)?
            .iter()?
            .rev()
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    /// The contracts of `ids` that exist, in one read.
    pub fn contracts_with_ids(&self, ids: &[Id]) -> Result<Vec<Contract>> {
        let tx = self.read()?;
        let contracts = tx.open_table(CONTRACTS)?;
        ids.iter()
            .filter_map(|id| match contracts.get(id.0) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    fn contracts_under(
        &self,
        index: redb::TableDefinition<(u128, u128), ()>,
        key: Id,
    ) -> Result<Vec<Contract>> {
        let tx = self.read()?;
        let contracts = tx.open_table(CONTRACTS)?;
        let ids: Vec<u128> = tx
            .open_table(index)?
            .range((key.0, 0)..=(key.0, u128::MAX))?
            .rev()
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .filter_map(|id| match contracts.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    pub fn contracts_of_customer(&self, customer: Id) -> Result<Vec<Contract>> {
        self.contracts_under(CONTRACTS_BY_CUSTOMER, customer)
    }

    pub fn contracts_of_deal(&self, deal: Id) -> Result<Vec<Contract>> {
        self.contracts_under(CONTRACTS_BY_DEAL, deal)
    }

    pub fn contract_of_quote(&self, quote: Id) -> Result<Option<Id>> {
        let tx = self.read()?;
        Ok(tx
            .open_table(QUOTE_CONTRACTS)?
            .get(quote.0)?
            .map(|v| Id(v.value())))
    }

    /// The contracts waiting for an approval step, oldest first.
    pub fn pending_contracts(&self) -> Result<Vec<Contract>> {
        let tx = self.read()?;
        let contracts = tx.open_table(CONTRACTS)?;
        let ids: Vec<u128> = tx
            .open_table(CONTRACTS_PENDING)?
            .iter()?
            .map(|row| Ok(row?.0.value()))
            .collect::<Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| match contracts.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    /// Every version of a contract's terms, oldest first.
    pub fn contract_versions(&self, id: Id) -> Result<Vec<ContractVersion>> {
        let tx = self.read()?;
        tx.open_table(CONTRACT_VERSIONS)?
            .range((id.0, 0)..=(id.0, u32::MAX))?
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    /// A contract's payments, oldest first.
    pub fn payments_of(&self, contract: Id) -> Result<Vec<Payment>> {
        let tx = self.read()?;
        let payments = tx.open_table(PAYMENTS)?;
        let ids: Vec<u128> = tx
            .open_table(PAYMENTS_BY_CONTRACT)?
            .range((contract.0, 0)..=(contract.0, u128::MAX))?
            .map(|row| Ok(row?.0.value().1))
            .collect::<Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| match payments.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    /// Saves a new contract under the next number of its creation year;
    /// a quote becomes one contract only, and a deal made into a contract
    /// directly (not through a quote) has one unless it was cancelled.
    pub fn insert_contract(&self, contract: &Contract) -> Result<Contract> {
        let tx = self.write()?;
        let year = contract.created_at.year();
        let sequence = super::quotes::next_in(&tx, &format!("contract:{year}"))?;
        let saved = Contract {
            number: format!("C{year}-{sequence:05}"),
            ..contract.clone()
        };
        if let Some(quote) = saved.quote_id
            && contract_of_quote_in(&tx, quote)?.is_some()
        {
            return Err(Error::invalid(Field::Quote, Problem::Taken));
        }
        if saved.quote_id.is_none()
            && let Some(deal) = saved.deal_id
            && deal_has_live_contract(&tx, deal)?
        {
            return Err(Error::invalid(Field::Deal, Problem::Taken));
        }
        ContractTables::open(&tx)?.put(None, &saved, saved.created_by)?;
        self.commit_contracts(tx, [&saved], &[])?;
        Ok(saved)
    }

    /// Changes a contract in one transaction; `version`, when given, must
    /// still be the stored one. `by` is who saves, for a new terms version.
    pub fn update_contract(
        &self,
        id: Id,
        version: Option<u64>,
        by: Id,
        change: impl FnOnce(&mut Contract) -> Result<()>,
    ) -> Result<Contract> {
        let tx = self.write()?;
        let (saved, lines_changed) = {
            let mut tables = ContractTables::open(&tx)?;
            let before = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != before.version) {
                return Err(Error::Conflict);
            }
            let mut after = before.clone();
            change(&mut after)?;
            after.id = before.id;
            after.number = before.number.clone();
            after.version = before.version + 1;
            let lines_changed = before.terms.lines != after.terms.lines;
            if lines_changed {
                relink_deliveries(&tx, &before, &after)?;
            }
            tables.put(Some(&before), &after, by)?;
            (after, lines_changed)
        };
        self.commit_contracts(tx, [&saved], &[])?;
        if lines_changed {
            // Visible now: what its deliveries earn is worked out again.
            self.terms_changes.fetch_add(1, Ordering::AcqRel);
        }
        Ok(saved)
    }

    /// Deletes a contract with no payments (one with payments is
    /// cancelled instead: `HasPayments`).
    pub fn delete_contract(
        &self,
        id: Id,
        version: Option<u64>,
        allowed: impl FnOnce(&Contract) -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        if !payments_under(&tx, id)?.is_empty() {
            return Err(Error::HasPayments);
        }
        if super::stock::contract_has_deliveries(&tx, id)? {
            return Err(Error::HasDeliveries);
        }
        {
            let mut tables = ContractTables::open(&tx)?;
            let contract = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != contract.version) {
                return Err(Error::Conflict);
            }
            allowed(&contract)?;
            tables.remove(&contract)?;
        }
        self.commit_contracts(tx, [], &[id])
    }

    /// Records a payment against a contract in one transaction with what
    /// it pays of each installment. `make` builds the payment from the
    /// contract as stored now (its allocation depends on what is still
    /// outstanding) and changes the contract's plan to match.
    pub fn record_payment(
        &self,
        contract: Id,
        make: impl FnOnce(&mut Contract) -> Result<Payment>,
    ) -> Result<(Payment, Contract)> {
        let tx = self.write()?;
        let (payment, saved) = {
            let mut tables = ContractTables::open(&tx)?;
            let before = tables.get(contract)?.ok_or(Error::NotFound)?;
            let mut after = before.clone();
            let payment = make(&mut after)?;
            after.version = before.version + 1;
            tables.put(Some(&before), &after, payment.recorded_by)?;
            (payment, after)
        };
        tx.open_table(PAYMENTS)?
            .insert(payment.id.0, encode(&payment).as_slice())?;
        tx.open_table(PAYMENTS_BY_CONTRACT)?
            .insert((contract.0, payment.id.0), ())?;
        self.commit_payment(tx, &saved, &payment)?;
        Ok((payment, saved))
    }
}

/// Points the contract's deliveries at their lines in the new terms, or
/// refuses terms that drop a delivered line or order less of it than was
/// delivered (`domain::stock::relink_delivered_lines`).
fn relink_deliveries(tx: &WriteTransaction, before: &Contract, after: &Contract) -> Result<()> {
    let deliveries = super::stock::deliveries_in(tx, before.id)?;
    if deliveries.is_empty() {
        return Ok(());
    }
    let mut delivered: BTreeMap<u32, Quantity> = BTreeMap::new();
    for d in &deliveries {
        if let Some(line) = d.line {
            // Out of the warehouse is negative: the line got its opposite.
            let total = delivered.entry(line).or_default();
            *total = Quantity(total.0 - d.quantity.0);
        }
    }
    let moved = crate::domain::stock::relink_delivered_lines(
        &before.terms.lines,
        &after.terms.lines,
        &delivered,
    )?;
    for mut d in deliveries {
        let Some(line) = d.line else { continue };
        let to = moved.get(&line).copied().unwrap_or(line);
        if to != line {
            d.line = Some(to);
            super::stock::rewrite_move(tx, &d)?;
        }
    }
    Ok(())
}
