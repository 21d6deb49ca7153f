//! What an Entra refusal means for an LCS user: cause, fix, and the setup step of the vendor
//! article ("Database movement API - Authentication") to revisit.
//!
//! Entra asks clients to branch on `error` and `error_codes`, never on the description text;
//! this table does exactly that.

/// The setup steps of the vendor article.
pub const ARTICLE_STEPS: [&str; 4] = [
    "Step 1. Create an application registration (single tenant)",
    "Step 2. Configure API permissions: Dynamics Lifecycle services (913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0), delegated user_impersonation, then Grant admin consent",
    "Step 3. Configure public client: Authentication > Advanced settings > Allow public client flows = Yes",
    "Step 4. Request an access token",
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

impl Diagnosis {
    pub fn article_step_text(&self) -> Option<&'static str> {
        self.article_step
            .and_then(|s| ARTICLE_STEPS.get(usize::from(s) - 1).copied())
    }
}

const fn d(
    summary: &'static str,
    cause: &'static str,
    fix: &'static str,
    step: Option<u8>,
    interactive: bool,
) -> Diagnosis {
    Diagnosis {
        summary,
        cause,
        fix,
        article_step: step,
        retry: Retry::Never,
        needs_interactive: interactive,
    }
}

const INTERACTIVE_FIX: &str = "The password flow cannot satisfy this. Switch the profile to an interactive flow: \
     `lcsauth profile edit NAME --flow device-code` (or `--flow browser`), then `lcsauth login NAME`.";

