//! The searchable text of every customer and contact in two flat buffers
//! (names with emails, and phone digits) and an n-gram index over them.
//!
//! The index maps each gram to the entries holding it, as a roaring bitmap:
//! a pair of characters where either is Chinese (or any non-ASCII), three
//! where both leading ones are ASCII (Latin text, digits, emails). Both the
//! text and the needle are cut by the same rule, which looks only at the
//! characters inside the gram, so every gram of a needle is a gram of any
//! text holding it. A search intersects the needle's postings, smallest
//! first, and confirms each candidate on its own text (memchr's memmem on a
//! few dozen bytes), so the index only has to narrow, never to be exact.
//!
//! A needle with no gram (one Chinese character, one or two Latin ones)
//! falls back to one sequential scan of the buffers, as every search did
//! before the index: at the `large` size about 8 ms where the index
//! answers a rare term in microseconds.
//!
//! A changed row is appended and its old text marked dead and taken out of
//! the postings; the buffers are compacted once most of them is dead. The
//! directory's rows remember their entry's number, so no map from row to
//! number is needed; compaction tells them their new numbers and renumbers
//! the postings.
//!
//! Numbers follow ids within a kind, so the search box reads a rank's
//! matches in id order straight off a bitmap and stops when its page is
//! full, instead of reading and sorting every match of the rank (`138`, a
//! mobile prefix, is held by thousands of contacts of the shortest name
//! length). New records get ids above every earlier one (ULIDs) and are
//! appended, which keeps the order; an edited or restored record is
//! appended with an old id and is *displaced*: kept in a bitmap of its
//! own and merged in by id when read. Compaction numbers every live entry
//! in id order again, and runs once displaced entries pass an eighth of
//! the live ones, so the merge stays small.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use memchr::memmem::Finder;
use roaring::RoaringBitmap;

/// What a stretch of text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Entry {
    Customer(u128),
    Contact(u128),
    /// A deal's title; deals keep a buffer of their own (`deal_boards.rs`).
    Deal(u128),
}

/// What kind of record an entry is, to narrow postings to one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Customer,
    Contact,
    Deal,
}

impl Entry {
    pub(super) fn id(&self) -> u128 {
        match *self {
            Entry::Customer(id) | Entry::Contact(id) | Entry::Deal(id) => id,
        }
    }

    pub(super) fn kind(&self) -> Kind {
        match self {
            Entry::Customer(_) => Kind::Customer,
            Entry::Contact(_) => Kind::Contact,
            Entry::Deal(_) => Kind::Deal,
        }
    }
}

/// Between the fields of an entry; never part of a needle.
const FIELD: u8 = 1;

/// No character has this number: marks the missing third of a bigram.
const NO_CHAR: u64 = 0x1F_FFFF;
/// Set on the grams of phones, which are matched by the needle's digits
/// only, and on the first characters of entries.
const PHONE: u64 = 1 << 63;

fn gram(a: char, b: char, c: Option<char>) -> u64 {
    (a as u64) << 42 | (b as u64) << 21 | c.map_or(NO_CHAR, |c| c as u64)
}

/// The key of "the words start with `first`", for ranking names typed from
/// their start first without reading every match.
fn first_key(first: char) -> u64 {
    PHONE | (first as u64) << 42 | NO_CHAR << 21 | NO_CHAR
}

/// The same bitmap with no room to grow: the containers of a bitmap grown
/// value by value have, on average, a third more room than they use. A
/// bitmap read back from its serialized form is allocated to size.
fn exact_copy(bitmap: &RoaringBitmap) -> RoaringBitmap {
    let mut bytes = Vec::with_capacity(bitmap.serialized_size());
    bitmap
        .serialize_into(&mut bytes)
        .expect("writing to a vector cannot fail");
    RoaringBitmap::deserialize_unchecked_from(&bytes[..])
        .expect("a bitmap just serialized reads back")
}

/// Every gram of one field, repeats included.
fn grams(field: &str, mut each: impl FnMut(u64)) {
    let chars: Vec<char> = field.chars().collect();
    for (i, pair) in chars.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        if !a.is_ascii() || !b.is_ascii() {
            each(gram(a, b, None));
        } else if let Some(&c) = chars.get(i + 2) {
            each(gram(a, b, Some(c)));
        }
    }
}

