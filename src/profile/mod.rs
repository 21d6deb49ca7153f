//! Profiles: who signs in where. A profile holds no secret.
//!
//! `Profile` and `Settings` are here with the rules both fronts follow when a profile changes
//! (`switch_flow`, `secret_meaning_changed`); `fields` holds the typed fields, each of which
//! parses and refuses itself; `field` names the fields and holds the errors of their own checks,
//! each knowing its field; `invalid` what a whole profile can get wrong, each problem knowing its
//! field; `store` is `profiles.toml` (parse with positions, atomic save, lock, the default).

pub mod field;
pub mod fields;
pub mod invalid;
pub mod store;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use field::{BadUrl, BadValue, Field};
pub use fields::{BaseUrl, ClientId, EnvironmentId, Flow, ProfileName, ProjectId, Tenant};
pub use invalid::{Invalid, Problem};

use crate::audience::{Audience, Cloud};
use crate::region::{Region, default_scope};

/// One tenant × app registration × LCS region × user. The TOML keys are a contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: ProfileName,
    pub tenant: Tenant,
    pub client_id: ClientId,
    #[serde(default = "default_region")]
    pub region: Region,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default)]
    pub flow: Flow,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<BaseUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_host: Option<BaseUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    /// The LCS environment `lcsauth api` fills into `{environmentId}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<EnvironmentId>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remember_password: bool,
    /// The cloud of the audience presets; default: the LCS region's cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<Cloud>,
    /// Audiences shown and refreshed besides `lcs`; any audience can also be asked for by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<Audience>,
}

fn default_region() -> Region {
    Region::Global
}

/// Where a profile signs in and for what, with every default applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Sign-in host, e.g. `https://login.microsoftonline.com`.
    pub authority: String,
    pub tenant: String,
    pub client_id: String,
    /// The API scope, e.g. `https://lcsapi.lcs.dynamics.com//.default`.
    pub scope: String,
    /// The API base URL, e.g. `https://lcsapi.lcs.dynamics.com`.
    pub api_host: String,
}

impl Profile {
    /// Cross-field rules; single fields were already checked by their types.
    pub fn validate(&self) -> Result<(), Invalid> {
        self.problem().map_or(Ok(()), |problem| {
            Err(Invalid {
                profile: self.name.clone(),
                problem,
            })
        })
    }

    /// The first cross-field rule the profile breaks.
    fn problem(&self) -> Option<Problem> {
        if self.region == Region::Custom && self.api_host.is_none() {
            return Some(Problem::CustomRegionNeedsApiHost);
        }
        if self.flow == Flow::Password && self.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Some(Problem::PasswordFlowNeedsUsername);
        }
        if let Some(user) = &self.username
            && (user.trim() != user || user.chars().any(char::is_whitespace))
        {
            return Some(Problem::UsernameHasSpaces(user.clone()));
        }
        if let Some(scope) = &self.scope
            && (scope.trim().is_empty() || scope.contains(char::is_whitespace))
        {
            return Some(Problem::ScopeNotOne(scope.clone()));
        }
        for (i, a) in self.audiences.iter().enumerate() {
            if self.audiences[..i].contains(a) {
                return Some(Problem::AudienceTwice(a.clone()));
            }
        }
        if self.flow == Flow::ClientSecret && (self.audiences.is_empty() || self.audiences.iter().any(Audience::is_lcs))
        {
            return Some(Problem::ClientSecretWithoutOtherApi);
        }
        if self.remember_password && self.flow != Flow::Password {
            return Some(Problem::RememberWithoutPasswordFlow(self.flow));
        }
        None
    }

    /// Resolves region defaults and overrides into the values a request needs.
    pub fn endpoint(&self) -> Endpoint {
        let info = self.region.info();
        let api_host = self
            .api_host
            .as_ref()
            .map(|h| h.as_str().to_string())
            .or_else(|| info.map(|i| i.api_host.to_string()))
            .unwrap_or_default();
        let authority = self
            .authority
            .as_ref()
            .map(|a| a.as_str().to_string())
            .or_else(|| self.cloud.map(|c| c.info().sign_in.to_string()))
            .or_else(|| info.map(|i| i.authority.to_string()))
            .unwrap_or_else(|| "https://login.microsoftonline.com".to_string());
        let scope = self.scope.clone().unwrap_or_else(|| default_scope(&api_host));
        Endpoint {
            authority,
            tenant: self.tenant.to_string(),
            client_id: self.client_id.to_string(),
            scope,
            api_host,
        }
    }
}

