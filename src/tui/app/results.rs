//! How `App` takes the results of its commands: tokens fetched (or refused), copies made,
//! files saved. Each one updates the board and says what happened on the status line.

use jiff::Timestamp;

use std::fmt::Write as _;

use lcsauth::broker::{BrokerError, ProfileState, Source};
use lcsauth::clipboard::ClipboardError;
use lcsauth::profile::{Flow, ProfileName};

use super::edit::{Edit, EditError};
use crate::tui::app::failure::{self, FailKind};
use crate::tui::app::msg::{Command, CopyVia, Got, Purpose};
use crate::tui::app::notice::{ClipboardHold, Level, history_hint};
use crate::tui::app::state::{App, copy_job};
use crate::tui::autorefresh;
use crate::tui::prompt::password::PasswordField;
use crate::tui::prompt::state::Prompt;
use crate::tui::roster::list::{Busy, Entry};
use crate::tui::time::{between, countdown, later};

impl App {
    pub(crate) fn on_fetched(
        &mut self,
        name: &ProfileName,
        state: ProfileState,
        outcome: Result<Got, Box<BrokerError>>,
        now: Timestamp,
    ) -> Option<Command> {
        let min_valid = self.roster.settings.min_valid;
        let clear_after = self.roster.settings.clear_after;
        if self.sign_in.as_ref().is_some_and(|d| d.profile == *name) {
            // The sign-in ended (a token, or a refusal explained below): its dialog closes.
            self.sign_in = None;
        }
        let entry = self.roster.get_mut(name.as_str())?;
        let busy = entry.busy.take();
        let purpose = busy.map_or(Purpose::Refresh, |b| b.purpose);
        entry.set_state(state, min_valid);
        if self.revealed.as_ref().is_some_and(|(n, _)| n == name) {
            self.revealed = None;
        }
        match outcome {
            Ok(got) => {
                let left = countdown(between(now, got.expires_at));
                if let Some(w) = got.warnings.first() {
                    self.say(Level::Warning, format!("'{name}': {w}"), now);
                } else {
                    match purpose {
                        Purpose::Refresh if got.source == Source::Joined => self.say(
                            Level::Success,
                            format!("Fresh token for '{name}', fetched meanwhile by another lcsauth ({left} left)."),
                            now,
                        ),
                        Purpose::Refresh => {
                            self.say(Level::Success, format!("Fresh token for '{name}' ({left} left)."), now);
                        }
                        Purpose::SignIn => {
                            self.say(Level::Success, format!("Signed in to '{name}' ({left} left)."), now);
                        }
                        Purpose::Copy | Purpose::Auto => {}
                    }
                }
                let audience = self.selected_audience();
                let entry = self.roster.get_mut(name.as_str())?;
                if busy.is_some_and(|b| b.copy_after) && purpose != Purpose::Copy {
                    entry.busy = Some(Busy {
                        purpose: Purpose::Copy,
                        copy_after: false,
                    });
                    let job = copy_job(entry.profile.clone(), min_valid, clear_after);
                    return Some(Command::Fetch(crate::tui::app::msg::FetchJob { audience, ..job }));
                }
                None
            }
            Err(error) => {
                let kind = FailKind::of(&error);
                let profile = entry.profile.clone();
                if purpose == Purpose::Auto {
                    entry.auto_failures += 1;
                    // Entra's refusals do not change by asking again: wait for the user.
                    entry.auto_at =
                        (kind == FailKind::Transient).then(|| later(now, autorefresh::backoff(entry.auto_failures)));
                    if entry.auto_at.is_none() && !entry.auto_audience.is_lcs() {
                        // One audience refused (no consent): the identity's others go on.
                        let min_valid = self.roster.settings.min_valid;
                        let entry = self.roster.get_mut(name.as_str())?;
                        (entry.auto_at, entry.auto_audience) =
                            autorefresh::plan(&entry.profile, &entry.state, min_valid);
                    }
                    self.say(
                        Level::Warning,
                        format!(
                            "Background refresh of '{name}' failed; the current token is kept: {}",
                            failure::sentence(&error)
                        ),
                        now,
                    );
                    return None;
                }
                let asked = matches!(purpose, Purpose::Refresh | Purpose::Copy);
                let step_up = kind == FailKind::StepUp && asked && profile.flow != Flow::Password;
                if step_up && self.sign_in.is_none() {
                    self.say(
                        Level::Info,
                        format!(
                            "'{name}': the tenant demands a step-up (a claims challenge); signing in again with it."
                        ),
                        now,
                    );
                    return self.start_sign_in(profile, purpose == Purpose::Copy, now);
                }
                let needs_sign_in = kind == FailKind::SignIn && asked;
                if needs_sign_in && !profile.flow.takes_secret() && self.sign_in.is_none() {
                    return self.start_sign_in(profile, purpose == Purpose::Copy, now);
                }
                let offer = self.roster.get(name.as_str()).and_then(|e| self.interactive_offer(e));
                if let (true, Some(flow)) = (needs_sign_in, offer) {
                    // Entra refused this account's password for MFA: asking for it again
                    // would only be refused again.
                    let how = if flow == Flow::DeviceCode {
                        "device-code"
                    } else {
                        "browser"
                    };
                    self.say(
                        Level::Info,
                        format!(
                            "'{name}' needs MFA, which a password sign-in cannot pass: press i to switch to the {how} sign-in."
                        ),
                        now,
                    );
                    return None;
                }
                if needs_sign_in && profile.flow.takes_secret() && self.prompt.is_none() && self.sign_in.is_none() {
                    self.prompt = Some(Prompt::SignIn {
                        profile,
                        password: PasswordField::default(),
                        then_copy: purpose == Purpose::Copy,
                    });
                    self.say(
                        Level::Info,
                        format!("'{name}' needs a sign-in: type the password."),
                        now,
                    );
                } else {
                    self.say(Level::Error, failure::sentence(&error), now);
                }
                None
            }
        }
    }

