//! Whether the config directory can be trusted with a secret, as ssh judges `~/.ssh`.
//!
//! When the directory, `profiles.toml`, `state/` or `locks/` is writable by group or others, or
//! owned by another user, someone else can point a profile at their own host (or forge its
//! state): lcsauth then refuses to sign in or send a secret, and says how to fix it.

use std::path::{Path, PathBuf};

use crate::paths::ConfigDir;

/// A file or directory that someone other than the user can change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} is {why}, so another user could redirect a sign-in; lcsauth sends no secret until it is fixed: {fix}", path.display())]
pub struct Untrusted {
    pub path: PathBuf,
    pub why: String,
    pub fix: String,
}

/// The first path of the config directory that another user could change, if any.
/// Paths that do not exist yet are fine: lcsauth creates them private.
pub fn check(dir: &ConfigDir) -> Result<(), Untrusted> {
    let paths = [
        dir.root().to_path_buf(),
        dir.profiles_file(),
        dir.state_dir(),
        dir.locks_dir(),
    ];
    for path in paths {
        check_path(&path)?;
    }
    Ok(())
}

#[cfg(unix)]
fn check_path(path: &Path) -> Result<(), Untrusted> {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let me = nix::unistd::geteuid().as_raw();
    let shown = path.display();
    if meta.uid() != me {
        return Err(Untrusted {
            path: path.to_path_buf(),
            why: format!("owned by user id {}, not by you ({me})", meta.uid()),
            fix: format!("check who changed it, then `chown {me} {shown}`"),
        });
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o022 != 0 {
        let private = if meta.is_dir() { "700" } else { "600" };
        return Err(Untrusted {
            path: path.to_path_buf(),
            why: format!("writable by other users (mode {mode:o})"),
            fix: format!("check its contents, then `chmod {private} {shown}`"),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_path(_path: &Path) -> Result<(), Untrusted> {
    // The per-user profile directory's ACL is the guard on Windows.
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_group_writable_profiles_file_or_dir_is_untrusted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = ConfigDir::new(tmp.path());
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(check(&dir), Ok(()));
        std::fs::write(dir.profiles_file(), "").unwrap();
        std::fs::set_permissions(dir.profiles_file(), std::fs::Permissions::from_mode(0o620)).unwrap();
        let e = check(&dir).unwrap_err();
        assert!(e.to_string().contains("mode 620") && e.fix.contains("chmod 600"), "{e}");
        std::fs::set_permissions(dir.profiles_file(), std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(check(&dir).unwrap_err().fix.contains("chmod 700"));
    }
}
