//! What a change to a profile does to its tokens, one rule for `profile edit` and the board's
//! `e` and `i`: a rename takes the tokens along, a new identity drops them, a new flow clears
//! the last error (the advice it carried is followed), and turning `remember_password` off
//! forgets the password.

use super::{Broker, BrokerError};
use crate::profile::Profile;
use crate::profile::store::{ConfigError, ProfileStore};
use crate::secret::SecretKind;

/// True when a change means the cached tokens belong to another identity or resource.
pub fn identity_changed(old: &Profile, new: &Profile) -> bool {
    old.tenant != new.tenant
        || old.client_id != new.client_id
        || old.username != new.username
        || old.endpoint() != new.endpoint()
        || old.cloud() != new.cloud()
        || old.secret_meaning_changed(new)
}

/// Why a profile could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    /// The keyring refused to forget its secrets: the profile was kept, so nothing is orphaned.
    #[error(transparent)]
    Secrets(BrokerError),
    /// Its secrets are gone but `profiles.toml` could not be changed.
    #[error(transparent)]
    Config(ConfigError),
}

/// Deletes a profile, `profile remove` and the board's `d`: its secrets first, then its entry in
/// `profiles.toml`, so a keyring that refuses leaves the profile in place.
pub fn delete_profile(broker: &Broker, store: &ProfileStore, name: &str) -> Result<(), DeleteError> {
    broker.logout(name, true).map_err(DeleteError::Secrets)?;
    store
        .update(|config| config.remove(name).map(drop))
        .map_err(DeleteError::Config)
}

/// What happened to the tokens after a profile was changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    /// The tokens moved to the new name.
    pub renamed: bool,
    /// The sign-in details changed: the tokens were removed.
    pub tokens_removed: bool,
    /// The flow changed: the last error (and its advice) was cleared.
    pub error_cleared: bool,
    /// `remember_password` was turned off: the password was removed.
    pub password_forgotten: bool,
}

impl Effect {
    /// One sentence for the person who made the change; empty when nothing happened.
    pub fn describe(&self, name: &str) -> String {
        let mut parts = Vec::new();
        if self.renamed {
            parts.push("Its tokens were kept under the new name.".to_string());
        }
        if self.tokens_removed {
            parts.push(format!(
                "Its sign-in details changed, so its tokens were removed: sign in to '{name}' again."
            ));
        }
        if self.error_cleared {
            parts.push("Its last error was cleared.".to_string());
        }
        if self.password_forgotten {
            parts.push("The remembered password was removed.".to_string());
        }
        parts.join(" ")
    }
}

impl Broker {
    /// Brings the profile's tokens and state in line with a change from `old` to `new` (the
    /// change is already saved in `profiles.toml`).
    pub fn apply_change(&self, old: &Profile, new: &Profile) -> Result<Effect, BrokerError> {
        let mut effect = Effect::default();
        let name = new.name.as_str();
        if old.name != new.name {
            self.rename(old.name.as_str(), name)?;
            effect.renamed = true;
        }
        if identity_changed(old, new) {
            self.logout(name, old.username != new.username || old.secret_meaning_changed(new))?;
            effect.tokens_removed = true;
            effect.renamed = false;
            return Ok(effect);
        }
        if old.flow != new.flow {
            let mut state = self.states.load(name);
            if state.last_error.take().is_some() {
                self.states.save(name, &state).map_err(|source| BrokerError::Io {
                    what: "the token state file".into(),
                    source,
                })?;
                effect.error_cleared = true;
            }
        }
        if old.remember_password && !new.remember_password {
            self.secrets.delete(name, SecretKind::Password)?;
            effect.password_forgotten = true;
        }
        Ok(effect)
    }

    /// Moves a profile's secrets and state to a new name: each secret is written under the new
    /// name before the old one is deleted, so a failure half-way loses nothing.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), BrokerError> {
        let kinds = [SecretKind::RefreshToken, SecretKind::AccessToken, SecretKind::Password];
        let expires_at = self.states.load(from).token.map(|t| t.expires_at);
        for kind in kinds {
            if let Some(value) = self.secrets.get(from, kind)? {
                match expires_at.filter(|_| kind == SecretKind::AccessToken) {
                    // The copy keeps the token's timeout in a store that has them.
                    Some(at) => {
                        let lasts = std::time::Duration::try_from(at.duration_since(jiff::Timestamp::now()))
                            .unwrap_or_default();
                        self.secrets.set_expiring(to, kind, &value, lasts)?;
                    }
                    None => self.secrets.set(to, kind, &value)?,
                }
            }
        }
        // Each audience's access token besides `lcs` moves with the identity.
        let audiences = self.states.load(from).known_audiences();
        for a in &audiences {
            if let Some(value) = self.secrets.get(&a.secret_owner(from), SecretKind::AccessToken)? {
                self.secrets.set(&a.secret_owner(to), SecretKind::AccessToken, &value)?;
            }
        }
        self.states.rename(from, to).map_err(|source| BrokerError::Io {
            what: "the token state file".into(),
            source,
        })?;
        for kind in kinds {
            self.secrets.delete(from, kind)?;
        }
        for a in &audiences {
            self.secrets.delete(&a.secret_owner(from), SecretKind::AccessToken)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::Timestamp;

    use super::*;
    use crate::broker::{Grant, LastError, NetSettings, ProfileState, TokenMeta};
    use crate::paths::ConfigDir;
    use crate::profile::Flow;
    use crate::secret::memory::MemoryStore;
    use crate::secret::{Secret, SecretStore};

    fn setup() -> (tempfile::TempDir, Broker, Arc<MemoryStore>, Profile) {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemoryStore::default());
        let broker = Broker::new(ConfigDir::new(dir.path()), secrets.clone(), NetSettings::default());
        let profile = crate::profile::tests::sample();
        let name = profile.name.as_str();
        secrets.set(name, SecretKind::RefreshToken, &Secret::new("rt")).unwrap();
        secrets.set(name, SecretKind::AccessToken, &Secret::new("at")).unwrap();
        let now = Timestamp::now();
        let state = ProfileState {
            token: Some(TokenMeta {
                expires_at: now,
                obtained_at: now,
                grant: Grant::Password,
                claims: crate::token::Claims::default(),
                warning: None,
            }),
            last_error: Some(LastError::new(now, "AADSTS50076: MFA required")),
            ..ProfileState::default()
        };
        broker.states().save(name, &state).unwrap();
        (dir, broker, secrets, profile)
    }