    pub(crate) fn on_copied(
        &mut self,
        name: ProfileName,
        result: Result<CopyVia, ClipboardError>,
        now: Timestamp,
    ) -> Option<Command> {
        let left = self
            .roster
            .get(name.as_str())
            .and_then(Entry::expires_at)
            .map(|end| countdown(between(now, end)))
            .unwrap_or_default();
        match result {
            Ok(CopyVia::Clipboard { clear_after }) => {
                let hint = history_hint().map(|h| format!("; {h}")).unwrap_or_default();
                self.say(Level::Success, format!("Copied '{name}' (valid {left}{hint})."), now);
                self.clipboard = Some(ClipboardHold {
                    profile: name,
                    clear_at: later(now, clear_after),
                });
                None
            }
            Ok(CopyVia::Terminal { text, reason }) => {
                self.say(
                    Level::Info,
                    format!("No system clipboard ({reason}): sent the token of '{name}' to your terminal's clipboard (OSC 52); it is not cleared automatically."),
                    now,
                );
                Some(Command::Osc52(text))
            }
            Err(e) => {
                self.say(Level::Error, format!("Cannot copy: {e}"), now);
                None
            }
        }
    }

    pub(crate) fn on_saved(&mut self, result: Result<Edit, EditError>, now: Timestamp) -> Option<Command> {
        match result {
            Ok(edit) => {
                self.form = None;
                self.select_after_load = edit.saved_profile().cloned();
                let text = edit_text(&edit, now);
                match edit.sign_in() {
                    Some(Err(e)) => self.say(Level::Warning, format!("{text} The sign-in failed: {e}"), now),
                    _ => self.say(Level::Success, text, now),
                }
            }
            Err(e) => match self.form.as_mut().filter(|f| f.saving) {
                Some(form) => {
                    form.saving = false;
                    form.save_error = Some(e.to_string());
                }
                None => self.say(Level::Error, e.to_string(), now),
            },
        }
        None
    }
}

/// What a saved change says on the status line.
fn edit_text(edit: &Edit, now: Timestamp) -> String {
    let (mut text, signed_in) = match edit {
        Edit::DefaultSet(name) => return format!("'{name}' is now the default profile."),
        Edit::Deleted(name) => return format!("Deleted '{name}' and its secrets."),
        Edit::Added { name, sign_in } => (format!("Added '{name}'."), sign_in),
        Edit::Replaced { name, effect, sign_in } => {
            let mut text = format!("Saved '{name}'.");
            let more = effect.describe(name.as_str());
            if !more.is_empty() {
                text.push(' ');
                text.push_str(&more);
            }
            (text, sign_in)
        }
    };
    if let Some(Ok(expires_at)) = signed_in {
        let left = countdown(between(now, *expires_at));
        let _ = write!(text, " Signed in ({left} left).");
    }
    text
}

impl App {}
