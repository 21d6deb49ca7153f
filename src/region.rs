//! LCS instances: for each one the API host, the token scope and the Entra sign-in authority.
//!
//! The scope is `<api_host>//.default` with a double slash, exactly as the vendor article writes
//! it: the LCS resource's identifier URI ends in `/`, and `/.default` is appended to it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How sure we are of a published value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Stated in Microsoft's documentation.
    Documented,
    /// Follows from documented values by analogy; not stated anywhere.
    Inferred,
    /// A best guess; override it when your tenant says otherwise.
    Guessed,
}

impl Certainty {
    pub fn mark(self) -> &'static str {
        match self {
            Self::Documented => "documented",
            Self::Inferred => "inferred",
            Self::Guessed => "guessed",
        }
    }
}

/// One LCS instance (or `custom`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Global,
    Eu,
    Fr,
    No,
    Sa,
    Ch,
    Uae,
    Gcc,
    GccHigh,
    China,
    Custom,
}

/// The published values of a region.
#[derive(Clone, Copy, Debug)]
pub struct RegionInfo {
    pub region: Region,
    pub key: &'static str,
    pub name: &'static str,
    pub portal: &'static str,
    pub api_host: &'static str,
    pub authority: &'static str,
    pub api_host_certainty: Certainty,
    pub scope_certainty: Certainty,
    pub authority_certainty: Certainty,
}

const COMMERCIAL: &str = "https://login.microsoftonline.com";

macro_rules! row {
    ($r:ident, $key:literal, $name:literal, $portal:literal, $api:literal, $auth:expr, $h:ident, $s:ident, $a:ident) => {
        RegionInfo {
            region: Region::$r,
            key: $key,
            name: $name,
            portal: $portal,
            api_host: $api,
            authority: $auth,
            api_host_certainty: Certainty::$h,
            scope_certainty: Certainty::$s,
            authority_certainty: Certainty::$a,
        }
    };
}

/// Every LCS instance with known values. `custom` is not listed: it has none.
pub const REGIONS: [RegionInfo; 10] = [
    row!(
        Global,
        "global",
        "United States / global",
        "lcs.dynamics.com",
        "https://lcsapi.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Documented,
        Documented
    ),
    row!(
        Eu,
        "eu",
        "Europe",
        "eu.lcs.dynamics.com",
        "https://lcsapi.eu.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Documented,
        Documented
    ),
    row!(
        Fr,
        "fr",
        "France",
        "fr.lcs.dynamics.com",
        "https://lcsapi.fr.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Inferred,
        Documented
    ),
    row!(
        No,
        "no",
        "Norway",
        "no.lcs.dynamics.com",
        "https://lcsapi.no.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Inferred,
        Documented
    ),
    row!(
        Sa,
        "sa",
        "South Africa",
        "sa.lcs.dynamics.com",
        "https://lcsapi.sa.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Inferred,
        Documented
    ),
    row!(
        Ch,
        "ch",
        "Switzerland",
        "ch.lcs.dynamics.com",
        "https://lcsapi.ch.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Inferred,
        Documented
    ),
    row!(
        Uae,
        "uae",
        "United Arab Emirates",
        "uae.lcs.dynamics.com",
        "https://lcsapi.uae.lcs.dynamics.com",
        COMMERCIAL,
        Documented,
        Inferred,
        Documented
    ),
    row!(
        Gcc,
        "gcc",
        "US Government Community Cloud",
        "gov.lcs.microsoftdynamics.us",
        "https://lcsapi.gov.lcs.microsoftdynamics.us",
        COMMERCIAL,
        Documented,
        Guessed,
        Inferred
    ),
    row!(
        GccHigh,
        "gcc-high",
        "US GCC High",
        "high.lcs.microsoftdynamics.us",
        "https://lcsapi.high.lcs.microsoftdynamics.us",
        "https://login.microsoftonline.us",
        Documented,
        Guessed,
        Guessed
    ),
    row!(
        China,
        "china",
        "China (21Vianet)",
        "lcs.dynamics.cn",
        "https://lcsapi.lcs.dynamics.cn",
        "https://login.partner.microsoftonline.cn",
        Inferred,
        Guessed,
        Guessed
    ),
];

