//! Interactive sign-in from the board: the device-code and browser dialogs, `Esc` to cancel,
//! and `i`, which moves a password profile that Entra refused for MFA to an interactive flow.

use jiff::Timestamp;

use lcsauth::broker::DeviceCodeInfo;
use lcsauth::clipboard::ClipboardError;
use lcsauth::diagnose::diagnose;
use lcsauth::profile::{Flow, Profile, ProfileName};

use super::dialog::{SignInDialog, Stage};
use crate::tui::app::edit::EditError;
use crate::tui::app::msg::{Command, CopyVia, Purpose};
use crate::tui::app::notice::Level;
use crate::tui::app::state::App;
use crate::tui::roster::list::Entry;

impl App {
    /// Starts an interactive sign-in of `profile` with its dialog; `then_copy` copies the token
    /// once it arrives (the sign-in started from `c`).
    pub(crate) fn start_sign_in(&mut self, profile: Profile, then_copy: bool, now: Timestamp) -> Option<Command> {
        let name = profile.name.clone();
        if let Some(open) = &self.sign_in {
            let text = format!(
                "The sign-in to '{}' is still waiting: finish or cancel it first.",
                open.profile
            );
            self.say(Level::Info, text, now);
            return None;
        }
        self.claim_sign_in(&name, now)?;
        self.sign_in = Some(SignInDialog {
            profile: name,
            flow: profile.flow,
            stage: Stage::Starting,
            copied: None,
        });
        let mut job = self.user_job(profile, Purpose::SignIn);
        job.copy = then_copy.then_some(self.roster.settings.clear_after);
        Some(Command::Fetch(job))
    }

    /// `Esc` in the dialog: the sign-in task is dropped, so nothing is stored.
    pub(crate) fn cancel_sign_in(&mut self, now: Timestamp) -> Option<Command> {
        let dialog = self.sign_in.take()?;
        if let Some(e) = self.roster.get_mut(dialog.profile.as_str()) {
            e.busy = None;
        }
        let text = format!("Sign-in to '{}' cancelled; nothing was stored.", dialog.profile);
        self.say(Level::Info, text, now);
        Some(Command::CancelSignIn(dialog.profile))
    }

    pub(crate) fn on_device_code(&mut self, name: ProfileName, info: DeviceCodeInfo) -> Option<Command> {
        let dialog = self.sign_in.as_mut().filter(|d| d.profile == name)?;
        let text = info.user_code.clone();
        dialog.stage = Stage::DeviceCode(info);
        Some(Command::CopyCode { name, text })
    }

    /// Without a browser the URL goes to the clipboard, for a browser the user starts.
    pub(crate) fn on_browser_opened(&mut self, name: ProfileName, url: String, opened: bool) -> Option<Command> {
        let dialog = self.sign_in.as_mut().filter(|d| d.profile == name)?;
        dialog.stage = Stage::Browser {
            url: url.clone(),
            opened,
        };
        (!opened).then_some(Command::CopyCode { name, text: url })
    }

    pub(crate) fn on_code_copied(
        &mut self,
        name: &ProfileName,
        result: Result<CopyVia, ClipboardError>,
    ) -> Option<Command> {
        if matches!(result, Ok(CopyVia::Clipboard { .. })) {
            // The code took the place of a copied token: there is nothing left to clear.
            self.clipboard = None;
        }
        let dialog = self.sign_in.as_mut().filter(|d| d.profile == *name)?;
        match result {
            Ok(CopyVia::Clipboard { .. }) => {
                dialog.copied = Some(Ok("copied to the clipboard"));
                None
            }
            Ok(CopyVia::Terminal { text, .. }) => {
                dialog.copied = Some(Ok("sent to your terminal's clipboard (OSC 52)"));
                Some(Command::Osc52(text))
            }
            Err(e) => {
                dialog.copied = Some(Err(e.to_string()));
                None
            }
        }
    }

    /// The interactive flow `i` would switch the selected profile to: only for a password
    /// profile whose last refusal the password flow can never pass (MFA, Conditional Access).
    pub fn switch_flow_offer(&self) -> Option<Flow> {
        self.roster.selected().and_then(|e| self.interactive_offer(e))
    }

    /// What `switch_flow_offer` says for `entry`.
    pub fn interactive_offer(&self, entry: &Entry) -> Option<Flow> {
        if entry.profile.flow != Flow::Password {
            return None;
        }
        let err = entry.state.last_error.as_ref()?;
        diagnose(err.code, err.error.as_deref().unwrap_or_default())
            .needs_interactive
            .then_some(self.interactive_flow)
    }

    /// `i`: saves the new flow first (the sign-in starts once `profiles.toml` says so).
    pub(crate) fn switch_flow(&mut self, now: Timestamp) -> Option<Command> {
        let Some(flow) = self.switch_flow_offer() else {
            self.say(
                Level::Info,
                "i is for a password profile that Entra refused for MFA or Conditional Access: it switches it to an interactive sign-in.",
                now,
            );
            return None;
        };
        let entry = self.roster.selected()?;
        if entry.busy.is_some() {
            let name = entry.name().clone();
            self.say(Level::Info, format!("A request for '{name}' is already running."), now);
            return None;
        }
        Some(Command::SwitchFlow {
            original: entry.profile.clone(),
            flow,
        })
    }

    pub(crate) fn on_flow_switched(
        &mut self,
        name: &ProfileName,
        result: Result<Profile, EditError>,
        now: Timestamp,
    ) -> Option<Command> {
        match result {
            Ok(profile) => {
                if let Some(e) = self.roster.get_mut(name.as_str()) {
                    e.profile = profile.clone();
                }
                let text = format!("'{name}' now signs in with the {} flow.", profile.flow);
                self.say(Level::Success, text, now);
                self.start_sign_in(profile, false, now)
            }
            Err(e) => {
                self.say(Level::Error, format!("The flow of '{name}' was not changed: {e}"), now);
                None
            }
        }
    }
}
