//! Stock: purchases, adjustments, deliveries against contract lines, what
//! is on hand, and the margin of what was delivered.
//!
//! Who may do what (decided for issue 11):
//! - admins and managers keep the stock: they record purchases and
//!   adjustments, and see every move with its cost and a product's margin;
//! - everyone signed in sees what is on hand and the low-stock list (a rep
//!   promises delivery dates from it);
//! - whoever may change a contract (its owners, their managers, admins)
//!   delivers against its lines, and whoever may see it sees its deliveries
//!   and the margin of its lines.
//!
//! Costs are never stored: each figure is worked out from all of the
//! product's moves by the company's cost method, so a backdated move
//! reprices what it affects at once. Worked out once per product and
//! method, then kept in memory until the product's stock version moves
//! (`Store::stock_version`: a move of it, or everything reloaded): a
//! product with 5,000 moves costs about 5 ms to work out, and the stock
//! page, a contract's margins and a product's margin each need several.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::Utc;

use super::Guanxi;
use super::kept::Kept as KeptAnswers;
use crate::domain::{contracts, money, stock, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    AdjustmentInput, Cents, ContractStatus, ContractStock, CostMethod, DeliveryInput, Id, Product,
    ProductMargin, Quantity, Role, StockInInput, StockLevel, StockLevels, StockMove, StockMoveKind,
    StockMoveRow, User,
};

/// The longest supplier name.
pub const MAX_SUPPLIER: u32 = 200;

/// Products the product analysis lists as falling most.
const FALLING_PRODUCTS: usize = 5;

/// A product's moves costed: each outgoing move's cost by id, and what is
/// left on hand with its value.
struct Costed {
    costs: MoveCosts,
    on_hand: Quantity,
    value: Cents,
}

/// Each outgoing move's cost by its id, sorted: a binary search finds
/// one, in a third of the room a hash map took for the 170,000
/// deliveries of `large`.
#[derive(Debug, PartialEq)]
struct MoveCosts(Box<[(Id, Cents)]>);

impl MoveCosts {
    fn get(&self, id: &Id) -> Option<&Cents> {
        let at = self.0.binary_search_by_key(id, |(m, _)| *m).ok()?;
        Some(&self.0[at].1)
    }
}

impl FromIterator<(Id, Cents)> for MoveCosts {
    fn from_iter<I: IntoIterator<Item = (Id, Cents)>>(costs: I) -> Self {
        let mut costs: Vec<(Id, Cents)> = costs.into_iter().collect();
        costs.sort_unstable_by_key(|(m, _)| *m);
        MoveCosts(costs.into())
    }
}

/// A figure with the versions it was worked out at: the product's stock
/// (or delivery) version, and the count of contract line changes.
struct Kept<T> {
    at: (u64, u64),
    lines_at: u64,
    figure: Arc<T>,
}

/// What is kept per product and cost method, with the versions it was
/// worked out at.
pub(super) struct StockFigures {
    costings: Mutex<HashMap<(Id, CostMethod), Kept<Costed>>>,
    /// What a product delivered and earned, which follows its deliveries
    /// and its contracts' lines but not its purchases or costing.
    delivered: Mutex<HashMap<Id, Kept<Delivered>>>,
    /// Product analyses, by what they were worked out from.
    reports: KeptAnswers<ProductReportKey, crate::model::ProductReport>,
}

impl Default for StockFigures {
    fn default() -> Self {
        StockFigures {
            costings: Mutex::default(),
            delivered: Mutex::default(),
            reports: KeptAnswers::new(KEPT_PRODUCT_REPORTS),
        }
    }
}

/// The catalogue's and the contract lines' change counts, the cost
/// method, the days and the period's kind of a product analysis.
type ProductReportKey = (u64, u64, CostMethod, crate::model::DateSpan, String);

/// Product analyses kept, for different periods.
const KEPT_PRODUCT_REPORTS: usize = 8;

/// The deliveries of a product to lines that still exist, with what they
/// earned.
struct Delivered {
    quantity: i64,
    revenue: i64,
    /// (date, move, quantity, revenue) of each delivery, by date: a
    /// period's deliveries are found by binary search.
    by_day: Vec<(chrono::NaiveDate, Id, i64, i64)>,
}

