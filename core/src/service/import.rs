//! Importing customers, products or past orders from a spreadsheet: upload, map columns,
//! dry run, run.
//!
//! An upload is parsed once and kept in memory as a job of the user who sent
//! it, for an hour, with the kind of record it makes. The dry run and the
//! import share one row planner per kind, so the dry run lists exactly the
//! rows the import would refuse. Every row is validated before it is written,
//! and rows are written in batches, each in one transaction: a failed row
//! never leaves a half-written customer or product. The product rows are
//! planned in `product_import.rs`, past orders (a contract from several
//! rows) in `order_import.rs`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::Guanxi;
use super::customers::{
    clean_contact, clean_customer, contact_changed, customer_created, diff, new_contact,
};
use crate::domain::spreadsheet::{self, SourceEncoding, Table};
use crate::domain::{matching, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Customer, CustomerSettings, CustomerTypes, DuplicateMode, Id, ImportKind, ImportPlan,
    ImportPreview, ImportStatus, MAX_LISTED_PROBLEMS, RowProblem, Target, TypeChoice, TypeMapping,
    UnknownType, User, VcardReport,
};
use crate::store::ImportWrite;

/// Uploads larger than this are refused: 100,000 rows of a wide sheet fit.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
const JOB_LIFETIME: Duration = Duration::from_secs(60 * 60);
const BATCH: usize = 1000;
/// Orders per transaction: about 2,500 rows of a typical sheet.
const ORDER_BATCH: usize = 1000;
const SAMPLE_ROWS: usize = 5;

pub(super) struct ImportJob {
    owner: Id,
    kind: ImportKind,
    created: Instant,
    file_name: String,
    encoding: SourceEncoding,
    table: Arc<Table>,
    status: Arc<Mutex<ImportStatus>>,
}

#[derive(Default)]
pub(super) struct ImportJobs(Mutex<HashMap<Id, ImportJob>>);

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Id, ImportJob>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keys of rows planned earlier in the same file, so a file that lists a
/// customer twice is handled like a duplicate of an existing one.
#[derive(Default)]
struct SeenKeys(HashSet<String>);

impl SeenKeys {
    fn keys(c: &crate::model::CustomerInput) -> Vec<String> {
        let mut keys = vec![matching::name_key(&c.name)];
        keys.extend(c.phone.as_deref().and_then(matching::phone_key));
        keys.extend(c.email.as_deref().map(matching::email_key));
        keys
    }

    fn contains_any(&self, c: &crate::model::CustomerInput) -> bool {
        Self::keys(c).iter().any(|k| self.0.contains(k))
    }

    fn add(&mut self, c: &crate::model::CustomerInput) {
        self.0.extend(Self::keys(c));
    }
}

/// What every row of one import is checked against.
struct RowRules<'a> {
    settings: CustomerSettings,
    types: CustomerTypes,
    /// Unknown type values the user mapped, to codes.
    type_codes: &'a HashMap<String, String>,
}

impl RowRules<'_> {
    /// The code of a type cell: a built-in or company type by code or
    /// label, or a value the user mapped.
    fn type_code(&self, value: &str) -> Result<String> {
        if let Some(code) = self.types.resolve(value) {
            return Ok(code);
        }
        match self.type_codes.get(value.trim()) {
            Some(code) => Ok(code.clone()),
            None => Err(Error::UnknownCustomerType {
                value: value.trim().to_string(),
            }),
        }
    }
}

/// A mapping gives one target per column.
fn check_mapping_length(table: &Table, mapping: &[Target]) -> Result<()> {
    if mapping.len() != table.headers.len() {
        return Err(Error::invalid(Field::File, Problem::Malformed));
    }
    Ok(())
}

fn encoding_code(e: SourceEncoding) -> &'static str {
    match e {
        SourceEncoding::Utf8Bom => "utf8_bom",
        SourceEncoding::Utf8 => "utf8",
        SourceEncoding::Gb18030 => "gb18030",
        SourceEncoding::Utf16 => "utf16",
    }
}

/// A planned row: its write (`None`: skipped), or its problems, each with
/// the column to blame when there is one.
pub(super) type RowOutcome = std::result::Result<Option<ImportWrite>, Vec<(Option<usize>, Error)>>;

