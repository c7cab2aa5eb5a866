//! The targets API: targets (指标) with their progress, and the target
//! planner. Who sees and sets which target is the service's rule
//! (`guanxi_core::service::targets`).

pub mod planner;
#[allow(clippy::module_inception)]
pub mod targets;
#[cfg(test)]
mod tests;
