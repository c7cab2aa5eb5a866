//! Contracts: the lifecycle, what changed between two versions of the
//! terms, payment plans (they add up to the amount, and a new one may not
//! start in the past unless confirmed) and how far a contract got.

use chrono::NaiveDate;

use crate::domain::money;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Cents, ContractAction, ContractStatus, ContractTerms, Id, Installment, InstallmentInput,
    OwnerShare, QuoteLine, TermsChange,
};

/// The most installments a plan has.
pub const MAX_INSTALLMENTS: usize = 120;

/// The status `action` leads to from `status`; `needs_approval` sends a
/// signature through approval first.
pub fn next_status(
    status: ContractStatus,
    action: ContractAction,
    needs_approval: bool,
) -> Result<ContractStatus> {
    use ContractAction as A;
    use ContractStatus as S;
    Ok(match (status, action) {
        (S::Draft, A::Sign) if needs_approval => S::PendingApproval,
        (S::Draft, A::Sign) => S::Executing,
        (S::Executing, A::Complete) => S::Completed,
        (S::Completed, A::Close) => S::Closed,
        (S::Draft | S::Executing, A::Cancel) => S::Cancelled,
        _ => {
            return Err(Error::WrongStatus {
                status: status.code().into(),
            });
        }
    })
}

/// A line's identity across versions: its product, else its text.
fn line_key(line: &QuoteLine) -> String {
    match line.product_id {
        Some(id) => format!("p:{id}"),
        None => format!("t:{}", line.description),
    }
}

/// Owners as a reader sees them: `王总 70%, 李娜 30%`.
fn shares_text(owners: &[OwnerShare], name_of: &impl Fn(Id) -> String) -> String {
    owners
        .iter()
        .map(|s| format!("{} {}%", name_of(s.user), s.percent))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What changed from `old` to `new`, fields first, then the lines in the
/// new version's order (removed lines last); `name_of` names the owners.
pub fn diff(
    old: &ContractTerms,
    new: &ContractTerms,
    name_of: impl Fn(Id) -> String,
) -> Vec<TermsChange> {
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(TermsChange::Title {
            old: old.title.clone(),
            new: new.title.clone(),
        });
    }
    if old.sign_date != new.sign_date {
        changes.push(TermsChange::SignDate {
            old: old.sign_date,
            new: new.sign_date,
        });
    }
    if old.tax_rate != new.tax_rate {
        changes.push(TermsChange::TaxRate {
            old: old.tax_rate.0,
            new: new.tax_rate.0,
        });
    }
    if old.owners != new.owners {
        changes.push(TermsChange::Owners {
            old: shares_text(&old.owners, &name_of),
            new: shares_text(&new.owners, &name_of),
        });
    }
    if old.amount() != new.amount() {
        changes.push(TermsChange::Amount {
            old: old.amount(),
            new: new.amount(),
        });
    }
    let mut unmatched: Vec<&QuoteLine> = old.lines.iter().collect();
    for line in &new.lines {
        let key = line_key(line);
        match unmatched.iter().position(|o| line_key(o) == key) {
            Some(i) => {
                let before = unmatched.remove(i);
                if before.quantity != line.quantity
                    || before.unit_price != line.unit_price
                    || before.discount != line.discount
                {
                    changes.push(TermsChange::LineChanged {
                        description: line.description.clone(),
                        old_quantity: before.quantity.to_string(),
                        new_quantity: line.quantity.to_string(),
                        old_net: before.net,
                        new_net: line.net,
                    });
                }
            }
            None => changes.push(TermsChange::LineAdded {
                description: line.description.clone(),
                quantity: line.quantity.to_string(),
                net: line.net,
            }),
        }
    }
    for line in unmatched {
        changes.push(TermsChange::LineRemoved {
            description: line.description.clone(),
            quantity: line.quantity.to_string(),
            net: line.net,
        });
    }
    changes
}

