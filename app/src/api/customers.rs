//! Server functions of customers, contacts, activities and tasks.

#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
use guanxi_core::model::{
    Activity, ActivityKind, BinnedKind, Contact, Customer, CustomerKind, DecisionRole, Id, Task,
    TimelineEntry,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A customer as the list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub customer: Customer,
    pub owner_name: Option<String>,
    /// In the company's time zone, ready to show.
    pub last_activity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    /// (key, label) of the custom fields, shown as extra columns.
    pub custom_columns: Vec<(String, String)>,
    /// The company's own types, for the labels of custom ones.
    pub types: guanxi_core::model::CustomerTypes,
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
}

pub const PAGE_SIZE: usize = 50;

pub use guanxi_core::model::ListParams;

#[server(endpoint = "list_customers")]
pub async fn list_customers(params: ListParams) -> Result<CustomerPage, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let zone = gx.company_zone();
        let query = params.to_query(&me, zone, PAGE_SIZE)?;
        let (total, customers) = gx.list_customers(&me, &query)?;
        let rows = gx
            .customer_lines(customers)?
            .into_iter()
            .map(|line| CustomerRow {
                owner_name: line.owner_name,
                last_activity: line.last_activity.map(|t| local_time(zone, t)),
                customer: line.customer,
            })
            .collect();
        Ok(CustomerPage {
            rows,
            custom_columns: gx
                .customer_settings()?
                .custom_fields
                .into_iter()
                .map(|f| (f.key, f.label))
                .collect(),
            types: gx.customer_types()?,
            total,
            page: params.page,
            page_size: PAGE_SIZE,
        })
    })
    .await
}

/// What the list's filter menus and bulk bar offer the caller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterMenus {
    pub facets: guanxi_core::model::Facets,
    /// Choice-kind custom fields, filterable by their options.
    pub choice_fields: Vec<guanxi_core::model::CustomField>,
    /// Who the caller may assign customers to; empty for reps.
    pub assignees: Vec<(Id, String)>,
    /// The company's own types (retired ones filter too).
    pub types: guanxi_core::model::CustomerTypes,
}

#[server(endpoint = "list_menus")]
pub async fn list_menus() -> Result<FilterMenus, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::CustomFieldKind;
    let me = current_user()?;
    call(move |gx| {
        let assignees = gx.assignable_users(&me)?;
        Ok(FilterMenus {
            facets: gx.customer_facets(&me)?,
            choice_fields: gx
                .customer_settings()?
                .custom_fields
                .into_iter()
                .filter(|f| f.kind == CustomFieldKind::Choice)
                .collect(),
            assignees,
            types: gx.customer_types()?,
        })
    })
    .await
}

/// `action` is `tag` (with `tag`), `release`, or `assign` (with `to`: a user
/// id, or empty for the pool, and an admin's `override_reason` to go over
/// the holding limit).
#[server(endpoint = "bulk_customers")]
pub async fn bulk_customers(
    ids: Vec<Id>,
    action: String,
    #[server(default)] tag: String,
    #[server(default)] to: String,
    #[server(default)] override_reason: String,
) -> Result<guanxi_core::model::BulkOutcome, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::BulkAction;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    let action = match action.as_str() {
        "tag" => BulkAction::AddTag(tag),
        "release" => BulkAction::Release,
        "assign" if to.is_empty() => BulkAction::Assign(None),
        "assign" => BulkAction::Assign(Some(
            to.parse()
                .map_err(|_| fail(Error::invalid(Field::Owner, Problem::Unknown)))?,
        )),
        _ => return Err(fail(Error::invalid(Field::Customer, Problem::Unknown))),
    };
    call(move |gx| {
        let reason = Some(override_reason.as_str()).filter(|r| !r.trim().is_empty());
        gx.bulk_customers_with(&me, &ids, &action, reason)
    })
    .await
}

/// What the header search box offers as you type.
#[server(endpoint = "search")]
pub async fn search(q: String) -> Result<Vec<guanxi_core::model::Hit>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.search(&me, &q, 8)).await
}

