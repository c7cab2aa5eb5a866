//! The product rows of a spreadsheet import (the upload, the jobs, the dry run
//! and the batched run are `import.rs`'s, shared with customers).
//!
//! A row finds its product by code, letter case aside, as the code index
//! does. A code met earlier in the same file counts as existing, so a file
//! that lists a product twice writes it once.

use std::collections::{HashMap, HashSet};

use chrono::Utc;

use super::Guanxi;
use super::import::{RowOutcome, record};
use crate::domain::products::{self, ProductFields, ProductRow, code_key};
use crate::domain::spreadsheet::Table;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{DuplicateMode, ImportPlan, Product, Target, User};
use crate::store::ImportWrite;

impl Guanxi {
    pub(super) fn plan_products(
        &self,
        me: &User,
        table: &Table,
        mapping: &[Target],
        mode: DuplicateMode,
        mut write: impl FnMut(usize, ImportWrite) -> Result<()>,
    ) -> Result<ImportPlan> {
        // Checked at every step, not only the upload: a role can change.
        super::products::require_product_editor(me)?;
        if let Some(problem) = products::header_problems(mapping) {
            return Err(problem);
        }
        let existing: HashMap<String, Product> = self
            .store
            .products()?
            .into_iter()
            .map(|p| (code_key(&p.code), p))
            .collect();
        let mut seen = HashSet::new();
        let mut plan = ImportPlan::default();
        for (index, cells) in table.rows.iter().enumerate() {
            let outcome = plan_product_row(cells, mapping, mode, &existing, &mut seen);
            record(&mut plan, &table.headers, index, outcome, &mut write)?;
        }
        Ok(plan)
    }
}

