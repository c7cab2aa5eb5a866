//! The quote API: quotes with their lines and totals, the status flow, and
//! the approval steps a discount above the company limit goes through.

// Each file is named for the records it serves, and the first are the
// feature's own.
#[allow(clippy::module_inception)]
pub mod quotes;
#[cfg(test)]
mod tests;
