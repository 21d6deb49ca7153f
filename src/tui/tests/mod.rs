//! The board's unit tests, without a terminal: `update*` drive `App::update` with messages and
//! check the state and the command it returns, one file per feature; `screens` renders frames
//! into a test backend and compares them with insta snapshots, `screen_text` reads what screens
//! say as text; `bench` times one frame with
//! 10,000 profiles; `fixtures` builds the apps, profiles and broker errors they share.

mod bench;
pub mod fixtures;
mod screen_text;
mod screens;
mod update;
mod update_audiences;
mod update_form;
mod update_freshness;
mod update_keys;
mod update_layers;
mod update_probe;
mod update_reload;
mod update_sign_in;
mod update_switch_flow;
