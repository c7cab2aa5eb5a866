//! Answers kept for as long as what they were worked out from stays the
//! same: a dashboard that 50 people open between two writes is worked out
//! once. Each answer is kept under its key, which holds the state of the
//! data it read (change counts) besides who asked and with which filters;
//! keeping a new answer drops those of another state, and the oldest once
//! there are more than a handful.

use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;

/// The key answers are kept under: the state of the data they read (two
/// change counts, e.g. a structure's generation and `Store::changes`; 0
/// for one not read), the question (who asked, with which filters), and
/// the company's day. Read the state before the data, so an answer worked
/// out across a write is kept under the state before it, where no later
/// reader looks.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Asked<Q> {
    pub state: (u64, u64),
    pub question: Q,
    pub today: NaiveDate,
}

impl<Q> Asked<Q> {
    /// Whether two keys are of the same state of the data and day.
    pub fn same_state(a: &Self, b: &Self) -> bool {
        (a.state, a.today) == (b.state, b.today)
    }
}

pub(super) struct Kept<K, V> {
    answers: Mutex<Vec<(K, V)>>,
    room: usize,
}

impl<K: PartialEq, V: Clone> Kept<K, V> {
    pub(super) const fn new(room: usize) -> Self {
        Kept {
            answers: Mutex::new(Vec::new()),
            room,
        }
    }

    /// The answer kept for `key`, else the one `work_out` gives, kept.
    /// `same_state` tells whether two keys are of the same state of the
    /// data. Nothing is locked while working out: two readers may both do
    /// it, and the second answer is kept.
    pub(super) fn answer<E>(
        &self,
        key: K,
        same_state: impl Fn(&K, &K) -> bool,
        work_out: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some((_, answer)) = self.lock().iter().find(|(k, _)| *k == key) {
            return Ok(answer.clone());
        }
        let answer = work_out()?;
        let mut answers = self.lock();
        answers.retain(|(k, _)| same_state(k, &key) && *k != key);
        if answers.len() >= self.room {
            answers.remove(0);
        }
        answers.push((key, answer.clone()));
        Ok(answer)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(K, V)>> {
        self.answers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_worked_out_once_per_key_and_state() {
        let kept: Kept<(u64, &str), String> = Kept::new(2);
        let same = |a: &(u64, &str), b: &(u64, &str)| a.0 == b.0;
        let worked = std::cell::Cell::new(0);
        let ask = |key| {
            kept.answer(key, same, || {
                worked.set(worked.get() + 1);
                Ok::<_, ()>(format!("{key:?}"))
            })
            .unwrap()
        };
        assert_eq!(ask((1, "a")), "(1, \"a\")");
        ask((1, "a"));
        ask((1, "b"));
        assert_eq!(worked.get(), 2);
        // A third key of the same state pushes the oldest out.
        ask((1, "c"));
        ask((1, "a"));
        assert_eq!(worked.get(), 4);
        // A new state drops every answer of the old one.
        ask((2, "a"));
        ask((1, "c"));
        assert_eq!(worked.get(), 6);
    }
}
