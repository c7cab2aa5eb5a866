//! `guanxi upgrade NEW_BINARY`: replace this program with a newer one. The
//! installed service is stopped first and started again after, so the new
//! version's first start migrates the data (copying the file to
//! `backups/` first, as every migration does).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::os_service::{self, State};

pub fn upgrade(new_binary: &Path) -> Result<(), String> {
    let current =
        std::env::current_exe().map_err(|e| format!("cannot find this program's own path: {e}"))?;
    let new_version = version_of(new_binary)?;
    let service = os_service::state()?;
    if service == State::Running {
        println!("stopping the Guanxi service…");
        os_service::stop()?;
    }
    let replaced = replace_binary(&current, new_binary);
    if service == State::Running {
        // Started again even when the replacement failed: the old binary is
        // then still in place and the office keeps working.
        println!("starting the Guanxi service…");
        os_service::start()?;
    }
    let kept = replaced?;
    println!(
        "{} is now {new_version}; the previous version is kept as {}",
        current.display(),
        kept.display()
    );
    if service == State::NotInstalled {
        println!(
            "a server started from a console keeps running the old version: stop it (Ctrl+C) and start it again"
        );
    }
    Ok(())
}

/// What `NEW --version` says, which also proves it runs on this machine.
fn version_of(binary: &Path) -> Result<String, String> {
    let out = Command::new(binary)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !text.starts_with("guanxi ") {
        return Err(format!(
            "{} is not a Guanxi binary for this machine (its --version said {text:?})",
            binary.display()
        ));
    }
    Ok(text)
}

/// Puts `new` in `current`'s place and keeps the old one beside it as
/// `<name>.old`. Renames only: Windows lets a running program's file be
/// renamed but not overwritten, and a rename never leaves a half-copied
/// binary where the service expects one.
pub fn replace_binary(current: &Path, new: &Path) -> Result<PathBuf, String> {
    let staged = sibling(current, "new");
    let old = sibling(current, "old");
    std::fs::copy(new, &staged)
        .map_err(|e| format!("cannot copy {} to {}: {e}", new.display(), staged.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", staged.display()))?;
    }
    if old.exists() {
        std::fs::remove_file(&old)
            .map_err(|e| format!("cannot remove the older {}: {e}", old.display()))?;
    }
    std::fs::rename(current, &old).map_err(|e| {
        let _ = std::fs::remove_file(&staged);
        format!("cannot move {} aside: {e}", current.display())
    })?;
    if let Err(e) = std::fs::rename(&staged, current) {
        let _ = std::fs::rename(&old, current);
        return Err(format!("cannot put the new binary in place: {e}"));
    }
    Ok(old)
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(extension);
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_binary_takes_the_place_and_the_old_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let current = dir.path().join("guanxi.exe");
        let new = dir.path().join("download").join("guanxi.exe");
        std::fs::create_dir(new.parent().unwrap()).unwrap();
        std::fs::write(&current, "version 1").unwrap();
        std::fs::write(dir.path().join("guanxi.exe.old"), "version 0").unwrap();
        std::fs::write(&new, "version 2").unwrap();

        let kept = replace_binary(&current, &new).unwrap();

        assert_eq!(kept, dir.path().join("guanxi.exe.old"));
        assert_eq!(std::fs::read_to_string(&current).unwrap(), "version 2");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "version 1");
        assert!(!dir.path().join("guanxi.exe.new").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&current).unwrap().permissions().mode();
            assert_eq!(mode & 0o111, 0o111);
        }
    }

    #[test]
    fn a_missing_new_binary_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let current = dir.path().join("guanxi");
        std::fs::write(&current, "version 1").unwrap();
        let err = replace_binary(&current, &dir.path().join("nowhere")).unwrap_err();
        assert!(err.contains("cannot copy"), "{err}");
        assert_eq!(std::fs::read_to_string(&current).unwrap(), "version 1");
        assert!(!dir.path().join("guanxi.old").exists());
    }

    #[cfg(unix)]
    #[test]
    fn something_that_is_not_guanxi_is_refused() {
        let err = version_of(Path::new("/bin/true")).unwrap_err();
        assert!(err.contains("not a Guanxi binary"), "{err}");
    }
}
