//! Products: what the form may set, checked.

use crate::domain::{deals::parse_amount, money, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, ProductInput, Quantity};

/// The most characters a product code has.
pub const MAX_CODE: u32 = 40;
pub const MAX_UNIT: u32 = 20;

/// A product's fields, checked: what creating and editing share.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductFields {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: Option<String>,
    pub list_price: Cents,
    pub standard_cost: Cents,
    pub active: bool,
    pub low_stock_threshold: Option<Quantity>,
}

pub fn product_fields(input: &ProductInput) -> Result<ProductFields> {
    let code = validate::text(Field::Code, &input.code, MAX_CODE)?;
    if code.chars().any(char::is_whitespace) {
        return Err(Error::invalid(Field::Code, Problem::Malformed));
    }
    let threshold = match input.low_stock_threshold.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(money::parse_threshold(Field::LowStockThreshold, text)?),
    };
    Ok(ProductFields {
        code,
        name: validate::text(Field::Name, &input.name, validate::MAX_CUSTOMER_NAME)?,
        unit: validate::text(Field::Unit, &input.unit, MAX_UNIT)?,
        category: validate::optional_text(
            Field::Category,
            input.category.as_deref(),
            validate::MAX_SHORT,
        )?,
        list_price: parse_amount(Field::ListPrice, &input.list_price)?,
        standard_cost: match input.standard_cost.trim() {
            "" => Cents(0),
            text => parse_amount(Field::StandardCost, text)?,
        },
        active: input.active,
        low_stock_threshold: threshold,
    })
}

/// The key that makes codes unique: `A-100` and `a-100 ` are one code.
pub fn code_key(code: &str) -> String {
    code.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProductInput {
        ProductInput {
            code: "SRV-01".into(),
            name: "服务器".into(),
            unit: "台".into(),
            category: Some("硬件".into()),
            list_price: "12,800".into(),
            standard_cost: "9000.5".into(),
            active: true,
            low_stock_threshold: Some("5".into()),
        }
    }

    #[test]
    fn a_product_form_is_read_into_cents_and_quantities() {
        let f = product_fields(&input()).unwrap();
        assert_eq!(f.list_price, Cents(1_280_000));
        assert_eq!(f.standard_cost, Cents(900_050));
        assert_eq!(f.low_stock_threshold, Some(Quantity::units(5)));
        let zero = product_fields(&ProductInput {
            low_stock_threshold: Some("0".into()),
            standard_cost: String::new(),
            ..input()
        })
        .unwrap();
        assert_eq!(zero.low_stock_threshold, Some(Quantity(0)));
        assert_eq!(zero.standard_cost, Cents(0));
    }

    #[test]
    fn a_bad_product_form_names_its_field() {
        let bad = |change: fn(&mut ProductInput)| {
            let mut i = input();
            change(&mut i);
            product_fields(&i).unwrap_err()
        };
        assert_eq!(
            bad(|i| i.code = " ".into()),
            Error::invalid(Field::Code, Problem::Required)
        );
        assert_eq!(
            bad(|i| i.code = "A 1".into()),
            Error::invalid(Field::Code, Problem::Malformed)
        );
        assert_eq!(
            bad(|i| i.list_price = "-3".into()),
            Error::invalid(Field::ListPrice, Problem::Malformed)
        );
        assert_eq!(
            bad(|i| i.low_stock_threshold = Some("x".into())),
            Error::invalid(Field::LowStockThreshold, Problem::Malformed)
        );
        assert_eq!(code_key(" Srv-01 "), "srv-01");
    }
}
