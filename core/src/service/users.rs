use std::collections::HashMap;

use chrono::Utc;

use super::{Actor, Guanxi, audit};
use crate::domain::{password, validate, visibility};
use crate::error::{Error, Field, Result};
use crate::model::{AuditKind, Id, Role, User, UserInput};

/// Every user's name by id: who owns a row, who wrote an entry.
pub struct UserNames(HashMap<Id, String>);

impl UserNames {
    pub fn get(&self, id: Id) -> Option<&str> {
        self.0.get(&id).map(String::as_str)
    }
}

fn clean(input: &UserInput) -> Result<(String, String, Option<String>)> {
    Ok((
        validate::email(&input.email)?,
        validate::text(Field::Name, &input.name, validate::MAX_NAME)?,
        validate::optional_text(Field::Team, input.team.as_deref(), validate::MAX_NAME)?,
    ))
}

impl Guanxi {
    /// Everyone, sorted by name; admins only.
    pub fn list_users(&self, actor: Actor) -> Result<Vec<User>> {
        actor.require_admin()?;
        let mut users = self.store.users()?;
        users.sort_by(|a, b| (!a.active, &a.name).cmp(&(!b.active, &b.name)));
        Ok(users)
    }

    /// One user by id, to show who owns or did something; nothing about
    /// them is secret from colleagues.
    pub fn user(&self, id: Id) -> Result<Option<User>> {
        self.store.user(id)
    }

    /// Every user's name, active or not: old records name people who left.
    pub fn user_names(&self) -> Result<UserNames> {
        let users = self.store.users()?;
        Ok(UserNames(
            users.into_iter().map(|u| (u.id, u.name)).collect(),
        ))
    }

