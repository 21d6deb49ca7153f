//! The command line, as clap types. The names are a contract: scripts call them.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

use lcsauth::audience::{Audience, BadAudience};
use lcsauth::profile::{ProfileName, ProjectId};
use lcsauth::time::duration;

use super::candidates;

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

/// A profile NAME that the shell completes from `profiles.toml`.
macro_rules! name_help {
    () => {
        "The profile (default: $LCSAUTH_PROFILE, else the default profile, else the only one)"
    };
}

#[derive(Debug, Parser)]
#[command(
    name = "lcsauth",
    version,
    about = "Fresh Microsoft Entra bearer tokens for the Dynamics Lifecycle Services API",
    long_about = "Keeps Entra bearer tokens for the LCS API and its Database Movement API: profiles per tenant, \
                  app registration, region and user; secrets in the OS keyring; a token handed out only when it \
                  stays valid long enough.\n\nRun without a command to open the terminal UI; `lcsauth demo` shows \
                  it on a built-in simulator, without a tenant.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per run: the size of the largest variant does not matter.
// `defer`: a command's flags are built only when that command runs (or when help or completion
// walks the whole tree), so `lcsauth token` does not pay for the other commands' definitions.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Add, list, show, edit or remove profiles
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Make NAME the default profile
    #[command(after_help = "Example:\n  lcsauth use contoso-prod")]
    Use {
        /// The profile to make the default
        #[arg(add = ArgValueCandidates::new(candidates::profile_names))]
        name: ProfileName,
    },
    /// Sign in now with the profile's flow
    #[command(
        after_help = "Examples:\n  lcsauth login contoso-prod --password-stdin < password.txt\n  lcsauth login fabrikam-mfa"
    )]
    Login {
        #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
        name: Option<String>,
        /// Read the password from one line of standard input
        #[arg(long)]
        password_stdin: bool,
        /// The audience to sign in for (default lcs); the sign-in serves the identity's others too
        #[arg(long, value_parser = parse_audience, add = ArgValueCandidates::new(candidates::audiences), value_name = "AUDIENCE")]
        audience: Option<Audience>,
    },
    /// Print a token that stays valid for at least --min-valid
    #[command(
        after_help = "Examples:\n  lcsauth token contoso-prod\n  curl -H \"$(lcsauth token --format header)\" https://lcsapi.lcs.dynamics.com/…\n\n\
                             When Entra issues tokens that live less than --min-valid, the freshest one is printed \
                             with a warning that names the lifetime (exit code 0)."
    )]
    Token(TokenArgs),
    /// Copy a fresh token to the clipboard
    #[command(after_help = "Examples:\n  lcsauth copy contoso-prod\n  lcsauth copy --format bearer --clear-after 2m")]
    Copy(CopyArgs),
    /// Every profile: state, user, expiry and time left
    #[command(
        after_help = "Examples:\n  lcsauth status\n  lcsauth status --json | jq '.[] | select(.state != \"valid\")'"
    )]
    Status {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
        /// Show this audience's state instead of LCS's (lcs, powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE)
        #[arg(long, value_parser = parse_audience, add = ArgValueCandidates::new(candidates::audiences), value_name = "AUDIENCE")]
        audience: Option<Audience>,
    },
    /// Remove a profile's tokens from the keyring
    #[command(after_help = "Example:\n  lcsauth logout contoso-prod --forget-password")]
    Logout {
        #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
        name: Option<String>,
        /// Also forget the remembered password
        #[arg(long)]
        forget_password: bool,
    },
    /// Run CMD with LCS_ACCESS_TOKEN, LCS_AUTHORIZATION and LCS_API_URL set to a fresh token
    #[command(
        after_help = "Example:\n  lcsauth exec contoso-prod -- sh -c 'curl -H \"Authorization: $LCS_AUTHORIZATION\" \"$LCS_API_URL/…\"'"
    )]
    Exec {
        #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
        name: Option<String>,
        /// The token must stay valid at least this long, e.g. 30m (default: the min_valid setting)
        #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
        min_valid: Option<Duration>,
        /// Also (or instead of lcs) export this audience's token as LCSAUTH_TOKEN_<AUDIENCE>; repeatable
        /// (lcs: LCS_ACCESS_TOKEN, powerplatform: PP_ACCESS_TOKEN too)
        #[arg(long, value_parser = parse_audience, add = ArgValueCandidates::new(candidates::audiences), value_name = "AUDIENCE")]
        audience: Vec<Audience>,
        /// The command and its arguments, after `--`
        #[arg(last = true, required = true, num_args = 1.., value_name = "CMD")]
        command: Vec<std::ffi::OsString>,
    },
    /// One read-only LCS call: does this profile's token work there
    #[command(after_help = "Example:\n  lcsauth probe contoso-prod --project-id 1234567")]
    Probe {
        #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
        name: Option<String>,
        /// The LCS project id (default: the profile's project_id)
        #[arg(long)]
        project_id: Option<ProjectId>,
        /// Print the verdict as JSON
        #[arg(long)]
        json: bool,
    },
    /// One call to the LCS or Power Platform API with the right host and a fresh token
    #[command(after_help = api::EXAMPLES)]
    Api(Box<api::ApiArgs>),
    /// Check config, keyring, clipboard, clock and sign-in hosts, with a fix for each problem
    #[command(after_help = "Example:\n  lcsauth doctor")]
    Doctor {
        /// Print the checks as JSON
        #[arg(long)]
        json: bool,
    },
    /// The LCS instances with their API hosts, scopes and sign-in hosts
    #[command(after_help = "Example:\n  lcsauth regions --json")]
    Regions {
        /// Print the regions as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the script that registers completion in SHELL (profile names, regions, flows)
    #[command(
        after_help = "Examples:\n  source <(lcsauth completions bash)     # in ~/.bashrc\n  \
                             source <(lcsauth completions zsh)      # in ~/.zshrc\n  \
                             lcsauth completions fish | source      # in config.fish\n  \
                             lcsauth completions powershell | Out-String | Invoke-Expression   # in $PROFILE"
    )]
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// The terminal UI on a built-in Entra simulator; touches none of your files or keyring
    #[command(after_help = "Example:\n  lcsauth demo")]
    Demo,
    /// Serves a copied token to other programs (used by `copy`)
    #[command(name = "__clipboard-serve", hide = true)]
    ClipboardServe {
        #[arg(long, value_parser = duration::parse)]
        clear_after: Duration,
    },
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
    pub name: Option<String>,
    /// The token must stay valid at least this long, e.g. 30m (default: the min_valid setting, 15m)
    #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
    pub min_valid: Option<Duration>,
    /// Get a new token even if the cached one is fresh
    #[arg(long)]
    pub force: bool,
    /// What to print: raw (the token), header (`Authorization: Bearer …`), bearer (`Bearer …`) or json
    #[arg(long, value_enum, default_value_t = Format::Raw)]
    pub format: Format,
    /// Read the password from one line of standard input if a sign-in is needed
    #[arg(long)]
    pub password_stdin: bool,
    /// Which API the token is for: lcs (default), powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE
    #[arg(long, value_parser = parse_audience, add = ArgValueCandidates::new(candidates::audiences), value_name = "AUDIENCE")]
    pub audience: Option<Audience>,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    #[arg(help = name_help!(), add = ArgValueCandidates::new(candidates::profile_names))]
    pub name: Option<String>,
    /// The token must stay valid at least this long, e.g. 30m (default: the min_valid setting, 15m)
    #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
    pub min_valid: Option<Duration>,
    /// What to copy: raw (the token), header (`Authorization: Bearer …`) or bearer (`Bearer …`)
    #[arg(long, value_enum, default_value_t = CopyFormat::Raw)]
    pub format: CopyFormat,
    /// Clear the clipboard after this long if it still holds the token (default: the clear_after setting, 45s)
    #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
    pub clear_after: Option<Duration>,
    /// Which API the token is for: lcs (default), powerplatform, powerapps, dataverse:URL, fno:URL, custom:SCOPE
    #[arg(long, value_parser = parse_audience, add = ArgValueCandidates::new(candidates::audiences), value_name = "AUDIENCE")]
    pub audience: Option<Audience>,
}