/// Everything the 360° page shows besides the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    pub owner_name: Option<String>,
    pub last_activity: Option<String>,
    pub created: String,
    pub can_edit: bool,
    /// (label, value) of each custom field that has a value.
    pub custom_values: Vec<(String, String)>,
    /// (label, filled-in address) of the admin's lookup links.
    pub links: Vec<(String, String)>,
    pub files: Vec<guanxi_core::model::FileMeta>,
    /// The label of a type the company added; built-in ones are translated.
    pub type_label: Option<String>,
    /// When the customer goes back to the pool unless someone works on it:
    /// (date in the company's time zone, whole days from now).
    pub returns_to_pool: Option<(String, i64)>,
    /// Revenue, received, receivable, overdue and the last purchase today.
    pub money: guanxi_core::model::CustomerMoney,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at_micros: i64,
    pub id: Id,
    /// In the company's time zone, ready to show.
    pub when: String,
    /// A task's due time, likewise.
    pub due: Option<String>,
    pub by_name: Option<String>,
    /// The title of the deal an activity was about, when the reader may
    /// see that deal.
    #[serde(default)]
    pub deal_title: Option<String>,
    /// An activity the reader may delete (theirs, or any for an admin).
    #[serde(default)]
    pub deletable: bool,
    pub entry: TimelineEntry,
}

#[server(endpoint = "get_customer")]
pub async fn get_customer(id: Id) -> Result<CustomerView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    use guanxi_core::domain::visibility;
    let me = current_user()?;
    call(move |gx| {
        let customer = gx.customer(&me, id)?;
        let zone = gx.company_zone();
        let owner = customer.owner.map(|o| gx.user(o)).transpose()?.flatten();
        let settings = gx.customer_settings()?;
        let custom_values = settings
            .custom_fields
            .iter()
            .filter_map(|f| Some((f.label.clone(), customer.custom.get(&f.key)?.clone())))
            .collect();
        let links = settings
            .lookup_links
            .iter()
            .map(|l| (l.label.clone(), l.url_for(&customer)))
            .collect();
        let returns_to_pool = gx.pool_return_at(&customer)?.map(|at| {
            let date = at.with_timezone(&zone).format("%Y-%m-%d").to_string();
            // Whole days, rounded up: "in 30 days" on the day it was claimed.
            let seconds = (at - Utc::now()).num_seconds();
            (
                date,
                seconds.div_euclid(86_400) + i64::from(seconds.rem_euclid(86_400) > 0),
            )
        });
        Ok(CustomerView {
            type_label: gx
                .customer_types()?
                .label_of(&customer.customer_type)
                .map(str::to_string),
            returns_to_pool,
            money: gx.customer_money(&me, id, gx.company_today())?,
            custom_values,
            links,
            files: gx.files(&me, id)?,
            contacts: gx.contacts(&me, id)?,
            last_activity: gx.last_activity(id)?.map(|t| local_time(zone, t)),
            created: local_time(zone, customer.created_at),
            can_edit: visibility::can_edit(&me, owner.as_ref()),
            owner_name: owner.map(|o| o.name),
            customer,
        })
    })
    .await
}

/// The customer form as the browser posts it (`customer[name]`, …): text
/// as typed, turned into a `CustomerInput` on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub name: String,
    pub kind: CustomerKind,
    pub customer_type: String,
    pub phone: String,
    pub email: String,
    pub region: String,
    pub industry: String,
    pub source: String,
    pub grade: String,
    pub tags: String,
    pub address: String,
    pub website: String,
    pub notes: String,
    pub custom: std::collections::BTreeMap<String, String>,
}

impl CustomerForm {
    pub fn of(c: &Customer) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        CustomerForm {
            name: c.name.clone(),
            kind: c.kind,
            customer_type: c.customer_type.clone(),
            phone: text(&c.phone),
            email: text(&c.email),
            region: text(&c.region),
            industry: text(&c.industry),
            source: text(&c.source),
            grade: text(&c.grade),
            tags: c.tags.join(", "),
            address: text(&c.address),
            website: text(&c.website),
            notes: text(&c.notes),
            custom: c.custom.clone(),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn into_input(self) -> guanxi_core::model::CustomerInput {
        let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        guanxi_core::model::CustomerInput {
            name: self.name,
            kind: self.kind,
            customer_type: self.customer_type,
            source: some(self.source),
            industry: some(self.industry),
            region: some(self.region),
            grade: some(self.grade),
            tags: split_tags(&self.tags),
            phone: some(self.phone),
            email: some(self.email),
            address: some(self.address),
            website: some(self.website),
            notes: some(self.notes),
            custom: self.custom,
        }
    }
}

/// A contact as its forms send it: a first contact of the new-customer form
/// (blank rows are skipped), an added or an edited one. `phone` may hold
/// several numbers, separated by commas, slashes or semicolons.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    pub role: String,
    /// `YYYY-MM-DD`, as a date input sends it.
    pub birthday: String,
    pub notes: String,
}

