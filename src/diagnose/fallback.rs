//! Explanations by OAuth `error` class (RFC 6749 §5.2, RFC 8628 §3.5 and the classes Entra
//! documents), refined by `suberror`, for codes the table does not know. The report adds
//! Entra's own first sentence and the code's page to these.

use super::diagnosis::{Diagnosis, INTERACTIVE_FIX, Retry};

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

const LOOK_UP: &str = "Entra's own words are quoted above; the code's page (below) has Microsoft's current advice.";

/// A `claims` field: Conditional Access or continuous access evaluation asks for more.
pub const CLAIMS_CHALLENGE: Diagnosis = d(
    "Entra sent a claims challenge",
    "Conditional Access or continuous access evaluation wants this sign-in to prove more (for example MFA, a compliant device or a fresh sign-in after a revoked session) than it did. Only an interactive sign-in can answer a claims challenge.",
    INTERACTIVE_FIX,
    None,
    true,
);

/// Explains a refusal by its `error` string and `suberror` alone.
pub fn by_error(error: &str, suberror: Option<&str>) -> Diagnosis {
    if let Some(dx) = suberror.and_then(by_suberror) {
        return dx;
    }
    match error {
        "invalid_grant" => d(
            "Entra refused the credentials or the stored sign-in",
            "The password, refresh token or code lcsauth sent was invalid, expired or revoked, or a policy refused it. Entra's own words say which.",
            "Sign in again: `lcsauth login NAME`. If it is refused again, follow Entra's words and the code's page, and quote the trace id to your Entra admin.",
            None,
            false,
        ),
        "invalid_client" => d(
            "the app registration refused the request",
            "The client is not set up for this flow: Entra usually means \"Allow public client flows\" is off or the client id is wrong.",
            "Check that \"Allow public client flows\" is Yes and the client id is right.",
            Some(3),
            false,
        ),
        "unauthorized_client" => d(
            "the app registration may not use this sign-in",
            "The app (client id) is unknown in this tenant, disabled, or not allowed this grant type.",
            "Check the client id and tenant of the profile against the app registration's Overview page, and that the app is enabled.",
            Some(1),
            false,
        ),
        "invalid_scope" => d(
            "the scope is not valid",
            "The scope value is malformed.",
            "Use <api_host>//.default, e.g. https://lcsapi.lcs.dynamics.com//.default.",
            Some(4),
            false,
        ),
        "invalid_resource" => d(
            "the LCS API is not known in this tenant",
            "The scope names a resource this tenant cannot find: a wrong host or region, or the API was never added to the tenant.",
            "Check the profile's region or api_host; an admin adds the Dynamics Lifecycle services permission once.",
            Some(2),
            false,
        ),
        "invalid_request" => d(
            "Entra could not accept the request",
            "A parameter is missing or wrong: usually the tenant, the authority host or the scope of the profile.",
            "Check the profile's tenant, region/authority and scope (`lcsauth profile show NAME`); Entra's own words name the parameter.",
            Some(4),
            false,
        ),
        "unsupported_grant_type" => d(
            "Entra does not accept this grant here",
            "The endpoint refused the grant type: usually an authority that is not Entra's v2 endpoint.",
            "Check the profile's authority (`--authority`); remove it to use the region's default.",
            None,
            false,
        ),
        "interaction_required" | "login_required" => d(
            "an interactive sign-in is required",
            "Entra needs the user in a browser (MFA, consent, a policy or an expired session).",
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
        "access_denied" => d(
            "the sign-in was denied",
            "The user cancelled or declined, or the tenant does not allow this app for this user.",
            "Start again with `lcsauth login NAME`; if it is denied without you declining, ask your Entra admin (quote the trace id).",
            None,
            false,
        ),
        "authorization_pending" => d(
            "waiting for the user to finish signing in",
            "The device code has not been approved yet.",
            "Finish signing in on the verification page.",
            None,
            false,
        ),
        "slow_down" => Diagnosis {
            retry: Retry::Backoff,
            ..d(
                "polling too fast",
                "Entra asks to poll less often.",
                "Nothing to do: lcsauth waits 5 s longer between polls.",
                None,
                false,
            )
        },
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
        "bad_verification_code" => d(
            "the device code is not valid",
            "The code was mistyped or belongs to another request.",
            "Start again: `lcsauth login NAME`.",
            None,
            false,
        ),
        "temporarily_unavailable" | "server_error" => Diagnosis {
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
            LOOK_UP,
            "Quote the trace and correlation ids to your Entra admin.",
            None,
            false,
        ),
    }
}

/// The suberrors MSAL acts on (`basic_action`, `additional_action`, `message_only`,
/// `consent_required`, `user_password_expired`, `bad_token`) and the device one.
fn by_suberror(sub: &str) -> Option<Diagnosis> {
    Some(match sub {
        "basic_action" | "additional_action" => d(
            "the user must act in a browser",
            "Entra needs the user to complete a step (MFA, accepting terms, registering security info) that only an interactive sign-in shows.",
            INTERACTIVE_FIX,
            None,
            true,
        ),
        "message_only" => d(
            "Entra refused and the user cannot fix it",
            "A policy or the account state blocks the sign-in; Entra's message says why.",
            "Ask your Entra admin (quote the trace id and Entra's words).",
            None,
            false,
        ),
        "consent_required" => d(
            "consent is required",
            "Neither an admin nor the user consented to the LCS permission for this app.",
            "Grant admin consent for Dynamics Lifecycle services > user_impersonation in the app registration's API permissions.",
            Some(2),
            false,
        ),
        "user_password_expired" => d(
            "the password has expired",
            "The account's password must be changed before it can sign in.",
            "Change the password in a browser (https://myaccount.microsoft.com), then `lcsauth login NAME --password-stdin`.",
            None,
            false,
        ),
        "bad_token" => d(
            "the stored sign-in is no longer valid",
            "The refresh token expired, was revoked or is damaged.",
            "Sign in again: `lcsauth login NAME`.",
            None,
            false,
        ),
        "device_authentication_failed" => d(
            "the device could not be authenticated",
            "A policy needs a registered or compliant device, and this sign-in did not prove one.",
            "Sign in with `--flow browser` on a device registered in Entra, or ask your admin which device state the policy requires.",
            None,
            false,
        ),
        _ => return None,
    })
}
