//! Editing and removing a contact: allowed to whoever may edit its customer,
//! and written into that customer's audit trail (so onto its timeline).

use chrono::{DateTime, Utc};

use super::Guanxi;
use super::customers::{clean_contact, contact_changed};
use crate::error::{Error, Result};
use crate::model::{Contact, ContactInput, DecisionRole, FieldChange, Id, User};

/// The audit field of a contact's change: `contact:<name>:<field>`, on its
/// customer's record, so the customer's history says whose it was.
pub fn contact_field(name: &str, field: &str) -> String {
    format!("contact:{name}:{field}")
}

fn role_code(role: Option<DecisionRole>) -> &'static str {
    role.map_or("", DecisionRole::code)
}

/// The fields an edit of a contact changed, as audit lines of its customer.
pub(super) fn contact_diff(before: &Contact, after: &Contact, by: Id) -> Vec<FieldChange> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |c: &Contact| c.birthday.map(|d| d.to_string()).unwrap_or_default();
    let fields = [
        ("name", before.name.clone(), after.name.clone()),
        ("title", text(&before.title), text(&after.title)),
        ("phones", before.phones.join(", "), after.phones.join(", ")),
        ("email", text(&before.email), text(&after.email)),
        ("wechat", text(&before.wechat), text(&after.wechat)),
        ("birthday", date(before), date(after)),
        ("notes", text(&before.notes), text(&after.notes)),
        (
            "role",
            role_code(before.role).to_string(),
            role_code(after.role).to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange {
            record: before.customer_id,
            by,
            at: after.updated_at,
            field: contact_field(&before.name, field),
            old,
            new,
        })
        .collect()
}

/// A contact's removal, as an audit line of its customer.
fn contact_removed(contact: &Contact, by: Id, at: DateTime<Utc>) -> FieldChange {
    FieldChange {
        record: contact.customer_id,
        by,
        at,
        field: contact_field(&contact.name, "deleted"),
        old: contact.name.clone(),
        new: String::new(),
    }
}

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
        let edited = Contact {
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
            ..current.clone()
        };
        let changes = contact_diff(&current, &edited, me.id);
        self.store.audited(|lines| {
            lines.push(contact_changed(me.id, Some(&current), Some(&edited)));
            self.store.update_contact(&edited, &changes)
        })
    }

    /// Moves a contact to the recycle bin; its customer's history keeps
    /// that it was deleted.
    pub fn delete_contact(&self, me: &User, id: Id) -> Result<()> {
        let contact = self.editable_contact(me, id)?;
        let change = contact_removed(&contact, me.id, Utc::now());
        self.store.audited(|lines| {
            lines.push(contact_changed(me.id, Some(&contact), None));
            self.store.recycle_contact(id, &change).map(|_| ())
        })
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
    fn edits_and_deletes_go_into_the_customers_history() {
        let (_dir, gx, admin) = set_up_company();
        let contact = customer_with_contact(&gx, &admin);
        let mut edited = zhang();
        edited.title = Some("采购经理".into());
        edited.birthday = chrono::NaiveDate::from_ymd_opt(1980, 2, 29);
        edited.notes = Some("喜欢喝茶".into());
        edited.role = Some(DecisionRole::DecisionMaker);
        let saved = gx
            .update_contact(&admin, contact.id, edited, contact.version)
            .unwrap();
        assert_eq!(saved.notes.as_deref(), Some("喜欢喝茶"));
        gx.delete_contact(&admin, contact.id).unwrap();
        let lines: Vec<(String, String, String)> = gx
            .customer_changes(&admin, contact.customer_id)
            .unwrap()
            .into_iter()
            .map(|c| (c.field, c.old, c.new))
            .collect();
        let line = |field: &str, old: &str, new: &str| (field.into(), old.into(), new.into());
        assert_eq!(
            lines,
            vec![
                line("contact:张伟:title", "", "采购经理"),
                line("contact:张伟:birthday", "", "1980-02-29"),
                line("contact:张伟:notes", "", "喜欢喝茶"),
                line("contact:张伟:role", "", "decision_maker"),
                line("contact:张伟:deleted", "张伟", ""),
            ]
        );
        let timeline = gx.timeline(&admin, contact.customer_id, None, 50).unwrap();
        assert_eq!(timeline.len(), 5);
    }

    #[test]
    fn a_birthday_in_the_future_is_refused_and_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let contact = customer_with_contact(&gx, &admin);
        let mut later = zhang();
        later.birthday = Some(Utc::now().date_naive() + chrono::Days::new(3));
        assert!(matches!(
            gx.update_contact(&admin, contact.id, later, contact.version),
            Err(Error::Invalid {
                field: Field::Birthday,
                problem: Problem::OutOfRange { min: 1900, .. }
            })
        ));
        let stored = gx.contacts(&admin, contact.customer_id).unwrap();
        assert_eq!(stored, vec![contact.clone()]);
        assert!(
            gx.customer_changes(&admin, contact.customer_id)
                .unwrap()
                .is_empty()
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