impl ContactForm {
    /// A stored contact, to fill its edit form.
    pub fn of(contact: &Contact) -> ContactForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactForm {
            name: contact.name.clone(),
            title: text(&contact.title),
            phone: contact.phones.join(", "),
            email: text(&contact.email),
            wechat: text(&contact.wechat),
            role: contact.role.map_or("", DecisionRole::code).to_string(),
            birthday: contact.birthday.map(|d| d.to_string()).unwrap_or_default(),
            notes: text(&contact.notes),
        }
    }
}

#[cfg(feature = "ssr")]
impl ContactForm {
    fn into_input(self) -> Option<guanxi_core::model::ContactInput> {
        self.checked_input().ok()
    }

    /// The input, or what is wrong with the typed text before the service
    /// validates the rest: a missing name, a birthday that is no date.
    pub(crate) fn checked_input(
        self,
    ) -> Result<guanxi_core::model::ContactInput, guanxi_core::Error> {
        use guanxi_core::{Error, Field, Problem};
        let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        let name = some(self.name).ok_or(Error::invalid(Field::Name, Problem::Required))?;
        let birthday = match self.birthday.trim() {
            "" => None,
            text => Some(
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| Error::invalid(Field::Birthday, Problem::Malformed))?,
            ),
        };
        Ok(guanxi_core::model::ContactInput {
            name,
            title: some(self.title),
            phones: self
                .phone
                .split([',', '，', '/', ';', '；'])
                .filter_map(|p| some(p.to_string()))
                .collect(),
            email: some(self.email),
            wechat: some(self.wechat),
            birthday,
            notes: some(self.notes),
            role: parse_role(&self.role),
        })
    }
}

/// Creates a customer with its first contacts. `confirmed` saves despite a
/// duplicate warning; `override_reason` is an admin's reason to go over the
/// holding limit.
#[server(endpoint = "create_customer")]
pub async fn create_customer(
    customer: CustomerForm,
    #[server(default)] contacts: Vec<ContactForm>,
    #[server(default)] confirmed: String,
    #[server(default)] override_reason: String,
) -> Result<Id, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    let contacts = contacts
        .into_iter()
        .filter_map(ContactForm::into_input)
        .collect();
    let id = call(move |gx| {
        let reason = Some(override_reason.as_str()).filter(|r| !r.trim().is_empty());
        gx.create_customer_with(
            &me,
            customer.into_input(),
            contacts,
            confirmed == "true",
            reason,
        )
        .map(|c| c.id)
    })
    .await?;
    redirect_plain_form(&format!("/customers/{id}"));
    Ok(id)
}

#[server(endpoint = "update_customer")]
pub async fn update_customer(
    id: Id,
    version: u64,
    customer: CustomerForm,
) -> Result<Customer, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.update_customer(&me, id, customer.into_input(), version)).await
}

/// Flags the customer hot with `hint`, or clears the flag when `hot` is off.
#[server(endpoint = "set_hot")]
pub async fn set_hot(
    id: Id,
    version: u64,
    #[server(default)] hot: String,
    #[server(default)] hint: String,
) -> Result<Customer, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    let hint = (hot == "true" || hot == "on").then_some(hint);
    call(move |gx| gx.set_hot(&me, id, hint, version)).await
}

#[server(endpoint = "recycle_customer")]
pub async fn recycle_customer(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.recycle_customer(&me, id)).await
}

pub fn split_tags(text: &str) -> Vec<String> {
    text.split([',', '，', ';', '；', '、'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

pub fn parse_role(code: &str) -> Option<DecisionRole> {
    DecisionRole::from_code(code)
}

/// Adds a contact (`contact[name]`, …); `confirmed` saves one that looks
/// like an existing contact.
#[server(endpoint = "add_contact")]
pub async fn add_contact(
    customer_id: Id,
    contact: ContactForm,
    #[server(default)] confirmed: String,
) -> Result<Contact, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    let input = contact.checked_input().map_err(fail)?;
    call(move |gx| gx.add_contact(&me, customer_id, input, confirmed == "true")).await
}

/// Logs an activity; `at` is a `datetime-local` value in the company's
/// time zone (blank for now), `deal_id` one of the customer's deals or
/// blank.
#[server(endpoint = "log_activity")]
pub async fn log_activity(
    customer_id: Id,
    kind: ActivityKind,
    duration_minutes: String,
    text: String,
    #[server(default)] at: String,
    #[server(default)] deal_id: String,
) -> Result<Activity, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::ActivityInput;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    let duration_minutes = match duration_minutes.trim() {
        "" => None,
        n => Some(
            n.parse::<u32>()
                .map_err(|_| fail(Error::invalid(Field::Duration, Problem::Malformed)))?,
        ),
    };
    let at = match at.trim() {
        "" => None,
        text => Some(
            parse_due(text).ok_or_else(|| fail(Error::invalid(Field::At, Problem::Malformed)))?,
        ),
    };
    let deal_id = match deal_id.trim() {
        "" => None,
        id => Some(
            id.parse()
                .map_err(|_| fail(Error::invalid(Field::Deal, Problem::Unknown)))?,
        ),
    };
    let input = ActivityInput {
        kind,
        customer_id,
        contact_id: None,
        at,
        duration_minutes,
        text,
        deal_id,
    };
    call(move |gx| gx.log_activity(&me, input)).await
}

/// What the activity form offers for a customer: its open deals to link
/// to, and now in the company's time zone for the time field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFormChoices {
    pub now_local: String,
    /// (id, title) of the customer's open and suspended deals.
    pub deals: Vec<(Id, String)>,
}

