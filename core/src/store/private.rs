//! The data folder is its owner's alone: it holds password hashes, session
//! and token digests. Folders Guanxi creates are 0700 and files 0600 on
//! Unix; on Windows a new file inherits the folder's ACL, which for a
//! folder under the user's profile or ProgramData already excludes other
//! users' write access, and nothing here changes it.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and any missing parents, owner-only; an existing folder
/// keeps the permissions its admin gave it.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens a new file for writing, owner-only; fails if it exists.
pub fn create_new_file(path: &Path) -> io::Result<File> {
    private_options().create_new(true).open(path)
}

/// Creates or truncates a file for writing, owner-only when new.
pub fn create_file(path: &Path) -> io::Result<File> {
    private_options().create(true).truncate(true).open(path)
}

/// Makes an existing file owner-only (a redb file redb created with the
/// process's umask).
pub fn restrict_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}
