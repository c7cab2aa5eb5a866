//! An in-memory directory of every live customer and contact: what lists,
//! filters and the search box need, so a filtered, sorted page with its exact
//! total is a scan of compact rows in RAM instead of decoding 100,000 records
//! from disk per request.
//!
//! redb stays the only source of truth. The directory is built from it at open
//! and updated by the store's write methods while they hold its lock across
//! the commit, so a reader never sees it ahead of or behind the file for long.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use redb::{Database, ReadableDatabase, ReadableTable};
use serde::{Deserialize, Serialize};

use super::decode;
use super::search_text::{self, Entry, SearchText};
use super::tables::*;
use crate::domain::matching;
use crate::error::{Error, Result};
use crate::model::{Contact, Customer, DuplicateField, Facets, Hit, Id};

/// The list row of a customer.
#[derive(Clone, Debug)]
struct Row {
    name: String,
    folded_name: String,
    customer_type: String,
    owner: Option<Id>,
    tags: Vec<String>,
    region: Option<String>,
    industry: Option<String>,
    hot: bool,
    phone_digits: String,
    email: String,
    custom: BTreeMap<String, String>,
    created_at: i64,
    updated_at: i64,
    last_activity: Option<i64>,
}

#[derive(Clone, Debug)]
struct ContactRow {
    customer: Id,
    name: String,
    folded_name: String,
    phone_digits: Vec<String>,
    email: String,
    keys: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    #[default]
    Updated,
    Name,
    Created,
    LastActivity,
}

/// Whose customers a list shows, before visibility narrows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerFilter {
    /// Everything the viewer may see, the pool included.
    #[default]
    Visible,
    Pool,
    User(Id),
}

/// A customer list request. Empty strings and `None` mean "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerQuery {
    pub owner: OwnerFilter,
    pub customer_type: String,
    pub tag: String,
    pub region: String,
    pub industry: String,
    pub hot: Option<bool>,
    /// Last activity on or after / before these instants; a customer never
    /// contacted matches only a query without them.
    pub contacted_from: Option<DateTime<Utc>>,
    pub contacted_before: Option<DateTime<Utc>>,
    /// (custom field key, exact value).
    pub custom: Vec<(String, String)>,
    /// A substring of the name, email or phone, or of a contact's.
    pub text: String,
    pub sort: SortBy,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

/// Who may see what: `None` sees every owner (admins); otherwise these owners
/// plus the pool.
pub type VisibleOwners<'a> = Option<&'a [Id]>;

#[derive(Default)]
pub struct Directory {
    customers: HashMap<u128, Row>,
    contacts: HashMap<u128, ContactRow>,
    /// Duplicate keys (`matching::name_key`, `phone_key`, `email_key`) →
    /// contacts, so the duplicate check on every new row of a large import
    /// is a lookup, not a scan.
    contact_keys: HashMap<String, Vec<u128>>,
    /// Names, emails and phones of both, for search.
    text: SearchText,
}

fn contact_keys(c: &Contact) -> Vec<String> {
    let mut keys = vec![matching::name_key(&c.name)];
    keys.extend(c.phones.iter().filter_map(|p| matching::phone_key(p)));
    keys.extend(c.email.as_deref().map(matching::email_key));
    keys.retain(|k| k.len() > 2);
    keys
}

