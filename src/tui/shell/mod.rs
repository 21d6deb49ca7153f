//! What touches the world: `session` starts a board (files read before the screen is taken
//! over) and ends it; `event_loop` owns `App`, turns events into messages and hands commands to
//! `worker`, which runs them off the loop (profile edits in `edits`); `terminal` enters and
//! leaves full-screen mode and turns signals into messages; `watch` notices changed files;
//! `clipboard_keeper` owns the system clipboard.

pub mod clipboard_keeper;
pub mod edits;
pub mod event_loop;
pub mod session;
pub mod terminal;
pub mod watch;
pub mod worker;
