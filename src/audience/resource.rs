//! What an audience needs from Entra and the API: its resource and scope in a cloud, the host
//! its calls go to, and the permission (with the consent fix) the app registration needs.

use super::cloud::Cloud;
use super::names::Audience;

/// The first-party API an audience needs a delegated permission on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiPermission {
    pub api: &'static str,
    /// The API's application id, where Microsoft publishes it.
    pub app_id: Option<&'static str>,
}

impl Audience {
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
