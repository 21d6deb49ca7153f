//! Changes to `profiles.toml` from the board: default, delete, add and edit, switch of flow.
//!
//! Every change goes through the locked `ProfileStore::update`, which loads the file afresh.
//! A change to an existing profile is refused when the profile on disk is no longer the one the
//! board showed when the user started (another lcsauth or an editor changed or deleted it), so
//! two boards on the same config never overwrite each other's edits.

use lcsauth::broker::change::{DeleteError, delete_profile};
use lcsauth::profile::store::{Config, ConfigError};
use lcsauth::profile::{Flow, Profile, ProfileName};

use crate::tui::app::edit::{Edit, EditError};
use crate::tui::app::msg::{Msg, SaveJob};
use crate::tui::shell::worker::Worker;

/// Replaces `original` by `profile`, unless the profile on disk is no longer `original`.
pub fn replace_unchanged(config: &mut Config, original: &Profile, profile: Profile) -> Result<(), ConfigError> {
    let name = original.name.as_str();
    match config.find(name) {
        None => Err(ConfigError::Rejected(format!(
            "'{name}' was deleted from profiles.toml (by another lcsauth or an editor) since you opened it; nothing was saved"
        ))),
        Some(current) if current != original => Err(ConfigError::Rejected(format!(
            "'{name}' was changed in profiles.toml (by another lcsauth or an editor) since you opened it; nothing was saved, so that change is kept: Esc, then e edits the current version"
        ))),
        Some(_) => config.replace(name, profile),
    }
}

impl Worker {
    pub(crate) fn set_default(&self, name: &ProfileName) {
        let result = self.store.set_default(name);
        self.send(Msg::Saved {
            result: result
                .map(|()| Edit::DefaultSet(name.clone()))
                .map_err(EditError::Config),
        });
        self.reload();
    }

    pub(crate) fn delete(&self, name: &ProfileName) {
        // The rule of `profile remove`: secrets first, so a refusing keyring keeps the profile.
        let result = delete_profile(&self.broker, &self.store, name.as_str())
            .map(|()| Edit::Deleted(name.clone()))
            .map_err(|e| match e {
                DeleteError::Secrets(source) => EditError::SecretsKept {
                    name: name.clone(),
                    source,
                },
                DeleteError::Config(e) => EditError::Config(e),
            });
        self.send(Msg::Saved { result });
        self.reload();
    }

    /// `i`: the profile's new flow, saved only if the profile is still as the board showed it.
    pub(crate) fn switch_flow(&self, original: &Profile, flow: Flow) {
        let mut switched = original.clone();
        switched.switch_flow(flow);
        let result = self
            .store
            .update(|config| replace_unchanged(config, original, switched.clone()))
            .map_err(EditError::Config)
            .and_then(|()| {
                // The MFA refusal that led here is answered: its advice goes with it.
                self.broker
                    .apply_change(original, &switched)
                    .map(|_| switched)
                    .map_err(EditError::Tokens)
            });
        self.send(Msg::FlowSwitched {
            name: original.name.clone(),
            result,
        });
    }

    pub(crate) async fn save(&self, job: SaveJob) {
        let result = self.save_inner(job).await;
        self.send(Msg::Saved { result });
        let w = self.clone();
        let _ = tokio::task::spawn_blocking(move || w.reload()).await;
    }

    /// Writes the profile, drops tokens that belong to another identity, signs in if a
    /// password was typed (a failed sign-in leaves the profile saved).
    async fn save_inner(&self, job: SaveJob) -> Result<Edit, EditError> {
        let SaveJob {
            original,
            profile,
            password,
        } = job;
        let name = profile.name.clone();
        let store = self.store.clone();
        let (p, o) = (profile.clone(), original.clone());
        tokio::task::spawn_blocking(move || {
            store.update(|config| match &o {
                None => config.add_new(p),
                Some(old) => replace_unchanged(config, old, p),
            })
        })
        .await??;
        let effect = match &original {
            Some(old) => {
                let (broker, o, p) = (self.broker.clone(), old.clone(), profile.clone());
                Some(
                    tokio::task::spawn_blocking(move || broker.apply_change(&o, &p))
                        .await?
                        .map_err(EditError::Tokens)?,
                )
            }
            None => None,
        };
        let sign_in = match password {
            Some(password) => Some(
                self.broker
                    .login(&profile, Some(password))
                    .await
                    .map(|issued| issued.expires_at),
            ),
            None => None,
        };
        Ok(match effect {
            None => Edit::Added { name, sign_in },
            Some(effect) => Edit::Replaced { name, effect, sign_in },
        })
    }
}
