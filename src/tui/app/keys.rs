//! Keys: each press goes to the topmost open layer (`keymap::Layer::ALL` is their order) and is
//! looked up in that layer's table; the board's actions are done here.

use crossterm::event::{Event, KeyEvent, KeyEventKind};
use jiff::Timestamp;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use crate::tui::app::msg::{Command, Purpose};
use crate::tui::app::notice::Level;
use crate::tui::app::state::App;
use crate::tui::form::state::{FormOutcome, ProfileForm};
use crate::tui::keymap::{self, Action, Layer, ListAction};
use crate::tui::prompt::state::{Prompt, PromptOutcome};
use crate::tui::roster::list::Busy;

/// How far PgUp/PgDn move the detail pane.
const DETAIL_STEP: u16 = 5;

impl App {
    /// Whether `layer` is open now.
    pub fn is_open(&self, layer: Layer) -> bool {
        match layer {
            Layer::Help => self.help,
            Layer::SignInWait => self.sign_in.is_some(),
            Layer::Confirm | Layer::Password => self.prompt.as_ref().is_some_and(|p| p.layer() == layer),
            Layer::Picker => self.form.as_ref().is_some_and(|f| f.picker.is_some()),
            Layer::Form => self.form.is_some(),
            Layer::Filter => self.filter_input.is_some(),
            Layer::Board => true,
        }
    }

    /// The layer that takes keys now: the first open one of `Layer::ALL`.
    pub fn top_layer(&self) -> Layer {
        Layer::ALL
            .into_iter()
            .find(|l| self.is_open(*l))
            .unwrap_or(Layer::Board)
    }

