//! Customers and their contacts (SPEC §1).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    #[default]
    Company,
    Person,
}

/// The built-in customer types; admins may add more later, so records keep the
/// code as text.
pub const BUILT_IN_CUSTOMER_TYPES: [&str; 4] = ["potential", "signed", "agent", "invalid"];

/// A customer type an admin added. Its code is what customers keep, so a
/// rename changes only the label; a retired type stays on its customers but
/// is no longer offered for new ones. Types are never deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerTypeDef {
    pub code: String,
    pub label: String,
    pub retired: bool,
}

/// The company's own customer types, beside the built-in ones (which have
/// translated labels and are always offered).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerTypes {
    pub custom: Vec<CustomerTypeDef>,
    pub version: u64,
}

impl CustomerTypes {
    pub fn is_built_in(code: &str) -> bool {
        BUILT_IN_CUSTOMER_TYPES.contains(&code)
    }

    pub fn get(&self, code: &str) -> Option<&CustomerTypeDef> {
        self.custom.iter().find(|t| t.code == code)
    }

    /// A type a customer may be given now: built-in or not retired.
    pub fn is_offered(&self, code: &str) -> bool {
        Self::is_built_in(code) || self.get(code).is_some_and(|t| !t.retired)
    }

    /// The label an admin gave a custom type; `None` for built-in types,
    /// whose labels are translated, and for unknown codes.
    pub fn label_of(&self, code: &str) -> Option<&str> {
        self.get(code).map(|t| t.label.as_str())
    }

    /// The offered type whose code or label is `value` (letter case aside).
    pub fn resolve(&self, value: &str) -> Option<String> {
        let value = value.trim();
        if let Some(code) = BUILT_IN_CUSTOMER_TYPES
            .iter()
            .find(|c| c.eq_ignore_ascii_case(value))
        {
            return Some(code.to_string());
        }
        self.custom
            .iter()
            .filter(|t| !t.retired)
            .find(|t| t.code == value || t.label.to_lowercase() == value.to_lowercase())
            .map(|t| t.code.clone())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionRole {
    DecisionMaker,
    Influencer,
    User,
    Gatekeeper,
}

impl DecisionRole {
    pub const ALL: [DecisionRole; 4] = [
        DecisionRole::DecisionMaker,
        DecisionRole::Influencer,
        DecisionRole::User,
        DecisionRole::Gatekeeper,
    ];

    /// The code forms, the API and the audit trail use.
    pub fn code(self) -> &'static str {
        match self {
            DecisionRole::DecisionMaker => "decision_maker",
            DecisionRole::Influencer => "influencer",
            DecisionRole::User => "user",
            DecisionRole::Gatekeeper => "gatekeeper",
        }
    }

    pub fn from_code(code: &str) -> Option<DecisionRole> {
        DecisionRole::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Flagged by the owner, with a one-line hint shown on hover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HotFlag {
    pub hint: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: Id,
    pub name: String,
    pub kind: CustomerKind,
    pub customer_type: String,
    pub source: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub grade: Option<String>,
    pub tags: Vec<String>,
    /// `None`: in the public pool, open for any rep to claim.
    pub owner: Option<Id>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub hot: Option<HotFlag>,
    /// Values of the admin-defined custom fields, by field key, validated
    /// against the field's kind when saved.
    pub custom: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub created_by: Id,
    pub updated_at: DateTime<Utc>,
    /// When it went to the recycle bin; such customers are hidden everywhere else.
    pub deleted_at: Option<DateTime<Utc>>,
    pub version: u64,
}

impl Customer {
    /// A new customer (version 1) from an already cleaned form or import
    /// row: the form and the importer create customers alike.
    #[cfg(feature = "server")]
    pub fn new(input: CustomerInput, owner: Option<Id>, by: Id, at: DateTime<Utc>) -> Customer {
        Customer {
            id: Id::generate(),
            name: input.name,
            kind: input.kind,
            customer_type: input.customer_type,
            source: input.source,
            industry: input.industry,
            region: input.region,
            grade: input.grade,
            tags: input.tags,
            owner,
            phone: input.phone,
            email: input.email,
            address: input.address,
            website: input.website,
            notes: input.notes,
            hot: None,
            custom: input.custom,
            created_at: at,
            created_by: by,
            updated_at: at,
            deleted_at: None,
            version: 1,
        }
    }
}

/// What a customer form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CustomerInput {
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub name: String,
    pub kind: CustomerKind,
    #[cfg_attr(feature = "server", schema(max_length = 50))]
    pub customer_type: String,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub source: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub industry: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub region: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub grade: Option<String>,
    #[cfg_attr(feature = "server", schema(max_items = 20))]
    pub tags: Vec<String>,
    #[cfg_attr(
        feature = "server",
        schema(
            max_length = 50,
            pattern = r"^( *|[0-9 +\-()#.,/eExXtT]*[0-9][0-9 +\-()#.,/eExXtT]*)$"
        )
    )]
    pub phone: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 254, format = Email))]
    pub email: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub address: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(
            max_length = 500,
            pattern = r"^(|(https?://)?[^\s\p{Cc}:]*\.[^\s\p{Cc}:]*)$"
        )
    )]
    pub website: Option<String>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub notes: Option<String>,
    pub custom: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Id,
    pub customer_id: Id,
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub notes: Option<String>,
    pub role: Option<DecisionRole>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ContactInput {
    #[cfg_attr(
        feature = "server",
        schema(
            required = true,
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub name: String,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub title: Option<String>,
    #[cfg_attr(feature = "server", schema(schema_with = phones_schema))]
    pub phones: Vec<String>,
    #[cfg_attr(feature = "server", schema(max_length = 254, format = Email))]
    pub email: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub notes: Option<String>,
    pub role: Option<DecisionRole>,
}

/// One line of a record's audit trail: who changed which field from what to what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub record: Id,
    pub by: Id,
    pub at: DateTime<Utc>,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Why a new customer or contact looks like one that exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DuplicateHint {
    pub customer_id: Id,
    pub customer_name: String,
    pub matched_on: DuplicateField,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateField {
    Name,
    Phone,
    Email,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomFieldKind {
    #[default]
    Text,
    Number,
    Date,
    Choice,
}

/// A field the admin added to every customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomField {
    /// Stable once created: values, imports and exports refer to it.
    #[cfg_attr(feature = "server", schema(max_length = 50, pattern = r"^[^\p{Cc}]*$"))]
    pub key: String,
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 50,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub label: String,
    pub kind: CustomFieldKind,
    /// The allowed values of a `Choice` field.
    #[cfg_attr(feature = "server", schema(schema_with = crate::model::short_texts_schema))]
    pub options: Vec<String>,
}

/// A button on the customer page that opens an outside site (a business
/// register, a map) with the customer filled in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LookupLink {
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 50,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub label: String,
    /// With `{name}` and `{phone}` placeholders, filled URL-encoded.
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\p{Cc}]*$")
    )]
    pub url_template: String,
}

