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
        // The in-memory index narrows the contracts to decode to the
        // signed ones (and, for owners, those they share): a rep's
        // workbench reads their few contracts, not all 60,000 (0.2 s).
        let ids: Vec<Id> = self.store.with_contract_index(|index| {
            let shares: Vec<bool> = index
                .owner_sets()
                .iter()
                .map(|set| match scope {
                    SalesScope::Owners(owners) => set.iter().any(|o| owners.contains(o)),
                    _ => true,
                })
                .collect();
            index
                .newest_first()
                .filter(|(_, s)| s.status.is_signed() && shares[s.owners as usize])
                .map(|(id, _)| id)
                .collect()
        })?;
        let contracts = self.store.contracts_with_ids(&ids)?;
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

#[cfg(test)]
mod tests {
    use super::super::contracts::tests::{accepted_quote, cash, customer_of};
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{ContractAction, Role};

    #[test]
    fn a_signed_contract_counts_for_its_owner_product_and_the_company_on_its_days() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let customer = customer_of(&gx, &rep, "北京星辰");
        let quote = accepted_quote(&gx, &admin, &rep, customer);
        let contract = gx.contract_from_quote(&rep, quote).unwrap();
        let product = contract.terms.lines[0].product_id.unwrap();
        let today = gx.company_today();
        let span = DateSpan {
            from: today,
            to: today,
        };
        let sum = |measure, scope: SalesScope| -> i64 {
            gx.sales_actuals(measure, &scope, span)
                .unwrap()
                .iter()
                .map(|(_, c)| c.0)
                .sum()
        };
        assert_eq!(sum(TargetMeasure::Revenue, SalesScope::All), 0, "a draft");
        gx.contract_action(
            &rep,
            contract.id,
            Some(contract.version),
            ContractAction::Sign,
        )
        .unwrap();
        gx.record_payment(&rep, contract.id, cash("25,000", today))
            .unwrap();

        let revenue = |scope| sum(TargetMeasure::Revenue, scope);
        let payments = |scope| sum(TargetMeasure::Payments, scope);
        assert_eq!(revenue(SalesScope::All), 10_000_000);
        assert_eq!(
            revenue(SalesScope::Owners(HashSet::from([rep.id]))),
            10_000_000
        );
        assert_eq!(revenue(SalesScope::Owners(HashSet::from([other.id]))), 0);
        // The contract is all of one product's lines.
        assert_eq!(revenue(SalesScope::Product(product)), 10_000_000);
        assert_eq!(revenue(SalesScope::Product(Id::generate())), 0);
        // Its customer is in no region.
        assert_eq!(revenue(SalesScope::Region("浦东".into())), 0);
        assert_eq!(
            payments(SalesScope::Owners(HashSet::from([rep.id]))),
            2_500_000
        );
        let yesterday = DateSpan {
            from: today - chrono::Duration::days(1),
            to: today - chrono::Duration::days(1),
        };
        assert!(
            gx.sales_actuals(TargetMeasure::Revenue, &SalesScope::All, yesterday)
                .unwrap()
                .is_empty()
        );
    }
}
