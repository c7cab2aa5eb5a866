//! Every table, in one place. Nothing outside `store` knows these names or key
//! encodings. Values are postcard-encoded serde records unless noted.

use redb::TableDefinition;

/// Store-wide facts: `schema_version` (u64, little endian), `written_by` (the
/// app version that last migrated the file) and `company` (a `Company`).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

pub const USERS: TableDefinition<u128, &[u8]> = TableDefinition::new("users");
/// Lower-cased email → user id; enforces one account per address.
pub const USERS_BY_EMAIL: TableDefinition<&str, u128> = TableDefinition::new("users_by_email");
/// User id → argon2id PHC string. Kept apart so a `User` can go to the browser.
pub const PASSWORD_HASHES: TableDefinition<u128, &str> = TableDefinition::new("password_hashes");

/// SHA-256 of the session cookie → `SessionRecord`.
pub const SESSIONS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("sessions");
/// (user id, session digest): ends all of a user's sessions in one range scan. Since v2.
pub const SESSIONS_BY_USER: TableDefinition<(u128, &[u8]), ()> =
    TableDefinition::new("sessions_by_user");

/// SHA-256 of the API token → `ApiToken`.
pub const API_TOKENS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("api_tokens");
/// (user id, token id) → token digest: lists and revokes a user's tokens. Since v2.
pub const API_TOKENS_BY_USER: TableDefinition<(u128, u128), &[u8]> =
    TableDefinition::new("api_tokens_by_user");

pub const CUSTOMERS: TableDefinition<u128, &[u8]> = TableDefinition::new("customers");
/// (owner id, customer id); the public pool is owner 0. Since v3.
pub const CUSTOMERS_BY_OWNER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("customers_by_owner");
/// (match key, customer id), where a match key is `n:` + normalised name, `p:` +
/// phone digits or `e:` + email: duplicate warnings look these up. Since v3.
pub const CUSTOMER_KEYS: TableDefinition<(&str, u128), ()> = TableDefinition::new("customer_keys");
/// Customers in the recycle bin: id → (). Since v3.
pub const RECYCLE_BIN: TableDefinition<u128, ()> = TableDefinition::new("recycle_bin");
/// Deals, contacts and activities in the recycle bin, whole, with what they
/// were linked to: id → `recycled::Binned`. Since v10.
pub const RECYCLED: TableDefinition<u128, &[u8]> = TableDefinition::new("recycled");
pub const CONTACTS: TableDefinition<u128, &[u8]> = TableDefinition::new("contacts");
/// (customer id, contact id). Since v3.
pub const CONTACTS_BY_CUSTOMER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("contacts_by_customer");
/// (record id, change id) → `FieldChange`: a record's audit trail in time order. Since v3.
pub const AUDIT: TableDefinition<(u128, u128), &[u8]> = TableDefinition::new("audit");

pub const ACTIVITIES: TableDefinition<u128, &[u8]> = TableDefinition::new("activities");
pub const TASKS: TableDefinition<u128, &[u8]> = TableDefinition::new("tasks");
/// (assignee, due as Unix microseconds, task id): a user's tasks by due date. Since v3.
pub const TASKS_BY_ASSIGNEE: TableDefinition<(u128, i64, u128), ()> =
    TableDefinition::new("tasks_by_assignee");
/// (customer, Unix microseconds, entry id) → entry kind: the 360° timeline,
/// read backwards for newest first. Since v3.
pub const TIMELINE: TableDefinition<(u128, i64, u128), u8> = TableDefinition::new("timeline");
/// File id → `FileMeta`; the bytes are in the data folder's `files/<id>`. Since v3.
pub const FILES: TableDefinition<u128, &[u8]> = TableDefinition::new("files");
/// Customer → Unix microseconds of its latest activity. Since v3.
pub const LAST_ACTIVITY: TableDefinition<u128, i64> = TableDefinition::new("last_activity");

/// Pipeline id → `Pipeline` with its stages. Since v4.
pub const PIPELINES: TableDefinition<u128, &[u8]> = TableDefinition::new("pipelines");
pub const DEALS: TableDefinition<u128, &[u8]> = TableDefinition::new("deals");
/// (pipeline id, deal id): the board of one pipeline. Since v4.
pub const DEALS_BY_PIPELINE: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("deals_by_pipeline");
/// (customer id, deal id). Since v4.
pub const DEALS_BY_CUSTOMER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("deals_by_customer");
/// (deal id, change id) → `StageChange`: a deal's moves in time order. Since v4.
pub const STAGE_HISTORY: TableDefinition<(u128, u128), &[u8]> =
    TableDefinition::new("stage_history");