/// Counts a planned row into `plan`, hands its write on with the number of
/// rows read so far, and lists its problems by spreadsheet row (the header
/// is row 1) and column header.
pub(super) fn record(
    plan: &mut ImportPlan,
    headers: &[String],
    index: usize,
    outcome: RowOutcome,
    write: &mut impl FnMut(usize, ImportWrite) -> Result<()>,
) -> Result<()> {
    match outcome {
        Ok(Some(w)) => {
            match &w {
                ImportWrite::Create(..) | ImportWrite::CreateProduct(_) => plan.create += 1,
                ImportWrite::Update(..)
                | ImportWrite::AddContacts(..)
                | ImportWrite::UpdateProduct(_) => plan.update += 1,
            }
            write(index + 1, w)?;
        }
        Ok(None) => plan.skip += 1,
        Err(problems) => {
            plan.failed += 1;
            for (column, error) in problems {
                if plan.problems.len() < MAX_LISTED_PROBLEMS {
                    plan.problems.push(RowProblem {
                        row: index + 2,
                        column: column.and_then(|c| headers.get(c).cloned()),
                        error,
                    });
                }
            }
        }
    }
    Ok(())
}

/// The column an error belongs to, by the field it names.
fn column_of(error: &Error, mapping: &[Target]) -> Option<usize> {
    match error {
        Error::InvalidCustomField { key, .. } => mapping
            .iter()
            .position(|t| matches!(t, Target::Custom(k) if k == key)),
        Error::Invalid { field, .. } => mapping
            .iter()
            .position(|t| *t != Target::Ignore && t.field() == *field),
        Error::UnknownCustomerType { .. } => {
            mapping.iter().position(|t| *t == Target::CustomerType)
        }
        _ => None,
    }
}

impl Guanxi {
    /// Parses an upload of customers and keeps it as a job of `me`.
    pub fn upload_import(&self, me: &User, file_name: &str, bytes: &[u8]) -> Result<ImportPreview> {
        self.upload(me, ImportKind::Customers, file_name, bytes)
    }

