use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::Result;
use crate::model::Id;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub user_id: Id,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Store {
    pub fn create_session(&self, digest: &[u8; 32], record: &SessionRecord) -> Result<()> {
        let tx = self.write()?;
        {
            tx.open_table(SESSIONS)?
                .insert(digest.as_slice(), encode(record).as_slice())?;
            tx.open_table(SESSIONS_BY_USER)?
                .insert((record.user_id.0, digest.as_slice()), ())?;
        }
        self.commit(tx)?;
        Ok(())
    }

    pub fn session(&self, digest: &[u8; 32]) -> Result<Option<SessionRecord>> {
        let tx = self.read()?;
        let table = tx.open_table(SESSIONS)?;
        table
            .get(digest.as_slice())?
            .map(|v| decode(v.value()))
            .transpose()
    }

    pub fn touch_session(&self, digest: &[u8; 32], now: DateTime<Utc>) -> Result<()> {
        let tx = self.write()?;
        {
            let mut table = tx.open_table(SESSIONS)?;
            let record: Option<SessionRecord> = table
                .get(digest.as_slice())?
                .map(|v| decode(v.value()))
                .transpose()?;
            if let Some(mut record) = record {
                record.last_seen_at = now;
                table.insert(digest.as_slice(), encode(&record).as_slice())?;
            }
        }
        self.commit(tx)?;
        Ok(())
    }

    pub fn end_session(&self, digest: &[u8; 32]) -> Result<()> {
        let tx = self.write()?;
        {
            let mut table = tx.open_table(SESSIONS)?;
            let removed: Option<SessionRecord> = table
                .remove(digest.as_slice())?
                .map(|v| decode(v.value()))
                .transpose()?;
            if let Some(record) = removed {
                tx.open_table(SESSIONS_BY_USER)?
                    .remove((record.user_id.0, digest.as_slice()))?;
            }
        }
        self.commit(tx)?;
        Ok(())
    }

    pub fn end_sessions_of(&self, user: Id) -> Result<usize> {
        let tx = self.write()?;
        let ended = end_sessions_in(&tx, user)?;
        self.commit(tx)?;
        Ok(ended)
    }

    /// Removes sessions idle since before `cutoff`; returns how many.
    pub fn end_idle_sessions(&self, cutoff: DateTime<Utc>) -> Result<usize> {
        let tx = self.write()?;
        let mut ended = 0;
        {
            let mut sessions = tx.open_table(SESSIONS)?;
            let mut by_user = tx.open_table(SESSIONS_BY_USER)?;
            let mut stale = Vec::new();
            for row in sessions.iter()? {
                let (digest, record) = row?;
                let record: SessionRecord = decode(record.value())?;
                if record.last_seen_at < cutoff {
                    stale.push((digest.value().to_vec(), record.user_id));
                }
            }
            for (digest, user) in stale {
                sessions.remove(digest.as_slice())?;
                by_user.remove((user.0, digest.as_slice()))?;
                ended += 1;
            }
        }
        self.commit(tx)?;
        Ok(ended)
    }
}

/// Ends every session of `user` inside a caller's transaction, so that a
/// deactivation or password change and the logout happen together.
pub(super) fn end_sessions_in(tx: &redb::WriteTransaction, user: Id) -> Result<usize> {
    let mut by_user = tx.open_table(SESSIONS_BY_USER)?;
    let mut sessions = tx.open_table(SESSIONS)?;
    let lo: (u128, &[u8]) = (user.0, &[]);
    let digests: Vec<Vec<u8>> = by_user
        .range(lo..)?
        .map_while(|row| match row {
            Ok((key, _)) => {
                let (owner, digest) = key.value();
                (owner == user.0).then(|| Ok(digest.to_vec()))
            }
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    for digest in &digests {
        sessions.remove(digest.as_slice())?;
        by_user.remove((user.0, digest.as_slice()))?;
    }
    Ok(digests.len())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::domain::secret;

    fn record(user: Id, last_seen: DateTime<Utc>) -> SessionRecord {
        SessionRecord {
            user_id: user,
            created_at: last_seen,
            last_seen_at: last_seen,
        }
    }

    #[test]
    fn ending_a_users_sessions_leaves_others_alone() {
        let (_dir, store) = temp_store();
        let (alice, bob) = (Id::generate(), Id::generate());
        let now = Utc::now();
        let a1 = secret::digest("a1");
        let a2 = secret::digest("a2");
        let b1 = secret::digest("b1");
        store.create_session(&a1, &record(alice, now)).unwrap();
        store.create_session(&a2, &record(alice, now)).unwrap();
        store.create_session(&b1, &record(bob, now)).unwrap();
        assert_eq!(store.end_sessions_of(alice).unwrap(), 2);
        assert!(store.session(&a1).unwrap().is_none());
        assert!(store.session(&a2).unwrap().is_none());
        assert!(store.session(&b1).unwrap().is_some());
    }

    #[test]
    fn idle_sessions_are_swept() {
        let (_dir, store) = temp_store();
        let user = Id::generate();
        let now = Utc::now();
        let old = secret::digest("old");
        let fresh = secret::digest("fresh");
        store
            .create_session(&old, &record(user, now - chrono::Duration::hours(10)))
            .unwrap();
        store.create_session(&fresh, &record(user, now)).unwrap();
        let swept = store
            .end_idle_sessions(now - chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(swept, 1);
        assert!(store.session(&old).unwrap().is_none());
        assert!(store.session(&fresh).unwrap().is_some());
        assert_eq!(
            store.end_sessions_of(user).unwrap(),
            1,
            "index was kept in step"
        );
    }

    #[test]
    fn touch_updates_last_seen() {
        let (_dir, store) = temp_store();
        let d = secret::digest("s");
        let then = Utc::now() - chrono::Duration::minutes(30);
        store
            .create_session(&d, &record(Id::generate(), then))
            .unwrap();
        let now = Utc::now();
        store.touch_session(&d, now).unwrap();
        assert_eq!(store.session(&d).unwrap().unwrap().last_seen_at, now);
    }
}