/// Change id (the second key of `STAGE_HISTORY`) → `DealTimelineEvent`: a
/// deal's stage change as its customer's timeline shows it, with the stage
/// names of the day. Since v5.
pub const DEAL_TIMELINE: TableDefinition<u128, &[u8]> = TableDefinition::new("deal_timeline");
/// Request id → `ReopenRequest`. Since v5.
pub const REOPEN_REQUESTS: TableDefinition<u128, &[u8]> = TableDefinition::new("reopen_requests");
/// Deal id → its pending reopen request: one at a time, and the inbox.
/// Since v5.
pub const REOPEN_PENDING: TableDefinition<u128, u128> = TableDefinition::new("reopen_pending");
/// (requester, request id): what a user asked for, oldest first. Since v5.
pub const REOPEN_BY_REQUESTER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("reopen_by_requester");

/// (deal id, file id): the files attached to a deal. The file is also its
/// customer's (`FILES`, `TIMELINE`), so the customer page lists it. Since v6.
pub const DEAL_FILES: TableDefinition<(u128, u128), ()> = TableDefinition::new("deal_files");
/// File id → the deal it is attached to. Since v6.
pub const FILE_DEALS: TableDefinition<u128, u128> = TableDefinition::new("file_deals");
/// (deal id, Unix microseconds, activity id): the activities about a deal,
/// read backwards for newest first. Since v7.
pub const DEAL_ACTIVITIES: TableDefinition<(u128, i64, u128), ()> =
    TableDefinition::new("deal_activities");

/// File id → its bytes. Never in the live file: only in a downloaded
/// snapshot, which carries the attachments the data folder keeps in
/// `files/`; restore writes them back there and drops the table.
pub const SNAPSHOT_ATTACHMENTS: TableDefinition<u128, &[u8]> =
    TableDefinition::new("snapshot_attachments");
/// Product id → `Product`. Since v8.
pub const PRODUCTS: TableDefinition<u128, &[u8]> = TableDefinition::new("products");
/// Lower-cased, trimmed product code → product id: one product per code.
/// Since v8.
pub const PRODUCTS_BY_CODE: TableDefinition<&str, u128> = TableDefinition::new("products_by_code");
/// Quote id → `Quote`. Since v8.
pub const QUOTES: TableDefinition<u128, &[u8]> = TableDefinition::new("quotes");
/// (customer id, quote id): a customer's quotes, oldest first. Since v8.
pub const QUOTES_BY_CUSTOMER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("quotes_by_customer");
/// (deal id, quote id): the quotes made from a deal. Since v8.
pub const QUOTES_BY_DEAL: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("quotes_by_deal");
/// Quote number → quote id: numbers are unique and found by search. Since v8.
pub const QUOTE_NUMBERS: TableDefinition<&str, u128> = TableDefinition::new("quote_numbers");
/// (product id, quote id): the quotes with a line of a product, so a
/// product in use is not deleted. Since v8.
pub const PRODUCT_QUOTES: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("product_quotes");
/// Quote id → () for each quote waiting for an approval step: the
/// approvals inbox. Since v8.
pub const QUOTES_PENDING: TableDefinition<u128, ()> = TableDefinition::new("quotes_pending");
/// Contract id → `Contract`. Since v8.
pub const CONTRACTS: TableDefinition<u128, &[u8]> = TableDefinition::new("contracts");
/// (customer id, contract id). Since v8.
pub const CONTRACTS_BY_CUSTOMER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("contracts_by_customer");
/// (deal id, contract id). Since v8.
pub const CONTRACTS_BY_DEAL: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("contracts_by_deal");
/// Contract number → contract id. Since v8.
pub const CONTRACT_NUMBERS: TableDefinition<&str, u128> = TableDefinition::new("contract_numbers");
/// (contract id, terms version) → `ContractVersion`: every version of a
/// contract's terms, the current one included. Since v8.
pub const CONTRACT_VERSIONS: TableDefinition<(u128, u32), &[u8]> =
    TableDefinition::new("contract_versions");
