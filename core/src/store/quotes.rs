//! Quotes and their indexes: by customer, by deal, by number, by product,
//! and the inbox of those waiting for an approval step.
//!
//! Every save and delete of a quote goes through `QuoteTables`, so its
//! index entries change in one place and in the quote's transaction.

use chrono::Datelike;
use redb::{ReadableTable, Table, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Id, Quote, QuoteStatus};

pub(super) struct QuoteTables<'tx> {
    quotes: Table<'tx, u128, &'static [u8]>,
    by_customer: Table<'tx, (u128, u128), ()>,
    by_deal: Table<'tx, (u128, u128), ()>,
    numbers: Table<'tx, &'static str, u128>,
    by_product: Table<'tx, (u128, u128), ()>,
    pending: Table<'tx, u128, ()>,
}

impl<'tx> QuoteTables<'tx> {
    pub(super) fn open(tx: &'tx WriteTransaction) -> Result<Self> {
        Ok(QuoteTables {
            quotes: tx.open_table(QUOTES)?,
            by_customer: tx.open_table(QUOTES_BY_CUSTOMER)?,
            by_deal: tx.open_table(QUOTES_BY_DEAL)?,
            numbers: tx.open_table(QUOTE_NUMBERS)?,
            by_product: tx.open_table(PRODUCT_QUOTES)?,
            pending: tx.open_table(QUOTES_PENDING)?,
        })
    }

    fn get(&self, id: Id) -> Result<Option<Quote>> {
        self.quotes
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Saves `after` over `before` (`None` for a new quote) with its
    /// index entries.
    fn put(&mut self, before: Option<&Quote>, after: &Quote) -> Result<()> {
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
                "quote number {} given twice",
                after.number
            )));
        }
        for product in after.lines.iter().filter_map(|l| l.product_id) {
            self.by_product.insert((product.0, id), ())?;
        }
        if after.status == QuoteStatus::PendingApproval {
            self.pending.insert(id, ())?;
        }
        self.quotes.insert(id, encode(after).as_slice())?;
        Ok(())
    }

    fn unindex(&mut self, quote: &Quote) -> Result<()> {
        let id = quote.id.0;
        self.by_customer.remove((quote.customer_id.0, id))?;
        if let Some(deal) = quote.deal_id {
            self.by_deal.remove((deal.0, id))?;
        }
        self.numbers.remove(quote.number.as_str())?;
        for product in quote.lines.iter().filter_map(|l| l.product_id) {
            self.by_product.remove((product.0, id))?;
        }
        self.pending.remove(id)?;
        Ok(())
    }

    fn remove(&mut self, quote: &Quote) -> Result<()> {
        self.unindex(quote)?;
        self.quotes.remove(quote.id.0)?;
        Ok(())
    }
}

/// The next number of the counter `name`, counted in this transaction.
pub(super) fn next_in(tx: &WriteTransaction, name: &str) -> Result<u64> {
    let mut counters = tx.open_table(COUNTERS)?;
    let next = counters.get(name)?.map(|v| v.value()).unwrap_or(0) + 1;
    counters.insert(name, next)?;
    Ok(next)
}

