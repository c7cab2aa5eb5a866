//! Server functions of customers, contacts, activities and tasks.

#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
use guanxi_core::model::{
    Activity, ActivityKind, Contact, Customer, CustomerKind, DecisionRole, Id, Task, TimelineEntry,
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
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
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
    pub entry: TimelineEntry,
}

pub const PAGE_SIZE: usize = 50;

/// Which customers the list shows: `scope` is `mine`, `pool` or `all` (all
/// visible to the caller); `q` matches name, phone or email as a substring.
#[server(endpoint = "list_customers")]
pub async fn list_customers(
    scope: String,
    q: String,
    customer_type: String,
    page: usize,
) -> Result<CustomerPage, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let needle = q.trim().to_lowercase();
        let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
        let users = gx.store.users()?;
        let name_of = |id: Option<Id>| {
            id.and_then(|id| users.iter().find(|u| u.id == id).map(|u| u.name.clone()))
        };
        let matching: Vec<Customer> = gx
            .visible_customers(&me)?
            .into_iter()
            .filter(|c| match scope.as_str() {
                "mine" => c.owner == Some(me.id),
                "pool" => c.owner.is_none(),
                _ => true,
            })
            .filter(|c| customer_type.is_empty() || c.customer_type == customer_type)
            .filter(|c| {
                needle.is_empty()
                    || c.name.to_lowercase().contains(&needle)
                    || c.email.as_deref().is_some_and(|e| e.contains(&needle))
                    || (digits.len() >= 3
                        && c.phone.as_deref().is_some_and(|p| {
                            p.chars()
                                .filter(char::is_ascii_digit)
                                .collect::<String>()
                                .contains(&digits)
                        }))
            })
            .collect();
        let total = matching.len();
        let rows = matching
            .into_iter()
            .skip(page * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|customer| {
                Ok(CustomerRow {
                    owner_name: name_of(customer.owner),
                    last_activity: gx
                        .store
                        .last_activity(customer.id)?
                        .map(|t| local_time(gx, t)),
                    customer,
                })
            })
            .collect::<Result<Vec<_>, guanxi_core::Error>>()?;
        Ok(CustomerPage {
            rows,
            total,
            page,
            page_size: PAGE_SIZE,
        })
    })
    .await
}

#[server(endpoint = "get_customer")]
pub async fn get_customer(id: Id) -> Result<CustomerView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::visibility;
    let me = current_user()?;
    call(move |gx| {
        let customer = gx.customer(&me, id)?;
        let owner = customer
            .owner
            .map(|o| gx.store.user(o))
            .transpose()?
            .flatten();
        Ok(CustomerView {
            contacts: gx.contacts(&me, id)?,
            last_activity: gx.store.last_activity(id)?.map(|t| local_time(gx, t)),
            created: local_time(gx, customer.created_at),
            can_edit: visibility::can_edit(&me, owner.as_ref()),
            owner_name: owner.map(|o| o.name),
            customer,
        })
    })
    .await
}

/// Creates a customer with up to two first contacts (blank contact rows are
/// skipped). `confirmed` saves despite a duplicate warning.
#[server(endpoint = "create_customer")]
#[allow(clippy::too_many_arguments)]
pub async fn create_customer(
    name: String,
    kind: CustomerKind,
    customer_type: String,
    phone: String,
    email: String,
    region: String,
    industry: String,
    source: String,
    tags: String,
    address: String,
    website: String,
    notes: String,
    contact1_name: String,
    contact1_title: String,
    contact1_phone: String,
    contact1_role: String,
    contact2_name: String,
    contact2_title: String,
    contact2_phone: String,
    contact2_role: String,
    confirmed: String,
) -> Result<Id, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::{ContactInput, CustomerInput};
    let me = current_user()?;
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let contact = |name: String, title: String, phone: String, role: String| {
        some(name.clone()).map(|name| ContactInput {
            name,
            title: some(title),
            phones: some(phone).into_iter().collect(),
            role: parse_role(&role),
            ..Default::default()
        })
    };
    let contacts: Vec<ContactInput> = [
        contact(contact1_name, contact1_title, contact1_phone, contact1_role),
        contact(contact2_name, contact2_title, contact2_phone, contact2_role),
    ]
    .into_iter()
    .flatten()
    .collect();
    let input = CustomerInput {
        name,
        kind,
        customer_type,
        source: some(source),
        industry: some(industry),
        region: some(region),
        grade: None,
        tags: split_tags(&tags),
        phone: some(phone),
        email: some(email),
        address: some(address),
        website: some(website),
        notes: some(notes),
    };
    call(move |gx| {
        gx.create_customer(&me, input, contacts, confirmed == "true")
            .map(|c| c.id)
    })
    .await
}

