//! The sovereign clouds an identity's audiences resolve in, with the hosts Microsoft publishes
//! for each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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

/// A cloud `FromStr` does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown cloud {0:?}; expected one of {keys}", keys = Cloud::keys())]
pub struct UnknownCloud(pub String);

impl FromStr for Cloud {
    type Err = UnknownCloud;
    fn from_str(s: &str) -> Result<Self, UnknownCloud> {
        let lower = s.trim().to_ascii_lowercase();
        CLOUDS
            .iter()
            .find(|c| c.key == lower)
            .map(|c| c.cloud)
            .ok_or_else(|| UnknownCloud(s.to_string()))
    }
}
