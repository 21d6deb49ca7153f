//! Notices when `profiles.toml` or a token state file changes on disk (another lcsauth:
//! `login`, `logout`, `token --force`, another board; an editor): sizes, modification times
//! and inodes are read once a second on the blocking pool, and a change becomes
//! `Msg::ProfilesChanged`, so the board reloads. An idle board is woken only when something
//! changed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc::UnboundedSender;
use tokio::time::MissedTickBehavior;

use crate::tui::app::msg::Msg;

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

/// What tells one version of a directory's files from another: a hash of every file's name
/// and stamp (temporary files of a save in progress left out). `None` when there is no
/// directory.
pub fn dir_stamp(dir: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut files: Vec<(String, FileStamp)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if name.starts_with('.') {
                return None;
            }
            Some((name, stamp(&e.path())?))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (name, s) in &files {
        name.hash(&mut h);
        s.len.hash(&mut h);
        s.modified.hash(&mut h);
        s.inode.hash(&mut h);
    }
    Some(h.finish())
}

/// Both things the board reads: `profiles.toml` and the state directory.
pub type Stamps = (Option<FileStamp>, Option<u64>);

/// The stamps of `profiles` and `states` now.
pub fn stamps(profiles: &Path, states: &Path) -> Stamps {
    (stamp(profiles), dir_stamp(states))
}

/// Watches `profiles` and the state directory `states` from `seen` (their stamps when the board
/// read them) until the board is gone.
pub fn spawn(profiles: PathBuf, states: PathBuf, mut seen: Stamps, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        every.tick().await;
        loop {
            every.tick().await;
            let (p, d) = (profiles.clone(), states.clone());
            let Ok(now) = tokio::task::spawn_blocking(move || stamps(&p, &d)).await else {
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
        let states = dir.path().join("state");
        std::fs::write(&path, "a").unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        spawn(path.clone(), states.clone(), stamps(&path, &states), tx);
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

    #[tokio::test]
    async fn a_state_file_written_or_removed_by_another_process_is_reported_within_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        let states = dir.path().join("state");
        std::fs::create_dir(&states).unwrap();
        std::fs::write(&path, "a").unwrap();
        std::fs::write(states.join("contoso.json"), "{}").unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        spawn(path.clone(), states.clone(), stamps(&path, &states), tx);
        // A save in progress (a dot-file) is not a change yet.
        std::fs::write(states.join(".contoso.json.1.tmp"), "{\"x\":1}").unwrap();
        let quiet = tokio::time::timeout(EVERY * 2 + EVERY / 2, rx.recv()).await;
        assert!(quiet.is_err(), "nothing changed, nothing is reported");
        // `lcsauth logout` elsewhere removes the state file.
        std::fs::remove_file(states.join("contoso.json")).unwrap();
        let msg = tokio::time::timeout(EVERY * 2, rx.recv()).await.unwrap();
        assert!(matches!(msg, Some(Msg::ProfilesChanged)));
        // `lcsauth token --force` elsewhere writes a new one.
        std::fs::write(states.join("contoso.json"), "{}").unwrap();
        let msg = tokio::time::timeout(EVERY * 2, rx.recv()).await.unwrap();
        assert!(matches!(msg, Some(Msg::ProfilesChanged)));
    }
}