pub fn split_tags(text: &str) -> Vec<String> {
    text.split([',', '，', ';', '；', '、'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

pub fn parse_role(code: &str) -> Option<DecisionRole> {
    match code {
        "decision_maker" => Some(DecisionRole::DecisionMaker),
        "influencer" => Some(DecisionRole::Influencer),
        "user" => Some(DecisionRole::User),
        "gatekeeper" => Some(DecisionRole::Gatekeeper),
        _ => None,
    }
}

#[server(endpoint = "add_contact")]
pub async fn add_contact(
    customer_id: Id,
    name: String,
    title: String,
    phone: String,
    email: String,
    wechat: String,
    role: String,
) -> Result<Contact, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::ContactInput;
    let me = current_user()?;
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let input = ContactInput {
        name,
        title: some(title),
        phones: some(phone).into_iter().collect(),
        email: some(email),
        wechat: some(wechat),
        role: parse_role(&role),
        ..Default::default()
    };
    call(move |gx| gx.add_contact(&me, customer_id, input)).await
}

#[server(endpoint = "log_activity")]
pub async fn log_activity(
    customer_id: Id,
    kind: ActivityKind,
    duration_minutes: String,
    text: String,
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
    let input = ActivityInput {
        kind,
        customer_id,
        contact_id: None,
        at: None,
        duration_minutes,
        text,
    };
    call(move |gx| gx.log_activity(&me, input)).await
}

/// One page of a customer's timeline, newest first; pass the last item's
/// `at_micros` and `id` to get the next page.
#[server(endpoint = "customer_timeline")]
pub async fn customer_timeline(
    customer_id: Id,
    before_micros: Option<i64>,
    before_id: Option<Id>,
) -> Result<Vec<TimelineItem>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let cursor = before_micros.map(|at| (at, before_id.map_or(0, |id| id.0)));
        let users = gx.store.users()?;
        let name_of = |id: Id| users.iter().find(|u| u.id == id).map(|u| u.name.clone());
        Ok(gx
            .timeline(&me, customer_id, cursor, 20)?
            .into_iter()
            .map(|((at, id), entry)| TimelineItem {
                at_micros: at,
                id: Id(id),
                when: local_time(gx, entry.at()),
                due: match &entry {
                    TimelineEntry::Task(t) => Some(local_time(gx, t.due)),
                    _ => None,
                },
                by_name: match &entry {
                    TimelineEntry::Activity(a) => name_of(a.by),
                    TimelineEntry::Task(t) => name_of(t.created_by),
                    TimelineEntry::Change(c) => name_of(c.by),
                },
                entry,
            })
            .collect())
    })
    .await
}

#[server(endpoint = "claim_customer")]
pub async fn claim_customer(id: Id, version: u64) -> Result<Customer, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.claim_customer(&me, id, version, 0)).await
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

#[cfg(feature = "ssr")]
fn company_zone(gx: &guanxi_core::service::Guanxi) -> chrono_tz::Tz {
    gx.company()
        .ok()
        .and_then(|c| c.time_zone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

/// A time as the company's staff read it, e.g. `2026-03-10 14:30`.
#[cfg(feature = "ssr")]
pub fn local_time(gx: &guanxi_core::service::Guanxi, at: DateTime<Utc>) -> String {
    at.with_timezone(&company_zone(gx))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A `datetime-local` or `date` value, read in the company's time zone.
#[cfg(feature = "ssr")]
fn parse_due(text: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    let tz = company_zone(&crate::ssr::services());
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
    let me = current_user()?;
    call(move |gx| {
        let now = Utc::now();
        gx.my_tasks(&me)?
            .into_iter()
            .map(|task| {
                let customer_name = task
                    .customer_id
                    .map(|c| gx.store.customer(c))
                    .transpose()?
                    .flatten()
                    .map(|c| c.name);
                Ok(TaskRow {
                    customer_name,
                    due: local_time(gx, task.due),
                    overdue: task.is_overdue(now),
                    task,
                })
            })
            .collect()
    })
    .await
}
