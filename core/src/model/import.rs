//! Types of the spreadsheet and vCard import, shared with the browser.

use serde::{Deserialize, Serialize};

use super::Id;
use crate::error::Error;

/// What an import makes: customers (with contacts), products, or past
/// orders (contracts with their payments). A job is one kind from its
/// upload on; the mapping, dry run and run follow it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    #[default]
    Customers,
    Products,
    Orders,
}

/// Where a column's values go. `Ignore` serves every kind; the product
/// targets serve product imports only, the others customer imports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Ignore,
    CustomerName,
    CustomerType,
    Kind,
    Phone,
    Email,
    Region,
    Industry,
    Source,
    Grade,
    Tags,
    Address,
    Website,
    Notes,
    ContactName,
    ContactTitle,
    ContactPhone,
    ContactEmail,
    ContactWechat,
    ContactRole,
    /// A custom field, by key.
    Custom(String),
    ProductCode,
    ProductName,
    Unit,
    Category,
    ListPrice,
    StandardCost,
    /// On sale (`在售`, `是`, `active`…) or deactivated.
    Active,
    LowStockThreshold,
    /// The order (contract) number: rows with the same one are one order.
    OrderNumber,
    /// The order's customer, by name, phone or email.
    OrderCustomer,
    SignDate,
    /// A product's code: links the line to the product (optional).
    LineProduct,
    /// The line's text; needed when the line names no product.
    LineDescription,
    LineUnit,
    Quantity,
    UnitPrice,
    /// Percent off the line.
    Discount,
    /// The order's tax rate in percent; empty: the company's default.
    TaxRate,
    /// The order's owner, by a user's email; empty: whoever imports.
    OrderOwner,
    /// What the customer has paid of the order.
    AmountReceived,
    /// When it was paid; empty: the sign date.
    ReceivedOn,
}

impl Target {
    /// The kind of import that may map a column to this target (`None`:
    /// any, for `Ignore`).
    pub fn kind(&self) -> Option<ImportKind> {
        match self {
            Target::Ignore => None,
            Target::ProductCode
            | Target::ProductName
            | Target::Unit
            | Target::Category
            | Target::ListPrice
            | Target::StandardCost
            | Target::Active
            | Target::LowStockThreshold => Some(ImportKind::Products),
            Target::OrderNumber
            | Target::OrderCustomer
            | Target::SignDate
            | Target::LineProduct
            | Target::LineDescription
            | Target::LineUnit
            | Target::Quantity
            | Target::UnitPrice
            | Target::Discount
            | Target::TaxRate
            | Target::OrderOwner
            | Target::AmountReceived
            | Target::ReceivedOn => Some(ImportKind::Orders),
            _ => Some(ImportKind::Customers),
        }
    }
}

/// What an import does with a row that looks like an existing customer (same
/// name, phone or email) or like an earlier row of the same file. For
/// products the match is the code, which is unique: `Create` then makes such
/// a row a failed row (the code is taken) instead of a second product.
/// For orders the match is the order number: an existing one is skipped
/// (`Skip`, and `Update`, since an import never changes a contract) or a
/// failed order (`Create`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateMode {
    #[default]
    Skip,
    /// Fill the existing customer with the row's non-empty values.
    Update,
    Create,
}

/// An uploaded file, parsed and waiting for its column mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub job: Id,
    #[serde(default)]
    pub kind: ImportKind,
    pub file_name: String,
    /// `utf8`, `utf8_bom` or `gb18030`.
    pub encoding: String,
    pub headers: Vec<String>,
    pub suggested: Vec<Target>,
    /// The first rows, as read.
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    /// (key, label) of the custom fields a column may map to.
    #[cfg_attr(feature = "server", schema(value_type = Vec<Vec<String>>))]
    pub custom_fields: Vec<(String, String)>,
}

/// Why one row would not import: the spreadsheet row number (the header is
/// row 1), the column's header, and the problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RowProblem {
    pub row: usize,
    pub column: Option<String>,
    /// The core's error, as its serde enum.
    #[cfg_attr(feature = "server", schema(schema_with = super::any_value_schema))]
    pub error: Error,
}

/// What an import would do, without writing anything. The counts are
/// rows, except for an order import, where `create`, `skip` and `failed`
/// count orders (an order with a bad row fails whole) and `lines` and
/// `payments` what the created orders bring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportPlan {
    pub create: usize,
    pub update: usize,
    pub skip: usize,
    pub failed: usize,
    /// The failing rows, the first `MAX_LISTED_PROBLEMS` of them.
    pub problems: Vec<RowProblem>,
    /// Type values that are no type of the company and not mapped, with how
    /// many rows have each, in the order first met: the user maps each to a
    /// type or has it created.
    #[serde(default)]
    pub unknown_types: Vec<UnknownType>,
    /// Order imports: the lines of the orders created.
    #[serde(default)]
    pub lines: usize,
    /// Order imports: the payments received the created orders record.
    #[serde(default)]
    pub payments: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UnknownType {
    pub value: String,
    pub rows: usize,
}

/// What to do with an unknown type value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TypeChoice {
    /// Import those rows with this type (a code).
    Existing(String),
    /// Add the value as a new type first (admins).
    Create,
}

/// Unknown type value → what to do with it.
pub type TypeMapping = std::collections::BTreeMap<String, TypeChoice>;

pub const MAX_LISTED_PROBLEMS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ImportStatus {
    /// Uploaded, not started.
    Ready,
    Running {
        done: usize,
        total: usize,
    },
    Finished(ImportPlan),
    Failed {
        #[cfg_attr(feature = "server", schema(schema_with = super::any_value_schema))]
        error: Error,
    },
}

/// The outcome of a vCard file: contacts added, and the cards that could not
/// be read or failed validation (by their position in the file, from 1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VcardReport {
    pub added: usize,
    /// `[position, error]` pairs.
    #[cfg_attr(feature = "server", schema(schema_with = problem_pairs_schema))]
    pub problems: Vec<(usize, Error)>,
}

/// `[[position, error], …]`: a tuple has no derived schema.
#[cfg(feature = "server")]
fn problem_pairs_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let position = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1));
    ArrayBuilder::new()
        .items(
            ArrayBuilder::new()
                .prefix_items([position.build(), super::any_value_schema()])
                .min_items(Some(2))
                .max_items(Some(2)),
        )
        .build()
}
