//! `p`, one read-only LCS call for the selected profile: `state` is what the board remembers of
//! a probe, `update` starts one and takes its outcome, `task` is the worker's side (cooldown slot,
//! fresh token, the call), `view` draws the verdict in the detail pane.

pub mod state;
pub mod task;
pub mod update;
pub mod view;
