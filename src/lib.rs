//! lcsauth: Microsoft Entra bearer tokens for the Dynamics Lifecycle Services API, kept fresh.
//!
//! This library is the whole engine; the command line and the terminal UI only call it and
//! format. It names no terminal or argument-parsing crate: those are optional dependencies of the
//! binary (features `cli` and `tui`), and `cargo check --lib --no-default-features` proves it.

pub mod api;
pub mod atomic_file;
pub mod audience;
pub mod broker;
pub mod clipboard;
pub mod diagnose;
pub mod doctor;
pub mod entra;
pub mod hygiene;
pub mod lcs;
pub mod paths;
pub mod profile;
pub mod region;
pub mod sanitize;
pub mod secret;
#[cfg(feature = "sim")]
pub mod sim;
pub mod time;
pub mod token;
pub mod trust;
