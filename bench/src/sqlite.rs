//! The baseline: the same records in SQLite (bundled), laid out and indexed
//! the way a competent developer of a single-binary app would: a row per
//! record with the listed fields as columns, b-tree indexes for every filter
//! and sort the app offers, FTS5 trigram indexes for substring search, WAL
//! with `synchronous=FULL` so a commit is as durable as Guanxi's.

use std::path::Path;

use anyhow::{Context, Result};
use guanxi_core::model::{Activity, Contract, Id, Payment, Pipeline, StockMove, User};
use guanxi_core::store::NewRecords;
use rusqlite::{Connection, OptionalExtension, params};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE users (id BLOB PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, team TEXT);
CREATE TABLE stages (id BLOB PRIMARY KEY, pipeline_id BLOB NOT NULL, position INTEGER NOT NULL,
  name TEXT NOT NULL, probability INTEGER NOT NULL, stall_days INTEGER, outcome TEXT);
CREATE TABLE customers (id BLOB PRIMARY KEY, name TEXT NOT NULL, customer_type TEXT NOT NULL,
  industry TEXT, region TEXT, grade TEXT, owner BLOB, phone TEXT, email TEXT, address TEXT,
  notes TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_activity INTEGER,
  version INTEGER NOT NULL);
CREATE TABLE customer_tags (customer_id BLOB NOT NULL, tag TEXT NOT NULL,
  PRIMARY KEY (customer_id, tag)) WITHOUT ROWID;
CREATE TABLE contacts (id BLOB PRIMARY KEY, customer_id BLOB NOT NULL, name TEXT NOT NULL,
  title TEXT, phones TEXT NOT NULL, email TEXT, wechat TEXT, role TEXT);
