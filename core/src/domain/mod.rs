//! Domain rules as plain functions over plain types: no store, no server.

pub mod customers;
pub mod deals;
pub mod login_limit;
pub mod matching;
pub mod money;
pub mod password;
pub mod products;
pub mod quotes;
#[cfg(feature = "server")]
pub mod retention;
pub mod secret;
#[cfg(feature = "server")]
pub mod spreadsheet;
pub mod time;
pub mod validate;
pub mod vcard;
pub mod visibility;
