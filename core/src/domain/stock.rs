//! Rules of stock: reading what the stock forms send, the refusals
//! (shortage, over-delivery), and the margin of what was delivered. The
//! costing itself is `money::cost_moves`, worked out again from all of a
//! product's moves whenever a figure is asked for, so a backdated stock-in
//! or delivery reprices everything after it without a stored figure to
//! forget.

use chrono::NaiveDate;

use super::money::{self, Costing, DatedMove, Move, Shortage};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, CostMethod, LineMargin, Quantity, QuoteLine, StockMove};

/// A day a move happened: today or before (the company's today).
pub fn move_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    if date > today {
        return Err(Error::invalid(Field::At, Problem::InFuture));
    }
    Ok(date)
}

/// An adjustment's quantity: `+3`, `-2.5`, `3` (up); never zero.
pub fn parse_signed_quantity(field: Field, text: &str) -> Result<Quantity> {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let q = money::parse_quantity(field, rest)?;
    Ok(Quantity(sign * q.0))
}

/// The moves as costing sees them, in the order given.
fn dated(moves: &[StockMove]) -> Vec<DatedMove> {
    moves
        .iter()
        .map(|m| DatedMove {
            date: m.date,
            movement: if m.quantity.0 >= 0 {
                Move::In {
                    quantity: m.quantity,
                    unit_cost: m.unit_cost.unwrap_or_default(),
                }
            } else {
                Move::Out {
                    quantity: Quantity(-m.quantity.0),
                }
            },
        })
        .collect()
}

/// The cost of each move of one product that left, in the order given.
pub fn cost(moves: &[StockMove], method: CostMethod) -> std::result::Result<Costing, Shortage> {
    money::cost_moves(&dated(moves), method)
}

/// Refuses a product's moves (the new one among them) that would take its
/// stock below zero on any day: the error names the product, the day and
/// what was on hand then.
pub fn check_never_short(moves: &[StockMove], product: &str) -> Result<()> {
    match cost(moves, CostMethod::WeightedAverage) {
        Ok(_) => Ok(()),
        Err(short) => Err(Error::StockShortage {
            product: product.to_string(),
            on_hand: short.on_hand,
            date: short.date,
        }),
    }
}

/// Refuses delivering `wanted` of a line of `ordered` of which
/// `delivered` already left.
pub fn check_undelivered(ordered: Quantity, delivered: Quantity, wanted: Quantity) -> Result<()> {
    let undelivered = Quantity((ordered.0 - delivered.0).max(0));
    if wanted > undelivered {
        return Err(Error::OverDelivery { undelivered });
    }
    Ok(())
}

/// A line's identity across versions of the terms: its product, else its
/// text (as the version diff matches lines).
fn same_line(a: &QuoteLine, b: &QuoteLine) -> bool {
    match (a.product_id, b.product_id) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.description == b.description,
        _ => false,
    }
}

/// Where the delivered lines of `old` are in `new`: deliveries name a line
/// by its position, and an edit of the terms may add, remove or reorder
/// lines. Each delivered line must still be there (the same product, or
/// the same text), lines alike matched in order, ordering at least what
/// was delivered; else `LineDelivered` names it. `delivered` is the total
/// per old position; the answer maps each delivered old position to its
/// new one.
pub fn relink_delivered_lines(
    old: &[QuoteLine],
    new: &[QuoteLine],
    delivered: &std::collections::BTreeMap<u32, Quantity>,
) -> Result<std::collections::BTreeMap<u32, u32>> {
    let mut taken = vec![false; new.len()];
    let mut moved = std::collections::BTreeMap::new();
    for (at, line) in old.iter().enumerate() {
        // Every old line claims its match, delivered or not, so two lines
        // of one product keep their order.
        let found = (0..new.len()).find(|&i| !taken[i] && same_line(line, &new[i]));
        if let Some(i) = found {
            taken[i] = true;
        }
        let Some(&quantity) = delivered.get(&(at as u32)) else {
            continue;
        };
        let refused = || Error::LineDelivered {
            line: line.description.clone(),
            delivered: quantity,
        };
        let i = found.ok_or_else(refused)?;
        if new[i].quantity < quantity {
            return Err(refused());
        }
        moved.insert(at as u32, i as u32);
    }
    Ok(moved)
}

/// The share of a line's net earned by what was delivered of it, rounded
/// once: net × delivered ÷ ordered.
pub fn delivered_revenue(line: &QuoteLine, delivered: Quantity) -> Cents {
    if line.quantity.0 <= 0 {
        return Cents(0);
    }
    Cents(money::round_div(
        i128::from(line.net.0) * i128::from(delivered.0),
        i128::from(line.quantity.0),
    ))
}

