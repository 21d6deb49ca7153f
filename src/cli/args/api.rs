//! The `api` command's flags.

use std::time::Duration;

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use lcsauth::api::Method;
use lcsauth::time::duration;

use super::super::candidates;

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// [NAME] PATH: an optional profile, then a path such as
    /// /databasemovement/v1/databases/project/{projectId} or an https:// URL on the profile's API host
    #[arg(required = true, num_args = 1..=2, value_names = ["NAME|PATH", "PATH"], add = ArgValueCandidates::new(candidates::profile_names))]
    pub args: Vec<String>,
    /// The HTTP method (default: GET, or POST when -f or --input gives a body)
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<Method>,
    /// The API: lcs (the profile's LCS region) or powerplatform (default: the one the profile's scope names)
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
    /// A field: a query parameter for GET, a JSON body member otherwise (repeatable)
    #[arg(short = 'f', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// The request body from a file, or - for standard input
    #[arg(long, value_name = "FILE")]
    pub input: Option<String>,
    /// Print the status line and the response headers before the body
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Print no body
    #[arg(long)]
    pub silent: bool,
    /// Wait for the operation the call starts (or whose status it reads) to end
    #[arg(long)]
    pub wait: bool,
    /// Between polls when the API names no Retry-After, e.g. 30s (default 30s)
    #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
    pub interval: Option<Duration>,
    /// Each request's token must stay valid at least this long (default: the min_valid setting)
    #[arg(long, value_parser = duration::parse, value_name = "DURATION")]
    pub min_valid: Option<Duration>,
    /// Change something without asking (needed without a terminal)
    #[arg(long)]
    pub yes: bool,
    /// Print the request (without the token) and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Show SAS signatures (sig=) on a terminal too
    #[arg(long)]
    pub show_secrets: bool,
}

/// The examples `lcsauth api --help` shows.
pub const EXAMPLES: &str = "Examples:
  lcsauth api prod /databasemovement/v1/databases/project/{projectId}
  lcsauth api prod -X POST /databasemovement/v1/refresh/project/{projectId}/source/SRC/target/{environmentId} --wait
  lcsauth api prod -X POST /databasemovement/v1/export/project/{projectId}/environment/{environmentId}/backupName/nightly
  lcsauth api prod /databasemovement/v1/fetchstatus/project/{projectId}/environment/{environmentId}/operationactivity/ID --wait
  lcsauth api pp -X POST /environmentmanagement/environments/TARGET/copy --input copy.json --wait

Methods other than GET and HEAD on Database Movement, environment and environment-management
paths ask first on a terminal and need --yes otherwise. SAS signatures (sig=) are masked on a
terminal unless --show-secrets. Ctrl-C during --wait stops waiting, not the operation.";
