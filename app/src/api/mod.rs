//! Server functions: thin wrappers that authenticate, call a service, and map
//! errors. The REST API calls the same services.

pub mod account;
pub mod approvals;
pub mod audit;
pub mod backups;
pub mod contacts;
pub mod contracts;
pub mod customers;
pub mod deals;
pub mod expenses;
pub mod files;
pub mod import;
pub mod pipelines;
pub mod products;
pub mod quotes;
pub mod reports;
pub mod session;
pub mod settings;
pub mod stock;
pub mod targets;
pub mod users;
