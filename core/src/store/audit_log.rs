//! The company's audit log: every entry written in the same transaction as
//! the change it records, and kept when the record is purged.
//!
//! A service builds its entries where it knows who is asking and what
//! changed, and hands them to the write through `Store::audited`: the lines
//! pushed inside the scope go into the next transaction the scope commits
//! (`Tx::take`). So the store's write paths keep their signatures, and an
//! entry can never be committed without its change, nor the change without
//! it. A scope makes one write; a second one commits without entries.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use redb::{ReadableTable, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::Result;
use crate::model::{AuditAction, AuditChange, AuditEntry, AuditKind, Customer, FieldChange, Id};

thread_local! {
    /// The entries pushed in the `audited` scope running on this thread;
    /// `None` outside any scope.
    static PENDING: RefCell<Option<Vec<AuditEntry>>> = const { RefCell::new(None) };
}

/// The handle a scope pushes its entries through.
pub struct AuditLines {
    // Only `Store::audited` makes one.
    _scope: (),
}

impl AuditLines {
    /// Adds `entry` to the scope's next commit.
    pub fn push(&self, entry: AuditEntry) {
        PENDING.with(|p| {
            if let Some(pending) = p.borrow_mut().as_mut() {
                pending.push(entry);
            }
        });
    }
}

/// What the log is filtered on, checked and in instants: `[from, to)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub user: Option<Id>,
    pub kind: Option<AuditKind>,
    pub action: Option<AuditAction>,
    pub record: Option<Id>,
}

impl AuditQuery {
    fn matches(&self, e: &AuditEntry) -> bool {
        self.user.is_none_or(|u| e.by == Some(u))
            && self.kind.is_none_or(|k| e.kind == k)
            && self.action.is_none_or(|a| e.action == a)
            && self.record.is_none_or(|r| e.record == Some(r))
            && self.from.is_none_or(|f| e.at >= f)
            && self.to.is_none_or(|t| e.at < t)
    }
}

/// The lowest entry id of an instant: a ULID keeps its milliseconds in
/// its top 48 bits.
fn first_id_at(at: DateTime<Utc>) -> u128 {
    (at.timestamp_millis().max(0) as u128) << 80
}

/// Writes one entry and its record index.
pub(super) fn append(tx: &WriteTransaction, entry: &AuditEntry) -> Result<()> {
    tx.open_table(AUDIT_LOG)?
        .insert(entry.id.0, encode(entry).as_slice())?;
    if let Some(record) = entry.record {
        tx.open_table(AUDIT_LOG_BY_RECORD)?
            .insert((record.0, entry.id.0), ())?;
    }
    Ok(())
}

/// Writes the entries pushed in the running `audited` scope into `tx`, which
/// is about to commit; nothing outside a scope.
pub(super) fn write_pending(tx: &WriteTransaction) -> Result<()> {
    let entries = PENDING.with(|p| p.borrow_mut().as_mut().map(std::mem::take));
    for entry in entries.unwrap_or_default() {
        append(tx, &entry)?;
    }
    Ok(())
}

/// A customer's audit-trail lines (see `customers::record_changes`) as log
/// entries: one per customer and user, named as the customer is now.
/// Contacts' lines are left to the contact's own entries.
pub(super) fn customer_entries(
    tx: &WriteTransaction,
    changes: &[FieldChange],
) -> Result<Vec<AuditEntry>> {
    let customers = tx.open_table(CUSTOMERS)?;
    let mut entries: Vec<AuditEntry> = Vec::new();
    let mut names: HashMap<Id, String> = HashMap::new();
    for change in changes.iter().filter(|c| !c.field.starts_with("contact:")) {
        let by = (change.by != Id(0)).then_some(change.by);
        let line = AuditChange {
            field: change.field.clone(),
            old: change.old.clone(),
            new: change.new.clone(),
        };
        if let Some(entry) = entries
            .iter_mut()
            .find(|e| e.record == Some(change.record) && e.by == by)
        {
            entry.changes.push(line);
            continue;
        }
        let label = match names.get(&change.record) {
            Some(name) => name.clone(),
            None => {
                let name = customers
                    .get(change.record.0)?
                    .map(|v| decode::<Customer>(v.value()))
                    .transpose()?
                    .map(|c| c.name)
                    .unwrap_or_default();
                names.insert(change.record, name.clone());
                name
            }
        };
        entries.push(AuditEntry {
            id: Id::generate(),
            at: change.at,
            by,
            email: None,
            kind: AuditKind::Customer,
            record: Some(change.record),
            label,
            action: AuditAction::Update,
            changes: vec![line],
        });
    }
    for entry in &mut entries {
        entry.action = customer_action(&entry.changes);
    }
    Ok(entries)
}

