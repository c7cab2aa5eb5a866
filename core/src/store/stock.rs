//! Stock moves and their indexes: by product in costing order, and a
//! contract's deliveries. A move is written once, never changed, by one
//! write path (`insert_stock_move`) that checks, inside the same
//! transaction, that the product's stock never goes below zero on any day
//! and (for a delivery) what the contract line still has to deliver.

use chrono::Datelike;
use redb::{ReadableTable, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Contract, Id, Product, StockMove};

fn product_key(m: &StockMove) -> (u128, i32, u128) {
    (m.product_id.0, m.date.num_days_from_ce(), m.id.0)
}

/// Writes a new move with its index entries: the one way a move is stored.
pub(super) fn put_move(tx: &WriteTransaction, movement: &StockMove) -> Result<()> {
    tx.open_table(STOCK_MOVES)?
        .insert(movement.id.0, encode(movement).as_slice())?;
    tx.open_table(STOCK_BY_PRODUCT)?
        .insert(product_key(movement), ())?;
    if let Some(contract) = movement.contract_id {
        tx.open_table(DELIVERIES_BY_CONTRACT)?
            .insert((contract.0, movement.id.0), ())?;
    }
    Ok(())
}

/// Saves a changed move under its id; its index keys (product, day,
/// contract) must be the ones it had.
pub(super) fn rewrite_move(tx: &WriteTransaction, movement: &StockMove) -> Result<()> {
    tx.open_table(STOCK_MOVES)?
        .insert(movement.id.0, encode(movement).as_slice())?;
    Ok(())
}

pub(super) fn moves_of_product_in(tx: &WriteTransaction, product: Id) -> Result<Vec<StockMove>> {
    let moves = tx.open_table(STOCK_MOVES)?;
    let ids: Vec<u128> = tx
        .open_table(STOCK_BY_PRODUCT)?
        .range((product.0, i32::MIN, 0)..=(product.0, i32::MAX, u128::MAX))?
        .map(|row| Ok(row?.0.value().2))
        .collect::<Result<_>>()?;
    ids.into_iter()
        .filter_map(|id| match moves.get(id) {
            Ok(Some(v)) => Some(decode(v.value())),
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        })
        .collect()
}

/// Whether a product has any stock move (then it is not deleted).
pub(super) fn product_has_moves(tx: &WriteTransaction, product: Id) -> Result<bool> {
    Ok(tx
        .open_table(STOCK_BY_PRODUCT)?
        .range((product.0, i32::MIN, 0)..=(product.0, i32::MAX, u128::MAX))?
        .next()
        .is_some())
}

/// Whether a contract has deliveries (then it is not deleted).
pub(super) fn contract_has_deliveries(tx: &WriteTransaction, contract: Id) -> Result<bool> {
    Ok(tx
        .open_table(DELIVERIES_BY_CONTRACT)?
        .range((contract.0, 0)..=(contract.0, u128::MAX))?
        .next()
        .is_some())
}

/// A contract deleted with its customer for good: its deliveries stay
/// (the goods did leave the warehouse, and the product's costing needs
/// them) but are no longer listed under it.
pub(super) fn forget_deliveries_of(tx: &WriteTransaction, contract: Id) -> Result<()> {
    let mut index = tx.open_table(DELIVERIES_BY_CONTRACT)?;
    let keys: Vec<(u128, u128)> = index
        .range((contract.0, 0)..=(contract.0, u128::MAX))?
        .map(|row| Ok(row?.0.value()))
        .collect::<Result<_>>()?;
    for key in keys {
        index.remove(key)?;
    }
    Ok(())
}

/// What `insert_stock_move`'s check sees, read in its transaction.
pub struct StockWrite<'a> {
    pub product: &'a Product,
    /// The product's moves with the new one, by day, then as recorded.
    pub product_moves: &'a [StockMove],
    /// For a delivery: its contract as stored now and its earlier
    /// deliveries.
    pub contract: Option<&'a Contract>,
    pub contract_deliveries: &'a [StockMove],
}

