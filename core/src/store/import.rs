//! Batched writes for imports: many customers or products in one durable
//! commit, because one fsync per row would make a 100,000-row file take minutes.

use super::Store;
use super::customers::{ContactTables, CustomerTables, load_customer, replace_customer};
use super::products::ProductTables;
use crate::error::{Error, Result};
use crate::model::{Contact, Customer, FieldChange, Id, Product};

/// One row's effect, validated before it reaches the store.
pub enum ImportWrite {
    Create(Customer, Vec<Contact>),
    /// The edited customer (carrying the version it was read at), its audit
    /// lines, and contacts to add.
    Update(Customer, Vec<FieldChange>, Vec<Contact>),
    /// Contacts for a customer that stays as it is.
    AddContacts(Id, Vec<Contact>),
    CreateProduct(Product),
    /// The edited product, carrying the version it was read at.
    UpdateProduct(Product),
}

impl ImportWrite {
    fn is_customers(&self) -> bool {
        !matches!(
            self,
            ImportWrite::CreateProduct(_) | ImportWrite::UpdateProduct(_)
        )
    }
}

impl Store {
    /// Writes a batch in one transaction: all of it or, on a storage error,
    /// none of it. An update whose customer changed since it was read is a
    /// conflict and aborts the batch, so the caller can retry it. A product
    /// whose code another has taken meanwhile aborts it too.
    pub fn import_batch(&self, writes: &[ImportWrite]) -> Result<()> {
        let tx = self.write()?;
        for write in writes {
            match write {
                ImportWrite::CreateProduct(product) => {
                    ProductTables::open(&tx)?.put(None, product)?;
                }
                ImportWrite::UpdateProduct(product) => {
                    let mut tables = ProductTables::open(&tx)?;
                    let current = tables.get(product.id)?.ok_or(Error::Conflict)?;
                    if current.version != product.version {
                        return Err(Error::Conflict);
                    }
                    let saved = Product {
                        version: current.version + 1,
                        ..product.clone()
                    };
                    tables.put(Some(&current), &saved)?;
                }
                ImportWrite::Create(customer, contacts) => {
                    CustomerTables::open(&tx)?.insert(customer, contacts)?;
                }
                ImportWrite::Update(customer, changes, contacts) => {
                    let current = load_customer(&tx, customer.id)?;
                    if current.version != customer.version || current.deleted_at.is_some() {
                        return Err(Error::Conflict);
                    }
                    replace_customer(&tx, &current, customer.clone(), changes)?;
                    let mut tables = ContactTables::open(&tx)?;
                    for contact in contacts {
                        tables.put(None, contact)?;
                    }
                }
                ImportWrite::AddContacts(customer, contacts) => {
                    if load_customer(&tx, *customer)?.deleted_at.is_some() {
                        return Err(Error::NotFound);
                    }
                    let mut tables = ContactTables::open(&tx)?;
                    for contact in contacts {
                        tables.put(None, contact)?;
                    }
                }
            }
        }
        // Products live in no in-memory mirror: a batch of them commits and
        // says the catalogue changed.
        if !writes.iter().any(ImportWrite::is_customers) {
            self.commit(tx)?;
            self.catalog_changed();
            return Ok(());
        }
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        directory.open_batch();
        for write in writes {
            let contacts = match write {
                ImportWrite::CreateProduct(_) | ImportWrite::UpdateProduct(_) => continue,
                ImportWrite::Create(c, contacts) => {
                    directory.put_customer(c);
                    contacts
                }
                ImportWrite::Update(c, _, contacts) => {
                    directory.put_customer(&Customer {
                        version: c.version + 1,
                        ..c.clone()
                    });
                    contacts
                }
                ImportWrite::AddContacts(_, contacts) => contacts,
            };
            for contact in contacts {
                directory.put_contact(contact);
            }
        }
        directory.close_batch();
        drop(directory);
        pending.wait()?;
        Ok(())
    }
}
