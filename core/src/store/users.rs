use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};

use super::sessions::end_sessions_in;
use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Id, User};

/// Users as last decoded, each with the bytes it was decoded from. Pages
/// name people everywhere (owners, who logged what), and decoding the same
/// few dozen records again and again (two timestamps parsed each) was a
/// twelfth of a customer's page. A record whose bytes differ is decoded
/// afresh, so nothing kept here can be out of date.
#[derive(Default)]
pub(super) struct DecodedUsers(Mutex<Decoded>);

/// Each user by id, with the bytes it was decoded from.
type Decoded = HashMap<u128, (Box<[u8]>, User)>;

impl DecodedUsers {
    fn lock(&self) -> MutexGuard<'_, Decoded> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The user stored as `bytes` under `id`: as decoded before if the bytes
/// are the same.
fn user_from(seen: &mut Decoded, id: u128, bytes: &[u8]) -> Result<User> {
    if let Some((before, user)) = seen.get(&id)
        && **before == *bytes
    {
        return Ok(user.clone());
    }
    let user: User = decode(bytes)?;
    seen.insert(id, (bytes.into(), user.clone()));
    Ok(user)
}

impl Store {
    pub fn user(&self, id: Id) -> Result<Option<User>> {
        let tx = self.read()?;
        let users = tx.open_table(USERS)?;
        let Some(row) = users.get(id.0)? else {
            return Ok(None);
        };
        user_from(&mut self.decoded_users.lock(), id.0, row.value()).map(Some)
    }

    pub fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let tx = self.read()?;
        let index = tx.open_table(USERS_BY_EMAIL)?;
        let Some(id) = index.get(email)?.map(|v| v.value()) else {
            return Ok(None);
        };
        let users = tx.open_table(USERS)?;
        let Some(row) = users.get(id)? else {
            return Ok(None);
        };
        user_from(&mut self.decoded_users.lock(), id, row.value()).map(Some)
    }

    /// All users in creation order. A small company has dozens, not thousands.
    pub fn users(&self) -> Result<Vec<User>> {
        let tx = self.read()?;
        let users = tx.open_table(USERS)?;
        let mut seen = self.decoded_users.lock();
        users
            .iter()?
            .map(|row| {
                let (id, bytes) = row?;
                user_from(&mut seen, id.value(), bytes.value())
            })
            .collect()
    }

    pub fn user_count(&self) -> Result<u64> {
        let tx = self.read()?;
        Ok(tx.open_table(USERS)?.len()?)
    }

    pub fn password_hash(&self, user: Id) -> Result<Option<String>> {
        let tx = self.read()?;
        let table = tx.open_table(PASSWORD_HASHES)?;
        Ok(table.get(user.0)?.map(|v| v.value().to_string()))
    }

    pub fn insert_user(&self, user: &User, password_hash: &str) -> Result<()> {
        let tx = self.write()?;
        insert_user_in(&tx, user, password_hash)?;
        self.commit(tx)?;
        self.settings_changed();
        Ok(())
    }

    /// Saves `user` if the stored copy still has `user.version`; the saved copy
    /// gets the next version. Deactivating ends the user's sessions in the same
    /// transaction, and the last active admin can be neither deactivated nor demoted.
    pub fn update_user(&self, user: &User) -> Result<User> {
        let tx = self.write()?;
        let saved = {
            let mut users = tx.open_table(USERS)?;
            let current: User = users
                .get(user.id.0)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            if current.version != user.version {
                return Err(Error::Conflict);
            }
            if current.email != user.email {
                let mut index = tx.open_table(USERS_BY_EMAIL)?;
                if index.get(user.email.as_str())?.is_some() {
                    return Err(Error::invalid(Field::Email, Problem::Taken));
                }
                index.remove(current.email.as_str())?;
                index.insert(user.email.as_str(), user.id.0)?;
            }
            let saved = User {
                version: current.version + 1,
                ..user.clone()
            };
            users.insert(user.id.0, encode(&saved).as_slice())?;
            saved
        };
        if !active_admin_remains(&tx)? {
            return Err(Error::LastAdmin);
        }
        if !saved.active {
            end_sessions_in(&tx, saved.id)?;
        }
        self.commit(tx)?;
        self.settings_changed();
        Ok(saved)
    }

    /// Replaces a password hash and ends all of the user's sessions with it.
    pub fn set_password_hash(&self, user: Id, hash: &str) -> Result<()> {
        let tx = self.write()?;
        {
            let mut table = tx.open_table(PASSWORD_HASHES)?;
            if table.get(user.0)?.is_none() {
                return Err(Error::NotFound);
            }
            table.insert(user.0, hash)?;
        }
        end_sessions_in(&tx, user)?;
        self.commit(tx)?;
        Ok(())
    }
}

pub(super) fn insert_user_in(
    tx: &WriteTransaction,
    user: &User,
    password_hash: &str,
) -> Result<()> {
    let mut index = tx.open_table(USERS_BY_EMAIL)?;
    if index.get(user.email.as_str())?.is_some() {
        return Err(Error::invalid(Field::Email, Problem::Taken));
    }
    index.insert(user.email.as_str(), user.id.0)?;
    tx.open_table(USERS)?
        .insert(user.id.0, encode(user).as_slice())?;
    tx.open_table(PASSWORD_HASHES)?
        .insert(user.id.0, password_hash)?;
    Ok(())
}

