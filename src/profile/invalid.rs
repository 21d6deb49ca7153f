//! Why a profile is unusable as a whole, and which of its fields to change: the command line
//! prints the sentence, the board's form marks the field.

use crate::audience::Audience;

use super::field::Field;
use super::fields::{Flow, ProfileName};

/// A cross-field rule a profile breaks; the sentence names no profile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("region \"custom\" needs api_host (and optionally scope and authority)")]
    CustomRegionNeedsApiHost,
    #[error("the password flow needs a username (the user's UPN, like ops@contoso.com)")]
    PasswordFlowNeedsUsername,
    #[error("username {0:?} contains spaces")]
    UsernameHasSpaces(String),
    #[error("scope {0:?} must be one scope without spaces, like https://lcsapi.lcs.dynamics.com//.default")]
    ScopeNotOne(String),
    #[error("audience {0} is listed twice")]
    AudienceTwice(Audience),
    #[error(
        "LCS does not accept service principals (app-only tokens), so the client-secret flow serves only APIs \
         that do, like the Power Platform API and Dataverse: list them, e.g. audiences = [\"powerplatform\"], \
         without lcs"
    )]
    ClientSecretWithoutOtherApi,
    #[error("remember_password only applies to the password flow (flow is {0})")]
    RememberWithoutPasswordFlow(Flow),
}

impl Problem {
    /// The field to change to fix it.
    pub fn field(&self) -> Field {
        match self {
            Self::CustomRegionNeedsApiHost => Field::ApiHost,
            Self::PasswordFlowNeedsUsername | Self::UsernameHasSpaces(_) => Field::Username,
            Self::ScopeNotOne(_) => Field::Scope,
            Self::AudienceTwice(_) | Self::ClientSecretWithoutOtherApi => Field::Audiences,
            Self::RememberWithoutPasswordFlow(_) => Field::RememberPassword,
        }
    }
}

/// A profile that breaks a cross-field rule: "profile 'x': …".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("profile '{profile}': {problem}")]
pub struct Invalid {
    pub profile: ProfileName,
    pub problem: Problem,
}

impl Invalid {
    /// The field to change to fix it.
    pub fn field(&self) -> Field {
        self.problem.field()
    }
}
