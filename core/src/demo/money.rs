//! The demo company's money (issue 11): products, contracts signed from
//! won deals and as direct orders over the three years (on the calendar's
//! busy days, like everything else), their payment plans and the payments
//! received (most on time, some late, some still overdue), the goods
//! bought in and delivered against contract lines (never more than on
//! hand, never more than a line ordered), and expenses.
//!
//! Made after the customers and deals, from the same RNG, and written in
//! batches through `Store::insert_bulk`, whose money part runs the checks
//! of the app's own writes.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng as _;
use rand::seq::IndexedRandom;

use super::calendar::Calendar;
use super::generate::{Rng, id_at};
use super::names::{ENGLISH_PRODUCTS, PRODUCTS};
use crate::domain::money;
use crate::model::{
    Cents, Contract, ContractStatus, ContractTerms, Expense, ExpenseCategories, Id, Installment,
    OwnerShare, Payment, PaymentMethod, Product, Quantity, QuoteLine, Rate, StockMove,
    StockMoveKind, User,
};
use crate::store::{NewContract, NewRecords};

/// How much money a size makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoneyPlan {
    pub products: usize,
    pub contracts: usize,
    /// Contract lines in all (about 2.5 a contract).
    pub lines: usize,
    /// Payments received, roughly: they follow the plans' due dates.
    pub payments: usize,
    pub expenses: usize,
    /// Purchases and deliveries, roughly: deliveries follow the lines,
    /// purchases what they need.
    pub stock_moves: usize,
}

/// A customer as the money needs it.
pub struct Buyer {
    pub id: Id,
    pub owner: Option<Id>,
    /// A signed customer or an agent: places direct orders.
    pub orders: bool,
    pub created_at: DateTime<Utc>,
}

/// A won deal, which becomes a contract.
pub struct Win {
    pub deal: Id,
    pub customer: Id,
    pub owners: Vec<OwnerShare>,
    pub amount: Cents,
    pub won_at: DateTime<Utc>,
    pub title: String,
}

/// Contracts per batch (with their payments); stock moves per batch.
const CONTRACT_BATCH: usize = 10_000;
const MOVE_BATCH: usize = 50_000;

const TAX: Rate = Rate(1300);
const UNITS: &[&str] = &["台", "套", "个", "件", "组"];
const CATEGORIES: &[&str] = &["设备", "软件", "配件", "服务", "耗材"];
const SUPPLIERS: &[&str] = &[
    "深圳华强电子",
    "苏州精工机械",
    "上海博远自动化",
    "东莞恒通五金",
    "杭州云启软件",
    "天津正泰电气",
];
const MODELS: &[&str] = &["A", "B", "C", "D", "E", "H", "K", "M", "S", "X"];

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, w) in items {
        if roll < w {
            return item;
        }
        roll -= w;
    }
    items[items.len() - 1].0
}

/// Beijing time is UTC+8 all year.
fn local_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// `hour` o'clock (plus `minutes`) on `day`, Beijing time.
fn at_local(day: NaiveDate, hour: i64, minutes: i64) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
        + Duration::hours(hour - 8)
        + Duration::minutes(minutes)
}

/// A product index, the first ones far more popular (a few best sellers
/// with thousands of deliveries, a long tail with a handful).
fn popular(rng: &mut Rng, n: usize) -> usize {
    let u: f64 = rng.random();
    ((u * u * n as f64) as usize).min(n - 1)
}

struct Stocked {
    product: Product,
    stocked: bool,
}

/// What is known of a contract while it is made.
struct Made {
    contract: Contract,
    payments: Vec<Payment>,
}

pub struct MoneyWorld<'a> {
    pub calendar: &'a Calendar,
    pub users: &'a [User],
    pub admin: Id,
}

