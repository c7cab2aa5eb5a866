//! The order rows of a spreadsheet import: past contracts with their lines
//! and payments (the upload, the jobs and the dry run are `import.rs`'s,
//! shared with customers and products).
//!
//! Rows with the same order number are one order, its lines in file order.
//! The order's own cells (customer, sign date, owner, tax rate, amount
//! received and its date) are read from its first row; a later row may
//! leave them empty, and one that says otherwise is a row problem. An order
//! with any bad row is refused whole, so no order is written with a line
//! missing. Totals are worked out from the lines by the contract's money
//! rules, never read. An order becomes a contract signed on its date, with
//! one installment of its gross due that day and, when the sheet says what
//! was received, a payment: completed when paid in full, executing
//! otherwise. Orders are written through the bulk path the demo data uses,
//! a batch per transaction, which keeps the contracts in memory (lists,
//! receivables) as the app's own writes do.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};

use super::Guanxi;
use crate::domain::order_import::{self, OrderRow};
use crate::domain::products::code_key;
use crate::domain::spreadsheet::Table;
use crate::domain::{matching, money, quotes, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Cents, Contract, ContractStatus, ContractTerms, DuplicateField, DuplicateMode, Id, ImportPlan,
    Installment, MAX_LISTED_PROBLEMS, OwnerShare, Payment, PaymentMethod, Product, QuoteLine, Rate,
    RowProblem, Target, User,
};
use crate::store::NewContract;

/// A problem of an order: the row (index in the table), the column to
/// blame, and what is wrong.
type OrderProblem = (usize, Option<usize>, Error);

/// A row as read: its cells checked, or its problems by column.
type ReadRow = std::result::Result<OrderRow, Vec<(Option<usize>, Error)>>;

/// What the rows of one import are checked against, read once.
struct OrderRules<'a> {
    me: &'a User,
    mapping: &'a [Target],
    mode: DuplicateMode,
    today: NaiveDate,
    default_tax: Rate,
    taken: HashSet<String>,
    products: HashMap<String, Product>,
    /// Users by lower-cased email.
    users: HashMap<String, User>,
    users_by_id: HashMap<Id, User>,
}

impl OrderRules<'_> {
    fn column(&self, target: &Target) -> Option<usize> {
        self.mapping.iter().position(|t| t == target)
    }
}

