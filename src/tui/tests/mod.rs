pub mod fixtures;
mod screens;
mod update;
