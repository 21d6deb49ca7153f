//! One entry of the table and the two ways to write one: never repeated, or repeated with backoff.

use super::super::diagnosis::{Diagnosis, Retry};

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

pub(in crate::diagnose) const SIGN_IN_AGAIN: &str = "Sign in again: `lcsauth login NAME`.";

/// An entry whose refusal is never repeated automatically.
#[allow(clippy::too_many_arguments)]
pub(in crate::diagnose) const fn e(
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
pub(in crate::diagnose) const fn backoff(mut entry: Entry) -> Entry {
    entry.dx.retry = Retry::Backoff;
    entry
}