/// One row: read and checked like the form, then matched by code.
fn plan_product_row(
    cells: &[String],
    mapping: &[Target],
    mode: DuplicateMode,
    existing: &HashMap<String, Product>,
    seen: &mut HashSet<String>,
) -> RowOutcome {
    let column = |target: &Target| mapping.iter().position(|t| t == target);
    let row: ProductRow = products::convert_row(cells, mapping).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| (Some(p.column), p.error))
            .collect::<Vec<_>>()
    })?;
    let key = code_key(&row.code);
    let taken = || {
        vec![(
            column(&Target::ProductCode),
            Error::invalid(Field::Code, Problem::Taken),
        )]
    };
    // A row that fails does not count: a later row of its code may pass.
    let earlier_in_file = seen.contains(&key);
    let outcome = match (existing.get(&key), mode) {
        (Some(_), DuplicateMode::Create) => Err(taken()),
        (_, DuplicateMode::Create) if earlier_in_file => Err(taken()),
        (_, _) if earlier_in_file => Ok(None),
        (Some(_), DuplicateMode::Skip) => Ok(None),
        (Some(current), DuplicateMode::Update) => {
            let before = ProductFields::from(current);
            let after = row.fill(&before);
            if after == before {
                return Ok(None);
            }
            Ok(Some(ImportWrite::UpdateProduct(Product {
                updated_at: Utc::now(),
                ..current.clone().with(after)
            })))
        }
        (None, _) => {
            let fields = row.new_product().map_err(|missing| {
                missing
                    .into_iter()
                    .map(|(target, error)| (column(&target), error))
                    .collect::<Vec<_>>()
            })?;
            Ok(Some(ImportWrite::CreateProduct(
                fields.into_new_product(Utc::now()),
            )))
        }
    };
    if outcome.is_ok() {
        seen.insert(key);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::domain::products::{EXPORT_COLUMNS, export_row};
    use crate::domain::spreadsheet::write_csv;
    use crate::model::{
        Cents, ImportKind, ImportStatus, ProductInput, Quantity, Role, TypeMapping,
    };

    fn gb18030(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    fn server(code: &str) -> ProductInput {
        ProductInput {
            code: code.into(),
            name: "服务器".into(),
            unit: "台".into(),
            category: Some("硬件".into()),
            list_price: "12,800".into(),
            standard_cost: "9,000".into(),
            low_stock_threshold: Some("5".into()),
            ..Default::default()
        }
    }

    /// Row 3 has a bad price, row 4 no name, row 6 repeats row 2's code.
    const SHEET: &str = "产品编码,品名,单位,分类,单价,成本价,是否启用,库存预警\r\n\
        SRV-01,服务器,台,硬件,\"1,234.50\",900,是,5\r\n\
        SRV-02,交换机,台,网络,12.345,,是,\r\n\
        SVC-01,,小时,服务,¥800,,,\r\n\
        SVC-02,安装服务,次,服务,￥1200,300,停用,\r\n\
        srv-01,服务器（重复）,台,硬件,1,1,是,\r\n";

    fn dry_run(
        gx: &Guanxi,
        me: &User,
        job: crate::model::Id,
        mapping: &[Target],
        mode: DuplicateMode,
    ) -> Result<ImportPlan> {
        gx.import_dry_run(me, job, mapping, mode, &TypeMapping::new())
    }

    fn run(
        gx: &Guanxi,
        me: &User,
        job: crate::model::Id,
        mapping: &[Target],
        mode: DuplicateMode,
    ) -> Result<ImportPlan> {
        gx.run_import(me, job, mapping, mode, &TypeMapping::new())
    }

    #[test]
    fn the_dry_run_lists_each_bad_product_row_and_the_run_does_what_it_said() {
        let (_dir, gx, admin) = set_up_company();
        let preview = gx
            .upload_product_import(&admin, "产品.csv", &gb18030(SHEET))
            .unwrap();
        assert_eq!(preview.kind, ImportKind::Products);
        assert_eq!(preview.encoding, "gb18030");
        assert_eq!(preview.suggested, SHEET_MAPPING.to_vec());
        assert!(preview.custom_fields.is_empty());
        let plan = dry_run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        )
        .unwrap();
        assert_eq!(
            (plan.create, plan.update, plan.skip, plan.failed),
            (2, 0, 1, 2)
        );
        let problems: Vec<(usize, Option<&str>, &Error)> = plan
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref(), &p.error))
            .collect();
        assert_eq!(
            problems,
            vec![
                (
                    3,
                    Some("单价"),
                    &Error::invalid(Field::ListPrice, Problem::Malformed)
                ),
                (
                    4,
                    Some("品名"),
                    &Error::invalid(Field::Name, Problem::Required)
                ),
            ]
        );
        assert!(
            gx.products(&admin, true).unwrap().is_empty(),
            "a dry run writes nothing"
        );

        let done = run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        )
        .unwrap();
        assert_eq!(done, plan);
        assert_eq!(
            gx.import_status(&admin, preview.job).unwrap(),
            ImportStatus::Finished(plan)
        );
        let products = gx.products(&admin, true).unwrap();
        let summary: Vec<(&str, Cents, Cents, bool, Option<Quantity>)> = products
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.list_price,
                    p.standard_cost,
                    p.active,
                    p.low_stock_threshold,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "SRV-01",
                    Cents(123_450),
                    Cents(90_000),
                    true,
                    Some(Quantity::units(5))
                ),
                ("SVC-02", Cents(120_000), Cents(30_000), false, None),
            ]
        );
    }

    const SHEET_MAPPING: [Target; 8] = [
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
    fn an_existing_code_is_skipped_updated_or_a_failed_row_by_the_mode() {
        let (_dir, gx, admin) = set_up_company();
        let made = gx.create_product(&admin, server("SRV-01")).unwrap();
        // Only the price and the flag: the other cells are empty.
        let sheet = "编码,名称,单位,单价,启用\nsrv-01,,,\"13,000\",否\nNEW-1,路由器,台,800,\n";
        let upload = || {
            gx.upload_product_import(&admin, "p.csv", sheet.as_bytes())
                .unwrap()
        };
        let counts = |plan: &ImportPlan| (plan.create, plan.update, plan.skip, plan.failed);

        let skip = upload();
        let plan = dry_run(&gx, &admin, skip.job, &skip.suggested, DuplicateMode::Skip).unwrap();
        assert_eq!(counts(&plan), (1, 0, 1, 0));

        let create = upload();
        let plan = dry_run(
            &gx,
            &admin,
            create.job,
            &create.suggested,
            DuplicateMode::Create,
        )
        .unwrap();
        assert_eq!(counts(&plan), (1, 0, 0, 1));
        assert_eq!(
            (plan.problems[0].row, plan.problems[0].column.as_deref()),
            (2, Some("编码"))
        );
        assert_eq!(
            plan.problems[0].error,
            Error::invalid(Field::Code, Problem::Taken)
        );

        let update = upload();
        let plan = run(
            &gx,
            &admin,
            update.job,
            &update.suggested,
            DuplicateMode::Update,
        )
        .unwrap();
        assert_eq!(counts(&plan), (1, 1, 0, 0));
        let updated = gx.product(&admin, made.id).unwrap();
        assert_eq!(updated.list_price, Cents(1_300_000));
        assert!(!updated.active);
        assert_eq!(updated.version, made.version + 1);
        assert_eq!(
            (
                updated.code.as_str(),
                updated.name.as_str(),
                updated.standard_cost
            ),
            ("SRV-01", "服务器", made.standard_cost),
            "empty cells keep what the product has"
        );
        let new = gx.products(&admin, true).unwrap();
        assert!(new.iter().any(|p| p.code == "NEW-1" && p.active));

        // The same sheet again changes nothing: both rows are skipped.
        let again = upload();
        let plan = run(
            &gx,
            &admin,
            again.job,
            &again.suggested,
            DuplicateMode::Update,
        )
        .unwrap();
        assert_eq!(counts(&plan), (0, 0, 2, 0));
    }

    #[test]
    fn only_admins_and_managers_import_products() {
        let (_dir, gx, admin) = set_up_company();
        let manager = person(&gx, &admin, "m@example.cn", Role::Manager, Some("华东"));
        let rep = person(&gx, &admin, "r@example.cn", Role::Rep, Some("华东"));
        assert_eq!(
            gx.upload_product_import(&rep, "p.csv", SHEET.as_bytes()),
            Err(Error::Forbidden)
        );
        let preview = gx
            .upload_product_import(&manager, "p.csv", SHEET.as_bytes())
            .unwrap();
        let plan = run(
            &gx,
            &manager,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        )
        .unwrap();
        assert_eq!(plan.create, 2);
        // A customer column has no place in a product import.
        let second = gx
            .upload_product_import(&manager, "p.csv", SHEET.as_bytes())
            .unwrap();
        let mut mapping = second.suggested.clone();
        mapping[1] = Target::CustomerName;
        assert_eq!(
            dry_run(&gx, &manager, second.job, &mapping, DuplicateMode::Skip),
            Err(Error::invalid(Field::Name, Problem::Unknown))
        );
    }

    #[test]
    fn the_export_imports_back_unchanged() {
        let (_dir, gx, admin) = set_up_company();
        gx.create_product(&admin, server("SRV-01")).unwrap();
        gx.create_product(
            &admin,
            ProductInput {
                name: "安装, \"调试\"".into(),
                category: None,
                low_stock_threshold: None,
                standard_cost: String::new(),
                active: false,
                ..server("-SVC")
            },
        )
        .unwrap();
        let headers: Vec<String> = [
            "编码",
            "名称",
            "单位",
            "类别",
            "标准售价",
            "标准成本",
            "库存预警数量",
            "状态",
        ]
        .map(String::from)
        .to_vec();
        let exported = gx.products(&admin, true).unwrap();
        let csv = write_csv(
            &headers,
            exported.iter().map(|p| export_row(p, ["在售", "已停用"])),
        );

        let preview = gx.upload_product_import(&admin, "p.csv", &csv).unwrap();
        assert_eq!(preview.suggested, EXPORT_COLUMNS.to_vec());
        let plan = run(
            &gx,
            &admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Update,
        )
        .unwrap();
        assert_eq!(
            (plan.create, plan.update, plan.skip, plan.failed),
            (0, 0, 2, 0),
            "{plan:?}"
        );

        let (_other_dir, other, other_admin) = set_up_company();
        let preview = other
            .upload_product_import(&other_admin, "p.csv", &csv)
            .unwrap();
        let plan = run(
            &other,
            &other_admin,
            preview.job,
            &preview.suggested,
            DuplicateMode::Skip,
        )
        .unwrap();
        assert_eq!(plan.create, 2, "{plan:?}");
        let fields = |list: Vec<Product>| -> Vec<ProductFields> {
            list.iter().map(ProductFields::from).collect()
        };
        assert_eq!(
            fields(other.products(&other_admin, true).unwrap()),
            fields(exported)
        );
    }
}
