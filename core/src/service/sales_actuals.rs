//! What was actually sold or collected, by day: the actuals targets are
//! measured against (and that any report of signed revenue or payments
//! received for some owners, a region or a product may share).
//!
//! A contract's amount counts on its sign date, once it is signed
//! (executing, completed or closed); a payment on the day it was
//! received. A contract with several owners credits each their share
//! (SPEC §3), so a team's figure is the sum of its members' shares; a
//! product gets the part of the contract its lines make of the net.
//! Each figure is rounded once, per contract or payment (`money`).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::Guanxi;
use crate::domain::money::round_div;
use crate::error::Result;
use crate::model::{Cents, Contract, DateSpan, Id, TargetMeasure};

/// Whose sales are counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SalesScope {
    /// The whole company.
    All,
    /// The shares of these owners.
    Owners(HashSet<Id>),
    /// Contracts of customers in this region (as the customer says now).
    Region(String),
    /// The lines of this product.
    Product(Id),
}

/// The part of `amount` that `scope` gets of `contract`, as a fraction
/// (numerator, denominator); `None` when it gets nothing.
fn share(
    contract: &Contract,
    scope: &SalesScope,
    regions: &HashMap<Id, bool>,
) -> Option<(i128, i128)> {
    match scope {
        SalesScope::All => Some((1, 1)),
        SalesScope::Owners(owners) => {
            let percent: i128 = contract
                .terms
                .owners
                .iter()
                .filter(|o| owners.contains(&o.user))
                .map(|o| i128::from(o.percent))
                .sum();
            (percent > 0).then_some((percent, 100))
        }
        SalesScope::Region(_) => regions
            .get(&contract.customer_id)
            .copied()
            .unwrap_or(false)
            .then_some((1, 1)),
        SalesScope::Product(product) => {
            let of_product: i128 = contract
                .terms
                .lines
                .iter()
                .filter(|l| l.product_id == Some(*product))
                .map(|l| i128::from(l.net.0))
                .sum();
            let net = i128::from(contract.terms.totals.net.0);
            (of_product > 0 && net > 0).then_some((of_product, net))
        }
    }
}

impl Guanxi {
    /// The `measure` of `scope` on each day of `span` that has any, in no
    /// particular order (a day may come more than once).
    pub fn sales_actuals(
        &self,
        measure: TargetMeasure,
        scope: &SalesScope,
        span: DateSpan,
    ) -> Result<Vec<(NaiveDate, Cents)>> {
        let contracts: Vec<Contract> = self
            .store
            .contracts()?
            .into_iter()
            .filter(|c| c.status.is_signed())
            .collect();
        let mut regions: HashMap<Id, bool> = HashMap::new();
        if let SalesScope::Region(region) = scope {
            for c in &contracts {
                if let std::collections::hash_map::Entry::Vacant(e) = regions.entry(c.customer_id) {
                    let customer = self.store.customer(c.customer_id)?;
                    e.insert(customer.is_some_and(|k| k.region.as_deref() == Some(region)));
                }
            }
        }
        let mut out = Vec::new();
        let within = |d: NaiveDate| d >= span.from && d <= span.to;
        for c in &contracts {
            let Some((num, den)) = share(c, scope, &regions) else {
                continue;
            };
            match measure {
                TargetMeasure::Revenue => {
                    if within(c.terms.sign_date) {
                        let amount = round_div(i128::from(c.terms.amount().0) * num, den);
                        out.push((c.terms.sign_date, Cents(amount)));
                    }
                }
                TargetMeasure::Payments => {
                    if c.paid().0 == 0 {
                        continue;
                    }
                    for p in self.store.payments_of(c.id)? {
                        if within(p.received_on) {
                            let amount = round_div(i128::from(p.amount.0) * num, den);
                            out.push((p.received_on, Cents(amount)));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
