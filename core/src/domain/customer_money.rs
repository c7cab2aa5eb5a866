//! A customer's money at a glance (SPEC §4, §7): what they signed, paid,
//! still owe and owe late, and how long since they last bought.

use chrono::NaiveDate;

use crate::model::{Cents, Contract, CustomerMoney};

/// Adds up `contracts` (any of the customer's; drafts, pending and
/// cancelled ones do not count) as they stand on `today`.
pub fn customer_money<'a>(
    contracts: impl IntoIterator<Item = &'a Contract>,
    today: NaiveDate,
) -> CustomerMoney {
    let mut money = CustomerMoney::default();
    for contract in contracts {
        if !contract.status.is_signed() {
            continue;
        }
        money.revenue.0 += contract.terms.amount().0;
        money.received.0 += contract.paid().0;
        for installment in &contract.plan {
            let open = installment.amount.0 - installment.paid.0;
            if open > 0 && installment.due < today {
                money.overdue.0 += open;
            }
        }
        let signed = contract.terms.sign_date;
        if money.last_purchase.is_none_or(|last| signed > last) {
            money.last_purchase = Some(signed);
        }
    }
    // A plan covers the whole amount, so what is not received is owed; a
    // contract without a plan yet is owed all the same.
    money.receivable = Cents((money.revenue.0 - money.received.0).max(0));
    money.days_since_last_purchase = money
        .last_purchase
        .map(|last| (today - last).num_days().max(0));
    money
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContractStatus, ContractTerms, Id, Installment, Rate, Totals};
    use chrono::Utc;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn contract(
        status: ContractStatus,
        signed: NaiveDate,
        plan: &[(NaiveDate, i64, i64)],
    ) -> Contract {
        let gross: i64 = plan.iter().map(|(_, amount, _)| amount).sum();
        Contract {
            id: Id::generate(),
            number: "C2026-00001".into(),
            customer_id: Id(7),
            deal_id: None,
            quote_id: None,
            terms: ContractTerms {
                title: "t".into(),
                lines: Vec::new(),
                tax_rate: Rate::default(),
                totals: Totals {
                    gross: Cents(gross),
                    ..Totals::default()
                },
                sign_date: signed,
                owners: Vec::new(),
                note: None,
            },
            status,
            approval: None,
            terms_version: 1,
            plan: plan
                .iter()
                .map(|&(due, amount, paid)| Installment {
                    due,
                    amount: Cents(amount),
                    paid: Cents(paid),
                })
                .collect(),
            created_by: Id(1),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn signed_contracts_add_up_and_late_installments_are_overdue() {
        let contracts = [
            // ¥1,000 in two halves: the first paid, the second due 1 Apr.
            contract(
                ContractStatus::Executing,
                day(3, 1),
                &[(day(3, 15), 50_000, 50_000), (day(4, 1), 50_000, 0)],
            ),
            // ¥300 completed and paid in full, signed later.
            contract(
                ContractStatus::Completed,
                day(5, 10),
                &[(day(5, 20), 30_000, 30_000)],
            ),
            // Neither a draft nor a cancelled contract is a purchase.
            contract(ContractStatus::Draft, day(6, 1), &[(day(6, 2), 99_900, 0)]),
            contract(
                ContractStatus::Cancelled,
                day(6, 1),
                &[(day(6, 2), 99_900, 0)],
            ),
        ];
        let money = customer_money(&contracts, day(6, 9));
        assert_eq!(money.revenue, Cents(130_000));
        assert_eq!(money.received, Cents(80_000));
        assert_eq!(money.receivable, Cents(50_000));
        assert_eq!(money.overdue, Cents(50_000));
        assert_eq!(money.last_purchase, Some(day(5, 10)));
        assert_eq!(money.days_since_last_purchase, Some(30));
    }

    #[test]
    fn an_installment_due_today_is_not_yet_overdue() {
        let contracts = [contract(
            ContractStatus::Executing,
            day(3, 1),
            &[(day(4, 1), 10_000, 2_500)],
        )];
        let money = customer_money(&contracts, day(4, 1));
        assert_eq!(money.receivable, Cents(7_500));
        assert_eq!(money.overdue, Cents(0));
        assert_eq!(money.days_since_last_purchase, Some(31));
    }

    #[test]
    fn a_customer_without_signed_contracts_has_no_purchase() {
        let money = customer_money(&[], day(4, 1));
        assert_eq!(money, CustomerMoney::default());
    }
}
