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

#[server(endpoint = "get_audit_log", input = leptos::server_fn::codec::Json)]
pub async fn get_audit_log(filter: AuditFilter, page: usize) -> Result<AuditView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let found = gx.audit_log(&me, &filter, page, AUDIT_PER_PAGE)?;
        let names = gx.user_names()?;
        let zone = gx.company_zone();
        Ok(AuditView {
            total: found.total,
            rows: found
                .entries
                .into_iter()
                .map(|entry| AuditRow {
                    when: local_time(zone, entry.at),
                    who: entry.by.and_then(|by| names.get(by)).map(str::to_string),
                    entry,
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
