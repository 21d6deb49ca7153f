//! `profiles.toml`: load with precise errors, save atomically under a lock.
//!
//! A file that fails to load is reported with its path, line and column and is never rewritten:
//! every command that changes it loads it first and stops at the first error.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Profile, ProfileName, Settings};
use crate::atomic_file::{FileLock, loose_permissions, write_private};
use crate::paths::ConfigDir;

/// Everything `profiles.toml` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub default_profile: Option<ProfileName>,
    pub settings: Settings,
    pub profiles: Vec<Profile>,
    /// Problems worth telling the user that do not stop loading (loose file permissions).
    pub warnings: Vec<String>,
}

/// Where in a file something is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("no profile named '{0}' (see `lcsauth profile list`)")]
    NotFound(String),
    #[error("a profile named '{0}' already exists (use `lcsauth profile edit {0}`)")]
    Exists(String),
    #[error("{0}")]
    Rejected(String),
    #[error("no profile selected: pass a NAME, set LCSAUTH_PROFILE, or choose a default with `lcsauth use NAME`")]
    NoneSelected,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile<P> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_profile: Option<String>,
    #[serde(default)]
    settings: Settings,
    #[serde(default = "Vec::new", rename = "profile")]
    profiles: Vec<P>,
}

const HEADER: &str = "# lcsauth profiles. This file holds no secret: passwords and tokens live in the OS keyring.\n\
                      # Keys: https://github.com/lcsauth/lcsauth#profiles\n\n";

impl Config {
    /// Parses the text of `profiles.toml`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let at = |offset: usize| location(text, path, offset);
        let raw: RawFile<toml::Spanned<Profile>> = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            location: at(e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut profiles: Vec<Profile> = Vec::with_capacity(raw.profiles.len());
        for spanned in raw.profiles {
            let start = spanned.span().start;
            let profile = spanned.into_inner();
            if profiles.iter().any(|p| p.name == profile.name) {
                return Err(ConfigError::Invalid {
                    location: at(start),
                    message: format!("duplicate profile name '{}'", profile.name),
                });
            }
            profile.validate().map_err(|e| ConfigError::Invalid {
                location: at(start),
                message: e.to_string(),
            })?;
            profiles.push(profile);
        }
        let default_profile = match raw.default_profile {
            Some(name) => {
                let parsed = name.parse::<ProfileName>().map_err(|bad| ConfigError::Invalid {
                    location: at(text.find("default_profile").unwrap_or(0)),
                    message: bad.to_string(),
                })?;
                // A default that names a removed profile is ignored rather than fatal.
                profiles.iter().any(|p| p.name == parsed).then_some(parsed)
            }
            None => None,
        };
        Ok(Config {
            default_profile,
            settings: raw.settings,
            profiles,
            warnings: Vec::new(),
        })
    }

    /// The TOML text for this config.
    pub fn render(&self) -> String {
        let raw = RawFile {
            default_profile: self.default_profile.as_ref().map(ToString::to_string),
            settings: self.settings.clone(),
            profiles: self.profiles.clone(),
        };
        // Serializing plain data with string keys cannot fail.
        let body = toml::to_string_pretty(&raw).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    pub fn find(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name.as_str() == name)
    }

    pub fn get(&self, name: &str) -> Result<&Profile, ConfigError> {
        self.find(name).ok_or_else(|| ConfigError::NotFound(name.to_string()))
    }

    pub fn add(&mut self, profile: Profile) -> Result<(), ConfigError> {
        if self.find(profile.name.as_str()).is_some() {
            return Err(ConfigError::Exists(profile.name.to_string()));
        }
        profile.validate().map_err(|e| ConfigError::Rejected(e.to_string()))?;
        self.profiles.push(profile);
        Ok(())
    }

    /// Adds a profile as `profile add` and the board's `a` do: the first one becomes the default.
    pub fn add_new(&mut self, profile: Profile) -> Result<(), ConfigError> {
        self.add(profile)?;
        if self.profiles.len() == 1 {
            self.default_profile = Some(self.profiles[0].name.clone());
        }
        Ok(())
    }

    /// Replaces the profile called `name` (which may be renamed by `profile`).
    pub fn replace(&mut self, name: &str, profile: Profile) -> Result<(), ConfigError> {
        profile.validate().map_err(|e| ConfigError::Rejected(e.to_string()))?;
        if profile.name.as_str() != name && self.find(profile.name.as_str()).is_some() {
            return Err(ConfigError::Exists(profile.name.to_string()));
        }
        let slot = self
            .profiles
            .iter_mut()
            .find(|p| p.name.as_str() == name)
            .ok_or_else(|| ConfigError::NotFound(name.to_string()))?;
        if self.default_profile.as_ref().is_some_and(|d| d.as_str() == name) {
            self.default_profile = Some(profile.name.clone());
        }
        *slot = profile;
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<Profile, ConfigError> {
        let index = self
            .profiles
            .iter()
            .position(|p| p.name.as_str() == name)
            .ok_or_else(|| ConfigError::NotFound(name.to_string()))?;
        if self.default_profile.as_ref().is_some_and(|d| d.as_str() == name) {
            self.default_profile = None;
        }
        Ok(self.profiles.remove(index))
    }

    /// The profile a command acts on: the explicit name, else `env_choice` (`LCSAUTH_PROFILE`),
    /// else the default, else the only profile there is.
    pub fn select(&self, explicit: Option<&str>, env_choice: Option<&str>) -> Result<&Profile, ConfigError> {
        if let Some(name) = explicit.or(env_choice.filter(|s| !s.is_empty())) {
            return self.get(name);
        }
        if let Some(name) = &self.default_profile {
            return self.get(name.as_str());
        }
        match self.profiles.as_slice() {
            [only] => Ok(only),
            _ => Err(ConfigError::NoneSelected),
        }
    }
}

fn location(text: &str, path: &Path, offset: usize) -> Location {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        path: path.to_path_buf(),
        line,
        column,
    }
}