#[server(endpoint = "activity_choices")]
pub async fn activity_choices(customer_id: Option<Id>) -> Result<ActivityFormChoices, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::input_time;
    let me = current_user()?;
    call(move |gx| {
        let deals = match customer_id {
            Some(customer) => gx
                .list_deals(&me, None, Some(customer), &Default::default())?
                .into_iter()
                .filter(|d| !d.is_closed())
                .map(|d| (d.id, d.title))
                .collect(),
            None => Vec::new(),
        };
        Ok(ActivityFormChoices {
            now_local: input_time(gx.company_zone(), chrono::Utc::now()),
            deals,
        })
    })
    .await
}

/// One page of a customer's timeline, newest first; pass the last item's
/// `at_micros` and `id` to get the next page.
#[server(endpoint = "customer_timeline")]
pub async fn customer_timeline(
    customer_id: Id,
    before_micros: Option<i64>,
    before_id: Option<Id>,
    #[server(default)] only: Option<guanxi_core::model::TimelineKind>,
) -> Result<Vec<TimelineItem>, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let cursor = before_micros.map(|at| (at, before_id.map_or(0, |id| id.0)));
        let zone = gx.company_zone();
        let names = gx.user_names()?;
        let name_of = |id: Id| names.get(id).map(str::to_string);
        let fields = gx.customer_settings()?.custom_fields;
        let types = gx.customer_types()?;
        let deal_titles: std::collections::HashMap<Id, String> = gx
            .list_deals(&me, None, Some(customer_id), &Default::default())?
            .into_iter()
            .map(|d| (d.id, d.title))
            .collect();
        // Audit lines name owners by id, custom fields by key and types by
        // code; the timeline shows names and labels.
        let readable = |entry: TimelineEntry| match entry {
            TimelineEntry::Change(mut c) => {
                if c.field == "type" {
                    for value in [&mut c.old, &mut c.new] {
                        if let Some(label) = types.label_of(value) {
                            *value = label.to_string();
                        }
                    }
                } else if c.field == "owner" {
                    let name = |v: &str| v.parse().ok().and_then(name_of).unwrap_or_default();
                    c.old = name(&c.old);
                    c.new = name(&c.new);
                } else if let Some(key) = c.field.strip_prefix("custom.") {
                    let label = fields
                        .iter()
                        .find(|f| f.key == key)
                        .map_or(key, |f| &f.label);
                    c.field = format!("custom:{label}");
                }
                TimelineEntry::Change(c)
            }
            other => other,
        };
        Ok(gx
            .timeline_of_kind(&me, customer_id, cursor, 20, only)?
            .into_iter()
            .map(|((at, id), entry)| (at, id, readable(entry)))
            .map(|(at, id, entry)| TimelineItem {
                at_micros: at,
                id: Id(id),
                when: local_time(zone, entry.at()),
                due: match &entry {
                    TimelineEntry::Task(t) => Some(local_time(zone, t.due)),
                    _ => None,
                },
                by_name: match &entry {
                    TimelineEntry::Activity(a) => name_of(a.by),
                    TimelineEntry::Task(t) => name_of(t.created_by),
                    TimelineEntry::Change(c) => name_of(c.by),
                    TimelineEntry::File(f) => name_of(f.uploaded_by),
                    TimelineEntry::Deal(d) => name_of(d.by),
                    TimelineEntry::Money(m) => name_of(m.by),
                },
                deal_title: match &entry {
                    TimelineEntry::Activity(a) => {
                        a.deal_id.and_then(|id| deal_titles.get(&id).cloned())
                    }
                    _ => None,
                },
                deletable: matches!(&entry, TimelineEntry::Activity(a)
                    if a.by == me.id || me.role.is_admin()),
                entry,
            })
            .collect())
    })
    .await
}

