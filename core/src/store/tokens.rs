use chrono::{DateTime, Utc};
use redb::ReadableTable;

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{ApiToken, Id};

impl Store {
    pub fn insert_token(&self, digest: &[u8; 32], token: &ApiToken) -> Result<()> {
        let tx = self.write()?;
        {
            tx.open_table(API_TOKENS)?
                .insert(digest.as_slice(), encode(token).as_slice())?;
            tx.open_table(API_TOKENS_BY_USER)?
                .insert((token.user_id.0, token.id.0), digest.as_slice())?;
        }
        self.commit(tx)?;
        Ok(())
    }

    pub fn token_by_digest(&self, digest: &[u8; 32]) -> Result<Option<ApiToken>> {
        let tx = self.read()?;
        let table = tx.open_table(API_TOKENS)?;
        table
            .get(digest.as_slice())?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// A user's tokens, oldest first.
    pub fn tokens_of(&self, user: Id) -> Result<Vec<ApiToken>> {
        let tx = self.read()?;
        let by_user = tx.open_table(API_TOKENS_BY_USER)?;
        let tokens = tx.open_table(API_TOKENS)?;
        let mut out = Vec::new();
        for row in by_user.range((user.0, 0)..=(user.0, u128::MAX))? {
            let (_, digest) = row?;
            if let Some(token) = tokens.get(digest.value())? {
                out.push(decode(token.value())?);
            }
        }
        Ok(out)
    }

    pub fn delete_token(&self, user: Id, token: Id) -> Result<()> {
        let tx = self.write()?;
        {
            let mut by_user = tx.open_table(API_TOKENS_BY_USER)?;
            let digest = by_user
                .remove((user.0, token.0))?
                .map(|v| v.value().to_vec())
                .ok_or(Error::NotFound)?;
            tx.open_table(API_TOKENS)?.remove(digest.as_slice())?;
        }
        self.commit(tx)?;
        Ok(())
    }

    pub fn touch_token(&self, digest: &[u8; 32], now: DateTime<Utc>) -> Result<()> {
        let tx = self.write()?;
        {
            let mut table = tx.open_table(API_TOKENS)?;
            let token: Option<ApiToken> = table
                .get(digest.as_slice())?
                .map(|v| decode(v.value()))
                .transpose()?;
            if let Some(mut token) = token {
                token.last_used_at = Some(now);
                table.insert(digest.as_slice(), encode(&token).as_slice())?;
            }
        }
        self.commit(tx)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::temp_store;
    use super::*;
    use crate::domain::secret;

    fn token(user: Id, name: &str) -> ApiToken {
        ApiToken {
            id: Id::generate(),
            user_id: user,
            name: name.into(),
            created_at: Utc::now(),
            last_used_at: None,
        }
    }

    #[test]
    fn tokens_are_listed_per_user_and_revocable() {
        let (_dir, store) = temp_store();
        let (alice, bob) = (Id::generate(), Id::generate());
        let a = token(alice, "laptop");
        let b = token(bob, "script");
        let (da, db) = (secret::digest("a"), secret::digest("b"));
        store.insert_token(&da, &a).unwrap();
        store.insert_token(&db, &b).unwrap();
        assert_eq!(store.tokens_of(alice).unwrap(), vec![a.clone()]);
        assert_eq!(
            store.delete_token(bob, a.id),
            Err(Error::NotFound),
            "not bob's"
        );
        store.delete_token(alice, a.id).unwrap();
        assert_eq!(store.token_by_digest(&da).unwrap(), None);
        assert_eq!(store.token_by_digest(&db).unwrap(), Some(b));
    }
}
