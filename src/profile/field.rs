//! The fields of a profile, named as in `profiles.toml`, and why a value does not fit one: each
//! error of a field's own check knows its field, so the board's form marks it without reading
//! the sentence, and the sentence is what the command line prints.

use std::fmt;

/// A field of a profile, named as in `profiles.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Tenant,
    ClientId,
    Region,
    Username,
    Flow,
    Authority,
    Scope,
    ApiHost,
    ProjectId,
    EnvironmentId,
    RememberPassword,
    Cloud,
    Audiences,
}

impl Field {
    /// The TOML key of the field.
    pub fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Tenant => "tenant",
            Self::ClientId => "client_id",
            Self::Region => "region",
            Self::Username => "username",
            Self::Flow => "flow",
            Self::Authority => "authority",
            Self::Scope => "scope",
            Self::ApiHost => "api_host",
            Self::ProjectId => "project_id",
            Self::EnvironmentId => "environment_id",
            Self::RememberPassword => "remember_password",
            Self::Cloud => "cloud",
            Self::Audiences => "audiences",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A value that failed the check of its field; see [`BadValue::field`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadValue {
    #[error("profile name {0:?} must be 1 to 64 characters long")]
    NameLength(String),
    #[error("profile name {name:?} contains {bad:?}; use only letters, digits, '.', '_' and '-'")]
    NameCharacter { name: String, bad: char },
    #[error("profile name {0:?} must not start with '.'")]
    NameStartsWithDot(String),
    #[error(
        "client_id {0:?} is not a GUID; copy the \"Application (client) ID\" from the app \
         registration's Overview page (like 0a1b2c3d-4e5f-6789-abcd-ef0123456789)"
    )]
    ClientIdNotGuid(String),
    /// `common` and `consumers`: `endpoint` is the lower-case form the URL would have.
    #[error(
        "tenant {given:?} is refused: the password grant does not work on /{endpoint} (AADSTS9001023); \
         use the tenant's domain (contoso.onmicrosoft.com), its GUID, or `organizations`"
    )]
    TenantRefused { given: String, endpoint: String },
    #[error("tenant {0:?} is neither a domain (contoso.onmicrosoft.com), a GUID nor `organizations`")]
    TenantUnknown(String),
    #[error("unknown flow {0:?}; expected password, device-code, browser or client-secret")]
    UnknownFlow(String),
    #[error("project_id {0:?} is not a number; it is the number in the LCS portal URL /V2/ProjectOverview/<id>")]
    ProjectIdNotNumber(String),
    #[error(
        "environment_id {0:?} is not an LCS environment id (letters, digits and dashes, like the \
         EnvironmentId of `lcsauth api NAME /environmentinfo/v1/detail/project/{{projectId}}/`)"
    )]
    EnvironmentIdMalformed(String),
}

impl BadValue {
    /// The field whose value this is.
    pub fn field(&self) -> Field {
        match self {
            Self::NameLength(_) | Self::NameCharacter { .. } | Self::NameStartsWithDot(_) => Field::Name,
            Self::ClientIdNotGuid(_) => Field::ClientId,
            Self::TenantRefused { .. } | Self::TenantUnknown(_) => Field::Tenant,
            Self::UnknownFlow(_) => Field::Flow,
            Self::ProjectIdNotNumber(_) => Field::ProjectId,
            Self::EnvironmentIdMalformed(_) => Field::EnvironmentId,
        }
    }
}

/// A URL that cannot be a base URL (`authority`, `api_host`, an audience's URL): the field is
/// the caller's to name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadUrl {
    #[error("{given:?} is not a URL: {reason}")]
    NotUrl { given: String, reason: String },
    #[error(
        "{0:?} uses http:// for a host that is not loopback; tokens and passwords would \
         cross the network in clear text: use https://"
    )]
    ClearText(String),
    #[error("{given:?} must start with https:// (found {scheme}://)")]
    Scheme { given: String, scheme: String },
    #[error("{0:?} must not have a query or fragment")]
    QueryOrFragment(String),
}
