//! Audiences of an identity: the APIs one sign-in serves, and the clouds their hosts live in.
//!
//! A profile is an identity (tenant × client id × user × flow × cloud). Entra binds a refresh
//! token to the user and the client, not to a resource, so the identity's one refresh token is
//! redeemed for an access token of each audience. `lcs` is the profile's LCS region (the
//! default, as it always was); `powerplatform` and `powerapps` resolve per cloud; `dataverse:`
//! and `fno:` name an organisation or environment URL; `custom:` takes any one scope.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::profile::BaseUrl;
use crate::region::Region;

/// A sovereign cloud: where the Power Platform hosts and the sign-in host are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    Public,
    Gcc,
    GccHigh,
    Dod,
    China,
}

/// The published hosts of a cloud (Microsoft's Terraform provider for Power Platform).
#[derive(Clone, Copy, Debug)]
pub struct CloudInfo {
    pub cloud: Cloud,
    pub key: &'static str,
    pub sign_in: &'static str,
    pub power_platform_host: &'static str,
    pub bap_host: &'static str,
    /// The resource of the BAP / Power Apps admin API's tokens.
    pub power_apps_resource: &'static str,
}

pub const CLOUDS: [CloudInfo; 5] = [
    CloudInfo {
        cloud: Cloud::Public,
        key: "public",
        sign_in: "https://login.microsoftonline.com",
        power_platform_host: "api.powerplatform.com",
        bap_host: "api.bap.microsoft.com",
        power_apps_resource: "https://service.powerapps.com",
    },
    CloudInfo {
        cloud: Cloud::Gcc,
        key: "gcc",
        sign_in: "https://login.microsoftonline.com",
        power_platform_host: "api.gov.powerplatform.microsoft.us",
        bap_host: "gov.api.bap.microsoft.us",
        power_apps_resource: "https://gov.service.powerapps.us",
    },
    CloudInfo {
        cloud: Cloud::GccHigh,
        key: "gcc-high",
        sign_in: "https://login.microsoftonline.us",
        power_platform_host: "api.high.powerplatform.microsoft.us",
        bap_host: "high.api.bap.microsoft.us",
        power_apps_resource: "https://high.service.powerapps.us",
    },
    CloudInfo {
        cloud: Cloud::Dod,
        key: "dod",
        sign_in: "https://login.microsoftonline.us",
        power_platform_host: "api.appsplatform.us",
        bap_host: "api.bap.appsplatform.us",
        power_apps_resource: "https://service.apps.appsplatform.us",
    },
    CloudInfo {
        cloud: Cloud::China,
        key: "china",
        sign_in: "https://login.chinacloudapi.cn",
        power_platform_host: "api.powerplatform.partner.microsoftonline.cn",
        bap_host: "api.bap.partner.microsoftonline.cn",
        power_apps_resource: "https://service.powerapps.cn",
    },
];

impl Cloud {
    pub fn info(self) -> &'static CloudInfo {
        // Every variant has a row; the first row is a safe answer the compiler can see.
        CLOUDS.iter().find(|c| c.cloud == self).unwrap_or(&CLOUDS[0])
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// The cloud an LCS region lives in, for profiles that do not name one.
    pub fn for_region(region: Region) -> Cloud {
        match region {
            Region::Gcc => Cloud::Gcc,
            Region::GccHigh => Cloud::GccHigh,
            Region::China => Cloud::China,
            _ => Cloud::Public,
        }
    }

    pub fn keys() -> String {
        CLOUDS.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Cloud {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        CLOUDS
            .iter()
            .find(|c| c.key == lower)
            .map(|c| c.cloud)
            .ok_or_else(|| format!("unknown cloud {s:?}; expected one of {}", Cloud::keys()))
    }
}

/// One API an identity gets tokens for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Audience {
    /// The profile's LCS region (with its `scope`/`api_host` overrides).
    #[default]
    Lcs,
    /// The Power Platform API of the profile's cloud.
    PowerPlatform,
    /// The BAP / Power Apps admin API of the profile's cloud.
    PowerApps,
    /// A Dataverse organisation, e.g. `https://contoso.crm.dynamics.com`.
    Dataverse(BaseUrl),
    /// A Finance and Operations environment, e.g. `https://contoso.operations.dynamics.com`.
    Fno(BaseUrl),
    /// Any one scope, e.g. `https://graph.microsoft.com/.default`.
    Custom(String),
}