/// Deletes the quotes of a customer deleted for good.
pub(super) fn remove_quotes_of_customer(tx: &WriteTransaction, customer: Id) -> Result<()> {
    let ids: Vec<u128> = tx
        .open_table(QUOTES_BY_CUSTOMER)?
        .range((customer.0, 0)..=(customer.0, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut tables = QuoteTables::open(tx)?;
    for id in ids {
        if let Some(quote) = tables.get(Id(id))? {
            tables.remove(&quote)?;
        }
    }
    Ok(())
}

/// Makes the quotes made from a deleted deal about no deal.
pub(super) fn unlink_deal(tx: &WriteTransaction, deal: Id) -> Result<()> {
    let ids: Vec<u128> = tx
        .open_table(QUOTES_BY_DEAL)?
        .range((deal.0, 0)..=(deal.0, u128::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut tables = QuoteTables::open(tx)?;
    for id in ids {
        if let Some(before) = tables.get(Id(id))? {
            let after = Quote {
                deal_id: None,
                ..before.clone()
            };
            tables.put(Some(&before), &after)?;
        }
    }
    Ok(())
}

/// Links `quotes` to `deal` again (a deal restored from the recycle bin),
/// those still about no deal and of the deal's customer.
pub(super) fn relink_deal(
    tx: &WriteTransaction,
    deal: &crate::model::Deal,
    quotes: &[u128],
) -> Result<()> {
    let mut tables = QuoteTables::open(tx)?;
    for &id in quotes {
        if let Some(before) = tables.get(Id(id))? {
            if before.deal_id.is_none() && before.customer_id == deal.customer_id {
                let after = Quote {
                    deal_id: Some(deal.id),
                    ..before.clone()
                };
                tables.put(Some(&before), &after)?;
            }
        }
    }
    Ok(())
}

impl Store {
    pub fn quote(&self, id: Id) -> Result<Option<Quote>> {
        let tx = self.read()?;
        tx.open_table(QUOTES)?
            .get(id.0)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    pub fn quote_by_number(&self, number: &str) -> Result<Option<Quote>> {
        let tx = self.read()?;
        let Some(id) = tx
            .open_table(QUOTE_NUMBERS)?
            .get(number)?
            .map(|v| v.value())
        else {
            return Ok(None);
        };
        tx.open_table(QUOTES)?
            .get(id)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// Every quote, newest first.
    pub fn quotes(&self) -> Result<Vec<Quote>> {
        let tx = self.read()?;
        tx.open_table(QUOTES)?
            .iter()?
            .rev()
            .map(|row| decode(row?.1.value()))
            .collect()
    }

    fn quotes_under(
        &self,
        index: redb::TableDefinition<(u128, u128), ()>,
        key: Id,
    ) -> Result<Vec<Quote>> {
        let tx = self.read()?;
        let quotes = tx.open_table(QUOTES)?;
        let ids: Vec<u128> = tx
            .open_table(index)?
            .range((key.0, 0)..=(key.0, u128::MAX))?
            .rev()
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .filter_map(|id| match quotes.get(id) {
                Ok(Some(v)) => Some(decode(v.value())),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            })
            .collect()
    }

    /// A customer's quotes, newest first.
    pub fn quotes_of_customer(&self, customer: Id) -> Result<Vec<Quote>> {
        self.quotes_under(QUOTES_BY_CUSTOMER, customer)
    }

    /// The quotes made from a deal, newest first.
    pub fn quotes_of_deal(&self, deal: Id) -> Result<Vec<Quote>> {
        self.quotes_under(QUOTES_BY_DEAL, deal)
    }

    /// The quotes waiting for an approval step, oldest first.
    pub fn pending_quotes(&self) -> Result<Vec<Quote>> {
        let tx = self.read()?;
        let quotes = tx.open_table(QUOTES)?;
        tx.open_table(QUOTES_PENDING)?
            .iter()?
            .filter_map(|row| {
                let id = match row {
                    Ok((id, _)) => id.value(),
                    Err(e) => return Some(Err(e.into())),
                };
                match quotes.get(id) {
                    Ok(Some(v)) => Some(decode(v.value())),
                    Ok(None) => None,
                    Err(e) => Some(Err(e.into())),
                }
            })
            .collect()
    }

    /// Saves a new quote under the next number of its creation year, in
    /// one transaction with its indexes; answers it with its number.
    pub fn insert_quote(&self, quote: &Quote) -> Result<Quote> {
        let tx = self.write()?;
        let year = quote.created_at.year();
        let sequence = next_in(&tx, &format!("quote:{year}"))?;
        let saved = Quote {
            number: crate::domain::quotes::quote_number(year, sequence),
            ..quote.clone()
        };
        QuoteTables::open(&tx)?.put(None, &saved)?;
        self.commit(tx)?;
        Ok(saved)
    }

    /// Changes a quote in one transaction; `version`, when given, must
    /// still be the stored one. The saved copy gets the next version.
    pub fn update_quote(
        &self,
        id: Id,
        version: Option<u64>,
        change: impl FnOnce(&mut Quote) -> Result<()>,
    ) -> Result<Quote> {
        let tx = self.write()?;
        let saved = {
            let mut tables = QuoteTables::open(&tx)?;
            let before = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != before.version) {
                return Err(Error::Conflict);
            }
            let mut after = before.clone();
            change(&mut after)?;
            after.id = before.id;
            after.number = before.number.clone();
            after.version = before.version + 1;
            tables.put(Some(&before), &after)?;
            after
        };
        self.commit(tx)?;
        Ok(saved)
    }

    /// Deletes a quote whose stored copy passes `allowed`.
    pub fn delete_quote(
        &self,
        id: Id,
        version: Option<u64>,
        allowed: impl FnOnce(&Quote) -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        {
            let mut tables = QuoteTables::open(&tx)?;
            let quote = tables.get(id)?.ok_or(Error::NotFound)?;
            if version.is_some_and(|v| v != quote.version) {
                return Err(Error::Conflict);
            }
            allowed(&quote)?;
            tables.remove(&quote)?;
        }
        self.commit(tx)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::customers::tests::customer;
    use super::super::products::tests::product;
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{Cents, Quantity, QuoteLine, Rate, Totals};
    use chrono::{NaiveDate, Utc};

    pub fn quote(customer: Id, product: Option<Id>) -> Quote {
        Quote {
            id: Id::generate(),
            number: String::new(),
            customer_id: customer,
            deal_id: None,
            owner: Id(1),
            title: "报价".into(),
            lines: vec![QuoteLine {
                product_id: product,
                code: None,
                description: "服务器".into(),
                unit: "台".into(),
                quantity: Quantity::units(2),
                unit_price: Cents(10_000),
                discount: Rate(0),
                net: Cents(20_000),
            }],
            tax_rate: Rate::percent(13),
            totals: Totals {
                net: Cents(20_000),
                tax: Cents(2_600),
                gross: Cents(22_600),
            },
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            status: QuoteStatus::Draft,
            approval: None,
            note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            sent_at: None,
            answered_at: None,
            version: 1,
        }
    }

    #[test]
    fn quotes_are_numbered_per_year_and_keep_their_indexes() {
        let (_dir, store) = temp_store();
        let c = customer("报价客户", None);
        store.insert_customer(&c, &[]).unwrap();
        let p = product("SRV-01");
        store.insert_product(&p).unwrap();
        let year = Utc::now().year();
        let first = store.insert_quote(&quote(c.id, Some(p.id))).unwrap();
        let second = store.insert_quote(&quote(c.id, None)).unwrap();
        assert_eq!(first.number, format!("Q{year}-00001"));
        assert_eq!(second.number, format!("Q{year}-00002"));
        assert_eq!(
            store.quote_by_number(&second.number).unwrap().map(|q| q.id),
            Some(second.id)
        );
        let ids: Vec<Id> = store
            .quotes_of_customer(c.id)
            .unwrap()
            .iter()
            .map(|q| q.id)
            .collect();
        assert_eq!(ids, [second.id, first.id]);
        assert_eq!(store.delete_product(p.id, None), Err(Error::InUse));

        let pending = store
            .update_quote(first.id, Some(1), |q| {
                q.status = QuoteStatus::PendingApproval;
                q.lines[0].product_id = None;
                Ok(())
            })
            .unwrap();
        assert_eq!(pending.version, 2);
        assert_eq!(pending.number, first.number);
        assert_eq!(store.pending_quotes().unwrap().len(), 1);
        assert_eq!(
            store.update_quote(first.id, Some(1), |_| Ok(())),
            Err(Error::Conflict)
        );
        store.delete_product(p.id, None).unwrap();
        store.delete_quote(first.id, None, |_| Ok(())).unwrap();
        assert!(store.pending_quotes().unwrap().is_empty());
        assert_eq!(store.quotes().unwrap().len(), 1);
    }
}
