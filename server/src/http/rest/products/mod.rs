//! The product API: products, their CSV export, and the company's sales
//! settings (tax, discount limit, cost method) that quotes and contracts
//! follow. Everyone signed in reads; admins and managers change products,
//! admins the settings.

// Each file is named for the records it serves, and the first are the
// feature's own.
#[allow(clippy::module_inception)]
pub mod products;
pub mod sales_settings;
#[cfg(test)]
mod tests;
