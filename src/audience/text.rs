//! The text form of an audience: what `--audience`, the board's form and `profiles.toml` read
//! (`dataverse:https://contoso.crm.dynamics.com`), and lists of them.

use std::fmt;
use std::str::FromStr;

use super::names::{AUDIENCE_FORMS, Audience};
use crate::profile::field::BadUrl;
use crate::profile::fields::BaseUrl;

/// Why a text is not an audience.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadAudience {
    /// `dataverse` or `fno` without its URL; `what` names the URL, `example` its domain.
    #[error("audience {given:?} needs the {what} URL, like {kind}:https://contoso.{example}")]
    NeedsUrl {
        given: String,
        kind: String,
        what: &'static str,
        example: &'static str,
    },
    #[error("audience {given:?}: {url}")]
    Url { given: String, url: BadUrl },
    #[error("audience {given:?}: give the {what} URL without a path")]
    UrlWithPath { given: String, what: &'static str },
    #[error(
        "audience {0:?} needs one scope of printable characters without spaces, like custom:https://graph.microsoft.com/.default"
    )]
    CustomScope(String),
    #[error("unknown audience {0:?}; expected {forms}", forms = AUDIENCE_FORMS)]
    Unknown(String),
}

/// Reads a comma-separated list of audiences (`powerplatform, dataverse:https://…`), as the
/// command line's `--audiences` and the board's form take it; empty entries are skipped.
pub fn parse_list(text: &str) -> Result<Vec<Audience>, BadAudience> {
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
    type Err = BadAudience;
    fn from_str(s: &str) -> Result<Self, BadAudience> {
        let t = s.trim();
        let (kind, rest) = t.split_once(':').unwrap_or((t, ""));
        let url = |what: &'static str| -> Result<BaseUrl, BadAudience> {
            if rest.trim().is_empty() {
                return Err(BadAudience::NeedsUrl {
                    given: s.to_string(),
                    kind: kind.to_string(),
                    what,
                    example: example(kind),
                });
            }
            let text = if rest.contains("://") {
                rest.to_string()
            } else {
                format!("https://{rest}")
            };
            let u: BaseUrl = text.parse().map_err(|url| BadAudience::Url {
                given: s.to_string(),
                url,
            })?;
            if u.as_str().splitn(4, '/').nth(3).is_some_and(|p| !p.is_empty()) {
                return Err(BadAudience::UrlWithPath {
                    given: s.to_string(),
                    what,
                });
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
                    return Err(BadAudience::CustomScope(s.to_string()));
                }
                Ok(Self::Custom(scope.to_string()))
            }
            _ => Err(BadAudience::Unknown(s.to_string())),
        }
    }
}

impl TryFrom<String> for Audience {
    type Error = BadAudience;
    fn try_from(s: String) -> Result<Self, BadAudience> {
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
