//! The state of the terminal UI and `App::update`, the one place it changes.
//!
//! `update` is synchronous and never does I/O: it takes a message and the current time, changes
//! the state, and returns at most one command for the loop to run. Key handling is in `keys`.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tui_input::Input;

use lcsauth::profile::store::ConfigError;
use lcsauth::profile::{Flow, Profile, ProfileName};
use lcsauth::secret::Secret;

use crate::tui::app::msg::{Command, FetchJob, Msg, Purpose, Snapshot};
use crate::tui::app::notice::{ClipboardHold, Level, Notice};
use crate::tui::form::state::ProfileForm;
use crate::tui::prompt::state::Prompt;
use crate::tui::roster::list::{Busy, Roster};
use crate::tui::sign_in::dialog::SignInDialog;
use crate::tui::view::layout;
use crate::tui::view::theme::Theme;

/// Token metadata is read again this often (in ticks, one a second) even when the watcher saw
/// no change (a file system whose times do not move); the watcher reports changes within a second.
pub const RELOAD_EVERY: u64 = 30;

#[derive(Debug)]
pub struct App {
    pub roster: Roster,
    /// The first reading of the files arrived.
    pub loaded: bool,
    pub form: Option<ProfileForm>,
    pub prompt: Option<Prompt>,
    /// The device-code or browser sign-in being waited for.
    pub sign_in: Option<SignInDialog>,
    /// The interactive flow that suits this session (`i` switches to it): device code over
    /// SSH or without a display, the browser otherwise. Decided once at start.
    pub interactive_flow: Flow,
    /// Why no browser would be started in this session (BROWSER=none, SSH, no display, no
    /// opener), for the browser sign-in dialog. Decided once at start.
    pub no_browser: Option<String>,
    pub help: bool,
    /// The filter line while `/` is being typed.
    pub filter_input: Option<Input>,
    pub notice: Option<Notice>,
    pub clipboard: Option<ClipboardHold>,
    /// The access token the user asked to see, for one profile.
    pub revealed: Option<(ProfileName, Secret)>,
    pub detail_scroll: u16,
    /// The default before the last change through the board (`-` goes back to it).
    pub previous: Option<ProfileName>,
    pub theme: Theme,
    pub tz: TimeZone,
    /// A line under the title (the demo says where its simulator runs).
    pub banner: Option<String>,
    /// The sign-in host and API host a new profile starts with (the demo's simulator, so a
    /// profile added there never reaches the real login host); `None` for the region's own.
    pub new_profile_host: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    ticks: u64,
    loading: bool,
    /// `profiles.toml` changed while a reading was in flight: read it once more.
    reload_pending: bool,
    /// A profile to select once the next reading of the files arrives (after a save).
    pub(crate) select_after_load: Option<ProfileName>,
    /// The audience chosen with Tab for a profile; any other profile shows `lcs` first.
    pub(crate) audience_choice: Option<(ProfileName, lcsauth::audience::Audience)>,
}

impl App {
    pub fn new(theme: Theme, tz: TimeZone, size: (u16, u16)) -> Self {
        Self {
            roster: Roster::default(),
            loaded: false,
            form: None,
            prompt: None,
            sign_in: None,
            interactive_flow: Flow::Browser,
            no_browser: None,
            help: false,
            filter_input: None,
            notice: None,
            clipboard: None,
            revealed: None,
            detail_scroll: 0,
            previous: None,
            theme,
            tz,
            banner: None,
            new_profile_host: None,
            size,
            quit: false,
            ticks: 0,
            loading: false,
            reload_pending: false,
            select_after_load: None,
            audience_choice: None,
        }
    }

    /// The audience `c` and `r` act on for the selected profile: the one chosen with Tab,
    /// else the profile's default (`lcs` for a user's profile).
    pub fn selected_audience(&self) -> lcsauth::audience::Audience {
        let Some(entry) = self.roster.selected() else {
            return lcsauth::audience::Audience::Lcs;
        };
        match &self.audience_choice {
            Some((name, a)) if name == entry.name() && entry.audiences().contains(a) => a.clone(),
            _ => entry.profile.default_audience(),
        }
    }