/// The fields of an entry's stretch of a buffer.
fn fields(stretch: &[u8]) -> impl Iterator<Item = &str> {
    stretch
        .split(|&b| b == FIELD)
        .filter(|f| !f.is_empty())
        .map(|f| std::str::from_utf8(f).unwrap_or_default())
}

/// A needle, cut and compiled once for every entry it is tried on.
pub(super) struct Query {
    folded: String,
    digits: String,
    words: Finder<'static>,
    phones: Finder<'static>,
}

impl Query {
    /// `folded` is looked for in the words, `digits` (when not empty) in
    /// the phones.
    pub(super) fn new(folded: &str, digits: &str) -> Query {
        Query {
            folded: folded.to_string(),
            digits: digits.to_string(),
            words: Finder::new(folded.as_bytes()).into_owned(),
            phones: Finder::new(digits.as_bytes()).into_owned(),
        }
    }

    pub(super) fn folded(&self) -> &str {
        &self.folded
    }
}

#[derive(Default)]
pub(super) struct SearchText {
    words: Buffer,
    phones: Buffer,
    /// Entry number → what it is, `None` once replaced or removed.
    entries: Vec<Option<Entry>>,
    dead: usize,
    /// Gram → the live entries holding it.
    postings: HashMap<u64, RoaringBitmap>,
    /// The live entries of each kind, by `Kind as usize`.
    kinds: [RoaringBitmap; 3],
    /// Each entry's rank (the length of its name or title: shorter ranks
    /// first among matches), and the live entries by rank, so the best
    /// matches are found by reading ranks in order instead of all matches.
    rank_of: Vec<u32>,
    ranks: BTreeMap<u32, RoaringBitmap>,
    /// The highest id put of each kind (by `Kind as usize`) since the last
    /// compaction: an entry put with a higher id keeps numbers in id order.
    top: [Option<u128>; 3],
    /// Live entries put with an id not above their kind's `top` (an edit,
    /// a restore): out of id order, merged in by id when read.
    displaced: RoaringBitmap,
}

#[derive(Default)]
struct Buffer {
    text: Vec<u8>,
    /// Where each entry's text starts; an entry ends where the next starts.
    starts: Vec<u32>,
}

impl Buffer {
    fn push<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        self.starts.push(self.text.len() as u32);
        for field in fields {
            self.text.extend_from_slice(field.as_bytes());
            self.text.push(FIELD);
        }
    }

    fn entry(&self, i: usize) -> &[u8] {
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&s| s as usize);
        &self.text[self.starts[i] as usize..end]
    }

    /// Entry numbers whose text contains `needle`, in order, each once, and
    /// whether the text starts with it. The leftmost match comes first, so
    /// an entry's first match is at its start if any is. O(buffer).
    fn scan(&self, needle: &Finder, out: &mut Vec<(u32, bool)>) {
        let mut last = None;
        for at in needle.find_iter(&self.text) {
            let entry = self.starts.partition_point(|&s| s as usize <= at) - 1;
            if last != Some(entry) {
                out.push((entry as u32, self.starts[entry] as usize == at));
                last = Some(entry);
            }
        }
    }
}

/// Past this many displaced entries (and an eighth of the live ones), the
/// next removal compacts. Tests use a low bound so that their few hundred
/// edits compact.
const DISPLACED_FROM: usize = if cfg!(test) { 64 } else { 4_096 };

/// After a compaction: the new number of each old one, `u32::MAX` for the
/// dead.
pub(super) type Renumbering = Vec<u32>;

