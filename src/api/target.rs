//! Which API a call goes to and where it lives: the one place `lcsauth api` turns an audience
//! into a host and a token slot, on top of the identity's audiences (`crate::audience`).
//!
//! `lcs` is the profile's own scope and API host (a profile whose scope names the Power Platform
//! API is a Power Platform profile); `powerplatform` is that profile's own token, or else the
//! Power Platform audience of the profile's cloud. A full URL picks the audience whose host it
//! is on; a host of none of them is refused, so a token never goes where it was not issued for.

use std::fmt;

use crate::audience::{Audience, CLOUDS};
use crate::profile::Profile;

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

/// Where calls of one audience go, and whose token they carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub service: Service,
    /// `https://host[:port]` without a trailing slash.
    pub base: String,
    /// The identity's audience whose token the calls carry.
    pub audience: Audience,
}

impl Target {
    /// Whether a full URL is on this target's own scheme, host and port, without user info:
    /// the only URLs its token may go to.
    pub fn serves(&self, url: &reqwest::Url) -> bool {
        let base = reqwest::Url::parse(&self.base).ok();
        let same = base.as_ref().is_some_and(|b| {
            b.scheme() == url.scheme()
                && b.host_str().map(str::to_ascii_lowercase) == url.host_str().map(str::to_ascii_lowercase)
                && b.port_or_known_default() == url.port_or_known_default()
        });
        same && url.username().is_empty() && url.password().is_none()
    }
}

/// Why an audience cannot be served by a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("audience {0}: lcsauth api calls lcs or powerplatform")]
    Unknown(String),
    #[error(
        "profile '{profile}' gets tokens for {has}, not for {wanted}; a token is only sent to the API it was \
         issued for: use a profile whose scope is the {wanted} API"
    )]
    NotThisProfile {
        profile: String,
        has: Service,
        wanted: Service,
    },
}

/// The API a profile's own tokens (its `lcs` slot) are for, read from its scope.
pub fn service_of(profile: &Profile) -> Service {
    let scope = profile.endpoint().scope.to_ascii_lowercase();
    let host = scope
        .strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    if CLOUDS.iter().any(|c| c.power_platform_host == host) {
        Service::PowerPlatform
    } else {
        Service::Lcs
    }
}

/// The audience `--audience` names (`None`: the profile's default one).
pub fn resolve(profile: &Profile, audience: Option<&str>) -> Result<Target, TargetError> {
    let own = service_of(profile);
    let wanted = match audience.map(str::trim) {
        None | Some("") => profile.default_audience(),
        Some(text) => text
            .parse::<Audience>()
            .map_err(|e| TargetError::Unknown(e.to_string()))?,
    };
    let explicit = audience.is_some_and(|a| !a.trim().is_empty());
    match wanted {
        Audience::Lcs if explicit && own == Service::PowerPlatform => Err(TargetError::NotThisProfile {
            profile: profile.name.to_string(),
            has: own,
            wanted: Service::Lcs,
        }),
        Audience::Lcs => Ok(own_target(profile, own)),
        Audience::PowerPlatform if own == Service::PowerPlatform => Ok(own_target(profile, own)),
        Audience::PowerPlatform => Ok(Target {
            service: Service::PowerPlatform,
            base: profile
                .endpoint_for(&Audience::PowerPlatform)
                .api_host
                .trim_end_matches('/')
                .to_string(),
            audience: Audience::PowerPlatform,
        }),
        other => Err(TargetError::Unknown(other.name())),
    }
}

fn own_target(profile: &Profile, service: Service) -> Target {
    Target {
        service,
        base: profile.endpoint().api_host.trim_end_matches('/').to_string(),
        audience: Audience::Lcs,
    }
}

/// For a full URL without `--audience`: the profile's audience whose host the URL is on.
pub fn resolve_for_url(profile: &Profile, url: &str) -> Option<Target> {
    let parsed = reqwest::Url::parse(url).ok()?;
    [None, Some("powerplatform")]
        .into_iter()
        .filter_map(|a| resolve(profile, a).ok())
        .find(|t| t.serves(&parsed))
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
    fn a_full_url_picks_the_audience_whose_host_it_is_on() {
        let p = profile("region = \"eu\"");
        let t = resolve_for_url(&p, "https://api.powerplatform.com/environmentmanagement/environments").unwrap();
        assert_eq!(t.audience, Audience::PowerPlatform);
        let t = resolve_for_url(&p, "https://lcsapi.eu.lcs.dynamics.com/x").unwrap();
        assert_eq!(t.audience, Audience::Lcs);
        assert_eq!(resolve_for_url(&p, "https://lcsapi.lcs.dynamics.com/x"), None);
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
    fn the_power_platform_audience_of_an_lcs_profile_is_its_clouds_host_and_token_slot() {
        let t = resolve(&profile("region = \"gcc-high\""), Some("powerplatform")).unwrap();
        assert_eq!(t.base, "https://api.high.powerplatform.microsoft.us");
        assert_eq!(t.audience, Audience::PowerPlatform);
        let err = resolve(&profile(""), Some("graph")).unwrap_err();
        assert!(matches!(err, TargetError::Unknown(_)));
        let pp =
            profile("scope = \"https://api.powerplatform.com/.default\"\napi_host = \"https://api.powerplatform.com\"");
        assert!(matches!(
            resolve(&pp, Some("lcs")),
            Err(TargetError::NotThisProfile { .. })
        ));
    }
}
