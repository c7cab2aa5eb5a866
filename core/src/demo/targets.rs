//! This year's targets, as a boss sets them in January: the company's
//! revenue and payments, each team's and each rep's revenue, a fifth above
//! last year's and split over the months as last year went. Set through
//! the service, as a person would, after the history is written (the split
//! reads last year's money from it).

use chrono::{Datelike, NaiveDate};

use crate::model::{Cents, Role, SalesTargetInput, TargetMeasure, TargetScope, TargetSplit, User};
use crate::service::Guanxi;

/// The year's target against last year's actual.
const GROWTH: f64 = 1.2;
/// A target is a round number: whole ten thousands (万).
const ROUND_TO_CENTS: i64 = 10_000 * 100;

/// Sets the targets; answers how many.
pub(super) fn set_targets(
    gx: &Guanxi,
    users: &[User],
    today: NaiveDate,
) -> crate::error::Result<usize> {
    let admin = users
        .iter()
        .find(|u| u.role.is_admin())
        .expect("the demo has an admin");
    let mut teams: Vec<&str> = users.iter().filter_map(|u| u.team.as_deref()).collect();
    teams.sort_unstable();
    teams.dedup();
    let mut wanted = vec![
        (TargetScope::Company, String::new(), TargetMeasure::Revenue),
        (TargetScope::Company, String::new(), TargetMeasure::Payments),
    ];
    wanted.extend(
        teams
            .iter()
            .map(|team| (TargetScope::Team, team.to_string(), TargetMeasure::Revenue)),
    );
    wanted.extend(
        users
            .iter()
            .filter(|u| u.role == Role::Rep && u.active)
            .map(|rep| (TargetScope::Rep, rep.id.to_string(), TargetMeasure::Revenue)),
    );
    for (scope, subject, measure) in &wanted {
        let mut input = SalesTargetInput {
            year: today.year(),
            scope: *scope,
            subject: subject.clone(),
            measure: *measure,
            total: "1".into(),
            split: TargetSplit::LastYear,
            months: Vec::new(),
        };
        let last_year: i64 = gx
            .target_split(admin, &input)?
            .last_year
            .iter()
            .map(|c| c.0)
            .sum();
        let total = ((last_year as f64 * GROWTH) as i64 / ROUND_TO_CENTS).max(1) * ROUND_TO_CENTS;
        input.total = Cents(total).to_string();
        gx.create_target(admin, input)?;
    }
    Ok(wanted.len())
}