impl MoneyWorld<'_> {
    fn products(&self, rng: &mut Rng, n: usize) -> Vec<Stocked> {
        let start = self.calendar.start() - Duration::days(10);
        (0..n)
            .map(|i| {
                let english = i % 10 == 9;
                let base = if english {
                    ENGLISH_PRODUCTS[i % ENGLISH_PRODUCTS.len()]
                } else {
                    PRODUCTS[i % PRODUCTS.len()]
                };
                let model = MODELS[(i / PRODUCTS.len()) % MODELS.len()];
                let stocked = !chance(rng, 0.08);
                let yuan = rng.random_range(200f64.ln()..200_000f64.ln()).exp();
                let list_price = Cents(((yuan / 10.0).round() as i64).max(1) * 1000);
                let standard_cost =
                    Cents((list_price.0 as f64 * rng.random_range(0.55..0.75)).round() as i64);
                let created_at = start + Duration::minutes(i as i64);
                Stocked {
                    stocked,
                    product: Product {
                        id: id_at(rng, created_at),
                        code: format!("P{:05}", i + 1),
                        name: format!("{base} {model}{}", 100 + i / 10),
                        unit: if stocked {
                            UNITS[i % UNITS.len()].to_string()
                        } else {
                            "次".to_string()
                        },
                        category: Some(
                            (if stocked { CATEGORIES[i % 3] } else { "服务" }).to_string(),
                        ),
                        list_price,
                        standard_cost,
                        active: !chance(rng, 0.05),
                        low_stock_threshold: stocked
                            .then(|| Quantity::units(rng.random_range(2..30))),
                        created_at,
                        updated_at: created_at,
                        version: 1,
                    },
                }
            })
            .collect()
    }

    /// Lines of `count` distinct products; for a won deal, quantities that
    /// come close to its amount (`target`, net).
    fn lines(
        &self,
        rng: &mut Rng,
        products: &[Stocked],
        count: usize,
        target: Option<Cents>,
    ) -> Vec<QuoteLine> {
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        while chosen.len() < count.min(products.len()) {
            let i = popular(rng, products.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
            .into_iter()
            .map(|i| {
                let p = &products[i].product;
                let discount = if chance(rng, 0.6) {
                    Rate(0)
                } else {
                    Rate::percent(rng.random_range(1..16))
                };
                let units = match target {
                    Some(amount) => {
                        let share = amount.0 as f64 / count as f64;
                        (share / p.list_price.0 as f64).round().clamp(1.0, 5_000.0) as i64
                    }
                    None => {
                        let most = (20_000_000 / p.list_price.0).clamp(1, 40);
                        rng.random_range(1..=most)
                    }
                };
                let quantity = Quantity::units(units);
                QuoteLine {
                    product_id: Some(p.id),
                    code: Some(p.code.clone()),
                    description: p.name.clone(),
                    unit: p.unit.clone(),
                    quantity,
                    unit_price: p.list_price,
                    discount,
                    net: money::line_net(quantity, p.list_price, discount),
                }
            })
            .collect()
    }

    /// A payment plan of `amount` from `sign`: 1 to 4 installments, the
    /// first a deposit, then monthly or quarterly.
    fn plan(&self, rng: &mut Rng, amount: Cents, sign: NaiveDate) -> Vec<Installment> {
        let count = weighted(rng, &[(1usize, 35), (2, 30), (3, 25), (4, 10)]);
        let first = if count == 1 {
            amount.0
        } else {
            amount.0 * rng.random_range(30..51) / 100
        };
        let step = *[30i64, 30, 60, 90].choose(rng).unwrap_or(&30);
        let mut due = sign + Duration::days(rng.random_range(0..16));
        let mut left = amount.0;
        let mut plan = Vec::with_capacity(count);
        for k in 0..count {
            let part = if k == 0 {
                first
            } else if k + 1 == count {
                left
            } else {
                (amount.0 - first) / (count as i64 - 1)
            };
            left -= part;
            plan.push(Installment {
                due,
                amount: Cents(part),
                paid: Cents(0),
            });
            due += Duration::days(step);
        }
        plan
    }

    /// The payments of a signed contract as of `today`: most installments
    /// paid around their due date, some late, some (a few) still owed.
    fn payments(&self, rng: &mut Rng, c: &mut Contract, by: Id, today: NaiveDate) -> Vec<Payment> {
        let mut out = Vec::new();
        let sign = c.terms.sign_date;
        for i in 0..c.plan.len() {
            let (due, amount) = (c.plan[i].due, c.plan[i].amount);
            let roll: f64 = rng.random();
            let (share, late) = if due > today {
                if roll < 0.1 { (100, -5) } else { (0, 0) }
            } else if roll < 0.86 {
                let late = match rng.random_range(0..100) {
                    0..70 => rng.random_range(-5..6),
                    70..95 => rng.random_range(6..61),
                    _ => rng.random_range(61..151),
                };
                (100, late)
            } else if roll < 0.93 {
                (50, rng.random_range(0..30))
            } else {
                (0, 0)
            };
            if share == 0 {
                continue;
            }
            let received = (due + Duration::days(late)).max(sign).min(today);
            let total = amount.0 * share / 100;
            let parts: Vec<i64> = if share == 100 && total > 100 && chance(rng, 0.1) {
                let first = total / 2;
                vec![first, total - first]
            } else {
                vec![total]
            };
            for (n, part) in parts.into_iter().enumerate() {
                let day = (received + Duration::days(n as i64 * 7)).min(today);
                let recorded_at = at_local(day, 10, rng.random_range(0..420));
                c.plan[i].paid.0 += part;
                out.push(Payment {
                    id: id_at(rng, recorded_at),
                    contract_id: c.id,
                    customer_id: c.customer_id,
                    received_on: day,
                    amount: Cents(part),
                    method: weighted(
                        rng,
                        &[
                            (PaymentMethod::BankTransfer, 70),
                            (PaymentMethod::Alipay, 8),
                            (PaymentMethod::Wechat, 8),
                            (PaymentMethod::Cheque, 6),
                            (PaymentMethod::Cash, 5),
                            (PaymentMethod::Other, 3),
                        ],
                    ),
                    note: chance(rng, 0.1).then(|| format!("第{}期", i + 1)),
                    allocations: vec![(i as u32, Cents(part))],
                    recorded_by: by,
                    recorded_at,
                });
            }
        }
        out.sort_by_key(|p| p.id);
        out
    }
}

/// Makes the money of `plan` and hands it to `write` in batches: the
/// products, the contracts with their payments (in signing order), the
/// stock moves (by day), the expenses. Stops when `write` answers false.
pub fn generate(
    rng: &mut Rng,
    world: &MoneyWorld<'_>,
    buyers: &[Buyer],
    wins: &[Win],
    plan: &MoneyPlan,
    write: &mut dyn FnMut(NewRecords) -> bool,
) {
    if plan.contracts == 0 || buyers.is_empty() {
        return;
    }
    let end = world.calendar.end();
    let today = local_date(end) - Duration::days(1);
    let products = world.products(rng, plan.products.max(1));
    let by_id: HashMap<Id, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.product.id, i))
        .collect();
    if !write(NewRecords {
        products: products.iter().map(|p| p.product.clone()).collect(),
        ..NewRecords::default()
    }) {
        return;
    }

    // Who signs what: every won deal (as many as fit), then direct orders
    // of ordering customers, on busy days.
    let orderers: Vec<&Buyer> = buyers
        .iter()
        .filter(|b| b.orders && b.owner.is_some())
        .collect();
    let mean_lines = plan.lines as f64 / plan.contracts as f64;
    let line_weights: Vec<(usize, u32)> = if mean_lines < 2.0 {
        vec![(1, 50), (2, 30), (3, 20)]
    } else {
        vec![(1, 30), (2, 25), (3, 20), (4, 13), (5, 12)]
    };
    struct Signing<'b> {
        at: DateTime<Utc>,
        customer: Id,
        deal: Option<&'b Win>,
        owners: Vec<OwnerShare>,
    }
    let mut signings: Vec<Signing<'_>> = wins
        .iter()
        .take(plan.contracts)
        .map(|w| {
            let at = world.calendar.moment(
                rng,
                w.won_at + Duration::hours(2),
                (w.won_at + Duration::days(14)).min(end - Duration::hours(1)),
            );
            Signing {
                at: at.max(w.won_at + Duration::minutes(1)),
                customer: w.customer,
                deal: Some(w),
                owners: w.owners.clone(),
            }
        })
        .collect();
    while signings.len() < plan.contracts && !orderers.is_empty() {
        let b = orderers[rng.random_range(0..orderers.len())];
        let from = b.created_at + Duration::days(1);
        if from >= end - Duration::days(1) {
            continue;
        }
        let at = world.calendar.moment(rng, from, end - Duration::hours(1));
        signings.push(Signing {
            at,
            customer: b.id,
            deal: None,
            owners: vec![OwnerShare {
                user: b.owner.unwrap_or(world.admin),
                percent: 100,
            }],
        });
    }
    signings.sort_by_key(|s| s.at);

    let mut sequence: HashMap<i32, u64> = HashMap::new();
    let mut made: Vec<Made> = Vec::with_capacity(signings.len());
    let mut deliveries: Vec<StockMove> = Vec::new();
    for s in signings {
        let count = weighted(rng, &line_weights);
        let lines = world.lines(rng, &products, count, s.deal.map(|w| w.amount));
        let totals = money::totals(lines.iter().map(|l| l.net), TAX);
        let sign_date = local_date(s.at);
        let lead = s.owners.first().map_or(world.admin, |o| o.user);
        // Numbered by the year it was written, as the store numbers them.
        let year = chrono::Datelike::year(&s.at);
        let number = sequence.entry(year).or_default();
        *number += 1;
        let title = match s.deal {
            Some(w) => w.title.clone(),
            None => format!("{}订单", lines[0].description),
        };
        let mut c = Contract {
            id: id_at(rng, s.at),
            number: format!("C{year}-{:05}", *number),
            customer_id: s.customer,
            deal_id: s.deal.map(|w| w.deal),
            quote_id: None,
            plan: world.plan(rng, totals.gross, sign_date),
            terms: ContractTerms {
                title,
                lines,
                tax_rate: TAX,
                totals,
                sign_date,
                owners: s.owners,
                note: None,
            },
            status: ContractStatus::Draft,
            approval: None,
            terms_version: 1,
            created_by: lead,
            created_at: s.at,
            updated_at: s.at,
            version: 1,
        };
        let age = (today - sign_date).num_days();
        let roll: f64 = rng.random();
        if roll < 0.03 {
            c.status = ContractStatus::Cancelled;
            c.version = 2;
            made.push(Made {
                contract: c,
                payments: Vec::new(),
            });
            continue;
        }
        if age < 20 && roll < 0.13 {
            made.push(Made {
                contract: c,
                payments: Vec::new(),
            });
            continue;
        }
        let payments = world.payments(rng, &mut c, lead, today);
        let mut all_delivered = true;
        for (li, line) in c.terms.lines.iter().enumerate() {
            let Some(product) = line.product_id else {
                continue;
            };
            if !products[by_id[&product]].stocked {
                continue;
            }
            let ordered = line.quantity.0 / 1000;
            let out = if age > 45 || chance(rng, 0.3) {
                ordered
            } else if chance(rng, 0.5) {
                rng.random_range(0..=ordered)
            } else {
                0
            };
            all_delivered &= out == ordered;
            if out == 0 {
                continue;
            }
            let parts = if out >= 2 && chance(rng, 0.15) {
                vec![out / 2, out - out / 2]
            } else {
                vec![out]
            };
            let mut day = sign_date + Duration::days(rng.random_range(1..30));
            for part in parts {
                let date = day.min(today);
                let recorded_at = at_local(date, 15, rng.random_range(0..180));
                deliveries.push(StockMove {
                    id: id_at(rng, recorded_at),
                    product_id: product,
                    kind: StockMoveKind::Delivery,
                    date,
                    quantity: Quantity::units(-part),
                    unit_cost: None,
                    supplier: None,
                    reason: None,
                    contract_id: Some(c.id),
                    customer_id: Some(c.customer_id),
                    line: Some(li as u32),
                    recorded_by: lead,
                    recorded_at,
                });
                day += Duration::days(rng.random_range(5..40));
            }
        }
        let paid_all = c.plan.iter().all(|i| i.paid == i.amount);
        c.status = if all_delivered && paid_all {
            if age > 365 && chance(rng, 0.6) {
                ContractStatus::Closed
            } else {
                ContractStatus::Completed
            }
        } else {
            ContractStatus::Executing
        };
        c.version = 2 + payments.len() as u64 + u64::from(c.status != ContractStatus::Executing);
        if let Some(last) = payments.iter().map(|p| p.recorded_at).max() {
            c.updated_at = c.updated_at.max(last);
        }
        made.push(Made {
            contract: c,
            payments,
        });
    }

    let purchases = purchases_for(rng, world, &products, &by_id, &deliveries, plan);
    let mut moves = deliveries;
    moves.extend(purchases);
    moves.sort_by_key(|m| (m.date, m.id));

    let mut contracts = made.into_iter().peekable();
    while contracts.peek().is_some() {
        let batch: Vec<NewContract> = contracts
            .by_ref()
            .take(CONTRACT_BATCH)
            .map(|m| NewContract {
                contract: m.contract,
                payments: m.payments,
            })
            .collect();
        if !write(NewRecords {
            contracts: batch,
            ..NewRecords::default()
        }) {
            return;
        }
    }
    let mut moves = moves.into_iter().peekable();
    while moves.peek().is_some() {
        let batch: Vec<StockMove> = moves.by_ref().take(MOVE_BATCH).collect();
        if !write(NewRecords {
            stock_moves: batch,
            ..NewRecords::default()
        }) {
            return;
        }
    }
    let expenses = expenses(rng, world, buyers, plan.expenses);
    write(NewRecords {
        expenses,
        ..NewRecords::default()
    });
}

