use std::time::Instant;

use chrono::{Duration, Utc};

use super::{Actor, Guanxi, audit};
use crate::domain::{password, secret, validate};
use crate::error::{Error, Field, Result};
use crate::model::{
    AuditAction, AuditEntry, AuditKind, Company, Id, Locale, Role, SetupInput, User,
};
use crate::store::SessionRecord;

/// How often a session's last-seen time is written: often enough for idle
/// expiry, rarely enough that reading pages does not turn into disk writes.
const TOUCH_EVERY: Duration = Duration::seconds(60);

#[derive(Clone, Debug, PartialEq)]
pub struct Authenticated {
    pub user: User,
    /// The digest of the session cookie, when signed in through the browser.
    pub session: Option<[u8; 32]>,
}

impl Guanxi {
    pub fn is_set_up(&self) -> Result<bool> {
        Ok(self.store.company()?.is_some())
    }

    pub fn set_up(&self, input: SetupInput) -> Result<User> {
        if self.is_set_up()? {
            return Err(Error::AlreadySetUp);
        }
        let now = Utc::now();
        let company = Company {
            name: validate::text(Field::CompanyName, &input.company_name, validate::MAX_NAME)?,
            currency: validate::currency(&input.currency)?,
            time_zone: validate::time_zone(&input.time_zone)?,
            default_locale: input.default_locale,
            session_idle_minutes: crate::model::DEFAULT_SESSION_IDLE_MINUTES,
            updated_at: now,
            version: 1,
        };
        let admin = User {
            id: Id::generate(),
            email: validate::email(&input.admin_email)?,
            name: validate::text(Field::Name, &input.admin_name, validate::MAX_NAME)?,
            role: Role::Admin,
            team: None,
            active: true,
            locale: Some(input.default_locale),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        validate::password(Field::Password, &input.admin_password)?;
        let hash = password::hash(&input.admin_password)?;
        self.store.set_up(&company, &admin, &hash)?;
        tracing::info!(company = %company.name, admin = %admin.email, "first-run setup done");
        Ok(admin)
    }

    /// Checks the password and opens a session; returns the user and the session
    /// secret for the cookie. Failures are counted per account and per address.
    pub fn login(&self, email: &str, password_text: &str, client: &str) -> Result<(User, String)> {
        let account = email.trim().to_lowercase();
        if let Some(wait) = self
            .login_limiter
            .lock()
            .expect("limiter lock")
            .blocked_for(&account, client, Instant::now())
        {
            return Err(Error::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        let user = self.store.user_by_email(&account)?;
        let hash = match &user {
            Some(u) => self.store.password_hash(u.id)?,
            None => None,
        };
        // Verify against a decoy when there is no account, so timing does not
        // tell which addresses exist.
        let ok = password::verify(
            password_text,
            hash.as_deref().unwrap_or(password::decoy_hash()),
        ) && hash.is_some();
        let mut limiter = self.login_limiter.lock().expect("limiter lock");
        let Some(user) = user.filter(|_| ok) else {
            limiter.record_failure(&account, client, Instant::now());
            drop(limiter);
            tracing::warn!(account, client, "failed login");
            self.audit_failed_sign_in(&account);
            return Err(Error::BadCredentials);
        };
        limiter.record_success(&account);
        drop(limiter);
        if !user.active {
            self.audit_failed_sign_in(&account);
            return Err(Error::Deactivated);
        }
        let signed_in = AuditEntry {
            email: Some(user.email.clone()),
            ..audit::entry(
                Some(user.id),
                AuditKind::Session,
                AuditAction::SignIn,
                Some(user.id),
                user.name.clone(),
                Vec::new(),
            )
        };
        let secret = self.store.audited(|lines| {
            lines.push(signed_in);
            self.open_session(user.id)
        })?;
        tracing::info!(user = %user.email, client, "login");
        Ok((user, secret))
    }

    /// A refused sign-in goes into the audit log with the address tried; a
    /// log that cannot be written does not change the answer.
    fn audit_failed_sign_in(&self, account: &str) {
        let failed = AuditEntry {
            email: Some(account.to_string()),
            ..audit::entry(
                None,
                AuditKind::Session,
                AuditAction::SignInFailed,
                None,
                "",
                Vec::new(),
            )
        };
        if let Err(e) = self.store.append_audit(&[failed]) {
            tracing::error!(error = %e, account, "cannot log a failed sign-in");
        }
    }

    fn open_session(&self, user: Id) -> Result<String> {
        let secret = secret::generate();
        let now = Utc::now();
        self.store.create_session(
            &secret::digest(&secret),
            &SessionRecord {
                user_id: user,
                created_at: now,
                last_seen_at: now,
            },
        )?;
        Ok(secret)
    }

    /// Ends the session; the sign-out goes into the audit log with it.
    pub fn logout(&self, session_secret: &str) -> Result<()> {
        let digest = secret::digest(session_secret);
        let user = match self.store.session(&digest)? {
            Some(session) => self.store.user(session.user_id)?,
            None => None,
        };
        self.store.audited(|lines| {
            if let Some(user) = user {
                lines.push(AuditEntry {
                    email: Some(user.email.clone()),
                    ..audit::entry(
                        Some(user.id),
                        AuditKind::Session,
                        AuditAction::SignOut,
                        Some(user.id),
                        user.name,
                        Vec::new(),
                    )
                });
            }
            self.store.end_session(&digest)
        })
    }

    /// The user behind a session cookie, if the session exists, has not idled
    /// out, and its user is active.
    pub fn authenticate_session(&self, session_secret: &str) -> Result<Option<Authenticated>> {
        let digest = secret::digest(session_secret);
        let Some(session) = self.store.session(&digest)? else {
            return Ok(None);
        };
        let idle_minutes = self
            .store
            .company()?
            .map(|c| c.session_idle_minutes)
            .unwrap_or(crate::model::DEFAULT_SESSION_IDLE_MINUTES);
        let now = Utc::now();
        if now - session.last_seen_at > Duration::minutes(idle_minutes.into()) {
            self.store.end_session(&digest)?;
            return Ok(None);
        }
        let Some(user) = self.store.user(session.user_id)?.filter(|u| u.active) else {
            return Ok(None);
        };
        if now - session.last_seen_at > TOUCH_EVERY {
            self.store.touch_session(&digest, now)?;
        }
        Ok(Some(Authenticated {
            user,
            session: Some(digest),
        }))
    }

    pub fn authenticate_token(&self, token_secret: &str) -> Result<Option<Authenticated>> {
        let digest = secret::digest(token_secret);
        let Some(token) = self.store.token_by_digest(&digest)? else {
            return Ok(None);
        };
        let Some(user) = self.store.user(token.user_id)?.filter(|u| u.active) else {
            return Ok(None);
        };
        let now = Utc::now();
        if token.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY) {
            self.store.touch_token(&digest, now)?;
        }
        Ok(Some(Authenticated {
            user,
            session: None,
        }))
    }

    /// Changes one's own password after checking the current one. Every session
    /// of the user ends; the returned secret is a fresh session for this browser.
    pub fn change_own_password(&self, me: &User, current: &str, new: &str) -> Result<String> {
        let hash = self.store.password_hash(me.id)?.ok_or(Error::NotFound)?;
        if !password::verify(current, &hash) {
            return Err(Error::invalid(Field::Password, crate::Problem::Malformed));
        }
        validate::password(Field::NewPassword, new)?;
        let hash = password::hash(new)?;
        self.store.audited(|lines| {
            lines.push(password_changed(Some(me.id), me));
            self.store.set_password_hash(me.id, &hash)
        })?;
        self.open_session(me.id)
    }

    /// An admin (or the console) sets someone's password; their sessions end.
    pub fn reset_password(&self, actor: Actor, user: Id, new: &str) -> Result<()> {
        actor.require_admin()?;
        validate::password(Field::NewPassword, new)?;
        let target = self.store.user(user)?.ok_or(Error::NotFound)?;
        let hash = password::hash(new)?;
        self.store.audited(|lines| {
            lines.push(password_changed(audit::actor_id(actor), &target));
            self.store.set_password_hash(user, &hash)
        })
    }

    pub fn set_own_locale(&self, me: &User, locale: Locale) -> Result<User> {
        let current = self.store.user(me.id)?.ok_or(Error::NotFound)?;
        let edited = User {
            locale: Some(locale),
            updated_at: Utc::now(),
            ..current.clone()
        };
        self.store.audited(|lines| {
            lines.push(user_changed(me.id, &current, &edited));
            self.store.update_user(&edited)
        })
    }
}

/// A user's record changing, as an audit entry.
pub(super) fn user_changed(by: Id, before: &User, after: &User) -> AuditEntry {
    audit::changed(
        Some(by),
        AuditKind::User,
        Some(after.id),
        after.name.clone(),
        Some(before),
        Some(after),
    )
}

/// A new password: that it changed, never what it is.
fn password_changed(by: Option<Id>, user: &User) -> AuditEntry {
    audit::entry(
        by,
        AuditKind::User,
        AuditAction::Update,
        Some(user.id),
        user.name.clone(),
        vec![crate::model::AuditChange {
            field: "password".into(),
            old: String::new(),
            new: String::new(),
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ADMIN_PASSWORD, set_up_company};
    use super::*;
    use crate::domain::login_limit::{LimitRule, LoginLimiter};
    use crate::model::{Locale, UserInput};
    use crate::store::Store;

    #[test]
    fn setup_validates_and_runs_once() {
        let dir = tempfile::tempdir().unwrap();
        let gx = Guanxi::new(Store::open(dir.path()).unwrap());
        let mut input = SetupInput {
            company_name: " ".into(),
            currency: "CNY".into(),
            time_zone: "Asia/Shanghai".into(),
            default_locale: Locale::En,
            admin_name: "Wang".into(),
            admin_email: "wang@example.cn".into(),
            admin_password: "long enough password".into(),
        };
        assert_eq!(
            gx.set_up(input.clone()),
            Err(Error::invalid(Field::CompanyName, crate::Problem::Required))
        );
        assert!(!gx.is_set_up().unwrap(), "bad input changed nothing");
        input.company_name = "Star Tech".into();
        let admin = gx.set_up(input.clone()).unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(gx.set_up(input), Err(Error::AlreadySetUp));
    }

    #[test]
    fn login_with_right_password_opens_a_session() {
        let (_dir, gx, admin) = set_up_company();
        let (user, secret) = gx
            .login("boss@example.cn", ADMIN_PASSWORD, "127.0.0.1")
            .unwrap();
        assert_eq!(user.id, admin.id);
        let auth = gx.authenticate_session(&secret).unwrap().unwrap();
        assert_eq!(auth.user.id, admin.id);
        gx.logout(&secret).unwrap();
        assert_eq!(gx.authenticate_session(&secret).unwrap(), None);
    }

    #[test]
    fn each_login_gets_a_new_session_id() {
        let (_dir, gx, _) = set_up_company();
        let (_, a) = gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        let (_, b) = gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn wrong_password_and_unknown_email_look_the_same() {
        let (_dir, gx, _) = set_up_company();
        assert_eq!(
            gx.login("boss@example.cn", "wrong password", "1").err(),
            Some(Error::BadCredentials)
        );
        assert_eq!(
            gx.login("nobody@example.cn", ADMIN_PASSWORD, "1").err(),
            Some(Error::BadCredentials)
        );
    }

    #[test]
    fn repeated_failures_are_rate_limited_even_with_the_right_password() {
        let dir = tempfile::tempdir().unwrap();
        let gx = Guanxi::with_limiter(
            Store::open(dir.path()).unwrap(),
            LoginLimiter::new(
                LimitRule {
                    max_failures: 2,
                    window: std::time::Duration::from_secs(600),
                },
                LimitRule {
                    max_failures: 100,
                    window: std::time::Duration::from_secs(600),
                },
            ),
        );
        gx.set_up(SetupInput {
            company_name: "X".into(),
            currency: "CNY".into(),
            time_zone: "UTC".into(),
            default_locale: Locale::En,
            admin_name: "A".into(),
            admin_email: "a@x.cn".into(),
            admin_password: ADMIN_PASSWORD.into(),
        })
        .unwrap();
        for _ in 0..2 {
            assert_eq!(
                gx.login("a@x.cn", "nope nope nope", "1").err(),
                Some(Error::BadCredentials)
            );
        }
        assert!(matches!(
            gx.login("a@x.cn", ADMIN_PASSWORD, "1").err(),
            Some(Error::RateLimited { .. })
        ));
    }

    #[test]
    fn deactivated_user_cannot_log_in_nor_use_a_token() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                Actor::User(&admin),
                UserInput {
                    email: "rep@example.cn".into(),
                    name: "Li".into(),
                    role: Role::Rep,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap();
        let (_, session) = gx.login("rep@example.cn", "rep password 1", "1").unwrap();
        let token = gx.create_token(&rep, "script").unwrap();
        gx.set_user_active(Actor::User(&admin), rep.id, false, rep.version)
            .unwrap();
        assert_eq!(gx.authenticate_session(&session).unwrap(), None);
        assert_eq!(gx.authenticate_token(&token.secret).unwrap(), None);
        assert_eq!(
            gx.login("rep@example.cn", "rep password 1", "1").err(),
            Some(Error::Deactivated)
        );
    }

    #[test]
    fn idle_sessions_expire() {
        let (_dir, gx, admin) = set_up_company();
        let (_, secret) = gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        let digest = secret::digest(&secret);
        let long_ago = Utc::now() - Duration::hours(9);
        gx.store.touch_session(&digest, long_ago).unwrap();
        assert_eq!(gx.authenticate_session(&secret).unwrap(), None);
        assert_eq!(
            gx.store.session(&digest).unwrap(),
            None,
            "expired session removed"
        );
        let _ = admin;
    }

    #[test]
    fn changing_password_ends_other_sessions_and_keeps_this_browser_in() {
        let (_dir, gx, admin) = set_up_company();
        let (_, other) = gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        assert!(matches!(
            gx.change_own_password(&admin, "not my password", "new password 22"),
            Err(Error::Invalid {
                field: Field::Password,
                ..
            })
        ));
        let fresh = gx
            .change_own_password(&admin, ADMIN_PASSWORD, "new password 22")
            .unwrap();
        assert_eq!(gx.authenticate_session(&other).unwrap(), None);
        assert!(gx.authenticate_session(&fresh).unwrap().is_some());
        assert!(gx.login("boss@example.cn", "new password 22", "1").is_ok());
    }
}
