//! Editing and removing one contact. Contacts are created with their customer
//! or by `insert_contact` (in `customers.rs`).

use redb::{ReadableTable, WriteTransaction};

use super::customers::{ContactTables, load_customer, record_changes};
use super::tables::*;
use super::{Store, decode};
use crate::error::{Error, Result};
use crate::model::{Contact, FieldChange, Id};

fn load_contact(tx: &WriteTransaction, id: Id) -> Result<Contact> {
    tx.open_table(CONTACTS)?
        .get(id.0)?
        .map(|v| decode(v.value()))
        .transpose()?
        .ok_or(Error::NotFound)
}

/// Contacts of a binned customer wait for its restore untouched; the
/// directory only holds those of live customers.
fn require_live_customer_of(tx: &WriteTransaction, contact: &Contact) -> Result<()> {
    if load_customer(tx, contact.customer_id)?.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok(())
}

impl Store {
    pub fn contact(&self, id: Id) -> Result<Option<Contact>> {
        let tx = self.read()?;
        let contacts = tx.open_table(CONTACTS)?;
        contacts.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// Saves `contact` if the stored copy still has its version, with the
    /// audit lines of its customer in the same transaction. A contact stays
    /// with the customer it was created for.
    pub fn update_contact(&self, contact: &Contact, changes: &[FieldChange]) -> Result<Contact> {
        let tx = self.write()?;
        let current = load_contact(&tx, contact.id)?;
        require_live_customer_of(&tx, &current)?;
        if current.version != contact.version {
            return Err(Error::Conflict);
        }
        let saved = Contact {
            customer_id: current.customer_id,
            created_at: current.created_at,
            version: current.version + 1,
            ..contact.clone()
        };
        ContactTables::open(&tx)?.put(Some(&current), &saved)?;
        record_changes(&tx, changes)?;
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.put_contact(&saved);
        drop(directory);
        pending.wait()?;
        Ok(saved)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::customers::tests::{contact, customer};
    use super::super::test_support::temp_store;
    use super::*;
    use chrono::Utc;

    pub fn removal(contact: &Contact) -> FieldChange {
        FieldChange {
            record: contact.customer_id,
            by: Id(1),
            at: Utc::now(),
            field: format!("contact:{}:deleted", contact.name),
            old: contact.name.clone(),
            new: String::new(),
        }
    }

    #[test]
    fn edits_check_the_version_and_follow_into_search() {
        let (_dir, store) = temp_store();
        let c = customer("北京星辰科技有限公司", None);
        let zhang = contact(c.id, "张伟");
        store
            .insert_customer(&c, std::slice::from_ref(&zhang))
            .unwrap();
        let renamed = store
            .update_contact(
                &Contact {
                    name: "张卫国".into(),
                    ..zhang.clone()
                },
                &[],
            )
            .unwrap();
        assert_eq!(renamed.version, 2);
        assert_eq!(store.contact(zhang.id).unwrap(), Some(renamed.clone()));
        assert_eq!(
            store.update_contact(
                &Contact {
                    name: "旧版本".into(),
                    ..zhang.clone()
                },
                &[]
            ),
            Err(Error::Conflict)
        );
        let found = store.directory().search("卫国", None, 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].contact_name.as_deref(), Some("张卫国"));
    }

    #[test]
    fn delete_removes_the_row_the_index_and_the_search_entry() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        let zhang = contact(c.id, "张伟");
        let liu = contact(c.id, "刘洋");
        store
            .insert_customer(&c, &[zhang.clone(), liu.clone()])
            .unwrap();
        let removed = removal(&zhang);
        store.recycle_contact(zhang.id, &removed).unwrap();
        assert_eq!(store.contacts_of(c.id).unwrap(), vec![liu]);
        assert_eq!(store.contact(zhang.id).unwrap(), None);
        assert!(store.directory().search("张伟", None, 10).is_empty());
        assert_eq!(store.changes_of(c.id).unwrap(), vec![removed.clone()]);
        assert_eq!(
            store.recycle_contact(zhang.id, &removed),
            Err(Error::NotFound)
        );
        assert_eq!(store.changes_of(c.id).unwrap().len(), 1);
    }

    #[test]
    fn contacts_of_a_binned_customer_are_left_alone() {
        let (_dir, store) = temp_store();
        let c = customer("星辰科技", None);
        let zhang = contact(c.id, "张伟");
        store
            .insert_customer(&c, std::slice::from_ref(&zhang))
            .unwrap();
        store.recycle_customer(c.id, Utc::now(), Id(1)).unwrap();
        assert_eq!(
            store.recycle_contact(zhang.id, &removal(&zhang)),
            Err(Error::NotFound)
        );
        assert_eq!(store.update_contact(&zhang, &[]), Err(Error::NotFound));
    }
}
