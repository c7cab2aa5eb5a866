//! Money rules of quotes, contracts, payments and stock: line totals with
//! discount and tax, the payment plan, allocating payments to installments,
//! aging of receivables, and the cost of goods by weighted average or FIFO.
//!
//! **The rounding rule, once for everything:** a figure is worked out
//! exactly (integers, in `i128`) from its inputs and rounded once, at the
//! end of its computation, half away from zero to the cent (`round_div`).
//! Never round an intermediate figure: a unit cost of ¥3,100.00 / 30 rounded
//! first to ¥103.33 gives 15 × ¥103.33 = ¥1,549.95, where the rule gives
//! 15 × ¥3,100.00 / 30 = ¥1,550.00.

use chrono::NaiveDate;

use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, Quantity, Rate, Totals};

/// A hundred billion yuan: more than any deal, small enough that sums of a
/// whole board never overflow.
pub const MAX_AMOUNT: Cents = Cents(10_000_000_000_000);

/// Reads an amount as people type it: `12345`, `12,345.6`, `¥12345.67`.
/// At most two decimals, never negative.
pub fn parse_amount(field: Field, text: &str) -> Result<Cents> {
    let cleaned = text.trim().trim_start_matches(['¥', '￥']);
    Ok(Cents(parse_decimal(field, cleaned, 2).and_then(
        |cents| {
            if cents > MAX_AMOUNT.0 {
                Err(Error::invalid(field, Problem::Malformed))
            } else {
                Ok(cents)
            }
        },
    )?))
}

/// The largest quantity a line or stock move may have: a billion units.
pub const MAX_QUANTITY: Quantity = Quantity(1_000_000_000_000);

/// `numerator / denominator` rounded half away from zero; `denominator > 0`.
pub fn round_div(numerator: i128, denominator: i128) -> i64 {
    debug_assert!(denominator > 0);
    let half = denominator / 2;
    let rounded = if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        -((-numerator + half) / denominator)
    };
    rounded as i64
}

/// A quantity as typed: `3`, `2.5`, `1,000`, up to three decimals; more
/// than zero.
pub fn parse_quantity(field: Field, text: &str) -> Result<Quantity> {
    let q = parse_decimal(field, text, 3)?;
    if q == 0 {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    if q > MAX_QUANTITY.0 {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    Ok(Quantity(q))
}

/// A quantity that may be zero, as a low-stock threshold.
pub fn parse_threshold(field: Field, text: &str) -> Result<Quantity> {
    let q = parse_decimal(field, text, 3)?;
    if q > MAX_QUANTITY.0 {
        return Err(Error::invalid(field, Problem::Malformed));
    }
    Ok(Quantity(q))
}

/// A percentage as typed (`13`, `12.5`, `13%`), at most two decimals,
/// from 0 to `max` percent. Empty is 0.
pub fn parse_rate(field: Field, text: &str, max_percent: u32) -> Result<Rate> {
    let text = text.trim().trim_end_matches(['%', '％']).trim();
    if text.is_empty() {
        return Ok(Rate(0));
    }
    let bp = parse_decimal(field, text, 2)?;
    if bp > i64::from(max_percent) * 100 {
        return Err(Error::invalid(
            field,
            Problem::OutOfRange {
                min: 0,
                max: max_percent,
            },
        ));
    }
    Ok(Rate(bp as u32))
}

/// A non-negative decimal with at most `places` decimals, as an integer
/// of 10^-places: `parse_decimal("2.5", 3)` is 2500.
fn parse_decimal(field: Field, text: &str, places: usize) -> Result<i64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if cleaned.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    let malformed = || Error::invalid(field, Problem::Malformed);
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > places {
        return Err(malformed());
    }
    let whole: i64 = whole.parse().map_err(|_| malformed())?;
    let fraction: i64 = if places == 0 {
        0
    } else {
        format!("{fraction:0<places$}")
            .parse()
            .map_err(|_| malformed())?
    };
    whole
        .checked_mul(10_i64.pow(places as u32))
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(malformed)
}

/// A line's net: quantity × unit price × (1 − discount), rounded once.
pub fn line_net(quantity: Quantity, unit_price: Cents, discount: Rate) -> Cents {
    let exact = i128::from(quantity.0)
        * i128::from(unit_price.0)
        * i128::from(Rate::HUNDRED_PERCENT.0 - discount.0.min(Rate::HUNDRED_PERCENT.0));
    Cents(round_div(exact, 1000 * 10_000))
}

/// The totals of lines whose nets are worked out: net is their sum, tax
/// is the rate on that sum, rounded once (not per line), gross both.
pub fn totals(nets: impl IntoIterator<Item = Cents>, tax_rate: Rate) -> Totals {
    let net: i64 = nets.into_iter().map(|c| c.0).sum();
    let tax = round_div(i128::from(net) * i128::from(tax_rate.0), 10_000);
    Totals {
        net: Cents(net),
        tax: Cents(tax),
        gross: Cents(net + tax),
    }
}

/// A payment plan must add up to what it plans: `Err` names the
/// difference, plan total minus contract amount (positive: the plan asks
/// for too much).
pub fn check_plan(installments: &[Cents], amount: Cents) -> Result<()> {
    let planned: i64 = installments.iter().map(|c| c.0).sum();
    if planned != amount.0 {
        return Err(Error::PlanMismatch {
            difference: Cents(planned - amount.0),
        });
    }
    Ok(())
}

/// An installment as allocation sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub due: NaiveDate,
    pub amount: Cents,
    pub paid: Cents,
}