CREATE TABLE deals (id BLOB PRIMARY KEY, pipeline_id BLOB NOT NULL, stage_id BLOB NOT NULL,
  customer_id BLOB NOT NULL, title TEXT NOT NULL, amount INTEGER NOT NULL, expected_close TEXT,
  owner BLOB, status TEXT NOT NULL, stage_entered_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE TABLE activities (id BLOB PRIMARY KEY, customer_id BLOB NOT NULL, contact_id BLOB,
  kind TEXT NOT NULL, at INTEGER NOT NULL, duration_minutes INTEGER, text TEXT NOT NULL,
  by BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE tasks (id BLOB PRIMARY KEY, title TEXT NOT NULL, due INTEGER NOT NULL,
  assignee BLOB NOT NULL, customer_id BLOB, commitment INTEGER NOT NULL, done_at INTEGER);
CREATE TABLE stage_changes (deal_id BLOB NOT NULL, at INTEGER NOT NULL, from_stage BLOB,
  to_stage BLOB NOT NULL, by BLOB NOT NULL);
CREATE TABLE products (id BLOB PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  unit TEXT NOT NULL, list_price INTEGER NOT NULL, standard_cost INTEGER NOT NULL,
  active INTEGER NOT NULL, low_stock_threshold INTEGER);
CREATE TABLE contracts (id BLOB PRIMARY KEY, number TEXT NOT NULL UNIQUE, customer_id BLOB NOT NULL,
  deal_id BLOB, owner BLOB, title TEXT NOT NULL, status TEXT NOT NULL, net INTEGER NOT NULL,
  tax INTEGER NOT NULL, amount INTEGER NOT NULL, sign_date TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE TABLE contract_lines (contract_id BLOB NOT NULL, line INTEGER NOT NULL, product_id BLOB,
  description TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price INTEGER NOT NULL,
  discount INTEGER NOT NULL, net INTEGER NOT NULL, PRIMARY KEY (contract_id, line)) WITHOUT ROWID;
CREATE TABLE installments (contract_id BLOB NOT NULL, position INTEGER NOT NULL, due TEXT NOT NULL,
  amount INTEGER NOT NULL, paid INTEGER NOT NULL,
  PRIMARY KEY (contract_id, position)) WITHOUT ROWID;
CREATE TABLE payments (id BLOB PRIMARY KEY, contract_id BLOB NOT NULL, customer_id BLOB NOT NULL,
  received_on TEXT NOT NULL, amount INTEGER NOT NULL, method TEXT NOT NULL);
CREATE TABLE stock_moves (id BLOB PRIMARY KEY, product_id BLOB NOT NULL, kind TEXT NOT NULL,
  day TEXT NOT NULL, quantity INTEGER NOT NULL, unit_cost INTEGER, contract_id BLOB,
  line INTEGER, recorded_by BLOB NOT NULL);
CREATE TABLE expenses (id BLOB PRIMARY KEY, amount INTEGER NOT NULL, category TEXT NOT NULL,
  day TEXT NOT NULL, spent_by BLOB NOT NULL, customer_id BLOB, note TEXT);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

/// The money tables' indexes (issue 11), made after the load like the rest.
const MONEY_INDEXES: &str = "
CREATE INDEX contracts_customer ON contracts (customer_id);
CREATE INDEX contracts_owner ON contracts (owner);
CREATE INDEX contracts_open ON contracts (status, customer_id);
CREATE INDEX installments_open ON installments (contract_id) WHERE amount > paid;
CREATE INDEX payments_contract ON payments (contract_id);
CREATE INDEX stock_moves_product ON stock_moves (product_id, day, id);
CREATE INDEX stock_moves_contract ON stock_moves (contract_id) WHERE contract_id IS NOT NULL;
CREATE INDEX expenses_customer ON expenses (customer_id);
CREATE INDEX expenses_spent_by ON expenses (spent_by, day);
ANALYZE;
";

/// Deal titles for substring search, like the customers' names.
/// What revenue analytics reads by day, indexed: data sets generated
/// before the revenue reports lack these.
const MONEY_BY_DAY: &str = "
CREATE INDEX IF NOT EXISTS contracts_signed ON contracts (sign_date, status);
CREATE INDEX IF NOT EXISTS payments_received ON payments (received_on);
CREATE INDEX IF NOT EXISTS expenses_day ON expenses (day);
CREATE INDEX IF NOT EXISTS installments_due ON installments (due);
";

const DEAL_TITLES: &str = "
CREATE VIRTUAL TABLE deals_fts USING fts5 (title,
  content = 'deals', content_rowid = 'rowid', tokenize = 'trigram');
INSERT INTO deals_fts (rowid, title) SELECT rowid, title FROM deals;
";

/// Made after the bulk load, as one would for an import.
const INDEXES: &str = "
CREATE INDEX customers_region_name ON customers (region, name);
CREATE INDEX customers_owner ON customers (owner);
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_updated ON customers (updated_at);
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE INDEX deals_board ON deals (pipeline_id, stage_id, stage_entered_at);
CREATE INDEX deals_customer ON deals (customer_id);
CREATE INDEX activities_customer_at ON activities (customer_id, at);
CREATE INDEX tasks_customer ON tasks (customer_id);
CREATE INDEX stage_changes_deal_at ON stage_changes (deal_id, at);
CREATE INDEX deals_pipeline_created ON deals (pipeline_id, created_at);
CREATE INDEX deals_pipeline_status ON deals (pipeline_id, status, stage_entered_at);
CREATE INDEX activities_at ON activities (at, by, kind, duration_minutes);
CREATE VIRTUAL TABLE customers_fts USING fts5 (name, phone, email,
  content = 'customers', content_rowid = 'rowid', tokenize = 'trigram');
INSERT INTO customers_fts (rowid, name, phone, email)
  SELECT rowid, name, coalesce(phone, ''), coalesce(email, '') FROM customers;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (name, phones, email,
  content = 'contacts', content_rowid = 'rowid', tokenize = 'trigram');
INSERT INTO contacts_fts (rowid, name, phones, email)
  SELECT rowid, name, phones, coalesce(email, '') FROM contacts;
ANALYZE;
";

pub struct Baseline {
    conn: Connection,
}

/// A stock move as costing reads it: day, quantity, unit cost (purchases),
/// and for a delivery its contract line's ordered quantity and net.
type ProductMove = (String, i64, Option<i64>, Option<(i64, i64)>);

fn id(id: Id) -> [u8; 16] {
    id.0.to_be_bytes()
}

fn opt_id(value: Option<Id>) -> Option<[u8; 16]> {
    value.map(id)
}

fn millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

/// A listed customer as the list page shows it.
#[derive(Debug)]
pub struct ListRow {
    pub id: Vec<u8>,
    pub name: String,
    pub customer_type: String,
    pub region: Option<String>,
    pub owner: Option<String>,
    pub phone: Option<String>,
    pub tags: Option<String>,
    pub last_activity: Option<i64>,
}

/// Everything the customer page shows, as rows.
#[derive(Debug, Default)]
pub struct Customer360 {
    pub customer: Vec<Option<String>>,
    pub tags: Vec<String>,
    pub contacts: Vec<(String, Option<String>, String)>,
    pub timeline: Vec<(String, i64, String, String)>,
    pub deals: Vec<(String, i64, String, String)>,
    pub open_tasks: Vec<(String, i64)>,
}

/// A board card: id, title, customer, amount, expected close, owner, when
/// it entered its stage.
pub type Card = (Vec<u8>, String, String, i64, Option<String>, String, i64);

/// A board column: totals over all its deals, the first cards.
#[derive(Debug)]
pub struct Column {
    pub count: i64,
    pub amount: i64,
    pub cards: Vec<Card>,
}

impl Baseline {
    pub fn create(path: &Path) -> Result<Baseline> {
        let conn = Connection::open(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Baseline { conn })
    }

    pub fn open(path: &Path) -> Result<Baseline> {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")?;
        let baseline = Baseline { conn };
        baseline.index_deal_titles()?;
        baseline
            .conn
            .execute_batch(MONEY_BY_DAY)
            .context("index the money by day")?;
        Ok(baseline)
    }

    /// Revenue analytics of a quarter as SQL asks it: the signed amounts,
    /// orders, payments and expenses per month from `trend_from` (the
    /// trend with its comparisons), and the quarter's revenue by owner,
    /// region and the top ten customers.
    pub fn revenue(
        &self,
        trend_from: chrono::NaiveDate,
        quarter: guanxi_core::model::DateSpan,
    ) -> Result<usize> {
        let (from, q_from, q_to) = (
            trend_from.to_string(),
            quarter.from.to_string(),
            quarter.to.to_string(),
        );
        let mut rows = 0;
        for sql in [
            "SELECT substr(sign_date, 1, 7), sum(amount), count(*) FROM contracts
             WHERE sign_date >= ?1 AND status IN ('Executing', 'Completed', 'Closed') GROUP BY 1",
            "SELECT substr(received_on, 1, 7), sum(amount) FROM payments
             WHERE received_on >= ?1 GROUP BY 1",
            "SELECT substr(day, 1, 7), sum(amount) FROM expenses WHERE day >= ?1 GROUP BY 1",
        ] {
            let mut statement = self.conn.prepare_cached(sql)?;
            rows += statement.query_map(params![from], |_| Ok(()))?.count();
        }
        for sql in [
            "SELECT owner, sum(amount), count(*) FROM contracts
             WHERE sign_date BETWEEN ?1 AND ?2 AND status IN ('Executing', 'Completed', 'Closed')
             GROUP BY owner",
            "SELECT cu.region, sum(c.amount), count(*) FROM contracts c
             JOIN customers cu ON cu.id = c.customer_id
             WHERE c.sign_date BETWEEN ?1 AND ?2 AND c.status IN ('Executing', 'Completed', 'Closed')
             GROUP BY cu.region",
            "SELECT c.customer_id, cu.name, sum(c.amount) FROM contracts c
             JOIN customers cu ON cu.id = c.customer_id
             WHERE c.sign_date BETWEEN ?1 AND ?2 AND c.status IN ('Executing', 'Completed', 'Closed')
             GROUP BY c.customer_id ORDER BY 3 DESC LIMIT 10",
        ] {
            let mut statement = self.conn.prepare_cached(sql)?;
            rows += statement
                .query_map(params![q_from, q_to], |_| Ok(()))?
                .count();
        }
        Ok(rows)
    }

    /// A company revenue target's progress to `today`: signed revenue by
    /// month this year and over the same days of last year (month, quarter
    /// and year to date are sums of them and of this month's days).
    pub fn target_progress(&self, today: chrono::NaiveDate) -> Result<usize> {
        use chrono::Datelike;
        let year_start = |day: chrono::NaiveDate| {
            chrono::NaiveDate::from_ymd_opt(day.year(), 1, 1).expect("a first of January")
        };
        let last_year = today
            .with_year(today.year() - 1)
            .unwrap_or(today - chrono::Duration::days(365));
        let mut statement = self.conn.prepare_cached(
            "SELECT substr(sign_date, 1, 7), sum(amount) FROM contracts
             WHERE sign_date BETWEEN ?1 AND ?2 AND status IN ('Executing', 'Completed', 'Closed')
             GROUP BY 1",
        )?;
        let mut rows = 0;
        for (from, to) in [
            (year_start(today), today),
            (year_start(last_year), last_year),
        ] {
            rows += statement
                .query_map(params![from.to_string(), to.to_string()], |_| Ok(()))?
                .count();
        }
        Ok(rows)
    }

    /// The receivables trend: installments due and payments received per
    /// month from `from`, and what was owed before it.
    pub fn collection(&self, from: chrono::NaiveDate) -> Result<usize> {
        let from = from.to_string();
        let mut rows = 0;
        for sql in [
            "SELECT substr(i.due, 1, 7), sum(i.amount) FROM installments i
             JOIN contracts c ON c.id = i.contract_id
             WHERE i.due >= ?1 AND c.status IN ('Executing', 'Completed', 'Closed') GROUP BY 1",
            "SELECT substr(received_on, 1, 7), sum(amount) FROM payments
             WHERE received_on >= ?1 GROUP BY 1",
            "SELECT (SELECT sum(i.amount) FROM installments i JOIN contracts c ON c.id = i.contract_id
                     WHERE i.due < ?1 AND c.status IN ('Executing', 'Completed', 'Closed'))
                  - (SELECT sum(amount) FROM payments WHERE received_on < ?1)",
        ] {
            let mut statement = self.conn.prepare_cached(sql)?;
            rows += statement.query_map(params![from], |_| Ok(()))?.count();
        }
        Ok(rows)
    }

    /// The trigram index of deal titles the search box's deal search uses,
    /// made once: data sets generated before deals were searchable lack it.
    fn index_deal_titles(&self) -> Result<()> {
        let made: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'deals_fts'",
            [],
            |r| r.get(0),
        )?;
        if made == 0 {
            self.conn.execute_batch(DEAL_TITLES)?;
        }
        Ok(())
    }

    /// One generated batch in one transaction.
    pub fn load(&mut self, batch: &NewRecords) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut customer = tx.prepare_cached(
                "INSERT INTO customers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULL, ?14)",
            )?;
            let mut tag = tx.prepare_cached("INSERT INTO customer_tags VALUES (?1, ?2)")?;
            let mut contact =
                tx.prepare_cached("INSERT INTO contacts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
            for (c, contacts) in &batch.customers {
                customer.execute(params![
                    id(c.id),
                    c.name,
                    c.customer_type,
                    c.industry,
                    c.region,
                    c.grade,
                    opt_id(c.owner),
                    c.phone,
                    c.email,
                    c.address,
                    c.notes,
                    millis(c.created_at),
                    millis(c.updated_at),
                    c.version as i64,
                ])?;
                for t in &c.tags {
                    tag.execute(params![id(c.id), t])?;
                }
                for k in contacts {
                    contact.execute(params![
                        id(k.id),
                        id(k.customer_id),
                        k.name,
                        k.title,
                        k.phones.join(" "),
                        k.email,
                        k.wechat,
                        k.role.map(|r| format!("{r:?}")),
                    ])?;
                }
            }
            let mut deal = tx.prepare_cached(
                "INSERT INTO deals VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            let mut change =
                tx.prepare_cached("INSERT INTO stage_changes VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for d in &batch.deals {
                for (_, c) in &d.history {
                    change.execute(params![
                        id(c.deal_id),
                        millis(c.at),
                        opt_id(c.from),
                        id(c.to),
                        id(c.by)
                    ])?;
                }
                let d = &d.deal;
                deal.execute(params![
                    id(d.id),
                    id(d.pipeline_id),
                    id(d.stage_id),
                    id(d.customer_id),
                    d.title,
                    d.amount.0,
                    d.expected_close.map(|c| c.to_string()),
                    opt_id(d.lead_owner()),
                    format!("{:?}", d.status),
                    millis(d.stage_entered_at),
                    millis(d.created_at),
                    millis(d.updated_at),
                    d.version as i64,
                ])?;
            }
            let mut touch = tx.prepare_cached(
                "UPDATE customers SET last_activity = max(coalesce(last_activity, 0), ?2) WHERE id = ?1",
            )?;
            for a in &batch.activities {
                insert_activity(&tx, a)?;
                touch.execute(params![id(a.customer_id), millis(a.at)])?;
            }
            load_money(&tx, batch)?;
            let mut task =
                tx.prepare_cached("INSERT INTO tasks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
            for t in &batch.tasks {
                task.execute(params![
                    id(t.id),
                    t.title,
                    millis(t.due),
                    id(t.assignee),
                    opt_id(t.customer_id),
                    t.commitment,
                    t.done_at.map(millis),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn load_users(&mut self, users: &[User]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for u in users {
            tx.execute(
                "INSERT INTO users VALUES (?1, ?2, ?3, ?4)",
                params![id(u.id), u.email, u.name, u.team],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn load_pipelines(&mut self, pipelines: &[Pipeline]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for p in pipelines {
            for (position, s) in p.stages.iter().enumerate() {
                tx.execute(
                    "INSERT INTO stages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        id(s.id),
                        id(p.id),
                        position as i64,
                        s.name,
                        s.probability,
                        s.stall_days,
                        s.outcome.map(|o| format!("{o:?}")),
                    ],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn finish(&mut self) -> Result<()> {
        self.conn.execute_batch(INDEXES)?;
        self.conn.execute_batch(MONEY_INDEXES)?;
        self.index_deal_titles()
    }

    /// One list page with its exact total: customers of a region carrying
    /// a tag, by name.
    pub fn list_page(
        &self,
        region: &str,
        tag: &str,
        offset: usize,
        limit: usize,
    ) -> Result<(i64, Vec<ListRow>)> {
        let total = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM customers c WHERE c.region = ?1
             AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?2)",
            )?
            .query_row(params![region, tag], |r| r.get(0))?;
        let mut page = self.conn.prepare_cached(
            "SELECT c.id, c.name, c.customer_type, c.region, u.name, c.phone,
               (SELECT group_concat(tag, ',') FROM customer_tags WHERE customer_id = c.id),
               c.last_activity
             FROM customers c LEFT JOIN users u ON u.id = c.owner
             WHERE c.region = ?1
               AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?2)
             ORDER BY c.name LIMIT ?3 OFFSET ?4",
        )?;
        let rows = page
            .query_map(params![region, tag, limit as i64, offset as i64], |r| {
                Ok(ListRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    customer_type: r.get(2)?,
                    region: r.get(3)?,
                    owner: r.get(4)?,
                    phone: r.get(5)?,
                    tags: r.get(6)?,
                    last_activity: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((total, rows))
    }

    /// The header search: customers and contacts whose name, phone or email
    /// contains `text`. The trigram index answers three characters or more;
    /// shorter text is looked for with LIKE, a scan that stops at `limit`,
    /// as FTS5's documentation advises.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<(Vec<u8>, String)>> {
        let short = text.chars().count() < 3;
        let phrase = if short {
            format!(
                "%{}%",
                text.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        } else {
            format!("\"{}\"", text.replace('"', "\"\""))
        };
        let mut hits = Vec::new();
        for (table, phones) in [("customers", "phone"), ("contacts", "phones")] {
            let sql = if short {
                format!(
                    "SELECT id, name FROM {table} WHERE name LIKE ?1 ESCAPE '\\'
                     OR {phones} LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\' LIMIT ?2"
                )
            } else {
                format!(
                    "SELECT t.id, t.name FROM {table}_fts f JOIN {table} t ON t.rowid = f.rowid
                     WHERE {table}_fts MATCH ?1 LIMIT ?2"
                )
            };
            let mut matches = self.conn.prepare_cached(&sql)?;
            for row in matches.query_map(params![phrase, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })? {
                hits.push(row?);
            }
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// Page `offset / limit` of every customer `owner` may see (`None`:
    /// all; otherwise that owner's and the pool's) with the exact total, by
    /// name or latest change first: the b-tree on the sort column walked,
    /// the count from the owner index.
    pub fn everyone_page(
        &self,
        owner: Option<Id>,
        by_name: bool,
        offset: usize,
        limit: usize,
    ) -> Result<(i64, Vec<ListRow>)> {
        let visible = if owner.is_some() {
            "(c.owner = ?1 OR c.owner IS NULL)"
        } else {
            "?1 IS NULL"
        };
        let order = if by_name {
            "c.name"
        } else {
            "c.updated_at DESC"
        };
        let total = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM customers c WHERE {visible}"))?
            .query_row(params![opt_id(owner)], |r| r.get(0))?;
        let mut page = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.name, c.customer_type, c.region, u.name, c.phone,
               (SELECT group_concat(tag, ',') FROM customer_tags WHERE customer_id = c.id),
               c.last_activity
             FROM customers c LEFT JOIN users u ON u.id = c.owner
             WHERE {visible} ORDER BY {order} LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = page
            .query_map(params![opt_id(owner), limit as i64, offset as i64], |r| {
                Ok(ListRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    customer_type: r.get(2)?,
                    region: r.get(3)?,
                    owner: r.get(4)?,
                    phone: r.get(5)?,
                    tags: r.get(6)?,
                    last_activity: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((total, rows))
    }

    /// The search box's deals: those whose title contains `text`, then
    /// those of customers whose name, phone or email does, `limit` in all.
    pub fn search_deals(&self, text: &str, limit: usize) -> Result<Vec<(Vec<u8>, String)>> {
        let phrase = format!("\"{}\"", text.replace('"', "\"\""));
        let mut hits: Vec<(Vec<u8>, String)> = Vec::new();
        for query in [
            "SELECT d.id, d.title FROM deals_fts f JOIN deals d ON d.rowid = f.rowid
             WHERE deals_fts MATCH ?1 LIMIT ?2",
            "SELECT d.id, d.title FROM customers_fts f JOIN customers c ON c.rowid = f.rowid
             JOIN deals d ON d.customer_id = c.id WHERE customers_fts MATCH ?1 LIMIT ?2",
        ] {
            let mut matches = self.conn.prepare_cached(query)?;
            for row in matches.query_map(params![phrase, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })? {
                let row = row?;
                if !hits.iter().any(|(id, _)| *id == row.0) {
                    hits.push(row);
                }
            }
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// The customer page: the record, tags, contacts, the newest 20
    /// activities, deals and open tasks.
    pub fn customer_360(&self, customer: Id) -> Result<Customer360> {
        let key = id(customer);
        let mut out = Customer360 {
            customer: self
                .conn
                .prepare_cached(
                    "SELECT c.name, c.customer_type, c.industry, c.region, c.grade, c.phone,
                       c.email, c.address, c.notes, u.name
                     FROM customers c LEFT JOIN users u ON u.id = c.owner WHERE c.id = ?1",
                )?
                .query_row(params![key], |r| {
                    (0..10).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()
                })
                .optional()?
                .unwrap_or_default(),
            ..Customer360::default()
        };
        let mut tags = self
            .conn
            .prepare_cached("SELECT tag FROM customer_tags WHERE customer_id = ?1")?;
        out.tags = tags
            .query_map(params![key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut contacts = self
            .conn
            .prepare_cached("SELECT name, title, phones FROM contacts WHERE customer_id = ?1")?;
        out.contacts = contacts
            .query_map(params![key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut timeline = self.conn.prepare_cached(
            "SELECT a.kind, a.at, a.text, u.name FROM activities a
             LEFT JOIN users u ON u.id = a.by
             WHERE a.customer_id = ?1 ORDER BY a.at DESC LIMIT 20",
        )?;
        out.timeline = timeline
            .query_map(params![key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut deals = self.conn.prepare_cached(
            "SELECT d.title, d.amount, d.status, s.name FROM deals d
             JOIN stages s ON s.id = d.stage_id WHERE d.customer_id = ?1",
        )?;
        out.deals = deals
            .query_map(params![key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut tasks = self.conn.prepare_cached(
            "SELECT title, due FROM tasks WHERE customer_id = ?1 AND done_at IS NULL",
        )?;
        out.open_tasks = tasks
            .query_map(params![key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// A pipeline's board: per stage the count and amount of all its deals
    /// and the first 50 cards (longest in the stage first).
    pub fn board(&self, pipeline: Id) -> Result<Vec<Column>> {
        let key = id(pipeline);
        let mut stages = self
            .conn
            .prepare_cached("SELECT id FROM stages WHERE pipeline_id = ?1 ORDER BY position")?;
        let stage_ids: Vec<Vec<u8>> = stages
            .query_map(params![key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut totals = self.conn.prepare_cached(
            "SELECT count(*), coalesce(sum(amount), 0) FROM deals
             WHERE pipeline_id = ?1 AND stage_id = ?2",
        )?;
        let mut cards = self.conn.prepare_cached(
            "SELECT d.id, d.title, c.name, d.amount, d.expected_close, coalesce(u.name, ''),
               d.stage_entered_at
             FROM deals d JOIN customers c ON c.id = d.customer_id
             LEFT JOIN users u ON u.id = d.owner
             WHERE d.pipeline_id = ?1 AND d.stage_id = ?2
             ORDER BY d.stage_entered_at LIMIT 50",
        )?;
        let mut columns = Vec::new();
        for stage in stage_ids {
            let (count, amount) =
                totals.query_row(params![key, stage], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let cards = cards
                .query_map(params![key, stage], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            columns.push(Column {
                count,
                amount,
                cards,
            });
        }
        Ok(columns)
    }

    /// Logs one activity in its own durable transaction, updating the
    /// customer's last activity as Guanxi does.
    pub fn log_activity(&mut self, activity: &Activity) -> Result<()> {
        let tx = self.conn.transaction()?;
        let live: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
            .query_row(params![id(activity.customer_id)], |r| r.get(0))
            .optional()?;
        anyhow::ensure!(live.is_some(), "no such customer");
        insert_activity(&tx, activity)?;
        tx.prepare_cached(
            "UPDATE customers SET last_activity = max(coalesce(last_activity, 0), ?2) WHERE id = ?1",
        )?
        .execute(params![id(activity.customer_id), millis(activity.at)])?;
        tx.commit()?;
        Ok(())
    }

    /// Customers with the most activities, busiest first: where the 360°
    /// page has the most to show.
    pub fn busy_customers(&self, n: usize) -> Result<Vec<Id>> {
        let mut busiest = self.conn.prepare(
            "SELECT customer_id FROM activities GROUP BY customer_id ORDER BY count(*) DESC LIMIT ?1",
        )?;
        let ids = busiest
            .query_map(params![n as i64], |r| r.get::<_, Vec<u8>>(0))?
            .map(|bytes| {
                let bytes: [u8; 16] = bytes?.try_into().unwrap_or_default();
                Ok(Id(u128::from_be_bytes(bytes)))
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

/// A funnel stage: the stage, how many open deals, their amount and their
/// amount weighted by the stage's probability.
pub type FunnelRow = (Vec<u8>, i64, i64, i64);

/// Activities of a day (counted in the company's zone) by one user and
/// kind: day number, user, kind, count, call minutes.
pub type ActivityRow = (i64, Vec<u8>, String, i64, i64);

/// The dashboards' questions (issue 12), as SQL over the same rows.
impl Baseline {
    /// The funnel now: the open deals of a pipeline per stage.
    pub fn funnel_now(&self, pipeline: Id) -> Result<Vec<FunnelRow>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT d.stage_id, count(*), sum(d.amount), sum(d.amount * s.probability) / 100
             FROM deals d JOIN stages s ON s.id = d.stage_id
             WHERE d.pipeline_id = ?1 AND d.status = 'Open'
             GROUP BY d.stage_id",
        )?;
        let rows = statement
            .query_map(params![id(pipeline)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The funnel as it stood at `at`, rebuilt from the stage history: each
    /// deal created before then, in the stage its last change before then
    /// took it to, if that stage is not a won or lost one.
    pub fn funnel_at(&self, pipeline: Id, at: i64) -> Result<Vec<FunnelRow>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.to_stage, count(*), sum(d.amount), sum(d.amount * s.probability) / 100
             FROM deals d
             JOIN stage_changes c ON c.deal_id = d.id AND c.at = (
               SELECT max(at) FROM stage_changes WHERE deal_id = d.id AND at < ?2)
             JOIN stages s ON s.id = c.to_stage
             WHERE d.pipeline_id = ?1 AND d.created_at < ?2 AND s.outcome IS NULL
             GROUP BY c.to_stage",
        )?;
        let rows = statement
            .query_map(params![id(pipeline), at], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Deals won and lost between `from` and `to`: (status, count, amount).
    pub fn closed_between(
        &self,
        pipeline: Id,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64, i64)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT status, count(*), sum(amount) FROM deals
             WHERE pipeline_id = ?1 AND status IN ('Won', 'Lost')
               AND stage_entered_at >= ?2 AND stage_entered_at < ?3
             GROUP BY status",
        )?;
        let rows = statement
            .query_map(params![id(pipeline), from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Conversion: of the deals created between `from` and `to`, how many
    /// reached each stage, and how many are won.
    pub fn conversion(&self, pipeline: Id, from: i64, to: i64) -> Result<Vec<(Vec<u8>, i64)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.to_stage, count(DISTINCT c.deal_id)
             FROM deals d JOIN stage_changes c ON c.deal_id = d.id
             WHERE d.pipeline_id = ?1 AND d.created_at >= ?2 AND d.created_at < ?3
             GROUP BY c.to_stage",
        )?;
        let rows = statement
            .query_map(params![id(pipeline), from, to], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Activities per day (in a zone `offset_ms` from UTC), user and kind
    /// between `from` and `to`.
    pub fn activity_by_day(&self, from: i64, to: i64, offset_ms: i64) -> Result<Vec<ActivityRow>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT (at + ?3) / 86400000 AS day, by, kind, count(*),
               coalesce(sum(CASE WHEN kind = 'Call' THEN duration_minutes END), 0)
             FROM activities WHERE at >= ?1 AND at < ?2
             GROUP BY day, by, kind",
        )?;
        let rows = statement
            .query_map(params![from, to, offset_ms], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

fn insert_activity(tx: &rusqlite::Transaction<'_>, a: &Activity) -> Result<()> {
    tx.prepare_cached("INSERT INTO activities VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?
        .execute(params![
            id(a.id),
            id(a.customer_id),
            opt_id(a.contact_id),
            format!("{:?}", a.kind),
            millis(a.at),
            a.duration_minutes,
            a.text,
            id(a.by),
            millis(a.created_at),
        ])?;
    Ok(())
}

fn insert_contract(tx: &rusqlite::Transaction<'_>, c: &Contract) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO contracts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        id(c.id),
        c.number,
        id(c.customer_id),
        opt_id(c.deal_id),
        opt_id(c.lead_owner()),
        c.terms.title,
        format!("{:?}", c.status),
        c.terms.totals.net.0,
        c.terms.totals.tax.0,
        c.terms.totals.gross.0,
        c.terms.sign_date.to_string(),
        millis(c.created_at),
        millis(c.updated_at),
        c.version as i64,
    ])?;
    let mut line =
        tx.prepare_cached("INSERT INTO contract_lines VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for (i, l) in c.terms.lines.iter().enumerate() {
        line.execute(params![
            id(c.id),
            i as i64,
            opt_id(l.product_id),
            l.description,
            l.quantity.0,
            l.unit_price.0,
            l.discount.0,
            l.net.0,
        ])?;
    }
    let mut installment =
        tx.prepare_cached("INSERT INTO installments VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, p) in c.plan.iter().enumerate() {
        installment.execute(params![
            id(c.id),
            i as i64,
            p.due.to_string(),
            p.amount.0,
            p.paid.0
        ])?;
    }
    Ok(())
}

fn insert_payment(tx: &rusqlite::Transaction<'_>, p: &Payment) -> Result<()> {
    tx.prepare_cached("INSERT INTO payments VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![
            id(p.id),
            id(p.contract_id),
            id(p.customer_id),
            p.received_on.to_string(),
            p.amount.0,
            format!("{:?}", p.method),
        ])?;
    Ok(())
}

fn insert_move(tx: &rusqlite::Transaction<'_>, m: &StockMove) -> Result<()> {
    tx.prepare_cached("INSERT INTO stock_moves VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?
        .execute(params![
            id(m.id),
            id(m.product_id),
            format!("{:?}", m.kind),
            m.date.to_string(),
            m.quantity.0,
            m.unit_cost.map(|c| c.0),
            opt_id(m.contract_id),
            m.line,
            id(m.recorded_by),
        ])?;
    Ok(())
}

/// The money of a generated batch: products, contracts with their lines,
/// installments and payments, stock moves, expenses.
fn load_money(tx: &rusqlite::Transaction<'_>, batch: &NewRecords) -> Result<()> {
    let mut product =
        tx.prepare_cached("INSERT INTO products VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for p in &batch.products {
        product.execute(params![
            id(p.id),
            p.code,
            p.name,
            p.unit,
            p.list_price.0,
            p.standard_cost.0,
            p.active,
            p.low_stock_threshold.map(|q| q.0),
        ])?;
    }
    for new in &batch.contracts {
        insert_contract(tx, &new.contract)?;
        for p in &new.payments {
            insert_payment(tx, p)?;
        }
    }
    for m in &batch.stock_moves {
        insert_move(tx, m)?;
    }
    let mut expense =
        tx.prepare_cached("INSERT INTO expenses VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    for e in &batch.expenses {
        expense.execute(params![
            id(e.id),
            e.amount.0,
            e.category,
            e.date.to_string(),
            id(e.spent_by),
            opt_id(e.customer_id),
            e.note,
        ])?;
    }
    Ok(())
}

/// A contract list row: number, customer, owner, status, amount, paid.
pub type ContractRow = (String, String, Option<String>, String, i64, i64);

/// What is owed on one customer or by one rep, by age: not due, 1–30,
/// 31–60, 61–90, over 90 days.
pub type AgingRow = (Vec<u8>, i64, i64, i64, i64, i64);

/// A customer's money as the 360° page shows it beside the rest.
#[derive(Debug, Default)]
pub struct CustomerMoney {
    pub contracts: Vec<(String, String, i64, i64)>,
    pub aging: Vec<i64>,
    pub expenses: Vec<(String, String, i64)>,
}

/// The money questions (issue 11), as SQL over the same rows.
impl Baseline {
    /// A page of every contract, newest first, with its customer's and
    /// owner's names and what was paid, and the total.
    pub fn contract_page(&self, offset: usize, limit: usize) -> Result<(i64, Vec<ContractRow>)> {
        let total = self
            .conn
            .prepare_cached("SELECT count(*) FROM contracts")?
            .query_row([], |r| r.get(0))?;
        let mut page = self.conn.prepare_cached(
            "SELECT c.number, cu.name, u.name, c.status, c.amount,
               (SELECT coalesce(sum(paid), 0) FROM installments i WHERE i.contract_id = c.id)
             FROM contracts c JOIN customers cu ON cu.id = c.customer_id
             LEFT JOIN users u ON u.id = c.owner
             ORDER BY c.id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = page
            .query_map(params![limit as i64, offset as i64], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((total, rows))
    }

    /// The receivables page: what is outstanding on executing and
    /// completed contracts, by age as of `today`, per customer and per
    /// rep (the company's is their sum).
    pub fn receivables(&self, today: chrono::NaiveDate) -> Result<(Vec<AgingRow>, Vec<AgingRow>)> {
        let today = today.to_string();
        let mut out = Vec::new();
        for by in ["c.customer_id", "c.owner"] {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT {by}, sum(CASE WHEN late <= 0 THEN owed ELSE 0 END),
                   sum(CASE WHEN late BETWEEN 1 AND 30 THEN owed ELSE 0 END),
                   sum(CASE WHEN late BETWEEN 31 AND 60 THEN owed ELSE 0 END),
                   sum(CASE WHEN late BETWEEN 61 AND 90 THEN owed ELSE 0 END),
                   sum(CASE WHEN late > 90 THEN owed ELSE 0 END)
                 FROM (SELECT i.contract_id, i.amount - i.paid AS owed,
                         CAST(julianday(?1) - julianday(i.due) AS INTEGER) AS late
                       FROM installments i WHERE i.amount > i.paid) o
                 JOIN contracts c ON c.id = o.contract_id
                 WHERE c.status IN ('Executing', 'Completed')
                 GROUP BY {by}"
            ))?;
            let rows = statement
                .query_map(params![today], |r| {
                    Ok((
                        r.get::<_, Option<Vec<u8>>>(0)?.unwrap_or_default(),
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(rows);
        }
        let reps = out.pop().unwrap_or_default();
        let customers = out.pop().unwrap_or_default();
        Ok((customers, reps))
    }

    /// A customer's page with its money: the 360° rows, its contracts
    /// with what was paid, what it owes by age, its expenses.
    pub fn customer_money(
        &self,
        customer: Id,
        today: chrono::NaiveDate,
    ) -> Result<(Customer360, CustomerMoney)> {
        let page = self.customer_360(customer)?;
        let key = id(customer);
        let mut money = CustomerMoney::default();
        let mut contracts = self.conn.prepare_cached(
            "SELECT c.number, c.status, c.amount,
               (SELECT coalesce(sum(paid), 0) FROM installments i WHERE i.contract_id = c.id)
             FROM contracts c WHERE c.customer_id = ?1 ORDER BY c.id DESC",
        )?;
        money.contracts = contracts
            .query_map(params![key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut aging = self.conn.prepare_cached(
            "SELECT coalesce(sum(CASE WHEN late <= 0 THEN owed END), 0),
               coalesce(sum(CASE WHEN late BETWEEN 1 AND 30 THEN owed END), 0),
               coalesce(sum(CASE WHEN late BETWEEN 31 AND 60 THEN owed END), 0),
               coalesce(sum(CASE WHEN late BETWEEN 61 AND 90 THEN owed END), 0),
               coalesce(sum(CASE WHEN late > 90 THEN owed END), 0)
             FROM (SELECT i.amount - i.paid AS owed,
                     CAST(julianday(?2) - julianday(i.due) AS INTEGER) AS late
                   FROM contracts c JOIN installments i ON i.contract_id = c.id
                   WHERE c.customer_id = ?1 AND c.status IN ('Executing', 'Completed')
                     AND i.amount > i.paid)",
        )?;
        money.aging = aging.query_row(params![key, today.to_string()], |r| {
            (0..5)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<i64>>>()
        })?;
        let mut expenses = self.conn.prepare_cached(
            "SELECT day, category, amount FROM expenses WHERE customer_id = ?1 ORDER BY day DESC",
        )?;
        money.expenses = expenses
            .query_map(params![key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((page, money))
    }

    /// A product's moves as costing reads them (by day, then as
    /// recorded), each delivery with its line's quantity and net.
    fn product_moves(&self, product: Id) -> Result<Vec<ProductMove>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT m.day, m.quantity, m.unit_cost, l.quantity, l.net
             FROM stock_moves m
             LEFT JOIN contract_lines l ON l.contract_id = m.contract_id AND l.line = m.line
             WHERE m.product_id = ?1 ORDER BY m.day, m.id",
        )?;
        let rows = statement
            .query_map(params![id(product)], |r| {
                let ordered: Option<i64> = r.get(3)?;
                let net: Option<i64> = r.get(4)?;
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, ordered.zip(net)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A product's margin: its moves read in costing order and costed by
    /// `method` in Rust with the same function Guanxi uses (SQL has no
    /// FIFO), the revenue from the delivered lines.
    pub fn product_margin(
        &self,
        product: Id,
        method: guanxi_core::model::CostMethod,
    ) -> Result<(i64, i64, i64)> {
        use guanxi_core::domain::money::{DatedMove, Move, cost_moves, round_div};
        use guanxi_core::model::{Cents, Quantity};
        let rows = self.product_moves(product)?;
        let moves: Vec<DatedMove> = rows
            .iter()
            .map(|(day, quantity, unit_cost, _)| DatedMove {
                date: day.parse().unwrap_or_default(),
                movement: if *quantity >= 0 {
                    Move::In {
                        quantity: Quantity(*quantity),
                        unit_cost: Cents(unit_cost.unwrap_or_default()),
                    }
                } else {
                    Move::Out {
                        quantity: Quantity(-quantity),
                    }
                },
            })
            .collect();
        let costing =
            cost_moves(&moves, method).map_err(|s| anyhow::anyhow!("short on {}", s.date))?;
        let (mut revenue, mut cost) = (0_i64, 0_i64);
        for ((_, quantity, _, line), c) in rows.iter().zip(&costing.costs) {
            if let Some((ordered, net)) = line
                && *ordered > 0
            {
                revenue += round_div(
                    i128::from(*net) * i128::from(-quantity),
                    i128::from(*ordered),
                );
            }
            cost += c.map_or(0, |c| c.0);
        }
        Ok((revenue, cost, costing.on_hand.0))
    }

    /// A new contract with its lines and plan in one durable transaction,
    /// numbered from the year's counter.
    pub fn create_contract(&mut self, contract: &Contract) -> Result<()> {
        let tx = self.conn.transaction()?;
        let live: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
            .query_row(params![id(contract.customer_id)], |r| r.get(0))
            .optional()?;
        anyhow::ensure!(live.is_some(), "no such customer");
        let year = chrono::Datelike::year(&contract.created_at);
        let name = format!("contract:{year}");
        let next: i64 = tx
            .prepare_cached(
                "INSERT INTO counters VALUES (?1, 1) ON CONFLICT (name)
                 DO UPDATE SET value = value + 1 RETURNING value",
            )?
            .query_row(params![name], |r| r.get(0))?;
        let numbered = Contract {
            number: format!("S{year}-{next:06}"),
            ..contract.clone()
        };
        insert_contract(&tx, &numbered)?;
        tx.commit()?;
        Ok(())
    }

    /// A purchase in one durable transaction, refused (rolled back) if
    /// the product's stock would go below zero on some day: the product's
    /// moves read in costing order, as Guanxi checks them.
    pub fn stock_in(&mut self, purchase: &StockMove) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_move(&tx, purchase)?;
        let mut on_hand = 0_i64;
        {
            let mut statement = tx.prepare_cached(
                "SELECT quantity FROM stock_moves WHERE product_id = ?1 ORDER BY day, id",
            )?;
            let mut rows = statement.query(params![id(purchase.product_id)])?;
            while let Some(row) = rows.next()? {
                on_hand += row.get::<_, i64>(0)?;
                anyhow::ensure!(on_hand >= 0, "short");
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The products still sold with the most deliveries, most first: whose
    /// margin costs the most to work out, and which a new order may sell.
    pub fn busiest_products(&self, n: usize) -> Result<Vec<Id>> {
        self.ids(
            "SELECT m.product_id FROM stock_moves m JOIN products p ON p.id = m.product_id
             WHERE m.kind = 'Delivery' AND p.active = 1
             GROUP BY m.product_id ORDER BY count(*) DESC LIMIT ?1",
            n,
        )
    }

    /// The customers with the most contracts, most first.
    pub fn customers_with_most_contracts(&self, n: usize) -> Result<Vec<Id>> {
        self.ids(
            "SELECT customer_id FROM contracts GROUP BY customer_id ORDER BY count(*) DESC LIMIT ?1",
            n,
        )
    }

    fn ids(&self, sql: &str, n: usize) -> Result<Vec<Id>> {
        let mut statement = self.conn.prepare(sql)?;
        let ids = statement
            .query_map(params![n as i64], |r| r.get::<_, Vec<u8>>(0))?
            .map(|bytes| {
                let bytes: [u8; 16] = bytes?.try_into().unwrap_or_default();
                Ok(Id(u128::from_be_bytes(bytes)))
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The day from which `product` has `deliveries` deliveries on or
    /// after it (the backdated stock-in goes there), if it has that many.
    pub fn day_before_deliveries(&self, product: Id, deliveries: usize) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT day FROM stock_moves WHERE product_id = ?1 AND kind = 'Delivery'
                 ORDER BY day DESC, id DESC LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![id(product), deliveries as i64 - 1], |r| r.get(0))
            .optional()?)
    }
}
