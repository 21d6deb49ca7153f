//! Notices when `profiles.toml` changes on disk (another lcsauth, an editor): its size,
//! modification time and inode are read once a second on the blocking pool, and a change
//! becomes `Msg::ProfilesChanged`, so the board reloads it. An idle board is woken only when
//! something changed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc::UnboundedSender;
use tokio::time::MissedTickBehavior;

use super::msg::Msg;

/// How often the file is looked at.
pub const EVERY: Duration = Duration::from_secs(1);

/// What tells one version of a file from another without reading it. Saves replace the file
/// (a new inode), so even two saves within the clock's resolution differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

/// The stamp of `path` now; `None` when there is no file.
pub fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(FileStamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
    })
}

/// Watches `path` from `seen` (its stamp when the board read it) until the board is gone.
pub fn spawn(path: PathBuf, mut seen: Option<FileStamp>, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        every.tick().await;
        loop {
            every.tick().await;
            let p = path.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || stamp(&p)).await else {
                return;
            };
            if now != seen {
                seen = now;
                if tx.send(Msg::ProfilesChanged).is_err() {
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_replaced_file_is_reported_once_and_an_unchanged_one_never() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        std::fs::write(&path, "a").unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        spawn(path.clone(), stamp(&path), tx);
        let quiet = tokio::time::timeout(EVERY * 2 + EVERY / 2, rx.recv()).await;
        assert!(quiet.is_err(), "nothing changed, nothing is reported");
        // Same length, replaced as a save does.
        std::fs::write(dir.path().join("new"), "b").unwrap();
        std::fs::rename(dir.path().join("new"), &path).unwrap();
        let msg = tokio::time::timeout(EVERY * 3, rx.recv()).await.unwrap();
        assert!(matches!(msg, Some(Msg::ProfilesChanged)));
        let again = tokio::time::timeout(EVERY * 2 + EVERY / 2, rx.recv()).await;
        assert!(again.is_err(), "one change, one message");
    }
}