mod api;
mod profile;

pub use api::ApiArgs;
pub use profile::{Clearable, ProfileCommand, ProfileFields};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The token alone
    Raw,
    /// `Authorization: Bearer <token>`, a whole header line (curl -H)
    Header,
    /// `Bearer <token>`, the value of an Authorization field (Postman)
    Bearer,
    /// A JSON object with the token and its expiry
    Json,
    /// The JSON of `az account get-access-token` (accessToken, expiresOn, expires_on, tenant, tokenType)
    Az,
}

/// What `copy` can put on the clipboard: the same words as `token --format` mean the same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CopyFormat {
    /// The token alone
    Raw,
    /// `Authorization: Bearer <token>`, a whole header line
    Header,
    /// `Bearer <token>`, the value of an Authorization field (Postman)
    Bearer,
}

fn parse_audience(s: &str) -> Result<Audience, BadAudience> {
    s.parse()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if cmd.is_hide_set() {
            return;
        }
        for arg in cmd.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && !arg.is_hide_set() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {} (no about)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    /// The whole tree, with the deferred flags of every command built (as help and completion see it).
    fn built() -> clap::Command {
        let mut cmd = Cli::command();
        cmd.build();
        cmd
    }

    #[test]
    fn every_flag_and_positional_has_a_one_line_description() {
        let mut missing = Vec::new();
        walk(&built(), "lcsauth", &mut missing);
        assert!(missing.is_empty(), "without a description: {missing:?}");
    }

    #[test]
    fn a_command_built_late_keeps_its_own_about_text() {
        let cmd = built();
        let profile = cmd.find_subcommand("profile").expect("profile");
        let about = |c: &clap::Command, name: &str| {
            c.find_subcommand(name)
                .and_then(|s| s.get_about())
                .map(ToString::to_string)
        };
        assert_eq!(about(profile, "add").as_deref(), Some("Add a profile"));
        assert_eq!(
            about(profile, "edit").as_deref(),
            Some("Change a profile (an empty value clears an optional field)")
        );
        assert_eq!(
            about(&cmd, "token").as_deref(),
            Some("Print a token that stays valid for at least --min-valid")
        );
        for parent in [&cmd, profile] {
            let mut abouts: Vec<_> = parent
                .get_subcommands()
                .filter_map(|s| s.get_about())
                .map(ToString::to_string)
                .collect();
            let all = abouts.len();
            abouts.sort();
            abouts.dedup();
            assert_eq!(
                abouts.len(),
                all,
                "two commands share one about text under {}",
                parent.get_name()
            );
        }
    }

    #[test]
    fn a_command_is_built_only_when_it_runs() {
        // Not built yet: the flags of a command are added when it is parsed (or help walks the tree).
        let cmd = Cli::command();
        let token = cmd.find_subcommand("token").expect("token");
        assert_eq!(
            token.get_arguments().count(),
            0,
            "token's flags were built with the tree"
        );
        assert!(
            built()
                .find_subcommand("token")
                .expect("token")
                .get_arguments()
                .any(|a| a.get_id() == "min_valid")
        );
    }
}
