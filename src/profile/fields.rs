//! Validated profile fields: each type can only hold a value that passed its check, and the
//! check's error ([`BadValue`], [`BadUrl`]) says exactly what is wrong ("parse, don't validate").

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::field::{BadUrl, BadValue};

macro_rules! string_newtype {
    ($ty:ident, $err:ty) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, $err> {
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
string_newtype!(ProfileName, BadValue);

impl FromStr for ProfileName {
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        if s.is_empty() || s.len() > 64 {
            return Err(BadValue::NameLength(s.to_string()));
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(BadValue::NameCharacter {
                name: s.to_string(),
                bad,
            });
        }
        if s.starts_with('.') {
            return Err(BadValue::NameStartsWithDot(s.to_string()));
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
string_newtype!(ClientId, BadValue);

impl FromStr for ClientId {
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        let t = s.trim().trim_start_matches('{').trim_end_matches('}');
        if is_guid(t) {
            Ok(Self(t.to_ascii_lowercase()))
        } else {
            Err(BadValue::ClientIdNotGuid(s.to_string()))
        }
    }
}

/// The directory tenant: a GUID, a verified domain, or `organizations`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tenant(String);
string_newtype!(Tenant, BadValue);

impl FromStr for Tenant {
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "common" | "consumers" => Err(BadValue::TenantRefused {
                given: s.to_string(),
                endpoint: t.clone(),
            }),
            "organizations" => Ok(Self(t)),
            _ if is_guid(&t) => Ok(Self(t)),
            _ if is_domain(&t) => Ok(Self(t)),
            _ => Err(BadValue::TenantUnknown(s.to_string())),
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
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        match s.trim() {
            "password" => Ok(Self::Password),
            "device-code" => Ok(Self::DeviceCode),
            "browser" => Ok(Self::Browser),
            "client-secret" => Ok(Self::ClientSecret),
            other => Err(BadValue::UnknownFlow(other.to_string())),
        }
    }
}

/// A base URL: `https://host[:port][/path]`, or `http://` for a loopback address only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(String);
string_newtype!(BaseUrl, BadUrl);

impl FromStr for BaseUrl {
    type Err = BadUrl;
    fn from_str(s: &str) -> Result<Self, BadUrl> {
        let url = reqwest::Url::parse(s.trim()).map_err(|e| BadUrl::NotUrl {
            given: s.to_string(),
            reason: e.to_string(),
        })?;
        let host = url.host_str().unwrap_or_default();
        match url.scheme() {
            "https" if !host.is_empty() => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(BadUrl::ClearText(s.to_string()));
            }
            other => {
                return Err(BadUrl::Scheme {
                    given: s.to_string(),
                    scheme: other.to_string(),
                });
            }
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BadUrl::QueryOrFragment(s.to_string()));
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
string_newtype!(ProjectId, BadValue);

impl FromStr for ProjectId {
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        let t = s.trim();
        if !t.is_empty() && t.len() <= 20 && t.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(t.to_string()))
        } else {
            Err(BadValue::ProjectIdNotNumber(s.to_string()))
        }
    }
}

/// An LCS environment id: a GUID, written with or without dashes (LCS uses both).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnvironmentId(String);
string_newtype!(EnvironmentId, BadValue);

impl FromStr for EnvironmentId {
    type Err = BadValue;
    fn from_str(s: &str) -> Result<Self, BadValue> {
        let t = s.trim();
        if !t.is_empty() && t.len() <= 64 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            Ok(Self(t.to_string()))
        } else {
            Err(BadValue::EnvironmentIdMalformed(s.to_string()))
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
        assert!("7d5a0c1e9b2f4e3a8c6d1f0e2b4a6c8d".parse::<EnvironmentId>().is_ok());
        assert!("7d5a0c1e-9b2f-4e3a-8c6d-1f0e2b4a6c8d".parse::<EnvironmentId>().is_ok());
        assert!("../x".parse::<EnvironmentId>().is_err());
        assert!("a b".parse::<EnvironmentId>().is_err());
        assert!("a b".parse::<ProfileName>().unwrap_err().to_string().contains("' '"));
        assert!("x".repeat(65).parse::<ProfileName>().is_err());
        assert!("x".repeat(64).parse::<ProfileName>().is_ok());
    }

    #[test]
    fn client_id_must_be_a_guid_and_is_lowercased() {
        let id: ClientId = "0A1B2C3D-4E5F-6789-ABCD-EF0123456789".parse().unwrap();
        assert_eq!(id.as_str(), "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        assert!(
            "not-a-guid"
                .parse::<ClientId>()
                .unwrap_err()
                .to_string()
                .contains("is not a GUID")
        );
    }

    #[test]
    fn tenant_refuses_common_and_consumers() {
        assert!(
            "common"
                .parse::<Tenant>()
                .unwrap_err()
                .to_string()
                .contains("AADSTS9001023")
        );
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
                .to_string()
                .contains("not loopback")
        );
        assert!("ftp://x".parse::<BaseUrl>().is_err());
        assert_eq!(
            "https://login.microsoftonline.us/".parse::<BaseUrl>().unwrap().as_str(),
            "https://login.microsoftonline.us"
        );
    }

    #[test]
    fn each_value_error_names_the_field_it_is_about() {
        use super::super::field::Field;
        let field = |e: BadValue| e.field();
        assert_eq!(field("a b".parse::<ProfileName>().unwrap_err()), Field::Name);
        assert_eq!(field(".x".parse::<ProfileName>().unwrap_err()), Field::Name);
        assert_eq!(field("common".parse::<Tenant>().unwrap_err()), Field::Tenant);
        assert_eq!(field("contoso".parse::<Tenant>().unwrap_err()), Field::Tenant);
        assert_eq!(field("nope".parse::<ClientId>().unwrap_err()), Field::ClientId);
        assert_eq!(field("sms".parse::<Flow>().unwrap_err()), Field::Flow);
        assert_eq!(field("abc".parse::<ProjectId>().unwrap_err()), Field::ProjectId);
        assert_eq!(
            field("../x".parse::<EnvironmentId>().unwrap_err()),
            Field::EnvironmentId
        );
    }
}