impl Profile {
    /// The cloud the audience presets resolve in.
    pub fn cloud(&self) -> Cloud {
        self.cloud.unwrap_or_else(|| Cloud::for_region(self.region))
    }

    /// Where to sign in and what to ask for to get a token of `audience`. `lcs` is exactly
    /// [`Profile::endpoint`]; the others keep the identity's authority, tenant and client.
    pub fn endpoint_for(&self, audience: &Audience) -> Endpoint {
        let base = self.endpoint();
        let cloud = self.cloud();
        match (audience.resource(cloud), audience.api_host(cloud)) {
            (Some((_, scope)), Some(api_host)) => Endpoint {
                scope,
                api_host,
                ..base
            },
            _ => base,
        }
    }

    /// The `aud` a token of `audience` is expected to carry.
    pub fn resource_for(&self, audience: &Audience) -> String {
        audience
            .resource(self.cloud())
            .map_or_else(|| self.endpoint().api_host, |(r, _)| r)
    }

    /// The audiences this profile shows: `lcs` first (not for the client-secret flow, which
    /// LCS refuses), then the configured ones.
    pub fn audience_list(&self) -> Vec<Audience> {
        let mut list = if self.flow == Flow::ClientSecret {
            Vec::new()
        } else {
            vec![Audience::Lcs]
        };
        list.extend(self.audiences.iter().filter(|a| !a.is_lcs()).cloned());
        list
    }

    /// Switches the profile to `flow`, as `profile edit --flow` and the board's `i` do: only the
    /// password flow remembers a password, so for any other the switch turns
    /// `remember_password` off (and applying the change forgets the password).
    pub fn switch_flow(&mut self, flow: Flow) {
        self.flow = flow;
        self.remember_password &= flow == Flow::Password;
    }

    /// The keyring's secret entry of `self` would mean something else for `new`: a user's
    /// password for one, the app's client secret for the other. It must then be forgotten, so
    /// that one is never sent as the other.
    pub fn secret_meaning_changed(&self, new: &Profile) -> bool {
        (self.flow == Flow::ClientSecret) != (new.flow == Flow::ClientSecret)
    }

    /// The audience a command means when it names none: `lcs`, or for the client-secret flow
    /// the first configured audience.
    pub fn default_audience(&self) -> Audience {
        match self.flow {
            Flow::ClientSecret => self.audiences.first().cloned().unwrap_or_default(),
            _ => Audience::Lcs,
        }
    }
}

/// Settings in `profiles.toml` under `[settings]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// A token is handed out only if it stays valid at least this long.
    #[serde(default = "default_min_valid", with = "crate::time::duration")]
    pub min_valid: Duration,
    /// `copy` clears the clipboard after this long, if it still holds the token.
    #[serde(default = "default_clear_after", with = "crate::time::duration")]
    pub clear_after: Duration,
    /// How long to wait for an answer from Entra.
    #[serde(default = "default_http_timeout", with = "crate::time::duration")]
    pub http_timeout: Duration,
    /// How long to wait for another process holding a profile's lock before giving up; unset,
    /// as long as that process can rightly take (see `Broker::lock_wait_limit`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::duration::optional"
    )]
    pub lock_wait: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_valid: default_min_valid(),
            clear_after: default_clear_after(),
            http_timeout: default_http_timeout(),
            lock_wait: None,
        }
    }
}

fn default_min_valid() -> Duration {
    Duration::from_secs(15 * 60)
}

fn default_http_timeout() -> Duration {
    Duration::from_secs(30)
}

