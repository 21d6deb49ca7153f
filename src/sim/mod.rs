//! An Entra-compatible HTTP server on loopback: a faithful test double of
//! Microsoft Entra's v2 token, device-code and authorize endpoints, its
//! discovery metadata and signing keys (tokens are RS256-signed), and of the
//! LCS environment-detail endpoint, with scripted failures, request
//! recording and an HTTP control surface under `/_sim/`. It answers on
//! `http://` or, for clients that insist, on `https://` (MSAL).
//!
//! Tests run it in-process with [`Simulator::start`]; `lcsauth demo` and
//! out-of-process benchmarks use [`run_standalone`].

#![allow(
    clippy::module_name_repetitions,
    clippy::missing_errors_doc,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::doc_markdown,
    clippy::too_many_lines
)]

mod aadsts;
mod authorize;
mod claims;
mod client;
mod client_credentials;
mod config;
mod control;
mod dbmovement;
mod device;
mod discovery;
mod duration_serde;
mod issue;
mod jwt;
mod keys;
mod lcs;
mod record;
mod recorded;
mod script;
mod scripted;
mod server;
mod simulator;
mod standalone;
mod state;
mod tls;
mod token;
mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

pub use config::{DeviceAutoApprove, SimClientSecret, SimConfig, SimUser, demo_config};
pub use jwt::claims as token_claims;
pub use keys::TLS_CA_PEM;
pub use recorded::RecordedRequest;
pub use scripted::{Endpoint, Scripted};
pub use simulator::Simulator;
pub use standalone::{run_standalone, run_standalone_tls};
pub use state::ApiAuth;