    /// Parses an upload of products (admins and managers keep the product
    /// list) and keeps it as a job of `me`.
    pub fn upload_product_import(
        &self,
        me: &User,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportPreview> {
        super::products::require_product_editor(me)?;
        self.upload(me, ImportKind::Products, file_name, bytes)
    }

    /// Parses an upload of past orders (admins and managers, as for
    /// products) and keeps it as a job of `me`.
    pub fn upload_order_import(
        &self,
        me: &User,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportPreview> {
        super::products::require_product_editor(me)?;
        self.upload(me, ImportKind::Orders, file_name, bytes)
    }

    fn upload(
        &self,
        me: &User,
        kind: ImportKind,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportPreview> {
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(Error::invalid(
                Field::File,
                Problem::TooLong {
                    max: (MAX_IMPORT_BYTES / 1024 / 1024) as u32,
                },
            ));
        }
        let decoded = spreadsheet::decode(bytes);
        let table = spreadsheet::parse_table(&decoded.text)?;
        let id = Id::generate();
        let mut jobs = self.imports.lock();
        jobs.retain(|_, job| job.created.elapsed() < JOB_LIFETIME);
        jobs.insert(
            id,
            ImportJob {
                owner: me.id,
                kind,
                created: Instant::now(),
                file_name: file_name.chars().take(200).collect(),
                encoding: decoded.encoding,
                table: Arc::new(table),
                status: Arc::new(Mutex::new(ImportStatus::Ready)),
            },
        );
        drop(jobs);
        self.import_preview(me, id)
    }

    fn import_job(
        &self,
        me: &User,
        job: Id,
    ) -> Result<(ImportKind, Arc<Table>, Arc<Mutex<ImportStatus>>)> {
        let jobs = self.imports.lock();
        let found = jobs
            .get(&job)
            .filter(|j| j.owner == me.id)
            .ok_or(Error::NotFound)?;
        Ok((found.kind, found.table.clone(), found.status.clone()))
    }

    pub fn import_preview(&self, me: &User, job: Id) -> Result<ImportPreview> {
        let custom_fields: Vec<(String, String)> = match self.import_job(me, job)?.0 {
            ImportKind::Customers => self
                .store
                .customer_settings()?
                .custom_fields
                .iter()
                .map(|f| (f.key.clone(), f.label.clone()))
                .collect(),
            ImportKind::Products | ImportKind::Orders => Vec::new(),
        };
        let jobs = self.imports.lock();
        let found = jobs
            .get(&job)
            .filter(|j| j.owner == me.id)
            .ok_or(Error::NotFound)?;
        let headers = &found.table.headers;
        Ok(ImportPreview {
            job,
            kind: found.kind,
            file_name: found.file_name.clone(),
            encoding: encoding_code(found.encoding).into(),
            headers: headers.clone(),
            suggested: match found.kind {
                ImportKind::Customers => spreadsheet::suggest_mapping(headers, &custom_fields),
                ImportKind::Products => crate::domain::products::suggest_mapping(headers),
                ImportKind::Orders => crate::domain::order_import::suggest_mapping(headers),
            },
            sample: found.table.rows.iter().take(SAMPLE_ROWS).cloned().collect(),
            rows: found.table.rows.len(),
            custom_fields,
        })
    }

    pub fn import_status(&self, me: &User, job: Id) -> Result<ImportStatus> {
        let (_, _, status) = self.import_job(me, job)?;
        let status = status.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Ok(status)
    }

    /// What the import would do with this mapping, writing nothing. Type
    /// values `types` has the user create count as the new types they will
    /// be (customers; a product import has no types and ignores them).
    pub fn import_dry_run(
        &self,
        me: &User,
        job: Id,
        mapping: &[Target],
        mode: DuplicateMode,
        types: &TypeMapping,
    ) -> Result<ImportPlan> {
        let (kind, table, _) = self.import_job(me, job)?;
        if kind == ImportKind::Orders {
            check_mapping_length(&table, mapping)?;
            return self.plan_orders(me, &table, mapping, mode, |_, _| Ok(()));
        }
        let type_codes = match kind {
            ImportKind::Customers => self.import_type_codes(me, types, false)?,
            ImportKind::Products | ImportKind::Orders => HashMap::new(),
        };
        self.plan(me, kind, &table, mapping, mode, &type_codes, |_, _| Ok(()))
    }

    /// The code each mapped type value imports as. Values to create are
    /// added as types first when `create` (the run) and only checked when
    /// not (the dry run): either way only admins may create types.
    fn import_type_codes(
        &self,
        me: &User,
        types: &TypeMapping,
        create: bool,
    ) -> Result<HashMap<String, String>> {
        let mut codes = HashMap::new();
        let mut known = self.store.customer_types()?;
        for (value, choice) in types {
            let code = match choice {
                TypeChoice::Existing(code) if known.is_offered(code) => code.clone(),
                TypeChoice::Existing(_) => {
                    return Err(Error::invalid(Field::CustomerType, Problem::Unknown));
                }
                TypeChoice::Create if !create => {
                    super::Actor::User(me).require_admin()?;
                    value.trim().to_string()
                }
                TypeChoice::Create => match known.resolve(value) {
                    // Made by an earlier run, or by someone else meanwhile.
                    Some(code) => code,
                    None => {
                        known =
                            self.add_customer_type(super::Actor::User(me), value, known.version)?;
                        known
                            .resolve(value)
                            .ok_or(Error::Internal("a new type not found".into()))?
                    }
                },
            };
            codes.insert(value.trim().to_string(), code);
        }
        Ok(codes)
    }

    /// Runs the import, reporting progress through `import_status` while it
    /// goes. Returns the same counts as the dry run gave, unless someone
    /// changed the data in between.
    pub fn run_import(
        &self,
        me: &User,
        job: Id,
        mapping: &[Target],
        mode: DuplicateMode,
        types: &TypeMapping,
    ) -> Result<ImportPlan> {
        let (kind, table, status) = self.import_job(me, job)?;
        if mapping.len() != table.headers.len() {
            return Err(Error::invalid(Field::File, Problem::Malformed));
        }
        {
            let mut current = status.lock().unwrap_or_else(|e| e.into_inner());
            if matches!(
                *current,
                ImportStatus::Running { .. } | ImportStatus::Finished(_)
            ) {
                return Err(Error::Conflict);
            }
            *current = ImportStatus::Running {
                done: 0,
                total: table.rows.len(),
            };
        }
        let total = table.rows.len();
        let progress = |done: usize| {
            *status.lock().unwrap_or_else(|e| e.into_inner()) =
                ImportStatus::Running { done, total };
        };
        let result = if kind == ImportKind::Orders {
            self.run_order_import(me, &table, mapping, mode, progress)
        } else {
            self.run_rows(me, kind, &table, mapping, mode, types, progress)
        };
        *status.lock().unwrap_or_else(|e| e.into_inner()) = match &result {
            Ok(plan) => ImportStatus::Finished(plan.clone()),
            Err(error) => ImportStatus::Failed {
                error: error.clone(),
            },
        };
        result
    }

    /// Orders, a batch of `ORDER_BATCH` per transaction through the bulk
    /// path.
    fn run_order_import(
        &self,
        me: &User,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        progress: impl Fn(usize),
    ) -> Result<ImportPlan> {
        let mut batch = Vec::with_capacity(ORDER_BATCH);
        let write = |batch: &mut Vec<crate::store::NewContract>| {
            self.store.insert_bulk(&crate::store::NewRecords {
                contracts: std::mem::take(batch),
                ..Default::default()
            })
        };
        let plan = self.plan_orders(me, table, mapping, mode, |row, order| {
            batch.push(order);
            if batch.len() >= ORDER_BATCH {
                write(&mut batch)?;
                progress(row);
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            write(&mut batch)?;
        }
        Ok(plan)
    }

    /// Customers or products, a batch of `BATCH` rows per transaction.
    #[allow(clippy::too_many_arguments)]
    fn run_rows(
        &self,
        me: &User,
        kind: ImportKind,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        types: &TypeMapping,
        progress: impl Fn(usize),
    ) -> Result<ImportPlan> {
        let mut batch: Vec<ImportWrite> = Vec::with_capacity(BATCH);
        let type_codes = match kind {
            ImportKind::Customers => self.import_type_codes(me, types, true),
            ImportKind::Products | ImportKind::Orders => Ok(HashMap::new()),
        };
        type_codes
            .and_then(|type_codes| {
                self.plan(me, kind, table, mapping, mode, &type_codes, |row, write| {
                    batch.push(write);
                    if batch.len() >= BATCH {
                        self.import_batch(me, &batch)?;
                        batch.clear();
                        progress(row);
                    }
                    Ok(())
                })
            })
            .and_then(|plan| {
                self.import_batch(me, &batch)?;
                Ok(plan)
            })
    }

    /// Plans every row; `write` receives the planned writes in file order
    /// with the number of rows read so far.
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        me: &User,
        kind: ImportKind,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        type_codes: &HashMap<String, String>,
        write: impl FnMut(usize, ImportWrite) -> Result<()>,
    ) -> Result<ImportPlan> {
        check_mapping_length(table, mapping)?;
        match kind {
            ImportKind::Customers => {
                self.plan_customers(me, table, mapping, mode, type_codes, write)
            }
            ImportKind::Products => self.plan_products(me, table, mapping, mode, write),
            // Orders are planned as a whole, by `plan_orders`.
            ImportKind::Orders => Err(Error::Internal("orders planned as rows".into())),
        }
    }

    fn plan_customers(
        &self,
        me: &User,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        type_codes: &HashMap<String, String>,
        mut write: impl FnMut(usize, ImportWrite) -> Result<()>,
    ) -> Result<ImportPlan> {
        if let Some(problem) = spreadsheet::header_problems(mapping) {
            return Err(problem);
        }
        let mut types = self.store.customer_types()?;
        // A dry run's types to create do not exist yet: plan as if they did.
        for code in type_codes.values() {
            if !types.is_offered(code) {
                types.custom.push(crate::model::CustomerTypeDef {
                    code: code.clone(),
                    label: code.clone(),
                    retired: false,
                });
            }
        }
        let rules = RowRules {
            settings: self.store.customer_settings()?,
            types,
            type_codes,
        };
        // New customers are the importer's: they count toward the holding limit.
        let limit = rules.settings.holding_limit as usize;
        let mut held = if limit > 0 {
            self.store.customer_ids_of(Some(me.id))?.len()
        } else {
            0
        };
        let mut seen = SeenKeys::default();
        let mut plan = ImportPlan::default();
        for (index, cells) in table.rows.iter().enumerate() {
            let planned = match self.plan_row(me, cells, mapping, mode, &rules, &mut seen) {
                Ok(Some(ImportWrite::Create(..))) if limit > 0 && held >= limit => Err(vec![(
                    None,
                    Error::HoldingLimit {
                        user: me.name.clone(),
                        held: held as u32,
                        limit: limit as u32,
                    },
                )]),
                Err(problems) => {
                    for (_, error) in &problems {
                        if let Error::UnknownCustomerType { value } = error {
                            match plan.unknown_types.iter_mut().find(|u| &u.value == value) {
                                Some(known) => known.rows += 1,
                                None => plan.unknown_types.push(UnknownType {
                                    value: value.clone(),
                                    rows: 1,
                                }),
                            }
                        }
                    }
                    Err(problems)
                }
                other => other,
            };
            if let Ok(Some(ImportWrite::Create(..))) = &planned {
                held += 1;
            }
            record(&mut plan, &table.headers, index, planned, &mut write)?;
        }
        Ok(plan)
    }

    /// One row: converted, validated like the form, checked for duplicates;
    /// `None` skips it.
    /// A problem comes back with its column (when one column is to blame).
    fn plan_row(
        &self,
        me: &User,
        cells: &[String],
        mapping: &[Target],
        mode: DuplicateMode,
        rules: &RowRules,
        seen: &mut SeenKeys,
    ) -> RowOutcome {
        let one = |e: Error| vec![(column_of(&e, mapping), e)];
        let row = spreadsheet::convert_row(cells, mapping).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| (Some(p.column), p.error))
                .collect::<Vec<_>>()
        })?;
        let mut customer = row.customer;
        customer.customer_type = rules.type_code(&customer.customer_type).map_err(one)?;
        let input = clean_customer(&customer, &rules.settings, &rules.types, None).map_err(one)?;
        let contact = row
            .contact
            .as_ref()
            .map(clean_contact)
            .transpose()
            .map_err(one)?;
        let contacts: Vec<_> = contact.iter().cloned().collect();
        let in_file = seen.contains_any(&input);
        seen.add(&input);
        if mode == DuplicateMode::Create {
            return Ok(Some(self.new_import_customer(me, input, contacts)));
        }
        let existing = self
            .possible_duplicates(&input, &contacts)
            .map_err(one)?
            .into_iter()
            .next();
        match (mode, existing) {
            (DuplicateMode::Update, Some(hint)) => {
                let current = self.store.customer(hint.customer_id).map_err(one)?;
                let Some(current) = current.filter(|c| c.deleted_at.is_none()) else {
                    return Ok(None);
                };
                let owner = current
                    .owner
                    .and_then(|o| self.store.user(o).ok().flatten());
                if !visibility::can_edit(me, owner.as_ref()) {
                    return Err(vec![(None, Error::Forbidden)]);
                }
                let filled = fill_from(&current, input);
                let known: Vec<String> = self
                    .store
                    .contacts_of(current.id)
                    .map_err(one)?
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                let new_contacts = contacts
                    .into_iter()
                    .filter(|c| !known.contains(&c.name))
                    .map(|c| new_contact(current.id, c))
                    .collect();
                let changes = diff(&current, &filled, me.id);
                Ok(Some(ImportWrite::Update(filled, changes, new_contacts)))
            }
            (_, Some(_)) => Ok(None),
            (_, None) if in_file => Ok(None),
            (_, None) => Ok(Some(self.new_import_customer(me, input, contacts))),
        }
    }

