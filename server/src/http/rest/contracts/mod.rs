//! The contract API: contracts made from accepted quotes and won deals,
//! their lifecycle and approval, versions with the changes between them,
//! payment plans, payments received, and the receivables with aging.

// Each file is named for the records it serves, and the first are the
// feature's own.
#[allow(clippy::module_inception)]
pub mod contracts;
pub mod payments;
#[cfg(test)]
mod tests;
