//! Runs the commands of `App::update` off the UI loop: broker calls as tokio tasks, file and
//! keyring work on the blocking pool. Each result comes back to the loop as a `Msg`. Edits of
//! `profiles.toml` are in `edits`, the LCS probe in `probe_task`.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use lcsauth::broker::{Ask, Broker, StateStore};
use lcsauth::profile::store::{ConfigError, ProfileStore};
use lcsauth::secret::SecretKind;

use crate::tui::app::msg::{Command, FetchJob, Got, Msg, Snapshot};
use crate::tui::shell::clipboard_keeper::ClipboardHandle;
use crate::tui::sign_in::task::{BoardPrompt, SignIns};

/// Reads `profiles.toml` and the state file of every profile in it.
pub fn load(store: &ProfileStore, states: &StateStore) -> Result<Snapshot, ConfigError> {
    let config = store.load()?;
    let states = config.profiles.iter().map(|p| states.load(p.name.as_str())).collect();
    Ok(Snapshot { config, states })
}

#[derive(Clone)]
pub struct Worker {
    pub(crate) broker: Arc<Broker>,
    pub(crate) store: ProfileStore,
    tx: UnboundedSender<Msg>,
    clipboard: ClipboardHandle,
    sign_ins: SignIns,
}

impl Worker {
    pub fn new(broker: Arc<Broker>, store: ProfileStore, tx: UnboundedSender<Msg>, clipboard: ClipboardHandle) -> Self {
        Self {
            broker,
            store,
            tx,
            clipboard,
            sign_ins: SignIns::default(),
        }
    }

    pub(crate) fn send(&self, msg: Msg) {
        // The loop is gone only while quitting; nothing is left to tell.
        let _ = self.tx.send(msg);
    }

    /// Starts `cmd`; returns at once. `Osc52` and `Quit` belong to the loop and are ignored here.
    pub fn run(&self, cmd: Command) {
        let w = self.clone();
        match cmd {
            Command::Load => {
                tokio::task::spawn_blocking(move || w.reload());
            }
            Command::Fetch(job) if job.sign_in && !job.profile.flow.takes_secret() => {
                let name = job.profile.name.clone();
                let task = tokio::spawn(async move { w.fetch(job).await });
                self.sign_ins.started(name, task.abort_handle());
            }
            Command::Fetch(job) => {
                tokio::spawn(async move { w.fetch(job).await });
            }
            Command::CancelSignIn(name) => self.sign_ins.abort(&name),
            Command::CopyCode { name, text } => self.clipboard.copy_code(name, text),
            Command::Reveal(profile) => {
                tokio::task::spawn_blocking(move || {
                    let token = w.broker.secrets().get(profile.name.as_str(), SecretKind::AccessToken);
                    w.send(Msg::Revealed {
                        name: profile.name,
                        token,
                    });
                });
            }
            Command::SetDefault(name) => {
                tokio::task::spawn_blocking(move || w.set_default(&name));
            }
            Command::SwitchFlow { original, flow } => {
                tokio::task::spawn_blocking(move || w.switch_flow(&original, flow));
            }
            Command::Save(job) => {
                tokio::spawn(async move { w.save(job).await });
            }
            Command::Delete(name) => {
                tokio::task::spawn_blocking(move || w.delete(&name));
            }
            Command::Probe(job) => {
                tokio::spawn(async move { w.probe(job).await });
            }
            Command::Osc52(_) | Command::Quit => {}
        }
    }

    pub(crate) fn reload(&self) {
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
            audience,
        } = job;
        let result = if sign_in && !profile.flow.takes_secret() {
            let prompt = BoardPrompt::new(profile.name.clone(), self.tx.clone());
            self.broker.login_interactive_for(&profile, &audience, &prompt).await
        } else if sign_in {
            self.broker.login_for(&profile, &audience, password).await
        } else {
            let ask = Ask {
                min_valid,
                force,
                password,
                audience,
            };
            self.broker.fresh(&profile, ask).await
        };
        let name = profile.name.clone();
        let state = self.state_of(&name).await;
        let (outcome, copy) = match result {
            Ok(issued) => {
                let got = Got {
                    expires_at: issued.expires_at,
                    source: issued.source,
                    warnings: issued.warnings,
                };
                (Ok(got), copy.map(|clear_after| (issued.access_token, clear_after)))
            }
            Err(e) => (Err(Box::new(e)), None),
        };
        self.send(Msg::Fetched {
            name: name.clone(),
            state: Box::new(state),
            outcome,
        });
        if let Some((token, clear_after)) = copy {
            self.clipboard.copy(name, token, clear_after);
        }
    }

    /// The profile's token metadata, read on the blocking pool.
    pub(crate) async fn state_of(&self, name: &lcsauth::profile::ProfileName) -> lcsauth::broker::ProfileState {
        let states = self.broker.states().clone();
        let key = name.to_string();
        tokio::task::spawn_blocking(move || states.load(&key))
            .await
            .unwrap_or_default()
    }
}
