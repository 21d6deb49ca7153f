//! The AADSTS codes the simulator speaks: for each, the OAuth `error` string,
//! the default `suberror` and the one-line description Entra sends.

/// What Entra says for one AADSTS code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub error: &'static str,
    pub suberror: Option<&'static str>,
    pub text: &'static str,
}

const fn info(error: &'static str, text: &'static str) -> CodeInfo {
    CodeInfo {
        error,
        suberror: None,
        text,
    }
}

const fn with_sub(error: &'static str, sub: &'static str, text: &'static str) -> CodeInfo {
    CodeInfo {
        error,
        suberror: Some(sub),
        text,
    }
}

/// The application id of "Dynamics Lifecycle services", the LCS API.
pub const LCS_APP_ID: &str = "913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0";

/// Entra names a resource by its application id in error texts ("…to access
/// '913c6de4-…'"): the first-party ids for the resources lcsauth targets, a
/// stable made-up one for any other.
pub fn resource_app_id(resource: &str) -> String {
    let host = resource
        .split_once("://")
        .map_or(resource, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let id = if host.starts_with("lcsapi.") || host == "127.0.0.1" || host == "localhost" {
        // The simulator also plays LCS, so a scope on its own address is LCS's.
        LCS_APP_ID
    } else if host == "api.powerplatform.com" {
        "8578e004-a5c6-46e7-913e-12f58912df43"
    } else if host.ends_with(".operations.dynamics.com") || host.ends_with(".operations.eu.dynamics.com") {
        "00000015-0000-0000-c000-000000000000"
    } else if host == "graph.microsoft.com" {
        "00000003-0000-0000-c000-000000000000"
    } else {
        return super::jwt::stable_guid(&format!("resource:{host}")).to_string();
    };
    id.to_owned()
}

const MFA_REQUIRED: &str = "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0'.";

/// Looks a code up; unknown codes get a generic `invalid_request`.
pub fn lookup(code: u32) -> CodeInfo {
    match code {
        50126 => info(
            "invalid_grant",
            "Error validating credentials due to invalid username or password.",
        ),
        50076 => with_sub("invalid_grant", "basic_action", MFA_REQUIRED),
        50079 => info(
            "invalid_grant",
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0'.",
        ),
        50074 => info("interaction_required", "Strong Authentication is required."),
        50078 => info(
            "interaction_required",
            "Presented multi-factor authentication has expired due to policies configured by your administrator, you must refresh your multi-factor authentication to access '913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0'.",
        ),
        50158 => info(
            "interaction_required",
            "External security challenge not satisfied. User will be redirected to another page or authentication provider to satisfy additional authentication challenges.",
        ),
        53003 => info(
            "invalid_grant",
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        ),
        530_035 => info(
            "invalid_grant",
            "Access has been blocked by security defaults. This is due to the request using legacy auth or being deemed unsafe by security defaults policies.",
        ),
        7_000_218 => info(
            "invalid_client",
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ),
        700_025 => info(
            "invalid_client",
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        ),
        65001 => with_sub(
            "invalid_grant",
            "consent_required",
            "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
        ),
        650_057 => info(
            "invalid_client",
            "Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration.",
        ),
        500_011 => info(
            "invalid_resource",
            "The resource principal named https://lcsapi.lcs.dynamics.com was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
        ),
        70011 => info(
            "invalid_scope",
            "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.",
        ),
        28000 => info(
            "invalid_scope",
            "Provided value for the input parameter scope is not valid because it contains more than one resource.",
        ),
        700_016 => info(
            "unauthorized_client",
            "Application with identifier was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
        ),
        90002 => info(
            "invalid_request",
            "Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
        ),
        90038 => info(
            "invalid_request",
            "Tenant belongs to a national cloud. The current cloud instance does not federate with it. A cloud redirect is required.",
        ),
        50034 => info(
            "invalid_grant",
            "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.",
        ),
        50053 => info(
            "invalid_grant",
            "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
        ),
        50055 => with_sub("invalid_grant", "user_password_expired", "The password is expired."),
        50144 => info(
            "invalid_grant",
            "The Active Directory password of the user has expired.",
        ),
        50057 => info("invalid_grant", "The user account is disabled."),
        50173 => info(
            "invalid_grant",
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
        ),
        50133 => info(
            "invalid_grant",
            "Session is invalid due to expiration or recent password change.",
        ),
        700_082 => info(
            "invalid_grant",
            "The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00.",
        ),
        70043 => info(
            "invalid_grant",
            "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
        ),
        700_084 => info(
            "invalid_grant",
            "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.",
        ),
        9_001_023 => info(
            "invalid_request",
            "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
        ),
        90124 => info(
            "invalid_request",
            "The resource is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
        ),
        9_002_313 => info("invalid_request", "Invalid request. Request is malformed or invalid."),
        900_144 => info(
            "invalid_request",
            "The request body must contain the following parameter: 'grant_type'.",
        ),
        9_000_411 => info(
            "invalid_request",
            "The request is not properly formatted. A parameter is duplicated.",
        ),
        7_000_112 => info("unauthorized_client", "Application is disabled."),
        50196 => info(
            "invalid_grant",
            "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
        ),
        70003 => info("unsupported_grant_type", "The app requested an unsupported grant type."),
        70000 => info("invalid_grant", "Provided grant is invalid or malformed."),
        70008 => info(
            "invalid_grant",
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        ),
        54005 => info(
            "invalid_grant",
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ),
        500_112 => info(
            "invalid_grant",
            "The reply address provided when redeeming the authorization code does not match the reply address provided when requesting the authorization code.",
        ),
        501_481 => info(
            "invalid_grant",
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ),
        70016 => info(
            "authorization_pending",
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        ),
        70018 => info("bad_verification_code", "Invalid verification code."),
        // The device-login page's wording; the token endpoint answers 70020.
        70019 => info("expired_token", "Verification code expired."),
        70020 => info(
            "expired_token",
            "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
        ),
        50011 => info(
            "invalid_request",
            "The redirect URI specified in the request does not match the redirect URIs configured for the application. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
        ),
        50058 => info(
            "login_required",
            "A silent sign-in request was sent but no user is signed in.",
        ),
        65004 => info("access_denied", "User declined to consent to access the app."),
        50049 => info("invalid_instance", "Unknown or invalid instance."),
        _ => info("invalid_request", "An error occurred while processing the request."),
    }
}

/// One AADSTS error, ready to be rendered as Entra's JSON body or as a
/// redirect back to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AadError {
    pub code: u32,
    pub error: String,
    /// The description without the `AADSTSnnnn: ` prefix and trace lines.
    pub text: String,
    pub suberror: Option<String>,
    pub status: u16,
    /// A claims challenge sent with the error (JSON text).
    pub claims: Option<String>,
}

impl AadError {
    /// The error Entra sends for `code`, with its usual wording.
    pub fn new(code: u32) -> Self {
        let known = lookup(code);
        Self {
            code,
            error: known.error.to_owned(),
            text: known.text.to_owned(),
            suberror: known.suberror.map(str::to_owned),
            status: default_status(known.error),
            claims: None,
        }
    }

    /// The same code with a description naming the actual value at fault.
    pub fn with_text(code: u32, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::new(code)
        }
    }

    /// `AADSTS900144` for a missing parameter.
    pub fn missing(parameter: &str) -> Self {
        Self::with_text(
            900_144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    #[must_use]
    pub fn error(mut self, error: &str) -> Self {
        error.clone_into(&mut self.error);
        self.status = default_status(error);
        self
    }

    /// `AADSTSnnnn: text`, the first line of `error_description`.
    pub fn headline(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.text)
    }
}

/// Entra answers 401 for `invalid_client`, 400 for every other OAuth error.
pub fn default_status(error: &str) -> u16 {
    if error == "invalid_client" { 401 } else { 400 }
}
