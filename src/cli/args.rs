//! The command line, as clap types. The names are a contract: scripts call them.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use lcsauth::audience::{Audience, Cloud};
use lcsauth::profile::{BaseUrl, ClientId, Flow, ProfileName, ProjectId, Tenant, duration_text};
use lcsauth::region::Region;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure (file system, internal error)
  2  usage error: bad arguments or input
  3  Entra refused the request (the message explains the AADSTS code and the fix)
  4  network failure or identity provider unavailable (timeouts, 5xx, 429)
  5  keyring unavailable or locked
  6  not found (no such profile)
  7  sign-in needed (no refresh token and no password: run `lcsauth login`)
  8  profiles.toml is invalid (the message gives the line and column)";

#[derive(Debug, Parser)]
#[command(
    name = "lcsauth",
    version,
    about = "Fresh Microsoft Entra bearer tokens for the Dynamics Lifecycle Services API",
    long_about = "Keeps Entra bearer tokens for the LCS API and its Database Movement API: profiles per tenant, \
                  app registration, region and user; secrets in the OS keyring; a token handed out only when it \
                  stays valid long enough.\n\nRun without a command to open the terminal UI.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list, show, edit or remove profiles
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Make NAME the default profile
    Use { name: ProfileName },
    /// Sign in now with the profile's flow
    Login {
        name: Option<String>,
        /// Read the password from one line of standard input
        #[arg(long)]
        password_stdin: bool,
        /// The audience to sign in for (default lcs); the sign-in serves the identity's others too
        #[arg(long, value_parser = AudienceParser, value_name = "AUDIENCE")]
        audience: Option<Audience>,
    },
    /// Print a token that stays valid for at least --min-valid
    Token(TokenArgs),
    /// Copy a fresh token to the clipboard
    Copy(CopyArgs),
    /// Every profile: state, expiry and time left
    Status {
        #[arg(long)]
        json: bool,
        /// Show this audience's state instead of LCS's (lcs, powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE)
        #[arg(long, value_parser = AudienceParser, value_name = "AUDIENCE")]
        audience: Option<Audience>,
    },
    /// Remove a profile's tokens from the keyring
    Logout {
        name: Option<String>,
        /// Also forget the remembered password
        #[arg(long)]
        forget_password: bool,
    },
    /// Run CMD with LCS_ACCESS_TOKEN, LCS_AUTHORIZATION and LCS_API_URL set to a fresh token
    Exec {
        name: Option<String>,
        /// The token must stay valid at least this long (default: the min_valid setting)
        #[arg(long, value_parser = parse_duration)]
        min_valid: Option<Duration>,
        /// Also (or instead of lcs) export this audience's token as LCSAUTH_TOKEN_<AUDIENCE>; repeatable
        /// (lcs: LCS_ACCESS_TOKEN, powerplatform: PP_ACCESS_TOKEN too)
        #[arg(long, value_parser = AudienceParser, value_name = "AUDIENCE")]
        audience: Vec<Audience>,
        /// The command and its arguments, after `--`
        #[arg(last = true, required = true, num_args = 1.., value_name = "CMD")]
        command: Vec<std::ffi::OsString>,
    },
    /// One read-only LCS call: does this profile's token work there
    Probe {
        name: Option<String>,
        /// The LCS project id (default: the profile's project_id)
        #[arg(long)]
        project_id: Option<ProjectId>,
        #[arg(long)]
        json: bool,
    },
    /// Check config, keyring, clipboard, clock and sign-in hosts, with a fix for each problem
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// The LCS instances with their API hosts, scopes and sign-in hosts
    Regions {
        #[arg(long)]
        json: bool,
    },
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// The terminal UI on a built-in Entra simulator; touches none of your files or keyring
    Demo,
    /// Serves a copied token to other programs (used by `copy`)
    #[command(name = "__clipboard-serve", hide = true)]
    ClipboardServe {
        #[arg(long, value_parser = parse_duration)]
        clear_after: Duration,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Add a profile
    Add {
        name: ProfileName,
        #[command(flatten)]
        fields: ProfileFields,
        /// Read the password from one line of standard input and sign in now
        #[arg(long)]
        password_stdin: bool,
    },
    /// List profiles
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one profile with its resolved endpoint and token state
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a profile (an empty value clears an optional field)
    Edit {
        name: String,
        /// Rename the profile
        #[arg(long)]
        rename: Option<ProfileName>,
        #[command(flatten)]
        fields: ProfileFields,
    },
    /// Remove a profile and its secrets
    Remove { name: String },
}