/// Reads and writes `profiles.toml` in a config directory.
#[derive(Clone, Debug)]
pub struct ProfileStore {
    dir: ConfigDir,
}

impl ProfileStore {
    pub fn new(dir: ConfigDir) -> Self {
        Self { dir }
    }

    pub fn dir(&self) -> &ConfigDir {
        &self.dir
    }

    /// Loads the config; a missing file is an empty config.
    pub fn load(&self) -> Result<Config, ConfigError> {
        let path = self.dir.profiles_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        let mut config = Config::parse(&text, &path)?;
        if let Some(mode) = loose_permissions(&path) {
            config.warnings.push(format!(
                "{} is readable by other users (mode {mode:o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            ));
        }
        Ok(config)
    }

    /// Loads, changes and saves under the config lock, so concurrent edits are never lost.
    /// Nothing is written when loading or `change` fails.
    /// Makes `name` the default profile (`lcsauth use`, the board's `*`).
    pub fn set_default(&self, name: &ProfileName) -> Result<(), ConfigError> {
        self.update(|config| {
            if config.find(name.as_str()).is_none() {
                return Err(ConfigError::NotFound(name.to_string()));
            }
            config.default_profile = Some(name.clone());
            Ok(())
        })
    }

    pub fn update<T>(&self, change: impl FnOnce(&mut Config) -> Result<T, ConfigError>) -> Result<T, ConfigError> {
        let lock_path = self.dir.config_lock();
        let _lock = FileLock::acquire(&lock_path).map_err(|source| ConfigError::Write {
            path: lock_path,
            source,
        })?;
        let mut config = self.load()?;
        let out = change(&mut config)?;
        self.save(&config)?;
        Ok(out)
    }

    fn save(&self, config: &Config) -> Result<(), ConfigError> {
        let path = self.dir.profiles_file();
        write_private(&path, config.render().as_bytes()).map_err(|source| ConfigError::Write { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
default_profile = "a"

[settings]
min_valid = "10m"

[[profile]]
name = "a"
tenant = "contoso.onmicrosoft.com"
client_id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
region = "eu"
username = "ops@contoso.com"
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("profiles.toml"))
    }

    #[test]
    fn a_good_file_round_trips_through_render() {
        let config = parse(GOOD).unwrap();
        assert_eq!(config.settings.min_valid.as_secs(), 600);
        assert_eq!(config.default_profile.as_ref().unwrap().as_str(), "a");
        let again = parse(&config.render()).unwrap();
        assert_eq!(again, config);
    }

    #[test]
    fn unknown_key_is_reported_with_line_and_column() {
        let text = GOOD.replace("region = \"eu\"", "regoin = \"eu\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.starts_with("profiles.toml:11:1: "), "{err}");
        assert!(err.contains("regoin"), "{err}");
    }

    #[test]
    fn bad_client_id_names_the_field() {
        let text = GOOD.replace("0a1b2c3d-4e5f-6789-abcd-ef0123456789", "nope");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.starts_with("profiles.toml:10:13: "), "{err}");
        assert!(err.contains("client_id \"nope\" is not a GUID"), "{err}");
    }

    #[test]
    fn duplicate_names_are_refused_at_the_second_table() {
        let text = format!(
            "{GOOD}\n[[profile]]\nname = \"a\"\ntenant = \"organizations\"\nclient_id = \"0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\nflow = \"device-code\"\n"
        );
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("duplicate profile name 'a'"), "{err}");
        assert!(err.starts_with("profiles.toml:14:1: "), "{err}");
    }

    #[test]
    fn the_first_profile_added_becomes_the_default_and_later_ones_do_not() {
        let a = parse(GOOD).unwrap().profiles[0].clone();
        let mut b = a.clone();
        b.name = "b".parse().unwrap();
        let mut config = parse("").unwrap();
        config.add_new(a.clone()).unwrap();
        assert_eq!(config.default_profile.as_ref(), Some(&a.name));
        config.add_new(b).unwrap();
        assert_eq!(config.default_profile.as_ref(), Some(&a.name));
        assert!(matches!(config.add_new(a), Err(ConfigError::Exists(_))));
    }

    #[test]
    fn selection_prefers_explicit_then_env_then_default() {
        let mut config = parse(GOOD).unwrap();
        let mut b = config.profiles[0].clone();
        b.name = "b".parse().unwrap();
        config.add(b).unwrap();
        assert_eq!(config.select(Some("b"), Some("a")).unwrap().name.as_str(), "b");
        assert_eq!(config.select(None, Some("b")).unwrap().name.as_str(), "b");
        assert_eq!(config.select(None, None).unwrap().name.as_str(), "a");
        config.default_profile = None;
        assert!(matches!(config.select(None, None), Err(ConfigError::NoneSelected)));
        assert!(matches!(config.select(Some("zz"), None), Err(ConfigError::NotFound(_))));
    }
}