impl Region {
    /// Published values, or `None` for `custom`.
    pub fn info(self) -> Option<&'static RegionInfo> {
        REGIONS.iter().find(|r| r.region == self)
    }

    pub fn key(self) -> &'static str {
        self.info().map_or("custom", |i| i.key)
    }

    /// All accepted keys, for messages.
    pub fn keys() -> String {
        let mut keys: Vec<&str> = REGIONS.iter().map(|r| r.key).collect();
        keys.push("custom");
        keys.join(", ")
    }

    /// The region whose API host this is, if any (for `doctor` and the `aud` check).
    pub fn for_api_host(host: &str) -> Option<Region> {
        let host = host.trim_end_matches('/');
        REGIONS.iter().find(|r| r.api_host == host).map(|r| r.region)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A region `FromStr` does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnknownRegion {
    /// An Azure geography without an LCS instance of its own: its projects live on global LCS.
    #[error("unknown region {given:?}: {place} is served by global (lcs.dynamics.com); use `global`")]
    ServedByGlobal { given: String, place: &'static str },
    #[error("unknown region {0:?}; expected one of {keys}", keys = Region::keys())]
    Unknown(String),
}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        if lower == "custom" {
            return Ok(Region::Custom);
        }
        // Azure regions without an LCS instance of their own: their projects live on global LCS.
        let served_by_global = [
            ("uk", "UK"),
            ("gb", "UK"),
            ("jp", "Japan"),
            ("japan", "Japan"),
            ("in", "India"),
            ("india", "India"),
            ("au", "Australia"),
            ("australia", "Australia"),
            ("ca", "Canada"),
            ("canada", "Canada"),
            ("br", "Brazil"),
            ("de", "Germany"),
            ("kr", "Korea"),
            ("asia", "Asia"),
            ("us", "The US"),
        ];
        if let Some((_, place)) = served_by_global.iter().find(|(k, _)| *k == lower) {
            return Err(UnknownRegion::ServedByGlobal {
                given: s.to_string(),
                place,
            });
        }
        REGIONS
            .iter()
            .find(|r| r.key == lower)
            .map(|r| r.region)
            .ok_or_else(|| UnknownRegion::Unknown(s.to_string()))
    }
}

/// The scope for an API host: `<api_host>//.default`.
pub fn default_scope(api_host: &str) -> String {
    format!("{}//.default", api_host.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_key_parses_back_to_itself() {
        for r in REGIONS {
            assert_eq!(r.key.parse::<Region>(), Ok(r.region));
        }
        assert_eq!("custom".parse::<Region>(), Ok(Region::Custom));
        assert!("mars".parse::<Region>().unwrap_err().to_string().contains("gcc-high"));
    }

    #[test]
    fn regions_without_an_lcs_instance_point_to_global() {
        let e = "uk".parse::<Region>().unwrap_err().to_string();
        assert!(e.contains("UK is served by global"), "{e}");
        assert!(
            "Japan"
                .parse::<Region>()
                .unwrap_err()
                .to_string()
                .contains("served by global")
        );
    }

    #[test]
    fn scope_keeps_the_double_slash_of_the_article() {
        assert_eq!(
            default_scope("https://lcsapi.eu.lcs.dynamics.com"),
            "https://lcsapi.eu.lcs.dynamics.com//.default"
        );
        assert_eq!(
            default_scope("https://lcsapi.lcs.dynamics.com/"),
            "https://lcsapi.lcs.dynamics.com//.default"
        );
    }

    #[test]
    fn api_host_order_matters() {
        assert_eq!(
            Region::for_api_host("https://lcsapi.eu.lcs.dynamics.com"),
            Some(Region::Eu)
        );
        assert_eq!(Region::for_api_host("https://eu.lcsapi.lcs.dynamics.com"), None);
    }
}