/// The words `--audience` accepts, for messages and shell completion.
pub const AUDIENCE_FORMS: &str =
    "lcs, powerplatform, powerapps, dataverse:<org url>, fno:<environment url>, custom:<scope>";

/// The presets that need no URL: every identity has them without configuration.
pub const PRESETS: [Audience; 3] = [Audience::Lcs, Audience::PowerPlatform, Audience::PowerApps];

/// The first-party API an audience needs a delegated permission on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiPermission {
    pub api: &'static str,
    /// The API's application id, where Microsoft publishes it.
    pub app_id: Option<&'static str>,
}

impl Audience {
    /// The short name people type and read: `lcs`, `powerplatform`, `dataverse:contoso.crm.dynamics.com`.
    pub fn name(&self) -> String {
        match self {
            Self::Lcs => "lcs".into(),
            Self::PowerPlatform => "powerplatform".into(),
            Self::PowerApps => "powerapps".into(),
            Self::Dataverse(url) => format!("dataverse:{}", host_of(url)),
            Self::Fno(url) => format!("fno:{}", host_of(url)),
            Self::Custom(scope) => format!("custom:{scope}"),
        }
    }

    pub fn is_lcs(&self) -> bool {
        matches!(self, Self::Lcs)
    }

    /// A key for keyring entries and state slots: only `A-Za-z0-9._-`, stable, never empty.
    /// `None` for `lcs`, whose entries keep the names they always had.
    pub fn slot(&self) -> Option<String> {
        let text = match self {
            Self::Lcs => return None,
            Self::PowerPlatform => "powerplatform".to_string(),
            Self::PowerApps => "powerapps".to_string(),
            Self::Dataverse(url) => format!("dataverse-{}", host_of(url)),
            Self::Fno(url) => format!("fno-{}", host_of(url)),
            Self::Custom(scope) => format!("custom-{:016x}", fnv1a(scope.as_bytes())),
        };
        Some(
            text.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect(),
        )
    }

    /// The name of the keyring entry owner for this audience's access token: the profile's own
    /// name for `lcs` (so caches written before audiences existed still serve), else
    /// `<profile>#<slot>` (`#` is not allowed in profile names, so no profile can collide).
    pub fn secret_owner(&self, profile: &str) -> String {
        match self.slot() {
            None => profile.to_string(),
            Some(slot) => format!("{profile}#{slot}"),
        }
    }

    /// The environment variable `exec` sets to this audience's token:
    /// `LCSAUTH_TOKEN_POWERPLATFORM`, `LCSAUTH_TOKEN_DATAVERSE_CONTOSO_CRM_DYNAMICS_COM`.
    pub fn env_var(&self) -> String {
        let name = match self {
            Self::Custom(_) => self.slot().unwrap_or_default(),
            _ => self.name(),
        };
        let upper: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("LCSAUTH_TOKEN_{upper}")
    }

    /// The resource (`aud`) and scope of this audience in `cloud`; `None` for `lcs`, which
    /// the profile's region resolves.
    pub fn resource(&self, cloud: Cloud) -> Option<(String, String)> {
        let info = cloud.info();
        let (resource, scope) = match self {
            Self::Lcs => return None,
            Self::PowerPlatform => {
                let r = format!("https://{}", info.power_platform_host);
                (r.clone(), format!("{r}/.default"))
            }
            Self::PowerApps => (
                info.power_apps_resource.to_string(),
                format!("{}/.default", info.power_apps_resource),
            ),
            Self::Dataverse(url) | Self::Fno(url) => (url.as_str().to_string(), format!("{}/.default", url.as_str())),
            Self::Custom(scope) => {
                let r = scope.strip_suffix(".default").unwrap_or(scope).trim_end_matches('/');
                (r.to_string(), scope.clone())
            }
        };
        Some((resource, scope))
    }

    /// The base URL calls go to: the BAP host for `powerapps`, else the resource.
    pub fn api_host(&self, cloud: Cloud) -> Option<String> {
        match self {
            Self::PowerApps => Some(format!("https://{}", cloud.info().bap_host)),
            _ => self.resource(cloud).map(|(r, _)| r),
        }
    }