    #[test]
    fn a_rename_keeps_the_tokens_under_the_new_name() {
        let (_dir, broker, secrets, old) = setup();
        let mut new = old.clone();
        new.name = "renamed".parse().unwrap();
        let effect = broker.apply_change(&old, &new).unwrap();
        assert!(effect.renamed && !effect.tokens_removed);
        let rt = secrets.get("renamed", SecretKind::RefreshToken).unwrap().unwrap();
        assert_eq!(rt.expose(), "rt");
        assert!(
            secrets
                .get(old.name.as_str(), SecretKind::RefreshToken)
                .unwrap()
                .is_none()
        );
        assert!(broker.states().load("renamed").token.is_some());
        assert!(broker.states().load(old.name.as_str()).token.is_none());
    }

    #[test]
    fn a_new_flow_clears_the_last_error_and_keeps_the_tokens() {
        let (_dir, broker, secrets, old) = setup();
        let new = Profile {
            flow: Flow::DeviceCode,
            ..old.clone()
        };
        let effect = broker.apply_change(&old, &new).unwrap();
        assert!(effect.error_cleared);
        let state = broker.states().load(old.name.as_str());
        assert!(state.last_error.is_none());
        assert!(state.token.is_some());
        assert!(
            secrets
                .get(old.name.as_str(), SecretKind::RefreshToken)
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn a_new_identity_removes_the_tokens() {
        let (_dir, broker, secrets, old) = setup();
        let new = Profile {
            username: Some("someone-else@contoso.com".into()),
            ..old.clone()
        };
        let effect = broker.apply_change(&old, &new).unwrap();
        assert!(effect.tokens_removed);
        assert!(
            secrets
                .get(old.name.as_str(), SecretKind::RefreshToken)
                .unwrap()
                .is_none()
        );
        assert_eq!(broker.states().load(old.name.as_str()), ProfileState::default());
    }

    #[test]
    fn turning_remember_password_off_forgets_the_password_and_keeps_the_tokens() {
        let (_dir, broker, secrets, mut old) = setup();
        old.remember_password = true;
        let name = old.name.as_str();
        secrets.set(name, SecretKind::Password, &Secret::new("pw")).unwrap();
        let new = Profile {
            remember_password: false,
            ..old.clone()
        };
        let effect = broker.apply_change(&old, &new).unwrap();
        assert_eq!(
            effect,
            Effect {
                password_forgotten: true,
                ..Effect::default()
            }
        );
        assert!(secrets.get(name, SecretKind::Password).unwrap().is_none());
        assert_eq!(
            secrets.get(name, SecretKind::RefreshToken).unwrap().unwrap().expose(),
            "rt"
        );
        assert_eq!(
            secrets.get(name, SecretKind::AccessToken).unwrap().unwrap().expose(),
            "at"
        );
        assert_eq!(effect.describe(name), "The remembered password was removed.");
    }

    #[test]
    fn a_switch_to_an_interactive_flow_forgets_a_remembered_password_and_clears_the_error() {
        let (_dir, broker, secrets, mut old) = setup();
        old.remember_password = true;
        let name = old.name.as_str();
        secrets.set(name, SecretKind::Password, &Secret::new("pw")).unwrap();
        let mut new = old.clone();
        new.switch_flow(Flow::Browser);
        let effect = broker.apply_change(&old, &new).unwrap();
        assert!(effect.password_forgotten && effect.error_cleared && !effect.tokens_removed);
        assert!(secrets.get(name, SecretKind::Password).unwrap().is_none());
        assert!(secrets.get(name, SecretKind::RefreshToken).unwrap().is_some());
        assert_eq!(
            effect.describe(name),
            "Its last error was cleared. The remembered password was removed."
        );
    }
}
