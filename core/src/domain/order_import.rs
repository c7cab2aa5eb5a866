//! The columns of a sheet of past orders being imported: header
//! suggestions in Chinese and English, the mapping an order import needs,
//! and one row read and checked cell by cell with the money parsers the
//! quote and contract forms use. Grouping rows into orders and matching
//! customers, products and owners is the service's (`order_import.rs`).

use chrono::NaiveDate;

use crate::domain::deals::parse_amount;
use crate::domain::spreadsheet::{CellProblem, RowReader, normalize, unneutralise};
use crate::domain::{money, quotes, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, ImportKind, Quantity, Rate, Target};

/// The most characters an imported order number has.
pub const MAX_ORDER_NUMBER: u32 = 40;

/// An order column's target, by its header in Chinese or English.
fn order_header(key: &str) -> Option<Target> {
    use Target::*;
    Some(match key {
        "订单号" | "订单编号" | "合同号" | "合同编号" | "单号" | "订单" | "合同"
        | "ordernumber" | "orderno" | "order" | "contractnumber" | "contractno" | "contract"
        | "number" => OrderNumber,
        "客户" | "客户名称" | "客户名" | "购买方" | "买方" | "公司" | "customer"
        | "customername" | "client" | "buyer" | "company" => OrderCustomer,
        "签订日期" | "签约日期" | "签单日期" | "下单日期" | "订单日期" | "合同日期" | "日期"
        | "signdate" | "signedon" | "orderdate" | "date" | "contractdate" => SignDate,
        "产品编码" | "商品编码" | "物料编码" | "编码" | "货号" | "产品编号" | "productcode"
        | "itemcode" | "sku" | "code" | "partnumber" => LineProduct,
        "产品" | "产品名称" | "品名" | "商品名称" | "名称" | "描述" | "明细" | "摘要"
        | "description" | "product" | "productname" | "item" | "itemname" => LineDescription,
        "单位" | "计量单位" | "unit" | "uom" => LineUnit,
        "数量" | "quantity" | "qty" => Target::Quantity,
        "单价" | "价格" | "售价" | "销售单价" | "unitprice" | "price" => UnitPrice,
        "折扣" | "折扣率" | "折扣%" | "discount" | "discountpercent" => Discount,
        "税率" | "税率%" | "taxrate" | "tax" | "vat" => TaxRate,
        "负责人" | "销售" | "业务员" | "销售员" | "负责人邮箱" | "owner" | "owneremail"
        | "salesrep" | "rep" => OrderOwner,
        "已回款" | "回款" | "回款金额" | "已收款" | "收款金额" | "实收金额" | "amountreceived"
        | "received" | "paid" | "amountpaid" | "payment" => AmountReceived,
        "回款日期" | "收款日期" | "到账日期" | "receivedon" | "paidon" | "paymentdate"
        | "datereceived" => ReceivedOn,
        _ => return None,
    })
}

/// A first guess at an order sheet's mapping, each target once, first
/// column first.
pub fn suggest_mapping(headers: &[String]) -> Vec<Target> {
    let mut taken: Vec<Target> = Vec::new();
    headers
        .iter()
        .map(|header| match order_header(&normalize(header)) {
            Some(target) if !taken.contains(&target) => {
                taken.push(target.clone());
                target
            }
            _ => Target::Ignore,
        })
        .collect()
}

/// A mapping an order import can use: the order number (which groups the
/// rows), the customer, the sign date and the quantity, a product code or
/// a description for the lines; order targets only, each once.
pub fn header_problems(mapping: &[Target]) -> Option<Error> {
    let needed = [
        (Target::OrderNumber, Field::OrderNumber),
        (Target::OrderCustomer, Field::Customer),
        (Target::SignDate, Field::SignDate),
        (Target::Quantity, Field::Quantity),
    ];
    if let Some((_, field)) = needed.iter().find(|(t, _)| !mapping.contains(t)) {
        return Some(Error::invalid(*field, Problem::Required));
    }
    if !mapping.contains(&Target::LineProduct) && !mapping.contains(&Target::LineDescription) {
        return Some(Error::invalid(Field::Description, Problem::Required));
    }
    crate::domain::spreadsheet::mapping_problems(mapping, ImportKind::Orders)
}

/// A date as spreadsheets write it: `2024-03-15`, `2024/3/15`,
/// `2024.3.15`, `2024年3月15日`, with any time after it dropped.
pub fn parse_date(field: Field, text: &str) -> Result<NaiveDate> {
    let day = text.trim().split([' ', 'T']).next().unwrap_or_default();
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        .ok_or(Error::invalid(field, Problem::Malformed))
}

/// One row of an order sheet, every cell checked: the order's cells are
/// `None` where empty (a later row of an order may leave them out), the
/// line's as the line has them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderRow {
    pub number: String,
    pub customer: Option<String>,
    pub sign_date: Option<NaiveDate>,
    pub owner: Option<String>,
    pub tax_rate: Option<Rate>,
    pub received: Option<Cents>,
    pub received_on: Option<NaiveDate>,
    pub product_code: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub quantity: Quantity,
    pub unit_price: Option<Cents>,
    pub discount: Rate,
}

/// An order number cell, checked: what groups rows into an order.
pub fn order_number(cell: &str) -> Result<String> {
    validate::text(Field::OrderNumber, unneutralise(cell), MAX_ORDER_NUMBER)
}