    fn new_import_customer(
        &self,
        me: &User,
        input: crate::model::CustomerInput,
        contacts: Vec<crate::model::ContactInput>,
    ) -> ImportWrite {
        let customer = Customer::new(input, Some(me.id), me.id, Utc::now());
        let contacts = contacts
            .into_iter()
            .map(|c| new_contact(customer.id, c))
            .collect();
        ImportWrite::Create(customer, contacts)
    }
}

impl Guanxi {
    /// Contacts from a vCard file (as phones export them): added to
    /// `customer`, or each made a person-customer of its own. Cards that fail
    /// are reported and the rest saved together in one transaction.
    /// Writes an import batch with its audit entries: each customer and
    /// contact it creates (its edits of existing customers reach the log
    /// through their audit trails, written by the store).
    fn import_batch(&self, me: &User, writes: &[ImportWrite]) -> Result<()> {
        self.store.audited(|lines| {
            for write in writes {
                let (created, contacts) = match write {
                    ImportWrite::Create(customer, contacts) => (Some(customer), contacts),
                    ImportWrite::Update(_, _, contacts) => (None, contacts),
                    ImportWrite::AddContacts(_, contacts) => (None, contacts),
                    ImportWrite::CreateProduct(_) | ImportWrite::UpdateProduct(_) => continue,
                };
                if let Some(customer) = created {
                    lines.push(customer_created(me.id, customer));
                }
                for contact in contacts {
                    lines.push(contact_changed(me.id, None, Some(contact)));
                }
            }
            self.store.import_batch(writes)
        })
    }

