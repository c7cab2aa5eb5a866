//! The pipeline API: pipelines, a pipeline's board, deals, stage moves and
//! the stage history. Moves go through the same checklist, permission and
//! version rules as a drag on the board.

pub mod close_reasons;
// Each file is named for the records it serves, and the first are the
// feature's own.
#[allow(clippy::module_inception)]
pub mod deals;
pub mod handover;
pub mod pipelines;
pub mod reopen_requests;
#[cfg(test)]
mod tests;

use guanxi_core::Error;
use guanxi_core::domain::deals::{FilterText, board_filter};
use guanxi_core::model::{BoardFilter, Id};
use serde::Deserialize;
use utoipa::IntoParams;

/// Which deals a board or list shows; what is left out means "any".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealQuery {
    /// Deals this user owns, as lead owner or with a share of the credit.
    owner: Option<Id>,
    /// Deals with an owner in this team.
    #[param(max_length = 100)]
    team: Option<String>,
    /// Deals expected to close in this month, `YYYY-MM`.
    #[param(pattern = "^(|[0-9]{4}-(0[1-9]|1[0-2]))$")]
    month: Option<String>,
    /// Deals of at least this amount, as typed: `12000.50`.
    #[param(pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")]
    min: Option<String>,
    /// Deals of at most this amount.
    #[param(pattern = r"^ *[0-9]{1,11}(\.[0-9]{1,2})? *$")]
    max: Option<String>,
    /// Deals quick-qualified (三一客) with this grade: `big`, `medium` or
    /// `small`.
    #[param(pattern = "^(|big|medium|small)$")]
    grade: Option<String>,
}

impl DealQuery {
    /// The filter, read by the same rule as the board page's.
    fn filter(self, cards_per_column: u32) -> Result<BoardFilter, Error> {
        let owner = self.owner.map(|id| id.to_string()).unwrap_or_default();
        let terms = FilterText {
            owner: &owner,
            team: self.team.as_deref().unwrap_or_default(),
            month: self.month.as_deref().unwrap_or_default(),
            min: self.min.as_deref().unwrap_or_default(),
            max: self.max.as_deref().unwrap_or_default(),
            grade: self.grade.as_deref().unwrap_or_default(),
        };
        board_filter(terms, cards_per_column)
    }
}
