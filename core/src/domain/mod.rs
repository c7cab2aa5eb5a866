//! Domain rules as plain functions over plain types: no store, no server.
//! `money` also runs in the browser (a quote form shows its totals as the
//! lines are typed, by the very rules the server saves them with).

#[cfg(feature = "server")]
pub mod anomaly;
#[cfg(feature = "server")]
pub mod contracts;
#[cfg(feature = "server")]
pub mod customer_kpis;
#[cfg(feature = "server")]
pub mod customers;
#[cfg(feature = "server")]
pub mod deals;
#[cfg(feature = "server")]
pub mod forecast;
#[cfg(feature = "server")]
pub mod funnel;
#[cfg(feature = "server")]
pub mod login_limit;
#[cfg(feature = "server")]
pub mod matching;
pub mod money;
#[cfg(feature = "server")]
pub mod password;
#[cfg(feature = "server")]
pub mod period;
#[cfg(feature = "server")]
pub mod products;
#[cfg(feature = "server")]
pub mod quotes;
#[cfg(feature = "server")]
pub mod retention;
#[cfg(feature = "server")]
pub mod secret;
#[cfg(feature = "server")]
pub mod spreadsheet;
#[cfg(feature = "server")]
pub mod stock;
#[cfg(feature = "server")]
pub mod time;
#[cfg(feature = "server")]
pub mod validate;
#[cfg(feature = "server")]
pub mod vcard;
#[cfg(feature = "server")]
pub mod visibility;
