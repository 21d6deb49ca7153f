//! Interactive sign-in from the board: `dialog` is the device-code or browser dialog's state,
//! `update` starts, cancels and follows a sign-in (and `i`, the switch away from a password
//! flow Entra refused for MFA), `task` is the worker's side (the prompt that turns Entra's code
//! and URL into messages, the abort handles of `Esc`), `view` draws the dialog.

pub mod dialog;
pub mod task;
pub mod update;
pub mod view;
