//! The questions of the benchmark, asked of Guanxi through the service
//! layer the pages and the REST API call, with the parameters the SQLite
//! baseline gets too.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanxi_core::domain::period;
use guanxi_core::model::{
    ActivityInput, ActivityKind, BoardFilter, DateSpan, Id, ReportParams, Role, User,
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
}

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
}