/// A new plan for `amount`, checked: every installment dated and positive,
/// the amounts adding up (else `PlanMismatch` naming the difference), and
/// none due before `today` unless `confirm_past`. Paid amounts of the old
/// plan carry over to the new one oldest first; a plan that would leave
/// less due than was already paid is refused.
pub fn plan(
    inputs: &[InstallmentInput],
    amount: Cents,
    paid: Cents,
    today: NaiveDate,
    confirm_past: bool,
) -> Result<Vec<Installment>> {
    if inputs.is_empty() {
        return Err(Error::invalid(Field::Installment, Problem::Required));
    }
    if inputs.len() > MAX_INSTALLMENTS {
        return Err(Error::invalid(
            Field::Installment,
            Problem::TooLong {
                max: MAX_INSTALLMENTS as u32,
            },
        ));
    }
    let mut plan = Vec::with_capacity(inputs.len());
    for input in inputs {
        let due = input
            .due
            .ok_or(Error::invalid(Field::Due, Problem::Required))?;
        if due < today && !confirm_past {
            return Err(Error::invalid(Field::Due, Problem::InPast));
        }
        let value = money::parse_amount(Field::Amount, &input.amount)?;
        if value.0 == 0 {
            return Err(Error::invalid(Field::Amount, Problem::Malformed));
        }
        plan.push(Installment {
            due,
            amount: value,
            paid: Cents(0),
        });
    }
    plan.sort_by_key(|i| i.due);
    money::check_plan(&plan.iter().map(|i| i.amount).collect::<Vec<_>>(), amount)?;
    let mut left = paid.0;
    for installment in &mut plan {
        let take = installment.amount.0.min(left);
        installment.paid = Cents(take);
        left -= take;
    }
    if left > 0 {
        return Err(Error::PaymentTooLarge {
            outstanding: Cents(amount.0),
        });
    }
    Ok(plan)
}