impl Guanxi {
    /// Plans the orders of `table`; `write` receives each order to create,
    /// in the order of its first row, with the rows read so far.
    pub(super) fn plan_orders(
        &self,
        me: &User,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        mut write: impl FnMut(usize, NewContract) -> Result<()>,
    ) -> Result<ImportPlan> {
        // Checked at every step, not only the upload: a role can change.
        super::products::require_product_editor(me)?;
        if let Some(problem) = order_import::header_problems(mapping) {
            return Err(problem);
        }
        let rows: Vec<ReadRow> = table
            .rows
            .iter()
            .map(|cells| {
                order_import::convert_row(cells, mapping).map_err(|problems| {
                    problems
                        .into_iter()
                        .map(|p| (Some(p.column), p.error))
                        .collect()
                })
            })
            .collect();
        // Orders in the order of their first rows, a row with a bad cell
        // in its order too (which then fails whole); a row without a
        // readable number is an order of its own, refused.
        let number_column = mapping.iter().position(|t| *t == Target::OrderNumber);
        let mut orders: Vec<(Option<String>, Vec<usize>)> = Vec::new();
        let mut by_number: HashMap<String, usize> = HashMap::new();
        for (index, cells) in table.rows.iter().enumerate() {
            let number = match &rows[index] {
                Ok(r) => Some(r.number.clone()),
                Err(_) => number_column
                    .and_then(|c| cells.get(c))
                    .and_then(|cell| order_import::order_number(cell).ok()),
            };
            match number {
                Some(number) => match by_number.get(&number) {
                    Some(&order) => orders[order].1.push(index),
                    None => {
                        by_number.insert(number.clone(), orders.len());
                        orders.push((Some(number), vec![index]));
                    }
                },
                None => orders.push((None, vec![index])),
            }
        }
        let users = self.store.users()?;
        let rules = OrderRules {
            me,
            mapping,
            mode,
            today: self.company_today(),
            default_tax: self.store.sales_settings()?.default_tax_rate,
            taken: self
                .store
                .contract_numbers_taken(by_number.keys().map(String::as_str))?,
            products: self
                .store
                .products()?
                .into_iter()
                .map(|p| (code_key(&p.code), p))
                .collect(),
            users: users
                .iter()
                .map(|u| (u.email.to_lowercase(), u.clone()))
                .collect(),
            users_by_id: users.into_iter().map(|u| (u.id, u)).collect(),
        };
        let mut customers: HashMap<String, std::result::Result<Id, Error>> = HashMap::new();
        let mut plan = ImportPlan::default();
        let mut done = 0;
        for (number, order) in &orders {
            done += order.len();
            match self.plan_order(&rules, &rows, number.as_deref(), order, &mut customers) {
                Ok(Some(new)) => {
                    plan.create += 1;
                    plan.lines += new.contract.terms.lines.len();
                    plan.payments += new.payments.len();
                    write(done, new)?;
                }
                Ok(None) => plan.skip += 1,
                Err(mut problems) => {
                    plan.failed += 1;
                    problems.sort_by_key(|(row, column, _)| (*row, *column));
                    for (row, column, error) in problems {
                        if plan.problems.len() < MAX_LISTED_PROBLEMS {
                            plan.problems.push(RowProblem {
                                row: row + 2,
                                column: column.and_then(|c| table.headers.get(c).cloned()),
                                error,
                            });
                        }
                    }
                }
            }
        }
        // Problems by row, as the sheet reads, whatever order they were in.
        plan.problems.sort_by_key(|p| p.row);
        Ok(plan)
    }