    /// Tab: the next audience of the selected identity.
    pub(crate) fn next_audience(&mut self) {
        let Some(entry) = self.roster.selected() else { return };
        let list = entry.audiences();
        let current = self.selected_audience();
        let at = list.iter().position(|a| *a == current).unwrap_or(0);
        if let Some(next) = list.get((at + 1) % list.len().max(1)) {
            self.audience_choice = Some((entry.name().clone(), next.clone()));
        }
    }

    /// Rows of the board that fit on screen now.
    pub fn board_rows(&self) -> usize {
        layout::board_rows(self.size.1, self.roster.visible_len())
    }

    pub(crate) fn say(&mut self, level: Level, text: impl Into<String>, now: Timestamp) {
        // Notices quote errors and Entra's words: no control character reaches the screen.
        let text = lcsauth::sanitize::line(&text.into()).into_owned();
        self.notice = Some(Notice::new(level, text, now));
    }

    /// Applies one message; returns the side effect to run, if any.
    pub fn update(&mut self, msg: Msg, now: Timestamp) -> Option<Command> {
        match msg {
            Msg::Key(key) => self.on_key(&key, now),
            Msg::Resize { width, height } => {
                self.size = (width, height);
                let rows = self.board_rows();
                self.roster.scroll_into_view(rows);
                None
            }
            Msg::Tick => self.on_tick(now),
            Msg::Loaded(result) => self.on_loaded(result, now),
            Msg::ProfilesChanged => self.reload(),
            Msg::Fetched { name, state, outcome } => self.on_fetched(&name, *state, outcome, now),
            Msg::Copied { name, result } => self.on_copied(name, result, now),
            Msg::ClipboardSettled { cleared } => {
                self.clipboard = None;
                let text = if cleared {
                    "Clipboard cleared."
                } else {
                    "Clipboard left alone: something else was copied since."
                };
                self.say(Level::Info, text, now);
                None
            }
            Msg::Revealed { name, token } => {
                match token {
                    Ok(Some(t)) if self.roster.selected().is_some_and(|e| *e.name() == name) => {
                        self.revealed = Some((name, t));
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => self.say(
                        Level::Warning,
                        format!("No cached token for '{name}': press r to get one."),
                        now,
                    ),
                    Err(e) => self.say(Level::Error, format!("Cannot read the token of '{name}': {e}"), now),
                }
                None
            }
            Msg::Saved { result } => self.on_saved(result, now),
            Msg::DeviceCode { name, info } => self.on_device_code(name, info),
            Msg::BrowserOpened { name, url, opened } => self.on_browser_opened(name, url, opened),
            Msg::CodeCopied { name, result } => self.on_code_copied(&name, result),
            Msg::FlowSwitched { name, result } => self.on_flow_switched(&name, result, now),
            Msg::Probed {
                name,
                project,
                outcome,
                state,
            } => self.on_probed(&name, &project, outcome, state.map(|s| *s), now),
            Msg::Terminate => {
                self.quit = true;
                Some(Command::Quit)
            }
        }
    }

    fn on_tick(&mut self, now: Timestamp) -> Option<Command> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(RELOAD_EVERY) && !self.loading {
            return self.reload();
        }
        // One background refresh per tick at most: spreads a burst of due profiles over seconds.
        let min_valid = self.roster.settings.min_valid;
        let due = self
            .roster
            .entries_mut()
            .find(|e| e.busy.is_none() && e.auto_at.is_some_and(|at| at <= now))?;
        due.busy = Some(Busy {
            purpose: Purpose::Auto,
            copy_after: false,
        });
        let profile = due.profile.clone();
        Some(Command::Fetch(FetchJob {
            profile,
            min_valid,
            force: true,
            sign_in: false,
            password: None,
            copy: None,
            audience: due.auto_audience.clone(),
        }))
    }

    /// Reads the files again, or once more after the reading in flight.
    fn reload(&mut self) -> Option<Command> {
        if self.loading {
            self.reload_pending = true;
            return None;
        }
        self.loading = true;
        Some(Command::Load)
    }

