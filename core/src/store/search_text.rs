//! The searchable text of every customer and contact in two flat buffers:
//! names with emails, and phone digits. A search is then one sequential scan
//! of each (memchr's memmem) instead of a pointer chase through 300,000
//! rows of scattered strings, which at the `large` size was the difference
//! between about 140 ms and a few.
//!
//! A changed row is appended and its old text marked dead; the buffers are
//! compacted once most of them is dead. The directory's rows remember their
//! entry's number, so no map from row to number is needed; compaction tells
//! them their new numbers.

use memchr::memmem::Finder;

/// What a stretch of text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Entry {
    Customer(u128),
    Contact(u128),
    /// A deal's title; deals keep a buffer of their own (`deal_boards.rs`).
    Deal(u128),
}

/// Between the fields of an entry; never part of a needle.
const FIELD: u8 = 1;

#[derive(Default)]
pub(super) struct SearchText {
    words: Buffer,
    phones: Buffer,
    /// Entry number → what it is, `None` once replaced or removed.
    entries: Vec<Option<Entry>>,
    dead: usize,
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
    /// an entry's first match is at its start if any is.
    fn find(&self, needle: &str, out: &mut Vec<(u32, bool)>) {
        let finder = Finder::new(needle.as_bytes());
        let mut last = None;
        for at in finder.find_iter(&self.text) {
            let entry = self.starts.partition_point(|&s| s as usize <= at) - 1;
            if last != Some(entry) {
                out.push((entry as u32, self.starts[entry] as usize == at));
                last = Some(entry);
            }
        }
    }
}

/// After a compaction: the new number of each old one, `u32::MAX` for the
/// dead.
pub(super) type Renumbering = Vec<u32>;

impl SearchText {
    /// Adds the text of `entry` and returns its number: `words` are matched
    /// by the folded needle, `phones` by its digits. An entry's older text
    /// must be removed by its number.
    pub(super) fn put<'a>(
        &mut self,
        entry: Entry,
        words: impl IntoIterator<Item = &'a str>,
        phones: impl IntoIterator<Item = &'a str>,
    ) -> u32 {
        let number = self.entries.len() as u32;
        self.entries.push(Some(entry));
        self.words.push(words);
        self.phones.push(phones);
        number
    }

    pub(super) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let buffer = |b: &Buffer| b.text.capacity() + b.starts.capacity() * 4;
        buffer(&self.words)
            + buffer(&self.phones)
            + self.entries.capacity() * size_of::<Option<Entry>>()
    }

    /// Gives back what growing by doubling left unused, once loaded.
    pub(super) fn shrink_to_fit(&mut self) {
        for buffer in [&mut self.words, &mut self.phones] {
            buffer.text.shrink_to_fit();
            buffer.starts.shrink_to_fit();
        }
        self.entries.shrink_to_fit();
    }

    /// Forgets the text numbered `number`. When that triggers a compaction,
    /// returns how every entry was renumbered.
    pub(super) fn remove(&mut self, number: u32) -> Option<Renumbering> {
        let slot = self.entries.get_mut(number as usize)?;
        if slot.take().is_some() {
            self.dead += 1;
        }
        (self.dead > 10_000 && self.dead * 2 > self.entries.len()).then(|| self.compact())
    }

    /// Live entries whose words contain `folded` or whose phones contain
    /// `digits` (when given), oldest text first, each with whether its words
    /// start with `folded` (a name typed from its start ranks first).
    pub(super) fn find(&self, folded: &str, digits: &str) -> Vec<(Entry, bool)> {
        let mut numbers = Vec::new();
        if !folded.is_empty() {
            self.words.find(folded, &mut numbers);
        }
        if !digits.is_empty() {
            let mut phones = Vec::new();
            self.phones.find(digits, &mut phones);
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

    fn compact(&mut self) -> Renumbering {
        let mut fresh = SearchText::default();
        let mut renumbering = vec![u32::MAX; self.entries.len()];
        for (i, entry) in self.entries.iter().enumerate() {
            if let Some(entry) = *entry {
                renumbering[i] = fresh.entries.len() as u32;
                fresh.entries.push(Some(entry));
                for (from, to) in [
                    (&self.words, &mut fresh.words),
                    (&self.phones, &mut fresh.phones),
                ] {
                    to.starts.push(to.text.len() as u32);
                    to.text.extend_from_slice(from.entry(i));
                }
            }
        }
        *self = fresh;
        renumbering
    }
}

/// A needle without the separator, which no text contains inside a field.
pub(super) fn clean(needle: &str) -> String {
    needle.chars().filter(|&c| c != FIELD as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(found: Vec<(Entry, bool)>) -> Vec<Entry> {
        found.into_iter().map(|(e, _)| e).collect::<Vec<_>>()
    }

    #[test]
    fn finds_each_live_entry_once_in_words_or_phones() {
        let mut text = SearchText::default();
        let first = text.put(
            Entry::Customer(1),
            ["北京星辰科技", "sales@xc.cn"],
            ["1381234"],
        );
        text.put(Entry::Contact(2), ["张伟", ""], ["13900001381", "010"]);
        let third = text.put(Entry::Customer(3), ["星辰星辰", ""], []);
        assert_eq!(
            entries(text.find("星辰", "")),
            [Entry::Customer(1), Entry::Customer(3)]
        );
        assert_eq!(
            entries(text.find("138", "138")),
            [Entry::Customer(1), Entry::Contact(2)]
        );
        assert_eq!(
            text.find("星辰", ""),
            [(Entry::Customer(1), false), (Entry::Customer(3), true)],
            "the second starts with the needle"
        );
        // A needle never spans two fields.
        assert!(text.find("cn1381", "").is_empty());
        text.remove(first);
        text.put(Entry::Customer(1), ["上海远景", ""], []);
        assert_eq!(entries(text.find("星辰", "")), [Entry::Customer(3)]);
        text.remove(third);
        assert!(text.find("星辰", "").is_empty());
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
                numbers[id as usize] = text.put(Entry::Customer(id), [name.as_str()], []);
            }
        }
        assert!(compactions > 0 && text.entries.len() < 30_000);
        assert_eq!(entries(text.find("客户42号2", "")), [Entry::Customer(42)]);
        assert!(text.find("号1", "").is_empty());
        assert_eq!(text.find("号2", "").len(), 10_000);
        // Every row still knows its number.
        for (id, &n) in numbers.iter().enumerate() {
            assert_eq!(text.entries[n as usize], Some(Entry::Customer(id as u128)));
        }
    }
}