/// Goods bought in before each delivery needs them: walking a product's
/// deliveries by day, whenever the next one would find too little on
/// hand, a purchase a few days before it brings in enough for it and
/// about as many more as make `plan.stock_moves` moves in all.
fn purchases_for(
    rng: &mut Rng,
    world: &MoneyWorld<'_>,
    products: &[Stocked],
    by_id: &HashMap<Id, usize>,
    deliveries: &[StockMove],
    plan: &MoneyPlan,
) -> Vec<StockMove> {
    let first_day = local_date(world.calendar.start());
    let target = plan.stock_moves.saturating_sub(deliveries.len()).max(1);
    let per_purchase = (deliveries.len() as f64 / target as f64).max(1.0);
    let mut of_product: Vec<Vec<&StockMove>> = vec![Vec::new(); products.len()];
    for d in deliveries {
        of_product[by_id[&d.product_id]].push(d);
    }
    let mut out = Vec::new();
    let years = (world.calendar.days() as f64 / 365.0).max(1.0);
    for (i, mut list) in of_product.into_iter().enumerate() {
        list.sort_by_key(|m| (m.date, m.id));
        let product = &products[i].product;
        let mut on_hand = 0_i64;
        for (j, d) in list.iter().enumerate() {
            let wanted = -d.quantity.0;
            if on_hand < wanted {
                let cover = (per_purchase * rng.random_range(0.5..1.5)).round().max(1.0) as usize;
                let needed: i64 = list[j..(j + cover).min(list.len())]
                    .iter()
                    .map(|m| -m.quantity.0)
                    .sum();
                let quantity = needed - on_hand;
                let date = (d.date - Duration::days(rng.random_range(0..10))).max(first_day);
                let recorded_at = at_local(date, 9, rng.random_range(0..300));
                // Costs drift up a few percent a year, and vary by lot.
                let elapsed = (date - first_day).num_days() as f64 / 365.0 / years;
                let drift = (1.0 + 0.04 * elapsed * years) * rng.random_range(0.9..1.1);
                out.push(StockMove {
                    id: id_at(rng, recorded_at),
                    product_id: product.id,
                    kind: StockMoveKind::Purchase,
                    date,
                    quantity: Quantity(quantity),
                    unit_cost: Some(Cents(
                        (product.standard_cost.0 as f64 * drift).round() as i64
                    )),
                    supplier: Some(SUPPLIERS[rng.random_range(0..SUPPLIERS.len())].to_string()),
                    reason: None,
                    contract_id: None,
                    customer_id: None,
                    line: None,
                    recorded_by: world.admin,
                    recorded_at,
                });
                on_hand += quantity;
            }
            on_hand -= wanted;
        }
    }
    out
}

