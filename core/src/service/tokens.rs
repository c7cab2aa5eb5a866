use chrono::Utc;

use super::{Guanxi, audit};
use crate::domain::{secret, validate};
use crate::error::{Error, Field, Result};
use crate::model::{ApiToken, AuditKind, Id, NewApiToken, User};

/// A token made (`after`) or revoked (`before`), as an audit entry.
fn token_entry(
    me: &User,
    before: Option<&ApiToken>,
    after: Option<&ApiToken>,
) -> crate::model::AuditEntry {
    let token = after.or(before);
    audit::changed(
        Some(me.id),
        AuditKind::ApiToken,
        token.map(|t| t.id),
        token.map(|t| t.name.clone()).unwrap_or_default(),
        before,
        after,
    )
}

impl Guanxi {
    /// A personal token that acts as `me`. The secret is returned once; only its
    /// digest is kept.
    pub fn create_token(&self, me: &User, name: &str) -> Result<NewApiToken> {
        let token = ApiToken {
            id: Id::generate(),
            user_id: me.id,
            name: validate::text(Field::TokenName, name, validate::MAX_NAME)?,
            created_at: Utc::now(),
            last_used_at: None,
        };
        let secret = secret::generate_api_token();
        self.store.audited(|lines| {
            lines.push(token_entry(me, None, Some(&token)));
            self.store.insert_token(&secret::digest(&secret), &token)
        })?;
        Ok(NewApiToken { token, secret })
    }

    pub fn list_tokens(&self, me: &User) -> Result<Vec<ApiToken>> {
        self.store.tokens_of(me.id)
    }

    /// Revokes one of `me`'s own tokens; someone else's is not found.
    pub fn revoke_token(&self, me: &User, token: Id) -> Result<()> {
        let revoked = self
            .store
            .tokens_of(me.id)?
            .into_iter()
            .find(|t| t.id == token)
            .ok_or(Error::NotFound)?;
        self.store.audited(|lines| {
            lines.push(token_entry(me, Some(&revoked), None));
            self.store.delete_token(me.id, token)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use crate::error::Error;

    #[test]
    fn token_acts_as_its_user_until_revoked() {
        let (_dir, gx, admin) = set_up_company();
        let new = gx.create_token(&admin, "  report script ").unwrap();
        assert_eq!(new.token.name, "report script");
        let auth = gx.authenticate_token(&new.secret).unwrap().unwrap();
        assert_eq!(auth.user.id, admin.id);
        assert_eq!(gx.list_tokens(&admin).unwrap().len(), 1);
        gx.revoke_token(&admin, new.token.id).unwrap();
        assert_eq!(gx.authenticate_token(&new.secret).unwrap(), None);
        assert_eq!(gx.revoke_token(&admin, new.token.id), Err(Error::NotFound));
    }
}
