//! Domain rules as plain functions over plain types: no store, no server.

pub mod anomaly;
pub mod customer_kpis;
pub mod customers;
pub mod deals;
pub mod forecast;
pub mod funnel;
pub mod login_limit;
pub mod matching;
pub mod password;
pub mod period;
#[cfg(feature = "server")]
pub mod retention;
pub mod secret;
#[cfg(feature = "server")]
pub mod spreadsheet;
pub mod time;
pub mod validate;
pub mod vcard;
pub mod visibility;