/// The recycle bin writes its moves as a change of `deleted`.
fn customer_action(changes: &[AuditChange]) -> AuditAction {
    match changes {
        [c] if c.field == "deleted" && !c.new.is_empty() => AuditAction::Delete,
        [c] if c.field == "deleted" => AuditAction::Restore,
        _ => AuditAction::Update,
    }
}

impl Store {
    /// Runs `write` (one store write) with the entries it pushes written in
    /// the same transaction. Entries pushed before a write that fails are
    /// dropped with it.
    pub fn audited<R>(&self, write: impl FnOnce(&AuditLines) -> Result<R>) -> Result<R> {
        /// Puts back what an enclosing scope had pushed, even on a panic.
        struct Restore(Option<Vec<AuditEntry>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let outer = self.0.take();
                PENDING.with(|p| *p.borrow_mut() = outer);
            }
        }
        let _restore = Restore(PENDING.with(|p| p.borrow_mut().replace(Vec::new())));
        write(&AuditLines { _scope: () })
    }

    /// Writes entries that record no other change (a failed sign-in).
    pub fn append_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        let tx = self.write()?;
        for entry in entries {
            append(&tx, entry)?;
        }
        self.commit(tx)
    }

    /// The entries matching `query`, newest first: how many there are, and
    /// `limit` of them from `offset`. A record's entries are read through
    /// its index; otherwise the days asked for are scanned.
    pub fn audit_log(
        &self,
        query: &AuditQuery,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<AuditEntry>)> {
        let tx = self.read()?;
        let log = tx.open_table(AUDIT_LOG)?;
        let lo = query.from.map_or(0, first_id_at);
        let hi = query
            .to
            .map_or(u128::MAX, |t| first_id_at(t).saturating_sub(1));
        if lo > hi {
            return Ok((0, Vec::new()));
        }
        let ids: Box<dyn Iterator<Item = Result<u128>>> = match query.record {
            Some(record) => Box::new(
                tx.open_table(AUDIT_LOG_BY_RECORD)?
                    .range((record.0, lo)..=(record.0, hi))?
                    .rev()
                    .map(|row| Ok(row?.0.value().1)),
            ),
            None => Box::new(log.range(lo..=hi)?.rev().map(|row| Ok(row?.0.value()))),
        };
        let mut total = 0;
        let mut page = Vec::new();
        for id in ids {
            let Some(value) = log.get(id?)? else { continue };
            let entry: AuditEntry = decode(value.value())?;
            if !query.matches(&entry) {
                continue;
            }
            if total >= offset && page.len() < limit {
                page.push(entry);
            }
            total += 1;
        }
        Ok((total, page))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::error::Error;

    pub fn entry(kind: AuditKind, action: AuditAction, record: Option<Id>) -> AuditEntry {
        AuditEntry {
            id: Id::generate(),
            at: Utc::now(),
            by: Some(Id(1)),
            email: None,
            kind,
            record,
            label: "北京星辰".into(),
            action,
            changes: vec![],
        }
    }

    #[test]
    fn entries_pushed_in_a_scope_commit_with_its_write_and_not_without_it() {
        let (_dir, store) = temp_store();
        let customer = super::super::customers::tests::customer("北京星辰", None);
        let created = entry(AuditKind::Customer, AuditAction::Create, Some(customer.id));
        store
            .audited(|lines| {
                lines.push(created.clone());
                store.insert_customer(&customer, &[])
            })
            .unwrap();
        let refused = entry(AuditKind::Customer, AuditAction::Update, Some(customer.id));
        let stale = Customer {
            version: 99,
            ..customer.clone()
        };
        let result = store.audited(|lines| {
            lines.push(refused.clone());
            store.update_customer(&stale, &[])
        });
        assert_eq!(result.err(), Some(Error::Conflict));
        // Outside any scope nothing is pending: a later write adds nothing.
        store
            .insert_customer(&super::super::customers::tests::customer("别家", None), &[])
            .unwrap();
        let (total, entries) = store.audit_log(&AuditQuery::default(), 0, 10).unwrap();
        assert_eq!((total, entries), (1, vec![created]));
    }

    #[test]
    fn the_log_reads_newest_first_in_pages_and_filters_by_record_kind_and_days() {
        let (_dir, store) = temp_store();
        let deal = Id::generate();
        let mut written = Vec::new();
        for n in 0..5 {
            let mut e = match n % 2 {
                0 => entry(AuditKind::Deal, AuditAction::Update, Some(deal)),
                _ => entry(AuditKind::Session, AuditAction::SignIn, None),
            };
            e.at = Utc::now() - chrono::Duration::days(5 - n);
            e.id = Id(first_id_at(e.at) + 1);
            store.append_audit(std::slice::from_ref(&e)).unwrap();
            written.push(e);
        }
        let all = AuditQuery::default();
        let (total, page) = store.audit_log(&all, 1, 2).unwrap();
        assert_eq!(total, 5);
        assert_eq!(page, vec![written[3].clone(), written[2].clone()]);

        let of_deal = AuditQuery {
            record: Some(deal),
            ..Default::default()
        };
        let (total, page) = store.audit_log(&of_deal, 0, 10).unwrap();
        assert_eq!(total, 3);
        assert_eq!(page[0], written[4]);

        let recent_sign_ins = AuditQuery {
            kind: Some(AuditKind::Session),
            from: Some(written[2].at),
            to: Some(Utc::now()),
            ..Default::default()
        };
        let (total, page) = store.audit_log(&recent_sign_ins, 0, 10).unwrap();
        assert_eq!((total, page), (1, vec![written[3].clone()]));
    }

    #[test]
    fn purging_a_customer_keeps_its_audit_entries() {
        let (_dir, store) = temp_store();
        let customer = super::super::customers::tests::customer("北京星辰", None);
        store.insert_customer(&customer, &[]).unwrap();
        let edited = Customer {
            name: "北京星辰科技".into(),
            ..customer.clone()
        };
        let change = FieldChange {
            record: customer.id,
            by: Id(1),
            at: Utc::now(),
            field: "name".into(),
            old: customer.name.clone(),
            new: edited.name.clone(),
        };
        store.update_customer(&edited, &[change]).unwrap();
        store
            .recycle_customer(customer.id, Utc::now(), Id(1))
            .unwrap();
        store
            .audited(|lines| {
                lines.push(entry(
                    AuditKind::Customer,
                    AuditAction::Purge,
                    Some(customer.id),
                ));
                store.purge_customer(customer.id)
            })
            .unwrap();
        assert_eq!(store.customer(customer.id).unwrap(), None);
        let of_customer = AuditQuery {
            record: Some(customer.id),
            ..Default::default()
        };
        let (_, entries) = store.audit_log(&of_customer, 0, 10).unwrap();
        let actions: Vec<_> = entries.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [AuditAction::Purge, AuditAction::Delete, AuditAction::Update]
        );
        let rename = &entries[2];
        assert_eq!(
            (rename.label.as_str(), rename.changes[0].new.as_str()),
            ("北京星辰科技", "北京星辰科技")
        );
    }
}
