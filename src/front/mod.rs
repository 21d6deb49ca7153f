//! The layer both fronts share, the command line (`cli`) and the board (`tui`): the context and
//! runtime every operation needs, failures and their exit codes, facts about the session (SSH,
//! display, browser, the sign-in flow that suits it) and the hand-off of a token to the
//! clipboard helper. Neither front imports the other; both import this.

pub mod clipboard_handoff;
pub mod context;
pub mod failure;
pub mod session;

pub use context::{Ctx, runtime};
