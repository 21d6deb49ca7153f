//! Simulator configuration: users, clients, lifetimes, device-code timing,
//! automatic approvals and LCS membership, loadable from JSON.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use super::duration_serde;

/// One account the simulated tenant knows about.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct SimUser {
    pub username: String,
    pub password: String,
    /// The password grant answers AADSTS50076 (suberror `basic_action`) for this user.
    #[serde(default)]
    pub mfa_required: bool,
    /// Shown as the `name` claim; empty means "derived from the username".
    #[serde(default)]
    pub display_name: String,
    /// The directory the account belongs to (a domain or GUID); empty means the
    /// domain of the username. Sign-ins at any other tenant get AADSTS50034.
    #[serde(default)]
    pub tenant: String,
}

impl SimUser {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            mfa_required: false,
            display_name: String::new(),
            tenant: String::new(),
        }
    }

    /// Places the account in another directory than its username's domain.
    #[must_use]
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = tenant.into();
        self
    }

    /// The directory the account belongs to.
    pub fn home_tenant(&self) -> &str {
        if self.tenant.is_empty() {
            self.username.rsplit_once('@').map_or("", |(_, domain)| domain)
        } else {
            &self.tenant
        }
    }

    /// Marks the user as subject to a multi-factor authentication policy.
    #[must_use]
    pub fn with_mfa(mut self) -> Self {
        self.mfa_required = true;
        self
    }

    #[must_use]
    pub fn with_display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = name.into();
        self
    }

    /// The display name, or one made from the part of the username before `@`.
    pub fn name(&self) -> String {
        if !self.display_name.is_empty() {
            return self.display_name.clone();
        }
        let local = self.username.split('@').next().unwrap_or_default();
        let mut chars = local.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect::<String>()
        })
    }
}

impl fmt::Debug for SimUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimUser")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("mfa_required", &self.mfa_required)
            .field("display_name", &self.display_name)
            .field("tenant", &self.tenant)
            .finish()
    }
}

/// A confidential app registration: the client-credentials grant accepts this secret.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct SimClientSecret {
    pub client_id: String,
    pub secret: String,
}

impl fmt::Debug for SimClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimClientSecret")
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Approve every pending device code on its own after some polls.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeviceAutoApprove {
    /// Polls answered `authorization_pending` before the code counts as approved
    /// (0 = the first poll already gets tokens).
    pub after_polls: u32,
    /// The account that "signed in" on the other device.
    pub username: String,
}

