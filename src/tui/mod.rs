//! The terminal UI: a board of profiles with live countdowns, forms, one-key copy of fresh
//! tokens, and `lcsauth demo`. It shares `front` with the command line and imports nothing of it.
//!
//! The plan, from the bottom up:
//! - `keymap`: every key table and the `Layer`s they belong to, in the one order that routes
//!   keys, prints the hint line and the help overlay.
//! - `app`: `App`, the state of the board, and `App::update`, the one place it changes: messages
//!   in, at most one command out, no I/O. Its `msg` module is the vocabulary of the whole board.
//! - one folder per feature (`roster`, `form`, `prompt`, `sign_in`, `probe`), each with its
//!   state, its part of `update`, the worker's task for it and its view.
//! - `view`: pure drawing of `App` at a given `now`: the shared widgets, layout, theme, board
//!   table, detail pane, help overlay and status line; features draw their own overlays.
//! - `shell`: what touches the world: the event loop that owns `App`, the terminal, the worker
//!   that runs commands, the file watchers, the clipboard thread, the signals.
//!
//! Arrows point down only: `shell` → `view` → features → `app` → `keymap`, and nothing
//! below names what is above it.

mod app;
mod autorefresh;
pub mod demo;
mod form;
mod keymap;
mod probe;
mod prompt;
mod roster;
mod shell;
mod sign_in;
mod time;
mod view;

#[cfg(test)]
mod tests;

pub use shell::session::run;