impl Due {
    pub fn outstanding(&self) -> Cents {
        Cents((self.amount.0 - self.paid.0).max(0))
    }
}

/// Splits a payment over installments: the `chosen` one first when given,
/// then the others oldest due date first (in plan order on the same day).
/// Answers (installment index, amount) for each that gets some. A payment
/// larger than everything outstanding is refused, naming what is.
pub fn allocate(
    installments: &[Due],
    payment: Cents,
    chosen: Option<usize>,
) -> Result<Vec<(usize, Cents)>> {
    if payment.0 <= 0 {
        return Err(Error::invalid(Field::Amount, Problem::Malformed));
    }
    let outstanding: i64 = installments.iter().map(|d| d.outstanding().0).sum();
    if payment.0 > outstanding {
        return Err(Error::PaymentTooLarge {
            outstanding: Cents(outstanding),
        });
    }
    let mut order: Vec<usize> = (0..installments.len()).collect();
    order.sort_by_key(|&i| (installments[i].due, i));
    if let Some(first) = chosen {
        if first >= installments.len() {
            return Err(Error::invalid(Field::Installment, Problem::Unknown));
        }
        order.retain(|&i| i != first);
        order.insert(0, first);
    }
    let mut left = payment.0;
    let mut split = Vec::new();
    for i in order {
        if left == 0 {
            break;
        }
        let take = installments[i].outstanding().0.min(left);
        if take > 0 {
            split.push((i, Cents(take)));
            left -= take;
        }
    }
    Ok(split)
}

/// What is owed, by how late it is (SPEC §4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Aging {
    /// Due today or later.
    pub not_due: Cents,
    pub days_1_30: Cents,
    pub days_31_60: Cents,
    pub days_61_90: Cents,
    pub over_90: Cents,
}

impl Aging {
    /// Adds what is outstanding on an installment due on `due`, as of `today`.
    pub fn add(&mut self, due: NaiveDate, outstanding: Cents, today: NaiveDate) {
        let late = (today - due).num_days();
        let bucket = match late {
            ..=0 => &mut self.not_due,
            1..=30 => &mut self.days_1_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.over_90,
        };
        bucket.0 += outstanding.0;
    }

    pub fn overdue(&self) -> Cents {
        Cents(self.days_1_30.0 + self.days_31_60.0 + self.days_61_90.0 + self.over_90.0)
    }

    pub fn total(&self) -> Cents {
        Cents(self.not_due.0 + self.overdue().0)
    }

    pub fn merge(&mut self, other: &Aging) {
        self.not_due.0 += other.not_due.0;
        self.days_1_30.0 += other.days_1_30.0;
        self.days_31_60.0 += other.days_31_60.0;
        self.days_61_90.0 += other.days_61_90.0;
        self.over_90.0 += other.over_90.0;
    }
}

/// A product's stock movement, as costing sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Units bought (or found) at a cost per unit.
    In {
        quantity: Quantity,
        unit_cost: Cents,
    },
    /// Units that left: a delivery, or an adjustment down.
    Out { quantity: Quantity },
}