/// A contact as the directory keeps it: folded for search, keyed for
/// duplicate checks.
fn contact_row(c: &Contact) -> ContactRow {
    ContactRow {
        customer: c.customer_id,
        name: c.name.clone(),
        folded_name: matching::fold(&c.name),
        phone_digits: c.phones.iter().map(|p| digits(p)).collect(),
        email: c.email.as_deref().map(matching::fold).unwrap_or_default(),
        keys: contact_keys(c),
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// What the text box matches against: lower-cased, with the phone query as
/// digits only so `138-0013` finds `13800138000`.
struct Needle {
    folded: String,
    digits: String,
}

impl Needle {
    fn new(text: &str) -> Option<Needle> {
        let folded = search_text::clean(&matching::fold(text));
        if folded.is_empty() {
            return None;
        }
        let digits = digits(&folded);
        Some(Needle {
            // Three digits at least: shorter runs match nearly every number.
            digits: if digits.len() >= 3 {
                digits
            } else {
                String::new()
            },
            folded,
        })
    }
}

impl Directory {
    /// Builds the directory from the file. Contacts, the larger half, are
    /// read and folded on a second thread meanwhile: two cores, half the
    /// start-up.
    pub fn load(db: &Database) -> Result<Directory> {
        std::thread::scope(|scope| {
            let contacts = scope.spawn(|| -> Result<Vec<(u128, ContactRow)>> {
                let tx = db.begin_read()?;
                let mut rows = Vec::new();
                for row in tx.open_table(CONTACTS)?.iter()? {
                    let contact: Contact = decode(row?.1.value())?;
                    rows.push((contact.id.0, contact_row(&contact)));
                }
                Ok(rows)
            });
            let mut dir = Directory::default();
            let tx = db.begin_read()?;
            for row in tx.open_table(CUSTOMERS)?.iter()? {
                let customer: Customer = decode(row?.1.value())?;
                if customer.deleted_at.is_none() {
                    dir.put_customer(&customer);
                }
            }
            for row in tx.open_table(LAST_ACTIVITY)?.iter()? {
                let (customer, at) = row?;
                if let Some(c) = dir.customers.get_mut(&customer.value()) {
                    c.last_activity = Some(at.value());
                }
            }
            let contacts = contacts
                .join()
                .map_err(|_| Error::Internal("reading contacts panicked".into()))??;
            for (id, row) in contacts {
                if dir.customers.contains_key(&row.customer.0) {
                    dir.insert_contact(id, row);
                }
            }
            Ok(dir)
        })
    }

    /// A customer's name, for cards and lists that show customers by name.
    pub fn customer_name(&self, id: Id) -> Option<String> {
        self.customers.get(&id.0).map(|row| row.name.clone())
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    pub(super) fn put_customer(&mut self, c: &Customer) {
        let last_activity = self.customers.get(&c.id.0).and_then(|r| r.last_activity);
        let row = Row {
            name: c.name.clone(),
            folded_name: matching::fold(&c.name),
            customer_type: c.customer_type.clone(),
            owner: c.owner,
            tags: c.tags.clone(),
            region: c.region.clone(),
            industry: c.industry.clone(),
            hot: c.hot.is_some(),
            phone_digits: c.phone.as_deref().map(digits).unwrap_or_default(),
            email: c.email.as_deref().map(matching::fold).unwrap_or_default(),
            custom: c.custom.clone(),
            created_at: micros(c.created_at),
            updated_at: micros(c.updated_at),
            last_activity,
        };
        self.text.put(
            Entry::Customer(c.id.0),
            [row.folded_name.as_str(), row.email.as_str()],
            [row.phone_digits.as_str()],
        );
        self.customers.insert(c.id.0, row);
    }

    pub(super) fn remove_customer(&mut self, id: Id) {
        self.customers.remove(&id.0);
        self.text.remove(Entry::Customer(id.0));
        let gone: Vec<u128> = self
            .contacts
            .iter()
            .filter(|(_, c)| c.customer == id)
            .map(|(k, _)| *k)
            .collect();
        for contact in gone {
            self.remove_contact(Id(contact));
        }
    }

    pub(super) fn put_contact(&mut self, c: &Contact) {
        self.remove_contact(c.id);
        self.insert_contact(c.id.0, contact_row(c));
    }

    fn insert_contact(&mut self, id: u128, row: ContactRow) {
        for key in &row.keys {
            self.contact_keys.entry(key.clone()).or_default().push(id);
        }
        self.text.put(
            Entry::Contact(id),
            [row.folded_name.as_str(), row.email.as_str()],
            row.phone_digits.iter().map(String::as_str),
        );
        self.contacts.insert(id, row);
    }

    pub(super) fn remove_contact(&mut self, id: Id) {
        if let Some(row) = self.contacts.remove(&id.0) {
            self.text.remove(Entry::Contact(id.0));
            for key in row.keys {
                if let Some(ids) = self.contact_keys.get_mut(&key) {
                    ids.retain(|c| *c != id.0);
                    if ids.is_empty() {
                        self.contact_keys.remove(&key);
                    }
                }
            }
        }
    }

    /// Sets the last activity outright, for when the latest one was deleted.
    pub(super) fn set_last_activity(&mut self, customer: Id, at: Option<i64>) {
        if let Some(row) = self.customers.get_mut(&customer.0) {
            row.last_activity = at;
        }
    }

    pub(super) fn touch(&mut self, customer: Id, at: i64) {
        if let Some(row) = self.customers.get_mut(&customer.0)
            && row.last_activity.is_none_or(|last| last < at)
        {
            row.last_activity = Some(at);
        }
    }

    fn visible(row: &Row, visible: VisibleOwners) -> bool {
        match (row.owner, visible) {
            (None, _) | (_, None) => true,
            (Some(owner), Some(owners)) => owners.contains(&owner),
        }
    }

    /// One page of matching customer ids in the asked order, and how many
    /// match in all.
    pub fn query(&self, q: &CustomerQuery, visible: VisibleOwners) -> (usize, Vec<Id>) {
        let needle = Needle::new(&q.text);
        // Customers whose contacts match the text count as matches too.
        let matching: std::collections::HashSet<u128> = match &needle {
            Some(n) => self
                .text
                .find(&n.folded, &n.digits)
                .into_iter()
                .filter_map(|entry| match entry {
                    Entry::Customer(id) => Some(id),
                    Entry::Contact(id) => self.contacts.get(&id).map(|c| c.customer.0),
                })
                .collect(),
            None => Default::default(),
        };
        let from = q.contacted_from.map(micros);
        let before = q.contacted_before.map(micros);
        let same = |want: &str, have: Option<&String>| {
            want.is_empty() || have.is_some_and(|h| h.eq_ignore_ascii_case(want))
        };
        let mut hits: Vec<(&u128, &Row)> = self
            .customers
            .iter()
            .filter(|(_, r)| Self::visible(r, visible))
            .filter(|(_, r)| match &q.owner {
                OwnerFilter::Visible => true,
                OwnerFilter::Pool => r.owner.is_none(),
                OwnerFilter::User(id) => r.owner == Some(*id),
            })
            .filter(|(_, r)| q.customer_type.is_empty() || r.customer_type == q.customer_type)
            .filter(|(_, r)| q.tag.is_empty() || r.tags.iter().any(|t| t == &q.tag))
            .filter(|(_, r)| same(&q.region, r.region.as_ref()))
            .filter(|(_, r)| same(&q.industry, r.industry.as_ref()))
            .filter(|(_, r)| q.hot.is_none_or(|hot| r.hot == hot))
            .filter(|(_, r)| match (from, before) {
                (None, None) => true,
                _ => r.last_activity.is_some_and(|at| {
                    from.is_none_or(|f| at >= f) && before.is_none_or(|b| at < b)
                }),
            })
            .filter(|(_, r)| {
                q.custom
                    .iter()
                    .all(|(key, value)| r.custom.get(key).is_some_and(|v| v == value))
            })
            .filter(|(id, _)| needle.is_none() || matching.contains(id))
            .collect();
        let total = hits.len();
        let order = |a: &(&u128, &Row), b: &(&u128, &Row)| {
            let (ka, kb) = (a.1, b.1);
            let primary = match q.sort {
                SortBy::Updated => ka.updated_at.cmp(&kb.updated_at),
                SortBy::Created => ka.created_at.cmp(&kb.created_at),
                SortBy::LastActivity => ka.last_activity.cmp(&kb.last_activity),
                SortBy::Name => ka.name.cmp(&kb.name),
            };
            let ordered = primary.then_with(|| a.0.cmp(b.0));
            if q.descending {
                ordered.reverse()
            } else {
                ordered
            }
        };
        let end = q.offset.saturating_add(q.limit).min(total);
        if q.offset >= end {
            return (total, Vec::new());
        }
        // Only the rows up to the end of the page need ordering.
        if end < total {
            hits.select_nth_unstable_by(end, order);
            hits.truncate(end);
        }
        hits.sort_unstable_by(order);
        let page = hits[q.offset..end].iter().map(|(id, _)| Id(**id)).collect();
        (total, page)
    }

    /// The search box: customers, then contacts, whose name, phone or email
    /// holds the text, at most `limit` of each.
    pub fn search(&self, text: &str, visible: VisibleOwners, limit: usize) -> Vec<Hit> {
        let Some(needle) = Needle::new(text) else {
            return Vec::new();
        };
        let mut customers: Vec<(&u128, &Row)> = Vec::new();
        let mut contacts: Vec<(&u128, &ContactRow, &Row)> = Vec::new();
        for entry in self.text.find(&needle.folded, &needle.digits) {
            match entry {
                Entry::Customer(id) => {
                    if let Some(found) = self.customers.get_key_value(&id)
                        && Self::visible(found.1, visible)
                    {
                        customers.push(found);
                    }
                }
                Entry::Contact(id) => {
                    if let Some((id, c)) = self.contacts.get_key_value(&id)
                        && let Some(r) = self.customers.get(&c.customer.0)
                        && Self::visible(r, visible)
                    {
                        contacts.push((id, c, r));
                    }
                }
            }
        }
        // Names that start with the text first, then shorter names: the usual
        // sense of "best match" when typing the start of a company name.
        customers.sort_by_key(|(id, r)| {
            (
                !r.folded_name.starts_with(&needle.folded),
                r.name.chars().count(),
                **id,
            )
        });
        let mut hits: Vec<Hit> = customers
            .into_iter()
            .take(limit)
            .map(|(id, r)| Hit {
                customer: Id(*id),
                customer_name: r.name.clone(),
                contact_name: None,
            })
            .collect();
        contacts.sort_by_key(|(id, c, _)| (c.name.chars().count(), **id));
        hits.extend(contacts.into_iter().take(limit).map(|(_, c, r)| Hit {
            customer: c.customer,
            customer_name: r.name.clone(),
            contact_name: Some(c.name.clone()),
        }));
        hits
    }

    /// Customers with a contact of this name (compared as duplicate keys
    /// compare), one of these phones, or this email.
    pub fn contact_matches(
        &self,
        name: &str,
        phones: &[String],
        email: Option<&str>,
    ) -> Vec<(Id, DuplicateField)> {
        let mut keys = vec![(matching::name_key(name), DuplicateField::Name)];
        keys.extend(
            phones
                .iter()
                .filter_map(|p| matching::phone_key(p))
                .map(|k| (k, DuplicateField::Phone)),
        );
        keys.extend(email.map(|e| (matching::email_key(e), DuplicateField::Email)));
        let mut found: Vec<(Id, DuplicateField)> = Vec::new();
        for (key, field) in keys {
            for contact in self.contact_keys.get(&key).into_iter().flatten() {
                if let Some(c) = self.contacts.get(contact)
                    && !found.iter().any(|(id, _)| *id == c.customer)
                {
                    found.push((c.customer, field));
                }
            }
        }
        found
    }

    /// Every tag, region and industry in use, for the filter menus.
    pub fn facets(&self, visible: VisibleOwners) -> Facets {
        let mut facets = Facets::default();
        for row in self
            .customers
            .values()
            .filter(|r| Self::visible(r, visible))
        {
            facets.tags.extend(row.tags.iter().cloned());
            facets.regions.extend(row.region.iter().cloned());
            facets.industries.extend(row.industry.iter().cloned());
        }
        facets
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::customers::tests::{contact, customer};
    use super::super::test_support::temp_store;
    use super::*;
    use crate::model::{Activity, ActivityKind};

    fn all() -> CustomerQuery {
        CustomerQuery {
            limit: 50,
            ..Default::default()
        }
    }

    #[test]
    fn chinese_substrings_and_partial_phones_find_customers_and_contacts() {
        let (_dir, store) = temp_store();
        let mut star = customer("北京星辰科技有限公司", None);
        star.phone = Some("010-8888 6666".into());
        let mut person = contact(star.id, "张伟");
        person.phones = vec!["138 0013 8000".into()];
        store.insert_customer(&star, &[person]).unwrap();
        store
            .insert_customer(&customer("上海明月贸易", None), &[])
            .unwrap();
        let dir = store.directory();
        let names = |text: &str| -> Vec<String> {
            dir.search(text, None, 10)
                .into_iter()
                .map(|h| h.contact_name.unwrap_or(h.customer_name))
                .collect()
        };
        assert_eq!(names("科技"), ["北京星辰科技有限公司"]);
        assert_eq!(names("8888-66"), ["北京星辰科技有限公司"]);
        assert_eq!(names("0013 8"), ["张伟"]);
        assert_eq!(names("张"), ["张伟"]);
        assert!(names("广州").is_empty());
        let by_contact = CustomerQuery {
            text: "张伟".into(),
            ..all()
        };
        assert_eq!(dir.query(&by_contact, None).0, 1);
    }

    #[test]
    fn filters_visibility_sorting_and_paging() {
        let (_dir, store) = temp_store();
        let li = Id::generate();
        let wang = Id::generate();
        for n in 0..120 {
            let owner = [Some(li), Some(wang), None][n % 3];
            let mut c = customer(&format!("客户{n:03}"), owner);
            c.region = Some(if n % 2 == 0 { "上海" } else { "北京" }.into());
            c.tags = if n % 10 == 0 {
                vec!["重点".into()]
            } else {
                vec![]
            };
            store.insert_customer(&c, &[]).unwrap();
        }
        let dir = store.directory();
        assert_eq!(dir.len(), 120);
        // Li sees own 40 and the pool's 40, not Wang's.
        let visible = [li];
        assert_eq!(dir.query(&all(), Some(&visible)).0, 80);
        let pool = CustomerQuery {
            owner: OwnerFilter::Pool,
            ..all()
        };
        assert_eq!(dir.query(&pool, Some(&visible)).0, 40);
        let tagged = CustomerQuery {
            tag: "重点".into(),
            region: "上海".into(),
            ..all()
        };
        assert_eq!(dir.query(&tagged, None).0, 12);
        let by_name = CustomerQuery {
            sort: SortBy::Name,
            offset: 100,
            limit: 50,
            ..all()
        };
        let (total, page) = dir.query(&by_name, None);
        assert_eq!((total, page.len()), (120, 20));
        drop(dir);
        let first = store.customer(page[0]).unwrap().unwrap();
        assert_eq!(first.name, "客户100");
    }

    #[test]
    fn last_contact_range_follows_new_activities_and_the_bin_hides() {
        let (_dir, store) = temp_store();
        let quiet = customer("安静公司", None);
        let busy = customer("忙碌公司", None);
        store.insert_customer(&quiet, &[]).unwrap();
        store.insert_customer(&busy, &[]).unwrap();
        let now = Utc::now();
        store
            .insert_activity(&Activity {
                id: Id::generate(),
                kind: ActivityKind::Call,
                customer_id: busy.id,
                contact_id: None,
                at: now,
                duration_minutes: Some(5),
                text: "聊了报价".into(),
                by: Id::generate(),
                created_at: now,
            })
            .unwrap();
        let recent = CustomerQuery {
            contacted_from: Some(now - chrono::Duration::days(7)),
            ..all()
        };
        assert_eq!(store.directory().query(&recent, None).1, vec![busy.id]);
        store.recycle_customer(busy.id, now, Id(0)).unwrap();
        assert_eq!(store.directory().query(&recent, None).0, 0);
        store.restore_customer(busy.id, now, Id(0)).unwrap();
        assert_eq!(store.directory().query(&recent, None).0, 1);
        // A reopened store rebuilds the same directory from the file.
        let path = _dir.path().to_path_buf();
        drop(store);
        let reopened = Store::open(&path).unwrap();
        assert_eq!(reopened.directory().query(&recent, None).1, vec![busy.id]);
    }
}