fn given(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// Every problem of the row, not only the first, with its column.
pub fn convert_row(cells: &[String], mapping: &[Target]) -> Result<OrderRow, Vec<CellProblem>> {
    let cells: Vec<String> = cells.iter().map(|c| unneutralise(c).to_string()).collect();
    let mut r = RowReader::new(&cells, mapping);
    let row = OrderRow {
        number: r.check(&Target::OrderNumber, order_number),
        customer: r.check(&Target::OrderCustomer, |v| {
            given(v)
                .map(|v| validate::text(Field::Customer, v, validate::MAX_CUSTOMER_NAME))
                .transpose()
        }),
        sign_date: r.check(&Target::SignDate, |v| {
            given(v).map(|v| parse_date(Field::SignDate, v)).transpose()
        }),
        owner: r.check(&Target::OrderOwner, |v| Ok(given(v).map(str::to_lowercase))),
        tax_rate: r.check(&Target::TaxRate, |v| {
            given(v)
                .map(|v| money::parse_rate(Field::TaxRate, v, quotes::MAX_TAX_PERCENT))
                .transpose()
        }),
        received: r.check(&Target::AmountReceived, |v| {
            given(v).map(|v| parse_amount(Field::Amount, v)).transpose()
        }),
        received_on: r.check(&Target::ReceivedOn, |v| {
            given(v)
                .map(|v| parse_date(Field::ReceivedOn, v))
                .transpose()
        }),
        product_code: r.check(&Target::LineProduct, |v| Ok(given(v).map(str::to_string))),
        description: r.check(&Target::LineDescription, |v| {
            given(v)
                .map(|v| validate::text(Field::Description, v, validate::MAX_LONG))
                .transpose()
        }),
        unit: r.check(&Target::LineUnit, |v| {
            given(v)
                .map(|v| validate::text(Field::Unit, v, super::products::MAX_UNIT))
                .transpose()
        }),
        quantity: r.check(&Target::Quantity, |v| {
            money::parse_quantity(Field::Quantity, v)
        }),
        unit_price: r.check(&Target::UnitPrice, |v| {
            given(v)
                .map(|v| parse_amount(Field::UnitPrice, v))
                .transpose()
        }),
        discount: r.check(&Target::Discount, |v| {
            money::parse_rate(Field::Discount, v, 100)
        }),
    };
    let problems = r.finish();
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_headers_are_suggested() {
        let headers = strings(&[
            "订单号",
            "客户名称",
            "签订日期",
            "产品编码",
            "品名",
            "单位",
            "数量",
            "单价",
            "折扣",
            "税率",
            "负责人",
            "已回款",
            "回款日期",
            "备注",
        ]);
        use Target::*;
        assert_eq!(
            suggest_mapping(&headers),
            vec![
                OrderNumber,
                OrderCustomer,
                SignDate,
                LineProduct,
                LineDescription,
                LineUnit,
                Target::Quantity,
                UnitPrice,
                Discount,
                TaxRate,
                OrderOwner,
                AmountReceived,
                ReceivedOn,
                Ignore
            ]
        );
        let english = strings(&[
            "Order No.",
            "Customer",
            "Date",
            "Description",
            "Qty",
            "Price",
        ]);
        assert_eq!(
            suggest_mapping(&english),
            vec![
                OrderNumber,
                OrderCustomer,
                SignDate,
                LineDescription,
                Target::Quantity,
                UnitPrice
            ]
        );
    }

    #[test]
    fn a_mapping_needs_number_customer_date_quantity_and_a_product_or_text() {
        use Target::*;
        let full = [
            OrderNumber,
            OrderCustomer,
            SignDate,
            Target::Quantity,
            LineDescription,
        ];
        assert_eq!(header_problems(&full), None);
        assert_eq!(
            header_problems(&full[1..]),
            Some(Error::invalid(Field::OrderNumber, Problem::Required))
        );
        assert_eq!(
            header_problems(&full[..4]),
            Some(Error::invalid(Field::Description, Problem::Required))
        );
        let mut foreign = full.to_vec();
        foreign.push(ProductName);
        assert_eq!(
            header_problems(&foreign),
            Some(Error::invalid(Field::Name, Problem::Unknown))
        );
    }

    #[test]
    fn dates_read_as_spreadsheets_write_them() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        for text in [
            "2024-03-05",
            "2024/3/5",
            "2024.03.05",
            "2024年3月5日",
            "2024-03-05 00:00:00",
        ] {
            assert_eq!(parse_date(Field::SignDate, text), Ok(day), "{text}");
        }
        assert_eq!(
            parse_date(Field::SignDate, "05/03/2024"),
            Err(Error::invalid(Field::SignDate, Problem::Malformed))
        );
    }

    #[test]
    fn a_row_lists_every_bad_cell() {
        use Target::*;
        let mapping = [OrderNumber, SignDate, Target::Quantity, UnitPrice, Discount];
        let problems = convert_row(&strings(&["", "明天", "0", "12.345", "120"]), &mapping)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.column, p.error))
            .collect::<Vec<_>>();
        assert_eq!(
            problems,
            vec![
                (0, Error::invalid(Field::OrderNumber, Problem::Required)),
                (1, Error::invalid(Field::SignDate, Problem::Malformed)),
                (2, Error::invalid(Field::Quantity, Problem::Malformed)),
                (3, Error::invalid(Field::UnitPrice, Problem::Malformed)),
                (
                    4,
                    Error::invalid(Field::Discount, Problem::OutOfRange { min: 0, max: 100 })
                ),
            ]
        );
        let row = convert_row(
            &strings(&["SO-1", "2024/1/2", "1,000", "¥12.50", "5%"]),
            &mapping,
        )
        .unwrap();
        assert_eq!(row.quantity, crate::model::Quantity::units(1000));
        assert_eq!(row.unit_price, Some(Cents(1250)));
        assert_eq!(row.discount, Rate(500));
    }
}
