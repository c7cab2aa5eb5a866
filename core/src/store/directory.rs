//! An in-memory directory of every live customer and contact: what lists,
//! filters and the search box need, so a filtered, sorted page with its exact
//! total is a scan of compact rows in RAM instead of decoding 100,000 records
//! from disk per request.
//!
//! Rows are small and dense: the strings many customers share (regions,
//! industries, types, tags, custom values, owners) are kept once and
//! compared as numbers, and the searchable text lives in `SearchText`, not in
//! the rows. At 100,000 customers a scan then reads a few megabytes instead
//! of chasing pointers through tens.
//!
//! A scan is still one per customer, so the worst lists (everyone's, by
//! name) do not scan: every sort order is kept by the same writes
//! (`orders.rs`), and a page is read off it (`query` names each case's
//! cost). The search box reads an n-gram index over the same text rank by
//! rank (`search_with_customers`). At the `large` size the orders take
//! 1.6 MB and the index about 42 MB (docs/BENCHMARKS.md).
//!
//! redb stays the only source of truth. The directory is built from it at open
//! and updated by the store's write methods while they hold its lock across
//! the commit, so a reader never sees it ahead of or behind the file for long.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use chrono::{DateTime, Utc};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use super::decode;
use super::search_text::{self, Entry, Kind, Query, SearchText};
use super::tables::*;
use crate::domain::customer_kpis::IdHasher;
use crate::domain::matching;
use crate::error::{Error, Result};
use crate::model::{Contact, Customer, DuplicateField, Facets, Hit, Id};

mod orders;

use orders::Orders;

/// Values stored once and referred to by number. Number 0 means "none".
struct Interner<K> {
    number: HashMap<K, u32>,
    values: Vec<K>,
}

impl<K: Hash + Eq + Clone + Default> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            number: HashMap::new(),
            values: vec![K::default()],
        }
    }
}

impl<K: Hash + Eq + Clone + Default> Interner<K> {
    fn intern(&mut self, value: K) -> u32 {
        if let Some(&n) = self.number.get(&value) {
            return n;
        }
        let n = self.values.len() as u32;
        self.values.push(value.clone());
        self.number.insert(value, n);
        n
    }

    fn get<Q>(&self, value: &Q) -> Option<u32>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.number.get(value).copied()
    }

    fn value(&self, n: u32) -> &K {
        &self.values[n as usize]
    }
}

type Strings = Interner<Box<str>>;

impl Strings {
    fn intern_str(&mut self, text: &str) -> u32 {
        match self.get(text) {
            Some(n) => n,
            None => self.intern(text.into()),
        }
    }

    fn intern_option(&mut self, text: Option<&str>) -> u32 {
        text.map_or(0, |t| self.intern_str(t))
    }

    /// Every number whose text equals `text` ignoring ASCII case.
    fn like(&self, text: &str) -> Vec<u32> {
        (1..self.values.len() as u32)
            .filter(|&n| self.value(n).eq_ignore_ascii_case(text))
            .collect()
    }
}

/// The list row of a customer. Its searchable text is in `SearchText`.
#[derive(Clone, Debug)]
struct Row {
    id: u128,
    name: Box<str>,
    tags: Box<[u32]>,
    /// (custom field key, value), as numbers in `Directory::strings`.
    custom: Box<[(u32, u32)]>,
    created_at: i64,
    updated_at: i64,
    last_activity: Option<i64>,
    /// A number in `Directory::owners`; 0 is the pool.
    owner: u32,
    customer_type: u32,
    region: u32,
    industry: u32,
    hot: bool,
    /// Its entry in `Directory::text`.
    text: u32,
}

#[derive(Clone, Debug)]
struct ContactRow {
    customer: Id,
    name: Box<str>,
    /// Hashes of the duplicate keys, to find and forget them in
    /// `Directory::contact_keys`.
    keys: Box<[u64]>,
    /// Its entry in `Directory::text`.
    text: u32,
}

/// The contacts holding one duplicate key: nearly always one.
#[derive(Clone, Debug)]
enum Holders {
    One(u128),
    Many(Vec<u128>),
}

impl Holders {
    fn ids(&self) -> &[u128] {
        match self {
            Holders::One(id) => std::slice::from_ref(id),
            Holders::Many(ids) => ids,
        }
    }
}

/// Row slots by one number of the row (its owner, its region), each list
/// sorted, so a list whose viewer or filter names a few owners or a region
/// scans those rows only.
#[derive(Default)]
struct SlotIndex(HashMap<u32, Vec<u32>>);

impl SlotIndex {
    /// Files `slot` under `key` once, however often a row names the key.
    fn add(&mut self, key: u32, slot: u32) {
        let slots = self.0.entry(key).or_default();
        if let Err(at) = slots.binary_search(&slot) {
            slots.insert(at, slot);
        }
    }

    fn remove(&mut self, key: u32, slot: u32) {
        if let Some(slots) = self.0.get_mut(&key)
            && let Ok(at) = slots.binary_search(&slot)
        {
            slots.remove(at);
        }
    }

    fn slots(&self, key: u32) -> &[u32] {
        self.0.get(&key).map_or(&[], Vec::as_slice)
    }

    fn heap_bytes(&self) -> usize {
        self.0.capacity() * 32 + self.0.values().map(|v| v.capacity() * 4).sum::<usize>()
    }
}

fn chars(name: &str) -> u32 {
    name.chars().count() as u32
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
    /// Created on or after / before these instants.
    pub created_from: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    /// A team's name; the service reads it into `owners`.
    pub team: String,
    /// Only customers of these owners (never the pool): a team's members.
    pub owners: Option<Vec<Id>>,
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

/// A map keyed by id, hashed by folding the id's halves
/// (`customer_kpis::IdHasher`): ids are made by the server (ULIDs, random
/// low half), and the search box looks up a row and a contact for each
/// match it reads. With SipHash the directory part of the `138` search on
/// `large` took about 90 µs, with this about 65 (a probe, busy machine).
pub(super) type IdMap<V> = HashMap<u128, V, std::hash::BuildHasherDefault<IdHasher>>;
pub(super) type IdSet = HashSet<u128, std::hash::BuildHasherDefault<IdHasher>>;

#[derive(Default)]
pub struct Directory {
    rows: Vec<Row>,
    slot_of: IdMap<u32>,
    by_owner: SlotIndex,
    by_region: SlotIndex,
    by_type: SlotIndex,
    by_tag: SlotIndex,
    orders: Orders,
    contacts: IdMap<ContactRow>,
    /// Hashed duplicate keys (`matching::name_key`, `phone_key`,
    /// `email_key`) → contacts, so the duplicate check on every new row of a
    /// large import is a lookup, not a scan. A hash collision can only add a
    /// possible-duplicate hint, which the user confirms away.
    contact_keys: HashMap<u64, Holders>,
    strings: Strings,
    owners: Interner<u128>,
    /// Names, emails and phones of both, for search.
    text: SearchText,
}

/// The same key hashes the same way for the life of the process, which is
/// all an in-memory index needs.
fn key_hash(key: &str) -> u64 {
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(key)
}

fn contact_keys(c: &Contact) -> Box<[u64]> {
    let mut keys = vec![matching::name_key(&c.name)];
    keys.extend(c.phones.iter().filter_map(|p| matching::phone_key(p)));
    keys.extend(c.email.as_deref().map(matching::email_key));
    keys.retain(|k| k.len() > 2);
    let mut hashes: Vec<u64> = keys.iter().map(|k| key_hash(k)).collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes.into()
}

/// A contact as the directory keeps it, and its searchable text.
struct FoldedContact {
    id: u128,
    row: ContactRow,
    words: [String; 2],
    phones: Vec<String>,
}

fn fold_contact(c: &Contact) -> FoldedContact {
    FoldedContact {
        id: c.id.0,
        row: ContactRow {
            customer: c.customer_id,
            name: c.name.as_str().into(),
            keys: contact_keys(c),
            text: u32::MAX,
        },
        words: [
            matching::fold(&c.name),
            c.email.as_deref().map(matching::fold).unwrap_or_default(),
        ],
        phones: c.phones.iter().map(|p| digits(p)).collect(),
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// What the text box matches against: lower-cased, with the phone query as
/// digits only so `138-0013` finds `13800138000`; `None` for blank text.
pub(super) fn needle(text: &str) -> Option<Query> {
    let folded = search_text::clean(&matching::fold(text));
    if folded.is_empty() {
        return None;
    }
    let digits = digits(&folded);
    // Three digits at least: shorter runs match nearly every number.
    let digits = if digits.len() >= 3 {
        digits
    } else {
        String::new()
    };
    Some(Query::new(&folded, &digits))
}

/// The `limit` items with the smallest keys, in key order, without sorting
/// all of them: a common word can match thousands.
pub(super) fn best<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K, limit: usize) -> Vec<T> {
    let mut keyed: Vec<(K, T)> = items.into_iter().map(|t| (key(&t), t)).collect();
    if keyed.len() > limit && limit > 0 {
        keyed.select_nth_unstable_by(limit - 1, |a, b| a.0.cmp(&b.0));
    }
    keyed.truncate(limit);
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, t)| t).collect()
}

