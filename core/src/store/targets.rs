//! Targets with their key index: one target per year, subject and measure,
//! enforced in the write transaction (`TargetTables::put`).

use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Id, SalesTarget};

/// `2026|rep|01J…|revenue`: what makes a target unique.
pub(super) fn key(t: &SalesTarget) -> String {
    let subject = match (&t.subject_id, &t.subject_name) {
        (Some(id), _) => id.to_string(),
        (None, Some(name)) => name.to_lowercase(),
        (None, None) => String::new(),
    };
    format!(
        "{}|{}|{}|{}",
        t.year,
        t.scope.code(),
        subject,
        t.measure.code()
    )
}

struct TargetTables<'tx> {
    targets: Table<'tx, u128, &'static [u8]>,
    keys: Table<'tx, &'static str, u128>,
}

impl<'tx> TargetTables<'tx> {
    fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(TargetTables {
            targets: tx.open_table(TARGETS)?,
            keys: tx.open_table(TARGET_KEYS)?,
        })
    }

    fn get(&self, id: Id) -> Result<Option<SalesTarget>> {
        self.targets
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Refuses a second target of the same subject, year and measure
    /// (`Subject`, `Taken`).
    fn put(&mut self, before: Option<&SalesTarget>, after: &SalesTarget) -> Result<()> {
        let new_key = key(after);
        if let Some(other) = self.keys.get(new_key.as_str())?.map(|v| v.value())
            && other != after.id.0
        {
            return Err(Error::invalid(Field::Subject, Problem::Taken));
        }
        if let Some(before) = before {
            self.keys.remove(key(before).as_str())?;
        }
        self.keys.insert(new_key.as_str(), after.id.0)?;
        self.targets.insert(after.id.0, encode(after).as_slice())?;
        Ok(())
    }

    fn remove(&mut self, t: &SalesTarget) -> Result<()> {
        self.keys.remove(key(t).as_str())?;
        self.targets.remove(t.id.0)?;
        Ok(())
    }
}

impl Store {
    pub fn target(&self, id: Id) -> Result<Option<SalesTarget>> {
        let tx = self.read()?;
        tx.open_table(TARGETS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Every target, oldest first (a company keeps a few hundred).
    pub fn targets(&self) -> Result<Vec<SalesTarget>> {
        let tx = self.read()?;
        tx.open_table(TARGETS)?
            .iter()?
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    pub fn insert_target(&self, target: &SalesTarget) -> Result<()> {
        let tx = self.write()?;
        TargetTables::open(&tx)?.put(None, target)?;
        self.commit(tx)?;
        self.settings_changed();
        Ok(())
    }

    /// Changes a target whose stored copy still has `version`; `change`
    /// sees the stored copy (and may refuse).
    pub fn update_target(
        &self,
        id: Id,
        version: u64,
        change: impl FnOnce(&mut SalesTarget) -> Result<()>,
    ) -> Result<SalesTarget> {
        let tx = self.write()?;
        let saved = {
            let mut tables = TargetTables::open(&tx)?;
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
        self.commit(tx)?;
        self.settings_changed();
        Ok(saved)
    }

    pub fn delete_target(
        &self,
        id: Id,
        version: Option<u64>,
        allowed: impl FnOnce(&SalesTarget) -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        {
            let mut tables = TargetTables::open(&tx)?;
            let target = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != target.version) {
                return Err(Error::Conflict);
            }
            allowed(&target)?;
            tables.remove(&target)?;
        }
        self.commit(tx)?;
        self.settings_changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{Cents, TargetMeasure, TargetScope};
    use chrono::Utc;

    fn target(rep: Id, measure: TargetMeasure) -> SalesTarget {
        SalesTarget {
            id: Id::generate(),
            year: 2026,
            scope: TargetScope::Rep,
            subject_id: Some(rep),
            subject_name: None,
            measure,
            months: vec![Cents(100); 12],
            total: Cents(1_200),
            created_by: rep,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn one_target_per_subject_year_and_measure() {
        let (_dir, store) = temp_store();
        let rep = Id::generate();
        let revenue = target(rep, TargetMeasure::Revenue);
        store.insert_target(&revenue).unwrap();
        assert_eq!(
            store.insert_target(&target(rep, TargetMeasure::Revenue)),
            Err(Error::invalid(Field::Subject, Problem::Taken))
        );
        let payments = target(rep, TargetMeasure::Payments);
        store.insert_target(&payments).unwrap();
        // Moving the revenue target to next year frees its key.
        store
            .update_target(revenue.id, 1, |t| {
                t.year = 2027;
                Ok(())
            })
            .unwrap();
        store
            .insert_target(&target(rep, TargetMeasure::Revenue))
            .unwrap();
        store
            .delete_target(payments.id, Some(1), |_| Ok(()))
            .unwrap();
        assert_eq!(store.targets().unwrap().len(), 2);
        assert_eq!(
            store.update_target(revenue.id, 1, |_| Ok(())),
            Err(Error::Conflict)
        );
    }
}
