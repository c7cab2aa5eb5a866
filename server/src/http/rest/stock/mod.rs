//! The stock API: what is on hand and low, the moves (purchases and
//! adjustments recorded by admins and managers), deliveries against
//! contract lines, and a product's margin. Who may do what is stated once,
//! in `guanxi_core::service::stock`.

// Each file is named for the records it serves, and the first are the
// feature's own.
pub mod deliveries;
#[allow(clippy::module_inception)]
pub mod stock;
#[cfg(test)]
mod tests;