fn active_admin_remains(tx: &WriteTransaction) -> Result<bool> {
    let users = tx.open_table(USERS)?;
    for row in users.iter()? {
        let user: User = decode(row?.1.value())?;
        if user.active && user.role.is_admin() {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::SessionRecord;
    use super::super::test_support::temp_store;
    use super::*;
    use crate::domain::secret;
    use crate::model::Role;
    use chrono::Utc;

    pub fn user(email: &str, role: Role) -> User {
        User {
            id: Id::generate(),
            email: email.into(),
            name: email.split('@').next().unwrap().into(),
            role,
            team: None,
            active: true,
            locale: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn email_index_finds_users_and_refuses_duplicates() {
        let (_dir, store) = temp_store();
        let wang = user("wang@example.cn", Role::Admin);
        store.insert_user(&wang, "hash").unwrap();
        assert_eq!(
            store.user_by_email("wang@example.cn").unwrap(),
            Some(wang.clone())
        );
        let twin = user("wang@example.cn", Role::Rep);
        assert_eq!(
            store.insert_user(&twin, "hash"),
            Err(Error::invalid(Field::Email, Problem::Taken))
        );
        assert_eq!(
            store.user_count().unwrap(),
            1,
            "the refused insert wrote nothing"
        );
        assert_eq!(store.user(twin.id).unwrap(), None);
    }

    #[test]
    fn users_read_again_follow_every_change() {
        let (_dir, store) = temp_store();
        let wang = user("wang@example.cn", Role::Admin);
        store.insert_user(&wang, "h").unwrap();
        let mut li = user("li@example.cn", Role::Rep);
        store.insert_user(&li, "h").unwrap();
        // Read once, so what was decoded is kept.
        assert_eq!(store.users().unwrap(), vec![wang.clone(), li.clone()]);
        assert_eq!(store.user(li.id).unwrap(), Some(li.clone()));
        li.name = "李娜".into();
        li.team = Some("华东".into());
        li.active = false;
        let saved = store.update_user(&li).unwrap();
        assert_eq!(store.users().unwrap(), vec![wang.clone(), saved.clone()]);
        assert_eq!(store.user(li.id).unwrap(), Some(saved.clone()));
        assert_eq!(
            store.user_by_email("li@example.cn").unwrap(),
            Some(saved.clone())
        );
        let zhao = user("zhao@example.cn", Role::Manager);
        store.insert_user(&zhao, "h").unwrap();
        assert_eq!(store.users().unwrap(), vec![wang, saved, zhao]);
    }

    #[test]
    fn changing_email_moves_the_index_entry() {
        let (_dir, store) = temp_store();
        let admin = user("boss@example.cn", Role::Admin);
        store.insert_user(&admin, "h").unwrap();
        let mut li = user("li@example.cn", Role::Rep);
        store.insert_user(&li, "h").unwrap();
        li.email = "li.na@example.cn".into();
        let saved = store.update_user(&li).unwrap();
        assert_eq!(saved.version, 2);
        assert_eq!(store.user_by_email("li@example.cn").unwrap(), None);
        assert_eq!(
            store.user_by_email("li.na@example.cn").unwrap().unwrap().id,
            li.id
        );
    }

    #[test]
    fn stale_version_is_a_conflict_and_changes_nothing() {
        let (_dir, store) = temp_store();
        let admin = user("boss@example.cn", Role::Admin);
        store.insert_user(&admin, "h").unwrap();
        let first = User {
            name: "Boss Wang".into(),
            ..admin.clone()
        };
        store.update_user(&first).unwrap();
        let second = User {
            name: "Boss Li".into(),
            ..admin.clone()
        };
        assert_eq!(store.update_user(&second), Err(Error::Conflict));
        assert_eq!(store.user(admin.id).unwrap().unwrap().name, "Boss Wang");
    }

    #[test]
    fn last_active_admin_cannot_be_deactivated_or_demoted() {
        let (_dir, store) = temp_store();
        let admin = user("boss@example.cn", Role::Admin);
        store.insert_user(&admin, "h").unwrap();
        let deactivated = User {
            active: false,
            ..admin.clone()
        };
        assert_eq!(store.update_user(&deactivated), Err(Error::LastAdmin));
        let demoted = User {
            role: Role::Rep,
            ..admin.clone()
        };
        assert_eq!(store.update_user(&demoted), Err(Error::LastAdmin));
        assert_eq!(store.user(admin.id).unwrap().unwrap(), admin);
    }

    #[test]
    fn deactivating_and_password_change_end_sessions() {
        let (_dir, store) = temp_store();
        store
            .insert_user(&user("boss@example.cn", Role::Admin), "h")
            .unwrap();
        let rep = user("rep@example.cn", Role::Rep);
        store.insert_user(&rep, "h").unwrap();
        let session = |s: &str| {
            let d = secret::digest(s);
            let now = Utc::now();
            store
                .create_session(
                    &d,
                    &SessionRecord {
                        user_id: rep.id,
                        created_at: now,
                        last_seen_at: now,
                    },
                )
                .unwrap();
            d
        };
        let first = session("one");
        store.set_password_hash(rep.id, "new-hash").unwrap();
        assert!(store.session(&first).unwrap().is_none());
        assert_eq!(store.password_hash(rep.id).unwrap().unwrap(), "new-hash");

        let second = session("two");
        store
            .update_user(&User {
                active: false,
                ..rep.clone()
            })
            .unwrap();
        assert!(store.session(&second).unwrap().is_none());
    }
}
