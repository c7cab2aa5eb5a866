//! Server functions of the audit log page (admins). The CSV export is
//! `GET /api/v1/audit.csv` (a file, not a server function).

use guanxi_core::model::{AuditEntry, AuditFilter, Id};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Entries on a page of the log.
pub const AUDIT_PER_PAGE: usize = 50;

/// A page of the log, with times in the company's zone and people by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub total: usize,
    pub rows: Vec<AuditRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub entry: AuditEntry,
    pub when: String,
    /// Who acted, by name; `None` for a failed sign-in or the system.
    pub who: Option<String>,
}

/// What the ids in audit values name, for `domain::audit::readable`:
/// users, pipelines, stages (in `locale`) and customers.
#[cfg(feature = "ssr")]
pub fn audit_value_names(
    gx: &guanxi_core::service::Guanxi,
    locale: guanxi_core::model::Locale,
) -> Result<impl Fn(Id) -> Option<String> + '_, guanxi_core::Error> {
    let users = gx.user_names()?;
    let mut known = std::collections::HashMap::new();
    for pipeline in gx.pipelines()? {
        for stage in &pipeline.stages {
            known.insert(stage.id, crate::pages::deals::stage_name(stage, locale));
        }
        let name = crate::pages::deals::pipeline_name(&pipeline.name, locale);
        known.insert(pipeline.id, name);
    }
    Ok(move |id| {
        users
            .get(id)
            .map(str::to_string)
            .or_else(|| known.get(&id).cloned())
            .or_else(|| gx.customer_name(id))
    })
}

/// The locale a server function writes in for `me`: their own, else the
/// company's.
#[cfg(feature = "ssr")]
pub fn locale_of(
    gx: &guanxi_core::service::Guanxi,
    me: &guanxi_core::model::User,
) -> guanxi_core::model::Locale {
    me.locale
        .or_else(|| gx.company().ok().map(|c| c.default_locale))
        .unwrap_or_default()
}

#[server(endpoint = "get_audit_log", input = leptos::server_fn::codec::Json)]
pub async fn get_audit_log(filter: AuditFilter, page: usize) -> Result<AuditView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::{audit::readable, time::local_time};
    let me = current_user()?;
    call(move |gx| {
        let found = gx.audit_log(&me, &filter, page, AUDIT_PER_PAGE)?;
        let names = gx.user_names()?;
        let named = audit_value_names(gx, locale_of(gx, &me))?;
        let zone = gx.company_zone();
        Ok(AuditView {
            total: found.total,
            rows: found
                .entries
                .into_iter()
                .map(|mut entry| {
                    readable(&mut entry, &named);
                    AuditRow {
                        when: local_time(zone, entry.at),
                        who: entry.by.and_then(|by| names.get(by)).map(str::to_string),
                        entry,
                    }
                })
                .collect(),
        })
    })
    .await
}

/// Everyone who can have acted, deactivated users too, for the filter.
#[server(endpoint = "audit_people")]
pub async fn audit_people() -> Result<Vec<(Id, String)>, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        Ok(gx
            .list_users(Actor::User(&me))?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    })
    .await
}
