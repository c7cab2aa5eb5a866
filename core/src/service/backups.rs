//! Backups: snapshots an admin downloads, snapshots the server takes on
//! schedule into the data folder's `backups/`, and the retention that
//! prunes the scheduled ones.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::audit::{SETTINGS_BACKUPS, actor_id, settings_entry};
use super::{Actor, Guanxi};
use crate::domain::retention;
use crate::error::{Error, Result};
use crate::model::{BackupFailure, BackupFile, BackupKind, BackupPolicy, BackupsOverview};
use crate::store::{
    BACKUP_DIR, BEFORE_MIGRATION_PREFIX, BEFORE_RESTORE_PREFIX, SNAPSHOT_PREFIX, STAMP_FORMAT,
    SnapshotSummary, private,
};

/// A scheduled snapshot is due when the newest is older than this.
pub const SNAPSHOT_EVERY: chrono::Duration = chrono::Duration::hours(24);

impl Guanxi {
    pub fn backups(&self, actor: Actor) -> Result<BackupsOverview> {
        actor.require_admin()?;
        let dir = self.backup_dir();
        // A folder that cannot be read is a failure to show, not a page
        // that cannot open.
        let (files, unreadable) = match backup_files(&dir) {
            Ok(files) => (files, None),
            Err(e) => (
                Vec::new(),
                Some(BackupFailure {
                    at: Utc::now(),
                    message: e.to_string(),
                }),
            ),
        };
        Ok(BackupsOverview {
            policy: self.store.backup_policy()?,
            files,
            last_failure: self.backup_failure().clone().or(unreadable),
            folder: dir.display().to_string(),
        })
    }

    pub fn update_backup_policy(&self, actor: Actor, policy: BackupPolicy) -> Result<BackupPolicy> {
        actor.require_admin()?;
        let after = retention::validate(&policy)?;
        let before = self.store.backup_policy()?;
        let saved = self.store.audited(|lines| {
            lines.push(settings_entry(
                actor_id(actor),
                SETTINGS_BACKUPS,
                &before,
                &after,
            ));
            self.store.update_backup_policy(&after)
        })?;
        self.prune_snapshots(Utc::now())?;
        Ok(saved)
    }

    /// A snapshot for an admin to download, written into `file` (empty),
    /// with the attached files' bytes: the copy kept off the machine must
    /// not lose the contracts and quotes staff uploaded. Answers what it
    /// holds.
    pub fn snapshot_into(&self, actor: Actor, file: File) -> Result<SnapshotSummary> {
        actor.require_admin()?;
        let summary = self.store.snapshot_with_attachments_into(file)?;
        tracing::info!(
            customers = summary.counts.customers,
            attachments = summary.attachments,
            "snapshot written for download"
        );
        Ok(summary)
    }

    /// An admin's "snapshot now": a scheduled snapshot taken early.
    pub fn snapshot_now(&self, actor: Actor) -> Result<BackupFile> {
        actor.require_admin()?;
        self.take_scheduled_snapshot(Utc::now())
    }

    /// Whether the newest scheduled snapshot is older than `SNAPSHOT_EVERY`
    /// (or there is none).
    pub fn snapshot_due(&self, now: DateTime<Utc>) -> Result<bool> {
        let newest = backup_files(&self.backup_dir())?
            .into_iter()
            .filter(|f| f.kind == BackupKind::Scheduled)
            .map(|f| f.taken_at)
            .max();
        Ok(newest.is_none_or(|at| now - at >= SNAPSHOT_EVERY))
    }

    /// Takes a snapshot into `backups/`, then prunes the scheduled ones the
    /// policy no longer keeps. A failure is logged and shown on the admin
    /// page until a snapshot succeeds.
    pub fn take_scheduled_snapshot(&self, now: DateTime<Utc>) -> Result<BackupFile> {
        let result = self.write_snapshot(now);
        match &result {
            Ok(file) => {
                tracing::info!(file = %file.name, bytes = file.bytes, "scheduled snapshot taken");
                *self.backup_failure() = None;
            }
            Err(e) => {
                tracing::error!(error = %e, "scheduled snapshot failed");
                *self.backup_failure() = Some(BackupFailure {
                    at: now,
                    message: e.to_string(),
                });
            }
        }
        let file = result?;
        if let Err(e) = self.prune_snapshots(now) {
            tracing::error!(error = %e, "pruning old snapshots failed");
        }
        Ok(file)
    }

