//! `exec`: run a command with a fresh token in its environment.
//!
//! For long jobs, prefer calling `lcsauth token` before each request (the cached path takes
//! milliseconds): a token handed to a child lives only as long as `--min-valid` promises.

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::Duration;

use lcsauth::audience::Audience;

use super::report::{Exit, Failure};
use super::{Ctx, token_cmd};

/// Set in the child so a nested `lcsauth exec` can refuse.
pub const MARKER: &str = "LCSAUTH_EXEC_PROFILE";

/// Runs `command` with a fresh token of each audience asked (`lcs` when none is) in its
/// environment: `lcs` as `LCS_ACCESS_TOKEN`, `LCS_AUTHORIZATION` and `LCS_API_URL`,
/// `powerplatform` also as `PP_ACCESS_TOKEN` and `PP_API_URL`, every one as
/// `LCSAUTH_TOKEN_<AUDIENCE>`.
pub fn run(
    ctx: &Ctx,
    name: Option<&str>,
    min_valid: Option<Duration>,
    audiences: &[Audience],
    command: &[OsString],
) -> Result<(), Failure> {
    if let Some(outer) = std::env::var_os(MARKER) {
        return Err(Failure::usage(format!(
            "refusing to nest: this shell already runs under `lcsauth exec` for profile '{}'; \
             use $LCS_ACCESS_TOKEN, or call `lcsauth token` for a fresh one",
            outer.to_string_lossy()
        )));
    }
    let (program, args) = command
        .split_first()
        .ok_or_else(|| Failure::usage("exec needs a command after --"))?;
    // No --audience: the profile's default audience (lcs, as always, for a user's profile).
    let asked: Vec<Option<&Audience>> = if audiences.is_empty() {
        vec![None]
    } else {
        audiences.iter().map(Some).collect()
    };
    let mut child = Command::new(program);
    child.args(args);
    let mut profile_name = String::new();
    for asked in asked {
        let (profile, audience, issued) = token_cmd::fresh_for(ctx, name, asked, min_valid, false, false)?;
        let audience = &audience;
        let token = issued.access_token.expose();
        let api = profile.endpoint_for(audience).api_host;
        match audience {
            Audience::Lcs => {
                child
                    .env("LCS_ACCESS_TOKEN", token)
                    .env("LCS_AUTHORIZATION", format!("Bearer {token}"))
                    .env("LCS_API_URL", &api);
            }
            Audience::PowerPlatform => {
                child.env("PP_ACCESS_TOKEN", token).env("PP_API_URL", &api);
            }
            _ => {}
        }
        child.env(audience.env_var(), token);
        profile_name = profile.name.to_string();
    }
    let status = child
        .env(MARKER, &profile_name)
        .status()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot run {}: {e}", program.to_string_lossy())))?;
    Err(Failure::passthrough(exit_code_of(status)))
}

/// The child's exit code; a child killed by a signal exits 128 + the signal, as shells report it.
fn exit_code_of(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from(128 + sig).unwrap_or(1);
        }
    }
    1
}

/// Turns the pass-through failure back into the process exit code.
pub fn code(f: &Failure) -> Option<ExitCode> {
    f.passthrough.map(ExitCode::from)
}
