//! Audiences of an identity: the APIs one sign-in serves, and the clouds their hosts live in.
//!
//! A profile is an identity (tenant × client id × user × flow × cloud). Entra binds a refresh
//! token to the user and the client, not to a resource, so the identity's one refresh token is
//! redeemed for an access token of each audience. `lcs` is the profile's LCS region (the
//! default, as it always was); `powerplatform` and `powerapps` resolve per cloud; `dataverse:`
//! and `fno:` name an organisation or environment URL; `custom:` takes any one scope.
//!
//! `names` holds the audiences and the names each goes by (short name, keyring slot, variable
//! of `exec`), `text` the form people type and `profiles.toml` stores, `resource` what Entra and
//! the API need for each (resource, scope, host, permission), `cloud` the sovereign clouds and
//! their published hosts.

mod cloud;
mod names;
mod resource;
mod text;

pub use cloud::{CLOUDS, Cloud, CloudInfo, UnknownCloud};
pub use names::{AUDIENCE_FORMS, Audience, PRESETS};
pub use resource::ApiPermission;
pub use text::{BadAudience, format_list, parse_list};

#[cfg(test)]
mod tests;