    fn on_loaded(&mut self, result: Result<Snapshot, ConfigError>, now: Timestamp) -> Option<Command> {
        self.loading = false;
        match result {
            Ok(snapshot) => {
                let first = !self.loaded;
                self.loaded = true;
                if first && let Some(w) = snapshot.config.warnings.first() {
                    // profiles.toml loaded, with something worth knowing (loose permissions).
                    self.say(Level::Warning, format!("Warning: {w}"), now);
                }
                let rows = self.board_rows();
                self.roster.replace(snapshot, rows);
                if let Some(name) = self.select_after_load.take() {
                    self.roster.select(name.as_str(), self.board_rows());
                }
                if first && self.roster.is_empty() && self.form.is_none() {
                    self.form = Some(self.add_form(Vec::new(), true));
                }
                self.check_form_against_disk();
            }
            Err(e) => self.say(Level::Error, format!("Cannot read the profiles: {e}"), now),
        }
        if std::mem::take(&mut self.reload_pending) {
            return self.reload();
        }
        None
    }

    /// An edit form whose profile was changed or deleted on disk says so at once; saving it
    /// is refused in any case (the worker compares inside the locked update).
    fn check_form_against_disk(&mut self) {
        // While saving, the change on disk is this form's own.
        let Some(form) = self.form.as_mut().filter(|f| !f.saving) else {
            return;
        };
        let Some(original) = &form.original else { return };
        let name = original.name.as_str();
        form.conflict = match self.roster.get(name) {
            None => Some(format!(
                "'{name}' was deleted from profiles.toml since this form opened: saving is refused. Esc closes the form."
            )),
            Some(e) if e.profile != *original => Some(format!(
                "'{name}' was changed in profiles.toml since this form opened: saving is refused, so that change is kept. Esc, then e edits the current version."
            )),
            Some(_) => None,
        };
    }

    /// The form for a new profile, pointed at the demo's simulator when there is one.
    pub(crate) fn add_form(&self, taken: Vec<String>, onboarding: bool) -> ProfileForm {
        let mut form = ProfileForm::add(taken, onboarding);
        if let Some(host) = &self.new_profile_host {
            form.authority = tui_input::Input::new(host.clone());
            form.api_host = tui_input::Input::new(host.clone());
        }
        form
    }

    /// The names of every profile except `except`, for the form's clash check.
    pub(crate) fn names_except(&self, except: Option<&str>) -> Vec<String> {
        self.roster
            .entries()
            .iter()
            .map(|e| e.name().to_string())
            .filter(|n| Some(n.as_str()) != except)
            .collect()
    }

    /// A fetch started by the user for `purpose`.
    /// Marks `name` busy with a sign-in; `None` (and a notice) when a request already runs for it.
    pub(crate) fn claim_sign_in(&mut self, name: &ProfileName, now: Timestamp) -> Option<()> {
        let entry = self.roster.get_mut(name.as_str())?;
        if entry.busy.is_some() {
            self.say(Level::Info, format!("A request for '{name}' is already running."), now);
            return None;
        }
        entry.busy = Some(Busy {
            purpose: Purpose::SignIn,
            copy_after: false,
        });
        Some(())
    }

    pub(crate) fn user_job(&self, profile: Profile, purpose: Purpose) -> FetchJob {
        let s = &self.roster.settings;
        match purpose {
            Purpose::Copy => FetchJob {
                audience: self.selected_audience(),
                ..copy_job(profile, s.min_valid, s.clear_after)
            },
            _ => FetchJob {
                profile,
                min_valid: s.min_valid,
                force: true,
                sign_in: purpose == Purpose::SignIn,
                password: None,
                copy: None,
                audience: self.selected_audience(),
            },
        }
    }
}

pub(crate) fn copy_job(profile: Profile, min_valid: std::time::Duration, clear_after: std::time::Duration) -> FetchJob {
    FetchJob {
        profile,
        min_valid,
        force: false,
        sign_in: false,
        password: None,
        copy: Some(clear_after),
        audience: lcsauth::audience::Audience::Lcs,
    }
}