/// Explains an Entra error by its first AADSTS code, falling back to the OAuth `error` string.
pub fn diagnose(code: Option<u32>, error: &str) -> Diagnosis {
    match code {
        Some(50126) => d(
            "wrong username or password",
            "Entra could not validate the credentials. Federated (AD FS) or on-premises-synced accounts also fail the password flow this way.",
            "Check the username (UPN) and enter the password again with `lcsauth login NAME --password-stdin`. If the account is federated, use `--flow device-code` or `--flow browser`.",
            Some(4),
            false,
        ),
        Some(50076) => d(
            "multi-factor authentication required",
            "Conditional Access, security defaults or per-user MFA require a second factor, which the password flow cannot provide.",
            INTERACTIVE_FIX,
            Some(3),
            true,
        ),
        Some(50079) => d(
            "the user must register for multi-factor authentication",
            "The account has to set up security info before it can sign in.",
            "Sign in once at https://aka.ms/mysecurityinfo to register, then use an interactive flow: `lcsauth profile edit NAME --flow device-code`.",
            None,
            true,
        ),
        Some(50074 | 50078) => d(
            "the multi-factor challenge was not passed or has expired",
            "The sign-in needs a fresh MFA challenge.",
            INTERACTIVE_FIX,
            None,
            true,
        ),
        Some(50158) => d(
            "an external security challenge was not satisfied",
            "A third-party MFA provider or a Conditional Access custom control must be completed in a browser.",
            INTERACTIVE_FIX,
            None,
            true,
        ),
        Some(53003) => d(
            "blocked by Conditional Access",
            "A Conditional Access policy blocks this sign-in (device, location, app or authentication flow).",
            "Ask your Entra admin which policy applies (quote the trace id), or sign in interactively from a compliant device: `lcsauth profile edit NAME --flow browser`.",
            None,
            true,
        ),
        Some(530035) => d(
            "blocked by security defaults",
            "Security defaults block legacy authentication such as the password flow.",
            INTERACTIVE_FIX,
            None,
            true,
        ),
        Some(7000218) => d(
            "the app registration is not a public client",
            "Entra expects a client_secret because \"Allow public client flows\" is off on the app registration.",
            "In the Entra admin center open the app registration > Authentication > Advanced settings and set \"Allow public client flows\" to Yes.",
            Some(3),
            false,
        ),
        Some(700025) => d(
            "a secret was sent for a public client",
            "The app is a public client, so it must not receive a client secret.",
            "lcsauth never sends a secret; if a proxy adds one, remove it.",
            Some(3),
            false,
        ),
        Some(65001) => d(
            "no consent for the LCS permission",
            "Neither an admin nor the user has consented to user_impersonation on Dynamics Lifecycle services for this app.",
            "In the app registration > API permissions, add Dynamics Lifecycle services (913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0) > user_impersonation and select \"Grant admin consent\"; or sign in once interactively to consent. Regional LCS instances may need their own consent.",
            Some(2),
            false,
        ),
        Some(650057) => d(
            "the LCS API is not among the app's permissions",
            "The requested resource is not in the app registration's required permissions.",
            "Add the API permission Dynamics Lifecycle services (913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0) > delegated user_impersonation, then grant admin consent. For a regional instance, check the permission for that region's API.",
            Some(2),
            false,
        ),
        Some(500011) => d(
            "the LCS API was not found in the tenant",
            "The scope names a resource this tenant does not know: usually a wrong region or a mistyped API host (lcsapi.eu.lcs.dynamics.com, not eu.lcsapi...).",
            "Check the profile's region (`lcsauth regions`) or its scope/api_host; if they are right, an admin must add the Dynamics Lifecycle services permission once so its service principal exists.",
            Some(2),
            false,
        ),
        Some(70011) => d(
            "the scope is not valid",
            "The scope value is malformed.",
            "Use the documented form <api_host>//.default (with the double slash), e.g. https://lcsapi.lcs.dynamics.com//.default; remove any custom scope override.",
            Some(4),
            false,
        ),
        Some(700016) => d(
            "the app (client id) was not found in the tenant",
            "No app registration with this client id exists in the tenant, or the tenant is wrong.",
            "Copy the Application (client) ID from the app registration's Overview page and check the tenant: `lcsauth profile edit NAME --client-id ... --tenant ...`.",
            Some(1),
            false,
        ),
        Some(90002) => d(
            "the tenant was not found",
            "The tenant name or id does not exist in this cloud. A sovereign-cloud tenant sent to the global cloud fails this way.",
            "Fix the tenant (contoso.onmicrosoft.com or its GUID) or pick the region whose cloud holds it.",
            None,
            false,
        ),
        Some(90038) => d(
            "the tenant belongs to another national cloud",
            "The tenant lives in a sovereign cloud (US Government or China) but the request went elsewhere.",
            "Set the profile's region (gcc-high, china) or --authority to that cloud's sign-in host.",
            None,
            false,
        ),
        Some(50034) => d(
            "the user does not exist in the tenant",
            "The username is unknown in this directory. Guest accounts cannot use the password flow.",
            "Check the UPN and the tenant; guests must use their home tenant or an interactive flow.",
            None,
            false,
        ),
        Some(50053) => d(
            "the account is locked or the sign-in was blocked",
            "Too many failed sign-ins (smart lockout) or sign-ins from a suspicious IP address.",
            "Wait for the lockout to end or ask an admin to unblock the account. lcsauth does not retry: every attempt extends the lockout.",
            None,
            false,
        ),
        Some(50055 | 50144) => d(
            "the password has expired",
            "The account's password must be changed before it can sign in.",
            "Change the password in a browser (https://myaccount.microsoft.com), then `lcsauth login NAME --password-stdin`.",
            None,
            false,
        ),
        Some(50057) => d(
            "the user account is disabled",
            "An admin disabled the account.",
            "Ask an admin to enable the account.",
            None,
            false,
        ),
        Some(50173 | 50133) => d(
            "the sign-in session was revoked",
            "The refresh token is no longer valid: the password was changed or an admin revoked sessions.",
            "Sign in again: `lcsauth login NAME`.",
            None,
            false,
        ),
        Some(700082) => d(
            "the refresh token expired from inactivity",
            "The profile was not used for longer than the refresh token's lifetime (90 days by default).",
            "Sign in again: `lcsauth login NAME`.",
            None,
            false,
        ),
        Some(70043) => d(
            "the refresh token expired by a sign-in frequency policy",
            "Conditional Access requires signing in again after a set time.",
            "Sign in again: `lcsauth login NAME` (an interactive flow if the policy demands MFA).",
            None,
            false,
        ),
        Some(700084) => d(
            "a single-page-app refresh token reached its 24-hour limit",
            "The app registration is registered as a SPA, whose refresh tokens end after 24 hours.",
            "Register the redirect URI under \"Mobile and desktop applications\" instead of SPA.",
            Some(1),
            false,
        ),
        Some(9001023 | 90124) => d(
            "this grant does not work on /common or /consumers",
            "The tenant segment was common or consumers, which the password flow refuses.",
            "Set the tenant to its domain, its GUID or organizations: `lcsauth profile edit NAME --tenant contoso.onmicrosoft.com`.",
            Some(4),
            false,
        ),
        Some(9002313) => d(
            "Entra could not read the request",
            "The request was malformed or a stored refresh token is damaged.",
            "Sign in again with `lcsauth login NAME`; if it repeats, report it with the trace id.",
            None,
            false,
        ),
        Some(900144) => d(
            "a required parameter was missing",
            "The request lacked a parameter Entra requires.",
            "Report this with the trace id; it is a defect in the client.",
            None,
            false,
        ),
        Some(7000112) => d(
            "the application is disabled",
            "An admin disabled the app registration or its service principal.",
            "Ask an admin to enable the app (Enterprise applications > Properties > Enabled for users to sign in).",
            Some(1),
            false,
        ),
        Some(50196) => d(
            "Entra detected a request loop",
            "Too many identical requests in a short time.",
            "Wait a minute; lcsauth caches tokens so this should not repeat.",
            None,
            false,
        ),
        Some(70016) => d(
            "waiting for the user to finish signing in",
            "The device code has not been approved yet.",
            "Finish signing in on the verification page.",
            None,
            false,
        ),
        Some(70018) => d(
            "the device code is not valid",
            "The code was mistyped or belongs to another request.",
            "Start again: `lcsauth login NAME`.",
            None,
            false,
        ),
        Some(70019 | 70020) => d(
            "the device code expired",
            "The code was not used within its lifetime (15 minutes by default).",
            "Start again: `lcsauth login NAME`.",
            None,
            false,
        ),
        _ => by_error(error),
    }
}

