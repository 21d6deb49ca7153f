mod bench;
pub mod fixtures;
mod screens;
mod update;
mod update_form;
mod update_probe;
mod update_reload;
mod update_sign_in;
mod update_switch_flow;
