//! Every customer in each order the list sorts by, kept by the writes: a
//! page is read off the front (or the back) of an order instead of sorting
//! every row per request.
//!
//! An order is the row slots, sorted by the row's key and then its id (the
//! tie-break the list has always used): 4 bytes a customer. Sets of
//! (key, id) took 27 MB for the four orders of `large`'s 100,000
//! customers, a copy of every name among them; these take 1.6 MB. Finding
//! a row's place is a binary search over the rows; moving the slots after
//! it is a copy of at most 400 KB at 100,000 customers, tens of
//! microseconds a write. Batches (the load at start, an import's thousand
//! rows) are sorted apart and merged in once: a copy of the order and
//! O(batch · log n) comparisons.

use std::cmp::Ordering;

use roaring::RoaringBitmap;

use super::{Row, SortBy};

/// How two rows compare in `sort`, ascending, the id breaking ties.
pub(super) fn compare(sort: SortBy, a: &Row, b: &Row) -> Ordering {
    let primary = match sort {
        SortBy::Updated => a.updated_at.cmp(&b.updated_at),
        SortBy::Created => a.created_at.cmp(&b.created_at),
        SortBy::LastActivity => a.last_activity.cmp(&b.last_activity),
        SortBy::Name => a.name.cmp(&b.name),
    };
    primary.then_with(|| a.id.cmp(&b.id))
}

const SORTS: [SortBy; 4] = [
    SortBy::Updated,
    SortBy::Created,
    SortBy::LastActivity,
    SortBy::Name,
];

#[derive(Default)]
pub(super) struct Orders {
    /// By `SORTS`' order.
    slots: [Vec<u32>; 4],
    /// Rows added while a batch is open, not yet in `slots`.
    pending: RoaringBitmap,
    batch: bool,
}

fn index(sort: SortBy) -> usize {
    SORTS.iter().position(|s| *s == sort).unwrap_or(0)
}

impl Orders {
    /// The orders of `rows`, made at once. O(n log n).
    pub(super) fn of(rows: &[Row]) -> Orders {
        let mut orders = Orders::default();
        orders.open_batch();
        orders.pending.insert_range(0..rows.len() as u32);
        orders.close_batch(rows);
        orders
    }

    /// From now until `close_batch`, added rows wait to be merged in at
    /// once.
    pub(super) fn open_batch(&mut self) {
        self.batch = true;
    }

    pub(super) fn close_batch(&mut self, rows: &[Row]) {
        self.batch = false;
        let mut pending: Vec<u32> = std::mem::take(&mut self.pending).iter().collect();
        if pending.is_empty() {
            return;
        }
        for sort in SORTS {
            pending.sort_unstable_by(|&a, &b| compare(sort, &rows[a as usize], &rows[b as usize]));
            let order = &mut self.slots[index(sort)];
            // Each new row's place by binary search, then one copy of the
            // runs between them: O(batch · log n) comparisons, each a
            // look at two rows, instead of one per row of the order.
            let mut merged = Vec::with_capacity(order.len() + pending.len());
            let mut copied = 0;
            for &slot in &pending {
                let row = &rows[slot as usize];
                let at = copied
                    + order[copied..].partition_point(|&s| {
                        compare(sort, &rows[s as usize], row) == Ordering::Less
                    });
                merged.extend_from_slice(&order[copied..at]);
                merged.push(slot);
                copied = at;
            }
            merged.extend_from_slice(&order[copied..]);
            *order = merged;
        }
    }

    /// Where `slot`, holding `row`, is (or belongs) in `sort`'s order.
    fn place(&self, sort: SortBy, rows: &[Row], row: &Row) -> usize {
        self.slots[index(sort)]
            .partition_point(|&s| compare(sort, &rows[s as usize], row) == Ordering::Less)
    }

    /// Files the row at `slot` in every order.
    pub(super) fn add(&mut self, rows: &[Row], slot: u32) {
        if self.batch {
            self.pending.insert(slot);
            return;
        }
        for sort in SORTS {
            self.add_to(sort, rows, slot);
        }
    }

    fn add_to(&mut self, sort: SortBy, rows: &[Row], slot: u32) {
        let at = self.place(sort, rows, &rows[slot as usize]);
        self.slots[index(sort)].insert(at, slot);
    }

    /// Takes the row at `slot` out of every order; `rows[slot]` must still
    /// hold what it held when added.
    pub(super) fn remove(&mut self, rows: &[Row], slot: u32) {
        if self.pending.remove(slot) {
            return;
        }
        for sort in SORTS {
            self.remove_from(sort, rows, slot);
        }
    }

    fn remove_from(&mut self, sort: SortBy, rows: &[Row], slot: u32) {
        let at = self.place(sort, rows, &rows[slot as usize]);
        let order = &mut self.slots[index(sort)];
        if order.get(at) == Some(&slot) {
            order.remove(at);
        }
    }

    /// The row at `from` is moving to slot `to` (the directory's rows
    /// fill a freed slot with the last row); `rows[from]` is still there.
    pub(super) fn moved(&mut self, rows: &[Row], from: u32, to: u32) {
        if self.pending.remove(from) {
            self.pending.insert(to);
            return;
        }
        for sort in SORTS {
            let at = self.place(sort, rows, &rows[from as usize]);
            if let Some(s) = self.slots[index(sort)].get_mut(at).filter(|s| **s == from) {
                *s = to;
            }
        }
    }

    /// The row at `slot` is about to change its last contact: out of that
    /// order until `contact_changed`.
    pub(super) fn contact_changing(&mut self, rows: &[Row], slot: u32) {
        if !self.pending.contains(slot) {
            self.remove_from(SortBy::LastActivity, rows, slot);
        }
    }

    pub(super) fn contact_changed(&mut self, rows: &[Row], slot: u32) {
        if !self.pending.contains(slot) {
            self.add_to(SortBy::LastActivity, rows, slot);
        }
    }

    /// The slots in `sort` order, reversed when `descending`.
    pub(super) fn iter(
        &self,
        sort: SortBy,
        descending: bool,
    ) -> Box<dyn Iterator<Item = u32> + '_> {
        let order = self.slots[index(sort)].iter().copied();
        if descending {
            Box::new(order.rev())
        } else {
            Box::new(order)
        }
    }

    /// The slots in `sort` order from the first not before `from` (by
    /// `before`, which says whether a row sorts before it).
    pub(super) fn from(
        &self,
        sort: SortBy,
        before: impl Fn(u32) -> bool,
    ) -> impl Iterator<Item = u32> + '_ {
        let order = &self.slots[index(sort)];
        order[order.partition_point(|&s| before(s))..]
            .iter()
            .copied()
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.iter().map(|o| o.capacity() * 4).sum::<usize>()
    }
}
