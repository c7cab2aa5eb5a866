//! Range scans by the first part of a tuple key: what hangs off one record
//! (a customer's contacts, audit lines and timeline, a deal's history) in
//! the tables keyed by pairs and triples.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::error::Result;

/// The second halves of the keys `(first, _)` of a table keyed by pairs.
pub(super) fn keys_under<V: redb::Value + 'static>(
    tx: &WriteTransaction,
    table: TableDefinition<(u128, u128), V>,
    first: u128,
) -> Result<Vec<u128>> {
    tx.open_table(table)?
        .range((first, 0)..=(first, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect()
}

/// Removes the keys `(first, _)` of a table keyed by pairs and returns
/// their second halves.
pub(super) fn remove_under<V: redb::Value + 'static>(
    tx: &WriteTransaction,
    table: TableDefinition<(u128, u128), V>,
    first: u128,
) -> Result<Vec<u128>> {
    let seconds = keys_under(tx, table, first)?;
    let mut t = tx.open_table(table)?;
    for &second in &seconds {
        t.remove((first, second))?;
    }
    Ok(seconds)
}

/// Removes the entries `(first, _, _)` of a (record, time, id)-keyed table
/// and returns their (time, id).
pub(super) fn remove_timed_under<V: redb::Value + 'static>(
    tx: &WriteTransaction,
    table: TableDefinition<(u128, i64, u128), V>,
    first: u128,
) -> Result<Vec<(i64, u128)>> {
    let mut t = tx.open_table(table)?;
    let keys: Vec<(u128, i64, u128)> = t
        .range((first, i64::MIN, 0)..=(first, i64::MAX, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value()))
        .collect::<Result<_, _>>()?;
    for key in &keys {
        t.remove(*key)?;
    }
    Ok(keys.into_iter().map(|(_, at, id)| (at, id)).collect())
}
