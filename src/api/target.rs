//! Which API a call goes to and where it lives: the one place an audience name becomes a host.
//!
//! A profile's tokens are for its own scope: the LCS API of its region, or the Power Platform
//! API when its scope names that. `--audience` picks the API; it must be the one the profile's
//! tokens are for, since a token is never sent to a host it was not issued for.

use std::fmt;

use crate::profile::Profile;
use crate::region::Region;

/// The APIs `lcsauth api` knows the rules of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// The LCS API (Database Movement, environment info): `x-ms-version`, the JSON envelope.
    Lcs,
    /// The Power Platform API (environment management): 202 + `Location` operations.
    PowerPlatform,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Self::Lcs => "lcs",
            Self::PowerPlatform => "powerplatform",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where calls of one audience go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub service: Service,
    /// `https://host[:port]` without a trailing slash.
    pub base: String,
}

/// Why an audience cannot be served by a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("unknown audience {0:?}: use lcs or powerplatform")]
    Unknown(String),
    #[error(
        "profile '{profile}' gets tokens for {has}, not for {wanted} ({host}); a token is only sent to the API it \
         was issued for: use a profile whose scope is {scope}"
    )]
    NotThisProfile {
        profile: String,
        has: Service,
        wanted: Service,
        host: String,
        scope: String,
    },
}

/// The Power Platform API host of the cloud a profile signs in to (Microsoft's Terraform
/// provider's table): the region or the authority tells the cloud.
pub fn power_platform_host(profile: &Profile) -> &'static str {
    let authority = profile.endpoint().authority.to_ascii_lowercase();
    match profile.region {
        Region::Gcc => "api.gov.powerplatform.microsoft.us",
        Region::GccHigh => "api.high.powerplatform.microsoft.us",
        Region::China => "api.powerplatform.partner.microsoftonline.cn",
        _ if authority.contains("microsoftonline.us") => "api.high.powerplatform.microsoft.us",
        _ if authority.contains(".cn") => "api.powerplatform.partner.microsoftonline.cn",
        _ => "api.powerplatform.com",
    }
}

/// Every Power Platform API host, in all clouds.
const POWER_PLATFORM_HOSTS: [&str; 5] = [
    "api.powerplatform.com",
    "api.gov.powerplatform.microsoft.us",
    "api.high.powerplatform.microsoft.us",
    "api.appsplatform.us",
    "api.powerplatform.partner.microsoftonline.cn",
];

/// The API a profile's tokens are for, read from its scope.
pub fn service_of(profile: &Profile) -> Service {
    let scope = profile.endpoint().scope.to_ascii_lowercase();
    let host = scope
        .strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    if POWER_PLATFORM_HOSTS.contains(&host) {
        Service::PowerPlatform
    } else {
        Service::Lcs
    }
}

/// The audience `--audience` names (`None`: the profile's own).
pub fn resolve(profile: &Profile, audience: Option<&str>) -> Result<Target, TargetError> {
    let has = service_of(profile);
    let wanted = match audience.map(str::trim) {
        None | Some("") => has,
        Some(a) if a.eq_ignore_ascii_case("lcs") => Service::Lcs,
        Some(a) if a.eq_ignore_ascii_case("powerplatform") => Service::PowerPlatform,
        Some(other) => return Err(TargetError::Unknown(other.to_string())),
    };
    if wanted != has {
        let (host, scope) = match wanted {
            Service::PowerPlatform => {
                let h = power_platform_host(profile);
                (format!("https://{h}"), format!("https://{h}/.default"))
            }
            Service::Lcs => {
                let info = profile.region.info();
                let h = info.map_or("https://lcsapi.lcs.dynamics.com", |i| i.api_host);
                (h.to_string(), crate::region::default_scope(h))
            }
        };
        return Err(TargetError::NotThisProfile {
            profile: profile.name.to_string(),
            has,
            wanted,
            host,
            scope,
        });
    }
    Ok(Target {
        service: has,
        base: profile.endpoint().api_host.trim_end_matches('/').to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn profile(toml: &str) -> Profile {
        toml::from_str(&format!(
            "name = \"p\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"00000000-0000-0000-0000-000000000001\"\n{toml}"
        ))
        .unwrap()
    }

    #[test]
    fn the_default_audience_is_the_lcs_host_of_the_region() {
        let t = resolve(&profile("region = \"eu\""), None).unwrap();
        assert_eq!(t.service, Service::Lcs);
        assert_eq!(t.base, "https://lcsapi.eu.lcs.dynamics.com");
        assert_eq!(resolve(&profile("region = \"eu\""), Some("lcs")).unwrap(), t);
    }

    #[test]
    fn a_power_platform_scope_makes_a_power_platform_profile() {
        let p =
            profile("scope = \"https://api.powerplatform.com/.default\"\napi_host = \"https://api.powerplatform.com\"");
        let t = resolve(&p, Some("powerplatform")).unwrap();
        assert_eq!(t.service, Service::PowerPlatform);
        assert_eq!(t.base, "https://api.powerplatform.com");
    }

    #[test]
    fn an_lcs_profile_refuses_the_power_platform_audience_and_names_its_cloud_host() {
        let err = resolve(&profile("region = \"gcc-high\""), Some("powerplatform")).unwrap_err();
        assert!(
            err.to_string()
                .contains("https://api.high.powerplatform.microsoft.us/.default"),
            "{err}"
        );
        let err = resolve(&profile(""), Some("graph")).unwrap_err();
        assert!(matches!(err, TargetError::Unknown(_)));
    }
}
