//! What was actually sold or collected, by day: the actuals targets are
//! measured against, read from the money ledger in memory (the revenue
//! reports' own), so a company target's progress costs the contracts and
//! payments of its days, not a decode of every contract.
//!
//! A contract's amount counts on its sign date, once it is signed
//! (executing, completed or closed); a payment on the day it was
//! received. A contract with several owners credits each their share,
//! split to the cent as the revenue reports split it
//! (`domain::revenue::credit`), so a team's figure is the sum of its
//! members' shares; a product gets the part of the contract its lines make
//! of the net, rounded once per contract or payment (`money`).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::Guanxi;
use crate::domain::money::round_div;
use crate::domain::revenue::credit;
use crate::error::Result;
use crate::model::{Cents, DateSpan, Id, TargetMeasure};
use crate::store::{ContractFacts, MoneyLedger};

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

/// The part of `amount` (the contract's, or a payment of it) that `scope`
/// gets of `contract`; `None` when it gets nothing.
fn share(
    ledger: &MoneyLedger,
    contract: &ContractFacts,
    scope: &SalesScope,
    region_of: &dyn Fn(Id) -> Option<String>,
    amount: Cents,
) -> Option<Cents> {
    match scope {
        SalesScope::All => Some(amount),
        SalesScope::Owners(owners) => {
            let shares = &ledger.splits()[contract.split as usize];
            let mut counted = false;
            let mut sum = 0;
            for (s, part) in shares.iter().zip(credit(amount, shares)) {
                if owners.contains(&s.user) {
                    counted = true;
                    sum += part.0;
                }
            }
            counted.then_some(Cents(sum))
        }
        SalesScope::Region(region) => {
            (region_of(contract.customer).as_deref() == Some(region.as_str())).then_some(amount)
        }
        SalesScope::Product(product) => {
            let of_product: i128 = contract
                .lines
                .iter()
                .filter(|l| l.product == Some(*product))
                .map(|l| i128::from(l.net.0))
                .sum();
            let net: i128 = contract.lines.iter().map(|l| i128::from(l.net.0)).sum();
            (of_product > 0 && net > 0)
                .then(|| Cents(round_div(i128::from(amount.0) * of_product, net)))
        }
    }
}

impl Guanxi {
    /// The `measure` of `scope` on each day of `span` that has any, in date
    /// order (a day may come more than once). O(contracts signed, or
    /// payments received, on those days).
    pub fn sales_actuals(
        &self,
        measure: TargetMeasure,
        scope: &SalesScope,
        span: DateSpan,
    ) -> Result<Vec<(NaiveDate, Cents)>> {
        self.store.with_contract_index(|index| {
            let ledger = index.ledger();
            // Lock order: the contract index, then the directory.
            let directory = self.store.directory();
            let region_of = |customer: Id| {
                directory
                    .region_and_type(customer)
                    .map(|(region, _)| region.to_string())
            };
            let mut out = Vec::new();
            match measure {
                TargetMeasure::Revenue => {
                    for (day, _, c) in ledger.signed_between(span.from, span.to) {
                        if let Some(amount) = share(ledger, c, scope, &region_of, c.amount) {
                            out.push((day, amount));
                        }
                    }
                }
                TargetMeasure::Payments => {
                    for (day, p) in ledger.payments_between(span.from, span.to) {
                        if let Some(c) = ledger.contract(p.contract)
                            && let Some(amount) = share(ledger, c, scope, &region_of, p.amount)
                        {
                            out.push((day, amount));
                        }
                    }
                }
            }
            out
        })
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
