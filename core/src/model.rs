//! Plain serde types: the contract between browser, server and REST API.

mod activities;
mod audit;
mod backups;
mod contracts;
mod customers;
mod deals;
mod expenses;
mod import;
mod lists;
mod products;
mod quotes;
mod recycle_bin;
mod reports;
mod revenue;
mod stock;
mod targets;
pub use activities::*;
pub use audit::*;
pub use backups::*;
pub use contracts::*;
pub use customers::*;
pub use deals::*;
pub use expenses::*;
pub use import::*;
pub use lists::*;
pub use products::*;
pub use quotes::*;
pub use recycle_bin::*;
pub use reports::*;
pub use revenue::*;
pub use stock::*;
pub use targets::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A time-ordered unique id (a ULID): sorts by creation time as a redb key, and
/// reads as a 26-character string in URLs and JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub u128);

impl Id {
    /// A fresh id for a new record. Ids from this process only ever increase,
    /// even within one millisecond, so keys made in one transaction keep their
    /// order.
    #[cfg(feature = "server")]
    pub fn generate() -> Self {
        static GENERATOR: std::sync::Mutex<ulid::Generator> =
            std::sync::Mutex::new(ulid::Generator::new());
        let mut generator = GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
        // Overflow needs 2^80 ids in one millisecond; fall back to a random one.
        Id(generator.generate().unwrap_or_else(|_| ulid::Ulid::new()).0)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", ulid::Ulid(self.0))
    }
}

impl FromStr for Id {
    type Err = ulid::DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ulid::Ulid::from_string(s).map(|u| Id(u.0))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_u128(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            u128::deserialize(d).map(Id)
        }
    }
}

/// In JSON an id is its text form, so the OpenAPI schema is a string, not the
/// u128 a derive would see.
#[cfg(feature = "server")]
impl utoipa::PartialSchema for Id {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("A ULID: 26 characters, sorting by creation time."))
            .min_length(Some(26))
            .max_length(Some(26))
            .pattern(Some("^[0-7][0-9A-HJKMNP-TV-Z]{25}$"))
            .examples(["01JQ8ZK3X5V9T2M4N6P8R0S1W3"])
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for Id {}

/// A list of short texts (close reasons): each required, 50 characters at most.
#[cfg(feature = "server")]
pub fn short_texts_schema() -> utoipa::openapi::schema::Array {
    texts_schema(50)
}

/// A list of longer texts (checklist items): each required, 500 characters at most.
#[cfg(feature = "server")]
pub fn long_texts_schema() -> utoipa::openapi::schema::Array {
    texts_schema(500)
}

#[cfg(feature = "server")]
fn texts_schema(max: usize) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(max))
                .pattern(Some(r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$")),
        )
        .build()
}

/// The schema of a value of any shape: a core `Error` inside an import
/// report, which serializes as its serde enum.
#[cfg(feature = "server")]
pub fn any_value_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::AnyValue)
        .build()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Rep,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Rep];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Rep => "rep",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        let code = code.trim().to_ascii_lowercase();
        if code == "zh" || code.starts_with("zh-") || code.starts_with("zh_") {
            Some(Locale::ZhCn)
        } else if code == "en" || code.starts_with("en-") || code.starts_with("en_") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The first supported language in an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranked: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(pos, part)| {
                let mut pieces = part.split(';');
                let locale = Locale::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, pos, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
    /// The user's chosen UI language; `None` follows the browser.
    pub locale: Option<Locale>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped on every save; a save that names an older version is a conflict.
    pub version: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Company {
    pub name: String,
    /// ISO 4217 code, e.g. CNY.
    pub currency: String,
    /// IANA zone name, e.g. Asia/Shanghai.
    pub time_zone: String,
    pub default_locale: Locale,
    /// Sessions end after this many minutes without a request.
    pub session_idle_minutes: u32,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// What the company settings form sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CompanyInput {
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub name: String,
    /// ISO 4217 code, e.g. CNY.
    #[cfg_attr(feature = "server", schema(pattern = "^ *[A-Za-z]{3} *$"))]
    pub currency: String,
    /// IANA zone name, e.g. Asia/Shanghai.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 64))]
    pub time_zone: String,
    pub default_locale: Locale,
    /// Sessions end after this many minutes without a request.
    #[cfg_attr(feature = "server", schema(minimum = 5, maximum = 43200))]
    pub session_idle_minutes: u32,
}

/// What the first-run page sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupInput {
    pub company_name: String,
    pub currency: String,
    pub time_zone: String,
    pub default_locale: Locale,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_password: String,
}

/// An admin's new user, or an edit of one (then `password` is ignored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserInput {
    #[cfg_attr(feature = "server", schema(max_length = 254, format = Email))]
    pub email: String,
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\p{Cc}]*[^\s\p{Cc}][^\p{Cc}]*$"
        )
    )]
    pub name: String,
    pub role: Role,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 100, pattern = r"^[^\p{Cc}]*$")
    )]
    pub team: Option<String>,
}

/// A personal API token as its owner sees it; the secret is shown once, at creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}

/// What every page needs to know about who is looking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: Option<User>,
    pub company_name: Option<String>,
    pub locale: Locale,
    pub setup_done: bool,
    /// The company's currency (ISO 4217), for showing amounts.
    #[serde(default = "default_currency")]
    pub currency: String,
}

fn default_currency() -> String {
    DEFAULT_CURRENCY.to_string()
}

pub const DEFAULT_CURRENCY: &str = "CNY";
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";
pub const DEFAULT_SESSION_IDLE_MINUTES: u32 = 8 * 60;
/// Currencies offered in the settings form; any ISO 4217 code is accepted.
pub const COMMON_CURRENCIES: [&str; 10] = [
    "CNY", "HKD", "TWD", "USD", "EUR", "GBP", "JPY", "SGD", "KRW", "AUD",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_supported() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,en;q=0.8,zh-CN;q=0.9"),
            Some(Locale::ZhCn)
        );
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("de,fr"), None);
        assert_eq!(
            Locale::from_accept_language("zh-TW;q=0, en"),
            Some(Locale::En)
        );
    }

    #[test]
    fn id_round_trips_as_text() {
        let id = Id(0x0190_0000_0000_0000_0000_0000_0000_0001);
        let text = id.to_string();
        assert_eq!(text.len(), 26);
        assert_eq!(text.parse::<Id>().unwrap(), id);
    }
}