/// Everything that shapes the simulator's behaviour. Deserializable from JSON
/// (missing fields take their default); durations accept a number of seconds
/// or a string such as `"250ms"`, `"5s"`, `"2m"`, `"1h"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    pub users: Vec<SimUser>,
    /// Client ids the tenant knows; empty accepts any GUID.
    pub allowed_client_ids: Vec<String>,
    /// Tenant names or GUIDs that exist; empty accepts any tenant.
    pub known_tenants: Vec<String>,
    /// `expires_in` of access tokens.
    #[serde(with = "duration_serde")]
    pub access_token_lifetime: Duration,
    /// When set, a random extra of up to this much is added to each lifetime
    /// (Entra hands out 60–90 minutes: 3600 s plus up to 1800 s).
    #[serde(with = "duration_serde::option")]
    pub access_token_lifetime_jitter: Option<Duration>,
    /// Send `expires_in`, `ext_expires_in` and `interval` as JSON strings.
    pub numbers_as_strings: bool,
    /// Refresh tokens always rotate; with this set a redeemed one stops working
    /// (otherwise it stays valid until `revoke_refresh_tokens`, as in Entra).
    pub single_use_refresh_tokens: bool,
    /// `interval` of device-code responses (sent rounded up to whole seconds).
    #[serde(with = "duration_serde")]
    pub device_code_interval: Duration,
    /// `expires_in` of device codes.
    #[serde(with = "duration_serde")]
    pub device_code_expires_in: Duration,
    /// Answer `slow_down` to polls closer together than the interval.
    pub enforce_slow_down: bool,
    pub device_auto_approve: Option<DeviceAutoApprove>,
    /// The account already signed in to the browser: `/authorize` redirects
    /// straight back with a code for it. `None` shows a sign-in page.
    pub auto_approve_user: Option<String>,
    /// LCS project ids the signed-in users are members of.
    pub lcs_member_projects: Vec<u64>,
    /// When set, LCS accepts only access tokens with this `aud`.
    pub lcs_audience: Option<String>,
    /// Resources (the `aud` of access tokens, e.g. `https://api.powerplatform.com`) the app
    /// registration has consented permissions for; any other answers AADSTS65001. Empty
    /// consents to every resource.
    pub consented_resources: Vec<String>,
    /// When set, the refresh-token grant answers `interaction_required` with this claims
    /// challenge (JSON text) until a device-code or browser sign-in passes it as `claims`: a
    /// step-up a Conditional Access policy demands.
    pub claims_challenge: Option<String>,
    /// App registrations with a client secret (confidential clients) for the client-credentials
    /// grant; every other client is public and refused a secret (AADSTS700025).
    pub client_secrets: Vec<SimClientSecret>,
    /// Group object ids in a `groups` claim of every access token (0 = none). Entra adds one
    /// when the app registration asks for group claims; 320 take a token past 16 KiB.
    pub access_token_groups: usize,
    /// Wait this long before answering every token, device-code, authorize
    /// and LCS request.
    #[serde(with = "duration_serde::option")]
    pub request_delay: Option<Duration>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            users: vec![SimUser::new("ops@contoso.onmicrosoft.com", "Demo-Pass-1").with_display_name("Olivia Ops")],
            allowed_client_ids: Vec::new(),
            known_tenants: Vec::new(),
            access_token_lifetime: Duration::from_secs(3600),
            access_token_lifetime_jitter: None,
            numbers_as_strings: false,
            single_use_refresh_tokens: false,
            device_code_interval: Duration::from_secs(5),
            device_code_expires_in: Duration::from_secs(900),
            enforce_slow_down: false,
            device_auto_approve: None,
            auto_approve_user: None,
            lcs_member_projects: vec![1_234_567],
            lcs_audience: None,
            consented_resources: Vec::new(),
            claims_challenge: None,
            client_secrets: Vec::new(),
            access_token_groups: 0,
            request_delay: None,
        }
    }
}

impl SimConfig {
    /// Parses a JSON configuration document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// A configuration with exactly these users (everything else default).
    pub fn with_users(users: Vec<SimUser>) -> Self {
        Self {
            users,
            ..Self::default()
        }
    }

    #[must_use]
    pub fn user(mut self, user: SimUser) -> Self {
        self.users.push(user);
        self
    }

    #[must_use]
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.allowed_client_ids.push(client_id.into());
        self
    }

    #[must_use]
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// Access tokens with `n` group claims (320 take one past 16 KiB).
    #[must_use]
    pub fn groups(mut self, n: usize) -> Self {
        self.access_token_groups = n;
        self
    }

    /// The user with this username (case-insensitive, as UPNs are).
    pub fn find_user(&self, username: &str) -> Option<&SimUser> {
        self.users.iter().find(|u| u.username.eq_ignore_ascii_case(username))
    }
}

/// The preset behind `lcsauth demo`: three accounts in three tenants (one
/// behind MFA), short token lifetimes and device codes that the northwind
/// account approves after two polls.
pub fn demo_config() -> SimConfig {
    SimConfig {
        users: vec![
            SimUser::new("ops@contoso.onmicrosoft.com", "Demo-Pass-1").with_display_name("Olivia Ops"),
            SimUser::new("admin@fabrikam.onmicrosoft.com", "Demo-Pass-1")
                .with_mfa()
                .with_display_name("Adam Admin"),
            SimUser::new("dev@northwind.onmicrosoft.com", "Demo-Pass-1").with_display_name("Dana Dev"),
        ],
        access_token_lifetime: Duration::from_secs(300),
        access_token_lifetime_jitter: Some(Duration::from_secs(60)),
        device_code_interval: Duration::from_secs(2),
        device_code_expires_in: Duration::from_secs(300),
        device_auto_approve: Some(DeviceAutoApprove {
            after_polls: 2,
            username: "dev@northwind.onmicrosoft.com".to_owned(),
        }),
        auto_approve_user: Some("ops@contoso.onmicrosoft.com".to_owned()),
        lcs_member_projects: vec![1_234_567, 7_654_321],
        ..SimConfig::default()
    }
}