    pub fn import_vcards(
        &self,
        me: &User,
        bytes: &[u8],
        customer: Option<Id>,
    ) -> Result<VcardReport> {
        use crate::domain::vcard;
        use crate::model::{ContactInput, CustomerInput, CustomerKind};
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(Error::invalid(Field::File, Problem::Malformed));
        }
        if let Some(id) = customer {
            self.editable_customer(me, id)?;
        }
        let settings = self.store.customer_settings()?;
        let types = self.store.customer_types()?;
        let text = spreadsheet::decode(bytes).text;
        let mut report = VcardReport::default();
        let mut contacts = Vec::new();
        let mut writes = Vec::new();
        let cards = vcard::parse(&text);
        if cards.is_empty() {
            return Err(Error::invalid(Field::File, Problem::Required));
        }
        for (index, card) in cards.into_iter().enumerate() {
            let number = index + 1;
            let Ok(card) = card else {
                report
                    .problems
                    .push((number, Error::invalid(Field::Name, Problem::Required)));
                continue;
            };
            let input = ContactInput {
                name: card.name.clone(),
                title: card.title.clone(),
                phones: card.phones.clone(),
                email: card.emails.first().cloned(),
                birthday: card.birthday,
                notes: card.note.clone(),
                ..Default::default()
            };
            let contact = match clean_contact(&input) {
                Ok(c) => c,
                Err(e) => {
                    report.problems.push((number, e));
                    continue;
                }
            };
            match customer {
                Some(id) => contacts.push(new_contact(id, contact)),
                None => {
                    let person = CustomerInput {
                        name: contact.name.clone(),
                        kind: CustomerKind::Person,
                        customer_type: "potential".into(),
                        phone: contact.phones.first().cloned(),
                        email: contact.email.clone(),
                        notes: card.organization.clone(),
                        ..Default::default()
                    };
                    match clean_customer(&person, &settings, &types, None) {
                        Ok(person) => {
                            writes.push(self.new_import_customer(me, person, vec![contact]))
                        }
                        Err(e) => {
                            report.problems.push((number, e));
                            continue;
                        }
                    }
                }
            }
            report.added += 1;
        }
        if let Some(id) = customer {
            writes.push(ImportWrite::AddContacts(id, contacts));
        }
        self.import_batch(me, &writes)?;
        Ok(report)
    }
}

