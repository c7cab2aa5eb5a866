//! The customer API: customers, contacts, activities, tasks and search. Each
//! handler parses the request, calls the service the pages call, and answers
//! JSON, so visibility, validation and version checks are the UI's own.

pub mod activities;
pub mod bulk;
pub mod contacts;
pub mod customer_types;
// Each file is named for the records it serves, and the first are the
// feature's own.
#[allow(clippy::module_inception)]
pub mod customers;
pub mod pool;
#[cfg(test)]
mod pool_tests;
pub mod recycle_bin;
pub mod search;
pub mod settings;
pub mod tasks;
#[cfg(test)]
mod tests;
pub mod timeline;

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 500;
