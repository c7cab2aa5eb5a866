use chrono::Utc;

use super::audit::{SETTINGS_COMPANY, SETTINGS_CUSTOMERS, actor_id, settings_entry};
use super::{Actor, Guanxi};
use crate::domain::{time, validate};
use crate::error::{Error, Field, Result};
use crate::model::{Company, CompanyInput, CustomerSettings};

impl Guanxi {
    pub fn company(&self) -> Result<Company> {
        self.store.company()?.ok_or(Error::NotSetUp)
    }

    /// The company, or `None` before first-run setup.
    pub fn company_if_set_up(&self) -> Result<Option<Company>> {
        self.store.company()
    }

    /// The company's time zone, for showing and reading times. One store
    /// read: take it once per request, not once per row.
    pub fn company_zone(&self) -> chrono_tz::Tz {
        self.company()
            .map(|c| time::zone(&c.time_zone))
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }

    pub fn update_company(
        &self,
        actor: Actor,
        input: CompanyInput,
        version: u64,
    ) -> Result<Company> {
        actor.require_admin()?;
        let before = self.company()?;
        let after = Company {
            name: validate::text(Field::CompanyName, &input.name, validate::MAX_NAME)?,
            currency: validate::currency(&input.currency)?,
            time_zone: validate::time_zone(&input.time_zone)?,
            default_locale: input.default_locale,
            session_idle_minutes: validate::session_idle_minutes(input.session_idle_minutes)?,
            updated_at: Utc::now(),
            version,
        };
        self.store.audited(|lines| {
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_COMPANY,
                &before,
                &after,
            ));
            self.store.update_company(&after)
        })
    }
}

impl Guanxi {
    pub fn customer_settings(&self) -> Result<CustomerSettings> {
        self.store.customer_settings()
    }

    pub fn update_customer_settings(
        &self,
        actor: Actor,
        input: CustomerSettings,
    ) -> Result<CustomerSettings> {
        actor.require_admin()?;
        let before = self.store.customer_settings()?;
        let after = validate::customer_settings(&input)?;
        self.store.audited(|lines| {
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_CUSTOMERS,
                &before,
                &after,
            ));
            self.store.update_customer_settings(&after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{Locale, Role, UserInput};

    fn input() -> CompanyInput {
        CompanyInput {
            name: "Star Tech".into(),
            currency: "usd".into(),
            time_zone: "Europe/Berlin".into(),
            default_locale: Locale::En,
            session_idle_minutes: 60,
        }
    }

    #[test]
    fn admin_updates_settings() {
        let (_dir, gx, admin) = set_up_company();
        let saved = gx.update_company(Actor::User(&admin), input(), 1).unwrap();
        assert_eq!(saved.currency, "USD");
        assert_eq!(saved.version, 2);
    }

    #[test]
    fn bad_time_zone_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let mut bad = input();
        bad.time_zone = "Nowhere/Town".into();
        assert!(matches!(
            gx.update_company(Actor::User(&admin), bad, 1),
            Err(Error::Invalid {
                field: Field::TimeZone,
                ..
            })
        ));
        assert_eq!(gx.company().unwrap().time_zone, "Asia/Shanghai");
    }

    #[test]
    fn rep_cannot_change_settings() {
        let (_dir, gx, admin) = set_up_company();
        let rep = gx
            .create_user(
                Actor::User(&admin),
                UserInput {
                    email: "r@x.cn".into(),
                    name: "R".into(),
                    role: Role::Rep,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap();
        assert_eq!(
            gx.update_company(Actor::User(&rep), input(), 1),
            Err(Error::Forbidden)
        );
    }
}
