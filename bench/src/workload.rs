//! The questions of the benchmark, asked of Guanxi through the service
//! layer the pages and the REST API call, with the parameters the SQLite
//! baseline gets too.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanxi_core::domain::period;
use guanxi_core::model::{
    ActivityInput, ActivityKind, BoardFilter, Cents, ContractInput, CostMethod, DateSpan,
    ExpenseFilter, Id, InstallmentInput, QuoteLineInput, ReportParams, Role, SalesSettingsInput,
    StockInInput, User,
};
use guanxi_core::service::Guanxi;
use guanxi_core::store::{CustomerQuery, SortBy};

use crate::Baseline;

/// Cards per board column and rows per list page, as the app shows them.
pub const PAGE: usize = 50;

/// The page (counted from 0, as `?page=` counts) of the worst-case lists.
pub const WORST_PAGE: usize = 7;

/// The company's zone in the demo data (Asia/Shanghai), as an offset for
/// SQL that counts days.
pub const ZONE_OFFSET_MS: i64 = 8 * 3_600_000;

/// Worst-case search terms (issue 16): a phone prefix nearly every row
/// holds, and a word in a large share of company names.
pub const COMMON_SEARCHES: [(&str, &str); 2] = [("phone_138", "138"), ("keji", "科技")];

pub struct Workload {
    /// The admin sees everything: the largest answers.
    pub admin: User,
    /// A sales rep: their own customers and the pool, found among everyone's.
    pub rep: User,
    pub pipeline: Id,
    pub region: String,
    pub tag: String,
    pub offset: usize,
    /// A customer with a long history.
    pub customer: Id,
    /// Three characters of that customer's name.
    pub search: String,
    /// Three characters from the middle of one of its deals' titles.
    pub deal_search: String,
    /// The instant the dashboards are asked at.
    pub now: DateTime<Utc>,
    /// This quarter, in the company's zone.
    pub quarter: DateSpan,
    /// Issue 11: the company's today, the customer with the most
    /// contracts, the product with the most deliveries, the day from
    /// which it has 1,000 deliveries (a backdated stock-in's), and five
    /// products for a new contract's lines.
    pub today: NaiveDate,
    pub money_customer: Id,
    pub busy_product: Id,
    pub backdate: NaiveDate,
    pub order_products: Vec<Id>,
}

/// Deliveries a backdated stock-in reprices (issue 11).
pub const REPRICED: usize = 1_000;

impl Workload {
    pub fn prepare(gx: &Guanxi, baseline: &Baseline) -> Result<Workload> {
        let admin = gx
            .store()
            .user_by_email(guanxi_core::demo::ADMIN_EMAIL)?
            .context("the demo admin")?;
        let rep = gx
            .store()
            .users()?
            .into_iter()
            .find(|u| u.role == Role::Rep)
            .context("a demo rep")?;
        let pipeline = gx.store().pipelines()?.first().context("a pipeline")?.id;
        let facets = gx.customer_facets(&admin)?;
        let region = facets.regions.iter().nth(3).context("regions")?.clone();
        let tag = facets.tags.iter().next().context("tags")?.clone();
        let customer = *baseline
            .busy_customers(101)?
            .last()
            .context("a busy customer")?;
        let name = gx.customer(&admin, customer)?.name;
        let search = name.chars().skip(2).take(3).collect();
        let title = gx
            .list_deals(&admin, None, Some(customer), &BoardFilter::default())?
            .into_iter()
            .next()
            .map(|d| d.title)
            .unwrap_or_else(|| name.clone());
        let middle = title.chars().count().saturating_sub(3) / 2;
        let deal_search = title.chars().skip(middle).take(3).collect();
        let now = Utc::now();
        let today = (now + Duration::milliseconds(ZONE_OFFSET_MS)).date_naive();
        let quarter = period::span("quarter", "", "", today)?;
        let money_customer = *baseline
            .customers_with_most_contracts(1)?
            .first()
            .context("a customer with contracts")?;
        let busiest = baseline.busiest_products(6)?;
        let busy_product = *busiest.first().context("a product with deliveries")?;
        let backdate = baseline
            .day_before_deliveries(busy_product, REPRICED)?
            .context("a product with 1,000 deliveries")?
            .parse()?;
        let today = gx.company_today();
        Ok(Workload {
            admin,
            rep,
            pipeline,
            region,
            tag,
            offset: 2 * PAGE,
            customer,
            search,
            deal_search,
            now,
            quarter,
            today,
            money_customer,
            busy_product,
            backdate,
            order_products: busiest.into_iter().skip(1).take(5).collect(),
        })
    }

    /// The dashboards' filters: this quarter of the first pipeline, the
    /// funnel compared with 90 days ago.
    pub fn report_params(&self) -> ReportParams {
        ReportParams {
            period: "quarter".into(),
            pipeline: self.pipeline.to_string(),
            compare: (self.quarter.to - Duration::days(90)).to_string(),
            ..ReportParams::default()
        }
    }

