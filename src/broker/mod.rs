//! The fresh-token rule: a token is handed out only if it stays valid for at least `min_valid`.
//!
//! Otherwise the broker gets a new one: the refresh token first, then the password (given now
//! or remembered), else it says which sign-in is needed. One process at a time fetches for a
//! profile: the others wait on the profile's lock file and then take what it stored, so twenty
//! scripts started at once make one request and the rotated refresh token is never lost.
//!
//! A profile is an identity with audiences ([`Audience`]): each audience's access token is
//! cached, counted down and refreshed on its own, all from the identity's one refresh token,
//! and the lock is the identity's, so whichever audience refreshes last keeps the rotated one.
//!
//! `fresh` holds the broker and the rule, `fetch` how a new token is got and kept, `ask` what a
//! caller asks and gets back, `status` what a profile's metadata says at a moment, `freshness`
//! the validity rule itself, `state` the metadata files, `refused` the remembered refusals of a
//! password, `interactive` the browser and device-code sign-ins, `change` what an edit or
//! deletion of a profile does to its secrets.

mod ask;
pub mod change;
mod fetch;
mod fresh;
pub mod freshness;
pub mod interactive;
pub mod refused;
pub mod schedule;
pub mod state;
mod status;

pub use ask::{Ask, BrokerError, Issued, LockWaitNotice, NetSettings, Source};
pub use fresh::{Broker, REFRESH_CONCURRENCY};
pub use interactive::{DeviceCodeInfo, Prompt};
pub use refused::{PasswordRefused, PasswordTarget, refuses_password};
pub use state::{AudienceState, Grant, LastError, ProfileState, RefreshMeta, StateStore, TokenMeta};
pub use status::{Status, audiences_of};

use fresh::blocking;