impl Delivered {
    /// The deliveries of the days `from..=to`.
    pub(super) fn between(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> &[(chrono::NaiveDate, Id, i64, i64)] {
        let start = self.by_day.partition_point(|d| d.0 < from);
        let end = self.by_day.partition_point(|d| d.0 <= to);
        &self.by_day[start..end.max(start)]
    }
}

fn label(product: &Product) -> String {
    format!("{} {}", product.code, product.name)
}

impl Guanxi {
    /// A product's moves costed by `method`: kept, or worked out from
    /// all its moves and kept.
    fn costing(&self, product: Id, method: CostMethod) -> Result<Arc<Costed>> {
        // Read before the moves: a move committed after this makes the
        // costing below out of date, and the version says so next time.
        let version = self.store.stock_version(product);
        if let Some(kept) = self
            .stock_figures
            .costings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(product, method))
            && kept.at == version
        {
            return Ok(kept.figure.clone());
        }
        let (_, costed) = self.costed(product, method)?;
        let costed = Arc::new(costed);
        self.stock_figures
            .costings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                (product, method),
                Kept {
                    at: version,
                    lines_at: 0,
                    figure: costed.clone(),
                },
            );
        Ok(costed)
    }

    /// A product's moves and their costing, worked out now.
    fn costed(&self, product: Id, method: CostMethod) -> Result<(Vec<StockMove>, Costed)> {
        let moves = self.store.stock_moves_of_product(product)?;
        let costing = stock::cost(&moves, method).map_err(|s| {
            Error::Internal(format!("stock of {} below zero on {}", product, s.date))
        })?;
        let costs = moves
            .iter()
            .zip(&costing.costs)
            .filter_map(|(m, c)| c.map(|c| (m.id, c)))
            .collect();
        Ok((
            moves,
            Costed {
                costs,
                on_hand: costing.on_hand,
                value: costing.value,
            },
        ))
    }

    /// Every stocked product's quantity on hand and value: the active
    /// ones, and inactive ones with stock left. Everyone signed in.
    pub fn stock_levels(&self, me: &User) -> Result<StockLevels> {
        require_active(me)?;
        let method = self.store.sales_settings()?.cost_method;
        let mut levels = Vec::new();
        for p in self.store.products()? {
            let costed = self.costing(p.id, method)?;
            if !p.active && costed.on_hand.0 == 0 {
                continue;
            }
            levels.push(StockLevel {
                product_id: p.id,
                code: p.code.clone(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                on_hand: costed.on_hand,
                value: costed.value,
                threshold: p.low_stock_threshold,
                low: p.low_stock_threshold.is_some_and(|t| costed.on_hand <= t),
            });
        }
        Ok(StockLevels { method, levels })
    }

    /// The products with a threshold whose stock is at or below it.
    pub fn low_stock(&self, me: &User) -> Result<Vec<StockLevel>> {
        let mut levels = self.stock_levels(me)?.levels;
        levels.retain(|l| l.low);
        Ok(levels)
    }

    /// Every move (or one product's), newest day first, with the cost of
    /// what left. Admins and managers.
    pub fn stock_moves(&self, me: &User, product: Option<Id>) -> Result<Vec<StockMoveRow>> {
        require_stock_keeper(me)?;
        let method = self.store.sales_settings()?.cost_method;
        let products: Vec<Product> = match product {
            Some(id) => vec![self.store.product(id)?.ok_or(Error::NotFound)?],
            None => self.store.products()?,
        };
        let mut rows = Vec::new();
        for p in &products {
            let (moves, costed) = self.costed(p.id, method)?;
            for m in moves {
                let cost = costed.costs.get(&m.id).copied();
                rows.push(self.move_row(p, m, cost)?);
            }
        }
        rows.sort_by_key(|r| std::cmp::Reverse((r.movement.date, r.movement.id)));
        Ok(rows)
    }

    fn move_row(&self, p: &Product, m: StockMove, cost: Option<Cents>) -> Result<StockMoveRow> {
        let contract_number = match m.contract_id {
            Some(c) => self.store.contract(c)?.map(|c| c.number),
            None => None,
        };
        let recorded_by_name = self
            .store
            .user(m.recorded_by)?
            .map(|u| u.name)
            .unwrap_or_default();
        Ok(StockMoveRow {
            cost,
            product_code: p.code.clone(),
            product_name: p.name.clone(),
            unit: p.unit.clone(),
            contract_number,
            recorded_by_name,
            movement: m,
        })
    }

    /// Records goods bought in. Admins and managers.
    pub fn stock_in(&self, me: &User, input: StockInInput) -> Result<StockMove> {
        require_stock_keeper(me)?;
        let quantity = money::parse_quantity(Field::Quantity, &input.quantity)?;
        let unit_cost = money::parse_amount(Field::UnitPrice, &input.unit_cost)?;
        let date = stock::move_date(input.date, self.company_today())?;
        let supplier =
            validate::optional_text(Field::Supplier, input.supplier.as_deref(), MAX_SUPPLIER)?;
        let movement = StockMove {
            supplier,
            unit_cost: Some(unit_cost),
            ..self.new_move(
                me,
                input.product_id,
                StockMoveKind::Purchase,
                date,
                quantity,
            )
        };
        self.record_move(&movement)?;
        Ok(movement)
    }

    /// Records a correction after a count: up (found, at the product's
    /// standard cost, the only cost known for goods nobody bought) or
    /// down (lost, broken: costed as a delivery is). Admins and managers.
    pub fn adjust_stock(&self, me: &User, input: AdjustmentInput) -> Result<StockMove> {
        require_stock_keeper(me)?;
        let quantity = stock::parse_signed_quantity(Field::Quantity, &input.quantity)?;
        let reason = validate::text(Field::Reason, &input.reason, validate::MAX_LONG)?;
        let date = stock::move_date(input.date, self.company_today())?;
        let product = self
            .store
            .product(input.product_id)?
            .ok_or(Error::invalid(Field::Product, Problem::Unknown))?;
        let movement = StockMove {
            reason: Some(reason),
            unit_cost: (quantity.0 > 0).then_some(product.standard_cost),
            ..self.new_move(me, product.id, StockMoveKind::Adjustment, date, quantity)
        };
        self.record_move(&movement)?;
        Ok(movement)
    }

    fn new_move(
        &self,
        me: &User,
        product: Id,
        kind: StockMoveKind,
        date: chrono::NaiveDate,
        quantity: Quantity,
    ) -> StockMove {
        StockMove {
            id: Id::generate(),
            product_id: product,
            kind,
            date,
            quantity,
            unit_cost: None,
            supplier: None,
            reason: None,
            contract_id: None,
            customer_id: None,
            line: None,
            recorded_by: me.id,
            recorded_at: Utc::now(),
        }
    }

    /// Saves a purchase or an adjustment unless it leaves the product
    /// short on some day.
    fn record_move(&self, movement: &StockMove) -> Result<()> {
        self.store
            .insert_stock_move(movement, |w| {
                stock::check_never_short(w.product_moves, &label(w.product))
            })
            .map_err(|e| match e {
                Error::NotFound => Error::invalid(Field::Product, Problem::Unknown),
                e => e,
            })
    }

    /// Delivers goods of a line of an executing contract: refused when the
    /// line has less left to deliver, or the warehouse less on hand that
    /// day or on any later one.
    pub fn deliver(&self, me: &User, contract: Id, input: DeliveryInput) -> Result<StockMove> {
        let c = self.contract(me, contract)?;
        if !self.contract_editable_by(me, &c)? {
            return Err(Error::Forbidden);
        }
        let quantity = money::parse_quantity(Field::Quantity, &input.quantity)?;
        let date = stock::move_date(input.date, self.company_today())?;
        let line = input.line;
        let product = c
            .terms
            .lines
            .get(line as usize)
            .and_then(|l| l.product_id)
            .ok_or(Error::invalid(Field::Line, Problem::Unknown))?;
        let movement = StockMove {
            contract_id: Some(c.id),
            customer_id: Some(c.customer_id),
            line: Some(line),
            ..self.new_move(
                me,
                product,
                StockMoveKind::Delivery,
                date,
                Quantity(-quantity.0),
            )
        };
        self.store
            .insert_stock_move(&movement, |w| {
                let Some(c) = w.contract else {
                    return Err(Error::NotFound);
                };
                if c.status != ContractStatus::Executing {
                    return Err(Error::WrongStatus {
                        status: c.status.code().into(),
                    });
                }
                // The terms as stored now: the line may have changed since
                // the contract was read above.
                let Some(l) = c.terms.lines.get(line as usize) else {
                    return Err(Error::invalid(Field::Line, Problem::Unknown));
                };
                if l.product_id != Some(product) {
                    return Err(Error::invalid(Field::Line, Problem::Unknown));
                }
                let delivered = Quantity(
                    w.contract_deliveries
                        .iter()
                        .filter(|d| d.line == Some(line))
                        .map(|d| -d.quantity.0)
                        .sum(),
                );
                stock::check_undelivered(l.quantity, delivered, quantity)?;
                stock::check_never_short(w.product_moves, &label(w.product))
            })
            .map_err(|e| match e {
                Error::NotFound => Error::invalid(Field::Line, Problem::Unknown),
                e => e,
            })?;
        Ok(movement)
    }

    /// A contract's deliveries, the margin of each line by the company's
    /// cost method, and its completion.
    pub fn contract_stock(&self, me: &User, contract: Id) -> Result<ContractStock> {
        let c = self.contract(me, contract)?;
        let may_deliver =
            c.status == ContractStatus::Executing && self.contract_editable_by(me, &c)?;
        let method = self.store.sales_settings()?.cost_method;
        let moves = self.store.deliveries_of(contract)?;
        let products: BTreeSet<Id> = moves.iter().map(|m| m.product_id).collect();
        let mut costs = HashMap::new();
        let mut known = HashMap::new();
        for p in products {
            if let Some(product) = self.store.product(p)? {
                let costed = self.costing(p, method)?;
                costs.extend(
                    moves
                        .iter()
                        .filter(|m| m.product_id == p)
                        .filter_map(|m| costed.costs.get(&m.id).map(|c| (m.id, *c))),
                );
                known.insert(p, product);
            }
        }
        let parts: Vec<(u32, Quantity, Cents)> = moves
            .iter()
            .filter_map(|m| {
                Some((
                    m.line?,
                    Quantity(-m.quantity.0),
                    costs.get(&m.id).copied().unwrap_or_default(),
                ))
            })
            .collect();
        let lines = stock::line_margins(&c.terms.lines, &parts);
        let goods = lines.iter().filter(|l| l.product_id.is_some());
        let ordered: i64 = goods.clone().map(|l| l.ordered.0).sum();
        let delivered: i64 = goods.map(|l| l.delivered.0.min(l.ordered.0)).sum();
        let completion =
            contracts::completion_percent(ordered, delivered, c.terms.amount(), c.paid());
        let mut deliveries = Vec::new();
        for m in moves.into_iter().rev() {
            if let Some(p) = known.get(&m.product_id) {
                let cost = costs.get(&m.id).copied();
                deliveries.push(self.move_row(p, m, cost)?);
            }
        }
        Ok(ContractStock {
            method,
            lines,
            deliveries,
            completion,
            may_deliver,
        })
    }

    /// A product's on-hand, and the revenue, cost and margin of all that
    /// was delivered of it. Admins and managers.
    pub fn product_margin(&self, me: &User, product: Id) -> Result<ProductMargin> {
        require_stock_keeper(me)?;
        self.store.product(product)?.ok_or(Error::NotFound)?;
        let method = self.store.sales_settings()?.cost_method;
        let delivered = self.delivered(product)?;
        let costed = self.costing(product, method)?;
        Ok(margin_of(product, method, &delivered, &costed))
    }

    /// What each product delivered in `params`' period and the period
    /// before, with its revenue, cost by the company's method and margin,
    /// by product and by category; and the products whose margin rate fell
    /// most. Admins and managers, as a product's margin: company-wide (the
    /// rep and team filters do not apply). O(products + their deliveries in
    /// the two periods), each product's costing kept as `product_margin`
    /// keeps it.
    pub fn product_report(
        &self,
        me: &User,
        params: &crate::model::ReportParams,
        now: chrono::DateTime<Utc>,
    ) -> Result<crate::model::ProductReport> {
        require_stock_keeper(me)?;
        let today = now.with_timezone(&self.company_zone()).date_naive();
        let span = crate::domain::period::span(&params.period, &params.from, &params.to, today)?;
        let method = self.store.sales_settings()?.cost_method;
        // Every admin and manager sees the same: kept for the same
        // catalogue, lines, method and days (2,000 products each looked
        // up under their locks cost 175 ms a request at 50 clients).
        let key = (
            self.store.catalog_changes(),
            self.store.terms_changes(),
            method,
            span,
            params.period.trim().to_string(),
        );
        self.stock_figures.reports.answer(
            key,
            |a, b| (a.0, a.1) == (b.0, b.1),
            || self.work_out_product_report(&params.period, span, method),
        )
    }

    fn work_out_product_report(
        &self,
        period: &str,
        span: crate::model::DateSpan,
        method: CostMethod,
    ) -> Result<crate::model::ProductReport> {
        use crate::model::{ProductFigures, ProductReport};
        let previous = crate::domain::revenue::previous_span(period, span);
        let mut products = Vec::new();
        let mut categories: HashMap<String, (ProductFigures, ProductFigures)> = HashMap::new();
        for product in self.store.products()? {
            let delivered = self.delivered(product.id)?;
            if delivered.by_day.is_empty() {
                continue;
            }
            let costed = self.costing(product.id, method)?;
            let sum = |days: crate::model::DateSpan| {
                let mut f = ProductFigures {
                    key: product.id.to_string(),
                    name: label(&product),
                    category: product.category.clone().unwrap_or_default(),
                    ..ProductFigures::default()
                };
                for (_, id, quantity, revenue) in delivered.between(days.from, days.to) {
                    f.quantity.0 += quantity;
                    f.revenue.0 += revenue;
                    f.cost.0 += costed.costs.get(id).map_or(0, |c| c.0);
                }
                f.margin = Cents(f.revenue.0 - f.cost.0);
                f
            };
            let (now, before) = (sum(span), sum(previous));
            if now.quantity.0 == 0 && before.quantity.0 == 0 {
                continue;
            }
            let category = categories.entry(now.category.clone()).or_insert_with(|| {
                let empty = ProductFigures {
                    key: now.category.clone(),
                    name: now.category.clone(),
                    category: now.category.clone(),
                    ..ProductFigures::default()
                };
                (empty.clone(), empty)
            });
            category.0.add(&now);
            category.1.add(&before);
            products.push((now, before));
        }
        let rated = |(now, before): (ProductFigures, ProductFigures)| ProductFigures {
            previous_margin_rate: before.margin_rate(),
            ..now
        };
        let mut by_product: Vec<ProductFigures> = products.into_iter().map(rated).collect();
        let mut by_category: Vec<ProductFigures> = categories.into_values().map(rated).collect();
        let by_revenue = |a: &ProductFigures, b: &ProductFigures| {
            b.revenue.cmp(&a.revenue).then_with(|| a.key.cmp(&b.key))
        };
        by_product.sort_by(by_revenue);
        by_category.sort_by(by_revenue);
        let mut falling: Vec<ProductFigures> = by_product
            .iter()
            .filter(|p| p.rate_change().is_some_and(|c| c < 0.0))
            .cloned()
            .collect();
        falling.sort_by(|a, b| {
            a.rate_change()
                .unwrap_or(0.0)
                .total_cmp(&b.rate_change().unwrap_or(0.0))
                .then_with(|| a.key.cmp(&b.key))
        });
        falling.truncate(FALLING_PRODUCTS);
        Ok(ProductReport {
            method,
            period: span,
            previous,
            products: by_product,
            categories: by_category,
            falling,
        })
    }

    /// What a product delivered and earned: kept, or worked out from its
    /// deliveries and their contracts' lines and kept.
    /// Costs every product's moves by the company's method and sums what
    /// each delivered, kept as the pages that need them keep them, so the
    /// first product analysis or stock page does not work out 2,000
    /// products (seconds at the `large` size).
    pub fn warm_stock_figures(&self) -> Result<()> {
        let method = self.store.sales_settings()?.cost_method;
        for product in self.store.products()? {
            self.delivered(product.id)?;
            self.costing(product.id, method)?;
        }
        Ok(())
    }

    fn delivered(&self, product: Id) -> Result<Arc<Delivered>> {
        let version = self.store.delivery_version(product);
        let terms = self.store.terms_changes();
        if let Some(kept) = self
            .stock_figures
            .delivered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&product)
            && (kept.at, kept.lines_at) == (version, terms)
        {
            return Ok(kept.figure.clone());
        }
        let delivered = Arc::new(self.work_out_delivered(product)?);
        self.stock_figures
            .delivered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                product,
                Kept {
                    at: version,
                    lines_at: terms,
                    figure: delivered.clone(),
                },
            );
        Ok(delivered)
    }

    fn work_out_delivered(&self, product: Id) -> Result<Delivered> {
        let moves = self.store.stock_moves_of_product(product)?;
        let mut out = Delivered {
            quantity: 0,
            revenue: 0,
            by_day: Vec::new(),
        };
        let mut terms = HashMap::new();
        for m in moves.iter().filter(|m| m.kind == StockMoveKind::Delivery) {
            let (Some(contract), Some(line)) = (m.contract_id, m.line) else {
                continue;
            };
            if let std::collections::hash_map::Entry::Vacant(e) = terms.entry(contract) {
                e.insert(self.store.contract(contract)?);
            }
            let Some(Some(c)) = terms.get(&contract) else {
                continue;
            };
            let Some(l) = c.terms.lines.get(line as usize) else {
                continue;
            };
            let out_quantity = Quantity(-m.quantity.0);
            let revenue = stock::delivered_revenue(l, out_quantity).0;
            out.quantity += out_quantity.0;
            out.revenue += revenue;
            out.by_day.push((m.date, m.id, out_quantity.0, revenue));
        }
        out.by_day.sort_unstable_by_key(|d| (d.0, d.1));
        out.by_day.shrink_to_fit();
        Ok(out)
    }

    /// A product's margin from all its moves and the lines they delivered,
    /// worked out now (what `product_margin` keeps must equal).
    #[cfg(test)]
    fn work_out_margin(&self, product: Id, method: CostMethod) -> Result<ProductMargin> {
        let delivered = self.work_out_delivered(product)?;
        let (_, costed) = self.costed(product, method)?;
        Ok(margin_of(product, method, &delivered, &costed))
    }
}