fn default_clear_after() -> Duration {
    Duration::from_secs(45)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid password profile for tests across the crate.
    pub(crate) fn sample() -> Profile {
        Profile {
            name: "contoso-prod".parse().unwrap(),
            tenant: "contoso.onmicrosoft.com".parse().unwrap(),
            client_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".parse().unwrap(),
            region: Region::Eu,
            username: Some("ops@contoso.com".into()),
            flow: Flow::Password,
            authority: None,
            scope: None,
            api_host: None,
            project_id: None,
            environment_id: None,
            remember_password: false,
            cloud: None,
            audiences: Vec::new(),
        }
    }

    #[test]
    fn endpoint_defaults_come_from_the_region() {
        let e = sample().endpoint();
        assert_eq!(e.api_host, "https://lcsapi.eu.lcs.dynamics.com");
        assert_eq!(e.scope, "https://lcsapi.eu.lcs.dynamics.com//.default");
        assert_eq!(e.authority, "https://login.microsoftonline.com");
    }

    #[test]
    fn overrides_win_over_region_defaults() {
        let mut p = sample();
        p.region = Region::Custom;
        p.api_host = Some("https://api.powerplatform.com".parse().unwrap());
        p.scope = Some("https://api.powerplatform.com/.default".into());
        p.authority = Some("http://127.0.0.1:9999".parse().unwrap());
        let e = p.endpoint();
        assert_eq!(e.scope, "https://api.powerplatform.com/.default");
        assert_eq!(e.authority, "http://127.0.0.1:9999");
    }

    #[test]
    fn custom_region_without_api_host_is_refused() {
        let mut p = sample();
        p.region = Region::Custom;
        let e = p.validate().unwrap_err();
        assert_eq!(e.problem, Problem::CustomRegionNeedsApiHost);
        assert_eq!(e.field(), Field::ApiHost);
        assert_eq!(
            e.to_string(),
            "profile 'contoso-prod': region \"custom\" needs api_host (and optionally scope and authority)"
        );
    }

    #[test]
    fn password_flow_without_username_is_refused() {
        let mut p = sample();
        p.username = None;
        let e = p.validate().unwrap_err();
        assert_eq!(e.field(), Field::Username);
        assert!(e.to_string().contains("needs a username"), "{e}");
        p.username = Some("  ".into());
        assert_eq!(p.validate().unwrap_err().problem, Problem::PasswordFlowNeedsUsername);
        p.username = None;
        p.flow = Flow::DeviceCode;
        assert!(p.validate().is_ok());
    }

    #[test]
    fn each_broken_rule_names_the_field_to_change() {
        let broken = |change: &dyn Fn(&mut Profile)| {
            let mut p = sample();
            change(&mut p);
            p.validate().unwrap_err().field()
        };
        assert_eq!(
            broken(&|p| p.username = Some("ops @contoso.com".into())),
            Field::Username
        );
        assert_eq!(broken(&|p| p.scope = Some("a b".into())), Field::Scope);
        assert_eq!(
            broken(&|p| p.audiences = vec![Audience::PowerPlatform, Audience::PowerPlatform]),
            Field::Audiences
        );
        assert_eq!(
            broken(&|p| {
                p.flow = Flow::ClientSecret;
                p.audiences = vec![Audience::Lcs];
            }),
            Field::Audiences
        );
        assert_eq!(
            broken(&|p| {
                p.flow = Flow::Browser;
                p.remember_password = true;
            }),
            Field::RememberPassword
        );
        let mut p = sample();
        p.flow = Flow::DeviceCode;
        p.remember_password = true;
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "profile 'contoso-prod': remember_password only applies to the password flow (flow is device-code)"
        );
    }

    #[test]
    fn switching_away_from_the_password_flow_stops_remembering_the_password() {
        let mut p = sample();
        p.remember_password = true;
        p.switch_flow(Flow::Password);
        assert!(p.remember_password);
        p.switch_flow(Flow::DeviceCode);
        assert_eq!((p.flow, p.remember_password), (Flow::DeviceCode, false));
        assert!(p.validate().is_ok());
        p.switch_flow(Flow::Password);
        assert!(!p.remember_password, "switching back does not remember again by itself");
    }
}
