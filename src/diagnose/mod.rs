//! What an Entra refusal means for an LCS user: cause, fix, and the setup step of the vendor
//! article ("Database movement API - Authentication") to revisit.
//!
//! Entra asks clients to branch on `error` and `error_codes`, never on the description text;
//! the table does exactly that. A code the table does not know is explained by its `error`
//! class (and `suberror`), and the report quotes Entra's own first sentence and links the
//! code's page.

mod fallback;
mod table;
#[cfg(test)]
mod tests;

pub use table::{Entry, REF, TABLE, entries};

use crate::profile::fields::Flow;

/// The setup steps of the vendor article, numbered as in the README's "Set up Entra once".
pub const ARTICLE_STEPS: [&str; 4] = [
    "Step 1. Create an application registration (single tenant)",
    "Step 2. Configure API permissions: Dynamics Lifecycle services (913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0), delegated user_impersonation, then Grant admin consent",
    "Step 3. Configure public client: Authentication > Advanced settings > Allow public client flows = Yes",
    "Step 4. Request an access token: the tenant (domain or GUID) and the scope <api_host>//.default",
];

/// An explanation a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// What happened, in a few words.
    pub summary: &'static str,
    pub cause: &'static str,
    pub fix: &'static str,
    /// 1-based step of the vendor article to revisit.
    pub article_step: Option<u8>,
    /// Whether repeating the same request automatically is safe.
    pub retry: Retry,
    /// The password flow cannot succeed for this account: an interactive flow is needed.
    pub needs_interactive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Repeating counts toward account lockout or cannot help: never automatic.
    Never,
    /// Safe to repeat with backoff (throttling, transient failures).
    Backoff,
}

/// How the fixes write the profile they are about; [`Diagnosis::fix_for`] fills it in.
const NAME: &str = " NAME";

/// How the fixes that switch to an interactive flow offer the two, device code first.
const DEVICE_CODE_FIRST: &str = "--flow device-code` (or `--flow browser`)";
const BROWSER_FIRST: &str = "--flow browser` (or `--flow device-code`)";

impl Diagnosis {
    /// The fix as the profile `name` should follow it: its commands name the profile, and where
    /// the fix offers both interactive flows, `interactive` comes first (the browser where one can
    /// open, device code otherwise, e.g. over SSH).
    pub fn fix_for(&self, name: &str, interactive: Flow) -> String {
        let fix = if interactive == Flow::Browser {
            self.fix.replace(DEVICE_CODE_FIRST, BROWSER_FIRST)
        } else {
            self.fix.to_string()
        };
        fix.replace(NAME, &format!(" {name}"))
    }

    pub fn article_step_text(&self) -> Option<&'static str> {
        self.article_step
            .and_then(|s| ARTICLE_STEPS.get(usize::from(s).checked_sub(1)?).copied())
    }
}

/// Codes that only wrap a more specific one ("AADSTS70002: Error validating credentials.
/// AADSTS50126: …"): chosen only when nothing more specific is known.
pub const WRAPPERS: [u32; 2] = [70002, 50000];

/// Codes for which even a manual retry loop must stop (lockout counts every attempt).
pub const NO_AUTO_RETRY: [u32; 5] = [50126, 50053, 50055, 50076, 50079];

/// Explains an Entra error by its AADSTS code, falling back to the OAuth `error` string.
pub fn diagnose(code: Option<u32>, error: &str) -> Diagnosis {
    explain(code, error, None, false)
}

/// Explains an Entra error from everything the body says: the code the table knows, else a
/// claims challenge, else the `error` class refined by `suberror`.
pub fn explain(code: Option<u32>, error: &str, suberror: Option<&str>, claims_challenge: bool) -> Diagnosis {
    if let Some(entry) = code.and_then(entry) {
        return entry.dx;
    }
    if claims_challenge {
        return fallback::CLAIMS_CHALLENGE;
    }
    fallback::by_error(error, suberror)
}

/// The table's entry for `code`.
pub fn entry(code: u32) -> Option<&'static Entry> {
    entries().find(|e| e.codes.contains(&code))
}

pub fn is_known(code: u32) -> bool {
    entry(code).is_some()
}

/// Of several codes, the one that explains the refusal best: the first known code that is
/// not a wrapper, then the first known wrapper, then the first code at all.
pub fn pick_code(codes: &[u32]) -> Option<u32> {
    let known = |c: &&u32| is_known(**c);
    codes
        .iter()
        .filter(known)
        .find(|c| !WRAPPERS.contains(c))
        .or_else(|| codes.iter().find(known))
        .or_else(|| codes.first())
        .copied()
}

/// Entra's lookup page for a code.
pub fn code_page(code: u32) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}
