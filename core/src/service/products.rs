//! Products and the sales settings: everyone signed in reads them (a rep
//! picks products for quotes); admins and managers change products, admins
//! the settings.

use chrono::Utc;

use super::audit::{SETTINGS_SALES, actor_id, settings_entry};
use super::{Actor, Guanxi};
use crate::domain::{deals::parse_amount, money, products};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Cents, Id, Product, ProductInput, Role, SalesSettings, SalesSettingsInput, User,
};

/// The most days a quote may stay valid by default.
pub const MAX_QUOTE_VALID_DAYS: u32 = 365;

impl Guanxi {
    /// The products, ordered by code; inactive ones only when asked for.
    pub fn products(&self, me: &User, include_inactive: bool) -> Result<Vec<Product>> {
        require_active(me)?;
        let mut list = self.store.products()?;
        if !include_inactive {
            list.retain(|p| p.active);
        }
        Ok(list)
    }

    pub fn product(&self, me: &User, id: Id) -> Result<Product> {
        require_active(me)?;
        self.store.product(id)?.ok_or(Error::NotFound)
    }

    pub fn create_product(&self, me: &User, input: ProductInput) -> Result<Product> {
        require_product_editor(me)?;
        let product = products::product_fields(&input)?.into_new_product(Utc::now());
        self.store.insert_product(&product)?;
        Ok(product)
    }

    /// Saves an edit made from `version`. Old quotes keep the code, name
    /// and price they were written with.
    pub fn update_product(
        &self,
        me: &User,
        id: Id,
        version: u64,
        input: ProductInput,
    ) -> Result<Product> {
        require_product_editor(me)?;
        let f = products::product_fields(&input)?;
        self.store.update_product(id, version, move |p| {
            *p = Product {
                updated_at: Utc::now(),
                ..p.clone().with(f)
            };
            Ok(())
        })
    }

    /// Deletes a product no quote uses; one in use answers `InUse`.
    pub fn delete_product(&self, me: &User, id: Id, version: Option<u64>) -> Result<()> {
        require_product_editor(me)?;
        self.store.delete_product(id, version)
    }

    pub fn sales_settings(&self) -> Result<SalesSettings> {
        self.store.sales_settings()
    }

    pub fn update_sales_settings(
        &self,
        actor: Actor,
        input: SalesSettingsInput,
        version: u64,
    ) -> Result<SalesSettings> {
        actor.require_admin()?;
        let settings = SalesSettings {
            default_tax_rate: money::parse_rate(
                Field::TaxRate,
                &input.default_tax_rate,
                crate::domain::quotes::MAX_TAX_PERCENT,
            )?,
            discount_limit: money::parse_rate(Field::DiscountLimit, &input.discount_limit, 100)?,
            contract_approval_amount: match input.contract_approval_amount.trim() {
                "" => Cents(0),
                text => parse_amount(Field::ContractApprovalAmount, text)?,
            },
            cost_method: input.cost_method,
            quote_valid_days: match input.quote_valid_days {
                days @ 1..=MAX_QUOTE_VALID_DAYS => days,
                _ => {
                    return Err(Error::invalid(
                        Field::QuoteValidDays,
                        Problem::OutOfRange {
                            min: 1,
                            max: MAX_QUOTE_VALID_DAYS,
                        },
                    ));
                }
            },
            version,
        };
        let before = self.store.sales_settings()?;
        self.store.audited(|lines| {
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_SALES,
                &before,
                &settings,
            ));
            self.store.update_sales_settings(&settings)
        })
    }
}

fn require_active(me: &User) -> Result<()> {
    if !me.active {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// Admins and managers keep the product list (the issue: "Admins and
/// managers edit").
pub(super) fn require_product_editor(me: &User) -> Result<()> {
    require_active(me)?;
    match me.role {
        Role::Admin | Role::Manager => Ok(()),
        Role::Rep => Err(Error::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::CostMethod;

    pub fn input(code: &str) -> ProductInput {
        ProductInput {
            code: code.into(),
            name: format!("产品 {code}"),
            unit: "台".into(),
            list_price: "12,800.00".into(),
            standard_cost: "9,000".into(),
            ..Default::default()
        }
    }

    #[test]
    fn managers_keep_the_product_list_and_reps_only_read_it() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        let made = gx.create_product(&manager, input("SRV-01")).unwrap();
        assert_eq!(made.list_price, Cents(1_280_000));
        assert_eq!(gx.create_product(&rep, input("X-1")), Err(Error::Forbidden));
        assert_eq!(
            gx.update_product(&rep, made.id, 1, input("SRV-01")),
            Err(Error::Forbidden)
        );
        assert_eq!(gx.products(&rep, false).unwrap(), vec![made.clone()]);

        let retired = gx
            .update_product(
                &admin,
                made.id,
                1,
                ProductInput {
                    active: false,
                    ..input("SRV-01")
                },
            )
            .unwrap();
        assert!(!retired.active);
        assert!(gx.products(&rep, false).unwrap().is_empty());
        assert_eq!(gx.products(&rep, true).unwrap().len(), 1);
        assert_eq!(
            gx.delete_product(&rep, made.id, None),
            Err(Error::Forbidden)
        );
        gx.delete_product(&manager, made.id, Some(2)).unwrap();
        assert_eq!(gx.product(&rep, made.id), Err(Error::NotFound));
    }

    #[test]
    fn a_taken_code_or_a_bad_price_changes_nothing() {
        let (_dir, gx, admin) = set_up_company();
        gx.create_product(&admin, input("SRV-01")).unwrap();
        assert_eq!(
            gx.create_product(&admin, input("srv-01")),
            Err(Error::invalid(Field::Code, Problem::Taken))
        );
        assert_eq!(
            gx.create_product(
                &admin,
                ProductInput {
                    list_price: "12.345".into(),
                    ..input("B-1")
                }
            ),
            Err(Error::invalid(Field::ListPrice, Problem::Malformed))
        );
        assert_eq!(gx.products(&admin, true).unwrap().len(), 1);
    }

    #[test]
    fn admins_set_the_sales_settings() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, None);
        let defaults = gx.sales_settings().unwrap();
        assert_eq!(defaults.default_tax_rate.0, 1300);
        let mut form = SalesSettingsInput::from(&defaults);
        form.discount_limit = "12.5".into();
        form.cost_method = CostMethod::Fifo;
        assert_eq!(
            gx.update_sales_settings(Actor::User(&rep), form.clone(), 0),
            Err(Error::Forbidden)
        );
        let saved = gx
            .update_sales_settings(Actor::User(&admin), form.clone(), 0)
            .unwrap();
        assert_eq!((saved.discount_limit.0, saved.version), (1250, 1));
        assert_eq!(saved.cost_method, CostMethod::Fifo);
        form.default_tax_rate = "abc".into();
        assert_eq!(
            gx.update_sales_settings(Actor::User(&admin), form, 1),
            Err(Error::invalid(Field::TaxRate, Problem::Malformed))
        );
    }
}
