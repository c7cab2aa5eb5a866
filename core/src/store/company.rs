use redb::ReadableTable;

use super::tables::*;
use super::users::insert_user_in;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Company, CustomerSettings, CustomerTypes, User};

impl Store {
    pub fn company(&self) -> Result<Option<Company>> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        meta.get(META_COMPANY)?
            .map(|v| decode(v.value()))
            .transpose()
    }

    /// First run: the company and its first admin, together or not at all. Refused
    /// once a company exists, so the setup page cannot be replayed.
    pub fn set_up(&self, company: &Company, admin: &User, password_hash: &str) -> Result<()> {
        let tx = self.write()?;
        {
            let mut meta = tx.open_table(META)?;
            if meta.get(META_COMPANY)?.is_some() || tx.open_table(USERS)?.first()?.is_some() {
                return Err(Error::AlreadySetUp);
            }
            meta.insert(META_COMPANY, encode(company).as_slice())?;
        }
        insert_user_in(&tx, admin, password_hash)?;
        self.commit(tx)?;
        Ok(())
    }

    pub fn update_company(&self, company: &Company) -> Result<Company> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: Company = meta
                .get(META_COMPANY)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotSetUp)?;
            if current.version != company.version {
                return Err(Error::Conflict);
            }
            let saved = Company {
                version: current.version + 1,
                ..company.clone()
            };
            meta.insert(META_COMPANY, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        self.settings_changed();
        Ok(saved)
    }
}

impl Store {
    pub fn customer_settings(&self) -> Result<CustomerSettings> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        Ok(meta
            .get(META_CUSTOMER_SETTINGS)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    pub fn update_customer_settings(
        &self,
        settings: &CustomerSettings,
    ) -> Result<CustomerSettings> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: CustomerSettings = meta
                .get(META_CUSTOMER_SETTINGS)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != settings.version {
                return Err(Error::Conflict);
            }
            let saved = CustomerSettings {
                version: current.version + 1,
                ..settings.clone()
            };
            meta.insert(META_CUSTOMER_SETTINGS, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }
}

impl Store {
    pub fn customer_types(&self) -> Result<CustomerTypes> {
        let tx = self.read()?;
        let meta = tx.open_table(META)?;
        Ok(meta
            .get(META_CUSTOMER_TYPES)?
            .map(|v| decode(v.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the company's customer types if they are still at `types.version`.
    pub fn save_customer_types(&self, types: &CustomerTypes) -> Result<CustomerTypes> {
        let tx = self.write()?;
        let saved = {
            let mut meta = tx.open_table(META)?;
            let current: CustomerTypes = meta
                .get(META_CUSTOMER_TYPES)?
                .map(|v| decode(v.value()))
                .transpose()?
                .unwrap_or_default();
            if current.version != types.version {
                return Err(Error::Conflict);
            }
            let saved = CustomerTypes {
                version: current.version + 1,
                ..types.clone()
            };
            meta.insert(META_CUSTOMER_TYPES, encode(&saved).as_slice())?;
            saved
        };
        self.commit(tx)?;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::temp_store;
    use super::super::users::tests::user;
    use super::*;
    use crate::model::{Locale, Role};

    fn company() -> Company {
        Company {
            name: "星辰科技".into(),
            currency: "CNY".into(),
            time_zone: "Asia/Shanghai".into(),
            default_locale: Locale::ZhCn,
            session_idle_minutes: 480,
            updated_at: chrono::Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn setup_runs_once() {
        let (_dir, store) = temp_store();
        assert_eq!(store.company().unwrap(), None);
        store
            .set_up(&company(), &user("boss@example.cn", Role::Admin), "h")
            .unwrap();
        assert_eq!(store.company().unwrap().unwrap().name, "星辰科技");
        assert_eq!(
            store.set_up(&company(), &user("other@example.cn", Role::Admin), "h"),
            Err(Error::AlreadySetUp)
        );
        assert_eq!(store.user_count().unwrap(), 1);
    }

    #[test]
    fn company_update_checks_version() {
        let (_dir, store) = temp_store();
        store
            .set_up(&company(), &user("boss@example.cn", Role::Admin), "h")
            .unwrap();
        let renamed = Company {
            name: "星辰".into(),
            ..company()
        };
        assert_eq!(store.update_company(&renamed).unwrap().version, 2);
        assert_eq!(store.update_company(&renamed), Err(Error::Conflict));
    }
}
