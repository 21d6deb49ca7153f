//! Small questions over the board: "delete this profile?" and the password of a sign-in.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use lcsauth::profile::Profile;

use crate::tui::keymap::{self, Keys, Layer, ListAction};
use crate::tui::prompt::password::PasswordField;

#[derive(Debug)]
pub enum Prompt {
    /// Asks before removing a profile and its secrets.
    ConfirmDelete { profile: Profile },
    /// Asks for the password when a profile has nothing left to sign in with.
    SignIn {
        profile: Profile,
        password: PasswordField,
        /// Copy the token once signed in (the sign-in started from `c`).
        then_copy: bool,
    },
}

/// What a prompt wants after a key.
#[derive(Debug, PartialEq, Eq)]
pub enum PromptOutcome {
    Stay,
    Close,
    /// The user said yes (delete) or pressed Enter with a password typed (sign in).
    Accept,
}

impl Prompt {
    /// The layer this prompt is, for key handling and its hint line.
    pub fn layer(&self) -> Layer {
        match self {
            Self::ConfirmDelete { .. } => Layer::Confirm,
            Self::SignIn { .. } => Layer::Password,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> PromptOutcome {
        let action = match self.layer().keys() {
            Keys::List(table) => keymap::lookup(table, key),
            Keys::Board(_) | Keys::Form(_) => None,
        };
        match (self, action) {
            (_, Some(ListAction::Close)) => PromptOutcome::Close,
            (Self::ConfirmDelete { .. }, Some(ListAction::Choose)) => PromptOutcome::Accept,
            (Self::SignIn { password, .. }, Some(ListAction::Choose)) => {
                if password.is_empty() {
                    PromptOutcome::Stay
                } else {
                    PromptOutcome::Accept
                }
            }
            (Self::SignIn { password, .. }, _) => {
                match key.code {
                    KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                        password.push(c);
                    }
                    KeyCode::Backspace => password.pop(),
                    _ => {}
                }
                PromptOutcome::Stay
            }
            (Self::ConfirmDelete { .. }, _) => PromptOutcome::Stay,
        }
    }
}
