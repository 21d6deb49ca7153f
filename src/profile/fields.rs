//! Validated profile fields: each type can only hold a value that passed its check, and the
//! check's message says exactly what is wrong ("parse, don't validate").

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! string_newtype {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A profile name: 1–64 of `A-Za-z0-9._-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProfileName(String);
string_newtype!(ProfileName);

impl FromStr for ProfileName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() || s.len() > 64 {
            return Err(format!("profile name {s:?} must be 1 to 64 characters long"));
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "profile name {s:?} contains {bad:?}; use only letters, digits, '.', '_' and '-'"
            ));
        }
        if s.starts_with('.') {
            return Err(format!("profile name {s:?} must not start with '.'"));
        }
        Ok(Self(s.to_string()))
    }
}

/// Checks the 8-4-4-4-12 hex form of a GUID.
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// An app registration (client) id: a GUID, kept in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);
string_newtype!(ClientId);

impl FromStr for ClientId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().trim_start_matches('{').trim_end_matches('}');
        if is_guid(t) {
            Ok(Self(t.to_ascii_lowercase()))
        } else {
            Err(format!(
                "client_id {s:?} is not a GUID; copy the \"Application (client) ID\" from the app \
                 registration's Overview page (like 0a1b2c3d-4e5f-6789-abcd-ef0123456789)"
            ))
        }
    }
}

/// The directory tenant: a GUID, a verified domain, or `organizations`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tenant(String);
string_newtype!(Tenant);

impl FromStr for Tenant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "common" | "consumers" => Err(format!(
                "tenant {s:?} is refused: the password grant does not work on /{t} (AADSTS9001023); \
                 use the tenant's domain (contoso.onmicrosoft.com), its GUID, or `organizations`"
            )),
            "organizations" => Ok(Self(t)),
            _ if is_guid(&t) => Ok(Self(t)),
            _ if is_domain(&t) => Ok(Self(t)),
            _ => Err(format!(
                "tenant {s:?} is neither a domain (contoso.onmicrosoft.com), a GUID nor `organizations`"
            )),
        }
    }
}

fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// How a profile signs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flow {
    /// Username and password (ROPC), as in the vendor article.
    #[default]
    Password,
    /// Device code: sign in on any device's browser; works with MFA.
    DeviceCode,
    /// Authorization code with PKCE through the system browser; works with MFA.
    Browser,
    /// The app's own identity (client credentials with a client secret kept in the keyring),
    /// for the APIs that accept service principals: the Power Platform API and Dataverse.
    ClientSecret,
}

impl Flow {
    pub fn key(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::DeviceCode => "device-code",
            Self::Browser => "browser",
            Self::ClientSecret => "client-secret",
        }
    }
}

impl Flow {
    /// The flow signs in with a typed secret (a password, or the app's client secret) rather
    /// than interactively.
    pub fn takes_secret(self) -> bool {
        matches!(self, Self::Password | Self::ClientSecret)
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Flow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "password" => Ok(Self::Password),
            "device-code" => Ok(Self::DeviceCode),
            "browser" => Ok(Self::Browser),
            "client-secret" => Ok(Self::ClientSecret),
            other => Err(format!(
                "unknown flow {other:?}; expected password, device-code, browser or client-secret"
            )),
        }
    }
}

/// A base URL: `https://host[:port][/path]`, or `http://` for a loopback address only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(String);
string_newtype!(BaseUrl);

impl FromStr for BaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let url = reqwest::Url::parse(s.trim()).map_err(|e| format!("{s:?} is not a URL: {e}"))?;
        let host = url.host_str().unwrap_or_default();
        match url.scheme() {
            "https" if !host.is_empty() => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(format!(
                    "{s:?} uses http:// for a host that is not loopback; tokens and passwords would \
                     cross the network in clear text: use https://"
                ));
            }
            other => return Err(format!("{s:?} must start with https:// (found {other}://)")),
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("{s:?} must not have a query or fragment"));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_string()))
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An LCS project id: the number in the portal's `/V2/ProjectOverview/{id}` URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectId(String);
string_newtype!(ProjectId);

impl FromStr for ProjectId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if !t.is_empty() && t.len() <= 20 && t.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(t.to_string()))
        } else {
            Err(format!(
                "project_id {s:?} is not a number; it is the number in the LCS portal URL /V2/ProjectOverview/<id>"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_allow_only_the_documented_characters() {
        assert!("contoso-prod.eu_1".parse::<ProfileName>().is_ok());
        assert!("".parse::<ProfileName>().is_err());
        assert!("a b".parse::<ProfileName>().unwrap_err().contains("' '"));
        assert!("x".repeat(65).parse::<ProfileName>().is_err());
        assert!("x".repeat(64).parse::<ProfileName>().is_ok());
    }

    #[test]
    fn client_id_must_be_a_guid_and_is_lowercased() {
        let id: ClientId = "0A1B2C3D-4E5F-6789-ABCD-EF0123456789".parse().unwrap();
        assert_eq!(id.as_str(), "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        assert!("not-a-guid".parse::<ClientId>().unwrap_err().contains("is not a GUID"));
    }

    #[test]
    fn tenant_refuses_common_and_consumers() {
        assert!("common".parse::<Tenant>().unwrap_err().contains("AADSTS9001023"));
        assert!("Consumers".parse::<Tenant>().is_err());
        assert!("organizations".parse::<Tenant>().is_ok());
        assert!("contoso.onmicrosoft.com".parse::<Tenant>().is_ok());
        assert!("72f988bf-86f1-41af-91ab-2d7cd011db47".parse::<Tenant>().is_ok());
        assert!("contoso".parse::<Tenant>().is_err());
    }

    #[test]
    fn http_is_only_accepted_for_loopback() {
        assert!("http://127.0.0.1:8080".parse::<BaseUrl>().is_ok());
        assert!("http://localhost:1".parse::<BaseUrl>().is_ok());
        assert!("http://[::1]:9".parse::<BaseUrl>().is_ok());
        assert!(
            "http://login.example.com"
                .parse::<BaseUrl>()
                .unwrap_err()
                .contains("not loopback")
        );
        assert!("ftp://x".parse::<BaseUrl>().is_err());
        assert_eq!(
            "https://login.microsoftonline.us/".parse::<BaseUrl>().unwrap().as_str(),
            "https://login.microsoftonline.us"
        );
    }
}