fn by_error(error: &str) -> Diagnosis {
    match error {
        "invalid_client" => d(
            "the app registration refused the request",
            "The client is not set up for this flow.",
            "Check that \"Allow public client flows\" is Yes and the client id is right.",
            Some(3),
            false,
        ),
        "invalid_scope" => d(
            "the scope is not valid",
            "The scope value is malformed.",
            "Use <api_host>//.default.",
            Some(4),
            false,
        ),
        "interaction_required" => d(
            "an interactive sign-in is required",
            "Entra needs the user in a browser (MFA, consent or a policy).",
            INTERACTIVE_FIX,
            None,
            true,
        ),
        "consent_required" => d(
            "consent is required",
            "The permission was not consented.",
            "Grant admin consent in the app registration's API permissions.",
            Some(2),
            false,
        ),
        "authorization_declined" => d(
            "the sign-in was declined",
            "The user declined the request.",
            "Start again with `lcsauth login NAME` if that was a mistake.",
            None,
            false,
        ),
        "expired_token" => d(
            "the sign-in code expired",
            "The code was not used in time.",
            "Start again: `lcsauth login NAME`.",
            None,
            false,
        ),
        "temporarily_unavailable" => Diagnosis {
            retry: Retry::Backoff,
            ..d(
                "Entra is temporarily unavailable",
                "The service is overloaded or in maintenance.",
                "Try again in a minute.",
                None,
                false,
            )
        },
        _ => d(
            "Entra refused the request",
            "See the description and look the code up at https://login.microsoftonline.com/error?code=<code>.",
            "Quote the trace and correlation ids to your Entra admin.",
            None,
            false,
        ),
    }
}

/// Codes for which even a manual retry loop must stop (lockout counts every attempt).
pub const NO_AUTO_RETRY: [u32; 5] = [50126, 50053, 50055, 50076, 50079];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_client_error_points_to_step_three() {
        let dx = diagnose(Some(7000218), "invalid_client");
        assert_eq!(dx.article_step, Some(3));
        assert!(dx.fix.contains("Allow public client flows"));
        assert!(dx.article_step_text().unwrap().starts_with("Step 3."));
    }

    #[test]
    fn mfa_codes_ask_for_an_interactive_flow() {
        for code in [50076, 50079, 50158, 53003, 530035] {
            assert!(diagnose(Some(code), "invalid_grant").needs_interactive, "{code}");
        }
        assert!(!diagnose(Some(50126), "invalid_grant").needs_interactive);
    }

    #[test]
    fn lockout_codes_are_never_retried() {
        for code in NO_AUTO_RETRY {
            assert_eq!(diagnose(Some(code), "invalid_grant").retry, Retry::Never);
        }
    }

    #[test]
    fn unknown_codes_fall_back_to_the_error_string() {
        assert!(diagnose(Some(1), "interaction_required").needs_interactive);
        assert_eq!(diagnose(None, "whatever").summary, "Entra refused the request");
    }
}
