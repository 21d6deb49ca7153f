//! The Entra v2 client: the token endpoint (password, refresh token, device code, authorization
//! code grants) and the device-code endpoint, over reqwest with rustls.
//!
//! Forms are encoded exactly as the vendor article shows, plus `offline_access` in the scope so a
//! refresh token comes back. Retries follow the body, not only the status: a refusal (an Entra
//! error with an AADSTS code) is never retried, whatever the status it came with. Other 429 and
//! 5xx answers are retried with bounded backoff that honours `Retry-After`, except for the
//! password grant: a password is sent again only when it provably never reached a server (the
//! connection could not be made), so a wrong password is sent once and never feeds an account
//! lockout.
//!
//! `client` holds the grants, `transport` sends a form within the retry policy and reads a
//! bounded answer, `answer` turns a status and body into a token or a typed error; `error` and
//! `wire` are the types, `description` explains an AADSTS description.

mod answer;
mod client;
pub mod description;
pub mod error;
mod transport;
pub mod wire;

pub use answer::is_refusal;
pub use client::{DevicePoll, EntraClient};
pub use error::{EntraError, Refusal};
pub use transport::{RetryPolicy, is_loopback, user_agent};
pub use wire::{DeviceCodeResponse, ErrorBody, TokenResponse};
