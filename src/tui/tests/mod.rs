mod bench;
pub mod fixtures;
mod screens;
mod update;
mod update_form;
