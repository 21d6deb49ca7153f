//! The AADSTS codes lcsauth explains: every code Microsoft documents as reachable from the
//! grants lcsauth sends (password, refresh token, device code, authorization code + PKCE) and
//! from the authorize endpoint, written for the admin of an LCS project.
//!
//! Each entry names its source: Microsoft's AADSTS reference
//! (learn.microsoft.com/entra/identity-platform/reference-error-codes, [`REF`]) and, where a
//! public issue showed what the code means in practice, that issue.

mod account;
mod entry;
mod registration;
mod session;

pub use entry::{Entry, REF};

/// The table, in three parts: the account (credentials, MFA, Conditional Access, guests), the
/// registration (tenant, app, permissions, scope) and the session (refresh tokens, codes,
/// device code, service state).
pub static TABLE: [&[Entry]; 3] = [account::ENTRIES, registration::ENTRIES, session::ENTRIES];

/// Every entry of the table.
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    TABLE.iter().flat_map(|part| part.iter())
}
