//! What every command and the board need: where the files are, which profile a name means, how
//! to reach the keyring and the broker, and the async runtime for the network.

use std::fmt::Write as _;
use std::sync::Arc;

use lcsauth::broker::{Broker, NetSettings};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::{Config, ProfileStore};
use lcsauth::profile::{Profile, Settings};
use lcsauth::secret::keyring::{KeyringChoice, OsKeyring};
use lcsauth::secret::{SecretStore, namespace_for};

use super::failure::{Exit, Failure};

/// What every command needs: where the files are and how to reach the keyring.
pub struct Ctx {
    pub dir: ConfigDir,
    pub profiles: ProfileStore,
    /// `LCSAUTH_PROFILE`: the profile for commands that take an optional NAME.
    pub env_profile: Option<String>,
}

impl Ctx {
    pub fn from_env() -> Result<Self, Failure> {
        let dir = ConfigDir::from_env().ok_or_else(|| {
            Failure::new(
                Exit::Failure,
                "cannot find a config directory: set LCSAUTH_CONFIG_DIR or HOME",
            )
        })?;
        Ok(Self {
            profiles: ProfileStore::new(dir.clone()),
            dir,
            env_profile: std::env::var("LCSAUTH_PROFILE").ok().filter(|s| !s.is_empty()),
        })
    }

    /// Loads `profiles.toml`, printing its warnings.
    pub fn config(&self) -> Result<Config, Failure> {
        let config = self.profiles.load()?;
        for w in &config.warnings {
            // The file's own values may appear in a warning: no control reaches the terminal.
            eprintln!("{}", lcsauth::sanitize::text(&format!("warning: {w}")));
        }
        Ok(config)
    }

    /// The profile a command acts on. A name that matches none says where it came from (the
    /// argument or `LCSAUTH_PROFILE`) and which names are close.
    pub fn select<'c>(&self, config: &'c Config, name: Option<&str>) -> Result<&'c Profile, Failure> {
        config.select(name, self.env_profile.as_deref()).map_err(|e| {
            let lcsauth::profile::store::ConfigError::NotFound(wanted) = &e else {
                return Failure::from(e);
            };
            let mut f = Failure::from(lcsauth::profile::store::ConfigError::NotFound(wanted.clone()));
            if name.is_none() && self.env_profile.is_some() {
                f.message =
                    format!("LCSAUTH_PROFILE={wanted} names no profile (the variable chose it; unset it or give NAME)");
            }
            let near = near_names(wanted, config.profiles.iter().map(|p| p.name.as_str()));
            if !near.is_empty() {
                let _ = write!(f.message, "\n  did you mean: {}?", near.join(", "));
            }
            f
        })
    }

    pub fn secrets(&self) -> Result<Arc<dyn SecretStore>, Failure> {
        let choice = KeyringChoice::from_env()?;
        let namespace = std::env::var_os("LCSAUTH_CONFIG_DIR")
            .is_some()
            .then(|| namespace_for(self.dir.root()));
        Ok(Arc::new(OsKeyring::new(choice, namespace)))
    }

    pub fn broker(&self, settings: &Settings) -> Result<Broker, Failure> {
        let net = NetSettings {
            timeout: settings.http_timeout,
            lock_wait: settings.lock_wait,
            ..NetSettings::default()
        };
        Ok(
            Broker::new(self.dir.clone(), self.secrets()?, net).on_lock_wait(Arc::new(|what: &str| {
                eprintln!("note: {}", lcsauth::sanitize::line(what));
            })),
        )
    }
}

/// Names within a small edit distance of `wanted` (or containing it), closest first.
pub fn near_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let l = n.to_lowercase();
            let d = edit_distance(&w, &l);
            let close = d <= (w.chars().count() / 3).max(2) || l.contains(&w) || w.contains(&l);
            close.then_some((d, n))
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

/// A runtime for the commands that talk to the network.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot start the async runtime: {e}")))
}