    fn write_snapshot(&self, now: DateTime<Utc>) -> Result<BackupFile> {
        let dir = self.backup_dir();
        private::create_dir(&dir).map_err(io_error)?;
        let name = format!("{SNAPSHOT_PREFIX}{}.redb", now.format(STAMP_FORMAT));
        let path = dir.join(&name);
        if path.exists() {
            // Two in the same second: the one there is as recent.
            return backup_file(&path)?.ok_or(Error::Internal("snapshot vanished".into()));
        }
        self.store.snapshot_to(&path)?;
        backup_file(&path)?.ok_or(Error::Internal("snapshot vanished".into()))
    }

    /// Deletes the scheduled snapshots the policy does not keep; the files
    /// kept before migrations and restores stay until an admin removes them.
    fn prune_snapshots(&self, now: DateTime<Utc>) -> Result<usize> {
        let policy = self.store.backup_policy()?;
        let dir = self.backup_dir();
        let scheduled: Vec<BackupFile> = backup_files(&dir)?
            .into_iter()
            .filter(|f| f.kind == BackupKind::Scheduled)
            .collect();
        let taken: Vec<DateTime<Utc>> = scheduled.iter().map(|f| f.taken_at).collect();
        let keep = retention::to_keep(&taken, &policy, self.company_zone(), now);
        let mut removed = 0;
        for (i, file) in scheduled.iter().enumerate() {
            if !keep.contains(&i) {
                std::fs::remove_file(dir.join(&file.name)).map_err(io_error)?;
                tracing::info!(file = %file.name, "old snapshot removed");
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The data folder's `backups/`, created owner-only if missing.
    pub fn backup_folder(&self) -> Result<PathBuf> {
        let dir = self.backup_dir();
        private::create_dir(&dir).map_err(io_error)?;
        Ok(dir)
    }

    fn backup_dir(&self) -> PathBuf {
        self.store.data_dir().join(BACKUP_DIR)
    }

    fn backup_failure(&self) -> std::sync::MutexGuard<'_, Option<BackupFailure>> {
        self.backup_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// The snapshots in `dir`, newest first; a missing folder has none.
fn backup_files(dir: &Path) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        if let Some(file) = backup_file(&entry.map_err(io_error)?.path())? {
            files.push(file);
        }
    }
    files.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.name.cmp(&a.name)));
    Ok(files)
}

/// A finished snapshot Guanxi wrote (not a `.partial` one, nor a file an
/// admin put there).
fn backup_file(path: &Path) -> Result<Option<BackupFile>> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    let Some(stem) = name.strip_suffix(".redb") else {
        return Ok(None);
    };
    let kind = if stem.starts_with(SNAPSHOT_PREFIX) {
        BackupKind::Scheduled
    } else if stem.starts_with(BEFORE_MIGRATION_PREFIX) {
        BackupKind::BeforeMigration
    } else if stem.starts_with(BEFORE_RESTORE_PREFIX) {
        BackupKind::BeforeRestore
    } else {
        return Ok(None);
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(e)),
    };
    // Every name ends in its UTC time; the file's own time is the fallback.
    let stamp = stem.rsplit('-').next().unwrap_or_default();
    let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT)
        .map(|t| t.and_utc())
        .or_else(|_| metadata.modified().map(DateTime::<Utc>::from))
        .map_err(io_error)?;
    Ok(Some(BackupFile {
        name: name.to_string(),
        kind,
        bytes: metadata.len(),
        taken_at,
    }))
}