fn expenses(rng: &mut Rng, world: &MoneyWorld<'_>, buyers: &[Buyer], n: usize) -> Vec<Expense> {
    let staff: Vec<&User> = world
        .users
        .iter()
        .filter(|u| u.role != crate::model::Role::Admin)
        .collect();
    if staff.is_empty() {
        return Vec::new();
    }
    let mut owned: HashMap<Id, Vec<&Buyer>> = HashMap::new();
    for b in buyers {
        if let Some(owner) = b.owner {
            owned.entry(owner).or_default().push(b);
        }
    }
    let categories = ExpenseCategories::default().categories;
    let weights = [35u32, 25, 10, 20, 10];
    let (start, end) = (world.calendar.start(), world.calendar.end());
    (0..n)
        .map(|_| {
            let at = world.calendar.moment(rng, start, end - Duration::hours(1));
            let spender = staff[rng.random_range(0..staff.len())];
            let customer = owned
                .get(&spender.id)
                .and_then(|list| list.choose(rng))
                .filter(|b| b.created_at <= at && chance(rng, 0.75))
                .map(|b| b.id);
            let yuan = rng.random_range(50f64.ln()..8_000f64.ln()).exp();
            let category = {
                let k = weighted(
                    rng,
                    &(0..categories.len())
                        .map(|i| (i, weights.get(i).copied().unwrap_or(10)))
                        .collect::<Vec<_>>(),
                );
                categories[k].clone()
            };
            let created_at =
                (at + Duration::minutes(rng.random_range(1..600))).min(end - Duration::seconds(1));
            Expense {
                id: id_at(rng, created_at),
                amount: Cents(((yuan * 2.0).round() as i64).max(1) * 50),
                category,
                date: local_date(at),
                spent_by: spender.id,
                note: chance(rng, 0.3).then(|| "报销".to_string()),
                customer_id: customer,
                deal_id: None,
                contract_id: None,
                created_by: spender.id,
                created_at,
                updated_at: created_at,
                version: 1,
            }
        })
        .collect()
}