/// The existing customer with the row's non-empty values written over it;
/// tags are added, not replaced.
fn fill_from(current: &Customer, row: crate::model::CustomerInput) -> Customer {
    let pick = |new: Option<String>, old: &Option<String>| new.or_else(|| old.clone());
    let mut tags = current.tags.clone();
    for tag in row.tags {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut custom = current.custom.clone();
    custom.extend(row.custom);
    Customer {
        kind: row.kind,
        customer_type: row.customer_type,
        source: pick(row.source, &current.source),
        industry: pick(row.industry, &current.industry),
        region: pick(row.region, &current.region),
        grade: pick(row.grade, &current.grade),
        tags,
        phone: pick(row.phone, &current.phone),
        email: pick(row.email, &current.email),
        address: pick(row.address, &current.address),
        website: pick(row.website, &current.website),
        notes: pick(row.notes, &current.notes),
        custom,
        updated_at: Utc::now(),
        ..current.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;

    fn gb18030(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    const SHEET: &str = "客户名称,电话,邮箱,联系人,职务\n\
        北京星辰科技有限公司,010-8888 6666,info@xingchen.cn,张伟,总经理\n\
        ,13800000000,,,\n\
        上海明月贸易,021-5555 1234,not-an-email,,\n\
        广州云帆物流,020-3333 7777,,李娜,采购\n\
        北京星辰科技有限公司,,,,\n";

    #[test]
    fn dry_run_names_each_bad_row_and_writes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let preview = gx
            .upload_import(&admin, "客户.csv", &gb18030(SHEET))
            .unwrap();
        assert_eq!(preview.encoding, "gb18030");
        assert_eq!(preview.rows, 5);
        assert_eq!(preview.suggested[0], Target::CustomerName);
        let plan = gx
            .import_dry_run(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &TypeMapping::new(),
            )
            .unwrap();
        assert_eq!((plan.create, plan.skip, plan.failed), (2, 1, 2));
        let rows: Vec<(usize, Option<&str>)> = plan
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref()))
            .collect();
        assert_eq!(rows, vec![(3, Some("客户名称")), (4, Some("邮箱"))]);
        assert!(gx.visible_customers(&admin).unwrap().is_empty());
    }

    #[test]
    fn import_writes_valid_rows_with_contacts_and_honours_duplicate_modes() {
        let (_dir, gx, admin) = set_up_company();
        let preview = gx.upload_import(&admin, "a.csv", SHEET.as_bytes()).unwrap();
        let plan = gx
            .run_import(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &TypeMapping::new(),
            )
            .unwrap();
        assert_eq!(plan.create, 2);
        assert!(matches!(
            gx.import_status(&admin, preview.job).unwrap(),
            ImportStatus::Finished(_)
        ));
        let customers = gx.visible_customers(&admin).unwrap();
        assert_eq!(customers.len(), 2);
        let star = customers
            .iter()
            .find(|c| c.name == "北京星辰科技有限公司")
            .unwrap();
        assert_eq!(gx.contacts(&admin, star.id).unwrap()[0].name, "张伟");
        assert_eq!(
            gx.search(&admin, "星辰", 10).unwrap().len(),
            1,
            "imported rows are searchable at once"
        );

        let again = "客户名称,地区,联系人\n北京星辰科技有限公司,北京,刘洋\n";
        let second = gx.upload_import(&admin, "b.csv", again.as_bytes()).unwrap();
        let plan = gx
            .run_import(
                &admin,
                second.job,
                &second.suggested,
                DuplicateMode::Update,
                &TypeMapping::new(),
            )
            .unwrap();
        assert_eq!(plan.update, 1);
        let updated = gx.customer(&admin, star.id).unwrap();
        assert_eq!(updated.region.as_deref(), Some("北京"));
        assert_eq!(updated.phone.as_deref(), Some("010-8888 6666"));
        assert_eq!(gx.contacts(&admin, star.id).unwrap().len(), 2);
        assert!(
            gx.run_import(
                &admin,
                second.job,
                &second.suggested,
                DuplicateMode::Update,
                &TypeMapping::new()
            )
            .is_err(),
            "a job runs once"
        );
    }

    const TYPED: &str = "客户名称,客户类型\n\
        甲公司,VIP\n\
        乙公司,签约客户\n\
        丙公司,vip\n\
        丁公司,战略伙伴\n\
        戊公司,VIP\n";

    #[test]
    fn the_dry_run_names_unknown_types_and_the_import_maps_or_creates_them() {
        let (_dir, gx, admin) = set_up_company();
        let preview = gx.upload_import(&admin, "t.csv", TYPED.as_bytes()).unwrap();
        let none = TypeMapping::new();
        let plan = gx
            .import_dry_run(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &none,
            )
            .unwrap();
        assert_eq!((plan.create, plan.failed), (1, 4));
        let unknown: Vec<(&str, usize)> = plan
            .unknown_types
            .iter()
            .map(|u| (u.value.as_str(), u.rows))
            .collect();
        assert_eq!(unknown, vec![("VIP", 2), ("vip", 1), ("战略伙伴", 1)]);
        assert_eq!(plan.problems[0].column.as_deref(), Some("客户类型"));
        assert_eq!(
            plan.problems[0].error,
            Error::UnknownCustomerType {
                value: "VIP".into()
            }
        );

        // An existing type is found by its label, letter case aside.
        let types = gx
            .add_customer_type(super::super::Actor::User(&admin), "Vip", 0)
            .unwrap();
        let plan = gx
            .import_dry_run(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &none,
            )
            .unwrap();
        assert_eq!(plan.unknown_types.len(), 1);
        assert_eq!(plan.failed, 1);

        let mut mapping = TypeMapping::new();
        mapping.insert("战略伙伴".into(), TypeChoice::Create);
        let plan = gx
            .import_dry_run(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &mapping,
            )
            .unwrap();
        assert_eq!((plan.create, plan.failed), (5, 0));
        assert!(
            gx.customer_types().unwrap().custom.len() == 1,
            "a dry run creates no type"
        );
        let plan = gx
            .run_import(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &mapping,
            )
            .unwrap();
        assert_eq!(plan.create, 5);
        let types_now = gx.customer_types().unwrap();
        let partner = types_now.resolve("战略伙伴").unwrap();
        let vip = &types.custom[0].code;
        let mut by_name: Vec<(String, String)> = gx
            .visible_customers(&admin)
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.customer_type))
            .collect();
        by_name.sort();
        assert_eq!(
            by_name,
            vec![
                ("丁公司".into(), partner),
                ("丙公司".into(), vip.clone()),
                ("乙公司".into(), "signed".into()),
                ("戊公司".into(), vip.clone()),
                ("甲公司".into(), vip.clone()),
            ]
        );
    }

    #[test]
    fn a_rep_maps_unknown_types_but_may_not_create_them() {
        let (_dir, gx, admin) = set_up_company();
        let rep = super::super::test_support::person(
            &gx,
            &admin,
            "li@x.cn",
            crate::model::Role::Rep,
            None,
        );
        let preview = gx.upload_import(&rep, "t.csv", TYPED.as_bytes()).unwrap();
        let mut mapping = TypeMapping::new();
        mapping.insert("战略伙伴".into(), TypeChoice::Create);
        assert_eq!(
            gx.import_dry_run(
                &rep,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &mapping
            ),
            Err(Error::Forbidden)
        );
        let mut mapping = TypeMapping::new();
        for value in ["VIP", "vip", "战略伙伴"] {
            mapping.insert(value.into(), TypeChoice::Existing("signed".into()));
        }
        let plan = gx
            .run_import(
                &rep,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &mapping,
            )
            .unwrap();
        assert_eq!((plan.create, plan.failed), (5, 0));
        assert!(
            gx.visible_customers(&rep)
                .unwrap()
                .iter()
                .all(|c| c.customer_type == "signed")
        );
    }

    #[test]
    fn imported_customers_count_toward_the_importers_holding_limit() {
        let (_dir, gx, admin) = set_up_company();
        gx.update_customer_settings(
            super::super::Actor::User(&admin),
            CustomerSettings {
                holding_limit: 3,
                ..Default::default()
            },
        )
        .unwrap();
        gx.create_customer(
            &admin,
            crate::model::CustomerInput {
                name: "已有公司".into(),
                ..Default::default()
            },
            vec![],
            false,
        )
        .unwrap();
        let sheet = "客户名称\n甲公司\n乙公司\n丙公司\n";
        let preview = gx.upload_import(&admin, "l.csv", sheet.as_bytes()).unwrap();
        let none = TypeMapping::new();
        let plan = gx
            .import_dry_run(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &none,
            )
            .unwrap();
        assert_eq!((plan.create, plan.failed), (2, 1));
        assert_eq!(plan.problems[0].row, 4);
        assert_eq!(
            plan.problems[0].error,
            Error::HoldingLimit {
                user: "王总".into(),
                held: 3,
                limit: 3
            }
        );
        let plan = gx
            .run_import(
                &admin,
                preview.job,
                &preview.suggested,
                DuplicateMode::Skip,
                &none,
            )
            .unwrap();
        assert_eq!(plan.create, 2);
        assert_eq!(gx.visible_customers(&admin).unwrap().len(), 3);
    }

    #[test]
    fn another_users_job_is_not_found() {
        let (_dir, gx, admin) = set_up_company();
        let preview = gx.upload_import(&admin, "a.csv", SHEET.as_bytes()).unwrap();
        let other = User {
            id: Id::generate(),
            ..admin.clone()
        };
        assert_eq!(
            gx.import_preview(&other, preview.job).unwrap_err(),
            Error::NotFound
        );
    }

    const CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nTEL;TYPE=CELL:138 0013 8000\r\nEMAIL:zw@xingchen.cn\r\nEND:VCARD\r\n\
        BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=88=98;=E6=B4=8B;;;\r\nTEL;CELL:139-0000-1111\r\nEND:VCARD\r\n\
        BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:12345678\r\nEND:VCARD\r\n";

    #[test]
    fn vcards_become_contacts_of_a_customer_or_person_customers() {
        let (_dir, gx, admin) = set_up_company();
        let star = gx
            .create_customer(
                &admin,
                crate::model::CustomerInput {
                    name: "星辰".into(),
                    customer_type: "potential".into(),
                    ..Default::default()
                },
                vec![],
                false,
            )
            .unwrap();
        let report = gx
            .import_vcards(&admin, CARDS.as_bytes(), Some(star.id))
            .unwrap();
        assert_eq!(report.added, 2);
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].0, 3);
        let names: Vec<String> = gx
            .contacts(&admin, star.id)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["张伟", "刘洋"]);

        let report = gx.import_vcards(&admin, CARDS.as_bytes(), None).unwrap();
        assert_eq!(report.added, 2);
        let people = gx.search(&admin, "刘洋", 10).unwrap();
        assert!(
            people
                .iter()
                .any(|h| h.customer_name == "刘洋" && h.contact_name.is_none())
        );
    }
}