impl Store {
    /// Records a stock move in one transaction with its indexes, if
    /// `check` (given the product's moves with it, and for a delivery its
    /// contract and earlier deliveries, all as stored now) accepts it.
    pub fn insert_stock_move(
        &self,
        movement: &StockMove,
        check: impl FnOnce(StockWrite<'_>) -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        {
            let product: Product = tx
                .open_table(PRODUCTS)?
                .get(movement.product_id.0)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            let mut product_moves = moves_of_product_in(&tx, movement.product_id)?;
            let at =
                product_moves.partition_point(|m| (m.date, m.id) <= (movement.date, movement.id));
            product_moves.insert(at, movement.clone());
            let contract: Option<Contract> = match movement.contract_id {
                Some(id) => Some(
                    tx.open_table(CONTRACTS)?
                        .get(id.0)?
                        .map(|v| decode(v.value()))
                        .transpose()?
                        .ok_or(Error::NotFound)?,
                ),
                None => None,
            };
            let contract_deliveries = match movement.contract_id {
                Some(id) => deliveries_in(&tx, id)?,
                None => Vec::new(),
            };
            check(StockWrite {
                product: &product,
                product_moves: &product_moves,
                contract: contract.as_ref(),
                contract_deliveries: &contract_deliveries,
            })?;
            put_move(&tx, movement)?;
        }
        let pending = self.commit_visible(tx)?;
        self.stock_moved(
            movement.product_id,
            movement.kind == crate::model::StockMoveKind::Delivery,
        );
        pending.wait()
    }

    /// A product's moves by day, then as recorded: the order costing reads.
    pub fn stock_moves_of_product(&self, product: Id) -> Result<Vec<StockMove>> {
        let tx = self.read()?;
        let moves = tx.open_table(STOCK_MOVES)?;
        tx.open_table(STOCK_BY_PRODUCT)?
            .range((product.0, i32::MIN, 0)..=(product.0, i32::MAX, u128::MAX))?
            .filter_map(|row| {
                let id = match row {
                    Ok((k, _)) => k.value().2,
                    Err(e) => return Some(Err(e.into())),
                };
                match moves.get(id) {
                    Ok(Some(v)) => Some(decode(v.value())),
                    Ok(None) => None,
                    Err(e) => Some(Err(e.into())),
                }
            })
            .collect()
    }

    /// Every stock move, as recorded (oldest first).
    pub fn stock_moves(&self) -> Result<Vec<StockMove>> {
        let tx = self.read()?;
        tx.open_table(STOCK_MOVES)?
            .iter()?
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    /// A contract's deliveries, as recorded.
    pub fn deliveries_of(&self, contract: Id) -> Result<Vec<StockMove>> {
        let tx = self.read()?;
        let moves = tx.open_table(STOCK_MOVES)?;
        let ids: Vec<u128> = tx
            .open_table(DELIVERIES_BY_CONTRACT)?
            .range((contract.0, 0)..=(contract.0, u128::MAX))?
            .map(|row| Ok(row?.0.value().1))
            .collect::<Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| match moves.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }
}

pub(super) fn deliveries_in(tx: &WriteTransaction, contract: Id) -> Result<Vec<StockMove>> {
    let moves = tx.open_table(STOCK_MOVES)?;
    let ids: Vec<u128> = tx
        .open_table(DELIVERIES_BY_CONTRACT)?
        .range((contract.0, 0)..=(contract.0, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect::<Result<_>>()?;
    ids.into_iter()
        .filter_map(|id| match moves.get(id) {
            Ok(Some(v)) => Some(decode(v.value())),
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{Cents, Quantity, StockMoveKind};
    use chrono::{NaiveDate, Utc};

    pub fn purchase(product: Id, day: u32, units: i64, cost: i64) -> StockMove {
        StockMove {
            id: Id::generate(),
            product_id: product,
            kind: StockMoveKind::Purchase,
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            quantity: Quantity::units(units),
            unit_cost: Some(Cents(cost * 100)),
            supplier: Some("供应商".into()),
            reason: None,
            contract_id: None,
            customer_id: None,
            line: None,
            recorded_by: Id(1),
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn a_products_moves_read_by_day_then_as_recorded_and_a_refused_one_leaves_nothing() {
        let (_dir, store) = temp_store();
        let product = super::super::products::tests::product("SRV-01");
        store.insert_product(&product).unwrap();
        let late = purchase(product.id, 5, 10, 120);
        let early = purchase(product.id, 1, 10, 100);
        store.insert_stock_move(&late, |_| Ok(())).unwrap();
        store
            .insert_stock_move(&early, |w| {
                // The check sees the new move in its place among the others.
                assert_eq!(w.product_moves[0].id, early.id);
                assert_eq!(w.product_moves.len(), 2);
                assert!(w.contract.is_none());
                Ok(())
            })
            .unwrap();
        let ids: Vec<Id> = store
            .stock_moves_of_product(product.id)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, [early.id, late.id]);
        assert_eq!(
            store.insert_stock_move(&purchase(product.id, 2, 1, 1), |_| Err(Error::Forbidden)),
            Err(Error::Forbidden)
        );
        assert_eq!(store.stock_moves().unwrap().len(), 2);
        // A product with moves is kept.
        assert_eq!(store.delete_product(product.id, None), Err(Error::InUse));
        super::super::test_support::assert_consistent(&store);
    }
}