    /// The funnel now and 90 days ago, with the deals won and lost this
    /// quarter.
    pub fn funnel(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        Ok(gx
            .funnel_report(me, &self.report_params(), self.now)?
            .stages
            .len())
    }

    pub fn conversion(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        Ok(gx
            .conversion_report(me, &self.report_params(), self.now)?
            .steps
            .len())
    }

    pub fn forecast(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        let report = gx.forecast_report(me, &self.report_params(), self.now)?;
        Ok(report.months.len() + report.model.len())
    }

    pub fn activity_report(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        Ok(gx
            .activity_report(me, &self.report_params(), self.now)?
            .buckets
            .len())
    }

    /// The workbench (工作台): a rep's own, or an admin's with a row per rep.
    pub fn workbench(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        let bench = gx.workbench(me, self.now)?;
        Ok(bench.team.len() + bench.returning.len() + bench.stalled.len())
    }

    /// The customer KPIs of the quarter against the quarter before and a
    /// year before.
    pub fn kpis(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        let report = gx.kpi_report(me, &self.report_params(), self.now)?;
        Ok(report.current.new_customers as usize)
    }

    /// Customers by year created and type now.
    pub fn cohorts(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        Ok(gx
            .cohort_report(me, &self.report_params(), self.now)?
            .types
            .len())
    }

    /// The instant a day of the company's zone begins, in SQL's millis.
    pub fn day_start_ms(day: NaiveDate) -> i64 {
        day.and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis()
            - ZONE_OFFSET_MS
    }

    /// A span as SQL's half-open millis range.
    pub fn span_ms(span: DateSpan) -> (i64, i64) {
        (
            Self::day_start_ms(span.from),
            Self::day_start_ms(span.to + Duration::days(1)),
        )
    }

    pub fn list_query(&self) -> CustomerQuery {
        CustomerQuery {
            region: self.region.clone(),
            tag: self.tag.clone(),
            sort: SortBy::Name,
            offset: self.offset,
            limit: PAGE,
            ..CustomerQuery::default()
        }
    }

    /// One list page and its exact total.
    pub fn list_page(&self, gx: &Guanxi) -> Result<usize> {
        Ok(gx.list_customers(&self.admin, &self.list_query())?.0)
    }

    pub fn search(&self, gx: &Guanxi) -> Result<usize> {
        Ok(gx.search(&self.admin, &self.search, 20)?.len())
    }

    /// The worst-case list (issue 16): page 7 of everyone `me` may see, with
    /// no filter to narrow it, by name or in the default order (latest
    /// change first).
    pub fn everyone_page(&self, gx: &Guanxi, me: &User, sort: SortBy) -> Result<usize> {
        let query = CustomerQuery {
            sort,
            descending: sort == SortBy::Updated,
            offset: WORST_PAGE * PAGE,
            limit: PAGE,
            ..CustomerQuery::default()
        };
        Ok(gx.list_customers(me, &query)?.0)
    }

    /// The header search as `me` types it.
    pub fn search_as(&self, gx: &Guanxi, me: &User, text: &str) -> Result<usize> {
        Ok(gx.search(me, text, 20)?.len())
    }

    /// The search box typed with part of a deal's title: customers and
    /// contacts, and deals by title or by their customer's name.
    pub fn search_deals(&self, gx: &Guanxi) -> Result<usize> {
        Ok(gx.search(&self.admin, &self.deal_search, 20)?.len())
    }

    /// What the customer page loads: the record, contacts, files, the
    /// newest 20 timeline entries and the customer's deals.
    pub fn customer_360(&self, gx: &Guanxi) -> Result<usize> {
        let me = &self.admin;
        let customer = gx.customer(me, self.customer)?;
        let contacts = gx.contacts(me, self.customer)?;
        let files = gx.files(me, self.customer)?;
        let last = gx.store().last_activity(self.customer)?;
        let timeline = gx.timeline(me, self.customer, None, 20)?;
        let deals = gx.list_deals(me, None, Some(self.customer), &BoardFilter::default())?;
        Ok(customer.tags.len()
            + contacts.len()
            + files.len()
            + usize::from(last.is_some())
            + timeline.len()
            + deals.len())
    }

    pub fn board(&self, gx: &Guanxi) -> Result<usize> {
        let board = gx.board(
            &self.admin,
            self.pipeline,
            chrono::Utc::now(),
            &BoardFilter::default(),
        )?;
        Ok(board.columns.iter().map(|c| c.cards.len()).sum())
    }

    pub fn activity(&self, n: u64) -> ActivityInput {
        ActivityInput {
            kind: ActivityKind::Call,
            customer_id: self.customer,
            contact_id: None,
            at: None,
            duration_minutes: Some(5),
            text: format!("基准测试电话 {n}"),
            deal_id: None,
        }
    }

    /// Logs one call, committed durably before it returns.
    pub fn log_activity(&self, gx: &Guanxi, n: u64) -> Result<()> {
        gx.log_activity(&self.admin, self.activity(n))?;
        Ok(())
    }