    /// The API permission the app registration needs for this audience.
    pub fn permission(&self) -> ApiPermission {
        match self {
            Self::Lcs => ApiPermission {
                api: "Dynamics Lifecycle services",
                app_id: Some("913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0"),
            },
            Self::PowerPlatform => ApiPermission {
                api: "Power Platform API",
                app_id: Some("8578e004-a5c6-46e7-913e-12f58912df43"),
            },
            Self::PowerApps => ApiPermission {
                api: "PowerApps Service",
                app_id: None,
            },
            Self::Dataverse(_) => ApiPermission {
                api: "Dynamics CRM",
                app_id: Some("00000007-0000-0000-c000-000000000000"),
            },
            Self::Fno(_) => ApiPermission {
                api: "Microsoft Dynamics ERP",
                app_id: Some("00000015-0000-0000-c000-000000000000"),
            },
            Self::Custom(_) => ApiPermission {
                api: "the API of this scope",
                app_id: None,
            },
        }
    }

    /// What to do when Entra answers AADSTS65001 (no consent) for this audience.
    pub fn consent_fix(&self) -> String {
        let p = self.permission();
        let id = p.app_id.map(|id| format!(" (application id {id})")).unwrap_or_default();
        format!(
            "the app registration has no consented permission for the {} audience: in Entra admin center → App \
             registrations → the app → API permissions → Add a permission → APIs my organization uses, pick {}{id}, \
             add the delegated user_impersonation permission, then Grant admin consent",
            self.name(),
            p.api
        )
    }
}

/// Reads a comma-separated list of audiences (`powerplatform, dataverse:https://…`), as the
/// command line's `--audiences` and the board's form take it; empty entries are skipped.
pub fn parse_list(text: &str) -> Result<Vec<Audience>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::parse)
        .collect()
}

/// The list as [`parse_list`] reads it back.
pub fn format_list(list: &[Audience]) -> String {
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Audience {
    /// The form `FromStr` reads back: `dataverse:https://contoso.crm.dynamics.com`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dataverse(url) => write!(f, "dataverse:{}", url.as_str()),
            Self::Fno(url) => write!(f, "fno:{}", url.as_str()),
            other => f.write_str(&other.name()),
        }
    }
}

impl FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let (kind, rest) = t.split_once(':').unwrap_or((t, ""));
        let url = |what: &str| -> Result<BaseUrl, String> {
            if rest.trim().is_empty() {
                return Err(format!(
                    "audience {s:?} needs the {what} URL, like {kind}:https://contoso.{}",
                    example(kind)
                ));
            }
            let text = if rest.contains("://") {
                rest.to_string()
            } else {
                format!("https://{rest}")
            };
            let u: BaseUrl = text.parse().map_err(|e| format!("audience {s:?}: {e}"))?;
            if u.as_str().splitn(4, '/').nth(3).is_some_and(|p| !p.is_empty()) {
                return Err(format!("audience {s:?}: give the {what} URL without a path"));
            }
            Ok(u)
        };
        match (kind.to_ascii_lowercase().as_str(), rest.is_empty()) {
            ("lcs", true) => Ok(Self::Lcs),
            ("powerplatform", true) => Ok(Self::PowerPlatform),
            ("powerapps", true) => Ok(Self::PowerApps),
            ("dataverse", _) => url("organisation").map(Self::Dataverse),
            ("fno", _) => url("environment").map(Self::Fno),
            ("custom", _) => {
                let scope = rest.trim();
                // Printable ASCII only: the scope is shown on terminals and sent in forms.
                if scope.is_empty() || scope.len() > 512 || !scope.chars().all(|c| c.is_ascii_graphic()) {
                    return Err(format!(
                        "audience {s:?} needs one scope of printable characters without spaces, like custom:https://graph.microsoft.com/.default"
                    ));
                }
                Ok(Self::Custom(scope.to_string()))
            }
            _ => Err(format!("unknown audience {s:?}; expected {AUDIENCE_FORMS}")),
        }
    }
}

impl TryFrom<String> for Audience {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Audience> for String {
    fn from(a: Audience) -> String {
        a.to_string()
    }
}

fn example(kind: &str) -> &'static str {
    if kind.eq_ignore_ascii_case("fno") {
        "operations.dynamics.com"
    } else {
        "crm.dynamics.com"
    }
}