/// What `Directory::search_with_customers` finds: the hits, and the folded
/// text with every customer holding it when all were read.
pub type SearchResult = (Vec<Hit>, Option<(String, Option<Vec<u128>>)>);

/// Up to this many candidate customers, the search box lists every one
/// holding the text for the deal search; above it, the deal search asks
/// about each deal's customer until it has enough, as a common term (a
/// phone prefix) would list tens of thousands.
/// Tests use a low bound so that their few hundred rows take both paths.
const LIST_CUSTOMERS_UP_TO: u64 = if cfg!(test) { 20 } else { 2_000 };

/// Which index a list of candidate rows came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Narrowed {
    Owner,
    Region,
    Type,
    Tag,
}

/// One page of `hits` in the asked order by selection: only the rows up to
/// the end of the page are sorted. O(hits + page · log page).
fn select_page(mut hits: Vec<&Row>, q: &CustomerQuery) -> (usize, Vec<Id>) {
    let total = hits.len();
    let order = |a: &&Row, b: &&Row| {
        let ordered = orders::compare(q.sort, a, b);
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
    if end < total {
        hits.select_nth_unstable_by(end, order);
        hits.truncate(end);
    }
    hits.sort_unstable_by(order);
    let page = hits[q.offset..end].iter().map(|r| Id(r.id)).collect();
    (total, page)
}

/// Whether an owner mask (`Directory::owner_mask`) lets the row be seen.
fn sees(mask: &Option<Vec<bool>>, row: &Row) -> bool {
    mask.as_ref().is_none_or(|seen| seen[row.owner as usize])
}

/// A list query turned into numbers once, so each row is checked with
/// integer compares.
struct RowFilter {
    /// By owner number; `None` when every owner is visible.
    visible: Option<Vec<bool>>,
    owner: Option<u32>,
    customer_type: Option<u32>,
    tag: Option<u32>,
    regions: Option<Vec<u32>>,
    industries: Option<Vec<u32>>,
    hot: Option<bool>,
    from: Option<i64>,
    before: Option<i64>,
    created_from: Option<i64>,
    created_before: Option<i64>,
    /// By owner number, as `visible` but without the pool.
    owners: Option<Vec<bool>>,
    custom: Vec<(u32, u32)>,
}

impl RowFilter {
    /// `None` when nothing can match (a value no customer has).
    fn new(dir: &Directory, q: &CustomerQuery, visible: VisibleOwners) -> Option<RowFilter> {
        let exact = |text: &str| -> Option<Option<u32>> {
            if text.is_empty() {
                Some(None)
            } else {
                dir.strings.get(text).map(Some)
            }
        };
        let like = |text: &str| -> Option<Option<Vec<u32>>> {
            if text.is_empty() {
                return Some(None);
            }
            let numbers = dir.strings.like(text);
            (!numbers.is_empty()).then_some(Some(numbers))
        };
        let custom = q
            .custom
            .iter()
            .map(|(key, value)| {
                Some((
                    dir.strings.get(key.as_str())?,
                    dir.strings.get(value.as_str())?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(RowFilter {
            visible: dir.owner_mask(visible),
            owner: match &q.owner {
                OwnerFilter::Visible => None,
                OwnerFilter::Pool => Some(0),
                OwnerFilter::User(id) => Some(dir.owners.get(&id.0)?),
            },
            customer_type: exact(&q.customer_type)?,
            tag: exact(&q.tag)?,
            regions: like(&q.region)?,
            industries: like(&q.industry)?,
            hot: q.hot,
            from: q.contacted_from.map(micros),
            before: q.contacted_before.map(micros),
            created_from: q.created_from.map(micros),
            created_before: q.created_before.map(micros),
            owners: q.owners.as_ref().map(|ids| {
                let mut mask = dir.owner_mask(Some(ids)).unwrap_or_default();
                if let Some(pool) = mask.first_mut() {
                    *pool = false;
                }
                mask
            }),
            custom,
        })
    }

    /// Whether it lets every row through.
    fn is_empty(&self) -> bool {
        self.visible.is_none()
            && self.owner.is_none()
            && self.customer_type.is_none()
            && self.tag.is_none()
            && self.regions.is_none()
            && self.guaranteed_by(Narrowed::Region)
    }

    /// Whether every row in the lists of index `by` (as `narrowest` picks
    /// them) matches: the filter asks nothing else.
    fn guaranteed_by(&self, by: Narrowed) -> bool {
        let rest = self.industries.is_none()
            && self.hot.is_none()
            && self.from.is_none()
            && self.before.is_none()
            && self.created_from.is_none()
            && self.created_before.is_none()
            && self.owners.is_none()
            && self.custom.is_empty();
        let whose = self.visible.is_none() && self.owner.is_none();
        rest && match by {
            Narrowed::Owner => {
                self.customer_type.is_none() && self.tag.is_none() && self.regions.is_none()
            }
            Narrowed::Region => whose && self.customer_type.is_none() && self.tag.is_none(),
            Narrowed::Type => whose && self.tag.is_none() && self.regions.is_none(),
            Narrowed::Tag => whose && self.customer_type.is_none() && self.regions.is_none(),
        }
    }

    fn matches(&self, r: &Row) -> bool {
        sees(&self.visible, r)
            && self.owner.is_none_or(|o| r.owner == o)
            && self.customer_type.is_none_or(|t| r.customer_type == t)
            && self.tag.is_none_or(|t| r.tags.contains(&t))
            && self
                .regions
                .as_ref()
                .is_none_or(|any| any.contains(&r.region))
            && self
                .industries
                .as_ref()
                .is_none_or(|any| any.contains(&r.industry))
            && self.hot.is_none_or(|hot| r.hot == hot)
            && match (self.from, self.before) {
                (None, None) => true,
                (from, before) => r.last_activity.is_some_and(|at| {
                    from.is_none_or(|f| at >= f) && before.is_none_or(|b| at < b)
                }),
            }
            && self.created_from.is_none_or(|f| r.created_at >= f)
            && self.created_before.is_none_or(|b| r.created_at < b)
            && self
                .owners
                .as_ref()
                .is_none_or(|mask| mask.get(r.owner as usize).copied().unwrap_or(false))
            && self.custom.iter().all(|pair| r.custom.contains(pair))
    }
}

impl Directory {
    /// Builds the directory from the file. Contacts, the larger half, are
    /// read and folded on a second thread meanwhile: two cores, half the
    /// start-up. They come over in small batches, so that folded contacts
    /// waiting to be inserted never hold more than a few megabytes (all
    /// 200,000 at once were the server's peak memory).
    pub fn load(db: &Database) -> Result<Directory> {
        const BATCH: usize = 2048;
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<FoldedContact>>(4);
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || -> Result<()> {
                let tx = db.begin_read()?;
                let mut batch = Vec::with_capacity(BATCH);
                for row in tx.open_table(CONTACTS)?.iter()? {
                    let contact: Contact = decode(row?.1.value())?;
                    batch.push(fold_contact(&contact));
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if batches.send(full).is_err() {
                            // The directory gave up loading; its error says why.
                            return Ok(());
                        }
                    }
                }
                let _ = batches.send(batch);
                Ok(())
            });
            let mut dir = Directory::default();
            dir.orders.open_batch();
            let tx = db.begin_read()?;
            let customers = tx.open_table(CUSTOMERS)?;
            dir.rows.reserve(customers.len()? as usize);
            for row in customers.iter()? {
                let customer: Customer = decode(row?.1.value())?;
                if customer.deleted_at.is_none() {
                    dir.put_customer(&customer);
                }
            }
            for row in tx.open_table(LAST_ACTIVITY)?.iter()? {
                let (customer, at) = row?;
                dir.set_last_activity(Id(customer.value()), Some(at.value()));
            }
            dir.orders.close_batch(&dir.rows);
            dir.contacts
                .reserve(tx.open_table(CONTACTS)?.len()? as usize);
            for batch in received {
                for contact in batch {
                    if dir.slot_of.contains_key(&contact.row.customer.0) {
                        dir.insert_contact(contact);
                    }
                }
            }
            reader
                .join()
                .map_err(|_| Error::Internal("reading contacts panicked".into()))??;
            dir.text.shrink_to_fit();
            Ok(dir)
        })
    }

    /// The customers created from `from` up to `to` (excluded), oldest
    /// first: (created, id, owner or `None` for the pool, customer type
    /// code). For reports: read from the creation order, no scan of the
    /// rest.
    pub fn created_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, Id, Option<Id>, &str)> + '_ {
        self.created_in(micros(from), micros(to))
    }

    /// Every customer, as `created_between` gives them but in no order:
    /// the rows as they lie in memory, which at 100,000 customers takes a
    /// tenth of the time of following the creation order (20 ms, one
    /// cache miss a row, on the machine of docs/BENCHMARKS.md).
    pub fn every_customer(
        &self,
    ) -> impl Iterator<Item = (DateTime<Utc>, Id, Option<Id>, &str)> + '_ {
        self.rows.iter().filter_map(|row| {
            Some((
                DateTime::from_timestamp_micros(row.created_at)?,
                Id(row.id),
                self.owner_id(row),
                &**self.strings.value(row.customer_type),
            ))
        })
    }

    fn created_in(
        &self,
        from: i64,
        to: i64,
    ) -> impl Iterator<Item = (DateTime<Utc>, Id, Option<Id>, &str)> + '_ {
        self.orders
            .from(SortBy::Created, move |s| {
                self.rows[s as usize].created_at < from
            })
            .map(|s| &self.rows[s as usize])
            .take_while(move |row| row.created_at < to)
            .filter_map(|row| {
                Some((
                    DateTime::from_timestamp_micros(row.created_at)?,
                    Id(row.id),
                    self.owner_id(row),
                    &**self.strings.value(row.customer_type),
                ))
            })
    }

    /// A live customer as `created_between` gives it; `None` when there
    /// is no such customer (or it is in the recycle bin).
    pub fn created_of(&self, id: Id) -> Option<(DateTime<Utc>, Option<Id>, &str)> {
        let row = self.row(id.0)?;
        Some((
            DateTime::from_timestamp_micros(row.created_at)?,
            self.owner_id(row),
            &**self.strings.value(row.customer_type),
        ))
    }

    fn owner_id(&self, row: &Row) -> Option<Id> {
        (row.owner != 0).then(|| Id(*self.owners.value(row.owner)))
    }

    fn row(&self, id: u128) -> Option<&Row> {
        self.slot_of.get(&id).map(|&slot| &self.rows[slot as usize])
    }

    /// Roughly how many heap bytes each part holds, from capacities and
    /// string lengths (allocator overhead left out), for the memory probe
    /// of the benchmark suite.
    pub fn heap_bytes(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        fn map<K, V, S>(m: &HashMap<K, V, S>) -> usize {
            m.capacity() * (size_of::<K>() + size_of::<V>() + 1)
        }
        let rows = self.rows.capacity() * size_of::<Row>()
            + self
                .rows
                .iter()
                .map(|r| r.name.len() + r.tags.len() * 4 + r.custom.len() * 8)
                .sum::<usize>();
        let contacts = map(&self.contacts)
            + self
                .contacts
                .values()
                .map(|c| c.name.len() + c.keys.len() * 8)
                .sum::<usize>();
        let keys = map(&self.contact_keys)
            + self
                .contact_keys
                .values()
                .map(|h| match h {
                    Holders::One(_) => 0,
                    Holders::Many(ids) => ids.capacity() * 16,
                })
                .sum::<usize>();
        vec![
            ("customer rows", rows),
            (
                "customer slots and indexes",
                map(&self.slot_of)
                    + self.by_owner.heap_bytes()
                    + self.by_region.heap_bytes()
                    + self.by_type.heap_bytes()
                    + self.by_tag.heap_bytes(),
            ),
            ("sort orders", self.orders.heap_bytes()),
            ("contact rows", contacts),
            ("duplicate keys", keys),
            ("search text", self.text.buffer_bytes()),
            ("search index", self.text.index_bytes()),
        ]
    }

    /// How many grams the search index holds, and postings in all.
    pub fn search_index_size(&self) -> (usize, u64) {
        self.text.index_size()
    }

    /// A live customer's region (empty when none) and type code, for
    /// reports that break money down by them.
    pub fn region_and_type(&self, id: Id) -> Option<(&str, &str)> {
        let row = self.row(id.0)?;
        Some((
            &**self.strings.value(row.region),
            &**self.strings.value(row.customer_type),
        ))
    }

    /// A customer's name, for cards and lists that show customers by name.
    pub fn customer_name(&self, id: Id) -> Option<String> {
        self.row(id.0).map(|row| row.name.to_string())
    }

    /// The later of a customer's creation and its latest activity, in Unix
    /// microseconds (rounded down): the earliest its clock for the return
    /// to the pool can have started.
    pub fn worked_on_since(&self, id: Id) -> Option<i64> {
        self.row(id.0).map(|row| {
            row.last_activity
                .map_or(row.created_at, |at| at.max(row.created_at))
        })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Customers put from now until `close_batch` are sorted into the
    /// list's orders together then: an import's batch costs one merge
    /// instead of a copy of the orders per row.
    pub(super) fn open_batch(&mut self) {
        self.orders.open_batch();
    }

    pub(super) fn close_batch(&mut self) {
        self.orders.close_batch(&self.rows);
    }

    pub(super) fn put_customer(&mut self, c: &Customer) {
        let (last_activity, old_text) = self
            .row(c.id.0)
            .map_or((None, u32::MAX), |r| (r.last_activity, r.text));
        self.forget_text(old_text);
        let email = c.email.as_deref().map(matching::fold).unwrap_or_default();
        let phone = c.phone.as_deref().map(digits).unwrap_or_default();
        let text = self.text.put(
            Entry::Customer(c.id.0),
            chars(&c.name),
            [matching::fold(&c.name).as_str(), email.as_str()],
            [phone.as_str()],
        );
        let strings = &mut self.strings;
        let row = Row {
            id: c.id.0,
            name: c.name.as_str().into(),
            tags: c.tags.iter().map(|t| strings.intern_str(t)).collect(),
            custom: c
                .custom
                .iter()
                .map(|(k, v)| (strings.intern_str(k), strings.intern_str(v)))
                .collect(),
            created_at: micros(c.created_at),
            updated_at: micros(c.updated_at),
            last_activity,
            owner: c.owner.map_or(0, |o| self.owners.intern(o.0)),
            customer_type: strings.intern_str(&c.customer_type),
            region: strings.intern_option(c.region.as_deref()),
            industry: strings.intern_option(c.industry.as_deref()),
            hot: c.hot.is_some(),
            text,
        };
        let slot = match self.slot_of.get(&c.id.0) {
            Some(&slot) => {
                self.unindex(slot);
                self.orders.remove(&self.rows, slot);
                self.rows[slot as usize] = row;
                slot
            }
            None => {
                let slot = self.rows.len() as u32;
                self.slot_of.insert(c.id.0, slot);
                self.rows.push(row);
                slot
            }
        };
        self.index(slot);
        self.orders.add(&self.rows, slot);
    }

    /// Files a row's slot under its owner, region, type and tags.
    fn index(&mut self, slot: u32) {
        let row = &self.rows[slot as usize];
        self.by_owner.add(row.owner, slot);
        self.by_region.add(row.region, slot);
        self.by_type.add(row.customer_type, slot);
        for &tag in &row.tags {
            self.by_tag.add(tag, slot);
        }
    }

    fn unindex(&mut self, slot: u32) {
        let row = &self.rows[slot as usize];
        self.by_owner.remove(row.owner, slot);
        self.by_region.remove(row.region, slot);
        self.by_type.remove(row.customer_type, slot);
        for &tag in &row.tags {
            self.by_tag.remove(tag, slot);
        }
    }

    /// Drops an entry's searchable text; when that compacts the buffers,
    /// tells every row its new entry number.
    fn forget_text(&mut self, number: u32) {
        if let Some(renumbering) = self.text.remove(number) {
            let renumber = |n: &mut u32| {
                if let Some(&to) = renumbering.get(*n as usize) {
                    *n = to;
                }
            };
            self.rows.iter_mut().for_each(|r| renumber(&mut r.text));
            self.contacts
                .values_mut()
                .for_each(|c| renumber(&mut c.text));
        }
    }

    pub(super) fn remove_customer(&mut self, id: Id) {
        let Some(slot) = self.slot_of.remove(&id.0) else {
            return;
        };
        // The last row moves into the freed slot.
        let last = self.rows.len() as u32 - 1;
        self.unindex(slot);
        self.orders.remove(&self.rows, slot);
        if last != slot {
            self.unindex(last);
            self.orders.moved(&self.rows, last, slot);
        }
        let removed = self.rows.swap_remove(slot as usize);
        if let Some(moved) = self.rows.get(slot as usize) {
            self.slot_of.insert(moved.id, slot);
            self.index(slot);
        }
        self.forget_text(removed.text);
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
        self.insert_contact(fold_contact(c));
    }

    fn insert_contact(&mut self, contact: FoldedContact) {
        let id = contact.id;
        for &key in &contact.row.keys {
            self.contact_keys
                .entry(key)
                .and_modify(|holders| match holders {
                    Holders::One(first) => *holders = Holders::Many(vec![*first, id]),
                    Holders::Many(ids) => ids.push(id),
                })
                .or_insert(Holders::One(id));
        }
        let text = self.text.put(
            Entry::Contact(id),
            chars(&contact.row.name),
            contact.words.iter().map(String::as_str),
            contact.phones.iter().map(String::as_str),
        );
        self.contacts.insert(
            id,
            ContactRow {
                text,
                ..contact.row
            },
        );
    }

    pub(super) fn remove_contact(&mut self, id: Id) {
        let Some(row) = self.contacts.remove(&id.0) else {
            return;
        };
        self.forget_text(row.text);
        for key in row.keys {
            let emptied = match self.contact_keys.get_mut(&key) {
                Some(Holders::One(_)) => true,
                Some(Holders::Many(ids)) => {
                    ids.retain(|c| *c != id.0);
                    if let [last] = ids[..] {
                        self.contact_keys.insert(key, Holders::One(last));
                    }
                    false
                }
                None => false,
            };
            if emptied {
                self.contact_keys.remove(&key);
            }
        }
    }

    /// Sets the last activity outright, for when the latest one was deleted.
    pub(super) fn set_last_activity(&mut self, customer: Id, at: Option<i64>) {
        let Some(&slot) = self.slot_of.get(&customer.0) else {
            return;
        };
        self.orders.contact_changing(&self.rows, slot);
        self.rows[slot as usize].last_activity = at;
        self.orders.contact_changed(&self.rows, slot);
    }

    pub(super) fn touch(&mut self, customer: Id, at: i64) {
        if self
            .row(customer.0)
            .is_some_and(|row| row.last_activity.is_none_or(|last| last < at))
        {
            self.set_last_activity(customer, Some(at));
        }
    }

    /// How this directory differs from `file`, one loaded from the file just
    /// now, and what is wrong with its own indexes, for the consistency
    /// check. Rows are compared with their numbers resolved, since two
    /// directories number their strings in the order they met them.
    pub(super) fn differences(&self, file: &Directory) -> Vec<String> {
        let mut out = self.index_problems();
        let (here, there) = (self.resolved(), file.resolved());
        for (what, ours, theirs) in [
            ("customer", &here.0, &there.0),
            ("contact", &here.1, &there.1),
        ] {
            for (id, row) in ours {
                match theirs.get(id) {
                    None => out.push(format!("holds {what} {} that the file has not", Id(*id))),
                    Some(t) if t != row => out.push(format!(
                        "{what} {} differs from the file: {row} here, {t} there",
                        Id(*id)
                    )),
                    Some(_) => {}
                }
            }
            for id in theirs.keys().filter(|id| !ours.contains_key(id)) {
                out.push(format!("lacks {what} {}", Id(*id)));
            }
        }
        out
    }

    /// Every row and contact with its numbers and search text resolved.
    #[allow(clippy::type_complexity)]
    fn resolved(&self) -> (HashMap<u128, String>, HashMap<u128, String>) {
        let s = |n: u32| self.strings.value(n).to_string();
        let text = |n: u32| {
            self.text.entry(n).map(|(entry, words, phones)| {
                (
                    entry,
                    String::from_utf8_lossy(words).into_owned(),
                    String::from_utf8_lossy(phones).into_owned(),
                )
            })
        };
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut tags: Vec<String> = r.tags.iter().map(|&t| s(t)).collect();
                tags.sort();
                let custom: BTreeSet<(String, String)> =
                    r.custom.iter().map(|&(k, v)| (s(k), s(v))).collect();
                let owner = (r.owner != 0).then(|| *self.owners.value(r.owner));
                let row = format!(
                    "{:?}",
                    (
                        &r.name,
                        tags,
                        custom,
                        (r.created_at, r.updated_at, r.last_activity),
                        owner,
                        (s(r.customer_type), s(r.region), s(r.industry), r.hot),
                        text(r.text),
                    )
                );
                (r.id, row)
            })
            .collect();
        let contacts = self
            .contacts
            .iter()
            .map(|(&id, c)| {
                let row = format!("{:?}", (c.customer, &c.name, &c.keys, text(c.text)));
                (id, row)
            })
            .collect();
        (rows, contacts)
    }

    /// What is wrong with the maps and indexes over the rows: each should
    /// find every row (or contact) once, under what the row holds.
    fn index_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.slot_of.len() != self.rows.len() {
            out.push(format!(
                "{} slots for {} rows",
                self.slot_of.len(),
                self.rows.len()
            ));
        }
        for (slot, row) in self.rows.iter().enumerate() {
            let slot = slot as u32;
            if self.slot_of.get(&row.id) != Some(&slot) {
                out.push(format!("customer {} is not found at its slot", Id(row.id)));
            }
            if !self.by_owner.slots(row.owner).contains(&slot) {
                out.push(format!("customer {} is not under its owner", Id(row.id)));
            }
            if !self.by_region.slots(row.region).contains(&slot) {
                out.push(format!("customer {} is not under its region", Id(row.id)));
            }
            if self.text.entry(row.text).map(|e| e.0) != Some(Entry::Customer(row.id)) {
                out.push(format!("customer {} has lost its search text", Id(row.id)));
            }
        }
        for (name, index) in [
            ("owner", &self.by_owner),
            ("region", &self.by_region),
            ("type", &self.by_type),
        ] {
            let indexed: usize = index.0.values().map(Vec::len).sum();
            if indexed != self.rows.len() {
                out.push(format!(
                    "the {name} index holds {indexed} slots for {} rows",
                    self.rows.len()
                ));
            }
        }
        let mut tags: Vec<(u32, u32)> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(slot, r)| r.tags.iter().map(move |&t| (t, slot as u32)))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let mut indexed: Vec<(u32, u32)> = self
            .by_tag
            .0
            .iter()
            .flat_map(|(&t, slots)| slots.iter().map(move |&s| (t, s)))
            .collect();
        indexed.sort_unstable();
        if indexed != tags {
            out.push("the tag index differs from the rows' tags".into());
        }
        out.extend(self.order_problems());
        for (&id, c) in &self.contacts {
            if !self.slot_of.contains_key(&c.customer.0) {
                out.push(format!(
                    "contact {} is of customer {}, which it does not hold",
                    Id(id),
                    c.customer
                ));
            }
            if self.text.entry(c.text).map(|e| e.0) != Some(Entry::Contact(id)) {
                out.push(format!("contact {} has lost its search text", Id(id)));
            }
            for key in &c.keys {
                let held = self
                    .contact_keys
                    .get(key)
                    .is_some_and(|h| h.ids().contains(&id));
                if !held {
                    out.push(format!(
                        "contact {} is missing from its duplicate keys",
                        Id(id)
                    ));
                }
            }
        }
        for (key, holders) in &self.contact_keys {
            for id in holders.ids() {
                if !self.contacts.get(id).is_some_and(|c| c.keys.contains(key)) {
                    out.push(format!(
                        "a duplicate key names contact {}, which lacks it",
                        Id(*id)
                    ));
                }
            }
        }
        out.extend(self.text.index_problems());
        let live = self.rows.len() + self.contacts.len();
        if self.text.live() != live {
            out.push(format!(
                "{} live search entries for {live} customers and contacts",
                self.text.live()
            ));
        }
        out
    }

    /// What is wrong with the orders: each should hold every row once,
    /// under what the row holds now.
    fn order_problems(&self) -> Vec<String> {
        let want = Orders::of(&self.rows);
        let mut out = Vec::new();
        for (name, sort) in [
            ("latest change", SortBy::Updated),
            ("creation", SortBy::Created),
            ("last contact", SortBy::LastActivity),
            ("name", SortBy::Name),
        ] {
            if !self.orders.iter(sort, false).eq(want.iter(sort, false)) {
                out.push(format!("the order by {name} differs from the rows"));
            }
        }
        out
    }

    /// Which owner numbers `visible` may see, the pool's included; `None`
    /// when it sees every owner.
    fn owner_mask(&self, visible: VisibleOwners) -> Option<Vec<bool>> {
        visible.map(|ids| {
            let mut seen = vec![false; self.owners.values.len()];
            seen[0] = true;
            for id in ids {
                if let Some(n) = self.owners.get(&id.0) {
                    seen[n as usize] = true;
                }
            }
            seen
        })
    }

    /// One page of matching customer ids in the asked order, and how many
    /// match in all.
    ///
    /// What it costs, for n customers and a page ending at p = offset +
    /// limit:
    /// - no filter (an admin's whole list): O(p), read off the order;
    /// - filters one index answers alone (whose customers, or a region, a
    ///   type or a tag, with nothing else): the total is the length of that
    ///   index's lists, O(owners); the page is read off the order, skipping
    ///   what the filter refuses, O(p · n / total) (a rep's list);
    /// - any other filter: O(m) to count, m the rows of the narrowest index
    ///   (n when none narrows), then the page off the order as above, or
    ///   O(total) by selecting among the matches when that is fewer steps;
    /// - text: O(candidates) from the search index (a scan of all text for
    ///   text without a gram), then a selection among the matches.
    pub fn query(&self, q: &CustomerQuery, visible: VisibleOwners) -> (usize, Vec<Id>) {
        let Some(filter) = RowFilter::new(self, q, visible) else {
            return (0, Vec::new());
        };
        if let Some(needle) = needle(&q.text) {
            // Customers whose contacts match the text count as matches too.
            let ids: HashSet<u128> = self
                .text
                .find(&needle)
                .into_iter()
                .filter_map(|(entry, _)| match entry {
                    Entry::Customer(id) => Some(id),
                    Entry::Contact(id) => self.contacts.get(&id).map(|c| c.customer.0),
                    Entry::Deal(_) => None,
                })
                .collect();
            let hits = ids
                .into_iter()
                .filter_map(|id| self.row(id))
                .filter(|r| filter.matches(r))
                .collect();
            return select_page(hits, q);
        }
        let n = self.rows.len();
        let narrowed = self.narrowest(&filter);
        let rows_of = |lists: &[&[u32]]| -> Vec<&Row> {
            lists
                .iter()
                .flat_map(|l| l.iter())
                .map(|&slot| &self.rows[slot as usize])
                .filter(|r| filter.matches(r))
                .collect()
        };
        let (total, hits) = match &narrowed {
            None if filter.is_empty() => (n, None),
            Some((by, lists)) if filter.guaranteed_by(*by) => {
                (lists.iter().map(|l| l.len()).sum(), None)
            }
            Some((_, lists)) => {
                let hits = rows_of(lists);
                (hits.len(), Some(hits))
            }
            None => {
                let hits: Vec<&Row> = self.rows.iter().filter(|r| filter.matches(r)).collect();
                (hits.len(), Some(hits))
            }
        };
        if q.offset >= total {
            return (total, Vec::new());
        }
        // Reading off the order takes about p · n / total steps; selecting
        // among the matches about `total`.
        let end = q.offset.saturating_add(q.limit).min(total);
        if filter.is_empty() || end.saturating_mul(n) / total <= total {
            return (total, self.page_off_order(q, &filter));
        }
        let hits = match (hits, &narrowed) {
            (Some(hits), _) => hits,
            (None, Some((_, lists))) => rows_of(lists),
            (None, None) => self.rows.iter().filter(|r| filter.matches(r)).collect(),
        };
        select_page(hits, q)
    }

    /// The page `query` answers, without counting the matches: read off
    /// the sort order, skipping what the filters refuse. O((offset +
    /// limit) · rows / matches): for a page of a kind that no index narrows
    /// and that is not rare among every row (an admin's hot customers, 3 %
    /// of `large`: about 330 rows read for 10) that beats the count's walk
    /// of all 100,000 rows. Text goes to `query`.
    pub fn page_uncounted(&self, q: &CustomerQuery, visible: VisibleOwners) -> Vec<Id> {
        if needle(&q.text).is_some() {
            return self.query(q, visible).1;
        }
        let Some(filter) = RowFilter::new(self, q, visible) else {
            return Vec::new();
        };
        self.page_off_order(q, &filter)
    }

    /// The rows in `q`'s order that `filter` lets through, from the
    /// offset-th on, at most the limit. O(offset + limit) steps when the
    /// filter lets every row through; O((offset + limit) · rows / kept)
    /// otherwise.
    fn page_off_order(&self, q: &CustomerQuery, filter: &RowFilter) -> Vec<Id> {
        let every = filter.is_empty();
        self.orders
            .iter(q.sort, q.descending)
            .map(|slot| &self.rows[slot as usize])
            .filter(|row| every || filter.matches(row))
            .skip(q.offset)
            .take(q.limit)
            .map(|row| Id(row.id))
            .collect()
    }

    /// The fewest rows that can hold every match, by owner, region, type or
    /// tag, when any narrows the query, and which index they came from;
    /// `None` means every row. Each index's lists are disjoint.
    fn narrowest(&self, filter: &RowFilter) -> Option<(Narrowed, Vec<&[u32]>)> {
        let mut choices: Vec<(Narrowed, Vec<&[u32]>)> = Vec::new();
        match (filter.owner, &filter.visible) {
            (Some(owner), seen) => {
                let lists = if seen.as_ref().is_none_or(|s| s[owner as usize]) {
                    vec![self.by_owner.slots(owner)]
                } else {
                    Vec::new()
                };
                choices.push((Narrowed::Owner, lists));
            }
            (None, Some(seen)) => choices.push((
                Narrowed::Owner,
                (0..seen.len() as u32)
                    .filter(|&n| seen[n as usize])
                    .map(|n| self.by_owner.slots(n))
                    .collect(),
            )),
            (None, None) => {}
        }
        if let Some(regions) = &filter.regions {
            choices.push((
                Narrowed::Region,
                regions.iter().map(|&r| self.by_region.slots(r)).collect(),
            ));
        }
        if let Some(t) = filter.customer_type {
            choices.push((Narrowed::Type, vec![self.by_type.slots(t)]));
        }
        if let Some(t) = filter.tag {
            choices.push((Narrowed::Tag, vec![self.by_tag.slots(t)]));
        }
        choices
            .into_iter()
            .min_by_key(|(_, lists)| lists.iter().map(|l| l.len()).sum::<usize>())
    }

    /// The search box: customers, then contacts, whose name, phone or email
    /// holds the text, at most `limit` of each.
    pub fn search(&self, text: &str, visible: VisibleOwners, limit: usize) -> Vec<Hit> {
        self.search_with_customers(text, visible, limit).0
    }

    /// `search`, and from the same reading the folded text with, when few
    /// enough customers may hold it to list, every customer whose name,
    /// email or phone holds it, whoever owns them: the search box finds
    /// deals by their customer, and a deal's co-owner may see a deal whose
    /// customer they cannot. The list is `None` when more may: then ask
    /// `customer_holds` per customer. `None` for blank text.
    ///
    /// What it costs: the needle's postings intersected, smallest first,
    /// O(shortest posting); the names starting with it, O(names starting
    /// with its first character); then the ranks (name lengths) read
    /// shortest first, each intersected with the candidates and its
    /// matches read in id order, confirmed on their text, until the page
    /// is full: O(ranks read + the matches up to the page's last, about
    /// the page over the share of matches the viewer sees), plus the
    /// displaced entries among a rank's matches (`search_text.rs`); not
    /// O(every match). Listing the customers for the deal search is
    /// O(candidate customers), at most `LIST_CUSTOMERS_UP_TO`. A term
    /// without a gram (one Chinese character) reads the ranks with every
    /// entry a candidate: at worst a reading of all text.
    pub fn search_with_customers(
        &self,
        text: &str,
        visible: VisibleOwners,
        limit: usize,
    ) -> SearchResult {
        let Some(q) = needle(text) else {
            return (Vec::new(), None);
        };
        let mask = self.owner_mask(visible);
        let candidates = self.text.candidates(&q);
        let exact = candidates.as_ref().is_some_and(|(_, exact)| *exact);
        let pool = |kind: Kind| match &candidates {
            Some((c, _)) => c & self.text.of_kind(kind),
            None => self.text.of_kind(kind).clone(),
        };
        let customers = pool(Kind::Customer);
        // Names that start with the text first, then shorter names: the usual
        // sense of "best match" when typing the start of a company name.
        let starting: Vec<&Row> = self
            .text
            .starting_with(&q, Kind::Customer)
            .into_iter()
            .filter_map(|n| self.customer_at(n))
            .filter(|r| sees(&mask, r))
            .collect();
        let mut firms = best(starting, |r| (chars(&r.name), r.id), limit);
        let rest = self.by_rank(&q, exact, &customers, limit - firms.len(), |n, prefix| {
            self.customer_at(n).filter(|r| !prefix && sees(&mask, r))
        });
        firms.extend(rest);
        let mut hits: Vec<Hit> = firms
            .into_iter()
            .map(|r| Hit {
                customer: Id(r.id),
                customer_name: r.name.to_string(),
                contact_name: None,
                deal_id: None,
                deal_title: None,
                document: None,
            })
            .collect();
        let people = self.by_rank(&q, exact, &pool(Kind::Contact), limit, |n, _| {
            let Entry::Contact(id) = self.text.entry_of(n)? else {
                return None;
            };
            let c = self.contacts.get(&id)?;
            let r = self.row(c.customer.0).filter(|r| sees(&mask, r))?;
            Some((c, r))
        });
        hits.extend(people.into_iter().map(|(c, r)| Hit {
            customer: c.customer,
            customer_name: r.name.to_string(),
            contact_name: Some(c.name.to_string()),
            deal_id: None,
            deal_title: None,
            document: None,
        }));
        // The pool's entries are live customers, each with its row, so the
        // entry names the id: no row is looked up. 1,567 customers hold
        // `138` on `large`, and looking up their rows was a third to a half
        // of the admin's directory part (151 µs; docs/BENCHMARKS.md).
        let named = (candidates.is_some() && customers.len() <= LIST_CUSTOMERS_UP_TO).then(|| {
            customers
                .iter()
                .filter(|&n| exact || self.text.holds(n, &q).is_some())
                .filter_map(|n| match self.text.entry_of(n)? {
                    Entry::Customer(id) => Some(id),
                    _ => None,
                })
                .collect()
        });
        (hits, Some((q.folded().to_string(), named)))
    }

    fn customer_at(&self, number: u32) -> Option<&Row> {
        match self.text.entry_of(number)? {
            Entry::Customer(id) => self.row(id),
            _ => None,
        }
    }

    /// Whether a live customer's name, email or phone holds the needle.
    pub(super) fn customer_holds(&self, customer: u128, q: &Query) -> bool {
        self.row(customer)
            .is_some_and(|r| self.text.holds(r.text, q).is_some())
    }

    /// Up to `limit` entries of `pool` that hold the needle and that `keep`
    /// turns into a hit (told whether the words start with the needle),
    /// lowest rank first, then by id. Each rank's matches are read in id
    /// order and the reading stops when the page is full, so `keep` and
    /// the confirmation run for the entries up to the page's last, not for
    /// every match of the rank. When the pool is `exact`, every entry in it
    /// holds the needle and none is confirmed.
    fn by_rank<T>(
        &self,
        q: &Query,
        exact: bool,
        pool: &RoaringBitmap,
        limit: usize,
        keep: impl Fn(u32, bool) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        if limit == 0 || pool.is_empty() {
            return out;
        }
        for ranked in self.text.by_rank() {
            for n in self.text.in_id_order(pool & ranked) {
                let prefix = if exact {
                    self.text.starts_with(n, q)
                } else {
                    match self.text.holds(n, q) {
                        Some(prefix) => prefix,
                        None => continue,
                    }
                };
                out.extend(keep(n, prefix));
                if out.len() >= limit {
                    return out;
                }
            }
        }
        out
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
            let holders = self.contact_keys.get(&key_hash(&key));
            for contact in holders.map(Holders::ids).unwrap_or_default() {
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
        let (mut tags, mut regions, mut industries) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        let mask = self.owner_mask(visible);
        for row in self.rows.iter().filter(|r| sees(&mask, r)) {
            tags.extend(row.tags.iter().copied());
            regions.insert(row.region);
            industries.insert(row.industry);
        }
        let texts = |numbers: BTreeSet<u32>| {
            numbers
                .into_iter()
                .filter(|&n| n != 0)
                .map(|n| self.strings.value(n).to_string())
                .collect()
        };
        Facets {
            tags: texts(tags),
            regions: texts(regions),
            industries: texts(industries),
        }
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
    fn removing_a_row_keeps_the_others_reachable_and_filters_compare_as_before() {
        let mut dir = Directory::default();
        let li = Id::generate();
        let rows: Vec<Customer> = ["甲", "乙", "丙"]
            .into_iter()
            .map(|name| {
                let mut c = customer(name, Some(li));
                c.region = Some("Beijing".into());
                c.custom.insert("level".into(), "A".into());
                c
            })
            .collect();
        for c in &rows {
            dir.put_customer(c);
        }
        // The first row's slot is refilled by the last one.
        dir.remove_customer(rows[0].id);
        dir.touch(rows[2].id, 42);
        assert_eq!(dir.customer_name(rows[2].id).as_deref(), Some("丙"));
        assert_eq!(dir.customer_name(rows[0].id), None);
        let query = |q: CustomerQuery| dir.query(&q, Some(&[li])).0;
        // Regions and industries compare ignoring ASCII case, as before.
        let beijing = || CustomerQuery {
            region: "BEIJING".into(),
            ..all()
        };
        assert_eq!(query(beijing()), 2);
        assert_eq!(
            query(CustomerQuery {
                custom: vec![("level".into(), "A".into())],
                ..beijing()
            }),
            2
        );
        // Values no customer has match nothing rather than everything.
        for nothing in [
            CustomerQuery {
                region: "上海".into(),
                ..all()
            },
            CustomerQuery {
                tag: "从未用过".into(),
                ..all()
            },
            CustomerQuery {
                owner: OwnerFilter::User(Id::generate()),
                ..all()
            },
            CustomerQuery {
                custom: vec![("level".into(), "B".into())],
                ..all()
            },
        ] {
            assert_eq!(query(nothing), 0);
        }
        // Someone who sees neither Li nor the pool's rows sees nothing.
        assert_eq!(dir.query(&all(), Some(&[Id::generate()])).0, 0);
        let contacted = CustomerQuery {
            contacted_from: Some(DateTime::from_timestamp_micros(40).unwrap()),
            ..all()
        };
        assert_eq!(dir.query(&contacted, None).1, vec![rows[2].id]);
    }

    #[test]
    fn owner_and_region_indexes_agree_with_the_rows_after_moves_and_removals() {
        let mut dir = Directory::default();
        let owners = [Id::generate(), Id::generate(), Id::generate()];
        let regions = ["北京", "上海", "广州", "深圳"];
        let mut live: Vec<Customer> = (0..300usize)
            .map(|n| {
                let mut c = customer(&format!("客户{n}"), (n % 4 != 0).then(|| owners[n % 3]));
                c.region = Some(regions[n % 4].into());
                dir.put_customer(&c);
                c
            })
            .collect();
        // Remove every seventh and move every fifth to another owner and region.
        for n in (0..300).rev().filter(|n| n % 7 == 0) {
            dir.remove_customer(live.remove(n).id);
        }
        for (n, c) in live.iter_mut().enumerate().filter(|(n, _)| n % 5 == 0) {
            c.owner = Some(owners[(n + 1) % 3]);
            c.region = Some(regions[(n + 3) % 4].into());
            dir.put_customer(c);
        }
        for viewer in [None, Some(&owners[..1]), Some(&owners[1..])] {
            for region in ["", "北京", "深圳"] {
                let q = CustomerQuery {
                    region: region.into(),
                    limit: 1_000,
                    ..all()
                };
                let mut got = dir.query(&q, viewer).1;
                got.sort();
                let mut want: Vec<Id> = live
                    .iter()
                    .filter(|c| viewer.is_none_or(|v| c.owner.is_none_or(|o| v.contains(&o))))
                    .filter(|c| region.is_empty() || c.region.as_deref() == Some(region))
                    .map(|c| c.id)
                    .collect();
                want.sort();
                assert_eq!(got, want, "viewer {viewer:?}, region {region:?}");
            }
        }
    }

    #[test]
    fn best_keeps_the_smallest_keys_in_order() {
        let items: Vec<u32> = (0..1_000).rev().collect();
        assert_eq!(best(items.clone(), |&n| (n % 500, n), 3), [0, 500, 1]);
        assert_eq!(best(items.clone(), |&n| n, 0), Vec::<u32>::new());
        assert_eq!(best(vec![3, 1, 2], |&n| n, 10), [1, 2, 3]);
    }

    #[test]
    fn rows_keep_their_search_text_across_compactions() {
        let mut dir = Directory::default();
        let mut rows: Vec<Customer> = (0..6_000)
            .map(|n| customer(&format!("旧名{n}号"), None))
            .collect();
        let person = contact(rows[7].id, "赵敏");
        dir.put_customer(&rows[7]);
        dir.put_contact(&person);
        for round in 0..2 {
            for (n, c) in rows.iter_mut().enumerate() {
                c.name = format!("新名{round}-{n}号");
                dir.put_customer(c);
            }
        }
        assert!(dir.search("旧名", None, 10).is_empty());
        let found = dir.search("新名1-4321号", None, 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].customer, rows[4321].id);
        assert_eq!(
            dir.search("赵敏", None, 10)[0].contact_name.as_deref(),
            Some("赵敏")
        );
        dir.remove_customer(rows[7].id);
        assert!(dir.search("赵敏", None, 10).is_empty());
        assert!(dir.search("新名1-7号", None, 10).is_empty());
        assert_eq!(dir.search("新名1-5999号", None, 10).len(), 1);
    }

    #[test]
    fn contacts_sharing_a_duplicate_key_are_each_found_until_removed() {
        let mut dir = Directory::default();
        let (one, two) = (customer("甲公司", None), customer("乙公司", None));
        dir.put_customer(&one);
        dir.put_customer(&two);
        let mut first = contact(one.id, "张伟");
        first.phones = vec!["13800138000".into()];
        let second = contact(two.id, "张 伟");
        dir.put_contact(&first);
        dir.put_contact(&second);
        let found = |dir: &Directory| -> Vec<Id> {
            let mut ids: Vec<Id> = dir
                .contact_matches("张伟", &[], None)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            ids.sort();
            ids
        };
        let mut both = vec![one.id, two.id];
        both.sort();
        assert_eq!(found(&dir), both);
        dir.remove_contact(second.id);
        assert_eq!(found(&dir), vec![one.id]);
        assert_eq!(
            dir.contact_matches("某人", &["+86 138 0013 8000".into()], None),
            vec![(one.id, DuplicateField::Phone)]
        );
        dir.remove_customer(one.id);
        assert!(found(&dir).is_empty());
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
                deal_id: None,
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

    /// Contacts load in batches beside the customers: every one of several
    /// batches arrives, and those of a customer in the recycle bin stay out.
    #[test]
    fn a_reopened_store_finds_every_contact_of_a_large_company_but_none_in_the_bin() {
        let (dir, store) = temp_store();
        let big = customer("大客户集团", None);
        let binned = customer("回收站公司", None);
        let people = |of: &Customer, n: usize, prefix: &str| -> Vec<Contact> {
            (0..n)
                .map(|i| {
                    let mut c = contact(of.id, &format!("{prefix}{i:05}"));
                    c.phones = vec![format!("139{i:08}")];
                    c
                })
                .collect()
        };
        store
            .insert_customer(&big, &people(&big, 5000, "联系人"))
            .unwrap();
        store
            .insert_customer(&binned, &people(&binned, 10, "旧人"))
            .unwrap();
        store
            .recycle_customer(binned.id, Utc::now(), Id(0))
            .unwrap();
        let path = dir.path().to_path_buf();
        drop(store);
        let reopened = Store::open(&path).unwrap();
        let dir = reopened.directory();
        for i in [0, 2048, 4999] {
            let name = format!("联系人{i:05}");
            assert_eq!(
                dir.contact_matches(&name, &[], None),
                vec![(big.id, DuplicateField::Name)]
            );
            let hits = dir.search(&format!("139{i:08}"), None, 10);
            assert_eq!(hits.len(), 1, "{name}");
            assert_eq!(hits[0].contact_name.as_deref(), Some(name.as_str()));
        }
        assert!(dir.search("旧人", None, 10).is_empty());
        assert!(dir.contact_matches("旧人00001", &[], None).is_empty());
    }

    /// A few thousand random writes through the store (creates, edits,
    /// recycling and restoring, imports, contacts added and deleted, calls
    /// logged), and after every batch of them the directory's orders and
    /// search index answer as a brute-force reading of the file does, for
    /// Chinese, Latin and digit terms of one to six characters. The same
    /// store's consistency check runs at the end (`temp_store`).
    #[test]
    fn orders_and_search_index_agree_with_brute_force_after_random_writes() {
        use crate::domain::matching::fold;
        use crate::model::{Activity, ActivityKind, FieldChange};
        use crate::store::import::ImportWrite;
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};

        const PIECES: [&str; 14] = [
            "北京",
            "上海",
            "星辰",
            "科技",
            "有限公司",
            "贸易",
            "明月",
            "张",
            "伟",
            "云帆",
            "物流",
            "集团",
            "Acme",
            "Data",
        ];
        const LATIN: [&str; 6] = ["acme", "data", "soft", "link", "ab", "x"];
        const PEOPLE: [&str; 8] = ["张伟", "王芳", "李娜", "张", "Anna Li", "Bob", "赵敏", "伟"];
        let (_dir, store) = temp_store();
        let mut rng = StdRng::seed_from_u64(16);
        let owners = [Id::generate(), Id::generate(), Id::generate()];
        let base = Utc::now();
        let mut live: Vec<Id> = Vec::new();
        let mut binned: Vec<Id> = Vec::new();

        let random_phone = |rng: &mut StdRng| -> String {
            match rng.random_range(0..3) {
                0 => format!("138{:08}", rng.random_range(0..100_000_000u32)),
                1 => format!(
                    "010-{:04} {:04}",
                    rng.random_range(0..10_000),
                    rng.random_range(0..10_000)
                ),
                _ => format!("{}", rng.random_range(100..100_000u32)),
            }
        };
        let random_customer = |rng: &mut StdRng, c: &mut Customer| {
            let pieces = rng.random_range(1..5);
            c.name = (0..pieces)
                .map(|_| PIECES[rng.random_range(0..PIECES.len())])
                .collect();
            c.email = rng.random_bool(0.6).then(|| {
                format!(
                    "{}@{}.com",
                    LATIN[rng.random_range(0..LATIN.len())],
                    LATIN[rng.random_range(0..LATIN.len())]
                )
            });
            c.phone = rng.random_bool(0.8).then(|| random_phone(rng));
            c.owner =
                [None, Some(owners[0]), Some(owners[1]), Some(owners[2])][rng.random_range(0..4)];
            c.region = [None, Some("北京"), Some("上海"), Some("Guangzhou")]
                [rng.random_range(0..4)]
            .map(str::to_string);
            c.customer_type = ["potential", "signed"][rng.random_range(0..2)].into();
            c.tags = ["重点", "VIP"]
                .into_iter()
                .filter(|_| rng.random_bool(0.3))
                .map(str::to_string)
                .collect();
            c.hot = rng
                .random_bool(0.2)
                .then(|| crate::model::HotFlag { hint: "快".into() });
            // Few distinct instants, so ties fall to the id.
            c.updated_at = base + chrono::Duration::seconds(rng.random_range(0..40));
        };
        let random_contact = |rng: &mut StdRng, customer: Id| -> Contact {
            let mut p = contact(customer, PEOPLE[rng.random_range(0..PEOPLE.len())]);
            p.phones = (0..rng.random_range(0..3))
                .map(|_| random_phone(rng))
                .collect();
            p.email = rng
                .random_bool(0.5)
                .then(|| format!("{}@mail.cn", LATIN[rng.random_range(0..LATIN.len())]));
            p
        };
        let new_customer = |rng: &mut StdRng| -> (Customer, Vec<Contact>) {
            let mut c = customer("", None);
            random_customer(rng, &mut c);
            c.created_at = base + chrono::Duration::seconds(rng.random_range(0..40));
            let people = (0..rng.random_range(0..3))
                .map(|_| random_contact(rng, c.id))
                .collect();
            (c, people)
        };

        type Keeps = dyn Fn(&Customer) -> bool;
        let verify = |live: &[Id], round: usize| {
            let customers = store.customers(live).unwrap();
            let mut contacts: Vec<Contact> = Vec::new();
            let mut last: HashMap<Id, Option<i64>> = HashMap::new();
            for c in &customers {
                contacts.extend(store.contacts_of(c.id).unwrap());
                last.insert(c.id, store.last_activity(c.id).unwrap().map(micros));
            }
            let dir = store.directory();
            // Every order, with and without filters, as a sort of them all.
            let viewers: [Option<&[Id]>; 2] = [None, Some(&owners[..1])];
            for viewer in viewers {
                let sees =
                    |c: &Customer| viewer.is_none_or(|v| c.owner.is_none_or(|o| v.contains(&o)));
                let filters: [(CustomerQuery, &Keeps); 5] = [
                    (all(), &|_| true),
                    (
                        CustomerQuery {
                            region: "guangzhou".into(),
                            ..all()
                        },
                        &|c| c.region.as_deref() == Some("Guangzhou"),
                    ),
                    (
                        CustomerQuery {
                            tag: "重点".into(),
                            ..all()
                        },
                        &|c| c.tags.iter().any(|t| t == "重点"),
                    ),
                    (
                        CustomerQuery {
                            customer_type: "signed".into(),
                            hot: Some(true),
                            ..all()
                        },
                        &|c| c.customer_type == "signed" && c.hot.is_some(),
                    ),
                    (
                        CustomerQuery {
                            owner: OwnerFilter::Pool,
                            ..all()
                        },
                        &|c| c.owner.is_none(),
                    ),
                ];
                for (filter, keeps) in &filters {
                    for sort in [
                        SortBy::Updated,
                        SortBy::Name,
                        SortBy::Created,
                        SortBy::LastActivity,
                    ] {
                        for descending in [false, true] {
                            let mut want: Vec<&Customer> =
                                customers.iter().filter(|c| sees(c) && keeps(c)).collect();
                            want.sort_by(|a, b| {
                                let primary = match sort {
                                    SortBy::Updated => a.updated_at.cmp(&b.updated_at),
                                    SortBy::Created => a.created_at.cmp(&b.created_at),
                                    SortBy::LastActivity => last[&a.id].cmp(&last[&b.id]),
                                    SortBy::Name => a.name.cmp(&b.name),
                                };
                                let ordered = primary.then(a.id.cmp(&b.id));
                                if descending {
                                    ordered.reverse()
                                } else {
                                    ordered
                                }
                            });
                            for offset in [0, 7, 40] {
                                let q = CustomerQuery {
                                    sort,
                                    descending,
                                    offset,
                                    limit: 10,
                                    ..filter.clone()
                                };
                                let page: Vec<Id> =
                                    want.iter().skip(offset).take(10).map(|c| c.id).collect();
                                assert_eq!(
                                    dir.page_uncounted(&q, viewer),
                                    page,
                                    "uncounted: round {round}, {q:?}, viewer {viewer:?}"
                                );
                                assert_eq!(
                                    dir.query(&q, viewer),
                                    (want.len(), page),
                                    "round {round}, {q:?}, viewer {viewer:?}"
                                );
                            }
                        }
                    }
                }
                // The search box, ranked as before: names starting with the
                // text, then shorter names, then ids; contacts by name length.
                for term in [
                    "星",
                    "科技",
                    "星辰科",
                    "京星辰科技",
                    "北京星辰科技",
                    "伟",
                    "张伟",
                    "a",
                    "ab",
                    "acm",
                    "data",
                    "soft@",
                    "link.c",
                    "1",
                    "13",
                    "138",
                    "0101",
                    "12345",
                    "138001",
                    "@",
                    "Acme",
                    "ACME D",
                ] {
                    let folded = fold(term);
                    let digits: String = folded.chars().filter(char::is_ascii_digit).collect();
                    let holds =
                        |name: &str, email: Option<&str>, phones: &[&str]| -> Option<bool> {
                            let name = fold(name);
                            if name.starts_with(&folded) {
                                return Some(true);
                            }
                            let in_words = name.contains(&folded)
                                || email.is_some_and(|e| fold(e).contains(&folded));
                            let in_phones = digits.len() >= 3
                                && phones.iter().any(|p| {
                                    p.chars()
                                        .filter(char::is_ascii_digit)
                                        .collect::<String>()
                                        .contains(&digits)
                                });
                            (in_words || in_phones).then_some(false)
                        };
                    let mut firms: Vec<(bool, u32, Id)> = customers
                        .iter()
                        .filter(|c| sees(c))
                        .filter_map(|c| {
                            let prefix = holds(
                                &c.name,
                                c.email.as_deref(),
                                &[c.phone.as_deref().unwrap_or("")],
                            )?;
                            Some((!prefix, chars(&c.name), c.id))
                        })
                        .collect();
                    firms.sort();
                    let by_id: HashMap<Id, &Customer> =
                        customers.iter().map(|c| (c.id, c)).collect();
                    let mut people: Vec<(u32, Id, &Contact)> = contacts
                        .iter()
                        .filter(|p| sees(by_id[&p.customer_id]))
                        .filter(|p| {
                            let phones: Vec<&str> = p.phones.iter().map(String::as_str).collect();
                            holds(&p.name, p.email.as_deref(), &phones).is_some()
                        })
                        .map(|p| (chars(&p.name), p.id, p))
                        .collect();
                    people.sort_by_key(|(len, id, _)| (*len, *id));
                    // A long page reads past the names that start with the text.
                    for limit in [10, 150] {
                        let want: Vec<(Id, Option<String>)> = firms
                            .iter()
                            .take(limit)
                            .map(|(_, _, id)| (*id, None))
                            .chain(
                                people
                                    .iter()
                                    .take(limit)
                                    .map(|(_, _, p)| (p.customer_id, Some(p.name.clone()))),
                            )
                            .collect();
                        let got: Vec<(Id, Option<String>)> = dir
                            .search(term, viewer, limit)
                            .into_iter()
                            .map(|h| (h.customer, h.contact_name))
                            .collect();
                        assert_eq!(
                            got, want,
                            "round {round}, term {term:?}, viewer {viewer:?}, limit {limit}"
                        );
                    }
                    if let Some(q) = needle(term) {
                        assert_eq!(dir.text.find(&q), dir.text.scan(&q), "term {term:?}");
                    }
                }
            }
        };

        for round in 0..2_500usize {
            let roll = rng.random_range(0..100);
            if roll < 35 || live.len() < 5 {
                let (c, people) = new_customer(&mut rng);
                store.insert_customer(&c, &people).unwrap();
                live.push(c.id);
            } else if roll < 60 {
                let id = live[rng.random_range(0..live.len())];
                let mut c = store.customer(id).unwrap().unwrap();
                random_customer(&mut rng, &mut c);
                store.update_customer(&c, &[]).unwrap();
            } else if roll < 70 {
                let id = live.swap_remove(rng.random_range(0..live.len()));
                store.recycle_customer(id, Utc::now(), Id(0)).unwrap();
                binned.push(id);
            } else if roll < 77 && !binned.is_empty() {
                let id = binned.swap_remove(rng.random_range(0..binned.len()));
                store.restore_customer(id, Utc::now(), Id(0)).unwrap();
                live.push(id);
            } else if roll < 84 {
                let mut writes = Vec::new();
                for _ in 0..rng.random_range(1..6) {
                    let (c, people) = new_customer(&mut rng);
                    live.push(c.id);
                    writes.push(ImportWrite::Create(c, people));
                }
                let id = live[rng.random_range(0..live.len() - writes.len())];
                writes.push(ImportWrite::AddContacts(
                    id,
                    vec![random_contact(&mut rng, id)],
                ));
                store.import_batch(&writes).unwrap();
            } else if roll < 92 {
                let id = live[rng.random_range(0..live.len())];
                store.insert_contact(&random_contact(&mut rng, id)).unwrap();
            } else if roll < 96 {
                let id = live[rng.random_range(0..live.len())];
                if let Some(p) = store.contacts_of(id).unwrap().first() {
                    let change = FieldChange {
                        record: id,
                        by: Id(0),
                        at: Utc::now(),
                        field: "contact".into(),
                        old: p.name.clone(),
                        new: String::new(),
                    };
                    store.recycle_contact(p.id, &change).unwrap();
                }
            } else {
                let id = live[rng.random_range(0..live.len())];
                let at = base + chrono::Duration::seconds(rng.random_range(0..40));
                store
                    .insert_activity(&Activity {
                        id: Id::generate(),
                        kind: ActivityKind::Call,
                        customer_id: id,
                        contact_id: None,
                        at,
                        duration_minutes: None,
                        text: "回访".into(),
                        by: Id(0),
                        created_at: at,
                        deal_id: None,
                    })
                    .unwrap();
            }
            if round % 500 == 499 {
                verify(&live, round);
            }
        }
        assert!(store.check_consistency().unwrap().is_consistent());
    }
}