    /// (id, name) of every active user: who may own a deal.
    pub fn active_users(&self) -> Result<Vec<(Id, String)>> {
        Ok(self
            .store
            .users()?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// The active users `me` may see: an admin everyone, a manager their
    /// team, a rep themselves. The owners `me` may filter by.
    pub fn visible_active_users(&self, me: &User) -> Result<Vec<User>> {
        Ok(self
            .store
            .users()?
            .into_iter()
            .filter(|u| u.active && visibility::can_see(me, Some(u)))
            .collect())
    }

    /// (id, name) of whom `me` may hand customers and deals to; nobody for
    /// a rep, who gives nothing away.
    pub fn assignable_users(&self, me: &User) -> Result<Vec<(Id, String)>> {
        if me.role == Role::Rep {
            return Ok(Vec::new());
        }
        Ok(self
            .visible_active_users(me)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// Team names in use, for the team picker.
    pub fn teams(&self, actor: Actor) -> Result<Vec<String>> {
        actor.require_admin()?;
        let mut teams: Vec<String> = self
            .store
            .users()?
            .into_iter()
            .filter_map(|u| u.team)
            .collect();
        teams.sort();
        teams.dedup();
        Ok(teams)
    }

    pub fn create_user(
        &self,
        actor: Actor,
        input: UserInput,
        initial_password: &str,
    ) -> Result<User> {
        actor.require_admin()?;
        let (email, name, team) = clean(&input)?;
        validate::password(Field::Password, initial_password)?;
        let now = Utc::now();
        let user = User {
            id: Id::generate(),
            email,
            name,
            role: input.role,
            team,
            active: true,
            locale: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if self.store.user_by_email(&user.email)?.is_some() {
            return Err(Error::invalid(Field::Email, crate::Problem::Taken));
        }
        let hash = password::hash(initial_password)?;
        self.store.audited(|lines| {
            lines.push(audit::changed(
                audit::actor_id(actor),
                AuditKind::User,
                Some(user.id),
                user.name.clone(),
                None,
                Some(&user),
            ));
            self.store.insert_user(&user, &hash)
        })?;
        tracing::info!(email = %user.email, role = user.role.code(), "user created");
        Ok(user)
    }

    /// Edits email, name, role and team. `version` is the one the editor loaded.
    pub fn update_user(
        &self,
        actor: Actor,
        id: Id,
        input: UserInput,
        version: u64,
    ) -> Result<User> {
        actor.require_admin()?;
        let (email, name, team) = clean(&input)?;
        let current = self.store.user(id)?.ok_or(Error::NotFound)?;
        let edited = User {
            email,
            name,
            role: input.role,
            team,
            updated_at: Utc::now(),
            version,
            ..current.clone()
        };
        self.update_user_audited(actor, &current, &edited)
    }

    /// Saves `edited` over `current`, with the change in the audit log.
    fn update_user_audited(&self, actor: Actor, current: &User, edited: &User) -> Result<User> {
        let change = audit::changed(
            audit::actor_id(actor),
            AuditKind::User,
            Some(edited.id),
            edited.name.clone(),
            Some(current),
            Some(edited),
        );
        self.store.audited(|lines| {
            lines.push(change);
            self.store.update_user(edited)
        })
    }

    pub fn set_user_active(
        &self,
        actor: Actor,
        id: Id,
        active: bool,
        version: u64,
    ) -> Result<User> {
        actor.require_admin()?;
        let current = self.store.user(id)?.ok_or(Error::NotFound)?;
        let edited = User {
            active,
            updated_at: Utc::now(),
            version,
            ..current.clone()
        };
        let saved = self.update_user_audited(actor, &current, &edited)?;
        tracing::info!(email = %saved.email, active, "user activation changed");
        Ok(saved)
    }

    pub fn user_by_email(&self, actor: Actor, email: &str) -> Result<User> {
        actor.require_admin()?;
        self.store
            .user_by_email(&email.trim().to_lowercase())?
            .ok_or(Error::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::Role;

    fn rep_input(email: &str) -> UserInput {
        UserInput {
            email: email.into(),
            name: "李娜".into(),
            role: Role::Rep,
            team: Some(" 华东 ".into()),
        }
    }

    #[test]
    fn admin_creates_users_with_clean_fields() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                Actor::User(&admin),
                rep_input("Li@Example.cn"),
                "rep password 1",
            )
            .unwrap();
        assert_eq!(rep.email, "li@example.cn");
        assert_eq!(rep.team.as_deref(), Some("华东"));
        assert_eq!(
            gx.teams(Actor::User(&admin)).unwrap(),
            vec!["华东".to_string()]
        );
    }

    #[test]
    fn rep_cannot_manage_users() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                Actor::User(&admin),
                rep_input("li@example.cn"),
                "rep password 1",
            )
            .unwrap();
        assert_eq!(gx.list_users(Actor::User(&rep)), Err(Error::Forbidden));
        assert_eq!(
            gx.create_user(
                Actor::User(&rep),
                rep_input("x@example.cn"),
                "rep password 1"
            ),
            Err(Error::Forbidden)
        );
        assert_eq!(
            gx.reset_password(Actor::User(&rep), admin.id, "hijacked password"),
            Err(Error::Forbidden)
        );
    }

    #[test]
    fn manager_is_not_admin() {
        let (_dir, gx, admin) = set_up_company();
        let mut input = rep_input("m@example.cn");
        input.role = Role::Manager;
        let manager = gx
            .create_user(Actor::User(&admin), input, "manager password")
            .unwrap();
        assert_eq!(gx.list_users(Actor::User(&manager)), Err(Error::Forbidden));
    }

    #[test]
    fn duplicate_email_is_refused_with_field_error() {
        let (_dir, gx, admin) = set_up_company();
        assert_eq!(
            gx.create_user(
                Actor::User(&admin),
                rep_input("BOSS@example.cn"),
                "rep password 1"
            ),
            Err(Error::invalid(Field::Email, crate::Problem::Taken))
        );
    }

    #[test]
    fn editing_with_a_stale_version_is_a_conflict() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                Actor::User(&admin),
                rep_input("li@example.cn"),
                "rep password 1",
            )
            .unwrap();
        let mut first = rep_input("li@example.cn");
        first.name = "李娜娜".into();
        gx.update_user(Actor::User(&admin), rep.id, first, rep.version)
            .unwrap();
        assert_eq!(
            gx.update_user(
                Actor::User(&admin),
                rep.id,
                rep_input("li@example.cn"),
                rep.version
            ),
            Err(Error::Conflict)
        );
    }

    #[test]
    fn reps_assign_to_nobody_and_managers_to_their_active_team() {
        use super::super::test_support::person;
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let gone = person(&gx, &admin, "gone@x.cn", Role::Rep, Some("华东"));
        gx.set_user_active(Actor::User(&admin), gone.id, false, gone.version)
            .unwrap();
        person(&gx, &admin, "n@x.cn", Role::Rep, Some("华北"));

        assert_eq!(gx.assignable_users(&li).unwrap(), vec![]);
        let mut mine = gx.assignable_users(&manager).unwrap();
        mine.sort();
        let mut expected = vec![
            (manager.id, "m@x.cn".to_string()),
            (li.id, "li@x.cn".to_string()),
        ];
        expected.sort();
        assert_eq!(mine, expected);
        assert_eq!(gx.assignable_users(&admin).unwrap().len(), 4);
        assert_eq!(
            gx.user_names().unwrap().get(gone.id),
            Some("gone@x.cn"),
            "old records still name people who left"
        );
    }
}
