//! The audiences one identity gets tokens for, and the names each goes by: the short name people
//! read, the keyring slot and secret owner of its token, the variable `exec` sets.

use serde::{Deserialize, Serialize};

use crate::profile::fields::BaseUrl;

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
}

pub(super) fn host_of(url: &BaseUrl) -> &str {
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
