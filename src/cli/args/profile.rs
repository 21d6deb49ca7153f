//! The `profile` commands' flags: `add`, `list`, `show`, `edit`, `remove`, and the fields
//! `add` and `edit` share.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCandidates;

use lcsauth::audience::{Audience, BadAudience, Cloud};
use lcsauth::profile::{BadValue, BaseUrl, ClientId, EnvironmentId, Flow, ProfileName, ProjectId, Tenant};
use lcsauth::region::Region;

use super::super::candidates;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ProfileCommand {
    /// Add a profile
    #[command(
        after_help = "Examples:\n  lcsauth profile add contoso-prod --tenant contoso.onmicrosoft.com \\\n      \
                             --client-id 0a1b2c3d-4e5f-6789-abcd-ef0123456789 --region eu --username ops@contoso.com\n  \
                             lcsauth profile add fabrikam --tenant fabrikam.com --client-id … --flow device-code"
    )]
    Add {
        /// The new profile's name: 1–64 of A-Z a-z 0-9 . _ -
        name: ProfileName,
        /// The Entra tenant: a domain (contoso.onmicrosoft.com), a GUID, or organizations
        #[arg(long)]
        tenant: Tenant,
        /// The app registration's application (client) id, a GUID
        #[arg(long)]
        client_id: ClientId,
        #[command(flatten)]
        fields: ProfileFields,
        /// Read the password from one line of standard input and sign in now
        #[arg(long)]
        password_stdin: bool,
    },
    /// List profiles
    #[command(after_help = "Example:\n  lcsauth profile list --json")]
    List {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show one profile with its resolved endpoint and token state
    #[command(after_help = "Example:\n  lcsauth profile show contoso-prod")]
    Show {
        /// The profile to show
        #[arg(add = ArgValueCandidates::new(candidates::profile_names))]
        name: String,
        /// Print a JSON object instead of text
        #[arg(long)]
        json: bool,
    },
    /// Change a profile (an empty value clears an optional field)
    #[command(after_help = "Examples:\n  lcsauth profile edit fabrikam --flow device-code\n  \
                             lcsauth profile edit contoso --rename contoso-prod\n  lcsauth profile edit contoso-prod --project-id ''")]
    Edit {
        /// The profile to change
        #[arg(add = ArgValueCandidates::new(candidates::profile_names))]
        name: String,
        /// Rename the profile (its tokens come along)
        #[arg(long, value_name = "NEW_NAME")]
        rename: Option<ProfileName>,
        /// The Entra tenant: a domain, a GUID, or organizations
        #[arg(long)]
        tenant: Option<Tenant>,
        /// The app registration's application (client) id, a GUID
        #[arg(long)]
        client_id: Option<ClientId>,
        #[command(flatten)]
        fields: ProfileFields,
    },
    /// Remove a profile and its secrets
    #[command(after_help = "Example:\n  lcsauth profile remove old-test")]
    Remove {
        /// The profile to remove
        #[arg(add = ArgValueCandidates::new(candidates::profile_names))]
        name: String,
    },
}

/// A flag value where an empty string means "clear this optional field".
#[derive(Clone, Debug)]
pub struct Clearable<T>(pub Option<T>);

// The profile fields `add` and `edit` share (`--tenant` and `--client-id` are declared by each:
// required on `add`, optional on `edit`). A plain comment, not a doc comment: clap would take a
// doc comment as the about text of `add` and `edit`, since their flags are built after it.
// `Option<Clearable<T>>`: not given (keep), given empty (clear), given a value (set).
#[derive(Debug, Args, Default)]
pub struct ProfileFields {
    #[arg(skip)]
    pub tenant: Option<Tenant>,
    #[arg(skip)]
    pub client_id: Option<ClientId>,
    /// The LCS region: global, eu, fr, no, sa, ch, uae, gcc, gcc-high, china or custom (default: global)
    #[arg(long, add = ArgValueCandidates::new(candidates::regions))]
    pub region: Option<Region>,
    /// The user (UPN): required for the password flow, a login hint for the others
    #[arg(long, value_name = "UPN")]
    pub username: Option<String>,
    /// How to sign in: password (no MFA), device-code or browser (MFA accounts) (default: password)
    #[arg(long, value_parser = parse_flow, add = ArgValueCandidates::new(candidates::flows))]
    pub flow: Option<Flow>,
    /// Sign-in host override, e.g. https://login.microsoftonline.us
    #[arg(long, value_parser = optional::<BaseUrl>, value_name = "URL")]
    pub authority: Option<Clearable<BaseUrl>>,
    /// Scope override, e.g. https://api.powerplatform.com/.default
    #[arg(long, value_parser = optional_text)]
    pub scope: Option<Clearable<String>>,
    /// API host override, e.g. https://lcsapi.lcs.dynamics.com
    #[arg(long, value_parser = optional::<BaseUrl>, value_name = "URL")]
    pub api_host: Option<Clearable<BaseUrl>>,
    /// LCS project id, for `probe`
    #[arg(long, value_parser = optional::<ProjectId>, value_name = "ID")]
    pub project_id: Option<Clearable<ProjectId>>,
    /// LCS environment id, for `{environmentId}` in `lcsauth api` paths
    #[arg(long, value_parser = optional::<EnvironmentId>, value_name = "ID")]
    pub environment_id: Option<Clearable<EnvironmentId>>,
    /// Keep the password in the OS keyring after the next successful sign-in
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub remember_password: Option<bool>,
    /// Cloud of the audience presets: public, gcc, gcc-high, dod, china (default: the region's)
    #[arg(long, value_parser = optional::<Cloud>)]
    pub cloud: Option<Clearable<Cloud>>,
    /// Audiences besides lcs, comma-separated, e.g. powerplatform,dataverse:https://contoso.crm.dynamics.com
    #[arg(long, value_parser = audience_list, value_name = "LIST")]
    pub audiences: Option<Clearable<Vec<Audience>>>,
}

fn audience_list(s: &str) -> Result<Clearable<Vec<Audience>>, BadAudience> {
    let list = lcsauth::audience::parse_list(s)?;
    Ok(Clearable(Some(list).filter(|l| !l.is_empty())))
}

fn parse_flow(s: &str) -> Result<Flow, BadValue> {
    s.parse()
}

fn optional<T: std::str::FromStr>(s: &str) -> Result<Clearable<T>, T::Err> {
    if s.trim().is_empty() {
        Ok(Clearable(None))
    } else {
        s.parse().map(|v| Clearable(Some(v)))
    }
}

#[allow(clippy::unnecessary_wraps)] // clap's value_parser signature
fn optional_text(s: &str) -> Result<Clearable<String>, String> {
    Ok(Clearable(Some(s.trim().to_string()).filter(|t| !t.is_empty())))
}
