//! Products, their code index, and the company's sales settings.
//!
//! A product's record and its code entry change in one write path
//! (`ProductTables::put`), so a code names one product at all times.

use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::domain::products::code_key;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Id, Product, SalesSettings};

pub(super) struct ProductTables<'tx> {
    products: Table<'tx, u128, &'static [u8]>,
    by_code: Table<'tx, &'static str, u128>,
}

impl<'tx> ProductTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(ProductTables {
            products: tx.open_table(PRODUCTS)?,
            by_code: tx.open_table(PRODUCTS_BY_CODE)?,
        })
    }

    pub(super) fn get(&self, id: Id) -> Result<Option<Product>> {
        self.products
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Saves `after` over `before` (`None` for a new product), moving its
    /// code entry; a code another product has is refused.
    pub(super) fn put(&mut self, before: Option<&Product>, after: &Product) -> Result<()> {
        let key = code_key(&after.code);
        let old_key = before.map(|b| code_key(&b.code));
        if old_key.as_deref() != Some(key.as_str()) {
            if self.by_code.get(key.as_str())?.is_some() {
                return Err(Error::invalid(Field::Code, Problem::Taken));
            }
            if let Some(old) = &old_key {
                self.by_code.remove(old.as_str())?;
            }
            self.by_code.insert(key.as_str(), after.id.0)?;
        }
        self.products.insert(after.id.0, encode(after).as_slice())?;
        Ok(())
    }

    fn remove(&mut self, product: &Product) -> Result<()> {
        self.products.remove(product.id.0)?;
        self.by_code.remove(code_key(&product.code).as_str())?;
        Ok(())
    }
}

impl Store {
    pub fn product(&self, id: Id) -> Result<Option<Product>> {
        let tx = self.read()?;
        tx.open_table(PRODUCTS)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Every product, ordered by code.
    pub fn products(&self) -> Result<Vec<Product>> {
        let tx = self.read()?;
        let products = tx.open_table(PRODUCTS)?;
        let index = tx.open_table(PRODUCTS_BY_CODE)?;
        index
            .iter()?
            .filter_map(|row| {
                let id = match row {
                    Ok((_, id)) => id.value(),
                    Err(e) => return Some(Err(e.into())),
                };
                match products.get(id) {
                    Ok(Some(v)) => Some(decode(v.value())),
                    Ok(None) => None,
                    Err(e) => Some(Err(e.into())),
                }
            })
            .collect()
    }

    pub fn insert_product(&self, product: &Product) -> Result<()> {
        let tx = self.write()?;
        ProductTables::open(&tx)?.put(None, product)?;
        self.commit(tx)?;
        self.catalog_changed();
        Ok(())
    }

    /// Saves a product whose stored copy still has `version`; the saved
    /// copy gets the next version.
    pub fn update_product(
        &self,
        id: Id,
        version: u64,
        change: impl FnOnce(&mut Product) -> Result<()>,
    ) -> Result<Product> {
        let tx = self.write()?;
        let saved = {
            let mut tables = ProductTables::open(&tx)?;
            let before = tables.get(id)?.ok_or(Error::NotFound)?;
            if before.version != version {
                return Err(Error::Conflict);
            }
            let mut after = before.clone();
            change(&mut after)?;
            after.id = id;
            after.version = before.version + 1;
            tables.put(Some(&before), &after)?;
            after
        };
        self.commit(tx)?;
        self.catalog_changed();
        Ok(saved)
    }

    /// Deletes a product no quote uses; one in use is `InUse` (deactivate
    /// it instead).
    pub fn delete_product(&self, id: Id, version: Option<u64>) -> Result<()> {
        let tx = self.write()?;
        {
            let used = tx
                .open_table(PRODUCT_QUOTES)?
                .range((id.0, 0)..=(id.0, u128::MAX))?
                .next()
                .is_some()
                || tx
                    .open_table(PRODUCT_CONTRACTS)?
                    .range((id.0, 0)..=(id.0, u128::MAX))?
                    .next()
                    .is_some()
                || super::stock::product_has_moves(&tx, id)?;
            let mut tables = ProductTables::open(&tx)?;
            let product = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != product.version) {
                return Err(Error::Conflict);
            }
            if used {
                return Err(Error::InUse);
            }
            tables.remove(&product)?;
        }
        self.commit(tx)?;
        self.catalog_changed();
        Ok(())
    }

    pub fn sales_settings(&self) -> Result<SalesSettings> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        Ok(meta
            .get(META_SALES_SETTINGS)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the settings if the stored ones still have `settings.version`.
    pub fn update_sales_settings(&self, settings: &SalesSettings) -> Result<SalesSettings> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: SalesSettings = meta
                .get(META_SALES_SETTINGS)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != settings.version {
                return Err(Error::Conflict);
            }
            let saved = SalesSettings {
                version: current.version + 1,
                ..settings.clone()
            };
            meta.insert(META_SALES_SETTINGS, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::Cents;
    use chrono::Utc;

    pub fn product(code: &str) -> Product {
        Product {
            id: Id::generate(),
            code: code.into(),
            name: format!("产品 {code}"),
            unit: "台".into(),
            category: None,
            list_price: Cents(10_000),
            standard_cost: Cents(6_000),
            active: true,
            low_stock_threshold: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn a_code_names_one_product_letter_case_aside() {
        let (_dir, store) = temp_store();
        let a = product("SRV-01");
        store.insert_product(&a).unwrap();
        assert_eq!(
            store.insert_product(&product("srv-01")),
            Err(Error::invalid(Field::Code, Problem::Taken))
        );
        let b = product("B-2");
        store.insert_product(&b).unwrap();
        assert_eq!(
            store.update_product(b.id, 1, |p| {
                p.code = "Srv-01".into();
                Ok(())
            }),
            Err(Error::invalid(Field::Code, Problem::Taken))
        );
        let renamed = store
            .update_product(a.id, 1, |p| {
                p.code = "SRV-02".into();
                Ok(())
            })
            .unwrap();
        assert_eq!(renamed.version, 2);
        store.insert_product(&product("srv-01")).unwrap();
        let codes: Vec<String> = store
            .products()
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes, ["B-2", "srv-01", "SRV-02"]);
        assert_eq!(
            store.update_product(a.id, 1, |_| Ok(())),
            Err(Error::Conflict)
        );
        store.delete_product(b.id, Some(1)).unwrap();
        assert_eq!(store.product(b.id).unwrap(), None);
    }
}
