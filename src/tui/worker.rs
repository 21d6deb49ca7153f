//! Runs the commands of `App::update` off the UI loop: broker calls as tokio tasks, file and
//! keyring work on the blocking pool. Each result comes back to the loop as a `Msg`.

use std::fmt::Write as _;
use std::sync::Arc;

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;

use lcsauth::broker::{Ask, Broker, StateStore};
use lcsauth::profile::ProfileName;
use lcsauth::profile::store::{ConfigError, ProfileStore};
use lcsauth::secret::SecretKind;

use super::clipboard_keeper::ClipboardHandle;
use super::msg::{Command, Failed, FetchJob, Got, Msg, SaveJob, Snapshot};
use super::time::{between, countdown};
use crate::cli::profile_cmd::identity_changed;

/// Reads `profiles.toml` and the state file of every profile in it.
pub fn load(store: &ProfileStore, states: &StateStore) -> Result<Snapshot, String> {
    let config = store.load().map_err(|e| e.to_string())?;
    let states = config.profiles.iter().map(|p| states.load(p.name.as_str())).collect();
    Ok(Snapshot { config, states })
}

#[derive(Clone)]
pub struct Worker {
    broker: Arc<Broker>,
    store: ProfileStore,
    tx: UnboundedSender<Msg>,
    clipboard: ClipboardHandle,
}

impl Worker {
    pub fn new(broker: Arc<Broker>, store: ProfileStore, tx: UnboundedSender<Msg>, clipboard: ClipboardHandle) -> Self {
        Self {
            broker,
            store,
            tx,
            clipboard,
        }
    }

    fn send(&self, msg: Msg) {
        // The loop is gone only while quitting; nothing is left to tell.
        let _ = self.tx.send(msg);
    }

    /// Starts `cmd`; returns at once. `Osc52` and `Quit` belong to the loop and are ignored here.
    pub fn run(&self, cmd: Command) {
        match cmd {
            Command::Load => {
                let w = self.clone();
                tokio::task::spawn_blocking(move || w.reload());
            }
            Command::Fetch(job) => {
                let w = self.clone();
                tokio::spawn(async move { w.fetch(job).await });
            }
            Command::Reveal(profile) => {
                let w = self.clone();
                tokio::task::spawn_blocking(move || {
                    let token = w
                        .broker
                        .secrets()
                        .get(profile.name.as_str(), SecretKind::AccessToken)
                        .map_err(|e| e.to_string());
                    w.send(Msg::Revealed {
                        name: profile.name,
                        token,
                    });
                });
            }
            Command::SetDefault(name) => {
                let w = self.clone();
                tokio::task::spawn_blocking(move || w.set_default(&name));
            }
            Command::Save(job) => {
                let w = self.clone();
                tokio::spawn(async move { w.save(job).await });
            }
            Command::Delete(name) => {
                let w = self.clone();
                tokio::task::spawn_blocking(move || w.delete(&name));
            }
            Command::Osc52(_) | Command::Quit => {}
        }
    }

    fn reload(&self) {
        self.send(Msg::Loaded(load(&self.store, self.broker.states())));
    }

    async fn fetch(&self, job: FetchJob) {
        let FetchJob {
            profile,
            min_valid,
            force,
            sign_in,
            password,
            copy,
            ..
        } = job;
        let result = if sign_in {
            self.broker.login(&profile, password).await
        } else {
            let ask = Ask {
                min_valid,
                force,
                password,
            };
            self.broker.fresh(&profile, ask).await
        };
        let name = profile.name.clone();
        let states = self.broker.states().clone();
        let key = name.to_string();
        let state = tokio::task::spawn_blocking(move || states.load(&key))
            .await
            .unwrap_or_default();
        let outcome = match &result {
            Ok(issued) => Ok(Got {
                expires_at: issued.expires_at,
                source: issued.source,
                warnings: issued.warnings.clone(),
            }),
            Err(e) => Err(Failed::from(e)),
        };
        self.send(Msg::Fetched {
            name: name.clone(),
            state: Box::new(state),
            outcome,
        });
        if let (Ok(issued), Some(clear_after)) = (result, copy) {
            self.clipboard.copy(name, issued.access_token, clear_after);
        }
    }

    fn set_default(&self, name: &ProfileName) {
        let result = self.store.update(|config| {
            if config.find(name.as_str()).is_none() {
                return Err(ConfigError::NotFound(name.to_string()));
            }
            config.default_profile = Some(name.clone());
            Ok(())
        });
        self.send(Msg::Saved {
            result: result
                .map(|()| format!("'{name}' is now the default profile."))
                .map_err(|e| e.to_string()),
            select: None,
            warning: None,
        });
        self.reload();
    }

    fn delete(&self, name: &ProfileName) {
        // Secrets first, as `profile remove` does: if the keyring refuses, the profile stays,
        // so nothing is left orphaned in the keyring.
        let result = self
            .broker
            .logout(name.as_str(), true)
            .map_err(|e| format!("{e}; the profile '{name}' was kept"))
            .and_then(|()| {
                self.store
                    .update(|config| config.remove(name.as_str()).map(drop))
                    .map_err(|e| e.to_string())
            });
        self.send(Msg::Saved {
            result: result.map(|()| format!("Deleted '{name}' and its secrets.")),
            select: None,
            warning: None,
        });
        self.reload();
    }

    async fn save(&self, job: SaveJob) {
        let result = self.save_inner(job).await;
        let select = result.as_ref().ok().map(|(name, _, _)| name.clone());
        let warning = result.as_ref().ok().and_then(|(_, _, w)| w.clone());
        self.send(Msg::Saved {
            result: result.map(|(_, text, _)| text),
            select,
            warning,
        });
        let w = self.clone();
        let _ = tokio::task::spawn_blocking(move || w.reload()).await;
    }

    /// Writes the profile, drops tokens that belong to another identity, signs in if a
    /// password was typed. Returns the profile's name, what to tell the user, and what went
    /// wrong after the save (a failed sign-in).
    async fn save_inner(&self, job: SaveJob) -> Result<(ProfileName, String, Option<String>), String> {
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
                None => {
                    config.add(p)?;
                    if config.profiles.len() == 1 {
                        config.default_profile = Some(config.profiles[0].name.clone());
                    }
                    Ok(())
                }
                Some(old) => config.replace(old.name.as_str(), p),
            })
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let mut text = match &original {
            None => format!("Added '{name}'."),
            Some(_) => format!("Saved '{name}'."),
        };
        if let Some(old) = &original {
            let secrets = self.broker.secrets().clone();
            let forget = if old.name != profile.name {
                Some((old.name.to_string(), true))
            } else if identity_changed(old, &profile) {
                Some((name.to_string(), old.username != profile.username))
            } else {
                None
            };
            if let Some((gone, forget_password)) = forget {
                self.broker.logout(&gone, forget_password).map_err(|e| e.to_string())?;
                text.push_str(" Its sign-in details changed, so its tokens were removed.");
            } else if old.remember_password && !profile.remember_password {
                secrets
                    .delete(name.as_str(), SecretKind::Password)
                    .map_err(|e| e.to_string())?;
                text.push_str(" The remembered password was removed.");
            }
        }
        let mut warning = None;
        if let Some(password) = password {
            match self.broker.login(&profile, Some(password)).await {
                Ok(issued) => {
                    let left = countdown(between(Timestamp::now(), issued.expires_at));
                    let _ = write!(text, " Signed in ({left} left).");
                }
                Err(e) => warning = Some(format!("The sign-in failed: {e}")),
            }
        }
        Ok((name, text, warning))
    }
}
