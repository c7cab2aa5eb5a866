//! The expense API: expenses with their filters, and the company's expense
//! categories. Who sees which expense follows who spent it, as customers
//! follow their owner (`guanxi_core::service::expenses`).

// Each file is named for the records it serves, and the first are the
// feature's own.
pub mod categories;
#[allow(clippy::module_inception)]
pub mod expenses;
#[cfg(test)]
mod tests;