/// A move with the date it happened; costing runs in date order, moves of
/// one day in the order given (the order they were recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedMove {
    pub date: NaiveDate,
    pub movement: Move,
}

/// More was to leave than was on hand: at the move `index` (of the moves
/// as given), on `date`, with `on_hand` then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortage {
    pub index: usize,
    pub date: NaiveDate,
    pub on_hand: Quantity,
    pub wanted: Quantity,
}

/// The cost of each outgoing move, by `method`, in the order of `moves`
/// (`None` for the incoming ones); and what is left on hand with its
/// value. Worked out from all of a product's moves each time, so a
/// backdated stock-in or delivery reprices everything after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Costing {
    pub costs: Vec<Option<Cents>>,
    pub on_hand: Quantity,
    pub value: Cents,
}

pub fn cost_moves(
    moves: &[DatedMove],
    method: crate::model::CostMethod,
) -> Result<Costing, Shortage> {
    use crate::model::CostMethod;
    let mut order: Vec<usize> = (0..moves.len()).collect();
    order.sort_by_key(|&i| (moves[i].date, i));
    let mut costs = vec![None; moves.len()];
    // FIFO: the layers left, oldest first: (quantity, unit cost).
    let mut layers: std::collections::VecDeque<(i64, i64)> = Default::default();
    // Weighted average: what is on hand and its value in cents.
    let (mut on_hand, mut value) = (0_i64, 0_i64);
    for i in order {
        let DatedMove { date, movement } = moves[i];
        match movement {
            Move::In {
                quantity,
                unit_cost,
            } => {
                on_hand += quantity.0;
                let cost = round_div(i128::from(quantity.0) * i128::from(unit_cost.0), 1000);
                value += cost;
                layers.push_back((quantity.0, unit_cost.0));
            }
            Move::Out { quantity } => {
                if quantity.0 > on_hand {
                    return Err(Shortage {
                        index: i,
                        date,
                        on_hand: Quantity(on_hand),
                        wanted: quantity,
                    });
                }
                let cost = match method {
                    CostMethod::WeightedAverage => round_div(
                        i128::from(value) * i128::from(quantity.0),
                        i128::from(on_hand),
                    ),
                    CostMethod::Fifo => {
                        let (mut left, mut exact) = (quantity.0, 0_i128);
                        while left > 0 {
                            let Some(layer) = layers.front_mut() else {
                                break;
                            };
                            let take = layer.0.min(left);
                            exact += i128::from(take) * i128::from(layer.1);
                            layer.0 -= take;
                            left -= take;
                            if layer.0 == 0 {
                                layers.pop_front();
                            }
                        }
                        round_div(exact, 1000)
                    }
                };
                if method == CostMethod::WeightedAverage {
                    // The layers only serve FIFO, but keep them in step so
                    // both methods see the same quantities.
                    let mut left = quantity.0;
                    while left > 0 {
                        let Some(layer) = layers.front_mut() else {
                            break;
                        };
                        let take = layer.0.min(left);
                        layer.0 -= take;
                        left -= take;
                        if layer.0 == 0 {
                            layers.pop_front();
                        }
                    }
                }
                on_hand -= quantity.0;
                value -= cost;
                if on_hand == 0 {
                    value = 0;
                }
                costs[i] = Some(Cents(cost));
            }
        }
    }
    if method == CostMethod::Fifo {
        value = round_div(
            layers
                .iter()
                .map(|(q, c)| i128::from(*q) * i128::from(*c))
                .sum(),
            1000,
        );
    }
    Ok(Costing {
        costs,
        on_hand: Quantity(on_hand),
        value: Cents(value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CostMethod;

    fn yuan(y: i64) -> Cents {
        Cents(y * 100)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero_once() {
        assert_eq!(round_div(5, 10), 1);
        assert_eq!(round_div(4, 10), 0);
        assert_eq!(round_div(-5, 10), -1);
        assert_eq!(round_div(15, 10), 2);
        assert_eq!(round_div(25, 10), 3);
    }

    #[test]
    fn quantities_and_rates_parse_as_typed() {
        assert_eq!(parse_quantity(Field::Quantity, "2.5"), Ok(Quantity(2500)));
        assert_eq!(
            parse_quantity(Field::Quantity, "1,000"),
            Ok(Quantity::units(1000))
        );
        assert_eq!(
            parse_quantity(Field::Quantity, "0"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(
            parse_quantity(Field::Quantity, "1.2345"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(
            parse_quantity(Field::Quantity, "-1"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        assert_eq!(parse_rate(Field::Discount, "12.5%", 100), Ok(Rate(1250)));
        assert_eq!(parse_rate(Field::Discount, "", 100), Ok(Rate(0)));
        assert_eq!(
            parse_rate(Field::Discount, "101", 100),
            Err(Error::invalid(
                Field::Discount,
                Problem::OutOfRange { min: 0, max: 100 }
            ))
        );
    }

    /// 3 × ¥1,999.99 at 15 % off = 5,999.97 × 0.85 = ¥5,099.9745 → ¥5,099.97;
    /// 2.5 kg × ¥3.33 = ¥8.325 → ¥8.33 (half up); 13 % tax on the sum
    /// ¥5,108.30 is ¥664.079 → ¥664.08, gross ¥5,772.38. Per line the tax
    /// would have been ¥662.997 + ¥1.083, rounded ¥663.00 + ¥1.08 = ¥664.08
    /// too here, but the rule is one rounding of the sum.
    #[test]
    fn quote_totals_with_discount_and_tax_round_once() {
        let a = line_net(Quantity::units(3), Cents(199_999), Rate::percent(15));
        assert_eq!(a, Cents(509_997));
        let b = line_net(Quantity(2500), Cents(333), Rate(0));
        assert_eq!(b, Cents(833));
        let t = totals([a, b], Rate::percent(13));
        assert_eq!(t.net, Cents(510_830));
        assert_eq!(t.tax, Cents(66_408));
        assert_eq!(t.gross, Cents(577_238));
        let untaxed = totals([a, b], Rate(0));
        assert_eq!((untaxed.tax, untaxed.gross), (Cents(0), Cents(510_830)));
        assert_eq!(
            line_net(Quantity::ONE, yuan(100), Rate::HUNDRED_PERCENT),
            Cents(0)
        );
    }

    #[test]
    fn a_plan_that_does_not_add_up_names_the_difference() {
        assert_eq!(
            check_plan(&[yuan(6_000), yuan(4_000)], yuan(10_000)),
            Ok(())
        );
        assert_eq!(
            check_plan(&[yuan(6_000), yuan(3_000)], yuan(10_000)),
            Err(Error::PlanMismatch {
                difference: yuan(-1_000)
            })
        );
        assert_eq!(
            check_plan(&[yuan(6_000), Cents(400_001)], yuan(10_000)),
            Err(Error::PlanMismatch {
                difference: Cents(1)
            })
        );
    }

    fn due(d: u32, amount: i64, paid: i64) -> Due {
        Due {
            due: day(d),
            amount: yuan(amount),
            paid: yuan(paid),
        }
    }

    #[test]
    fn a_payment_pays_the_oldest_installment_first() {
        // Listed out of date order: the 5 March one is older.
        let plan = [due(20, 3_000, 0), due(5, 2_000, 500), due(31, 5_000, 0)];
        assert_eq!(
            allocate(&plan, yuan(2_000), None),
            Ok(vec![(1, yuan(1_500)), (0, yuan(500))])
        );
        assert_eq!(
            allocate(&plan, yuan(1_000), Some(2)),
            Ok(vec![(2, yuan(1_000))])
        );
        assert_eq!(
            allocate(&plan, yuan(6_000), Some(2)),
            Ok(vec![(2, yuan(5_000)), (1, yuan(1_000))])
        );
    }

    #[test]
    fn a_payment_above_what_is_outstanding_is_refused() {
        let plan = [due(5, 2_000, 500), due(20, 3_000, 0)];
        assert_eq!(
            allocate(&plan, yuan(4_501), None),
            Err(Error::PaymentTooLarge {
                outstanding: yuan(4_500)
            })
        );
        assert!(allocate(&plan, yuan(4_500), None).is_ok());
        assert!(allocate(&plan, Cents(0), None).is_err());
    }

    /// As of 31 May 2026: due 31 May is not due; 1 May is 30 days late;
    /// 30 April 31 days; 1 April 60; 31 March 61; 1 March 91.
    #[test]
    fn aging_buckets_on_fixed_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let on = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut aging = Aging::default();
        aging.add(on(6, 15), yuan(1), today);
        aging.add(on(5, 31), yuan(2), today);
        aging.add(on(5, 1), yuan(10), today);
        aging.add(on(4, 30), yuan(100), today);
        aging.add(on(4, 1), yuan(200), today);
        aging.add(on(3, 31), yuan(1_000), today);
        aging.add(on(3, 1), yuan(10_000), today);
        assert_eq!(
            aging,
            Aging {
                not_due: yuan(3),
                days_1_30: yuan(10),
                days_31_60: yuan(300),
                days_61_90: yuan(1_000),
                over_90: yuan(10_000),
            }
        );
        assert_eq!(aging.overdue(), yuan(11_310));
        assert_eq!(aging.total(), yuan(11_313));
    }

    fn stock_in(d: u32, q: i64, cost: i64) -> DatedMove {
        DatedMove {
            date: day(d),
            movement: Move::In {
                quantity: Quantity::units(q),
                unit_cost: yuan(cost),
            },
        }
    }

    fn out(d: u32, q: i64) -> DatedMove {
        DatedMove {
            date: day(d),
            movement: Move::Out {
                quantity: Quantity::units(q),
            },
        }
    }

    /// The acceptance facts: 10 @ ¥100 on 1 Mar, 10 @ ¥120 on
    /// 5 Mar, 15 delivered (sold @ ¥150, revenue ¥2,250) on 10 Mar.
    #[test]
    fn fifo_and_weighted_average_margin_match_the_acceptance_facts() {
        let revenue = line_net(Quantity::units(15), yuan(150), Rate(0));
        assert_eq!(revenue, yuan(2_250));
        let mut moves = vec![stock_in(1, 10, 100), stock_in(5, 10, 120), out(10, 15)];

        let fifo = cost_moves(&moves, CostMethod::Fifo).unwrap();
        assert_eq!(fifo.costs[2], Some(yuan(1_600)));
        assert_eq!(revenue.0 - yuan(1_600).0, yuan(650).0);
        assert_eq!((fifo.on_hand, fifo.value), (Quantity::units(5), yuan(600)));
        let average = cost_moves(&moves, CostMethod::WeightedAverage).unwrap();
        assert_eq!(average.costs[2], Some(yuan(1_650)));
        assert_eq!(revenue.0 - yuan(1_650).0, yuan(600).0);

        // A stock-in of 10 @ ¥90 backdated to 2 Mar, recorded last.
        moves.push(stock_in(2, 10, 90));
        let fifo = cost_moves(&moves, CostMethod::Fifo).unwrap();
        assert_eq!(fifo.costs[2], Some(yuan(1_450)));
        assert_eq!(revenue.0 - yuan(1_450).0, yuan(800).0);
        let average = cost_moves(&moves, CostMethod::WeightedAverage).unwrap();
        // 15 × ¥3,100.00 / 30, rounded once: not 15 × ¥103.33 = ¥1,549.95.
        assert_eq!(average.costs[2], Some(yuan(1_550)));
        assert_eq!(revenue.0 - yuan(1_550).0, yuan(700).0);
        assert_eq!(average.on_hand, Quantity::units(15));
        assert_eq!(average.value, yuan(1_550));
    }

    #[test]
    fn delivering_more_than_on_hand_names_the_shortage() {
        let moves = [stock_in(1, 10, 100), out(3, 8), out(2, 4)];
        // In date order: 10 in, 4 out on the 2nd, then 8 wanted with 6 left.
        assert_eq!(
            cost_moves(&moves, CostMethod::Fifo),
            Err(Shortage {
                index: 1,
                date: day(3),
                on_hand: Quantity::units(6),
                wanted: Quantity::units(8),
            })
        );
        // A delivery backdated before the goods arrived is short as well.
        let early = [stock_in(5, 10, 100), out(4, 1)];
        assert_eq!(
            cost_moves(&early, CostMethod::WeightedAverage)
                .unwrap_err()
                .on_hand,
            Quantity(0)
        );
    }
}
