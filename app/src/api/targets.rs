//! Server functions of targets and the target planner. Who sees and sets
//! which target is the service's (`guanxi_core::service::targets`).

use guanxi_core::model::{
    Cents, Id, Plan, PlannerParams, SalesTarget, SalesTargetRow, TargetChoice, TargetProgress,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the targets page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetsView {
    pub year: i32,
    pub this_year: i32,
    pub rows: Vec<SalesTargetRow>,
    /// Whether the reader may set any target (whom, `get_target_choices`,
    /// is asked when the editor opens: an admin's list holds every
    /// product).
    pub can_set: bool,
}

#[server(endpoint = "get_targets")]
pub async fn get_targets(#[server(default)] year: Option<i32>) -> Result<TargetsView, AppError> {
    use crate::ssr::*;
    use chrono::Datelike;
    let me = current_user()?;
    call(move |gx| {
        let this_year = gx.company_today().year();
        let year = year
            .filter(|y| guanxi_core::domain::targets::YEARS.contains(y))
            .unwrap_or(this_year);
        Ok(TargetsView {
            year,
            this_year,
            rows: gx.targets(&me, Some(year))?,
            can_set: gx.may_set_targets(&me)?,
        })
    })
    .await
}

/// Whom the reader may set targets for, in the editor's order.
#[server(endpoint = "get_target_choices")]
pub async fn get_target_choices() -> Result<Vec<TargetChoice>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.target_choices(&me)).await
}

/// The target form as the browser posts it: `whom` is `scope:subject`
/// (`company:`, `team:华东`, `rep:01J…`), the months one field each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetForm {
    pub year: String,
    pub whom: String,
    pub measure: String,
    pub total: String,
    pub split: String,
    pub m1: String,
    pub m2: String,
    pub m3: String,
    pub m4: String,
    pub m5: String,
    pub m6: String,
    pub m7: String,
    pub m8: String,
    pub m9: String,
    pub m10: String,
    pub m11: String,
    pub m12: String,
}

impl TargetForm {
    pub fn months(&self) -> [&String; 12] {
        [
            &self.m1, &self.m2, &self.m3, &self.m4, &self.m5, &self.m6, &self.m7, &self.m8,
            &self.m9, &self.m10, &self.m11, &self.m12,
        ]
    }

    /// The input the services take; a part that does not parse is the
    /// service's to refuse, with its field.
    #[cfg(feature = "ssr")]
    fn input(&self) -> Result<guanxi_core::model::SalesTargetInput, guanxi_core::Error> {
        use guanxi_core::model::{TargetMeasure, TargetScope, TargetSplit};
        use guanxi_core::{Error, Field, Problem};
        let (scope, subject) = self.whom.split_once(':').unwrap_or((&self.whom, ""));
        let scope =
            TargetScope::parse(scope).ok_or(Error::invalid(Field::Subject, Problem::Required))?;
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .map_err(|_| Error::invalid(Field::Year, Problem::Malformed))?;
        Ok(guanxi_core::model::SalesTargetInput {
            year,
            scope,
            subject: subject.to_string(),
            measure: TargetMeasure::parse(&self.measure).unwrap_or_default(),
            total: self.total.clone(),
            split: TargetSplit::parse(&self.split).unwrap_or_default(),
            months: self.months().into_iter().cloned().collect(),
        })
    }
}

/// Sets a target (`id` empty) or saves an edit from `version`.
#[server(endpoint = "save_target")]
pub async fn save_target(
    #[server(default)] id: String,
    #[server(default)] version: u64,
    target: TargetForm,
) -> Result<SalesTarget, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let input = target.input()?;
        match id.trim() {
            "" => gx.create_target(&me, input),
            id => {
                let id: Id = id.parse().map_err(|_| guanxi_core::Error::NotFound)?;
                gx.update_target(&me, id, version, input)
            }
        }
    })
    .await
}

/// The twelve months the form's split gives, for the reader to adjust.
#[server(endpoint = "split_target", input = leptos::server_fn::codec::Json)]
pub async fn split_target(target: TargetForm) -> Result<Vec<Cents>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| Ok(gx.target_split(&me, &target.input()?)?.months)).await
}

#[server(endpoint = "delete_target")]
pub async fn delete_target(id: Id, version: u64) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_target(&me, id, Some(version))).await
}

#[server(endpoint = "get_target_progress")]
pub async fn get_target_progress(id: Id) -> Result<TargetProgress, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.target_progress(&me, id)).await
}

/// What the planner page shows: the plan, and whom it may be made for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannerView {
    pub plan: Plan,
    /// (id, name) of the reps the reader may plan for.
    pub reps: Vec<(Id, String)>,
    /// The teams the reader may plan for.
    pub teams: Vec<String>,
    pub me: Id,
}

#[server(endpoint = "get_plan", input = leptos::server_fn::codec::Json)]
pub async fn get_plan(params: PlannerParams) -> Result<PlannerView, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::Role;
    let me = current_user()?;
    call(move |gx| {
        let people = gx.visible_active_users(&me)?;
        let mut teams: Vec<String> = match me.role {
            Role::Admin => people.iter().filter_map(|u| u.team.clone()).collect(),
            Role::Manager => me.team.clone().into_iter().collect(),
            Role::Rep => Vec::new(),
        };
        teams.sort();
        teams.dedup();
        Ok(PlannerView {
            plan: gx.target_plan(&me, &params)?,
            reps: people.into_iter().map(|u| (u.id, u.name)).collect(),
            teams,
            me: me.id,
        })
    })
    .await
}
