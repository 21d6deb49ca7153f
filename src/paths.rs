//! Where lcsauth keeps its files. With `LCSAUTH_CONFIG_DIR` set, everything goes under it.

use std::path::{Path, PathBuf};

/// The config directory and the files in it.
#[derive(Clone, Debug)]
pub struct ConfigDir {
    root: PathBuf,
}

impl ConfigDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$LCSAUTH_CONFIG_DIR`, else the OS config directory for "lcsauth".
    pub fn from_env() -> Option<Self> {
        if let Some(dir) = std::env::var_os("LCSAUTH_CONFIG_DIR").filter(|d| !d.is_empty()) {
            return Some(Self::new(dir));
        }
        directories::ProjectDirs::from("", "", "lcsauth").map(|d| Self::new(d.config_dir()))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn profiles_file(&self) -> PathBuf {
        self.root.join("profiles.toml")
    }

    /// Non-secret token metadata, one file per profile.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join("state")
    }

    pub fn state_file(&self, profile: &str) -> PathBuf {
        self.state_dir().join(format!("{profile}.json"))
    }

    pub fn locks_dir(&self) -> PathBuf {
        self.root.join("locks")
    }

    /// Held while a process fetches a new token for the profile.
    pub fn profile_lock(&self, profile: &str) -> PathBuf {
        self.locks_dir().join(format!("{profile}.lock"))
    }

    /// Held while a process rewrites `profiles.toml`.
    pub fn config_lock(&self) -> PathBuf {
        self.locks_dir().join("profiles.toml.lock")
    }
}
