//! The fields of the add/edit form: what each one is called, how it is edited and what it
//! expects, and the choices of the region and flow lists.

use lcsauth::profile::Flow;
use lcsauth::region::{REGIONS, Region};

/// A field of the form, in screen order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldId {
    Name,
    Tenant,
    ClientId,
    Region,
    Username,
    Flow,
    Password,
    Remember,
    Advanced,
    Authority,
    Scope,
    ApiHost,
    ProjectId,
    Audiences,
}

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Secret,
    Choice,
    Toggle,
}

impl FieldId {
    pub fn kind(self) -> FieldKind {
        match self {
            Self::Region | Self::Flow => FieldKind::Choice,
            Self::Remember | Self::Advanced => FieldKind::Toggle,
            Self::Password => FieldKind::Secret,
            _ => FieldKind::Text,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Tenant => "Tenant",
            Self::ClientId => "Client id",
            Self::Region => "Region",
            Self::Username => "Username",
            Self::Flow => "Flow",
            Self::Password => "Password",
            Self::Remember => "Remember pw",
            Self::Advanced => "Advanced",
            Self::Authority => "Authority",
            Self::Scope => "Scope",
            Self::ApiHost => "API host",
            Self::ProjectId => "Project id",
            Self::Audiences => "Audiences",
        }
    }

    /// What to type, shown while the field is empty.
    pub fn placeholder(self, editing: bool) -> &'static str {
        match self {
            Self::Name => "contoso-prod (letters, digits . _ -)",
            Self::Tenant => "contoso.onmicrosoft.com, a GUID or organizations",
            Self::ClientId => "Application (client) ID of the app registration",
            Self::Username => "ops@contoso.com (needed for the password flow)",
            Self::Password if editing => "type to sign in again after saving",
            Self::Password => "optional: type it to sign in right after saving",
            Self::Authority => "default: the region's sign-in host",
            Self::Scope => "default: <api host>//.default",
            Self::ApiHost => "default: the region's LCS API host",
            Self::ProjectId => "optional LCS project id, for `lcsauth probe`",
            Self::Audiences => "besides lcs: powerplatform, powerapps, dataverse:<org url>, …",
            Self::Region | Self::Flow | Self::Remember | Self::Advanced => "",
        }
    }
}

pub const FLOWS: [Flow; 3] = [Flow::Password, Flow::DeviceCode, Flow::Browser];

/// The regions a profile can use, in the order of the picker.
pub fn regions() -> impl Iterator<Item = Region> {
    REGIONS.iter().map(|r| r.region).chain([Region::Custom])
}

pub fn flow_note(f: Flow) -> &'static str {
    match f {
        Flow::Password => "username + password, as in the vendor article (no MFA)",
        Flow::DeviceCode => "sign in on any device's browser; works with MFA",
        Flow::Browser => "system browser with PKCE; works with MFA",
        Flow::ClientSecret => "the app itself, with a client secret (not for LCS)",
    }
}