    /// One order from its rows (indexes into `rows`, in file order):
    /// `None` skips it (its number exists and the mode skips).
    fn plan_order(
        &self,
        rules: &OrderRules,
        rows: &[ReadRow],
        number: Option<&str>,
        order: &[usize],
        customers: &mut HashMap<String, std::result::Result<Id, Error>>,
    ) -> std::result::Result<Option<NewContract>, Vec<OrderProblem>> {
        let first_index = order[0];
        let column = |t: Target| rules.column(&t);
        // An order already in Guanxi is not read any further.
        if let Some(number) = number
            && rules.taken.contains(number)
        {
            return match rules.mode {
                DuplicateMode::Skip | DuplicateMode::Update => Ok(None),
                DuplicateMode::Create => Err(vec![(
                    first_index,
                    column(Target::OrderNumber),
                    Error::invalid(Field::OrderNumber, Problem::Taken),
                )]),
            };
        }
        let mut problems: Vec<OrderProblem> = Vec::new();
        for &index in order {
            if let Err(cells) = &rows[index] {
                problems.extend(cells.iter().map(|(c, e)| (index, *c, e.clone())));
            }
        }
        let Ok(first) = &rows[first_index] else {
            return Err(problems);
        };
        let mut problem = |index: usize, target: Target, error: Error| {
            problems.push((index, rules.column(&target), error));
        };

        // The order's own cells, from its first row.
        let customer = match &first.customer {
            None => {
                problem(
                    first_index,
                    Target::OrderCustomer,
                    Error::invalid(Field::Customer, Problem::Required),
                );
                None
            }
            Some(cell) => {
                let found = customers
                    .entry(matching::fold(cell))
                    .or_insert_with(|| self.match_customer(rules.me, cell, &rules.users_by_id))
                    .clone();
                match found {
                    Ok(id) => Some(id),
                    Err(e) => {
                        problem(first_index, Target::OrderCustomer, e);
                        None
                    }
                }
            }
        };
        let sign_date = match first.sign_date {
            None => {
                problem(
                    first_index,
                    Target::SignDate,
                    Error::invalid(Field::SignDate, Problem::Required),
                );
                None
            }
            Some(day) if day > rules.today => {
                problem(
                    first_index,
                    Target::SignDate,
                    Error::invalid(Field::SignDate, Problem::InFuture),
                );
                None
            }
            Some(day) => Some(day),
        };
        let owner = match &first.owner {
            None => Some(rules.me.id),
            Some(email) => match rules.users.get(email) {
                None => {
                    problem(
                        first_index,
                        Target::OrderOwner,
                        Error::invalid(Field::Owner, Problem::Unknown),
                    );
                    None
                }
                Some(user) if !visibility::can_edit(rules.me, Some(user)) => {
                    problem(first_index, Target::OrderOwner, Error::Forbidden);
                    None
                }
                Some(user) => Some(user.id),
            },
        };
        if first.received_on.is_some_and(|day| day > rules.today) {
            problem(
                first_index,
                Target::ReceivedOn,
                Error::invalid(Field::ReceivedOn, Problem::InFuture),
            );
        }
        if first.received_on.is_some() && first.received.is_none() {
            problem(
                first_index,
                Target::AmountReceived,
                Error::invalid(Field::Amount, Problem::Required),
            );
        }
        let tax_rate = first.tax_rate.unwrap_or(rules.default_tax);

        // Later rows may repeat the order's cells, not contradict them.
        let first_row = (first_index + 2) as u32;
        for &index in &order[1..] {
            let Ok(row) = &rows[index] else { continue };
            let same_customer = |c: &String| {
                first
                    .customer
                    .as_ref()
                    .is_some_and(|f| matching::fold(f) == matching::fold(c))
            };
            let checks = [
                (
                    Target::OrderCustomer,
                    row.customer.as_ref().is_some_and(|c| !same_customer(c)),
                ),
                (
                    Target::SignDate,
                    row.sign_date.is_some() && row.sign_date != first.sign_date,
                ),
                (
                    Target::OrderOwner,
                    row.owner.is_some() && row.owner != first.owner,
                ),
                (
                    Target::TaxRate,
                    row.tax_rate.is_some() && row.tax_rate != first.tax_rate,
                ),
                (
                    Target::AmountReceived,
                    row.received.is_some() && row.received != first.received,
                ),
                (
                    Target::ReceivedOn,
                    row.received_on.is_some() && row.received_on != first.received_on,
                ),
            ];
            for (target, bad) in checks {
                if bad {
                    problem(index, target, Error::OrderRowDiffers { row: first_row });
                }
            }
        }

        // The lines, priced by the contract's rules.
        let mut lines = Vec::with_capacity(order.len());
        for (n, &index) in order.iter().enumerate() {
            let Ok(row) = &rows[index] else { continue };
            if n == quotes::MAX_LINES {
                problems.push((
                    index,
                    None,
                    Error::invalid(
                        Field::Lines,
                        Problem::TooLong {
                            max: quotes::MAX_LINES as u32,
                        },
                    ),
                ));
            }
            let product = match &row.product_code {
                None => None,
                Some(code) => match rules.products.get(&code_key(code)) {
                    Some(p) => Some(p),
                    None => {
                        problems.push((
                            index,
                            column(Target::LineProduct),
                            Error::invalid(Field::Product, Problem::Unknown),
                        ));
                        continue;
                    }
                },
            };
            let description = match (&row.description, product) {
                (Some(text), _) => text.clone(),
                (None, Some(p)) => p.name.clone(),
                (None, None) => {
                    problems.push((
                        index,
                        column(Target::LineDescription).or(column(Target::LineProduct)),
                        Error::invalid(Field::Description, Problem::Required),
                    ));
                    continue;
                }
            };
            let unit_price = match (row.unit_price, product) {
                (Some(price), _) => price,
                (None, Some(p)) => p.list_price,
                (None, None) => {
                    problems.push((
                        index,
                        column(Target::UnitPrice),
                        Error::invalid(Field::UnitPrice, Problem::Required),
                    ));
                    continue;
                }
            };
            lines.push(QuoteLine {
                product_id: product.map(|p| p.id),
                code: product.map(|p| p.code.clone()),
                description,
                unit: row
                    .unit
                    .clone()
                    .or_else(|| product.map(|p| p.unit.clone()))
                    .unwrap_or_default(),
                quantity: row.quantity,
                unit_price,
                discount: row.discount,
                net: money::line_net(row.quantity, unit_price, row.discount),
            });
        }
        let totals = money::totals(lines.iter().map(|l| l.net), tax_rate);
        if totals.gross > money::MAX_AMOUNT {
            problems.push((
                first_index,
                column(Target::UnitPrice),
                Error::invalid(Field::Amount, Problem::Malformed),
            ));
        }
        let received = first.received.filter(|r| r.0 > 0);
        if let Some(amount) = received
            && amount > totals.gross
            && lines.len() == order.len()
        {
            problems.push((
                first_index,
                column(Target::AmountReceived),
                Error::PaymentTooLarge {
                    outstanding: totals.gross,
                },
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(customer), Some(sign_date), Some(owner)) = (customer, sign_date, owner) else {
            return Err(problems);
        };
        let now = Utc::now();
        let id = Id::generate();
        let paid = received.unwrap_or(Cents(0));
        let payments: Vec<Payment> = received
            .map(|amount| Payment {
                id: Id::generate(),
                contract_id: id,
                customer_id: customer,
                received_on: first.received_on.unwrap_or(sign_date),
                amount,
                method: PaymentMethod::Other,
                note: None,
                allocations: vec![(0, amount)],
                recorded_by: rules.me.id,
                recorded_at: now,
            })
            .into_iter()
            .collect();
        let contract = Contract {
            id,
            number: first.number.clone(),
            customer_id: customer,
            deal_id: None,
            quote_id: None,
            plan: vec![Installment {
                due: sign_date,
                amount: totals.gross,
                paid,
            }],
            status: if paid == totals.gross {
                ContractStatus::Completed
            } else {
                ContractStatus::Executing
            },
            terms: ContractTerms {
                title: String::new(),
                lines,
                tax_rate,
                totals,
                sign_date,
                owners: vec![OwnerShare {
                    user: owner,
                    percent: 100,
                }],
                note: None,
            },
            approval: None,
            terms_version: 1,
            created_by: rules.me.id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        Ok(Some(NewContract { contract, payments }))
    }

    /// The one live customer a cell names by name, phone or email, that
    /// `me` may sell to.
    fn match_customer(
        &self,
        me: &User,
        cell: &str,
        users: &HashMap<Id, User>,
    ) -> std::result::Result<Id, Error> {
        let mut keys = vec![(DuplicateField::Name, matching::name_key(cell))];
        // A phone only in a cell that looks like one: a company name with
        // five digits in it is no phone number.
        let phone_like = cell
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()（）".contains(c));
        if phone_like {
            keys.extend(matching::phone_key(cell).map(|k| (DuplicateField::Phone, k)));
        }
        if cell.contains('@') {
            keys.push((DuplicateField::Email, matching::email_key(cell)));
        }
        let mut found = Vec::new();
        for (id, _) in self.store.customers_matching(&keys)? {
            if let Some(c) = self.store.customer(id)?
                && c.deleted_at.is_none()
                && !found.iter().any(|f: &crate::model::Customer| f.id == c.id)
            {
                found.push(c);
            }
        }
        let not_matched = || Error::CustomerNotMatched {
            value: cell.to_string(),
        };
        match found.as_slice() {
            [] => Err(not_matched()),
            [one] => {
                let owner = one.owner.and_then(|o| users.get(&o));
                if visibility::can_edit(me, owner) {
                    Ok(one.id)
                } else {
                    Err(Error::Forbidden)
                }
            }
            many => Err(Error::CustomerAmbiguous {
                value: cell.to_string(),
                matches: many.len() as u32,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{
        ContractInput, CustomerInput, ImportKind, ImportStatus, ProductInput, Quantity,
        QuoteLineInput, Role, TypeMapping,
    };

    fn gb18030(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    fn customer(gx: &Guanxi, me: &User, name: &str, phone: &str, email: &str) -> Id {
        gx.create_customer(
            me,
            CustomerInput {
                name: name.into(),
                customer_type: "signed".into(),
                phone: Some(phone.into()).filter(|p: &String| !p.is_empty()),
                email: Some(email.into()).filter(|e: &String| !e.is_empty()),
                ..Default::default()
            },
            vec![],
            true,
        )
        .unwrap()
        .id
    }

    fn product(gx: &Guanxi, me: &User, code: &str, price: &str) -> Product {
        gx.create_product(
            me,
            ProductInput {
                code: code.into(),
                name: format!("产品{code}"),
                unit: "台".into(),
                list_price: price.into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn dry_run(
        gx: &Guanxi,
        me: &User,
        job: Id,
        mapping: &[Target],
        mode: DuplicateMode,
    ) -> ImportPlan {
        gx.import_dry_run(me, job, mapping, mode, &TypeMapping::new())
            .unwrap()
    }

    fn run(gx: &Guanxi, me: &User, job: Id, mapping: &[Target], mode: DuplicateMode) -> ImportPlan {
        gx.run_import(me, job, mapping, mode, &TypeMapping::new())
            .unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// SO-1: two lines (one by product code, its price from the sheet)
    /// with rows of SO-2 between them, half paid; SO-2: one free line,
    /// found by the customer's phone, paid in full.
    const SHEET: &str = "订单号,客户,签订日期,产品编码,品名,单位,数量,单价,折扣,税率,已回款,回款日期\n\
        SO-1,北京星辰科技有限公司,2024-03-15,SRV-01,,,2,\"10,000\",10%,13,\"10,170\",2024/4/1\n\
        SO-2,021-5555 1234,2024/5/6,,安装服务,次,1,800,,0,800,\n\
        SO-1,,,,运维服务,年,1,\"2,000\",,,,\n";

    #[test]
    fn rows_become_orders_priced_by_the_contract_rules_with_their_payments() {
        let (_dir, gx, admin) = set_up_company();
        let star = customer(&gx, &admin, "北京星辰科技有限公司", "", "info@xingchen.cn");
        let moon = customer(&gx, &admin, "上海明月贸易", "021-5555 1234", "");
        let srv = product(&gx, &admin, "SRV-01", "12,800");
        let preview = gx
            .upload_order_import(&admin, "订单.csv", &gb18030(SHEET))
            .unwrap();
        assert_eq!(preview.kind, ImportKind::Orders);
        assert_eq!(preview.encoding, "gb18030");
        assert!(!preview.suggested.contains(&Target::Ignore));
        let plan = dry_run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!(
            (
                plan.create,
                plan.skip,
                plan.failed,
                plan.lines,
                plan.payments
            ),
            (2, 0, 0, 3, 2),
            "{plan:?}"
        );
        assert!(
            gx.contracts(&admin, None).unwrap().is_empty(),
            "a dry run writes nothing"
        );

        let done = run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!(done, plan);
        assert_eq!(
            gx.import_status(&admin, preview.job).unwrap(),
            ImportStatus::Finished(plan)
        );
        let contracts = gx.contracts(&admin, None).unwrap();
        let so1 = contracts.iter().find(|c| c.number == "SO-1").unwrap();
        assert_eq!(so1.customer_id, star);
        assert_eq!(so1.terms.sign_date, day(2024, 3, 15));
        let lines: Vec<_> = so1
            .terms
            .lines
            .iter()
            .map(|l| {
                (
                    l.product_id,
                    l.description.as_str(),
                    l.unit.as_str(),
                    l.quantity,
                    l.unit_price,
                    l.net,
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                (
                    Some(srv.id),
                    "产品SRV-01",
                    "台",
                    Quantity::units(2),
                    Cents(1_000_000),
                    Cents(1_800_000)
                ),
                (
                    None,
                    "运维服务",
                    "年",
                    Quantity::units(1),
                    Cents(200_000),
                    Cents(200_000)
                ),
            ]
        );
        // 18,000 + 2,000 net, 13 % tax on the sum: 22,600 gross.
        assert_eq!(so1.terms.totals.gross, Cents(2_260_000));
        assert_eq!(so1.plan.len(), 1);
        assert_eq!(
            (so1.plan[0].due, so1.plan[0].amount, so1.plan[0].paid),
            (day(2024, 3, 15), Cents(2_260_000), Cents(1_017_000))
        );
        assert_eq!(so1.status, ContractStatus::Executing);
        assert_eq!(so1.lead_owner(), Some(admin.id));
        let payments = gx.payments(&admin, so1.id).unwrap();
        assert_eq!(
            payments
                .iter()
                .map(|p| (p.received_on, p.amount))
                .collect::<Vec<_>>(),
            vec![(day(2024, 4, 1), Cents(1_017_000))]
        );

        let so2 = contracts.iter().find(|c| c.number == "SO-2").unwrap();
        assert_eq!(so2.customer_id, moon);
        assert_eq!(so2.terms.totals.gross, Cents(80_000));
        assert_eq!(so2.status, ContractStatus::Completed);
        assert_eq!(
            gx.payments(&admin, so2.id).unwrap()[0].received_on,
            day(2024, 5, 6),
            "received on the sign date when the sheet does not say"
        );

        // Revenue, receivables and purchases as for a contract made here.
        let today = gx.company_today();
        let money = gx.customer_money(&admin, star, today).unwrap();
        assert_eq!(
            (
                money.revenue,
                money.received,
                money.receivable,
                money.last_purchase
            ),
            (
                Cents(2_260_000),
                Cents(1_017_000),
                Cents(1_243_000),
                Some(day(2024, 3, 15))
            )
        );
        let receivables = gx.receivables(&admin, today).unwrap();
        assert_eq!(receivables.company.total(), Cents(1_243_000));
        assert_eq!(receivables.customers[0].0, star);
    }

    #[test]
    fn every_refusal_is_a_problem_of_its_row_and_fails_the_whole_order() {
        let (_dir, gx, admin) = set_up_company();
        customer(&gx, &admin, "甲公司", "13800000001", "");
        customer(&gx, &admin, "乙公司", "13800000002", "");
        customer(&gx, &admin, "丙公司", "13800000001", "");
        product(&gx, &admin, "SRV-01", "100");
        let year = chrono::Datelike::year(&gx.company_today()) + 1;
        let sheet = format!(
            "订单号,客户,签订日期,产品编码,品名,数量,单价,已回款,负责人\n\
            A-1,无此公司,2024-01-01,,服务,1,100,,\n\
            A-2,13800000001,2024-01-01,,服务,1,100,,\n\
            A-3,乙公司,2024-01-01,,服务,1,100,,\n\
            A-3,乙公司,2024-01-02,,服务,1,100,,\n\
            A-4,乙公司,2024-01-01,,服务,1,100,200,\n\
            A-5,乙公司,2024-01-01,NOPE,,1,,,\n\
            A-6,乙公司,2024-01-01,,,1,100,,\n\
            A-7,乙公司,{year}-01-01,,服务,1,100,,\n\
            A-8,乙公司,2024-01-01,,服务,1,100,,nobody@x.cn\n\
            A-9,乙公司,,,服务,1,100,,\n\
            A-10,乙公司,2024-01-01,SRV-01,,0,,,\n\
            A-11,乙公司,2024-01-01,srv-01,,1,,113,boss@example.cn\n"
        );
        let preview = gx
            .upload_order_import(&admin, "o.csv", sheet.as_bytes())
            .unwrap();
        let plan = dry_run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!((plan.create, plan.failed), (1, 10), "{plan:?}");
        let problems: Vec<(usize, Option<&str>, &Error)> = plan
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref(), &p.error))
            .collect();
        assert_eq!(
            problems,
            vec![
                (
                    2,
                    Some("客户"),
                    &Error::CustomerNotMatched {
                        value: "无此公司".into()
                    }
                ),
                (
                    3,
                    Some("客户"),
                    &Error::CustomerAmbiguous {
                        value: "13800000001".into(),
                        matches: 2
                    }
                ),
                (5, Some("签订日期"), &Error::OrderRowDiffers { row: 4 }),
                (
                    6,
                    Some("已回款"),
                    &Error::PaymentTooLarge {
                        outstanding: Cents(11_300)
                    }
                ),
                (
                    7,
                    Some("产品编码"),
                    &Error::invalid(Field::Product, Problem::Unknown)
                ),
                (
                    8,
                    Some("品名"),
                    &Error::invalid(Field::Description, Problem::Required)
                ),
                (
                    9,
                    Some("签订日期"),
                    &Error::invalid(Field::SignDate, Problem::InFuture)
                ),
                (
                    10,
                    Some("负责人"),
                    &Error::invalid(Field::Owner, Problem::Unknown)
                ),
                (
                    11,
                    Some("签订日期"),
                    &Error::invalid(Field::SignDate, Problem::Required)
                ),
                (
                    12,
                    Some("数量"),
                    &Error::invalid(Field::Quantity, Problem::Malformed)
                ),
            ]
        );
        let done = run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!(done, plan);
        let contracts = gx.contracts(&admin, None).unwrap();
        assert_eq!(contracts.len(), 1);
        assert_eq!(contracts[0].number, "A-11");
        assert_eq!(
            contracts[0].status,
            ContractStatus::Completed,
            "the product's price and the default 13 % tax: 113 paid in full"
        );
    }

    #[test]
    fn an_existing_order_number_is_skipped_or_a_failed_order_and_new_ones_keep_theirs() {
        let (_dir, gx, admin) = set_up_company();
        let star = customer(&gx, &admin, "星辰", "", "a@xingchen.cn");
        let made = gx
            .create_contract(
                &admin,
                star,
                ContractInput {
                    lines: vec![QuoteLineInput {
                        description: "服务".into(),
                        quantity: "1".into(),
                        unit_price: "100".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            )
            .unwrap();
        let year = made.created_at.format("%Y").to_string();
        // The app's own shape, later in the year's sequence than the app
        // has gone: the app goes on after it.
        let ahead = format!("C{year}-00007");
        let sheet = format!(
            "合同编号,客户,日期,摘要,数量,单价\n\
            {},A@XINGCHEN.CN,2024-01-01,服务,1,100\n\
            {ahead},星辰,2024-01-01,服务,1,100\n\
            2019-001,星辰,2019-06-30,服务,1,100\n",
            made.number
        );
        let upload = || {
            gx.upload_order_import(&admin, "o.csv", sheet.as_bytes())
                .unwrap()
        };
        let counts = |p: &ImportPlan| (p.create, p.skip, p.failed);
        let create = upload();
        let plan = dry_run(
            &gx,
            &admin,
            create.job,
            &create.suggested,
            DuplicateMode::Create,
        );
        assert_eq!(counts(&plan), (2, 0, 1));
        assert_eq!(
            (plan.problems[0].row, plan.problems[0].column.as_deref()),
            (2, Some("合同编号"))
        );
        assert_eq!(
            plan.problems[0].error,
            Error::invalid(Field::OrderNumber, Problem::Taken)
        );
        for mode in [DuplicateMode::Skip, DuplicateMode::Update] {
            let skip = upload();
            let plan = dry_run(&gx, &admin, skip.job, &skip.suggested, mode);
            assert_eq!(counts(&plan), (2, 1, 0));
        }
        let skip = upload();
        run(&gx, &admin, skip.job, &skip.suggested, DuplicateMode::Skip);
        let mut numbers: Vec<String> = gx
            .contracts(&admin, None)
            .unwrap()
            .into_iter()
            .map(|c| c.number)
            .collect();
        numbers.sort();
        assert_eq!(numbers, vec!["2019-001".to_string(), made.number, ahead]);
        let next = gx
            .create_contract(
                &admin,
                star,
                ContractInput {
                    lines: vec![QuoteLineInput {
                        description: "服务".into(),
                        quantity: "1".into(),
                        unit_price: "100".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(next.number, format!("C{year}-00008"));
        // A number search by sequence still finds the app's own numbers
        // with imported ones sorting before them.
        let found: Vec<String> = gx
            .search(&admin, "8", 10)
            .unwrap()
            .into_iter()
            .filter_map(|h| h.document.map(|d| d.number))
            .collect();
        assert_eq!(found, vec![next.number.clone()]);

        let again = upload();
        let plan = run(
            &gx,
            &admin,
            again.job,
            &again.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!(counts(&plan), (0, 3, 0), "an import run twice adds nothing");
    }

    #[test]
    fn admins_and_managers_import_orders_for_customers_they_may_sell_to() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let other = person(&gx, &admin, "o@example.cn", Role::Rep, Some("华南"));
        customer(&gx, &rep, "华东客户", "", "");
        customer(&gx, &other, "华南客户", "", "");
        let sheet = "订单号,客户,签订日期,品名,数量,单价,负责人\n\
            E-1,华东客户,2024-01-01,服务,1,100,r@example.cn\n\
            S-1,华南客户,2024-01-01,服务,1,100,\n\
            S-2,华东客户,2024-01-01,服务,1,100,o@example.cn\n";
        assert_eq!(
            gx.upload_order_import(&rep, "o.csv", sheet.as_bytes()),
            Err(Error::Forbidden)
        );
        let preview = gx
            .upload_order_import(&manager, "o.csv", sheet.as_bytes())
            .unwrap();
        let plan = run(
            &gx,
            &manager,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!((plan.create, plan.failed), (1, 2));
        assert_eq!(
            plan.problems
                .iter()
                .map(|p| (p.row, p.column.as_deref(), &p.error))
                .collect::<Vec<_>>(),
            vec![
                (3, Some("客户"), &Error::Forbidden),
                (4, Some("负责人"), &Error::Forbidden),
            ]
        );
        let mine = gx.contracts(&rep, None).unwrap();
        assert_eq!(mine.len(), 1, "the rep named as owner owns the order");
        assert_eq!(mine[0].lead_owner(), Some(rep.id));
    }

    #[test]
    fn a_bad_later_row_a_date_without_an_amount_or_too_many_lines_fail_the_order() {
        let (_dir, gx, admin) = set_up_company();
        customer(&gx, &admin, "甲公司", "", "");
        let mut sheet = String::from("订单号,客户,签订日期,品名,数量,单价,已回款,回款日期\n");
        sheet.push_str("B-1,甲公司,2024-01-01,服务,1,100,,\n");
        sheet.push_str("B-1,,,服务,1,abc,,\n");
        sheet.push_str("B-2,甲公司,2024-01-01,服务,1,100,,2024-02-01\n");
        for _ in 0..=quotes::MAX_LINES {
            sheet.push_str("B-3,甲公司,2024-01-01,服务,1,100,,\n");
        }
        let preview = gx
            .upload_order_import(&admin, "o.csv", sheet.as_bytes())
            .unwrap();
        let plan = run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        );
        assert_eq!(
            (plan.create, plan.failed, plan.lines),
            (0, 3, 0),
            "{plan:?}"
        );
        assert_eq!(
            plan.problems
                .iter()
                .map(|p| (p.row, p.column.as_deref(), &p.error))
                .collect::<Vec<_>>(),
            vec![
                (
                    3,
                    Some("单价"),
                    &Error::invalid(Field::UnitPrice, Problem::Malformed)
                ),
                (
                    4,
                    Some("已回款"),
                    &Error::invalid(Field::Amount, Problem::Required)
                ),
                (
                    5 + quotes::MAX_LINES,
                    None,
                    &Error::invalid(Field::Lines, Problem::TooLong { max: 200 })
                ),
            ]
        );
        assert!(
            gx.contracts(&admin, None).unwrap().is_empty(),
            "no order is written without one of its lines"
        );
    }
}
