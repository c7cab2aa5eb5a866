//! Guanxi's core: the types shared by browser and server, the domain rules, and
//! (with the `server` feature) the redb store and the services that REST handlers
//! and server functions both call, so that every rule exists once.

pub mod chart;
pub mod error;
pub mod model;

#[cfg(feature = "server")]
pub mod demo;
pub mod domain;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;

pub use error::{Error, Field, Problem};
