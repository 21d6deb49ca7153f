//! The state of the board and its one door: `state` holds `App` and `App::update`, which turns
//! a `msg::Msg` into at most one `msg::Command` without I/O; `keys` routes a key to the layer on
//! top; `results` takes the results of commands (tokens, copies, saves) and says what happened
//! through `notice`; `failure` reads a failed token request (its kind and its sentence). Feature
//! folders add their own `impl App` blocks and name this folder; nothing here names a feature's
//! update, task or view.

pub mod edit;
pub mod failure;
pub mod keys;
pub mod msg;
pub mod notice;
pub mod results;
pub mod state;
