//! The admin's backups page: its list, the retention policy, a snapshot now.
//! The download itself is `GET /api/v1/backup` (a file, not a server
//! function).

use guanxi_core::model::{BackupKind, BackupPolicy};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The page's data, with times already in the company's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupsPage {
    pub policy: BackupPolicy,
    pub files: Vec<BackupRow>,
    /// When and why the last scheduled snapshot failed, if it did.
    pub failure: Option<(String, String)>,
    pub folder: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupRow {
    pub name: String,
    pub kind: BackupKind,
    pub bytes: u64,
    pub taken: String,
}

#[server(endpoint = "get_backups")]
pub async fn get_backups() -> Result<BackupsPage, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        let overview = gx.backups(Actor::User(&me))?;
        let zone = gx.company_zone();
        Ok(BackupsPage {
            policy: overview.policy,
            files: overview
                .files
                .into_iter()
                .map(|f| BackupRow {
                    taken: local_time(zone, f.taken_at),
                    name: f.name,
                    kind: f.kind,
                    bytes: f.bytes,
                })
                .collect(),
            failure: overview
                .last_failure
                .map(|f| (local_time(zone, f.at), f.message)),
            folder: overview.folder,
        })
    })
    .await
}

/// The retention form as posted: numbers as typed, checked on the server.
#[server(endpoint = "update_backup_policy")]
pub async fn update_backup_policy(
    daily: String,
    weekly: String,
    monthly: String,
    version: u64,
) -> Result<BackupPolicy, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    let number = |text: &str, field| {
        text.trim()
            .parse::<u32>()
            .map_err(|_| fail(Error::invalid(field, Problem::Malformed)))
    };
    let policy = BackupPolicy {
        daily: number(&daily, Field::KeepDaily)?,
        weekly: number(&weekly, Field::KeepWeekly)?,
        monthly: number(&monthly, Field::KeepMonthly)?,
        version,
    };
    call(move |gx| gx.update_backup_policy(Actor::User(&me), policy)).await
}

#[server(endpoint = "snapshot_now")]
pub async fn snapshot_now() -> Result<String, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.snapshot_now(Actor::User(&me)).map(|f| f.name)).await
}
