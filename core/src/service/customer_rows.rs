//! Customers as lists and exports show them: each with its owner's name and
//! its last contact.

use chrono::{DateTime, Utc};

use super::Guanxi;
use crate::error::Result;
use crate::model::{Customer, Id, ListParams, User};

/// The most rows one export writes; a larger base is exported by filtering.
pub const MAX_EXPORT_ROWS: usize = 200_000;

/// A customer with what a list row shows beside it.
pub struct CustomerLine {
    pub customer: Customer,
    pub owner_name: Option<String>,
    pub last_activity: Option<DateTime<Utc>>,
}

impl Guanxi {
    /// The name of a live customer, whoever owns it: for a record that
    /// points at it and that the caller may already see.
    pub fn customer_name(&self, id: Id) -> Option<String> {
        self.store.directory().customer_name(id)
    }

    /// When a customer was last called, visited or written to.
    pub fn last_activity(&self, customer: Id) -> Result<Option<DateTime<Utc>>> {
        self.store.last_activity(customer)
    }

    /// `customers` as rows: the owner's name and the last contact of each.
    /// The callers read the customers through the visibility rules first.
    pub fn customer_lines(&self, customers: Vec<Customer>) -> Result<Vec<CustomerLine>> {
        let names = self.user_names()?;
        customers
            .into_iter()
            .map(|customer| {
                Ok(CustomerLine {
                    owner_name: customer
                        .owner
                        .and_then(|o| names.get(o))
                        .map(str::to_string),
                    last_activity: self.store.last_activity(customer.id)?,
                    customer,
                })
            })
            .collect()
    }

    /// What a CSV export of `me`'s list holds: the customers `ids` names
    /// when it names any (the bulk bar's selection), otherwise those the
    /// list's filters find, up to `MAX_EXPORT_ROWS`. An id `me` may not see
    /// fails the whole export as not found.
    pub fn export_customers(
        &self,
        me: &User,
        params: &ListParams,
        ids: &[Id],
    ) -> Result<Vec<CustomerLine>> {
        let customers = if ids.is_empty() {
            let query = params.to_query(me, self.company_zone(), MAX_EXPORT_ROWS)?;
            self.list_customers(me, &query)?.1
        } else {
            ids.iter()
                .map(|&id| self.customer(me, id))
                .collect::<Result<Vec<_>>>()?
        };
        self.customer_lines(customers)
    }
}
