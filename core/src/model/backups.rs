use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many scheduled snapshots the data folder's `backups/` keeps: the
/// newest of each of the last `daily` days, `weekly` weeks and `monthly`
/// months (a snapshot may count for all three).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BackupPolicy {
    #[cfg_attr(feature = "server", schema(maximum = 366))]
    pub daily: u32,
    #[cfg_attr(feature = "server", schema(maximum = 260))]
    pub weekly: u32,
    #[cfg_attr(feature = "server", schema(maximum = 120))]
    pub monthly: u32,
    pub version: u64,
}

impl Default for BackupPolicy {
    fn default() -> Self {
        BackupPolicy {
            daily: 7,
            weekly: 4,
            monthly: 12,
            version: 0,
        }
    }
}

/// Where a file in `backups/` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Taken on schedule (or by an admin's "snapshot now"); the retention
    /// policy prunes these.
    Scheduled,
    /// The file as it was before an upgrade migrated it.
    BeforeMigration,
    /// The file a restore replaced.
    BeforeRestore,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BackupFile {
    pub name: String,
    pub kind: BackupKind,
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
}

/// The last scheduled snapshot that failed, until one succeeds again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BackupFailure {
    pub at: DateTime<Utc>,
    pub message: String,
}

/// The admin's backups page: the policy, the files newest first, and
/// whether the last scheduled snapshot failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BackupsOverview {
    pub policy: BackupPolicy,
    pub files: Vec<BackupFile>,
    pub last_failure: Option<BackupFailure>,
    /// Where the files are, for whoever copies them elsewhere.
    pub folder: String,
}