    pub(crate) fn on_key(&mut self, key: &KeyEvent, now: Timestamp) -> Option<Command> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        match self.top_layer() {
            Layer::Help => {
                if keymap::lookup(keymap::HELP, key) == Some(ListAction::Close) {
                    self.help = false;
                }
                None
            }
            Layer::SignInWait => match keymap::lookup(keymap::SIGN_IN_WAIT, key) {
                Some(ListAction::Close) => self.cancel_sign_in(now),
                _ => None,
            },
            Layer::Confirm | Layer::Password => {
                let prompt = self.prompt.as_mut()?;
                match prompt.handle_key(key) {
                    PromptOutcome::Stay => None,
                    PromptOutcome::Close => {
                        self.prompt = None;
                        None
                    }
                    PromptOutcome::Accept => self.accept_prompt(now),
                }
            }
            Layer::Picker | Layer::Form => {
                let form = self.form.as_mut()?;
                match form.handle_key(key) {
                    FormOutcome::Stay => None,
                    FormOutcome::Cancel => {
                        self.form = None;
                        None
                    }
                    FormOutcome::Submit(job) => Some(Command::Save(*job)),
                }
            }
            Layer::Filter => {
                self.filter_key(key);
                None
            }
            Layer::Board => {
                let action = keymap::lookup(keymap::BOARD, key)?;
                self.act(action, now)
            }
        }
    }

    fn filter_key(&mut self, key: &KeyEvent) {
        match keymap::lookup(keymap::FILTER, key) {
            Some(ListAction::Choose) => self.filter_input = None,
            Some(ListAction::Close) => {
                self.filter_input = None;
                let rows = self.board_rows();
                self.roster.set_filter("", rows);
            }
            _ => {
                let Some(input) = self.filter_input.as_mut() else {
                    return;
                };
                if let Some(request) = to_input_request(&Event::Key(*key)) {
                    input.handle(request);
                    let text = input.value().to_string();
                    let rows = self.board_rows();
                    self.roster.set_filter(&text, rows);
                    self.selection_changed();
                }
            }
        }
    }

    /// Does what a board key means.
    pub(crate) fn act(&mut self, action: Action, now: Timestamp) -> Option<Command> {
        let rows = self.board_rows();
        let half = isize::try_from(rows / 2).unwrap_or(1).max(1);
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-half),
            Action::PageDown => self.move_by(half),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::MakeDefault => return self.make_default(now),
            Action::Previous => return self.back_to_previous(now),
            Action::Copy => return self.start_fetch(Purpose::Copy, now),
            Action::Refresh => return self.start_fetch(Purpose::Refresh, now),
            Action::SwitchFlow => return self.switch_flow(now),
            Action::Probe => return self.start_probe(now),
            Action::Add => {
                let onboarding = self.roster.is_empty();
                self.form = Some(self.add_form(self.names_except(None), onboarding));
            }
            Action::Edit => {
                let profile = self.roster.selected()?.profile.clone();
                self.form = Some(ProfileForm::edit(
                    &profile,
                    self.names_except(Some(profile.name.as_str())),
                ));
            }
            Action::Delete => {
                let profile = self.roster.selected()?.profile.clone();
                self.prompt = Some(Prompt::ConfirmDelete { profile });
            }
            Action::Filter => self.filter_input = Some(Input::new(self.roster.filter().to_string())),
            Action::Reveal => return self.toggle_reveal(now),
            Action::NextAudience => self.next_audience(),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(DETAIL_STEP),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(DETAIL_STEP),
            Action::Help => self.help = true,
            Action::Back if !self.roster.filter().is_empty() => self.roster.set_filter("", rows),
            Action::Back | Action::Quit => {
                self.quit = true;
                return Some(Command::Quit);
            }
        }
        None
    }

    fn move_by(&mut self, delta: isize) {
        let before = self.roster.cursor();
        let rows = self.board_rows();
        self.roster.move_by(delta, rows);
        if self.roster.cursor() != before {
            self.selection_changed();
        }
    }

    fn selection_changed(&mut self) {
        self.detail_scroll = 0;
        let selected = self.roster.selected().map(|e| e.name().clone());
        if self.revealed.as_ref().map(|(n, _)| n) != selected.as_ref() {
            self.revealed = None;
        }
    }

    fn make_default(&mut self, now: Timestamp) -> Option<Command> {
        let name = self.roster.selected()?.name().clone();
        if self.roster.default.as_ref() == Some(&name) {
            self.say(Level::Info, format!("'{name}' is already the default."), now);
            return None;
        }
        self.previous.clone_from(&self.roster.default);
        Some(Command::SetDefault(name))
    }

    fn back_to_previous(&mut self, now: Timestamp) -> Option<Command> {
        let Some(prev) = self.previous.clone().filter(|p| self.roster.get(p.as_str()).is_some()) else {
            self.say(
                Level::Info,
                "No previous profile yet: Enter makes the selected profile the default, - goes back.",
                now,
            );
            return None;
        };
        let rows = self.board_rows();
        if !self.roster.select(prev.as_str(), rows) {
            self.roster.set_filter("", rows);
            self.roster.select(prev.as_str(), rows);
        }
        self.selection_changed();
        self.previous.clone_from(&self.roster.default);
        Some(Command::SetDefault(prev))
    }

    /// `c` and `r`: one request in flight per profile; `c` during another request copies once
    /// that request ends.
    fn start_fetch(&mut self, purpose: Purpose, now: Timestamp) -> Option<Command> {
        let entry = self.roster.selected()?;
        let name = entry.name().clone();
        if let Some(busy) = entry.busy {
            if purpose == Purpose::Copy && busy.purpose != Purpose::Copy {
                if let Some(e) = self.roster.get_mut(name.as_str()) {
                    e.busy = Some(Busy {
                        copy_after: true,
                        ..busy
                    });
                }
                self.say(
                    Level::Info,
                    format!("'{name}' is being refreshed; its token is copied when it arrives."),
                    now,
                );
            } else {
                self.say(Level::Info, format!("A request for '{name}' is already running."), now);
            }
            return None;
        }
        let job = self.user_job(entry.profile.clone(), purpose);
        if let Some(e) = self.roster.get_mut(name.as_str()) {
            e.busy = Some(Busy {
                purpose,
                copy_after: false,
            });
        }
        Some(Command::Fetch(job))
    }

    fn toggle_reveal(&mut self, now: Timestamp) -> Option<Command> {
        let entry = self.roster.selected()?;
        if self.revealed.as_ref().is_some_and(|(n, _)| n == entry.name()) {
            self.revealed = None;
            return None;
        }
        if entry.state.token.is_none() {
            let name = entry.name().clone();
            self.say(
                Level::Info,
                format!("'{name}' has no token yet: press r to get one."),
                now,
            );
            return None;
        }
        Some(Command::Reveal(entry.profile.clone()))
    }

    fn accept_prompt(&mut self, now: Timestamp) -> Option<Command> {
        match self.prompt.take()? {
            Prompt::ConfirmDelete { profile } => Some(Command::Delete(profile.name)),
            Prompt::SignIn {
                profile,
                mut password,
                then_copy,
            } => {
                let name = profile.name.clone();
                self.claim_sign_in(&name, now)?;
                let mut job = self.user_job(profile, Purpose::SignIn);
                job.password = password.take();
                job.copy = then_copy.then_some(self.roster.settings.clear_after);
                Some(Command::Fetch(job))
            }
        }
    }
}