fn margin_of(
    product: Id,
    method: CostMethod,
    delivered: &Delivered,
    costed: &Costed,
) -> ProductMargin {
    let cost: i64 = delivered
        .by_day
        .iter()
        .map(|(_, m, ..)| costed.costs.get(m).map_or(0, |c| c.0))
        .sum();
    ProductMargin {
        product_id: product,
        method,
        on_hand: costed.on_hand,
        value: costed.value,
        delivered: Quantity(delivered.quantity),
        revenue: Cents(delivered.revenue),
        cost: Cents(cost),
        margin: Cents(delivered.revenue - cost),
    }
}

fn require_active(me: &User) -> Result<()> {
    if !me.active {
        return Err(Error::Forbidden);
    }
    Ok(())
}

fn require_stock_keeper(me: &User) -> Result<()> {
    require_active(me)?;
    match me.role {
        Role::Admin | Role::Manager => Ok(()),
        Role::Rep => Err(Error::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        ContractAction, CustomerInput, CustomerKind, ProductInput, QuoteAction, QuoteInput,
        QuoteLineInput, SalesSettingsInput,
    };
    use crate::service::Actor;
    use chrono::NaiveDate;

    fn march(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn product(gx: &Guanxi, admin: &User, code: &str, threshold: Option<&str>) -> Id {
        gx.create_product(
            admin,
            ProductInput {
                code: code.into(),
                name: "服务器".into(),
                unit: "台".into(),
                list_price: "150".into(),
                standard_cost: "80".into(),
                low_stock_threshold: threshold.map(Into::into),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    }

    /// An executing contract of `me` selling `quantity` of `product` at
    /// ¥150.00, tax 0, plus a free-text line (index 1).
    fn executing_contract(gx: &Guanxi, me: &User, product: Id, quantity: &str) -> Id {
        let customer = gx
            .create_customer(
                me,
                CustomerInput {
                    name: format!("客户 {}", Id::generate()),
                    kind: CustomerKind::Company,
                    customer_type: "potential".into(),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap()
            .id;
        let quote = gx
            .create_quote(
                me,
                QuoteInput {
                    customer_id: Some(customer),
                    title: "服务器采购".into(),
                    lines: vec![
                        QuoteLineInput {
                            product_id: Some(product),
                            quantity: quantity.into(),
                            unit_price: "150".into(),
                            ..Default::default()
                        },
                        QuoteLineInput {
                            description: "安装服务".into(),
                            unit: "次".into(),
                            quantity: "1".into(),
                            unit_price: "500".into(),
                            ..Default::default()
                        },
                    ],
                    tax_rate: "0".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        gx.quote_action(me, quote.id, None, QuoteAction::Send)
            .unwrap();
        gx.quote_action(me, quote.id, None, QuoteAction::Accept)
            .unwrap();
        let contract = gx.contract_from_quote(me, quote.id).unwrap();
        gx.contract_action(me, contract.id, None, ContractAction::Sign)
            .unwrap();
        contract.id
    }

    fn buy(gx: &Guanxi, me: &User, product: Id, day: u32, quantity: &str, cost: &str) {
        gx.stock_in(
            me,
            StockInInput {
                product_id: product,
                quantity: quantity.into(),
                unit_cost: cost.into(),
                date: march(day),
                supplier: Some("深圳华强".into()),
            },
        )
        .unwrap();
    }

    fn deliver(
        gx: &Guanxi,
        me: &User,
        contract: Id,
        line: u32,
        day: u32,
        quantity: &str,
    ) -> Result<StockMove> {
        gx.deliver(
            me,
            contract,
            DeliveryInput {
                line,
                quantity: quantity.into(),
                date: march(day),
            },
        )
    }

    fn set_method(gx: &Guanxi, admin: &User, method: CostMethod) {
        let current = gx.sales_settings().unwrap();
        let mut form = SalesSettingsInput::from(&current);
        form.cost_method = method;
        gx.update_sales_settings(Actor::User(admin), form, current.version)
            .unwrap();
    }

    fn line_figures(gx: &Guanxi, me: &User, contract: Id) -> (Cents, Cents) {
        let stock = gx.contract_stock(me, contract).unwrap();
        (stock.lines[0].cost, stock.lines[0].margin)
    }

    fn yuan(y: i64) -> Cents {
        Cents(y * 100)
    }

    /// The acceptance facts, end to end through the service: the
    /// margin follows the company's method and a backdated stock-in.
    #[test]
    fn margin_follows_the_cost_method_and_a_backdated_stock_in() {
        let (_dir, gx, admin) = set_up_company();
        let p = product(&gx, &admin, "SRV-01", None);
        let contract = executing_contract(&gx, &admin, p, "15");
        buy(&gx, &admin, p, 1, "10", "100.00");
        buy(&gx, &admin, p, 5, "10", "120.00");
        deliver(&gx, &admin, contract, 0, 10, "15").unwrap();

        set_method(&gx, &admin, CostMethod::Fifo);
        assert_eq!(
            line_figures(&gx, &admin, contract),
            (yuan(1_600), yuan(650))
        );
        set_method(&gx, &admin, CostMethod::WeightedAverage);
        assert_eq!(
            line_figures(&gx, &admin, contract),
            (yuan(1_650), yuan(600))
        );

        buy(&gx, &admin, p, 2, "10", "90.00");
        assert_eq!(
            line_figures(&gx, &admin, contract),
            (yuan(1_550), yuan(700))
        );
        set_method(&gx, &admin, CostMethod::Fifo);
        assert_eq!(
            line_figures(&gx, &admin, contract),
            (yuan(1_450), yuan(800))
        );

        let margin = gx.product_margin(&admin, p).unwrap();
        assert_eq!(
            (margin.delivered, margin.revenue, margin.cost, margin.margin),
            (Quantity::units(15), yuan(2_250), yuan(1_450), yuan(800))
        );
        // FIFO took the 10 @ ¥100 and 5 of the 10 @ ¥90: left are 5 @ ¥90
        // and 10 @ ¥120.
        assert_eq!(margin.on_hand, Quantity::units(15));
        assert_eq!(margin.value, yuan(5 * 90 + 10 * 120));
        let stock = gx.contract_stock(&admin, contract).unwrap();
        assert_eq!(stock.deliveries.len(), 1);
        assert_eq!(stock.deliveries[0].cost, Some(yuan(1_450)));
        // Goods all delivered, nothing paid: half way.
        assert_eq!(stock.completion, 50);
    }

    /// The product analysis of a month: the acceptance facts' delivery
    /// with its FIFO cost, compared with the month before; a rep may not
    /// see costs.
    #[test]
    fn product_report_has_the_periods_margin_by_the_cost_method() {
        use chrono::TimeZone;
        let (_dir, gx, admin) = set_up_company();
        let p = product(&gx, &admin, "SRV-01", None);
        let contract = executing_contract(&gx, &admin, p, "15");
        buy(&gx, &admin, p, 1, "10", "100.00");
        buy(&gx, &admin, p, 5, "10", "120.00");
        buy(&gx, &admin, p, 2, "10", "90.00");
        deliver(&gx, &admin, contract, 0, 10, "15").unwrap();
        set_method(&gx, &admin, CostMethod::Fifo);
        let at = |m: u32, d: u32| {
            chrono_tz::Asia::Shanghai
                .with_ymd_and_hms(2026, m, d, 12, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        let month = crate::model::ReportParams {
            period: "month".into(),
            ..Default::default()
        };
        let march = gx.product_report(&admin, &month, at(3, 20)).unwrap();
        assert_eq!(march.products.len(), 1);
        let row = &march.products[0];
        assert_eq!(
            (row.quantity, row.revenue, row.cost, row.margin),
            (Quantity::units(15), yuan(2_250), yuan(1_450), yuan(800))
        );
        assert_eq!(row.name, "SRV-01 服务器");
        assert_eq!(row.previous_margin_rate, None, "nothing in February");
        assert_eq!(march.categories[0].margin, yuan(800));
        assert!(march.falling.is_empty());

        // April: 10 bought @ ¥200 on the 1st, 5 more sold at ¥150 on the
        // 2nd; FIFO takes them from the 5 @ ¥90 left of 2 March.
        gx.stock_in(
            &admin,
            StockInInput {
                product_id: p,
                quantity: "10".into(),
                unit_cost: "200".into(),
                date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                supplier: None,
            },
        )
        .unwrap();
        let second = executing_contract(&gx, &admin, p, "5");
        gx.deliver(
            &admin,
            second,
            DeliveryInput {
                line: 0,
                quantity: "5".into(),
                date: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
            },
        )
        .unwrap();
        let april = gx.product_report(&admin, &month, at(4, 20)).unwrap();
        let row = &april.products[0];
        assert_eq!(
            (row.revenue, row.cost, row.margin),
            (yuan(750), yuan(450), yuan(300))
        );
        assert_eq!(row.previous_margin_rate, Some(800.0 / 2250.0));
        assert!(row.rate_change().unwrap() > 0.0);
        assert_eq!(
            april.previous.to,
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        // By weighted average April's units cost (15 × ¥103.33… + 10 ×
        // ¥200) / 25 = ¥142: 5 × ¥142 = ¥710 against ¥750, a margin rate
        // of 5.3 % after March's 700 / 2,250 = 31.1 %.
        set_method(&gx, &admin, CostMethod::WeightedAverage);
        let april = gx.product_report(&admin, &month, at(4, 20)).unwrap();
        assert_eq!(april.products[0].cost, yuan(710));
        assert_eq!(april.falling.len(), 1, "{april:?}");
        assert_eq!(april.falling[0].previous_margin_rate, Some(700.0 / 2250.0));
        let rep = person(&gx, &admin, "rep@example.cn", Role::Rep, None);
        assert_eq!(
            gx.product_report(&rep, &month, at(4, 20)),
            Err(Error::Forbidden)
        );
    }

    /// Every kept figure of `products`, asked for the usual way (from
    /// memory when kept) and worked out again from the moves.
    fn figures_match_a_recomputation(gx: &Guanxi, admin: &User, products: &[Id], contracts: &[Id]) {
        for method in [CostMethod::WeightedAverage, CostMethod::Fifo] {
            set_method(gx, admin, method);
            for &p in products {
                // Twice: the second answer comes from memory.
                for _ in 0..2 {
                    let kept = gx.product_margin(admin, p).unwrap();
                    assert_eq!(kept, gx.work_out_margin(p, method).unwrap(), "{method:?}");
                    let costing = gx.costing(p, method).unwrap();
                    let (_, fresh) = gx.costed(p, method).unwrap();
                    assert_eq!(
                        (&costing.costs, costing.on_hand, costing.value),
                        (&fresh.costs, fresh.on_hand, fresh.value)
                    );
                }
            }
            for &c in contracts {
                let stock = gx.contract_stock(admin, c).unwrap();
                for line in &stock.lines {
                    let Some(p) = line.product_id else { continue };
                    let (moves, fresh) = gx.costed(p, method).unwrap();
                    let cost: i64 = moves
                        .iter()
                        .filter(|m| m.contract_id == Some(c) && m.line == Some(line.line))
                        .map(|m| fresh.costs.get(&m.id).expect("a cost").0)
                        .sum();
                    assert_eq!(line.cost, Cents(cost), "{method:?}");
                }
            }
        }
    }

    #[test]
    fn kept_stock_figures_equal_a_recomputation_after_a_mix_of_writes() {
        let (_dir, gx, admin) = set_up_company();
        let a = product(&gx, &admin, "SRV-01", Some("3"));
        let b = product(&gx, &admin, "SRV-02", None);
        let first = executing_contract(&gx, &admin, a, "20");
        let second = executing_contract(&gx, &admin, b, "6");
        let all = [a, b];
        let contracts = [first, second];
        figures_match_a_recomputation(&gx, &admin, &all, &contracts);
        buy(&gx, &admin, a, 3, "10", "100");
        buy(&gx, &admin, b, 3, "8", "55.5");
        figures_match_a_recomputation(&gx, &admin, &all, &contracts);
        // Worked out ahead, as at start-up, then followed by the writes.
        gx.warm_stock_figures().unwrap();
        deliver(&gx, &admin, first, 0, 5, "4").unwrap();
        deliver(&gx, &admin, second, 0, 6, "5").unwrap();
        buy(&gx, &admin, a, 7, "10", "130");
        figures_match_a_recomputation(&gx, &admin, &all, &contracts);
        deliver(&gx, &admin, first, 0, 9, "9").unwrap();
        // Backdated: reprices the deliveries after it under FIFO.
        buy(&gx, &admin, a, 1, "5", "80");
        gx.adjust_stock(
            &admin,
            AdjustmentInput {
                product_id: b,
                quantity: "-1".into(),
                reason: "损坏".into(),
                date: march(8),
            },
        )
        .unwrap();
        figures_match_a_recomputation(&gx, &admin, &all, &contracts);
        // A changed line earns another share of its net.
        let c = gx.contract(&admin, first).unwrap();
        gx.update_contract(
            &admin,
            first,
            c.version,
            crate::model::ContractInput {
                title: c.terms.title.clone(),
                lines: vec![
                    QuoteLineInput {
                        product_id: Some(a),
                        quantity: "20".into(),
                        unit_price: "180".into(),
                        ..Default::default()
                    },
                    QuoteLineInput {
                        description: "安装服务".into(),
                        unit: "次".into(),
                        quantity: "1".into(),
                        unit_price: "500".into(),
                        ..Default::default()
                    },
                ],
                tax_rate: "0".into(),
                plan: Some(vec![crate::model::InstallmentInput {
                    due: Some(gx.company_today()),
                    amount: "4,100".into(),
                }]),
                ..Default::default()
            },
        )
        .unwrap();
        figures_match_a_recomputation(&gx, &admin, &all, &contracts);
        let margin = gx.product_margin(&admin, a).unwrap();
        assert_eq!(margin.revenue, yuan(13 * 180));
    }

    #[test]
    fn delivering_more_than_on_hand_or_than_the_line_has_left_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let p = product(&gx, &admin, "SRV-01", None);
        let contract = executing_contract(&gx, &admin, p, "15");
        buy(&gx, &admin, p, 5, "10", "100");
        assert_eq!(
            deliver(&gx, &admin, contract, 0, 6, "12"),
            Err(Error::StockShortage {
                product: "SRV-01 服务器".into(),
                on_hand: Quantity::units(10),
                date: march(6),
            })
        );
        // Before the goods came in there was nothing on hand.
        assert_eq!(
            deliver(&gx, &admin, contract, 0, 4, "1"),
            Err(Error::StockShortage {
                product: "SRV-01 服务器".into(),
                on_hand: Quantity(0),
                date: march(4),
            })
        );
        deliver(&gx, &admin, contract, 0, 8, "8").unwrap();
        // 2 left on hand from the 8th: a delivery of 3 backdated to the 6th
        // fits that day but would leave the 8th short.
        buy(&gx, &admin, p, 9, "20", "100");
        assert_eq!(
            deliver(&gx, &admin, contract, 0, 6, "3"),
            Err(Error::StockShortage {
                product: "SRV-01 服务器".into(),
                on_hand: Quantity::units(7),
                date: march(8),
            })
        );
        // The line has 7 of its 15 left to deliver.
        assert_eq!(
            deliver(&gx, &admin, contract, 0, 10, "8"),
            Err(Error::OverDelivery {
                undelivered: Quantity::units(7)
            })
        );
        // A free-text line has nothing in stock; no line 9.
        for line in [1, 9] {
            assert_eq!(
                deliver(&gx, &admin, contract, line, 10, "1"),
                Err(Error::invalid(Field::Line, Problem::Unknown))
            );
        }
        assert_eq!(
            deliver(&gx, &admin, contract, 0, 10, "0"),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
        let tomorrow = gx.company_today() + chrono::Duration::days(1);
        assert_eq!(
            gx.deliver(
                &admin,
                contract,
                DeliveryInput {
                    line: 0,
                    quantity: "1".into(),
                    date: tomorrow,
                }
            ),
            Err(Error::invalid(Field::At, Problem::InFuture))
        );
        let stock = gx.contract_stock(&admin, contract).unwrap();
        assert_eq!(stock.deliveries.len(), 1);
        assert_eq!(stock.lines[0].delivered, Quantity::units(8));
        let levels = gx.stock_levels(&admin).unwrap().levels;
        assert_eq!(levels[0].on_hand, Quantity::units(22));
        // A contract with deliveries is cancelled, not deleted.
        assert_eq!(
            gx.delete_contract(&admin, contract, None),
            Err(Error::HasDeliveries)
        );
    }

    /// Deliveries name their line by position: new terms that reorder the
    /// lines take the deliveries along; terms that drop a delivered line,
    /// or order less than left the warehouse, are refused whole.
    #[test]
    fn new_terms_keep_each_delivery_on_its_line_or_are_refused() {
        use crate::model::ContractInput;
        let (_dir, gx, admin) = set_up_company();
        let p = product(&gx, &admin, "SRV-01", None);
        let contract = executing_contract(&gx, &admin, p, "15");
        buy(&gx, &admin, p, 5, "10", "100");
        deliver(&gx, &admin, contract, 0, 6, "8").unwrap();
        let current = gx.contract(&admin, contract).unwrap();
        let lines: Vec<QuoteLineInput> = current
            .terms
            .lines
            .iter()
            .map(QuoteLineInput::from)
            .collect();
        let terms = |lines: Vec<QuoteLineInput>| ContractInput {
            title: current.terms.title.clone(),
            lines,
            tax_rate: "0".into(),
            plan: Some(vec![crate::model::InstallmentInput {
                due: Some(gx.company_today()),
                amount: "500".into(),
            }]),
            ..Default::default()
        };
        let refused = |result: Result<crate::model::Contract>| match result {
            Err(Error::LineDelivered { delivered, .. }) => delivered,
            other => panic!("{other:?}"),
        };
        // Without the product's line: refused, nothing changes.
        let dropped = gx.update_contract(
            &admin,
            contract,
            current.version,
            terms(vec![lines[1].clone()]),
        );
        assert_eq!(refused(dropped), Quantity::units(8));
        // Fewer than the 8 delivered.
        let mut fewer = lines.clone();
        fewer[0].quantity = "7".into();
        let amount = ContractInput {
            plan: Some(vec![crate::model::InstallmentInput {
                due: Some(gx.company_today()),
                amount: "1550".into(),
            }]),
            ..terms(fewer)
        };
        let below = gx.update_contract(&admin, contract, current.version, amount);
        assert_eq!(refused(below), Quantity::units(8));
        assert_eq!(gx.contract(&admin, contract).unwrap(), current);

        // The lines the other way round: the delivery follows its line.
        let swapped = ContractInput {
            plan: None,
            ..terms(vec![lines[1].clone(), lines[0].clone()])
        };
        let saved = gx
            .update_contract(&admin, contract, current.version, swapped)
            .unwrap();
        assert_eq!(saved.terms.lines[1].product_id, Some(p));
        let stock = gx.contract_stock(&admin, contract).unwrap();
        assert_eq!(stock.lines[1].delivered, Quantity::units(8));
        assert_eq!(stock.lines[0].delivered, Quantity(0));
        assert_eq!(stock.deliveries.len(), 1);
        // The rest of line 1 (the product's now) still delivers.
        deliver(&gx, &admin, contract, 1, 7, "2").unwrap();
        assert_eq!(
            deliver(&gx, &admin, contract, 1, 7, "6"),
            Err(Error::OverDelivery {
                undelivered: Quantity::units(5)
            })
        );
    }

    #[test]
    fn adjustments_need_a_reason_and_may_not_go_below_zero() {
        let (_dir, gx, admin) = set_up_company();
        let p = product(&gx, &admin, "SRV-01", Some("5"));
        buy(&gx, &admin, p, 1, "6", "100");
        let adjust = |quantity: &str, reason: &str| {
            gx.adjust_stock(
                &admin,
                AdjustmentInput {
                    product_id: p,
                    quantity: quantity.into(),
                    reason: reason.into(),
                    date: march(2),
                },
            )
        };
        assert_eq!(
            adjust("-1", " "),
            Err(Error::invalid(Field::Reason, Problem::Required))
        );
        assert_eq!(
            adjust("-7", "盘亏").unwrap_err(),
            Error::StockShortage {
                product: "SRV-01 服务器".into(),
                on_hand: Quantity::units(6),
                date: march(2),
            }
        );
        assert!(gx.low_stock(&admin).unwrap().is_empty());
        let down = adjust("-1", "运输损坏").unwrap();
        assert_eq!(down.unit_cost, None);
        // 5 on hand, the threshold is 5: low.
        let low = gx.low_stock(&admin).unwrap();
        assert_eq!((low.len(), low[0].on_hand), (1, Quantity::units(5)));
        // Found goods come in at the standard cost.
        let up = adjust("+2", "盘盈").unwrap();
        assert_eq!(up.unit_cost, Some(yuan(80)));
        assert!(gx.low_stock(&admin).unwrap().is_empty());
        let moves = gx.stock_moves(&admin, Some(p)).unwrap();
        assert_eq!(moves.len(), 3);
        // The broken one cost ¥100.00 (the only price paid).
        let broken = moves.iter().find(|m| m.movement.id == down.id).unwrap();
        assert_eq!(broken.cost, Some(yuan(100)));
    }

    #[test]
    fn reps_see_on_hand_and_deliver_only_against_contracts_they_may_change() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        let p = product(&gx, &admin, "SRV-01", None);
        let input = StockInInput {
            product_id: p,
            quantity: "10".into(),
            unit_cost: "100".into(),
            date: march(1),
            supplier: None,
        };
        assert_eq!(gx.stock_in(&rep, input.clone()), Err(Error::Forbidden));
        gx.stock_in(&manager, input).unwrap();
        assert_eq!(gx.stock_moves(&rep, None), Err(Error::Forbidden));
        assert_eq!(gx.product_margin(&rep, p), Err(Error::Forbidden));
        assert_eq!(
            gx.stock_levels(&rep).unwrap().levels[0].on_hand,
            Quantity::units(10)
        );

        let contract = executing_contract(&gx, &rep, p, "4");
        assert_eq!(
            deliver(&gx, &other, contract, 0, 2, "1"),
            Err(Error::NotFound)
        );
        assert_eq!(gx.contract_stock(&other, contract), Err(Error::NotFound));
        deliver(&gx, &rep, contract, 0, 2, "1").unwrap();
        deliver(&gx, &manager, contract, 0, 2, "1").unwrap();
        let seen = gx.contract_stock(&rep, contract).unwrap();
        assert!(seen.may_deliver);
        assert_eq!(seen.lines[0].delivered, Quantity::units(2));
        assert_eq!(gx.stock_moves(&manager, None).unwrap().len(), 3);

        // A completed contract delivers no more.
        gx.contract_action(&rep, contract, None, ContractAction::Complete)
            .unwrap();
        assert_eq!(
            deliver(&gx, &rep, contract, 0, 2, "1"),
            Err(Error::WrongStatus {
                status: "completed".into()
            })
        );
        assert!(!gx.contract_stock(&rep, contract).unwrap().may_deliver);
    }
}