fn io_error(e: std::io::Error) -> Error {
    Error::Internal(format!("backups: {e}"))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::Role;
    use chrono::TimeZone;

    fn scheduled(gx: &Guanxi, admin: &crate::model::User) -> Vec<String> {
        gx.backups(Actor::User(admin))
            .unwrap()
            .files
            .into_iter()
            .filter(|f| f.kind == BackupKind::Scheduled)
            .map(|f| f.name)
            .collect()
    }

    #[test]
    fn scheduled_snapshots_are_taken_when_due_and_pruned_by_the_policy() {
        let (_dir, gx, admin) = set_up_company();
        let day = |d| chrono::Utc.with_ymd_and_hms(2025, 6, d, 19, 0, 0).unwrap();
        assert!(gx.snapshot_due(day(1)).unwrap(), "none yet");
        gx.update_backup_policy(
            Actor::User(&admin),
            BackupPolicy {
                daily: 2,
                weekly: 0,
                monthly: 0,
                version: 0,
            },
        )
        .unwrap();
        for d in 1..=4 {
            gx.take_scheduled_snapshot(day(d)).unwrap();
        }
        assert!(
            !gx.snapshot_due(day(4) + chrono::Duration::hours(23))
                .unwrap()
        );
        assert!(gx.snapshot_due(day(5)).unwrap());
        // 19:00 UTC is 03:00 the next day in Shanghai.
        assert_eq!(
            scheduled(&gx, &admin),
            [
                "snapshot-20250604T190000Z.redb",
                "snapshot-20250603T190000Z.redb"
            ]
        );
        let files = gx.backups(Actor::User(&admin)).unwrap().files;
        assert!(files.iter().all(|f| f.bytes > 0));
        assert!(
            gx.backups(Actor::User(&admin))
                .unwrap()
                .last_failure
                .is_none()
        );
    }

    #[test]
    fn a_failed_snapshot_is_shown_until_one_succeeds() {
        let (dir, gx, admin) = set_up_company();
        // A file where the folder should be.
        std::fs::write(dir.path().join(BACKUP_DIR), "not a folder").unwrap();
        assert!(gx.take_scheduled_snapshot(Utc::now()).is_err());
        let failure = gx.backups(Actor::User(&admin)).unwrap().last_failure;
        assert!(failure.is_some_and(|f| f.message.contains("backups")));
        std::fs::remove_file(dir.path().join(BACKUP_DIR)).unwrap();
        gx.snapshot_now(Actor::User(&admin)).unwrap();
        assert!(
            gx.backups(Actor::User(&admin))
                .unwrap()
                .last_failure
                .is_none()
        );
    }

    #[test]
    fn only_admins_see_download_or_configure_backups() {
        let (dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "rep@example.cn", Role::Rep, None);
        let file = std::fs::File::create(dir.path().join("x.redb")).unwrap();
        assert_eq!(
            gx.snapshot_into(Actor::User(&rep), file).err(),
            Some(Error::Forbidden)
        );
        assert_eq!(gx.backups(Actor::User(&rep)).err(), Some(Error::Forbidden));
        assert_eq!(
            gx.update_backup_policy(Actor::User(&rep), BackupPolicy::default())
                .err(),
            Some(Error::Forbidden)
        );
        assert_eq!(
            gx.snapshot_now(Actor::User(&rep)).err(),
            Some(Error::Forbidden)
        );
    }

    #[test]
    fn files_kept_before_migrations_and_restores_are_listed_and_never_pruned() {
        let (dir, gx, admin) = set_up_company();
        let backups = dir.path().join(BACKUP_DIR);
        std::fs::create_dir_all(&backups).unwrap();
        for name in [
            "before-schema-7-from-3-20200101T000000Z.redb",
            "before-restore-20200102T000000Z.redb",
            "notes.txt",
        ] {
            std::fs::write(backups.join(name), "x").unwrap();
        }
        gx.take_scheduled_snapshot(Utc::now()).unwrap();
        let files = gx.backups(Actor::User(&admin)).unwrap().files;
        let kinds: Vec<BackupKind> = files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                BackupKind::Scheduled,
                BackupKind::BeforeRestore,
                BackupKind::BeforeMigration
            ]
        );
        assert_eq!(
            files[2].taken_at,
            chrono::Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()
        );
    }
}
