//! The worker's side of an interactive sign-in: the `Prompt` that turns Entra's device code
//! and the browser's URL into messages for the board, and the task handles `Esc` aborts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use lcsauth::broker::{DeviceCodeInfo, Prompt};
use lcsauth::profile::ProfileName;

use crate::front::session::open_in_browser;
use crate::tui::app::msg::Msg;

/// Shows an interactive sign-in on the board. Called from the sign-in task, never from the
/// UI loop: it only sends messages (and starts the browser, as `lcsauth login` does).
pub struct BoardPrompt {
    name: ProfileName,
    tx: UnboundedSender<Msg>,
}

impl BoardPrompt {
    pub fn new(name: ProfileName, tx: UnboundedSender<Msg>) -> Self {
        Self { name, tx }
    }
}

impl Prompt for BoardPrompt {
    fn device_code(&self, info: &DeviceCodeInfo) {
        let _ = self.tx.send(Msg::DeviceCode {
            name: self.name.clone(),
            info: info.clone(),
        });
    }

    /// `BROWSER` is honoured (`BROWSER=none` only shows the URL); over SSH or without a
    /// display no browser is started.
    fn open_browser(&self, url: &str) -> bool {
        let opened = open_in_browser(url);
        let _ = self.tx.send(Msg::BrowserOpened {
            name: self.name.clone(),
            url: url.to_string(),
            opened,
        });
        opened
    }
}

/// The running interactive sign-ins, by profile, so `Esc` can stop one. Aborting drops the
/// broker's future at its next await: the profile lock is released, the device-code polling
/// or the loopback listener ends, and nothing is stored.
#[derive(Clone, Default)]
pub struct SignIns(Arc<Mutex<HashMap<ProfileName, AbortHandle>>>);

impl SignIns {
    pub fn started(&self, name: ProfileName, task: AbortHandle) {
        // A finished task's handle is simply replaced by the next one of the same profile.
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(name, task);
    }

    pub fn abort(&self, name: &ProfileName) {
        if let Some(task) = self.0.lock().unwrap_or_else(PoisonError::into_inner).remove(name) {
            task.abort();
        }
    }
}