impl SearchText {
    /// Adds the text of `entry` and returns its number: `words` are matched
    /// by the folded needle, `phones` by its digits; among matches, lower
    /// `rank`s come first. An entry's older text must be removed by its
    /// number.
    pub(super) fn put<'a>(
        &mut self,
        entry: Entry,
        rank: u32,
        words: impl IntoIterator<Item = &'a str>,
        phones: impl IntoIterator<Item = &'a str>,
    ) -> u32 {
        let number = self.entries.len() as u32;
        let top = &mut self.top[entry.kind() as usize];
        if top.is_some_and(|top| entry.id() <= top) {
            self.displaced.insert(number);
        } else {
            *top = Some(entry.id());
        }
        self.entries.push(Some(entry));
        self.rank_of.push(rank);
        self.ranks.entry(rank).or_default().insert(number);
        self.words.push(words);
        self.phones.push(phones);
        self.kinds[entry.kind() as usize].insert(number);
        let postings = &mut self.postings;
        Self::each_key(&self.words, &self.phones, number, |key| {
            postings.entry(key).or_default().insert(number);
        });
        number
    }

    /// The live entries of one kind.
    pub(super) fn of_kind(&self, kind: Kind) -> &RoaringBitmap {
        &self.kinds[kind as usize]
    }

    /// The live entries by rank, lowest first.
    pub(super) fn by_rank(&self) -> impl Iterator<Item = &RoaringBitmap> {
        self.ranks.values()
    }

    /// Every index key of entry `number`, repeats included.
    fn each_key(words: &Buffer, phones: &Buffer, number: u32, mut each: impl FnMut(u64)) {
        let i = number as usize;
        let stretch = words.entry(i);
        if stretch.first() != Some(&FIELD)
            && let Some(first) = fields(stretch).next().and_then(|f| f.chars().next())
        {
            each(first_key(first));
        }
        for field in fields(stretch) {
            grams(field, &mut each);
        }
        for field in fields(phones.entry(i)) {
            grams(field, |key| each(key | PHONE));
        }
    }

    /// Roughly the heap bytes the buffers hold (allocator overhead left out).
    pub(super) fn buffer_bytes(&self) -> usize {
        use std::mem::size_of;
        let buffer = |b: &Buffer| b.text.capacity() + b.starts.capacity() * 4;
        buffer(&self.words)
            + buffer(&self.phones)
            + self.entries.capacity() * size_of::<Option<Entry>>()
            + self.rank_of.capacity() * 4
    }

    /// Roughly the heap bytes the index holds, from the bitmaps' container
    /// sizes (allocator overhead left out).
    pub(super) fn index_bytes(&self) -> usize {
        use std::mem::size_of;
        let map = self.postings.capacity() * (size_of::<(u64, RoaringBitmap)>() + 1);
        // A container is a key and a store (a vector or a boxed bitmap).
        let containers: usize = self
            .postings
            .values()
            .map(|b| {
                let s = b.statistics();
                s.n_containers as usize * 32
                    + (s.n_bytes_array_containers
                        + s.n_bytes_run_containers
                        + s.n_bytes_bitset_containers) as usize
            })
            .sum();
        map + containers
    }

    /// How many grams the index holds, and postings in all.
    pub(super) fn index_size(&self) -> (usize, u64) {
        (
            self.postings.len(),
            self.postings.values().map(RoaringBitmap::len).sum(),
        )
    }

    /// Gives back what growing by doubling left unused, once loaded.
    pub(super) fn shrink_to_fit(&mut self) {
        for buffer in [&mut self.words, &mut self.phones] {
            buffer.text.shrink_to_fit();
            buffer.starts.shrink_to_fit();
        }
        self.entries.shrink_to_fit();
        self.rank_of.shrink_to_fit();
        self.postings.shrink_to_fit();
        for bitmap in self.postings.values_mut() {
            *bitmap = exact_copy(bitmap);
        }
    }

    /// Forgets the text numbered `number`. When that triggers a compaction,
    /// returns how every entry was renumbered.
    pub(super) fn remove(&mut self, number: u32) -> Option<Renumbering> {
        let slot = self.entries.get_mut(number as usize)?;
        if let Some(entry) = slot.take() {
            self.dead += 1;
            self.displaced.remove(number);
            self.kinds[entry.kind() as usize].remove(number);
            let rank = self.rank_of[number as usize];
            if let Some(ranked) = self.ranks.get_mut(&rank)
                && ranked.remove(number)
                && ranked.is_empty()
            {
                self.ranks.remove(&rank);
            }
            let postings = &mut self.postings;
            Self::each_key(&self.words, &self.phones, number, |key| {
                if let Some(list) = postings.get_mut(&key)
                    && list.remove(number)
                    && list.is_empty()
                {
                    postings.remove(&key);
                }
            });
        }
        let displaced = self.displaced.len() as usize;
        let compact = (self.dead > 10_000 && self.dead * 2 > self.entries.len())
            || (displaced > DISPLACED_FROM && displaced * 8 > self.live());
        compact.then(|| self.compact())
    }

    /// The entries of `matches`, all of one kind, in id order, read lazily:
    /// those in number order straight off the bitmap, merged with the
    /// displaced ones among them, which are put in a heap by id first.
    /// O(displaced matches + entries read · log displaced matches).
    pub(super) fn in_id_order(&self, matches: RoaringBitmap) -> InIdOrder<'_> {
        let (ordered, displaced) = if matches.is_disjoint(&self.displaced) {
            (matches, BinaryHeap::new())
        } else {
            let displaced = (&matches & &self.displaced)
                .iter()
                .filter_map(|n| Some(Reverse((self.entry_of(n)?.id(), n))))
                .collect();
            (matches - &self.displaced, displaced)
        };
        InIdOrder {
            text: self,
            ordered: ordered.into_iter().peekable(),
            displaced,
        }
    }

    /// How many live entries are out of id order.
    #[cfg(test)]
    pub(super) fn displaced(&self) -> u64 {
        self.displaced.len()
    }

    /// The postings of every gram of `needle` (phones' when `kind` is
    /// `PHONE`), shortest first, and whether they are exact (the needle is
    /// one gram); `None` when it has no gram. An empty list stands for a
    /// gram no entry holds.
    fn lists(&self, needle: &str, kind: u64) -> Option<(Vec<Option<&RoaringBitmap>>, bool)> {
        let mut keys = Vec::new();
        grams(needle, |key| keys.push(key | kind));
        if keys.is_empty() {
            return None;
        }
        keys.sort_unstable();
        keys.dedup();
        let length = needle.chars().count();
        let exact = keys.len() == 1
            && match keys[0] & ((1 << 21) - 1) {
                NO_CHAR => length == 2,
                _ => length == 3,
            };
        let mut lists: Vec<Option<&RoaringBitmap>> =
            keys.iter().map(|k| self.postings.get(k)).collect();
        lists.sort_by_key(|l| l.map_or(0, |l| l.len()));
        Some((lists, exact))
    }

    /// The entries that may hold the needle: the intersection of its
    /// grams' postings, smallest first, words' and phones' united, and
    /// whether every one of them does (the needle is a single gram, such as
    /// 科技 or 138, so no candidate needs confirming). `None` when the
    /// index cannot tell. O(shortest posting · grams).
    pub(super) fn candidates(&self, q: &Query) -> Option<(RoaringBitmap, bool)> {
        let intersect = |needle: &str, kind| -> Option<(RoaringBitmap, bool)> {
            if needle.is_empty() {
                return Some((RoaringBitmap::new(), true));
            }
            let (lists, exact) = self.lists(needle, kind)?;
            let Some(first) = lists[0] else {
                return Some((RoaringBitmap::new(), true));
            };
            let mut out = first.clone();
            for list in lists[1..].iter().flatten() {
                out &= *list;
            }
            Some((out, exact))
        };
        let (words, exact_words) = intersect(&q.folded, 0)?;
        let (phones, exact_phones) = intersect(&q.digits, PHONE)?;
        Some((words | phones, exact_words && exact_phones))
    }

    /// Whether entry `number`'s words start with the folded needle.
    pub(super) fn starts_with(&self, number: u32, q: &Query) -> bool {
        self.words
            .entry(number as usize)
            .starts_with(q.folded.as_bytes())
    }

    /// Whether live entry `number` holds the needle: `Some(true)` when its
    /// words start with it, `Some(false)` when they or its phones hold it
    /// elsewhere, `None` when it does not (or the entry is dead). O(its text).
    pub(super) fn holds(&self, number: u32, q: &Query) -> Option<bool> {
        self.entries.get(number as usize).copied().flatten()?;
        let i = number as usize;
        if !q.folded.is_empty() {
            let words = self.words.entry(i);
            if words.starts_with(q.folded.as_bytes()) {
                return Some(true);
            }
            if q.words.find(words).is_some() {
                return Some(false);
            }
        }
        (!q.digits.is_empty() && q.phones.find(self.phones.entry(i)).is_some()).then_some(false)
    }

    /// What live entry `number` is.
    pub(super) fn entry_of(&self, number: u32) -> Option<Entry> {
        self.entries.get(number as usize).copied().flatten()
    }

    /// Live entries of `kind` whose words start with the folded needle, in
    /// number order: the postings of its first character, each confirmed.
    /// O(entries of that kind starting with that character).
    pub(super) fn starting_with(&self, q: &Query, kind: Kind) -> Vec<u32> {
        let Some(list) = q
            .folded
            .chars()
            .next()
            .and_then(|first| self.postings.get(&first_key(first)))
        else {
            return Vec::new();
        };
        (list & self.of_kind(kind))
            .iter()
            .filter(|&n| {
                self.words
                    .entry(n as usize)
                    .starts_with(q.folded.as_bytes())
            })
            .collect()
    }

    /// Live entries whose words contain the folded needle or whose phones
    /// contain its digits (when given), in number order, each with whether
    /// its words start with the needle (a name typed from its start ranks
    /// first). By the index when the needle has grams, O(candidates);
    /// otherwise one scan of the buffers, O(all text).
    pub(super) fn find(&self, q: &Query) -> Vec<(Entry, bool)> {
        if let Some((candidates, _)) = self.candidates(q) {
            return candidates
                .iter()
                .filter_map(|n| Some((self.entry_of(n)?, self.holds(n, q)?)))
                .collect();
        }
        self.scan(q)
    }

    /// `find` by reading every byte: what the index is checked against, and
    /// the answer for needles it cannot narrow.
    pub(super) fn scan(&self, q: &Query) -> Vec<(Entry, bool)> {
        let mut numbers = Vec::new();
        if !q.folded.is_empty() {
            self.words.scan(&q.words, &mut numbers);
        }
        if !q.digits.is_empty() {
            let mut phones = Vec::new();
            self.phones.scan(&q.phones, &mut phones);
            numbers.extend(phones.into_iter().map(|(n, _)| (n, false)));
            // A prefix match of the words first, so dedup keeps it.
            numbers.sort_unstable_by_key(|&(n, prefix)| (n, !prefix));
            numbers.dedup_by_key(|&mut (n, _)| n);
        }
        numbers
            .into_iter()
            .filter_map(|(n, prefix)| self.entries[n as usize].map(|e| (e, prefix)))
            .collect()
    }

    /// What a live entry is and its words and phones, for the consistency
    /// check; `None` for a dead or unknown number.
    pub(super) fn entry(&self, number: u32) -> Option<(Entry, &[u8], &[u8])> {
        let entry = (*self.entries.get(number as usize)?)?;
        let i = number as usize;
        Some((entry, self.words.entry(i), self.phones.entry(i)))
    }

    /// How many entries are live.
    pub(super) fn live(&self) -> usize {
        self.entries.len() - self.dead
    }

    /// What is wrong with the index, for the consistency check: it should
    /// hold every key of every live entry and nothing else. O(all postings).
    pub(super) fn index_problems(&self) -> Vec<String> {
        let mut want: HashMap<u64, RoaringBitmap> = HashMap::new();
        for (n, entry) in self.entries.iter().enumerate() {
            if entry.is_some() {
                let n = n as u32;
                Self::each_key(&self.words, &self.phones, n, |key| {
                    want.entry(key).or_default().insert(n);
                });
            }
        }
        let mut out = Vec::new();
        let mut ranks: BTreeMap<u32, RoaringBitmap> = BTreeMap::new();
        for (n, entry) in self.entries.iter().enumerate() {
            if entry.is_some() {
                ranks.entry(self.rank_of[n]).or_default().insert(n as u32);
            }
        }
        if ranks != self.ranks {
            out.push("the search index's entries by rank differ from their ranks".into());
        }
        // Within a kind, the entries not displaced follow ids, the
        // displaced are live, and no id is above its kind's top.
        let mut last: [Option<u128>; 3] = [None; 3];
        for (n, entry) in self.entries.iter().enumerate() {
            let Some(entry) = entry else { continue };
            let kind = entry.kind() as usize;
            if self.top[kind].is_none_or(|top| entry.id() > top) {
                out.push(format!(
                    "the search index's entry {n} is above its kind's top id"
                ));
            }
            if self.displaced.contains(n as u32) {
                continue;
            }
            if last[kind].is_some_and(|last| last >= entry.id()) {
                out.push(format!(
                    "the search index's entry {n} is out of id order and not displaced"
                ));
            }
            last[kind] = Some(entry.id());
        }
        if let Some(n) = self.displaced.iter().find(|&n| self.entry_of(n).is_none()) {
            out.push(format!(
                "the search index's displaced entry {n} is not live"
            ));
        }
        for kind in [Kind::Customer, Kind::Contact, Kind::Deal] {
            let live = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_some_and(|e| e.kind() == kind))
                .map(|(n, _)| n as u32)
                .collect::<RoaringBitmap>();
            if &live != self.of_kind(kind) {
                out.push(format!("the search index's {kind:?} entries differ"));
            }
        }
        for (key, list) in &want {
            match self.postings.get(key) {
                Some(held) if held == list => {}
                Some(held) => out.push(format!(
                    "the search index's gram {key:#x} lists {} entries, its text {}",
                    held.len(),
                    list.len()
                )),
                None => out.push(format!(
                    "the search index lacks gram {key:#x} of {} entries",
                    list.len()
                )),
            }
        }
        for key in self.postings.keys().filter(|k| !want.contains_key(k)) {
            out.push(format!(
                "the search index holds gram {key:#x}, which no text has"
            ));
        }
        out
    }

    /// Keeps the live entries only, numbered in id order (ties, which only
    /// differing kinds can have, by old number), so none is displaced.
    fn compact(&mut self) -> Renumbering {
        let mut live: Vec<(u128, u32)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.as_ref()?.id(), i as u32)))
            .collect();
        live.sort_unstable();
        let mut fresh = SearchText::default();
        let mut renumbering = vec![u32::MAX; self.entries.len()];
        for &(id, old) in &live {
            let i = old as usize;
            let Some(entry) = self.entries[i] else {
                continue;
            };
            let number = fresh.entries.len() as u32;
            renumbering[i] = number;
            fresh.kinds[entry.kind() as usize].insert(number);
            let top = &mut fresh.top[entry.kind() as usize];
            *top = (*top).max(Some(id));
            fresh.rank_of.push(self.rank_of[i]);
            fresh
                .ranks
                .entry(self.rank_of[i])
                .or_default()
                .insert(number);
            fresh.entries.push(Some(entry));
            for (from, to) in [
                (&self.words, &mut fresh.words),
                (&self.phones, &mut fresh.phones),
            ] {
                to.starts.push(to.text.len() as u32);
                to.text.extend_from_slice(from.entry(i));
            }
        }
        // Only live entries are posted. The new numbers no longer keep the
        // old order, so each list is sorted before it is rebuilt.
        let mut numbers = Vec::new();
        fresh.postings = std::mem::take(&mut self.postings)
            .into_iter()
            .map(|(key, list)| {
                numbers.clear();
                numbers.extend(list.iter().map(|n| renumbering[n as usize]));
                numbers.sort_unstable();
                let list = RoaringBitmap::from_sorted_iter(numbers.iter().copied())
                    .expect("sorted numbers");
                (key, list)
            })
            .collect();
        *self = fresh;
        renumbering
    }
}

