//! What an Entra refusal means for an LCS user: cause, fix, and the setup step of the vendor
//! article ("Database movement API - Authentication") to revisit.
//!
//! Entra asks clients to branch on `error` and `error_codes`, never on the description text;
//! the table does exactly that. A code the table does not know is explained by its `error`
//! class (and `suberror`), and the report quotes Entra's own first sentence and links the
//! code's page.
//!
//! The files: `diagnosis` is what an explanation holds and how its fix is written for one
//! profile; `table` the codes lcsauth knows (account, registration, session); `fallback` the
//! explanations by `error` class; this file picks among them.

mod diagnosis;
mod fallback;
mod table;
#[cfg(test)]
mod tests;

pub use diagnosis::{ARTICLE_STEPS, Diagnosis, Retry};
pub use table::{Entry, REF, TABLE, entries};

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
