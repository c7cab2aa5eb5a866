//! The company's own customer types (SPEC §1: "potential, signed, agent,
//! invalid; extendable"): admins add, rename and retire them; the built-in
//! four are always there.

use super::audit::{SETTINGS_CUSTOMER_TYPES, actor_id, settings_entry};
use super::{Actor, Guanxi};
use crate::domain::{spreadsheet, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{CustomerTypeDef, CustomerTypes};

/// More types than this is not a list anyone picks from.
pub const MAX_CUSTOMER_TYPES: usize = 50;

/// A label that is short, and names no other type: neither a built-in one
/// (by code or by the names the importer reads as built-in) nor another
/// custom type than `except`.
fn clean_label(types: &CustomerTypes, label: &str, except: Option<&str>) -> Result<String> {
    let label = validate::text(Field::CustomerType, label, validate::MAX_SHORT)?;
    let clashes_built_in = CustomerTypes::is_built_in(&label.to_lowercase())
        || spreadsheet::built_in_customer_type(&label).is_some();
    let clashes_custom = types
        .custom
        .iter()
        .any(|t| Some(t.code.as_str()) != except && t.label.to_lowercase() == label.to_lowercase());
    if clashes_built_in || clashes_custom {
        return Err(Error::invalid(Field::CustomerType, Problem::Taken));
    }
    Ok(label)
}

impl Guanxi {
    /// The company's own types, retired ones included (their customers
    /// still show them).
    pub fn customer_types(&self) -> Result<CustomerTypes> {
        self.store.customer_types()
    }

    /// Saves `after` over `before`, with the change in the audit log.
    fn save_customer_types(
        &self,
        actor: Actor,
        before: &CustomerTypes,
        after: &CustomerTypes,
    ) -> Result<CustomerTypes> {
        self.store.audited(|lines| {
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_CUSTOMER_TYPES,
                before,
                after,
            ));
            self.store.save_customer_types(after)
        })
    }

    /// Adds a type (admins), from the version read; returns all types.
    pub fn add_customer_type(
        &self,
        actor: Actor,
        label: &str,
        version: u64,
    ) -> Result<CustomerTypes> {
        actor.require_admin()?;
        let mut types = self.store.customer_types()?;
        if types.version != version {
            return Err(Error::Conflict);
        }
        let before = types.clone();
        if types.custom.len() >= MAX_CUSTOMER_TYPES {
            return Err(Error::invalid(
                Field::CustomerType,
                Problem::TooLong {
                    max: MAX_CUSTOMER_TYPES as u32,
                },
            ));
        }
        let label = clean_label(&types, label, None)?;
        // Codes are numbered, never reused: types are never deleted.
        let code = format!("custom-{}", types.custom.len() + 1);
        types.custom.push(CustomerTypeDef {
            code,
            label,
            retired: false,
        });
        self.save_customer_types(actor, &before, &types)
    }

    /// Gives a custom type a new label; its customers keep it.
    pub fn rename_customer_type(
        &self,
        actor: Actor,
        code: &str,
        label: &str,
        version: u64,
    ) -> Result<CustomerTypes> {
        actor.require_admin()?;
        let mut types = self.store.customer_types()?;
        if types.version != version {
            return Err(Error::Conflict);
        }
        let before = types.clone();
        let label = clean_label(&types, label, Some(code))?;
        let found = types
            .custom
            .iter_mut()
            .find(|t| t.code == code)
            .ok_or(Error::NotFound)?;
        found.label = label;
        self.save_customer_types(actor, &before, &types)
    }

    /// Retires a custom type (or brings it back): a retired type stays on
    /// its customers and is no longer offered for new ones.
    pub fn retire_customer_type(
        &self,
        actor: Actor,
        code: &str,
        retired: bool,
        version: u64,
    ) -> Result<CustomerTypes> {
        actor.require_admin()?;
        let mut types = self.store.customer_types()?;
        if types.version != version {
            return Err(Error::Conflict);
        }
        let before = types.clone();
        let found = types
            .custom
            .iter_mut()
            .find(|t| t.code == code)
            .ok_or(Error::NotFound)?;
        found.retired = retired;
        self.save_customer_types(actor, &before, &types)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{CustomerInput, Role};

    fn input(name: &str, customer_type: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            customer_type: customer_type.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_admin_adds_a_type_that_reps_then_use() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        assert_eq!(
            gx.add_customer_type(Actor::User(&li), "VIP", 0),
            Err(Error::Forbidden)
        );
        let refused = gx.create_customer(&li, input("甲公司", "VIP"), vec![], false);
        assert_eq!(
            refused,
            Err(Error::invalid(Field::CustomerType, Problem::Unknown))
        );
        let types = gx.add_customer_type(Actor::User(&admin), "VIP", 0).unwrap();
        let vip = types.custom[0].code.clone();
        assert_eq!((vip.as_str(), types.version), ("custom-1", 1));
        let c = gx
            .create_customer(&li, input("甲公司", &vip), vec![], false)
            .unwrap();
        assert_eq!(c.customer_type, vip);
        assert_eq!(
            gx.add_customer_type(Actor::User(&admin), "vip", 1),
            Err(Error::invalid(Field::CustomerType, Problem::Taken)),
            "labels are unique, letter case aside"
        );
        assert_eq!(
            gx.add_customer_type(Actor::User(&admin), "签约客户", 1),
            Err(Error::invalid(Field::CustomerType, Problem::Taken)),
            "a built-in type's name is taken"
        );
        assert_eq!(
            gx.add_customer_type(Actor::User(&admin), "", 1),
            Err(Error::invalid(Field::CustomerType, Problem::Required))
        );
    }

    #[test]
    fn a_retired_type_stays_on_its_customers_but_is_not_offered() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let types = gx
            .add_customer_type(Actor::User(&admin), "经销商", 0)
            .unwrap();
        let code = types.custom[0].code.clone();
        let c = gx
            .create_customer(&li, input("甲公司", &code), vec![], false)
            .unwrap();
        let types = gx
            .rename_customer_type(Actor::User(&admin), &code, "二级经销商", types.version)
            .unwrap();
        assert_eq!(types.label_of(&code), Some("二级经销商"));
        let types = gx
            .retire_customer_type(Actor::User(&admin), &code, true, types.version)
            .unwrap();
        assert!(!types.is_offered(&code));

        // Its customer keeps it, and may still be edited with it.
        let kept = gx.customer(&li, c.id).unwrap();
        assert_eq!(kept.customer_type, code);
        let mut edit = input("甲公司（华东）", &code);
        edit.notes = Some("改名".into());
        let edited = gx.update_customer(&li, c.id, edit, kept.version).unwrap();
        assert_eq!(edited.customer_type, code);
        // A new customer may not take it, nor may another customer move to it.
        assert_eq!(
            gx.create_customer(&li, input("乙公司", &code), vec![], false),
            Err(Error::invalid(Field::CustomerType, Problem::Unknown))
        );
        let other = gx
            .create_customer(&li, input("丙公司", "signed"), vec![], false)
            .unwrap();
        assert_eq!(
            gx.update_customer(&li, other.id, input("丙公司", &code), other.version),
            Err(Error::invalid(Field::CustomerType, Problem::Unknown))
        );
        // Lists still filter by it.
        let query = crate::store::CustomerQuery {
            customer_type: code.clone(),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(gx.list_customers(&admin, &query).unwrap().0, 1);
        assert_eq!(
            gx.rename_customer_type(Actor::User(&admin), &code, "x", 0),
            Err(Error::Conflict)
        );
    }
}
