//! The AADSTS codes lcsauth explains: every code Microsoft documents as reachable from the
//! grants lcsauth sends (password, refresh token, device code, authorization code + PKCE) and
//! from the authorize endpoint, written for the admin of an LCS project.
//!
//! Each entry names its source: Microsoft's AADSTS reference
//! (learn.microsoft.com/entra/identity-platform/reference-error-codes, [`REF`]) and, where a
//! public issue showed what the code means in practice, that issue.

mod account;
mod registration;
mod session;

use super::{Diagnosis, Retry};

/// One or more codes that share an explanation.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub codes: &'static [u32],
    /// The `error` Entra sends with these codes.
    pub error: &'static str,
    /// Where the meaning and the fix come from.
    pub source: &'static str,
    pub dx: Diagnosis,
}

/// Microsoft's AADSTS error reference.
pub const REF: &str = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";

/// The table, in three parts: the account (credentials, MFA, Conditional Access, guests), the
/// registration (tenant, app, permissions, scope) and the session (refresh tokens, codes,
/// device code, service state).
pub static TABLE: [&[Entry]; 3] = [account::ENTRIES, registration::ENTRIES, session::ENTRIES];

/// Every entry of the table.
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    TABLE.iter().flat_map(|part| part.iter())
}

pub(super) const INTERACTIVE_FIX: &str = "The password flow cannot satisfy this. Switch the profile to an interactive flow: \
     `lcsauth profile edit NAME --flow device-code` (or `--flow browser`), then `lcsauth login NAME`.";

pub(super) const SIGN_IN_AGAIN: &str = "Sign in again: `lcsauth login NAME`.";

/// An entry whose refusal is never repeated automatically.
#[allow(clippy::too_many_arguments)]
pub(super) const fn e(
    codes: &'static [u32],
    error: &'static str,
    source: &'static str,
    summary: &'static str,
    cause: &'static str,
    fix: &'static str,
    article_step: Option<u8>,
    needs_interactive: bool,
) -> Entry {
    Entry {
        codes,
        error,
        source,
        dx: Diagnosis {
            summary,
            cause,
            fix,
            article_step,
            retry: Retry::Never,
            needs_interactive,
        },
    }
}

/// The same entry, safe to repeat with backoff (transient service states).
pub(super) const fn backoff(mut entry: Entry) -> Entry {
    entry.dx.retry = Retry::Backoff;
    entry
}
