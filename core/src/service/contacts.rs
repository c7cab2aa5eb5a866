//! Editing and removing a contact: allowed to whoever may edit its customer.

use chrono::Utc;

use super::Guanxi;
use super::customers::clean_contact;
use crate::error::{Error, Result};
use crate::model::{Contact, ContactInput, Id, User};

impl Guanxi {
    /// A contact whose customer `me` may edit; one whose customer `me` cannot
    /// see reads as not found.
    fn editable_contact(&self, me: &User, id: Id) -> Result<Contact> {
        let contact = self.store.contact(id)?.ok_or(Error::NotFound)?;
        self.editable_customer(me, contact.customer_id)?;
        Ok(contact)
    }

    /// Saves an edit made from `version`; a stale version is a conflict.
    pub fn update_contact(
        &self,
        me: &User,
        id: Id,
        input: ContactInput,
        version: u64,
    ) -> Result<Contact> {
        let current = self.editable_contact(me, id)?;
        let input = clean_contact(&input)?;
        self.store.update_contact(&Contact {
            name: input.name,
            title: input.title,
            phones: input.phones,
            email: input.email,
            wechat: input.wechat,
            birthday: input.birthday,
            notes: input.notes,
            role: input.role,
            updated_at: Utc::now(),
            version,
            ..current
        })
    }

    pub fn delete_contact(&self, me: &User, id: Id) -> Result<()> {
        self.editable_contact(me, id)?;
        self.store.delete_contact(id).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Actor;
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{CustomerInput, Role, UserInput};
    use crate::{Field, Problem};

    fn rep(gx: &Guanxi, admin: &User, email: &str) -> User {
        gx.create_user(
            Actor::User(admin),
            UserInput {
                email: email.into(),
                name: email.into(),
                role: Role::Rep,
                team: None,
            },
            "rep password 1",
        )
        .unwrap()
    }

    fn zhang() -> ContactInput {
        ContactInput {
            name: "张伟".into(),
            phones: vec!["139 0000 1111".into()],
            ..Default::default()
        }
    }

    fn customer_with_contact(gx: &Guanxi, owner: &User) -> Contact {
        let c = gx
            .create_customer(
                owner,
                CustomerInput {
                    name: "北京星辰科技有限公司".into(),
                    customer_type: "potential".into(),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap();
        gx.add_contact(owner, c.id, zhang(), true).unwrap()
    }

    #[test]
    fn edit_is_validated_and_stale_edits_conflict() {
        let (_dir, gx, admin) = set_up_company();
        let contact = customer_with_contact(&gx, &admin);
        let mut bad = zhang();
        bad.name = "  ".into();
        assert_eq!(
            gx.update_contact(&admin, contact.id, bad, contact.version),
            Err(Error::invalid(Field::Name, Problem::Required))
        );
        let mut titled = zhang();
        titled.title = Some("采购经理".into());
        let saved = gx
            .update_contact(&admin, contact.id, titled.clone(), contact.version)
            .unwrap();
        assert_eq!(saved.title.as_deref(), Some("采购经理"));
        assert_eq!(saved.version, contact.version + 1);
        assert_eq!(
            gx.update_contact(&admin, contact.id, titled, contact.version),
            Err(Error::Conflict)
        );
    }

    #[test]
    fn rep_cannot_touch_another_reps_contacts() {
        let (_dir, gx, admin) = set_up_company();
        let li = rep(&gx, &admin, "li@x.cn");
        let wang = rep(&gx, &admin, "wang@x.cn");
        let contact = customer_with_contact(&gx, &li);
        assert_eq!(
            gx.update_contact(&wang, contact.id, zhang(), contact.version),
            Err(Error::NotFound)
        );
        assert_eq!(gx.delete_contact(&wang, contact.id), Err(Error::NotFound));
        gx.delete_contact(&li, contact.id).unwrap();
        assert!(gx.contacts(&li, contact.customer_id).unwrap().is_empty());
    }
}