/// `SearchText::in_id_order`'s reading.
pub(super) struct InIdOrder<'a> {
    text: &'a SearchText,
    ordered: std::iter::Peekable<roaring::bitmap::IntoIter>,
    displaced: BinaryHeap<Reverse<(u128, u32)>>,
}

impl Iterator for InIdOrder<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let Some(&Reverse((id, n))) = self.displaced.peek() else {
            return self.ordered.next();
        };
        let ordered_first = self
            .ordered
            .peek()
            .is_some_and(|&o| self.text.entry_of(o).is_some_and(|e| e.id() < id));
        if ordered_first {
            return self.ordered.next();
        }
        self.displaced.pop();
        Some(n)
    }
}

/// A needle without the separator, which no text contains inside a field.
pub(super) fn clean(needle: &str) -> String {
    needle.chars().filter(|&c| c != FIELD as char).collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &SearchText, folded: &str, digits: &str) -> Vec<(Entry, bool)> {
        let q = Query::new(folded, digits);
        let found = text.find(&q);
        assert_eq!(found, text.scan(&q), "the index and the scan disagree");
        found
    }

    fn entries(found: Vec<(Entry, bool)>) -> Vec<Entry> {
        found.into_iter().map(|(e, _)| e).collect::<Vec<_>>()
    }

    #[test]
    fn finds_each_live_entry_once_in_words_or_phones() {
        let mut text = SearchText::default();
        let first = text.put(
            Entry::Customer(1),
            0,
            ["北京星辰科技", "sales@xc.cn"],
            ["1381234"],
        );
        text.put(Entry::Contact(2), 0, ["张伟", ""], ["13900001381", "010"]);
        let third = text.put(Entry::Customer(3), 0, ["星辰星辰", ""], []);
        assert_eq!(
            entries(find(&text, "星辰", "")),
            [Entry::Customer(1), Entry::Customer(3)]
        );
        assert_eq!(
            entries(find(&text, "138", "138")),
            [Entry::Customer(1), Entry::Contact(2)]
        );
        assert_eq!(
            find(&text, "星辰", ""),
            [(Entry::Customer(1), false), (Entry::Customer(3), true)],
            "the second starts with the needle"
        );
        // A needle never spans two fields.
        assert!(find(&text, "cn1381", "").is_empty());
        text.remove(first);
        text.put(Entry::Customer(1), 0, ["上海远景", ""], []);
        assert_eq!(entries(find(&text, "星辰", "")), [Entry::Customer(3)]);
        text.remove(third);
        assert!(find(&text, "星辰", "").is_empty());
    }

    /// Numbers of entries put in id order, then edited and restored out of
    /// it: each kind is read back in id order, and once enough are
    /// displaced a removal numbers them in id order again.
    #[test]
    fn matches_are_read_in_id_order_whatever_order_they_were_put_in() {
        let mut text = SearchText::default();
        let mut numbers: HashMap<u128, u32> = HashMap::new();
        for id in 1..=400u128 {
            let n = text.put(Entry::Contact(id), 3, ["王小明"], ["13800000000"]);
            numbers.insert(id, n);
        }
        text.put(Entry::Customer(1), 4, ["星辰科技"], ["13811111111"]);
        let contacts = |text: &SearchText| -> Vec<u128> {
            let matches = text.of_kind(Kind::Contact).clone();
            text.in_id_order(matches)
                .map(|n| text.entry_of(n).unwrap().id())
                .collect()
        };
        // Edits append old ids: every third contact, from the last down.
        let mut compacted = false;
        for id in (1..=400u128).rev().filter(|id| id % 3 == 0) {
            if let Some(renumbering) = text.remove(numbers[&id]) {
                compacted = true;
                for n in numbers.values_mut() {
                    *n = renumbering[*n as usize];
                }
            }
            let n = text.put(Entry::Contact(id), 3, ["王小明"], ["13800000001"]);
            numbers.insert(id, n);
            assert!(
                text.index_problems().is_empty(),
                "{:?}",
                text.index_problems()
            );
            let ids = contacts(&text);
            assert_eq!(ids, (1..=400).collect::<Vec<u128>>());
        }
        assert!(compacted, "displacing a third of the entries compacts");
        let before_last = text.displaced();
        assert!(before_last > 0 && before_last < 64);
        // A restored contact with the lowest id comes first.
        text.remove(numbers[&1]);
        numbers.insert(1, text.put(Entry::Contact(1), 3, ["王"], ["138"]));
        assert_eq!(contacts(&text), (1..=400).collect::<Vec<u128>>());
        let found = text.find(&Query::new("138", "138"));
        assert_eq!(found.len(), 401);
        assert!(text.index_problems().is_empty());
        // The consistency check notices an entry out of order that is not
        // marked displaced.
        let restored = numbers[&1];
        text.displaced.remove(restored);
        assert!(
            text.index_problems()
                .iter()
                .any(|p| p.contains("out of id order")),
            "{:?}",
            text.index_problems()
        );
    }

    #[test]
    fn compacting_keeps_what_is_live_and_renumbers_it() {
        let mut text = SearchText::default();
        let mut numbers = vec![u32::MAX; 10_000];
        let mut compactions = 0;
        for round in 0..3u128 {
            for id in 0..10_000u128 {
                let name = format!("客户{id}号{round}");
                if let Some(renumbering) = text.remove(numbers[id as usize]) {
                    compactions += 1;
                    for n in numbers.iter_mut().filter(|n| **n != u32::MAX) {
                        *n = renumbering[*n as usize];
                    }
                }
                numbers[id as usize] = text.put(Entry::Customer(id), 0, [name.as_str()], []);
            }
        }
        assert!(compactions > 0 && text.entries.len() < 30_000);
        assert_eq!(entries(find(&text, "客户42号2", "")), [Entry::Customer(42)]);
        assert!(find(&text, "号1", "").is_empty());
        assert_eq!(find(&text, "号2", "").len(), 10_000);
        // Every row still knows its number.
        for (id, &n) in numbers.iter().enumerate() {
            assert_eq!(text.entries[n as usize], Some(Entry::Customer(id as u128)));
        }
    }
}