impl LookupLink {
    pub fn url_for(&self, customer: &Customer) -> String {
        self.url_template
            .replace("{name}", &url_encode(&customer.name))
            .replace(
                "{phone}",
                &url_encode(customer.phone.as_deref().unwrap_or("")),
            )
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How customers are run: the admin's rules for the pool, fields and links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerSettings {
    /// A held customer without activity for this many days goes back to the
    /// public pool; 0 turns that off.
    #[cfg_attr(feature = "server", schema(maximum = 3650))]
    pub pool_return_days: u32,
    /// How many customers one rep may hold; 0 means no limit.
    #[cfg_attr(feature = "server", schema(maximum = 100000))]
    pub holding_limit: u32,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 200))]
    pub max_file_mb: u32,
    #[cfg_attr(feature = "server", schema(max_items = 30))]
    pub custom_fields: Vec<CustomField>,
    #[cfg_attr(feature = "server", schema(max_items = 10))]
    pub lookup_links: Vec<LookupLink>,
    pub version: u64,
}

impl Default for CustomerSettings {
    fn default() -> Self {
        CustomerSettings {
            pool_return_days: 0,
            holding_limit: 0,
            max_file_mb: 20,
            custom_fields: Vec::new(),
            lookup_links: Vec::new(),
            version: 0,
        }
    }
}

/// A search-box suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Hit {
    pub customer: Id,
    pub customer_name: String,
    /// Set when a contact matched rather than the customer.
    pub contact_name: Option<String>,
    /// Set when a deal matched (by its title or its customer's name): the
    /// hit opens the deal.
    #[serde(default)]
    pub deal_id: Option<Id>,
    #[serde(default)]
    pub deal_title: Option<String>,
    /// Set when a quote or contract matched (by its number or its
    /// customer): the hit opens it.
    #[serde(default)]
    pub document: Option<DocumentRef>,
}

/// A quote or contract as the search box names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DocumentRef {
    pub kind: DocumentKind,
    pub id: Id,
    pub number: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Quote,
    Contract,
}

impl DocumentKind {
    /// The letter its numbers start with (`Q2026-00001`, `C2026-00001`).
    pub fn letter(self) -> char {
        match self {
            DocumentKind::Quote => 'Q',
            DocumentKind::Contract => 'C',
        }
    }
}

/// Values in use, offered by the list's filter menus.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub tags: std::collections::BTreeSet<String>,
    pub regions: std::collections::BTreeSet<String>,
    pub industries: std::collections::BTreeSet<String>,
}

/// What a bulk action did to the ticked customers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    pub done: usize,
    pub skipped: usize,
    /// Why the first skipped customer was skipped: the core's error, as its
    /// serde enum.
    #[cfg_attr(feature = "server", schema(schema_with = super::any_value_schema))]
    pub first_problem: Option<crate::error::Error>,
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    #[test]
    fn a_new_customer_is_live_at_version_one_with_the_form_values() {
        let at = Utc::now();
        let input = CustomerInput {
            name: "北京星辰科技有限公司".into(),
            customer_type: "potential".into(),
            tags: vec!["重点".into()],
            phone: Some("010-8888 6666".into()),
            ..Default::default()
        };
        let c = Customer::new(input.clone(), Some(Id(7)), Id(1), at);
        assert_eq!((c.version, c.deleted_at, c.hot), (1, None, None));
        assert_eq!((c.owner, c.created_by), (Some(Id(7)), Id(1)));
        assert_eq!((c.created_at, c.updated_at), (at, at));
        assert_eq!(
            (c.name, c.tags, c.phone),
            (input.name, input.tags, input.phone)
        );
        let other = Customer::new(CustomerInput::default(), None, Id(1), at);
        assert_ne!(other.id, c.id, "each gets an id of its own");
    }
}

/// Each phone as `validate::phone` takes it: digits with the usual punctuation.
#[cfg(feature = "server")]
fn phones_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(50))
                .pattern(Some(
                    r"^( *|[0-9 +\-()#.,/eExXtT]*[0-9][0-9 +\-()#.,/eExXtT]*)$",
                )),
        )
        .build()
}