fn host_of(url: &BaseUrl) -> &str {
    let s = url.as_str();
    s.split_once("://").map_or(s, |(_, rest)| rest)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_back_from_its_display() {
        for text in [
            "lcs",
            "powerplatform",
            "powerapps",
            "dataverse:https://contoso.crm4.dynamics.com",
            "fno:https://contoso.operations.dynamics.com",
            "custom:https://graph.microsoft.com/.default",
        ] {
            let a: Audience = text.parse().unwrap();
            assert_eq!(a.to_string(), text);
        }
        let bare: Audience = "dataverse:contoso.crm.dynamics.com".parse().unwrap();
        assert_eq!(bare.to_string(), "dataverse:https://contoso.crm.dynamics.com");
    }

    #[test]
    fn lists_read_back_what_they_write() {
        let list = parse_list(" powerplatform, ,dataverse:contoso.crm.dynamics.com ").unwrap();
        assert_eq!(
            format_list(&list),
            "powerplatform, dataverse:https://contoso.crm.dynamics.com"
        );
        assert_eq!(parse_list(&format_list(&list)).unwrap(), list);
        assert!(parse_list("powerplatform, graph").unwrap_err().contains("\"graph\""));
    }

    #[test]
    fn bad_audiences_say_what_is_expected() {
        assert!("graph".parse::<Audience>().unwrap_err().contains("powerplatform"));
        assert!(
            "dataverse:"
                .parse::<Audience>()
                .unwrap_err()
                .contains("organisation URL")
        );
        assert!(
            "dataverse:http://contoso.crm.dynamics.com"
                .parse::<Audience>()
                .unwrap_err()
                .contains("https://")
        );
        assert!(
            "fno:https://x.operations.dynamics.com/data"
                .parse::<Audience>()
                .unwrap_err()
                .contains("without a path")
        );
        assert!("custom:a b".parse::<Audience>().is_err());
        assert!("custom:https://x/\u{1b}[2J.default".parse::<Audience>().is_err());
        assert!("lcs:eu".parse::<Audience>().is_err());
    }

    #[test]
    fn presets_resolve_per_cloud_to_the_published_hosts() {
        let pp = |c| Audience::PowerPlatform.resource(c).unwrap();
        assert_eq!(pp(Cloud::Public).1, "https://api.powerplatform.com/.default");
        assert_eq!(pp(Cloud::Gcc).1, "https://api.gov.powerplatform.microsoft.us/.default");
        assert_eq!(pp(Cloud::GccHigh).0, "https://api.high.powerplatform.microsoft.us");
        assert_eq!(pp(Cloud::Dod).0, "https://api.appsplatform.us");
        assert_eq!(
            pp(Cloud::China).0,
            "https://api.powerplatform.partner.microsoftonline.cn"
        );
        assert_eq!(
            Audience::PowerApps.resource(Cloud::Public).unwrap().1,
            "https://service.powerapps.com/.default"
        );
        assert_eq!(
            Audience::PowerApps.api_host(Cloud::Public).unwrap(),
            "https://api.bap.microsoft.com"
        );
        let dv: Audience = "dataverse:https://contoso.crm.dynamics.com".parse().unwrap();
        assert_eq!(
            dv.resource(Cloud::Public).unwrap(),
            (
                "https://contoso.crm.dynamics.com".to_string(),
                "https://contoso.crm.dynamics.com/.default".to_string()
            )
        );
        assert_eq!(Cloud::for_region(Region::GccHigh), Cloud::GccHigh);
        assert_eq!(Cloud::for_region(Region::Eu), Cloud::Public);
    }

    #[test]
    fn slots_and_env_vars_use_only_safe_characters() {
        assert_eq!(Audience::Lcs.secret_owner("prod"), "prod");
        assert_eq!(Audience::PowerPlatform.secret_owner("prod"), "prod#powerplatform");
        let dv: Audience = "dataverse:contoso.crm.dynamics.com".parse().unwrap();
        assert_eq!(dv.slot().unwrap(), "dataverse-contoso.crm.dynamics.com");
        assert_eq!(dv.env_var(), "LCSAUTH_TOKEN_DATAVERSE_CONTOSO_CRM_DYNAMICS_COM");
        let custom: Audience = "custom:https://graph.microsoft.com/.default".parse().unwrap();
        let slot = custom.slot().unwrap();
        assert!(slot.starts_with("custom-") && slot.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert!(custom.env_var().starts_with("LCSAUTH_TOKEN_CUSTOM_"));
    }

    #[test]
    fn the_consent_fix_names_the_power_platform_api_app_id() {
        let fix = Audience::PowerPlatform.consent_fix();
        assert!(fix.contains("Power Platform API"), "{fix}");
        assert!(fix.contains("8578e004-a5c6-46e7-913e-12f58912df43"), "{fix}");
    }
}
