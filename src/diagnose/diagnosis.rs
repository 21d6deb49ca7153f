//! A diagnosis: what happened, why, what to do, and whether repeating the request is safe. The
//! table and the fallback both build these; the fronts render a diagnosis's fix for one profile.

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

/// The fix of every refusal that only an interactive flow can get past; [`Diagnosis::fix_for`]
/// names the profile and puts the flow that suits the session first.
pub(super) const INTERACTIVE_FIX: &str = "The password flow cannot satisfy this. Switch the profile to an interactive flow: \
     `lcsauth profile edit NAME --flow device-code` (or `--flow browser`), then `lcsauth login NAME`.";

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