/// Moves an activity to the recycle bin (whoever logged it, or an admin).
#[server(endpoint = "delete_activity")]
pub async fn delete_activity(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_activity(&me, id)).await
}

#[server(endpoint = "claim_customer")]
pub async fn claim_customer(id: Id, version: u64) -> Result<Customer, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.claim_customer(&me, id, version)).await
}

#[server(endpoint = "release_customer")]
pub async fn release_customer(id: Id, version: u64) -> Result<Customer, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.release_customer(&me, id, version)).await
}

#[server(endpoint = "add_task")]
pub async fn add_task(
    title: String,
    due: String,
    customer_id: Option<Id>,
    commitment: Option<String>,
) -> Result<Task, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::TaskInput;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    let due =
        parse_due(&due).ok_or_else(|| fail(Error::invalid(Field::Due, Problem::Malformed)))?;
    let input = TaskInput {
        title,
        due,
        assignee: None,
        customer_id,
        commitment: commitment.is_some_and(|c| c == "true" || c == "on"),
    };
    call(move |gx| gx.add_task(&me, input)).await
}

/// A `datetime-local` or `date` value, read in the company's time zone.
#[cfg(feature = "ssr")]
fn parse_due(text: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    let tz = crate::ssr::services().company_zone();
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(18, 0, 0)
        })?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[server(endpoint = "set_task_done")]
pub async fn set_task_done(id: Id, version: u64, done: bool) -> Result<Task, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.set_task_done(&me, id, done, version)).await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub task: Task,
    pub customer_name: Option<String>,
    pub due: String,
    pub overdue: bool,
}

/// The task list: own tasks by due date, with customer names.
#[server(endpoint = "my_tasks")]
pub async fn my_tasks() -> Result<Vec<TaskRow>, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let now = Utc::now();
        let zone = gx.company_zone();
        gx.my_tasks(&me)?
            .into_iter()
            .map(|task| {
                let customer_name = task.customer_id.and_then(|c| gx.customer_name(c));
                Ok(TaskRow {
                    customer_name,
                    due: local_time(zone, task.due),
                    overdue: task.is_overdue(now),
                    task,
                })
            })
            .collect()
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BinRow {
    pub id: Id,
    pub name: String,
    pub owner_name: Option<String>,
    pub deleted: String,
}

/// The recycle bin, newest deletion first (admins).
#[server(endpoint = "recycle_bin")]
pub async fn recycle_bin() -> Result<Vec<BinRow>, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        let names = gx.user_names()?;
        let zone = gx.company_zone();
        let mut binned = gx.recycled_customers(Actor::User(&me))?;
        binned.sort_by_key(|c| std::cmp::Reverse(c.deleted_at));
        Ok(binned
            .into_iter()
            .map(|c| BinRow {
                id: c.id,
                owner_name: c.owner.and_then(|o| names.get(o)).map(str::to_string),
                deleted: c
                    .deleted_at
                    .map(|t| local_time(zone, t))
                    .unwrap_or_default(),
                name: c.name,
            })
            .collect())
    })
    .await
}

#[server(endpoint = "restore_customer")]
pub async fn restore_customer(id: Id) -> Result<Customer, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.restore_customer(Actor::User(&me), me.id, id)).await
}

#[server(endpoint = "purge_customer")]
pub async fn purge_customer(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.purge_customer(Actor::User(&me), id)).await
}

/// A deleted deal, contact or activity as the recycle bin lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BinnedRow {
    pub id: Id,
    pub kind: BinnedKind,
    pub label: String,
    pub customer_name: String,
    pub deleted_by: String,
    pub deleted: String,
}

/// The deals, contacts and activities in the recycle bin, newest deletion
/// first (admins).
#[server(endpoint = "binned_records")]
pub async fn binned_records() -> Result<Vec<BinnedRow>, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        let names = gx.user_names()?;
        let zone = gx.company_zone();
        Ok(gx
            .binned_records(Actor::User(&me))?
            .into_iter()
            .map(|r| BinnedRow {
                id: r.id,
                kind: r.kind,
                label: r.label,
                customer_name: r.customer_name,
                deleted_by: names.get(r.deleted_by).unwrap_or("—").to_string(),
                deleted: local_time(zone, r.deleted_at),
            })
            .collect())
    })
    .await
}

#[server(endpoint = "restore_binned")]
pub async fn restore_binned(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.restore_binned(Actor::User(&me), me.id, id).map(|_| ())).await
}

#[server(endpoint = "purge_binned")]
pub async fn purge_binned(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.purge_binned(Actor::User(&me), id)).await
}