    /// Page 3 of the contract list (newest first) with the total, as the
    /// admin sees it: every contract.
    pub fn contract_page(&self, gx: &Guanxi) -> Result<usize> {
        Ok(gx.contracts_page(&self.admin, 2 * PAGE, PAGE)?.0)
    }

    /// Revenue analytics of the quarter for `me`, worked out afresh (as
    /// after a write): the trend of eight quarters with their comparisons
    /// and the quarter's breakdowns.
    pub fn revenue(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        let r = gx.money_report_afresh(
            me,
            guanxi_core::model::MoneyMetric::Revenue,
            &ReportParams {
                period: "quarter".into(),
                ..ReportParams::default()
            },
            self.now,
        )?;
        Ok(r.trend.len() + r.by_rep.len() + r.by_region.len() + r.top_customers.len())
    }

    /// The receivables trend: twelve months of due, received and owed.
    pub fn collection(&self, gx: &Guanxi, me: &User) -> Result<usize> {
        let r = gx.collection_report(me, &ReportParams::default(), self.now)?;
        Ok(r.months.len())
    }

    /// The receivables page: what the company and every rep owes by age,
    /// and the 100 most overdue customers.
    pub fn receivables(&self, gx: &Guanxi) -> Result<usize> {
        let r = gx.receivables_top(&self.admin, self.today, 100)?;
        Ok(r.customers.len() + r.reps.len())
    }

    /// The customer page with its money: what `customer_360` loads, and
    /// its contracts with what they were paid, what it owes by age and
    /// its expenses.
    pub fn customer_money(&self, gx: &Guanxi) -> Result<usize> {
        let me = &self.admin;
        let c = self.money_customer;
        let customer = gx.customer(me, c)?;
        let contacts = gx.contacts(me, c)?;
        let timeline = gx.timeline(me, c, None, 20)?;
        let deals = gx.list_deals(me, None, Some(c), &BoardFilter::default())?;
        let contracts = gx.contracts(me, Some(c))?;
        let mut owed = guanxi_core::domain::money::Aging::default();
        for contract in &contracts {
            for i in &contract.plan {
                if i.amount > i.paid {
                    owed.add(i.due, Cents(i.amount.0 - i.paid.0), self.today);
                }
            }
        }
        let expenses = gx.expenses(
            me,
            &ExpenseFilter {
                customer_id: Some(c),
                ..ExpenseFilter::default()
            },
        )?;
        Ok(customer.tags.len()
            + contacts.len()
            + timeline.len()
            + deals.len()
            + contracts.len()
            + expenses.len()
            + usize::from(owed.total().0 > 0))
    }

    /// The busiest product's margin: all it delivered, costed by the
    /// company's method.
    pub fn product_margin(&self, gx: &Guanxi) -> Result<i64> {
        Ok(gx.product_margin(&self.admin, self.busy_product)?.margin.0)
    }

    /// Sets the company's cost method (on a scratch copy).
    pub fn set_cost_method(&self, gx: &Guanxi, method: CostMethod) -> Result<()> {
        let current = gx.sales_settings()?;
        let mut form = SalesSettingsInput::from(&current);
        form.cost_method = method;
        gx.update_sales_settings(
            guanxi_core::service::Actor::User(&self.admin),
            form,
            current.version,
        )?;
        Ok(())
    }

    /// A direct order of five lines with a three-installment plan, written
    /// durably in one transaction.
    pub fn order(&self) -> ContractInput {
        let due = |days| InstallmentInput {
            due: Some(self.today + Duration::days(days)),
            amount: String::new(),
        };
        ContractInput {
            title: "基准测试订单".into(),
            lines: self
                .order_products
                .iter()
                .enumerate()
                .map(|(i, p)| QuoteLineInput {
                    product_id: Some(*p),
                    quantity: (i + 1).to_string(),
                    unit_price: "1,000".into(),
                    ..Default::default()
                })
                .collect(),
            tax_rate: "0".into(),
            // 1 + 2 + 3 + 4 + 5 units at ¥1,000: ¥15,000.
            plan: Some(vec![
                InstallmentInput {
                    amount: "5,000".into(),
                    ..due(0)
                },
                InstallmentInput {
                    amount: "5,000".into(),
                    ..due(30)
                },
                InstallmentInput {
                    amount: "5,000".into(),
                    ..due(60)
                },
            ]),
            ..Default::default()
        }
    }

    pub fn create_contract(&self, gx: &Guanxi) -> Result<guanxi_core::model::Contract> {
        Ok(gx.create_contract(&self.admin, self.money_customer, self.order())?)
    }

    /// A purchase of the busiest product backdated before its last 1,000
    /// deliveries, then its margin: the stock-in and the repricing it
    /// causes.
    pub fn backdated_stock_in(&self, gx: &Guanxi) -> Result<i64> {
        gx.stock_in(
            &self.admin,
            StockInInput {
                product_id: self.busy_product,
                quantity: "1".into(),
                unit_cost: "1.00".into(),
                date: self.backdate,
                supplier: None,
            },
        )?;
        self.product_margin(gx)
    }
}