/// Each line's delivered quantity, revenue, cost and margin, from the
/// contract's deliveries with their costs (`(line, quantity out, cost)`).
pub fn line_margins(lines: &[QuoteLine], deliveries: &[(u32, Quantity, Cents)]) -> Vec<LineMargin> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mine = deliveries.iter().filter(|(l, _, _)| *l as usize == i);
            let delivered = Quantity(mine.clone().map(|(_, q, _)| q.0).sum());
            let cost = Cents(mine.map(|(_, _, c)| c.0).sum());
            let revenue = delivered_revenue(line, delivered);
            LineMargin {
                line: i as u32,
                product_id: line.product_id,
                description: line.description.clone(),
                unit: line.unit.clone(),
                ordered: line.quantity,
                delivered,
                revenue,
                cost,
                margin: Cents(revenue.0 - cost.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Rate, StockMoveKind};
    use chrono::Utc;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn mv(d: u32, units: i64, cost: Option<i64>) -> StockMove {
        StockMove {
            id: Id::generate(),
            product_id: Id(1),
            kind: if units > 0 {
                StockMoveKind::Purchase
            } else {
                StockMoveKind::Delivery
            },
            date: day(d),
            quantity: Quantity::units(units),
            unit_cost: cost.map(|y| Cents(y * 100)),
            supplier: None,
            reason: None,
            contract_id: None,
            customer_id: None,
            line: None,
            recorded_by: Id(2),
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn adjustments_read_their_sign_and_refuse_zero() {
        let q = |t: &str| parse_signed_quantity(Field::Quantity, t);
        assert_eq!(q("+3"), Ok(Quantity::units(3)));
        assert_eq!(q(" -2.5 "), Ok(Quantity(-2_500)));
        assert_eq!(q("4"), Ok(Quantity::units(4)));
        assert_eq!(
            q("-0"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(
            q("--1"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(
            move_date(day(10), day(9)),
            Err(Error::invalid(Field::At, Problem::InFuture))
        );
    }

    #[test]
    fn a_backdated_delivery_that_leaves_a_later_one_short_is_refused_naming_the_day() {
        // 10 in on the 1st, 8 out on the 5th; 4 more backdated to the 3rd
        // fit on the 3rd but leave 6 for the 8 of the 5th.
        let moves = [mv(1, 10, Some(100)), mv(5, -8, None), mv(3, -4, None)];
        assert_eq!(
            check_never_short(&moves, "SRV-01 服务器"),
            Err(Error::StockShortage {
                product: "SRV-01 服务器".into(),
                on_hand: Quantity::units(6),
                date: day(5),
            })
        );
        assert_eq!(check_never_short(&moves[..2], "x"), Ok(()));
    }

    #[test]
    fn a_line_delivers_no_more_than_it_still_has() {
        let ten = Quantity::units(10);
        assert_eq!(
            check_undelivered(ten, Quantity::units(7), Quantity::units(4)),
            Err(Error::OverDelivery {
                undelivered: Quantity::units(3)
            })
        );
        assert_eq!(
            check_undelivered(ten, Quantity::units(7), Quantity::units(3)),
            Ok(())
        );
    }

    #[test]
    fn delivered_lines_are_found_again_in_new_terms_in_order() {
        let line = |product: Option<u128>, text: &str, units: i64| QuoteLine {
            product_id: product.map(Id),
            code: None,
            description: text.into(),
            unit: "台".into(),
            quantity: Quantity::units(units),
            unit_price: Cents(100),
            discount: Rate(0),
            net: Cents(100 * units),
        };
        // Two lines of one product and a text line; the second of the
        // product's lines and the text line had deliveries.
        let old = [
            line(Some(1), "服务器", 2),
            line(Some(1), "服务器", 5),
            line(None, "安装", 1),
        ];
        let delivered =
            std::collections::BTreeMap::from([(1, Quantity::units(4)), (2, Quantity::units(1))]);
        let new = [
            line(None, "安装", 1),
            line(Some(2), "交换机", 1),
            line(Some(1), "服务器", 2),
            line(Some(1), "服务器", 6),
        ];
        let moved = relink_delivered_lines(&old, &new, &delivered).unwrap();
        assert_eq!(moved, std::collections::BTreeMap::from([(1, 3), (2, 0)]));
        // The second 服务器 line ordered below its 4 delivered: refused.
        let fewer = [
            line(Some(1), "服务器", 2),
            line(Some(1), "服务器", 3),
            line(None, "安装", 1),
        ];
        assert_eq!(
            relink_delivered_lines(&old, &fewer, &delivered),
            Err(Error::LineDelivered {
                line: "服务器".into(),
                delivered: Quantity::units(4)
            })
        );
        // The text line gone: refused, named.
        let without = [line(Some(1), "服务器", 2), line(Some(1), "服务器", 5)];
        assert_eq!(
            relink_delivered_lines(&old, &without, &delivered),
            Err(Error::LineDelivered {
                line: "安装".into(),
                delivered: Quantity::units(1)
            })
        );
    }

    #[test]
    fn a_partly_delivered_line_earns_its_share_of_the_net() {
        let line = QuoteLine {
            product_id: Some(Id(1)),
            code: None,
            description: "服务器".into(),
            unit: "台".into(),
            quantity: Quantity::units(3),
            unit_price: Cents(10_000),
            discount: Rate(0),
            net: Cents(10_000),
        };
        // ¥100.00 × 1 ÷ 3 = ¥33.333… → ¥33.33, rounded once.
        let margins = line_margins(
            std::slice::from_ref(&line),
            &[(0, Quantity::units(1), Cents(2_000))],
        );
        assert_eq!(margins[0].revenue, Cents(3_333));
        assert_eq!(margins[0].margin, Cents(1_333));
        assert_eq!(margins[0].delivered, Quantity::units(1));
    }
}