/// How far a contract got, in whole percent: the average of what share of
/// its goods left (by quantity) and what share of its amount came in.
/// A contract without goods to deliver counts payment alone.
pub fn completion_percent(ordered: i64, delivered: i64, amount: Cents, paid: Cents) -> u8 {
    let share = |done: i64, of: i64| -> Option<f64> {
        (of > 0).then(|| (done.clamp(0, of) as f64) / (of as f64))
    };
    let parts: Vec<f64> = [share(delivered, ordered), share(paid.0, amount.0)]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        return 0;
    }
    let mean = parts.iter().sum::<f64>() / parts.len() as f64;
    (mean * 100.0).floor() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, OwnerShare, Quantity, Rate, Totals};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn line(product: Option<u128>, description: &str, quantity: i64, price: i64) -> QuoteLine {
        let (quantity, unit_price) = (Quantity::units(quantity), Cents(price * 100));
        QuoteLine {
            product_id: product.map(Id),
            code: None,
            description: description.into(),
            unit: "台".into(),
            quantity,
            unit_price,
            discount: Rate(0),
            net: money::line_net(quantity, unit_price, Rate(0)),
        }
    }

    fn terms(lines: Vec<QuoteLine>) -> ContractTerms {
        let totals = money::totals(lines.iter().map(|l| l.net), Rate::percent(13));
        ContractTerms {
            title: "服务器".into(),
            lines,
            tax_rate: Rate::percent(13),
            totals,
            sign_date: day(3, 1),
            owners: vec![OwnerShare {
                user: Id(1),
                percent: 100,
            }],
            note: None,
        }
    }

    #[test]
    fn the_lifecycle_runs_through_approval_when_the_amount_needs_it() {
        use ContractAction::*;
        use ContractStatus::*;
        assert_eq!(next_status(Draft, Sign, false), Ok(Executing));
        assert_eq!(next_status(Draft, Sign, true), Ok(PendingApproval));
        assert_eq!(next_status(Executing, Complete, false), Ok(Completed));
        assert_eq!(next_status(Completed, Close, false), Ok(Closed));
        assert_eq!(next_status(Executing, Cancel, false), Ok(Cancelled));
        assert!(next_status(PendingApproval, Sign, false).is_err());
        assert!(next_status(Closed, Cancel, false).is_err());
    }

    #[test]
    fn the_diff_names_changed_added_and_removed_lines() {
        let old = terms(vec![
            line(Some(7), "服务器", 3, 10_000),
            line(None, "安装调试", 1, 1_500),
        ]);
        let mut new = terms(vec![
            line(Some(7), "服务器", 4, 10_000),
            line(None, "培训", 1, 2_000),
        ]);
        new.title = "服务器（追加）".into();
        new.owners = vec![
            OwnerShare {
                user: Id(1),
                percent: 70,
            },
            OwnerShare {
                user: Id(2),
                percent: 30,
            },
        ];
        let name_of = |id: Id| ["", "王总", "李娜"][id.0 as usize].to_string();
        let changes = diff(&old, &new, name_of);
        assert_eq!(
            changes,
            vec![
                TermsChange::Title {
                    old: "服务器".into(),
                    new: "服务器（追加）".into()
                },
                TermsChange::Owners {
                    old: "王总 100%".into(),
                    new: "王总 70%, 李娜 30%".into()
                },
                // 31,500 × 1.13 = 35,595 → 42,000 × 1.13 = 47,460.
                TermsChange::Amount {
                    old: Cents(3_559_500),
                    new: Cents(4_746_000)
                },
                TermsChange::LineChanged {
                    description: "服务器".into(),
                    old_quantity: "3".into(),
                    new_quantity: "4".into(),
                    old_net: Cents(3_000_000),
                    new_net: Cents(4_000_000),
                },
                TermsChange::LineAdded {
                    description: "培训".into(),
                    quantity: "1".into(),
                    net: Cents(200_000)
                },
                TermsChange::LineRemoved {
                    description: "安装调试".into(),
                    quantity: "1".into(),
                    net: Cents(150_000)
                },
            ]
        );
        assert!(diff(&old, &old, name_of).is_empty());
        let _ = Totals::default();
    }

    fn input(m: u32, d: u32, amount: &str) -> InstallmentInput {
        InstallmentInput {
            due: Some(day(m, d)),
            amount: amount.into(),
        }
    }

    #[test]
    fn a_plan_adds_up_and_starts_today_or_later_unless_confirmed() {
        let today = day(3, 10);
        let plan = plan(
            &[input(6, 30, "40,000"), input(3, 31, "60,000")],
            Cents(10_000_000),
            Cents(0),
            today,
            false,
        )
        .unwrap();
        assert_eq!(plan[0].due, day(3, 31), "in date order");
        assert_eq!(
            super::plan(
                &[input(3, 31, "60,000"), input(6, 30, "30,000")],
                Cents(10_000_000),
                Cents(0),
                today,
                false
            ),
            Err(Error::PlanMismatch {
                difference: Cents(-1_000_000)
            })
        );
        let past = [input(3, 1, "60,000"), input(6, 30, "40,000")];
        assert_eq!(
            super::plan(&past, Cents(10_000_000), Cents(0), today, false),
            Err(Error::invalid(Field::Due, Problem::InPast))
        );
        assert!(super::plan(&past, Cents(10_000_000), Cents(0), today, true).is_ok());
    }

    #[test]
    fn a_new_plan_keeps_what_was_paid_oldest_first() {
        let plan = plan(
            &[input(4, 30, "50,000"), input(5, 31, "50,000")],
            Cents(10_000_000),
            Cents(6_000_000),
            day(3, 1),
            false,
        )
        .unwrap();
        assert_eq!(
            plan.iter().map(|i| i.paid).collect::<Vec<_>>(),
            [Cents(5_000_000), Cents(1_000_000)]
        );
    }

    #[test]
    fn completion_averages_delivered_and_paid() {
        assert_eq!(completion_percent(10, 5, Cents(1000), Cents(1000)), 75);
        assert_eq!(completion_percent(0, 0, Cents(1000), Cents(250)), 25);
        assert_eq!(completion_percent(10, 10, Cents(1000), Cents(1000)), 100);
        assert_eq!(completion_percent(0, 0, Cents(0), Cents(0)), 0);
    }
}
