//! Products: what the form may set, checked, and the same rules for the
//! columns of a product sheet being imported.

use crate::domain::spreadsheet::{CellProblem, RowReader, normalize, unneutralise};
use crate::domain::{deals::parse_amount, money, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{Cents, Product, ProductInput, Quantity, Target};

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

impl ProductFields {
    /// A new product with these fields.
    pub fn into_new_product(self, now: chrono::DateTime<chrono::Utc>) -> Product {
        Product {
            id: crate::model::Id::generate(),
            code: String::new(),
            name: String::new(),
            unit: String::new(),
            category: None,
            list_price: Cents(0),
            standard_cost: Cents(0),
            active: true,
            low_stock_threshold: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
        .with(self)
    }
}

impl Product {
    /// The product with `f` written over its fields; id, times and version
    /// stay.
    pub fn with(self, f: ProductFields) -> Product {
        Product {
            code: f.code,
            name: f.name,
            unit: f.unit,
            category: f.category,
            list_price: f.list_price,
            standard_cost: f.standard_cost,
            active: f.active,
            low_stock_threshold: f.low_stock_threshold,
            ..self
        }
    }
}

impl From<&Product> for ProductFields {
    fn from(p: &Product) -> Self {
        ProductFields {
            code: p.code.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            category: p.category.clone(),
            list_price: p.list_price,
            standard_cost: p.standard_cost,
            active: p.active,
            low_stock_threshold: p.low_stock_threshold,
        }
    }
}

pub fn product_fields(input: &ProductInput) -> Result<ProductFields> {
    Ok(ProductFields {
        code: code(&input.code)?,
        name: name(&input.name)?,
        unit: unit(&input.unit)?,
        category: category(input.category.as_deref().unwrap_or_default())?,
        list_price: parse_amount(Field::ListPrice, &input.list_price)?,
        standard_cost: standard_cost(&input.standard_cost)?.unwrap_or(Cents(0)),
        active: input.active,
        low_stock_threshold: threshold(input.low_stock_threshold.as_deref().unwrap_or_default())?,
    })
}

// One function per field, so the form and the import check a value alike.

fn code(text: &str) -> Result<String> {
    let code = validate::text(Field::Code, text, MAX_CODE)?;
    if code.chars().any(char::is_whitespace) {
        return Err(Error::invalid(Field::Code, Problem::Malformed));
    }
    Ok(code)
}

fn name(text: &str) -> Result<String> {
    validate::text(Field::Name, text, validate::MAX_CUSTOMER_NAME)
}

fn unit(text: &str) -> Result<String> {
    validate::text(Field::Unit, text, MAX_UNIT)
}

fn category(text: &str) -> Result<Option<String>> {
    validate::optional_text(Field::Category, Some(text), validate::MAX_SHORT)
}

/// Empty: none given.
fn standard_cost(text: &str) -> Result<Option<Cents>> {
    match text.trim() {
        "" => Ok(None),
        text => parse_amount(Field::StandardCost, text).map(Some),
    }
}

/// Empty: the product is not kept in stock.
fn threshold(text: &str) -> Result<Option<Quantity>> {
    match text.trim() {
        "" => Ok(None),
        text => money::parse_threshold(Field::LowStockThreshold, text).map(Some),
    }
}

/// A product column's target, by its header in Chinese or English; the
/// headers of the product export are among them, in both languages.
fn product_header(key: &str) -> Option<Target> {
    use Target::*;
    Some(match key {
        "编码" | "产品编码" | "商品编码" | "物料编码" | "编号" | "产品编号" | "货号" | "code"
        | "productcode" | "itemcode" | "sku" | "partnumber" => ProductCode,
        "名称" | "品名" | "产品名称" | "商品名称" | "产品" | "物料名称" | "name"
        | "productname" | "product" | "item" => ProductName,
        "单位" | "计量单位" | "unit" | "uom" => Unit,
        "类别" | "分类" | "类型" | "产品类别" | "产品分类" | "category" | "type" | "group" => {
            Category
        }
        "单价" | "标价" | "售价" | "价格" | "标准售价" | "销售价" | "销售单价" | "定价"
        | "listprice" | "price" | "unitprice" | "saleprice" => ListPrice,
        "成本" | "标准成本" | "成本价" | "进价" | "采购价" | "单位成本" | "standardcost"
        | "cost" | "unitcost" => StandardCost,
        "启用" | "状态" | "是否启用" | "在售" | "是否在售" | "active" | "status" | "enabled"
        | "onsale" => Active,
        "库存预警" | "库存预警数量" | "预警数量" | "预警库存" | "安全库存" | "最低库存"
        | "lowstock" | "lowstockthreshold" | "lowstockwarningat" | "lowstockwarning"
        | "reorderlevel" | "reorderpoint" | "minstock" => LowStockThreshold,
        _ => return None,
    })
}

/// A first guess at a product sheet's mapping, each target once, first
/// column first.
pub fn suggest_mapping(headers: &[String]) -> Vec<Target> {
    let mut taken: Vec<Target> = Vec::new();
    headers
        .iter()
        .map(|header| match product_header(&normalize(header)) {
            Some(target) if !taken.contains(&target) => {
                taken.push(target.clone());
                target
            }
            _ => Target::Ignore,
        })
        .collect()
}

/// A mapping a product import can use: a code column (the key that finds
/// the product to skip or update), product targets only, each once. Name,
/// unit and list price may be left out by a sheet that only updates.
pub fn header_problems(mapping: &[Target]) -> Option<Error> {
    if !mapping.contains(&Target::ProductCode) {
        return Some(Error::invalid(Field::Code, Problem::Required));
    }
    crate::domain::spreadsheet::mapping_problems(mapping, crate::model::ImportKind::Products)
}

/// The columns of the product export, in order: an export imports back as
/// it is.
pub const EXPORT_COLUMNS: [Target; 8] = [
    Target::ProductCode,
    Target::ProductName,
    Target::Unit,
    Target::Category,
    Target::ListPrice,
    Target::StandardCost,
    Target::LowStockThreshold,
    Target::Active,
];

/// A product as a row of the export, in `EXPORT_COLUMNS` order; `status`
/// is the words for on sale and deactivated, in the reader's language.
/// Amounts as `12800.00`, which any spreadsheet reads as a number.
pub fn export_row(p: &Product, status: [&str; 2]) -> Vec<String> {
    vec![
        p.code.clone(),
        p.name.clone(),
        p.unit.clone(),
        p.category.clone().unwrap_or_default(),
        p.list_price.to_string(),
        p.standard_cost.to_string(),
        p.low_stock_threshold
            .map(|q| q.to_string())
            .unwrap_or_default(),
        status[usize::from(!p.active)].to_string(),
    ]
}

/// A yes or no cell of the active column, in the words of the export and
/// the ones people type; empty: not given.
pub fn active_flag(text: &str) -> Result<Option<bool>> {
    let key: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Ok(Some(match key.as_str() {
        "" => return Ok(None),
        "在售" | "启用" | "已启用" | "是" | "有效" | "上架" | "active" | "onsale" | "yes" | "y"
        | "true" | "1" | "enabled" => true,
        "已停用" | "停用" | "否" | "无效" | "下架" | "停售" | "inactive" | "deactivated" | "no"
        | "n" | "false" | "0" | "disabled" => false,
        _ => return Err(Error::invalid(Field::Active, Problem::Unknown)),
    }))
}

/// One row of a product sheet, every value checked like the form's:
/// `None` where the cell is empty or not mapped, so an update keeps what
/// the product has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductRow {
    pub code: String,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub list_price: Option<Cents>,
    pub standard_cost: Option<Cents>,
    pub active: Option<bool>,
    pub low_stock_threshold: Option<Quantity>,
}

/// Every problem of the row, not only the first, with its column. Money
/// cells read as typed: `1,234.50`, `¥1234.5`, `1234`.
pub fn convert_row(cells: &[String], mapping: &[Target]) -> Result<ProductRow, Vec<CellProblem>> {
    let cells: Vec<String> = cells.iter().map(|c| unneutralise(c).to_string()).collect();
    let mut r = RowReader::new(&cells, mapping);
    let given = |v: &str| !v.is_empty();
    let row = ProductRow {
        code: r.check(&Target::ProductCode, code),
        name: r.check(&Target::ProductName, |v| {
            given(v).then(|| name(v)).transpose()
        }),
        unit: r.check(&Target::Unit, |v| given(v).then(|| unit(v)).transpose()),
        category: r.check(&Target::Category, category),
        list_price: r.check(&Target::ListPrice, |v| {
            given(v)
                .then(|| parse_amount(Field::ListPrice, v))
                .transpose()
        }),
        standard_cost: r.check(&Target::StandardCost, standard_cost),
        active: r.check(&Target::Active, active_flag),
        low_stock_threshold: r.check(&Target::LowStockThreshold, threshold),
    };
    let problems = r.finish();
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

impl ProductRow {
    /// The fields of a new product: a name, a unit and a list price are
    /// needed; a product is on sale unless the row says otherwise. The
    /// missing ones come back with their targets.
    pub fn new_product(&self) -> Result<ProductFields, Vec<(Target, Error)>> {
        let required = [
            (Target::ProductName, Field::Name, self.name.is_none()),
            (Target::Unit, Field::Unit, self.unit.is_none()),
            (
                Target::ListPrice,
                Field::ListPrice,
                self.list_price.is_none(),
            ),
        ];
        let missing: Vec<(Target, Error)> = required
            .into_iter()
            .filter(|(_, _, missing)| *missing)
            .map(|(target, field, _)| (target, Error::invalid(field, Problem::Required)))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(ProductFields {
            code: self.code.clone(),
            name: self.name.clone().unwrap_or_default(),
            unit: self.unit.clone().unwrap_or_default(),
            category: self.category.clone(),
            list_price: self.list_price.unwrap_or_default(),
            standard_cost: self.standard_cost.unwrap_or_default(),
            active: self.active.unwrap_or(true),
            low_stock_threshold: self.low_stock_threshold,
        })
    }

    /// `current` with the row's values written over it; the code keeps the
    /// letter case it has (it matched regardless).
    pub fn fill(&self, current: &ProductFields) -> ProductFields {
        ProductFields {
            code: current.code.clone(),
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            unit: self.unit.clone().unwrap_or_else(|| current.unit.clone()),
            category: self.category.clone().or_else(|| current.category.clone()),
            list_price: self.list_price.unwrap_or(current.list_price),
            standard_cost: self.standard_cost.unwrap_or(current.standard_cost),
            active: self.active.unwrap_or(current.active),
            low_stock_threshold: self.low_stock_threshold.or(current.low_stock_threshold),
        }
    }
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

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn product_headers_in_chinese_and_english_suggest_their_targets() {
        use Target::*;
        let chinese = strings(&[
            "产品编码",
            "品名",
            "计量单位",
            "分类",
            "单价",
            "成本价",
            "是否启用",
            "安全库存",
            "备注",
        ]);
        assert_eq!(
            suggest_mapping(&chinese),
            vec![
                ProductCode,
                ProductName,
                Unit,
                Category,
                ListPrice,
                StandardCost,
                Active,
                LowStockThreshold,
                Ignore
            ]
        );
        let english = strings(&[
            "SKU",
            "Product Name",
            "UoM",
            "Category",
            "List price",
            "Standard cost",
            "Active",
            "Low stock",
        ]);
        assert_eq!(suggest_mapping(&english), ENGLISH_SHEET.to_vec());
        // A second column for a target already taken is left out.
        assert_eq!(
            suggest_mapping(&strings(&["编码", "code", "名称"])),
            vec![ProductCode, Ignore, ProductName]
        );
    }

    const ENGLISH_SHEET: [Target; 8] = [
        Target::ProductCode,
        Target::ProductName,
        Target::Unit,
        Target::Category,
        Target::ListPrice,
        Target::StandardCost,
        Target::Active,
        Target::LowStockThreshold,
    ];

    #[test]
    fn the_exports_own_headers_map_back_in_both_languages() {
        let zh = strings(&[
            "编码",
            "名称",
            "单位",
            "类别",
            "标准售价",
            "标准成本",
            "库存预警数量",
            "状态",
        ]);
        let en = strings(&[
            "Code",
            "Name",
            "Unit",
            "Category",
            "List price",
            "Standard cost",
            "Low-stock warning at",
            "Status",
        ]);
        assert_eq!(suggest_mapping(&zh), EXPORT_COLUMNS.to_vec());
        assert_eq!(suggest_mapping(&en), EXPORT_COLUMNS.to_vec());
    }

    #[test]
    fn money_cells_read_as_typed_into_cents() {
        let mapping = [Target::ProductCode, Target::ListPrice, Target::StandardCost];
        for (typed, cents) in [
            ("1,234.50", 123_450),
            ("¥1234.5", 123_450),
            ("￥1,234", 123_400),
            ("1234", 123_400),
            (" 0.05 ", 5),
        ] {
            let row = convert_row(&strings(&["A-1", typed, typed]), &mapping).unwrap();
            assert_eq!(row.list_price, Some(Cents(cents)), "{typed}");
            assert_eq!(row.standard_cost, Some(Cents(cents)), "{typed}");
        }
        let row = convert_row(&strings(&["A-1", "", ""]), &mapping).unwrap();
        assert_eq!((row.list_price, row.standard_cost), (None, None));
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported_with_its_column() {
        let mapping = [
            Target::Ignore,
            Target::ProductCode,
            Target::ListPrice,
            Target::StandardCost,
            Target::Active,
            Target::LowStockThreshold,
        ];
        let row = strings(&["x", "A 1", "12.345", "-3", "maybe", "two"]);
        let problems: Vec<(usize, Error)> = convert_row(&row, &mapping)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.column, p.error))
            .collect();
        assert_eq!(
            problems,
            vec![
                (1, Error::invalid(Field::Code, Problem::Malformed)),
                (2, Error::invalid(Field::ListPrice, Problem::Malformed)),
                (3, Error::invalid(Field::StandardCost, Problem::Malformed)),
                (4, Error::invalid(Field::Active, Problem::Unknown)),
                (
                    5,
                    Error::invalid(Field::LowStockThreshold, Problem::Malformed)
                ),
            ]
        );
        let no_code = convert_row(&strings(&["x", "", "1", "", "", ""]), &mapping).unwrap_err();
        assert_eq!(
            no_code,
            vec![CellProblem {
                column: 1,
                error: Error::invalid(Field::Code, Problem::Required)
            }]
        );
    }

    #[test]
    fn the_active_column_reads_the_exports_words_and_yes_or_no() {
        for yes in ["在售", "启用", "是", "Active", "On sale", "yes", "1"] {
            assert_eq!(active_flag(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["已停用", "停用", "否", "Deactivated", "inactive", "No", "0"] {
            assert_eq!(active_flag(no), Ok(Some(false)), "{no}");
        }
        assert_eq!(active_flag(" "), Ok(None));
        assert_eq!(
            active_flag("也许"),
            Err(Error::invalid(Field::Active, Problem::Unknown))
        );
    }

    #[test]
    fn a_new_product_needs_name_unit_and_price_and_an_update_keeps_empty_cells() {
        let mapping = [Target::ProductCode, Target::ListPrice, Target::Active];
        let row = convert_row(&strings(&["srv-01", "13,000", ""]), &mapping).unwrap();
        assert_eq!(
            row.new_product().unwrap_err(),
            vec![
                (
                    Target::ProductName,
                    Error::invalid(Field::Name, Problem::Required)
                ),
                (Target::Unit, Error::invalid(Field::Unit, Problem::Required)),
            ]
        );
        let current = product_fields(&input()).unwrap();
        let filled = row.fill(&current);
        assert_eq!(filled.list_price, Cents(1_300_000));
        assert_eq!(filled.code, "SRV-01", "the code keeps its letter case");
        assert_eq!(
            ProductFields {
                list_price: current.list_price,
                ..filled
            },
            current
        );
    }

    #[test]
    fn an_export_row_reads_back_as_the_product() {
        let product = product_fields(&input())
            .unwrap()
            .into_new_product(chrono::Utc::now());
        let mut cells = export_row(&product, ["在售", "已停用"]);
        assert_eq!(
            cells,
            strings(&[
                "SRV-01",
                "服务器",
                "台",
                "硬件",
                "12800.00",
                "9000.50",
                "5",
                "在售"
            ])
        );
        let row = convert_row(&cells, &EXPORT_COLUMNS).unwrap();
        assert_eq!(row.new_product().unwrap(), ProductFields::from(&product));
        // A code the export had to quote (it looks like a formula) reads back.
        cells[0] = "'-SRV".into();
        assert_eq!(convert_row(&cells, &EXPORT_COLUMNS).unwrap().code, "-SRV");
    }

    #[test]
    fn a_product_mapping_needs_a_code_and_only_product_targets() {
        assert_eq!(
            header_problems(&[Target::ProductName]),
            Some(Error::invalid(Field::Code, Problem::Required))
        );
        assert_eq!(
            header_problems(&[Target::ProductCode, Target::Email]),
            Some(Error::invalid(Field::Email, Problem::Unknown))
        );
        assert_eq!(
            header_problems(&[Target::ProductCode, Target::Unit, Target::Unit]),
            Some(Error::invalid(Field::Unit, Problem::Taken))
        );
        assert_eq!(
            header_problems(&[Target::ProductCode, Target::Ignore, Target::ListPrice]),
            None
        );
        assert_eq!(
            crate::domain::spreadsheet::header_problems(&[Target::CustomerName, Target::ListPrice]),
            Some(Error::invalid(Field::ListPrice, Problem::Unknown)),
            "a customer import takes no product column"
        );
    }
}