/// Profile fields as flags; on `add` `--tenant` and `--client-id` are required (checked there).
/// A flag value where an empty string means "clear this optional field".
#[derive(Clone, Debug)]
pub struct Clearable<T>(pub Option<T>);

// `Option<Clearable<T>>`: not given (keep), given empty (clear), given a value (set).
#[derive(Debug, Args, Default)]
pub struct ProfileFields {
    #[arg(long)]
    pub tenant: Option<Tenant>,
    #[arg(long)]
    pub client_id: Option<ClientId>,
    #[arg(long)]
    pub region: Option<Region>,
    #[arg(long)]
    pub username: Option<String>,
    #[arg(long, value_parser = parse_flow)]
    pub flow: Option<Flow>,
    /// Sign-in host override, e.g. https://login.microsoftonline.us
    #[arg(long, value_parser = optional::<BaseUrl>)]
    pub authority: Option<Clearable<BaseUrl>>,
    /// Scope override, e.g. https://api.powerplatform.com/.default
    #[arg(long, value_parser = optional_text)]
    pub scope: Option<Clearable<String>>,
    /// API host override, e.g. https://lcsapi.lcs.dynamics.com
    #[arg(long, value_parser = optional::<BaseUrl>)]
    pub api_host: Option<Clearable<BaseUrl>>,
    /// LCS project id, for `probe`
    #[arg(long, value_parser = optional::<ProjectId>)]
    pub project_id: Option<Clearable<ProjectId>>,
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

#[derive(Debug, Args)]
pub struct TokenArgs {
    pub name: Option<String>,
    /// The token must stay valid at least this long (default: the min_valid setting, 15m)
    #[arg(long, value_parser = parse_duration)]
    pub min_valid: Option<Duration>,
    /// Get a new token even if the cached one is fresh
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value_t = Format::Raw)]
    pub format: Format,
    /// Read the password from one line of standard input if a sign-in is needed
    #[arg(long)]
    pub password_stdin: bool,
    /// Which API the token is for: lcs (default), powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE
    #[arg(long, value_parser = AudienceParser, value_name = "AUDIENCE")]
    pub audience: Option<Audience>,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    pub name: Option<String>,
    #[arg(long, value_parser = parse_duration)]
    pub min_valid: Option<Duration>,
    #[arg(long, value_enum, default_value_t = CopyFormat::Raw)]
    pub format: CopyFormat,
    /// Clear the clipboard after this long if it still holds the token (default: 45s)
    #[arg(long, value_parser = parse_duration)]
    pub clear_after: Option<Duration>,
    /// Which API the token is for: lcs (default), powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE
    #[arg(long, value_parser = AudienceParser, value_name = "AUDIENCE")]
    pub audience: Option<Audience>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The token alone
    Raw,
    /// `Authorization: Bearer <token>`, for curl -H
    Header,
    /// A JSON object with the token and its expiry
    Json,
    /// The JSON of `az account get-access-token` (accessToken, expiresOn, expires_on, tenant, tokenType)
    Az,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CopyFormat {
    Raw,
    /// `Bearer <token>`, for an Authorization field
    Header,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    duration_text::parse(s)
}

/// Parses `--audience` with the core's parser, and offers the presets to shell completion
/// (`dataverse:`, `fno:` and `custom:` are completed up to the colon).
#[derive(Clone, Copy, Debug)]
struct AudienceParser;

impl clap::builder::TypedValueParser for AudienceParser {
    type Value = Audience;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Audience, clap::Error> {
        let text = value.to_str().unwrap_or_default();
        text.parse()
            .map_err(|e: String| clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{e}\n")).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let words = ["lcs", "powerplatform", "powerapps", "dataverse:", "fno:", "custom:"];
        Some(Box::new(words.into_iter().map(clap::builder::PossibleValue::new)))
    }
}

fn audience_list(s: &str) -> Result<Clearable<Vec<Audience>>, String> {
    let list = lcsauth::audience::parse_list(s)?;
    Ok(Clearable(Some(list).filter(|l| !l.is_empty())))
}

fn parse_flow(s: &str) -> Result<Flow, String> {
    s.parse()
}

fn optional<T: std::str::FromStr<Err = String>>(s: &str) -> Result<Clearable<T>, String> {
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