/// Contract id → () while it waits for an approval step. Since v8.
pub const CONTRACTS_PENDING: TableDefinition<u128, ()> = TableDefinition::new("contracts_pending");
/// Quote id → the contract made from it: one contract per quote. Since v8.
pub const QUOTE_CONTRACTS: TableDefinition<u128, u128> = TableDefinition::new("quote_contracts");
/// (product id, contract id): a product in use is not deleted. Since v8.
pub const PRODUCT_CONTRACTS: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("product_contracts");
/// Payment id → `Payment`. Since v8.
pub const PAYMENTS: TableDefinition<u128, &[u8]> = TableDefinition::new("payments");
/// (contract id, payment id): a contract's payments, oldest first. Since v8.
pub const PAYMENTS_BY_CONTRACT: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("payments_by_contract");
/// Named counters (`quote:2026` → the last quote number of 2026). Since v8.
pub const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
/// Stock move id → `StockMove`: purchases, adjustments and deliveries.
/// Since v9.
pub const STOCK_MOVES: TableDefinition<u128, &[u8]> = TableDefinition::new("stock_moves");
/// (product id, day as days since 1 Jan of year 1, move id): a product's
/// moves in the order costing reads them (by day, then as recorded).
/// Since v9.
pub const STOCK_BY_PRODUCT: TableDefinition<(u128, i32, u128), ()> =
    TableDefinition::new("stock_by_product");
/// (contract id, move id): a contract's deliveries. Since v9.
/// Expense id → `Expense`. Since v9.
pub const EXPENSES: TableDefinition<u128, &[u8]> = TableDefinition::new("expenses");
/// (customer id, expense id): a customer's expenses. Since v9.
pub const EXPENSES_BY_CUSTOMER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("expenses_by_customer");
/// (spender id, expense id): a user's expenses, for a rep's or a team's
/// list. Since v9.
pub const EXPENSES_BY_USER: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("expenses_by_user");
pub const DELIVERIES_BY_CONTRACT: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("deliveries_by_contract");
/// Entry id (a ULID, so by time) → `AuditEntry`: the company's audit log,
/// read backwards for newest first, a date range being a range of ids.
/// Never purged with a record. Since v11.
pub const AUDIT_LOG: TableDefinition<u128, &[u8]> = TableDefinition::new("audit_log");
/// (record id, entry id): one record's entries in the audit log. Since v11.
pub const AUDIT_LOG_BY_RECORD: TableDefinition<(u128, u128), ()> =
    TableDefinition::new("audit_log_by_record");
/// Target id → `SalesTarget`. Since v12.
pub const TARGETS: TableDefinition<u128, &[u8]> = TableDefinition::new("targets");
/// `year|scope|subject|measure` → target id: one target per subject,
/// year and measure. Since v12.
pub const TARGET_KEYS: TableDefinition<&str, u128> = TableDefinition::new("target_keys");

pub const TIMELINE_ACTIVITY: u8 = 1;
pub const TIMELINE_TASK: u8 = 2;
pub const TIMELINE_CHANGE: u8 = 3;
pub const TIMELINE_FILE: u8 = 4;
pub const TIMELINE_DEAL: u8 = 5;
/// Never stored: money events are read from their records
/// (`money_timeline.rs`); the kind filter still names them.
pub const TIMELINE_MONEY: u8 = 6;

pub const META_SCHEMA_VERSION: &str = "schema_version";
pub const META_WRITTEN_BY: &str = "written_by";
pub const META_COMPANY: &str = "company";
/// A `CustomerSettings`; absent until an admin first saves them.
pub const META_CUSTOMER_SETTINGS: &str = "customer_settings";
/// A `CloseReasons`; absent until an admin first saves them. Since v5.
pub const META_CLOSE_REASONS: &str = "close_reasons";
/// A `CustomerTypes`: the company's own types; absent until an admin adds
/// one, and apart from `customer_settings` so older files read unchanged.
pub const META_CUSTOMER_TYPES: &str = "customer_types";
/// A `BackupPolicy`; absent until an admin first saves one.
pub const META_BACKUP_POLICY: &str = "backup_policy";
/// A `SalesSettings`; absent until an admin first saves them. Since v8.
pub const META_SALES_SETTINGS: &str = "sales_settings";
/// An `ExpenseCategories`; absent until an admin first saves them. Since v9.
pub const META_EXPENSE_CATEGORIES: &str = "expense_categories";
